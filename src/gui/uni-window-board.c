/* uni-window-board.c — the project window's board: deploy, start, console, stop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-window-board"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-board-deploy.h"
#include "uni-manifest-page.h"
#include "uni-terminal-page.h"
#include "uni-window-private.h"

/* The bottom panel's tab of the board's console. */
#define CONSOLE_PAGE "board-console"

static void
toast (UniWindow  *self,
       const char *message)
{
  g_autofree char *title = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
deploy_failed (UniWindow    *self,
               const GError *error)
{
  self->deploying = FALSE;
  uni_board_panel_set_activity (self->board_panel, NULL);
  _uni_window_update_board_actions (self);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast (self, error->message);
}

static void
copy_progress_cb (UniWindow          *self,
                  guint               index,
                  guint               n_files,
                  const char         *file_name,
                  UniBoardDeployment *deployment)
{
  g_autofree char *activity = NULL;

  if (file_name == NULL)
    return;

  /* Translators: copying the built unikernel to the board: "www.xen (1 of 2)" */
  activity = g_strdup_printf (_("Copying %s (%u of %u)…"), file_name, index + 1, n_files);
  uni_board_panel_set_activity (self->board_panel, activity);
}

static void
copy_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  UniBoardDeployment *deployment = UNI_BOARD_DEPLOYMENT (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (!uni_board_deployment_copy_finish (deployment, result, &error))
    {
      deploy_failed (self, error);
      return;
    }

  self->deploying = FALSE;
  self->deployment_copied = TRUE;
  g_set_object (&self->deployment, deployment);
  uni_board_panel_set_activity (self->board_panel, NULL);
  uni_board_panel_set_domain_name (self->board_panel,
                                   uni_board_deployment_get_domain_name (deployment));
  _uni_window_update_board_actions (self);

  message = g_strdup_printf (_("Deployed %s to %s"),
                             uni_board_deployment_get_domain_name (deployment),
                             uni_board_profile_get_name (uni_board_deployment_get_profile (deployment)));
  toast (self, message);
}

static void
deployment_new_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(GError) error = NULL;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  deployment = uni_board_deployment_new_finish (result, &error);
  if (deployment == NULL)
    {
      deploy_failed (self, error);
      return;
    }

  g_signal_connect_object (deployment, "progress", G_CALLBACK (copy_progress_cb), self,
                           G_CONNECT_SWAPPED);
  uni_board_deployment_copy_async (deployment, uni_board_panel_get_status (self->board_panel),
                                   self->board_cancellable, copy_cb, g_object_ref (self));
}

static void
new_deployment (UniWindow *self)
{
  UniBoard *board = uni_board_panel_get_board (self->board_panel);

  uni_board_deployment_new_async (board, uni_board_panel_get_profile (self->board_panel),
                                  self->project,
                                  uni_target_lookup (uni_board_get_target_id (board)),
                                  self->toolchain, self->board_cancellable,
                                  deployment_new_cb, g_object_ref (self));
}

/* The first failed step's last words, for a build nobody watches in a tab. */
static char *
describe_build_failure (UniPipeline  *pipeline,
                        const GError *error)
{
  guint n_jobs = g_list_model_get_n_items (G_LIST_MODEL (pipeline));

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(UniJob) job = g_list_model_get_item (G_LIST_MODEL (pipeline), i);

      if (uni_job_get_state (job) == UNI_JOB_FAILED)
        {
          g_autofree char *tail = g_strchomp (uni_job_dup_output_tail (job, 3));

          return g_strdup_printf (_("%s failed: %s"), uni_job_get_title (job), tail);
        }
    }

  return g_strdup (error->message);
}

static void
build_run_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  UniPipeline *pipeline = UNI_PIPELINE (object);
  g_autoptr(GError) error = NULL;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (!uni_pipeline_run_finish (pipeline, result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          deploy_failed (self, error);
          return;
        }
      message = describe_build_failure (pipeline, error);
      g_clear_error (&error);
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_FAILED, message);
      deploy_failed (self, error);
      return;
    }

  uni_board_panel_set_activity (self->board_panel, _("Copying to the board…"));
  new_deployment (self);
}

static void
build_plan_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  UniPipeline *pipeline = UNI_PIPELINE (object);
  g_autoptr(GError) error = NULL;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (!uni_pipeline_plan_finish (pipeline, result, &error))
    {
      deploy_failed (self, error);
      return;
    }

  uni_pipeline_run_async (pipeline, self->board_cancellable, build_run_cb, g_object_ref (self));
}

/* Deploy: the board's target brought up to date (steps already done are
 * skipped), then its kernel and .xl copied to the board. The build runs
 * without tabs, as `unistudio-cli board deploy` runs it; a failing step's
 * last words come back in a toast.
 */
void
_uni_window_deploy_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  UniBoard *board = uni_board_panel_get_board (self->board_panel);
  g_autofree char *reason = NULL;
  g_autofree char *activity = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  const UniTarget *target;

  gtk_toggle_button_set_active (self->board_button, TRUE);
  if (self->deploying)
    return;

  if (uni_board_panel_get_profile (self->board_panel) == NULL)
    {
      uni_board_panel_add_board (self->board_panel);
      return;
    }
  if (board == NULL)
    return;

  /* Both would write the same build folder. */
  if (self->building)
    {
      toast (self, _("A build is under way: deploy when it is done."));
      return;
    }

  target = uni_target_lookup (uni_board_get_target_id (board));
  if (self->toolchain == NULL)
    {
      _uni_window_detect_toolchain (self);
      toast (self, _("Still looking for the Mirage tool: try again in a moment."));
      return;
    }
  if (!uni_toolchain_get_found (self->toolchain))
    {
      toast (self, uni_toolchain_get_problem (self->toolchain));
      return;
    }
  if (target == NULL || !uni_toolchain_supports (self->toolchain, target, &reason))
    {
      toast (self, reason != NULL ? reason : _("No target runs on this board."));
      return;
    }

  self->deploying = TRUE;
  _uni_window_update_board_actions (self);
  /* Cancelled only with the window: a console open meanwhile stays. */
  if (self->board_cancellable == NULL)
    self->board_cancellable = g_cancellable_new ();

  /* Translators: building the unikernel for the board's target, e.g. "Xen (ARM)" */
  activity = g_strdup_printf (_("Building for %s…"), uni_target_get_title (target));
  uni_board_panel_set_activity (self->board_panel, activity);

  pipeline = uni_pipeline_new (self->project, target, self->toolchain);
  uni_pipeline_set_goal (pipeline, UNI_PIPELINE_GOAL_BUILD);
  uni_pipeline_plan_async (pipeline, self->board_cancellable, build_plan_cb,
                           g_object_ref (self));
}

static void
console_notify_url_cb (UniWindow       *self,
                       GParamSpec      *pspec,
                       UniBoardConsole *console)
{
  if (console == self->board_console)
    uni_board_panel_set_url (self->board_panel, uni_board_console_get_url (console));
  uni_board_panel_refresh (self->board_panel);
}

static void
console_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  /* The tab shows how the console ended; the board says what runs. */
  uni_job_run_finish (UNI_JOB (object), result, NULL);
  if (self->board_panel != NULL)
    uni_board_panel_refresh (self->board_panel);
}

static UniTerminalPage *
ensure_console_page (UniWindow *self)
{
  UniTerminalPage *page = _uni_window_find_terminal_page (self, CONSOLE_PAGE);
  AdwTabPage *tab;

  if (page == NULL)
    {
      page = uni_terminal_page_new (NULL);
      g_object_set_data_full (G_OBJECT (page), "uni-job-name", g_strdup (CONSOLE_PAGE), g_free);
      tab = adw_tab_view_append (self->bottom_view, GTK_WIDGET (page));
      adw_tab_page_set_title (tab, _("Board Console"));
      g_object_bind_property (page, "running", tab, "loading", G_BINDING_SYNC_CREATE);
      g_object_bind_property (page, "status", tab, "tooltip", G_BINDING_SYNC_CREATE);
    }

  gtk_stack_set_visible_child_name (self->bottom_stack, "tabs");
  adw_tab_view_set_selected_page (self->bottom_view,
                                  adw_tab_view_get_page (self->bottom_view, GTK_WIDGET (page)));

  return page;
}

static void
run_console (UniWindow       *self,
             UniBoardConsole *console)
{
  UniTerminalPage *page;
  UniJob *job = uni_board_console_get_job (console);

  if (self->board_console != NULL)
    uni_job_stop (uni_board_console_get_job (self->board_console));
  g_set_object (&self->board_console, console);
  uni_board_panel_set_url (self->board_panel, NULL);
  g_signal_connect_object (console, "notify::url", G_CALLBACK (console_notify_url_cb), self,
                           G_CONNECT_SWAPPED);

  page = ensure_console_page (self);
  uni_terminal_page_set_job (page, job);
  uni_job_run_async (job, self->board_cancellable, console_run_cb, g_object_ref (self));
  gtk_widget_grab_focus (GTK_WIDGET (uni_terminal_page_get_terminal (page)));
}

static void
start_console (UniWindow *self)
{
  g_autoptr(UniBoardConsole) console = NULL;
  g_autoptr(GError) error = NULL;

  console = uni_board_console_new_start (self->deployment, &error);
  if (console == NULL)
    {
      toast (self, error->message);
      return;
    }
  run_console (self, console);
}

static void
replace_stop_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (!uni_board_deployment_stop_finish (UNI_BOARD_DEPLOYMENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  start_console (self);
}

static void
replace_response_cb (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          user_data)
{
  g_autoptr(UniWindow) self = user_data;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (g_strcmp0 (response, "replace") == 0 && self->deployment != NULL)
    uni_board_deployment_stop_async (self->deployment, self->board_cancellable,
                                     replace_stop_cb, g_object_ref (self));
}

static void
find_domain_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  UniBoardDeployment *deployment = UNI_BOARD_DEPLOYMENT (object);
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;
  AdwMessageDialog *dialog;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (!uni_board_deployment_find_domain_finish (deployment, result, &exists, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  if (!exists)
    {
      start_console (self);
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Replace the Running Unikernel?"),
                                                       NULL));
  adw_message_dialog_format_body (dialog,
                                  _("A domain called “%s” already runs on the board. Replacing "
                                    "it destroys it and starts the deployed unikernel."),
                                  uni_board_deployment_get_domain_name (deployment));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "replace", _("_Replace"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "replace", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (replace_response_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_uni_window_board_start_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);

  if (self->deployment == NULL)
    return;

  uni_board_deployment_find_domain_async (self->deployment, self->board_cancellable,
                                          find_domain_cb, g_object_ref (self));
}

void
_uni_window_board_console_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  g_autoptr(UniBoardConsole) console = NULL;
  g_autoptr(GError) error = NULL;

  if (self->deployment == NULL)
    return;

  console = uni_board_console_new_attach (self->deployment, &error);
  if (console == NULL)
    {
      toast (self, error->message);
      return;
    }
  run_console (self, console);
}

static void
stop_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  if (!uni_board_deployment_stop_finish (UNI_BOARD_DEPLOYMENT (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  uni_board_panel_set_url (self->board_panel, NULL);
  uni_board_panel_refresh (self->board_panel);
}

void
_uni_window_board_stop_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);

  if (self->deployment == NULL)
    return;

  uni_board_deployment_stop_async (self->deployment, self->board_cancellable, stop_cb,
                                   g_object_ref (self));
}

/* A deployment is for one board: another profile starts over. */
static void
board_panel_notify_profile_cb (UniWindow     *self,
                               GParamSpec    *pspec,
                               UniBoardPanel *panel)
{
  UniBoardProfile *profile = uni_board_panel_get_profile (panel);

  /* The deployment keeps a copy of the profile it was made with. */
  if (self->deployment != NULL
      && (profile == NULL
          || !uni_board_profile_equal (uni_board_deployment_get_profile (self->deployment),
                                       profile)))
    {
      g_clear_object (&self->deployment);
      self->deployment_copied = FALSE;
    }
  _uni_window_update_board_actions (self);
}

static void
look_up_deployment_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(UniBoardDeployment) deployment = NULL;

  /* Not built for this board: nothing to attach to, and nothing to say. */
  deployment = uni_board_deployment_new_finish (result, NULL);

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->board_panel == NULL)
    return;

  self->looking_up_deployment = FALSE;
  if (deployment == NULL || self->deployment != NULL || self->deploying
      || self->deployment_looked_up != uni_board_panel_get_profile (self->board_panel))
    return;

  self->deployment = g_steal_pointer (&deployment);
  self->deployment_copied = FALSE;
  uni_board_panel_set_domain_name (self->board_panel,
                                   uni_board_deployment_get_domain_name (self->deployment));
  _uni_window_update_board_actions (self);
}

/* A unikernel deployed earlier (another session, the command line) may run on
 * the board: with the project's built files known, Console and Stop reach its
 * domain. Start waits for a Deploy from this window, which puts the files
 * there for sure.
 */
static void
board_panel_notify_status_cb (UniWindow     *self,
                              GParamSpec    *pspec,
                              UniBoardPanel *panel)
{
  UniBoardProfile *profile = uni_board_panel_get_profile (panel);
  UniBoard *board = uni_board_panel_get_board (panel);
  const UniTarget *target;

  if (profile == NULL || board == NULL || self->deployment != NULL || self->deploying
      || self->looking_up_deployment || profile == self->deployment_looked_up
      || self->toolchain == NULL || !uni_toolchain_get_found (self->toolchain)
      || !uni_project_get_loaded (self->project))
    return;

  target = uni_target_lookup (uni_board_get_target_id (board));
  if (target == NULL)
    return;

  if (self->board_cancellable == NULL)
    self->board_cancellable = g_cancellable_new ();
  g_set_object (&self->deployment_looked_up, profile);
  self->looking_up_deployment = TRUE;
  uni_board_deployment_new_async (board, profile, self->project, target, self->toolchain,
                                  self->board_cancellable, look_up_deployment_cb,
                                  g_object_ref (self));
}

void
_uni_window_update_board_actions (UniWindow *self)
{
  gboolean has_board = uni_board_panel_get_board (self->board_panel) != NULL;
  gboolean deployed = self->deployment != NULL && !self->deploying;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.deploy",
                                 !self->deploying
                                 && (has_board || uni_board_panel_get_profile (self->board_panel) == NULL));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.board-start",
                                 deployed && self->deployment_copied);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.board-console", deployed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.board-stop", deployed);
}

/* Until a deployment reads the .xl, the domain is taken to be named after
 * the unikernel, as mirage names it: a board already running it shows so.
 */
static void
manifest_page_notify_manifest_cb (UniWindow       *self,
                                  GParamSpec      *pspec,
                                  UniManifestPage *manifest_page)
{
  UniManifest *manifest = uni_manifest_page_get_manifest (manifest_page);
  const char *name = manifest != NULL ? uni_manifest_get_name (manifest, NULL) : NULL;

  if (self->deployment == NULL && name != NULL)
    uni_board_panel_set_domain_name (self->board_panel, name);
}

void
_uni_window_watch_manifest (UniWindow       *self,
                            UniManifestPage *manifest_page)
{
  g_signal_connect_object (manifest_page, "notify::manifest",
                           G_CALLBACK (manifest_page_notify_manifest_cb), self,
                           G_CONNECT_SWAPPED);
  manifest_page_notify_manifest_cb (self, NULL, manifest_page);
}

void
_uni_window_init_board (UniWindow *self)
{
  g_signal_connect_object (self->board_panel, "notify::profile",
                           G_CALLBACK (board_panel_notify_profile_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->board_panel, "notify::status",
                           G_CALLBACK (board_panel_notify_status_cb), self, G_CONNECT_SWAPPED);
  _uni_window_update_board_actions (self);
}

void
_uni_window_dispose_board (UniWindow *self)
{
  g_cancellable_cancel (self->board_cancellable);
  g_clear_object (&self->board_cancellable);
  if (self->board_console != NULL)
    uni_job_stop (uni_board_console_get_job (self->board_console));
  g_clear_object (&self->board_console);
  g_clear_object (&self->deployment);
  g_clear_object (&self->deployment_looked_up);
}
