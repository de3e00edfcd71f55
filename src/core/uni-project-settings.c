/* uni-project-settings.c — the project's own settings keyfile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-project-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-file-util.h"
#include "uni-project-settings.h"

#define PROJECT_GROUP       "Project"
#define TARGET_KEY          "target"
#define BOARD_KEY           "board"
#define TARGET_GROUP_PREFIX "Target "
#define DEFAULT_TARGET      "unix"

/* The file is the user's as much as ours: comments, blank lines and
 * groups we do not know survive a load and save.
 */
#define KEY_FILE_FLAGS (G_KEY_FILE_KEEP_COMMENTS | G_KEY_FILE_KEEP_TRANSLATIONS)

typedef enum
{
  STATE_NOT_LOADED,
  STATE_LOADED,
  /* The file exists but could not be read: saving would lose it. */
  STATE_UNREADABLE,
  /* Someone else wrote the file since we read it: saving would lose that. */
  STATE_CHANGED_ON_DISK,
} State;

typedef struct
{
  GBytes   *contents;
  GBytes   *expected;
  guint     load_serial;
} SaveData;

typedef struct
{
  GKeyFile *key_file;
  GBytes   *bytes;
} LoadResult;

typedef struct
{
  guint     load_serial;
  guint     change_serial;
} LoadData;

struct _UniProjectSettings
{
  GObject    parent_instance;

  /* owned */
  GFile     *project_dir;
  GFile     *file;
  GKeyFile  *key_file;
  char      *target;
  GError    *load_error;
  /* What the file held when last read or written; %NULL while absent. */
  GBytes    *on_disk;
  /* Save tasks the write in flight covers, and those waiting for the
   * next write because they came after its snapshot was taken.
   */
  GPtrArray *saving;
  GPtrArray *waiting;

  /* Only the newest load applies, and none over later changes. */
  guint      load_serial;
  guint      change_serial;

  State      state;
  guint      save_in_flight : 1;
};

G_DEFINE_FINAL_TYPE (UniProjectSettings, uni_project_settings, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT_DIR,
  PROP_TARGET,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static char *
dup_display_path (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    return g_file_get_uri (file);

  return g_filename_display_name (path);
}

/* What GKeyFile accepts in a group or key name, less what would read
 * ambiguously in the file.
 */
static gboolean
is_valid_name (const char *name)
{
  if (name == NULL
      || *name == '\0'
      || g_ascii_isspace (name[0])
      || g_ascii_isspace (name[strlen (name) - 1])
      || strpbrk (name, "[]=#") != NULL
      || !g_utf8_validate (name, -1, NULL))
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        return FALSE;
    }

  return TRUE;
}

static void
save_data_free (SaveData *data)
{
  g_clear_pointer (&data->contents, g_bytes_unref);
  g_clear_pointer (&data->expected, g_bytes_unref);
  g_free (data);
}

static void
load_result_free (LoadResult *result)
{
  g_clear_pointer (&result->key_file, g_key_file_unref);
  g_clear_pointer (&result->bytes, g_bytes_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, load_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static char *
dup_target_group (const char *target_id)
{
  return g_strconcat (TARGET_GROUP_PREFIX, target_id, NULL);
}

/* GKeyFile says what is wrong but not where; parsing ever longer prefixes
 * finds the first line it rejects, with its own rules.
 */
static gsize
find_bad_line (const char *data,
               gsize       length)
{
  g_autoptr(GArray) line_ends = g_array_new (FALSE, FALSE, sizeof (gsize));
  guint low = 0;
  guint high;

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        {
          gsize end = i + 1;

          g_array_append_val (line_ends, end);
        }
    }
  if (length > 0 && data[length - 1] != '\n')
    g_array_append_val (line_ends, length);

  if (line_ends->len == 0)
    return 0;

  /* Invariant: the first `low` lines parse; the first `high` lines do not. */
  high = line_ends->len;
  while (high - low > 1)
    {
      guint middle = low + (high - low) / 2;
      g_autoptr(GKeyFile) probe = g_key_file_new ();

      if (g_key_file_load_from_data (probe, data, g_array_index (line_ends, gsize, middle - 1),
                                     KEY_FILE_FLAGS, NULL))
        low = middle;
      else
        high = middle;
    }

  return high;
}

/* Runs in any thread: touches nothing but its arguments. For a file that
 * does not exist, the result holds no key file and no bytes.
 */
static LoadResult *
read_key_file (GFile         *file,
               GCancellable  *cancellable,
               GError       **error)
{
  g_autoptr(LoadResult) result = g_new0 (LoadResult, 1);
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *display = NULL;
  gsize length = 0;

  if (!g_file_load_contents (file, cancellable, &data, &length, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return g_steal_pointer (&result);

      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }

      display = dup_display_path (file);
      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not read the project settings “%s”: %s"),
                   display, local_error->message);
      return NULL;
    }

  if (!g_key_file_load_from_data (key_file, data, length, KEY_FILE_FLAGS, &local_error))
    {
      gsize line = find_bad_line (data, length);

      display = dup_display_path (file);
      if (line > 0)
        g_set_error (error, local_error->domain, local_error->code,
                     _("The project settings “%s” cannot be read, line %" G_GSIZE_FORMAT
                       ": %s. Fix or remove the line; until then they are not saved."),
                     display, line, local_error->message);
      else
        g_set_error (error, local_error->domain, local_error->code,
                     _("The project settings “%s” cannot be read: %s. Fix the file; "
                       "until then they are not saved."),
                     display, local_error->message);
      return NULL;
    }

  result->key_file = g_steal_pointer (&key_file);
  result->bytes = g_bytes_new_take (g_steal_pointer (&data), length);

  return g_steal_pointer (&result);
}

static void
set_changed_on_disk_error (GFile   *file,
                           GError **error)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *display = g_filename_display_name (basename);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
               _("“%s” changed on disk since it was read: reload it before saving"),
               display);
}

/* Runs in any thread. Writes only while the file still holds @expected,
 * or, for a %NULL @expected, while it is still absent.
 */
static gboolean
write_key_file (GFile         *project_dir,
                GFile         *file,
                GBytes        *contents,
                GBytes        *expected,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(GFile) parent = g_file_get_parent (file);
  g_autoptr(GError) local_error = NULL;
  gconstpointer data;
  gsize length;
  gboolean written;

  if (!g_file_make_directory_with_parents (parent, cancellable, &local_error)
      && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    goto failure;
  g_clear_error (&local_error);

  data = g_bytes_get_data (contents, &length);
  if (expected != NULL)
    written = uni_file_replace_contents_full (file, data, length, expected,
                                              cancellable, &local_error);
  else
    written = uni_file_create_contents (file, data, length, cancellable, &local_error);
  if (!written)
    goto failure;

  return TRUE;

failure:
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG))
    {
      set_changed_on_disk_error (file, error);
    }
  else
    {
      g_autofree char *display = dup_display_path (project_dir);

      g_set_error (error, local_error->domain, local_error->code,
                   _("Could not save the project settings in “%s”: %s"),
                   display, local_error->message);
    }

  return FALSE;
}

static char *
dup_stored_target (UniProjectSettings *self)
{
  return g_key_file_get_string (self->key_file, PROJECT_GROUP, TARGET_KEY, NULL);
}

static void
update_target (UniProjectSettings *self)
{
  g_autofree char *target = dup_stored_target (self);

  if (target == NULL || *target == '\0')
    {
      g_free (target);
      target = g_strdup (DEFAULT_TARGET);
    }

  if (g_strcmp0 (target, self->target) == 0)
    return;

  g_free (self->target);
  self->target = g_steal_pointer (&target);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TARGET]);
}

/* Main thread: takes what a load read; for a missing file, @loaded holds
 * neither key file nor bytes.
 */
static void
apply_loaded (UniProjectSettings *self,
              LoadResult         *loaded)
{
  g_autofree char *before = g_key_file_to_data (self->key_file, NULL, NULL);
  g_autofree char *after = NULL;

  g_key_file_unref (self->key_file);
  self->key_file = loaded->key_file ? g_key_file_ref (loaded->key_file) : g_key_file_new ();
  g_clear_pointer (&self->on_disk, g_bytes_unref);
  self->on_disk = loaded->bytes ? g_bytes_ref (loaded->bytes) : NULL;
  self->state = STATE_LOADED;
  g_clear_error (&self->load_error);

  after = g_key_file_to_data (self->key_file, NULL, NULL);
  if (g_strcmp0 (before, after) == 0)
    return;

  update_target (self);
  g_signal_emit (self, signals[CHANGED], 0, NULL, NULL);
}

static void
apply_load_error (UniProjectSettings *self,
                  const GError       *error)
{
  /* A cancelled load read nothing, so it changes nothing. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->state = STATE_UNREADABLE;
  g_clear_error (&self->load_error);
  self->load_error = g_error_copy (error);
}

static gboolean
check_can_save (UniProjectSettings  *self,
                GError             **error)
{
  g_autofree char *display = NULL;

  switch (self->state)
    {
    case STATE_LOADED:
      return TRUE;

    case STATE_UNREADABLE:
      g_set_error_literal (error, self->load_error->domain, self->load_error->code,
                           self->load_error->message);
      return FALSE;

    case STATE_CHANGED_ON_DISK:
      set_changed_on_disk_error (self->file, error);
      return FALSE;

    case STATE_NOT_LOADED:
    default:
      display = dup_display_path (self->file);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The project settings were not read yet; they are not saved so that "
                     "“%s” is not overwritten."),
                   display);
      return FALSE;
    }
}

/* Main thread: after a write, the file holds what was written; a write
 * refused because someone else changed the file blocks the next ones,
 * unless a reload was asked for meanwhile.
 */
static void
note_saved (UniProjectSettings *self,
            SaveData           *data,
            const GError       *error)
{
  if (error == NULL)
    {
      g_clear_pointer (&self->on_disk, g_bytes_unref);
      self->on_disk = g_bytes_ref (data->contents);
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG)
           && self->state == STATE_LOADED
           && self->load_serial == data->load_serial)
    {
      self->state = STATE_CHANGED_ON_DISK;
    }
}

static SaveData *
save_data_new (UniProjectSettings *self)
{
  SaveData *data = g_new0 (SaveData, 1);
  char *text;
  gsize length = 0;

  text = g_key_file_to_data (self->key_file, &length, NULL);
  data->contents = g_bytes_new_take (text, length);
  data->expected = self->on_disk ? g_bytes_ref (self->on_disk) : NULL;
  data->load_serial = self->load_serial;

  return data;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  LoadResult *loaded;

  loaded = read_key_file (file, cancellable, &error);
  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify) load_result_free);
}

static void
load_worker_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniProjectSettings *self = g_task_get_source_object (task);
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(LoadResult) loaded = NULL;
  g_autoptr(GError) error = NULL;

  loaded = g_task_propagate_pointer (G_TASK (result), &error);

  /* A later load reads the file again; what this one read is older. */
  if (data->load_serial != self->load_serial)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("A newer reload of the project settings replaced this one"));
      return;
    }

  if (error != NULL)
    {
      apply_load_error (self, error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Replacing them now would silently undo what the user just did. */
  if (data->change_serial != self->change_serial)
    {
      g_autofree char *display = dup_display_path (self->file);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The project settings were not reloaded from “%s”: they "
                                 "were changed here while it was being read. Save them, "
                                 "or reload again to discard the changes."),
                               display);
      return;
    }

  apply_loaded (self, loaded);
  g_task_return_boolean (task, TRUE);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  UniProjectSettings *self = source_object;
  SaveData *data = task_data;
  GError *error = NULL;

  /* Only the immutable GFiles are read here; the data was taken on the
   * main thread.
   */
  if (write_key_file (self->project_dir, self->file, data->contents, data->expected,
                      cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void start_save (UniProjectSettings *self);

static void
return_save_result (GPtrArray    *tasks,
                    const GError *error)
{
  for (guint i = 0; i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error == NULL)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_error_copy (error));
    }
}

static void
save_worker_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  UniProjectSettings *self = UNI_PROJECT_SETTINGS (object);
  g_autoptr(GPtrArray) covered = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->save_in_flight);

  covered = g_steal_pointer (&self->saving);
  self->saving = g_ptr_array_new_with_free_func (g_object_unref);
  self->save_in_flight = FALSE;

  g_task_propagate_boolean (G_TASK (result), &error);
  note_saved (self, g_task_get_task_data (G_TASK (result)), error);

  /* The next write starts before the callbacks run, so that a save they
   * ask for waits for it rather than racing it.
   */
  if (self->waiting->len > 0)
    start_save (self);

  return_save_result (covered, error);
}

/* One write at a time: two racing renames could leave the older snapshot
 * on disk. The waiting tasks all take the snapshot taken now.
 */
static void
start_save (UniProjectSettings *self)
{
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (!self->save_in_flight);
  g_assert (self->saving->len == 0);

  batch = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);

  if (!check_can_save (self, &error))
    {
      return_save_result (batch, error);
      return;
    }

  g_ptr_array_unref (self->saving);
  self->saving = g_steal_pointer (&batch);
  self->save_in_flight = TRUE;

  worker = g_task_new (self, NULL, save_worker_cb, NULL);
  g_task_set_source_tag (worker, save_thread);
  g_task_set_task_data (worker, save_data_new (self), (GDestroyNotify) save_data_free);
  g_task_run_in_thread (worker, save_thread);
}

static void
uni_project_settings_finalize (GObject *object)
{
  UniProjectSettings *self = (UniProjectSettings *)object;

  g_clear_object (&self->project_dir);
  g_clear_object (&self->file);
  g_clear_pointer (&self->key_file, g_key_file_unref);
  g_clear_pointer (&self->target, g_free);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->on_disk, g_bytes_unref);
  g_clear_pointer (&self->saving, g_ptr_array_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_project_settings_parent_class)->finalize (object);
}

static void
uni_project_settings_constructed (GObject *object)
{
  UniProjectSettings *self = (UniProjectSettings *)object;

  G_OBJECT_CLASS (uni_project_settings_parent_class)->constructed (object);

  g_return_if_fail (G_IS_FILE (self->project_dir));

  self->file = g_file_resolve_relative_path (self->project_dir, UNI_PROJECT_SETTINGS_PATH);
}

static void
uni_project_settings_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  UniProjectSettings *self = UNI_PROJECT_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      g_value_set_object (value, self->project_dir);
      break;

    case PROP_TARGET:
      g_value_set_string (value, self->target);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_project_settings_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  UniProjectSettings *self = UNI_PROJECT_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_PROJECT_DIR:
      self->project_dir = g_value_dup_object (value);
      break;

    case PROP_TARGET:
      uni_project_settings_set_target (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_project_settings_class_init (UniProjectSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = uni_project_settings_constructed;
  object_class->finalize = uni_project_settings_finalize;
  object_class->get_property = uni_project_settings_get_property;
  object_class->set_property = uni_project_settings_set_property;

  properties[PROP_PROJECT_DIR] =
    g_param_spec_object ("project-dir", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * UniProjectSettings:target:
   *
   * The selected target's id, `[Project] target`; "unix" when unset.
   */
  properties[PROP_TARGET] =
    g_param_spec_string ("target", NULL, NULL,
                         DEFAULT_TARGET,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniProjectSettings::changed:
   * @self: a #UniProjectSettings
   * @target_id: (nullable): the target whose value changed, %NULL for the
   *   selected target, the board or a reload
   * @flag: (nullable): the flag that changed, also the signal's detail
   *
   * Emitted when a setter really changed something, and after a load that
   * read different settings (both arguments %NULL).
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0,
                  NULL, NULL,
                  NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
uni_project_settings_init (UniProjectSettings *self)
{
  self->key_file = g_key_file_new ();
  self->target = g_strdup (DEFAULT_TARGET);
  self->state = STATE_NOT_LOADED;
  self->saving = g_ptr_array_new_with_free_func (g_object_unref);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * uni_project_settings_new:
 * @project_dir: the project folder
 *
 * The settings start as defaults; call uni_project_settings_load() (or its
 * async variant) before saving.
 *
 * Returns: (transfer full): new settings for @project_dir
 */
UniProjectSettings *
uni_project_settings_new (GFile *project_dir)
{
  g_return_val_if_fail (G_IS_FILE (project_dir), NULL);

  return g_object_new (UNI_TYPE_PROJECT_SETTINGS,
                       "project-dir", project_dir,
                       NULL);
}

/**
 * uni_project_settings_get_file:
 * @self: a #UniProjectSettings
 *
 * Returns: (transfer none): `<project>/.unistudio/project.ini`
 */
GFile *
uni_project_settings_get_file (UniProjectSettings *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), NULL);

  return self->file;
}

/**
 * uni_project_settings_load:
 * @self: a #UniProjectSettings
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads the settings file, blocking. A missing file is not an error: the
 * settings are the defaults. A file that cannot be read or parsed is a
 * %G_KEY_FILE_ERROR (or %G_IO_ERROR) naming the file and the line; the
 * settings in memory stay as they were, and uni_project_settings_save()
 * refuses to overwrite the file until a later load succeeds.
 *
 * Returns: %TRUE on success
 */
gboolean
uni_project_settings_load (UniProjectSettings  *self,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autoptr(LoadResult) loaded = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Whatever an async load still in flight read is older than this. */
  self->load_serial++;

  loaded = read_key_file (self->file, cancellable, &local_error);
  if (loaded == NULL)
    {
      apply_load_error (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  apply_loaded (self, loaded);

  return TRUE;
}

/**
 * uni_project_settings_load_async:
 * @self: a #UniProjectSettings
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file was read
 * @user_data: data for @callback
 *
 * uni_project_settings_load(), with the reading done off the main thread.
 * The settings change just before @callback runs.
 *
 * Only the newest load applies: one that a later load (async or not)
 * overtook fails with %G_IO_ERROR_CANCELLED. A load never replaces
 * changes made with the setters while it was reading: it then fails with
 * %G_IO_ERROR_PENDING and the settings in memory stay as they are.
 */
void
uni_project_settings_load_async (UniProjectSettings  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  LoadData *data;

  g_return_if_fail (UNI_IS_PROJECT_SETTINGS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (LoadData, 1);
  data->load_serial = ++self->load_serial;
  data->change_serial = self->change_serial;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_project_settings_load_async);
  g_task_set_task_data (task, data, g_free);

  worker = g_task_new (NULL, cancellable, load_worker_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_task_data (worker, g_object_ref (self->file), g_object_unref);
  g_task_run_in_thread (worker, load_thread);
}

/**
 * uni_project_settings_load_finish:
 * @self: a #UniProjectSettings
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success; see uni_project_settings_load() for errors
 */
gboolean
uni_project_settings_load_finish (UniProjectSettings  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_project_settings_save:
 * @self: a #UniProjectSettings
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Writes the settings atomically, creating `.unistudio/` when needed. The
 * comments and the groups and keys Unistudio does not know are written
 * back as they were read. On failure (a read-only folder, say) the file is
 * untouched and the settings stay in memory, so the save can be retried.
 *
 * Refuses, with the load's error, while the file on disk could not be
 * read, and before any load. Refuses too, with %G_IO_ERROR_WRONG_ETAG,
 * when the file changed on disk since it was last read or written (a
 * `git pull`, an edit by hand) or was created since it was found absent;
 * the settings in memory are kept, and saving stays refused until a
 * load. While uni_project_settings_save_async() is writing, fails with
 * %G_IO_ERROR_PENDING.
 *
 * Returns: %TRUE on success
 */
gboolean
uni_project_settings_save (UniProjectSettings  *self,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autoptr(SaveData) data = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->save_in_flight)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PENDING,
                           _("The project settings are being saved already"));
      return FALSE;
    }

  if (!check_can_save (self, error))
    return FALSE;

  data = save_data_new (self);
  if (!write_key_file (self->project_dir, self->file, data->contents, data->expected,
                       cancellable, &local_error))
    {
      note_saved (self, data, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  note_saved (self, data, NULL);

  return TRUE;
}

/**
 * uni_project_settings_save_async:
 * @self: a #UniProjectSettings
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the file was written
 * @user_data: data for @callback
 *
 * uni_project_settings_save(), writing off the main thread. The settings
 * are taken as they are when this is called, or later: saves run one at
 * a time, and the saves asked for while one is writing are done together
 * by one more write of the settings as they are when it ends. @callback
 * gets the result of the write that covered this call's settings.
 *
 * The write, shared with other callers, is not stopped by @cancellable;
 * a cancelled call still reports %G_IO_ERROR_CANCELLED.
 */
void
uni_project_settings_save_async (UniProjectSettings  *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (UNI_IS_PROJECT_SETTINGS (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_project_settings_save_async);

  if (!check_can_save (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_add (self->waiting, g_steal_pointer (&task));
  if (!self->save_in_flight)
    start_save (self);
}

/**
 * uni_project_settings_save_finish:
 * @self: a #UniProjectSettings
 * @result: the #GAsyncResult passed to the callback
 * @error: return location for a #GError
 *
 * Returns: %TRUE on success
 */
gboolean
uni_project_settings_save_finish (UniProjectSettings  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_project_settings_get_load_error:
 * @self: a #UniProjectSettings
 *
 * Returns: (transfer none) (nullable): why the last load failed, while
 *   saving is refused because of it; %NULL otherwise
 */
const GError *
uni_project_settings_get_load_error (UniProjectSettings *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), NULL);

  return self->state == STATE_UNREADABLE ? self->load_error : NULL;
}

/**
 * uni_project_settings_get_target:
 * @self: a #UniProjectSettings
 *
 * Returns: the selected target's id, "unix" when the file names none
 */
const char *
uni_project_settings_get_target (UniProjectSettings *self)
{
  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), NULL);

  return self->target;
}

/**
 * uni_project_settings_set_target:
 * @self: a #UniProjectSettings
 * @target_id: (nullable): a target id such as "xen-arm", or %NULL to
 *   remove the setting (back to "unix")
 *
 * Selects a target. Emits #UniProjectSettings::changed when the file's
 * value changes.
 *
 * Returns: %FALSE, changing nothing, when @target_id cannot be a name in
 *   the file (empty, control characters, brackets, not UTF-8…)
 */
gboolean
uni_project_settings_set_target (UniProjectSettings *self,
                                 const char         *target_id)
{
  g_autofree char *stored = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);

  if (target_id != NULL && !is_valid_name (target_id))
    return FALSE;

  stored = dup_stored_target (self);
  if (g_strcmp0 (stored, target_id) == 0)
    return TRUE;

  if (target_id != NULL)
    g_key_file_set_string (self->key_file, PROJECT_GROUP, TARGET_KEY, target_id);
  else
    g_key_file_remove_key (self->key_file, PROJECT_GROUP, TARGET_KEY, NULL);

  self->change_serial++;
  update_target (self);
  g_signal_emit (self, signals[CHANGED], 0, NULL, NULL);

  return TRUE;
}

/**
 * uni_project_settings_dup_board:
 * @self: a #UniProjectSettings
 *
 * Returns: (transfer full) (nullable): the name of the board profile the
 *   project deploys to, `[Project] board`
 */
char *
uni_project_settings_dup_board (UniProjectSettings *self)
{
  g_autofree char *board = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), NULL);

  board = g_key_file_get_string (self->key_file, PROJECT_GROUP, BOARD_KEY, NULL);
  if (board == NULL || *board == '\0')
    return NULL;

  return g_steal_pointer (&board);
}

/**
 * uni_project_settings_set_board:
 * @self: a #UniProjectSettings
 * @name: (nullable): a board profile's name, or %NULL to forget it
 *
 * Remembers the board the project deploys to. Emits
 * #UniProjectSettings::changed when the file's value changes.
 *
 * Returns: %FALSE, changing nothing, when @name cannot be a value in the
 *   file (empty, control characters, not UTF-8)
 */
gboolean
uni_project_settings_set_board (UniProjectSettings *self,
                                const char         *name)
{
  g_autofree char *stored = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);

  if (name != NULL)
    {
      if (*name == '\0' || !g_utf8_validate (name, -1, NULL))
        return FALSE;
      for (const char *p = name; *p != '\0'; p++)
        {
          if (g_ascii_iscntrl (*p))
            return FALSE;
        }
    }

  stored = g_key_file_get_string (self->key_file, PROJECT_GROUP, BOARD_KEY, NULL);
  if (g_strcmp0 (stored, name) == 0)
    return TRUE;

  if (name != NULL)
    g_key_file_set_string (self->key_file, PROJECT_GROUP, BOARD_KEY, name);
  else
    g_key_file_remove_key (self->key_file, PROJECT_GROUP, BOARD_KEY, NULL);

  self->change_serial++;
  g_signal_emit (self, signals[CHANGED], 0, NULL, NULL);

  return TRUE;
}

/**
 * uni_project_settings_dup_target_flags:
 * @self: a #UniProjectSettings
 * @target_id: a target id
 *
 * Returns: (transfer full) (array zero-terminated=1): the flags that have
 *   a value for @target_id, in the order of the file; empty when none
 */
char **
uni_project_settings_dup_target_flags (UniProjectSettings *self,
                                       const char         *target_id)
{
  g_autofree char *group = NULL;
  char **keys;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);

  group = dup_target_group (target_id);
  keys = g_key_file_get_keys (self->key_file, group, NULL, NULL);
  if (keys == NULL)
    keys = g_new0 (char *, 1);

  return keys;
}

/**
 * uni_project_settings_dup_target_value:
 * @self: a #UniProjectSettings
 * @target_id: a target id
 * @flag: a configure flag name without dashes
 *
 * Returns: (transfer full) (nullable): the value for @flag when building
 *   for @target_id, %NULL when unset
 */
char *
uni_project_settings_dup_target_value (UniProjectSettings *self,
                                       const char         *target_id,
                                       const char         *flag)
{
  g_autofree char *group = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (flag != NULL, NULL);

  group = dup_target_group (target_id);

  return g_key_file_get_string (self->key_file, group, flag, NULL);
}

/**
 * uni_project_settings_value_is_true:
 * @value: a per-target value, e.g. of a switch such as no-dhcp
 *
 * The truth values people write in a keyfile by hand.
 *
 * Returns: whether @value is "true", "yes" (in any case) or "1"
 */
gboolean
uni_project_settings_value_is_true (const char *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  return g_ascii_strcasecmp (value, "true") == 0 || g_strcmp0 (value, "1") == 0
         || g_ascii_strcasecmp (value, "yes") == 0;
}

/**
 * uni_project_settings_set_target_value:
 * @self: a #UniProjectSettings
 * @target_id: a target id
 * @flag: a configure flag name without dashes
 * @value: (nullable): the value, or %NULL to remove it
 *
 * Sets or removes a flag's value for a target; a target group left empty
 * is removed. Emits #UniProjectSettings::changed, with @flag as the detail,
 * when the value really changes.
 *
 * The names come from config.ml and the values from the user, so what the
 * file cannot hold is refused rather than a programming error.
 *
 * Returns: %FALSE, changing nothing, when @target_id or @flag cannot be a
 *   name in the file (empty, control characters, brackets…) or @value is
 *   not UTF-8
 */
gboolean
uni_project_settings_set_target_value (UniProjectSettings *self,
                                       const char         *target_id,
                                       const char         *flag,
                                       const char         *value)
{
  g_autofree char *group = NULL;
  g_autofree char *old_value = NULL;

  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (self), FALSE);
  g_return_val_if_fail (target_id != NULL, FALSE);
  g_return_val_if_fail (flag != NULL, FALSE);

  if (!is_valid_name (target_id) || !is_valid_name (flag)
      || (value != NULL && !g_utf8_validate (value, -1, NULL)))
    return FALSE;

  group = dup_target_group (target_id);
  old_value = g_key_file_get_string (self->key_file, group, flag, NULL);
  if (g_strcmp0 (old_value, value) == 0)
    return TRUE;

  if (value != NULL)
    {
      g_key_file_set_string (self->key_file, group, flag, value);
    }
  else
    {
      g_auto(GStrv) keys = NULL;

      g_key_file_remove_key (self->key_file, group, flag, NULL);
      keys = g_key_file_get_keys (self->key_file, group, NULL, NULL);
      if (keys != NULL && keys[0] == NULL)
        g_key_file_remove_group (self->key_file, group, NULL);
    }

  self->change_serial++;
  g_signal_emit (self, signals[CHANGED], g_quark_from_string (flag), target_id, flag);

  return TRUE;
}
