/* test-repository.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "uni-repository.h"
#include "uni-test-util.h"

static void
wait_for_result (UniTestAsync *wait)
{
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, wait, 30000));
}

static UniRepository *
open_repository (GFile *dir)
{
  UniTestAsync wait = { NULL };
  g_autoptr(GError) error = NULL;
  UniRepository *repository;

  uni_repository_open_async (dir, NULL, uni_test_async_done_cb, &wait);
  wait_for_result (&wait);
  repository = uni_repository_open_finish (wait.result, &error);
  g_assert_no_error (error);
  g_assert_true (UNI_IS_REPOSITORY (repository));
  g_clear_object (&wait.result);

  return repository;
}

static void
refresh (UniRepository *repository)
{
  UniTestAsync wait = { NULL };
  g_autoptr(GError) error = NULL;

  uni_repository_refresh_async (repository, NULL, uni_test_async_done_cb, &wait);
  wait_for_result (&wait);
  g_assert_true (uni_repository_refresh_finish (repository, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
}

static UniGitFileStatus
status_of (UniRepository *repository,
           GFile         *dir,
           const char    *relative)
{
  g_autoptr(GFile) file = relative ? g_file_resolve_relative_path (dir, relative)
                                   : g_object_ref (dir);

  return uni_repository_get_file_status (repository, file);
}

static void
count_cb (gpointer  instance,
          gpointer  user_data)
{
  (*(guint *) user_data)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_open_branch (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("my proj 'q' \"x\"");
  g_autoptr(GFile) sub = g_file_get_child (dir, "htdocs");
  g_autoptr(UniRepository) repository = open_repository (dir);
  g_autoptr(UniRepository) from_sub = NULL;
  g_autoptr(GFile) git_dir = g_file_get_child (dir, ".git");
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (uni_repository_get_branch (repository), ==, "main");
  g_assert_true (g_file_equal (uni_repository_get_workdir (repository), dir));
  g_assert_true (g_file_equal (uni_repository_get_git_dir (repository), git_dir));

  /* A folder inside the work tree finds the same repository. */
  from_sub = uni_repository_open (sub, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (uni_repository_get_workdir (from_sub), dir));

  g_assert_finalize_object (g_steal_pointer (&repository));
}

static void
test_open_not_a_repository (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("plain folder");
  g_autoptr(GError) error = NULL;
  UniTestAsync wait = { NULL };
  UniRepository *repository;

  uni_repository_open_async (dir, NULL, uni_test_async_done_cb, &wait);
  wait_for_result (&wait);
  repository = uni_repository_open_finish (wait.result, &error);
  g_assert_null (repository);
  g_assert_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_NOT_A_REPOSITORY);
  g_assert_nonnull (strstr (error->message, "plain folder"));
  g_clear_object (&wait.result);
}

static void
test_detached_head (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("detached");
  g_autoptr(UniRepository) repository = NULL;
  g_autofree char *head = NULL;
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "git", "rev-parse", "--short=7", "HEAD", NULL };

  uni_test_run (dir, "git", "checkout", "--quiet", "--detach", NULL);

  g_spawn_sync (path, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &out, NULL, NULL, &error);
  g_assert_no_error (error);
  head = g_strstrip (g_strdup (out));

  repository = open_repository (dir);
  g_assert_cmpstr (uni_repository_get_branch (repository), ==, head);
  g_assert_cmpuint (strlen (head), ==, 7);
}

static void
test_empty_repository (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("empty");
  g_autoptr(UniRepository) repository = NULL;

  uni_test_run (dir, "git", "init", "--quiet", "-b", "trunk", NULL);
  uni_test_write_file (dir, "config.ml", "open Mirage\n");

  repository = open_repository (dir);
  g_assert_cmpstr (uni_repository_get_branch (repository), ==, "trunk");

  refresh (repository);
  g_assert_cmpstr (uni_repository_get_branch (repository), ==, "trunk");
  g_assert_cmpint (status_of (repository, dir, "config.ml"), ==, UNI_GIT_FILE_STATUS_UNTRACKED);
}

/* A project folder inside a bigger work tree only pays for its own files. */
static void
test_status_scoped (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("scoped");
  g_autoptr(GFile) project = g_file_get_child (dir, "my [project] *");
  g_autoptr(UniRepository) repository = NULL;

  uni_test_write_file (project, "config.ml", "open Mirage\n");
  uni_test_write_file (dir, "my p x/decoy.ml", "let decoy = 1\n");
  uni_test_run (dir, "git", "add", ".", NULL);
  uni_test_run (dir, "git", "commit", "--quiet", "-m", "project", NULL);

  repository = open_repository (project);
  uni_test_write_file (project, "config.ml", "open Mirage\nlet x = 1\n");
  uni_test_write_file (project, "new.ml", "let y = 2\n");
  uni_test_write_file (dir, "notes.txt", "outside the project\n");
  uni_test_write_file (dir, "my p x/decoy.ml", "let decoy = 2\n");
  refresh (repository);

  g_assert_cmpint (status_of (repository, project, "config.ml"), ==,
                   UNI_GIT_FILE_STATUS_MODIFIED);
  g_assert_cmpint (status_of (repository, project, "new.ml"), ==, UNI_GIT_FILE_STATUS_UNTRACKED);
  g_assert_cmpint (status_of (repository, project, NULL), ==, UNI_GIT_FILE_STATUS_MODIFIED);
  /* Beside the project folder, nothing was scanned, even a name the folder's
   * name would match as a glob pattern.
   */
  g_assert_cmpint (status_of (repository, dir, "notes.txt"), ==, UNI_GIT_FILE_STATUS_CLEAN);
  g_assert_cmpint (status_of (repository, dir, "my p x/decoy.ml"), ==,
                   UNI_GIT_FILE_STATUS_CLEAN);
}

static void
test_status (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("status");
  g_autoptr(UniRepository) repository = open_repository (dir);
  guint changed = 0;
  guint branch_notified = 0;

  g_signal_connect (repository, "changed", G_CALLBACK (count_cb), &changed);
  g_signal_connect (repository, "notify::branch", G_CALLBACK (count_notify_cb), &branch_notified);

  refresh (repository);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_cmpuint (branch_notified, ==, 0);
  g_assert_cmpint (status_of (repository, dir, "config.ml"), ==, UNI_GIT_FILE_STATUS_CLEAN);
  g_assert_cmpint (status_of (repository, dir, "htdocs"), ==, UNI_GIT_FILE_STATUS_CLEAN);
  g_assert_cmpint (status_of (repository, dir, NULL), ==, UNI_GIT_FILE_STATUS_CLEAN);
  g_assert_cmpint (status_of (repository, dir, "_build"), ==, UNI_GIT_FILE_STATUS_IGNORED);

  uni_test_write_file (dir, "htdocs/index.html", "<title>changed</title>\n");
  uni_test_write_file (dir, "htdocs/js/new.js", "let x = 1;\n");
  uni_test_write_file (dir, "notes.txt", "todo\n");
  uni_test_write_file (dir, "staged.ml", "let () = ()\n");
  uni_test_run (dir, "git", "add", "staged.ml", NULL);
  uni_test_run (dir, "git", "rm", "--quiet", "unikernel.ml", NULL);

  /* Nothing changes before a refresh: lookups never touch the disk. */
  g_assert_cmpint (status_of (repository, dir, "notes.txt"), ==, UNI_GIT_FILE_STATUS_CLEAN);

  refresh (repository);
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpint (status_of (repository, dir, "htdocs/index.html"), ==,
                   UNI_GIT_FILE_STATUS_MODIFIED);
  g_assert_cmpint (status_of (repository, dir, "htdocs/js/new.js"), ==,
                   UNI_GIT_FILE_STATUS_UNTRACKED);
  g_assert_cmpint (status_of (repository, dir, "htdocs/js"), ==, UNI_GIT_FILE_STATUS_UNTRACKED);
  g_assert_cmpint (status_of (repository, dir, "notes.txt"), ==, UNI_GIT_FILE_STATUS_UNTRACKED);
  g_assert_cmpint (status_of (repository, dir, "staged.ml"), ==, UNI_GIT_FILE_STATUS_ADDED);
  g_assert_cmpint (status_of (repository, dir, "unikernel.ml"), ==, UNI_GIT_FILE_STATUS_DELETED);
  g_assert_cmpint (status_of (repository, dir, "config.ml"), ==, UNI_GIT_FILE_STATUS_CLEAN);
  g_assert_cmpint (status_of (repository, dir, "_build/x"), ==, UNI_GIT_FILE_STATUS_CLEAN);

  /* A folder shows the most important status below it. */
  g_assert_cmpint (status_of (repository, dir, "htdocs"), ==, UNI_GIT_FILE_STATUS_MODIFIED);
  g_assert_cmpint (status_of (repository, dir, NULL), ==, UNI_GIT_FILE_STATUS_DELETED);

  /* Outside the work tree nothing is known. */
  {
    g_autoptr(GFile) outside = g_file_new_for_path ("/usr/bin/git");

    g_assert_cmpint (uni_repository_get_file_status (repository, outside), ==,
                     UNI_GIT_FILE_STATUS_CLEAN);
  }

  uni_test_run (dir, "git", "checkout", "--quiet", "-b", "feature", NULL);
  refresh (repository);
  g_assert_cmpuint (branch_notified, ==, 1);
  g_assert_cmpstr (uni_repository_get_branch (repository), ==, "feature");
}

typedef struct
{
  UniTestAsync         wait;
  guint             calls;
  gboolean          destroyed;
  gboolean          called_after_finish;
  gboolean          cancel_on_first;
  gboolean          off_main_thread;
  GCancellable     *cancellable;
  UniCloneProgress  last;
  /* Done on the first report, before cancelling: the worker is still busy. */
  GFile            *plant_file;
  GFile            *make_read_only;
  gboolean          read_only;
} CloneState;

static GThread *main_thread;

static void
clone_progress_cb (const UniCloneProgress *progress,
                   gpointer                user_data)
{
  CloneState *state = user_data;

  if (state->wait.result != NULL)
    state->called_after_finish = TRUE;

  if (g_thread_self () != main_thread)
    state->off_main_thread = TRUE;

  state->calls++;
  state->last = *progress;

  if (state->cancel_on_first && state->calls == 1)
    {
      if (state->plant_file != NULL)
        uni_test_write_file (state->plant_file, "", "someone else's");
      if (state->make_read_only != NULL)
        state->read_only = uni_test_make_read_only (state->make_read_only);
      g_cancellable_cancel (state->cancellable);
    }
}

static void
clone_destroy_cb (gpointer user_data)
{
  CloneState *state = user_data;

  g_assert_false (state->destroyed);
  state->destroyed = TRUE;
}

static GFile *
clone (const char  *url,
       GFile       *destination,
       CloneState  *state,
       GError     **error)
{
  GFile *result;

  uni_repository_clone_async (url, destination,
                              clone_progress_cb, state, clone_destroy_cb,
                              state->cancellable, uni_test_async_done_cb, &state->wait);
  wait_for_result (&state->wait);
  result = uni_repository_clone_finish (state->wait.result, error);
  g_clear_object (&state->wait.result);

  g_assert_true (state->destroyed);
  g_assert_false (state->called_after_finish);
  g_assert_false (state->off_main_thread);

  return result;
}

static GFile *
make_origin (void)
{
  GFile *origin = uni_test_make_git_repo ("origin repo");

  /* Enough objects that the fetch reports progress more than once. */
  for (guint i = 0; i < 40; i++)
    {
      g_autofree char *name = g_strdup_printf ("htdocs/tile-%02u.js", i);
      g_autofree char *contents = g_strdup_printf ("const tile = %u;\n", i);

      uni_test_write_file (origin, name, contents);
    }
  uni_test_run (origin, "git", "add", "htdocs", NULL);
  uni_test_run (origin, "git", "commit", "--quiet", "-m", "Add tiles", NULL);

  return origin;
}

static void
test_clone (void)
{
  g_autoptr(GFile) origin = make_origin ();
  g_autoptr(GFile) parent = uni_test_make_tempdir ("clones 'here'");
  g_autoptr(GFile) destination = g_file_get_child (parent, "my clone");
  g_autoptr(GFile) config = g_file_get_child (destination, "config.ml");
  g_autoptr(GFile) tile = g_file_resolve_relative_path (destination, "htdocs/tile-07.js");
  g_autoptr(UniRepository) repository = NULL;
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  g_autofree char *contents = NULL;
  CloneState state = { { NULL } };

  result = clone (uri, destination, &state, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (result, destination));

  g_assert_cmpuint (state.calls, >, 0);
  g_assert_cmpfloat (uni_clone_progress_get_fraction (&state.last), ==, 1.0);
  g_assert_cmpuint (state.last.total_objects, >, 0);
  g_assert_cmpuint (state.last.received_objects, ==, state.last.total_objects);

  g_assert_true (g_file_query_exists (config, NULL));
  contents = uni_test_read_file (tile);
  g_assert_cmpstr (contents, ==, "const tile = 7;\n");

  repository = open_repository (destination);
  g_assert_cmpstr (uni_repository_get_branch (repository), ==, "main");
}

static void
test_clone_into_empty_folder (void)
{
  g_autoptr(GFile) origin = uni_test_make_git_repo ("origin");
  g_autoptr(GFile) destination = uni_test_make_tempdir ("empty destination");
  g_autoptr(GFile) config = g_file_get_child (destination, "config.ml");
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  CloneState state = { { NULL } };

  result = clone (uri, destination, &state, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_query_exists (config, NULL));
}

/* Bad addresses, side by side: each fails with its own code and leaves no
 * folder behind, including the parent folders the clone had to make.
 */
static void
test_clone_bad_url (void)
{
  static const struct {
    const char *url;
    int         code;
  } cases[] = {
    { "file:///nonexistent", UNI_GIT_ERROR_NOT_FOUND },
    { "gopher://example.invalid/repo.git", UNI_GIT_ERROR_INVALID_URL },
    /* Port 1 on the loopback: nothing listens, the connection is refused. */
    { "http://127.0.0.1:1/owner/repo.git", UNI_GIT_ERROR_NETWORK },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) parent = uni_test_make_tempdir ("bad url");
      g_autoptr(GFile) destination = g_file_resolve_relative_path (parent, "new/clone");
      g_autoptr(GFile) created_parent = g_file_get_child (parent, "new");
      g_autoptr(GFile) result = NULL;
      g_autoptr(GError) error = NULL;
      CloneState state = { { NULL } };

      result = clone (cases[i].url, destination, &state, &error);
      g_assert_null (result);
      g_assert_error (error, UNI_GIT_ERROR, cases[i].code);
      g_test_message ("%s: %s", cases[i].url, error->message);

      g_assert_false (g_file_query_exists (destination, NULL));
      g_assert_false (g_file_query_exists (created_parent, NULL));
      g_assert_true (g_file_query_exists (parent, NULL));
    }
}

static void
test_clone_destination_not_empty (void)
{
  g_autoptr(GFile) origin = uni_test_make_git_repo ("origin");
  g_autoptr(GFile) destination = uni_test_make_tempdir ("busy");
  g_autoptr(GFile) mine = g_file_get_child (destination, "mine.txt");
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  g_autofree char *contents = NULL;
  g_autoptr(GDir) gdir = NULL;
  CloneState state = { { NULL } };
  guint count = 0;

  uni_test_write_file (destination, "mine.txt", "precious");

  result = clone (uri, destination, &state, &error);
  g_assert_null (result);
  g_assert_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_EXISTS);
  g_assert_cmpuint (state.calls, ==, 0);

  contents = uni_test_read_file (mine);
  g_assert_cmpstr (contents, ==, "precious");
  gdir = g_dir_open (g_file_peek_path (destination), 0, NULL);
  while (g_dir_read_name (gdir))
    count++;
  g_assert_cmpuint (count, ==, 1);
}

static void
test_clone_cancel_from_progress (void)
{
  g_autoptr(GFile) origin = make_origin ();
  g_autoptr(GFile) parent = uni_test_make_tempdir ("cancel");
  g_autoptr(GFile) destination = g_file_get_child (parent, "clone");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  CloneState state = { { NULL } };

  state.cancellable = cancellable;
  state.cancel_on_first = TRUE;

  result = clone (uri, destination, &state, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (state.calls, >=, 1);
  g_assert_false (g_file_query_exists (destination, NULL));
}

static void
test_clone_cancel_keeps_empty_folder (void)
{
  g_autoptr(GFile) origin = uni_test_make_git_repo ("origin");
  g_autoptr(GFile) destination = uni_test_make_tempdir ("kept");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) gdir = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  CloneState state = { { NULL } };

  state.cancellable = cancellable;
  state.cancel_on_first = TRUE;

  result = clone (uri, destination, &state, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The folder was the user's, so it stays, emptied of the partial clone. */
  gdir = g_dir_open (g_file_peek_path (destination), 0, NULL);
  g_assert_nonnull (gdir);
  g_assert_null (g_dir_read_name (gdir));
}

static void
test_clone_removes_created_parents (void)
{
  g_autoptr(GFile) parent = uni_test_make_tempdir ("created parents");
  g_autoptr(GFile) destination = g_file_resolve_relative_path (parent, "x/y/z");
  g_autoptr(GFile) created = g_file_get_child (parent, "x");
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  CloneState state = { { NULL } };

  result = clone ("file:///nonexistent", destination, &state, &error);
  g_assert_error (error, UNI_GIT_ERROR, UNI_GIT_ERROR_NOT_FOUND);
  g_assert_false (g_file_query_exists (created, NULL));
  g_assert_true (g_file_query_exists (parent, NULL));
}

static void
test_clone_keeps_shared_parent (void)
{
  g_autoptr(GFile) origin = make_origin ();
  g_autoptr(GFile) parent = uni_test_make_tempdir ("shared parent");
  g_autoptr(GFile) destination = g_file_resolve_relative_path (parent, "new/a/clone");
  g_autoptr(GFile) shared = g_file_get_child (parent, "new");
  g_autoptr(GFile) own = g_file_resolve_relative_path (parent, "new/a");
  g_autoptr(GFile) other = g_file_resolve_relative_path (parent, "new/b/file");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  g_autofree char *contents = NULL;
  CloneState state = { { NULL } };

  /* Another clone's file appears in a folder this clone made, while it runs. */
  state.cancellable = cancellable;
  state.cancel_on_first = TRUE;
  state.plant_file = other;

  result = clone (uri, destination, &state, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_assert_false (g_file_query_exists (destination, NULL));
  g_assert_false (g_file_query_exists (own, NULL));
  g_assert_true (g_file_query_exists (shared, NULL));
  contents = uni_test_read_file (other);
  g_assert_cmpstr (contents, ==, "someone else's");
}

static void
test_clone_cleanup_failure (void)
{
  g_autoptr(GFile) origin = make_origin ();
  g_autoptr(GFile) parent = uni_test_make_tempdir ("cleanup fails");
  g_autoptr(GFile) destination = g_file_get_child (parent, "clone");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_file_get_uri (origin);
  CloneState state = { { NULL } };

  state.cancellable = cancellable;
  state.cancel_on_first = TRUE;
  state.make_read_only = destination;

  result = clone (uri, destination, &state, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  if (!state.read_only)
    return;

  g_test_message ("error: %s", error->message);
  g_assert_nonnull (strstr (error->message, "could not be removed"));
  g_assert_nonnull (strstr (error->message, "Delete it before trying again"));
}

static void
test_clone_hides_credentials (void)
{
  g_autoptr(GFile) parent = uni_test_make_tempdir ("credentials");
  g_autoptr(GFile) destination = g_file_get_child (parent, "clone");
  g_autoptr(GFile) result = NULL;
  g_autoptr(GError) error = NULL;
  CloneState state = { { NULL } };

  result = clone ("https://user:secret@127.0.0.1:1/x.git", destination, &state, &error);
  g_assert_null (result);
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_null (strstr (error->message, "secret"));
  g_assert_nonnull (strstr (error->message, "https://127.0.0.1:1/x.git"));
}

static void
test_progress_fraction (void)
{
  static const struct {
    UniCloneProgress progress;
    double           fraction;
  } cases[] = {
    { { 0, 0, 0, 0, 0, 0 }, 0.0 },
    { { 50, 0, 100, 0, 0, 0 }, 0.2 },
    { { 100, 100, 100, 0, 0, 0 }, 0.8 },
    { { 100, 100, 100, 0, 5, 10 }, 0.9 },
    { { 100, 100, 100, 0, 10, 10 }, 1.0 },
    { { 300, 300, 100, 0, 0, 0 }, 1.0 },
    { { 100, 100, 100, 0, 20, 10 }, 1.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpfloat_with_epsilon (uni_clone_progress_get_fraction (&cases[i].progress),
                                    cases[i].fraction, 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);
  main_thread = g_thread_self ();

  g_test_add_func ("/uni/repository/open/branch", test_open_branch);
  g_test_add_func ("/uni/repository/open/not-a-repository", test_open_not_a_repository);
  g_test_add_func ("/uni/repository/open/detached-head", test_detached_head);
  g_test_add_func ("/uni/repository/open/empty", test_empty_repository);
  g_test_add_func ("/uni/repository/status", test_status);
  g_test_add_func ("/uni/repository/status/scoped-to-folder", test_status_scoped);
  g_test_add_func ("/uni/repository/clone/file-url", test_clone);
  g_test_add_func ("/uni/repository/clone/into-empty-folder", test_clone_into_empty_folder);
  g_test_add_func ("/uni/repository/clone/bad-url", test_clone_bad_url);
  g_test_add_func ("/uni/repository/clone/destination-not-empty",
                   test_clone_destination_not_empty);
  g_test_add_func ("/uni/repository/clone/cancel", test_clone_cancel_from_progress);
  g_test_add_func ("/uni/repository/clone/cancel-keeps-empty-folder",
                   test_clone_cancel_keeps_empty_folder);
  g_test_add_func ("/uni/repository/clone/removes-created-parents",
                   test_clone_removes_created_parents);
  g_test_add_func ("/uni/repository/clone/keeps-shared-parent", test_clone_keeps_shared_parent);
  g_test_add_func ("/uni/repository/clone/cleanup-failure", test_clone_cleanup_failure);
  g_test_add_func ("/uni/repository/clone/hides-credentials", test_clone_hides_credentials);
  g_test_add_func ("/uni/repository/clone/fraction", test_progress_fraction);

  return g_test_run ();
}
