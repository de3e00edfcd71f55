/* uni-text-edit.h — one replacement in a document
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * UniTextEdit:
 * @offset: byte offset where the replaced range starts
 * @length: bytes replaced (0 to insert)
 * @replacement: what goes there, UTF-8
 *
 * Every manifest change is one of these: the rest of the document stays
 * byte-identical.
 */
typedef struct
{
  gsize  offset;
  gsize  length;
  char  *replacement;
} UniTextEdit;

#define UNI_TYPE_TEXT_EDIT (uni_text_edit_get_type ())

GType        uni_text_edit_get_type  (void) G_GNUC_CONST;
UniTextEdit *uni_text_edit_new       (gsize              offset,
                                      gsize              length,
                                      const char        *replacement);
UniTextEdit *uni_text_edit_copy      (const UniTextEdit *edit);
void         uni_text_edit_free      (UniTextEdit       *edit);
char        *uni_text_edit_apply     (const UniTextEdit *edit,
                                      const char        *text,
                                      gsize              length,
                                      gsize             *new_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniTextEdit, uni_text_edit_free)

G_END_DECLS
