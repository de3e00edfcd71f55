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
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "uni-test-util.h"

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
