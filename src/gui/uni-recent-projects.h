/* uni-recent-projects.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The application name Unistudio registers its folders under in GtkRecentManager. */
#define UNI_RECENT_APPLICATION_NAME "Unistudio"
#define UNI_RECENT_MIME_TYPE        "inode/directory"

#define UNI_TYPE_RECENT_PROJECT (uni_recent_project_get_type ())

G_DECLARE_FINAL_TYPE (UniRecentProject, uni_recent_project, UNI, RECENT_PROJECT, GObject)

const char *uni_recent_project_get_name     (UniRecentProject *self);
const char *uni_recent_project_get_path     (UniRecentProject *self);
const char *uni_recent_project_get_uri      (UniRecentProject *self);
gboolean    uni_recent_project_get_exists   (UniRecentProject *self);
GDateTime  *uni_recent_project_get_modified (UniRecentProject *self);
GFile      *uni_recent_project_dup_file     (UniRecentProject *self);

#define UNI_TYPE_RECENT_PROJECTS (uni_recent_projects_get_type ())

G_DECLARE_FINAL_TYPE (UniRecentProjects, uni_recent_projects, UNI, RECENT_PROJECTS, GObject)

UniRecentProjects *uni_recent_projects_new         (GtkRecentManager  *manager);
GtkRecentManager  *uni_recent_projects_get_manager (UniRecentProjects *self);
void               uni_recent_projects_recheck     (UniRecentProjects *self);
gboolean           uni_recent_projects_remove      (UniRecentProjects *self,
                                                    UniRecentProject  *project,
                                                    GError           **error);

G_END_DECLS
