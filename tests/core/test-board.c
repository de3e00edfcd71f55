/* test-board.c — boards: plugins, profiles, their file, ssh commands and the status probe
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/utsname.h>

#include <glib/gstdio.h>

#include "uni-board.h"
#include "uni-board-private.h"
#include "uni-board-profiles.h"
#include "uni-plugins.h"
#include "uni-project-settings.h"
#include "uni-test-sshd.h"
#include "uni-test-util.h"
#include "uni-xl.h"

/* Bounds for what a real process does at once, never timed assertions;
 * above the probe's own limit, so a hung probe reports itself.
 */
#define WAIT_MS 60000

#define BOARDS_FILE "boards.ini"

/* -- helpers ----------------------------------------------------------- */

static UniBoard *
create_board (const char *type_id)
{
  g_autoptr(GError) error = NULL;
  UniBoard *board = uni_plugins_create_board (type_id, NULL, &error);

  g_assert_no_error (error);
  g_assert_true (UNI_IS_BOARD (board));

  return board;
}

static void
assert_strv (const char * const *actual,
             const char * const *expected)
{
  if (!g_strv_equal (actual, expected))
    {
      g_autofree char *a = g_strjoinv ("»«", (char **) actual);
      g_autofree char *e = g_strjoinv ("»«", (char **) expected);

      g_error ("argv differs:\n  got      «%s»\n  expected «%s»", a, e);
    }
}

/* A profile for the test server as @client: its address, port and user, and
 * the client's own ssh options (known_hosts, key); xl runs as root.
 */
static UniBoardProfile *
sshd_profile (UniTestSshd       *sshd,
              UniTestSshdClient  client)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("test board", "cubieboard2");
  g_auto(GStrv) options = uni_test_sshd_dup_client_options (sshd, client);

  uni_board_profile_set_host (profile, uni_test_sshd_get_host (sshd));
  uni_board_profile_set_port (profile, uni_test_sshd_get_client_port (sshd, client));
  uni_board_profile_set_user (profile, uni_test_sshd_get_user (sshd));
  uni_board_profile_set_ssh_options (profile, (const char * const *) options);
  uni_board_profile_set_xl_sudo (profile, FALSE);

  return g_steal_pointer (&profile);
}

static UniBoardStatus *
probe (UniBoardProfile  *profile,
       GCancellable     *cancellable,
       GError          **error)
{
  g_autoptr(UniBoard) board = create_board (uni_board_profile_get_board_type (profile));
  UniTestAsync async = { 0 };
  UniBoardStatus *status;

  uni_board_probe_async (board, profile, cancellable, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  status = uni_board_probe_finish (board, async.result, error);
  g_clear_object (&async.result);

  if (status != NULL)
    g_test_message ("state %d: %s\ndetail: %s", uni_board_status_get_state (status),
                    uni_board_status_get_message (status),
                    uni_board_status_get_detail (status));

  return status;
}

static UniBoardStatus *
probe_ok (UniBoardProfile *profile)
{
  g_autoptr(GError) error = NULL;
  UniBoardStatus *status = probe (profile, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (status);

  return status;
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* The bridges of this machine, which is also the test server's. */
static char **
dup_local_bridges (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GDir) dir = g_dir_open ("/sys/class/net", 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *bridge = g_build_filename ("/sys/class/net", name, "bridge", NULL);

      if (g_file_test (bridge, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (name));
    }

  /* The shell's glob sorts in the C locale, the tests run in C.UTF-8. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (names, i));

  return g_strv_builder_end (builder);
}

static void
assert_message_is_safe (UniBoardStatus *status)
{
  const char *message = uni_board_status_get_message (status);

  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  /* Never a way around host key checking. */
  g_assert_null (strstr (message, "StrictHostKeyChecking"));
  g_assert_null (strstr (message, "accept-new"));
  g_assert_null (strstr (message, "known_hosts"));
}

/* -- plugins ------------------------------------------------------------ */

typedef struct
{
  const char *name;
  const char *title;
  const char *arch;
  const char *target_id;
  const char *host;
  const char *user;
  gboolean    xl_sudo;
} BoardCase;

static const BoardCase board_cases[] = {
  { "cubieboard2", "Cubieboard2", "armv7", "xen-arm", "cubieboard2.local", "mirage", TRUE },
  { "xen-host", "Xen host (x86_64)", "x86_64", "xen", NULL, NULL, TRUE },
};

static void
test_board_plugin (gconstpointer data)
{
  const BoardCase *c = data;
  g_autoptr(UniBoard) board = create_board (c->name);
  g_autoptr(UniBoardProfile) profile = uni_board_new_profile (board, "mine");
  g_autofree char *resource = uni_board_dup_picture_resource (board);
  g_autoptr(GBytes) picture = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) types = uni_plugins_list_boards ();
  const char *svg;

  g_assert_true (g_strv_contains ((const char * const *) types, c->name));
  g_assert_cmpstr (uni_board_get_type_id (board), ==, c->name);
  g_assert_cmpstr (uni_board_get_title (board), ==, c->title);
  g_assert_cmpstr (uni_board_get_arch (board), ==, c->arch);
  g_assert_cmpstr (uni_board_get_target_id (board), ==, c->target_id);

  g_assert_cmpstr (uni_board_profile_get_name (profile), ==, "mine");
  g_assert_cmpstr (uni_board_profile_get_board_type (profile), ==, c->name);
  g_assert_cmpstr (uni_board_profile_get_host (profile), ==, c->host);
  g_assert_cmpstr (uni_board_profile_get_user (profile), ==, c->user);
  g_assert_cmpuint (uni_board_profile_get_port (profile), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) uni_board_profile_get_ssh_options (profile)), ==, 0);
  g_assert_null (uni_board_profile_get_remote_folder (profile));
  g_assert_null (uni_board_profile_get_bridge (profile));
  g_assert_true (uni_board_profile_get_xl_sudo (profile) == c->xl_sudo);

  /* The picture is in the program, with every state layer, each hidden
   * but the first, and it is well-formed XML.
   */
  g_assert_nonnull (resource);
  picture = g_resources_lookup_data (resource, 0, &error);
  g_assert_no_error (error);
  svg = g_bytes_get_data (picture, NULL);
  g_assert_nonnull (strstr (svg, "<svg"));
  g_assert_nonnull (strstr (svg, "id=\"" UNI_BOARD_LAYER_UNREACHABLE "\" display=\"inline\""));
  g_assert_nonnull (strstr (svg, "id=\"" UNI_BOARD_LAYER_REACHABLE "\" display=\"none\""));
  g_assert_nonnull (strstr (svg, "id=\"" UNI_BOARD_LAYER_XEN "\" display=\"none\""));
  g_assert_nonnull (strstr (svg, "id=\"" UNI_BOARD_LAYER_RUNNING "\" display=\"none\""));
  {
    g_autoptr(GMarkupParseContext) parser = NULL;
    static const GMarkupParser no_callbacks = { 0 };

    parser = g_markup_parse_context_new (&no_callbacks, 0, NULL, NULL);
    g_assert_true (g_markup_parse_context_parse (parser, svg, g_bytes_get_size (picture), &error));
    g_assert_true (g_markup_parse_context_end_parse (parser, &error));
    g_assert_no_error (error);
  }

  /* A profile with a host is accepted for its own type only. */
  uni_board_profile_set_host (profile, "board.example");
  g_clear_object (&board);
  board = uni_plugins_create_board (c->name, profile, &error);
  g_assert_no_error (error);
  g_assert_nonnull (board);
  g_clear_object (&board);
  board = uni_plugins_create_board (g_str_equal (c->name, "xen-host") ? "cubieboard2" : "xen-host",
                                    profile, &error);
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE);
  g_assert_null (board);
}

static void
test_board_unknown_type (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(UniBoard) board = uni_plugins_create_board ("raspberry-pi-9", NULL, &error);

  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE);
  g_assert_nonnull (strstr (error->message, "raspberry-pi-9"));
  g_assert_null (board);

  /* Build environments and boards are told apart. */
  g_clear_error (&error);
  board = uni_plugins_create_board ("remote", NULL, &error);
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE);
}

/* -- profile checks ----------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *profile_name;
  const char *host;
  const char *user;
  const char *option;
  const char *folder;
  const char *bridge;
  /* NULL: valid; otherwise a text the message must hold */
  const char *error_names;
} CheckCase;

#define GOOD_HOST "cubieboard2.local"

static const CheckCase check_cases[] = {
  { "good", "cubie", GOOD_HOST, "mirage", "IdentityFile=~/.ssh/board", "~/unistudio/x", "br0", NULL },
  { "hostile-but-valid", UNI_TEST_HOSTILE_NAME, "fe80::1%eth0", "mi$rage",
    "UserKnownHostsFile=/tmp/k;nown", "/srv/" UNI_TEST_HOSTILE_NAME " `x`", "xenbr0", NULL },
  { "test-server-options", "t", "127.0.0.1", NULL, "StrictHostKeyChecking=yes", NULL, NULL, NULL },
  { "batch-mode", "t", GOOD_HOST, NULL, "BatchMode=yes", NULL, NULL, NULL },
  { "known-hosts-dev-null", "t", GOOD_HOST, NULL, "GlobalKnownHostsFile=/dev/null", NULL, NULL,
    NULL },
  { "name-empty", "", GOOD_HOST, NULL, NULL, NULL, NULL, "name" },
  { "name-brackets", "a]b", GOOD_HOST, NULL, NULL, NULL, NULL, "a]b" },
  { "name-newline", "a\nb", GOOD_HOST, NULL, NULL, NULL, NULL, "a b" },
  { "name-leading-space", " cubie", GOOD_HOST, NULL, NULL, NULL, NULL, " cubie" },
  { "host-missing", "t", NULL, NULL, NULL, NULL, NULL, "no host" },
  { "host-option", "t", "-oProxyCommand=sh", NULL, NULL, NULL, NULL, "-oProxyCommand=sh" },
  { "host-space", "t", "cubie board", NULL, NULL, NULL, NULL, "cubie board" },
  { "host-with-user", "t", "root@cubie", NULL, NULL, NULL, NULL, "root@cubie" },
  { "user-option", "t", GOOD_HOST, "-F/tmp/x", NULL, NULL, NULL, "-F/tmp/x" },
  { "user-space", "t", GOOD_HOST, "a b", NULL, NULL, NULL, "a b" },
  { "option-proxy-command", "t", GOOD_HOST, NULL, "ProxyCommand=nc", NULL, NULL, "ProxyCommand" },
  { "option-local-command", "t", GOOD_HOST, NULL, "LocalCommand=touch", NULL, NULL,
    "LocalCommand" },
  { "option-no-host-key-check", "t", GOOD_HOST, NULL, "StrictHostKeyChecking=no", NULL, NULL,
    "StrictHostKeyChecking" },
  { "option-accept-new", "t", GOOD_HOST, NULL, "stricthostkeychecking=accept-new", NULL, NULL,
    "accept-new" },
  { "option-host-key-alias", "t", GOOD_HOST, NULL, "HostKeyAlias=other", NULL, NULL,
    "HostKeyAlias" },
  { "option-batch-mode-off", "t", GOOD_HOST, NULL, "BatchMode=no", NULL, NULL, "BatchMode" },
  { "option-no-equals", "t", GOOD_HOST, NULL, "Compression", NULL, NULL, "Keyword=value" },
  { "option-two-words", "t", GOOD_HOST, NULL, "IdentityFile=/a b", NULL, NULL, "/a b" },
  { "option-dash-value", "t", GOOD_HOST, NULL, "IdentityFile=-oProxyCommand=x", NULL, NULL,
    "-oProxyCommand=x" },
  { "option-quote", "t", GOOD_HOST, NULL, "IdentityFile=\"x", NULL, NULL, "\"x" },
  { "folder-empty", "t", GOOD_HOST, NULL, NULL, "", NULL, "folder" },
  { "folder-newline", "t", GOOD_HOST, NULL, NULL, "a\nb", NULL, "a b" },
  { "bridge-slash", "t", GOOD_HOST, NULL, NULL, NULL, "br0/x", "br0/x" },
  { "bridge-too-long", "t", GOOD_HOST, NULL, NULL, NULL, "bridge-of-sixteen", "bridge-of-sixteen" },
};

static void
test_profile_check (gconstpointer data)
{
  const CheckCase *c = data;
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new (c->profile_name, "cubieboard2");
  g_autoptr(GError) error = NULL;
  const char *options[] = { c->option, NULL };

  uni_board_profile_set_host (profile, c->host);
  uni_board_profile_set_user (profile, c->user);
  uni_board_profile_set_ssh_options (profile, options);
  uni_board_profile_set_remote_folder (profile, c->folder);
  uni_board_profile_set_bridge (profile, c->bridge);

  if (c->error_names == NULL)
    {
      g_assert_true (uni_board_profile_check (profile, &error));
      g_assert_no_error (error);
      return;
    }

  g_assert_false (uni_board_profile_check (profile, &error));
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, c->error_names));

  /* Nothing that cannot work reaches ssh. */
  {
    g_autoptr(UniBoard) board = create_board ("cubieboard2");
    static const char * const echo[] = { "echo", NULL };
    g_autoptr(UniRunContext) context = NULL;

    g_clear_error (&error);
    context = uni_board_build_command (board, profile, echo, FALSE, &error);
    g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE);
    g_assert_null (context);
  }
}

static void
test_profile_notify (void)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("cubie", "cubieboard2");
  g_autoptr(UniBoardProfile) copy = NULL;
  static const char * const options[] = { "Compression=yes", NULL };
  guint notified = 0;

  g_signal_connect_swapped (profile, "notify", G_CALLBACK (count_cb), &notified);

  uni_board_profile_set_host (profile, "a");
  uni_board_profile_set_host (profile, "a");
  uni_board_profile_set_port (profile, 2222);
  uni_board_profile_set_port (profile, 2222);
  uni_board_profile_set_ssh_options (profile, options);
  uni_board_profile_set_ssh_options (profile, options);
  uni_board_profile_set_xl_sudo (profile, TRUE);
  uni_board_profile_set_xl_sudo (profile, 7);
  g_assert_cmpuint (notified, ==, 4);

  copy = uni_board_profile_copy (profile);
  g_assert_true (uni_board_profile_equal (profile, copy));
  uni_board_profile_set_bridge (copy, "br0");
  g_assert_false (uni_board_profile_equal (profile, copy));
  g_assert_cmpuint (notified, ==, 4);
}

typedef struct
{
  const char         *name;
  gboolean            sudo;
  gboolean            interactive;
  const char * const  expected[6];
} XlArgvCase;

static const XlArgvCase xl_argv_cases[] = {
  { "root-polling", FALSE, FALSE, { "xl", "list", NULL } },
  { "root-interactive", FALSE, TRUE, { "xl", "list", NULL } },
  { "sudo-polling", TRUE, FALSE, { "sudo", "-n", "xl", "list", NULL } },
  { "sudo-interactive", TRUE, TRUE, { "sudo", "xl", "list", NULL } },
};

static void
test_profile_xl_argv (gconstpointer data)
{
  const XlArgvCase *c = data;
  static const char * const list[] = { "list", NULL };
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("cubie", "cubieboard2");
  g_auto(GStrv) argv = NULL;

  uni_board_profile_set_xl_sudo (profile, c->sudo);
  argv = uni_board_profile_dup_xl_argv (profile, list, c->interactive);
  assert_strv ((const char * const *) argv, c->expected);
}

static void
test_profile_remote_folder (void)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("cubie", "cubieboard2");
  g_autofree char *by_default = NULL;
  g_autofree char *set = NULL;

  by_default = uni_board_profile_dup_remote_folder (profile, UNI_TEST_HOSTILE_NAME);
  g_assert_cmpstr (by_default, ==, "~/unistudio/" UNI_TEST_HOSTILE_NAME);

  uni_board_profile_set_remote_folder (profile, "/srv/unikernels");
  set = uni_board_profile_dup_remote_folder (profile, "www");
  g_assert_cmpstr (set, ==, "/srv/unikernels");
}

/* -- commands ----------------------------------------------------------- */

typedef struct
{
  const char         *name;
  const char         *host;
  const char         *user;
  guint               port;
  const char * const  options[3];
  gboolean            sudo;
  gboolean            interactive;
  /* the xl command, or NULL for `echo hi` */
  const char * const  xl_args[4];
  const char         *cwd;
  const char * const  expected[20];
} CommandCase;

static const CommandCase command_cases[] = {
  {
    "cubieboard2-poll", "cubieboard2.local", "mirage", 0, { NULL }, TRUE, FALSE,
    { "list", NULL }, NULL,
    { "ssh", "-o", "BatchMode=yes", "-l", "mirage", "-o", "ConnectTimeout=10",
      "cubieboard2.local", "--", "exec 'sudo' '-n' 'xl' 'list'", NULL }
  },
  {
    "cubieboard2-console", "cubieboard2.local", "mirage", 2222,
    { "IdentityFile=~/.ssh/cubie", "ConnectTimeout=3", NULL }, TRUE, TRUE,
    { "create", "-c", "www.xl", NULL }, "~/unistudio/www",
    { "ssh", "-tt", "-p", "2222", "-l", "mirage", "-o", "IdentityFile=~/.ssh/cubie",
      "-o", "ConnectTimeout=3", "cubieboard2.local", "--",
      "cd -- ~/'unistudio/www' && exec 'sudo' 'xl' 'create' '-c' 'www.xl'", NULL }
  },
  {
    /* An alias from ~/.ssh/config: its port and user stay ssh's to choose. */
    "alias", "my-board", NULL, 0, { NULL }, FALSE, FALSE,
    { "info", NULL }, NULL,
    { "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "my-board", "--",
      "exec 'xl' 'info'", NULL }
  },
  {
    "hostile-folder-and-file", "192.168.1.7", "o'brien", 22, { NULL }, FALSE, TRUE,
    { "create", "-c", "my \"demo\" it's $HOME.xl", NULL }, "/srv/" UNI_TEST_HOSTILE_NAME,
    { "ssh", "-tt", "-p", "22", "-l", "o'brien", "192.168.1.7", "--",
      "cd -- '/srv/my \"demo\" it'\\''s $HOME' && exec 'xl' 'create' '-c' "
      "'my \"demo\" it'\\''s $HOME.xl'", NULL }
  },
  {
    "not-xl", "board", NULL, 0, { NULL }, TRUE, FALSE,
    { NULL }, "~",
    { "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "board", "--",
      "cd -- ~ && exec 'echo' 'hi; rm -rf ~'", NULL }
  },
};

static void
test_command (gconstpointer data)
{
  const CommandCase *c = data;
  static const char * const echo[] = { "echo", "hi; rm -rf ~", NULL };
  g_autoptr(UniBoard) board = create_board ("cubieboard2");
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("cubie", "cubieboard2");
  g_autoptr(UniRunContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) on_board = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) env = NULL;
  g_autofree char *cwd = NULL;

  uni_board_profile_set_host (profile, c->host);
  uni_board_profile_set_user (profile, c->user);
  uni_board_profile_set_port (profile, c->port);
  uni_board_profile_set_ssh_options (profile, c->options);
  uni_board_profile_set_xl_sudo (profile, c->sudo);

  on_board = c->xl_args[0] != NULL
             ? uni_board_profile_dup_xl_argv (profile, c->xl_args, c->interactive)
             : g_strdupv ((char **) echo);
  context = uni_board_build_command (board, profile, (const char * const *) on_board,
                                     c->interactive, &error);
  g_assert_no_error (error);
  if (c->cwd != NULL)
    uni_run_context_set_cwd (context, c->cwd);

  g_assert_true (uni_run_context_build (context, &argv, &env, &cwd, &error));
  g_assert_no_error (error);
  assert_strv ((const char * const *) argv, c->expected);
  g_assert_cmpuint (g_strv_length (env), ==, 0);
  /* The folder is the board's, never a local one. */
  g_assert_null (cwd);
}

/* The composed command really runs, through a real shell, as one argv. */
static void
test_command_runs (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(UniBoard) board = create_board ("cubieboard2");
  g_autoptr(UniRunContext) context = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_auto(GStrv) argv = NULL;
  const char * const on_board[] = { "printf", "%s|%s\\n", UNI_TEST_HOSTILE_NAME, "a;b `c`", NULL };

  if (sshd == NULL)
    return;

  profile = sshd_profile (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
  folder = g_build_filename (uni_test_sshd_get_remote_home (sshd), UNI_TEST_HOSTILE_NAME, NULL);
  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);

  context = uni_board_build_command (board, profile, on_board, FALSE, &error);
  g_assert_no_error (error);
  uni_run_context_set_cwd (context, "~/" UNI_TEST_HOSTILE_NAME);
  launcher = uni_run_context_create_launcher (context, &argv, &error);
  g_assert_no_error (error);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  expected = g_strdup_printf ("%s|%s\n", UNI_TEST_HOSTILE_NAME, "a;b `c`");
  g_assert_cmpstr (out, ==, expected);
}

/* -- the profiles file -------------------------------------------------- */

static GFile *
boards_file (GFile *dir)
{
  return g_file_get_child (dir, BOARDS_FILE);
}

static void
load_profiles (UniBoardProfiles  *profiles,
               GError           **error)
{
  UniTestAsync async = { 0 };

  uni_board_profiles_load_async (profiles, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  uni_board_profiles_load_finish (profiles, async.result, error);
  g_clear_object (&async.result);
}

static gboolean
save_profiles (UniBoardProfiles  *profiles,
               GError           **error)
{
  UniTestAsync async = { 0 };
  gboolean saved;

  uni_board_profiles_save_async (profiles, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, WAIT_MS));
  saved = uni_board_profiles_save_finish (profiles, async.result, error);
  g_clear_object (&async.result);

  return saved;
}

static UniBoardProfile *
hostile_profile (void)
{
  static const char * const options[] = {
    "IdentityFile=/home/me/keys;with;semicolons",
    "UserKnownHostsFile=~/.ssh/known_hosts_boards",
    "ConnectTimeout=5",
    NULL
  };
  UniBoardProfile *profile = uni_board_profile_new (UNI_TEST_HOSTILE_NAME " = #1", "xen-host");

  uni_board_profile_set_host (profile, "xen.example");
  uni_board_profile_set_user (profile, "o'brien");
  uni_board_profile_set_port (profile, 2222);
  uni_board_profile_set_ssh_options (profile, options);
  uni_board_profile_set_remote_folder (profile, "  /srv/" UNI_TEST_HOSTILE_NAME "\\n; `x` ");
  uni_board_profile_set_xl_sudo (profile, FALSE);
  uni_board_profile_set_bridge (profile, "xenbr0");

  return profile;
}

static void
test_profiles_round_trip (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("config");
  g_autoptr(GFile) file = NULL;
  g_autoptr(UniBoardProfiles) profiles = NULL;
  g_autoptr(UniBoardProfiles) again = NULL;
  g_autoptr(UniBoardProfile) cubie = NULL;
  g_autoptr(UniBoardProfile) hostile = hostile_profile ();
  g_autoptr(UniBoard) board = create_board ("cubieboard2");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) nested = NULL;
  g_auto(GStrv) problems = NULL;

  /* The folders do not exist yet: the first save makes them. */
  nested = g_file_resolve_relative_path (dir, "unistudio");
  file = boards_file (nested);
  profiles = uni_board_profiles_new (file);
  load_profiles (profiles, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (profiles)), ==, 0);

  cubie = uni_board_new_profile (board, "Cubie on the desk");
  g_assert_true (uni_board_profiles_add (profiles, cubie, &error));
  g_assert_true (uni_board_profiles_add (profiles, hostile, &error));
  g_assert_no_error (error);
  g_assert_true (save_profiles (profiles, &error));
  g_assert_no_error (error);

  again = uni_board_profiles_new (file);
  load_profiles (again, &error);
  g_assert_no_error (error);
  problems = uni_board_profiles_dup_problems (again);
  g_assert_cmpuint (g_strv_length (problems), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(UniBoardProfile) loaded = g_list_model_get_item (G_LIST_MODEL (again), i);
      UniBoardProfile *saved = i == 0 ? cubie : hostile;

      g_assert_true (uni_board_profile_equal (loaded, saved));
      g_assert_true (uni_board_profiles_find (again, uni_board_profile_get_name (saved)) != NULL);
    }

  /* A second board of the same name is refused. */
  {
    g_autoptr(UniBoardProfile) twin = uni_board_new_profile (board, "Cubie on the desk");

    g_assert_false (uni_board_profiles_add (again, twin, &error));
    g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_EXISTS);
    g_clear_error (&error);
  }

  /* Replacing: renamed in place, never onto another board's name, never a missing one. */
  {
    g_autoptr(UniBoardProfile) renamed = uni_board_new_profile (board, "Desk board");
    g_autoptr(UniBoardProfile) clash = uni_board_new_profile (board,
                                                              uni_board_profile_get_name (hostile));
    g_autoptr(UniBoardProfile) first = NULL;

    uni_board_profile_set_port (renamed, 2200);
    g_assert_false (uni_board_profiles_replace (again, "Cubie on the desk", clash, &error));
    g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_false (uni_board_profiles_replace (again, "No such board", renamed, &error));
    g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_FAILED);
    g_clear_error (&error);

    g_assert_true (uni_board_profiles_replace (again, "Cubie on the desk", renamed, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
    g_assert_null (uni_board_profiles_find (again, "Cubie on the desk"));
    first = g_list_model_get_item (G_LIST_MODEL (again), 0);
    g_assert_true (uni_board_profile_equal (first, renamed));
    g_assert_true (save_profiles (again, &error));
    g_assert_no_error (error);
  }
}

/* The user's edits to the file survive: comments, foreign groups, unknown
 * keys and groups that are not valid boards; removed and renamed boards
 * leave.
 */
static void
test_profiles_keep_the_file (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("config");
  g_autoptr(GFile) file = boards_file (dir);
  g_autoptr(UniBoardProfiles) profiles = uni_board_profiles_new (file);
  g_autoptr(UniBoardProfiles) again = uni_board_profiles_new (file);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) problems = NULL;
  g_autofree char *text = NULL;
  UniBoardProfile *desk;

  uni_test_write_file (dir, BOARDS_FILE,
                       "# my boards\n"
                       "[Other]\n"
                       "note=keep me\n"
                       "\n"
                       "[Board desk]\n"
                       "# the one on the desk\n"
                       "type=cubieboard2\n"
                       "host=cubieboard2.local\n"
                       "user=mirage\n"
                       "xl-sudo=true\n"
                       "colour=blue\n"
                       "\n"
                       "[Board broken]\n"
                       "type=cubieboard2\n"
                       "host=cubie\n"
                       "port=abc\n"
                       "\n"
                       "[Board old name]\n"
                       "type=xen-host\n"
                       "host=xen.example\n"
                       "\n"
                       "[Board gone]\n"
                       "type=xen-host\n"
                       "host=xen.example\n");

  load_profiles (profiles, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (profiles)), ==, 3);
  problems = uni_board_profiles_dup_problems (profiles);
  g_assert_cmpuint (g_strv_length (problems), ==, 1);
  g_assert_nonnull (strstr (problems[0], "[Board broken]"));
  g_assert_nonnull (strstr (problems[0], "port=abc"));

  /* A group that could not be read still holds its name. */
  {
    g_autoptr(UniBoardProfile) clash = uni_board_profile_new ("broken", "cubieboard2");

    uni_board_profile_set_host (clash, "other");
    g_assert_false (uni_board_profiles_add (profiles, clash, &error));
    g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_EXISTS);
    g_clear_error (&error);
  }

  desk = uni_board_profiles_find (profiles, "desk");
  g_assert_nonnull (desk);
  uni_board_profile_set_port (desk, 2200);
  uni_board_profile_set_user (desk, NULL);
  uni_board_profile_set_name (uni_board_profiles_find (profiles, "old name"), "new name");
  g_assert_true (uni_board_profiles_remove (profiles, "gone"));
  g_assert_false (uni_board_profiles_remove (profiles, "gone"));
  g_assert_true (save_profiles (profiles, &error));
  g_assert_no_error (error);

  text = uni_test_read_file (file);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "# my boards\n"));
  g_assert_nonnull (strstr (text, "[Other]\nnote=keep me\n"));
  {
    const char *start = strstr (text, "[Board desk]\n");
    const char *end = start != NULL ? strstr (start, "[Board broken]") : NULL;
    g_autofree char *group = NULL;

    g_assert_nonnull (end);
    group = g_strndup (start, end - start);
    g_assert_true (g_str_has_prefix (group, "[Board desk]\n# the one on the desk\n"
                                            "type=cubieboard2\nhost=cubieboard2.local\n"
                                            "xl-sudo=true\ncolour=blue\n"));
    g_assert_nonnull (strstr (group, "\nport=2200\n"));
    g_assert_null (strstr (group, "user="));
  }
  g_assert_nonnull (strstr (text, "[Board broken]\ntype=cubieboard2\nhost=cubie\nport=abc\n"));
  g_assert_null (strstr (text, "[Board gone]"));
  g_assert_null (strstr (text, "[Board old name]"));
  g_assert_nonnull (strstr (text, "[Board new name]\ntype=xen-host\nhost=xen.example\n"));

  /* Saved again unchanged, it reads back the same. */
  load_profiles (again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 2);
  g_assert_true (uni_board_profile_equal (uni_board_profiles_find (again, "desk"), desk));
}

static void
test_profiles_unreadable (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("config");
  g_autoptr(GFile) file = boards_file (dir);
  g_autoptr(UniBoardProfiles) profiles = uni_board_profiles_new (file);
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("new", "cubieboard2");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  static const char *not_ini = "this is [not a key file\n\x01\x02";

  uni_test_write_file (dir, BOARDS_FILE, not_ini);
  load_profiles (profiles, &error);
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, BOARDS_FILE));
  g_clear_error (&error);

  uni_board_profile_set_host (profile, "cubie");
  g_assert_true (uni_board_profiles_add (profiles, profile, &error));
  g_assert_false (save_profiles (profiles, &error));
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNREADABLE);

  text = uni_test_read_file (file);
  g_assert_cmpstr (text, ==, not_ini);
}

static void
test_profiles_changed_on_disk (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("config");
  g_autoptr(GFile) file = boards_file (dir);
  g_autoptr(UniBoardProfiles) profiles = uni_board_profiles_new (file);
  g_autoptr(UniBoardProfiles) unloaded = uni_board_profiles_new (file);
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("new", "cubieboard2");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  static const char *theirs = "[Board theirs]\ntype=xen-host\nhost=x\n";

  load_profiles (profiles, &error);
  g_assert_no_error (error);
  uni_test_write_file (dir, BOARDS_FILE, theirs);

  uni_board_profile_set_host (profile, "cubie");
  g_assert_true (uni_board_profiles_add (profiles, profile, &error));
  g_assert_false (save_profiles (profiles, &error));
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_CHANGED_ON_DISK);
  g_clear_error (&error);
  text = uni_test_read_file (file);
  g_assert_cmpstr (text, ==, theirs);

  /* Never loaded: it does not know the file, so it does not write over it. */
  g_assert_false (save_profiles (unloaded, &error));
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_CHANGED_ON_DISK);
  g_clear_pointer (&text, g_free);
  text = uni_test_read_file (file);
  g_assert_cmpstr (text, ==, theirs);
}

static void
test_profiles_invalid_not_saved (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("config");
  g_autoptr(GFile) file = boards_file (dir);
  g_autoptr(UniBoardProfiles) profiles = uni_board_profiles_new (file);
  g_autoptr(UniBoardProfile) good = uni_board_profile_new ("good", "cubieboard2");
  g_autoptr(GError) error = NULL;

  load_profiles (profiles, &error);
  g_assert_no_error (error);
  uni_board_profile_set_host (good, "cubie");
  g_assert_true (uni_board_profiles_add (profiles, good, &error));

  /* Edited after it was added: a save checks every profile first. */
  uni_board_profile_set_host (good, "-oProxyCommand=evil");
  g_assert_false (save_profiles (profiles, &error));
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE);
  g_assert_false (g_file_query_exists (file, NULL));
}

static void
test_profiles_read_only (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("config");
  g_autoptr(GFile) file = boards_file (dir);
  g_autoptr(UniBoardProfiles) profiles = uni_board_profiles_new (file);
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("new", "cubieboard2");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *path = g_file_get_path (file);
  static const char *before = "# mine\n[Board old]\ntype=xen-host\nhost=x\n";

  uni_test_write_file (dir, BOARDS_FILE, before);
  load_profiles (profiles, &error);
  g_assert_no_error (error);
  if (!uni_test_make_read_only (dir))
    return;

  uni_board_profile_set_host (profile, "cubie");
  g_assert_true (uni_board_profiles_add (profiles, profile, &error));
  g_assert_false (save_profiles (profiles, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));

  text = uni_test_read_file (file);
  g_assert_cmpstr (text, ==, before);
}

static void
test_profiles_default_file (void)
{
  g_autoptr(GFile) file = uni_board_profiles_dup_default_file ();
  g_autoptr(UniBoardProfiles) profiles = uni_board_profiles_new (NULL);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *expected = g_build_filename (g_get_user_config_dir (), "unistudio",
                                                "boards.ini", NULL);

  g_assert_cmpstr (path, ==, expected);
  g_assert_true (g_file_equal (uni_board_profiles_get_file (profiles), file));
}

/* -- the project remembers its board ----------------------------------- */

static void
test_project_board (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(UniProjectSettings) again = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *board = NULL;
  guint changed = 0;

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (uni_project_settings_dup_board (settings));
  g_signal_connect_swapped (settings, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_false (uni_project_settings_set_board (settings, ""));
  g_assert_false (uni_project_settings_set_board (settings, "a\nb"));
  g_assert_cmpuint (changed, ==, 0);
  g_assert_true (uni_project_settings_set_board (settings, UNI_TEST_HOSTILE_NAME " = #1"));
  g_assert_true (uni_project_settings_set_board (settings, UNI_TEST_HOSTILE_NAME " = #1"));
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (uni_project_settings_load (again, NULL, &error));
  g_assert_no_error (error);
  board = uni_project_settings_dup_board (again);
  g_assert_cmpstr (board, ==, UNI_TEST_HOSTILE_NAME " = #1");

  g_assert_true (uni_project_settings_set_board (again, NULL));
  g_assert_null (uni_project_settings_dup_board (again));
}

/* -- the probe, against the real test server ----------------------------- */

typedef struct
{
  const char         *name;
  const char * const  environment[3];
  const char         *xen_version;
  gint64              total_mib;
  gint64              free_mib;
} ProbeOkCase;

static const ProbeOkCase probe_ok_cases[] = {
  { "xen-4.4-armv7l", { NULL }, "4.4.0", 1024, 512 },
  { "xen-4.17-x86_64", { "UNISTUDIO_FAKE_XEN_VERSION=4.17.2", "UNISTUDIO_FAKE_XL_MACHINE=x86_64",
                         NULL }, "4.17.2", 8192, 7168 },
};

static void
test_probe_ok (gconstpointer data)
{
  const ProbeOkCase *c = data;
  const UniTestSshdOptions opts = { .environment = c->environment };
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (&opts);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(UniBoardStatus) status = NULL;
  g_auto(GStrv) bridges = NULL;
  const UniXlDomain *dom0;
  struct utsname machine;
  GPtrArray *domains;

  if (sshd == NULL)
    return;

  profile = sshd_profile (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
  status = probe_ok (profile);

  g_assert_cmpint (uni_board_status_get_state (status), ==, UNI_BOARD_STATE_OK);
  g_assert_true (uni_board_status_get_logged_in (status));
  g_assert_cmpstr (uni_board_status_get_xen_version (status), ==, c->xen_version);
  g_assert_cmpint (uni_board_status_get_total_memory_mib (status), ==, c->total_mib);
  g_assert_cmpint (uni_board_status_get_free_memory_mib (status), ==, c->free_mib);
  g_assert_nonnull (strstr (uni_board_status_get_message (status), c->xen_version));
  g_assert_null (uni_board_status_get_detail (status));

  domains = uni_board_status_get_domains (status);
  g_assert_cmpuint (domains->len, ==, 1);
  dom0 = g_ptr_array_index (domains, 0);
  g_assert_cmpstr (dom0->name, ==, "Domain-0");
  g_assert_cmpuint (dom0->id, ==, 0);
  g_assert_cmpstr (dom0->state, ==, "r-----");
  g_assert_true (uni_board_status_has_domain (status, "Domain-0", NULL));
  g_assert_false (uni_board_status_has_domain (status, "www", NULL));

  /* The server is this machine: same machine name, same bridges. */
  g_assert_cmpint (uname (&machine), ==, 0);
  g_assert_cmpstr (uni_board_status_get_machine (status), ==, machine.machine);
  bridges = dup_local_bridges ();
  assert_strv (uni_board_status_get_bridges (status), (const char * const *) bridges);

  g_assert_cmpstr (uni_board_status_get_picture_layer (status, "www"), ==, UNI_BOARD_LAYER_XEN);
  g_assert_cmpstr (uni_board_status_get_picture_layer (status, NULL), ==, UNI_BOARD_LAYER_XEN);
}

/* A host that is only an alias in ~/.ssh/config, given as it is. */
static void
test_probe_alias (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("alias", "cubieboard2");
  g_autoptr(UniBoardStatus) status = NULL;

  if (sshd == NULL || !uni_test_sshd_mount_client_home (sshd))
    return;

  uni_board_profile_set_host (profile, UNI_TEST_SSHD_ALIAS);
  status = probe_ok (profile);
  g_assert_cmpint (uni_board_status_get_state (status), ==, UNI_BOARD_STATE_OK);
}

typedef struct
{
  const char        *name;
  UniTestSshdClient  client;
  UniBoardState      state;
  const char        *layer;
  /* what ssh said, kept as the detail */
  const char        *ssh_says;
} ProbeFailureCase;

static const ProbeFailureCase probe_failure_cases[] = {
  { "host-key-unknown", UNI_TEST_SSHD_CLIENT_UNKNOWN_HOST, UNI_BOARD_STATE_HOST_KEY_UNKNOWN,
    UNI_BOARD_LAYER_REACHABLE, "Host key verification failed." },
  { "host-key-changed", UNI_TEST_SSHD_CLIENT_CHANGED_HOST_KEY, UNI_BOARD_STATE_HOST_KEY_CHANGED,
    UNI_BOARD_LAYER_REACHABLE, "REMOTE HOST IDENTIFICATION HAS CHANGED" },
  { "auth-failed", UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY, UNI_BOARD_STATE_AUTH_FAILED,
    UNI_BOARD_LAYER_REACHABLE, "Permission denied (publickey)" },
  { "refused", UNI_TEST_SSHD_CLIENT_REFUSED, UNI_BOARD_STATE_REFUSED,
    UNI_BOARD_LAYER_UNREACHABLE, "Connection refused" },
};

static void
test_probe_failure (gconstpointer data)
{
  const ProbeFailureCase *c = data;
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(UniBoardStatus) status = NULL;

  if (sshd == NULL)
    return;

  profile = sshd_profile (sshd, c->client);
  status = probe_ok (profile);

  g_assert_cmpint (uni_board_status_get_state (status), ==, c->state);
  g_assert_false (uni_board_status_get_logged_in (status));
  g_assert_nonnull (strstr (uni_board_status_get_detail (status), c->ssh_says));
  g_assert_cmpstr (uni_board_status_get_picture_layer (status, NULL), ==, c->layer);
  g_assert_cmpuint (uni_board_status_get_domains (status)->len, ==, 0);
  assert_message_is_safe (status);
}

static void
test_probe_unknown_host (void)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("nowhere", "cubieboard2");
  g_autoptr(UniBoardStatus) status = NULL;

  /* .invalid never resolves (RFC 2606). */
  uni_board_profile_set_host (profile, "unistudio-no-such-board.invalid");
  status = probe_ok (profile);

  g_assert_cmpint (uni_board_status_get_state (status), ==, UNI_BOARD_STATE_UNKNOWN_HOST);
  g_assert_nonnull (strstr (uni_board_status_get_message (status),
                            "unistudio-no-such-board.invalid"));
  g_assert_nonnull (strstr (uni_board_status_get_detail (status), "Could not resolve hostname"));
  g_assert_cmpstr (uni_board_status_get_picture_layer (status, NULL), ==,
                   UNI_BOARD_LAYER_UNREACHABLE);
}

typedef struct
{
  const char         *name;
  /* remote PATH folders first; NULL: tests/fixtures */
  gboolean            no_fixtures;
  const char * const  environment[2];
  gboolean            sudo;
  UniBoardState       state;
  const char         *detail_has;
} ProbeBoardCase;

static const ProbeBoardCase probe_board_cases[] = {
  { "xl-missing", TRUE, { NULL }, FALSE, UNI_BOARD_STATE_XL_MISSING, "xl" },
  { "xen-not-running", FALSE, { "UNISTUDIO_FAKE_XL_NO_XEN=1", NULL }, FALSE,
    UNI_BOARD_STATE_XEN_NOT_RUNNING, "cannot init xl context" },
  { "sudo-missing", FALSE, { NULL }, TRUE, UNI_BOARD_STATE_SUDO_MISSING, "sudo" },
};

static void
test_probe_board (gconstpointer data)
{
  const ProbeBoardCase *c = data;
  static const char * const no_folders[] = { NULL };
  const UniTestSshdOptions opts = {
    .path_prepend = c->no_fixtures ? no_folders : NULL,
    .environment = c->environment,
  };
  g_autoptr(UniTestSshd) sshd = NULL;
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(UniBoardStatus) status = NULL;
  g_autofree char *sudo = g_find_program_in_path ("sudo");

  /* Root with a real sudo would run xl, from sudo's own PATH. */
  if (c->sudo && sudo != NULL)
    {
      g_test_skip ("sudo is installed here: a board without sudo cannot be staged");
      return;
    }

  sshd = uni_test_sshd_start (&opts);
  if (sshd == NULL)
    return;

  profile = sshd_profile (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
  uni_board_profile_set_xl_sudo (profile, c->sudo);
  status = probe_ok (profile);

  g_assert_cmpint (uni_board_status_get_state (status), ==, c->state);
  g_assert_true (uni_board_status_get_logged_in (status));
  g_assert_nonnull (strstr (uni_board_status_get_detail (status), c->detail_has));
  g_assert_cmpstr (uni_board_status_get_picture_layer (status, NULL), ==,
                   UNI_BOARD_LAYER_REACHABLE);
  assert_message_is_safe (status);
  /* Logged in all the same: the machine and bridges are known. */
  g_assert_nonnull (uni_board_status_get_machine (status));
}

static gboolean
hold_connection_cb (GSocketService    *service,
                    GSocketConnection *connection,
                    GObject           *source_object,
                    GPtrArray         *held)
{
  g_ptr_array_add (held, g_object_ref (connection));

  return TRUE;
}

/* A server that accepts the connection and never says a word: ssh gives up
 * at its connect timeout (the profile's own, short here), during the banner
 * exchange.
 */
static void
test_probe_silent_server (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("silent", "xen-host");
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  static const char * const options[] = { "ConnectTimeout=1", NULL };

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any_port, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (hold_connection_cb), held);
  g_socket_service_start (service);

  uni_board_profile_set_host (profile, "127.0.0.1");
  uni_board_profile_set_port (profile,
                              g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  uni_board_profile_set_ssh_options (profile, options);
  status = probe_ok (profile);

  g_assert_cmpuint (held->len, ==, 1);
  g_assert_cmpint (uni_board_status_get_state (status), ==, UNI_BOARD_STATE_TIMEOUT);
  g_assert_nonnull (strstr (uni_board_status_get_detail (status), "timed out"));
  g_assert_cmpstr (uni_board_status_get_picture_layer (status, NULL), ==,
                   UNI_BOARD_LAYER_UNREACHABLE);
  g_socket_service_stop (service);
}

static void
test_probe_invalid_profile (void)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("bad", "cubieboard2");
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  uni_board_profile_set_host (profile, "-oProxyCommand=touch /tmp/pwned");
  status = probe (profile, NULL, &error);
  g_assert_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE);
  g_assert_null (status);
}

static void
test_probe_cancelled (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  if (sshd == NULL)
    return;

  profile = sshd_profile (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
  g_cancellable_cancel (cancellable);
  status = probe (profile, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (status);
}

/* -- reading answers that cannot be staged here --------------------------- */

#define MARKER "unistudio-probe-0123456789abcdef"

/* What the probe's own script prints when the board's xl prints @xl_out and
 * @xl_err and exits @xl_status: the script runs here, in sh, with a
 * stand-in for the xl words that prints the captured text. Bridges are
 * whatever this machine has.
 */
static char *
run_script (const char *xl_out,
            const char *xl_err,
            int         xl_status)
{
  g_autofree char *fake = g_strdup_printf ("printf '%%s' \"$OUT\"; printf '%%s' \"$ERR\" >&2; "
                                           "exit %d", xl_status);
  const char * const prefix[] = { "sh", "-c", fake, "xl", NULL };
  g_auto(GStrv) argv = uni_board_probe_dup_argv (MARKER, prefix);
  g_auto(GStrv) env = g_get_environ ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int wait_status = 0;

  env = g_environ_setenv (env, "OUT", xl_out, TRUE);
  env = g_environ_setenv (env, "ERR", xl_err, TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (wait_status, NULL));

  return out;
}

typedef struct
{
  const char    *name;
  gboolean       sudo;
  int            ssh_status;
  /* with @ssh_status 255: what ssh printed; otherwise xl's text */
  const char    *xl_out;
  const char    *xl_err;
  int            xl_status;
  UniBoardState  state;
} CapturedCase;

#define STAND_IN_LIST "Name                                        ID   Mem VCPUs\tState\tTime(s)\n" \
                      "Domain-0                                     0   512     2     r-----     171.7\n" \
                      "my unikernel                                 3   256     1     -b----       2.5\n"

static const CapturedCase captured_cases[] = {
  { "sudo-needs-password", TRUE, 1, "", "sudo: a password is required\n", 1,
    UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD },
  { "sudo-xl-not-found", TRUE, 1, "", "sudo: xl: command not found\n", 1,
    UNI_BOARD_STATE_XL_MISSING },
  { "xl-needs-root", FALSE, 1, "",
    "xencall: error: Could not obtain handle on privileged command interface: Permission denied\n"
    "libxl: error: libxl.c:102:libxl_ctx_alloc: cannot open libxc handle: Permission denied\n"
    "cannot init xl context\n", 1, UNI_BOARD_STATE_XL_NEEDS_ROOT },
  { "xen-4.4-not-running", FALSE, 1, "",
    "xc: error: Could not obtain handle on privileged command interface (2 = No such file or "
    "directory): Internal error\n"
    "libxl: error: libxl.c:96:libxl_ctx_alloc: cannot open libxc handle: No such file or "
    "directory\ncannot init xl context\n", 1, UNI_BOARD_STATE_XEN_NOT_RUNNING },
  { "xl-other-error", FALSE, 1, "", "libxl: error: something else\n", 3, UNI_BOARD_STATE_FAILED },
  { "list-with-domains", FALSE, 0, STAND_IN_LIST, "", 0, UNI_BOARD_STATE_OK },
  { "list-not-xl", FALSE, 0, "hello\n", "", 0, UNI_BOARD_STATE_FAILED },
  { "ssh-timed-out", FALSE, 255,
    NULL, "ssh: connect to host 192.168.1.7 port 22: Connection timed out\n", 0,
    UNI_BOARD_STATE_TIMEOUT },
  { "ssh-no-route", FALSE, 255,
    NULL, "ssh: connect to host 192.168.1.7 port 22: No route to host\n", 0,
    UNI_BOARD_STATE_UNREACHABLE },
  { "ssh-network-unreachable", FALSE, 255,
    NULL, "ssh: connect to host 10.1.1.1 port 22: Network is unreachable\n", 0,
    UNI_BOARD_STATE_UNREACHABLE },
  { "ssh-dns-spoofing", FALSE, 255,
    NULL, "@@@@@@@@@@@\n@    WARNING: POSSIBLE DNS SPOOFING DETECTED!          @\n", 0,
    UNI_BOARD_STATE_HOST_KEY_CHANGED },
  { "ssh-closed", FALSE, 255,
    NULL, "Connection closed by 192.168.1.7 port 22\n", 0, UNI_BOARD_STATE_FAILED },
};

static void
test_captured (gconstpointer data)
{
  const CapturedCase *c = data;
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("cubie", "cubieboard2");
  g_autoptr(UniBoardStatus) status = NULL;
  g_autofree char *out = NULL;
  const char *err = "";

  uni_board_profile_set_host (profile, "cubieboard2.local");
  uni_board_profile_set_user (profile, "mirage");
  uni_board_profile_set_xl_sudo (profile, c->sudo);

  if (c->xl_out != NULL)
    {
      out = run_script (c->xl_out, c->xl_err, c->xl_status);
    }
  else
    {
      out = g_strdup ("");
      err = c->xl_err;
    }

  status = uni_board_status_new_from_probe (profile, MARKER, c->ssh_status, out, err);
  g_test_message ("%s", uni_board_status_get_message (status));
  g_assert_cmpint (uni_board_status_get_state (status), ==, c->state);
  assert_message_is_safe (status);

  if (c->state != UNI_BOARD_STATE_OK)
    {
      g_autofree char *said = g_strstrip (g_strdup (c->xl_err[0] != '\0' ? c->xl_err
                                                                         : c->xl_out));

      g_assert_nonnull (uni_board_status_get_detail (status));
      g_assert_nonnull (strstr (uni_board_status_get_detail (status), said));
    }
  else
    {
      GPtrArray *domains = uni_board_status_get_domains (status);
      const UniXlDomain *unikernel;
      gboolean running = FALSE;

      g_assert_cmpuint (domains->len, ==, 2);
      unikernel = g_ptr_array_index (domains, 1);
      g_assert_cmpstr (unikernel->name, ==, "my unikernel");
      g_assert_cmpuint (unikernel->id, ==, 3);
      g_assert_true (uni_board_status_has_domain (status, "my unikernel", &running));
      g_assert_true (running);
      g_assert_cmpstr (uni_board_status_get_picture_layer (status, "my unikernel"), ==,
                       UNI_BOARD_LAYER_RUNNING);
      g_assert_cmpstr (uni_board_status_get_picture_layer (status, "other"), ==,
                       UNI_BOARD_LAYER_XEN);
    }
}

/* The bridges and machine sections, as a board with bridges prints them,
 * and a remote 255 after the script ran is the board's, not ssh's.
 */
static void
test_captured_sections (void)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new ("cubie", "cubieboard2");
  g_autoptr(UniBoardStatus) status = NULL;
  static const char * const expected_bridges[] = { "br0", "xenbr0", NULL };
  const char *out =
    "\n" MARKER " out machine\r\narmv7l\r\n"
    "\n" MARKER " err machine\n\n"
    "\n" MARKER " exit machine 0\n"
    "\n" MARKER " out xl-info\nxen_major : 4\nxen_minor : 6\nxen_extra : .1\n"
    "free_memory : 300\n"
    "\n" MARKER " err xl-info\n\n"
    "\n" MARKER " exit xl-info 0\n"
    "\n" MARKER " out xl-list\n" STAND_IN_LIST
    "\n" MARKER " err xl-list\n\n"
    "\n" MARKER " exit xl-list 0\n"
    "\n" MARKER " out bridges\nbr0\nxenbr0\n"
    "\n" MARKER " exit bridges 0\n";

  uni_board_profile_set_host (profile, "cubie");
  status = uni_board_status_new_from_probe (profile, MARKER, 255, out,
                                            "Connection to cubie closed.\n");
  g_assert_cmpint (uni_board_status_get_state (status), ==, UNI_BOARD_STATE_OK);
  g_assert_cmpstr (uni_board_status_get_machine (status), ==, "armv7l");
  g_assert_cmpstr (uni_board_status_get_xen_version (status), ==, "4.6.1");
  g_assert_cmpint (uni_board_status_get_free_memory_mib (status), ==, 300);
  g_assert_cmpint (uni_board_status_get_total_memory_mib (status), ==, -1);
  assert_strv (uni_board_status_get_bridges (status), expected_bridges);

  /* Without the last section the script did not run to its end. */
  g_clear_object (&status);
  status = uni_board_status_new_from_probe (profile, MARKER, 0, "-bash: sh: not found\n", "");
  g_assert_cmpint (uni_board_status_get_state (status), ==, UNI_BOARD_STATE_FAILED);
  g_assert_true (uni_board_status_get_logged_in (status));
  g_assert_nonnull (strstr (uni_board_status_get_detail (status), "sh: not found"));
}

int
main (int    argc,
      char **argv)
{
  uni_test_init (&argc, &argv);
  uni_plugins_init ();

  UNI_TEST_ADD_CASES ("/uni/board/plugin", board_cases, test_board_plugin);
  g_test_add_func ("/uni/board/plugin/unknown-type", test_board_unknown_type);

  UNI_TEST_ADD_CASES ("/uni/board/profile/check", check_cases, test_profile_check);
  g_test_add_func ("/uni/board/profile/notify", test_profile_notify);
  UNI_TEST_ADD_CASES ("/uni/board/profile/xl-argv", xl_argv_cases, test_profile_xl_argv);
  g_test_add_func ("/uni/board/profile/remote-folder", test_profile_remote_folder);

  UNI_TEST_ADD_CASES ("/uni/board/command", command_cases, test_command);
  g_test_add_func ("/uni/board/command/runs", test_command_runs);

  g_test_add_func ("/uni/board/profiles/round-trip", test_profiles_round_trip);
  g_test_add_func ("/uni/board/profiles/keep-the-file", test_profiles_keep_the_file);
  g_test_add_func ("/uni/board/profiles/unreadable", test_profiles_unreadable);
  g_test_add_func ("/uni/board/profiles/changed-on-disk", test_profiles_changed_on_disk);
  g_test_add_func ("/uni/board/profiles/invalid-not-saved", test_profiles_invalid_not_saved);
  g_test_add_func ("/uni/board/profiles/read-only", test_profiles_read_only);
  g_test_add_func ("/uni/board/profiles/default-file", test_profiles_default_file);

  g_test_add_func ("/uni/board/project/board", test_project_board);

  UNI_TEST_ADD_CASES ("/uni/board/probe/ok", probe_ok_cases, test_probe_ok);
  g_test_add_func ("/uni/board/probe/alias", test_probe_alias);
  UNI_TEST_ADD_CASES ("/uni/board/probe/client", probe_failure_cases, test_probe_failure);
  g_test_add_func ("/uni/board/probe/unknown-host", test_probe_unknown_host);
  g_test_add_func ("/uni/board/probe/silent-server", test_probe_silent_server);
  UNI_TEST_ADD_CASES ("/uni/board/probe/board", probe_board_cases, test_probe_board);
  g_test_add_func ("/uni/board/probe/invalid-profile", test_probe_invalid_profile);
  g_test_add_func ("/uni/board/probe/cancelled", test_probe_cancelled);

  UNI_TEST_ADD_CASES ("/uni/board/captured", captured_cases, test_captured);
  g_test_add_func ("/uni/board/captured/sections", test_captured_sections);

  return g_test_run ();
}
