/* uni-project.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-project"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-project.h"

/* git rewrites HEAD and the index through lock files and renames, which is
 * a burst of events; one refresh after the burst is enough.
 */
#define REFRESH_DELAY_MSEC 200

struct _UniProject
{
  GObject        parent_instance;

  /* owned */
  GFile         *directory;
  char          *name;
  UniRepository *repository;
  char          *branch;
  GError        *git_error;
  UniProjectSettings *settings;
  GError        *settings_error;
  GFileMonitor  *head_monitor;
  GFileMonitor  *index_monitor;
  GCancellable  *cancellable;
  guint          refresh_source;

  /* flags */
  guint          loaded : 1;
  guint          loading : 1;
  guint          refreshing : 1;
  guint          refresh_again : 1;
};

G_DEFINE_FINAL_TYPE (UniProject, uni_project, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DIRECTORY,
  PROP_NAME,
  PROP_REPOSITORY,
  PROP_BRANCH,
  PROP_LOADED,
  PROP_GIT_ERROR,
  PROP_SETTINGS,
  PROP_SETTINGS_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the load thread found: a repository, or why it could not be read,
 * and the project settings, or why they could not be read.
 */
typedef struct
{
  UniRepository      *repository;
  GError             *git_error;
  UniProjectSettings *settings;
  GError             *settings_error;
} LoadResult;

G_DEFINE_QUARK (uni-project-error-quark, uni_project_error)

static void start_refresh (UniProject *self);

static char *
dup_display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return g_file_get_uri (file);

  return g_filename_display_name (path);
}

static void
uni_project_set_branch (UniProject *self,
                        const char *branch)
{
  if (g_strcmp0 (self->branch, branch) == 0)
    return;

  g_free (self->branch);
  self->branch = g_strdup (branch);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRANCH]);
}

static void
repository_notify_branch_cb (UniProject    *self,
                             GParamSpec    *pspec,
                             UniRepository *repository)
{
  uni_project_set_branch (self, uni_repository_get_branch (repository));
}

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(UniProject) self = user_data;
  g_autoptr(GError) error = NULL;

  self->refreshing = FALSE;

  if (!uni_repository_refresh_finish (UNI_REPOSITORY (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Statuses stay as they were; the next change of HEAD or the index
       * tries again, so there is nothing for the user to act on here.
       */
      g_debug ("Could not refresh the repository status: %s", error->message);
    }

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      start_refresh (self);
    }
}

static void
start_refresh (UniProject *self)
{
  g_assert (UNI_IS_PROJECT (self));

  if (self->repository == NULL)
    return;

  /* One refresh at a time; changes during it get one more afterwards. */
  if (self->refreshing)
    {
      self->refresh_again = TRUE;
      return;
    }

  self->refreshing = TRUE;
  uni_repository_refresh_async (self->repository, self->cancellable,
                                refresh_cb, g_object_ref (self));
}

static gboolean
refresh_timeout_cb (gpointer user_data)
{
  UniProject *self = user_data;

  self->refresh_source = 0;
  start_refresh (self);

  return G_SOURCE_REMOVE;
}

static void
git_file_changed_cb (UniProject        *self,
                     GFile             *file,
                     GFile             *other_file,
                     GFileMonitorEvent  event,
                     GFileMonitor      *monitor)
{
  uni_project_queue_refresh (self);
}

static GFileMonitor *
monitor_git_file (UniProject *self,
                  GFile      *git_dir,
                  const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (git_dir, name);
  g_autoptr(GError) error = NULL;
  GFileMonitor *monitor;

  monitor = g_file_monitor_file (file, G_FILE_MONITOR_NONE, self->cancellable, &error);
  if (monitor == NULL)
    {
      /* Without a monitor the status is only refreshed on request. */
      g_debug ("Could not watch %s: %s", name, error->message);
      return NULL;
    }

  g_signal_connect_object (monitor, "changed",
                           G_CALLBACK (git_file_changed_cb), self, G_CONNECT_SWAPPED);

  return monitor;
}

static void
load_result_free (gpointer data)
{
  LoadResult *result = data;

  g_clear_object (&result->repository);
  g_clear_error (&result->git_error);
  g_clear_object (&result->settings);
  g_clear_error (&result->settings_error);
  g_free (result);
}

static void
uni_project_set_repository (UniProject    *self,
                            UniRepository *repository)
{
  GFile *git_dir;

  /* A load only starts without a repository; see clear_repository(). */
  if (repository == NULL || self->repository != NULL)
    return;

  self->repository = g_object_ref (repository);
  g_signal_connect_object (repository, "notify::branch",
                           G_CALLBACK (repository_notify_branch_cb), self, G_CONNECT_SWAPPED);

  git_dir = uni_repository_get_git_dir (repository);
  self->head_monitor = monitor_git_file (self, git_dir, "HEAD");
  self->index_monitor = monitor_git_file (self, git_dir, "index");

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPOSITORY]);
  uni_project_set_branch (self, uni_repository_get_branch (repository));
}

static void
cancel_monitor (GFileMonitor **monitor)
{
  if (*monitor != NULL)
    g_file_monitor_cancel (*monitor);
  g_clear_object (monitor);
}

/* Undoes uni_project_set_repository(), so that a cancelled load can be retried. */
static void
clear_repository (UniProject *self)
{
  if (self->repository == NULL)
    return;

  g_clear_handle_id (&self->refresh_source, g_source_remove);
  self->refresh_again = FALSE;
  cancel_monitor (&self->head_monitor);
  cancel_monitor (&self->index_monitor);
  g_signal_handlers_disconnect_by_data (self->repository, self);
  g_clear_object (&self->repository);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPOSITORY]);
  uni_project_set_branch (self, NULL);
}

static void
uni_project_set_git_error (UniProject   *self,
                           const GError *git_error)
{
  if (self->git_error == NULL && git_error == NULL)
    return;

  g_clear_error (&self->git_error);
  self->git_error = git_error ? g_error_copy (git_error) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GIT_ERROR]);
}

static void
uni_project_set_settings (UniProject         *self,
                          UniProjectSettings *settings,
                          const GError       *settings_error)
{
  if (self->settings != settings)
    {
      g_set_object (&self->settings, settings);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS]);
    }

  if (self->settings_error != NULL || settings_error != NULL)
    {
      g_clear_error (&self->settings_error);
      self->settings_error = settings_error ? g_error_copy (settings_error) : NULL;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTINGS_ERROR]);
    }
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *directory = task_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *display = dup_display_path (directory);
  LoadResult *result;
  UniRepository *repository;

  info = g_file_query_info (directory, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NONE, cancellable, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_task_return_new_error (task, UNI_PROJECT_ERROR, UNI_PROJECT_ERROR_NOT_FOUND,
                                 _("The folder “%s” does not exist. It may have been moved or deleted."),
                                 display);
      else
        g_task_return_new_error (task, error->domain, error->code,
                                 _("Could not open “%s”: %s"), display, error->message);
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_task_return_new_error (task, UNI_PROJECT_ERROR, UNI_PROJECT_ERROR_NOT_A_DIRECTORY,
                               _("“%s” is a file, not a folder. Open the folder that contains it."),
                               display);
      return;
    }

  result = g_new0 (LoadResult, 1);

  /* Settings that cannot be read do not keep the user out of the project:
   * they get the defaults, the reason, and a file that is not overwritten.
   */
  result->settings = uni_project_settings_new (directory);
  if (!uni_project_settings_load (result->settings, cancellable, &result->settings_error)
      && g_error_matches (result->settings_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&result->settings_error));
      load_result_free (result);
      return;
    }

  repository = uni_repository_open (directory, cancellable, &error);
  if (repository == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          load_result_free (result);
          return;
        }

      /* A folder whose repository cannot be read is still a folder the
       * user can work in, just without git information; they learn why.
       */
      if (!g_error_matches (error, UNI_GIT_ERROR, UNI_GIT_ERROR_NOT_A_REPOSITORY))
        result->git_error = g_steal_pointer (&error);
      g_task_return_pointer (task, result, load_result_free);
      return;
    }

  result->repository = repository;
  g_task_return_pointer (task, result, load_result_free);
}

static void
load_refresh_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniProject *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  self->refreshing = FALSE;

  if (!uni_repository_refresh_finish (UNI_REPOSITORY (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Back to where the load started, so it can be tried again. */
          clear_repository (self);
          self->loading = FALSE;
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_debug ("Could not read the repository status: %s", error->message);
    }

  self->loading = FALSE;
  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);

  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      start_refresh (self);
    }

  g_task_return_boolean (task, TRUE);
}

static void
load_worker_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniProject *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  LoadResult *load;
  UniRepository *repository;
  GCancellable *cancellable;

  load = g_task_propagate_pointer (G_TASK (result), &error);
  if (load == NULL)
    {
      self->loading = FALSE;
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  uni_project_set_git_error (self, load->git_error);
  uni_project_set_settings (self, load->settings, load->settings_error);
  repository = load->repository;

  if (repository == NULL)
    {
      load_result_free (load);
      self->loading = FALSE;
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
      g_task_return_boolean (task, TRUE);
      return;
    }

  uni_project_set_repository (self, repository);
  load_result_free (load);

  cancellable = g_task_get_cancellable (task);
  self->refreshing = TRUE;
  uni_repository_refresh_async (self->repository, cancellable, load_refresh_cb,
                                g_steal_pointer (&task));
}

static void
uni_project_dispose (GObject *object)
{
  UniProject *self = (UniProject *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->refresh_source, g_source_remove);

  if (self->head_monitor != NULL)
    g_file_monitor_cancel (self->head_monitor);
  if (self->index_monitor != NULL)
    g_file_monitor_cancel (self->index_monitor);
  g_clear_object (&self->head_monitor);
  g_clear_object (&self->index_monitor);

  g_clear_object (&self->repository);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (uni_project_parent_class)->dispose (object);
}

static void
uni_project_finalize (GObject *object)
{
  UniProject *self = (UniProject *)object;

  g_clear_object (&self->directory);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->branch, g_free);
  g_clear_error (&self->git_error);
  g_clear_error (&self->settings_error);

  G_OBJECT_CLASS (uni_project_parent_class)->finalize (object);
}

static void
uni_project_constructed (GObject *object)
{
  UniProject *self = (UniProject *)object;
  g_autofree char *basename = NULL;

  G_OBJECT_CLASS (uni_project_parent_class)->constructed (object);

  g_return_if_fail (G_IS_FILE (self->directory));

  basename = g_file_get_basename (self->directory);
  self->name = basename ? g_filename_display_name (basename) : g_strdup ("");
}

static void
uni_project_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  UniProject *self = UNI_PROJECT (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      g_value_set_object (value, self->directory);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_REPOSITORY:
      g_value_set_object (value, self->repository);
      break;

    case PROP_BRANCH:
      g_value_set_string (value, self->branch);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_GIT_ERROR:
      g_value_set_boxed (value, self->git_error);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_SETTINGS_ERROR:
      g_value_set_boxed (value, self->settings_error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_project_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  UniProject *self = UNI_PROJECT (object);

  switch (prop_id)
    {
    case PROP_DIRECTORY:
      self->directory = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_project_class_init (UniProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = uni_project_constructed;
  object_class->dispose = uni_project_dispose;
  object_class->finalize = uni_project_finalize;
  object_class->get_property = uni_project_get_property;
  object_class->set_property = uni_project_set_property;

  properties[PROP_DIRECTORY] =
    g_param_spec_object ("directory", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_REPOSITORY] =
    g_param_spec_object ("repository", NULL, NULL,
                         UNI_TYPE_REPOSITORY,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_BRANCH] =
    g_param_spec_string ("branch", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * UniProject:git-error:
   *
   * Why the folder's repository could not be read, for instance because it
   * belongs to another user; %NULL when it could or when there is none.
   */
  properties[PROP_GIT_ERROR] =
    g_param_spec_boxed ("git-error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * UniProject:settings:
   *
   * The project's own settings (`.unistudio/project.ini`), read with the
   * project; %NULL before it is loaded.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         UNI_TYPE_PROJECT_SETTINGS,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * UniProject:settings-error:
   *
   * Why the settings file could not be read; the settings are then the
   * defaults and are not saved over the file. %NULL when it was read or
   * there is none.
   */
  properties[PROP_SETTINGS_ERROR] =
    g_param_spec_boxed ("settings-error", NULL, NULL,
                        G_TYPE_ERROR,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_project_init (UniProject *self)
{
  self->cancellable = g_cancellable_new ();
}

/**
 * uni_project_new:
 * @directory: the project folder
 *
 * Returns: (transfer full): a project; call uni_project_load_async() next
 */
UniProject *
uni_project_new (GFile *directory)
{
  g_return_val_if_fail (G_IS_FILE (directory), NULL);

  return g_object_new (UNI_TYPE_PROJECT,
                       "directory", directory,
                       NULL);
}

/**
 * uni_project_get_directory:
 * @self: a #UniProject
 *
 * Returns: (transfer none): the project folder
 */
GFile *
uni_project_get_directory (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->directory;
}

/**
 * uni_project_get_name:
 * @self: a #UniProject
 *
 * Returns: the folder name, for display
 */
const char *
uni_project_get_name (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->name;
}

/**
 * uni_project_get_repository:
 * @self: a #UniProject
 *
 * Returns: (transfer none) (nullable): the git repository holding the
 *   folder, %NULL when there is none or before loading
 */
UniRepository *
uni_project_get_repository (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->repository;
}

/**
 * uni_project_get_branch:
 * @self: a #UniProject
 *
 * Returns: (nullable): the current git branch, %NULL without a repository
 */
const char *
uni_project_get_branch (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->branch;
}

/**
 * uni_project_get_git_error:
 * @self: a #UniProject
 *
 * The project still loads when its repository cannot be read; this says
 * why git information is missing.
 *
 * Returns: (transfer none) (nullable): a %UNI_GIT_ERROR, %NULL when the
 *   repository was read or the folder is in none
 */
const GError *
uni_project_get_git_error (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->git_error;
}

/**
 * uni_project_get_settings:
 * @self: a #UniProject
 *
 * Returns: (transfer none) (nullable): the project settings, read during
 *   uni_project_load_async(); %NULL before that
 */
UniProjectSettings *
uni_project_get_settings (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->settings;
}

/**
 * uni_project_get_settings_error:
 * @self: a #UniProject
 *
 * A settings file that cannot be read does not fail the load: the
 * settings are the defaults and saving them refuses to overwrite the file.
 * This says why, for a banner.
 *
 * Returns: (transfer none) (nullable): a %G_KEY_FILE_ERROR or %G_IO_ERROR
 *   naming the file and line, %NULL when the settings were read
 */
const GError *
uni_project_get_settings_error (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), NULL);

  return self->settings_error;
}

/**
 * uni_project_get_loaded:
 * @self: a #UniProject
 *
 * Returns: %TRUE once uni_project_load_async() succeeded
 */
gboolean
uni_project_get_loaded (UniProject *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), FALSE);

  return self->loaded;
}

/**
 * uni_project_queue_refresh:
 * @self: a #UniProject
 *
 * Asks for the git status to be read again soon, for instance after a file
 * was saved. Calls close together are merged into one refresh.
 */
void
uni_project_queue_refresh (UniProject *self)
{
  g_return_if_fail (UNI_IS_PROJECT (self));

  if (self->repository == NULL || self->refresh_source != 0)
    return;

  self->refresh_source = g_timeout_add (REFRESH_DELAY_MSEC, refresh_timeout_cb, self);
}

/**
 * uni_project_load_async:
 * @self: a #UniProject
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the project is loaded
 * @user_data: data for @callback
 *
 * Checks the folder, reads its settings (a settings file that cannot be
 * read is no failure: see uni_project_get_settings_error()), finds its git
 * repository (a folder outside any repository is fine) and reads the first
 * git status, off the main thread.
 */
void
uni_project_load_async (UniProject          *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (UNI_IS_PROJECT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_project_load_async);

  if (self->loaded || self->loading)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING, "%s",
                               _("The project is already loaded"));
      return;
    }

  self->loading = TRUE;

  /* The worker thread may drop its task last; it must not hold the project. */
  worker = g_task_new (NULL, cancellable, load_worker_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_task_data (worker, g_object_ref (self->directory), g_object_unref);
  g_task_run_in_thread (worker, load_thread);
}

/**
 * uni_project_load_finish:
 * @self: a #UniProject
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the project loaded; %UNI_PROJECT_ERROR_NOT_FOUND or
 *   %UNI_PROJECT_ERROR_NOT_A_DIRECTORY otherwise
 */
gboolean
uni_project_load_finish (UniProject    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (UNI_IS_PROJECT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
