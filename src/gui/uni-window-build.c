/* uni-window-build.c — the window: builds, the target dropdown, the toolchain, the pipeline
 * and its pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-window-build"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-diagnostic.h"
#include "uni-pipeline.h"
#include "uni-plugins.h"
#include "uni-problems-panel.h"
#include "uni-terminal-page.h"
#include "uni-toolchain.h"
#include "uni-window-private.h"

static const char *
get_target_id (UniWindow *self)
{
  UniProjectSettings *settings = uni_project_get_settings (self->project);
  const char *target_id = settings != NULL ? uni_project_settings_get_target (settings) : NULL;

  return target_id != NULL && uni_target_lookup (target_id) != NULL ? target_id : "unix";
}

void
_uni_window_update_build_actions (UniWindow *self)
{
  gboolean loaded = uni_project_get_loaded (self->project);
  gboolean busy = self->building || self->build_queued;
  gboolean running = _uni_window_get_unikernel_running (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.build", loaded && !busy);
  /* With a unikernel up, Run restarts it. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.run", loaded && !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.stop", busy || running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-setup",
                                 self->toolchain != NULL &&
                                 uni_toolchain_get_setup_commands (self->toolchain)->len > 0 &&
                                 !self->building);

  /* The build in flight keeps the target it started with: no switching under it. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->target_dropdown), !busy);

  /* The spinner goes on the button that started the work. */
  gtk_stack_set_visible_child_name (self->build_icon_stack,
                                    busy && self->goal == UNI_PIPELINE_GOAL_BUILD ? "running"
                                                                                   : "idle");
  gtk_spinner_set_spinning (self->build_spinner, busy && self->goal == UNI_PIPELINE_GOAL_BUILD);
  gtk_stack_set_visible_child_name (self->run_icon_stack,
                                    busy && self->goal == UNI_PIPELINE_GOAL_RUN ? "running"
                                                                                 : "idle");
  gtk_spinner_set_spinning (self->run_spinner, busy && self->goal == UNI_PIPELINE_GOAL_RUN);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button),
                               running ? _("Restart (F5)") : _("Run (F5)"));

  _uni_window_update_run_indicator (self);
}

/* The first three are always offered; mirage's newer targets only where the
 * toolchain has them, or when the project already chose one.
 */
void
_uni_window_update_targets (UniWindow *self)
{
  const char *selected_id = get_target_id (self);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  const UniTarget **targets;
  guint n_targets;
  guint selected = 0;

  targets = uni_target_list (&n_targets);
  for (guint i = 0; i < n_targets; i++)
    {
      const char *id = uni_target_get_id (targets[i]);
      gboolean always = i < 3 || g_str_equal (id, selected_id);

      if (!always &&
          (self->toolchain == NULL || !uni_toolchain_get_found (self->toolchain) ||
           !uni_toolchain_supports (self->toolchain, targets[i], NULL)))
        continue;

      if (g_str_equal (id, selected_id))
        selected = ids->len;
      g_ptr_array_add (ids, (gpointer) id);
    }
  g_ptr_array_add (ids, NULL);

  self->updating_targets = TRUE;
  gtk_string_list_splice (self->target_ids, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->target_ids)),
                          (const char * const *) ids->pdata);
  gtk_drop_down_set_selected (self->target_dropdown, selected);
  self->updating_targets = FALSE;
}

void
_uni_window_target_row_setup_cb (GtkSignalListItemFactory *factory,
                                 GtkListItem              *item,
                                 gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

void
_uni_window_target_row_bind_cb (GtkSignalListItemFactory *factory,
                                GtkListItem              *item,
                                UniWindow                *self)
{
  GtkStringObject *id = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  const UniTarget *target = uni_target_lookup (gtk_string_object_get_string (id));
  g_autofree char *reason = NULL;
  gboolean supported = TRUE;

  if (self->toolchain != NULL && uni_toolchain_get_found (self->toolchain))
    supported = uni_toolchain_supports (self->toolchain, target, &reason);

  gtk_label_set_label (GTK_LABEL (label), uni_target_get_title (target));
  gtk_widget_set_tooltip_text (label, supported ? NULL : reason);
  if (supported)
    gtk_widget_remove_css_class (label, "dim-label");
  else
    gtk_widget_add_css_class (label, "dim-label");
}

static void
settings_save_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_project_settings_save_finish (UNI_PROJECT_SETTINGS (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->toast_overlay != NULL)
    {
      g_autofree char *title = g_markup_escape_text (error->message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
    }
}

void
_uni_window_target_dropdown_notify_selected_cb (UniWindow   *self,
                                                GParamSpec  *pspec,
                                                GtkDropDown *dropdown)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (dropdown);
  UniProjectSettings *settings;
  const char *id;

  /* Filling the list, or the window going away. */
  if (self->updating_targets || item == NULL || self->project == NULL)
    return;

  settings = uni_project_get_settings (self->project);
  if (settings == NULL)
    return;

  id = gtk_string_object_get_string (item);
  if (g_strcmp0 (id, uni_project_settings_get_target (settings)) == 0)
    return;

  if (uni_project_settings_set_target (settings, id))
    uni_project_settings_save_async (settings, self->cancellable, settings_save_cb,
                                     g_object_ref (self));
  _uni_window_detect_toolchain (self);
}

static void
update_toolchain_bar (UniWindow *self)
{
  gboolean missing = self->toolchain != NULL && !uni_toolchain_get_found (self->toolchain);

  if (missing)
    gtk_label_set_label (self->toolchain_label, uni_toolchain_get_problem (self->toolchain));
  gtk_info_bar_set_revealed (self->toolchain_bar, missing);
}

static void show_build_error (UniWindow  *self,
                              const char *message);

/* A build waiting for the toolchain will not get one: it ends here, and says why. */
static void
drop_queued_build (UniWindow  *self,
                   const char *message)
{
  if (!self->build_queued)
    return;

  self->build_queued = FALSE;
  _uni_window_update_build_actions (self);
  show_build_error (self, message);
}

static void
toolchain_detect_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;

  toolchain = uni_toolchain_detect_finish (result, &error);
  if (toolchain == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      gtk_label_set_label (self->toolchain_label, error->message);
      gtk_info_bar_set_revealed (self->toolchain_bar, TRUE);
      self->build_queued = FALSE;
      _uni_window_update_build_actions (self);
      return;
    }

  g_set_object (&self->toolchain, toolchain);
  update_toolchain_bar (self);
  _uni_window_update_targets (self);
  _uni_window_update_build_actions (self);

  if (self->build_queued)
    {
      self->build_queued = FALSE;
      _uni_window_start_pipeline (self, self->goal);
      _uni_window_update_build_actions (self);
    }
}

/* Each target may build elsewhere (host, container, ssh): detect where it builds. */
void
_uni_window_detect_toolchain (UniWindow *self)
{
  UniProjectSettings *settings = uni_project_get_settings (self->project);
  const char *target_id = get_target_id (self);
  g_autoptr(UniBuildEnvironment) environment = NULL;
  g_autofree char *env_id = NULL;
  g_autoptr(GError) error = NULL;

  if (settings == NULL)
    {
      drop_queued_build (self, _("The project’s settings could not be read"));
      return;
    }

  env_id = uni_project_settings_dup_target_value (settings, target_id, "env");
  if (env_id == NULL)
    env_id = g_strdup ("host");

  if (self->toolchain != NULL && g_strcmp0 (env_id, self->toolchain_env_id) == 0)
    {
      _uni_window_update_targets (self);
      return;
    }

  g_cancellable_cancel (self->toolchain_cancellable);
  g_clear_object (&self->toolchain_cancellable);
  g_clear_object (&self->toolchain);
  g_free (self->toolchain_env_id);
  self->toolchain_env_id = g_strdup (env_id);

  uni_plugins_init ();
  environment = uni_plugins_create_build_environment (env_id, settings, target_id, &error);
  if (environment == NULL)
    {
      gtk_label_set_label (self->toolchain_label, error->message);
      gtk_info_bar_set_revealed (self->toolchain_bar, TRUE);
      drop_queued_build (self, error->message);
      return;
    }

  self->toolchain_cancellable = g_cancellable_new ();
  uni_toolchain_detect_async (environment, self->toolchain_cancellable,
                              toolchain_detect_cb, g_object_ref (self));
}

UniTerminalPage *
_uni_window_find_terminal_page (UniWindow  *self,
                                const char *name)
{
  int n_pages = adw_tab_view_get_n_pages (self->bottom_view);

  for (int i = 0; i < n_pages; i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->bottom_view, i));

      if (UNI_IS_TERMINAL_PAGE (child) &&
          g_strcmp0 (g_object_get_data (G_OBJECT (child), "uni-job-name"), name) == 0)
        return UNI_TERMINAL_PAGE (child);
    }

  return NULL;
}

static void
update_problems_title (UniWindow *self)
{
  AdwTabPage *tab = adw_tab_view_get_page (self->bottom_view, GTK_WIDGET (self->problems_panel));
  guint n_items = uni_problems_panel_get_n_items (self->problems_panel);
  g_autofree char *title = NULL;

  if (n_items > 0)
    /* Translators: the Problems tab, with how many there are */
    title = g_strdup_printf (_("Problems (%u)"), n_items);
  adw_tab_page_set_title (tab, title != NULL ? title : _("Problems"));
}

static void
mark_editors (UniWindow *self)
{
  GFile *directory = uni_project_get_directory (self->project);
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  if (self->problems_panel == NULL)
    return;

  for (int i = 0; i < n_pages; i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      if (UNI_IS_EDITOR_PAGE (child) && uni_editor_page_get_loaded (UNI_EDITOR_PAGE (child)))
        uni_problems_panel_mark_editor (self->problems_panel, UNI_EDITOR_PAGE (child), directory);
    }
}

static gboolean
mark_editors_cb (gpointer user_data)
{
  UniWindow *self = user_data;

  self->mark_editors_id = 0;
  mark_editors (self);

  return G_SOURCE_REMOVE;
}

/* Problems come in a line at a time during a build: mark the editors once a
 * burst settles, not once per problem.
 */
void
_uni_window_schedule_mark_editors (UniWindow *self)
{
  if (self->mark_editors_id == 0)
    self->mark_editors_id = g_timeout_add (200, mark_editors_cb, self);
}

static void
problems_changed_cb (UniWindow *self)
{
  update_problems_title (self);
  _uni_window_schedule_mark_editors (self);
}

static void
place_cursor (UniEditorPage *page,
              guint          line,
              guint          column)
{
  GtkTextView *view = GTK_TEXT_VIEW (uni_editor_page_get_view (page));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter iter;

  if (line == 0)
    return;

  gtk_text_buffer_get_iter_at_line (buffer, &iter, line - 1);
  if (column > 0)
    {
      GtkTextIter line_end = iter;
      g_autofree char *text = NULL;
      const char *at;

      /* The compiler counts bytes, not characters: past a non-ASCII character
       * the two differ. Clamp to the line and step back to a character start.
       */
      if (!gtk_text_iter_ends_line (&line_end))
        gtk_text_iter_forward_to_line_end (&line_end);
      text = gtk_text_iter_get_slice (&iter, &line_end);
      column = MIN (column, (guint) strlen (text));
      at = g_utf8_find_prev_char (text, text + column + 1);
      gtk_text_buffer_get_iter_at_line_index (buffer, &iter, line - 1,
                                              at != NULL ? (int) (at - text) : 0);
    }
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (buffer), 0.1, TRUE, 0.0, 0.3);
  gtk_widget_grab_focus (GTK_WIDGET (view));
}

static void
editor_loaded_place_cursor_cb (UniEditorPage *page,
                               GParamSpec    *pspec,
                               UniDiagnostic *diagnostic)
{
  if (!uni_editor_page_get_loaded (page))
    return;

  g_signal_handlers_disconnect_by_func (page, editor_loaded_place_cursor_cb, diagnostic);
  place_cursor (page, uni_diagnostic_get_line (diagnostic),
                uni_diagnostic_get_start_column (diagnostic));
}


static void
diagnostic_activated_cb (UniWindow        *self,
                         UniDiagnostic    *diagnostic,
                         UniProblemsPanel *panel)
{
  GFile *directory = uni_project_get_directory (self->project);
  g_autoptr(GFile) file = uni_diagnostic_resolve_file (diagnostic, directory);
  g_autofree char *name = NULL;
  UniEditorPage *page;

  if (file == NULL)
    return;

  name = g_file_get_parse_name (file);

  /* A library's file, or one in the system: not the project's to edit. */
  if (!g_file_has_prefix (file, directory))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a file path */
      text = g_strdup_printf (_("“%s” is outside the project"), name);
      show_build_error (self, text);
      return;
    }

  if (!g_file_query_exists (file, NULL))
    {
      g_autofree char *text = NULL;

      /* Translators: %s is a file path */
      text = g_strdup_printf (_("“%s” no longer exists"), name);
      show_build_error (self, text);
      return;
    }

  page = uni_window_open_file (self, file);
  /* Only the last problem chosen counts while the file loads. */
  g_signal_handlers_disconnect_matched (page, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                        editor_loaded_place_cursor_cb, NULL);
  if (uni_editor_page_get_loaded (page))
    place_cursor (page, uni_diagnostic_get_line (diagnostic),
                  uni_diagnostic_get_start_column (diagnostic));
  else
    g_signal_connect_data (page, "notify::loaded", G_CALLBACK (editor_loaded_place_cursor_cb),
                           g_object_ref (diagnostic), (GClosureNotify) (void (*) (void)) g_object_unref,
                           0);
}

static void
ensure_problems_page (UniWindow *self)
{
  g_autoptr(GIcon) icon = NULL;
  AdwTabPage *tab;

  if (self->problems_panel != NULL)
    return;

  self->problems_panel = uni_problems_panel_new ();
  g_signal_connect_object (self->problems_panel, "diagnostic-activated",
                           G_CALLBACK (diagnostic_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->problems_panel, "notify::n-items",
                           G_CALLBACK (problems_changed_cb), self, G_CONNECT_SWAPPED);

  icon = g_themed_icon_new ("dialog-warning-symbolic");
  tab = adw_tab_view_append (self->bottom_view, GTK_WIDGET (self->problems_panel));
  adw_tab_page_set_icon (tab, icon);
  update_problems_title (self);
  gtk_stack_set_visible_child_name (self->bottom_stack, "tabs");
}

static UniTerminalPage *
ensure_terminal_page (UniWindow  *self,
                      const char *name,
                      const char *title)
{
  UniTerminalPage *page = _uni_window_find_terminal_page (self, name);
  AdwTabPage *tab;
  int position;

  if (page != NULL)
    return page;

  ensure_problems_page (self);

  page = uni_terminal_page_new (NULL);
  g_object_set_data_full (G_OBJECT (page), "uni-job-name", g_strdup (name), g_free);
  position = adw_tab_view_get_n_pages (self->bottom_view) - 1;
  tab = adw_tab_view_insert (self->bottom_view, GTK_WIDGET (page), MAX (position, 0));
  adw_tab_page_set_title (tab, title);
  g_object_bind_property (page, "icon", tab, "icon", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "running", tab, "loading", G_BINDING_SYNC_CREATE);
  g_object_bind_property (page, "status", tab, "tooltip", G_BINDING_SYNC_CREATE);

  return page;
}

static void
job_notify_state_cb (UniWindow  *self,
                     GParamSpec *pspec,
                     UniJob     *job)
{
  UniTerminalPage *page;

  if (uni_job_get_state (job) != UNI_JOB_RUNNING)
    return;

  /* Follow the build from tab to tab. */
  page = _uni_window_find_terminal_page (self, uni_job_get_name (job));
  if (page != NULL)
    adw_tab_view_set_selected_page (self->bottom_view,
                                    adw_tab_view_get_page (self->bottom_view, GTK_WIDGET (page)));
}

static void
job_output_parse_cb (UniDiagnosticParser *parser,
                     const char          *data,
                     gsize                length,
                     UniJob              *job)
{
  uni_diagnostic_parser_feed (parser, data, length);
}

static void
build_finished (UniWindow *self)
{
  self->building = FALSE;
  _uni_window_update_build_actions (self);
  g_clear_handle_id (&self->mark_editors_id, g_source_remove);
  mark_editors (self);

  if (self->close_after_build)
    {
      self->close_after_build = FALSE;
      gtk_window_close (GTK_WINDOW (self));
    }
}

/* Stops whatever the build is doing now: a setup command, planning (on disk,
 * in a thread) or a job.
 */
void
_uni_window_stop_pipeline (UniWindow *self)
{
  if (self->setup_cancellable != NULL)
    g_cancellable_cancel (self->setup_cancellable);
  else if (self->plan_cancellable != NULL)
    g_cancellable_cancel (self->plan_cancellable);
  else if (self->run_restart)
    {
      /* Planned, and waiting for the old unikernel to end: it never starts. */
      self->run_restart = FALSE;
      build_finished (self);
    }
  else if (self->pipeline != NULL)
    uni_pipeline_stop (self->pipeline);
}

static void
pipeline_run_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  UniPipeline *pipeline = UNI_PIPELINE (object);
  g_autoptr(GError) error = NULL;
  guint n_jobs = g_list_model_get_n_items (G_LIST_MODEL (pipeline));

  uni_pipeline_run_finish (pipeline, result, &error);

  /* The window went away meanwhile: nothing left to show it in. */
  if (self->project == NULL)
    return;

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(UniJob) job = g_list_model_get_item (G_LIST_MODEL (pipeline), i);
      UniDiagnosticParser *parser = g_object_get_data (G_OBJECT (job), "uni-parser");

      if (parser != NULL)
        uni_diagnostic_parser_finish (parser);
    }

  if (uni_pipeline_get_goal (pipeline) == UNI_PIPELINE_GOAL_RUN)
    _uni_window_run_finished (self, pipeline, error);
  /* A step that failed says so in its tab; only a failure to start needs telling here. */
  else if (error != NULL && self->toast_overlay != NULL &&
           !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
           !g_error_matches (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_STEP_FAILED))
    {
      g_autofree char *title = g_markup_escape_text (error->message, -1);

      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
    }

  build_finished (self);
}

static void
show_build_error (UniWindow  *self,
                  const char *message)
{
  g_autofree char *title = g_markup_escape_text (message, -1);

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

/* The pipeline is planned and nothing stands in its way: a terminal tab per
 * step, then it runs.
 */
void
_uni_window_run_pipeline (UniWindow *self)
{
  UniPipeline *pipeline = self->pipeline;
  guint n_jobs;

  g_assert (pipeline != NULL);

  ensure_problems_page (self);
  uni_problems_panel_clear (self->problems_panel);

  n_jobs = g_list_model_get_n_items (G_LIST_MODEL (pipeline));
  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(UniJob) job = g_list_model_get_item (G_LIST_MODEL (pipeline), i);
      g_autoptr(UniDiagnosticParser) parser = uni_diagnostic_parser_new ();
      UniTerminalPage *page = ensure_terminal_page (self, uni_job_get_name (job),
                                                    uni_job_get_title (job));

      uni_terminal_page_clear (page);
      uni_terminal_page_set_job (page, job);

      g_signal_connect_object (job, "output", G_CALLBACK (job_output_parse_cb), parser,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (job, "notify::state", G_CALLBACK (job_notify_state_cb), self,
                               G_CONNECT_SWAPPED);
      uni_problems_panel_add_model (self->problems_panel, G_LIST_MODEL (parser));
      g_object_set_data_full (G_OBJECT (job), "uni-parser", g_steal_pointer (&parser),
                              g_object_unref);
    }

  if (uni_pipeline_get_goal (pipeline) == UNI_PIPELINE_GOAL_RUN)
    _uni_window_run_planned (self, pipeline);

  uni_pipeline_run_async (pipeline, NULL, pipeline_run_cb, g_object_ref (self));
}

static void
pipeline_plan_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  UniPipeline *pipeline = UNI_PIPELINE (object);
  g_autoptr(GError) error = NULL;

  /* The window went away, or a newer build replaced this one and owns its state now. */
  if (self->project == NULL || pipeline != self->pipeline)
    return;

  g_clear_object (&self->plan_cancellable);

  /* A Run that fails to plan leaves the unikernel that runs alone. */
  if (!uni_pipeline_plan_finish (pipeline, result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_build_error (self, error->message);
      build_finished (self);
      return;
    }

  /* A restart: the new one runs once the old one's process has ended. */
  if (uni_pipeline_get_goal (pipeline) == UNI_PIPELINE_GOAL_RUN &&
      _uni_window_get_unikernel_running (self))
    {
      _uni_window_replace_unikernel (self);
      return;
    }

  _uni_window_run_pipeline (self);
}

/* Build, or with the run goal build and start the unikernel: both the same way,
 * a terminal tab per step.
 */
void
_uni_window_start_pipeline (UniWindow       *self,
                            UniPipelineGoal  goal)
{
  const UniTarget *target;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autofree char *reason = NULL;

  if (self->building)
    return;

  /* Run takes the selected target too: the pipeline says when it cannot run one. */
  target = uni_target_lookup (get_target_id (self));
  self->goal = goal;

  if (self->toolchain == NULL)
    {
      /* Still looking for mirage: build as soon as it is known. */
      self->build_queued = TRUE;
      _uni_window_update_build_actions (self);
      _uni_window_detect_toolchain (self);
      return;
    }

  if (!uni_toolchain_get_found (self->toolchain))
    {
      update_toolchain_bar (self);
      show_build_error (self, uni_toolchain_get_problem (self->toolchain));
      return;
    }

  if (!uni_toolchain_supports (self->toolchain, target, &reason))
    {
      show_build_error (self, reason);
      return;
    }

  pipeline = uni_pipeline_new (self->project, target, self->toolchain);
  uni_pipeline_set_goal (pipeline, goal);
  g_set_object (&self->pipeline, pipeline);
  self->building = TRUE;
  _uni_window_update_build_actions (self);

  /* Planning reads config.ml and the stamps: in a thread, and Stop can cancel it. */
  g_clear_object (&self->plan_cancellable);
  self->plan_cancellable = g_cancellable_new ();
  uni_pipeline_plan_async (pipeline, self->plan_cancellable, pipeline_plan_cb,
                           g_object_ref (self));
}

void
_uni_window_build_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  _uni_window_start_pipeline (UNI_WINDOW (widget), UNI_PIPELINE_GOAL_BUILD);
}

void
_uni_window_stop_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  gboolean queued = self->build_queued;

  self->build_queued = FALSE;
  _uni_window_update_build_actions (self);

  /* The unikernel outlives a build: Stop ends the build in flight, the next
   * Stop the unikernel.
   */
  if (self->building)
    _uni_window_stop_pipeline (self);
  else if (!queued)
    _uni_window_stop_unikernel (self);
}

static void run_next_setup_job (UniWindow *self);

static void
setup_job_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = uni_job_run_finish (UNI_JOB (object), result, &error);

  if (self->project == NULL)
    return;

  g_clear_object (&self->setup_job);
  if (!ok || self->setup_jobs == NULL)
    {
      g_clear_pointer (&self->setup_jobs, g_ptr_array_unref);
      g_clear_object (&self->setup_cancellable);
      build_finished (self);
      return;
    }

  run_next_setup_job (self);
}

static void
run_next_setup_job (UniWindow *self)
{
  g_autoptr(UniJob) job = NULL;
  UniTerminalPage *page;

  if (self->project == NULL)
    return;

  if (self->setup_jobs == NULL || self->setup_jobs->len == 0)
    {
      /* Everything ran: look again for mirage. */
      g_clear_pointer (&self->setup_jobs, g_ptr_array_unref);
      g_clear_object (&self->setup_cancellable);
      g_clear_object (&self->toolchain);
      build_finished (self);
      _uni_window_detect_toolchain (self);
      return;
    }

  job = g_ptr_array_steal_index (self->setup_jobs, 0);
  page = ensure_terminal_page (self, "setup", _("Setup"));
  uni_terminal_page_set_job (page, job);
  adw_tab_view_set_selected_page (self->bottom_view,
                                  adw_tab_view_get_page (self->bottom_view, GTK_WIDGET (page)));
  g_set_object (&self->setup_job, job);
  uni_job_run_async (job, self->setup_cancellable, setup_job_cb, g_object_ref (self));
}

/* The user watches the commands that install mirage run, one after the other. */
void
_uni_window_show_setup_action (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  UniBuildEnvironment *environment;
  GPtrArray *commands;
  UniTerminalPage *page;

  if (self->toolchain == NULL || self->building)
    return;

  environment = uni_toolchain_get_environment (self->toolchain);
  commands = uni_toolchain_get_setup_commands (self->toolchain);
  self->setup_jobs = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < commands->len; i++)
    {
      g_autoptr(UniRunContext) context = uni_run_context_new ();
      g_autoptr(GError) error = NULL;

      if (!uni_build_environment_wrap (environment, context, &error))
        {
          show_build_error (self, error->message);
          g_clear_pointer (&self->setup_jobs, g_ptr_array_unref);
          return;
        }
      uni_run_context_append_args (context, g_ptr_array_index (commands, i));
      g_ptr_array_add (self->setup_jobs, uni_job_new ("setup", _("Setup"), context));
    }

  page = ensure_terminal_page (self, "setup", _("Setup"));
  uni_terminal_page_clear (page);
  g_clear_object (&self->setup_cancellable);
  self->setup_cancellable = g_cancellable_new ();
  self->goal = UNI_PIPELINE_GOAL_BUILD;
  self->building = TRUE;
  _uni_window_update_build_actions (self);
  run_next_setup_job (self);
}

static gboolean
job_in_build (UniWindow *self,
              UniJob    *job)
{
  guint n_jobs;

  if (job == NULL)
    return FALSE;

  if (job == self->setup_job || (self->setup_jobs != NULL &&
                                 g_ptr_array_find (self->setup_jobs, job, NULL)))
    return TRUE;

  if (self->pipeline == NULL)
    return FALSE;

  n_jobs = g_list_model_get_n_items (G_LIST_MODEL (self->pipeline));
  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(UniJob) item = g_list_model_get_item (G_LIST_MODEL (self->pipeline), i);

      if (item == job)
        return TRUE;
    }

  return FALSE;
}

gboolean
_uni_window_bottom_view_close_page_cb (UniWindow  *self,
                                       AdwTabPage *tab,
                                       AdwTabView *view)
{
  GtkWidget *child = adw_tab_page_get_child (tab);

  /* Problems and the terminals of the build in flight, steps to come included, stay. */
  if (child == GTK_WIDGET (self->problems_panel) ||
      (UNI_IS_TERMINAL_PAGE (child) &&
       (uni_terminal_page_get_running (UNI_TERMINAL_PAGE (child)) ||
        (self->building &&
         job_in_build (self, uni_terminal_page_get_job (UNI_TERMINAL_PAGE (child)))))))
    {
      adw_tab_view_close_page_finish (view, tab, FALSE);
      return GDK_EVENT_STOP;
    }

  return GDK_EVENT_PROPAGATE;
}
