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
 * "Configure"), "state", "exit-status" (the exit code, or 128+signal),
 * "skip-reason". Signal "output" (const char *data, gsize length) carries
 * every byte the process writes, for diagnostics parsing, in order.
 *
 * The process runs in its own session and process group with the PTY as its
 * controlling terminal (a terminal view owns the other end; core tests use
 * uni_job_set_pty_fd with a pty of their own or none: then output is read
 * from a pipe). Stop sends SIGTERM to the group, then SIGKILL after a grace
 * period; the job never leaves orphans.
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
void          uni_job_run_async      (UniJob         *self,
                                      GCancellable   *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer        user_data);
gboolean      uni_job_run_finish     (UniJob         *self,
                                      GAsyncResult   *result,
                                      GError        **error);
void          uni_job_stop           (UniJob         *self);

G_END_DECLS
