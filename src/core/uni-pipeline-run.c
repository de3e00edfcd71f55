/* uni-pipeline-run.c — the run goal: what planning reads for it, and its last step:
 * start the unikernel, wait for its port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-pipeline-run"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "uni-build-environment.h"
#include "uni-diagnostic.h"
#include "uni-pipeline-private.h"
#include "uni-runtime-args.h"

/* Long enough for a unikernel that sets up a network stack; with sudo the
 * user may first have to type a password in the terminal.
 */
#define WAIT_TIMEOUT_MS       (30 * 1000)
#define WAIT_TIMEOUT_SUDO_MS  (5 * 60 * 1000)

/* Run starts the unikernel as a process of this computer: only the unix
 * target makes one, and only a build environment that shares this
 * computer's files leaves it where it can start.
 */
gboolean
_uni_pipeline_check_can_run (UniPipeline  *self,
                             GError      **error)
{
  UniBuildEnvironment *environment = uni_toolchain_get_environment (self->toolchain);

  if (g_strcmp0 (uni_target_get_id (self->target), "unix") != 0)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_UNSUPPORTED_TARGET,
                   /* Translators: %s is a target, e.g. "Xen (ARM)" */
                   _("Run starts unix unikernels on this computer. Choose the Unix target, "
                     "or build for %s and deploy it."),
                   uni_target_get_title (self->target));
      return FALSE;
    }

  if (environment != NULL
      && g_strcmp0 (uni_build_environment_get_id (environment), "remote") == 0)
    {
      g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_UNSUPPORTED_TARGET,
                           _("This target builds on a remote computer over SSH, so the "
                             "unikernel is not on this one. Build it on this computer to run it "
                             "here."));
      return FALSE;
    }

  return TRUE;
}

/* Called from the planning thread. The newest modification time of the
 * project's own files, in microseconds: what the user edits. Generated
 * and third-party folders, the build's output and dot-files are not
 * sources; @artefact (relative) is the build's result.
 */
static gint64
newest_source_mtime (const char   *dir,
                     const char   *relative,
                     const char   *artefact,
                     GCancellable *cancellable)
{
  static const char * const skipped[] = {
    "_build", "_opam", "dist", "duniverse", "mirage", "node_modules", NULL
  };
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autoptr(GDir) folder = g_dir_open (path, 0, NULL);
  gint64 newest = 0;
  const char *name;

  if (folder == NULL)
    return 0;

  while ((name = g_dir_read_name (folder)) != NULL && !g_cancellable_is_cancelled (cancellable))
    {
      g_autofree char *child = g_build_filename (relative, name, NULL);
      g_autofree char *child_path = g_build_filename (dir, child, NULL);
      GStatBuf buf;
      gint64 mtime;

      if (name[0] == '.' || g_str_equal (child, artefact)
          || (*relative == '\0' && g_strv_contains (skipped, name)))
        continue;

      /* lstat: a symlink's target is not the project's (mir-www points into _build). */
      if (g_lstat (child_path, &buf) != 0)
        continue;

      if (S_ISDIR (buf.st_mode))
        mtime = newest_source_mtime (dir, child, artefact, cancellable);
      else if (S_ISLNK (buf.st_mode))
        continue;
      else
        mtime = (gint64) buf.st_mtim.tv_sec * G_USEC_PER_SEC + buf.st_mtim.tv_nsec / 1000;

      newest = MAX (newest, mtime);
    }

  return newest;
}

/* Called from the planning thread: what the run goal needs from the disk. */
void
_uni_pipeline_plan_run_goal (PlanData     *plan,
                             UniManifest  *manifest,
                             GCancellable *cancellable)
{
  const char *name = uni_manifest_get_name (manifest, NULL);
  g_autoptr(GFile) project_dir = g_file_new_for_path (plan->project_dir);
  g_auto(GStrv) artefacts = NULL;
  gint64 artefact_mtime;

  plan->manifest = g_object_ref (manifest);
  /* An unreadable module file counts as none: the launch then reports its
   * boot settings as dropped.
   */
  plan->runtime_decls = uni_runtime_args_load (manifest, project_dir, cancellable, NULL);

  artefacts = uni_target_dup_artefacts (plan->target, &plan->version,
                                        name != NULL ? name : "main");
  if (artefacts == NULL || artefacts[0] == NULL)
    return;

  plan->artefact = g_strdup (artefacts[0]);
  /* Following a symlink: mir-www is one to _build/main.native. */
  artefact_mtime = _uni_pipeline_plan_file_mtime (plan, plan->artefact);
  plan->artefact_current = artefact_mtime >= 0
                           && artefact_mtime >= newest_source_mtime (plan->project_dir, "",
                                                                     plan->artefact,
                                                                     cancellable);
}

/* The unikernel runs on this computer whatever the build environment (a
 * container shares the project folder): only the host's own layers apply.
 * The project folder in its environment tells a later look at a busy port
 * that it is ours.
 */
UniJob *
_uni_pipeline_create_run_job (UniPipeline *self,
                              UniLaunch   *launch,
                              const char  *artefact)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autofree char *dir = _uni_pipeline_dup_project_path (self);
  g_auto(GStrv) argv = uni_launch_dup_argv (launch, artefact, geteuid () == 0);

  uni_run_context_push_host_layers (context);
  uni_run_context_set_cwd (context, dir);
  uni_run_context_setenv (context, UNI_RUN_PROJECT_ENV, dir);
  uni_run_context_append_args (context, (const char * const *) argv);

  return uni_job_new ("run", _("Run"), context);
}

static void
return_error (UniPipeline *self,
              GError      *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task != NULL)
    g_task_return_error (task, error);
  else
    g_error_free (error);
}

static gboolean
return_if_stopped (UniPipeline *self)
{
  if (!self->stop_requested)
    return FALSE;

  return_error (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The unikernel was stopped")));
  return TRUE;
}

static UniJob *
get_run_job (UniPipeline *self)
{
  return g_ptr_array_index (self->jobs, self->current);
}

/* mirage's --delay boot argument holds the unikernel back that many seconds. */
static guint
boot_delay_ms (UniPipeline *self)
{
  for (guint i = 0; self->launch->boot_args[i] != NULL; i++)
    {
      guint64 seconds;

      if (g_str_has_prefix (self->launch->boot_args[i], "--delay=")
          && g_ascii_string_to_unsigned (self->launch->boot_args[i] + strlen ("--delay="), 10,
                                         0, 24 * 60 * 60, &seconds, NULL))
        return (guint) seconds * 1000;
    }

  return 0;
}

static guint
wait_timeout_ms (UniPipeline *self)
{
  return (uni_launch_needs_sudo (self->launch) ? WAIT_TIMEOUT_SUDO_MS : WAIT_TIMEOUT_MS)
         + boot_delay_ms (self);
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniPipeline) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *url = NULL;

  if (!uni_port_wait_finish (result, &error))
    {
      guint seconds;

      /* Cancelled: the process ended, and says how in run_job_cb (), or the
       * console named another address to wait on.
       */
      if (self->task == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_object (&self->wait_cancellable);
      seconds = wait_timeout_ms (self) / 1000;
      return_error (self, g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_ANSWERING,
                                       g_dngettext (GETTEXT_PACKAGE,
                                                    "The unikernel is running, but nothing "
                                                    "answered at %s:%u within %u second",
                                                    "The unikernel is running, but nothing "
                                                    "answered at %s:%u within %u seconds",
                                                    seconds),
                                       self->wait_address, self->launch->port, seconds));
      return;
    }

  g_clear_object (&self->wait_cancellable);
  if (self->task == NULL)
    return;

  url = uni_launch_dup_url_for_address (self->launch, self->wait_address);
  _uni_pipeline_set_url (self, url);
  task = g_steal_pointer (&self->task);
  g_task_return_boolean (task, TRUE);
}

static void
start_wait (UniPipeline *self,
            const char  *address)
{
  if (self->wait_cancellable != NULL)
    g_cancellable_cancel (self->wait_cancellable);
  g_clear_object (&self->wait_cancellable);
  g_clear_handle_id (&self->address_timeout_id, g_source_remove);

  g_free (self->wait_address);
  self->wait_address = g_strdup (address);
  self->wait_cancellable = g_cancellable_new ();
  uni_port_wait_async (address, self->launch->port, wait_timeout_ms (self),
                       self->wait_cancellable, wait_cb, g_object_ref (self));
}

static gboolean
address_timeout_cb (gpointer user_data)
{
  UniPipeline *self = user_data;
  guint seconds = wait_timeout_ms (self) / 1000;

  self->address_timeout_id = 0;
  return_error (self, g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_ANSWERING,
                                   g_dngettext (GETTEXT_PACKAGE,
                                                "The unikernel is running, but its console did "
                                                "not say which address it took (DHCP) within "
                                                "%u second",
                                                "The unikernel is running, but its console did "
                                                "not say which address it took (DHCP) within "
                                                "%u seconds",
                                                seconds),
                                   seconds));

  return G_SOURCE_REMOVE;
}

/* On a tap device the unikernel says on its console which address it took
 * (by DHCP, or the static one): that is where to wait, whatever was guessed.
 */
static void
console_output_cb (UniPipeline *self,
                   const char  *data,
                   gulong       length,
                   UniJob      *job)
{
  const char *end = data + length;

  if (self->task == NULL)
    return;

  while (data < end)
    {
      const char *newline = memchr (data, '\n', end - data);
      g_autofree char *plain = NULL;
      g_autofree char *address = NULL;

      g_string_append_len (self->console_line, data, (newline != NULL ? newline : end) - data);
      if (newline == NULL)
        break;
      data = newline + 1;

      plain = uni_strip_ansi (self->console_line->str, self->console_line->len);
      g_string_truncate (self->console_line, 0);
      address = uni_launch_find_address (plain);
      if (address != NULL && g_strcmp0 (address, self->wait_address) != 0)
        start_wait (self, address);
    }

  /* A line that never ends is not a console line worth keeping. */
  if (self->console_line->len > 4096)
    g_string_truncate (self->console_line, 0);
}

/* The unikernel ended. Before it answered, that ends the run as a failure
 * (exiting with status 0 included: it was meant to serve); after, the
 * run job's state says so to whoever watches it.
 */
static void
run_job_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(UniPipeline) self = user_data;
  UniJob *job = UNI_JOB (object);
  g_autoptr(GError) error = NULL;

  uni_job_run_finish (job, result, &error);
  _uni_pipeline_run_clear (self);
  /* Nothing serves there any more. */
  _uni_pipeline_set_url (self, NULL);

  if (self->task == NULL || return_if_stopped (self))
    return;

  if (error != NULL && (error->domain != UNI_BUILD_ERROR
                        || error->code != UNI_BUILD_ERROR_STEP_FAILED))
    {
      return_error (self, g_steal_pointer (&error));
      return;
    }

  return_error (self, g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_EXITED,
                                   _("The unikernel exited with status %d before it answered "
                                     "on port %u"),
                                   uni_job_get_exit_status (job), self->launch->port));
}

static void
start_unikernel (UniPipeline *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);
  UniJob *job = get_run_job (self);

  g_string_truncate (self->console_line, 0);
  if (self->launch->on_tap)
    g_signal_connect_object (job, "output", G_CALLBACK (console_output_cb), self,
                             G_CONNECT_SWAPPED);

  uni_job_run_async (job, cancellable, run_job_cb, g_object_ref (self));

  /* It could not start: run_job_cb () says why. */
  if (uni_job_get_state (job) != UNI_JOB_RUNNING)
    return;

  if (self->launch->address != NULL)
    start_wait (self, self->launch->address);
  else
    self->address_timeout_id = g_timeout_add (wait_timeout_ms (self), address_timeout_cb, self);
}

static void
find_owner_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(UniPipeline) self = user_data;
  g_autoptr(UniPortOwner) owner = NULL;
  g_autoptr(GError) error = NULL;

  owner = uni_port_find_owner_finish (result, &error);
  if (error != NULL)
    {
      return_error (self, g_steal_pointer (&error));
      return;
    }

  if (return_if_stopped (self))
    return;

  if (owner != NULL)
    {
      g_autofree char *description = uni_port_owner_dup_description (owner);

      g_clear_pointer (&self->port_owner, uni_port_owner_free);
      self->port_owner = g_steal_pointer (&owner);
      return_error (self, g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_PORT_IN_USE,
                                       /* Translators: %u is a port, %s who holds it, e.g.
                                        * “python3 (PID 1234)” */
                                       _("Port %u is already in use by %s"),
                                       self->launch->port, description));
      return;
    }

  start_unikernel (self);
}

static void
artefact_info_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(UniPipeline) self = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || return_if_stopped (self))
    {
      if (error != NULL)
        return_error (self, g_steal_pointer (&error));
      return;
    }

  if (info == NULL || g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      return_error (self, g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_BUILT,
                                       /* Translators: %s is the unikernel program, e.g. dist/www */
                                       _("The build finished, but %s is not there. Look at the "
                                         "build’s output, then build again."),
                                       self->artefact));
      return;
    }

  if (!g_file_info_get_attribute_boolean (info, G_FILE_ATTRIBUTE_ACCESS_CAN_EXECUTE))
    {
      return_error (self, g_error_new (UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_BUILT,
                                       /* Translators: %s is the unikernel program, e.g. dist/www */
                                       _("%s is not a program that can be run. Build the project "
                                         "again."),
                                       self->artefact));
      return;
    }

  /* On a tap device the port is the unikernel's own address's, not this computer's. */
  if (self->launch->on_tap)
    start_unikernel (self);
  else
    uni_port_find_owner_async (self->launch->port, g_task_get_cancellable (self->task),
                               find_owner_cb, g_object_ref (self));
}

/* The artefact is there, the port is free, then the unikernel starts and
 * its port is polled until it answers, all without blocking the main loop.
 */
void
_uni_pipeline_run_step (UniPipeline *self,
                        UniJob      *job)
{
  g_autoptr(GFile) artefact = NULL;

  g_assert (self->task != NULL);
  g_assert (self->launch != NULL && self->artefact != NULL);
  g_assert (job == get_run_job (self));

  artefact = g_file_resolve_relative_path (uni_project_get_directory (self->project),
                                           self->artefact);
  g_file_query_info_async (artefact,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_ACCESS_CAN_EXECUTE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                           g_task_get_cancellable (self->task), artefact_info_cb,
                           g_object_ref (self));
}

void
_uni_pipeline_run_clear (UniPipeline *self)
{
  if (self->wait_cancellable != NULL)
    g_cancellable_cancel (self->wait_cancellable);
  g_clear_object (&self->wait_cancellable);
  g_clear_handle_id (&self->address_timeout_id, g_source_remove);
}

/**
 * uni_pipeline_get_launch:
 * @self: a #UniPipeline planned with the run goal
 *
 * Returns: (transfer none) (nullable): how the unikernel starts
 */
const UniLaunch *
uni_pipeline_get_launch (UniPipeline *self)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), NULL);

  return self->launch;
}

/**
 * uni_pipeline_get_artefact:
 * @self: a #UniPipeline planned with the run goal
 *
 * Returns: (transfer none) (nullable): the program, relative to the project folder
 */
const char *
uni_pipeline_get_artefact (UniPipeline *self)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), NULL);

  return self->artefact;
}

/**
 * uni_pipeline_get_port_owner:
 * @self: a #UniPipeline
 *
 * Returns: (transfer none) (nullable): who held the port when the last run
 *   failed with %UNI_BUILD_ERROR_PORT_IN_USE
 */
const UniPortOwner *
uni_pipeline_get_port_owner (UniPipeline *self)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), NULL);

  return self->port_owner;
}
