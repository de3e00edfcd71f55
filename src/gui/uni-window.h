/* uni-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "uni-project.h"
#include "uni-editor-page.h"
#include "uni-file-tree.h"
#include "uni-manifest-page.h"

G_BEGIN_DECLS

#define UNI_TYPE_WINDOW (uni_window_get_type ())

G_DECLARE_FINAL_TYPE (UniWindow, uni_window, UNI, WINDOW, AdwApplicationWindow)

UniWindow     *uni_window_new               (GtkApplication *application,
                                             UniProject     *project);
UniProject    *uni_window_get_project       (UniWindow      *self);
UniFileTree   *uni_window_get_file_tree     (UniWindow      *self);
AdwTabView    *uni_window_get_editor_view   (UniWindow      *self);
UniEditorPage *uni_window_open_file         (UniWindow      *self,
                                             GFile          *file);
UniEditorPage *uni_window_find_editor       (UniWindow      *self,
                                             GFile          *file);
GtkStack      *uni_window_get_bottom_panel  (UniWindow      *self);
UniManifestPage *uni_window_get_manifest_page (UniWindow    *self);

G_END_DECLS
