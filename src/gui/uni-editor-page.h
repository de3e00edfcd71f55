/* uni-editor-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define UNI_TYPE_EDITOR_PAGE (uni_editor_page_get_type ())

G_DECLARE_FINAL_TYPE (UniEditorPage, uni_editor_page, UNI, EDITOR_PAGE, GtkWidget)

UniEditorPage   *uni_editor_page_new                 (GFile               *file);
GFile           *uni_editor_page_get_file            (UniEditorPage       *self);
const char      *uni_editor_page_get_title           (UniEditorPage       *self);
gboolean         uni_editor_page_get_modified        (UniEditorPage       *self);
gboolean         uni_editor_page_get_loaded          (UniEditorPage       *self);
gboolean         uni_editor_page_get_changed_on_disk (UniEditorPage       *self);
gboolean         uni_editor_page_get_deleted_on_disk (UniEditorPage       *self);
GtkSourceBuffer *uni_editor_page_get_buffer          (UniEditorPage       *self);
GtkSourceView   *uni_editor_page_get_view            (UniEditorPage       *self);
void             uni_editor_page_save_async          (UniEditorPage       *self,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean         uni_editor_page_save_finish         (UniEditorPage       *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);
void             uni_editor_page_reload              (UniEditorPage       *self);
gboolean         uni_editor_page_get_loading         (UniEditorPage       *self);
gboolean         uni_editor_page_get_read_only       (UniEditorPage       *self);
const char      *uni_editor_page_get_message_title   (UniEditorPage       *self);

G_END_DECLS
