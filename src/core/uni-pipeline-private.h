/* uni-pipeline-private.h — what the pipeline's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-pipeline.h"

G_BEGIN_DECLS

/* What planning reads from the disk, on a copy of what it needs so that the
 * thread never sees the pipeline, its project or its toolchain: only strings,
 * the immutable #GFile of config.ml and objects the thread creates itself.
 */
typedef struct
{
  /* in: copied on the calling thread */
  guint         serial;
  UniMirageEra  era;
  GFile        *config_file;
  char         *project_dir;
  char         *version_string;
  char         *target_mirage_name;
  char         *configure_stamp_path;
  char         *depend_stamp_path;
  /* flag names and values of the target's settings, alternating; NULL
   * without project settings
   */
  GPtrArray    *settings;

  /* in: `mirage configure` and the target's arguments; out: with the
   * per-target values that this config offers
   */
  GPtrArray    *configure_argv;

  /* in, run goal */
  UniPipelineGoal  goal;
  UniMirageVersion version;
  const UniTarget *target;

  /* out: filled by the worker */
  GChecksum    *checksum;
  /* out, run goal: the config and the runtime arguments its module
   * declares (NULL without one), the artefact relative to the project and
   * whether it is newer than every file of the project
   */
  UniManifest  *manifest;
  GPtrArray    *runtime_decls;
  char         *artefact;
  gboolean      artefact_current;
  GPtrArray    *dropped;
  char         *configure_stamp;
  char         *depend_stamp;
  gboolean      configured;
  gboolean      dependencies_present;
} PlanData;

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

/* uni-pipeline-run.c: the run goal's planning, and its "run" step in place
 * of uni_job_run_async ()
 */
gboolean  _uni_pipeline_check_can_run   (UniPipeline   *self,
                                         GError       **error);
void      _uni_pipeline_plan_run_goal   (PlanData      *plan,
                                         UniManifest   *manifest,
                                         GCancellable  *cancellable);
UniJob   *_uni_pipeline_create_run_job  (UniPipeline   *self,
                                         UniLaunch     *launch,
                                         const char    *artefact);
void      _uni_pipeline_run_step        (UniPipeline   *self,
                                         UniJob        *job);
void      _uni_pipeline_run_clear       (UniPipeline   *self);

/* uni-pipeline.c */
char     *_uni_pipeline_dup_project_path (UniPipeline  *self);
gint64    _uni_pipeline_plan_file_mtime  (PlanData     *plan,
                                          const char   *relative);
void      _uni_pipeline_set_url          (UniPipeline  *self,
                                          const char   *url);

G_END_DECLS
