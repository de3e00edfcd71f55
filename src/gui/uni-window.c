/* uni-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-window"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "uni-file-util.h"
#include "uni-manifest-page.h"
#include "uni-pipeline.h"
#include "uni-problems-panel.h"
#include "uni-terminal-page.h"
#include "uni-window-private.h"

#define SETTINGS_SCHEMA_ID "io.github.unistudio.Unistudio"

typedef struct
{
  UniWindow  *self;
  AdwTabPage *tab;
} ClosePage;

typedef struct
{
  UniWindow     *self;
  guint          n_pending;
  guint          n_failed;
  UniEditorPage *failed_page;
} SaveAll;

G_DEFINE_FINAL_TYPE (UniWindow, uni_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_PROJECT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
close_page_free (ClosePage *state)
{
  g_clear_object (&state->self);
  g_clear_object (&state->tab);
  g_free (state);
}

/* The dialog went away without an answer (its window was destroyed). */
static void
close_page_cancel (ClosePage *state)
{
  if (state->self->tab_view != NULL)
    adw_tab_view_close_page_finish (state->self->tab_view, state->tab, FALSE);

  close_page_free (state);
}

static void
save_all_free (SaveAll *state)
{
  g_clear_object (&state->self);
  g_clear_object (&state->failed_page);
  g_free (state);
}

/* The Manifest form stands for its config.ml editor: Ctrl+S there saves config.ml. */
static UniEditorPage *
get_current_page (UniWindow *self)
{
  AdwTabPage *tab = adw_tab_view_get_selected_page (self->tab_view);
  GtkWidget *child = tab != NULL ? adw_tab_page_get_child (tab) : NULL;

  if (UNI_IS_MANIFEST_PAGE (child))
    return uni_manifest_page_get_editor (UNI_MANIFEST_PAGE (child));

  return child != NULL ? UNI_EDITOR_PAGE (child) : NULL;
}

static GPtrArray *
list_modified_pages (UniWindow *self)
{
  GPtrArray *pages = g_ptr_array_new ();
  int n_pages = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);
      GtkWidget *child = adw_tab_page_get_child (tab);

      if (UNI_IS_EDITOR_PAGE (child) && uni_editor_page_get_modified (UNI_EDITOR_PAGE (child)))
        g_ptr_array_add (pages, child);
    }

  return pages;
}

static void
update_actions (UniWindow *self)
{
  UniEditorPage *page = get_current_page (self);
  gboolean can_save = page != NULL &&
                      uni_editor_page_get_loaded (page) &&
                      !uni_editor_page_get_read_only (page);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save", can_save);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.close-tab", page != NULL);
}

static void
update_subtitle (UniWindow *self)
{
  const char *branch = uni_project_get_branch (self->project);
  const GError *git_error = uni_project_get_git_error (self->project);

  gtk_widget_set_tooltip_text (GTK_WIDGET (self->window_title),
                               branch == NULL && git_error != NULL ? git_error->message : NULL);

  if (branch != NULL)
    adw_window_title_set_subtitle (self->window_title, branch);
  else if (git_error != NULL)
    adw_window_title_set_subtitle (self->window_title, _("Git unavailable"));
  else if (uni_project_get_repository (self->project) != NULL)
    adw_window_title_set_subtitle (self->window_title, _("No branch"));
  else if (uni_project_get_loaded (self->project))
    adw_window_title_set_subtitle (self->window_title, _("Not a git repository"));
  else
    adw_window_title_set_subtitle (self->window_title, NULL);
}

static void
update_title (UniWindow *self)
{
  const char *name = uni_project_get_name (self->project);
  g_autofree char *title = NULL;

  /* Translators: the window title, the project's folder name first */
  title = g_strdup_printf (_("%s — Unistudio"), name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, name);
}

static void
update_tab (UniWindow     *self,
            GParamSpec    *pspec,
            UniEditorPage *page)
{
  AdwTabPage *tab = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (page));
  g_autoptr(GIcon) indicator = NULL;
  g_autofree char *title = NULL;
  g_autofree char *tooltip = NULL;

  if (tab == NULL)
    return;

  if (uni_editor_page_get_modified (page))
    title = g_strdup_printf ("• %s", uni_editor_page_get_title (page));
  else
    title = g_strdup (uni_editor_page_get_title (page));

  tooltip = uni_path_collapse_home (g_file_peek_path (uni_editor_page_get_file (page)));

  adw_tab_page_set_title (tab, title);
  adw_tab_page_set_tooltip (tab, tooltip);
  adw_tab_page_set_loading (tab, uni_editor_page_get_loading (page));
  /* The file changed under the user: flag the tab even when it is not shown. */
  if (uni_editor_page_get_changed_on_disk (page))
    indicator = g_themed_icon_new ("dialog-warning-symbolic");
  adw_tab_page_set_indicator_icon (tab, indicator);
  if (indicator == NULL)
    adw_tab_page_set_indicator_tooltip (tab, "");
  else if (uni_editor_page_get_deleted_on_disk (page))
    adw_tab_page_set_indicator_tooltip (tab, _("Deleted on disk"));
  else
    adw_tab_page_set_indicator_tooltip (tab, _("Changed on disk"));

  if (page == get_current_page (self))
    update_actions (self);
}

static void
page_close_requested_cb (UniWindow     *self,
                         UniEditorPage *page)
{
  AdwTabPage *tab = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (page));

  /* Closing a deleted file from its banner is the answer already. */
  if (tab != NULL)
    {
      self->discarding_tab = tab;
      adw_tab_view_close_page (self->tab_view, tab);
      self->discarding_tab = NULL;
    }
}

static void
manifest_show_span_cb (UniWindow       *self,
                       guint            offset,
                       guint            length,
                       UniManifestPage *manifest_page)
{
  UniEditorPage *editor = uni_manifest_page_get_editor (manifest_page);
  AdwTabPage *tab = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (editor));
  GtkTextView *view = GTK_TEXT_VIEW (uni_editor_page_get_view (editor));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);

  if (tab == NULL)
    return;

  adw_tab_view_set_selected_page (self->tab_view, tab);
  if (uni_manifest_page_select_span (manifest_page, offset, length))
    gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (buffer), 0.1, TRUE, 0.0, 0.3);
  gtk_widget_grab_focus (GTK_WIDGET (editor));
}

static void
manifest_ready_after_paint_cb (UniWindow     *self,
                               GdkFrameClock *frame_clock)
{
  GApplication *application;

  g_signal_handlers_disconnect_by_func (frame_clock, manifest_ready_after_paint_cb, self);

  printf ("manifest-ready %" G_GINT64_FORMAT "\n", g_get_monotonic_time ());
  fflush (stdout);

  if (g_strcmp0 (g_getenv ("UNISTUDIO_REPORT_FIRST_FRAME"), "manifest") != 0)
    return;

  application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (application == NULL)
    application = g_application_get_default ();
  if (application != NULL)
    g_application_quit (application);
}

static void manifest_page_notify_manifest_cb (UniWindow       *self,
                                              GParamSpec      *pspec,
                                              UniManifestPage *manifest_page);

/* The form may read its manifest before the window has a frame clock. */
static void
report_manifest_when_realized_cb (UniManifestPage *manifest_page,
                                  GtkWidget       *window)
{
  g_signal_handlers_disconnect_by_func (window, report_manifest_when_realized_cb, manifest_page);
  manifest_page_notify_manifest_cb (UNI_WINDOW (window), NULL, manifest_page);
}

/* Benchmarks: the form has content once it has read a manifest; it is on screen a frame later. */
static void
manifest_page_notify_manifest_cb (UniWindow       *self,
                                  GParamSpec      *pspec,
                                  UniManifestPage *manifest_page)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (uni_manifest_page_get_manifest (manifest_page) == NULL)
    return;

  if (frame_clock == NULL)
    {
      g_signal_handlers_disconnect_by_func (self, report_manifest_when_realized_cb, manifest_page);
      g_signal_connect_object (self, "realize", G_CALLBACK (report_manifest_when_realized_cb),
                               manifest_page, G_CONNECT_SWAPPED);
      return;
    }

  g_signal_handlers_disconnect_by_func (manifest_page, manifest_page_notify_manifest_cb, self);
  g_signal_connect_object (frame_clock, "after-paint",
                           G_CALLBACK (manifest_ready_after_paint_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_queue_draw (GTK_WIDGET (manifest_page));
}

/* The form first, with the editor it writes to right behind it. */
static void
open_manifest_page (UniWindow *self,
                    GFile     *file)
{
  UniEditorPage *editor = uni_window_open_file (self, file);
  g_autoptr(GIcon) icon = g_themed_icon_new ("document-properties-symbolic");
  UniManifestPage *manifest_page;
  AdwTabPage *tab;

  manifest_page = uni_manifest_page_new (editor, uni_project_get_settings (self->project));
  g_signal_connect_object (manifest_page, "show-span",
                           G_CALLBACK (manifest_show_span_cb), self, G_CONNECT_SWAPPED);
  _uni_window_watch_manifest (self, manifest_page);
  if (g_getenv ("UNISTUDIO_REPORT_FIRST_FRAME") != NULL)
    {
      g_signal_connect_object (manifest_page, "notify::manifest",
                               G_CALLBACK (manifest_page_notify_manifest_cb), self,
                               G_CONNECT_SWAPPED);
      manifest_page_notify_manifest_cb (self, NULL, manifest_page);
    }

  tab = adw_tab_view_insert (self->tab_view, GTK_WIDGET (manifest_page), 0);
  adw_tab_page_set_title (tab, _("Manifest"));
  adw_tab_page_set_tooltip (tab, _("config.ml as a form"));
  adw_tab_page_set_icon (tab, icon);
  adw_tab_view_set_selected_page (self->tab_view, tab);
}

static void
update_editor_stack (UniWindow *self)
{
  const char *name;

  if (adw_tab_view_get_n_pages (self->tab_view) > 0)
    name = "tabs";
  else if (self->editor_settled)
    name = "empty";
  else
    name = "opening";

  gtk_stack_set_visible_child_name (self->editor_stack, name);
}

/* Once we know what the window opens with, "No Open Files" may show. */
static void
settle_editor_area (UniWindow *self)
{
  self->editor_settled = TRUE;
  update_editor_stack (self);
}

static gboolean
open_pending_manifest_cb (gpointer user_data)
{
  UniWindow *self = user_data;
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_manifest);

  self->pending_manifest_idle = 0;

  if (adw_tab_view_get_n_pages (self->tab_view) == 0)
    open_manifest_page (self, file);
  settle_editor_area (self);

  return G_SOURCE_REMOVE;
}

static void
manifest_query_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, NULL);

  /* The user may have opened something while we looked: don't push it aside. */
  if (info != NULL &&
      g_file_info_get_file_type (info) == G_FILE_TYPE_REGULAR &&
      adw_tab_view_get_n_pages (self->tab_view) == 0)
    {
      /* Laying out the form costs more than the whole rest of the window: on a
       * window still on its way to the screen, it comes right after the first frame.
       */
      if (gtk_widget_get_mapped (GTK_WIDGET (self)) && !self->first_frame_drawn)
        {
          g_set_object (&self->pending_manifest, G_FILE (object));
          return;
        }

      open_manifest_page (self, G_FILE (object));
    }

  settle_editor_area (self);
}

/* A MirageOS project is described by its config.ml: start there. */
static void
open_manifest_when_present (UniWindow *self)
{
  g_autoptr(GFile) manifest = NULL;

  manifest = g_file_get_child (uni_project_get_directory (self->project), "config.ml");
  g_file_query_info_async (manifest,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT,
                           self->cancellable,
                           manifest_query_cb,
                           g_object_ref (self));
}

static void
project_load_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  UniProject *project = UNI_PROJECT (object);
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_project_load_finish (project, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      adw_status_page_set_description (self->error_page, error->message);
      gtk_stack_set_visible_child_name (self->main_stack, "error");
      settle_editor_area (self);
      return;
    }

  update_title (self);
  update_subtitle (self);
  _uni_window_update_build_actions (self);
  _uni_window_update_targets (self);
  _uni_window_detect_toolchain (self);
  open_manifest_when_present (self);
}

static void
file_tree_file_activated_cb (UniWindow   *self,
                             GFile       *file,
                             UniFileTree *file_tree)
{
  uni_window_open_file (self, file);
}

static void
tab_view_notify_n_pages_cb (UniWindow  *self,
                            GParamSpec *pspec,
                            AdwTabView *tab_view)
{
  if (adw_tab_view_get_n_pages (tab_view) > 0)
    self->editor_settled = TRUE;

  update_editor_stack (self);
}

static void
tab_view_notify_selected_page_cb (UniWindow  *self,
                                  GParamSpec *pspec,
                                  AdwTabView *tab_view)
{
  AdwTabPage *tab = adw_tab_view_get_selected_page (tab_view);

  update_actions (self);

  if (tab != NULL)
    gtk_widget_grab_focus (adw_tab_page_get_child (tab));
}

/* The form is a view of its config.ml editor: it goes when the editor goes. */
static void
tab_view_page_detached_cb (UniWindow  *self,
                           AdwTabPage *detached,
                           int         position,
                           AdwTabView *tab_view)
{
  GtkWidget *child = adw_tab_page_get_child (detached);

  if (!UNI_IS_EDITOR_PAGE (child))
    return;

  for (int i = adw_tab_view_get_n_pages (tab_view) - 1; i >= 0; i--)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (tab_view, i);
      GtkWidget *other = adw_tab_page_get_child (tab);

      if (UNI_IS_MANIFEST_PAGE (other) &&
          uni_manifest_page_get_editor (UNI_MANIFEST_PAGE (other)) == UNI_EDITOR_PAGE (child))
        adw_tab_view_close_page (tab_view, tab);
    }
}

static void
close_page_save_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  ClosePage *state = user_data;
  UniWindow *self = state->self;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  saved = uni_editor_page_save_finish (UNI_EDITOR_PAGE (object), result, &error);

  /* The window went away while saving. */
  if (self->tab_view == NULL)
    {
      close_page_free (state);
      return;
    }

  if (saved)
    {
      uni_project_queue_refresh (self->project);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *title = g_markup_escape_text (error->message, -1);

      /* The tab stays with the text; say why, even when the page has no banner for it. */
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
    }

  adw_tab_view_close_page_finish (self->tab_view, state->tab, saved);
  close_page_free (state);
}

static void
close_page_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  ClosePage *state = g_object_steal_data (G_OBJECT (dialog), "uni-close-page");
  UniEditorPage *page;

  if (state == NULL)
    return;

  if (state->self->tab_view == NULL)
    {
      close_page_free (state);
      return;
    }

  page = UNI_EDITOR_PAGE (adw_tab_page_get_child (state->tab));

  if (g_str_equal (response, "save"))
    {
      uni_editor_page_save_async (page,
                                  state->self->cancellable,
                                  close_page_save_cb,
                                  state);
      return;
    }

  adw_tab_view_close_page_finish (state->self->tab_view,
                                  state->tab,
                                  g_str_equal (response, "discard"));
  close_page_free (state);
}

static gboolean
tab_view_close_page_cb (UniWindow  *self,
                        AdwTabPage *tab,
                        AdwTabView *tab_view)
{
  GtkWidget *child = adw_tab_page_get_child (tab);
  UniEditorPage *page = UNI_IS_EDITOR_PAGE (child) ? UNI_EDITOR_PAGE (child) : NULL;
  AdwMessageDialog *dialog;
  ClosePage *state;
  gboolean can_save;

  /* The form keeps no text of its own: its edits are in the config.ml editor. */
  if (page == NULL || !uni_editor_page_get_modified (page) || self->close_confirmed ||
      tab == self->discarding_tab)
    return GDK_EVENT_PROPAGATE;

  /* Saving a page that is read-only or not loaded would only fail. */
  can_save = uni_editor_page_get_loaded (page) && !uni_editor_page_get_read_only (page);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Save Changes?"), NULL));
  adw_message_dialog_format_body (dialog,
                                  _("“%s” has unsaved changes. Changes which are not saved "
                                    "will be lost."),
                                  uni_editor_page_get_title (page));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  if (can_save)
    {
      adw_message_dialog_add_response (dialog, "save", _("_Save"));
      adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "save");
    }
  adw_message_dialog_set_close_response (dialog, "cancel");

  state = g_new0 (ClosePage, 1);
  state->self = g_object_ref (self);
  state->tab = g_object_ref (tab);
  /* Owned by the dialog until answered, so it is freed even if never answered. */
  g_object_set_data_full (G_OBJECT (dialog), "uni-close-page", state,
                          (GDestroyNotify) close_page_cancel);
  g_signal_connect (dialog, "response", G_CALLBACK (close_page_response_cb), NULL);

  gtk_window_present (GTK_WINDOW (dialog));

  return GDK_EVENT_STOP;
}

static void
save_all_page_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  SaveAll *state = user_data;
  UniWindow *self = state->self;
  g_autoptr(GError) error = NULL;

  if (!uni_editor_page_save_finish (UNI_EDITOR_PAGE (object), result, &error))
    {
      state->n_failed++;
      if (state->failed_page == NULL)
        state->failed_page = g_object_ref (UNI_EDITOR_PAGE (object));
    }

  if (--state->n_pending > 0)
    return;

  self->saving_all = FALSE;

  /* The window went away while saving. */
  if (self->tab_view == NULL)
    {
      save_all_free (state);
      return;
    }

  uni_project_queue_refresh (self->project);

  if (state->n_failed == 0)
    {
      g_autoptr(GPtrArray) pages = list_modified_pages (self);

      /* Text typed while saving is not on disk: ask again rather than drop it. */
      if (pages->len == 0)
        self->close_confirmed = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else
    {
      AdwTabPage *tab = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (state->failed_page));

      /* Stay open: the page says what went wrong and still has the text. */
      adw_tab_view_set_selected_page (self->tab_view, tab);
      adw_toast_overlay_add_toast (self->toast_overlay,
                                   adw_toast_new (_("Some files could not be saved")));
    }

  save_all_free (state);
}

static gboolean
close_confirmed_cb (gpointer user_data)
{
  UniWindow *self = user_data;

  if (self->tab_view != NULL)
    gtk_window_close (GTK_WINDOW (self));

  return G_SOURCE_REMOVE;
}

/* Not from inside the dialog's response: the window, its transient parent,
 * would be finalized under it.
 */
static void
close_confirmed_later (UniWindow *self)
{
  self->close_confirmed = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed_cb, g_object_ref (self), g_object_unref);
}

static void
close_window_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          UniWindow        *self)
{
  if (g_str_equal (response, "discard"))
    {
      close_confirmed_later (self);
    }
  else if (g_str_equal (response, "save"))
    {
      g_autoptr(GPtrArray) pages = list_modified_pages (self);
      SaveAll *state;

      /* Saved meanwhile (Ctrl+S while the dialog was up): nothing left to wait for. */
      if (pages->len == 0)
        {
          close_confirmed_later (self);
          return;
        }

      state = g_new0 (SaveAll, 1);
      state->self = g_object_ref (self);
      state->n_pending = pages->len;
      self->saving_all = TRUE;

      for (guint i = 0; i < pages->len; i++)
        uni_editor_page_save_async (g_ptr_array_index (pages, i),
                                    self->cancellable,
                                    save_all_page_cb,
                                    state);
    }
}


static void
stop_build_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        UniWindow        *self)
{
  if (!g_str_equal (response, "stop"))
    return;

  /* The build ended while the dialog was up: nothing to stop, just close. */
  if (!self->building)
    {
      g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, close_confirmed_cb, g_object_ref (self),
                       g_object_unref);
      return;
    }

  /* Close once every process of the build is gone, never before. */
  self->close_after_build = TRUE;
  self->build_queued = FALSE;
  _uni_window_stop_pipeline (self);
  if (self->setup_jobs != NULL)
    g_clear_pointer (&self->setup_jobs, g_ptr_array_unref);
}

static gboolean
ask_stop_build (UniWindow *self)
{
  AdwMessageDialog *dialog;

  if (!self->building)
    return FALSE;

  if (self->close_after_build)
    return TRUE;

  if (self->goal == UNI_PIPELINE_GOAL_RUN)
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Stop the Run?"),
                                                         _("The unikernel is being built and "
                                                           "started. Closing the window stops "
                                                           "it.")));
  else
    dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Stop the Build?"),
                                                         _("A build is running. Closing the "
                                                           "window stops it.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "stop", _("_Stop and Close"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "stop", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (stop_build_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return TRUE;
}

static gboolean
uni_window_close_request (GtkWindow *window)
{
  UniWindow *self = UNI_WINDOW (window);
  g_autoptr(GPtrArray) pages = NULL;
  g_autoptr(GString) body = NULL;
  AdwMessageDialog *dialog;
  int width, height;

  if (ask_stop_build (self))
    return GDK_EVENT_STOP;

  if (!self->close_confirmed)
    {
      if (self->saving_all)
        return GDK_EVENT_STOP;

      pages = list_modified_pages (self);

      if (pages->len > 0)
        {
          body = g_string_new (g_dngettext (GETTEXT_PACKAGE,
                                            "This file has unsaved changes:",
                                            "These files have unsaved changes:",
                                            pages->len));
          g_string_append_c (body, '\n');
          for (guint i = 0; i < pages->len; i++)
            g_string_append_printf (body, "\n%s",
                                    uni_editor_page_get_title (g_ptr_array_index (pages, i)));

          dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Save Changes?"),
                                                               body->str));
          adw_message_dialog_add_responses (dialog,
                                            "cancel", _("_Cancel"),
                                            "discard", _("_Discard All"),
                                            "save", _("_Save All"),
                                            NULL);
          adw_message_dialog_set_response_appearance (dialog, "discard",
                                                      ADW_RESPONSE_DESTRUCTIVE);
          adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
          adw_message_dialog_set_default_response (dialog, "save");
          adw_message_dialog_set_close_response (dialog, "cancel");
          g_signal_connect_object (dialog, "response",
                                   G_CALLBACK (close_window_response_cb), self, 0);
          gtk_window_present (GTK_WINDOW (dialog));

          return GDK_EVENT_STOP;
        }
    }

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (uni_window_parent_class)->close_request (window);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Errors are shown by the page, above the text they concern. */
  if (uni_editor_page_save_finish (UNI_EDITOR_PAGE (object), result, &error))
    {
      if (self->project != NULL)
        uni_project_queue_refresh (self->project);
    }
  else
    g_debug ("Save failed: %s", error->message);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  UniEditorPage *page = get_current_page (self);

  if (page != NULL)
    uni_editor_page_save_async (page, self->cancellable, save_cb, g_object_ref (self));
}

static void
close_tab_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  UniWindow *self = UNI_WINDOW (widget);
  AdwTabPage *tab = adw_tab_view_get_selected_page (self->tab_view);

  if (tab != NULL)
    adw_tab_view_close_page (self->tab_view, tab);
}

static guint64
read_peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  /* procfs is in memory: reading it does not touch the disk. */
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;

  line = strstr (status, "VmHWM:");
  if (line == NULL)
    return 0;

  return g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10);
}

static void
after_paint_cb (UniWindow     *self,
                GdkFrameClock *frame_clock)
{
  GApplication *application;

  g_clear_signal_handler (&self->after_paint_handler, frame_clock);
  self->first_frame_drawn = TRUE;

  if (self->pending_manifest != NULL && self->pending_manifest_idle == 0)
    self->pending_manifest_idle = g_idle_add (open_pending_manifest_cb, self);

  /* Benchmarks time start-up to the first painted frame; off by default. */
  if (g_getenv ("UNISTUDIO_REPORT_FIRST_FRAME") == NULL)
    return;

  printf ("first-frame %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT "\n",
          g_get_monotonic_time (), read_peak_rss_kib ());
  fflush (stdout);

  if (g_strcmp0 (g_getenv ("UNISTUDIO_REPORT_FIRST_FRAME"), "quit") != 0)
    return;

  application = G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  if (application == NULL)
    application = g_application_get_default ();
  if (application != NULL)
    g_application_quit (application);
}

static void
uni_window_realize (GtkWidget *widget)
{
  UniWindow *self = UNI_WINDOW (widget);

  GTK_WIDGET_CLASS (uni_window_parent_class)->realize (widget);

  if (self->frame_clock == NULL)
    {
      self->frame_clock = gtk_widget_get_frame_clock (widget);
      self->after_paint_handler = g_signal_connect_swapped (self->frame_clock,
                                                            "after-paint",
                                                            G_CALLBACK (after_paint_cb),
                                                            self);
    }
}

static void
uni_window_unrealize (GtkWidget *widget)
{
  UniWindow *self = UNI_WINDOW (widget);
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (self->frame_clock != NULL)
    g_clear_signal_handler (&self->after_paint_handler, self->frame_clock);

  /* gtk_window_destroy() unrealizes but does not dispose while a question
   * holds the window: the questions go now, while the window is whole (a
   * dialog outliving its transient parent crashes when destroyed).
   */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i - 1);

      if (gtk_window_get_transient_for (window) == GTK_WINDOW (self))
        gtk_window_destroy (window);
    }

  /* Nor while a build runs: its callbacks hold the window. Stop it, so they
   * end and let go.
   */
  self->build_queued = FALSE;
  self->close_after_build = FALSE;
  g_cancellable_cancel (self->toolchain_cancellable);
  if (self->building)
    _uni_window_stop_pipeline (self);
  /* The unikernel goes with its window; the application waits for its process. */
  _uni_window_stop_unikernel (self);

  GTK_WIDGET_CLASS (uni_window_parent_class)->unrealize (widget);
}

static void
uni_window_constructed (GObject *object)
{
  UniWindow *self = UNI_WINDOW (object);

  G_OBJECT_CLASS (uni_window_parent_class)->constructed (object);

  g_assert (UNI_IS_PROJECT (self->project));

  g_signal_connect_object (self->project, "notify::name",
                           G_CALLBACK (update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project, "notify::branch",
                           G_CALLBACK (update_subtitle), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project, "notify::repository",
                           G_CALLBACK (update_subtitle), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project, "notify::loaded",
                           G_CALLBACK (update_subtitle), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project, "notify::loaded",
                           G_CALLBACK (_uni_window_update_build_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->project, "notify::git-error",
                           G_CALLBACK (update_subtitle), self, G_CONNECT_SWAPPED);

  update_title (self);
  update_subtitle (self);
  uni_file_tree_set_project (self->file_tree, self->project);
  uni_board_panel_set_project (self->board_panel, self->project);
  _uni_window_init_board (self);
  _uni_window_update_targets (self);
  _uni_window_update_build_actions (self);
  if (uni_project_get_loaded (self->project))
    _uni_window_detect_toolchain (self);

  if (!uni_project_get_loaded (self->project))
    uni_project_load_async (self->project,
                            self->cancellable,
                            project_load_cb,
                            g_object_ref (self));
}

static void
uni_window_dispose (GObject *object)
{
  UniWindow *self = UNI_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->toolchain_cancellable);
  g_clear_handle_id (&self->pending_manifest_idle, g_source_remove);
  g_clear_handle_id (&self->mark_editors_id, g_source_remove);
  g_clear_object (&self->pending_manifest);

  /* Never leave a build running behind a window that is gone. */
  if (self->building)
    _uni_window_stop_pipeline (self);
  _uni_window_stop_unikernel (self);
  _uni_window_dispose_board (self);
  if (self->run_job != NULL)
    g_signal_handlers_disconnect_by_data (self->run_job, self);
  g_clear_object (&self->run_job);
  if (self->url_toast != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->url_toast), (gpointer *) &self->url_toast);
  self->url_toast = NULL;
  g_clear_object (&self->plan_cancellable);
  g_clear_pointer (&self->setup_jobs, g_ptr_array_unref);
  g_clear_object (&self->setup_cancellable);
  g_clear_object (&self->setup_job);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_WINDOW);

  g_clear_object (&self->project);
  g_clear_object (&self->settings);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->toolchain);
  g_clear_object (&self->toolchain_cancellable);
  g_clear_object (&self->target_ids);
  self->problems_panel = NULL;

  G_OBJECT_CLASS (uni_window_parent_class)->dispose (object);
}

static void
uni_window_finalize (GObject *object)
{
  UniWindow *self = UNI_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->toolchain_env_id, g_free);
  g_clear_pointer (&self->run_url, g_free);

  G_OBJECT_CLASS (uni_window_parent_class)->finalize (object);
}

static void
uni_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  UniWindow *self = UNI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  UniWindow *self = UNI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_window_class_init (UniWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = uni_window_constructed;
  object_class->dispose = uni_window_dispose;
  object_class->finalize = uni_window_finalize;
  object_class->get_property = uni_window_get_property;
  object_class->set_property = uni_window_set_property;

  widget_class->realize = uni_window_realize;
  widget_class->unrealize = uni_window_unrealize;

  window_class->close_request = uni_window_close_request;

  /**
   * UniWindow:project:
   *
   * The project shown in the window; loaded when the window is created.
   */
  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         UNI_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "win.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "win.close-tab", NULL, close_tab_action);
  gtk_widget_class_install_action (widget_class, "win.build", NULL, _uni_window_build_action);
  gtk_widget_class_install_action (widget_class, "win.run", NULL, _uni_window_run_action);
  gtk_widget_class_install_action (widget_class, "win.stop", NULL, _uni_window_stop_action);
  gtk_widget_class_install_action (widget_class, "win.deploy", NULL, _uni_window_deploy_action);
  gtk_widget_class_install_action (widget_class, "win.board-start", NULL,
                                   _uni_window_board_start_action);
  gtk_widget_class_install_action (widget_class, "win.board-console", NULL,
                                   _uni_window_board_console_action);
  gtk_widget_class_install_action (widget_class, "win.board-stop", NULL,
                                   _uni_window_board_stop_action);
  gtk_widget_class_install_action (widget_class, "win.open-url", "s",
                                   _uni_window_open_url_action);
  gtk_widget_class_install_action (widget_class, "win.copy-url", "s",
                                   _uni_window_copy_url_action);
  gtk_widget_class_install_action (widget_class, "win.show-run-output", NULL,
                                   _uni_window_show_run_output_action);
  gtk_widget_class_install_action (widget_class, "win.show-setup", NULL,
                                   _uni_window_show_setup_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "win.close-tab", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK,
                                       "win.build", NULL);

  g_type_ensure (UNI_TYPE_BOARD_PANEL);
  g_type_ensure (UNI_TYPE_FILE_TREE);
  g_type_ensure (UNI_TYPE_EDITOR_PAGE);
  g_type_ensure (UNI_TYPE_MANIFEST_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-window.ui");
  gtk_widget_class_bind_template_child (widget_class, UniWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, file_tree);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, editor_stack);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, tab_view);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, bottom_view);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, target_dropdown);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, build_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, build_spinner);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_button);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_icon_stack);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_spinner);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_indicator);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_indicator_stack);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_indicator_spinner);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_indicator_label);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_banner);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_banner_title);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, run_banner_output);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, toolchain_bar);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, toolchain_label);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, board_button);
  gtk_widget_class_bind_template_child (widget_class, UniWindow, board_panel);
  gtk_widget_class_bind_template_callback (widget_class, file_tree_file_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_close_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_notify_n_pages_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_notify_selected_page_cb);
  gtk_widget_class_bind_template_callback (widget_class, tab_view_page_detached_cb);
  gtk_widget_class_bind_template_callback_full (widget_class,
                                                "target_dropdown_notify_selected_cb",
                                                G_CALLBACK (_uni_window_target_dropdown_notify_selected_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "bottom_view_close_page_cb",
                                                G_CALLBACK (_uni_window_bottom_view_close_page_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "run_banner_response_cb",
                                                G_CALLBACK (_uni_window_run_banner_response_cb));
}

static void
uni_window_init (UniWindow *self)
{
  g_autoptr(GAction) show_hidden = NULL;
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->target_ids = gtk_string_list_new (NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (_uni_window_target_row_setup_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (_uni_window_target_row_bind_cb), self, 0);
  self->updating_targets = TRUE;
  gtk_drop_down_set_factory (self->target_dropdown, factory);
  gtk_drop_down_set_model (self->target_dropdown, G_LIST_MODEL (self->target_ids));
  self->updating_targets = FALSE;

  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (SETTINGS_SCHEMA_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  show_hidden = g_settings_create_action (self->settings, "show-hidden-files");
  g_action_map_add_action (G_ACTION_MAP (self), show_hidden);
  g_settings_bind (self->settings, "show-hidden-files",
                   self->file_tree, "show-hidden",
                   G_SETTINGS_BIND_GET);

  update_actions (self);
}

/**
 * uni_window_new:
 * @application: (nullable): the application, or %NULL (tests)
 * @project: the project to show
 *
 * Creates the window of @project and starts loading the project.
 *
 * Returns: (transfer none): a new #UniWindow
 */
UniWindow *
uni_window_new (GtkApplication *application,
                UniProject     *project)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (UNI_IS_PROJECT (project), NULL);

  return g_object_new (UNI_TYPE_WINDOW,
                       "application", application,
                       "project", project,
                       NULL);
}

/**
 * uni_window_get_project:
 *
 * Returns: (transfer none): the project of the window
 */
UniProject *
uni_window_get_project (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  return self->project;
}

/**
 * uni_window_get_file_tree:
 *
 * Returns: (transfer none): the project file tree in the sidebar
 */
UniFileTree *
uni_window_get_file_tree (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  return self->file_tree;
}

/**
 * uni_window_get_editor_view:
 *
 * Returns: (transfer none): the tab view holding the #UniEditorPage tabs
 */
AdwTabView *
uni_window_get_editor_view (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  return self->tab_view;
}

/**
 * uni_window_get_bottom_panel:
 *
 * The tabs under the editors: one #UniTerminalPage per job of the last build
 * (Configure, Depend, Build) and of the last run (Run), then the
 * #UniProblemsPanel. Empty until the first build; the panel shows "No Jobs
 * Yet" meanwhile.
 *
 * Returns: (transfer none): the bottom panel's tab view
 */
AdwTabView *
uni_window_get_bottom_panel (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  return self->bottom_view;
}

/**
 * uni_window_get_terminal_page:
 * @self: a #UniWindow
 * @name: a job name: "configure", "depend", "build", "run", "setup"
 *
 * Returns: (transfer none) (nullable): the terminal of that job, once it ran
 */
UniTerminalPage *
uni_window_get_terminal_page (UniWindow  *self,
                              const char *name)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return _uni_window_find_terminal_page (self, name);
}

/**
 * uni_window_get_problems_panel:
 *
 * Returns: (transfer none) (nullable): the Problems tab, once a build ran
 */
UniProblemsPanel *
uni_window_get_problems_panel (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  return self->problems_panel;
}

/**
 * uni_window_get_pipeline:
 *
 * Returns: (transfer none) (nullable): the pipeline of the last build
 */
UniPipeline *
uni_window_get_pipeline (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  return self->pipeline;
}

/**
 * uni_window_get_building:
 *
 * Returns: whether a build (or the setup commands) runs
 */
gboolean
uni_window_get_building (UniWindow *self)
{
  g_return_val_if_fail (UNI_IS_WINDOW (self), FALSE);

  return self->building || self->build_queued;
}

/**
 * uni_window_find_editor:
 * @self: a #UniWindow
 * @file: a file
 *
 * Returns: (transfer none) (nullable): the open page of @file, if any
 */
UniEditorPage *
uni_window_find_editor (UniWindow *self,
                        GFile     *file)
{
  int n_pages;

  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  n_pages = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n_pages; i++)
    {
      AdwTabPage *tab = adw_tab_view_get_nth_page (self->tab_view, i);
      GtkWidget *child = adw_tab_page_get_child (tab);

      if (UNI_IS_EDITOR_PAGE (child) &&
          g_file_equal (uni_editor_page_get_file (UNI_EDITOR_PAGE (child)), file))
        return UNI_EDITOR_PAGE (child);
    }

  return NULL;
}

/**
 * uni_window_open_file:
 * @self: a #UniWindow
 * @file: the file to edit
 *
 * Shows the tab of @file, opening one (and loading the file) if needed.
 *
 * Returns: (transfer none): the page of @file
 */
UniEditorPage *
uni_window_open_file (UniWindow *self,
                      GFile     *file)
{
  UniEditorPage *page;
  AdwTabPage *tab;

  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  page = uni_window_find_editor (self, file);

  if (page == NULL)
    {
      page = uni_editor_page_new (file);
      tab = adw_tab_view_append (self->tab_view, GTK_WIDGET (page));

      g_signal_connect_object (page, "notify::title",
                               G_CALLBACK (update_tab), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::modified",
                               G_CALLBACK (update_tab), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::loading",
                               G_CALLBACK (update_tab), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::loaded",
                               G_CALLBACK (update_tab), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::loaded",
                               G_CALLBACK (_uni_window_schedule_mark_editors), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::read-only",
                               G_CALLBACK (update_tab), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "notify::changed-on-disk",
                               G_CALLBACK (update_tab), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (page, "close-requested",
                               G_CALLBACK (page_close_requested_cb), self, G_CONNECT_SWAPPED);
      update_tab (self, NULL, page);
    }

  tab = adw_tab_view_get_page (self->tab_view, GTK_WIDGET (page));
  adw_tab_view_set_selected_page (self->tab_view, tab);
  gtk_widget_grab_focus (GTK_WIDGET (page));

  return page;
}

/**
 * uni_window_get_manifest_page:
 *
 * Returns: (transfer none) (nullable): the Manifest tab, when open
 */
UniManifestPage *
uni_window_get_manifest_page (UniWindow *self)
{
  int n_pages;

  g_return_val_if_fail (UNI_IS_WINDOW (self), NULL);

  n_pages = adw_tab_view_get_n_pages (self->tab_view);

  for (int i = 0; i < n_pages; i++)
    {
      GtkWidget *child = adw_tab_page_get_child (adw_tab_view_get_nth_page (self->tab_view, i));

      if (UNI_IS_MANIFEST_PAGE (child))
        return UNI_MANIFEST_PAGE (child);
    }

  return NULL;
}
