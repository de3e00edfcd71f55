/* uni-project-settings.h — the project's own settings keyfile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Relative to the project folder; committed with the project, human-editable. */
#define UNI_PROJECT_SETTINGS_PATH ".unistudio/project.ini"

#define UNI_TYPE_PROJECT_SETTINGS (uni_project_settings_get_type ())

G_DECLARE_FINAL_TYPE (UniProjectSettings, uni_project_settings, UNI, PROJECT_SETTINGS, GObject)

UniProjectSettings  *uni_project_settings_new               (GFile               *project_dir);
GFile               *uni_project_settings_get_file          (UniProjectSettings  *self);

gboolean             uni_project_settings_load              (UniProjectSettings  *self,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
void                 uni_project_settings_load_async        (UniProjectSettings  *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             uni_project_settings_load_finish       (UniProjectSettings  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);
gboolean             uni_project_settings_save              (UniProjectSettings  *self,
                                                             GCancellable        *cancellable,
                                                             GError             **error);
void                 uni_project_settings_save_async        (UniProjectSettings  *self,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean             uni_project_settings_save_finish       (UniProjectSettings  *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

const GError        *uni_project_settings_get_load_error    (UniProjectSettings  *self);
const char          *uni_project_settings_get_target        (UniProjectSettings  *self);
gboolean             uni_project_settings_set_target        (UniProjectSettings  *self,
                                                             const char          *target_id);
char                *uni_project_settings_dup_board         (UniProjectSettings  *self);
gboolean             uni_project_settings_set_board         (UniProjectSettings  *self,
                                                             const char          *name);
char               **uni_project_settings_dup_target_flags  (UniProjectSettings  *self,
                                                             const char          *target_id);
char                *uni_project_settings_dup_target_value  (UniProjectSettings  *self,
                                                             const char          *target_id,
                                                             const char          *flag);
gboolean             uni_project_settings_value_is_true     (const char          *value);
gboolean             uni_project_settings_set_target_value  (UniProjectSettings  *self,
                                                             const char          *target_id,
                                                             const char          *flag,
                                                             const char          *value);

G_END_DECLS
