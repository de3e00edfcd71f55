/* test-board-deploy.c — a unikernel deployed to a board over real ssh, started, watched, stopped
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* posix_openpt(), grantpt(), unlockpt() */
#define _GNU_SOURCE

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib-unix.h>

#include "uni-board-deploy.h"
#include "uni-plugins.h"
#include "uni-xl-config.h"
#include "uni-test-sshd.h"
#include "uni-test-util.h"

/* Bounds for what real processes do at once, never timed assertions. */
#define WAIT_MS 60000

#define LEASE_IP "10.0.0.77"
#define BRIDGE   "xenbr0"

static const char * const sshd_environment[] = {
  "UNISTUDIO_FAKE_XL_IP=" LEASE_IP,
  "UNISTUDIO_FAKE_XL_BRIDGES=" BRIDGE,
  NULL
};

/* A built demo under a hostile folder name, and a board for it. */
typedef struct
{
  UniTestSshd        *sshd;
  GFile              *dir;
  UniProject         *project;
  UniToolchain       *toolchain;
  UniBoard           *board;
  UniBoardProfile    *profile;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_clear_object (&f->profile);
  g_clear_object (&f->board);
  g_clear_object (&f->toolchain);
  g_clear_object (&f->project);
  g_clear_object (&f->dir);
  g_clear_pointer (&f->sshd, uni_test_sshd_stop);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

static UniBoardProfile *
sshd_profile (UniTestSshd       *sshd,
              UniTestSshdClient  client)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("test board", "xen-host");
  g_auto(GStrv) options = uni_test_sshd_dup_client_options (sshd, client);

  uni_board_profile_set_host (profile, uni_test_sshd_get_host (sshd));
  uni_board_profile_set_port (profile, uni_test_sshd_get_client_port (sshd, client));
  uni_board_profile_set_user (profile, uni_test_sshd_get_user (sshd));
  uni_board_profile_set_ssh_options (profile, (const char * const *) options);
  uni_board_profile_set_xl_sudo (profile, FALSE);
  uni_board_profile_set_bridge (profile, BRIDGE);

  return g_steal_pointer (&profile);
}

/* The GlueCon 2016 unikernel (mirage 2.9). mirage 2 writes the project's
 * absolute path into the .xl unescaped, so under a name with a quote its
 * .xl is one xl refuses: @hostile gives that name.
 */
static GFile *
make_gluecon (gboolean hostile)
{
  g_autofree char *config_path = NULL;
  g_autofree char *config = NULL;
  g_autoptr(GFile) dir = NULL;

  if (hostile)
    return uni_test_make_gluecon ("[Project]\ntarget=xen\n");

  config_path = g_test_build_filename (G_TEST_DIST, "data", "manifest", "27-gluecon-www.ml", NULL);
  g_assert_true (g_file_get_contents (config_path, &config, NULL, NULL));
  dir = uni_test_make_tempdir ("gluecon");
  uni_test_write_file (dir, "config.ml", config);
  uni_test_write_file (dir, ".unistudio/project.ini", "[Project]\ntarget=xen\n");

  return g_steal_pointer (&dir);
}

/* FALSE when the test sshd cannot run here (the test is then skipped).
 * The project is the 2048 demo for mirage 4 under a hostile folder name,
 * the GlueCon 2016 unikernel for mirage 2 (@version "2…").
 */
static gboolean
fixture_init_for (Fixture    *f,
                  const char *version,
                  gboolean    hostile,
                  gboolean    build)
{
  UniTestSshdOptions options = { .environment = sshd_environment };
  g_autoptr(GError) error = NULL;

  f->sshd = uni_test_sshd_start (&options);
  if (f->sshd == NULL)
    return FALSE;

  if (version[0] == '2')
    f->dir = make_gluecon (hostile);
  else
    f->dir = uni_test_copy_demo (UNI_TEST_HOSTILE_NAME, NULL);
  f->project = uni_test_load_project (f->dir);
  f->toolchain = uni_test_detect_toolchain (version);
  f->board = uni_plugins_create_board ("xen-host", NULL, &error);
  g_assert_no_error (error);
  f->profile = sshd_profile (f->sshd, UNI_TEST_SSHD_CLIENT_GOOD);

  if (build)
    {
      g_autoptr(UniPipeline) pipeline = uni_test_plan_pipeline (f->project, "xen", f->toolchain,
                                                                UNI_PIPELINE_GOAL_BUILD);

      g_assert_true (uni_test_run_pipeline (pipeline, NULL, &error));
      g_assert_no_error (error);
    }

  return TRUE;
}

static gboolean
fixture_init (Fixture  *f,
              gboolean  build)
{
  return fixture_init_for (f, "4.11.1", TRUE, build);
}

static UniBoardDeployment *
new_deployment (Fixture  *f,
                GError  **error)
{
  UniTestAsync async = { 0 };
  UniBoardDeployment *deployment;

  uni_board_deployment_new_async (f->board, f->profile, f->project, uni_target_lookup ("xen"),
                                  f->toolchain, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  deployment = uni_board_deployment_new_finish (async.result, error);
  g_clear_object (&async.result);

  return deployment;
}

static void
progress_cb (UniBoardDeployment *deployment,
             guint               index,
             guint               n_files,
             const char         *file_name,
             GString            *log)
{
  g_string_append_printf (log, "%u/%u %s\n", index, n_files, file_name != NULL ? file_name : "-");
}

static gboolean
copy (UniBoardDeployment  *deployment,
      GString             *progress,
      GError             **error)
{
  UniTestAsync async = { 0 };
  gboolean ok;
  gulong id = 0;

  if (progress != NULL)
    id = g_signal_connect (deployment, "progress", G_CALLBACK (progress_cb), progress);
  uni_board_deployment_copy_async (deployment, NULL, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  ok = uni_board_deployment_copy_finish (deployment, async.result, error);
  g_clear_object (&async.result);
  g_clear_signal_handler (&id, deployment);

  return ok;
}

static gboolean
domain_exists (UniBoardDeployment *deployment)
{
  UniTestAsync async = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  uni_board_deployment_find_domain_async (deployment, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  g_assert_true (uni_board_deployment_find_domain_finish (deployment, async.result, &exists, &error));
  g_assert_no_error (error);
  g_clear_object (&async.result);

  return exists;
}

static gboolean
stop (UniBoardDeployment  *deployment,
      GError             **error)
{
  UniTestAsync async = { 0 };
  gboolean ok;

  uni_board_deployment_stop_async (deployment, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  ok = uni_board_deployment_stop_finish (deployment, async.result, error);
  g_clear_object (&async.result);

  return ok;
}

static gboolean
has_address (gpointer console)
{
  return uni_board_console_get_address (console) != NULL;
}

/* A terminal for the console job, as the GUI's VtePty would give. */
static int
open_pty (void)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);

  return master;
}

/* Keeps the PTY's buffer from filling while the job runs. */
static gboolean
drain_cb (int           fd,
          GIOCondition  condition,
          gpointer      user_data)
{
  guint *id = user_data;
  char buffer[4096];

  if (read (fd, buffer, sizeof buffer) <= 0)
    {
      *id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
test_deploy_start_stop (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(UniBoardConsole) console = NULL;
  g_autoptr(UniXlConfig) written = NULL;
  g_autoptr(GString) progress = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_folder = NULL;
  g_autofree char *remote_kernel = NULL;
  g_autofree char *board_kernel = NULL;
  g_autofree char *board_remote_kernel = NULL;
  const char *board_folder;
  g_autofree char *remote_xl = NULL;
  g_autofree char *text = NULL;
  g_autofree char *local_kernel_text = NULL;
  g_autofree char *remote_kernel_text = NULL;
  g_autofree char *expected_progress = NULL;
  UniTestRun run = { 0 };
  guint drain_id;
  int master;

  if (!fixture_init (&f, TRUE))
    return;

  deployment = new_deployment (&f, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_board_deployment_get_domain_name (deployment), ==, "www");
  g_assert_cmpstr (uni_board_deployment_get_remote_folder (deployment), ==,
                   "~/unistudio/" UNI_TEST_HOSTILE_NAME);
  g_assert_null (uni_board_deployment_get_written_xl (deployment));

  g_assert_true (copy (deployment, progress, &error));
  g_assert_no_error (error);

  /* The folder is resolved from the login's home (xl expands no "~"): an
   * absolute path on the board, where the server's private home is mounted
   * over the login's.
   */
  board_folder = uni_board_deployment_get_remote_folder (deployment);
  g_assert_true (g_path_is_absolute (board_folder));
  g_assert_true (g_str_has_suffix (board_folder, "/unistudio/" UNI_TEST_HOSTILE_NAME));
  remote_folder = g_build_filename (uni_test_sshd_get_remote_home (f.sshd), "unistudio",
                                    UNI_TEST_HOSTILE_NAME, NULL);
  expected_progress = g_strdup_printf ("0/2 www.xen\n1/2 www.xl\n2/2 -\n");
  g_assert_cmpstr (progress->str, ==, expected_progress);

  remote_kernel = g_build_filename (remote_folder, "www.xen", NULL);
  remote_xl = g_build_filename (remote_folder, "www.xl", NULL);
  g_assert_true (g_file_get_contents (uni_board_deployment_get_local_kernel (deployment),
                                      &local_kernel_text, NULL, NULL));
  g_assert_true (g_file_get_contents (remote_kernel, &remote_kernel_text, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (remote_kernel_text, ==, local_kernel_text);

  g_assert_true (g_file_get_contents (remote_xl, &text, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, uni_board_deployment_get_written_xl (deployment));
  written = uni_xl_config_new (text, -1, &error);
  g_assert_no_error (error);
  board_kernel = g_build_filename (board_folder, "www.xen", NULL);
  g_assert_cmpstr (uni_xl_config_get_kernel (written), ==, board_kernel);
  board_remote_kernel = uni_board_deployment_dup_remote_kernel (deployment);
  g_assert_cmpstr (board_remote_kernel, ==, board_kernel);
  g_assert_cmpstr (uni_xl_config_get_name (written), ==, "www");
  {
    g_auto(GStrv) vifs = uni_xl_config_dup_vifs (written);
    g_autofree char *bridge = NULL;

    g_assert_nonnull (vifs);
    g_assert_nonnull (vifs[0]);
    bridge = uni_xl_vif_dup_setting (vifs[0], "bridge");
    g_assert_cmpstr (bridge, ==, BRIDGE);
  }
  g_assert_false (domain_exists (deployment));

  /* Start: the console shows the lease, the domain runs. */
  console = uni_board_console_new_start (deployment, &error);
  g_assert_no_error (error);
  master = open_pty ();
  drain_id = g_unix_fd_add (master, G_IO_IN, drain_cb, &drain_id);
  uni_job_set_pty_fd (uni_board_console_get_job (console), master);
  uni_test_job_run_start (uni_board_console_get_job (console), NULL, &run);
  g_assert_true (uni_test_wait_for (has_address, console, WAIT_MS));
  g_assert_cmpstr (uni_board_console_get_address (console), ==, LEASE_IP);
  g_assert_cmpstr (uni_board_console_get_url (console), ==, "http://" LEASE_IP ":8080/");
  g_assert_true (domain_exists (deployment));

  /* Ctrl+] detaches: the job ends, the domain stays. */
  g_assert_cmpint (write (master, "\x1d", 1), ==, 1);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, WAIT_MS));
  g_clear_handle_id (&drain_id, g_source_remove);
  close (master);
  g_clear_error (&run.error);
  g_assert_true (domain_exists (deployment));

  /* Stop: the domain is gone, and stopping again says why it failed. */
  g_assert_true (stop (deployment, &error));
  g_assert_no_error (error);
  g_assert_false (domain_exists (deployment));
  g_assert_false (stop (deployment, &error));
  g_assert_error (error, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_REMOTE);
  g_assert_nonnull (strstr (error->message, "www"));
}

/* A Start while the domain runs: the check says it exists. */
static void
test_start_twice (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(UniBoardConsole) console = NULL;
  g_autoptr(GError) error = NULL;
  UniTestRun run = { 0 };
  guint drain_id;
  int master;

  if (!fixture_init (&f, TRUE))
    return;

  deployment = new_deployment (&f, &error);
  g_assert_no_error (error);
  g_assert_true (copy (deployment, NULL, &error));
  g_assert_no_error (error);

  console = uni_board_console_new_start (deployment, &error);
  g_assert_no_error (error);
  master = open_pty ();
  drain_id = g_unix_fd_add (master, G_IO_IN, drain_cb, &drain_id);
  uni_job_set_pty_fd (uni_board_console_get_job (console), master);
  uni_test_job_run_start (uni_board_console_get_job (console), NULL, &run);
  g_assert_true (uni_test_wait_for (has_address, console, WAIT_MS));
  g_assert_cmpint (write (master, "\x1d", 1), ==, 1);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, WAIT_MS));
  g_clear_handle_id (&drain_id, g_source_remove);
  close (master);
  g_clear_error (&run.error);

  g_assert_true (domain_exists (deployment));

  /* Re-attaching watches the same console. */
  g_clear_object (&console);
  console = uni_board_console_new_attach (deployment, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_job_get_name (uni_board_console_get_job (console)), ==, "board-console");

  g_assert_true (stop (deployment, &error));
  g_assert_no_error (error);
}

typedef struct
{
  const char *name;
  const char *version;
  /* the kernel image, relative to the project */
  const char *local_kernel;
  const char *local_xl;
} EraCase;

static const EraCase era_cases[] = {
  { "mirage-2", "2.9.1", "mir-www.xen", "www.xl" },
  { "mirage-4", "4.11.1", "dist/www.xen", "dist/www.xl" },
};

/* Each era's files, its .xl's kernel (absolute, local, for 2.x; relative
 * for 4.x) pointed at the board, and its console's own lease line.
 */
static void
test_era (gconstpointer data)
{
  const EraCase *c = data;
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(UniBoardConsole) console = NULL;
  g_autoptr(UniXlConfig) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *local_kernel = NULL;
  g_autofree char *local_xl = NULL;
  g_autofree char *kernel_base = NULL;
  g_autofree char *board_kernel = NULL;
  UniTestRun run = { 0 };
  guint drain_id;
  int master;

  if (!fixture_init_for (&f, c->version, FALSE, TRUE))
    return;

  deployment = new_deployment (&f, &error);
  g_assert_no_error (error);
  local_kernel = g_build_filename (g_file_peek_path (f.dir), c->local_kernel, NULL);
  local_xl = g_build_filename (g_file_peek_path (f.dir), c->local_xl, NULL);
  g_assert_cmpstr (uni_board_deployment_get_local_kernel (deployment), ==, local_kernel);
  g_assert_cmpstr (uni_board_deployment_get_local_xl (deployment), ==, local_xl);

  g_assert_true (copy (deployment, NULL, &error));
  g_assert_no_error (error);
  written = uni_xl_config_new (uni_board_deployment_get_written_xl (deployment), -1, &error);
  g_assert_no_error (error);
  kernel_base = g_path_get_basename (c->local_kernel);
  board_kernel = g_build_filename (uni_board_deployment_get_remote_folder (deployment),
                                   kernel_base, NULL);
  g_assert_cmpstr (uni_xl_config_get_kernel (written), ==, board_kernel);

  console = uni_board_console_new_start (deployment, &error);
  g_assert_no_error (error);
  master = open_pty ();
  drain_id = g_unix_fd_add (master, G_IO_IN, drain_cb, &drain_id);
  uni_job_set_pty_fd (uni_board_console_get_job (console), master);
  uni_test_job_run_start (uni_board_console_get_job (console), NULL, &run);
  g_assert_true (uni_test_wait_for (has_address, console, WAIT_MS));
  g_assert_cmpstr (uni_board_console_get_address (console), ==, LEASE_IP);
  g_assert_true (g_str_has_prefix (uni_board_console_get_url (console), "http://" LEASE_IP));
  g_assert_cmpint (write (master, "\x1d", 1), ==, 1);
  g_assert_true (uni_test_wait_for (uni_test_run_is_done, &run, WAIT_MS));
  g_clear_handle_id (&drain_id, g_source_remove);
  close (master);
  g_clear_error (&run.error);

  g_assert_true (stop (deployment, &error));
  g_assert_no_error (error);
  g_assert_false (domain_exists (deployment));
}

static void
cancel_at_first_file_cb (UniBoardDeployment *deployment,
                         guint               index,
                         guint               n_files,
                         const char         *file_name,
                         GCancellable       *cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Cancelled as the first file starts: the copy says so and stops there. */
static void
test_copy_cancelled (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_xl = NULL;
  UniTestAsync async = { 0 };

  if (!fixture_init (&f, TRUE))
    return;

  deployment = new_deployment (&f, &error);
  g_assert_no_error (error);
  g_signal_connect (deployment, "progress", G_CALLBACK (cancel_at_first_file_cb), cancellable);
  uni_board_deployment_copy_async (deployment, NULL, cancellable, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  g_assert_false (uni_board_deployment_copy_finish (deployment, async.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&async.result);

  remote_xl = g_build_filename (uni_test_sshd_get_remote_home (f.sshd), "unistudio",
                                UNI_TEST_HOSTILE_NAME, "www.xl", NULL);
  g_assert_false (g_file_test (remote_xl, G_FILE_TEST_EXISTS));
}

/* A mirage 2 .xl xl would refuse (the project's path holds a quote): a
 * clear error before anything is copied.
 */
static void
test_bad_xl (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_init_for (&f, "2.9.1", TRUE, TRUE))
    return;

  deployment = new_deployment (&f, &error);
  g_assert_error (error, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_BAD_XL);
  g_assert_nonnull (strstr (error->message, "www.xl"));
  g_assert_nonnull (strstr (error->message, "Line 3"));
  g_assert_null (deployment);
}

static void
test_not_built (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(GError) error = NULL;

  if (!fixture_init (&f, FALSE))
    return;

  deployment = new_deployment (&f, &error);
  g_assert_error (error, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_NOT_BUILT);
  g_assert_nonnull (strstr (error->message, "www.xen"));
  g_assert_null (deployment);
}

/* A board that refuses the key: the copy fails with ssh's words, nothing
 * lands.
 */
static void
test_copy_refused (void)
{
  g_auto(Fixture) f = { 0 };
  g_autoptr(UniBoardDeployment) deployment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_folder = NULL;

  if (!fixture_init (&f, TRUE))
    return;

  g_clear_object (&f.profile);
  f.profile = sshd_profile (f.sshd, UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY);
  deployment = new_deployment (&f, &error);
  g_assert_no_error (error);
  g_assert_false (copy (deployment, NULL, &error));
  g_assert_error (error, UNI_BOARD_DEPLOY_ERROR, UNI_BOARD_DEPLOY_ERROR_REMOTE);
  g_assert_nonnull (strstr (error->message, "Permission denied"));

  remote_folder = g_build_filename (uni_test_sshd_get_remote_home (f.sshd), "unistudio", NULL);
  g_assert_false (g_file_test (remote_folder, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);
  uni_test_prepend_fixtures_to_path ();

  g_test_add_func ("/uni/board-deploy/deploy-start-stop", test_deploy_start_stop);
  g_test_add_func ("/uni/board-deploy/start-twice", test_start_twice);
  g_test_add_func ("/uni/board-deploy/copy-cancelled", test_copy_cancelled);
  g_test_add_func ("/uni/board-deploy/not-built", test_not_built);
  g_test_add_func ("/uni/board-deploy/bad-xl", test_bad_xl);
  UNI_TEST_ADD_CASES ("/uni/board-deploy/era", era_cases, test_era);
  g_test_add_func ("/uni/board-deploy/copy-refused", test_copy_refused);

  return g_test_run ();
}
