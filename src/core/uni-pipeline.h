/* uni-pipeline.h — configure → depend → build for one target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-job.h"
#include "uni-launch.h"
#include "uni-port.h"
#include "uni-project.h"
#include "uni-target.h"
#include "uni-toolchain.h"

G_BEGIN_DECLS

#define UNI_TYPE_PIPELINE (uni_pipeline_get_type ())

G_DECLARE_FINAL_TYPE (UniPipeline, uni_pipeline, UNI, PIPELINE, GObject)

/**
 * UniPipelineGoal:
 * @UNI_PIPELINE_GOAL_BUILD: configure → depend → build; build always runs make
 * @UNI_PIPELINE_GOAL_RUN: the same, then a "run" step that starts the unix
 *   unikernel and waits for its web port. The build step is skipped too when
 *   the artefact is newer than every file of the project (generated and
 *   third-party folders aside) and configure is up to date.
 */
typedef enum
{
  UNI_PIPELINE_GOAL_BUILD,
  UNI_PIPELINE_GOAL_RUN,
} UniPipelineGoal;

/* A GListModel of UniJob in order. Planning decides each step's exact argv
 * for the toolchain's era and the target (plus the per-target values from
 * the project settings, only flags the config declares), and which steps
 * are skipped as up to date (configure: nothing it depends on changed since
 * the last successful configure for this target and its outputs exist;
 * depend: dependencies present; build always runs make).
 */
UniPipeline  *uni_pipeline_new            (UniProject          *project,
                                           const UniTarget     *target,
                                           UniToolchain        *toolchain);
void          uni_pipeline_set_goal       (UniPipeline         *self,
                                           UniPipelineGoal      goal);
UniPipelineGoal uni_pipeline_get_goal     (UniPipeline         *self);
gboolean      uni_pipeline_plan           (UniPipeline         *self,
                                           GError             **error);
void          uni_pipeline_plan_async     (UniPipeline         *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      uni_pipeline_plan_finish    (UniPipeline         *self,
                                           GAsyncResult        *result,
                                           GError             **error);
char         *uni_pipeline_to_json        (UniPipeline         *self);
UniJob       *uni_pipeline_get_job        (UniPipeline         *self,
                                           const char          *name);
void          uni_pipeline_run_async      (UniPipeline         *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean      uni_pipeline_run_finish     (UniPipeline         *self,
                                           GAsyncResult        *result,
                                           GError             **error);
void          uni_pipeline_stop           (UniPipeline         *self);

/* With the run goal, after planning: how the unikernel starts (port, boot
 * arguments, why it needs root) and its artefact relative to the project
 * folder ("dist/www").
 */
const UniLaunch    *uni_pipeline_get_launch     (UniPipeline *self);
const char         *uni_pipeline_get_artefact   (UniPipeline *self);
/* Set once the unikernel answers on its port ("http://localhost:8080/");
 * notified. The run finishes successfully then, while the "run" job goes
 * on serving until it exits or is stopped.
 */
const char         *uni_pipeline_get_url        (UniPipeline *self);
/* After a run failed with UNI_BUILD_ERROR_PORT_IN_USE: who holds the port. */
const UniPortOwner *uni_pipeline_get_port_owner (UniPipeline *self);

G_END_DECLS
