/* uni-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "uni-application.h"
#include "uni-clone-dialog.h"
#include "uni-demo.h"
#include "uni-project.h"
#include "uni-welcome-window.h"
#include "uni-window.h"

#define DEFAULT_DEMO "2048"

struct _UniApplication
{
  AdwApplication  parent_instance;

  GCancellable   *cancellable;
};

G_DEFINE_FINAL_TYPE (UniApplication, uni_application, ADW_TYPE_APPLICATION)

static const GOptionEntry main_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open a copy of the bundled 2048 demo project"), NULL },
  { "run", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the project’s unikernel once it is open"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL,
    N_("[PROJECT_DIR…]") },
  { NULL }
};

static GtkWindow *
active_window (UniApplication *self)
{
  return gtk_application_get_active_window (GTK_APPLICATION (self));
}

static void
show_error (UniApplication *self,
            const char     *heading,
            const GError   *error)
{
  GtkWindow *parent = active_window (self);
  AdwMessageDialog *dialog;

  if (parent == NULL)
    parent = uni_application_show_welcome (self);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remember_project (GFile *directory)
{
  g_autofree char *uri = g_file_get_uri (directory);
  g_autofree char *display_name = g_file_get_basename (directory);
  GtkRecentData data = {
    .display_name = display_name,
    .mime_type = (char *) "inode/directory",
    .app_name = (char *) "Unistudio",
    .app_exec = (char *) "unistudio %u",
  };

  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
}

static void
open_demo_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(UniApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) directory = NULL;

  directory = uni_demo_open_copy_finish (result, &error);

  if (directory != NULL)
    uni_application_open_project (self, directory);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_error (self, _("Could Not Open the Demo"), error);

  g_application_release (G_APPLICATION (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  UniApplication *self = user_data;
  g_autoptr(GList) windows = NULL;

  /* A demo copy still in flight must not open a window after this. The
   * application may go on (a window can refuse to close), so it gets a
   * fresh cancellable for what comes next.
   */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* Closing each window lets a project window ask about unsaved changes first. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (const GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  uni_application_show_welcome (UNI_APPLICATION (user_data));
}

static void
open_folder_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  UniApplication *self = user_data;
  GtkWindow *parent = active_window (self);

  if (parent == NULL)
    parent = uni_application_show_welcome (self);

  uni_open_folder_dialog_run (parent, GTK_APPLICATION (self));
}

static void
clone_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  UniApplication *self = user_data;
  GtkWindow *parent = active_window (self);

  if (parent == NULL)
    parent = uni_application_show_welcome (self);

  gtk_window_present (GTK_WINDOW (uni_clone_dialog_new (parent)));
}

static void
open_demo_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  uni_application_open_demo (UNI_APPLICATION (user_data), DEFAULT_DEMO);
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  UniApplication *self = user_data;
  static const char *developers[] = { "The Unistudio developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", active_window (self),
                        "application-name", "Unistudio",
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Unistudio developers"),
                        "version", PACKAGE_VERSION,
                        "website", "https://github.com/unistudio/unistudio",
                        "issue-url", "https://github.com/unistudio/unistudio/issues",
                        "comments", _("An IDE for unikernel projects: edit, build, run and deploy "
                                      "MirageOS unikernels, from your laptop to a Cubieboard2."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
project_loaded_activate_cb (UniProject *project,
                            GParamSpec *pspec,
                            UniWindow  *window)
{
  const char *name = g_object_get_data (G_OBJECT (window), "uni-pending-action");

  if (!uni_project_get_loaded (project) || name == NULL)
    return;

  g_signal_handlers_disconnect_by_func (project, project_loaded_activate_cb, window);
  gtk_widget_activate_action (GTK_WIDGET (window), name, NULL);
  g_object_set_data (G_OBJECT (window), "uni-pending-action", NULL);
}

/* A window's actions wait for its project to be read: so does a request made
 * meanwhile (`unistudio DIR --run`, a D-Bus call right after the window
 * appeared). Build and Run themselves wait for the toolchain. The last
 * request made meanwhile counts.
 */
static void
activate_when_loaded (UniWindow  *window,
                      const char *name)
{
  UniProject *project = uni_window_get_project (window);

  if (uni_project_get_loaded (project))
    {
      gtk_widget_activate_action (GTK_WIDGET (window), name, NULL);
      return;
    }

  if (g_object_get_data (G_OBJECT (window), "uni-pending-action") == NULL)
    /* After the window's own handler, which enables its actions for the loaded project. */
    g_signal_connect_object (project, "notify::loaded", G_CALLBACK (project_loaded_activate_cb),
                             window, G_CONNECT_AFTER);
  g_object_set_data_full (G_OBJECT (window), "uni-pending-action", g_strdup (name), g_free);
}

/* For D-Bus callers too (`gapplication action APP_ID build`): the project window in front. */
static void
activate_window_action (UniApplication *self,
                        const char     *name)
{
  GtkWindow *window = active_window (self);

  if (!UNI_IS_WINDOW (window))
    {
      for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
        if (UNI_IS_WINDOW (l->data))
          {
            window = l->data;
            break;
          }
    }

  if (UNI_IS_WINDOW (window))
    activate_when_loaded (UNI_WINDOW (window), name);
}

static void
build_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  activate_window_action (UNI_APPLICATION (user_data), "win.build");
}

static void
run_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  activate_window_action (UNI_APPLICATION (user_data), "win.run");
}

static void
deploy_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  activate_window_action (UNI_APPLICATION (user_data), "win.deploy");
}

static void
stop_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  activate_window_action (UNI_APPLICATION (user_data), "win.stop");
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "new-window", new_window_action },
  { "open-folder", open_folder_action },
  { "clone", clone_action },
  { "open-demo", open_demo_action },
  { "about", about_action },
  { "build", build_action },
  { "run", run_action },
  { "deploy", deploy_action },
  { "stop", stop_action },
};

static int
uni_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("unistudio %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static int
uni_application_command_line (GApplication            *app,
                              GApplicationCommandLine *command_line)
{
  UniApplication *self = UNI_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **paths = NULL;
  gboolean run = g_variant_dict_contains (options, "run");
  gboolean opened = FALSE;

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &paths))
    {
      for (guint i = 0; paths[i] != NULL; i++)
        {
          g_autoptr(GFile) directory = NULL;
          GtkWindow *window;

          directory = g_application_command_line_create_file_for_arg (command_line, paths[i]);
          window = uni_application_open_project (self, directory);
          if (run)
            activate_when_loaded (UNI_WINDOW (window), "win.run");
          opened = TRUE;
        }
    }

  if (g_variant_dict_contains (options, "demo"))
    {
      uni_application_open_demo (self, DEFAULT_DEMO);
      opened = TRUE;
    }

  if (!opened)
    g_application_activate (app);

  return 0;
}

static void
uni_application_activate (GApplication *app)
{
  UniApplication *self = UNI_APPLICATION (app);
  GtkWindow *window = active_window (self);

  if (window != NULL)
    gtk_window_present (window);
  else
    uni_application_show_welcome (self);
}

static void
uni_application_startup (GApplication *app)
{
  static const struct {
    const char *action;
    const char *accels[2];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "app.new-window", { "<Control>n", NULL } },
    { "app.open-folder", { "<Control>o", NULL } },
    { "app.clone", { "<Control><Shift>o", NULL } },
    /* Application accelerators come before the focused widget: F5 works in a terminal too. */
    { "win.run", { "F5", NULL } },
    { "win.stop", { "<Shift>F5", NULL } },
  };

  G_APPLICATION_CLASS (uni_application_parent_class)->startup (app);

  gtk_source_init ();

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions,
                                   G_N_ELEMENTS (app_actions), app);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           accels[i].action, accels[i].accels);
}

static void
uni_application_shutdown (GApplication *app)
{
  UniApplication *self = UNI_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (uni_application_parent_class)->shutdown (app);
}

static void
uni_application_dispose (GObject *object)
{
  UniApplication *self = UNI_APPLICATION (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (uni_application_parent_class)->dispose (object);
}

static void
uni_application_constructed (GObject *object)
{
  G_OBJECT_CLASS (uni_application_parent_class)->constructed (object);

  /* The same resources serve the default and the .Devel application ids; GApplication
   * derives its own base path from the id in constructed, so ours has to come after.
   */
  g_application_set_resource_base_path (G_APPLICATION (object), RESOURCE_PREFIX);
}

static void
uni_application_class_init (UniApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->constructed = uni_application_constructed;
  object_class->dispose = uni_application_dispose;

  app_class->activate = uni_application_activate;
  app_class->startup = uni_application_startup;
  app_class->shutdown = uni_application_shutdown;
  app_class->command_line = uni_application_command_line;
  app_class->handle_local_options = uni_application_handle_local_options;
}

static void
uni_application_init (UniApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PROJECT_DIR…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Edit, build, run and deploy unikernel projects."));
}

/**
 * uni_application_new:
 * @application_id: the application id
 * @flags: extra flags; %G_APPLICATION_HANDLES_COMMAND_LINE is always set
 *
 * Returns: (transfer full): a new #UniApplication
 */
UniApplication *
uni_application_new (const char        *application_id,
                     GApplicationFlags  flags)
{
  return g_object_new (UNI_TYPE_APPLICATION,
                       "application-id", application_id,
                       "flags", flags | G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

/**
 * uni_application_find_project_window:
 * @self: a #UniApplication
 * @directory: a project folder
 *
 * Returns: (transfer none) (nullable): the window showing @directory, if any
 */
GtkWindow *
uni_application_find_project_window (UniApplication *self,
                                     GFile          *directory)
{
  g_return_val_if_fail (UNI_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      UniProject *project;

      if (!UNI_IS_WINDOW (l->data))
        continue;

      project = uni_window_get_project (l->data);
      if (g_file_equal (uni_project_get_directory (project), directory))
        return l->data;
    }

  return NULL;
}

/**
 * uni_application_open_project:
 * @self: a #UniApplication
 * @directory: the project folder
 *
 * Presents the window of @directory, creating it when the project is not
 * open yet, and records the folder among the recent projects.
 *
 * Returns: (transfer none): the project window
 */
GtkWindow *
uni_application_open_project (UniApplication *self,
                              GFile          *directory)
{
  GtkWindow *window;

  g_return_val_if_fail (UNI_IS_APPLICATION (self), NULL);
  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  window = uni_application_find_project_window (self, directory);
  if (window == NULL)
    {
      g_autoptr(UniProject) project = uni_project_new (directory);

      window = GTK_WINDOW (uni_window_new (GTK_APPLICATION (self), project));
    }

  remember_project (directory);
  gtk_window_present (window);

  return window;
}

/**
 * uni_application_show_welcome:
 * @self: a #UniApplication
 *
 * Returns: (transfer none): the welcome window, presented
 */
GtkWindow *
uni_application_show_welcome (UniApplication *self)
{
  GtkWindow *window = NULL;

  g_return_val_if_fail (UNI_IS_APPLICATION (self), NULL);

  for (const GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l; l = l->next)
    {
      if (UNI_IS_WELCOME_WINDOW (l->data))
        {
          window = l->data;
          break;
        }
    }

  if (window == NULL)
    window = GTK_WINDOW (uni_welcome_window_new (GTK_APPLICATION (self)));

  gtk_window_present (window);

  return window;
}

/**
 * uni_application_open_demo:
 * @self: a #UniApplication
 * @demo_id: a bundled demo, such as "2048"
 *
 * Opens the user's writable copy of a bundled demo, making the copy first
 * when there is none. The installed original is never opened for editing.
 */
void
uni_application_open_demo (UniApplication *self,
                           const char     *demo_id)
{
  g_return_if_fail (UNI_IS_APPLICATION (self));
  g_return_if_fail (demo_id != NULL);

  /* Keep the application alive while the copy is made off the main loop. */
  g_application_hold (G_APPLICATION (self));
  uni_demo_open_copy_async (demo_id, self->cancellable, open_demo_cb, g_object_ref (self));
}
