/* uni-board-panel.h — the board a project deploys to: its picture, state, domains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "uni-board.h"
#include "uni-board-profiles.h"
#include "uni-board-status.h"
#include "uni-project.h"

G_BEGIN_DECLS

/* How often the panel asks the board again while it is shown. */
#define UNI_BOARD_PANEL_POLL_SECONDS 5

#define UNI_TYPE_BOARD_PANEL (uni_board_panel_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardPanel, uni_board_panel, UNI, BOARD_PANEL, GtkWidget)

GtkWidget        *uni_board_panel_new          (void);
UniProject       *uni_board_panel_get_project  (UniBoardPanel *self);
void              uni_board_panel_set_project  (UniBoardPanel *self,
                                                UniProject    *project);
UniBoardProfiles *uni_board_panel_get_profiles (UniBoardPanel *self);
UniBoardProfile  *uni_board_panel_get_profile  (UniBoardPanel *self);
UniBoardStatus   *uni_board_panel_get_status   (UniBoardPanel *self);
void              uni_board_panel_add_board    (UniBoardPanel *self);
UniBoard         *uni_board_panel_get_board    (UniBoardPanel *self);
void              uni_board_panel_refresh      (UniBoardPanel *self);
void              uni_board_panel_set_domain_name (UniBoardPanel *self,
                                                   const char    *name);
void              uni_board_panel_set_activity (UniBoardPanel *self,
                                                const char    *activity);
const char       *uni_board_panel_get_url      (UniBoardPanel *self);
void              uni_board_panel_set_url      (UniBoardPanel *self,
                                                const char    *url);

G_END_DECLS
