/* uni-file-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-file-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "uni-file-util.h"

/* Symlink chains longer than this are loops for our purposes (Linux uses 40). */
#define MAX_SYMLINK_DEPTH 40

/* Keeps ".NAME.XXXXXX" within NAME_MAX (255) for any NAME. */
#define MAX_TEMP_PREFIX_BYTES 200

#define WRITE_CHUNK_SIZE (64 * 1024)

static const char * const hidden_directories[] = {
  "_build",
  "_opam",
  "duniverse",
  "node_modules",
};

static void
set_save_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_autofree char *display = g_filename_display_basename (path);

  g_set_error (error,
               G_IO_ERROR,
               g_io_error_from_errno (saved_errno),
               _("Could not save “%s”: %s"),
               display,
               g_strerror (saved_errno));
}

static void
set_created_error (GError     **error,
                   const char  *path)
{
  g_autofree char *display = g_filename_display_basename (path);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
               _("Could not save “%s”: another program created it"),
               display);
}

/* Saving through a symlink must replace the file it points to, not turn the
 * link into a regular file. Dangling links are followed too: the save then
 * creates the file the link names.
 */
static char *
resolve_symlinks (const char  *path,
                  GError     **error)
{
  g_autofree char *current = g_strdup (path);

  for (guint depth = 0; depth < MAX_SYMLINK_DEPTH; depth++)
    {
      struct stat st;
      g_autofree char *target = NULL;
      gssize n;

      if (g_lstat (current, &st) != 0)
        {
          int saved_errno = errno;

          if (saved_errno == ENOENT)
            return g_steal_pointer (&current);

          set_save_error (error, path, saved_errno);
          return NULL;
        }

      if (!S_ISLNK (st.st_mode))
        return g_steal_pointer (&current);

      target = g_malloc (PATH_MAX);
      n = readlink (current, target, PATH_MAX - 1);
      if (n < 0)
        {
          set_save_error (error, path, errno);
          return NULL;
        }
      target[n] = '\0';

      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
        }
      else
        {
          g_autofree char *dir = g_path_get_dirname (current);

          g_free (current);
          current = g_build_filename (dir, target, NULL);
        }
    }

  set_save_error (error, path, ELOOP);
  return NULL;
}

static gboolean
write_all (int            fd,
           const char    *contents,
           gsize          length,
           GCancellable  *cancellable,
           int           *saved_errno)
{
  gsize written = 0;

  while (written < length)
    {
      gsize chunk = MIN (length - written, WRITE_CHUNK_SIZE);
      gssize n;

      if (g_cancellable_is_cancelled (cancellable))
        {
          *saved_errno = ECANCELED;
          return FALSE;
        }

      n = write (fd, contents + written, chunk);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          *saved_errno = errno;
          return FALSE;
        }

      written += n;
    }

  return TRUE;
}

static void
fsync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;

  /* Best effort: the data is already safe in the renamed file, this only
   * makes the rename itself durable across a power cut.
   */
  (void) fsync (fd);
  close (fd);
}

/**
 * uni_file_replace_contents:
 * @file: the file to write
 * @contents: (array length=length): the new contents
 * @length: the length of @contents in bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Replaces the contents of @file atomically: the data goes into a temporary
 * file next to it, which is synced and then renamed over @file. Readers see
 * either the old or the new contents, never a mix, and on any failure the
 * old file is left byte-identical. The mode (and, when allowed, the owner)
 * of an existing file is kept; a symlink is written through to its target.
 *
 * Returns: %TRUE on success
 */
gboolean
uni_file_replace_contents (GFile         *file,
                           const char    *contents,
                           gsize          length,
                           GCancellable  *cancellable,
                           GError       **error)
{
  return uni_file_replace_contents_full (file, contents, length, NULL, cancellable, error);
}

/* Reads @path back rather than trusting its mtime: two writes within one
 * timestamp tick, or a change put back with `touch -r`, look the same there.
 */
static gboolean
file_holds (const char *path,
            GBytes     *expected)
{
  g_autofree char *current = NULL;
  gconstpointer expected_data;
  gsize expected_length;
  gsize length = 0;
  struct stat st;

  expected_data = g_bytes_get_data (expected, &expected_length);

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || (gsize) st.st_size != expected_length)
    return FALSE;

  if (!g_file_get_contents (path, &current, &length, NULL))
    return FALSE;

  return length == expected_length &&
         (length == 0 || memcmp (current, expected_data, length) == 0);
}

static gboolean
replace_contents (GFile         *file,
                  const char    *contents,
                  gsize          length,
                  GBytes        *expected,
                  gboolean       must_be_absent,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autofree char *path = NULL;
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp_path = NULL;
  struct stat st;
  gboolean exists;
  int saved_errno = 0;
  int fd;

  g_assert (expected == NULL || !must_be_absent);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("Could not save “%s”: only local files can be saved"),
                   uri);
      return FALSE;
    }

  if (!(target = resolve_symlinks (path, error)))
    return FALSE;

  exists = g_stat (target, &st) == 0;
  if (!exists && errno != ENOENT)
    {
      set_save_error (error, path, errno);
      return FALSE;
    }
  if (exists && S_ISDIR (st.st_mode))
    {
      set_save_error (error, path, EISDIR);
      return FALSE;
    }
  if (exists && must_be_absent)
    {
      set_created_error (error, path);
      return FALSE;
    }

  /* The rename would succeed over a file the user may not write; a
   * read-only file stays read-only, as it would for a write in place.
   */
  if (exists && access (target, W_OK) != 0)
    {
      set_save_error (error, path, errno);
      return FALSE;
    }

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  if (strlen (base) > MAX_TEMP_PREFIX_BYTES)
    base[MAX_TEMP_PREFIX_BYTES] = '\0';
  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);

  /* 0666 lets the kernel apply the umask, which is what a new file needs;
   * an existing file gets its own mode back below.
   */
  fd = g_mkstemp_full (tmp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      set_save_error (error, path, errno);
      return FALSE;
    }

  if (!write_all (fd, contents, length, cancellable, &saved_errno))
    goto failure;

  if (exists)
    {
      /* Only root (or a member of both) can give the file back to another
       * owner; failing that the file simply becomes ours, like any editor.
       */
      if (st.st_uid != geteuid () || st.st_gid != getegid ())
        (void) fchown (fd, st.st_uid, st.st_gid);

      if (fchmod (fd, st.st_mode & 07777) != 0)
        {
          saved_errno = errno;
          goto failure;
        }
    }

  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      goto failure;
    }

  if (close (fd) != 0)
    {
      fd = -1;
      saved_errno = errno;
      goto failure;
    }
  fd = -1;

  if (g_cancellable_is_cancelled (cancellable))
    {
      saved_errno = ECANCELED;
      goto failure;
    }

  if (expected != NULL && !file_holds (target, expected))
    {
      g_autofree char *display = g_filename_display_basename (path);

      g_unlink (tmp_path);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
                   _("Could not save “%s”: another program changed it"),
                   display);
      return FALSE;
    }

  /* rename() would replace a file created meanwhile; link() refuses to.
   * Where hard links are not supported, a last look has to do.
   */
  if (must_be_absent)
    {
      if (link (tmp_path, target) == 0)
        {
          g_unlink (tmp_path);
          fsync_directory (dir);
          return TRUE;
        }

      if (errno == EEXIST || g_lstat (target, &st) == 0)
        {
          g_unlink (tmp_path);
          set_created_error (error, path);
          return FALSE;
        }
    }

  if (g_rename (tmp_path, target) != 0)
    {
      saved_errno = errno;
      goto failure;
    }

  fsync_directory (dir);

  return TRUE;

failure:
  if (fd >= 0)
    close (fd);
  g_unlink (tmp_path);

  if (saved_errno == ECANCELED)
    g_cancellable_set_error_if_cancelled (cancellable, error);
  else
    set_save_error (error, path, saved_errno);

  return FALSE;
}

/**
 * uni_file_replace_contents_full:
 * @file: the file to write
 * @contents: (array length=length): the new contents
 * @length: the length of @contents in bytes
 * @expected: (nullable): what @file must still hold when it is replaced, or
 *   %NULL to replace whatever is there
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like uni_file_replace_contents(), but just before the new contents take
 * the place of the old, checks that @file still holds @expected (what the
 * caller last loaded or saved). If another program changed or removed it
 * meanwhile, fails with %G_IO_ERROR_WRONG_ETAG and leaves @file untouched.
 * For a file that did not exist when it was loaded, see
 * uni_file_create_contents().
 *
 * Returns: %TRUE on success
 */
gboolean
uni_file_replace_contents_full (GFile         *file,
                                const char    *contents,
                                gsize          length,
                                GBytes        *expected,
                                GCancellable  *cancellable,
                                GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return replace_contents (file, contents, length, expected, FALSE, cancellable, error);
}

/**
 * uni_file_create_contents:
 * @file: the file to write
 * @contents: (array length=length): the contents
 * @length: the length of @contents in bytes
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Like uni_file_replace_contents_full(), for a file that did not exist
 * when the caller looked: writes @file atomically only while it still does
 * not exist. If another program created it meanwhile, fails with
 * %G_IO_ERROR_WRONG_ETAG and leaves that file untouched.
 *
 * Returns: %TRUE on success
 */
gboolean
uni_file_create_contents (GFile         *file,
                          const char    *contents,
                          gsize          length,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (contents != NULL || length == 0, FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return replace_contents (file, contents, length, NULL, TRUE, cancellable, error);
}

typedef struct
{
  GBytes *contents;
  GBytes *expected;
} ReplaceData;

static void
replace_data_free (ReplaceData *data)
{
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_clear_pointer (&data->expected, g_bytes_unref);
  g_free (data);
}

static void
replace_contents_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  GFile *file = source_object;
  ReplaceData *replace = task_data;
  GError *error = NULL;
  gconstpointer data;
  gsize length;

  data = g_bytes_get_data (replace->contents, &length);

  if (uni_file_replace_contents_full (file, data, length, replace->expected,
                                      cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * uni_file_replace_contents_async:
 * @file: the file to write
 * @contents: the new contents
 * @expected: (nullable): what @file must still hold when it is replaced, or
 *   %NULL to replace whatever is there
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file is saved or the save failed
 * @user_data: data for @callback
 *
 * Runs uni_file_replace_contents_full() in a worker thread.
 */
void
uni_file_replace_contents_async (GFile               *file,
                                 GBytes              *contents,
                                 GBytes              *expected,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ReplaceData *data;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (contents != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ReplaceData, 1);
  data->contents = g_bytes_ref (contents);
  data->expected = expected != NULL ? g_bytes_ref (expected) : NULL;

  task = g_task_new (file, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_file_replace_contents_async);
  g_task_set_task_data (task, data, (GDestroyNotify) replace_data_free);
  g_task_run_in_thread (task, replace_contents_thread);
}

/**
 * uni_file_replace_contents_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE if the file was saved
 */
gboolean
uni_file_replace_contents_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == uni_file_replace_contents_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

#define COPY_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_SYMLINK_TARGET "," \
  G_FILE_ATTRIBUTE_UNIX_MODE

static gboolean
copy_tree_recursive (GFile         *source,
                     GFile         *destination,
                     GFileInfo     *info,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(GFileEnumerator) children = NULL;
  GFileType type = g_file_info_get_file_type (info);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (type == G_FILE_TYPE_SYMBOLIC_LINK)
    return g_file_make_symbolic_link (destination,
                                      g_file_info_get_symlink_target (info),
                                      cancellable, error);

  if (type != G_FILE_TYPE_DIRECTORY)
    return g_file_copy (source, destination, G_FILE_COPY_NOFOLLOW_SYMLINKS,
                        cancellable, NULL, NULL, error);

  if (!g_file_make_directory (destination, cancellable, error))
    return FALSE;

  children = g_file_enumerate_children (source, COPY_ATTRIBUTES,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                        cancellable, error);
  if (children == NULL)
    return FALSE;

  for (;;)
    {
      GFileInfo *child_info = NULL;
      GFile *child = NULL;
      g_autoptr(GFile) child_destination = NULL;

      if (!g_file_enumerator_iterate (children, &child_info, &child, cancellable, error))
        return FALSE;
      if (child_info == NULL)
        break;

      child_destination = g_file_get_child (destination, g_file_info_get_name (child_info));
      if (!copy_tree_recursive (child, child_destination, child_info, cancellable, error))
        return FALSE;
    }

  /* The mode goes on last so that a read-only folder can still be filled. */
  if (g_file_info_has_attribute (info, G_FILE_ATTRIBUTE_UNIX_MODE))
    {
      guint32 mode = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE);

      return g_file_set_attribute_uint32 (destination, G_FILE_ATTRIBUTE_UNIX_MODE, mode,
                                          G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                          cancellable, error);
    }

  return TRUE;
}

/**
 * uni_file_copy_tree:
 * @source: a file or folder
 * @destination: where the copy goes; must not exist
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Copies @source and everything below it to @destination, keeping modes and
 * copying symlinks as symlinks. This blocks: call it from a worker thread.
 * On failure a partial copy may remain; the caller owns its cleanup.
 *
 * Returns: %TRUE on success
 */
gboolean
uni_file_copy_tree (GFile         *source,
                    GFile         *destination,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;

  g_return_val_if_fail (G_IS_FILE (source), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  info = g_file_query_info (source, COPY_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                            cancellable, error);
  if (info == NULL)
    return FALSE;

  return copy_tree_recursive (source, destination, info, cancellable, error);
}

/**
 * uni_file_delete_tree:
 * @file: a file or folder
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Deletes @file and, for a folder, everything below it. Symlinks are removed,
 * never followed. A missing @file is not an error. This blocks: call it from
 * a worker thread.
 *
 * Returns: %TRUE on success
 */
gboolean
uni_file_delete_tree (GFile         *file,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileInfo) info = NULL;

  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_TYPE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                            cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_autoptr(GFileEnumerator) children = NULL;

      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                            cancellable, error);
      if (children == NULL)
        return FALSE;

      for (;;)
        {
          GFile *child = NULL;

          if (!g_file_enumerator_iterate (children, NULL, &child, cancellable, error))
            return FALSE;
          if (child == NULL)
            break;
          if (!uni_file_delete_tree (child, cancellable, error))
            return FALSE;
        }
    }

  return g_file_delete (file, cancellable, error);
}

/**
 * uni_file_is_hidden_in_tree:
 * @name: a file name (not a path)
 * @type: what @name is
 *
 * Whether the project tree hides @name: dot files, editor backups and the
 * build and dependency folders of OCaml, opam and npm. `dist` stays visible
 * because mirage 4 puts the unikernel there.
 *
 * Returns: %TRUE if @name should not be shown
 */
gboolean
uni_file_is_hidden_in_tree (const char *name,
                            GFileType   type)
{
  gsize len;

  g_return_val_if_fail (name != NULL, FALSE);

  len = strlen (name);
  if (len == 0)
    return FALSE;

  if (name[0] == '.' || name[len - 1] == '~')
    return TRUE;

  if (type == G_FILE_TYPE_DIRECTORY)
    {
      for (guint i = 0; i < G_N_ELEMENTS (hidden_directories); i++)
        {
          if (strcmp (name, hidden_directories[i]) == 0)
            return TRUE;
        }
    }

  return FALSE;
}

/**
 * uni_path_collapse_home:
 * @path: an absolute path
 *
 * Shortens @path for display by writing the home folder as `~`.
 *
 * Returns: (transfer full): a newly allocated string
 */
char *
uni_path_collapse_home (const char *path)
{
  g_autofree char *home = NULL;
  gsize home_len;

  g_return_val_if_fail (path != NULL, NULL);

  home = g_strdup (g_get_home_dir ());
  home_len = strlen (home);
  while (home_len > 1 && home[home_len - 1] == G_DIR_SEPARATOR)
    home[--home_len] = '\0';

  /* A home of "/" would turn every path into "~/…", which helps nobody. */
  if (home_len <= 1)
    return g_strdup (path);

  if (strncmp (path, home, home_len) != 0)
    return g_strdup (path);

  if (path[home_len] == '\0')
    return g_strdup ("~");

  if (path[home_len] == G_DIR_SEPARATOR)
    return g_strconcat ("~", path + home_len, NULL);

  return g_strdup (path);
}
