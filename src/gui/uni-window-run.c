/* uni-window-run.c — the window: Run, the unikernel it started, and its page in the browser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-window-run"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-build-environment.h"
#include "uni-pipeline.h"
#include "uni-port.h"
#include "uni-terminal-page.h"
#include "uni-window-private.h"

/* How much of its output a unikernel that died before answering leaves on the banner. */
#define EXIT_OUTPUT_LINES 6

/* The page's address stays on screen long enough to copy it. */
#define URL_TOAST_SECONDS 10

typedef struct
{
  UniWindow *self;
  char      *url;
  gboolean   announce;
} OpenUrl;

static void
open_url_free (OpenUrl *state)
{
  g_clear_object (&state->self);
  g_free (state->url);
  g_free (state);
}

gboolean
_uni_window_get_unikernel_running (UniWindow *self)
{
  return self->run_job != NULL && uni_job_get_state (self->run_job) == UNI_JOB_RUNNING;
}

static void
add_toast (UniWindow  *self,
           const char *text)
{
  g_autofree char *title = g_markup_escape_text (text, -1);

  if (self->toast_overlay != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* "localhost:8080": what the user would type. */
static char *
dup_address (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return g_strdup (url);
  if (g_uri_get_port (uri) < 0)
    return g_strdup (g_uri_get_host (uri));

  return g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
}

void
_uni_window_update_run_indicator (UniWindow *self)
{
  GtkActionable *actionable = GTK_ACTIONABLE (self->run_indicator);
  gboolean running = _uni_window_get_unikernel_running (self);
  g_autofree char *address = NULL;
  g_autofree char *accessible = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->run_indicator), running);
  gtk_spinner_set_spinning (self->run_indicator_spinner,
                            running && self->run_url == NULL && !self->run_silent);
  if (!running)
    return;

  if (self->run_url == NULL)
    {
      /* Nothing to open (yet): the click shows what the unikernel is saying. */
      if (self->run_silent)
        {
          gtk_stack_set_visible_child_name (self->run_indicator_stack, "silent");
          gtk_label_set_label (self->run_indicator_label, _("Not Answering"));
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_indicator),
                                       _("The unikernel runs, but does not answer on its port"));
          accessible = g_strdup (_("The unikernel does not answer; show its output"));
        }
      else
        {
          gtk_stack_set_visible_child_name (self->run_indicator_stack, "starting");
          gtk_label_set_label (self->run_indicator_label, _("Starting…"));
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_indicator),
                                       _("Waiting for the unikernel to answer"));
          accessible = g_strdup (_("The unikernel is starting; show its output"));
        }
      gtk_widget_add_css_class (GTK_WIDGET (self->run_indicator), "starting");
      /* The action before its target goes, or GTK sees the wrong parameter in between. */
      gtk_actionable_set_action_name (actionable, NULL);
      gtk_actionable_set_action_target_value (actionable, NULL);
      gtk_actionable_set_action_name (actionable, "win.show-run-output");
    }
  else
    {
      address = dup_address (self->run_url);
      gtk_stack_set_visible_child_name (self->run_indicator_stack, "running");
      gtk_label_set_label (self->run_indicator_label, address);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_indicator), self->run_url);
      gtk_widget_remove_css_class (GTK_WIDGET (self->run_indicator), "starting");
      gtk_actionable_set_action_name (actionable, NULL);
      gtk_actionable_set_action_target_value (actionable, g_variant_new_string (self->run_url));
      gtk_actionable_set_action_name (actionable, "win.open-url");
      /* Translators: read out for the header's running indicator; %s is "localhost:8080" */
      accessible = g_strdup_printf (_("The unikernel is running at %s; open its page"), address);
    }

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->run_indicator),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

/* The toast after a page was opened, or could not be: its address, to copy or open again. */
static void
add_url_toast (UniWindow  *self,
               const char *url,
               gboolean    opened)
{
  g_autofree char *text = NULL;
  GtkWidget *box;
  GtkWidget *label;
  GtkWidget *copy;
  AdwToast *toast;

  if (opened)
    text = g_strdup (url);
  else
    /* Translators: %s is the unikernel's address, "http://localhost:8080/" */
    text = g_strdup_printf (_("No browser could open %s"), url);

  label = gtk_label_new (text);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "run-toast-url");

  copy = gtk_button_new_with_mnemonic (_("_Copy"));
  gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (copy), "win.copy-url");
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (copy), g_variant_new_string (url));
  gtk_widget_set_tooltip_text (copy, _("Copy the Address"));
  gtk_widget_add_css_class (copy, "flat");

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), copy);

  /* The custom title stands in for the title. */
  toast = adw_toast_new ("");
  adw_toast_set_custom_title (toast, box);
  adw_toast_set_button_label (toast, _("Open _Again"));
  adw_toast_set_action_name (toast, "win.open-url");
  adw_toast_set_action_target_value (toast, g_variant_new_string (url));
  adw_toast_set_timeout (toast, URL_TOAST_SECONDS);

  /* Copy answers with a toast of its own, in place of this one. */
  if (self->url_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->url_toast), (gpointer *) &self->url_toast);
  self->url_toast = toast;
  g_object_add_weak_pointer (G_OBJECT (toast), (gpointer *) &self->url_toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  OpenUrl *state = user_data;
  g_autoptr(GError) error = NULL;
  gboolean opened;

  opened = gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error);

  if (!opened)
    g_debug ("Could not open %s: %s", state->url, error->message);

  /* The window went away meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      state->self->toast_overlay == NULL)
    {
      open_url_free (state);
      return;
    }

  if (!opened || state->announce)
    add_url_toast (state->self, state->url, opened);

  open_url_free (state);
}

/* With the desktop's browser. @announce: show the address even when it opened. */
static void
open_url (UniWindow  *self,
          const char *url,
          gboolean    announce)
{
  OpenUrl *state = g_new0 (OpenUrl, 1);

  state->self = g_object_ref (self);
  state->url = g_strdup (url);
  state->announce = announce;
  gtk_show_uri_full (GTK_WINDOW (self), url, GDK_CURRENT_TIME, self->cancellable,
                     show_uri_cb, state);
}

static void run_job_notify_state_cb (UniWindow  *self,
                                     GParamSpec *pspec,
                                     UniJob     *job);

static void
forget_run_job (UniWindow *self)
{
  if (self->run_job != NULL)
    g_signal_handlers_disconnect_by_func (self->run_job, run_job_notify_state_cb, self);
  g_clear_object (&self->run_job);
  g_clear_pointer (&self->run_url, g_free);
  self->run_stopping = FALSE;
  self->run_restart = FALSE;
  self->run_silent = FALSE;
}

static void
run_job_notify_state_cb (UniWindow  *self,
                         GParamSpec *pspec,
                         UniJob     *job)
{
  UniJobState state = uni_job_get_state (job);
  gboolean answered = self->run_url != NULL;
  gboolean stopped_by_user = self->run_stopping;
  gboolean restart = self->run_restart;

  if (state == UNI_JOB_PENDING || state == UNI_JOB_RUNNING)
    {
      const UniLaunch *launch = self->pipeline != NULL
                                ? uni_pipeline_get_launch (self->pipeline) : NULL;

      _uni_window_update_build_actions (self);

      /* Under sudo: the password goes into the Run tab's terminal. */
      if (state == UNI_JOB_RUNNING && launch != NULL && uni_launch_needs_sudo (launch))
        gtk_widget_activate_action (GTK_WIDGET (self), "win.show-run-output", NULL);
      return;
    }

  forget_run_job (self);
  _uni_window_update_build_actions (self);

  if (answered && !stopped_by_user)
    {
      g_autofree char *text = NULL;

      /* Translators: %d is the exit status of the unikernel's process */
      text = g_strdup_printf (_("The unikernel stopped (exit status %d)"),
                              uni_job_get_exit_status (job));
      add_toast (self, text);
    }

  /* Its process is gone and its port free: the new one, planned already, can have it. */
  if (restart && self->building && self->pipeline != NULL)
    _uni_window_run_pipeline (self);
}

/* While a unikernel runs the application stays, even with no window left:
 * quitting or closing stops it, and the process should be gone, after
 * SIGTERM and maybe SIGKILL, before the program exits. But not forever: a
 * unikernel started under sudo runs as root, which this user may not
 * signal, so its job might never end. The hold goes at the latest
 * RELEASE_AFTER_STOP_SECONDS after the stop was asked for (longer than
 * UniJob's grace before SIGKILL, so a process of ours is gone by then);
 * the program exits, the Run tab's PTY master closes with it, the kernel
 * hangs up the unikernel's terminal, and sudo passes the SIGHUP on.
 */
#define RELEASE_AFTER_STOP_SECONDS 5

typedef struct
{
  GApplication *application;
  guint         release_id;
  gboolean      held;
} RunHold;

static void
run_hold_release (RunHold *hold)
{
  g_clear_handle_id (&hold->release_id, g_source_remove);
  if (!hold->held)
    return;

  hold->held = FALSE;
  g_application_release (hold->application);
}

static void
run_hold_free (gpointer data)
{
  RunHold *hold = data;

  run_hold_release (hold);
  g_object_unref (hold->application);
  g_free (hold);
}

static gboolean
run_hold_release_cb (gpointer data)
{
  RunHold *hold = data;

  hold->release_id = 0;
  g_debug ("The unikernel did not end after it was stopped: the application lets go");
  run_hold_release (hold);

  return G_SOURCE_REMOVE;
}

static void
run_job_hold_application_cb (UniJob     *job,
                             GParamSpec *pspec,
                             RunHold    *hold)
{
  gboolean running = uni_job_get_state (job) == UNI_JOB_RUNNING;

  if (!running)
    run_hold_release (hold);
  else if (!hold->held)
    {
      hold->held = TRUE;
      g_application_hold (hold->application);
    }
}

/* A stop was asked for: the application waits for the job a bounded time. */
static void
run_hold_bound (UniJob *job)
{
  RunHold *hold = g_object_get_data (G_OBJECT (job), "uni-run-hold");

  if (hold != NULL && hold->held && hold->release_id == 0)
    hold->release_id = g_timeout_add_seconds (RELEASE_AFTER_STOP_SECONDS,
                                              run_hold_release_cb, hold);
}

void
_uni_window_run_planned (UniWindow   *self,
                         UniPipeline *pipeline)
{
  UniJob *job = uni_pipeline_get_job (pipeline, "run");
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  const UniLaunch *launch;

  forget_run_job (self);
  gtk_info_bar_set_revealed (self->run_banner, FALSE);

  /* A plan of the run goal ends with its run step; without one there is nothing to follow. */
  if (job == NULL)
    return;

  self->run_job = g_object_ref (job);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (run_job_notify_state_cb), self,
                           G_CONNECT_SWAPPED);
  if (application != NULL)
    {
      RunHold *hold = g_new0 (RunHold, 1);

      /* The job owns it: its handler goes before its data when the job is finalized. */
      hold->application = g_object_ref (G_APPLICATION (application));
      g_object_set_data_full (G_OBJECT (job), "uni-run-hold", hold, run_hold_free);
      g_signal_connect (job, "notify::state", G_CALLBACK (run_job_hold_application_cb), hold);
    }

  launch = uni_pipeline_get_launch (pipeline);
  if (launch != NULL && launch->dropped != NULL && launch->dropped[0] != NULL)
    {
      g_autofree char *dropped = g_strjoinv ("; ", launch->dropped);
      g_autofree char *text = NULL;

      /* Translators: %s is a setting and why, e.g. "boot.foo (not a runtime argument …)" */
      text = g_strdup_printf (_("Not passed to the unikernel: %s"), dropped);
      add_toast (self, text);
    }
}

static void
show_exit_banner (UniWindow    *self,
                  UniPipeline  *pipeline,
                  const GError *error)
{
  UniJob *job = uni_pipeline_get_job (pipeline, "run");
  g_autofree char *tail = NULL;

  if (job != NULL)
    tail = g_strchomp (uni_job_dup_output_tail (job, EXIT_OUTPUT_LINES));

  /* The pipeline's words: the exit status, and where it was waited for. */
  gtk_label_set_label (self->run_banner_title, error->message);
  gtk_label_set_label (self->run_banner_output, tail != NULL ? tail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->run_banner_output), tail != NULL && *tail != '\0');
  gtk_info_bar_set_revealed (self->run_banner, TRUE);
}

void
_uni_window_run_banner_response_cb (UniWindow  *self,
                                    int         response,
                                    GtkInfoBar *banner)
{
  if (response == GTK_RESPONSE_CLOSE)
    gtk_info_bar_set_revealed (banner, FALSE);
}

static void
stop_owner_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_port_stop_owner_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        add_toast (self, error->message);
      return;
    }

  if (self->project != NULL)
    _uni_window_start_pipeline (self, UNI_PIPELINE_GOAL_RUN);
}

static void
port_in_use_response_cb (AdwMessageDialog *dialog,
                         const char       *response,
                         UniWindow        *self)
{
  const UniPortOwner *owner = g_object_get_data (G_OBJECT (dialog), "uni-port-owner");

  if (!g_str_equal (response, "stop") || owner == NULL)
    return;

  uni_port_stop_owner_async (owner, self->cancellable, stop_owner_cb, g_object_ref (self));
}

/* One whole sentence per case, for translators: who holds the port, and
 * what the user can do about it.
 */
static char *
dup_port_in_use_body (const UniPortOwner *owner,
                      guint               port)
{
  if (owner != NULL && uni_port_owner_is_ours (owner))
    {
      g_autofree char *folder = g_filename_display_name (owner->project_dir);

      /* Translators: %s is a project folder, "/home/ada/www"; %d a process id; %u a TCP port */
      return g_strdup_printf (_("The unikernel Unistudio started for %s (PID %d) is listening "
                                "on port %u. Stop it to run this one."),
                              folder, (int) owner->pid, port);
    }

  if (owner != NULL && owner->pid > 0 && owner->name != NULL)
    /* Translators: %s is a program's command name, "python3"; %d its process id; %u a TCP
     * port. "Per-Target Values" is a group of the Manifest page
     */
    return g_strdup_printf (_("The program %s (PID %d) is listening on port %u. Stop it, or "
                              "give this unikernel another port: set it for the Unix target "
                              "under Per-Target Values in the Manifest."),
                            owner->name, (int) owner->pid, port);

  if (owner != NULL && owner->pid > 0)
    /* Translators: %d is a process id; %u a TCP port. "Per-Target Values" is a group of
     * the Manifest page
     */
    return g_strdup_printf (_("A program (PID %d) is listening on port %u. Stop it, or give "
                              "this unikernel another port: set it for the Unix target under "
                              "Per-Target Values in the Manifest."),
                            (int) owner->pid, port);

  /* Translators: %u is a TCP port. The program is one this user cannot see, e.g. another
   * user's. "Per-Target Values" is a group of the Manifest page
   */
  return g_strdup_printf (_("Another program is listening on port %u. Stop it, or give this "
                            "unikernel another port: set it for the Unix target under "
                            "Per-Target Values in the Manifest."),
                          port);
}

/* Another of our unikernels may go to make room; anything else the user has to deal with. */
static void
ask_port_in_use (UniWindow    *self,
                 UniPipeline  *pipeline,
                 const GError *error)
{
  const UniPortOwner *owner = uni_pipeline_get_port_owner (pipeline);
  const UniLaunch *launch = uni_pipeline_get_launch (pipeline);
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  guint port;

  if (owner == NULL && launch == NULL)
    {
      add_toast (self, error->message);
      return;
    }

  port = owner != NULL ? owner->port : launch->port;
  /* Translators: %u is a TCP port */
  heading = g_strdup_printf (_("Port %u Is in Use"), port);
  body = dup_port_in_use_body (owner, port);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));

  if (owner != NULL && uni_port_owner_is_ours (owner))
    {
      adw_message_dialog_add_responses (dialog,
                                        "cancel", _("_Cancel"),
                                        "stop", _("_Stop It and Run"),
                                        NULL);
      adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "stop");
      adw_message_dialog_set_close_response (dialog, "cancel");
      g_object_set_data_full (G_OBJECT (dialog), "uni-port-owner", uni_port_owner_copy (owner),
                              (GDestroyNotify) uni_port_owner_free);
    }
  else
    {
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      adw_message_dialog_set_close_response (dialog, "close");
    }

  g_signal_connect_object (dialog, "response", G_CALLBACK (port_in_use_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
_uni_window_run_finished (UniWindow    *self,
                          UniPipeline  *pipeline,
                          const GError *error)
{
  if (error == NULL)
    {
      const char *url = uni_pipeline_get_url (pipeline);

      /* It answered, and ended before we got here. */
      if (!_uni_window_get_unikernel_running (self))
        {
          UniJob *job = uni_pipeline_get_job (pipeline, "run");
          g_autofree char *text = NULL;

          forget_run_job (self);
          /* Translators: %d is the exit status of the unikernel's process */
          text = g_strdup_printf (_("The unikernel stopped (exit status %d)"),
                                  job != NULL ? uni_job_get_exit_status (job) : -1);
          add_toast (self, text);
          return;
        }

      g_free (self->run_url);
      self->run_url = g_strdup (url);
      _uni_window_update_run_indicator (self);
      open_url (self, url, TRUE);
      return;
    }

  /* A run that never got going leaves nothing behind to show in the header. */
  if (!_uni_window_get_unikernel_running (self))
    forget_run_job (self);

  /* A step that failed says so in its tab; a stop is the user's own doing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_error_matches (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_STEP_FAILED))
    return;

  /* Still running, perhaps on another port: the header says so until it is stopped. */
  if (g_error_matches (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_ANSWERING))
    {
      self->run_silent = _uni_window_get_unikernel_running (self);
      _uni_window_update_run_indicator (self);
    }

  if (g_error_matches (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_PORT_IN_USE))
    ask_port_in_use (self, pipeline, error);
  else if (g_error_matches (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_EXITED))
    show_exit_banner (self, pipeline, error);
  else
    add_toast (self, error->message);
}

/* Stop, closing the window, quitting: SIGTERM, then SIGKILL, to the unikernel's group. */
void
_uni_window_stop_unikernel (UniWindow *self)
{
  if (!_uni_window_get_unikernel_running (self))
    return;

  self->run_stopping = TRUE;
  self->run_restart = FALSE;
  uni_job_stop (self->run_job);
  run_hold_bound (self->run_job);
}

/* Run while one runs, once the new one is planned: the old one goes first. */
void
_uni_window_replace_unikernel (UniWindow *self)
{
  g_assert (_uni_window_get_unikernel_running (self));

  self->run_stopping = TRUE;
  self->run_restart = TRUE;
  self->run_silent = FALSE;
  g_clear_pointer (&self->run_url, g_free);
  uni_job_stop (self->run_job);
  _uni_window_update_run_indicator (self);
}

void
_uni_window_run_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);

  if (self->building || self->build_queued)
    return;

  /* With one running this restarts it, but only once the new one is planned:
   * a plan that fails leaves the one that works alone.
   */
  gtk_info_bar_set_revealed (self->run_banner, FALSE);
  _uni_window_start_pipeline (self, UNI_PIPELINE_GOAL_RUN);
}

void
_uni_window_open_url_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  open_url (UNI_WINDOW (widget), g_variant_get_string (parameter, NULL), FALSE);
}

void
_uni_window_copy_url_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          g_variant_get_string (parameter, NULL));
  if (self->url_toast != NULL)
    adw_toast_dismiss (self->url_toast);
  add_toast (self, _("Copied"));
}

void
_uni_window_show_run_output_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  UniTerminalPage *page = _uni_window_find_terminal_page (self, "run");

  if (page == NULL)
    return;

  adw_tab_view_set_selected_page (self->bottom_view,
                                  adw_tab_view_get_page (self->bottom_view, GTK_WIDGET (page)));
  gtk_widget_grab_focus (GTK_WIDGET (uni_terminal_page_get_terminal (page)));
}
