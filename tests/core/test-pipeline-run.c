/* test-pipeline-run.c — the run goal: the unix unikernel started, serving, stopped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "uni-job.h"
#include "uni-pipeline.h"
#include "uni-plugins.h"
#include "uni-test-util.h"

/* Bounds for conditions that a real process meets, never timed assertions:
 * a build of the stand-in takes a fraction of a second.
 */
#define RUN_TIMEOUT_MS  60000
#define STOP_TIMEOUT_MS 15000

static char *
settings_for_port (guint       port,
                   const char *extra)
{
  return g_strdup_printf ("[Project]\n"
                          "target=unix\n"
                          "\n"
                          "[Target unix]\n"
                          "boot.port=%u\n"
                          "%s",
                          port, extra != NULL ? extra : "");
}

/* A copy of the 2048 demo under a hostile name, with @settings as its
 * .unistudio/project.ini.
 */
static GFile *
make_demo (const char *settings)
{
  return uni_test_copy_demo (UNI_TEST_HOSTILE_NAME, settings);
}

static GFile *
make_demo_on_port (guint port)
{
  g_autofree char *settings = settings_for_port (port, NULL);

  return make_demo (settings);
}

/* A copy of the demo on a port of its own, loaded, and mirage 4.11. */
typedef struct
{
  guint         port;
  GFile        *dir;
  UniProject   *project;
  UniToolchain *toolchain;
} Demo;

static Demo
demo_open (void)
{
  Demo demo = { uni_test_pick_free_port (), NULL, NULL, NULL };

  demo.dir = make_demo_on_port (demo.port);
  demo.project = uni_test_load_project (demo.dir);
  demo.toolchain = uni_test_detect_toolchain ("4.11.1");

  return demo;
}

static void
demo_clear (Demo *demo)
{
  g_clear_object (&demo->toolchain);
  g_clear_object (&demo->project);
  g_clear_object (&demo->dir);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Demo, demo_clear)

static char *
project_path (GFile      *dir,
              const char *relative)
{
  g_autofree char *path = g_file_get_path (dir);

  return g_build_filename (path, relative, NULL);
}

static UniPipeline *
plan_run (UniProject   *project,
          UniToolchain *toolchain)
{
  return uni_test_plan_pipeline (project, "unix", toolchain, UNI_PIPELINE_GOAL_RUN);
}

static UniJobState
job_state (UniPipeline *pipeline,
           const char  *name)
{
  UniJob *job = uni_pipeline_get_job (pipeline, name);

  g_assert_nonnull (job);
  return uni_job_get_state (job);
}

/* The build alone, so that a run planned next finds it up to date. */
static void
build (UniProject   *project,
       UniToolchain *toolchain)
{
  g_autoptr(UniPipeline) pipeline = uni_test_plan_pipeline (project, "unix", toolchain,
                                                            UNI_PIPELINE_GOAL_BUILD);
  g_autoptr(GError) error = NULL;

  g_assert_true (uni_test_run_pipeline (pipeline, NULL, &error));
  g_assert_no_error (error);
}

static gboolean
job_not_running (gpointer data)
{
  return uni_job_get_state (UNI_JOB (data)) != UNI_JOB_RUNNING;
}

static gboolean
job_running (gpointer data)
{
  return uni_job_get_state (UNI_JOB (data)) == UNI_JOB_RUNNING;
}

/* Ends the unikernel a test started, whatever the test saw. */
static void
stop_unikernel (UniPipeline *pipeline)
{
  UniJob *job = uni_pipeline_get_job (pipeline, "run");

  if (job == NULL || uni_job_get_state (job) != UNI_JOB_RUNNING)
    return;

  uni_pipeline_stop (pipeline);
  g_assert_true (uni_test_wait_for (job_not_running, job, STOP_TIMEOUT_MS));
}

static gboolean
process_is_gone (int pid)
{
  return kill (pid, 0) != 0 && errno == ESRCH;
}

static char *
demo_index_html (void)
{
  g_autofree char *path = uni_test_demo_path ("htdocs/index.html");
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));

  return g_steal_pointer (&contents);
}

/* What the kernel says the process was started with, "KEY=VALUE" each. */
static char **
dup_process_environ (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/environ", pid);
  g_autofree char *contents = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  for (gsize i = 0; i < length; i += strlen (contents + i) + 1)
    g_strv_builder_add (builder, contents + i);

  return g_strv_builder_end (builder);
}

static void
url_notify_cb (GObject    *object,
               GParamSpec *pspec,
               gpointer    user_data)
{
  (*(guint *) user_data)++;
}

/* The first Run configures, locks, builds, starts the unikernel and ends
 * once it answers; the unikernel goes on serving the demo's page until
 * Stop.
 */
static void
test_serves (void)
{
  g_auto(Demo) demo = demo_open ();
  g_autofree char *dir_path = g_file_get_path (demo.dir);
  g_autoptr(UniPipeline) pipeline = plan_run (demo.project, demo.toolchain);
  static const char * const names[] = { "configure", "depend", "build", "run" };
  g_autofree char *url = g_strdup_printf ("http://localhost:%u/", demo.port);
  g_autofree char *expected_env = g_strconcat ("UNISTUDIO_RUN_PROJECT=", dir_path, NULL);
  g_autofree char *index_html = demo_index_html ();
  g_autofree char *body = NULL;
  g_auto(GStrv) environ_ = NULL;
  g_autoptr(GError) error = NULL;
  UniJob *job;
  guint n_url_notifies = 0;
  int pid;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(UniJob) item = g_list_model_get_item (G_LIST_MODEL (pipeline), i);

      g_assert_cmpstr (uni_job_get_name (item), ==, names[i]);
      g_assert_cmpint (uni_job_get_state (item), ==, UNI_JOB_PENDING);
    }
  g_assert_cmpstr (uni_pipeline_get_artefact (pipeline), ==, "dist/www");
  g_assert_cmpuint (uni_pipeline_get_launch (pipeline)->port, ==, demo.port);
  g_assert_null (uni_pipeline_get_url (pipeline));

  g_signal_connect (pipeline, "notify::url", G_CALLBACK (url_notify_cb), &n_url_notifies);
  g_assert_true (uni_test_run_pipeline (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_func (pipeline, url_notify_cb, &n_url_notifies);

  g_assert_cmpint (job_state (pipeline, "configure"), ==, UNI_JOB_SUCCEEDED);
  g_assert_cmpint (job_state (pipeline, "depend"), ==, UNI_JOB_SUCCEEDED);
  g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_SUCCEEDED);
  job = uni_pipeline_get_job (pipeline, "run");
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_RUNNING);
  g_assert_cmpint (uni_job_get_exit_status (job), ==, -1);
  g_assert_cmpstr (uni_pipeline_get_url (pipeline), ==, url);
  g_assert_cmpuint (n_url_notifies, ==, 1);
  g_assert_null (uni_pipeline_get_port_owner (pipeline));

  body = uni_test_http_get ("127.0.0.1", demo.port);
  g_assert_cmpstr (body, ==, index_html);

  /* Marked as ours for a later look at the busy port. */
  pid = uni_job_get_pid (job);
  g_assert_cmpint (pid, >, 0);
  environ_ = dup_process_environ (pid);
  g_assert_true (g_strv_contains ((const char * const *) environ_, expected_env));

  uni_pipeline_stop (pipeline);
  g_assert_true (uni_test_wait_for (job_not_running, job, STOP_TIMEOUT_MS));
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_CANCELLED);
  g_assert_false (uni_test_port_answers ("127.0.0.1", demo.port));
  g_assert_false (uni_test_group_has_living_member (pid));
  g_assert_true (process_is_gone (pid));
  /* Nothing serves there any more. */
  g_assert_null (uni_pipeline_get_url (pipeline));

  /* Once the unikernel ended, nothing keeps the pipeline (or its jobs) alive. */
  uni_test_iterate (10);
  g_assert_finalize_object (g_steal_pointer (&pipeline));
}

#define GLUECON_INDEX_HTML "<!doctype html>\n<title>GlueCon 2016</title>\n"

/* The GlueCon 2016 unikernel (mirage 2.9) under a hostile name, serving
 * GLUECON_INDEX_HTML, with @target_settings in its [Target unix] group.
 */
static GFile *
make_gluecon (const char *target_settings)
{
  g_autofree char *settings = g_strconcat ("[Project]\ntarget=unix\n\n[Target unix]\n",
                                           target_settings, NULL);
  g_autoptr(GFile) dir = uni_test_make_gluecon (settings);

  uni_test_write_file (dir, "htdocs/index.html", GLUECON_INDEX_HTML);

  return g_steal_pointer (&dir);
}

/* mirage 2.x: the port is a configure key, given at configure time; the
 * program is mir-NAME at the top of the project and takes no arguments.
 */
static void
test_serves_2x (void)
{
  guint port = uni_test_pick_free_port ();
  g_autofree char *settings = g_strdup_printf ("net=socket\nport=%u\n", port);
  g_autoptr(GFile) dir = make_gluecon (settings);
  g_autoptr(UniProject) project = NULL;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *joined = NULL;
  g_autofree char *body = NULL;

  project = uni_test_load_project (dir);
  toolchain = uni_test_detect_toolchain ("2.9.1");
  pipeline = plan_run (project, toolchain);

  g_assert_cmpstr (uni_pipeline_get_artefact (pipeline), ==, "mir-www");
  g_assert_cmpuint (uni_pipeline_get_launch (pipeline)->port, ==, port);
  g_assert_null (uni_pipeline_get_job (pipeline, "depend"));
  g_assert_true (uni_run_context_build (uni_job_get_run_context (uni_pipeline_get_job (pipeline,
                                                                                        "run")),
                                        &argv, NULL, NULL, &error));
  g_assert_no_error (error);
  joined = g_strjoinv ("|", argv);
  g_assert_cmpstr (joined, ==, "./mir-www");

  g_assert_true (uni_test_run_pipeline (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (job_state (pipeline, "run"), ==, UNI_JOB_RUNNING);
  body = uni_test_http_get ("127.0.0.1", port);
  g_assert_cmpstr (body, ==, GLUECON_INDEX_HTML);
  stop_unikernel (pipeline);
  g_assert_cmpint (job_state (pipeline, "run"), ==, UNI_JOB_CANCELLED);
  g_assert_false (uni_test_port_answers ("127.0.0.1", port));
}

/* The direct stack (tap device). The stand-in owns no tap device: it
 * serves on the address it took when that is a loopback one, and
 * pretends DHCP leased it 127.0.0.2 (see tests/fixtures/mirage).
 */

/* Listens on 127.0.0.1 only, at a port the kernel picks: the same port is
 * still free on 127.0.0.2 and 127.0.0.5, where the unikernel binds, yet a
 * check of this computer's ports would find it taken.
 */
static guint
hold_loopback_port (GSocketListener *listener)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_socket_listener_add_address (listener, wanted, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

typedef struct
{
  const char *name;
  /* The GlueCon unikernel (mirage 2.9), or else the demo (4.11) */
  gboolean    gluecon;
  /* The lines of the unix target's group, but the port */
  const char *target_settings;
  /* Planned: the address, NULL until DHCP gives one; a boot argument or NULL */
  const char *artefact;
  const char *address;
  const char *boot_arg;
  /* Where it serves, and what its console says then (NULL: no need to) */
  const char *served_at;
  const char *console_line;
} TapCase;

static const TapCase tap_cases[] = {
  /* A static address (4.5+ boot.ipv4): Run waits there from the start, and
   * does not look at this computer's ports, where the same port is taken.
   */
  { "tap-static", FALSE, "net=direct\nboot.ipv4=127.0.0.5/8\n",
    "dist/www", "127.0.0.5", "--ipv4=127.0.0.5/8",
    "127.0.0.5", NULL },
  /* No address (4.11 direct stack without boot.ipv4): Run waits for the
   * console to say which address DHCP gave, and opens that.
   */
  { "tap-dhcp", FALSE, "net=direct\n",
    "dist/www", NULL, NULL,
    "127.0.0.2", "[dhcp_client_lwt] Lease obtained! IP: 127.0.0.2, " },
  /* mirage 2.9 (GlueCon) with `--net direct --dhcp true`: the 2.x DHCP line. */
  { "tap-dhcp-2x", TRUE, "net=direct\ndhcp=true\n",
    "mir-www", NULL, NULL,
    "127.0.0.2", "DHCP offer received and bound to 127.0.0.2 nm " },
};

/* Runs a direct stack to its page: the URL is there, the page is the
 * project's, the port check of this computer was skipped (the test holds
 * the port on 127.0.0.1), and the console said what the case expects.
 */
static void
test_tap (gconstpointer data)
{
  const TapCase *c = data;
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  guint port = hold_loopback_port (listener);
  g_autofree char *settings = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(UniProject) project = NULL;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autofree char *index_html = NULL;
  g_autofree char *planned_url = NULL;
  g_autofree char *expected_planned_url = NULL;
  g_autofree char *url = g_strdup_printf ("http://%s:%u/", c->served_at, port);
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  const UniLaunch *launch;

  if (geteuid () != 0)
    {
      g_test_skip ("the direct stack runs under sudo, which would ask for a password");
      return;
    }

  if (c->gluecon)
    {
      settings = g_strdup_printf ("%sport=%u\n", c->target_settings, port);
      dir = make_gluecon (settings);
      index_html = g_strdup (GLUECON_INDEX_HTML);
    }
  else
    {
      settings = settings_for_port (port, c->target_settings);
      dir = make_demo (settings);
      index_html = demo_index_html ();
    }
  project = uni_test_load_project (dir);
  toolchain = uni_test_detect_toolchain (c->gluecon ? "2.9.1" : "4.11.1");
  pipeline = plan_run (project, toolchain);

  launch = uni_pipeline_get_launch (pipeline);
  g_assert_cmpstr (uni_pipeline_get_artefact (pipeline), ==, c->artefact);
  g_assert_cmpuint (launch->port, ==, port);
  g_assert_cmpstr (launch->address, ==, c->address);
  planned_url = uni_launch_dup_url (launch);
  if (c->address != NULL)
    expected_planned_url = g_strdup_printf ("http://%s:%u/", c->address, port);
  g_assert_cmpstr (planned_url, ==, expected_planned_url);
  if (c->boot_arg != NULL)
    g_assert_true (g_strv_contains ((const char * const *) launch->boot_args, c->boot_arg));
  g_assert_true (launch->on_tap);
  g_assert_nonnull (launch->root_reason);

  g_assert_true (uni_test_run_pipeline (pipeline, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (job_state (pipeline, "run"), ==, UNI_JOB_RUNNING);
  g_assert_cmpstr (uni_pipeline_get_url (pipeline), ==, url);
  g_assert_null (uni_pipeline_get_port_owner (pipeline));

  body = uni_test_http_get (c->served_at, port);
  g_assert_cmpstr (body, ==, index_html);
  if (c->console_line != NULL)
    {
      g_autofree char *tail = uni_job_dup_output_tail (uni_pipeline_get_job (pipeline, "run"),
                                                       50);

      g_assert_nonnull (strstr (tail, c->console_line));
    }

  stop_unikernel (pipeline);
  g_assert_cmpint (job_state (pipeline, "run"), ==, UNI_JOB_CANCELLED);
  g_assert_false (uni_test_port_answers (c->served_at, port));
  /* The test's own listener was never the unikernel. */
  g_assert_true (uni_test_port_answers ("127.0.0.1", port));
  g_socket_listener_close (listener);
}

/* After a build, Run goes straight to the unikernel; an edited file of the
 * project brings the build back.
 */
static void
test_up_to_date (void)
{
  static const char * const edited[] = { "htdocs/index.html", "unikernel.ml" };

  for (guint i = 0; i < G_N_ELEMENTS (edited); i++)
    {
      g_auto(Demo) demo = demo_open ();
      g_autoptr(UniPipeline) pipeline = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *index_html = demo_index_html ();
      g_autofree char *body = NULL;
      g_autofree char *edited_path = project_path (demo.dir, edited[i]);
      const char *reason;

      g_test_message ("editing %s", edited[i]);
      build (demo.project, demo.toolchain);

      pipeline = plan_run (demo.project, demo.toolchain);
      g_assert_cmpint (job_state (pipeline, "configure"), ==, UNI_JOB_SKIPPED);
      g_assert_cmpint (job_state (pipeline, "depend"), ==, UNI_JOB_SKIPPED);
      g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_SKIPPED);
      g_assert_cmpint (job_state (pipeline, "run"), ==, UNI_JOB_PENDING);
      reason = uni_job_get_skip_reason (uni_pipeline_get_job (pipeline, "build"));
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, "dist/www"));

      /* It serves what the build made, without building. */
      g_assert_true (uni_test_run_pipeline (pipeline, NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_SKIPPED);
      body = uni_test_http_get ("127.0.0.1", demo.port);
      g_assert_cmpstr (body, ==, index_html);
      stop_unikernel (pipeline);
      g_assert_cmpint (job_state (pipeline, "run"), ==, UNI_JOB_CANCELLED);

      uni_test_run (NULL, "touch", "-d", "+1 second", edited_path, NULL);
      g_clear_object (&pipeline);
      pipeline = plan_run (demo.project, demo.toolchain);
      g_assert_cmpint (job_state (pipeline, "configure"), ==, UNI_JOB_SKIPPED);
      g_assert_cmpint (job_state (pipeline, "depend"), ==, UNI_JOB_SKIPPED);
      g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_PENDING);
      g_assert_null (uni_job_get_skip_reason (uni_pipeline_get_job (pipeline, "build")));
    }
}

/* A stranger (this test) holds the port: Run says who, and starts nothing. */
static void
test_port_taken_by_stranger (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(UniProject) project = NULL;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autofree char *comm = NULL;
  g_autofree char *port_text = NULL;
  const UniPortOwner *owner;
  UniJob *job;
  guint port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  port_text = g_strdup_printf ("%u", port);
  dir = make_demo_on_port (port);
  project = uni_test_load_project (dir);
  toolchain = uni_test_detect_toolchain ("4.11.1");
  pipeline = plan_run (project, toolchain);

  g_assert_false (uni_test_run_pipeline (pipeline, NULL, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_PORT_IN_USE);
  g_assert_nonnull (strstr (error->message, port_text));
  g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_SUCCEEDED);
  g_assert_null (uni_pipeline_get_url (pipeline));

  owner = uni_pipeline_get_port_owner (pipeline);
  g_assert_nonnull (owner);
  g_assert_cmpuint (owner->port, ==, port);
  g_assert_cmpint (owner->pid, ==, getpid ());
  g_assert_true (g_file_get_contents ("/proc/self/comm", &comm, NULL, NULL));
  g_assert_cmpstr (owner->name, ==, g_strchomp (comm));
  g_assert_null (owner->project_dir);
  g_assert_false (uni_port_owner_is_ours (owner));

  job = uni_pipeline_get_job (pipeline, "run");
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_PENDING);
  g_assert_cmpint (uni_job_get_pid (job), ==, 0);
  g_assert_cmpint (uni_job_get_exit_status (job), ==, -1);

  g_socket_listener_close (listener);
}

/* An earlier Run of ours holds the port: it is recognised by the project
 * folder in its environment, and can be stopped to make room.
 */
static void
test_port_taken_by_ours (void)
{
  g_auto(Demo) demo = demo_open ();
  g_autofree char *dir_path = g_file_get_path (demo.dir);
  g_autoptr(UniPipeline) first = plan_run (demo.project, demo.toolchain);
  g_autoptr(UniPipeline) second = NULL;
  g_autoptr(UniPortOwner) owner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *index_html = demo_index_html ();
  g_autofree char *body = NULL;
  UniTestAsync async = { 0 };
  UniJob *first_job;
  int first_pid;

  g_assert_true (uni_test_run_pipeline (first, NULL, &error));
  g_assert_no_error (error);
  first_job = uni_pipeline_get_job (first, "run");
  first_pid = uni_job_get_pid (first_job);
  g_assert_cmpint (first_pid, >, 0);

  second = plan_run (demo.project, demo.toolchain);
  g_assert_cmpint (job_state (second, "build"), ==, UNI_JOB_SKIPPED);
  g_assert_false (uni_test_run_pipeline (second, NULL, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_PORT_IN_USE);
  g_clear_error (&error);
  g_assert_cmpint (job_state (second, "run"), ==, UNI_JOB_PENDING);

  g_assert_nonnull (uni_pipeline_get_port_owner (second));
  owner = uni_port_owner_copy (uni_pipeline_get_port_owner (second));
  g_assert_cmpuint (owner->port, ==, demo.port);
  g_assert_cmpint (owner->pid, ==, first_pid);
  g_assert_true (uni_port_owner_is_ours (owner));
  g_assert_cmpstr (owner->project_dir, ==, dir_path);

  uni_port_stop_owner_async (owner, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, STOP_TIMEOUT_MS));
  g_assert_true (uni_port_stop_owner_finish (async.result, &error));
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_false (uni_test_port_answers ("127.0.0.1", demo.port));
  /* The first pipeline's job sees its unikernel end. */
  g_assert_true (uni_test_wait_for (job_not_running, first_job, STOP_TIMEOUT_MS));
  g_assert_true (process_is_gone (first_pid));

  g_assert_true (uni_test_run_pipeline (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (uni_pipeline_get_port_owner (second));
  body = uni_test_http_get ("127.0.0.1", demo.port);
  g_assert_cmpstr (body, ==, index_html);
  stop_unikernel (second);
  g_assert_cmpint (job_state (second, "run"), ==, UNI_JOB_CANCELLED);
}

/* The unikernel fails in its start function: the run says so with its exit
 * status, and its last lines tell why.
 */
static void
test_start_failure (void)
{
  guint port = uni_test_pick_free_port ();
  g_autoptr(GFile) dir = make_demo_on_port (port);
  g_autoptr(GFile) unikernel = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *text = uni_test_read_file (unikernel);
  g_autoptr(UniProject) project = NULL;
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) broken = NULL;
  g_autofree char *tail = NULL;
  const char *start;
  UniJob *job;

  /* The port stays declared: the start function alone fails. */
  start = strstr (text, "  let start ");
  g_assert_nonnull (start);
  broken = g_string_new_len (text, start - text);
  g_string_append (broken, "  let start _store _http _port = failwith \"boom\"\nend\n");
  uni_test_write_file (dir, "unikernel.ml", broken->str);

  project = uni_test_load_project (dir);
  toolchain = uni_test_detect_toolchain ("4.11.1");
  pipeline = plan_run (project, toolchain);
  g_assert_cmpuint (uni_pipeline_get_launch (pipeline)->port, ==, port);

  g_assert_false (uni_test_run_pipeline (pipeline, NULL, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_EXITED);
  g_assert_nonnull (strstr (error->message, "2"));
  g_assert_null (uni_pipeline_get_url (pipeline));

  job = uni_pipeline_get_job (pipeline, "run");
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_FAILED);
  g_assert_cmpint (uni_job_get_exit_status (job), ==, 2);
  tail = uni_job_dup_output_tail (job, 5);
  g_assert_nonnull (strstr (tail, "Failure(\"boom\")"));
  g_assert_false (uni_test_port_answers ("127.0.0.1", port));
}

/* A unikernel that never listens, stopped while Run waits for its port. */
static void
test_stop_while_waiting (void)
{
  g_auto(Demo) demo = demo_open ();
  g_autoptr(UniPipeline) pipeline = NULL;
  g_autofree char *artefact = project_path (demo.dir, "dist/www");
  UniTestRun run;
  UniJob *job;
  int pid;

  build (demo.project, demo.toolchain);
  /* Newer than every source, so the build stays skipped. */
  uni_test_write_file (demo.dir, "dist/www", "#!/bin/sh\nsleep 60\n");
  g_assert_cmpint (g_chmod (artefact, 0755), ==, 0);

  pipeline = plan_run (demo.project, demo.toolchain);
  g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_SKIPPED);
  job = uni_pipeline_get_job (pipeline, "run");

  uni_test_pipeline_run_start (pipeline, FALSE, &run);
  g_assert_true (uni_test_wait_for (job_running, job, RUN_TIMEOUT_MS));
  g_assert_false (run.done);
  pid = uni_job_get_pid (job);
  g_assert_cmpint (pid, >, 0);

  uni_pipeline_stop (pipeline);
  uni_test_pipeline_run_wait (pipeline, &run);
  g_assert_false (run.ok);
  g_assert_error (run.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&run.error);
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_CANCELLED);
  g_assert_null (uni_pipeline_get_url (pipeline));
  g_assert_false (uni_test_group_has_living_member (pid));
  g_assert_true (process_is_gone (pid));
}

/* The artefact vanished, or cannot be run, between the plan (which found
 * the build up to date) and the run.
 */
static void
test_not_built (void)
{
  static const struct {
    const char *what;
    gboolean    remove;
    int         mode;
  } cases[] = {
    { "removed", TRUE, 0 },
    { "not executable", FALSE, 0644 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Demo) demo = demo_open ();
      g_autoptr(UniPipeline) pipeline = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *artefact = project_path (demo.dir, "dist/www");
      UniJob *job;

      g_test_message ("dist/www %s", cases[i].what);
      build (demo.project, demo.toolchain);
      pipeline = plan_run (demo.project, demo.toolchain);
      g_assert_cmpint (job_state (pipeline, "build"), ==, UNI_JOB_SKIPPED);

      if (cases[i].remove)
        g_assert_cmpint (g_unlink (artefact), ==, 0);
      else
        g_assert_cmpint (g_chmod (artefact, cases[i].mode), ==, 0);

      g_assert_false (uni_test_run_pipeline (pipeline, NULL, &error));
      g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_BUILT);
      g_assert_nonnull (strstr (error->message, "dist/www"));
      job = uni_pipeline_get_job (pipeline, "run");
      g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_PENDING);
      g_assert_cmpint (uni_job_get_pid (job), ==, 0);
    }
}

static void
test_invalid_port (void)
{
  static const char * const values[] = { "abc", "0", "65536", "-1", "80x" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *settings = g_strdup_printf ("[Project]\ntarget=unix\n\n"
                                                   "[Target unix]\nboot.port=%s\n", values[i]);
      g_autoptr(GFile) dir = make_demo (settings);
      g_autoptr(UniProject) project = uni_test_load_project (dir);
      g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("4.11.1");
      g_autoptr(UniPipeline) pipeline = uni_pipeline_new (project, uni_target_lookup ("unix"),
                                                          toolchain);
      g_autoptr(GError) error = NULL;

      g_test_message ("boot.port=%s", values[i]);
      uni_pipeline_set_goal (pipeline, UNI_PIPELINE_GOAL_RUN);
      g_assert_false (uni_pipeline_plan (pipeline, &error));
      g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_INVALID_SETTING);
      g_assert_nonnull (strstr (error->message, "boot.port"));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 0);
    }
}

/* Run starts unix unikernels only; building for xen is still fine. */
static void
test_xen_unsupported (void)
{
  g_auto(Demo) demo = demo_open ();
  g_autoptr(UniPipeline) pipeline = uni_pipeline_new (demo.project, uni_target_lookup ("xen"),
                                                      demo.toolchain);
  g_autoptr(UniPipeline) xen_build = NULL;
  g_autoptr(GError) error = NULL;

  uni_pipeline_set_goal (pipeline, UNI_PIPELINE_GOAL_RUN);
  g_assert_false (uni_pipeline_plan (pipeline, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_UNSUPPORTED_TARGET);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pipeline)), ==, 0);

  xen_build = uni_test_plan_pipeline (demo.project, "xen", demo.toolchain,
                                      UNI_PIPELINE_GOAL_BUILD);
  g_assert_null (uni_pipeline_get_job (xen_build, "run"));
}

/* The run step's whole argv, joined with "|", by the target's settings. */
static void
test_argv (void)
{
  static const struct {
    const char *settings;
    const char *as_root;
    const char *as_user;
    gboolean    needs_root;
  } cases[] = {
    { "[Target unix]\nnet=direct\n", "./dist/www", "sudo|--|./dist/www", TRUE },
    { "[Target unix]\nnet=socket\nboot.port=9090\n", "./dist/www|--port=9090",
      "./dist/www|--port=9090", FALSE },
    { "[Target unix]\nboot.port=80\n", "./dist/www|--port=80", "sudo|--|./dist/www|--port=80",
      TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *settings = g_strconcat ("[Project]\ntarget=unix\n\n", cases[i].settings,
                                               NULL);
      g_autoptr(GFile) dir = make_demo (settings);
      g_autofree char *dir_path = g_file_get_path (dir);
      g_autofree char *expected_env = g_strconcat ("UNISTUDIO_RUN_PROJECT=", dir_path, NULL);
      g_autoptr(UniProject) project = uni_test_load_project (dir);
      g_autoptr(UniToolchain) toolchain = uni_test_detect_toolchain ("4.11.1");
      g_autoptr(UniPipeline) pipeline = plan_run (project, toolchain);
      const UniLaunch *launch = uni_pipeline_get_launch (pipeline);
      g_auto(GStrv) argv = NULL;
      g_auto(GStrv) env = NULL;
      g_auto(GStrv) user_argv = NULL;
      g_autofree char *cwd = NULL;
      g_autofree char *joined = NULL;
      g_autofree char *user_joined = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].settings);
      g_assert_true (uni_run_context_build (uni_job_get_run_context (uni_pipeline_get_job (pipeline,
                                                                                            "run")),
                                            &argv, &env, &cwd, &error));
      g_assert_no_error (error);
      joined = g_strjoinv ("|", argv);
      /* The tests run as root: never under sudo then. */
      if (geteuid () == 0)
        g_assert_cmpstr (joined, ==, cases[i].as_root);
      else
        g_assert_cmpstr (joined, ==, cases[i].as_user);
      g_assert_cmpstr (cwd, ==, dir_path);
      g_assert_true (g_strv_contains ((const char * const *) env, expected_env));

      g_assert_nonnull (launch);
      g_assert_true ((launch->root_reason != NULL) == cases[i].needs_root);
      user_argv = uni_launch_dup_argv (launch, uni_pipeline_get_artefact (pipeline), FALSE);
      user_joined = g_strjoinv ("|", user_argv);
      g_assert_cmpstr (user_joined, ==, cases[i].as_user);
    }
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);
  uni_plugins_init ();
  uni_test_prepend_fixtures_to_path ();

  g_test_add_func ("/uni/pipeline-run/serves", test_serves);
  g_test_add_func ("/uni/pipeline-run/serves-2x", test_serves_2x);
  UNI_TEST_ADD_CASES ("/uni/pipeline-run", tap_cases, test_tap);
  g_test_add_func ("/uni/pipeline-run/up-to-date", test_up_to_date);
  g_test_add_func ("/uni/pipeline-run/port-taken-by-stranger", test_port_taken_by_stranger);
  g_test_add_func ("/uni/pipeline-run/port-taken-by-ours", test_port_taken_by_ours);
  g_test_add_func ("/uni/pipeline-run/start-failure", test_start_failure);
  g_test_add_func ("/uni/pipeline-run/stop-while-waiting", test_stop_while_waiting);
  g_test_add_func ("/uni/pipeline-run/not-built", test_not_built);
  g_test_add_func ("/uni/pipeline-run/invalid-port", test_invalid_port);
  g_test_add_func ("/uni/pipeline-run/xen-unsupported", test_xen_unsupported);
  g_test_add_func ("/uni/pipeline-run/argv", test_argv);

  return g_test_run ();
}
