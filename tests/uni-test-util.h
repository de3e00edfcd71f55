/* uni-test-util.h — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-pipeline.h"

G_BEGIN_DECLS

/* A project folder name no shell would take unquoted. */
#define UNI_TEST_HOSTILE_NAME "my \"demo\" it's $HOME"

typedef gboolean (*UniTestCondition) (gpointer data);

/* Collects the result of an _async call: pass uni_test_async_done_cb and a
 * UniTestAsync, then wait with uni_test_wait_for (uni_test_async_is_done, ...).
 */
typedef struct
{
  GAsyncResult *result;
} UniTestAsync;

void      uni_test_async_done_cb    (GObject           *object,
                                     GAsyncResult      *result,
                                     gpointer           user_data);
gboolean  uni_test_async_is_done    (gpointer           data);

void      uni_test_init             (int               *argc,
                                     char            ***argv);
GFile    *uni_test_make_tempdir     (const char        *name);
void      uni_test_write_file       (GFile             *dir,
                                     const char        *relative_path,
                                     const char        *contents);
char     *uni_test_read_file        (GFile             *file);
void      uni_test_run              (GFile             *cwd,
                                     const char        *first_arg,
                                     ...) G_GNUC_NULL_TERMINATED;
GFile    *uni_test_make_git_repo    (const char        *name);
gboolean  uni_test_make_read_only   (GFile             *dir);
gboolean  uni_test_make_full_disk   (GFile             *dir,
                                     gsize              size_kib);
gboolean  uni_test_wait_for         (UniTestCondition   condition,
                                     gpointer           data,
                                     guint              timeout_ms);
void      uni_test_iterate          (guint              milliseconds);

/* A file, and the text uni_test_file_has() awaits in it. */
typedef struct
{
  GFile      *file;
  const char *text;
  /* whether the file must be @text and nothing else */
  gboolean    whole;
} UniTestFileHas;

gboolean  uni_test_file_has         (gpointer           file_has);

/* Adds @test_func at PREFIX/NAME for each case of the array @cases, whose
 * first member is its name.
 */
#define UNI_TEST_ADD_CASES(prefix, cases, test_func) \
  uni_test_add_cases ((prefix), (cases), sizeof (cases)[0], G_N_ELEMENTS (cases), (test_func))

void      uni_test_add_cases        (const char        *prefix,
                                     gconstpointer      cases,
                                     gsize              case_size,
                                     gsize              n_cases,
                                     GTestDataFunc      test_func);

/* Sockets and processes. */
guint     uni_test_pick_free_port   (void);
char     *uni_test_http_get         (const char        *address,
                                     guint              port);
gboolean  uni_test_port_answers     (const char        *address,
                                     guint              port);
gboolean  uni_test_group_has_living_member (int         pgid);
gboolean  uni_test_group_gone       (gpointer           pgid);

/* Projects, toolchains and pipelines, with the stand-in mirage of
 * tests/fixtures.
 */
void          uni_test_prepend_fixtures_to_path (void);
char         *uni_test_demo_path         (const char      *relative);
GFile        *uni_test_copy_demo         (const char      *name,
                                          const char      *settings);
GFile        *uni_test_make_gluecon      (const char      *settings);
UniProject   *uni_test_load_project      (GFile           *dir);
UniToolchain *uni_test_detect_toolchain  (const char      *version);
UniPipeline  *uni_test_plan_pipeline     (UniProject      *project,
                                          const char      *target_id,
                                          UniToolchain    *toolchain,
                                          UniPipelineGoal  goal);

/* A job's or a pipeline's run under way, and then what it gave: start it
 * with uni_test_job_run_start() or uni_test_pipeline_run_start(), wait
 * with uni_test_run_is_done() or uni_test_pipeline_run_wait().
 */
typedef struct
{
  /* what the jobs printed, when asked for */
  GString  *output;
  gboolean  done;
  gboolean  ok;
  GError   *error;
} UniTestRun;

void      uni_test_job_run_start      (UniJob        *job,
                                       GCancellable  *cancellable,
                                       UniTestRun    *run);
gboolean  uni_test_run_is_done        (gpointer       run);
void      uni_test_pipeline_run_start (UniPipeline   *pipeline,
                                       gboolean       collect_output,
                                       UniTestRun    *run);
void      uni_test_pipeline_run_wait  (UniPipeline   *pipeline,
                                       UniTestRun    *run);
gboolean  uni_test_run_pipeline       (UniPipeline   *pipeline,
                                       GString      **output,
                                       GError       **error);

G_END_DECLS
