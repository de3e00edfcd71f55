/* uni-directory-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-directory-list"

#include "config.h"

#include "uni-directory-list.h"

/* The children of one folder as a GListModel of GFileInfo, kept up to date
 * with a file monitor.
 *
 * GtkDirectoryList (GTK 4.8) loses track of a folder once a file appears and
 * is renamed before it could be queried, which is how every atomic save
 * (ours included) writes a file. Here each monitor event only says "look at
 * this file again", and the newest look wins, so the list converges on what
 * is on disk whatever order the events and queries come back in.
 *
 * Like GtkDirectoryList, no operation in flight holds a reference: dropping
 * the list (a folder collapsed) disposes it, which cancels them all, and a
 * callback touches the list only when not cancelled.
 */

#define FILES_PER_BATCH 200

struct _UniDirectoryList
{
  GObject       parent_instance;

  GFile        *directory;
  char         *attributes;
  GPtrArray    *items;
  GHashTable   *serials;
  GFileMonitor *monitor;
  GCancellable *cancellable;
  guint         next_serial;

  guint         loading : 1;
};

typedef struct
{
  UniDirectoryList *self;  /* not a reference: valid unless cancelled */
  GFile            *file;
  guint             serial;
} Query;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniDirectoryList, uni_directory_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
uni_directory_list_get_item_type (GListModel *model)
{
  return G_TYPE_FILE_INFO;
}

static guint
uni_directory_list_get_n_items (GListModel *model)
{
  return UNI_DIRECTORY_LIST (model)->items->len;
}

static gpointer
uni_directory_list_get_item (GListModel *model,
                             guint       position)
{
  UniDirectoryList *self = UNI_DIRECTORY_LIST (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = uni_directory_list_get_item_type;
  iface->get_n_items = uni_directory_list_get_n_items;
  iface->get_item = uni_directory_list_get_item;
}

static gboolean
find_file (UniDirectoryList *self,
           GFile            *file,
           guint            *position)
{
  for (guint i = 0; i < self->items->len; i++)
    {
      GFileInfo *info = g_ptr_array_index (self->items, i);
      GFile *item_file = G_FILE (g_file_info_get_attribute_object (info, "standard::file"));

      if (g_file_equal (item_file, file))
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
set_loading (UniDirectoryList *self,
             gboolean          loading)
{
  if (self->loading == !!loading)
    return;

  self->loading = !!loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
query_free (Query *query)
{
  g_clear_object (&query->file);
  g_free (query);
}

static void
query_info_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Query *query = user_data;
  UniDirectoryList *self;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  guint position;

  info = g_file_query_info_finish (G_FILE (object), result, &error);

  /* The list may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    goto out;

  self = query->self;

  /* A newer event for the same file has its own query in flight. */
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->serials, query->file)) != query->serial)
    goto out;

  g_hash_table_remove (self->serials, query->file);

  if (info != NULL)
    {
      g_file_info_set_attribute_object (info, "standard::file", G_OBJECT (query->file));

      if (find_file (self, query->file, &position))
        {
          g_object_unref (g_ptr_array_index (self->items, position));
          g_ptr_array_index (self->items, position) = g_steal_pointer (&info);
          g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
        }
      else
        {
          g_ptr_array_add (self->items, g_steal_pointer (&info));
          g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - 1, 0, 1);
        }
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      /* Unreadable for now is not gone: keep what we knew. */
      g_debug ("Cannot query %s: %s", g_file_peek_path (query->file), error->message);
    }
  else if (find_file (self, query->file, &position))
    {
      g_ptr_array_remove_index (self->items, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }

out:
  query_free (query);
}

static void
queue_query (UniDirectoryList *self,
             GFile            *file)
{
  Query *query;

  if (file == NULL || g_file_equal (file, self->directory))
    return;

  query = g_new0 (Query, 1);
  query->self = self;
  query->file = g_object_ref (file);
  query->serial = ++self->next_serial;
  g_hash_table_insert (self->serials, g_object_ref (file), GUINT_TO_POINTER (query->serial));

  g_file_query_info_async (file,
                           self->attributes,
                           G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT,
                           self->cancellable,
                           query_info_cb,
                           query);
}

static void
monitor_changed_cb (UniDirectoryList  *self,
                    GFile             *file,
                    GFile             *other_file,
                    GFileMonitorEvent  event,
                    GFileMonitor      *monitor)
{
  switch (event)
    {
    case G_FILE_MONITOR_EVENT_RENAMED:
      queue_query (self, file);
      queue_query (self, other_file);
      break;

    case G_FILE_MONITOR_EVENT_CREATED:
    case G_FILE_MONITOR_EVENT_DELETED:
    case G_FILE_MONITOR_EVENT_MOVED_IN:
    case G_FILE_MONITOR_EVENT_MOVED_OUT:
    case G_FILE_MONITOR_EVENT_CHANGES_DONE_HINT:
    case G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED:
      queue_query (self, file);
      break;

    case G_FILE_MONITOR_EVENT_CHANGED:
    case G_FILE_MONITOR_EVENT_PRE_UNMOUNT:
    case G_FILE_MONITOR_EVENT_UNMOUNTED:
    case G_FILE_MONITOR_EVENT_MOVED:
    default:
      break;
    }
}

static void
next_files_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GFileEnumerator *enumerator = G_FILE_ENUMERATOR (object);
  UniDirectoryList *self;
  g_autoptr(GError) error = NULL;
  GList *files;
  guint added = 0;

  files = g_file_enumerator_next_files_finish (enumerator, result, &error);

  /* The list may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;

  if (files == NULL)
    {
      if (error != NULL)
        g_debug ("Cannot list %s: %s", g_file_peek_path (self->directory), error->message);

      g_file_enumerator_close_async (enumerator, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      set_loading (self, FALSE);
      return;
    }

  for (const GList *iter = files; iter != NULL; iter = iter->next)
    {
      GFileInfo *info = iter->data;
      g_autoptr(GFile) file = g_file_enumerator_get_child (enumerator, info);
      guint position;

      /* A monitor event got there first; its query has the newer word. */
      if (g_hash_table_contains (self->serials, file) || find_file (self, file, &position))
        {
          g_object_unref (info);
          continue;
        }

      g_file_info_set_attribute_object (info, "standard::file", G_OBJECT (file));
      g_ptr_array_add (self->items, info);
      added++;
    }
  g_list_free (files);

  if (added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), self->items->len - added, 0, added);

  g_file_enumerator_next_files_async (enumerator,
                                      FILES_PER_BATCH,
                                      G_PRIORITY_DEFAULT,
                                      self->cancellable,
                                      next_files_cb,
                                      self);
}

static void
enumerate_children_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  UniDirectoryList *self;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autoptr(GError) error = NULL;

  enumerator = g_file_enumerate_children_finish (G_FILE (object), result, &error);

  /* The list may be gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;

  if (enumerator == NULL)
    {
      g_debug ("Cannot list %s: %s", g_file_peek_path (self->directory), error->message);
      set_loading (self, FALSE);
      return;
    }

  g_file_enumerator_next_files_async (enumerator,
                                      FILES_PER_BATCH,
                                      G_PRIORITY_DEFAULT,
                                      self->cancellable,
                                      next_files_cb,
                                      self);
}

static void
uni_directory_list_dispose (GObject *object)
{
  UniDirectoryList *self = UNI_DIRECTORY_LIST (object);

  g_cancellable_cancel (self->cancellable);

  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  G_OBJECT_CLASS (uni_directory_list_parent_class)->dispose (object);
}

static void
uni_directory_list_finalize (GObject *object)
{
  UniDirectoryList *self = UNI_DIRECTORY_LIST (object);

  g_clear_object (&self->directory);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->attributes, g_free);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->serials, g_hash_table_unref);

  G_OBJECT_CLASS (uni_directory_list_parent_class)->finalize (object);
}

static void
uni_directory_list_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  UniDirectoryList *self = UNI_DIRECTORY_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_directory_list_class_init (UniDirectoryListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = uni_directory_list_dispose;
  object_class->finalize = uni_directory_list_finalize;
  object_class->get_property = uni_directory_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_directory_list_init (UniDirectoryList *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->serials = g_hash_table_new_full (g_file_hash, (GEqualFunc) g_file_equal,
                                         g_object_unref, NULL);
  self->cancellable = g_cancellable_new ();
}

/**
 * uni_directory_list_new:
 * @directory: the folder to list
 * @attributes: the file attributes each #GFileInfo carries
 *
 * Starts listing @directory and watching it. Each item has its #GFile in
 * the `standard::file` attribute.
 *
 * Returns: (transfer full): a new #UniDirectoryList
 */
UniDirectoryList *
uni_directory_list_new (GFile      *directory,
                        const char *attributes)
{
  UniDirectoryList *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (G_IS_FILE (directory), NULL);
  g_return_val_if_fail (attributes != NULL, NULL);

  self = g_object_new (UNI_TYPE_DIRECTORY_LIST, NULL);
  self->directory = g_object_ref (directory);
  self->attributes = g_strdup (attributes);

  /* Watch first, so nothing created while listing is missed. */
  self->monitor = g_file_monitor_directory (directory, G_FILE_MONITOR_WATCH_MOVES,
                                            NULL, &error);
  if (self->monitor != NULL)
    g_signal_connect_object (self->monitor, "changed",
                             G_CALLBACK (monitor_changed_cb), self, G_CONNECT_SWAPPED);
  else
    g_debug ("Cannot watch %s: %s", g_file_peek_path (directory), error->message);

  self->loading = TRUE;
  g_file_enumerate_children_async (directory,
                                   attributes,
                                   G_FILE_QUERY_INFO_NONE,
                                   G_PRIORITY_DEFAULT,
                                   self->cancellable,
                                   enumerate_children_cb,
                                   self);

  return self;
}

/**
 * uni_directory_list_get_file:
 *
 * Returns: (transfer none): the listed folder
 */
GFile *
uni_directory_list_get_file (UniDirectoryList *self)
{
  g_return_val_if_fail (UNI_IS_DIRECTORY_LIST (self), NULL);

  return self->directory;
}

gboolean
uni_directory_list_is_loading (UniDirectoryList *self)
{
  g_return_val_if_fail (UNI_IS_DIRECTORY_LIST (self), FALSE);

  return self->loading;
}
