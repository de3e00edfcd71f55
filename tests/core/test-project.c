/* test-project.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "uni-project.h"
#include "uni-test-util.h"

static gboolean
load (UniProject  *project,
      GError     **error)
{
  UniTestAsync wait = { NULL };
  gboolean ret;

  uni_project_load_async (project, NULL, uni_test_async_done_cb, &wait);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, 30000));
  ret = uni_project_load_finish (project, wait.result, error);
  g_clear_object (&wait.result);

  return ret;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_load_git_repo (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("my proj 'q' \"x\"");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GFile) index = g_file_resolve_relative_path (dir, "htdocs/index.html");
  g_autoptr(GError) error = NULL;
  guint loaded_notified = 0;
  UniRepository *repository;

  g_signal_connect (project, "notify::loaded", G_CALLBACK (count_notify_cb), &loaded_notified);

  g_assert_cmpstr (uni_project_get_name (project), ==, "my proj 'q' \"x\"");
  g_assert_true (uni_project_get_directory (project) == dir);
  g_assert_false (uni_project_get_loaded (project));
  g_assert_null (uni_project_get_repository (project));

  g_assert_true (load (project, &error));
  g_assert_no_error (error);

  g_assert_true (uni_project_get_loaded (project));
  g_assert_cmpuint (loaded_notified, ==, 1);
  g_assert_cmpstr (uni_project_get_branch (project), ==, "main");
  repository = uni_project_get_repository (project);
  g_assert_true (UNI_IS_REPOSITORY (repository));
  g_assert_cmpint (uni_repository_get_file_status (repository, index), ==,
                   UNI_GIT_FILE_STATUS_CLEAN);

  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_load_plain_folder (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("plain folder");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "config.ml", "open Mirage\n");

  g_assert_true (load (project, &error));
  g_assert_no_error (error);
  g_assert_true (uni_project_get_loaded (project));
  g_assert_null (uni_project_get_repository (project));
  g_assert_null (uni_project_get_branch (project));
  g_assert_cmpstr (uni_project_get_name (project), ==, "plain folder");

  /* Without a repository there is nothing to refresh, and no harm asking. */
  uni_project_queue_refresh (project);

  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_load_errors (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("errors");
  static const struct {
    const char *name;
    int         code;
  } cases[] = {
    { "gone", UNI_PROJECT_ERROR_NOT_FOUND },
    { "config.ml", UNI_PROJECT_ERROR_NOT_A_DIRECTORY },
  };

  uni_test_write_file (dir, "config.ml", "open Mirage\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) target = g_file_get_child (dir, cases[i].name);
      g_autoptr(UniProject) project = uni_project_new (target);
      g_autoptr(GError) error = NULL;

      g_assert_false (load (project, &error));
      g_assert_error (error, UNI_PROJECT_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].name));
      g_test_message ("%s", error->message);
      g_assert_false (uni_project_get_loaded (project));
      g_assert_null (uni_project_get_repository (project));

      g_assert_finalize_object (g_steal_pointer (&project));
    }
}

static gboolean
branch_is (gpointer data)
{
  UniProject *project = data;
  const char *expected = g_object_get_data (G_OBJECT (project), "expected-branch");

  return g_strcmp0 (uni_project_get_branch (project), expected) == 0;
}

static gboolean
uint_is_positive (gpointer data)
{
  return *(guint *) data > 0;
}

static void
test_branch_follows_checkout (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("branches");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GError) error = NULL;
  guint branch_notified = 0;

  g_assert_true (load (project, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (uni_project_get_branch (project), ==, "main");

  g_signal_connect (project, "notify::branch", G_CALLBACK (count_notify_cb), &branch_notified);

  /* Nobody asks for a refresh: the monitor on .git/HEAD notices. */
  uni_test_run (dir, "git", "checkout", "--quiet", "-b", "feature", NULL);
  g_object_set_data (G_OBJECT (project), "expected-branch", (gpointer) "feature");
  g_assert_true (uni_test_wait_for (branch_is, project, 10000));
  g_assert_cmpuint (branch_notified, >=, 1);
  g_assert_cmpstr (uni_repository_get_branch (uni_project_get_repository (project)), ==,
                   "feature");

  branch_notified = 0;
  uni_test_run (dir, "git", "checkout", "--quiet", "main", NULL);
  g_object_set_data (G_OBJECT (project), "expected-branch", (gpointer) "main");
  g_assert_true (uni_test_wait_for (branch_is, project, 10000));
  g_assert_cmpuint (branch_notified, >=, 1);

  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
count_cb (gpointer instance,
          gpointer user_data)
{
  (*(guint *) user_data)++;
}

static void
test_queue_refresh (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("refresh");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  g_autoptr(GError) error = NULL;
  UniRepository *repository;
  guint changed = 0;

  g_assert_true (load (project, &error));
  g_assert_no_error (error);
  repository = uni_project_get_repository (project);
  g_signal_connect (repository, "changed", G_CALLBACK (count_cb), &changed);

  /* What the editor does after saving a file: the work tree changed, git
   * metadata did not, so only the queued refresh can notice.
   */
  uni_test_write_file (dir, "config.ml", "open Mirage\n(* edited *)\n");
  uni_project_queue_refresh (project);
  uni_project_queue_refresh (project);
  uni_project_queue_refresh (project);

  g_assert_true (uni_test_wait_for (uint_is_positive, &changed, 10000));
  g_assert_cmpint (uni_repository_get_file_status (repository, config), ==,
                   UNI_GIT_FILE_STATUS_MODIFIED);

  /* The three requests were merged. */
  uni_test_iterate (500);
  g_assert_cmpuint (changed, ==, 1);

  g_assert_finalize_object (g_steal_pointer (&project));
}

static void
test_dispose_while_loading (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("dispose");
  UniProject *project = uni_project_new (dir);
  UniTestAsync wait = { NULL };
  g_autoptr(GError) error = NULL;

  uni_project_load_async (project, NULL, uni_test_async_done_cb, &wait);
  g_object_unref (project);

  /* The task keeps the project alive until it reports. */
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, 30000));
  project = UNI_PROJECT (g_async_result_get_source_object (wait.result));
  g_assert_true (uni_project_load_finish (project, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  g_assert_finalize_object (project);
}

static void
test_cancel_then_load_again (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("cancel and retry");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  UniTestAsync wait = { NULL };

  /* Cancelled once the repository is found, during the first refresh. */
  g_signal_connect_swapped (project, "notify::repository",
                            G_CALLBACK (g_cancellable_cancel), cancellable);
  uni_project_load_async (project, cancellable, uni_test_async_done_cb, &wait);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, 30000));
  g_assert_false (uni_project_load_finish (project, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_clear_error (&error);
  g_signal_handlers_disconnect_by_data (project, cancellable);

  g_assert_false (uni_project_get_loaded (project));
  g_assert_null (uni_project_get_repository (project));

  g_assert_true (load (project, &error));
  g_assert_no_error (error);
  g_assert_true (uni_project_get_loaded (project));
  g_assert_nonnull (uni_project_get_repository (project));
  g_assert_cmpstr (uni_project_get_branch (project), ==, "main");
}

static void
test_cancel_right_away_then_load_again (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("cancel at once");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  UniTestAsync wait = { NULL };

  uni_project_load_async (project, cancellable, uni_test_async_done_cb, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, 30000));
  g_assert_false (uni_project_load_finish (project, wait.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&wait.result);
  g_clear_error (&error);

  g_assert_true (load (project, &error));
  g_assert_no_error (error);
  g_assert_nonnull (uni_project_get_repository (project));
}

static void
test_git_error (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("broken head");
  g_autoptr(GFile) plain = uni_test_make_tempdir ("plain");
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(UniProject) plain_project = uni_project_new (plain);
  g_autoptr(GError) error = NULL;
  const GError *git_error;

  uni_test_write_file (dir, ".git/HEAD", "garbage\n");

  /* The folder still opens, and says why git is missing. */
  g_assert_true (load (project, &error));
  g_assert_no_error (error);
  g_assert_null (uni_project_get_repository (project));
  g_assert_null (uni_project_get_branch (project));
  git_error = uni_project_get_git_error (project);
  g_assert_nonnull (git_error);
  g_assert_true (git_error->domain == UNI_GIT_ERROR);
  g_test_message ("git error: %s", git_error->message);

  g_assert_true (load (plain_project, &error));
  g_assert_no_error (error);
  g_assert_null (uni_project_get_git_error (plain_project));
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/project/load/git-repo", test_load_git_repo);
  g_test_add_func ("/uni/project/load/plain-folder", test_load_plain_folder);
  g_test_add_func ("/uni/project/load/errors", test_load_errors);
  g_test_add_func ("/uni/project/load/dispose", test_dispose_while_loading);
  g_test_add_func ("/uni/project/load/cancel-then-retry", test_cancel_then_load_again);
  g_test_add_func ("/uni/project/load/cancel-at-once-then-retry",
                   test_cancel_right_away_then_load_again);
  g_test_add_func ("/uni/project/load/git-error", test_git_error);
  g_test_add_func ("/uni/project/branch-follows-checkout", test_branch_follows_checkout);
  g_test_add_func ("/uni/project/queue-refresh", test_queue_refresh);

  return g_test_run ();
}
