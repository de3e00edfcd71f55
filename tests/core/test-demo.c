/* test-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>

#include <glib/gstdio.h>

#include "uni-demo.h"
#include "uni-test-util.h"

#define CONFIG_ML "open Mirage\nlet () = register \"2048\" []\n"

static GFile *
open_copy (const char  *demo_id,
           GError     **error)
{
  UniTestAsync wait = { NULL };
  GFile *file;

  uni_demo_open_copy_async (demo_id, NULL, uni_test_async_done_cb, &wait);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, 30000));
  file = uni_demo_open_copy_finish (wait.result, error);
  g_clear_object (&wait.result);

  return file;
}

/* A datadir of our own, so the tests do not depend on the real demos. */
static GFile *
make_fake_datadir (void)
{
  g_autoptr(GFile) datadir = uni_test_make_tempdir ("data dir 'fake'");
  g_autoptr(GFile) installed = NULL;
  g_autofree char *readonly_path = NULL;

  uni_test_write_file (datadir, "demos/2048/config.ml", CONFIG_ML);
  uni_test_write_file (datadir, "demos/2048/unikernel.ml", "let start () = ()\n");
  uni_test_write_file (datadir, "demos/2048/htdocs/index.html", "<title>2048</title>\n");

  /* Installed files are often read-only; the user's copy must not be. */
  installed = g_file_resolve_relative_path (datadir, "demos/2048/unikernel.ml");
  readonly_path = g_file_get_path (installed);
  g_assert_cmpint (g_chmod (readonly_path, 0444), ==, 0);

  g_setenv ("UNISTUDIO_DATADIR", g_file_peek_path (datadir), TRUE);

  return g_steal_pointer (&datadir);
}

static void
test_paths (void)
{
  g_autoptr(GFile) datadir = make_fake_datadir ();
  g_autoptr(GFile) installed = uni_demo_dup_installed_dir ("2048");
  g_autoptr(GFile) user_dir = uni_demo_dup_user_dir ("2048");
  g_autoptr(GFile) expected_installed = g_file_resolve_relative_path (datadir, "demos/2048");
  g_autofree char *expected_user = g_build_filename (g_get_user_data_dir (),
                                                     "unistudio", "demos", "2048", NULL);

  g_assert_true (g_file_equal (installed, expected_installed));
  g_assert_cmpstr (g_file_peek_path (user_dir), ==, expected_user);
}

static void
test_open_copy (void)
{
  g_autoptr(GFile) datadir = make_fake_datadir ();
  g_autoptr(GFile) installed_config = g_file_resolve_relative_path (datadir,
                                                                    "demos/2048/config.ml");
  g_autoptr(GFile) user_dir = uni_demo_dup_user_dir ("2048");
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GFile) again = NULL;
  g_autoptr(GFile) copy_config = NULL;
  g_autoptr(GFile) copy_index = NULL;
  g_autoptr(GFile) copy_unikernel = NULL;
  g_autoptr(GFile) parent = NULL;
  g_autoptr(GFileEnumerator) siblings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *unikernel_path = NULL;
  GFileInfo *info;
  struct stat st;
  guint count = 0;

  copy = open_copy ("2048", &error);
  g_assert_no_error (error);
  g_assert_nonnull (copy);
  g_assert_true (g_file_equal (copy, user_dir));

  copy_config = g_file_get_child (copy, "config.ml");
  copy_index = g_file_resolve_relative_path (copy, "htdocs/index.html");
  contents = uni_test_read_file (copy_config);
  g_assert_cmpstr (contents, ==, CONFIG_ML);
  g_assert_true (g_file_query_exists (copy_index, NULL));

  copy_unikernel = g_file_get_child (copy, "unikernel.ml");
  unikernel_path = g_file_get_path (copy_unikernel);
  g_assert_cmpint (g_stat (unikernel_path, &st), ==, 0);
  g_assert_true (st.st_mode & S_IWUSR);

  /* No staging folder is left next to the copy. */
  parent = g_file_get_parent (copy);
  siblings = g_file_enumerate_children (parent, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                        G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
  while ((info = g_file_enumerator_next_file (siblings, NULL, &error)))
    {
      g_assert_cmpstr (g_file_info_get_name (info), ==, "2048");
      g_object_unref (info);
      count++;
    }
  g_assert_cmpuint (count, ==, 1);

  /* The user edits the copy; opening the demo again keeps the edit. */
  uni_test_write_file (copy, "config.ml", "(* mine *)\n");
  uni_test_write_file (copy, "notes.txt", "my notes\n");

  again = open_copy ("2048", &error);
  g_assert_no_error (error);
  g_assert_true (g_file_equal (again, copy));

  g_clear_pointer (&contents, g_free);
  contents = uni_test_read_file (copy_config);
  g_assert_cmpstr (contents, ==, "(* mine *)\n");

  /* The installed original never changes. */
  g_clear_pointer (&contents, g_free);
  contents = uni_test_read_file (installed_config);
  g_assert_cmpstr (contents, ==, CONFIG_ML);
}

static void
test_missing_demo (void)
{
  g_autoptr(GFile) datadir = make_fake_datadir ();
  g_autoptr(GFile) user_dir = uni_demo_dup_user_dir ("gluecon-2016");
  g_autoptr(GFile) copy = NULL;
  g_autoptr(GError) error = NULL;

  copy = open_copy ("gluecon-2016", &error);
  g_assert_null (copy);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gluecon-2016"));
  g_test_message ("%s", error->message);
  g_assert_false (g_file_query_exists (user_dir, NULL));
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/demo/paths", test_paths);
  g_test_add_func ("/uni/demo/open-copy", test_open_copy);
  g_test_add_func ("/uni/demo/missing", test_missing_demo);

  return g_test_run ();
}
