/* uni-pipeline.h — configure → depend → build for one target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-job.h"
#include "uni-project.h"
#include "uni-target.h"
#include "uni-toolchain.h"

G_BEGIN_DECLS

#define UNI_TYPE_PIPELINE (uni_pipeline_get_type ())

G_DECLARE_FINAL_TYPE (UniPipeline, uni_pipeline, UNI, PIPELINE, GObject)

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

G_END_DECLS
