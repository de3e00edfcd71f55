/* test-toolchain.c — finding mirage in a build environment
 *
 * Detection really spawns: the stand-in mirage of tests/fixtures plays each
 * era (UNISTUDIO_FAKE_MIRAGE_VERSION), found through PATH.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "uni-toolchain.h"
#include "uni-test-util.h"

/* A build environment that runs commands as they are, on this machine, with
 * a chosen architecture and an optional wrapper command in front.
 */
#define TEST_TYPE_ENVIRONMENT (test_environment_get_type ())
G_DECLARE_FINAL_TYPE (TestEnvironment, test_environment, TEST, ENVIRONMENT, GObject)

struct _TestEnvironment
{
  GObject      parent_instance;
  const char  *arch;
  char       **wrapper;
};

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_TARGET_ID,
  PROP_INTERACTIVE,
};

static void test_environment_iface_init (UniBuildEnvironmentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestEnvironment, test_environment, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (UNI_TYPE_BUILD_ENVIRONMENT,
                                                      test_environment_iface_init))

static const char *
test_environment_get_id (UniBuildEnvironment *environment)
{
  return "test";
}

static char *
test_environment_get_title (UniBuildEnvironment *environment)
{
  return g_strdup ("Test Host");
}

static const char *
test_environment_get_arch (UniBuildEnvironment *environment)
{
  return TEST_ENVIRONMENT (environment)->arch;
}

static gboolean
prepend_wrapper (const char * const  *argv,
                 const char * const  *env,
                 const char          *cwd,
                 GPtrArray           *out_argv,
                 GPtrArray           *out_env,
                 char               **out_cwd,
                 gpointer             user_data,
                 GError             **error)
{
  const char * const *wrapper = user_data;

  for (guint i = 0; wrapper[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup (wrapper[i]));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup (argv[i]));
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    g_ptr_array_add (out_env, g_strdup (env[i]));
  *out_cwd = g_strdup (cwd);

  return TRUE;
}

static gboolean
test_environment_wrap (UniBuildEnvironment  *environment,
                       UniRunContext        *context,
                       GError              **error)
{
  TestEnvironment *self = TEST_ENVIRONMENT (environment);

  if (self->wrapper != NULL)
    uni_run_context_push (context, prepend_wrapper, g_strdupv (self->wrapper),
                          (GDestroyNotify) g_strfreev);

  return TRUE;
}

static void
test_environment_iface_init (UniBuildEnvironmentInterface *iface)
{
  iface->get_id = test_environment_get_id;
  iface->get_title = test_environment_get_title;
  iface->get_arch = test_environment_get_arch;
  iface->wrap = test_environment_wrap;
}

static void
test_environment_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, NULL);
      break;

    case PROP_TARGET_ID:
      g_value_set_string (value, NULL);
      break;

    case PROP_INTERACTIVE:
      g_value_set_boolean (value, FALSE);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_environment_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_SETTINGS:
    case PROP_TARGET_ID:
    case PROP_INTERACTIVE:
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_environment_finalize (GObject *object)
{
  g_strfreev (TEST_ENVIRONMENT (object)->wrapper);

  G_OBJECT_CLASS (test_environment_parent_class)->finalize (object);
}

static void
test_environment_class_init (TestEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  gpointer iface = g_type_default_interface_ref (UNI_TYPE_BUILD_ENVIRONMENT);

  object_class->get_property = test_environment_get_property;
  object_class->set_property = test_environment_set_property;
  object_class->finalize = test_environment_finalize;

  /* The interface's own properties (project settings, target), which a test
   * environment ignores.
   */
  if (g_object_interface_find_property (iface, "settings") != NULL)
    g_object_class_override_property (object_class, PROP_SETTINGS, "settings");
  if (g_object_interface_find_property (iface, "target-id") != NULL)
    g_object_class_override_property (object_class, PROP_TARGET_ID, "target-id");
  if (g_object_interface_find_property (iface, "interactive") != NULL)
    g_object_class_override_property (object_class, PROP_INTERACTIVE, "interactive");

  g_type_default_interface_unref (iface);
}

static void
test_environment_init (TestEnvironment *self)
{
  self->arch = "x86_64";
}

static UniBuildEnvironment *
test_environment_new (const char         *arch,
                      const char * const *wrapper)
{
  TestEnvironment *self = g_object_new (TEST_TYPE_ENVIRONMENT, NULL);

  self->arch = arch;
  self->wrapper = g_strdupv ((char **) wrapper);

  return UNI_BUILD_ENVIRONMENT (self);
}

/* PATH: the folder given (or none), then python3's (the stand-in's
 * interpreter) and the system's, for sh and make.
 */
static void
set_path (const char *first)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *python_dir = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (python);
  python_dir = g_path_get_dirname (python);
  path = g_strjoin (":", first, python_dir, "/usr/bin:/bin", NULL);
  g_setenv ("PATH", path, TRUE);
}

static void
set_fixture_path (void)
{
  g_autofree char *fixtures = g_test_build_filename (G_TEST_DIST, "fixtures", NULL);

  set_path (fixtures);
}

static UniToolchain *
detect (UniBuildEnvironment *environment,
        GCancellable        *cancellable,
        GError             **error)
{
  UniTestAsync async = { NULL };
  UniToolchain *toolchain;

  uni_toolchain_detect_async (environment, cancellable, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 20000));
  toolchain = uni_toolchain_detect_finish (async.result, error);
  g_clear_object (&async.result);

  return toolchain;
}

typedef struct
{
  const char   *version;
  gboolean      v_prefix;
  const char   *version_string;
  UniMirageEra  era;
} EraCase;

static const EraCase era_cases[] = {
  { "2.9.1", FALSE, "2.9.1", UNI_MIRAGE_ERA_2_KEYS },
  { "3.8.0", FALSE, "3.8.0", UNI_MIRAGE_ERA_3 },
  { "4.4.2", TRUE, "4.4.2", UNI_MIRAGE_ERA_4_0 },
  { "4.11.1", FALSE, "4.11.1", UNI_MIRAGE_ERA_4_5 },
};

static void
test_detect_era (gconstpointer data)
{
  const EraCase *era_case = data;
  g_autoptr(UniBuildEnvironment) environment = test_environment_new ("x86_64", NULL);
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;
  const UniMirageVersion *version;

  set_fixture_path ();
  g_setenv ("UNISTUDIO_FAKE_MIRAGE_VERSION", era_case->version, TRUE);
  if (era_case->v_prefix)
    g_setenv ("UNISTUDIO_FAKE_MIRAGE_V_PREFIX", "1", TRUE);
  else
    g_unsetenv ("UNISTUDIO_FAKE_MIRAGE_V_PREFIX");

  toolchain = detect (environment, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (UNI_IS_TOOLCHAIN (toolchain));

  g_assert_true (uni_toolchain_get_found (toolchain));
  g_assert_null (uni_toolchain_get_problem (toolchain));
  g_assert_cmpuint (uni_toolchain_get_setup_commands (toolchain)->len, ==, 0);
  g_assert_cmpstr (uni_toolchain_get_version_string (toolchain), ==, era_case->version_string);
  g_assert_cmpint (uni_toolchain_get_era (toolchain), ==, era_case->era);
  version = uni_toolchain_get_version (toolchain);
  g_assert_nonnull (version);
  g_assert_cmpint (version->major, ==, era_case->version[0] - '0');
  g_assert_true (g_str_has_suffix (uni_toolchain_get_mirage_path (toolchain), "/fixtures/mirage"));
  g_assert_true (g_path_is_absolute (uni_toolchain_get_mirage_path (toolchain)));
  g_assert_true (uni_toolchain_get_has_make (toolchain));
  g_assert_true (uni_toolchain_get_environment (toolchain) == environment);

  g_unsetenv ("UNISTUDIO_FAKE_MIRAGE_V_PREFIX");
  g_assert_finalize_object (g_steal_pointer (&toolchain));
}

static void
assert_setup_commands (UniToolchain *toolchain)
{
  GPtrArray *commands = uni_toolchain_get_setup_commands (toolchain);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  g_assert_cmpuint (commands->len, ==, 2);
  first = g_strjoinv ("|", g_ptr_array_index (commands, 0));
  second = g_strjoinv ("|", g_ptr_array_index (commands, 1));
  g_assert_cmpstr (first, ==, "opam|init|-y");
  g_assert_cmpstr (second, ==, "opam|install|-y|mirage");
}

static void
test_missing (void)
{
  g_autoptr(UniBuildEnvironment) environment = test_environment_new ("x86_64", NULL);
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) empty = uni_test_make_tempdir ("no-mirage");
  g_autofree char *empty_path = g_file_get_path (empty);
  g_autofree char *reason = NULL;

  set_path (empty_path);

  toolchain = detect (environment, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (uni_toolchain_get_found (toolchain));
  g_assert_cmpstr (uni_toolchain_get_problem (toolchain), ==,
                   "mirage was not found in Test Host");
  g_assert_null (uni_toolchain_get_version (toolchain));
  g_assert_null (uni_toolchain_get_version_string (toolchain));
  g_assert_null (uni_toolchain_get_mirage_path (toolchain));
  g_assert_cmpint (uni_toolchain_get_era (toolchain), ==, UNI_MIRAGE_ERA_UNKNOWN);
  assert_setup_commands (toolchain);

  g_assert_false (uni_toolchain_supports (toolchain, uni_target_lookup ("unix"), &reason));
  g_assert_cmpstr (reason, ==, "mirage was not found in Test Host");

  g_assert_finalize_object (g_steal_pointer (&toolchain));
}

/* A container or ssh answers 127 when the command is missing on the other side. */
static void
test_missing_behind_wrapper (void)
{
  const char *wrapper[] = { "sh", "-c", "exit 127", "sh", NULL };
  g_autoptr(UniBuildEnvironment) environment = test_environment_new ("x86_64", wrapper);
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;

  set_fixture_path ();

  toolchain = detect (environment, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (uni_toolchain_get_found (toolchain));
  g_assert_cmpstr (uni_toolchain_get_problem (toolchain), ==,
                   "mirage was not found in Test Host");
  assert_setup_commands (toolchain);
  g_assert_false (uni_toolchain_get_has_make (toolchain));
}

static void
test_garbage_version (void)
{
  g_autoptr(UniBuildEnvironment) environment = test_environment_new ("x86_64", NULL);
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = uni_test_make_tempdir ("odd-mirage");
  g_autoptr(GFile) script = g_file_get_child (dir, "mirage");
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *script_path = g_file_get_path (script);

  uni_test_write_file (dir, "mirage", "#!/bin/sh\necho 'not a version'\n");
  g_assert_cmpint (g_chmod (script_path, 0755), ==, 0);
  set_path (dir_path);

  toolchain = detect (environment, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (uni_toolchain_get_found (toolchain));
  g_assert_cmpstr (uni_toolchain_get_problem (toolchain), ==,
                   "mirage in Test Host printed “not a version” instead of a version");
  g_assert_cmpuint (uni_toolchain_get_setup_commands (toolchain)->len, ==, 0);
}

/* Alive and not a zombie waiting for its parent. */
static gboolean
process_is_alive (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *after;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return FALSE;
  after = strrchr (contents, ')');

  return after != NULL && after[1] == ' ' && after[2] != 'Z' && after[2] != 'X';
}

static gboolean
processes_gone (gpointer data)
{
  const int *pids = data;

  return !process_is_alive (pids[0]) && !process_is_alive (pids[1]);
}

/* A mirage that never answers (and starts a child of its own): detection
 * gives up with a clear problem and leaves no process behind.
 */
static void
test_probe_timeout (void)
{
  g_autoptr(UniBuildEnvironment) environment = test_environment_new ("x86_64", NULL);
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = uni_test_make_tempdir ("slow-mirage");
  g_autoptr(GFile) script = g_file_get_child (dir, "mirage");
  g_autofree char *dir_path = g_file_get_path (dir);
  g_autofree char *script_path = g_file_get_path (script);
  g_autofree char *text = NULL;
  g_autofree char *pids_text = NULL;
  g_autofree char *pids_path = g_build_filename (dir_path, "pids", NULL);
  g_auto(GStrv) words = NULL;
  gint64 start;
  int pids[2];

  text = g_strdup_printf ("#!/bin/sh\n"
                          "test \"$1\" = --version || exit 0\n"
                          "sleep 100 &\n"
                          "echo $$ $! >'%s'\n"
                          "read line\n"
                          "wait\n", pids_path);
  uni_test_write_file (dir, "mirage", text);
  g_assert_cmpint (g_chmod (script_path, 0755), ==, 0);
  set_path (dir_path);
  g_setenv ("UNISTUDIO_PROBE_TIMEOUT", "1", TRUE);

  start = g_get_monotonic_time ();
  toolchain = detect (environment, NULL, &error);
  g_unsetenv ("UNISTUDIO_PROBE_TIMEOUT");
  g_assert_no_error (error);
  g_assert_false (uni_toolchain_get_found (toolchain));
  g_assert_cmpstr (uni_toolchain_get_problem (toolchain), ==,
                   "mirage in Test Host did not answer within 1 second");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);

  g_assert_true (g_file_get_contents (pids_path, &pids_text, NULL, NULL));
  words = g_strsplit (g_strstrip (pids_text), " ", -1);
  g_assert_cmpuint (g_strv_length (words), ==, 2);
  pids[0] = atoi (words[0]);
  pids[1] = atoi (words[1]);
  g_assert_true (uni_test_wait_for (processes_gone, pids, 5000));
}

static void
test_supports (void)
{
  static const struct
  {
    const char *version;
    const char *arch;
    const char *target;
    const char *reason;
  } cases[] = {
    { "4.11.1", "x86_64", "xen-arm",
      "Xen on 32-bit ARM needs mirage 3.8 or older, built on an armv7 machine (the board "
      "itself or an ARM container); this toolchain is mirage 4.11.1 on x86_64" },
    { "4.11.1", "x86_64", "unix", NULL },
    { "4.11.1", "x86_64", "xen", NULL },
    { "4.11.1", "x86_64", "unikraft-qemu", NULL },
    { "3.8.0", "armv7l", "xen-arm", NULL },
    { "3.8.0", "x86_64", "xen-arm",
      "Xen on 32-bit ARM needs mirage 3.8 or older, built on an armv7 machine (the board "
      "itself or an ARM container); this toolchain is mirage 3.8.0 on x86_64" },
    { "2.9.1", "x86_64", "hvt",
      "Solo5 hvt needs mirage 3.0 or newer; this toolchain is mirage 2.9.1. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
  };

  set_fixture_path ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UniBuildEnvironment) environment = test_environment_new (cases[i].arch, NULL);
      g_autoptr(UniToolchain) toolchain = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *reason = NULL;

      g_test_message ("%s on %s: %s", cases[i].version, cases[i].arch, cases[i].target);
      g_setenv ("UNISTUDIO_FAKE_MIRAGE_VERSION", cases[i].version, TRUE);
      toolchain = detect (environment, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (uni_toolchain_get_found (toolchain));

      g_assert_cmpint (uni_toolchain_supports (toolchain, uni_target_lookup (cases[i].target),
                                               &reason),
                       ==, cases[i].reason == NULL);
      g_assert_cmpstr (reason, ==, cases[i].reason);
    }
}

static void
test_cancelled (void)
{
  g_autoptr(UniBuildEnvironment) environment = test_environment_new ("x86_64", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(UniToolchain) toolchain = NULL;
  g_autoptr(GError) error = NULL;

  set_fixture_path ();
  g_cancellable_cancel (cancellable);

  toolchain = detect (environment, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (toolchain);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (era_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uni/toolchain/detect/%s%s",
                                               era_cases[i].v_prefix ? "v" : "",
                                               era_cases[i].version);

      g_test_add_data_func (path, &era_cases[i], test_detect_era);
    }
  g_test_add_func ("/uni/toolchain/missing", test_missing);
  g_test_add_func ("/uni/toolchain/missing-behind-wrapper", test_missing_behind_wrapper);
  g_test_add_func ("/uni/toolchain/garbage-version", test_garbage_version);
  g_test_add_func ("/uni/toolchain/probe-timeout", test_probe_timeout);
  g_test_add_func ("/uni/toolchain/supports", test_supports);
  g_test_add_func ("/uni/toolchain/cancelled", test_cancelled);

  return g_test_run ();
}
