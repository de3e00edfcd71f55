/* test-pipeline.c — jobs and pipelines, run with the stand-in mirage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* posix_openpt */
#define _GNU_SOURCE 1

#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "uni-job.h"
#include "uni-pipeline.h"
#include "uni-plugins.h"
#include "uni-test-util.h"

static const char *settings_ini =
  "[Project]\n"
  "target=unix\n"
  "\n"
  "[Target unix]\n"
  "net=socket\n"
  "\n"
  "[Target xen]\n"
  "env=host\n"
  "dhcp=true\n"
  "network=0\n"
  "no-opam=true\n";

static GFile *
make_demo (void)
{
  return uni_test_copy_demo (UNI_TEST_HOSTILE_NAME, settings_ini);
}

static GFile *
make_gluecon (void)
{
  return uni_test_make_gluecon (settings_ini);
}

static UniPipeline *
plan (UniProject   *project,
      const char   *target_id,
      UniToolchain *toolchain)
{
  return uni_test_plan_pipeline (project, target_id, toolchain, UNI_PIPELINE_GOAL_BUILD);
}

static void
assert_argv (UniJob     *job,
             const char *mirage,
             const char *expected)
{
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) env = NULL;
  g_autofree char *cwd = NULL;
  g_autofree char *joined = NULL;
  g_autoptr(GString) wanted = g_string_new (expected);

  g_assert_nonnull (job);
  g_assert_true (uni_run_context_build (uni_job_get_run_context (job), &argv, &env, &cwd, NULL));
  g_assert_true (g_str_has_suffix (cwd, UNI_TEST_HOSTILE_NAME));
  joined = g_strjoinv ("|", argv);
  g_string_replace (wanted, "MIRAGE", mirage, 0);
  g_assert_cmpstr (joined, ==, wanted->str);
}

/* Whole argv vectors, joined with "|" (MIRAGE is the detected mirage). */
static const struct {
  const char *project;
  const char *version;
  const char *target;
  const char *configure;
  const char *depend;
  const char *build;
} argv_cases[] = {
  { "gluecon", "2.9.1", "unix", "MIRAGE|configure|-t|unix|--net=socket", NULL, "make" },
  { "gluecon", "2.9.1", "xen",
    "MIRAGE|configure|-t|xen|--dhcp=true|--network=0|--no-opam", NULL, "make" },
  { "demo", "3.8.0", "unix", "MIRAGE|configure|-t|unix|--net=socket", "make|depend", "make" },
  { "demo", "3.8.0", "xen", "MIRAGE|configure|-t|xen|--dhcp=true", "make|depend", "make" },
  { "demo", "4.4.2", "unix", "MIRAGE|configure|-t|unix|--net=socket", "make|depend", "make|build" },
  { "demo", "4.4.2", "xen", "MIRAGE|configure|-t|xen|--dhcp=true", "make|depend", "make|build" },
  { "demo", "4.11.1", "unix", "MIRAGE|configure|-t|unix|--net=socket", "make|depend",
    "make|build" },
  { "demo", "4.11.1", "xen", "MIRAGE|configure|-t|xen", "make|depend", "make|build" },
};

static void
test_plan_argv (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (argv_cases); i++)
    {
      g_autoptr(GFile) dir = NULL;
      g_autoptr(UniProject) project = NULL;
      g_autoptr(UniToolchain) toolchain = NULL;
      g_autoptr(UniPipeline) pipeline = NULL;
      g_autofree char *json = NULL;
      const char *mirage;

      g_test_message ("%s, mirage %s, %s", argv_cases[i].project, argv_cases[i].version,
                      argv_cases[i].target);
      dir = g_str_equal (argv_cases[i].project, "demo") ? make_demo () : make_gluecon ();
      project = uni_test_load_project (dir);
      toolchain = uni_test_detect_toolchain (argv_cases[i].version);
      mirage = uni_toolchain_get_mirage_path (toolchain);
      pipeline = plan (project, argv_cases[i].target, toolchain);

      assert_argv (uni_pipeline_get_job (pipeline, "configure"), mirage,
                   argv_cases[i].configure);
      if (argv_cases[i].depend != NULL)
        assert_argv (uni_pipeline_get_job (pipeline, "depend"), mirage, argv_cases[i].depend);
      else
        g_assert_null (uni_pipeline_get_job (pipeline, "depend"));
      assert_argv (uni_pipeline_get_job (pipeline, "build"), mirage, argv_cases[i].build);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==,
                        argv_cases[i].depend != NULL ? 3 : 2);

      /* A value for a flag this config does not offer is reported, never passed. */
      json = uni_pipeline_to_json (pipeline);
      if (g_str_equal (argv_cases[i].target, "xen") && argv_cases[i].version[0] != '2')
        g_assert_nonnull (strstr (json, "--network (not a flag of this config)"));
      else
        g_assert_null (strstr (json, "not a flag"));
      g_assert_nonnull (strstr (json, "\"skip\": null"));
    }
}

/* "port" is the unikernel's flag; the remote environment's keys, ssh-port
 * among them, never reach `mirage configure`.
 */
static void
test_plan_environment_keys (void)
{
  g_autoptr(GFile) dir = make_gluecon ();
  g_autoptr(UniProject) project = NULL;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *json = NULL;

  uni_test_write_file (dir, ".unistudio/project.ini",
                       "[Project]\n"
                       "target=unix\n"
                       "\n"
                       "[Target unix]\n"
                       "env=remote\n"
                       "host=board\n"
                       "user=mirage\n"
                       "port=80\n"
                       "ssh-port=2222\n"
                       "ssh-options=ConnectTimeout=5;\n"
                       "remote-dir=/srv/www\n"
                       "arch=armv7l\n");
  project = uni_test_load_project (dir);
  toolchain = uni_test_detect_toolchain ("2.9.1");
  pipeline = plan (project, "unix", toolchain);
  assert_argv (uni_pipeline_get_job (pipeline, "configure"),
               uni_toolchain_get_mirage_path (toolchain),
               "MIRAGE|configure|-t|unix|--port=80");
  json = uni_pipeline_to_json (pipeline);
  g_assert_null (strstr (json, "not a flag"));

  env = uni_plugins_create_build_environment ("remote", uni_project_get_settings (project),
                                              "unix", &error);
  g_assert_no_error (error);
  g_assert_true (uni_build_environment_wrap (env, context, &error));
  uni_run_context_append_argv (context, "make");
  g_assert_true (uni_run_context_build (context, &argv, NULL, NULL, &error));
  g_assert_no_error (error);
  joined = g_strjoinv ("|", argv);
  g_assert_cmpstr (joined, ==,
                   "ssh|-tt|-o|BatchMode=yes|-p|2222|-o|ConnectTimeout=5|mirage@board|--|"
                   "cd -- '/srv/www' && exec 'make'");
}

/* In a Flatpak sandbox (forced) the steps reach the host. */
static void
test_plan_flatpak (void)
{
  g_autoptr(GFile) dir = make_demo ();
  g_autoptr(UniProject) project = NULL;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  guint n;

  project = uni_test_load_project (dir);
  toolchain = uni_test_detect_toolchain ("4.11.1");
  g_setenv ("UNISTUDIO_FORCE_FLATPAK", "1", TRUE);
  pipeline = plan (project, "unix", toolchain);
  g_unsetenv ("UNISTUDIO_FORCE_FLATPAK");

  g_assert_true (uni_run_context_build (uni_job_get_run_context (uni_pipeline_get_job (pipeline,
                                                                                        "configure")),
                                        &argv, NULL, NULL, &error));
  g_assert_no_error (error);
  n = g_strv_length (argv);
  g_assert_cmpuint (n, >, 6);
  g_assert_cmpstr (argv[0], ==, "flatpak-spawn");
  g_assert_cmpstr (argv[1], ==, "--host");
  g_assert_cmpstr (argv[n - 4], ==, "configure");
  g_assert_cmpstr (argv[n - 3], ==, "-t");
  g_assert_cmpstr (argv[n - 2], ==, "unix");
  g_assert_cmpstr (argv[n - 1], ==, "--net=socket");
}

/* Planning in a thread. */

typedef struct
{
  GThread  *main_thread;
  guint     n_changes;
  guint     n_changes_off_main;
  gboolean  changed_before_callback;
  gboolean  done;
  gboolean  ok;
  GError   *error;
} PlanAsync;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  PlanAsync  *state)
{
  state->n_changes++;
  if (g_thread_self () != state->main_thread
      || !g_main_context_is_owner (g_main_context_default ()))
    state->n_changes_off_main++;
}

static void
plan_async_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  PlanAsync *state = user_data;

  state->changed_before_callback = state->n_changes > 0;
  state->ok = uni_pipeline_plan_finish (UNI_PIPELINE (object), result, &state->error);
  state->done = TRUE;
}

static gboolean
plan_async_is_done (gpointer data)
{
  return ((PlanAsync *) data)->done;
}

/* Starts uni_pipeline_plan_async(), watching items-changed. */
static void
plan_async_start (UniPipeline  *pipeline,
                  GCancellable *cancellable,
                  PlanAsync    *state)
{
  state->main_thread = g_thread_self ();
  g_signal_connect (pipeline, "items-changed", G_CALLBACK (items_changed_cb), state);
  uni_pipeline_plan_async (pipeline, cancellable, plan_async_done_cb, state);
  /* Nothing is applied before the main loop runs the callback. */
  g_assert_cmpuint (state->n_changes, ==, 0);
}

static void
plan_async_wait (UniPipeline *pipeline,
                 PlanAsync   *state)
{
  g_assert_true (uni_test_wait_for (plan_async_is_done, state, 10000));
  g_signal_handlers_disconnect_by_data (pipeline, state);
  g_assert_cmpuint (state->n_changes_off_main, ==, 0);
}

/* Every era × target: the plan made in a thread is the one made at once. */
static void
test_plan_async_same_as_sync (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (argv_cases); i++)
    {
      g_autoptr(GFile) dir = NULL;
      g_autoptr(UniProject) project = NULL;
      g_autoptr(UniToolchain) toolchain = NULL;
      g_autoptr(UniPipeline) sync = NULL;
      g_autoptr(UniPipeline) async = NULL;
      g_autofree char *sync_json = NULL;
      g_autofree char *async_json = NULL;
      PlanAsync state = { 0 };

      g_test_message ("%s, mirage %s, %s", argv_cases[i].project, argv_cases[i].version,
                      argv_cases[i].target);
      dir = g_str_equal (argv_cases[i].project, "demo") ? make_demo () : make_gluecon ();
      project = uni_test_load_project (dir);
      toolchain = uni_test_detect_toolchain (argv_cases[i].version);
      sync = plan (project, argv_cases[i].target, toolchain);

      async = uni_pipeline_new (project, uni_target_lookup (argv_cases[i].target), toolchain);
      plan_async_start (async, NULL, &state);
      plan_async_wait (async, &state);
      g_assert_no_error (state.error);
      g_assert_true (state.ok);
      g_assert_cmpuint (state.n_changes, ==, 1);
      g_assert_true (state.changed_before_callback);

      sync_json = uni_pipeline_to_json (sync);
      async_json = uni_pipeline_to_json (async);
      g_assert_cmpstr (async_json, ==, sync_json);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (async)), ==,
                        argv_cases[i].depend != NULL ? 3 : 2);
      g_assert_finalize_object (g_steal_pointer (&async));
    }
}

static void
test_plan_async_cancelled (void)
{
  g_autoptr(GFile) dir = make_demo ();
  g_autoptr(UniProject) project = uni_test_load_project (dir);
  g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("4.11.1");
  const UniTarget *unix_target = uni_target_lookup ("unix");

  /* Cancelled before, and right after, the call. */
  for (guint before = 0; before < 2; before++)
    {
      g_autoptr(UniPipeline) pipeline = uni_pipeline_new (project, unix_target, toolchain);
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      PlanAsync state = { 0 };

      if (before)
        g_cancellable_cancel (cancellable);
      plan_async_start (pipeline, cancellable, &state);
      g_cancellable_cancel (cancellable);
      plan_async_wait (pipeline, &state);
      g_assert_false (state.ok);
      g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      g_assert_cmpuint (state.n_changes, ==, 0);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 0);
      g_clear_error (&state.error);
    }

  /* Superseded by a plan made meanwhile: that one stays. */
  {
    g_autoptr(UniPipeline) pipeline = uni_pipeline_new (project, unix_target, toolchain);
    g_autoptr(GError) error = NULL;
    PlanAsync state = { 0 };

    plan_async_start (pipeline, NULL, &state);
    /* As from a handler the main loop dispatches, which owns the context. */
    g_assert_true (g_main_context_acquire (NULL));
    g_assert_true (uni_pipeline_plan (pipeline, &error));
    g_main_context_release (NULL);
    g_assert_no_error (error);
    g_assert_cmpuint (state.n_changes, ==, 1);
    plan_async_wait (pipeline, &state);
    g_assert_error (state.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpuint (state.n_changes, ==, 1);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 3);
    g_clear_error (&state.error);
  }
}

/* Errors found in the thread come back as they do from the sync plan. */
static void
test_plan_async_errors (void)
{
  g_autoptr(GFile) dir = make_demo ();
  g_autoptr(UniProject) project = uni_test_load_project (dir);
  g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("4.11.1");
  g_autoptr(UniPipeline) pipeline = uni_pipeline_new (project, uni_target_lookup ("unix"),
                                                      toolchain);
  g_autoptr(GFile) config_file = g_file_get_child (dir, "config.ml");
  g_autoptr(GError) sync_error = NULL;
  PlanAsync state = { 0 };

  g_assert_true (g_file_delete (config_file, NULL, NULL));
  g_assert_false (uni_pipeline_plan (pipeline, &sync_error));
  g_assert_nonnull (sync_error);

  plan_async_start (pipeline, NULL, &state);
  plan_async_wait (pipeline, &state);
  g_assert_false (state.ok);
  g_assert_error (state.error, sync_error->domain, sync_error->code);
  g_assert_cmpstr (state.error->message, ==, sync_error->message);
  g_assert_cmpuint (state.n_changes, ==, 0);
  g_clear_error (&state.error);
}

static gboolean
project_has (GFile      *dir,
             const char *relative)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (dir, relative);

  return g_file_query_exists (file, NULL);
}

static void
test_run_demo_4x (void)
{
  g_autoptr(GFile) dir = make_demo ();
  g_autoptr(UniProject) project = uni_test_load_project (dir);
  g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("4.11.1");
  g_autoptr(UniPipeline) pipeline = plan (project, "unix", toolchain);
  g_autoptr(GString) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) config_file = g_file_get_child (dir, "config.ml");
  g_autofree char *config = NULL;
  PlanAsync state = { 0 };

  g_assert_true (uni_test_run_pipeline (pipeline, &output, &error));
  g_assert_no_error (error);
  g_assert_true (project_has (dir, "dist/www"));
  g_assert_nonnull (strstr (output->str, "Successfully configured the unikernel"));
  /* Piped: no colours. */
  g_assert_null (strchr (output->str, '\033'));
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "build")), ==,
                   UNI_JOB_SUCCEEDED);
  g_assert_cmpint (uni_job_get_exit_status (uni_pipeline_get_job (pipeline, "build")), ==, 0);

  /* Again: configure and depend are up to date, build runs (make is incremental);
   * planned in a thread, the same as at once.
   */
  g_clear_object (&pipeline);
  g_string_free (g_steal_pointer (&output), TRUE);
  pipeline = uni_pipeline_new (project, uni_target_lookup ("unix"), toolchain);
  plan_async_start (pipeline, NULL, &state);
  plan_async_wait (pipeline, &state);
  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  {
    g_autoptr(UniPipeline) sync = plan (project, "unix", toolchain);
    g_autofree char *sync_json = uni_pipeline_to_json (sync);
    g_autofree char *async_json = uni_pipeline_to_json (pipeline);

    g_assert_cmpstr (async_json, ==, sync_json);
  }
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "configure")), ==,
                   UNI_JOB_SKIPPED);
  g_assert_nonnull (uni_job_get_skip_reason (uni_pipeline_get_job (pipeline, "configure")));
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "depend")), ==,
                   UNI_JOB_SKIPPED);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "build")), ==,
                   UNI_JOB_PENDING);
  g_assert_true (uni_test_run_pipeline (pipeline, &output, &error));
  g_assert_null (strstr (output->str, "Successfully configured"));

  /* Another target configures again, and the folder then holds its
   * configuration: the first target is no longer up to date either.
   */
  g_clear_object (&pipeline);
  pipeline = plan (project, "xen", toolchain);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "configure")), ==,
                   UNI_JOB_PENDING);
  g_string_free (g_steal_pointer (&output), TRUE);
  g_assert_true (uni_test_run_pipeline (pipeline, &output, &error));
  g_assert_no_error (error);

  /* A lock older than the opam file configure wrote misses its packages. */
  g_clear_object (&pipeline);
  pipeline = plan (project, "xen", toolchain);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "depend")), ==,
                   UNI_JOB_SKIPPED);
  {
    g_autofree char *project_path = g_file_get_path (dir);
    g_autofree char *opam = g_build_filename (project_path, "mirage", "www-xen.opam", NULL);

    g_assert_true (g_file_test (opam, G_FILE_TEST_IS_REGULAR));
    uni_test_run (NULL, "touch", "-d", "+1 hour", opam, NULL);
  }
  g_clear_object (&pipeline);
  pipeline = plan (project, "xen", toolchain);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "configure")), ==,
                   UNI_JOB_SKIPPED);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "depend")), ==,
                   UNI_JOB_PENDING);

  g_clear_object (&pipeline);
  pipeline = plan (project, "unix", toolchain);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "configure")), ==,
                   UNI_JOB_PENDING);
  /* A configure that runs may add packages: depend locks them again, although
   * a lock and duniverse/ are there.
   */
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "depend")), ==,
                   UNI_JOB_PENDING);

  /* A changed config.ml configures again. */
  g_clear_object (&pipeline);
  config = uni_test_read_file (config_file);
  uni_test_write_file (dir, "config.ml", "(* touched *)\n");
  g_assert_cmpuint (strlen (config), >, 0);
  g_clear_object (&pipeline);
  pipeline = plan (project, "unix", toolchain);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "configure")), ==,
                   UNI_JOB_PENDING);
}

static void
test_run_gluecon_2x (void)
{
  g_autoptr(GFile) dir = make_gluecon ();
  g_autoptr(UniProject) project = uni_test_load_project (dir);
  g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("2.9.1");
  g_autoptr(UniPipeline) pipeline = plan (project, "unix", toolchain);
  g_autoptr(GString) output = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (uni_test_run_pipeline (pipeline, &output, &error));
  g_assert_no_error (error);
  g_assert_true (project_has (dir, "mir-www"));

  g_clear_object (&pipeline);
  pipeline = plan (project, "unix", toolchain);
  g_assert_cmpint (uni_job_get_state (uni_pipeline_get_job (pipeline, "configure")), ==,
                   UNI_JOB_SKIPPED);
}

static void
test_run_broken (void)
{
  g_autoptr(GFile) dir = make_demo ();
  g_autoptr(UniProject) project = uni_test_load_project (dir);
  g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("4.11.1");
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autoptr(GString) output = NULL;
  g_autoptr(GError) error = NULL;
  UniJob *build;

  uni_test_write_file (dir, "unikernel.ml", "let start () =\n  this_does_not_exist ()\n");
  pipeline = plan (project, "unix", toolchain);
  g_assert_false (uni_test_run_pipeline (pipeline, &output, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_STEP_FAILED);
  g_assert_nonnull (strstr (error->message, "build"));
  g_assert_nonnull (strstr (output->str, "File \"unikernel.ml\", line 2, characters 2-21:"));
  g_assert_nonnull (strstr (output->str, "Error: Unbound value this_does_not_exist"));

  build = uni_pipeline_get_job (pipeline, "build");
  g_assert_cmpint (uni_job_get_state (build), ==, UNI_JOB_FAILED);
  /* make's own status when a recipe fails. */
  g_assert_cmpint (uni_job_get_exit_status (build), ==, 2);
  g_assert_nonnull (strstr (error->message, "2"));
}

/* Jobs on their own. */

static UniJob *
make_job (const char *script)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_append_argv (context, "sh");
  uni_run_context_append_argv (context, "-c");
  uni_run_context_append_argv (context, script);

  return uni_job_new ("build", "Build", context);
}

static void
test_job_output_and_status (void)
{
  static const struct {
    const char *script;
    UniJobState state;
    int status;
    const char *output;
  } cases[] = {
    { "echo out; echo err >&2; test -t 0 || echo no-tty; echo \"$NO_COLOR $TERM\"",
      UNI_JOB_SUCCEEDED, 0, "out\nerr\nno-tty\n1 dumb\n" },
    { "echo bad; exit 3", UNI_JOB_FAILED, 3, "bad\n" },
    { "kill -9 $$", UNI_JOB_FAILED, 128 + SIGKILL, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UniJob) job = make_job (cases[i].script);
      UniTestRun run;

      uni_test_job_run_start (job, NULL, &run);
      g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_RUNNING);
      g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, 10000));
      g_assert_cmpint (uni_job_get_state (job), ==, cases[i].state);
      g_assert_cmpint (uni_job_get_exit_status (job), ==, cases[i].status);
      g_assert_cmpstr (run.output->str, ==, cases[i].output);
      if (cases[i].state == UNI_JOB_SUCCEEDED)
        g_assert_no_error (run.error);
      else
        g_assert_error (run.error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_STEP_FAILED);
      g_clear_error (&run.error);
      g_string_free (run.output, TRUE);
    }
}

static void
test_job_pty (void)
{
  g_autoptr(UniJob) job = make_job ("test -t 0 && echo tty; test -t 1 || echo piped; "
                                    "echo \"$TERM\"; ps -o sid= -p $$ | tr -d ' '; echo $$");
  UniTestRun run;
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_autofree char *expected = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (master, >=, 0);
  uni_job_set_pty_fd (job, master);
  uni_test_job_run_start (job, NULL, &run);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, 10000));
  g_assert_no_error (run.error);

  lines = g_strsplit (run.output->str, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 6);
  g_assert_cmpstr (lines[0], ==, "tty");
  g_assert_cmpstr (lines[1], ==, "piped");
  g_assert_cmpstr (lines[2], ==, "xterm-256color");
  /* Its own session. */
  g_assert_cmpstr (lines[3], ==, lines[4]);
  g_string_free (run.output, TRUE);
  close (master);
}

static void
test_job_stop_leaves_no_process (void)
{
  g_autoptr(UniJob) job = make_job ("sleep 100 & sleep 100");
  UniTestRun run;
  int pid;

  uni_test_job_run_start (job, NULL, &run);
  pid = uni_job_get_pid (job);
  g_assert_cmpint (pid, >, 0);
  uni_test_iterate (300);
  g_assert_true (uni_test_group_has_living_member (pid));

  uni_job_stop (job);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, 10000));
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_CANCELLED);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (uni_test_group_has_living_member (pid));
  g_clear_error (&run.error);
  g_string_free (run.output, TRUE);
}

/* A process that ignores SIGTERM is killed after the grace period. */
static void
test_job_stop_kills_stubborn (void)
{
  g_autoptr(UniJob) job = make_job ("trap '' TERM; sleep 100 & trap '' TERM; wait");
  UniTestRun run;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  int pid;

  uni_test_job_run_start (job, cancellable, &run);
  pid = uni_job_get_pid (job);
  uni_test_iterate (300);
  g_cancellable_cancel (cancellable);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, 10000));
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_CANCELLED);
  g_assert_false (uni_test_group_has_living_member (pid));
  g_clear_error (&run.error);
  g_string_free (run.output, TRUE);
}

/* The command exits at once and GLib may reap it before the job even looks:
 * the job still knows its process group and ends what the command left.
 */
static void
test_job_leader_exits_first (void)
{
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(UniJob) job = make_job ("sleep 100 </dev/null >/dev/null 2>&1 & exit 0");
      UniTestRun run;
      int pid;

      uni_test_job_run_start (job, NULL, &run);
      pid = uni_job_get_pid (job);
      g_assert_cmpint (pid, >, 0);
      g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, 10000));
      g_assert_no_error (run.error);
      g_assert_false (uni_test_group_has_living_member (pid));
      g_string_free (run.output, TRUE);
    }
}

static void
test_job_missing_program (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(UniJob) job = NULL;
  UniTestRun run;

  uni_run_context_append_argv (context, "unistudio-no-such-program");
  job = uni_job_new ("build", "Build", context);
  uni_test_job_run_start (job, NULL, &run);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, 10000));
  g_assert_error (run.error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_SPAWN);
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_FAILED);
  g_clear_error (&run.error);
  g_string_free (run.output, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);
  uni_plugins_init ();
  uni_test_prepend_fixtures_to_path ();
  g_unsetenv ("NO_COLOR");

  g_test_add_func ("/uni/job/output-and-status", test_job_output_and_status);
  g_test_add_func ("/uni/job/pty", test_job_pty);
  g_test_add_func ("/uni/job/stop-leaves-no-process", test_job_stop_leaves_no_process);
  g_test_add_func ("/uni/job/stop-kills-stubborn", test_job_stop_kills_stubborn);
  g_test_add_func ("/uni/job/leader-exits-first", test_job_leader_exits_first);
  g_test_add_func ("/uni/job/missing-program", test_job_missing_program);
  g_test_add_func ("/uni/pipeline/plan-argv", test_plan_argv);
  g_test_add_func ("/uni/pipeline/plan-environment-keys", test_plan_environment_keys);
  g_test_add_func ("/uni/pipeline/plan-flatpak", test_plan_flatpak);
  g_test_add_func ("/uni/pipeline/plan-async-same-as-sync", test_plan_async_same_as_sync);
  g_test_add_func ("/uni/pipeline/plan-async-cancelled", test_plan_async_cancelled);
  g_test_add_func ("/uni/pipeline/plan-async-errors", test_plan_async_errors);
  g_test_add_func ("/uni/pipeline/run-4x", test_run_demo_4x);
  g_test_add_func ("/uni/pipeline/run-2x", test_run_gluecon_2x);
  g_test_add_func ("/uni/pipeline/broken-build", test_run_broken);

  return g_test_run ();
}
