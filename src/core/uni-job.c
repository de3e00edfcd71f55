/* uni-job.c — one step of a pipeline, run on a PTY
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-job"

/* ptsname_r, grantpt, unlockpt */
#define _GNU_SOURCE 1

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>

#include "uni-build-environment.h"
#include "uni-diagnostic.h"
#include "uni-job.h"
#include "uni-proc.h"

#define READ_CHUNK_SIZE      (64 * 1024)
#define KILL_GRACE_MS        3000
#define GROUP_POLL_MS        50
/* How long the pipe may stay open once the process group is gone: a
 * daemon that left the group with setsid () can hold it forever.
 */
#define EOF_GRACE_MS         1000
/* Enough for the last screenful of a process that died, never the whole log. */
#define TAIL_SIZE            (16 * 1024)

G_STATIC_ASSERT (sizeof (gsize) == sizeof (gulong));

struct _UniJob
{
  GObject        parent_instance;

  /* owned */
  char          *name;
  char          *title;
  UniRunContext *context;
  char          *skip_reason;
  GSubprocess   *subprocess;
  GInputStream  *stdout_pipe;
  GCancellable  *read_cancellable;
  GTask         *task;
  GCancellable  *cancellable;
  GMainContext  *main_context;
  GByteArray    *tail;
  int            pty_fd;

  guint          kill_source;
  guint          group_source;
  guint          eof_source;
  gulong         cancelled_id;

  UniJobState    state;
  int            exit_status;
  GPid           pgid;

  guint          stopping : 1;
  guint          exited : 1;
  guint          eof : 1;
};

G_DEFINE_FINAL_TYPE (UniJob, uni_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_TITLE,
  PROP_RUN_CONTEXT,
  PROP_STATE,
  PROP_EXIT_STATUS,
  PROP_SKIP_REASON,
  N_PROPS
};

enum {
  OUTPUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void maybe_complete (UniJob *self);

static void
set_state (UniJob      *self,
           UniJobState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_exit_status (UniJob *self,
                 int     exit_status)
{
  if (self->exit_status == exit_status)
    return;

  self->exit_status = exit_status;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);
}

/* Types the terminal's interrupt character (Ctrl+C) into the PTY, as the
 * user would: the line discipline, or sudo relaying the terminal, delivers
 * SIGINT to what runs there with no permission needed.
 */
static void
interrupt_on_terminal (UniJob *self)
{
  struct termios attributes;
  char interrupt = 0x03;

  if (tcgetattr (self->pty_fd, &attributes) == 0 && attributes.c_cc[VINTR] != _POSIX_VDISABLE)
    interrupt = (char) attributes.c_cc[VINTR];

  if (write (self->pty_fd, &interrupt, 1) != 1)
    g_debug ("Could not interrupt “%s” on its terminal: %s", self->name, g_strerror (errno));
}

static void
signal_group (UniJob *self,
              int     signum)
{
  g_assert (self->pgid > 0);

  if (kill (-self->pgid, signum) == 0 || errno == ESRCH)
    return;

  /* A group led by a setuid program (sudo) is not ours to signal. */
  if (errno == EPERM && signum != SIGCONT && self->pty_fd >= 0)
    interrupt_on_terminal (self);
  else
    g_debug ("Could not signal process group %d: %s", self->pgid, g_strerror (errno));
}

static gboolean
kill_timeout_cb (gpointer user_data)
{
  UniJob *self = user_data;

  self->kill_source = 0;
  if (uni_proc_group_is_alive (self->pgid))
    signal_group (self, SIGKILL);

  return G_SOURCE_REMOVE;
}

/* SIGTERM to the whole group, SIGKILL to whatever is left after the grace
 * period. Stopped processes get SIGCONT so they can act on the SIGTERM.
 */
static void
terminate_group (UniJob *self)
{
  if (self->pgid <= 0 || self->kill_source != 0)
    return;

  signal_group (self, SIGTERM);
  signal_group (self, SIGCONT);
  self->kill_source = g_timeout_add (KILL_GRACE_MS, kill_timeout_cb, self);
}

static gboolean
group_poll_cb (gpointer user_data)
{
  UniJob *self = user_data;

  if (uni_proc_group_is_alive (self->pgid))
    return G_SOURCE_CONTINUE;

  /* Its id may be reused from now on: no SIGKILL to a stranger. */
  g_clear_handle_id (&self->kill_source, g_source_remove);
  self->group_source = 0;
  maybe_complete (self);

  return G_SOURCE_REMOVE;
}

static gboolean
eof_timeout_cb (gpointer user_data)
{
  UniJob *self = user_data;

  self->eof_source = 0;
  g_cancellable_cancel (self->read_cancellable);

  return G_SOURCE_REMOVE;
}

static void
finish (UniJob *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_clear_handle_id (&self->kill_source, g_source_remove);
  g_clear_handle_id (&self->group_source, g_source_remove);
  g_clear_handle_id (&self->eof_source, g_source_remove);
  g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->stdout_pipe);
  g_clear_object (&self->read_cancellable);

  if (self->stopping)
    {
      set_state (self, UNI_JOB_CANCELLED);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("“%s” was stopped"), self->title);
    }
  else if (self->exit_status != 0)
    {
      set_state (self, UNI_JOB_FAILED);
      g_task_return_new_error (task, UNI_BUILD_ERROR, UNI_BUILD_ERROR_STEP_FAILED,
                               _("“%s” failed with exit status %d"),
                               self->name, self->exit_status);
    }
  else
    {
      set_state (self, UNI_JOB_SUCCEEDED);
      g_task_return_boolean (task, TRUE);
    }
}

/* The job ends once the process exited, nothing of its group is left and
 * every byte was read and emitted.
 */
static void
maybe_complete (UniJob *self)
{
  if (self->task == NULL || !self->exited || self->group_source != 0)
    return;

  if (uni_proc_group_is_alive (self->pgid))
    {
      terminate_group (self);
      self->group_source = g_timeout_add (GROUP_POLL_MS, group_poll_cb, self);
      return;
    }

  g_clear_handle_id (&self->kill_source, g_source_remove);

  if (!self->eof)
    {
      if (self->eof_source == 0)
        self->eof_source = g_timeout_add (EOF_GRACE_MS, eof_timeout_cb, self);
      return;
    }

  finish (self);
}

static void
append_tail (UniJob       *self,
             const guint8 *data,
             gsize         length)
{
  if (length >= TAIL_SIZE)
    {
      data += length - TAIL_SIZE;
      length = TAIL_SIZE;
    }
  if (self->tail->len + length > TAIL_SIZE)
    g_byte_array_remove_range (self->tail, 0, self->tail->len + length - TAIL_SIZE);
  g_byte_array_append (self->tail, data, length);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniJob) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Reading the output of “%s”: %s", self->name, error->message);
      self->eof = TRUE;
      maybe_complete (self);
      return;
    }

  append_tail (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_signal_emit (self, signals[OUTPUT], 0,
                 g_bytes_get_data (bytes, NULL), (gulong) g_bytes_get_size (bytes));

  /* A handler may have dropped the stream by finishing a stopped job. */
  if (self->stdout_pipe != NULL)
    g_input_stream_read_bytes_async (self->stdout_pipe, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                     self->read_cancellable, read_cb, g_object_ref (self));
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniJob) self = user_data;
  GSubprocess *subprocess = G_SUBPROCESS (object);
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (subprocess, result, &error))
    g_debug ("Waiting for “%s”: %s", self->name, error->message);

  if (g_subprocess_get_if_exited (subprocess))
    set_exit_status (self, g_subprocess_get_exit_status (subprocess));
  else if (g_subprocess_get_if_signaled (subprocess))
    set_exit_status (self, 128 + g_subprocess_get_term_sig (subprocess));
  else
    set_exit_status (self, 255);

  self->exited = TRUE;
  maybe_complete (self);
}

static gboolean
stop_idle_cb (gpointer user_data)
{
  uni_job_stop (user_data);

  return G_SOURCE_REMOVE;
}

static void
cancelled_cb (GCancellable *cancellable,
              UniJob       *self)
{
  /* Runs in the thread that cancelled, where self->task may be going away
   * under us: stop from the context the job runs in, fixed at its start.
   */
  g_main_context_invoke_full (self->main_context, G_PRIORITY_HIGH,
                              stop_idle_cb, g_object_ref (self), g_object_unref);
}

typedef struct
{
  pid_t    parent;
  gboolean on_pty;
  int      report_fd;
} ChildSetup;

/* Runs in the child between fork and exec: async-signal-safe calls only.
 *
 * The child leads a session of its own, so signals to our process group
 * (Ctrl+C, a kill of the group) do not reach it; SIGTERM on our death is the
 * backstop for when we cannot stop it ourselves (SIGKILL, a crash). The
 * kernel sends it when the *thread* that forked exits, not the process:
 * GSubprocess forks from the calling thread, so spawn from a thread that
 * lives as long as the job (the main thread; never a GTask worker thread).
 */
static void
child_setup (gpointer user_data)
{
  const ChildSetup *setup = user_data;
  pid_t pid = getpid ();

  setsid ();
  if (write (setup->report_fd, &pid, sizeof pid) != sizeof pid)
    _exit (127);
  prctl (PR_SET_PDEATHSIG, SIGTERM);
  /* The parent died before prctl () took effect. */
  if (getppid () != setup->parent)
    kill (getpid (), SIGTERM);
  if (setup->on_pty)
    ioctl (STDIN_FILENO, TIOCSCTTY, 0);
}

/* The terminal view gives a PTY master (VtePty); a test may give the slave
 * of a PTY of its own. Either way the child gets a slave of its own.
 */
static int
open_pty_slave (int      pty_fd,
                GError **error)
{
  char name[256];
  int fd;

  if (grantpt (pty_fd) == 0 && unlockpt (pty_fd) == 0
      && ptsname_r (pty_fd, name, sizeof name) == 0)
    fd = g_open (name, O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
  else if (isatty (pty_fd))
    fd = fcntl (pty_fd, F_DUPFD_CLOEXEC, 3);
  else
    {
      errno = ENOTTY;
      fd = -1;
    }

  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_SPAWN,
                   _("Could not open the terminal: %s"), g_strerror (saved_errno));
    }

  return fd;
}

static gboolean
spawn (UniJob  *self,
       GError **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) argv = NULL;
  gboolean on_pty = self->pty_fd >= 0;
  ChildSetup setup = { getpid (), on_pty, -1 };
  int report[2];
  pid_t pid = 0;

  /* Through the run context, so a container or ssh layer carries them too. */
  if (on_pty)
    {
      uni_run_context_setenv (self->context, "TERM", "xterm-256color");
      uni_run_context_setenv (self->context, "NO_COLOR", NULL);
    }
  else
    {
      uni_run_context_setenv (self->context, "TERM", "dumb");
      uni_run_context_setenv (self->context, "NO_COLOR", "1");
    }

  launcher = uni_run_context_create_launcher (self->context, &argv, error);
  if (launcher == NULL)
    return FALSE;

  g_subprocess_launcher_set_flags (launcher,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  /* g_subprocess_get_identifier () is no use for the process group: GLib
   * reaps the child in its worker thread, possibly before spawnv returns,
   * and the identifier is gone then. The child tells its pid itself.
   */
  if (!g_unix_open_pipe (report, FD_CLOEXEC, error))
    return FALSE;
  setup.report_fd = report[1];
  g_subprocess_launcher_set_child_setup (launcher, child_setup, &setup, NULL);

  if (on_pty)
    {
      int slave = open_pty_slave (self->pty_fd, error);

      if (slave < 0)
        {
          g_close (report[0], NULL);
          g_close (report[1], NULL);
          return FALSE;
        }
      g_subprocess_launcher_take_stdin_fd (launcher, slave);
    }

  self->subprocess = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, error);

  /* The child wrote before exec and every write end is closed now: this
   * read never blocks.
   */
  g_close (report[1], NULL);
  if (read (report[0], &pid, sizeof pid) != sizeof pid)
    pid = 0;
  g_close (report[0], NULL);
  if (self->subprocess == NULL)
    {
      if (error != NULL && *error != NULL && (*error)->domain != UNI_BUILD_ERROR)
        {
          GError *spawn_error = g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_SPAWN,
                                             _("Could not run “%s”: %s"),
                                             argv[0], (*error)->message);
          g_clear_error (error);
          g_propagate_error (error, spawn_error);
        }
      return FALSE;
    }

  self->pgid = pid;
  self->stdout_pipe = g_object_ref (g_subprocess_get_stdout_pipe (self->subprocess));

  return TRUE;
}

static void
uni_job_dispose (GObject *object)
{
  UniJob *self = UNI_JOB (object);

  /* A job dropped while running still takes its processes with it. */
  if (self->subprocess != NULL && self->pgid > 0)
    {
      signal_group (self, SIGKILL);
      g_subprocess_force_exit (self->subprocess);
    }

  g_clear_handle_id (&self->kill_source, g_source_remove);
  g_clear_handle_id (&self->group_source, g_source_remove);
  g_clear_handle_id (&self->eof_source, g_source_remove);
  g_clear_object (&self->subprocess);
  g_clear_object (&self->stdout_pipe);
  g_clear_object (&self->read_cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->main_context, g_main_context_unref);

  G_OBJECT_CLASS (uni_job_parent_class)->dispose (object);
}

static void
uni_job_finalize (GObject *object)
{
  UniJob *self = UNI_JOB (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->skip_reason, g_free);
  g_clear_pointer (&self->tail, g_byte_array_unref);
  if (self->pty_fd >= 0)
    g_close (self->pty_fd, NULL);

  G_OBJECT_CLASS (uni_job_parent_class)->finalize (object);
}

static void
uni_job_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  UniJob *self = UNI_JOB (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_RUN_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;

    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;

    case PROP_SKIP_REASON:
      g_value_set_string (value, self->skip_reason);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_job_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  UniJob *self = UNI_JOB (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_TITLE:
      self->title = g_value_dup_string (value);
      break;

    case PROP_RUN_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_job_class_init (UniJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = uni_job_dispose;
  object_class->finalize = uni_job_finalize;
  object_class->get_property = uni_job_get_property;
  object_class->set_property = uni_job_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_RUN_CONTEXT] =
    g_param_spec_object ("run-context", NULL, NULL, UNI_TYPE_RUN_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  /* A UniJobState. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      UNI_JOB_PENDING, UNI_JOB_SKIPPED, UNI_JOB_PENDING,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_EXIT_STATUS] =
    g_param_spec_int ("exit-status", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SKIP_REASON] =
    g_param_spec_string ("skip-reason", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniJob::output:
   * @self: the job
   * @data: (array length=length) (element-type guint8): bytes, not
   *   nul-terminated
   * @length: how many
   *
   * Bytes the process wrote, in order.
   */
  signals[OUTPUT] =
    g_signal_new ("output", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_ULONG);
}

static void
uni_job_init (UniJob *self)
{
  self->pty_fd = -1;
  self->exit_status = -1;
  self->state = UNI_JOB_PENDING;
  self->tail = g_byte_array_new ();
}

/**
 * uni_job_new:
 * @name: the step: "configure", "depend", "build"
 * @title: for the user: "Configure"
 * @context: the command, its environment and folder
 *
 * Returns: (transfer full): a pending job
 */
UniJob *
uni_job_new (const char    *name,
             const char    *title,
             UniRunContext *context)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (UNI_IS_RUN_CONTEXT (context), NULL);

  return g_object_new (UNI_TYPE_JOB,
                       "name", name,
                       "title", title,
                       "run-context", context,
                       NULL);
}

const char *
uni_job_get_name (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), NULL);

  return self->name;
}

const char *
uni_job_get_title (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), NULL);

  return self->title;
}

UniJobState
uni_job_get_state (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), UNI_JOB_PENDING);

  return self->state;
}

/**
 * uni_job_get_exit_status:
 * @self: a #UniJob
 *
 * Returns: the exit code, 128 + the signal that ended the process, or -1
 *   while it has not ended
 */
int
uni_job_get_exit_status (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), -1);

  return self->exit_status;
}

/**
 * uni_job_get_skip_reason:
 * @self: a #UniJob
 *
 * Returns: (nullable): why the step is skipped, %NULL when it runs
 */
const char *
uni_job_get_skip_reason (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), NULL);

  return self->skip_reason;
}

/**
 * uni_job_skip:
 * @self: a pending #UniJob
 * @reason: (nullable): why, for the user ("up to date"); %NULL runs the
 *   step again
 *
 * Marks the job skipped (or pending again).
 */
void
uni_job_skip (UniJob     *self,
              const char *reason)
{
  g_return_if_fail (UNI_IS_JOB (self));
  g_return_if_fail (self->task == NULL);

  if (g_strcmp0 (self->skip_reason, reason) != 0)
    {
      g_free (self->skip_reason);
      self->skip_reason = g_strdup (reason);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SKIP_REASON]);
    }

  set_state (self, reason != NULL ? UNI_JOB_SKIPPED : UNI_JOB_PENDING);
}

/**
 * uni_job_get_run_context:
 * @self: a #UniJob
 *
 * Returns: (transfer none): the command's run context
 */
UniRunContext *
uni_job_get_run_context (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), NULL);

  return self->context;
}

/**
 * uni_job_set_pty_fd:
 * @self: a #UniJob not running
 * @pty_fd: a PTY master (vte_pty_get_fd()) or slave, or -1 for none
 *
 * Sets the terminal of the next run. The job duplicates @pty_fd; the
 * caller keeps its own.
 */
void
uni_job_set_pty_fd (UniJob *self,
                    int     pty_fd)
{
  g_return_if_fail (UNI_IS_JOB (self));
  g_return_if_fail (self->task == NULL);

  if (self->pty_fd >= 0)
    g_close (self->pty_fd, NULL);
  self->pty_fd = pty_fd >= 0 ? fcntl (pty_fd, F_DUPFD_CLOEXEC, 3) : -1;
}

/**
 * uni_job_get_pid:
 * @self: a #UniJob
 *
 * Returns: the process id of the command, which is also its process group
 *   and session id, or 0 when it is not running
 */
int
uni_job_get_pid (UniJob *self)
{
  g_return_val_if_fail (UNI_IS_JOB (self), 0);

  return self->subprocess != NULL ? self->pgid : 0;
}

/**
 * uni_job_run_async:
 * @self: a #UniJob that is not running
 * @cancellable: (nullable): cancelling stops the job, like uni_job_stop()
 * @callback: called when the job ended
 * @user_data: for @callback
 *
 * Runs the command. A skipped job completes at once, successfully.
 */
void
uni_job_run_async (UniJob              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (UNI_IS_JOB (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_job_run_async);

  if (self->state == UNI_JOB_SKIPPED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    {
      set_state (self, UNI_JOB_CANCELLED);
      return;
    }

  self->stopping = FALSE;
  self->exited = FALSE;
  self->eof = FALSE;
  self->pgid = 0;
  g_byte_array_set_size (self->tail, 0);
  set_exit_status (self, -1);

  if (!spawn (self, &error))
    {
      g_clear_object (&self->subprocess);
      set_exit_status (self, 127);
      set_state (self, UNI_JOB_FAILED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  self->task = g_steal_pointer (&task);
  self->main_context = g_main_context_ref_thread_default ();
  self->read_cancellable = g_cancellable_new ();
  set_state (self, UNI_JOB_RUNNING);

  g_input_stream_read_bytes_async (self->stdout_pipe, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   self->read_cancellable, read_cb, g_object_ref (self));
  g_subprocess_wait_async (self->subprocess, NULL, wait_cb, g_object_ref (self));

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb),
                                                  self, NULL);
    }
}

/**
 * uni_job_run_finish:
 * @self: a #UniJob
 * @result: the result given to the callback
 * @error: a %UNI_BUILD_ERROR_STEP_FAILED when the command failed (see
 *   uni_job_get_exit_status()), %UNI_BUILD_ERROR_SPAWN when it could not
 *   start, %G_IO_ERROR_CANCELLED when it was stopped
 *
 * Returns: %TRUE when the command succeeded or the job was skipped
 */
gboolean
uni_job_run_finish (UniJob        *self,
                    GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (UNI_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_job_stop:
 * @self: a #UniJob
 *
 * Terminates the command's process group: SIGTERM, then SIGKILL after 3
 * seconds. The job then ends as cancelled. Does nothing when not running.
 */
void
uni_job_stop (UniJob *self)
{
  g_return_if_fail (UNI_IS_JOB (self));

  if (self->task == NULL || self->stopping)
    return;

  self->stopping = TRUE;
  terminate_group (self);
}

/**
 * uni_job_dup_output_tail:
 * @self: a #UniJob
 * @max_lines: how many lines at most
 *
 * What a banner shows of a process that ended: its last lines, as plain
 * text. A line a carriage return overwrote shows what was written last.
 *
 * Returns: (transfer full): up to @max_lines lines joined with "\n", "" before any output
 */
char *
uni_job_dup_output_tail (UniJob *self,
                         guint   max_lines)
{
  g_autofree char *plain = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  guint n_lines;

  g_return_val_if_fail (UNI_IS_JOB (self), NULL);

  plain = uni_strip_ansi ((const char *) self->tail->data, self->tail->len);
  lines = g_strsplit (plain, "\n", -1);
  n_lines = g_strv_length (lines);

  /* The last line is what follows the final newline: usually nothing. */
  for (guint i = n_lines; i > 0 && kept->len < max_lines; i--)
    {
      char *line = lines[i - 1];
      char *after_cr = strrchr (line, '\r');

      /* "\r\n" endings leave a trailing "\r": that overwrote nothing. */
      while (after_cr != NULL && after_cr[1] == '\0' && after_cr > line)
        {
          *after_cr = '\0';
          after_cr = strrchr (line, '\r');
        }
      if (after_cr != NULL)
        line = after_cr + 1;
      g_strchomp (line);

      if (kept->len == 0 && *line == '\0')
        continue;
      g_ptr_array_insert (kept, 0, line);
    }
  g_ptr_array_add (kept, NULL);

  return g_strjoinv ("\n", (char **) kept->pdata);
}
