/* test-file-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "uni-file-util.h"
#include "uni-test-util.h"

#define ORIGINAL "let () = print_endline \"original\"\n"

static char *
path_of (GFile      *dir,
         const char *name)
{
  g_autoptr(GFile) file = g_file_get_child (dir, name);

  return g_file_get_path (file);
}

static guint
mode_of (const char *path)
{
  struct stat st;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return st.st_mode & 07777;
}

/* Only the names given may be in @dir: a failed save leaves no temp file. */
static void
assert_dir_holds_only (GFile      *dir,
                       const char *first_name,
                       ...)
{
  g_autofree char *path = g_file_get_path (dir);
  g_autoptr(GDir) gdir = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new (g_str_hash, g_str_equal);
  const char *name;
  guint seen = 0;
  va_list args;

  va_start (args, first_name);
  for (name = first_name; name != NULL; name = va_arg (args, const char *))
    g_hash_table_add (expected, (gpointer) name);
  va_end (args);

  gdir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (gdir);
  while ((name = g_dir_read_name (gdir)))
    {
      if (!g_hash_table_contains (expected, name))
        g_error ("unexpected file “%s” left in %s", name, path);
      seen++;
    }
  g_assert_cmpuint (seen, ==, g_hash_table_size (expected));
}

static void
test_save_new_file (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("new");
  g_autoptr(GFile) file = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  mode_t mask = umask (022);

  umask (mask);

  uni_file_replace_contents (file, ORIGINAL, strlen (ORIGINAL), NULL, &error);
  g_assert_no_error (error);

  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
  g_assert_cmpuint (mode_of (path), ==, 0666 & ~mask);
  assert_dir_holds_only (dir, "unikernel.ml", NULL);
}

static void
test_save_keeps_mode (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("mode");
  g_autoptr(GFile) file = g_file_get_child (dir, "run.sh");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *script = "#!/bin/sh\necho new\n";

  uni_test_write_file (dir, "run.sh", "#!/bin/sh\necho old\n");
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);

  uni_file_replace_contents (file, script, strlen (script), NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (mode_of (path), ==, 0755);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, script);

  g_assert_cmpint (g_chmod (path, 0600), ==, 0);
  uni_file_replace_contents (file, "x", 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mode_of (path), ==, 0600);
  assert_dir_holds_only (dir, "run.sh", NULL);
}

static void
test_save_quoted_folder (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("my proj 'q' \"x\"");
  g_autoptr(GFile) file = g_file_get_child (dir, "file with spaces & 'quotes'.ml");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "file with spaces & 'quotes'.ml", "old");
  uni_file_replace_contents (file, ORIGINAL, strlen (ORIGINAL), NULL, &error);
  g_assert_no_error (error);

  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
  assert_dir_holds_only (dir, "file with spaces & 'quotes'.ml", NULL);
}

static void
test_save_through_symlink (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("symlink");
  g_autoptr(GFile) link = g_file_get_child (dir, "link.ml");
  g_autoptr(GFile) target = g_file_get_child (dir, "real/target.ml");
  g_autofree char *link_path = g_file_get_path (link);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  uni_test_write_file (dir, "real/target.ml", "old");
  g_assert_cmpint (symlink ("real/target.ml", link_path), ==, 0);

  uni_file_replace_contents (link, ORIGINAL, strlen (ORIGINAL), NULL, &error);
  g_assert_no_error (error);

  /* The link is still a link, and the file it names has the new text. */
  g_assert_cmpint (g_lstat (link_path, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  contents = uni_test_read_file (target);
  g_assert_cmpstr (contents, ==, ORIGINAL);
}

static void
test_save_read_only_folder (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("read only");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "config.ml", ORIGINAL);
  if (!uni_test_make_read_only (dir))
    return;

  g_assert_false (uni_file_replace_contents (file, "new", 3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, (geteuid () == 0 ? G_IO_ERROR_READ_ONLY
                                                      : G_IO_ERROR_PERMISSION_DENIED));
  g_assert_nonnull (strstr (error->message, "config.ml"));

  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
  assert_dir_holds_only (dir, "config.ml", NULL);
  g_test_message ("error: %s", error->message);
}

static void
test_save_read_only_file (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("read-only file");
  g_autoptr(GFile) file = g_file_get_child (dir, "locked.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  if (geteuid () == 0)
    {
      g_test_skip ("root may write any file");
      return;
    }

  uni_test_write_file (dir, "locked.ml", ORIGINAL);
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);

  /* The folder is writable, so only an explicit check stops the rename. */
  g_assert_false (uni_file_replace_contents (file, "new", 3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
  g_assert_cmpuint (mode_of (path), ==, 0444);
  assert_dir_holds_only (dir, "locked.ml", NULL);
}

static void
test_save_full_disk (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("full disk");
  g_autoptr(GFile) file = g_file_get_child (dir, "big.ml");
  g_autofree char *big = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  gsize big_len = 1024 * 1024;

  if (!uni_test_make_full_disk (dir, 64))
    return;

  uni_test_write_file (dir, "big.ml", ORIGINAL);

  big = g_malloc (big_len);
  memset (big, 'x', big_len);

  g_assert_false (uni_file_replace_contents (file, big, big_len, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE);
  g_assert_nonnull (strstr (error->message, "big.ml"));
  g_test_message ("error: %s", error->message);

  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
  assert_dir_holds_only (dir, "big.ml", NULL);
}

static void
test_save_cancelled (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("cancelled");
  g_autoptr(GFile) file = g_file_get_child (dir, "a.ml");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "a.ml", ORIGINAL);
  g_cancellable_cancel (cancellable);

  g_assert_false (uni_file_replace_contents (file, "new", 3, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
  assert_dir_holds_only (dir, "a.ml", NULL);
}

static void
test_save_directory_fails (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("dir target");
  g_autoptr(GFile) sub = g_file_get_child (dir, "htdocs");
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "htdocs/index.html", "x");
  g_assert_false (uni_file_replace_contents (sub, "new", 3, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY);
  assert_dir_holds_only (dir, "htdocs", NULL);
}

static void
replace_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GError **error = user_data;

  g_assert_true (uni_file_replace_contents_finish (result, error) || *error != NULL);
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "done");
}

static gboolean
error_is_set (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
test_save_async (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("async");
  g_autoptr(GFile) file = g_file_get_child (dir, "a.ml");
  g_autoptr(GBytes) bytes = g_bytes_new_static (ORIGINAL, strlen (ORIGINAL));
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  uni_file_replace_contents_async (file, bytes, NULL, NULL, replace_done_cb, &error);
  g_assert_true (uni_test_wait_for (error_is_set, &error, 5000));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NONE);

  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, ORIGINAL);
}

static void
test_save_expected (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("expected");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autoptr(GFile) gone = g_file_get_child (dir, "gone.ml");
  g_autoptr(GBytes) original = g_bytes_new_static (ORIGINAL, strlen (ORIGINAL));
  g_autoptr(GBytes) mine = g_bytes_new_static ("mine\n", 5);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "config.ml", ORIGINAL);

  /* Still what we loaded: replaced. */
  g_assert_true (uni_file_replace_contents_full (file, "mine\n", 5, original, NULL, &error));
  g_assert_no_error (error);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, "mine\n");

  /* Another program wrote meanwhile (same size, even): theirs stays. */
  uni_test_write_file (dir, "config.ml", "their");
  g_clear_pointer (&contents, g_free);
  g_assert_false (uni_file_replace_contents_full (file, "again\n", 6, mine, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_assert_nonnull (strstr (error->message, "config.ml"));
  g_clear_error (&error);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, "their");
  assert_dir_holds_only (dir, "config.ml", NULL);

  /* Expected empty, but it has text. */
  g_assert_false (uni_file_replace_contents_full (file, "x", 1, empty, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_clear_error (&error);

  /* Removed meanwhile: not written back behind the user's back. */
  g_assert_false (uni_file_replace_contents_full (gone, "x", 1, original, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_clear_error (&error);
  g_assert_false (g_file_query_exists (gone, NULL));
  assert_dir_holds_only (dir, "config.ml", NULL);

  /* No expectation: whatever is there is replaced. */
  g_assert_true (uni_file_replace_contents_full (file, "x", 1, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, "x");
}

static void
test_create_absent (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("absent");
  g_autoptr(GFile) file = g_file_get_child (dir, "project.ini");
  g_autoptr(GFile) link = g_file_get_child (dir, "link.ini");
  g_autoptr(GFile) linked = g_file_get_child (dir, "linked.ini");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  /* Still absent: created. */
  g_assert_true (uni_file_create_contents (file, "mine\n", 5, NULL, &error));
  g_assert_no_error (error);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, "mine\n");
  assert_dir_holds_only (dir, "project.ini", NULL);

  /* Another program created it meanwhile, even empty: theirs stays. */
  uni_test_write_file (dir, "project.ini", "");
  g_assert_false (uni_file_create_contents (file, "again\n", 6, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_assert_nonnull (strstr (error->message, "project.ini"));
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  contents = uni_test_read_file (file);
  g_assert_cmpstr (contents, ==, "");
  assert_dir_holds_only (dir, "project.ini", NULL);

  /* A dangling symlink names a file that is absent: that one is created. */
  g_assert_true (g_file_make_symbolic_link (link, "linked.ini", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (uni_file_create_contents (link, "x", 1, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&contents, g_free);
  contents = uni_test_read_file (linked);
  g_assert_cmpstr (contents, ==, "x");
  g_assert_true (g_file_query_file_type (link, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL)
                 == G_FILE_TYPE_SYMBOLIC_LINK);
}

static void
test_copy_and_delete_tree (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("copy 'tree'");
  g_autoptr(GFile) source = g_file_get_child (dir, "source");
  g_autoptr(GFile) destination = g_file_get_child (dir, "copy");
  g_autoptr(GFile) copied_file = g_file_resolve_relative_path (destination, "htdocs/index.html");
  g_autoptr(GFile) source_file = g_file_resolve_relative_path (source, "htdocs/index.html");
  g_autofree char *source_script = NULL;
  g_autofree char *link_path = NULL;
  g_autofree char *copy_script = NULL;
  g_autofree char *copy_link = NULL;
  g_autofree char *copy_ro = NULL;
  g_autofree char *link_target = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  uni_test_write_file (source, "htdocs/index.html", "<html/>");
  uni_test_write_file (source, "run.sh", "#!/bin/sh\n");
  uni_test_write_file (source, "read-only/file", "ro");
  uni_test_write_file (source, "empty/.keep", "");
  source_script = g_build_filename (g_file_peek_path (source), "run.sh", NULL);
  g_assert_cmpint (g_chmod (source_script, 0755), ==, 0);
  link_path = g_build_filename (g_file_peek_path (source), "index-link", NULL);
  g_assert_cmpint (symlink ("htdocs/index.html", link_path), ==, 0);
  copy_ro = g_build_filename (g_file_peek_path (source), "read-only", NULL);
  g_assert_cmpint (g_chmod (copy_ro, 0555), ==, 0);
  g_clear_pointer (&copy_ro, g_free);

  uni_file_copy_tree (source, destination, NULL, &error);
  g_assert_no_error (error);

  contents = uni_test_read_file (copied_file);
  g_assert_cmpstr (contents, ==, "<html/>");

  copy_script = path_of (destination, "run.sh");
  g_assert_cmpuint (mode_of (copy_script), ==, 0755);

  copy_ro = path_of (destination, "read-only");
  g_assert_cmpuint (mode_of (copy_ro), ==, 0555);

  copy_link = path_of (destination, "index-link");
  g_assert_cmpint (g_lstat (copy_link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  link_target = g_file_read_link (copy_link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (link_target, ==, "htdocs/index.html");

  /* Copying onto an existing folder is refused rather than merged. */
  g_assert_false (uni_file_copy_tree (source, destination, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (copy_ro, 0755), ==, 0);
  uni_file_delete_tree (destination, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_query_exists (destination, NULL));

  /* The link was removed, not followed: the source is intact. */
  g_clear_pointer (&contents, g_free);
  contents = uni_test_read_file (source_file);
  g_assert_cmpstr (contents, ==, "<html/>");

  /* Deleting what is not there is not an error. */
  uni_file_delete_tree (destination, NULL, &error);
  g_assert_no_error (error);
}

static void
test_copy_tree_cancelled (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("copy cancelled");
  g_autoptr(GFile) source = g_file_get_child (dir, "source");
  g_autoptr(GFile) destination = g_file_get_child (dir, "copy");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  uni_test_write_file (source, "a", "a");
  g_cancellable_cancel (cancellable);

  g_assert_false (uni_file_copy_tree (source, destination, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_query_exists (destination, NULL));
}

static void
test_hidden_in_tree (void)
{
  static const struct {
    const char *name;
    GFileType   type;
    gboolean    hidden;
  } cases[] = {
    { ".git", G_FILE_TYPE_DIRECTORY, TRUE },
    { ".merlin", G_FILE_TYPE_REGULAR, TRUE },
    { ".hidden", G_FILE_TYPE_REGULAR, TRUE },
    { "_build", G_FILE_TYPE_DIRECTORY, TRUE },
    { "_opam", G_FILE_TYPE_DIRECTORY, TRUE },
    { "duniverse", G_FILE_TYPE_DIRECTORY, TRUE },
    { "node_modules", G_FILE_TYPE_DIRECTORY, TRUE },
    { "unikernel.ml~", G_FILE_TYPE_REGULAR, TRUE },
    { "dist", G_FILE_TYPE_DIRECTORY, FALSE },
    { "config.ml", G_FILE_TYPE_REGULAR, FALSE },
    { "htdocs", G_FILE_TYPE_DIRECTORY, FALSE },
    { "_build", G_FILE_TYPE_REGULAR, FALSE },
    { "duniverse", G_FILE_TYPE_REGULAR, FALSE },
    { "Makefile", G_FILE_TYPE_REGULAR, FALSE },
    { "mir-www.xen", G_FILE_TYPE_REGULAR, FALSE },
    { "a~b", G_FILE_TYPE_REGULAR, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("%s", cases[i].name);
      g_assert_cmpint (uni_file_is_hidden_in_tree (cases[i].name, cases[i].type),
                       ==, cases[i].hidden);
    }
}

static void
test_collapse_home (void)
{
  const char *home = g_get_home_dir ();
  g_autofree char *inside = g_build_filename (home, "src", "www", NULL);
  g_autofree char *sibling = g_strconcat (home, "-other/x", NULL);
  g_autofree char *collapsed_inside = uni_path_collapse_home (inside);
  g_autofree char *collapsed_home = uni_path_collapse_home (home);
  g_autofree char *collapsed_sibling = uni_path_collapse_home (sibling);
  g_autofree char *collapsed_other = uni_path_collapse_home ("/usr/share/unistudio");

  g_assert_cmpstr (collapsed_inside, ==, "~/src/www");
  g_assert_cmpstr (collapsed_home, ==, "~");
  g_assert_cmpstr (collapsed_sibling, ==, sibling);
  g_assert_cmpstr (collapsed_other, ==, "/usr/share/unistudio");
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/file-util/save/new-file", test_save_new_file);
  g_test_add_func ("/uni/file-util/save/keeps-mode", test_save_keeps_mode);
  g_test_add_func ("/uni/file-util/save/quoted-folder", test_save_quoted_folder);
  g_test_add_func ("/uni/file-util/save/through-symlink", test_save_through_symlink);
  g_test_add_func ("/uni/file-util/save/read-only-folder", test_save_read_only_folder);
  g_test_add_func ("/uni/file-util/save/read-only-file", test_save_read_only_file);
  g_test_add_func ("/uni/file-util/save/full-disk", test_save_full_disk);
  g_test_add_func ("/uni/file-util/save/cancelled", test_save_cancelled);
  g_test_add_func ("/uni/file-util/save/directory", test_save_directory_fails);
  g_test_add_func ("/uni/file-util/save/async", test_save_async);
  g_test_add_func ("/uni/file-util/save/expected", test_save_expected);
  g_test_add_func ("/uni/file-util/save/create-absent", test_create_absent);
  g_test_add_func ("/uni/file-util/tree/copy-delete", test_copy_and_delete_tree);
  g_test_add_func ("/uni/file-util/tree/copy-cancelled", test_copy_tree_cancelled);
  g_test_add_func ("/uni/file-util/hidden-in-tree", test_hidden_in_tree);
  g_test_add_func ("/uni/file-util/collapse-home", test_collapse_home);

  return g_test_run ();
}
