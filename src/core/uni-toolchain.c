/* uni-toolchain.c — the mirage found in a build environment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-toolchain"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "uni-toolchain.h"

/* How long a probe may take: a remote host or a container engine can hang
 * (a dead network, an image pull). UNISTUDIO_PROBE_TIMEOUT sets another
 * number of seconds, for tests.
 */
#define PROBE_TIMEOUT_SECONDS 20

struct _UniToolchain
{
  GObject              parent_instance;

  UniBuildEnvironment *environment;
  char                *mirage_path;
  char                *version_string;
  char                *opam_switch;
  char                *problem;
  GPtrArray           *setup_commands;
  UniMirageVersion     version;
  UniMirageEra         era;

  guint                found : 1;
  guint                has_make : 1;
};

G_DEFINE_FINAL_TYPE (UniToolchain, uni_toolchain, G_TYPE_OBJECT)

typedef enum
{
  PROBE_VERSION,
  PROBE_PATH,
  PROBE_OPAM_SWITCH,
  PROBE_MAKE,
  N_PROBES
} ProbeKind;

/* Each probe runs one command in the environment; detection ends when the
 * last one has answered, whichever order they answer in.
 */
static const char * const probe_argv[N_PROBES][4] = {
  [PROBE_VERSION] = { "mirage", "--version", NULL },
  /* A fixed string, never user data: only a shell knows where it finds a program. */
  [PROBE_PATH] = { "sh", "-c", "command -v mirage", NULL },
  [PROBE_OPAM_SWITCH] = { "opam", "switch", "show", NULL },
  [PROBE_MAKE] = { "make", "--version", NULL },
};

typedef struct
{
  gboolean  spawned;
  gboolean  not_found;
  gboolean  timed_out;
  int       exit_status;
  char     *out;
  char     *err;
  char     *spawn_message;
} ProbeResult;

typedef struct
{
  UniToolchain *toolchain;
  ProbeResult   results[N_PROBES];
  guint         n_pending;
  guint         timeout_seconds;
} Detection;

typedef struct
{
  GTask        *task;
  ProbeKind     kind;
  GCancellable *cancellable;
  gulong        cancelled_id;
  guint         timeout_source;
  GPid          pgid;
  gboolean      timed_out;
} Probe;

static void
probe_free (Probe *probe)
{
  g_cancellable_disconnect (g_task_get_cancellable (probe->task), probe->cancelled_id);
  g_clear_handle_id (&probe->timeout_source, g_source_remove);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->task);
  g_free (probe);
}

/* Runs in the child between fork and exec: async-signal-safe calls only. A
 * group of its own, so that a timeout or a cancel ends what it started too.
 */
static void
probe_child_setup (gpointer user_data)
{
  setsid ();
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
kill_probe_group (Probe *probe)
{
  if (probe->pgid > 0 && kill (-probe->pgid, SIGKILL) != 0 && errno != ESRCH)
    g_debug ("Could not end probe group %d: %s", probe->pgid, g_strerror (errno));
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;

  probe->timeout_source = 0;
  probe->timed_out = TRUE;
  kill_probe_group (probe);
  g_cancellable_cancel (probe->cancellable);

  return G_SOURCE_REMOVE;
}

/* May run in the thread that cancelled the detection. */
static void
detection_cancelled_cb (GCancellable *cancellable,
                        GCancellable *probe_cancellable)
{
  g_cancellable_cancel (probe_cancellable);
}

static void
detection_free (gpointer data)
{
  Detection *detection = data;

  for (guint i = 0; i < N_PROBES; i++)
    {
      g_free (detection->results[i].out);
      g_free (detection->results[i].err);
      g_free (detection->results[i].spawn_message);
    }
  g_clear_object (&detection->toolchain);
  g_free (detection);
}

static char *
bytes_to_text (GBytes *bytes)
{
  gsize size = 0;
  const char *data;

  if (bytes == NULL)
    return g_strdup ("");

  data = g_bytes_get_data (bytes, &size);
  return g_utf8_make_valid (data != NULL ? data : "", size);
}

static void
finish_detection (GTask *task)
{
  Detection *detection = g_task_get_task_data (task);
  UniToolchain *self = detection->toolchain;
  ProbeResult *version = &detection->results[PROBE_VERSION];
  ProbeResult *path = &detection->results[PROBE_PATH];
  ProbeResult *opam = &detection->results[PROBE_OPAM_SWITCH];
  ProbeResult *make = &detection->results[PROBE_MAKE];
  g_autofree char *title = NULL;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  title = uni_build_environment_get_title (self->environment);

  if (version->not_found || (version->spawned && version->exit_status == 127))
    {
      const char *init[] = { "opam", "init", "-y", NULL };
      const char *install[] = { "opam", "install", "-y", "mirage", NULL };

      self->problem = g_strdup_printf (_("mirage was not found in %s"), title);
      g_ptr_array_add (self->setup_commands, g_strdupv ((char **) init));
      g_ptr_array_add (self->setup_commands, g_strdupv ((char **) install));
    }
  else if (version->timed_out)
    {
      self->problem = g_strdup_printf (ngettext ("mirage in %s did not answer within %u second",
                                                 "mirage in %s did not answer within %u seconds",
                                                 detection->timeout_seconds),
                                       title, detection->timeout_seconds);
    }
  else if (!version->spawned)
    {
      self->problem = g_strdup_printf (_("mirage could not be started in %s: %s"),
                                       title, version->spawn_message);
    }
  else if (version->exit_status != 0)
    {
      g_autofree char *output = g_strstrip (g_strdup (*version->err != '\0' ? version->err
                                                                            : version->out));

      self->problem = g_strdup_printf (_("“mirage --version” failed in %s (exit status %d): %s"),
                                       title, version->exit_status, output);
    }
  else
    {
      g_autofree char *text = g_strstrip (g_strdup (version->out));

      if (uni_mirage_version_parse (text, &self->version))
        {
          self->found = TRUE;
          self->era = uni_mirage_version_get_era (&self->version);
          self->version_string = g_strdup (text[0] == 'v' || text[0] == 'V' ? text + 1 : text);
        }
      else
        {
          self->problem = g_strdup_printf (_("mirage in %s printed “%s” instead of a version"),
                                           title, text);
        }
    }

  if (self->found)
    {
      if (path->spawned && path->exit_status == 0 && *g_strstrip (path->out) != '\0')
        self->mirage_path = g_strdup (path->out);
      else
        self->mirage_path = g_strdup ("mirage");
    }

  if (opam->spawned && opam->exit_status == 0 && *g_strstrip (opam->out) != '\0')
    self->opam_switch = g_strdup (opam->out);

  self->has_make = make->spawned && make->exit_status == 0;

  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

static void
probe_done (GTask *task)
{
  Detection *detection = g_task_get_task_data (task);

  g_assert (detection->n_pending > 0);

  if (--detection->n_pending == 0)
    finish_detection (task);
}

static void
probe_communicate_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GSubprocess *subprocess = G_SUBPROCESS (object);
  Probe *probe = user_data;
  g_autoptr(GTask) task = g_object_ref (probe->task);
  Detection *detection = g_task_get_task_data (task);
  ProbeResult *probe_result = &detection->results[probe->kind];
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GError) error = NULL;

  if (g_subprocess_communicate_finish (subprocess, result, &out, &err, &error))
    {
      probe_result->spawned = TRUE;
      probe_result->out = bytes_to_text (out);
      probe_result->err = bytes_to_text (err);
      if (g_subprocess_get_if_exited (subprocess))
        probe_result->exit_status = g_subprocess_get_exit_status (subprocess);
      else
        probe_result->exit_status = -1;
    }
  else
    {
      /* Cancelled, timed out, or the pipes broke: nothing it started may
       * outlive us.
       */
      kill_probe_group (probe);
      g_subprocess_force_exit (subprocess);
      probe_result->timed_out = probe->timed_out;
      probe_result->spawn_message = g_strdup (error->message);
    }

  probe_free (probe);
  probe_done (task);
}

static void
start_probe (GTask     *task,
             ProbeKind  kind)
{
  Detection *detection = g_task_get_task_data (task);
  ProbeResult *probe_result = &detection->results[kind];
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) subprocess = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  Probe *probe;

  uni_run_context_push_host_layers (context);
  if (!uni_build_environment_wrap (detection->toolchain->environment, context, &error))
    {
      probe_result->spawn_message = g_strdup (error->message);
      probe_done (task);
      return;
    }

  uni_run_context_append_args (context, probe_argv[kind]);

  launcher = uni_run_context_create_launcher (context, &argv, &error);
  if (launcher != NULL)
    {
      /* stdin is /dev/null: ssh or an engine must never wait for our input. */
      g_subprocess_launcher_set_flags (launcher,
                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                       | G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_child_setup (launcher, probe_child_setup, NULL, NULL);
      subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
    }

  if (subprocess == NULL)
    {
      probe_result->not_found = g_error_matches (error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT)
                                || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      probe_result->spawn_message = g_strdup (error->message);
      probe_done (task);
      return;
    }

  probe = g_new0 (Probe, 1);
  probe->task = g_object_ref (task);
  probe->kind = kind;
  probe->cancellable = g_cancellable_new ();
  /* Right after the spawn: the child is alive, or the probe is over anyway. */
  if (g_subprocess_get_identifier (subprocess) != NULL)
    probe->pgid = atoi (g_subprocess_get_identifier (subprocess));
  if (g_task_get_cancellable (task) != NULL)
    probe->cancelled_id = g_cancellable_connect (g_task_get_cancellable (task),
                                                 G_CALLBACK (detection_cancelled_cb),
                                                 g_object_ref (probe->cancellable),
                                                 g_object_unref);
  probe->timeout_source = g_timeout_add_seconds (detection->timeout_seconds,
                                                 probe_timeout_cb, probe);
  g_subprocess_communicate_async (subprocess, NULL, probe->cancellable,
                                  probe_communicate_cb, probe);
}

static void
uni_toolchain_finalize (GObject *object)
{
  UniToolchain *self = UNI_TOOLCHAIN (object);

  g_clear_object (&self->environment);
  g_clear_pointer (&self->mirage_path, g_free);
  g_clear_pointer (&self->version_string, g_free);
  g_clear_pointer (&self->opam_switch, g_free);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->setup_commands, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_toolchain_parent_class)->finalize (object);
}

static void
uni_toolchain_class_init (UniToolchainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_toolchain_finalize;
}

static void
uni_toolchain_init (UniToolchain *self)
{
  self->setup_commands = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  self->era = UNI_MIRAGE_ERA_UNKNOWN;
}

/**
 * uni_toolchain_detect_async:
 * @environment: where to look
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the toolchain
 * @user_data: closure data
 *
 * Runs the probes side by side through @environment; nothing blocks.
 */
void
uni_toolchain_detect_async (UniBuildEnvironment *environment,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Detection *detection;

  g_return_if_fail (UNI_IS_BUILD_ENVIRONMENT (environment));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_toolchain_detect_async);

  detection = g_new0 (Detection, 1);
  detection->timeout_seconds = PROBE_TIMEOUT_SECONDS;
  if (g_getenv ("UNISTUDIO_PROBE_TIMEOUT") != NULL)
    detection->timeout_seconds = CLAMP (atoi (g_getenv ("UNISTUDIO_PROBE_TIMEOUT")), 1, 3600);
  detection->toolchain = g_object_new (UNI_TYPE_TOOLCHAIN, NULL);
  detection->toolchain->environment = g_object_ref (environment);
  detection->n_pending = N_PROBES;
  g_task_set_task_data (task, detection, detection_free);

  for (guint kind = 0; kind < N_PROBES; kind++)
    start_probe (task, kind);
}

/**
 * uni_toolchain_detect_finish:
 * @result: the result given to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the toolchain, even when mirage is missing or
 *   cannot start there (see uni_toolchain_get_found()), or %NULL when cancelled
 */
UniToolchain *
uni_toolchain_detect_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == uni_toolchain_detect_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
uni_toolchain_get_found (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), FALSE);

  return self->found;
}

/**
 * uni_toolchain_get_mirage_path:
 * @self: a #UniToolchain
 *
 * Returns: (nullable): where mirage is inside the environment, %NULL when
 *   not found
 */
const char *
uni_toolchain_get_mirage_path (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->mirage_path;
}

/**
 * uni_toolchain_get_version:
 * @self: a #UniToolchain
 *
 * Returns: (nullable): the version, %NULL when mirage was not found
 */
const UniMirageVersion *
uni_toolchain_get_version (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->found ? &self->version : NULL;
}

/**
 * uni_toolchain_get_version_string:
 * @self: a #UniToolchain
 *
 * Returns: (nullable): the version as printed, without its `v`: "4.4.2"
 */
const char *
uni_toolchain_get_version_string (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->version_string;
}

UniMirageEra
uni_toolchain_get_era (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), UNI_MIRAGE_ERA_UNKNOWN);

  return self->era;
}

/**
 * uni_toolchain_get_opam_switch:
 * @self: a #UniToolchain
 *
 * Returns: (nullable): what `opam switch show` printed, %NULL without opam
 */
const char *
uni_toolchain_get_opam_switch (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->opam_switch;
}

gboolean
uni_toolchain_get_has_make (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), FALSE);

  return self->has_make;
}

/**
 * uni_toolchain_get_problem:
 * @self: a #UniToolchain
 *
 * Returns: (nullable): a translated sentence for a banner when mirage is
 *   missing or unusable, %NULL when all is well
 */
const char *
uni_toolchain_get_problem (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->problem;
}

/**
 * uni_toolchain_get_setup_commands:
 * @self: a #UniToolchain
 *
 * Returns: (transfer none) (element-type GStrv): the argv vectors that set
 *   up mirage in the environment, for a terminal; empty when nothing is missing
 */
GPtrArray *
uni_toolchain_get_setup_commands (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->setup_commands;
}

/**
 * uni_toolchain_get_environment:
 * @self: a #UniToolchain
 *
 * Returns: (transfer none): where this toolchain was looked for
 */
UniBuildEnvironment *
uni_toolchain_get_environment (UniToolchain *self)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), NULL);

  return self->environment;
}

/**
 * uni_toolchain_supports:
 * @self: a #UniToolchain
 * @target: a target
 * @reason: (out) (optional) (transfer full): why not, translated
 *
 * Returns: %TRUE when this mirage, on this environment's machine, builds @target
 */
gboolean
uni_toolchain_supports (UniToolchain     *self,
                        const UniTarget  *target,
                        char            **reason)
{
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (self), FALSE);
  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (reason == NULL || *reason == NULL, FALSE);

  if (!self->found)
    {
      if (reason != NULL)
        *reason = g_strdup (self->problem);
      return FALSE;
    }

  return uni_target_is_supported (target, &self->version,
                                  uni_build_environment_get_arch (self->environment),
                                  reason);
}
