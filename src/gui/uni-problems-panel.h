/* uni-problems-panel.h — the errors and warnings of the last build
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "uni-diagnostic.h"
#include "uni-editor-page.h"

G_BEGIN_DECLS

#define UNI_TYPE_PROBLEMS_PANEL (uni_problems_panel_get_type ())

G_DECLARE_FINAL_TYPE (UniProblemsPanel, uni_problems_panel, UNI, PROBLEMS_PANEL, GtkWidget)

UniProblemsPanel *uni_problems_panel_new          (void);
void              uni_problems_panel_add_model    (UniProblemsPanel *self,
                                                   GListModel       *diagnostics);
void              uni_problems_panel_clear        (UniProblemsPanel *self);
GListModel       *uni_problems_panel_get_model    (UniProblemsPanel *self);
guint             uni_problems_panel_get_n_items  (UniProblemsPanel *self);
GtkListView      *uni_problems_panel_get_list_view (UniProblemsPanel *self);
void              uni_problems_panel_mark_editor  (UniProblemsPanel *self,
                                                   UniEditorPage    *page,
                                                   GFile            *project_dir);

G_END_DECLS
