/* uni-file-tree.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "uni-project.h"

G_BEGIN_DECLS

#define UNI_TYPE_FILE_TREE (uni_file_tree_get_type ())

G_DECLARE_FINAL_TYPE (UniFileTree, uni_file_tree, UNI, FILE_TREE, GtkWidget)

UniFileTree *uni_file_tree_new          (void);
UniProject  *uni_file_tree_get_project  (UniFileTree *self);
void         uni_file_tree_set_project  (UniFileTree *self,
                                         UniProject  *project);
GListModel  *uni_file_tree_get_model    (UniFileTree *self);
gboolean     uni_file_tree_get_show_hidden (UniFileTree *self);
void         uni_file_tree_set_show_hidden (UniFileTree *self,
                                            gboolean     show_hidden);
const char  *uni_file_tree_status_css_class (UniGitFileStatus status);

G_END_DECLS
