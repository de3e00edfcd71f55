/* test-project-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-project.h"
#include "uni-project-settings.h"
#include "uni-test-util.h"

typedef struct
{
  guint  count;
  char  *last_target;
  char  *last_flag;
} ChangedLog;

static void
changed_cb (UniProjectSettings *settings,
            const char         *target_id,
            const char         *flag,
            gpointer            user_data)
{
  ChangedLog *log = user_data;

  log->count++;
  g_free (log->last_target);
  g_free (log->last_flag);
  log->last_target = g_strdup (target_id);
  log->last_flag = g_strdup (flag);
}

static void
changed_log_clear (ChangedLog *log)
{
  g_clear_pointer (&log->last_target, g_free);
  g_clear_pointer (&log->last_flag, g_free);
  log->count = 0;
}

static char *
read_settings_file (GFile *dir)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (dir, UNI_PROJECT_SETTINGS_PATH);

  return uni_test_read_file (file);
}

static gboolean
settings_file_exists (GFile *dir)
{
  g_autoptr(GFile) file = g_file_resolve_relative_path (dir, UNI_PROJECT_SETTINGS_PATH);

  return g_file_query_exists (file, NULL);
}

static void
test_defaults_when_missing (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(GFile) expected = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) flags = NULL;
  UniProjectSettings *settings = uni_project_settings_new (dir);

  g_assert_true (g_file_equal (uni_project_settings_get_file (settings), expected));

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (uni_project_settings_get_load_error (settings));

  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "unix");
  flags = uni_project_settings_dup_target_flags (settings, "unix");
  g_assert_nonnull (flags);
  g_assert_cmpuint (g_strv_length (flags), ==, 0);
  g_assert_null (uni_project_settings_dup_target_value (settings, "unix", "net"));

  /* Reading never creates the file. */
  g_assert_false (settings_file_exists (dir));

  g_assert_finalize_object (settings);
}

static void
test_round_trip (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(UniProjectSettings) reread = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *value = NULL;
  g_auto(GStrv) flags = NULL;

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);

  uni_project_settings_set_target (settings, "xen-arm");
  uni_project_settings_set_target_value (settings, "unix", "net", "socket");
  uni_project_settings_set_target_value (settings, "xen-arm", "dhcp", "true");
  uni_project_settings_set_target_value (settings, "xen-arm", "network", "0");
  uni_project_settings_set_target_value (settings, "xen-arm", "no-opam", "true");
  uni_project_settings_set_target_value (settings, "xen-arm", "doc", "two words; \"quoted\"\t");

  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);

  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==,
                   "[Project]\n"
                   "target=xen-arm\n"
                   "\n"
                   "[Target unix]\n"
                   "net=socket\n"
                   "\n"
                   "[Target xen-arm]\n"
                   "dhcp=true\n"
                   "network=0\n"
                   "no-opam=true\n"
                   "doc=two words; \"quoted\"\t\n");

  reread = uni_project_settings_new (dir);
  g_assert_true (uni_project_settings_load (reread, NULL, &error));
  g_assert_no_error (error);

  g_assert_cmpstr (uni_project_settings_get_target (reread), ==, "xen-arm");
  flags = uni_project_settings_dup_target_flags (reread, "xen-arm");
  g_assert_cmpstrv (flags, ((const char * const[]) { "dhcp", "network", "no-opam", "doc", NULL }));
  value = uni_project_settings_dup_target_value (reread, "xen-arm", "doc");
  g_assert_cmpstr (value, ==, "two words; \"quoted\"\t");
  g_clear_pointer (&value, g_free);
  value = uni_project_settings_dup_target_value (reread, "unix", "net");
  g_assert_cmpstr (value, ==, "socket");
}

static void
test_async (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(UniProjectSettings) reread = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  UniTestAsync load = { NULL };
  UniTestAsync save = { NULL };
  UniTestAsync reload = { NULL };

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget=xen\n");

  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &load);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &load, 5000));
  g_assert_true (uni_project_settings_load_finish (settings, load.result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "xen");

  uni_project_settings_set_target_value (settings, "xen", "dhcp", "false");
  uni_project_settings_save_async (settings, NULL, uni_test_async_done_cb, &save);
  /* What is saved is what was there when the save started. */
  uni_project_settings_set_target_value (settings, "xen", "dhcp", "true");
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &save, 5000));
  g_assert_true (uni_project_settings_save_finish (settings, save.result, &error));
  g_assert_no_error (error);

  uni_project_settings_load_async (reread, NULL, uni_test_async_done_cb, &reload);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &reload, 5000));
  g_assert_true (uni_project_settings_load_finish (reread, reload.result, &error));
  g_assert_no_error (error);
  value = uni_project_settings_dup_target_value (reread, "xen", "dhcp");
  g_assert_cmpstr (value, ==, "false");

  g_clear_object (&load.result);
  g_clear_object (&save.result);
  g_clear_object (&reload.result);
}

static void
test_preserves_comments (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *value = NULL;
  const char *original =
    "# Settings for the GlueCon demo; edit freely.\n"
    "\n"
    "[Project]\n"
    "# the board on the desk\n"
    "target=unix\n"
    "board=cubieboard2\n"
    "\n"
    "# Build on the board itself.\n"
    "\n"
    "[Build environment]\n"
    "kind=ssh\n"
    "host=cubieboard2.local\n"
    "\n"
    "[Target xen-arm]\n"
    "# overrides the default in config.ml\n"
    "network=0\n"
    "dhcp=true\n"
    "Name[fr]=bonjour\n";

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, original);

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  value = uni_project_settings_dup_target_value (settings, "xen-arm", "network");
  g_assert_cmpstr (value, ==, "0");

  /* An unchanged file is written back byte for byte. */
  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, original);
  g_clear_pointer (&contents, g_free);

  uni_project_settings_set_target (settings, "xen-arm");
  uni_project_settings_set_target_value (settings, "xen-arm", "dhcp", "false");
  uni_project_settings_set_target_value (settings, "xen-arm", "no-opam", "true");
  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);

  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==,
                   "# Settings for the GlueCon demo; edit freely.\n"
                   "\n"
                   "[Project]\n"
                   "# the board on the desk\n"
                   "target=xen-arm\n"
                   "board=cubieboard2\n"
                   "\n"
                   "# Build on the board itself.\n"
                   "\n"
                   "[Build environment]\n"
                   "kind=ssh\n"
                   "host=cubieboard2.local\n"
                   "\n"
                   "[Target xen-arm]\n"
                   "# overrides the default in config.ml\n"
                   "network=0\n"
                   "dhcp=false\n"
                   "Name[fr]=bonjour\n"
                   "no-opam=true\n");
}

/* GLib 2.74 writes a comment right above a group header with a blank line
 * after it; the first save adds that line, later saves change nothing.
 */
static void
test_group_comment_settles (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH,
                       "[Project]\ntarget=xen\n\n# the board\n[Board]\nname=cubieboard2\n");

  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (uni_project_settings_load (settings, NULL, &error));
      g_assert_no_error (error);
      g_assert_true (uni_project_settings_save (settings, NULL, &error));
      g_assert_no_error (error);
      if (i == 0)
        first = read_settings_file (dir);
      else
        second = read_settings_file (dir);
    }

  g_assert_cmpstr (first, ==,
                   "[Project]\ntarget=xen\n\n# the board\n\n[Board]\nname=cubieboard2\n");
  g_assert_cmpstr (second, ==, first);
}

static void
test_malformed (void)
{
  static const struct {
    const char *contents;
    guint       line;
  } cases[] = {
    { "[Project]\ntarget=unix\nthis is not a key\n", 3 },
    { "target=unix\n[Project]\n", 1 },
    { "# comment\n\n[Project\ntarget=unix\n", 3 },
    { "[Project]\n=no key\n", 2 },
    { "[Project]\ntarget=unix\n[Target unix]\nnet=socket\nno newline at the end", 5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
      g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_strdup_printf ("line %u", cases[i].line);
      g_autofree char *contents = NULL;
      g_autofree char *value = NULL;

      g_test_message ("case %u", i);
      uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, cases[i].contents);

      g_assert_false (uni_project_settings_load (settings, NULL, &error));
      g_test_message ("%s", error->message);
      g_assert_error (error, G_KEY_FILE_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, "project.ini"));
      g_assert_nonnull (strstr (error->message, line));
      g_assert_nonnull (uni_project_settings_get_load_error (settings));
      g_clear_error (&error);

      /* Defaults in memory, edits still possible; saving refuses. */
      g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "unix");
      uni_project_settings_set_target_value (settings, "unix", "net", "direct");
      value = uni_project_settings_dup_target_value (settings, "unix", "net");
      g_assert_cmpstr (value, ==, "direct");

      g_assert_false (uni_project_settings_save (settings, NULL, &error));
      g_assert_error (error, G_KEY_FILE_ERROR, error->code);
      g_assert_nonnull (strstr (error->message, line));
      g_clear_error (&error);

      contents = read_settings_file (dir);
      g_assert_cmpstr (contents, ==, cases[i].contents);
      g_clear_pointer (&contents, g_free);

      /* Once the user fixed the file, a load clears the refusal. */
      uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget=xen\n");
      g_assert_true (uni_project_settings_load (settings, NULL, &error));
      g_assert_no_error (error);
      g_assert_null (uni_project_settings_get_load_error (settings));
      g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "xen");
      g_assert_true (uni_project_settings_save (settings, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
test_malformed_async (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  UniTestAsync load = { NULL };
  UniTestAsync save = { NULL };

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\n<<<<<<< HEAD\n");

  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &load);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &load, 5000));
  g_assert_false (uni_project_settings_load_finish (settings, load.result, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, error->code);
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_clear_error (&error);

  uni_project_settings_save_async (settings, NULL, uni_test_async_done_cb, &save);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &save, 5000));
  g_assert_false (uni_project_settings_save_finish (settings, save.result, &error));
  g_assert_error (error, G_KEY_FILE_ERROR, error->code);

  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Project]\n<<<<<<< HEAD\n");

  g_clear_object (&load.result);
  g_clear_object (&save.result);
}

static void
test_save_before_load (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "# mine\n[Project]\ntarget=xen\n");

  uni_project_settings_set_target (settings, "unix");
  g_assert_false (uni_project_settings_save (settings, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);

  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "# mine\n[Project]\ntarget=xen\n");
}

static void
test_read_only_folder (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);

  if (!uni_test_make_read_only (dir))
    return;

  uni_project_settings_set_target_value (settings, "unix", "net", "socket");
  g_assert_false (uni_project_settings_save (settings, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_nonnull (strstr (error->message, "project settings"));
  g_assert_nonnull (strstr (error->message, "project"));
  g_assert_false (settings_file_exists (dir));

  value = uni_project_settings_dup_target_value (settings, "unix", "net");
  g_assert_cmpstr (value, ==, "socket");
}

static void
test_changed_signal (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  ChangedLog all = { 0 };
  ChangedLog dhcp = { 0 };

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);

  g_signal_connect (settings, "changed", G_CALLBACK (changed_cb), &all);
  g_signal_connect (settings, "changed::dhcp", G_CALLBACK (changed_cb), &dhcp);

  uni_project_settings_set_target_value (settings, "xen-arm", "dhcp", "true");
  g_assert_cmpuint (all.count, ==, 1);
  g_assert_cmpstr (all.last_target, ==, "xen-arm");
  g_assert_cmpstr (all.last_flag, ==, "dhcp");
  g_assert_cmpuint (dhcp.count, ==, 1);

  uni_project_settings_set_target_value (settings, "xen-arm", "dhcp", "true");
  g_assert_cmpuint (all.count, ==, 1);

  uni_project_settings_set_target_value (settings, "xen-arm", "network", "0");
  g_assert_cmpuint (all.count, ==, 2);
  g_assert_cmpuint (dhcp.count, ==, 1);

  uni_project_settings_set_target_value (settings, "xen-arm", "network", NULL);
  g_assert_cmpuint (all.count, ==, 3);
  uni_project_settings_set_target_value (settings, "xen-arm", "network", NULL);
  uni_project_settings_set_target_value (settings, "unix", "net", NULL);
  g_assert_cmpuint (all.count, ==, 3);

  /* Removing the last value removes the group. */
  uni_project_settings_set_target_value (settings, "xen-arm", "dhcp", NULL);
  g_assert_cmpuint (all.count, ==, 4);
  g_assert_cmpuint (dhcp.count, ==, 2);

  uni_project_settings_set_target (settings, "unix");
  g_assert_cmpuint (all.count, ==, 5);
  g_assert_null (all.last_flag);
  uni_project_settings_set_target (settings, "unix");
  g_assert_cmpuint (all.count, ==, 5);

  g_signal_handlers_disconnect_by_data (settings, &all);
  g_signal_handlers_disconnect_by_data (settings, &dhcp);

  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Project]\ntarget=unix\n");

  changed_log_clear (&all);
  changed_log_clear (&dhcp);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_target_property (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(UniProjectSettings) other = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  ChangedLog log = { 0 };
  guint notified = 0;

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (settings, "notify::target", G_CALLBACK (count_notify_cb), &notified);
  g_signal_connect (settings, "changed", G_CALLBACK (changed_cb), &log);

  /* Writing the default explicitly changes the file, not the target. */
  uni_project_settings_set_target (settings, "unix");
  g_assert_cmpuint (notified, ==, 0);
  g_assert_cmpuint (log.count, ==, 1);

  uni_project_settings_set_target (settings, "xen");
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (log.count, ==, 2);

  uni_project_settings_set_target (settings, NULL);
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "unix");
  g_assert_cmpuint (notified, ==, 2);

  /* A load that reads other settings says so once. */
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget=hvt\n");
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "hvt");
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpuint (log.count, ==, 4);
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (notified, ==, 3);
  g_assert_cmpuint (log.count, ==, 4);

  changed_log_clear (&log);
}

static UniProject *
load_project (GFile *dir)
{
  g_autoptr(UniProject) project = uni_project_new (dir);
  g_autoptr(GError) error = NULL;
  UniTestAsync load = { NULL };

  g_assert_null (uni_project_get_settings (project));

  uni_project_load_async (project, NULL, uni_test_async_done_cb, &load);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &load, 10000));
  g_assert_true (uni_project_load_finish (project, load.result, &error));
  g_assert_no_error (error);
  g_clear_object (&load.result);

  return g_steal_pointer (&project);
}

static void
test_project_loads_settings (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProject) project = NULL;
  g_autofree char *value = NULL;
  UniProjectSettings *settings;

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH,
                       "[Project]\ntarget=xen-arm\n\n[Target xen-arm]\nnetwork=0\n");

  project = load_project (dir);
  settings = uni_project_get_settings (project);
  g_assert_true (UNI_IS_PROJECT_SETTINGS (settings));
  g_assert_null (uni_project_get_settings_error (project));
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "xen-arm");
  value = uni_project_settings_dup_target_value (settings, "xen-arm", "network");
  g_assert_cmpstr (value, ==, "0");
}

static void
test_project_malformed_settings (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  UniProjectSettings *settings;
  const GError *settings_error;

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget xen\n");

  /* The project opens anyway, with default settings and the reason. */
  project = load_project (dir);
  settings = uni_project_get_settings (project);
  g_assert_nonnull (settings);
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "unix");

  settings_error = uni_project_get_settings_error (project);
  g_assert_nonnull (settings_error);
  g_assert_true (settings_error->domain == G_KEY_FILE_ERROR);
  g_assert_nonnull (strstr (settings_error->message, "line 2"));

  uni_project_settings_set_target (settings, "xen");
  g_assert_false (uni_project_settings_save (settings, NULL, &error));
  g_assert_nonnull (error);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Project]\ntarget xen\n");
}

typedef struct
{
  guint  done;
  guint  failed;
} SaveCount;

static void
save_counted_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SaveCount *count = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_project_settings_save_finish (UNI_PROJECT_SETTINGS (object), result, &error))
    count->failed++;
  count->done++;
}

static gboolean
saves_done (gpointer data)
{
  return ((SaveCount *) data)->done == 40;
}

static void
test_overlapping_saves (void)
{
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
      g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
      g_autoptr(UniProjectSettings) reread = uni_project_settings_new (dir);
      g_autoptr(GError) error = NULL;
      g_autofree char *value = NULL;
      SaveCount count = { 0 };

      g_assert_true (uni_project_settings_load (settings, NULL, &error));
      g_assert_no_error (error);

      for (guint i = 1; i <= 40; i++)
        {
          g_autofree char *port = g_strdup_printf ("%u", i);

          g_assert_true (uni_project_settings_set_target_value (settings, "unix", "port", port));
          uni_project_settings_save_async (settings, NULL, save_counted_cb, &count);
        }

      /* Every caller hears back, and the file ends with the last value. */
      g_assert_true (uni_test_wait_for (saves_done, &count, 10000));
      g_assert_cmpuint (count.failed, ==, 0);

      g_assert_true (uni_project_settings_load (reread, NULL, &error));
      g_assert_no_error (error);
      value = uni_project_settings_dup_target_value (reread, "unix", "port");
      g_assert_cmpstr (value, ==, "40");

      /* The object knows what it wrote: a later save is not a conflict. */
      g_assert_true (uni_project_settings_set_target_value (settings, "unix", "port", "41"));
      g_assert_true (uni_project_settings_save (settings, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
assert_refused_as_changed (UniProjectSettings *settings,
                           GError             *error)
{
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_assert_cmpstr (error->message, ==,
                   "“project.ini” changed on disk since it was read: reload it before saving");
  g_assert_null (uni_project_settings_get_load_error (settings));
}

static void
test_changed_on_disk (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *value = NULL;
  UniTestAsync save = { NULL };

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Target unix]\nport=1\n");
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);

  /* Our own saves are not changes by someone else. */
  uni_project_settings_set_target_value (settings, "unix", "port", "2");
  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);

  /* A git pull or a hand edit since: theirs stays, ours stays in memory. */
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Target unix]\nport=9\n");
  uni_project_settings_set_target_value (settings, "unix", "port", "3");
  g_assert_false (uni_project_settings_save (settings, NULL, &error));
  assert_refused_as_changed (settings, error);
  g_clear_error (&error);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Target unix]\nport=9\n");
  value = uni_project_settings_dup_target_value (settings, "unix", "port");
  g_assert_cmpstr (value, ==, "3");

  /* Refused until a reload, async too, even if the file is put back. */
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Target unix]\nport=2\n");
  uni_project_settings_save_async (settings, NULL, uni_test_async_done_cb, &save);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &save, 5000));
  g_assert_false (uni_project_settings_save_finish (settings, save.result, &error));
  assert_refused_as_changed (settings, error);
  g_clear_error (&error);
  g_clear_object (&save.result);

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  uni_project_settings_set_target_value (settings, "unix", "port", "4");
  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Target unix]\nport=4\n");

  /* Changed by another program while an async save was writing. */
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Target unix]\nport=8\n");
  uni_project_settings_set_target_value (settings, "unix", "port", "5");
  uni_project_settings_save_async (settings, NULL, uni_test_async_done_cb, &save);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &save, 5000));
  g_assert_false (uni_project_settings_save_finish (settings, save.result, &error));
  assert_refused_as_changed (settings, error);
  g_clear_object (&save.result);
  g_clear_pointer (&contents, g_free);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Target unix]\nport=8\n");
}

static void
test_created_on_disk (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  /* Absent when read; someone creates it since, even empty. */
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "");
  uni_project_settings_set_target (settings, "xen");
  g_assert_false (uni_project_settings_save (settings, NULL, &error));
  assert_refused_as_changed (settings, error);
  g_clear_error (&error);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "");
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "xen");

  /* Absent when read and still absent: created. */
  g_assert_true (g_file_delete (uni_project_settings_get_file (settings), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  uni_project_settings_set_target (settings, "xen");
  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Project]\ntarget=xen\n");
}

static void
test_refuses_what_the_file_cannot_hold (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  ChangedLog log = { 0 };
  const char * const bad_names[] = { "a\tb", "a\x7f" "b", "a\x01", "a\nb", "", " a", "a]",
                                     "\xff" };

  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_signal_connect (settings, "changed", G_CALLBACK (changed_cb), &log);

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_assert_false (uni_project_settings_set_target_value (settings, "unix", bad_names[i],
                                                             "1"));
      g_assert_false (uni_project_settings_set_target_value (settings, bad_names[i], "port",
                                                             "1"));
      g_assert_false (uni_project_settings_set_target (settings, bad_names[i]));
    }
  g_assert_false (uni_project_settings_set_target_value (settings, "unix", "port", "caf\xe9"));
  g_assert_cmpuint (log.count, ==, 0);

  /* Tabs and any UTF-8 are fine inside a value. */
  g_assert_true (uni_project_settings_set_target_value (settings, "unix", "doc", "a\tcafé"));
  g_assert_cmpuint (log.count, ==, 1);

  g_assert_true (uni_project_settings_save (settings, NULL, &error));
  g_assert_no_error (error);
  contents = read_settings_file (dir);
  g_assert_cmpstr (contents, ==, "[Target unix]\ndoc=a\tcafé\n");

  g_signal_handlers_disconnect_by_data (settings, &log);
  changed_log_clear (&log);
}

static void
test_overlapping_loads (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("project");
  g_autoptr(UniProjectSettings) settings = uni_project_settings_new (dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  UniTestAsync older = { NULL };
  UniTestAsync newer = { NULL };
  UniTestAsync load = { NULL };

  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget=old\n");
  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &older);
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget=new\n");
  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &newer);

  /* Whichever ends last, the newer one is what applies. */
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &older, 5000));
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &newer, 5000));
  g_assert_false (uni_project_settings_load_finish (settings, older.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_true (uni_project_settings_load_finish (settings, newer.result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "new");

  /* A sync load overtakes one in flight too. */
  g_clear_object (&older.result);
  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &older);
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Project]\ntarget=newest\n");
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &older, 5000));
  g_assert_false (uni_project_settings_load_finish (settings, older.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "newest");

  /* A change made while a load reads is kept, and the load says so. */
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, "[Target unix]\nport=1\n");
  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &load);
  uni_project_settings_set_target_value (settings, "unix", "port", "2");
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &load, 5000));
  g_assert_false (uni_project_settings_load_finish (settings, load.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_assert_nonnull (strstr (error->message, "not reloaded"));
  g_clear_error (&error);
  value = uni_project_settings_dup_target_value (settings, "unix", "port");
  g_assert_cmpstr (value, ==, "2");
  g_assert_cmpstr (uni_project_settings_get_target (settings), ==, "newest");

  g_clear_object (&older.result);
  g_clear_object (&newer.result);
  g_clear_object (&load.result);
}

static void
test_value_is_true (void)
{
  static const struct { const char *value; gboolean expected; } cases[] = {
    { "true", TRUE }, { "TRUE", TRUE }, { "yes", TRUE }, { "Yes", TRUE }, { "1", TRUE },
    { "false", FALSE }, { "no", FALSE }, { "0", FALSE }, { "", FALSE }, { "truely", FALSE },
    { " true", FALSE }, { "2", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (uni_project_settings_value_is_true (cases[i].value), ==, cases[i].expected);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/project-settings/defaults-when-missing", test_defaults_when_missing);
  g_test_add_func ("/uni/project-settings/round-trip", test_round_trip);
  g_test_add_func ("/uni/project-settings/async", test_async);
  g_test_add_func ("/uni/project-settings/preserves-comments", test_preserves_comments);
  g_test_add_func ("/uni/project-settings/group-comment-settles", test_group_comment_settles);
  g_test_add_func ("/uni/project-settings/malformed", test_malformed);
  g_test_add_func ("/uni/project-settings/malformed-async", test_malformed_async);
  g_test_add_func ("/uni/project-settings/save-before-load", test_save_before_load);
  g_test_add_func ("/uni/project-settings/read-only-folder", test_read_only_folder);
  g_test_add_func ("/uni/project-settings/changed-signal", test_changed_signal);
  g_test_add_func ("/uni/project-settings/target-property", test_target_property);
  g_test_add_func ("/uni/project-settings/project-loads-settings", test_project_loads_settings);
  g_test_add_func ("/uni/project-settings/project-malformed-settings",
                   test_project_malformed_settings);
  g_test_add_func ("/uni/project-settings/overlapping-saves", test_overlapping_saves);
  g_test_add_func ("/uni/project-settings/changed-on-disk", test_changed_on_disk);
  g_test_add_func ("/uni/project-settings/created-on-disk", test_created_on_disk);
  g_test_add_func ("/uni/project-settings/refuses-what-the-file-cannot-hold",
                   test_refuses_what_the_file_cannot_hold);
  g_test_add_func ("/uni/project-settings/overlapping-loads", test_overlapping_loads);
  g_test_add_func ("/uni/project-settings/value-is-true", test_value_is_true);

  return g_test_run ();
}
