/* test-run-context.c — commands built in layers, compared as whole argv vectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "uni-build-environment.h"
#include "uni-run-context.h"
#include "uni-test-util.h"

#define HOSTILE_NAME "a b 'c' \"d\" $(rm -rf x)"

static void
assert_strv (char       **actual,
             const char  *const *expected)
{
  g_autofree char *actual_text = g_strjoinv ("|", actual);
  g_autofree char *expected_text = g_strjoinv ("|", (char **) expected);

  g_assert_cmpstr (actual_text, ==, expected_text);
  g_assert_true (g_strv_equal ((const char * const *) actual, expected));
}

static void
assert_build (UniRunContext      *context,
              const char * const *expected_argv,
              const char * const *expected_env,
              const char         *expected_cwd)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) env = NULL;
  g_autofree char *cwd = NULL;

  g_assert_true (uni_run_context_build (context, &argv, &env, &cwd, &error));
  g_assert_no_error (error);
  assert_strv (argv, expected_argv);
  assert_strv (env, expected_env);
  g_assert_cmpstr (cwd, ==, expected_cwd);
}

static const char * const no_env[] = { NULL };

static void
test_host (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  const char * const args[] = { "mirage", "configure", "-t", "unix", NULL };

  uni_run_context_push_host (context);
  uni_run_context_append_args (context, args);
  uni_run_context_setenv (context, "OPAMYES", "1");
  uni_run_context_set_cwd (context, "/home/u/www");

  assert_build (context, args, (const char * const []) { "OPAMYES=1", NULL }, "/home/u/www");
  /* Building leaves the context as it was. */
  assert_build (context, args, (const char * const []) { "OPAMYES=1", NULL }, "/home/u/www");
  g_assert_finalize_object (g_steal_pointer (&context));
}

static void
test_no_layer (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_append_argv (context, "make");
  uni_run_context_setenv (context, "A", "1");
  uni_run_context_setenv (context, "A", "2");
  uni_run_context_setenv (context, "B", "3");
  uni_run_context_setenv (context, "B", NULL);

  assert_build (context, (const char * const []) { "make", NULL },
                (const char * const []) { "A=2", NULL }, NULL);
}

static void
test_opam_switch (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_push_opam_switch (context, "4.14.1");
  uni_run_context_append_args (context, (const char * const []) { "mirage", "build", NULL });
  uni_run_context_setenv (context, "MODE", "unix");
  uni_run_context_set_cwd (context, "/w/" HOSTILE_NAME);

  assert_build (context,
                (const char * const []) {
                  "opam", "exec", "--switch=4.14.1", "--set-switch", "--", "mirage", "build", NULL
                },
                (const char * const []) { "MODE=unix", NULL },
                "/w/" HOSTILE_NAME);
}

static void
test_flatpak_host (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_push_flatpak_host (context);
  uni_run_context_append_args (context, (const char * const []) { "make", "-j4", NULL });
  uni_run_context_setenv (context, "OPAMYES", "1");
  uni_run_context_setenv (context, "X", "a b");
  uni_run_context_set_cwd (context, "/w/" HOSTILE_NAME);

  /* The environment and folder become flags: they would not cross the sandbox. */
  assert_build (context,
                (const char * const []) {
                  "flatpak-spawn", "--host", "--watch-bus",
                  "--env=OPAMYES=1", "--env=X=a b",
                  "--directory=/w/" HOSTILE_NAME,
                  "make", "-j4", NULL
                },
                no_env, NULL);
}

static void
test_flatpak_host_plain (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_push_flatpak_host (context);
  uni_run_context_append_argv (context, "true");

  assert_build (context,
                (const char * const []) { "flatpak-spawn", "--host", "--watch-bus", "true", NULL },
                no_env, NULL);
}

/* A container-like layer, to check how layers nest. */
static gboolean
fake_container_wrap (const char * const  *argv,
                     const char * const  *env,
                     const char          *cwd,
                     GPtrArray           *out_argv,
                     GPtrArray           *out_env,
                     char               **out_cwd,
                     gpointer             user_data,
                     GError             **error)
{
  g_ptr_array_add (out_argv, g_strdup ("docker"));
  g_ptr_array_add (out_argv, g_strdup ("run"));
  g_ptr_array_add (out_argv, g_strdup ("-w"));
  g_ptr_array_add (out_argv, g_strdup (cwd));
  for (guint i = 0; env[i] != NULL; i++)
    {
      g_ptr_array_add (out_argv, g_strdup ("--env"));
      g_ptr_array_add (out_argv, g_strdup (env[i]));
    }
  g_ptr_array_add (out_argv, g_strdup (user_data));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup (argv[i]));

  return TRUE;
}

static void
test_nested (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  /* Outermost first: leave the sandbox, enter the image, then the switch. */
  uni_run_context_setenv (context, "OUTER", "1");
  uni_run_context_push_flatpak_host (context);
  uni_run_context_setenv (context, "FLATPAK_LAYER", "yes");
  uni_run_context_push (context, fake_container_wrap, g_strdup ("ocaml/opam"), g_free);
  uni_run_context_push_opam_switch (context, "default");
  uni_run_context_append_args (context, (const char * const []) { "mirage", "configure", NULL });
  uni_run_context_setenv (context, "INNER", "x y");
  uni_run_context_set_cwd (context, "/w/" HOSTILE_NAME);

  assert_build (context,
                (const char * const []) {
                  "flatpak-spawn", "--host", "--watch-bus", "--env=FLATPAK_LAYER=yes",
                  "docker", "run", "-w", "/w/" HOSTILE_NAME, "--env", "INNER=x y", "ocaml/opam",
                  "opam", "exec", "--switch=default", "--set-switch", "--",
                  "mirage", "configure", NULL
                },
                (const char * const []) { "OUTER=1", NULL },
                NULL);
}

static void
test_env_cwd_propagation (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_setenv (context, "A", "outer");
  uni_run_context_setenv (context, "B", "outer");
  uni_run_context_set_cwd (context, "/outer");
  uni_run_context_push_host (context);
  uni_run_context_setenv (context, "A", "inner");
  uni_run_context_push_host (context);
  uni_run_context_append_argv (context, "env");
  uni_run_context_set_cwd (context, "/inner");

  /* An inner addition overrides an outer one; the innermost folder wins. */
  assert_build (context, (const char * const []) { "env", NULL },
                (const char * const []) { "A=inner", "B=outer", NULL }, "/inner");
}

static gboolean
failing_wrap (const char * const  *argv,
              const char * const  *env,
              const char          *cwd,
              GPtrArray           *out_argv,
              GPtrArray           *out_env,
              char               **out_cwd,
              gpointer             user_data,
              GError             **error)
{
  g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED, "no image");
  return FALSE;
}

static void
test_errors (void)
{
  g_autoptr(UniRunContext) empty = uni_run_context_new ();
  g_autoptr(UniRunContext) failing = uni_run_context_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  uni_run_context_push_host (empty);
  g_assert_false (uni_run_context_build (empty, &argv, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_null (argv);
  g_clear_error (&error);

  uni_run_context_push (failing, failing_wrap, NULL, NULL);
  uni_run_context_append_argv (failing, "make");
  g_assert_false (uni_run_context_build (failing, &argv, NULL, NULL, &error));
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED);
  g_assert_null (argv);
}

static const struct
{
  const char *cwd;
  const char *env[3];
  const char *argv[4];
  const char *expected;
} shell_cases[] = {
  { NULL, { NULL }, { "make", NULL }, "exec 'make'" },
  { "/w/" HOSTILE_NAME, { NULL }, { "make", "build", NULL },
    "cd -- '/w/a b '\\''c'\\'' \"d\" $(rm -rf x)' && exec 'make' 'build'" },
  { "~/unistudio/" HOSTILE_NAME, { "K=a b", "Q=$HOME", NULL }, { "mirage", "--x=;", NULL },
    "cd -- ~/'unistudio/a b '\\''c'\\'' \"d\" $(rm -rf x)' && exec env 'K=a b' 'Q=$HOME' "
    "'mirage' '--x=;'" },
  { "~", { NULL }, { "ls", NULL }, "cd -- ~ && exec 'ls'" },
};

/* In a sandbox (forced here) every build or probe command reaches the host
 * through flatpak-spawn, outside every other layer; outside, nothing.
 */
static void
test_host_layers (void)
{
  for (guint forced = 0; forced < 2; forced++)
    {
      g_autoptr(UniRunContext) context = uni_run_context_new ();
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) argv = NULL;
      g_autofree char *joined = NULL;

      if (forced)
        g_setenv ("UNISTUDIO_FORCE_FLATPAK", "1", TRUE);
      else
        g_unsetenv ("UNISTUDIO_FORCE_FLATPAK");
      g_assert_cmpint (uni_run_context_is_sandboxed (), ==,
                       forced || g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS));

      uni_run_context_push_host_layers (context);
      uni_run_context_push_opam_switch (context, "4.14");
      uni_run_context_append_argv (context, "make");
      g_assert_true (uni_run_context_build (context, &argv, NULL, NULL, &error));
      g_assert_no_error (error);
      joined = g_strjoinv ("|", argv);
      if (forced)
        g_assert_true (g_str_has_prefix (joined, "flatpak-spawn|--host|--watch-bus|opam|"));
      else if (!uni_run_context_is_sandboxed ())
        g_assert_true (g_str_has_prefix (joined, "opam|"));
    }
  g_unsetenv ("UNISTUDIO_FORCE_FLATPAK");
}

static void
test_shell_command (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (shell_cases); i++)
    {
      g_autofree char *command =
        uni_run_context_dup_shell_command (shell_cases[i].argv, shell_cases[i].env,
                                           shell_cases[i].cwd);

      g_assert_cmpstr (command, ==, shell_cases[i].expected);
    }
}

/* A real shell runs the string: the hostile folder is entered, nothing in
 * it is executed, and every argument arrives as it was.
 */
static void
test_shell_command_runs (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir (HOSTILE_NAME);
  g_autofree char *path = g_file_get_path (dir);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autofree char *command = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *victim = g_build_filename (parent, "x", NULL);
  int status = -1;

  g_assert_cmpint (g_mkdir (victim, 0755), ==, 0);

  command = uni_run_context_dup_shell_command (
    (const char * const []) { "sh", "-c", "pwd; printf '%s\\n' \"$K\" \"$1\"", "sh",
                              "$(touch y) 'q' \"z\"", NULL },
    (const char * const []) { "K=`id`", NULL },
    path);
  g_assert_true (g_spawn_sync (parent, (char *[]) { "/bin/sh", "-c", command, NULL }, NULL,
                               G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  expected = g_strdup_printf ("%s\n`id`\n$(touch y) 'q' \"z\"\n", path);
  g_assert_cmpstr (out, ==, expected);
  g_assert_true (g_file_test (victim, G_FILE_TEST_IS_DIR));
}

static void
test_launcher (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir (HOSTILE_NAME);
  g_autofree char *path = g_file_get_path (dir);
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;

  g_setenv ("UNI_TEST_INHERITED", "kept", TRUE);
  uni_run_context_push_host (context);
  uni_run_context_append_args (context, (const char * const []) {
    "/bin/sh", "-c", "pwd; echo \"$UNI_TEST_ADDED\" \"$UNI_TEST_INHERITED\"", NULL
  });
  uni_run_context_setenv (context, "UNI_TEST_ADDED", "a b");
  uni_run_context_set_cwd (context, path);

  launcher = uni_run_context_create_launcher (context, &argv, &error);
  g_assert_no_error (error);
  g_assert_nonnull (launcher);
  g_subprocess_launcher_set_flags (launcher, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (process));

  expected = g_strdup_printf ("%s\na b kept\n", path);
  g_assert_cmpstr (out, ==, expected);
  g_unsetenv ("UNI_TEST_INHERITED");
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/run-context/host", test_host);
  g_test_add_func ("/uni/run-context/no-layer", test_no_layer);
  g_test_add_func ("/uni/run-context/opam-switch", test_opam_switch);
  g_test_add_func ("/uni/run-context/flatpak-host", test_flatpak_host);
  g_test_add_func ("/uni/run-context/flatpak-host-plain", test_flatpak_host_plain);
  g_test_add_func ("/uni/run-context/nested", test_nested);
  g_test_add_func ("/uni/run-context/env-cwd-propagation", test_env_cwd_propagation);
  g_test_add_func ("/uni/run-context/errors", test_errors);
  g_test_add_func ("/uni/run-context/host-layers", test_host_layers);
  g_test_add_func ("/uni/run-context/shell-command", test_shell_command);
  g_test_add_func ("/uni/run-context/shell-command-runs", test_shell_command_runs);
  g_test_add_func ("/uni/run-context/launcher", test_launcher);

  return g_test_run ();
}
