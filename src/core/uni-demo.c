/* uni-demo.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-demo"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "uni-demo.h"
#include "uni-file-util.h"

static const char *
get_datadir (void)
{
  const char *datadir = g_getenv ("UNISTUDIO_DATADIR");

  /* Tests and build-aux/run use the source tree instead of an install. */
  if (datadir != NULL && *datadir != '\0')
    return datadir;

  return PKGDATADIR;
}

static gboolean
is_valid_demo_id (const char *demo_id)
{
  return demo_id != NULL
         && *demo_id != '\0'
         && *demo_id != '.'
         && strchr (demo_id, G_DIR_SEPARATOR) == NULL;
}

/* Installed files may be read-only (a system or Flatpak install); the copy
 * is the user's to edit.
 */
static gboolean
make_user_writable (GFile         *file,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  guint32 mode;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_UNIX_MODE,
                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error);
  if (info == NULL)
    return FALSE;

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_SYMBOLIC_LINK)
    return TRUE;

  mode = g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_UNIX_MODE);
  if ((mode & S_IWUSR) == 0
      && !g_file_set_attribute_uint32 (file, G_FILE_ATTRIBUTE_UNIX_MODE, (mode | S_IWUSR) & 07777,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, cancellable, error))
    return FALSE;

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
          if (!make_user_writable (child, cancellable, error))
            return FALSE;
        }
    }

  return TRUE;
}

static void
open_copy_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *demo_id = task_data;
  g_autoptr(GFile) installed = uni_demo_dup_installed_dir (demo_id);
  g_autoptr(GFile) user_dir = uni_demo_dup_user_dir (demo_id);
  g_autoptr(GFile) parent = g_file_get_parent (user_dir);
  g_autoptr(GFile) staging = NULL;
  g_autoptr(GFile) staged_copy = NULL;
  g_autofree char *user_path = g_file_get_path (user_dir);
  g_autofree char *parent_path = g_file_get_path (parent);
  g_autofree char *staged_path = NULL;
  g_autofree char *staging_path = NULL;
  g_autoptr(GError) error = NULL;

  /* The user's copy is theirs: once it exists, it is never replaced. */
  if (g_file_test (user_path, G_FILE_TEST_EXISTS))
    {
      g_task_return_pointer (task, g_steal_pointer (&user_dir), g_object_unref);
      return;
    }

  if (g_file_query_file_type (installed, G_FILE_QUERY_INFO_NONE, cancellable)
      != G_FILE_TYPE_DIRECTORY)
    {
      g_autofree char *installed_path = g_file_get_path (installed);
      g_autofree char *display = g_filename_display_name (installed_path);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The demo “%s” is not installed: “%s” is missing. Reinstall Unistudio to get it back."),
                               demo_id, display);
      return;
    }

  if (g_mkdir_with_parents (parent_path, 0777) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (parent_path);

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the folder “%s”: %s"),
                               display, g_strerror (saved_errno));
      return;
    }

  /* Copy next to the final place and rename, so that an interrupted copy
   * never looks like a finished one.
   */
  staging_path = g_build_filename (parent_path, ".copy-XXXXXX", NULL);
  if (g_mkdtemp (staging_path) == NULL)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (parent_path);

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not copy the demo into “%s”: %s"),
                               display, g_strerror (saved_errno));
      return;
    }
  staging = g_file_new_for_path (staging_path);
  staged_copy = g_file_get_child (staging, demo_id);
  staged_path = g_file_get_path (staged_copy);

  if (!uni_file_copy_tree (installed, staged_copy, cancellable, &error)
      || !make_user_writable (staged_copy, cancellable, &error))
    {
      g_autofree char *display = g_filename_display_name (user_path);

      /* The bare I/O error names a file in a hidden staging folder. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_prefix_error (&error, _("Could not copy the demo to “%s”: "), display);
      goto failure;
    }

  if (g_rename (staged_path, user_path) != 0)
    {
      int saved_errno = errno;

      /* Another instance finished the same copy first: use theirs. */
      if (!g_file_test (user_path, G_FILE_TEST_IS_DIR))
        {
          g_autofree char *display = g_filename_display_name (user_path);

          g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not copy the demo into “%s”: %s"),
                       display, g_strerror (saved_errno));
          goto failure;
        }
    }

  uni_file_delete_tree (staging, NULL, NULL);
  g_task_return_pointer (task, g_steal_pointer (&user_dir), g_object_unref);
  return;

failure:
  uni_file_delete_tree (staging, NULL, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

/**
 * uni_demo_dup_installed_dir:
 * @demo_id: a demo name, such as "2048"
 *
 * Where the demo is installed: `PKGDATADIR/demos/ID`, or under
 * `$UNISTUDIO_DATADIR` when that is set. Never write there.
 *
 * Returns: (transfer full): the installed demo folder
 */
GFile *
uni_demo_dup_installed_dir (const char *demo_id)
{
  g_return_val_if_fail (is_valid_demo_id (demo_id), NULL);

  return g_file_new_build_filename (get_datadir (), "demos", demo_id, NULL);
}

/**
 * uni_demo_dup_user_dir:
 * @demo_id: a demo name, such as "2048"
 *
 * Where the user's own, editable copy of the demo lives.
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/unistudio/demos/ID`
 */
GFile *
uni_demo_dup_user_dir (const char *demo_id)
{
  g_return_val_if_fail (is_valid_demo_id (demo_id), NULL);

  return g_file_new_build_filename (g_get_user_data_dir (), "unistudio", "demos", demo_id, NULL);
}

/**
 * uni_demo_open_copy_async:
 * @demo_id: a demo name, such as "2048"
 * @cancellable: (nullable): a #GCancellable
 * @callback: called with the folder to open
 * @user_data: data for @callback
 *
 * Gives the folder of the user's copy of a demo, copying the installed demo
 * there first if there is no copy yet. An existing copy is returned as it
 * is, with the user's changes.
 */
void
uni_demo_open_copy_async (const char          *demo_id,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (is_valid_demo_id (demo_id));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_demo_open_copy_async);
  g_task_set_task_data (task, g_strdup (demo_id), g_free);
  g_task_run_in_thread (task, open_copy_thread);
}

/**
 * uni_demo_open_copy_finish:
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the user's copy of the demo, or %NULL with
 *   %G_IO_ERROR_NOT_FOUND when the demo is not installed
 */
GFile *
uni_demo_open_copy_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == uni_demo_open_copy_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
