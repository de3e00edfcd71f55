/* uni-job.h — one step of a pipeline, run on a PTY
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-run-context.h"

G_BEGIN_DECLS

typedef enum
{
  UNI_JOB_PENDING,
  UNI_JOB_RUNNING,
  UNI_JOB_SUCCEEDED,
  UNI_JOB_FAILED,
  UNI_JOB_CANCELLED,
  UNI_JOB_SKIPPED,
} UniJobState;

#define UNI_TYPE_JOB (uni_job_get_type ())

G_DECLARE_FINAL_TYPE (UniJob, uni_job, UNI, JOB, GObject)

/* Properties: "name" ("configure", "depend", "build"), "title" (for a tab:
 * "Configure"), "state", "exit-status" (the exit code, or 128+signal; -1
 * before the process ended), "skip-reason". Signal "output" (const char
 * *data, gsize length) carries every byte the process writes to stdout and
 * stderr, in order, from the main loop, in chunks of up to 64 KiB.
 *
 * The process runs in its own session and process group. Where its bytes
 * go:
 *
 * - With a PTY (uni_job_set_pty_fd(), the master fd of the terminal view's
 *   VtePty): the job opens the PTY's slave and makes it the process's stdin
 *   and controlling terminal, so ^C typed in the view interrupts the build
 *   and an interactive prompt (sudo, ssh) can be answered. stdout and stderr
 *   still go to a pipe that the job reads, because a PTY master has one
 *   reader and the diagnostics parser must see every byte: the view shows
 *   them by feeding the "output" signal to vte_terminal_feed() (turning
 *   "\n" into "\r\n" as a PTY's line discipline would). TERM is
 *   xterm-256color so the tools write colours.
 * - Without a PTY: stdin is /dev/null, stdout and stderr a pipe, and
 *   NO_COLOR=1 and TERM=dumb, since cmdliner 2 colours even into a pipe.
 *
 * Stop sends SIGTERM to the group, then SIGKILL after 3 seconds. Processes
 * the command leaves behind in its group, stopped or not, are terminated the
 * same way before the job ends: the job never leaves orphans.
 *
 * States: pending → running → succeeded / failed / cancelled, or pending →
 * skipped. A job that ended can run again (it goes back to running).
 */
UniJob       *uni_job_new            (const char     *name,
                                      const char     *title,
                                      UniRunContext  *context);
const char   *uni_job_get_name       (UniJob         *self);
const char   *uni_job_get_title      (UniJob         *self);
UniJobState   uni_job_get_state      (UniJob         *self);
int           uni_job_get_exit_status (UniJob        *self);
const char   *uni_job_get_skip_reason (UniJob        *self);
void          uni_job_skip           (UniJob         *self,
                                      const char     *reason);
UniRunContext *uni_job_get_run_context (UniJob       *self);
void          uni_job_set_pty_fd     (UniJob         *self,
                                      int             pty_fd);
int           uni_job_get_pid        (UniJob         *self);
void          uni_job_run_async      (UniJob         *self,
                                      GCancellable   *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer        user_data);
gboolean      uni_job_run_finish     (UniJob         *self,
                                      GAsyncResult   *result,
                                      GError        **error);
void          uni_job_stop           (UniJob         *self);
/* The last @max_lines lines the process wrote (of its last 16 KiB of
 * output), without terminal escape sequences or carriage returns; "" before
 * any output.
 */
char         *uni_job_dup_output_tail (UniJob        *self,
                                      guint          max_lines);

G_END_DECLS
