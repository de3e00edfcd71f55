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
#include "uni-pipeline.h"
#include "uni-problems-panel.h"
#include "uni-terminal-page.h"

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
AdwTabView    *uni_window_get_bottom_panel  (UniWindow      *self);
UniManifestPage *uni_window_get_manifest_page (UniWindow    *self);
UniTerminalPage *uni_window_get_terminal_page (UniWindow    *self,
                                               const char   *name);
UniProblemsPanel *uni_window_get_problems_panel (UniWindow  *self);
UniPipeline   *uni_window_get_pipeline      (UniWindow      *self);
gboolean       uni_window_get_building      (UniWindow      *self);

G_END_DECLS
