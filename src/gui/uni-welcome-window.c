/* uni-welcome-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-welcome-window"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-application.h"
#include "uni-clone-dialog.h"
#include "uni-file-util.h"
#include "uni-recent-projects.h"
#include "uni-welcome-window.h"
#include "uni-window.h"

struct _UniWelcomeWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  GtkImage             *app_icon;
  GtkListBox           *recent_list;

  /* Owned */
  GtkRecentManager     *recent_manager;
  UniRecentProjects    *recent;

  /* Flags */
  guint                 close_on_project_window : 1;
};

G_DEFINE_FINAL_TYPE (UniWelcomeWindow, uni_welcome_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_RECENT_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
uni_welcome_window_open_project (UniWelcomeWindow *self,
                                 GFile            *directory)
{
  GtkApplication *app;

  g_assert (UNI_IS_WELCOME_WINDOW (self));
  g_assert (G_IS_FILE (directory));

  app = gtk_window_get_application (GTK_WINDOW (self));

  if (!UNI_IS_APPLICATION (app))
    return;

  if (uni_application_open_project (UNI_APPLICATION (app), directory) != NULL)
    gtk_window_destroy (GTK_WINDOW (self));
}

static UniRecentProject *
uni_welcome_window_find_recent (UniWelcomeWindow *self,
                                const char       *uri)
{
  guint n_items = g_list_model_get_n_items (G_LIST_MODEL (self->recent));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(UniRecentProject) project = g_list_model_get_item (G_LIST_MODEL (self->recent), i);

      if (g_strcmp0 (uni_recent_project_get_uri (project), uri) == 0)
        return g_steal_pointer (&project);
    }

  return NULL;
}

static void
uni_welcome_window_forget (UniWelcomeWindow *self,
                           const char       *uri)
{
  g_autoptr(UniRecentProject) project = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (UNI_IS_WELCOME_WINDOW (self));

  if (!(project = uni_welcome_window_find_recent (self, uri)))
    return;

  /* Failing here means another program forgot it first: the list follows
   * the recent manager's next change notification either way.
   */
  if (!uni_recent_projects_remove (self->recent, project, &error))
    g_debug ("Could not forget %s: %s", uri, error->message);
}

static void
update_recent_row (AdwActionRow     *row,
                   UniRecentProject *project)
{
  GtkImage *status_image = g_object_get_data (G_OBJECT (row), "uni-status-image");
  const char *path = uni_recent_project_get_path (project);
  g_autofree char *collapsed = uni_path_collapse_home (path);
  g_autofree char *display = g_filename_display_name (collapsed);

  if (uni_recent_project_get_exists (project))
    {
      gtk_image_set_from_icon_name (status_image, "folder-symbolic");
      gtk_widget_remove_css_class (GTK_WIDGET (status_image), "warning");
      gtk_widget_remove_css_class (GTK_WIDGET (row), "missing");
      adw_action_row_set_subtitle (row, display);
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), NULL);
    }
  else
    {
      gtk_image_set_from_icon_name (status_image, "dialog-warning-symbolic");
      gtk_widget_add_css_class (GTK_WIDGET (status_image), "warning");
      gtk_widget_add_css_class (GTK_WIDGET (row), "missing");
      adw_action_row_set_subtitle (row, _("Folder not found"));
      gtk_widget_set_tooltip_text (GTK_WIDGET (row), display);
    }
}

static void
project_exists_changed_cb (UniRecentProject *project,
                           GParamSpec       *pspec,
                           AdwActionRow     *row)
{
  update_recent_row (row, project);
}

static GtkWidget *
create_recent_row_cb (gpointer item,
                      gpointer user_data)
{
  UniRecentProject *project = item;
  GtkWidget *row;
  GtkWidget *status_image;
  GtkWidget *remove_button;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), uni_recent_project_get_name (project));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_add_css_class (row, "recent-project");

  status_image = g_object_new (GTK_TYPE_IMAGE,
                               "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                               NULL);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), status_image);
  g_object_set_data (G_OBJECT (row), "uni-status-image", status_image);

  remove_button = g_object_new (GTK_TYPE_BUTTON,
                                "icon-name", "window-close-symbolic",
                                "tooltip-text", _("Remove from Recent Projects"),
                                "valign", GTK_ALIGN_CENTER,
                                "action-name", "welcome.remove-recent",
                                "action-target", g_variant_new_string (uni_recent_project_get_uri (project)),
                                NULL);
  gtk_widget_add_css_class (remove_button, "flat");
  gtk_widget_add_css_class (remove_button, "circular");
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove from Recent Projects"),
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove_button);

  g_signal_connect_object (project,
                           "notify::exists",
                           G_CALLBACK (project_exists_changed_cb),
                           row,
                           0);
  update_recent_row (ADW_ACTION_ROW (row), project);

  return row;
}

static void
missing_response_cb (UniWelcomeWindow *self,
                     const char       *response,
                     AdwMessageDialog *dialog)
{
  if (g_strcmp0 (response, "remove") == 0)
    uni_welcome_window_forget (self, g_object_get_data (G_OBJECT (dialog), "uni-uri"));
}

static void
uni_welcome_window_offer_to_forget (UniWelcomeWindow *self,
                                    UniRecentProject *project)
{
  g_autofree char *collapsed = uni_path_collapse_home (uni_recent_project_get_path (project));
  g_autofree char *display = g_filename_display_name (collapsed);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Folder Not Found"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("“%s” was moved or deleted. Remove it from Recent Projects?"),
                                  display);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog),
                                              "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "uni-uri",
                          g_strdup (uni_recent_project_get_uri (project)), g_free);
  g_signal_connect_object (dialog,
                           "response",
                           G_CALLBACK (missing_response_cb),
                           self,
                           G_CONNECT_SWAPPED);

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
recent_row_activated_cb (UniWelcomeWindow *self,
                         GtkListBoxRow    *row,
                         GtkListBox       *list_box)
{
  g_autoptr(UniRecentProject) project = NULL;
  g_autoptr(GFile) directory = NULL;

  g_assert (UNI_IS_WELCOME_WINDOW (self));

  project = g_list_model_get_item (G_LIST_MODEL (self->recent), gtk_list_box_row_get_index (row));
  if (project == NULL)
    return;

  if (!uni_recent_project_get_exists (project))
    {
      uni_welcome_window_offer_to_forget (self, project);
      return;
    }

  directory = uni_recent_project_dup_file (project);
  uni_welcome_window_open_project (self, directory);
}

static void
is_active_changed_cb (UniWelcomeWindow *self,
                      GParamSpec       *pspec,
                      gpointer          user_data)
{
  /* Folders come and go while the user is elsewhere: look again on return. */
  if (gtk_window_is_active (GTK_WINDOW (self)))
    uni_recent_projects_recheck (self->recent);
}

static void
window_added_cb (UniWelcomeWindow *self,
                 GtkWindow        *window,
                 GtkApplication   *app)
{
  if (self->close_on_project_window && UNI_IS_WINDOW (window))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
open_folder_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  UniWelcomeWindow *self = UNI_WELCOME_WINDOW (widget);

  uni_open_folder_dialog_run (GTK_WINDOW (self), gtk_window_get_application (GTK_WINDOW (self)));
}

static void
clone_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *param)
{
  UniCloneDialog *dialog = uni_clone_dialog_new (GTK_WINDOW (widget));

  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_demo_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  UniWelcomeWindow *self = UNI_WELCOME_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  if (!UNI_IS_APPLICATION (app))
    return;

  /* The demo may be copied before its window appears: leave when it does. */
  if (!self->close_on_project_window)
    {
      self->close_on_project_window = TRUE;
      g_signal_connect_object (app,
                               "window-added",
                               G_CALLBACK (window_added_cb),
                               self,
                               G_CONNECT_SWAPPED);
    }

  uni_application_open_demo (UNI_APPLICATION (app), "2048");
}

static void
remove_recent_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  uni_welcome_window_forget (UNI_WELCOME_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
uni_welcome_window_constructed (GObject *object)
{
  UniWelcomeWindow *self = (UniWelcomeWindow *)object;

  G_OBJECT_CLASS (uni_welcome_window_parent_class)->constructed (object);

  self->recent = uni_recent_projects_new (self->recent_manager);
  gtk_list_box_bind_model (self->recent_list,
                           G_LIST_MODEL (self->recent),
                           create_recent_row_cb,
                           NULL, NULL);
}

static void
uni_welcome_window_dispose (GObject *object)
{
  UniWelcomeWindow *self = (UniWelcomeWindow *)object;

  if (self->recent_list != NULL)
    gtk_list_box_bind_model (self->recent_list, NULL, NULL, NULL, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_WELCOME_WINDOW);

  g_clear_object (&self->recent);
  g_clear_object (&self->recent_manager);

  G_OBJECT_CLASS (uni_welcome_window_parent_class)->dispose (object);
}

static void
uni_welcome_window_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  UniWelcomeWindow *self = UNI_WELCOME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RECENT_MANAGER:
      g_value_set_object (value, uni_recent_projects_get_manager (self->recent));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_welcome_window_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  UniWelcomeWindow *self = UNI_WELCOME_WINDOW (object);

  switch (prop_id)
    {
    case PROP_RECENT_MANAGER:
      self->recent_manager = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_welcome_window_class_init (UniWelcomeWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = uni_welcome_window_constructed;
  object_class->dispose = uni_welcome_window_dispose;
  object_class->get_property = uni_welcome_window_get_property;
  object_class->set_property = uni_welcome_window_set_property;

  /**
   * UniWelcomeWindow:recent-manager:
   *
   * Where recent projects come from; %NULL at construction means the default
   * manager. Tests pass a manager with a private file.
   */
  properties[PROP_RECENT_MANAGER] =
    g_param_spec_object ("recent-manager", NULL, NULL,
                         GTK_TYPE_RECENT_MANAGER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/uni-welcome-window.ui");
  gtk_widget_class_bind_template_child (widget_class, UniWelcomeWindow, app_icon);
  gtk_widget_class_bind_template_child (widget_class, UniWelcomeWindow, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);

  gtk_widget_class_install_action (widget_class, "welcome.open-folder", NULL, open_folder_action);
  gtk_widget_class_install_action (widget_class, "welcome.clone", NULL, clone_action);
  gtk_widget_class_install_action (widget_class, "welcome.open-demo", NULL, open_demo_action);
  gtk_widget_class_install_action (widget_class, "welcome.remove-recent", "s", remove_recent_action);
}

static void
uni_welcome_window_init (UniWelcomeWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_image_set_from_icon_name (self->app_icon, APPLICATION_ID);

  g_signal_connect (self,
                    "notify::is-active",
                    G_CALLBACK (is_active_changed_cb),
                    NULL);
}

/**
 * uni_welcome_window_new:
 * @application: the application
 *
 * Returns: (transfer none): a new welcome window listing the default recent manager's projects
 */
UniWelcomeWindow *
uni_welcome_window_new (GtkApplication *application)
{
  return uni_welcome_window_new_full (application, NULL);
}

/**
 * uni_welcome_window_new_full:
 * @application: the application
 * @recent_manager: (nullable): where recent projects come from, %NULL for the default
 *
 * Returns: (transfer none): a new welcome window
 */
UniWelcomeWindow *
uni_welcome_window_new_full (GtkApplication   *application,
                             GtkRecentManager *recent_manager)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (!recent_manager || GTK_IS_RECENT_MANAGER (recent_manager), NULL);

  return g_object_new (UNI_TYPE_WELCOME_WINDOW,
                       "application", application,
                       "recent-manager", recent_manager,
                       NULL);
}

/**
 * uni_welcome_window_get_recent:
 *
 * Returns: (transfer none): the recent projects, a #GListModel of
 *   #UniRecentProject, most recent first
 */
GListModel *
uni_welcome_window_get_recent (UniWelcomeWindow *self)
{
  g_return_val_if_fail (UNI_IS_WELCOME_WINDOW (self), NULL);

  return G_LIST_MODEL (self->recent);
}

typedef struct
{
  GtkFileChooserNative *chooser;
  GtkApplication       *app;
  GWeakRef              parent;
} OpenFolder;

static void
open_folder_free (OpenFolder *state)
{
  g_clear_object (&state->chooser);
  g_clear_object (&state->app);
  g_weak_ref_clear (&state->parent);
  g_free (state);
}

static void
open_folder_response_cb (GtkNativeDialog *chooser,
                         int              response,
                         OpenFolder      *state)
{
  g_autoptr(GtkWindow) parent = g_weak_ref_get (&state->parent);
  g_autoptr(GFile) directory = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (directory = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser))) &&
      UNI_IS_APPLICATION (state->app) &&
      uni_application_open_project (UNI_APPLICATION (state->app), directory) != NULL &&
      UNI_IS_WELCOME_WINDOW (parent))
    gtk_window_destroy (parent);

  gtk_native_dialog_destroy (chooser);
  open_folder_free (state);
}

/**
 * uni_open_folder_dialog_run:
 * @parent: (nullable): the window the chooser belongs to
 * @application: (nullable): the application, or %NULL for @parent's
 *
 * Asks for a project folder and opens it. A welcome window as @parent closes
 * once the project's window is open.
 */
void
uni_open_folder_dialog_run (GtkWindow      *parent,
                            GtkApplication *application)
{
  OpenFolder *state;

  g_return_if_fail (!parent || GTK_IS_WINDOW (parent));
  g_return_if_fail (!application || GTK_IS_APPLICATION (application));

  if (application == NULL && parent != NULL)
    application = gtk_window_get_application (parent);

  state = g_new0 (OpenFolder, 1);
  state->chooser = gtk_file_chooser_native_new (_("Open Project Folder"),
                                                parent,
                                                GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                                _("_Open"),
                                                _("_Cancel"));
  state->app = application ? g_object_ref (application) : NULL;
  g_weak_ref_init (&state->parent, parent);

  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (state->chooser), TRUE);
  g_signal_connect (state->chooser,
                    "response",
                    G_CALLBACK (open_folder_response_cb),
                    state);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (state->chooser));
}
