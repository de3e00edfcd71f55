/* uni-test-sshd.c — a real OpenSSH server on 127.0.0.1 for board tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-test-sshd"

/* unshare() and CLONE_NEWNS */
#define _GNU_SOURCE 1

#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "uni-proc.h"
#include "uni-test-sshd.h"
#include "uni-test-util.h"

#define SSHD_PATH "/usr/sbin/sshd"
#define PRIVSEP_DIR "/run/sshd"
#define LOOPBACK "127.0.0.1"

/* Bounds for what a real process does at once, never timed assertions. */
#define WAIT_MS 10000
#define POLL_MS 10

/* Another test program may take the port between picking and binding. */
#define MAX_ATTEMPTS 5

/* What the sshd's first process writes to its log when it cannot give the
 * sessions their own home; the parent skips on it.
 */
#define NO_HOME_MARK "unistudio-test-sshd: no private home: "

/* The PATH sshd gives root without PAM, after the test's own folders. */
#define SYSTEM_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct _UniTestSshd
{
  GSubprocess *process;
  /* Bound and never listened on: connecting to it is refused, and nobody
   * else can take its port while the server runs.
   */
  GSocket     *refused;

  char        *root;
  char        *user;
  /* The user's home in /etc/passwd: sshd's sessions start there and
   * OpenSSH reads ~ from it (never $HOME), so private homes are mounted on it.
   */
  char        *home;
  char        *remote_home;
  char        *client_home;
  char        *state_dir;
  char        *log_file;
  char        *identity;
  char        *unauthorized_identity;
  char        *known_hosts;
  char        *known_hosts_changed;
  char        *known_hosts_empty;
  char        *config_file;

  guint        port;
  guint        refused_port;

  guint        exited : 1;
  guint        client_home_mounted : 1;
};

/* What the child needs between fork and exec, prepared before the fork:
 * nothing there may allocate.
 */
typedef struct
{
  const char *remote_home;
  const char *home;
} ChildSetup;

static void
write_stderr (const char *text)
{
  ssize_t ignored = write (STDERR_FILENO, text, strlen (text));

  (void) ignored;
}

/* Runs in the forked child. A mount namespace of its own gives every session
 * a home of this server's own, so deployed files never land in the real
 * home and two servers never share one; and the server dies with the test
 * even when the test aborts.
 */
static void
child_setup (gpointer data)
{
  const ChildSetup *setup = data;
  const char *step = NULL;

  prctl (PR_SET_PDEATHSIG, SIGKILL);

  if (unshare (CLONE_NEWNS) != 0)
    step = "unshare\n";
  else if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    step = "private /\n";
  else if (mount (setup->remote_home, setup->home, NULL, MS_BIND, NULL) != 0)
    step = "bind mount\n";

  if (step != NULL)
    {
      write_stderr (NO_HOME_MARK);
      write_stderr (step);
      _exit (127);
    }
}

/* Paths go into sshd_config, ssh_config and -o options: keep to what none
 * of them would split, unquote or expand (%, ~).
 */
static void
assert_plain (const char *value)
{
  g_assert_nonnull (value);
  if (strpbrk (value, " \t\n\"'\\%") != NULL)
    g_error ("“%s” would be split or expanded by OpenSSH's configuration parser; "
             "run the tests with a plainer TMPDIR", value);
}

static void
append_quoted (GString    *config,
               const char *value)
{
  g_assert_null (strpbrk (value, "\"\\\n"));
  g_string_append_printf (config, " \"%s\"", value);
}

static void
keygen (const char *path,
        const char *comment)
{
  uni_test_run (NULL, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment,
                "-f", path, NULL);
}

/* "ssh-ed25519 AAAA...", without the comment. */
static char *
read_public_key (const char *private_path)
{
  g_autofree char *path = g_strconcat (private_path, ".pub", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) fields = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  fields = g_strsplit_set (g_strstrip (contents), " ", 3);
  g_assert_cmpuint (g_strv_length (fields), >=, 2);

  return g_strconcat (fields[0], " ", fields[1], NULL);
}

static void
write_text (const char *path,
            const char *contents)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
make_dir (const char *parent,
          const char *name)
{
  char *path = g_build_filename (parent, name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);

  return path;
}

static void
write_known_hosts (const char *path,
                   guint       port,
                   const char *public_key)
{
  g_autofree char *line = NULL;

  if (public_key != NULL)
    line = g_strdup_printf ("[" LOOPBACK "]:%u %s\n", port, public_key);

  write_text (path, line != NULL ? line : "");
}

static char *
build_server_config (UniTestSshd              *sshd,
                     const UniTestSshdOptions *opts,
                     const char               *host_key,
                     const char               *authorized_keys)
{
  g_autoptr(GString) config = g_string_new ("# A test's server, written by tests/uni-test-sshd.c\n");
  g_autoptr(GString) path = g_string_new ("PATH=");
  g_autofree char *state = NULL;

  g_string_append_printf (config, "ListenAddress " LOOPBACK ":%u\n", sshd->port);
  g_string_append (config, "AddressFamily inet\n");
  g_string_append (config, "HostKey");
  append_quoted (config, host_key);
  g_string_append (config, "\n");
  /* Several servers run at once, each under a test that may die. */
  g_string_append (config, "PidFile none\n");
  g_string_append (config, "UsePAM no\n");
  /* The keys live in temp folders StrictModes would find too open. */
  g_string_append (config, "StrictModes no\n");
  g_string_append (config, "PermitRootLogin prohibit-password\n");
  g_string_append (config, "PubkeyAuthentication yes\n");
  g_string_append (config, "PasswordAuthentication no\n");
  g_string_append (config, "KbdInteractiveAuthentication no\n");
  g_string_append (config, "HostbasedAuthentication no\n");
  g_string_append (config, "AuthorizedKeysFile");
  append_quoted (config, authorized_keys);
  g_string_append (config, "\n");
  g_string_append (config, "PermitUserEnvironment no\n");
  g_string_append (config, "UseDNS no\n");
  g_string_append (config, "PrintMotd no\n");
  g_string_append (config, "PrintLastLog no\n");
  g_string_append (config, "X11Forwarding no\n");
  /* Status polling opens connections in bursts; the default drops some. */
  g_string_append (config, "MaxStartups 100\n");
  g_string_append (config, "MaxSessions 100\n");
  /* scp speaks SFTP by default since OpenSSH 9.0; built in, no path to find. */
  g_string_append (config, "Subsystem sftp internal-sftp\n");

  if (opts != NULL && opts->path_prepend != NULL)
    {
      for (guint i = 0; opts->path_prepend[i] != NULL; i++)
        g_string_append_printf (path, "%s:", opts->path_prepend[i]);
    }
  else
    {
      g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);

      g_string_append_printf (path, "%s:", fixtures);
    }
  g_string_append (path, SYSTEM_PATH);

  /* SetEnv (OpenSSH 7.8+) overrides the default environment sshd gives a
   * session, PATH included, with no ForceCommand in the way of the commands
   * the tests send.
   */
  state = g_strdup_printf ("%s=%s",
                           opts != NULL && opts->state_variable != NULL
                           ? opts->state_variable : UNI_TEST_SSHD_STATE_VARIABLE,
                           sshd->state_dir);
  g_string_append (config, "SetEnv");
  append_quoted (config, path->str);
  append_quoted (config, state);
  if (opts != NULL && opts->environment != NULL)
    {
      for (guint i = 0; opts->environment[i] != NULL; i++)
        {
          g_assert_nonnull (strchr (opts->environment[i], '='));
          append_quoted (config, opts->environment[i]);
        }
    }
  g_string_append (config, "\n");

  return g_string_free (g_steal_pointer (&config), FALSE);
}

static char *
build_client_config (UniTestSshd *sshd)
{
  return g_strdup_printf ("# The test server under an alias, written by tests/uni-test-sshd.c\n"
                          "Host " UNI_TEST_SSHD_ALIAS "\n"
                          "  HostName " LOOPBACK "\n"
                          "  Port %u\n"
                          "  User %s\n"
                          "  IdentityFile %s\n"
                          "  IdentitiesOnly yes\n"
                          "  UserKnownHostsFile %s\n"
                          "  GlobalKnownHostsFile /dev/null\n"
                          "  StrictHostKeyChecking yes\n"
                          "  BatchMode yes\n"
                          "  LogLevel ERROR\n",
                          sshd->port, sshd->user, sshd->identity, sshd->known_hosts);
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  UniTestSshd *sshd = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  sshd->exited = TRUE;
}

static gboolean
is_exited (gpointer data)
{
  return ((UniTestSshd *) data)->exited;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static gboolean
log_says_listening (UniTestSshd *sshd)
{
  g_autofree char *log = uni_test_sshd_dup_log (sshd);
  g_autofree char *line = g_strdup_printf ("Server listening on " LOOPBACK " port %u.",
                                           sshd->port);

  return log != NULL && strstr (log, line) != NULL;
}

/* sshd says it listens once listen() returned: the line proves the port
 * is this server's, where a successful connect could reach another's.
 */
static gboolean
is_listening_or_exited (gpointer data)
{
  UniTestSshd *sshd = data;

  return sshd->exited || log_says_listening (sshd);
}

static void
launch (UniTestSshd *sshd,
        const char  *config_path)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree ChildSetup *setup = g_new0 (ChildSetup, 1);

  setup->remote_home = sshd->remote_home;
  setup->home = sshd->home;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  /* -e logs to stderr; a file never fills up and stalls the server. */
  g_subprocess_launcher_set_stderr_file_path (launcher, sshd->log_file);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, g_steal_pointer (&setup), g_free);

  sshd->exited = FALSE;
  sshd->process = g_subprocess_launcher_spawn (launcher, &error,
                                               SSHD_PATH, "-D", "-e", "-f", config_path, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (sshd->process, NULL, exited_cb, sshd);
}

/* Stops the server and every session under it: stopped first, so none can
 * fork a child past the search, then killed. Sessions start new process
 * groups, so only the parent links tell which processes are the server's.
 */
static void
kill_tree (GPid root)
{
  g_autoptr(GArray) tree = g_array_new (FALSE, FALSE, sizeof (GPid));
  gboolean grew = TRUE;

  g_array_append_val (tree, root);
  kill (root, SIGSTOP);

  while (grew)
    {
      g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
      const char *name;

      g_assert_nonnull (proc);
      grew = FALSE;

      while ((name = g_dir_read_name (proc)))
        {
          GPid pid = 0;
          GPid ppid = 0;
          gboolean known = FALSE;
          gboolean child = FALSE;

          if (!uni_proc_parse_pid (name, &pid) || !uni_proc_read_stat (pid, NULL, &ppid, NULL))
            continue;

          for (guint i = 0; i < tree->len; i++)
            {
              known |= g_array_index (tree, GPid, i) == pid;
              child |= g_array_index (tree, GPid, i) == ppid;
            }

          if (child && !known)
            {
              kill (pid, SIGSTOP);
              g_array_append_val (tree, pid);
              grew = TRUE;
            }
        }
    }

  for (guint i = 0; i < tree->len; i++)
    kill (g_array_index (tree, GPid, i), SIGKILL);
}

static void
kill_server (UniTestSshd *sshd)
{
  const char *identifier;
  GPid pid = 0;

  if (sshd->process == NULL)
    return;

  identifier = g_subprocess_get_identifier (sshd->process);
  if (!sshd->exited && identifier != NULL && uni_proc_parse_pid (identifier, &pid))
    kill_tree (pid);

  g_assert_true (uni_test_wait_for (is_exited, sshd, WAIT_MS));
  g_clear_object (&sshd->process);
}

static void
free_sshd (UniTestSshd *sshd)
{
  g_clear_object (&sshd->refused);
  g_free (sshd->root);
  g_free (sshd->user);
  g_free (sshd->home);
  g_free (sshd->remote_home);
  g_free (sshd->client_home);
  g_free (sshd->state_dir);
  g_free (sshd->log_file);
  g_free (sshd->identity);
  g_free (sshd->unauthorized_identity);
  g_free (sshd->known_hosts);
  g_free (sshd->known_hosts_changed);
  g_free (sshd->known_hosts_empty);
  g_free (sshd->config_file);
  g_free (sshd);
}

static void
remove_root (UniTestSshd *sshd)
{
  uni_test_run (NULL, "rm", "-rf", "--", sshd->root, NULL);
}

static gboolean
can_run (void)
{
  static const char *const clients[] = { "ssh", "scp", "ssh-keygen" };

  if (geteuid () != 0)
    {
      g_test_skip ("the test sshd logs in as root with a private mount namespace: needs root");
      return FALSE;
    }

  if (!g_file_test (SSHD_PATH, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip (SSHD_PATH " is not installed (openssh-server)");
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (clients); i++)
    {
      g_autofree char *path = g_find_program_in_path (clients[i]);

      if (path == NULL)
        {
          g_autofree char *reason = g_strdup_printf ("%s is not installed (openssh-client)",
                                                     clients[i]);

          g_test_skip (reason);
          return FALSE;
        }
    }

  return TRUE;
}

static GSocket *
bind_without_listening (guint *port)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_from_string (LOOPBACK);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return g_steal_pointer (&socket);
}

/**
 * uni_test_sshd_start:
 * @opts: (nullable): what differs from the defaults
 *
 * Starts `/usr/sbin/sshd -D -e` on 127.0.0.1 at a port of its own, with a
 * new ed25519 host key and one authorized client key, all in a temp
 * folder, and waits (bounded) until it listens. Its sessions log in as
 * the current user (root), find tests/fixtures first in PATH, the state
 * folder in %UNI_TEST_SSHD_STATE_VARIABLE, and have a home of their own:
 * the real home is never written to.
 *
 * Call it inside a test case: when the server cannot run here (not root,
 * OpenSSH missing, no mount namespace) it marks the test skipped with the
 * reason.
 *
 * Returns: (transfer full) (nullable): the server, or %NULL when skipped
 */
UniTestSshd *
uni_test_sshd_start (const UniTestSshdOptions *opts)
{
  UniTestSshd *sshd = NULL;
  g_autofree char *server_dir = NULL;
  g_autofree char *client_dir = NULL;
  g_autofree char *host_key = NULL;
  g_autofree char *host_public = NULL;
  g_autofree char *other_host_key = NULL;
  g_autofree char *other_host_public = NULL;
  g_autofree char *authorized_keys = NULL;
  g_autofree char *client_public = NULL;
  g_autofree char *authorized_line = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *client_config = NULL;
  g_autofree char *client_ssh_dir = NULL;
  g_autofree char *client_home_config = NULL;
  struct passwd *pw;

  if (!can_run ())
    return NULL;

  pw = getpwuid (geteuid ());
  g_assert_nonnull (pw);
  g_assert_true (g_path_is_absolute (pw->pw_dir));

  sshd = g_new0 (UniTestSshd, 1);
  sshd->user = g_strdup (pw->pw_name);
  sshd->home = g_strdup (pw->pw_dir);
  sshd->root = g_build_filename (g_get_tmp_dir (), "unistudio-sshd-XXXXXX", NULL);
  g_assert_nonnull (g_mkdtemp (sshd->root));
  assert_plain (sshd->root);

  /* sshd refuses to start without its privilege separation folder, which
   * only exists on systems that have run the sshd service.
   */
  g_assert_cmpint (g_mkdir_with_parents (PRIVSEP_DIR, 0755), ==, 0);

  server_dir = make_dir (sshd->root, "server");
  client_dir = make_dir (sshd->root, "client");
  sshd->remote_home = make_dir (sshd->root, "remote-home");
  sshd->client_home = make_dir (sshd->root, "client-home");
  sshd->state_dir = make_dir (sshd->root, "state");
  sshd->log_file = g_build_filename (server_dir, "sshd.log", NULL);

  host_key = g_build_filename (server_dir, "ssh_host_ed25519_key", NULL);
  other_host_key = g_build_filename (server_dir, "other_host_ed25519_key", NULL);
  sshd->identity = g_build_filename (client_dir, "id_ed25519", NULL);
  sshd->unauthorized_identity = g_build_filename (client_dir, "unauthorized_ed25519", NULL);
  keygen (host_key, "unistudio test host");
  keygen (other_host_key, "unistudio test other host");
  keygen (sshd->identity, "unistudio test client");
  keygen (sshd->unauthorized_identity, "unistudio test unauthorized client");

  host_public = read_public_key (host_key);
  other_host_public = read_public_key (other_host_key);
  client_public = read_public_key (sshd->identity);
  authorized_keys = g_build_filename (server_dir, "authorized_keys", NULL);
  authorized_line = g_strconcat (client_public, "\n", NULL);
  write_text (authorized_keys, authorized_line);

  sshd->refused = bind_without_listening (&sshd->refused_port);
  config_path = g_build_filename (server_dir, "sshd_config", NULL);

  for (guint attempt = 1; ; attempt++)
    {
      g_autofree char *config = NULL;
      g_autofree char *log = NULL;
      guint tick;
      gboolean ready;

      sshd->port = uni_test_pick_free_port ();
      config = build_server_config (sshd, opts, host_key, authorized_keys);
      write_text (config_path, config);
      launch (sshd, config_path);

      /* A file growing wakes no main loop: look again every POLL_MS. */
      tick = g_timeout_add (POLL_MS, tick_cb, NULL);
      ready = uni_test_wait_for (is_listening_or_exited, sshd, WAIT_MS);
      g_source_remove (tick);

      if (ready && !sshd->exited)
        break;

      kill_server (sshd);
      log = uni_test_sshd_dup_log (sshd);

      if (log != NULL && strstr (log, NO_HOME_MARK) != NULL)
        {
          g_autofree char *step = g_strdup (strstr (log, NO_HOME_MARK) + strlen (NO_HOME_MARK));
          g_autofree char *reason = g_strdup_printf ("the test sshd needs a private mount "
                                                     "namespace; failed at: %s", g_strstrip (step));

          g_test_skip (reason);
          remove_root (sshd);
          free_sshd (sshd);
          return NULL;
        }

      if (log != NULL && strstr (log, "Address already in use") != NULL && attempt < MAX_ATTEMPTS)
        continue;

      g_printerr ("# sshd did not start listening on port %u:\n%s", sshd->port,
                  log != NULL ? log : "(no log)\n");
      g_assert_true (ready && !sshd->exited);
    }

  sshd->known_hosts = g_build_filename (client_dir, "known_hosts", NULL);
  sshd->known_hosts_changed = g_build_filename (client_dir, "known_hosts.changed", NULL);
  sshd->known_hosts_empty = g_build_filename (client_dir, "known_hosts.empty", NULL);
  write_known_hosts (sshd->known_hosts, sshd->port, host_public);
  write_known_hosts (sshd->known_hosts_changed, sshd->port, other_host_public);
  write_known_hosts (sshd->known_hosts_empty, sshd->port, NULL);

  client_config = build_client_config (sshd);
  sshd->config_file = g_build_filename (client_dir, "ssh_config", NULL);
  write_text (sshd->config_file, client_config);
  client_ssh_dir = make_dir (sshd->client_home, ".ssh");
  client_home_config = g_build_filename (client_ssh_dir, "config", NULL);
  write_text (client_home_config, client_config);

  return sshd;
}

/**
 * uni_test_sshd_stop:
 * @sshd: (transfer full) (nullable): a server
 *
 * Kills the server and every session still running under it, unmounts
 * the client home if uni_test_sshd_mount_client_home() mounted it, and
 * removes the temp folder with the keys, the homes and the state.
 */
void
uni_test_sshd_stop (UniTestSshd *sshd)
{
  if (sshd == NULL)
    return;

  kill_server (sshd);

  if (sshd->client_home_mounted)
    g_assert_cmpint (umount2 (sshd->home, MNT_DETACH), ==, 0);

  remove_root (sshd);
  free_sshd (sshd);
}

/**
 * uni_test_sshd_get_host:
 * @sshd: a server
 *
 * Returns: the address it listens on, "127.0.0.1"
 */
const char *
uni_test_sshd_get_host (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return LOOPBACK;
}

/**
 * uni_test_sshd_get_user:
 * @sshd: a server
 *
 * Returns: the user its clients log in as: the one running the test
 */
const char *
uni_test_sshd_get_user (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return sshd->user;
}

/**
 * uni_test_sshd_get_port:
 * @sshd: a server
 *
 * Returns: the port it listens on
 */
guint
uni_test_sshd_get_port (UniTestSshd *sshd)
{
  return uni_test_sshd_get_client_port (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
}

/**
 * uni_test_sshd_get_identity_file:
 * @sshd: a server
 *
 * Returns: the private key it authorizes (its .pub sits next to it)
 */
const char *
uni_test_sshd_get_identity_file (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return sshd->identity;
}

/**
 * uni_test_sshd_get_known_hosts_file:
 * @sshd: a server
 *
 * Returns: a known_hosts file holding its host key for "[127.0.0.1]:PORT"
 */
const char *
uni_test_sshd_get_known_hosts_file (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return sshd->known_hosts;
}

/**
 * uni_test_sshd_get_config_file:
 * @sshd: a server
 *
 * An ssh_config with `Host` %UNI_TEST_SSHD_ALIAS: HostName 127.0.0.1, the
 * port, the user, the authorized key and the known_hosts file, for
 * `ssh -F FILE unistudio-test-board`. The same text is the client home's
 * ~/.ssh/config, see uni_test_sshd_mount_client_home().
 *
 * Returns: its path
 */
const char *
uni_test_sshd_get_config_file (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return sshd->config_file;
}

/**
 * uni_test_sshd_get_remote_home:
 * @sshd: a server
 *
 * The sessions' home, seen from the test: sessions find it at the
 * user's real home path (`pwd` says /root), so `~/x` and relative scp
 * targets land here.
 *
 * Returns: its path
 */
const char *
uni_test_sshd_get_remote_home (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return sshd->remote_home;
}

/**
 * uni_test_sshd_get_state_dir:
 * @sshd: a server
 *
 * Returns: the empty folder the sessions find in the state variable
 *   (%UNI_TEST_SSHD_STATE_VARIABLE unless the options named another)
 */
const char *
uni_test_sshd_get_state_dir (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);

  return sshd->state_dir;
}

/**
 * uni_test_sshd_dup_log:
 * @sshd: a server
 *
 * What sshd logged so far: "Server listening on ...", "Accepted
 * publickey for ...", "Connection closed by authenticating user ...".
 *
 * Returns: (transfer full) (nullable): the log
 */
char *
uni_test_sshd_dup_log (UniTestSshd *sshd)
{
  char *contents = NULL;

  g_assert_nonnull (sshd);

  if (!g_file_get_contents (sshd->log_file, &contents, NULL, NULL))
    return NULL;

  return contents;
}

/**
 * uni_test_sshd_get_client_port:
 * @sshd: a server
 * @client: which client
 *
 * Returns: the port @client connects to: the server's, or for
 *   %UNI_TEST_SSHD_CLIENT_REFUSED one nothing listens on
 */
guint
uni_test_sshd_get_client_port (UniTestSshd       *sshd,
                               UniTestSshdClient  client)
{
  g_assert_nonnull (sshd);

  return client == UNI_TEST_SSHD_CLIENT_REFUSED ? sshd->refused_port : sshd->port;
}

/**
 * uni_test_sshd_dup_client_options:
 * @sshd: a server
 * @client: which client
 *
 * The "KEY=VALUE" options that make OpenSSH's ssh or scp @client of this
 * server, each for one `-o` (or one `--ssh-option`): UserKnownHostsFile,
 * IdentityFile, IdentitiesOnly=yes, BatchMode=yes, StrictHostKeyChecking=yes,
 * GlobalKnownHostsFile=/dev/null, LogLevel=ERROR. The port is apart:
 * uni_test_sshd_get_client_port().
 *
 * Returns: (transfer full): a %NULL-terminated array
 */
char **
uni_test_sshd_dup_client_options (UniTestSshd       *sshd,
                                  UniTestSshdClient  client)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *known_hosts_option = NULL;
  g_autofree char *identity_option = NULL;
  const char *known_hosts;
  const char *identity;

  g_assert_nonnull (sshd);

  known_hosts = client == UNI_TEST_SSHD_CLIENT_UNKNOWN_HOST ? sshd->known_hosts_empty
              : client == UNI_TEST_SSHD_CLIENT_CHANGED_HOST_KEY ? sshd->known_hosts_changed
              : sshd->known_hosts;
  identity = client == UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY ? sshd->unauthorized_identity
           : sshd->identity;

  known_hosts_option = g_strconcat ("UserKnownHostsFile=", known_hosts, NULL);
  identity_option = g_strconcat ("IdentityFile=", identity, NULL);
  g_strv_builder_add (builder, known_hosts_option);
  g_strv_builder_add (builder, identity_option);
  g_strv_builder_add (builder, "IdentitiesOnly=yes");
  g_strv_builder_add (builder, "BatchMode=yes");
  g_strv_builder_add (builder, "StrictHostKeyChecking=yes");
  g_strv_builder_add (builder, "GlobalKnownHostsFile=/dev/null");
  g_strv_builder_add (builder, "LogLevel=ERROR");

  return g_strv_builder_end (builder);
}

/**
 * uni_test_sshd_dup_ssh_options:
 * @sshd: a server
 *
 * uni_test_sshd_dup_client_options() for %UNI_TEST_SSHD_CLIENT_GOOD.
 *
 * Returns: (transfer full): a %NULL-terminated array of "KEY=VALUE"
 */
char **
uni_test_sshd_dup_ssh_options (UniTestSshd *sshd)
{
  return uni_test_sshd_dup_client_options (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
}

/**
 * uni_test_sshd_new_argv:
 * @sshd: a server
 * @client: which client
 * @program: "ssh", "scp" or "sftp"
 *
 * The start of a command line that runs @program as @client: `-F none`
 * (the machine's own ssh_config files stay out of the test), a `-o` per
 * client option, and the port (`-p` for ssh, `-P` for scp and sftp).
 * Append the destination and the rest, then %NULL, and spawn it.
 *
 * Returns: (transfer full): the arguments, freed with g_free()
 */
GPtrArray *
uni_test_sshd_new_argv (UniTestSshd       *sshd,
                        UniTestSshdClient  client,
                        const char        *program)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) options = uni_test_sshd_dup_client_options (sshd, client);
  g_autofree char *name = g_path_get_basename (program);

  g_assert_true (g_str_equal (name, "ssh") || g_str_equal (name, "scp")
                 || g_str_equal (name, "sftp"));

  g_ptr_array_add (argv, g_strdup (program));
  g_ptr_array_add (argv, g_strdup ("-F"));
  g_ptr_array_add (argv, g_strdup ("none"));
  for (guint i = 0; options[i] != NULL; i++)
    {
      g_ptr_array_add (argv, g_strdup ("-o"));
      g_ptr_array_add (argv, g_strdup (options[i]));
    }
  g_ptr_array_add (argv, g_strdup (g_str_equal (name, "ssh") ? "-p" : "-P"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", uni_test_sshd_get_client_port (sshd, client)));

  return g_steal_pointer (&argv);
}

static gboolean
has_own_mount_namespace (void)
{
  g_autofree char *parent_path = g_strdup_printf ("/proc/%d/ns/mnt", (int) getppid ());
  g_autofree char *own = g_file_read_link ("/proc/self/ns/mnt", NULL);
  g_autofree char *parents = g_file_read_link (parent_path, NULL);

  return own != NULL && parents != NULL && !g_str_equal (own, parents);
}

/**
 * uni_test_sshd_mount_client_home:
 * @sshd: a server
 *
 * Makes this test program's user home (the real /root, from which OpenSSH
 * reads ~/.ssh/config whatever $HOME says) a temp folder whose
 * .ssh/config names this server %UNI_TEST_SSHD_ALIAS, until
 * uni_test_sshd_stop(), so `ssh unistudio-test-board` works with no option
 * at all, as a user's alias would. Only inside the private mount namespace
 * uni_test_init() enters as root; otherwise the test is skipped.
 *
 * Returns: whether it is mounted; %FALSE: the test was marked skipped
 */
gboolean
uni_test_sshd_mount_client_home (UniTestSshd *sshd)
{
  g_assert_nonnull (sshd);
  g_assert_false (sshd->client_home_mounted);

  /* A mount in a namespace shared with the host would hide its real home. */
  if (!has_own_mount_namespace ())
    {
      g_test_skip ("no private mount namespace to give the client a home of its own in");
      return FALSE;
    }

  if (mount (sshd->client_home, sshd->home, NULL, MS_BIND, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("could not mount the client home on %s: %s",
                                                 sshd->home, g_strerror (errno));

      g_test_skip (reason);
      return FALSE;
    }

  sshd->client_home_mounted = TRUE;
  return TRUE;
}
