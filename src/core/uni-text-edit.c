/* uni-text-edit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-text-edit"

#include "config.h"

#include <string.h>

#include "uni-text-edit.h"

G_DEFINE_BOXED_TYPE (UniTextEdit, uni_text_edit, uni_text_edit_copy, uni_text_edit_free)

/**
 * uni_text_edit_new:
 * @offset: where the replaced range starts, in bytes
 * @length: how many bytes it replaces (0 to insert)
 * @replacement: the new text
 *
 * Returns: (transfer full): a new #UniTextEdit
 */
UniTextEdit *
uni_text_edit_new (gsize       offset,
                   gsize       length,
                   const char *replacement)
{
  UniTextEdit *edit;

  g_return_val_if_fail (replacement != NULL, NULL);

  edit = g_new0 (UniTextEdit, 1);
  edit->offset = offset;
  edit->length = length;
  edit->replacement = g_strdup (replacement);

  return edit;
}

/**
 * uni_text_edit_copy:
 * @edit: a #UniTextEdit
 *
 * Returns: (transfer full): a copy of @edit
 */
UniTextEdit *
uni_text_edit_copy (const UniTextEdit *edit)
{
  g_return_val_if_fail (edit != NULL, NULL);

  return uni_text_edit_new (edit->offset, edit->length, edit->replacement);
}

void
uni_text_edit_free (UniTextEdit *edit)
{
  if (edit == NULL)
    return;

  g_free (edit->replacement);
  g_free (edit);
}

/**
 * uni_text_edit_apply:
 * @edit: a #UniTextEdit
 * @text: the document
 * @length: its length in bytes
 * @new_length: (out) (optional): the result's length
 *
 * Returns: (transfer full) (nullable): the document with @edit applied,
 *   nul-terminated, or %NULL when the edit's range is not inside @text
 */
char *
uni_text_edit_apply (const UniTextEdit *edit,
                     const char        *text,
                     gsize              length,
                     gsize             *new_length)
{
  gsize replacement_length;
  gsize result_length;
  char *result;

  g_return_val_if_fail (edit != NULL, NULL);
  g_return_val_if_fail (text != NULL || length == 0, NULL);

  if (edit->offset > length || edit->length > length - edit->offset)
    return NULL;

  replacement_length = strlen (edit->replacement);
  result_length = length - edit->length + replacement_length;
  result = g_malloc (result_length + 1);
  if (edit->offset > 0)
    memcpy (result, text, edit->offset);
  memcpy (result + edit->offset, edit->replacement, replacement_length);
  if (length - edit->offset - edit->length > 0)
    memcpy (result + edit->offset + replacement_length,
            text + edit->offset + edit->length,
            length - edit->offset - edit->length);
  result[result_length] = '\0';

  if (new_length != NULL)
    *new_length = result_length;

  return result;
}
