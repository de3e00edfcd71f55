/* uni-window-private.h — what the window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "uni-board-deploy.h"
#include "uni-board-panel.h"
#include "uni-pipeline.h"
#include "uni-toolchain.h"
#include "uni-window.h"

G_BEGIN_DECLS

struct _UniWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *main_stack;
  UniFileTree          *file_tree;
  GtkStack             *editor_stack;
  AdwTabView           *tab_view;
  GtkStack             *bottom_stack;
  AdwTabView           *bottom_view;
  AdwStatusPage        *error_page;
  GtkDropDown          *target_dropdown;
  GtkStack             *build_icon_stack;
  GtkSpinner           *build_spinner;
  GtkButton            *run_button;
  GtkStack             *run_icon_stack;
  GtkSpinner           *run_spinner;
  GtkButton            *run_indicator;
  GtkStack             *run_indicator_stack;
  GtkSpinner           *run_indicator_spinner;
  GtkLabel             *run_indicator_label;
  GtkInfoBar           *toolchain_bar;
  GtkLabel             *toolchain_label;
  GtkInfoBar           *run_banner;
  GtkLabel             *run_banner_title;
  GtkLabel             *run_banner_output;
  GtkToggleButton      *board_button;
  UniBoardPanel        *board_panel;

  /* Owned */
  UniProject           *project;
  GSettings            *settings;
  GCancellable         *cancellable;
  GFile                *pending_manifest;
  guint                 pending_manifest_idle;
  GtkStringList        *target_ids;
  UniToolchain         *toolchain;
  char                 *toolchain_env_id;
  GCancellable         *toolchain_cancellable;
  GCancellable         *plan_cancellable;
  UniPipeline          *pipeline;
  UniProblemsPanel     *problems_panel;
  GPtrArray            *setup_jobs;
  UniJob               *setup_job;
  GCancellable         *setup_cancellable;
  guint                 mark_editors_id;
  /* The unikernel this window started, from its start until its process
   * ended, whatever builds come after; its address once it answered.
   */
  UniJob               *run_job;
  char                 *run_url;
  /* The board: the last deployment (for the panel's profile), its console. */
  UniBoardDeployment   *deployment;
  UniBoardConsole      *board_console;
  GCancellable         *board_cancellable;
  /* The profile the built files were last looked up for, without deploying. */
  UniBoardProfile      *deployment_looked_up;

  /* Borrowed */
  GdkFrameClock        *frame_clock;
  gulong                after_paint_handler;
  AdwTabPage           *discarding_tab;
  AdwToast             *url_toast;

  /* What the build in flight, or the one waiting for the toolchain, is for */
  UniPipelineGoal       goal;

  /* Flags */
  guint                 close_confirmed : 1;
  guint                 saving_all : 1;
  guint                 first_frame_drawn : 1;
  guint                 editor_settled : 1;
  guint                 building : 1;
  guint                 build_queued : 1;
  guint                 close_after_build : 1;
  guint                 updating_targets : 1;
  guint                 run_stopping : 1;
  /* The planned pipeline waits for the old unikernel to end (Run while one runs). */
  guint                 run_restart : 1;
  guint                 run_silent : 1;
  guint                 deploying : 1;
  /* The deployment's files went to the board from this window: Start can use them. */
  guint                 deployment_copied : 1;
  guint                 looking_up_deployment : 1;
};

/* uni-window-build.c */
void             _uni_window_start_pipeline        (UniWindow       *self,
                                                    UniPipelineGoal  goal);
void             _uni_window_update_build_actions  (UniWindow  *self);
void             _uni_window_update_targets        (UniWindow  *self);
void             _uni_window_detect_toolchain      (UniWindow  *self);
void             _uni_window_stop_pipeline         (UniWindow  *self);
void             _uni_window_run_pipeline          (UniWindow  *self);
void             _uni_window_schedule_mark_editors (UniWindow  *self);
UniTerminalPage *_uni_window_find_terminal_page    (UniWindow  *self,
                                                    const char *name);

void     _uni_window_target_row_setup_cb (GtkSignalListItemFactory *factory,
                                          GtkListItem              *item,
                                          gpointer                  user_data);
void     _uni_window_target_row_bind_cb  (GtkSignalListItemFactory *factory,
                                          GtkListItem              *item,
                                          UniWindow                *self);

void     _uni_window_target_dropdown_notify_selected_cb (UniWindow   *self,
                                                         GParamSpec  *pspec,
                                                         GtkDropDown *dropdown);
gboolean _uni_window_bottom_view_close_page_cb          (UniWindow   *self,
                                                         AdwTabPage  *tab,
                                                         AdwTabView  *view);

void     _uni_window_build_action      (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter);
void     _uni_window_stop_action       (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter);
void     _uni_window_show_setup_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter);

/* uni-window-run.c */
gboolean _uni_window_get_unikernel_running (UniWindow    *self);
void     _uni_window_update_run_indicator  (UniWindow    *self);
void     _uni_window_run_planned           (UniWindow    *self,
                                            UniPipeline  *pipeline);
void     _uni_window_run_finished          (UniWindow    *self,
                                            UniPipeline  *pipeline,
                                            const GError *error);
void     _uni_window_stop_unikernel        (UniWindow    *self);
void     _uni_window_replace_unikernel     (UniWindow    *self);

void     _uni_window_run_banner_response_cb (UniWindow  *self,
                                             int         response,
                                             GtkInfoBar *banner);

void     _uni_window_run_action            (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void     _uni_window_open_url_action       (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void     _uni_window_copy_url_action       (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void     _uni_window_show_run_output_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter);

/* uni-window-board.c */
void     _uni_window_init_board            (UniWindow  *self);
void     _uni_window_dispose_board         (UniWindow  *self);
void     _uni_window_update_board_actions  (UniWindow  *self);
void     _uni_window_watch_manifest        (UniWindow       *self,
                                            UniManifestPage *manifest_page);
void     _uni_window_deploy_action         (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void     _uni_window_board_start_action    (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void     _uni_window_board_console_action  (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);
void     _uni_window_board_stop_action     (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *parameter);

G_END_DECLS
