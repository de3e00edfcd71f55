/* uni-board.c — a device that runs unikernels under Xen, reached over ssh (a plugin point)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-board.h"
#include "uni-board-private.h"

/* How long ssh may take to open a connection when nobody watches, and how
 * long a whole probe may take before it is given up (a board that accepts
 * the connection and then hangs).
 */
#define CONNECT_TIMEOUT_S 10
#define PROBE_TIMEOUT_S   30

/* What an ssh layer needs, copied: the context may outlive the profile's
 * values.
 */
typedef struct
{
  char     *host;
  char     *user;
  char    **ssh_options;
  guint     port;
  gboolean  interactive;
} SshWrap;

typedef struct
{
  UniBoardProfile *profile;
  char            *marker;
  GSubprocess     *process;
  /* Cancelled by the caller's cancellable or by the time limit. */
  GCancellable    *cancellable;
  GCancellable    *caller_cancellable;
  gulong           cancelled_id;
  guint            timeout_id;
  gboolean         timed_out;
} Probe;

G_DEFINE_QUARK (uni-board-error-quark, uni_board_error)

G_DEFINE_INTERFACE (UniBoard, uni_board, G_TYPE_OBJECT)

static void
uni_board_default_init (UniBoardInterface *iface)
{
}

static void
ssh_wrap_free (gpointer data)
{
  SshWrap *wrap = data;

  g_free (wrap->host);
  g_free (wrap->user);
  g_strfreev (wrap->ssh_options);
  g_free (wrap);
}

static void
add (GPtrArray  *argv,
     const char *arg)
{
  g_ptr_array_add (argv, g_strdup (arg));
}

/* ssh [-tt | -o BatchMode=yes] [-p PORT] [-l USER] [-o K=V]…
 *     [-o ConnectTimeout=N] HOST -- 'REMOTE COMMAND'
 *
 * ssh joins its remote arguments into one string for the login shell,
 * so the command is quoted word by word by
 * uni_run_context_dup_shell_command(); "--" ends ssh's options, which it
 * would otherwise read again after the host. The user goes in -l rather
 * than USER@HOST, so no name is split at an '@'.
 *
 * Interactive (a terminal the user sees): -tt gives the remote command a
 * terminal (a console, a sudo prompt) and hangs it up when ours goes.
 * Otherwise BatchMode: never a prompt nobody can answer, and a bounded
 * connect; the profile's own ConnectTimeout comes first and wins.
 * Host key checking is left as the user's ssh configuration has it.
 */
static gboolean
ssh_wrap (const char * const  *argv,
          const char * const  *env,
          const char          *cwd,
          GPtrArray           *out_argv,
          GPtrArray           *out_env,
          char               **out_cwd,
          gpointer             user_data,
          GError             **error)
{
  SshWrap *wrap = user_data;

  add (out_argv, "ssh");
  if (wrap->interactive)
    {
      add (out_argv, "-tt");
    }
  else
    {
      add (out_argv, "-o");
      add (out_argv, "BatchMode=yes");
    }
  if (wrap->port != 0)
    {
      add (out_argv, "-p");
      g_ptr_array_add (out_argv, g_strdup_printf ("%u", wrap->port));
    }
  if (wrap->user != NULL)
    {
      add (out_argv, "-l");
      add (out_argv, wrap->user);
    }
  for (guint i = 0; wrap->ssh_options[i] != NULL; i++)
    {
      add (out_argv, "-o");
      add (out_argv, wrap->ssh_options[i]);
    }
  if (!wrap->interactive)
    {
      add (out_argv, "-o");
      g_ptr_array_add (out_argv, g_strdup_printf ("ConnectTimeout=%u", CONNECT_TIMEOUT_S));
    }
  add (out_argv, wrap->host);
  add (out_argv, "--");
  g_ptr_array_add (out_argv, uni_run_context_dup_shell_command (argv, env, cwd));

  return TRUE;
}

static void
probe_free (Probe *probe)
{
  g_clear_handle_id (&probe->timeout_id, g_source_remove);
  if (probe->caller_cancellable != NULL)
    g_cancellable_disconnect (probe->caller_cancellable, probe->cancelled_id);
  g_clear_object (&probe->caller_cancellable);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->process);
  g_clear_object (&probe->profile);
  g_free (probe->marker);
  g_free (probe);
}

static void
caller_cancelled_cb (GCancellable *caller_cancellable,
                     GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static gboolean
probe_timeout_cb (gpointer data)
{
  Probe *probe = data;

  probe->timeout_id = 0;
  probe->timed_out = TRUE;
  g_subprocess_force_exit (probe->process);
  g_cancellable_cancel (probe->cancellable);

  return G_SOURCE_REMOVE;
}

static char *
dup_text (GBytes *bytes)
{
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

  return g_utf8_make_valid (data != NULL ? data : "", length);
}

static void
probe_communicate_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (object);
  g_autoptr(GTask) task = user_data;
  Probe *probe = g_task_get_task_data (task);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out_text = NULL;
  g_autofree char *err_text = NULL;
  int status;

  g_clear_handle_id (&probe->timeout_id, g_source_remove);

  if (!g_subprocess_communicate_finish (process, result, &out, &err, &error))
    {
      g_subprocess_force_exit (process);

      if (probe->timed_out)
        g_task_return_pointer (task,
                               uni_board_status_new_timed_out (probe->profile, PROBE_TIMEOUT_S),
                               g_object_unref);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Killed by a signal: no exit status of ssh's to read. */
  status = g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
  out_text = dup_text (out);
  err_text = dup_text (err);

  g_task_return_pointer (task,
                         uni_board_status_new_from_probe (probe->profile, probe->marker,
                                                          status, out_text, err_text),
                         g_object_unref);
}

/**
 * uni_board_get_type_id:
 * @self: a #UniBoard
 *
 * Returns: the board type, as profiles name it ("cubieboard2")
 */
const char *
uni_board_get_type_id (UniBoard *self)
{
  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);

  return UNI_BOARD_GET_IFACE (self)->get_type_id (self);
}

/**
 * uni_board_get_title:
 * @self: a #UniBoard
 *
 * Returns: its name for the user, translated ("Cubieboard2")
 */
const char *
uni_board_get_title (UniBoard *self)
{
  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);

  return UNI_BOARD_GET_IFACE (self)->get_title (self);
}

/**
 * uni_board_get_arch:
 * @self: a #UniBoard
 *
 * Returns: the architecture its unikernels are built for ("armv7", "x86_64")
 */
const char *
uni_board_get_arch (UniBoard *self)
{
  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);

  return UNI_BOARD_GET_IFACE (self)->get_arch (self);
}

/**
 * uni_board_get_target_id:
 * @self: a #UniBoard
 *
 * Returns: the #UniTarget to build for it ("xen-arm", "xen")
 */
const char *
uni_board_get_target_id (UniBoard *self)
{
  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);

  return UNI_BOARD_GET_IFACE (self)->get_target_id (self);
}

/**
 * uni_board_dup_picture_resource:
 * @self: a #UniBoard
 *
 * Returns: (transfer full) (nullable): the resource path of its SVG
 *   picture, with the layers of #UniBoardInterface
 */
char *
uni_board_dup_picture_resource (UniBoard *self)
{
  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);

  if (UNI_BOARD_GET_IFACE (self)->dup_picture_resource == NULL)
    return NULL;

  return UNI_BOARD_GET_IFACE (self)->dup_picture_resource (self);
}

/**
 * uni_board_new_profile:
 * @self: a #UniBoard
 * @name: the profile's name
 *
 * Returns: (transfer full): a profile of this board type with its defaults
 */
UniBoardProfile *
uni_board_new_profile (UniBoard   *self,
                       const char *name)
{
  UniBoardProfile *profile;

  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  profile = uni_board_profile_new (name, uni_board_get_type_id (self));
  if (UNI_BOARD_GET_IFACE (self)->apply_defaults != NULL)
    UNI_BOARD_GET_IFACE (self)->apply_defaults (self, profile);

  return profile;
}

/**
 * uni_board_build_command:
 * @self: a #UniBoard
 * @profile: a profile of this board type
 * @argv_on_board: (array zero-terminated=1): the command to run on the
 *   board (see uni_board_profile_dup_xl_argv() for xl)
 * @interactive: whether it runs in a terminal the user sees (a console,
 *   `xl create -c`, a sudo prompt) rather than unwatched (a poll, a copy)
 * @error: return location for a #GError
 *
 * The command that runs @argv_on_board on the board with the user's own
 * OpenSSH client (so ~/.ssh/config, agents and known_hosts apply; host
 * keys are always checked). The context's folder, when set
 * (uni_run_context_set_cwd()), is the folder on the board to run in; a
 * leading "~/" is the login's home.
 *
 * Returns: (transfer full): a context whose build is `ssh … HOST --
 *   'COMMAND'`, or %NULL with %UNI_BOARD_ERROR_INVALID_PROFILE
 */
UniRunContext *
uni_board_build_command (UniBoard            *self,
                         UniBoardProfile     *profile,
                         const char * const  *argv_on_board,
                         gboolean             interactive,
                         GError             **error)
{
  g_autoptr(UniRunContext) context = NULL;
  SshWrap *wrap;
  const char *user;

  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (profile), NULL);
  g_return_val_if_fail (argv_on_board != NULL && argv_on_board[0] != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!uni_board_profile_check (profile, error))
    return NULL;

  user = uni_board_profile_get_user (profile);
  wrap = g_new0 (SshWrap, 1);
  wrap->host = g_strdup (uni_board_profile_get_host (profile));
  wrap->user = g_strdup (user);
  wrap->ssh_options = g_strdupv ((char **) uni_board_profile_get_ssh_options (profile));
  wrap->port = uni_board_profile_get_port (profile);
  wrap->interactive = interactive;

  context = uni_run_context_new ();
  uni_run_context_push_host_layers (context);
  uni_run_context_push (context, ssh_wrap, wrap, ssh_wrap_free);
  uni_run_context_append_args (context, argv_on_board);

  return g_steal_pointer (&context);
}

/**
 * uni_board_probe_async:
 * @self: a #UniBoard
 * @profile: a profile of this board type
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the status
 * @user_data: data for @callback
 *
 * Asks the board, in one unwatched ssh connection (batch mode: no prompt,
 * `sudo -n`), for its machine, `xl info`, `xl list` and its bridges, and
 * reads the answer into a #UniBoardStatus: a connection that fails is a
 * status too (unknown host, refused, host key unknown or changed...).
 * Never blocks: ssh runs as a subprocess, bounded by a connect timeout
 * and a limit on the whole probe.
 */
void
uni_board_probe_async (UniBoard            *self,
                       UniBoardProfile     *profile,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  static const char * const no_args[] = { NULL };
  g_autoptr(GTask) task = NULL;
  g_autoptr(UniRunContext) context = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) xl_prefix = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) on_board = NULL;
  Probe *probe;

  g_return_if_fail (UNI_IS_BOARD (self));
  g_return_if_fail (UNI_IS_BOARD_PROFILE (profile));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_probe_async);

  probe = g_new0 (Probe, 1);
  probe->profile = uni_board_profile_copy (profile);
  probe->marker = g_strdup_printf ("unistudio-probe-%08x%08x", g_random_int (), g_random_int ());
  probe->cancellable = g_cancellable_new ();
  g_task_set_task_data (task, probe, (GDestroyNotify) probe_free);

  xl_prefix = uni_board_profile_dup_xl_argv (profile, no_args, FALSE);
  on_board = uni_board_probe_dup_argv (probe->marker, (const char * const *) xl_prefix);
  context = uni_board_build_command (self, profile, (const char * const *) on_board, FALSE,
                                     &error);
  if (context == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  launcher = uni_run_context_create_launcher (context, &argv, &error);
  if (launcher == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_subprocess_launcher_set_flags (launcher, (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                              | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                              | G_SUBPROCESS_FLAGS_STDERR_PIPE));
  probe->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  if (probe->process == NULL)
    {
      g_task_return_new_error (task, UNI_BOARD_ERROR, UNI_BOARD_ERROR_FAILED,
                               _("Could not start ssh to reach the board: %s"), error->message);
      return;
    }

  if (cancellable != NULL)
    {
      probe->caller_cancellable = g_object_ref (cancellable);
      probe->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled_cb),
                                                   probe->cancellable, NULL);
    }
  probe->timeout_id = g_timeout_add_seconds (PROBE_TIMEOUT_S, probe_timeout_cb, probe);

  /* No input: stdin is closed at once, as -n would. */
  g_subprocess_communicate_async (probe->process, no_input, probe->cancellable,
                                  probe_communicate_cb, g_steal_pointer (&task));
}

/**
 * uni_board_probe_finish:
 * @self: a #UniBoard
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the board's status, or %NULL with
 *   %UNI_BOARD_ERROR_INVALID_PROFILE, %UNI_BOARD_ERROR_FAILED (ssh could
 *   not start) or %G_IO_ERROR_CANCELLED
 */
UniBoardStatus *
uni_board_probe_finish (UniBoard      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (UNI_IS_BOARD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
