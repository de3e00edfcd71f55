/* uni-clone-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-clone-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-application.h"
#include "uni-clone-dialog.h"
#include "uni-file-util.h"
#include "uni-repository.h"
#include "uni-welcome-window.h"

struct _UniCloneDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  GtkButton            *cancel_button;
  GtkButton            *clone_button;
  GtkRevealer          *status_revealer;
  GtkImage             *status_image;
  GtkLabel             *status_title;
  GtkLabel             *status_label;
  AdwPreferencesGroup  *inputs_group;
  AdwEntryRow          *url_row;
  AdwActionRow         *destination_row;
  AdwEntryRow          *name_row;
  GtkRevealer          *progress_revealer;
  GtkProgressBar       *progress_bar;

  /* Owned */
  GFile                *destination;
  GCancellable         *clone_cancellable;
  GCancellable         *check_cancellable;
  GCancellable         *default_cancellable;
  GtkFileChooserNative *chooser;

  /* Flags */
  guint                 cloning : 1;
  guint                 url_valid : 1;
  guint                 name_edited : 1;
  guint                 setting_name : 1;
  guint                 destination_chosen : 1;
  guint                 disposed : 1;
};

G_DEFINE_FINAL_TYPE (UniCloneDialog, uni_clone_dialog, ADW_TYPE_WINDOW)

enum {
  CLONED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One clone: outlives the dialog if the user closes it mid-way. */
typedef struct
{
  UniCloneDialog *self;
  GCancellable   *cancellable;
  /* Held until the clone is over, cleanup included: quitting while the
   * worker still writes would leave a half-made folder behind.
   */
  GApplication   *application;
} CloneOp;

static void
clone_op_clear (CloneOp *op)
{
  g_clear_object (&op->self);
  g_clear_object (&op->cancellable);
  if (op->application != NULL)
    {
      g_application_release (op->application);
      g_clear_object (&op->application);
    }
}

static CloneOp *
clone_op_ref (CloneOp *op)
{
  return g_rc_box_acquire (op);
}

static void
clone_op_unref (CloneOp *op)
{
  g_rc_box_release_full (op, (GDestroyNotify) clone_op_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CloneOp, clone_op_unref)

static gboolean
clone_op_is_current (CloneOp *op)
{
  return !op->self->disposed &&
         op->self->clone_cancellable == op->cancellable &&
         !g_cancellable_is_cancelled (op->cancellable);
}

/* The part after "scheme://", or %NULL when @url has no such scheme. */
static const char *
skip_scheme (const char *url)
{
  g_autofree char *scheme = g_uri_parse_scheme (url);

  if (scheme == NULL || !g_str_has_prefix (url + strlen (scheme), "://"))
    return NULL;

  return url + strlen (scheme) + strlen ("://");
}

static gboolean
has_scheme_and_rest (const char *url)
{
  const char *rest = skip_scheme (url);

  return rest != NULL && rest[0] != '\0';
}

/* git's scp-like syntax, user@host:path; a plain host:path is too easily a file name. */
static gboolean
is_scp_style (const char *url)
{
  return g_regex_match_simple ("^[A-Za-z0-9._~+-]+@[A-Za-z0-9.-]+:.+$", url, 0, 0);
}

static gboolean
is_local_path (const char *url)
{
  return url[0] == '/' || g_str_has_prefix (url, "~/");
}

static char *
expand_home (const char *path)
{
  if (g_str_has_prefix (path, "~/"))
    return g_build_filename (g_get_home_dir (), path + 2, NULL);

  return g_strdup (path);
}

static char *
dup_stripped_url (UniCloneDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
}

/* The folder name git would pick: the last path component without ".git". */
static char *
derive_folder_name (const char *url)
{
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;
  g_autofree char *unescaped = NULL;
  const char *rest = skip_scheme (url);
  const char *slash;
  gsize len;

  if (rest != NULL)
    path = g_strdup (rest);
  else if (is_scp_style (url))
    path = g_strdup (strchr (url, ':') + 1);
  else
    path = g_strdup (url);

  /* Drop a query or fragment, then trailing slashes. */
  path[strcspn (path, "?#")] = '\0';
  len = strlen (path);
  while (len > 0 && path[len - 1] == '/')
    path[--len] = '\0';

  slash = strrchr (path, '/');
  base = g_strdup (slash ? slash + 1 : path);
  if (g_str_has_suffix (base, ".git"))
    base[strlen (base) - strlen (".git")] = '\0';

  /* A bare host (https://example.com) names no repository. */
  if (slash == NULL && rest != NULL)
    return g_strdup ("");

  if (rest != NULL && (unescaped = g_uri_unescape_string (base, NULL)))
    {
      g_free (base);
      base = g_steal_pointer (&unescaped);
    }

  if (g_str_equal (base, ".") || g_str_equal (base, "..") || strchr (base, '/'))
    return g_strdup ("");

  return g_steal_pointer (&base);
}

static gboolean
name_is_valid (const char *name)
{
  return name[0] != '\0' &&
         strchr (name, '/') == NULL &&
         !g_str_equal (name, ".") &&
         !g_str_equal (name, "..");
}

static char *
dup_folder_name (UniCloneDialog *self)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
}

static gboolean
uni_clone_dialog_can_clone (UniCloneDialog *self)
{
  g_autofree char *name = dup_folder_name (self);

  return !self->cloning &&
         self->url_valid &&
         self->destination != NULL &&
         name_is_valid (name);
}

static void
uni_clone_dialog_update_actions (UniCloneDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clone.clone",
                                 uni_clone_dialog_can_clone (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "clone.choose-destination", !self->cloning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !self->cloning);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), !self->cloning);

  gtk_button_set_label (self->cancel_button, self->cloning ? _("_Stop") : _("_Cancel"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->cancel_button),
                               self->cloning ? _("Stop Cloning") : NULL);
}

static void
uni_clone_dialog_show_status (UniCloneDialog *self,
                              gboolean        is_error,
                              const char     *title,
                              const char     *message)
{
  if (is_error)
    {
      gtk_image_set_from_icon_name (self->status_image, "dialog-error-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_image), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_title), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_title), "dim-label");
    }
  else
    {
      gtk_image_set_from_icon_name (self->status_image, "dialog-information-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_image), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->status_title), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->status_title), "dim-label");
    }

  gtk_label_set_label (self->status_title, title);
  gtk_label_set_label (self->status_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
  gtk_revealer_set_reveal_child (self->status_revealer, TRUE);
}

static void
uni_clone_dialog_set_destination_internal (UniCloneDialog *self,
                                           GFile          *parent_folder)
{
  g_autofree char *path = NULL;
  g_autofree char *collapsed = NULL;
  g_autofree char *display = NULL;

  g_set_object (&self->destination, parent_folder);

  path = g_file_get_path (parent_folder);
  collapsed = uni_path_collapse_home (path);
  display = g_filename_display_name (collapsed);
  adw_action_row_set_subtitle (self->destination_row, display);

  uni_clone_dialog_update_actions (self);
}

static void
check_local_path_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  UniCloneDialog *self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_assert (UNI_IS_CLONE_DIALOG (self));

  self->url_valid = info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
  uni_clone_dialog_update_actions (self);
}

static void
url_changed_cb (UniCloneDialog *self,
                AdwEntryRow    *row)
{
  g_autofree char *url = dup_stripped_url (self);

  g_assert (UNI_IS_CLONE_DIALOG (self));

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);

  if (!self->name_edited)
    {
      g_autofree char *name = derive_folder_name (url);

      self->setting_name = TRUE;
      gtk_editable_set_text (GTK_EDITABLE (self->name_row), name);
      self->setting_name = FALSE;
    }

  if (url[0] == '\0')
    self->url_valid = FALSE;
  else if (has_scheme_and_rest (url) || is_scp_style (url))
    self->url_valid = TRUE;
  else if (is_local_path (url))
    {
      g_autofree char *path = expand_home (url);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      /* Valid once the disk says it is a folder; the dialog waits, never blocks. */
      self->url_valid = FALSE;
      self->check_cancellable = g_cancellable_new ();
      g_file_query_info_async (file,
                               G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_DEFAULT,
                               self->check_cancellable,
                               check_local_path_cb,
                               self);
    }
  else
    self->url_valid = FALSE;

  uni_clone_dialog_update_actions (self);
}

static void
name_changed_cb (UniCloneDialog *self,
                 AdwEntryRow    *row)
{
  g_assert (UNI_IS_CLONE_DIALOG (self));

  /* Once the user typed a name, the URL no longer picks it; clearing it hands it back. */
  if (!self->setting_name)
    self->name_edited = gtk_editable_get_text (GTK_EDITABLE (row))[0] != '\0';

  uni_clone_dialog_update_actions (self);
}

static char *
format_progress (const UniCloneProgress *progress)
{
  if (progress->checkout_total > 0)
    return g_strdup_printf (_("Checking out files %u %%"),
                            (guint) (100.0 * progress->checkout_completed / progress->checkout_total));

  if (progress->total_objects > 0 && progress->received_objects < progress->total_objects)
    return g_strdup_printf (_("Receiving objects %u %%"),
                            (guint) (100.0 * progress->received_objects / progress->total_objects));

  if (progress->total_objects > 0 && progress->indexed_objects < progress->total_objects)
    return g_strdup_printf (_("Indexing objects %u %%"),
                            (guint) (100.0 * progress->indexed_objects / progress->total_objects));

  if (progress->total_objects > 0)
    return g_strdup (_("Checking out files"));

  return g_strdup (_("Connecting…"));
}

static void
clone_progress_cb (const UniCloneProgress *progress,
                   gpointer                user_data)
{
  CloneOp *op = user_data;
  UniCloneDialog *self = op->self;
  g_autofree char *text = NULL;
  double fraction;

  if (!clone_op_is_current (op))
    return;

  /* Phases overlap in what they report; the bar only moves forward. */
  fraction = MAX (uni_clone_progress_get_fraction (progress),
                  gtk_progress_bar_get_fraction (self->progress_bar));
  text = format_progress (progress);

  if (fraction != gtk_progress_bar_get_fraction (self->progress_bar))
    gtk_progress_bar_set_fraction (self->progress_bar, fraction);
  gtk_progress_bar_set_text (self->progress_bar, text);
}

static void
clone_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(CloneOp) op = user_data;
  UniCloneDialog *self = op->self;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GtkWindow) parent = NULL;
  GtkApplication *app;

  directory = uni_repository_clone_finish (result, &error);

  /* Closing the dialog cancelled the clone: nobody is left to tell. */
  if (self->disposed || self->clone_cancellable != op->cancellable)
    return;

  self->cloning = FALSE;
  g_clear_object (&self->clone_cancellable);

  if (directory == NULL)
    {
      gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        uni_clone_dialog_show_status (self, FALSE, _("Clone cancelled"), NULL);
      else
        uni_clone_dialog_show_status (self, TRUE,
                                      _("Could Not Clone the Repository"),
                                      error->message);

      uni_clone_dialog_update_actions (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  gtk_progress_bar_set_fraction (self->progress_bar, 1.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Done"));
  uni_clone_dialog_update_actions (self);

  g_signal_emit (self, signals[CLONED], 0, directory);

  app = gtk_window_get_application (GTK_WINDOW (self));
  if ((parent = gtk_window_get_transient_for (GTK_WINDOW (self))))
    g_object_ref (parent);

  gtk_window_destroy (GTK_WINDOW (self));

  if (UNI_IS_APPLICATION (app) &&
      uni_application_open_project (UNI_APPLICATION (app), directory) != NULL &&
      UNI_IS_WELCOME_WINDOW (parent))
    gtk_window_destroy (parent);
}

static void
clone_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  uni_clone_dialog_start (UNI_CLONE_DIALOG (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  UniCloneDialog *self = UNI_CLONE_DIALOG (widget);

  if (self->cloning)
    uni_clone_dialog_cancel (self);
  else
    gtk_window_close (GTK_WINDOW (self));
}

static void
chooser_response_cb (UniCloneDialog  *self,
                     int              response,
                     GtkNativeDialog *chooser)
{
  g_autoptr(GFile) folder = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))))
    uni_clone_dialog_set_destination (self, folder);

  gtk_native_dialog_destroy (chooser);
  g_clear_object (&self->chooser);
}

static void
choose_destination_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *param)
{
  UniCloneDialog *self = UNI_CLONE_DIALOG (widget);

  if (self->chooser != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_("Choose Destination Folder"),
                                               GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Select"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  if (self->destination != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), self->destination, NULL);
  g_signal_connect_object (self->chooser,
                           "response",
                           G_CALLBACK (chooser_response_cb),
                           self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
default_destination_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  UniCloneDialog *self = user_data;
  g_autoptr(GFileInfo) info = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, NULL);

  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    return;

  /* The answer may arrive after the user (or a test) picked a folder. */
  g_assert (UNI_IS_CLONE_DIALOG (self));
  if (!self->destination_chosen)
    uni_clone_dialog_set_destination_internal (self, G_FILE (object));
}

static gboolean
uni_clone_dialog_close_request (GtkWindow *window)
{
  UniCloneDialog *self = UNI_CLONE_DIALOG (window);

  /* Closing means stop: core removes what was written so far. */
  uni_clone_dialog_cancel (self);

  return GTK_WINDOW_CLASS (uni_clone_dialog_parent_class)->close_request (window);
}

static void
uni_clone_dialog_dispose (GObject *object)
{
  UniCloneDialog *self = (UniCloneDialog *)object;

  self->disposed = TRUE;

  g_cancellable_cancel (self->clone_cancellable);
  g_cancellable_cancel (self->check_cancellable);
  g_cancellable_cancel (self->default_cancellable);
  g_clear_object (&self->clone_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->default_cancellable);

  if (self->chooser != NULL)
    {
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_CLONE_DIALOG);

  g_clear_object (&self->destination);

  G_OBJECT_CLASS (uni_clone_dialog_parent_class)->dispose (object);
}

static void
uni_clone_dialog_class_init (UniCloneDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = uni_clone_dialog_dispose;

  window_class->close_request = uni_clone_dialog_close_request;

  /**
   * UniCloneDialog::cloned:
   * @self: the dialog
   * @directory: the new clone's work tree
   *
   * Emitted when a clone succeeded, before the dialog opens the project and closes.
   */
  signals[CLONED] =
    g_signal_new ("cloned",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/uni-clone-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, clone_button);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, status_revealer);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, status_image);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, status_title);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, inputs_group);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, destination_row);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, UniCloneDialog, progress_bar);
  gtk_widget_class_bind_template_callback (widget_class, url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);

  gtk_widget_class_install_action (widget_class, "clone.clone", NULL, clone_action);
  gtk_widget_class_install_action (widget_class, "clone.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "clone.choose-destination", NULL,
                                   choose_destination_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "clone.cancel", NULL);
}

static void
uni_clone_dialog_init (UniCloneDialog *self)
{
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autoptr(GFile) projects = g_file_get_child (home, "Projects");

  gtk_widget_init_template (GTK_WIDGET (self));

  uni_clone_dialog_set_destination_internal (self, home);

  self->default_cancellable = g_cancellable_new ();
  g_file_query_info_async (projects,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE,
                           G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT,
                           self->default_cancellable,
                           default_destination_cb,
                           self);
}

/**
 * uni_clone_dialog_new:
 * @parent: (nullable): the window the dialog is modal for
 *
 * Returns: (transfer none): a new clone dialog, not yet shown
 */
UniCloneDialog *
uni_clone_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (UNI_TYPE_CLONE_DIALOG,
                       "transient-for", parent,
                       "application", parent ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

/**
 * uni_clone_dialog_set_url:
 * @url: a git URL, scp-style address or local path
 *
 * Fills in the URL as if typed, which also proposes a folder name.
 */
void
uni_clone_dialog_set_url (UniCloneDialog *self,
                          const char     *url)
{
  g_return_if_fail (UNI_IS_CLONE_DIALOG (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
}

/**
 * uni_clone_dialog_set_destination:
 * @parent_folder: the folder the clone goes into
 *
 * Sets the folder that receives the clone's own folder.
 */
void
uni_clone_dialog_set_destination (UniCloneDialog *self,
                                  GFile          *parent_folder)
{
  g_return_if_fail (UNI_IS_CLONE_DIALOG (self));
  g_return_if_fail (G_IS_FILE (parent_folder));

  self->destination_chosen = TRUE;
  uni_clone_dialog_set_destination_internal (self, parent_folder);
}

/**
 * uni_clone_dialog_start:
 *
 * Starts cloning, as the Clone button does; does nothing when the inputs do
 * not allow it.
 */
void
uni_clone_dialog_start (UniCloneDialog *self)
{
  g_autofree char *url = NULL;
  g_autofree char *clone_url = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) target = NULL;
  GtkApplication *application;
  CloneOp *op;

  g_return_if_fail (UNI_IS_CLONE_DIALOG (self));

  if (!uni_clone_dialog_can_clone (self))
    return;

  url = dup_stripped_url (self);
  clone_url = is_local_path (url) ? expand_home (url) : g_strdup (url);
  name = dup_folder_name (self);
  target = g_file_get_child (self->destination, name);

  self->cloning = TRUE;
  self->clone_cancellable = g_cancellable_new ();

  gtk_revealer_set_reveal_child (self->status_revealer, FALSE);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
  gtk_progress_bar_set_text (self->progress_bar, _("Connecting…"));
  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  uni_clone_dialog_update_actions (self);

  op = g_rc_box_new0 (CloneOp);
  op->self = g_object_ref (self);
  op->cancellable = g_object_ref (self->clone_cancellable);
  if ((application = gtk_window_get_application (GTK_WINDOW (self))))
    {
      op->application = G_APPLICATION (g_object_ref (application));
      g_application_hold (op->application);
    }

  uni_repository_clone_async (clone_url,
                              target,
                              clone_progress_cb,
                              clone_op_ref (op),
                              (GDestroyNotify) clone_op_unref,
                              self->clone_cancellable,
                              clone_cb,
                              op);
}

/**
 * uni_clone_dialog_cancel:
 *
 * Stops a running clone; the dialog becomes editable again once core has
 * cleaned up.
 */
void
uni_clone_dialog_cancel (UniCloneDialog *self)
{
  g_return_if_fail (UNI_IS_CLONE_DIALOG (self));

  if (self->cloning)
    g_cancellable_cancel (self->clone_cancellable);
}

/**
 * uni_clone_dialog_get_fraction:
 *
 * Returns: how far the current clone got, between 0 and 1
 */
double
uni_clone_dialog_get_fraction (UniCloneDialog *self)
{
  g_return_val_if_fail (UNI_IS_CLONE_DIALOG (self), 0.0);

  return gtk_progress_bar_get_fraction (self->progress_bar);
}
