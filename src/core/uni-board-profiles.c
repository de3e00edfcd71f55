/* uni-board-profiles.c — the user's board profiles, kept in a key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board-profiles"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-board.h"
#include "uni-board-profiles.h"
#include "uni-file-util.h"

/* The file is the user's as much as ours: comments survive a load and save. */
#define KEY_FILE_FLAGS (G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS)

typedef enum
{
  STATE_NOT_LOADED,
  STATE_LOADED,
  /* The file exists but could not be read: saving would lose it. */
  STATE_UNREADABLE,
} State;

/* What a load read, in its thread. */
typedef struct
{
  GKeyFile  *key_file;
  GBytes    *bytes;
  GPtrArray *profiles;
  GPtrArray *problems;
} Loaded;

typedef struct
{
  GBytes   *contents;
  GBytes   *expected;
  GFile    *file;
} Write;

struct _UniBoardProfiles
{
  GObject    parent_instance;

  /* owned */
  GFile     *file;
  GKeyFile  *key_file;
  GPtrArray *profiles;
  GPtrArray *problems;
  GError    *load_error;
  /* What the file held when last read or written; %NULL while absent. */
  GBytes    *on_disk;
  /* The groups of the file that are profiles we read or wrote: a save
   * removes those whose profile is gone (removed, renamed).
   */
  GHashTable *owned_groups;
  /* Save tasks the write in flight covers, and those that came after its
   * snapshot was taken.
   */
  GPtrArray *saving;
  GPtrArray *waiting;

  State      state;
  guint      write_in_flight : 1;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniBoardProfiles, uni_board_profiles, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_write (UniBoardProfiles *self);

static char *
dup_display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return g_file_get_uri (file);

  return g_filename_display_name (path);
}

static void
loaded_free (Loaded *loaded)
{
  g_clear_pointer (&loaded->key_file, g_key_file_unref);
  g_clear_pointer (&loaded->bytes, g_bytes_unref);
  g_clear_pointer (&loaded->profiles, g_ptr_array_unref);
  g_clear_pointer (&loaded->problems, g_ptr_array_unref);
  g_free (loaded);
}

static void
write_free (Write *write)
{
  g_clear_pointer (&write->contents, g_bytes_unref);
  g_clear_pointer (&write->expected, g_bytes_unref);
  g_clear_object (&write->file);
  g_free (write);
}

static GType
uni_board_profiles_get_item_type (GListModel *model)
{
  return UNI_TYPE_BOARD_PROFILE;
}

static guint
uni_board_profiles_get_n_items (GListModel *model)
{
  return UNI_BOARD_PROFILES (model)->profiles->len;
}

static gpointer
uni_board_profiles_get_item (GListModel *model,
                             guint       position)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (model);

  if (position >= self->profiles->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->profiles, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = uni_board_profiles_get_item_type;
  iface->get_n_items = uni_board_profiles_get_n_items;
  iface->get_item = uni_board_profiles_get_item;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) groups = NULL;
  Loaded *loaded;
  gsize length = 0;

  loaded = g_new0 (Loaded, 1);
  loaded->key_file = g_key_file_new ();
  loaded->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  loaded->problems = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
          return;
        }

      loaded_free (loaded);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  loaded->bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!g_key_file_load_from_data (loaded->key_file, g_bytes_get_data (loaded->bytes, NULL),
                                  length, KEY_FILE_FLAGS, &error))
    {
      loaded_free (loaded);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  groups = g_key_file_get_groups (loaded->key_file, NULL);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      g_autofree char *name = uni_board_profile_dup_name_from_group (groups[i]);
      g_autoptr(GError) profile_error = NULL;
      UniBoardProfile *profile;

      /* Not a board: someone else's group, kept as it is. */
      if (name == NULL)
        continue;

      profile = uni_board_profile_new_from_key_file (loaded->key_file, groups[i], &profile_error);
      if (profile == NULL)
        g_ptr_array_add (loaded->problems, g_strdup (profile_error->message));
      else
        g_ptr_array_add (loaded->profiles, profile);
    }

  g_task_return_pointer (task, loaded, (GDestroyNotify) loaded_free);
}

static void
replace_profiles (UniBoardProfiles *self,
                  GPtrArray        *profiles)
{
  guint removed = self->profiles->len;

  g_ptr_array_set_size (self->profiles, 0);
  for (guint i = 0; i < profiles->len; i++)
    g_ptr_array_add (self->profiles, g_object_ref (g_ptr_array_index (profiles, i)));

  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->profiles->len);
}

static void
apply_loaded (UniBoardProfiles *self,
              Loaded           *loaded)
{
  g_clear_pointer (&self->key_file, g_key_file_unref);
  self->key_file = g_key_file_ref (loaded->key_file);
  g_clear_pointer (&self->on_disk, g_bytes_unref);
  self->on_disk = loaded->bytes != NULL ? g_bytes_ref (loaded->bytes) : NULL;
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  self->problems = g_ptr_array_ref (loaded->problems);

  g_hash_table_remove_all (self->owned_groups);
  for (guint i = 0; i < loaded->profiles->len; i++)
    {
      UniBoardProfile *profile = g_ptr_array_index (loaded->profiles, i);

      g_hash_table_add (self->owned_groups,
                        uni_board_profile_dup_group_name (uni_board_profile_get_name (profile)));
    }

  replace_profiles (self, loaded->profiles);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (object);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  Loaded *loaded;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);
  if (loaded == NULL)
    {
      g_autofree char *display = dup_display_path (self->file);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      g_clear_error (&self->load_error);
      g_set_error (&self->load_error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNREADABLE,
                   _("The boards in “%s” could not be read: %s. Unistudio will not save "
                     "over it; correct or move the file."), display, error->message);
      self->state = STATE_UNREADABLE;
      g_task_return_error (task, g_error_copy (self->load_error));
      return;
    }

  g_clear_error (&self->load_error);
  self->state = STATE_LOADED;
  apply_loaded (self, loaded);
  loaded_free (loaded);
  g_task_return_boolean (task, TRUE);
}

static gboolean
write_file (Write         *write,
            GCancellable  *cancellable,
            GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (write->file);
  g_autoptr(GError) local_error = NULL;
  gconstpointer data;
  gsize length;
  gboolean written;

  if (!g_file_make_directory_with_parents (parent, cancellable, &local_error)
      && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    goto failure;
  g_clear_error (&local_error);

  data = g_bytes_get_data (write->contents, &length);
  if (write->expected != NULL)
    written = uni_file_replace_contents_full (write->file, data, length, write->expected,
                                              cancellable, &local_error);
  else
    written = uni_file_create_contents (write->file, data, length, cancellable, &local_error);
  if (written)
    return TRUE;

failure:
  {
    g_autofree char *display = dup_display_path (write->file);

    if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      g_propagate_error (error, g_steal_pointer (&local_error));
    else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG))
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_CHANGED_ON_DISK,
                   _("Another program changed “%s” since Unistudio read it; it was left "
                     "as it is. Open the boards again to see its changes."), display);
    else
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not save the boards in “%s”: %s"), display, local_error->message);
  }

  return FALSE;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (!write_file (task_data, cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
finish_batch (GPtrArray    *batch,
              const GError *error)
{
  for (guint i = 0; i < batch->len; i++)
    {
      GTask *task = g_ptr_array_index (batch, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (object);
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->saving);
  g_autoptr(GError) error = NULL;
  Write *write = g_task_get_task_data (G_TASK (result));

  self->saving = g_ptr_array_new_with_free_func (g_object_unref);
  self->write_in_flight = FALSE;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_clear_pointer (&self->on_disk, g_bytes_unref);
      self->on_disk = g_bytes_ref (write->contents);
    }

  finish_batch (batch, error);

  if (self->waiting->len > 0)
    start_write (self);
}

/* Checks every profile before anything is written: a save writes all or
 * nothing.
 */
static gboolean
check_profiles (UniBoardProfiles  *self,
                GError           **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      UniBoardProfile *profile = g_ptr_array_index (self->profiles, i);
      const char *name = uni_board_profile_get_name (profile);
      g_autofree char *group = NULL;

      if (!uni_board_profile_check (profile, error))
        return FALSE;

      group = uni_board_profile_dup_group_name (name);
      if (!g_hash_table_add (names, (gpointer) name)
          || (g_key_file_has_group (self->key_file, group)
              && !g_hash_table_contains (self->owned_groups, group)))
        {
          g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_EXISTS,
                       _("There are two boards called “%s”: rename one"), name);
          return FALSE;
        }
    }

  return TRUE;
}

/* Main thread: the file's new text, from the key file as read (comments,
 * other groups, groups that could not be read) and the profiles now.
 */
static GBytes *
serialize (UniBoardProfiles *self)
{
  g_autoptr(GHashTable) current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer group;
  char *data;
  gsize length = 0;

  for (guint i = 0; i < self->profiles->len; i++)
    {
      UniBoardProfile *profile = g_ptr_array_index (self->profiles, i);

      g_hash_table_add (current,
                        uni_board_profile_dup_group_name (uni_board_profile_get_name (profile)));
    }

  g_hash_table_iter_init (&iter, self->owned_groups);
  while (g_hash_table_iter_next (&iter, &group, NULL))
    {
      if (!g_hash_table_contains (current, group))
        {
          g_key_file_remove_group (self->key_file, group, NULL);
          g_hash_table_iter_remove (&iter);
        }
    }

  for (guint i = 0; i < self->profiles->len; i++)
    {
      UniBoardProfile *profile = g_ptr_array_index (self->profiles, i);

      uni_board_profile_to_key_file (profile, self->key_file);
      g_hash_table_add (self->owned_groups,
                        uni_board_profile_dup_group_name (uni_board_profile_get_name (profile)));
    }

  data = g_key_file_to_data (self->key_file, &length, NULL);

  return g_bytes_new_take (data, length);
}

static void
start_write (UniBoardProfiles *self)
{
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GPtrArray) batch = g_steal_pointer (&self->waiting);
  g_autoptr(GError) error = NULL;
  Write *write;

  g_assert (!self->write_in_flight);

  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  if (self->state == STATE_UNREADABLE)
    {
      finish_batch (batch, self->load_error);
      return;
    }

  if (!check_profiles (self, &error))
    {
      finish_batch (batch, error);
      return;
    }

  g_ptr_array_unref (self->saving);
  self->saving = g_steal_pointer (&batch);
  self->write_in_flight = TRUE;

  write = g_new0 (Write, 1);
  write->contents = serialize (self);
  write->expected = self->on_disk != NULL ? g_bytes_ref (self->on_disk) : NULL;
  write->file = g_object_ref (self->file);

  worker = g_task_new (self, NULL, write_cb, NULL);
  g_task_set_source_tag (worker, write_thread);
  g_task_set_task_data (worker, write, (GDestroyNotify) write_free);
  g_task_run_in_thread (worker, write_thread);
}

static void
uni_board_profiles_dispose (GObject *object)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (object);

  g_ptr_array_set_size (self->profiles, 0);

  G_OBJECT_CLASS (uni_board_profiles_parent_class)->dispose (object);
}

static void
uni_board_profiles_finalize (GObject *object)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->profiles, g_ptr_array_unref);
  g_clear_pointer (&self->problems, g_ptr_array_unref);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->on_disk, g_bytes_unref);
  g_clear_pointer (&self->owned_groups, g_hash_table_unref);
  g_clear_pointer (&self->saving, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_board_profiles_parent_class)->finalize (object);
}

static void
uni_board_profiles_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_profiles_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  UniBoardProfiles *self = UNI_BOARD_PROFILES (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_profiles_class_init (UniBoardProfilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = uni_board_profiles_dispose;
  object_class->finalize = uni_board_profiles_finalize;
  object_class->get_property = uni_board_profiles_get_property;
  object_class->set_property = uni_board_profiles_set_property;

  /**
   * UniBoardProfiles:file:
   *
   * The key file the profiles are kept in.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_board_profiles_init (UniBoardProfiles *self)
{
  self->key_file = g_key_file_new ();
  self->profiles = g_ptr_array_new_with_free_func (g_object_unref);
  self->problems = g_ptr_array_new_with_free_func (g_free);
  self->owned_groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->saving = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->state = STATE_NOT_LOADED;
}

/**
 * uni_board_profiles_new:
 * @file: (nullable): the key file, %NULL for the user's
 *   (uni_board_profiles_dup_default_file())
 *
 * The list starts empty: load it before saving (a save over a file it did
 * not read fails with %UNI_BOARD_ERROR_CHANGED_ON_DISK, leaving the file).
 *
 * Returns: (transfer full): the profiles of @file
 */
UniBoardProfiles *
uni_board_profiles_new (GFile *file)
{
  g_autoptr(GFile) default_file = NULL;

  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  if (file == NULL)
    file = default_file = uni_board_profiles_dup_default_file ();

  return g_object_new (UNI_TYPE_BOARD_PROFILES, "file", file, NULL);
}

/**
 * uni_board_profiles_dup_default_file:
 *
 * Returns: (transfer full): `$XDG_CONFIG_HOME/unistudio/boards.ini`
 */
GFile *
uni_board_profiles_dup_default_file (void)
{
  g_autofree char *path = g_build_filename (g_get_user_config_dir (),
                                            UNI_BOARD_PROFILES_PATH, NULL);

  return g_file_new_for_path (path);
}

/**
 * uni_board_profiles_get_file:
 * @self: a #UniBoardProfiles
 *
 * Returns: (transfer none): the key file
 */
GFile *
uni_board_profiles_get_file (UniBoardProfiles *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), NULL);

  return self->file;
}

/**
 * uni_board_profiles_load_async:
 * @self: a #UniBoardProfiles
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file was read
 * @user_data: data for @callback
 *
 * Reads the file in a thread and replaces the list with its profiles (a
 * missing file has none). A group that is not a valid profile is left out
 * of the list, kept in the file and named by
 * uni_board_profiles_dup_problems().
 */
void
uni_board_profiles_load_async (UniBoardProfiles    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (UNI_IS_BOARD_PROFILES (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_profiles_load_async);

  worker = g_task_new (self, cancellable, load_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_task_data (worker, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (worker, load_thread);
}

/**
 * uni_board_profiles_load_finish:
 * @self: a #UniBoardProfiles
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE once the list holds the file's profiles; %FALSE with
 *   %UNI_BOARD_ERROR_UNREADABLE when the file is no key file or cannot be
 *   read (saving is then refused), or %G_IO_ERROR_CANCELLED
 */
gboolean
uni_board_profiles_load_finish (UniBoardProfiles  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_board_profiles_save_async:
 * @self: a #UniBoardProfiles
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file was written, or not
 * @user_data: data for @callback
 *
 * Writes the profiles into the file atomically, in a thread, after
 * checking them all (uni_board_profile_check(), names unique). Groups of
 * profiles removed or renamed since are removed; everything else in the
 * file stays. A save while one is writing waits for it and writes what
 * the list holds then.
 */
void
uni_board_profiles_save_async (UniBoardProfiles    *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (UNI_IS_BOARD_PROFILES (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_board_profiles_save_async);
  g_ptr_array_add (self->waiting, task);

  if (!self->write_in_flight)
    start_write (self);
}

/**
 * uni_board_profiles_save_finish:
 * @self: a #UniBoardProfiles
 * @result: the result
 * @error: return location for a #GError
 *
 * Returns: %TRUE once written; %FALSE with %UNI_BOARD_ERROR_INVALID_PROFILE
 *   or %UNI_BOARD_ERROR_EXISTS (nothing written),
 *   %UNI_BOARD_ERROR_UNREADABLE (the file could not be read: never written
 *   over), %UNI_BOARD_ERROR_CHANGED_ON_DISK, or a %G_IO_ERROR naming the
 *   file (a read-only folder, a full disk); the file is then as it was
 */
gboolean
uni_board_profiles_save_finish (UniBoardProfiles  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_board_profiles_dup_problems:
 * @self: a #UniBoardProfiles
 *
 * Returns: (transfer full) (array zero-terminated=1): a sentence for each
 *   group of the file the last load could not read as a profile; those
 *   groups stay in the file untouched
 */
char **
uni_board_profiles_dup_problems (UniBoardProfiles *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), NULL);

  for (guint i = 0; i < self->problems->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (self->problems, i));

  return g_strv_builder_end (builder);
}

/**
 * uni_board_profiles_find:
 * @self: a #UniBoardProfiles
 * @name: a profile name
 *
 * Returns: (transfer none) (nullable): the profile called @name
 */
UniBoardProfile *
uni_board_profiles_find (UniBoardProfiles *self,
                         const char       *name)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      UniBoardProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (uni_board_profile_get_name (profile), name) == 0)
        return profile;
    }

  return NULL;
}

/**
 * uni_board_profiles_add:
 * @self: a #UniBoardProfiles
 * @profile: a profile
 * @error: return location for a #GError
 *
 * Appends @profile (not saved until uni_board_profiles_save_async()).
 *
 * Returns: %TRUE, or %FALSE with %UNI_BOARD_ERROR_INVALID_PROFILE (see
 *   uni_board_profile_check()) or %UNI_BOARD_ERROR_EXISTS when the list,
 *   or a group of the file it could not read, has that name
 */
gboolean
uni_board_profiles_add (UniBoardProfiles  *self,
                        UniBoardProfile   *profile,
                        GError           **error)
{
  const char *name;
  g_autofree char *group = NULL;

  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), FALSE);
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!uni_board_profile_check (profile, error))
    return FALSE;

  name = uni_board_profile_get_name (profile);
  group = uni_board_profile_dup_group_name (name);
  if (uni_board_profiles_find (self, name) != NULL
      || (g_key_file_has_group (self->key_file, group)
          && !g_hash_table_contains (self->owned_groups, group)))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_EXISTS,
                   _("There is a board called “%s” already"), name);
      return FALSE;
    }

  g_ptr_array_add (self->profiles, g_object_ref (profile));
  g_list_model_items_changed (G_LIST_MODEL (self), self->profiles->len - 1, 0, 1);

  return TRUE;
}

/**
 * uni_board_profiles_remove:
 * @self: a #UniBoardProfiles
 * @name: a profile name
 *
 * Removes the profile called @name from the list; the next save removes
 * its group from the file.
 *
 * Returns: whether there was one
 */
gboolean
uni_board_profiles_remove (UniBoardProfiles *self,
                           const char       *name)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < self->profiles->len; i++)
    {
      UniBoardProfile *profile = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (uni_board_profile_get_name (profile), name) == 0)
        {
          g_ptr_array_remove_index (self->profiles, i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 0);
          return TRUE;
        }
    }

  return FALSE;
}

/**
 * uni_board_profiles_replace:
 * @self: a #UniBoardProfiles
 * @name: the name of the profile to replace
 * @profile: its new values, maybe with another name
 * @error: return location for a #GError
 *
 * Puts @profile in the place of the profile called @name (not saved until
 * uni_board_profiles_save_async(); a new name removes the old group then).
 *
 * Returns: %TRUE, or %FALSE, changing nothing, with
 *   %UNI_BOARD_ERROR_INVALID_PROFILE, %UNI_BOARD_ERROR_EXISTS when another
 *   profile, or a group of the file it could not read, has the new name,
 *   or %UNI_BOARD_ERROR_FAILED when there is no profile called @name
 */
gboolean
uni_board_profiles_replace (UniBoardProfiles  *self,
                            const char        *name,
                            UniBoardProfile   *profile,
                            GError           **error)
{
  const char *new_name;
  g_autofree char *group = NULL;

  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (profile), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!uni_board_profile_check (profile, error))
    return FALSE;

  new_name = uni_board_profile_get_name (profile);
  group = uni_board_profile_dup_group_name (new_name);
  if (g_strcmp0 (new_name, name) != 0
      && (uni_board_profiles_find (self, new_name) != NULL
          || (g_key_file_has_group (self->key_file, group)
              && !g_hash_table_contains (self->owned_groups, group))))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_EXISTS,
                   _("There is a board called “%s” already"), new_name);
      return FALSE;
    }

  for (guint i = 0; i < self->profiles->len; i++)
    {
      UniBoardProfile *old = g_ptr_array_index (self->profiles, i);

      if (g_strcmp0 (uni_board_profile_get_name (old), name) == 0)
        {
          g_ptr_array_index (self->profiles, i) = g_object_ref (profile);
          g_object_unref (old);
          g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
          return TRUE;
        }
    }

  g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_FAILED,
               _("There is no board called “%s”"), name);
  return FALSE;
}
