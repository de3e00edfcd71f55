/* uni-test-util.c — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-test-util"

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE 1

#include "config.h"

#include <errno.h>
#include <locale.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "uni-plugins.h"
#include "uni-test-util.h"

/* A bound for conditions that a real process meets, never a timed
 * assertion: a build of the stand-in takes a fraction of a second.
 */
#define PIPELINE_TIMEOUT_MS 60000

/* Mount points made by this process, unmounted before their temp folder
 * is removed.
 */
static GPtrArray *mounts;
static gboolean private_mounts;

static void
enter_private_mount_namespace (void)
{
  /* Root ignores permissions, so read-only and full-disk cases need real
   * mounts. A private namespace keeps them away from the host, and they
   * vanish with the process even when a test aborts.
   */
  if (unshare (CLONE_NEWNS) != 0)
    {
      g_printerr ("# no private mount namespace (%s): mount-based tests will be skipped\n",
                  g_strerror (errno));
      return;
    }

  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    {
      g_printerr ("# could not make / private (%s): mount-based tests will be skipped\n",
                  g_strerror (errno));
      return;
    }

  private_mounts = TRUE;
}

void
uni_test_init (int    *argc,
               char ***argv)
{
  setlocale (LC_ALL, "");
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  if (geteuid () == 0)
    enter_private_mount_namespace ();

  mounts = g_ptr_array_new_with_free_func (g_free);
}

static void
unmount_below (const char *root)
{
  if (mounts == NULL)
    return;

  /* Newest first: a mount may sit on top of an older one. */
  for (guint i = mounts->len; i > 0; i--)
    {
      const char *path = g_ptr_array_index (mounts, i - 1);

      if (g_str_has_prefix (path, root))
        {
          while (umount2 (path, MNT_DETACH) == 0)
            ;
          g_ptr_array_remove_index (mounts, i - 1);
        }
    }
}

static void
remove_tree (const char *path)
{
  struct stat st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      /* Tests make folders read-only on purpose. */
      g_chmod (path, 0700);

      if ((dir = g_dir_open (path, 0, NULL)))
        {
          while ((name = g_dir_read_name (dir)))
            {
              g_autofree char *child = g_build_filename (path, name, NULL);

              remove_tree (child);
            }
        }
      g_rmdir (path);
    }
  else
    {
      g_unlink (path);
    }
}

static void
cleanup_tempdir (gpointer data)
{
  char *root = data;

  unmount_below (root);
  remove_tree (root);
  g_free (root);
}

GFile *
uni_test_make_tempdir (const char *name)
{
  g_autofree char *root = g_build_filename (g_get_tmp_dir (), "unistudio-test-XXXXXX", NULL);
  g_autofree char *path = NULL;

  g_assert_nonnull (name);
  g_assert_nonnull (g_mkdtemp (root));

  path = g_build_filename (root, name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);

  /* Outside a test case there is nobody to run the cleanup. */
  if (g_test_get_path () != NULL && *g_test_get_path () != '\0')
    g_test_queue_destroy (cleanup_tempdir, g_steal_pointer (&root));

  return g_file_new_for_path (path);
}

void
uni_test_write_file (GFile      *dir,
                     const char *relative_path,
                     const char *contents)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (dir, relative_path);
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autofree char *parent_path = g_file_get_path (parent);
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent_path, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

char *
uni_test_read_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

void
uni_test_run (GFile      *cwd,
              const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *cwd_path = cwd ? g_file_get_path (cwd) : NULL;
  g_autofree char *standard_output = NULL;
  g_autofree char *standard_error = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status = 0;
  va_list args;

  g_assert_nonnull (first_arg);

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cwd_path, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &standard_output, &standard_error, &wait_status, &error);
  g_assert_no_error (error);

  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      g_autofree char *command = g_strjoinv (" ", (char **) argv->pdata);

      g_printerr ("# %s failed:\n%s%s", command, standard_output, standard_error);
      g_assert_no_error (error);
    }
}

GFile *
uni_test_make_git_repo (const char *name)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir (name);

  uni_test_run (dir, "git", "init", "--quiet", "-b", "main", NULL);
  uni_test_run (dir, "git", "config", "user.name", "Unistudio Tests", NULL);
  uni_test_run (dir, "git", "config", "user.email", "tests@unistudio.invalid", NULL);
  uni_test_run (dir, "git", "config", "commit.gpgsign", "false", NULL);

  uni_test_write_file (dir, "config.ml",
                       "open Mirage\n\n"
                       "let main = main \"Unikernel.Main\" (stackv4v6 @-> job)\n"
                       "let () = register \"www\" [ main $ generic_stackv4v6 default_network ]\n");
  uni_test_write_file (dir, "unikernel.ml",
                       "module Main (S : Tcpip.Stack.V4V6) = struct\n"
                       "  let start _s = Lwt.return_unit\n"
                       "end\n");
  uni_test_write_file (dir, "htdocs/index.html", "<!doctype html>\n<title>2048</title>\n");
  uni_test_write_file (dir, ".hidden", "hidden\n");
  uni_test_write_file (dir, ".gitignore", "_build/\n");
  uni_test_write_file (dir, "_build/x", "build product\n");

  uni_test_run (dir, "git", "add", "config.ml", "unikernel.ml", "htdocs/index.html",
                ".hidden", ".gitignore", NULL);
  uni_test_run (dir, "git", "commit", "--quiet", "-m", "Initial commit", NULL);

  return g_steal_pointer (&dir);
}

static gboolean
track_mount (const char *path)
{
  g_ptr_array_add (mounts, g_strdup (path));
  return TRUE;
}

gboolean
uni_test_make_read_only (GFile *dir)
{
  g_autofree char *path = g_file_get_path (dir);

  g_assert_nonnull (path);

  if (geteuid () != 0)
    {
      g_assert_cmpint (g_chmod (path, 0555), ==, 0);
      return TRUE;
    }

  if (!private_mounts)
    {
      g_test_skip ("running as root without a private mount namespace: cannot make a folder read-only");
      return FALSE;
    }

  if (mount (path, path, NULL, MS_BIND, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("bind mount failed: %s", g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  track_mount (path);

  if (mount (NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("read-only remount failed: %s",
                                                 g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }

  return TRUE;
}

gboolean
uni_test_make_full_disk (GFile *dir,
                         gsize  size_kib)
{
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *options = g_strdup_printf ("size=%" G_GSIZE_FORMAT "k,mode=0755", size_kib);

  g_assert_nonnull (path);

  if (geteuid () != 0)
    {
      g_test_skip ("mounting a small tmpfs needs root");
      return FALSE;
    }

  if (!private_mounts)
    {
      g_test_skip ("no private mount namespace to mount a small tmpfs in");
      return FALSE;
    }

  if (mount ("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("tmpfs mount failed: %s", g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }
  track_mount (path);

  return TRUE;
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
uni_test_wait_for (UniTestCondition condition,
                   gpointer         data,
                   guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint source;

  g_assert_nonnull (condition);

  source = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data))
    {
      if (timed_out)
        return FALSE;
      g_main_context_iteration (NULL, TRUE);
    }

  if (!timed_out)
    g_source_remove (source);

  return TRUE;
}

void
uni_test_iterate (guint milliseconds)
{
  gboolean done = FALSE;

  g_timeout_add (milliseconds, timeout_cb, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/**
 * uni_test_add_cases:
 * @prefix: the test path of the table, without a trailing slash
 * @cases: an array of @n_cases structs of @case_size bytes, each starting
 *   with its name (a `const char *`)
 * @case_size: the size of one case
 * @n_cases: how many cases there are
 * @test_func: the test, given one case as its data
 *
 * Adds @test_func at @prefix/NAME for each case, in the table's order.
 */
void
uni_test_add_cases (const char    *prefix,
                    gconstpointer  cases,
                    gsize          case_size,
                    gsize          n_cases,
                    GTestDataFunc  test_func)
{
  g_assert_nonnull (prefix);
  g_assert_nonnull (cases);
  g_assert_nonnull (test_func);

  for (gsize i = 0; i < n_cases; i++)
    {
      gconstpointer test_case = (const char *) cases + i * case_size;
      const char *name = *(const char * const *) test_case;
      g_autofree char *path = g_strconcat (prefix, "/", name, NULL);

      g_assert_nonnull (name);
      g_test_add_data_func (path, test_case, test_func);
    }
}

/* A port nothing listens on right now, picked by the kernel (on every
 * address, IPv4 and IPv6), so tests that run in parallel never meet on
 * 8080. Let go at once: whoever binds it next gets it.
 */
guint
uni_test_pick_free_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (port, >, 0);
  g_socket_listener_close (listener);

  return port;
}

typedef struct
{
  char     *address;
  guint     port;
  char     *body;
  /* why there is no body, for the test's log */
  char     *problem;
  gboolean  done;
} HttpGet;

static void
http_get_blocking (HttpGet *get)
{
  static const char request[] = "GET / HTTP/1.0\r\nHost: localhost\r\n\r\n";
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GByteArray) response = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *status_line = NULL;
  GInputStream *input;
  const char *text;
  const char *head_end;
  const char *line_end;
  guint8 buffer[4096];
  gssize n_read;

  connection = g_socket_client_connect_to_host (client, get->address, get->port, NULL, &error);
  if (connection == NULL
      || !g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                     request, strlen (request), NULL, NULL, &error))
    {
      get->problem = g_strdup (error->message);
      return;
    }

  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while ((n_read = g_input_stream_read (input, buffer, sizeof buffer, NULL, &error)) > 0)
    g_byte_array_append (response, buffer, n_read);
  if (n_read < 0)
    {
      get->problem = g_strdup (error->message);
      return;
    }

  g_byte_array_append (response, (const guint8 *) "", 1);
  text = (const char *) response->data;
  head_end = strstr (text, "\r\n\r\n");
  line_end = strstr (text, "\r\n");
  if (head_end == NULL || line_end == NULL)
    {
      get->problem = g_strdup_printf ("not an HTTP response: %s", text);
      return;
    }

  status_line = g_strndup (text, line_end - text);
  if (!g_str_has_prefix (status_line, "HTTP/1.") || strstr (status_line, " 200") == NULL)
    {
      get->problem = g_strdup_printf ("not a 200 response: %s", status_line);
      return;
    }

  get->body = g_strndup (head_end + 4, response->len - 1 - (head_end + 4 - text));
}

/* In a thread, so the main loop goes on meanwhile: a server in this
 * process, or a job reading its server's output, must keep going.
 */
static void
http_get_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  http_get_blocking (task_data);
  g_task_return_boolean (task, TRUE);
}

static void
http_get_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  ((HttpGet *) user_data)->done = TRUE;
}

static gboolean
http_get_is_done (gpointer data)
{
  return ((HttpGet *) data)->done;
}

/* GET / over HTTP/1.0 on @address:@port. Returns the body of a 200
 * response, or NULL (saying why in the test's log) when there is no
 * server, no HTTP or another status.
 */
char *
uni_test_http_get (const char *address,
                   guint       port)
{
  HttpGet get = { NULL, port, NULL, NULL, FALSE };
  g_autoptr(GTask) task = NULL;

  g_assert_nonnull (address);

  get.address = g_strdup (address);
  task = g_task_new (NULL, NULL, http_get_done_cb, &get);
  g_task_set_task_data (task, &get, NULL);
  g_task_run_in_thread (task, http_get_thread);
  g_clear_object (&task);
  g_assert_true (uni_test_wait_for (http_get_is_done, &get, 10000));

  if (get.problem != NULL)
    g_test_message ("GET http://%s:%u/: %s", address, port, get.problem);
  g_free (get.problem);
  g_free (get.address);

  return get.body;
}

void
uni_test_async_done_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  UniTestAsync *wait = user_data;

  g_assert_null (wait->result);
  wait->result = g_object_ref (result);
}

gboolean
uni_test_async_is_done (gpointer data)
{
  return ((UniTestAsync *) data)->result != NULL;
}

/**
 * uni_test_file_has:
 * @file_has: a #UniTestFileHas
 *
 * A #UniTestCondition: the file exists and holds the text (or, when whole,
 * is the text).
 */
gboolean
uni_test_file_has (gpointer file_has)
{
  UniTestFileHas *has = file_has;
  g_autofree char *contents = NULL;

  if (!g_file_load_contents (has->file, NULL, &contents, NULL, NULL, NULL))
    return FALSE;

  if (has->whole)
    return g_str_equal (contents, has->text);

  return strstr (contents, has->text) != NULL;
}

/**
 * uni_test_port_answers:
 * @address: an IP address
 * @port: a TCP port
 *
 * Whether something accepts a connection at @address:@port now. Nothing
 * there must mean a refused connection, not some other failure.
 */
gboolean
uni_test_port_answers (const char *address,
                       guint       port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (address);

  connection = g_socket_client_connect_to_host (client, address, port, NULL, &error);
  if (connection != NULL)
    return TRUE;

  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  return FALSE;
}

/**
 * uni_test_group_has_living_member:
 * @pgid: a process group
 *
 * Read from /proc, apart from the code under test: zombies do not count.
 */
gboolean
uni_test_group_has_living_member (int pgid)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *entry;

  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc", entry, "stat", NULL);
      g_autofree char *contents = NULL;
      const char *after;
      char state;
      int ppid, pgrp;

      if (!g_ascii_isdigit (entry[0]) || !g_file_get_contents (path, &contents, NULL, NULL))
        continue;
      after = strrchr (contents, ')');
      if (after != NULL && sscanf (after + 1, " %c %d %d", &state, &ppid, &pgrp) == 3
          && pgrp == pgid && state != 'Z')
        return TRUE;
    }

  return FALSE;
}

/**
 * uni_test_group_gone:
 * @pgid: a process group, as GINT_TO_POINTER()
 *
 * A #UniTestCondition: no process of the group is left, zombies included
 * (the kernel still delivers signals to a zombie that is not reaped).
 */
gboolean
uni_test_group_gone (gpointer pgid)
{
  return kill (-GPOINTER_TO_INT (pgid), 0) == -1 && errno == ESRCH;
}

/**
 * uni_test_prepend_fixtures_to_path:
 *
 * Puts tests/fixtures first in PATH, so the stand-in mirage is the one
 * found.
 */
void
uni_test_prepend_fixtures_to_path (void)
{
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);
  g_autofree char *path = g_strconcat (fixtures, ":", g_getenv ("PATH"), NULL);

  g_setenv ("PATH", path, TRUE);
}

/**
 * uni_test_demo_path:
 * @relative: (nullable): a path inside the bundled 2048 demo
 *
 * Returns: (transfer full): where @relative is in the demo's sources, or the
 *   demo's folder for %NULL
 */
char *
uni_test_demo_path (const char *relative)
{
  return g_test_build_filename (G_TEST_DIST, "..", "data", "demos", "2048", relative, NULL);
}

/**
 * uni_test_copy_demo:
 * @name: a relative path, made inside a new temporary folder; its last
 *   part is the project folder's name
 * @settings: (nullable): the copy's .unistudio/project.ini, or %NULL for
 *   none
 *
 * Returns: (transfer full): a copy of the bundled 2048 demo, removed with
 *   the test
 */
GFile *
uni_test_copy_demo (const char *name,
                    const char *settings)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir (name);
  g_autofree char *demo = uni_test_demo_path (NULL);
  g_autofree char *from = g_build_filename (demo, ".", NULL);

  uni_test_run (NULL, "cp", "-R", from, g_file_peek_path (dir), NULL);
  if (settings != NULL)
    uni_test_write_file (dir, ".unistudio/project.ini", settings);

  return g_steal_pointer (&dir);
}

/**
 * uni_test_make_gluecon:
 * @settings: the project's .unistudio/project.ini
 *
 * Returns: (transfer full): a project folder named %UNI_TEST_HOSTILE_NAME
 *   with the GlueCon 2016 unikernel's config.ml (mirage 2.9,
 *   tests/data/manifest/27-gluecon-www.ml) and @settings
 */
GFile *
uni_test_make_gluecon (const char *settings)
{
  g_autofree char *config_path = g_test_build_filename (G_TEST_DIST, "data", "manifest",
                                                        "27-gluecon-www.ml", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GFile) dir = uni_test_make_tempdir (UNI_TEST_HOSTILE_NAME);

  g_assert_nonnull (settings);

  g_assert_true (g_file_get_contents (config_path, &config, NULL, NULL));
  uni_test_write_file (dir, "config.ml", config);
  uni_test_write_file (dir, ".unistudio/project.ini", settings);

  return g_steal_pointer (&dir);
}

/**
 * uni_test_load_project:
 * @dir: a project folder
 *
 * Returns: (transfer full): the project of @dir, loaded
 */
UniProject *
uni_test_load_project (GFile *dir)
{
  g_autoptr(UniProject) project = uni_project_new (dir);
  UniTestAsync async = { 0 };

  uni_project_load_async (project, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 10000));
  g_assert_true (uni_project_load_finish (project, async.result, NULL));
  g_clear_object (&async.result);

  return g_steal_pointer (&project);
}

/**
 * uni_test_detect_toolchain:
 * @version: the version the stand-in mirage says it is
 *
 * Detects the toolchain through the host plugin, as the program does (it
 * adds no layer). Needs uni_plugins_init() and
 * uni_test_prepend_fixtures_to_path().
 *
 * Returns: (transfer full): the toolchain found, of @version
 */
UniToolchain *
uni_test_detect_toolchain (const char *version)
{
  g_autoptr(GFile) nowhere = g_file_new_for_path (g_get_tmp_dir ());
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (nowhere);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  UniTestAsync async = { 0 };
  UniToolchain *toolchain;

  env = uni_plugins_create_build_environment ("host", settings, "unix", &error);
  g_assert_no_error (error);
  g_setenv ("UNISTUDIO_FAKE_MIRAGE_VERSION", version, TRUE);
  uni_toolchain_detect_async (env, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 10000));
  toolchain = uni_toolchain_detect_finish (async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
  g_assert_true (uni_toolchain_get_found (toolchain));
  g_assert_cmpstr (uni_toolchain_get_version_string (toolchain), ==, version);

  return toolchain;
}

/**
 * uni_test_plan_pipeline:
 * @project: a loaded project
 * @target_id: the target's id
 * @toolchain: a toolchain found
 * @goal: what the pipeline is for
 *
 * Returns: (transfer full): the pipeline, planned at once without an error
 */
UniPipeline *
uni_test_plan_pipeline (UniProject      *project,
                        const char      *target_id,
                        UniToolchain    *toolchain,
                        UniPipelineGoal  goal)
{
  g_autoptr(UniPipeline) pipeline = uni_pipeline_new (project, uni_target_lookup (target_id),
                                                      toolchain);
  g_autoptr(GError) error = NULL;

  uni_pipeline_set_goal (pipeline, goal);
  g_assert_true (uni_pipeline_plan (pipeline, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&pipeline);
}

static void
run_output_cb (UniJob     *job,
               const char *data,
               gulong      length,
               UniTestRun *run)
{
  g_string_append_len (run->output, data, length);
}

static void
run_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  UniTestRun *run = user_data;

  if (UNI_IS_JOB (object))
    run->ok = uni_job_run_finish (UNI_JOB (object), result, &run->error);
  else
    run->ok = uni_pipeline_run_finish (UNI_PIPELINE (object), result, &run->error);
  run->done = TRUE;
}

/**
 * uni_test_job_run_start:
 * @job: a job that has not run
 * @cancellable: (nullable): what stops it
 * @run: (out caller-allocates): filled in as the job goes, its output
 *   gathered
 *
 * Starts uni_job_run_async(); @run must stay as long as @job. The caller
 * frees @run's output and error.
 */
void
uni_test_job_run_start (UniJob       *job,
                        GCancellable *cancellable,
                        UniTestRun   *run)
{
  *run = (UniTestRun) { g_string_new (NULL), FALSE, FALSE, NULL };
  g_signal_connect (job, "output", G_CALLBACK (run_output_cb), run);
  uni_job_run_async (job, cancellable, run_done_cb, run);
}

/**
 * uni_test_run_is_done:
 * @run: a #UniTestRun
 *
 * A #UniTestCondition: the job or pipeline finished, well or not.
 */
gboolean
uni_test_run_is_done (gpointer run)
{
  return ((UniTestRun *) run)->done;
}

/**
 * uni_test_pipeline_run_start:
 * @pipeline: a planned pipeline
 * @collect_output: whether @run gathers what the jobs print in its output
 * @run: (out caller-allocates): filled in as the run goes
 *
 * Starts uni_pipeline_run_async(); @run must stay until
 * uni_test_pipeline_run_wait() returns.
 */
void
uni_test_pipeline_run_start (UniPipeline *pipeline,
                             gboolean     collect_output,
                             UniTestRun  *run)
{
  GListModel *model = G_LIST_MODEL (pipeline);

  *run = (UniTestRun) { 0 };

  if (collect_output)
    {
      run->output = g_string_new (NULL);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(UniJob) job = g_list_model_get_item (model, i);

          g_signal_connect (job, "output", G_CALLBACK (run_output_cb), run);
        }
    }

  uni_pipeline_run_async (pipeline, NULL, run_done_cb, run);
}

/**
 * uni_test_pipeline_run_wait:
 * @pipeline: the pipeline given to uni_test_pipeline_run_start()
 * @run: its run
 *
 * Waits until the run finished (with the run goal, once the unikernel
 * answers, or failed). The unikernel's job may go on: it no longer
 * writes into @run. The caller frees @run's output and error.
 */
void
uni_test_pipeline_run_wait (UniPipeline *pipeline,
                            UniTestRun  *run)
{
  GListModel *model = G_LIST_MODEL (pipeline);

  g_assert_true (uni_test_wait_for (uni_test_run_is_done, run, PIPELINE_TIMEOUT_MS));

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(UniJob) job = g_list_model_get_item (model, i);

      g_signal_handlers_disconnect_by_data (job, run);
    }
}

/**
 * uni_test_run_pipeline:
 * @pipeline: a planned pipeline
 * @output: (out) (optional): what its jobs printed, success or not
 * @error: its error
 *
 * Runs @pipeline to its end, or with the run goal until the unikernel
 * answers.
 *
 * Returns: whether it succeeded
 */
gboolean
uni_test_run_pipeline (UniPipeline  *pipeline,
                       GString     **output,
                       GError      **error)
{
  UniTestRun run;

  uni_test_pipeline_run_start (pipeline, output != NULL, &run);
  uni_test_pipeline_run_wait (pipeline, &run);

  if (output != NULL)
    *output = run.output;
  if (run.error != NULL)
    g_propagate_error (error, run.error);

  return run.ok;
}
