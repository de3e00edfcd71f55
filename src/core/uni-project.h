/* uni-project.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-project-settings.h"
#include "uni-repository.h"

G_BEGIN_DECLS

#define UNI_PROJECT_ERROR (uni_project_error_quark ())

typedef enum
{
  UNI_PROJECT_ERROR_NOT_FOUND,
  UNI_PROJECT_ERROR_NOT_A_DIRECTORY,
} UniProjectError;

#define UNI_TYPE_PROJECT (uni_project_get_type ())

G_DECLARE_FINAL_TYPE (UniProject, uni_project, UNI, PROJECT, GObject)

GQuark              uni_project_error_quark        (void);

UniProject         *uni_project_new                (GFile                *directory);
GFile              *uni_project_get_directory      (UniProject           *self);
const char         *uni_project_get_name           (UniProject           *self);
UniRepository      *uni_project_get_repository     (UniProject           *self);
const char         *uni_project_get_branch         (UniProject           *self);
gboolean            uni_project_get_loaded         (UniProject           *self);
const GError       *uni_project_get_git_error      (UniProject           *self);
UniProjectSettings *uni_project_get_settings       (UniProject           *self);
const GError       *uni_project_get_settings_error (UniProject           *self);
void                uni_project_queue_refresh      (UniProject           *self);

void                uni_project_load_async         (UniProject           *self,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
gboolean            uni_project_load_finish        (UniProject           *self,
                                                    GAsyncResult         *result,
                                                    GError              **error);

G_END_DECLS
