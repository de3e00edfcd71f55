/* test-build-environments.c — the built-in plugins, found by libpeas, wrapping argv
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "uni-build-environment.h"
#include "uni-plugins.h"
#include "uni-project-settings.h"
#include "uni-run-context.h"
#include "uni-test-util.h"

#define HOSTILE_NAME "a b 'c' \"d\" $(rm -rf x)"
#define TARGET       "xen-arm"

static UniProjectSettings *
make_settings (GFile       *project_dir,
               const char  *first_key,
               ...)
{
  UniProjectSettings *settings = uni_project_settings_new (project_dir);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key != NULL; key = va_arg (args, const char *))
    g_assert_true (uni_project_settings_set_target_value (settings, TARGET, key,
                                                          va_arg (args, const char *)));
  va_end (args);

  return settings;
}

static char **
wrap_argv (UniBuildEnvironment *env,
           const char          *cwd)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(GError) error = NULL;
  char **argv = NULL;
  g_auto(GStrv) envp = NULL;

  g_assert_true (uni_build_environment_wrap (env, context, &error));
  g_assert_no_error (error);
  uni_run_context_append_args (context, (const char * const []) {
    "mirage", "configure", "-t", "xen", NULL
  });
  uni_run_context_setenv (context, "OPAMYES", "1");
  uni_run_context_set_cwd (context, cwd);

  g_assert_true (uni_run_context_build (context, &argv, &envp, NULL, &error));
  g_assert_no_error (error);

  return argv;
}

/* A container's name is random: "unistudio-" and 16 hex digits, compared as NAME. */
static void
assert_strv (char       **actual,
             const char  *const *expected)
{
  g_autofree char *actual_text = NULL;
  g_autofree char *expected_text = g_strjoinv ("|", (char **) expected);

  for (guint i = 0; actual[i] != NULL; i++)
    {
      if (g_str_equal (actual[i], "--name") && actual[i + 1] != NULL
          && g_str_has_prefix (actual[i + 1], "unistudio-") && strlen (actual[i + 1]) == 26)
        {
          for (const char *p = actual[i + 1] + 10; *p != '\0'; p++)
            g_assert_true (g_ascii_isxdigit (*p));
          g_free (actual[i + 1]);
          actual[i + 1] = g_strdup ("NAME");
        }
    }
  actual_text = g_strjoinv ("|", actual);

  g_assert_cmpstr (actual_text, ==, expected_text);
}

static void
test_list (void)
{
  g_auto(GStrv) ids = uni_plugins_list_build_environments ();

  g_assert_true (g_strv_contains ((const char * const *) ids, "host"));
  g_assert_true (g_strv_contains ((const char * const *) ids, "container"));
  g_assert_true (g_strv_contains ((const char * const *) ids, "remote"));
  g_assert_nonnull (uni_plugins_find_build_environment ("container"));
  g_assert_null (uni_plugins_find_build_environment ("nowhere"));
}

static void
test_unknown (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");
  g_autoptr(UniProjectSettings) settings = make_settings (dir, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (uni_plugins_create_build_environment ("nowhere", settings, TARGET, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_FAILED);
}

static void
test_host (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");
  g_autoptr(UniProjectSettings) plain = make_settings (dir, NULL);
  g_autoptr(UniProjectSettings) opam = make_settings (dir, "opam-switch", "mirage-3.8", NULL);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *title = NULL;
  struct utsname name;

  g_assert_cmpint (uname (&name), ==, 0);

  env = uni_plugins_create_build_environment ("host", plain, TARGET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_build_environment_get_id (env), ==, "host");
  g_assert_cmpstr (uni_build_environment_get_arch (env), ==, name.machine);
  argv = wrap_argv (env, "/w");
  assert_strv (argv, (const char * const []) { "mirage", "configure", "-t", "xen", NULL });
  g_clear_pointer (&argv, g_strfreev);
  g_assert_finalize_object (g_steal_pointer (&env));

  env = uni_plugins_create_build_environment ("host", opam, TARGET, &error);
  g_assert_no_error (error);
  title = uni_build_environment_get_title (env);
  g_assert_nonnull (strstr (title, "mirage-3.8"));
  argv = wrap_argv (env, "/w");
  assert_strv (argv, (const char * const []) {
    "opam", "exec", "--switch=mirage-3.8", "--set-switch", "--",
    "mirage", "configure", "-t", "xen", NULL
  });
  g_assert_finalize_object (g_steal_pointer (&env));
}

static void
test_container (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir (HOSTILE_NAME);
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *sub = g_build_filename (path, "src", NULL);
  g_autofree char *mount = g_strdup_printf ("%s:%s:z", path, path);
  g_autofree char *user = g_strdup_printf ("%u:%u", (guint) getuid (), (guint) getgid ());
  g_autoptr(UniProjectSettings) settings =
    make_settings (dir, "engine", "podman", "image", "unistudio/mirage-arm:3.8",
                   "platform", "linux/arm/v7", NULL);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *title = NULL;

  env = uni_plugins_create_build_environment ("container", settings, TARGET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_build_environment_get_id (env), ==, "container");
  g_assert_cmpstr (uni_build_environment_get_arch (env), ==, "armv7");
  title = uni_build_environment_get_title (env);
  g_assert_nonnull (strstr (title, "podman"));

  argv = wrap_argv (env, path);
  assert_strv (argv, (const char * const []) {
    "podman", "run", "--rm", "-i", "--init", "--name", "NAME",
    "--platform=linux/arm/v7",
    "-v", mount, "-w", path, "--user", user, "--env", "OPAMYES=1",
    "unistudio/mirage-arm:3.8", "mirage", "configure", "-t", "xen", NULL
  });
  g_clear_pointer (&argv, g_strfreev);

  /* On a terminal: a TTY, and a folder inside the project stays itself. */
  uni_build_environment_set_interactive (env, TRUE);
  argv = wrap_argv (env, sub);
  assert_strv (argv, (const char * const []) {
    "podman", "run", "--rm", "-i", "-t", "--init", "--name", "NAME",
    "--platform=linux/arm/v7",
    "-v", mount, "-w", sub, "--user", user, "--env", "OPAMYES=1",
    "unistudio/mirage-arm:3.8", "mirage", "configure", "-t", "xen", NULL
  });
  g_clear_pointer (&argv, g_strfreev);

  /* Outside the project, the container starts in the project. */
  argv = wrap_argv (env, "/elsewhere");
  g_assert_cmpstr (argv[11], ==, "-w");
  g_assert_cmpstr (argv[12], ==, path);
  g_assert_finalize_object (g_steal_pointer (&env));
}

static void
test_container_docker (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *mount = g_strdup_printf ("%s:%s", path, path);
  g_autofree char *user = g_strdup_printf ("%u:%u", (guint) getuid (), (guint) getgid ());
  g_autoptr(UniProjectSettings) settings =
    make_settings (dir, "engine", "docker", "image", "ocaml/opam", NULL);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) other = NULL;
  struct utsname name;

  g_assert_cmpint (uname (&name), ==, 0);

  env = uni_plugins_create_build_environment ("container", settings, TARGET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_build_environment_get_arch (env), ==, name.machine);
  /* Every command its own container, to be found by name. */
  argv = wrap_argv (env, path);
  other = wrap_argv (env, path);
  g_assert_cmpstr (argv[6], !=, other[6]);
  assert_strv (argv, (const char * const []) {
    "docker", "run", "--rm", "-i", "--init", "--name", "NAME",
    "-v", mount, "-w", path, "--user", user,
    "--env", "OPAMYES=1", "ocaml/opam", "mirage", "configure", "-t", "xen", NULL
  });
}

static void
test_container_default_engine (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");
  g_autoptr(GFile) bin = uni_test_make_tempdir ("bin");
  g_autoptr(GFile) podman = g_file_get_child (bin, "podman");
  g_autofree char *bin_path = g_file_get_path (bin);
  g_autofree char *podman_path = g_file_get_path (podman);
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autoptr(UniProjectSettings) settings = make_settings (dir, "image", "ocaml/opam", NULL);
  g_autoptr(UniBuildEnvironment) with_podman = NULL;
  g_autoptr(UniBuildEnvironment) without = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title_podman = NULL;
  g_autofree char *title_docker = NULL;

  g_setenv ("PATH", bin_path, TRUE);
  without = uni_plugins_create_build_environment ("container", settings, TARGET, &error);
  g_assert_no_error (error);

  uni_test_write_file (bin, "podman", "#!/bin/sh\nexit 0\n");
  g_assert_cmpint (chmod (podman_path, 0755), ==, 0);
  with_podman = uni_plugins_create_build_environment ("container", settings, TARGET, &error);
  g_assert_no_error (error);
  g_setenv ("PATH", old_path, TRUE);

  title_docker = uni_build_environment_get_title (without);
  title_podman = uni_build_environment_get_title (with_podman);
  g_assert_nonnull (strstr (title_docker, "docker"));
  g_assert_nonnull (strstr (title_podman, "podman"));
}

static const struct
{
  const char *keys[8];
} bad_containers[] = {
  { { "engine", "podman", NULL } },
  { { "engine", "lxc", "image", "ocaml/opam", NULL } },
  { { "image", "ocaml/opam", "platform", "arm", NULL } },
  { { "image", "--privileged", NULL } },
  { { "image", "-v/:/host", NULL } },
  { { "image", "ocaml/opam --privileged", NULL } },
  { { "image", "ocaml/opam\tx", NULL } },
  { { "image", "ocaml/opam", "platform", "--privileged", NULL } },
  { { "image", "ocaml/opam", "platform", "linux/arm 64", NULL } },
};

static void
test_container_errors (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");

  for (guint i = 0; i < G_N_ELEMENTS (bad_containers); i++)
    {
      g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
      g_autoptr(UniBuildEnvironment) env = NULL;
      g_autoptr(GError) error = NULL;

      for (guint j = 0; bad_containers[i].keys[j] != NULL; j += 2)
        g_assert_true (uni_project_settings_set_target_value (settings, TARGET,
                                                              bad_containers[i].keys[j],
                                                              bad_containers[i].keys[j + 1]));

      env = uni_plugins_create_build_environment ("container", settings, TARGET, &error);
      g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED);
      g_assert_null (env);
      if (i == 0)
        g_assert_nonnull (strstr (error->message, "image="));
    }
}

static void
test_remote (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir (HOSTILE_NAME);
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *sub = g_build_filename (path, "src", NULL);
  g_autoptr(UniProjectSettings) settings =
    make_settings (dir, "host", "cubieboard2", "user", "mirage", "ssh-port", "2222",
                   "ssh-options", "ConnectTimeout=5;ServerAliveInterval=10;", NULL);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *title = NULL;
  guint n;

  env = uni_plugins_create_build_environment ("remote", settings, TARGET, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_build_environment_get_id (env), ==, "remote");
  g_assert_cmpstr (uni_build_environment_get_arch (env), ==, "unknown");
  title = uni_build_environment_get_title (env);
  g_assert_cmpstr (title, ==, "mirage@cubieboard2");

  argv = wrap_argv (env, path);
  assert_strv (argv, (const char * const []) {
    "ssh", "-tt", "-o", "BatchMode=yes", "-p", "2222",
    "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=10",
    "mirage@cubieboard2", "--",
    "cd -- ~/'unistudio/a b '\\''c'\\'' \"d\" $(rm -rf x)' && exec env 'OPAMYES=1' "
    "'mirage' 'configure' '-t' 'xen'",
    NULL
  });
  n = g_strv_length (argv);
  g_assert_cmpstr (argv[n - 2], ==, "--");
  g_assert_cmpstr (argv[n - 3], ==, "mirage@cubieboard2");
  g_clear_pointer (&argv, g_strfreev);

  /* On a terminal ssh may ask; a folder inside the project maps inside its copy. */
  uni_build_environment_set_interactive (env, TRUE);
  argv = wrap_argv (env, sub);
  assert_strv (argv, (const char * const []) {
    "ssh", "-tt", "-p", "2222",
    "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=10",
    "mirage@cubieboard2", "--",
    "cd -- ~/'unistudio/a b '\\''c'\\'' \"d\" $(rm -rf x)/src' && exec env 'OPAMYES=1' "
    "'mirage' 'configure' '-t' 'xen'",
    NULL
  });
}

static void
test_remote_dir (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");
  g_autoptr(UniProjectSettings) settings =
    make_settings (dir, "host", "board", "remote-dir", "/srv/" HOSTILE_NAME, NULL);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) words = NULL;

  env = uni_plugins_create_build_environment ("remote", settings, TARGET, &error);
  g_assert_no_error (error);
  argv = wrap_argv (env, NULL);
  assert_strv (argv, (const char * const []) {
    "ssh", "-tt", "-o", "BatchMode=yes", "board", "--",
    "cd -- '/srv/a b '\\''c'\\'' \"d\" $(rm -rf x)' && exec env 'OPAMYES=1' "
    "'mirage' 'configure' '-t' 'xen'",
    NULL
  });

  /* A shell reads back exactly the words we meant. */
  g_assert_true (g_shell_parse_argv (argv[6], NULL, &words, &error));
  g_assert_no_error (error);
  assert_strv (words, (const char * const []) {
    "cd", "--", "/srv/" HOSTILE_NAME, "&&", "exec", "env", "OPAMYES=1",
    "mirage", "configure", "-t", "xen", NULL
  });
}

static const struct
{
  const char *keys[6];
} bad_remotes[] = {
  { { "user", "mirage", NULL } },
  { { "host", "-oProxyCommand=touch x", NULL } },
  { { "host", "board", "user", "-l", NULL } },
  { { "host", "a b", NULL } },
  { { "host", "board", "ssh-port", "ssh", NULL } },
  { { "host", "board", "ssh-port", "70000", NULL } },
  { { "host", "board", "ssh-options", "StrictHostKeyChecking=no", NULL } },
  { { "host", "board", "ssh-options", "UserKnownHostsFile=/dev/null", NULL } },
  { { "host", "board", "ssh-options", "-v", NULL } },
};

/* ssh-options= is an allow-list: what could turn off host key checking or
 * run a command here is refused, named in the message.
 */
static const struct
{
  const char *options;
  const char *named;
} bad_ssh_options[] = {
  { "StrictHostKeyChecking=false", "StrictHostKeyChecking" },
  { "stricthostkeychecking=no", "stricthostkeychecking" },
  { "UserKnownHostsFile=/tmp/evil", "UserKnownHostsFile" },
  { "GlobalKnownHostsFile=/tmp/evil", "GlobalKnownHostsFile" },
  { "HostKeyAlias=trusted", "HostKeyAlias" },
  { "ConnectTimeout=5;ProxyCommand=touch /tmp/x", "ProxyCommand" },
  { "PermitLocalCommand=yes;LocalCommand=touch /tmp/x", "PermitLocalCommand" },
  { "KnownHostsCommand=/bin/true", "KnownHostsCommand" },
  { "Port=22", "Port" },
  { "User=root", "User" },
  { "ProxyJump=-oProxyCommand=x", "ProxyJump" },
  { "ConnectTimeout=5 ProxyCommand=x", "ConnectTimeout" },
};

static void
test_remote_ssh_options (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");

  for (guint i = 0; i < G_N_ELEMENTS (bad_ssh_options); i++)
    {
      g_autoptr(UniProjectSettings) settings =
        make_settings (dir, "host", "board", "ssh-options", bad_ssh_options[i].options, NULL);
      g_autoptr(UniBuildEnvironment) env = NULL;
      g_autoptr(GError) error = NULL;

      env = uni_plugins_create_build_environment ("remote", settings, TARGET, &error);
      g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED);
      g_assert_null (env);
      g_assert_nonnull (strstr (error->message, bad_ssh_options[i].named));
    }

  /* Keywords are case-insensitive, like ssh's. */
  {
    g_autoptr(UniProjectSettings) settings =
      make_settings (dir, "host", "board",
                     "ssh-options", "connecttimeout=5;IdentityFile=~/.ssh/board;"
                     "IdentitiesOnly=yes;ProxyJump=gw.example.org;Compression=yes;"
                     "AddressFamily=inet;LogLevel=ERROR;ServerAliveCountMax=3", NULL);
    g_autoptr(UniBuildEnvironment) env = NULL;
    g_autoptr(GError) error = NULL;

    env = uni_plugins_create_build_environment ("remote", settings, TARGET, &error);
    g_assert_no_error (error);
    g_assert_nonnull (env);
  }
}

static void
test_remote_errors (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");

  for (guint i = 0; i < G_N_ELEMENTS (bad_remotes); i++)
    {
      g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
      g_autoptr(UniBuildEnvironment) env = NULL;
      g_autoptr(GError) error = NULL;

      for (guint j = 0; bad_remotes[i].keys[j] != NULL; j += 2)
        g_assert_true (uni_project_settings_set_target_value (settings, TARGET,
                                                              bad_remotes[i].keys[j],
                                                              bad_remotes[i].keys[j + 1]));

      env = uni_plugins_create_build_environment ("remote", settings, TARGET, &error);
      g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED);
      g_assert_null (env);
    }
}

/* Where a sandboxed Unistudio runs a container build. */
static void
test_container_in_flatpak (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("www");
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *mount = g_strdup_printf ("%s:%s", path, path);
  g_autofree char *user = g_strdup_printf ("%u:%u", (guint) getuid (), (guint) getgid ());
  g_autoptr(UniProjectSettings) settings =
    make_settings (dir, "engine", "docker", "image", "ocaml/opam", NULL);
  g_autoptr(UniBuildEnvironment) env = NULL;
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  env = uni_plugins_create_build_environment ("container", settings, TARGET, &error);
  g_assert_no_error (error);

  uni_run_context_push_flatpak_host (context);
  g_assert_true (uni_build_environment_wrap (env, context, &error));
  uni_run_context_append_args (context, (const char * const []) { "make", NULL });
  uni_run_context_setenv (context, "A", "1");
  uni_run_context_set_cwd (context, path);
  g_assert_true (uni_run_context_build (context, &argv, NULL, NULL, &error));
  g_assert_no_error (error);

  assert_strv (argv, (const char * const []) {
    "flatpak-spawn", "--host", "--watch-bus",
    "docker", "run", "--rm", "-i", "--init", "--name", "NAME",
    "-v", mount, "-w", path, "--user", user,
    "--env", "A=1", "ocaml/opam", "make", NULL
  });
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);
  uni_plugins_init ();

  g_test_add_func ("/uni/build-environments/list", test_list);
  g_test_add_func ("/uni/build-environments/unknown", test_unknown);
  g_test_add_func ("/uni/build-environments/host", test_host);
  g_test_add_func ("/uni/build-environments/container", test_container);
  g_test_add_func ("/uni/build-environments/container-docker", test_container_docker);
  g_test_add_func ("/uni/build-environments/container-default-engine",
                   test_container_default_engine);
  g_test_add_func ("/uni/build-environments/container-errors", test_container_errors);
  g_test_add_func ("/uni/build-environments/container-in-flatpak", test_container_in_flatpak);
  g_test_add_func ("/uni/build-environments/remote", test_remote);
  g_test_add_func ("/uni/build-environments/remote-dir", test_remote_dir);
  g_test_add_func ("/uni/build-environments/remote-errors", test_remote_errors);
  g_test_add_func ("/uni/build-environments/remote-ssh-options", test_remote_ssh_options);

  return g_test_run ();
}
