/* uni-recent-projects.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-recent-projects"

#include "config.h"

#include "uni-file-util.h"
#include "uni-recent-projects.h"

/* UniRecentProject: one folder Unistudio opened before. */

struct _UniRecentProject
{
  GObject    parent_instance;

  char      *name;
  char      *path;
  char      *uri;
  GDateTime *modified;

  guint      exists : 1;
};

G_DEFINE_FINAL_TYPE (UniRecentProject, uni_recent_project, G_TYPE_OBJECT)

enum {
  PROJECT_PROP_0,
  PROJECT_PROP_NAME,
  PROJECT_PROP_PATH,
  PROJECT_PROP_URI,
  PROJECT_PROP_EXISTS,
  PROJECT_PROP_MODIFIED,
  N_PROJECT_PROPS
};

static GParamSpec *project_properties[N_PROJECT_PROPS];

static UniRecentProject *
uni_recent_project_new (const char *uri,
                        GDateTime  *modified)
{
  UniRecentProject *self;
  g_autoptr(GFile) file = g_file_new_for_uri (uri);

  self = g_object_new (UNI_TYPE_RECENT_PROJECT, NULL);
  self->uri = g_strdup (uri);
  self->path = g_file_get_path (file);
  self->name = g_filename_display_basename (self->path);
  self->modified = g_date_time_ref (modified);

  return self;
}

static void
uni_recent_project_set_modified (UniRecentProject *self,
                                 GDateTime        *modified)
{
  if (g_date_time_equal (self->modified, modified))
    return;

  g_clear_pointer (&self->modified, g_date_time_unref);
  self->modified = g_date_time_ref (modified);
  g_object_notify_by_pspec (G_OBJECT (self), project_properties[PROJECT_PROP_MODIFIED]);
}

static void
uni_recent_project_set_exists (UniRecentProject *self,
                               gboolean          exists)
{
  exists = !!exists;

  if (self->exists == exists)
    return;

  self->exists = exists;
  g_object_notify_by_pspec (G_OBJECT (self), project_properties[PROJECT_PROP_EXISTS]);
}

static void
uni_recent_project_finalize (GObject *object)
{
  UniRecentProject *self = (UniRecentProject *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->uri, g_free);
  g_clear_pointer (&self->modified, g_date_time_unref);

  G_OBJECT_CLASS (uni_recent_project_parent_class)->finalize (object);
}

static void
uni_recent_project_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  UniRecentProject *self = UNI_RECENT_PROJECT (object);

  switch (prop_id)
    {
    case PROJECT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROJECT_PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROJECT_PROP_URI:
      g_value_set_string (value, self->uri);
      break;

    case PROJECT_PROP_EXISTS:
      g_value_set_boolean (value, self->exists);
      break;

    case PROJECT_PROP_MODIFIED:
      g_value_set_boxed (value, self->modified);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_recent_project_class_init (UniRecentProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_recent_project_finalize;
  object_class->get_property = uni_recent_project_get_property;

  project_properties[PROJECT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  project_properties[PROJECT_PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  project_properties[PROJECT_PROP_URI] =
    g_param_spec_string ("uri", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /* TRUE until a check proves otherwise, so rows do not flash as missing. */
  project_properties[PROJECT_PROP_EXISTS] =
    g_param_spec_boolean ("exists", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  project_properties[PROJECT_PROP_MODIFIED] =
    g_param_spec_boxed ("modified", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROJECT_PROPS, project_properties);
}

static void
uni_recent_project_init (UniRecentProject *self)
{
  self->exists = TRUE;
}

/**
 * uni_recent_project_get_name:
 *
 * Returns: (transfer none): the folder's name, for display
 */
const char *
uni_recent_project_get_name (UniRecentProject *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (self), NULL);

  return self->name;
}

/**
 * uni_recent_project_get_path:
 *
 * Returns: (transfer none) (type filename): the folder's local path
 */
const char *
uni_recent_project_get_path (UniRecentProject *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (self), NULL);

  return self->path;
}

/**
 * uni_recent_project_get_uri:
 *
 * Returns: (transfer none): the URI the recent manager knows the folder by
 */
const char *
uni_recent_project_get_uri (UniRecentProject *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (self), NULL);

  return self->uri;
}

/**
 * uni_recent_project_get_exists:
 *
 * Returns: %FALSE once a check found the folder missing (or not a folder)
 */
gboolean
uni_recent_project_get_exists (UniRecentProject *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (self), FALSE);

  return self->exists;
}

/**
 * uni_recent_project_get_modified:
 *
 * Returns: (transfer none): when the folder was last opened or registered
 */
GDateTime *
uni_recent_project_get_modified (UniRecentProject *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (self), NULL);

  return self->modified;
}

/**
 * uni_recent_project_dup_file:
 *
 * Returns: (transfer full): a new #GFile for the folder
 */
GFile *
uni_recent_project_dup_file (UniRecentProject *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (self), NULL);

  return g_file_new_for_uri (self->uri);
}

/* UniRecentProjects: the folders Unistudio registered in a GtkRecentManager, most recent first. */

struct _UniRecentProjects
{
  GObject           parent_instance;

  GtkRecentManager *manager;
  GPtrArray        *items;
  GCancellable     *check_cancellable;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniRecentProjects, uni_recent_projects, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_MANAGER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
uni_recent_projects_get_item_type (GListModel *model)
{
  return UNI_TYPE_RECENT_PROJECT;
}

static guint
uni_recent_projects_get_n_items (GListModel *model)
{
  return UNI_RECENT_PROJECTS (model)->items->len;
}

static gpointer
uni_recent_projects_get_item (GListModel *model,
                              guint       position)
{
  UniRecentProjects *self = UNI_RECENT_PROJECTS (model);

  if (position >= self->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = uni_recent_projects_get_item_type;
  iface->get_n_items = uni_recent_projects_get_n_items;
  iface->get_item = uni_recent_projects_get_item;
}

static gboolean
is_unistudio_folder (GtkRecentInfo *info)
{
  return gtk_recent_info_has_application (info, UNI_RECENT_APPLICATION_NAME) &&
         g_strcmp0 (gtk_recent_info_get_mime_type (info), UNI_RECENT_MIME_TYPE) == 0 &&
         g_str_has_prefix (gtk_recent_info_get_uri (info), "file://");
}

/* Opening a folder again re-registers it, which moves the application's stamp;
 * another program visiting it moves "visited". The latest of all wins.
 */
static GDateTime *
dup_last_used (GtkRecentInfo *info)
{
  GDateTime *candidates[3] = {
    gtk_recent_info_get_modified (info),
    gtk_recent_info_get_visited (info),
    NULL,
  };
  GDateTime *latest = NULL;
  const char *exec = NULL;
  guint count = 0;

  gtk_recent_info_get_application_info (info, UNI_RECENT_APPLICATION_NAME,
                                        &exec, &count, &candidates[2]);

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      if (candidates[i] == NULL)
        continue;
      if (latest == NULL || g_date_time_compare (candidates[i], latest) > 0)
        latest = candidates[i];
    }

  if (latest == NULL)
    return g_date_time_new_from_unix_utc (0);

  return g_date_time_ref (latest);
}

static int
compare_most_recent_first (gconstpointer a,
                           gconstpointer b)
{
  UniRecentProject *project_a = *(UniRecentProject **)a;
  UniRecentProject *project_b = *(UniRecentProject **)b;
  int ret;

  ret = g_date_time_compare (project_b->modified, project_a->modified);
  if (ret != 0)
    return ret;

  return g_utf8_collate (project_a->name, project_b->name);
}

static void
query_exists_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(UniRecentProject) project = user_data;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  info = g_file_query_info_finish (G_FILE (object), result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  uni_recent_project_set_exists (project,
                                 info != NULL &&
                                 g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY);
}

static void
uni_recent_projects_reload (UniRecentProjects *self)
{
  g_autoptr(GHashTable) previous = NULL;
  g_autoptr(GPtrArray) items = NULL;
  GList *infos;
  gboolean same;
  guint old_len;

  g_assert (UNI_IS_RECENT_PROJECTS (self));

  previous = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < self->items->len; i++)
    {
      UniRecentProject *project = g_ptr_array_index (self->items, i);

      g_hash_table_insert (previous, project->uri, project);
    }

  items = g_ptr_array_new_with_free_func (g_object_unref);
  infos = gtk_recent_manager_get_items (self->manager);

  for (const GList *iter = infos; iter != NULL; iter = iter->next)
    {
      GtkRecentInfo *info = iter->data;
      g_autoptr(GDateTime) last_used = NULL;
      UniRecentProject *project;

      if (!is_unistudio_folder (info))
        continue;

      last_used = dup_last_used (info);

      /* Keep the objects we already have, so their existence stays known. */
      if ((project = g_hash_table_lookup (previous, gtk_recent_info_get_uri (info))))
        {
          uni_recent_project_set_modified (project, last_used);
          g_ptr_array_add (items, g_object_ref (project));
        }
      else
        {
          g_ptr_array_add (items, uni_recent_project_new (gtk_recent_info_get_uri (info),
                                                          last_used));
        }
    }

  g_list_free_full (infos, (GDestroyNotify) gtk_recent_info_unref);

  g_ptr_array_sort (items, compare_most_recent_first);

  same = items->len == self->items->len;
  for (guint i = 0; same && i < items->len; i++)
    same = g_ptr_array_index (items, i) == g_ptr_array_index (self->items, i);

  if (!same)
    {
      old_len = self->items->len;
      g_clear_pointer (&self->items, g_ptr_array_unref);
      self->items = g_steal_pointer (&items);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->items->len);
    }

  uni_recent_projects_recheck (self);
}

static void
manager_changed_cb (UniRecentProjects *self,
                    GtkRecentManager  *manager)
{
  uni_recent_projects_reload (self);
}

static void
uni_recent_projects_constructed (GObject *object)
{
  UniRecentProjects *self = (UniRecentProjects *)object;

  G_OBJECT_CLASS (uni_recent_projects_parent_class)->constructed (object);

  if (self->manager == NULL)
    self->manager = g_object_ref (gtk_recent_manager_get_default ());

  g_signal_connect_object (self->manager,
                           "changed",
                           G_CALLBACK (manager_changed_cb),
                           self,
                           G_CONNECT_SWAPPED);

  uni_recent_projects_reload (self);
}

static void
uni_recent_projects_dispose (GObject *object)
{
  UniRecentProjects *self = (UniRecentProjects *)object;

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_object (&self->manager);

  G_OBJECT_CLASS (uni_recent_projects_parent_class)->dispose (object);
}

static void
uni_recent_projects_finalize (GObject *object)
{
  UniRecentProjects *self = (UniRecentProjects *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_recent_projects_parent_class)->finalize (object);
}

static void
uni_recent_projects_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  UniRecentProjects *self = UNI_RECENT_PROJECTS (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      g_value_set_object (value, self->manager);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_recent_projects_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  UniRecentProjects *self = UNI_RECENT_PROJECTS (object);

  switch (prop_id)
    {
    case PROP_MANAGER:
      self->manager = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_recent_projects_class_init (UniRecentProjectsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = uni_recent_projects_constructed;
  object_class->dispose = uni_recent_projects_dispose;
  object_class->finalize = uni_recent_projects_finalize;
  object_class->get_property = uni_recent_projects_get_property;
  object_class->set_property = uni_recent_projects_set_property;

  properties[PROP_MANAGER] =
    g_param_spec_object ("manager", NULL, NULL,
                         GTK_TYPE_RECENT_MANAGER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_recent_projects_init (UniRecentProjects *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * uni_recent_projects_new:
 * @manager: (nullable): the recent manager to read, or %NULL for the default one
 *
 * Returns: (transfer full): a #GListModel of #UniRecentProject, most recent first,
 *   that follows @manager's changes
 */
UniRecentProjects *
uni_recent_projects_new (GtkRecentManager *manager)
{
  g_return_val_if_fail (!manager || GTK_IS_RECENT_MANAGER (manager), NULL);

  return g_object_new (UNI_TYPE_RECENT_PROJECTS,
                       "manager", manager,
                       NULL);
}

/**
 * uni_recent_projects_get_manager:
 *
 * Returns: (transfer none): the recent manager the model follows
 */
GtkRecentManager *
uni_recent_projects_get_manager (UniRecentProjects *self)
{
  g_return_val_if_fail (UNI_IS_RECENT_PROJECTS (self), NULL);

  return self->manager;
}

/**
 * uni_recent_projects_recheck:
 *
 * Checks again, asynchronously, which folders still exist; items whose
 * folder went away notify #UniRecentProject:exists.
 */
void
uni_recent_projects_recheck (UniRecentProjects *self)
{
  g_return_if_fail (UNI_IS_RECENT_PROJECTS (self));

  g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  for (guint i = 0; i < self->items->len; i++)
    {
      UniRecentProject *project = g_ptr_array_index (self->items, i);
      g_autoptr(GFile) file = uni_recent_project_dup_file (project);

      g_file_query_info_async (file,
                               G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NONE,
                               G_PRIORITY_LOW,
                               self->check_cancellable,
                               query_exists_cb,
                               g_object_ref (project));
    }
}

/**
 * uni_recent_projects_remove:
 * @project: an item of @self
 *
 * Forgets @project: removes it from the recent manager and from the model at once.
 *
 * Returns: %TRUE if the recent manager forgot it
 */
gboolean
uni_recent_projects_remove (UniRecentProjects  *self,
                            UniRecentProject   *project,
                            GError            **error)
{
  guint position;

  g_return_val_if_fail (UNI_IS_RECENT_PROJECTS (self), FALSE);
  g_return_val_if_fail (UNI_IS_RECENT_PROJECT (project), FALSE);

  if (!gtk_recent_manager_remove_item (self->manager, project->uri, error))
    return FALSE;

  if (g_ptr_array_find (self->items, project, &position))
    {
      g_ptr_array_remove_index (self->items, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }

  return TRUE;
}
