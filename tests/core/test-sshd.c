/* test-sshd.c — the test OpenSSH server, reached with the real ssh and scp
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "uni-test-sshd.h"
#include "uni-test-util.h"

/* Bounds for what a real process does at once, never timed assertions. */
#define WAIT_MS 10000

/* ssh's own exit status for its errors, as opposed to the remote command's. */
#define SSH_ERROR 255

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs @argv (NULL-terminated by this function) to its end. */
static void
run_argv (GPtrArray *argv,
          Run       *run)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *command = NULL;
  int wait_status = 0;

  g_ptr_array_add (argv, NULL);
  command = g_strjoinv (" ", (char **) argv->pdata);
  g_test_message ("%s", command);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);

  run->status = 0;
  if (!g_spawn_check_wait_status (wait_status, &error))
    {
      g_assert_error (error, G_SPAWN_EXIT_ERROR, error->code);
      run->status = error->code;
    }

  g_test_message ("exit %d, stdout: %s, stderr: %s", run->status, run->out, run->err);
}

static char *
destination (UniTestSshd *sshd)
{
  return g_strdup_printf ("%s@%s", uni_test_sshd_get_user (sshd), uni_test_sshd_get_host (sshd));
}

/* ssh as @client, running @command (one word per argument) on the server. */
static void
run_ssh (UniTestSshd       *sshd,
         UniTestSshdClient  client,
         const char        *const *command,
         Run               *run)
{
  g_autoptr(GPtrArray) argv = uni_test_sshd_new_argv (sshd, client, "ssh");

  g_ptr_array_add (argv, destination (sshd));
  for (guint i = 0; command[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (command[i]));

  run_argv (argv, run);
}

static void
test_login (void)
{
  static const char *const echo[] = { "echo", "ok", NULL };
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_auto(Run) run = { 0 };
  g_autofree char *log = NULL;
  g_autofree char *accepted = NULL;

  if (sshd == NULL)
    return;

  run_ssh (sshd, UNI_TEST_SSHD_CLIENT_GOOD, echo, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "ok\n");
  g_assert_cmpstr (run.err, ==, "");

  /* Logged in with the key, not by any other way. */
  log = uni_test_sshd_dup_log (sshd);
  accepted = g_strdup_printf ("Accepted publickey for %s from 127.0.0.1",
                              uni_test_sshd_get_user (sshd));
  g_assert_nonnull (strstr (log, accepted));
}

/* The exact options a board profile or `--ssh-option` will carry. */
static void
test_options (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autofree char *known_hosts = NULL;
  g_autofree char *identity = NULL;
  g_autofree char *expected_line = NULL;
  g_autofree char *known_hosts_text = NULL;
  g_autoptr(GFile) known_hosts_file = NULL;
  g_auto(GStrv) options = NULL;

  if (sshd == NULL)
    return;

  known_hosts = g_strconcat ("UserKnownHostsFile=", uni_test_sshd_get_known_hosts_file (sshd),
                             NULL);
  identity = g_strconcat ("IdentityFile=", uni_test_sshd_get_identity_file (sshd), NULL);
  {
    const char *const expected[] = {
      known_hosts,
      identity,
      "IdentitiesOnly=yes",
      "BatchMode=yes",
      "StrictHostKeyChecking=yes",
      "GlobalKnownHostsFile=/dev/null",
      "LogLevel=ERROR",
      NULL
    };

    options = uni_test_sshd_dup_ssh_options (sshd);
    g_assert_true (g_strv_equal ((const char *const *) options, expected));
  }

  known_hosts_file = g_file_new_for_path (uni_test_sshd_get_known_hosts_file (sshd));
  known_hosts_text = uni_test_read_file (known_hosts_file);
  expected_line = g_strdup_printf ("[127.0.0.1]:%u ssh-ed25519 ", uni_test_sshd_get_port (sshd));
  g_assert_true (g_str_has_prefix (known_hosts_text, expected_line));
  g_assert_cmpuint (uni_test_sshd_get_client_port (sshd, UNI_TEST_SSHD_CLIENT_GOOD), ==,
                    uni_test_sshd_get_port (sshd));
  g_assert_cmpuint (uni_test_sshd_get_client_port (sshd, UNI_TEST_SSHD_CLIENT_REFUSED), !=,
                    uni_test_sshd_get_port (sshd));
}

static char *
fixture (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "fixtures", name, NULL);
}

static void
test_remote_environment (void)
{
  static const char *const extra_environment[] = { "UNI_TEST_GREETING=hello there", NULL };
  const UniTestSshdOptions opts = { .environment = extra_environment };
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (&opts);
  g_autofree char *xl = fixture ("xl");
  g_autofree char *stand_in = NULL;
  g_autofree char *stand_in_line = NULL;
  g_autofree char *state_line = NULL;
  g_autofree char *marker_path = NULL;
  g_autofree char *marker = NULL;

  if (sshd == NULL)
    return;

  /* The stand-in xl once it exists; until then the stand-in mirage
   * proves the same PATH.
   */
  stand_in = g_file_test (xl, G_FILE_TEST_IS_EXECUTABLE) ? g_strdup (xl) : fixture ("mirage");

  {
    g_autofree char *name = g_path_get_basename (stand_in);
    const char *const command[] = { "command", "-v", name, NULL };
    g_auto(Run) run = { 0 };

    run_ssh (sshd, UNI_TEST_SSHD_CLIENT_GOOD, command, &run);
    g_assert_cmpint (run.status, ==, 0);
    stand_in_line = g_strconcat (stand_in, "\n", NULL);
    g_assert_cmpstr (run.out, ==, stand_in_line);
  }

  {
    const char *const command[] = { "printenv", UNI_TEST_SSHD_STATE_VARIABLE,
                                    "UNI_TEST_GREETING", NULL };
    g_auto(Run) run = { 0 };

    run_ssh (sshd, UNI_TEST_SSHD_CLIENT_GOOD, command, &run);
    g_assert_cmpint (run.status, ==, 0);
    state_line = g_strconcat (uni_test_sshd_get_state_dir (sshd), "\nhello there\n", NULL);
    g_assert_cmpstr (run.out, ==, state_line);
  }

  /* The sessions' home is the server's own: what they write there is in
   * the remote home, never in the real one.
   */
  {
    const char *const command[] = { "echo", "written", ">", "~/marker", NULL };
    g_auto(Run) run = { 0 };

    run_ssh (sshd, UNI_TEST_SSHD_CLIENT_GOOD, command, &run);
    g_assert_cmpint (run.status, ==, 0);
    marker_path = g_build_filename (uni_test_sshd_get_remote_home (sshd), "marker", NULL);
    g_assert_true (g_file_get_contents (marker_path, &marker, NULL, NULL));
    g_assert_cmpstr (marker, ==, "written\n");
  }
}

/* Not a name anyone would pick, but one a project may hold: spaces, both
 * quotes, a dollar, a backslash and non-ASCII.
 */
#define HOSTILE_NAME "it's a \"quoted\" $HOME \\ naïve file.txt"
#define GLOB_ESCAPED_NAME "it's a \"quoted\" $HOME \\\\ naïve file.txt"

static void
test_scp_hostile_names (void)
{
  static const struct {
    const char *mode;
    const char *flag;
  } modes[] = {
    { "sftp", NULL },
    { "legacy", "-O" },
  };
  static const char contents[] = "kernel bytes \x01\x02\xff and a newline\n";
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(GFile) local = NULL;
  g_autofree char *local_path = NULL;

  if (sshd == NULL)
    return;

  local = uni_test_make_tempdir ("local");
  uni_test_write_file (local, HOSTILE_NAME, contents);
  local_path = g_build_filename (g_file_peek_path (local), HOSTILE_NAME, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(GPtrArray) argv = uni_test_sshd_new_argv (sshd, UNI_TEST_SSHD_CLIENT_GOOD, "scp");
      g_autofree char *remote_dir = g_build_filename (uni_test_sshd_get_remote_home (sshd),
                                                      modes[i].mode, NULL);
      g_autofree char *arrived_path = g_build_filename (remote_dir, HOSTILE_NAME, NULL);
      g_autofree char *arrived = NULL;
      g_autofree char *to = destination (sshd);
      g_auto(Run) run = { 0 };
      gsize length = 0;

      g_test_message ("scp, %s protocol", modes[i].mode);
      g_assert_cmpint (g_mkdir (remote_dir, 0755), ==, 0);

      if (modes[i].flag != NULL)
        g_ptr_array_add (argv, g_strdup (modes[i].flag));
      g_ptr_array_add (argv, g_strdup (local_path));
      g_ptr_array_add (argv, g_strdup_printf ("%s:%s/", to, modes[i].mode));
      run_argv (argv, &run);

      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (g_file_get_contents (arrived_path, &arrived, &length, NULL));
      g_assert_cmpmem (arrived, length, contents, sizeof contents - 1);
    }

  /* And back. scp reads a remote source as a glob pattern (SFTP) or a
   * shell word (-O): the backslash, glob's escape, is escaped.
   */
  {
    g_autoptr(GPtrArray) argv = uni_test_sshd_new_argv (sshd, UNI_TEST_SSHD_CLIENT_GOOD, "scp");
    g_autofree char *back_path = g_build_filename (g_file_peek_path (local), "back", NULL);
    g_autofree char *back = NULL;
    g_autofree char *from = destination (sshd);
    g_auto(Run) run = { 0 };
    gsize length = 0;

    g_ptr_array_add (argv, g_strdup_printf ("%s:sftp/%s", from, GLOB_ESCAPED_NAME));
    g_ptr_array_add (argv, g_strdup (back_path));
    run_argv (argv, &run);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_true (g_file_get_contents (back_path, &back, &length, NULL));
    g_assert_cmpmem (back, length, contents, sizeof contents - 1);
  }
}

static void
test_alias (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);

  if (sshd == NULL)
    return;

  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_auto(Run) run = { 0 };

    g_ptr_array_add (argv, g_strdup ("ssh"));
    g_ptr_array_add (argv, g_strdup ("-F"));
    g_ptr_array_add (argv, g_strdup (uni_test_sshd_get_config_file (sshd)));
    g_ptr_array_add (argv, g_strdup (UNI_TEST_SSHD_ALIAS));
    g_ptr_array_add (argv, g_strdup ("echo"));
    g_ptr_array_add (argv, g_strdup ("alias"));
    run_argv (argv, &run);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "alias\n");
  }

  if (!uni_test_sshd_mount_client_home (sshd))
    return;

  /* As a user's own alias: nothing on the command line but its name. */
  {
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_auto(Run) run = { 0 };

    g_ptr_array_add (argv, g_strdup ("ssh"));
    g_ptr_array_add (argv, g_strdup (UNI_TEST_SSHD_ALIAS));
    g_ptr_array_add (argv, g_strdup ("echo"));
    g_ptr_array_add (argv, g_strdup ("home alias"));
    run_argv (argv, &run);

    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "home alias\n");
  }
}

/* Each way of not getting in, with what OpenSSH itself says. */
static void
test_failures (void)
{
  static const struct {
    UniTestSshdClient  client;
    const char        *says;
  } cases[] = {
    { UNI_TEST_SSHD_CLIENT_UNKNOWN_HOST, "Host key verification failed." },
    { UNI_TEST_SSHD_CLIENT_CHANGED_HOST_KEY, "REMOTE HOST IDENTIFICATION HAS CHANGED" },
    { UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY, "Permission denied (publickey)" },
    { UNI_TEST_SSHD_CLIENT_REFUSED, "Connection refused" },
  };
  static const char *const echo[] = { "echo", "ok", NULL };
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);

  if (sshd == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_ssh (sshd, cases[i].client, echo, &run);
      g_assert_cmpint (run.status, ==, SSH_ERROR);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].says));
    }

  /* The server was fine all along. */
  {
    g_auto(Run) run = { 0 };

    run_ssh (sshd, UNI_TEST_SSHD_CLIENT_GOOD, echo, &run);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_cmpstr (run.out, ==, "ok\n");
  }
}

typedef struct
{
  GSubprocess *ssh;
  /* the remote command's first line: it has started */
  char        *first_line;
  gboolean     line_read;
  gboolean     exited;
} Session;

static void
first_line_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Session *session = user_data;

  session->first_line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (object),
                                                                  result, NULL, NULL);
  session->line_read = TRUE;
}

static void
session_exited_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Session *session = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL));
  session->exited = TRUE;
}

static gboolean
session_line_read (gpointer data)
{
  return ((Session *) data)->line_read;
}

static gboolean
session_exited (gpointer data)
{
  return ((Session *) data)->exited;
}

static gboolean
port_refuses (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);

  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
}

/* Stop takes the sessions with it: a console left running must not keep
 * a test program, or its temp folder, alive.
 */
static void
test_stop (void)
{
  UniTestSshd *sshd = uni_test_sshd_start (NULL);
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *remote_home = NULL;
  Session session = { NULL, NULL, FALSE, FALSE };
  guint port;

  if (sshd == NULL)
    return;

  port = uni_test_sshd_get_port (sshd);
  remote_home = g_strdup (uni_test_sshd_get_remote_home (sshd));

  argv = uni_test_sshd_new_argv (sshd, UNI_TEST_SSHD_CLIENT_GOOD, "ssh");
  g_ptr_array_add (argv, destination (sshd));
  g_ptr_array_add (argv, g_strdup ("echo started && exec sleep 600"));
  g_ptr_array_add (argv, NULL);
  session.ssh = g_subprocess_newv ((const char *const *) argv->pdata,
                                   G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                   &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (session.ssh, NULL, session_exited_cb, &session);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (session.ssh));
  g_data_input_stream_read_line_async (output, G_PRIORITY_DEFAULT, NULL, first_line_cb,
                                       &session);

  g_assert_true (uni_test_wait_for (session_line_read, &session, WAIT_MS));
  g_assert_cmpstr (session.first_line, ==, "started");
  g_assert_false (session.exited);

  uni_test_sshd_stop (sshd);

  /* The session's end reaches its client. */
  g_assert_true (uni_test_wait_for (session_exited, &session, WAIT_MS));
  g_assert_false (g_file_test (remote_home, G_FILE_TEST_EXISTS));
  g_assert_true (port_refuses (port));

  g_clear_object (&session.ssh);
  g_free (session.first_line);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/sshd/login", test_login);
  g_test_add_func ("/uni/sshd/options", test_options);
  g_test_add_func ("/uni/sshd/remote-environment", test_remote_environment);
  g_test_add_func ("/uni/sshd/scp-hostile-names", test_scp_hostile_names);
  g_test_add_func ("/uni/sshd/alias", test_alias);
  g_test_add_func ("/uni/sshd/failures", test_failures);
  g_test_add_func ("/uni/sshd/stop", test_stop);

  return g_test_run ();
}
