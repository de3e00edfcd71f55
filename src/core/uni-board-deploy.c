/* uni-board-deploy.c — a built unikernel copied to a board, started, watched and stopped there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board-deploy"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include <glib/gstdio.h>

#include "uni-board-deploy.h"
#include "uni-launch.h"
#include "uni-manifest.h"
#include "uni-runtime-args.h"
#include "uni-xl-config.h"

/* The same bound as the probe's: an unwatched copy never waits for ever on
 * a host that does not answer.
 */
#define CONNECT_TIMEOUT_S 10

/* A console line longer than this is no lease line: keep only its end. */
#define MAX_LINE 4096

G_DEFINE_QUARK (uni-board-deploy-error-quark, uni_board_deploy_error)

struct _UniBoardDeployment
{
  GObject          parent_instance;

  UniBoard        *board;
  UniBoardProfile *profile;
  char            *domain_name;
  char            *local_kernel;
  char            *local_xl;
  char            *xl_text;
  char            *remote_folder;
  char            *written_xl;
  UniLaunch       *launch;
};

G_DEFINE_FINAL_TYPE (UniBoardDeployment, uni_board_deployment, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_REMOTE_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
uni_board_deployment_finalize (GObject *object)
{
  UniBoardDeployment *self = UNI_BOARD_DEPLOYMENT (object);

  g_clear_object (&self->board);
  g_clear_object (&self->profile);
  g_free (self->domain_name);
  g_free (self->local_kernel);
  g_free (self->local_xl);
  g_free (self->xl_text);
  g_free (self->remote_folder);
  g_free (self->written_xl);
  g_clear_pointer (&self->launch, uni_launch_free);

  G_OBJECT_CLASS (uni_board_deployment_parent_class)->finalize (object);
}

static void
uni_board_deployment_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  UniBoardDeployment *self = UNI_BOARD_DEPLOYMENT (object);

  switch (prop_id)
    {
    case PROP_REMOTE_FOLDER:
      g_value_set_string (value, self->remote_folder);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_deployment_class_init (UniBoardDeploymentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_board_deployment_finalize;
  object_class->get_property = uni_board_deployment_get_property;

  properties[PROP_REMOTE_FOLDER] =
    g_param_spec_string ("remote-folder", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PROGRESS] =
    g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3,
                  G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
uni_board_deployment_init (UniBoardDeployment *self)
{
}

/* What the planning thread reads from the project folder. */
typedef struct
{
  char               *project_dir;
  const UniTarget    *target;
  UniMirageVersion    version;
  UniProjectSettings *settings;
  UniBoardDeployment *deployment;
} Locate;

static void
locate_free (Locate *locate)
{
  g_free (locate->project_dir);
  g_clear_object (&locate->settings);
  g_clear_object (&locate->deployment);
  g_free (locate);
}

/* mirage 4 writes the .xl beside config.ml in some releases and under
 * dist/ in others: the first that exists.
 */
static char *
find_built_file (const char *project_dir,
                 const char *relative)
{
  g_autofree char *path = g_build_filename (project_dir, relative, NULL);
  g_autofree char *base = NULL;
  g_autofree char *beside = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  base = g_path_get_basename (relative);
  beside = g_build_filename (project_dir, base, NULL);
  if (g_file_test (beside, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&beside);

  return NULL;
}

static void
locate_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Locate *locate = task_data;
  UniBoardDeployment *self = locate->deployment;
  g_autoptr(GFile) dir = g_file_new_for_path (locate->project_dir);
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  g_autoptr(UniManifest) manifest = NULL;
  g_autoptr(GPtrArray) decls = NULL;
  g_autoptr(UniXlConfig) xl = NULL;
  g_auto(GStrv) artefacts = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  gsize length;

  manifest = uni_manifest_new_for_file (config, cancellable, &error);
  if (manifest == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  decls = uni_runtime_args_load (manifest, dir, cancellable, NULL);
  self->launch = uni_launch_new (manifest, decls, locate->settings,
                                 uni_target_get_id (locate->target), &error);
  if (self->launch == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  name = uni_manifest_get_name (manifest, NULL);
  artefacts = uni_target_dup_artefacts (locate->target, &locate->version,
                                        name != NULL ? name : "main");
  for (guint i = 0; artefacts != NULL && artefacts[i] != NULL; i++)
    {
      char **slot = g_str_has_suffix (artefacts[i], ".xl") ? &self->local_xl
                    : g_str_has_suffix (artefacts[i], ".xen") ? &self->local_kernel
                    : NULL;

      if (slot == NULL || *slot != NULL)
        continue;

      *slot = find_built_file (locate->project_dir, artefacts[i]);
      if (*slot == NULL)
        {
          g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_NOT_BUILT,
                                   /* Translators: %s is a file such as dist/www.xen, then a target */
                                   _("%s is not there: build the %s target first"),
                                   artefacts[i], uni_target_get_title (locate->target));
          return;
        }
    }

  if (self->local_xl == NULL || self->local_kernel == NULL)
    {
      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_NOT_BUILT,
                               _("The %s target makes no Xen kernel and .xl file to deploy"),
                               uni_target_get_title (locate->target));
      return;
    }

  if (!g_file_get_contents (self->local_xl, &self->xl_text, &length, &error))
    {
      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_BAD_XL,
                               "%s", error->message);
      return;
    }

  xl = uni_xl_config_new (self->xl_text, length, &error);
  if (xl == NULL)
    {
      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_BAD_XL,
                               "%s: %s", self->local_xl, error->message);
      return;
    }

  if (uni_xl_config_get_name (xl) == NULL)
    {
      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_BAD_XL,
                               _("%s names no domain (name = \"…\")"), self->local_xl);
      return;
    }
  self->domain_name = g_strdup (uni_xl_config_get_name (xl));

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

/**
 * uni_board_deployment_new_async:
 * @board: the board type
 * @profile: how to reach the board (copied)
 * @project: a loaded project
 * @target: the target built for the board ("xen-arm", "xen")
 * @toolchain: the mirage that built it (its era names the files)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the deployment
 * @user_data: data for @callback
 *
 * See uni-board-deploy.h. Reads the project folder in a thread.
 */
void
uni_board_deployment_new_async (UniBoard            *board,
                                UniBoardProfile     *profile,
                                UniProject          *project,
                                const UniTarget     *target,
                                UniToolchain        *toolchain,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  UniProjectSettings *settings;
  Locate *locate;

  g_return_if_fail (UNI_IS_BOARD (board));
  g_return_if_fail (UNI_IS_BOARD_PROFILE (profile));
  g_return_if_fail (UNI_IS_PROJECT (project));
  g_return_if_fail (target != NULL);
  g_return_if_fail (UNI_IS_TOOLCHAIN (toolchain));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_deployment_new_async);

  locate = g_new0 (Locate, 1);
  locate->project_dir = g_file_get_path (uni_project_get_directory (project));
  locate->target = target;
  locate->version = *uni_toolchain_get_version (toolchain);
  settings = uni_project_get_settings (project);
  locate->settings = settings != NULL ? g_object_ref (settings) : NULL;
  locate->deployment = g_object_new (UNI_TYPE_BOARD_DEPLOYMENT, NULL);
  locate->deployment->board = g_object_ref (board);
  locate->deployment->profile = uni_board_profile_copy (profile);
  locate->deployment->remote_folder = uni_board_profile_dup_remote_folder (profile,
                                                                           uni_project_get_name (project));
  g_task_set_task_data (task, locate, (GDestroyNotify) locate_free);

  g_task_run_in_thread (task, locate_thread);
}

UniBoardDeployment *
uni_board_deployment_new_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

UniBoard *
uni_board_deployment_get_board (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->board;
}

UniBoardProfile *
uni_board_deployment_get_profile (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->profile;
}

const char *
uni_board_deployment_get_domain_name (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->domain_name;
}

const char *
uni_board_deployment_get_local_kernel (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->local_kernel;
}

const char *
uni_board_deployment_get_local_xl (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->local_xl;
}

const char *
uni_board_deployment_get_remote_folder (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->remote_folder;
}

static char *
remote_child (UniBoardDeployment *self,
              const char         *local_path)
{
  g_autofree char *base = g_path_get_basename (local_path);

  return g_strconcat (self->remote_folder, "/", base, NULL);
}

char *
uni_board_deployment_dup_remote_xl (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return remote_child (self, self->local_xl);
}

char *
uni_board_deployment_dup_remote_kernel (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return remote_child (self, self->local_kernel);
}

const char *
uni_board_deployment_get_written_xl (UniBoardDeployment *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);

  return self->written_xl;
}

char *
uni_board_deployment_dup_url (UniBoardDeployment *self,
                              const char         *address)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (self), NULL);
  g_return_val_if_fail (address != NULL, NULL);

  return uni_launch_dup_url_for_address (self->launch, address);
}

/* The folder as ssh's remote shell gets it: the session starts in the
 * login's home, so "~/x" is "x" there and needs no expansion (each word is
 * quoted on the way).
 */
static const char *
folder_from_home (const char *folder)
{
  if (g_str_equal (folder, "~"))
    return ".";
  if (g_str_has_prefix (folder, "~/"))
    return folder + 2;
  return folder;
}

/* ssh's or scp's last words, for a message. */
static char *
last_words (const char *err)
{
  g_autofree char *text = g_strstrip (g_strdup (err != NULL ? err : ""));
  const char *last = strrchr (text, '\n');

  return g_strdup (last != NULL ? last + 1 : text);
}

/* Runs @context unwatched and hands its stdout and stderr to the task's
 * callback through communicate_async.
 */
static GSubprocess *
spawn_unwatched (UniRunContext  *context,
                 GError        **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;

  launcher = uni_run_context_create_launcher (context, &argv, error);
  if (launcher == NULL)
    return NULL;

  g_subprocess_launcher_set_flags (launcher, (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                              | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                              | G_SUBPROCESS_FLAGS_STDERR_PIPE));
  return g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);
}

typedef struct
{
  UniBoardStatus *status;
  GSubprocess    *process;
  char           *temp_dir;
  char           *temp_xl;
  GPtrArray      *files;
  guint           index;
} Copy;

/* A cancelled communicate leaves its process running: end it with the
 * operation.
 */
static void
end_process (GSubprocess *process)
{
  if (process != NULL && g_subprocess_get_identifier (process) != NULL)
    g_subprocess_force_exit (process);
}

static void
copy_free (Copy *copy)
{
  end_process (copy->process);
  g_clear_object (&copy->status);
  g_clear_object (&copy->process);
  if (copy->temp_xl != NULL)
    g_unlink (copy->temp_xl);
  if (copy->temp_dir != NULL)
    g_rmdir (copy->temp_dir);
  g_free (copy->temp_xl);
  g_free (copy->temp_dir);
  g_clear_pointer (&copy->files, g_ptr_array_unref);
  g_free (copy);
}

static void copy_next (GTask *task);

static void
scp_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Copy *copy = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_subprocess_get_if_exited (G_SUBPROCESS (object))
      || g_subprocess_get_exit_status (G_SUBPROCESS (object)) != 0)
    {
      g_autofree char *base = g_path_get_basename (g_ptr_array_index (copy->files, copy->index));
      g_autofree char *words = last_words (err);

      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_COPY,
                               /* Translators: a file name, then scp's message */
                               _("Could not copy %s to the board: %s"), base, words);
      return;
    }

  copy->index++;
  copy_next (g_steal_pointer (&task));
}

/* scp [-P PORT] [-o User=U] [-o K=V]… -o BatchMode=yes -o ConnectTimeout=N
 *     -- FILE HOST:FOLDER/
 * OpenSSH 9 copies over SFTP, so the remote folder is a path, not words
 * for a remote shell.
 */
static UniRunContext *
scp_command (UniBoardDeployment *self,
             const char         *file)
{
  UniBoardProfile *profile = self->profile;
  UniRunContext *context = uni_run_context_new ();
  const char * const *options = uni_board_profile_get_ssh_options (profile);
  g_autofree char *connect = g_strdup_printf ("ConnectTimeout=%u", CONNECT_TIMEOUT_S);
  g_autofree char *destination = NULL;
  const char *host;

  uni_run_context_push_host_layers (context);
  uni_run_context_append_argv (context, "scp");
  uni_run_context_append_argv (context, "-q");
  /* SFTP, never the legacy protocol: its remote shell would split the
   * folder, which holds the user's and the project's names.
   */
  uni_run_context_append_argv (context, "-s");
  if (uni_board_profile_get_port (profile) != 0)
    {
      g_autofree char *port = g_strdup_printf ("%u", uni_board_profile_get_port (profile));

      uni_run_context_append_argv (context, "-P");
      uni_run_context_append_argv (context, port);
    }
  if (uni_board_profile_get_user (profile) != NULL)
    {
      g_autofree char *user = g_strconcat ("User=", uni_board_profile_get_user (profile), NULL);

      uni_run_context_append_argv (context, "-o");
      uni_run_context_append_argv (context, user);
    }
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      uni_run_context_append_argv (context, "-o");
      uni_run_context_append_argv (context, options[i]);
    }
  uni_run_context_append_argv (context, "-o");
  uni_run_context_append_argv (context, "BatchMode=yes");
  uni_run_context_append_argv (context, "-o");
  uni_run_context_append_argv (context, connect);
  uni_run_context_append_argv (context, "--");
  uni_run_context_append_argv (context, file);
  host = uni_board_profile_get_host (profile);
  /* An IPv6 address holds the colon that ends scp's host. */
  if (strchr (host, ':') != NULL)
    destination = g_strconcat ("[", host, "]:", self->remote_folder, "/", NULL);
  else
    destination = g_strconcat (host, ":", self->remote_folder, "/", NULL);
  uni_run_context_append_argv (context, destination);

  return context;
}

static void
copy_next (GTask *task)
{
  UniBoardDeployment *self = g_task_get_source_object (task);
  Copy *copy = g_task_get_task_data (task);
  g_autoptr(UniRunContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  const char *file;

  if (copy->index == copy->files->len)
    {
      g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, copy->index, copy->files->len, NULL);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  file = g_ptr_array_index (copy->files, copy->index);
  base = g_path_get_basename (file);
  g_signal_emit (self, signals[SIGNAL_PROGRESS], 0, copy->index, copy->files->len, base);

  context = scp_command (self, file);
  g_clear_object (&copy->process);
  copy->process = spawn_unwatched (context, &error);
  if (copy->process == NULL)
    {
      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_COPY,
                               _("Could not start scp: %s"), error->message);
      g_object_unref (task);
      return;
    }

  g_subprocess_communicate_utf8_async (copy->process, "", g_task_get_cancellable (task),
                                       scp_done_cb, task);
}

/* The .xl for the board: its kernel in the (now absolute) remote folder,
 * its vifs on the board's bridge. write_temp_xl_thread () then puts it
 * beside nothing of the project's, in a temporary folder, under the .xl's
 * own name.
 */
static gboolean
rewrite_board_xl (UniBoardDeployment  *self,
                Copy                *copy,
                GError             **error)
{
  g_autoptr(UniXlConfig) xl = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *kernel = uni_board_deployment_dup_remote_kernel (self);
  g_auto(GStrv) vifs = NULL;
  const char *bridge = uni_board_profile_get_bridge (self->profile);

  if (bridge == NULL && copy->status != NULL)
    {
      const char * const *bridges = uni_board_status_get_bridges (copy->status);

      if (bridges != NULL)
        bridge = bridges[0];
    }

  xl = uni_xl_config_new (self->xl_text, -1, &local_error);
  if (xl == NULL
      || !uni_xl_config_set_kernel (xl, kernel, &local_error))
    goto bad_xl;

  vifs = uni_xl_config_dup_vifs (xl);
  if (bridge != NULL && vifs != NULL && vifs[0] != NULL
      && !uni_xl_config_set_vif_bridge (xl, bridge, &local_error))
    goto bad_xl;

  g_free (self->written_xl);
  self->written_xl = uni_xl_config_dup_text (xl, NULL);

  return TRUE;

bad_xl:
  g_set_error (error, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_BAD_XL,
               _("Could not rewrite %s for the board: %s"), self->local_xl, local_error->message);
  return FALSE;
}

/* The rewritten .xl on its way to a temporary file, off the main thread. */
typedef struct
{
  char *base;
  char *text;
  char *dir;
  char *path;
} TempXl;

static void
temp_xl_free (TempXl *temp)
{
  g_free (temp->base);
  g_free (temp->text);
  g_free (temp->dir);
  g_free (temp->path);
  g_free (temp);
}

static void
write_temp_xl_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  TempXl *temp = task_data;
  GError *error = NULL;

  temp->dir = g_dir_make_tmp ("unistudio-deploy-XXXXXX", &error);
  if (temp->dir == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  temp->path = g_build_filename (temp->dir, temp->base, NULL);
  if (!g_file_set_contents (temp->path, temp->text, -1, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
temp_xl_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniBoardDeployment *self = g_task_get_source_object (task);
  Copy *copy = g_task_get_task_data (task);
  TempXl *temp = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  /* The copy's end removes whatever was made, written or not. */
  copy->temp_dir = g_steal_pointer (&temp->dir);
  copy->temp_xl = g_steal_pointer (&temp->path);

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  copy->files = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (copy->files, g_strdup (self->local_kernel));
  g_ptr_array_add (copy->files, g_strdup (copy->temp_xl));
  copy_next (g_steal_pointer (&task));
}

static void
mkdir_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniBoardDeployment *self = g_task_get_source_object (task);
  Copy *copy = g_task_get_task_data (task);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, &err, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  folder = g_strdup (out != NULL ? out : "");
  g_strchomp (folder);
  if (!g_subprocess_get_if_exited (G_SUBPROCESS (object))
      || g_subprocess_get_exit_status (G_SUBPROCESS (object)) != 0
      || folder[0] != '/')
    {
      g_autofree char *words = last_words (err);

      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_REMOTE,
                               /* Translators: a folder on the board, then ssh's message */
                               _("Could not make the folder %s on the board: %s"),
                               self->remote_folder, words);
      return;
    }

  if (g_strcmp0 (self->remote_folder, folder) != 0)
    {
      g_free (self->remote_folder);
      self->remote_folder = g_steal_pointer (&folder);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_FOLDER]);
    }

  if (!rewrite_board_xl (self, copy, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  {
    GCancellable *cancellable = g_task_get_cancellable (task);
    g_autoptr(GTask) write = NULL;
    TempXl *temp = g_new0 (TempXl, 1);

    write = g_task_new (NULL, cancellable, temp_xl_written_cb, g_steal_pointer (&task));

    temp->base = g_path_get_basename (self->local_xl);
    temp->text = g_strdup (self->written_xl);
    g_task_set_task_data (write, temp, (GDestroyNotify) temp_xl_free);
    g_task_run_in_thread (write, write_temp_xl_thread);
  }
}

/**
 * uni_board_deployment_copy_async:
 * @self: a #UniBoardDeployment
 * @status: (nullable): a probe of the board, for its bridge
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the files are on the board
 * @user_data: data for @callback
 *
 * See uni-board-deploy.h.
 */
void
uni_board_deployment_copy_async (UniBoardDeployment  *self,
                                 UniBoardStatus      *status,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  /* pwd prints the folder with the home resolved, for the .xl's kernel:
   * xl expands no "~".
   */
  static const char script[] = "mkdir -p -- \"$1\" && cd -- \"$1\" && pwd -P";
  g_autoptr(GTask) task = NULL;
  g_autoptr(UniRunContext) context = NULL;
  g_autoptr(GError) error = NULL;
  Copy *copy;

  g_return_if_fail (UNI_IS_BOARD_DEPLOYMENT (self));
  g_return_if_fail (status == NULL || UNI_IS_BOARD_STATUS (status));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_deployment_copy_async);
  copy = g_new0 (Copy, 1);
  copy->status = status != NULL ? g_object_ref (status) : NULL;
  g_task_set_task_data (task, copy, (GDestroyNotify) copy_free);

  {
    const char * const on_board[] = { "sh", "-c", script, "sh",
                                      folder_from_home (self->remote_folder), NULL };

    context = uni_board_build_command (self->board, self->profile, on_board, FALSE, &error);
  }
  if (context != NULL)
    copy->process = spawn_unwatched (context, &error);
  if (copy->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_subprocess_communicate_utf8_async (copy->process, "", cancellable,
                                       mkdir_done_cb, g_steal_pointer (&task));
}

gboolean
uni_board_deployment_copy_finish (UniBoardDeployment  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
probe_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniBoardDeployment *self = g_task_get_source_object (task);
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = uni_board_probe_finish (UNI_BOARD (object), result, &error);
  if (status == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (uni_board_status_get_state (status) != UNI_BOARD_STATE_OK)
    {
      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_REMOTE,
                               "%s", uni_board_status_get_message (status));
      return;
    }

  g_task_return_int (task, uni_board_status_has_domain (status, self->domain_name, NULL));
}

/**
 * uni_board_deployment_find_domain_async:
 * @self: a #UniBoardDeployment
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the answer
 * @user_data: data for @callback
 *
 * See uni-board-deploy.h.
 */
void
uni_board_deployment_find_domain_async (UniBoardDeployment  *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (UNI_IS_BOARD_DEPLOYMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_deployment_find_domain_async);
  uni_board_probe_async (self->board, self->profile, cancellable, probe_done_cb, task);
}

gboolean
uni_board_deployment_find_domain_finish (UniBoardDeployment  *self,
                                         GAsyncResult        *result,
                                         gboolean            *exists,
                                         GError             **error)
{
  gssize found;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  found = g_task_propagate_int (G_TASK (result), error);
  if (found < 0)
    return FALSE;

  if (exists != NULL)
    *exists = found != 0;
  return TRUE;
}

static void
destroy_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniBoardDeployment *self = g_task_get_source_object (task);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, &out, &err, &error))
    {
      end_process (G_SUBPROCESS (object));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_subprocess_get_if_exited (G_SUBPROCESS (object))
      || g_subprocess_get_exit_status (G_SUBPROCESS (object)) != 0)
    {
      g_autofree char *words = last_words (err);

      g_task_return_new_error (task, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_REMOTE,
                               /* Translators: a domain name, then xl's or ssh's message */
                               _("Could not stop %s: %s"), self->domain_name, words);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * uni_board_deployment_stop_async:
 * @self: a #UniBoardDeployment
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the domain is gone
 * @user_data: data for @callback
 *
 * See uni-board-deploy.h.
 */
void
uni_board_deployment_stop_async (UniBoardDeployment  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(UniRunContext) context = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) on_board = NULL;

  g_return_if_fail (UNI_IS_BOARD_DEPLOYMENT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_deployment_stop_async);

  {
    const char * const xl_args[] = { "destroy", "--", self->domain_name, NULL };

    on_board = uni_board_profile_dup_xl_argv (self->profile, xl_args, FALSE);
  }
  context = uni_board_build_command (self->board, self->profile,
                                     (const char * const *) on_board, FALSE, &error);
  if (context != NULL)
    process = spawn_unwatched (context, &error);
  if (process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_subprocess_communicate_utf8_async (process, "", cancellable,
                                       destroy_done_cb, g_steal_pointer (&task));
}

gboolean
uni_board_deployment_stop_finish (UniBoardDeployment  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

struct _UniBoardConsole
{
  GObject             parent_instance;

  UniBoardDeployment *deployment;
  UniJob             *job;
  GString            *line;
  guint               in_escape;
  char               *address;
  char               *url;
};

G_DEFINE_FINAL_TYPE (UniBoardConsole, uni_board_console, G_TYPE_OBJECT)

enum
{
  CONSOLE_PROP_0,
  CONSOLE_PROP_ADDRESS,
  CONSOLE_PROP_URL,
  CONSOLE_N_PROPS
};

static GParamSpec *console_properties[CONSOLE_N_PROPS];

static void
uni_board_console_finalize (GObject *object)
{
  UniBoardConsole *self = UNI_BOARD_CONSOLE (object);

  if (self->job != NULL)
    g_signal_handlers_disconnect_by_data (self->job, self);
  g_clear_object (&self->job);
  g_clear_object (&self->deployment);
  g_string_free (self->line, TRUE);
  g_free (self->address);
  g_free (self->url);

  G_OBJECT_CLASS (uni_board_console_parent_class)->finalize (object);
}

static void
uni_board_console_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  UniBoardConsole *self = UNI_BOARD_CONSOLE (object);

  switch (prop_id)
    {
    case CONSOLE_PROP_ADDRESS:
      g_value_set_string (value, self->address);
      break;

    case CONSOLE_PROP_URL:
      g_value_set_string (value, self->url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_console_class_init (UniBoardConsoleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_board_console_finalize;
  object_class->get_property = uni_board_console_get_property;

  console_properties[CONSOLE_PROP_ADDRESS] =
    g_param_spec_string ("address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  console_properties[CONSOLE_PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, CONSOLE_N_PROPS, console_properties);
}

static void
uni_board_console_init (UniBoardConsole *self)
{
  self->line = g_string_new (NULL);
}

static void
console_line_done (UniBoardConsole *self)
{
  g_autofree char *address = NULL;

  if (self->address == NULL)
    address = uni_launch_find_address (self->line->str);
  g_string_truncate (self->line, 0);
  if (address == NULL)
    return;

  self->address = g_steal_pointer (&address);
  self->url = uni_board_deployment_dup_url (self->deployment, self->address);
  g_object_notify_by_pspec (G_OBJECT (self), console_properties[CONSOLE_PROP_ADDRESS]);
  g_object_notify_by_pspec (G_OBJECT (self), console_properties[CONSOLE_PROP_URL]);
}

/* Lines as a terminal shows them: CSI and other escape sequences left out,
 * a line ends at "\n" or "\r" (the console comes through a PTY).
 */
static void
job_output_cb (UniJob          *job,
               const char      *data,
               gsize            length,
               UniBoardConsole *self)
{
  for (gsize i = 0; i < length; i++)
    {
      char c = data[i];

      if (self->in_escape)
        {
          /* ESC [ parameters… final byte in @–~; ESC X for the others. */
          if (c >= '@' && c <= '~' && !(c == '[' && self->in_escape == 1))
            self->in_escape = 0;
          else
            self->in_escape = 2;
          continue;
        }

      if (c == '\033')
        self->in_escape = 1;
      else if (c == '\n' || c == '\r')
        console_line_done (self);
      else if (self->line->len < MAX_LINE)
        g_string_append_c (self->line, c);
    }
}

static UniBoardConsole *
console_new (UniBoardDeployment  *deployment,
             const char * const  *xl_args,
             const char          *job_name,
             const char          *title,
             GError             **error)
{
  g_autoptr(UniBoardConsole) self = NULL;
  g_autoptr(UniRunContext) context = NULL;
  g_auto(GStrv) on_board = NULL;

  on_board = uni_board_profile_dup_xl_argv (deployment->profile, xl_args, TRUE);
  context = uni_board_build_command (deployment->board, deployment->profile,
                                     (const char * const *) on_board, TRUE, error);
  if (context == NULL)
    return NULL;
  uni_run_context_set_cwd (context, deployment->remote_folder);

  self = g_object_new (UNI_TYPE_BOARD_CONSOLE, NULL);
  self->deployment = g_object_ref (deployment);
  self->job = uni_job_new (job_name, title, context);
  g_signal_connect (self->job, "output", G_CALLBACK (job_output_cb), self);

  return g_steal_pointer (&self);
}

/**
 * uni_board_console_new_start:
 * @deployment: a deployment whose files are on the board
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a console whose job creates the domain, or
 *   %NULL with %UNI_BOARD_ERROR_INVALID_PROFILE
 */
UniBoardConsole *
uni_board_console_new_start (UniBoardDeployment  *deployment,
                             GError             **error)
{
  g_autofree char *xl_name = NULL;

  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (deployment), NULL);

  /* In the remote folder, so the .xl is found whether or not the folder
   * was resolved in this session.
   */
  xl_name = g_path_get_basename (deployment->local_xl);
  {
    const char * const xl_args[] = { "create", "-c", "--", xl_name, NULL };

    return console_new (deployment, xl_args, "board-start", _("Board Console"), error);
  }
}

/**
 * uni_board_console_new_attach:
 * @deployment: a deployment whose domain runs
 * @error: return location for a #GError
 *
 * Returns: (transfer full): a console whose job attaches to the domain's
 *   console, or %NULL with %UNI_BOARD_ERROR_INVALID_PROFILE
 */
UniBoardConsole *
uni_board_console_new_attach (UniBoardDeployment  *deployment,
                              GError             **error)
{
  g_return_val_if_fail (UNI_IS_BOARD_DEPLOYMENT (deployment), NULL);

  {
    const char * const xl_args[] = { "console", "--", deployment->domain_name, NULL };

    return console_new (deployment, xl_args, "board-console", _("Board Console"), error);
  }
}

UniJob *
uni_board_console_get_job (UniBoardConsole *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_CONSOLE (self), NULL);

  return self->job;
}

const char *
uni_board_console_get_address (UniBoardConsole *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_CONSOLE (self), NULL);

  return self->address;
}

const char *
uni_board_console_get_url (UniBoardConsole *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_CONSOLE (self), NULL);

  return self->url;
}
