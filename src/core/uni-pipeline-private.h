/* uni-pipeline-private.h — what the pipeline's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-pipeline.h"

G_BEGIN_DECLS

struct _UniPipeline
{
  GObject          parent_instance;

  /* owned */
  UniProject      *project;
  UniToolchain    *toolchain;
  GPtrArray       *jobs;
  GPtrArray       *dropped;
  char            *digest;
  GTask           *task;
  UniLaunch       *launch;
  char            *artefact;
  char            *url;
  UniPortOwner    *port_owner;
  GCancellable    *wait_cancellable;
  char            *wait_address;
  GString         *console_line;
  guint            address_timeout_id;

  /* borrowed: static data */
  const UniTarget *target;

  UniPipelineGoal  goal;
  guint            current;
  /* Bumped by every plan and run: a plan that finishes in its thread after a
   * newer one started, or after a run started, must not replace the jobs.
   */
  guint            plan_serial;

  /* flags */
  guint            stop_requested : 1;
};

/* uni-pipeline-run.c: the "run" step of the run goal, in place of uni_job_run_async () */
void _uni_pipeline_run_step (UniPipeline *self,
                             UniJob      *job);
void _uni_pipeline_run_clear (UniPipeline *self);

/* uni-pipeline.c */
void _uni_pipeline_set_url   (UniPipeline *self,
                              const char  *url);

G_END_DECLS
