/* uni-file-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-file-tree"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-directory-list.h"
#include "uni-file-tree.h"
#include "uni-file-util.h"

#define FILE_ATTRIBUTES \
  G_FILE_ATTRIBUTE_STANDARD_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME "," \
  G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
  G_FILE_ATTRIBUTE_STANDARD_ICON "," \
  G_FILE_ATTRIBUTE_STANDARD_SYMBOLIC_ICON "," \
  G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN

struct _UniFileTree
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkListView      *list_view;

  /* Owned */
  UniProject       *project;
  GtkTreeListModel *tree_model;
  GtkCustomFilter  *filter;
  GtkCustomSorter  *sorter;
  GSignalGroup     *project_signals;
  GSignalGroup     *repository_signals;
  GHashTable       *bound_items;

  /* Flags */
  guint             show_hidden : 1;
};

/* What creating a folder's model needs. The tree model holds it, and may
 * outlive the tree (uni_file_tree_get_model()), so it holds the tree weakly.
 */
typedef struct
{
  GtkFilter *filter;
  GtkSorter *sorter;
  GWeakRef   tree;
} ChildModels;

G_DEFINE_FINAL_TYPE (UniFileTree, uni_file_tree, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PROJECT,
  PROP_SHOW_HIDDEN,
  N_PROPS
};

enum
{
  FILE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static GQuark collate_key_quark;

static const char * const status_classes[] = {
  "git-ignored",
  "git-untracked",
  "git-added",
  "git-modified",
  "git-deleted",
  "git-conflicted",
};

/* Colour alone says nothing to a screen reader or a colour-blind user. */
static const char * const status_descriptions[] = {
  N_("Ignored"),
  N_("Untracked"),
  N_("Added"),
  N_("Modified"),
  N_("Deleted"),
  N_("Conflicted"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (status_classes) == G_N_ELEMENTS (status_descriptions));

static GFile *
file_info_get_file (GFileInfo *info)
{
  /* UniDirectoryList stores the child's GFile on each info it lists. */
  return G_FILE (g_file_info_get_attribute_object (info, "standard::file"));
}

static gboolean
file_info_is_directory (GFileInfo *info)
{
  return g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY;
}

static const char *
file_info_get_collate_key (GFileInfo *info)
{
  const char *key = g_object_get_qdata (G_OBJECT (info), collate_key_quark);

  if (key == NULL)
    {
      g_autofree char *folded = g_utf8_casefold (g_file_info_get_display_name (info), -1);
      char *new_key = g_utf8_collate_key_for_filename (folded, -1);

      g_object_set_qdata_full (G_OBJECT (info), collate_key_quark, new_key, g_free);
      key = new_key;
    }

  return key;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  UniFileTree *self = user_data;
  GFileInfo *info = item;

  if (self->show_hidden)
    return TRUE;

  return !uni_file_is_hidden_in_tree (g_file_info_get_name (info),
                                      g_file_info_get_file_type (info));
}

static int
sort_func (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  GFileInfo *info_a = (GFileInfo *)a;
  GFileInfo *info_b = (GFileInfo *)b;
  gboolean dir_a = file_info_is_directory (info_a);
  gboolean dir_b = file_info_is_directory (info_b);
  int ret;

  if (dir_a != dir_b)
    return dir_a ? -1 : 1;

  ret = strcmp (file_info_get_collate_key (info_a), file_info_get_collate_key (info_b));

  if (ret == 0)
    ret = strcmp (g_file_info_get_name (info_a), g_file_info_get_name (info_b));

  return ret;
}

static void
directory_items_changed_cb (UniFileTree      *self,
                            guint             position,
                            guint             removed,
                            guint             added,
                            UniDirectoryList *list)
{
  /* The project watches only .git: a file written, created or removed in a
   * listed folder may change its git status. Refreshes are merged.
   */
  if (self->project != NULL && !uni_directory_list_is_loading (list))
    uni_project_queue_refresh (self->project);
}

static void
child_models_clear (gpointer data)
{
  ChildModels *models = data;

  g_clear_object (&models->filter);
  g_clear_object (&models->sorter);
  g_weak_ref_clear (&models->tree);
}

static ChildModels *
child_models_new (UniFileTree *self)
{
  ChildModels *models = g_rc_box_new0 (ChildModels);

  models->filter = g_object_ref (GTK_FILTER (self->filter));
  models->sorter = g_object_ref (GTK_SORTER (self->sorter));
  g_weak_ref_init (&models->tree, self);

  return models;
}

static void
child_models_release (gpointer data)
{
  g_rc_box_release_full (data, child_models_clear);
}

static GListModel *
create_directory_model (ChildModels *models,
                        GFile       *directory)
{
  g_autoptr(UniFileTree) self = g_weak_ref_get (&models->tree);
  UniDirectoryList *list = uni_directory_list_new (directory, FILE_ATTRIBUTES);
  GtkFilterListModel *filtered;

  if (self != NULL)
    g_signal_connect_object (list, "items-changed",
                             G_CALLBACK (directory_items_changed_cb), self, G_CONNECT_SWAPPED);

  filtered = gtk_filter_list_model_new (G_LIST_MODEL (list), g_object_ref (models->filter));

  return G_LIST_MODEL (gtk_sort_list_model_new (G_LIST_MODEL (filtered),
                                                g_object_ref (models->sorter)));
}

static GListModel *
create_child_model_cb (gpointer item,
                       gpointer user_data)
{
  ChildModels *models = user_data;
  GFileInfo *info = item;

  /* Folders are listed only when expanded: the tree stays lazy. */
  if (!file_info_is_directory (info))
    return NULL;

  return create_directory_model (models, file_info_get_file (info));
}

static GtkWidget *
row_get_label (GtkListItem *list_item)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));

  return gtk_widget_get_last_child (box);
}

static GtkWidget *
row_get_icon (GtkListItem *list_item)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  GtkWidget *box = gtk_tree_expander_get_child (GTK_TREE_EXPANDER (expander));

  return gtk_widget_get_first_child (box);
}

static GFileInfo *
row_dup_info (GtkListItem *list_item)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);

  if (row == NULL)
    return NULL;

  return gtk_tree_list_row_get_item (row);
}

static void
update_row_status (UniFileTree *self,
                   GtkListItem *list_item)
{
  g_autoptr(GFileInfo) info = row_dup_info (list_item);
  GtkWidget *label = row_get_label (list_item);
  UniGitFileStatus status = UNI_GIT_FILE_STATUS_CLEAN;
  UniRepository *repository = NULL;
  const char *description = NULL;
  const char *css_class;

  if (self->project != NULL)
    repository = uni_project_get_repository (self->project);

  if (info != NULL && repository != NULL)
    status = uni_repository_get_file_status (repository, file_info_get_file (info));

  css_class = uni_file_tree_status_css_class (status);

  for (guint i = 0; i < G_N_ELEMENTS (status_classes); i++)
    {
      if (g_strcmp0 (css_class, status_classes[i]) != 0)
        gtk_widget_remove_css_class (label, status_classes[i]);
    }

  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  if (status != UNI_GIT_FILE_STATUS_CLEAN && status <= UNI_GIT_FILE_STATUS_CONFLICTED)
    description = _(status_descriptions[status - 1]);

  gtk_widget_set_tooltip_text (label, description);
  if (description != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
}

static void
update_all_rows (UniFileTree *self)
{
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->bound_items);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    update_row_status (self, key);
}

static void
activate_position (UniFileTree *self,
                   guint        position)
{
  g_autoptr(GtkTreeListRow) row = NULL;
  g_autoptr(GFileInfo) info = NULL;

  if (self->tree_model == NULL)
    return;

  row = g_list_model_get_item (G_LIST_MODEL (self->tree_model), position);
  if (row == NULL)
    return;

  info = gtk_tree_list_row_get_item (row);

  if (file_info_is_directory (info))
    {
      gtk_tree_list_row_set_expanded (row, !gtk_tree_list_row_get_expanded (row));
      return;
    }

  g_signal_emit (self, signals[FILE_ACTIVATED], 0, file_info_get_file (info));
}

static void
list_view_activate_cb (UniFileTree *self,
                       guint        position,
                       GtkListView *list_view)
{
  activate_position (self, position);
}

static void
row_pressed_cb (GtkGestureClick *gesture,
                int              n_press,
                double           x,
                double           y,
                GtkListItem     *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  UniFileTree *self = UNI_FILE_TREE (gtk_widget_get_ancestor (row, UNI_TYPE_FILE_TREE));
  GtkSelectionModel *selection = gtk_list_view_get_model (self->list_view);
  guint position = gtk_list_item_get_position (list_item);

  /* Owning the click keeps the expander arrow and the list's double-click
   * activation from toggling a folder a second time.
   */
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);

  if (n_press == 1 && position != GTK_INVALID_LIST_POSITION)
    {
      gtk_selection_model_select_item (selection, position, TRUE);
      gtk_widget_grab_focus (gtk_widget_get_parent (row));
    }
}

static void
row_released_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GtkListItem     *list_item)
{
  GtkWidget *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  UniFileTree *self = UNI_FILE_TREE (gtk_widget_get_ancestor (row, UNI_TYPE_FILE_TREE));
  guint position = gtk_list_item_get_position (list_item);

  if (n_press == 1 && position != GTK_INVALID_LIST_POSITION && gtk_widget_contains (row, x, y))
    activate_position (self, position);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              UniFileTree              *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (label, "file-name");

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (row_pressed_cb), list_item);
  g_signal_connect (click, "released", G_CALLBACK (row_released_cb), list_item);
  gtk_widget_add_controller (expander, GTK_EVENT_CONTROLLER (click));

  gtk_list_item_set_child (list_item, expander);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item,
             UniFileTree              *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (list_item);
  GtkWidget *expander = gtk_list_item_get_child (list_item);
  g_autoptr(GFileInfo) info = gtk_tree_list_row_get_item (row);
  GIcon *icon = g_file_info_get_symbolic_icon (info);

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  gtk_image_set_from_gicon (GTK_IMAGE (row_get_icon (list_item)), icon);
  gtk_label_set_label (GTK_LABEL (row_get_label (list_item)),
                       g_file_info_get_display_name (info));

  g_hash_table_add (self->bound_items, list_item);
  update_row_status (self, list_item);
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               UniFileTree              *self)
{
  GtkWidget *expander = gtk_list_item_get_child (list_item);

  g_hash_table_remove (self->bound_items, list_item);
  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), NULL);
}

static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 UniFileTree              *self)
{
  g_hash_table_remove (self->bound_items, list_item);
}

static void
project_repository_changed_cb (UniFileTree *self)
{
  UniRepository *repository = NULL;

  if (self->project != NULL)
    repository = uni_project_get_repository (self->project);

  g_signal_group_set_target (self->repository_signals, repository);
  update_all_rows (self);
}

static void
uni_file_tree_dispose (GObject *object)
{
  UniFileTree *self = UNI_FILE_TREE (object);
  GtkWidget *child;

  g_signal_group_set_target (self->project_signals, NULL);
  g_signal_group_set_target (self->repository_signals, NULL);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_FILE_TREE);

  /* Only bound children are dropped by the template: unparent the rest. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  /* Someone may still hold the model: it must not call back into us. */
  if (self->filter != NULL)
    gtk_custom_filter_set_filter_func (self->filter, NULL, NULL, NULL);
  if (self->sorter != NULL)
    gtk_custom_sorter_set_sort_func (self->sorter, NULL, NULL, NULL);

  g_clear_object (&self->tree_model);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (uni_file_tree_parent_class)->dispose (object);
}

static void
uni_file_tree_finalize (GObject *object)
{
  UniFileTree *self = UNI_FILE_TREE (object);

  g_clear_object (&self->filter);
  g_clear_object (&self->sorter);
  g_clear_object (&self->project_signals);
  g_clear_object (&self->repository_signals);
  g_clear_pointer (&self->bound_items, g_hash_table_unref);

  G_OBJECT_CLASS (uni_file_tree_parent_class)->finalize (object);
}

static void
uni_file_tree_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  UniFileTree *self = UNI_FILE_TREE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_SHOW_HIDDEN:
      g_value_set_boolean (value, self->show_hidden);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_file_tree_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  UniFileTree *self = UNI_FILE_TREE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      uni_file_tree_set_project (self, g_value_get_object (value));
      break;

    case PROP_SHOW_HIDDEN:
      uni_file_tree_set_show_hidden (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_file_tree_class_init (UniFileTreeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = uni_file_tree_dispose;
  object_class->finalize = uni_file_tree_finalize;
  object_class->get_property = uni_file_tree_get_property;
  object_class->set_property = uni_file_tree_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         UNI_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * UniFileTree:show-hidden:
   *
   * Whether dot-files and build folders (`_build`, `_opam`, ...) are listed.
   */
  properties[PROP_SHOW_HIDDEN] =
    g_param_spec_boolean ("show-hidden", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniFileTree::file-activated:
   * @self: a #UniFileTree
   * @file: the file the user opened
   *
   * A file (not a folder) was clicked or chosen with Enter.
   */
  signals[FILE_ACTIVATED] =
    g_signal_new ("file-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  collate_key_quark = g_quark_from_static_string ("uni-file-tree-collate-key");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-file-tree.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "filetree");
  gtk_widget_class_bind_template_child (widget_class, UniFileTree, list_view);
  gtk_widget_class_bind_template_callback (widget_class, list_view_activate_cb);
}

static void
uni_file_tree_init (UniFileTree *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->bound_items = g_hash_table_new (NULL, NULL);
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->sorter = gtk_custom_sorter_new (sort_func, self, NULL);

  self->project_signals = g_signal_group_new (UNI_TYPE_PROJECT);
  g_signal_group_connect_object (self->project_signals,
                                 "notify::repository",
                                 G_CALLBACK (project_repository_changed_cb),
                                 self,
                                 G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->project_signals,
                                 "notify::loaded",
                                 G_CALLBACK (project_repository_changed_cb),
                                 self,
                                 G_CONNECT_SWAPPED);

  self->repository_signals = g_signal_group_new (UNI_TYPE_REPOSITORY);
  g_signal_group_connect_object (self->repository_signals,
                                 "changed",
                                 G_CALLBACK (update_all_rows),
                                 self,
                                 G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  g_signal_connect_object (factory, "teardown", G_CALLBACK (teardown_row_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
}

/**
 * uni_file_tree_new:
 *
 * Returns: (transfer floating): a new, empty #UniFileTree
 */
UniFileTree *
uni_file_tree_new (void)
{
  return g_object_new (UNI_TYPE_FILE_TREE, NULL);
}

/**
 * uni_file_tree_get_project:
 *
 * Returns: (transfer none) (nullable): the project whose folder is shown
 */
UniProject *
uni_file_tree_get_project (UniFileTree *self)
{
  g_return_val_if_fail (UNI_IS_FILE_TREE (self), NULL);

  return self->project;
}

/**
 * uni_file_tree_set_project:
 * @self: a #UniFileTree
 * @project: (nullable): the project to show
 *
 * Lists the project's folder. Sub-folders are read only when expanded.
 */
void
uni_file_tree_set_project (UniFileTree *self,
                           UniProject  *project)
{
  g_autoptr(GtkSingleSelection) selection = NULL;

  g_return_if_fail (UNI_IS_FILE_TREE (self));
  g_return_if_fail (!project || UNI_IS_PROJECT (project));

  if (!g_set_object (&self->project, project))
    return;

  g_clear_object (&self->tree_model);

  if (project != NULL)
    {
      ChildModels *models = child_models_new (self);
      GListModel *root = create_directory_model (models, uni_project_get_directory (project));

      self->tree_model = gtk_tree_list_model_new (root, FALSE, FALSE,
                                                  create_child_model_cb,
                                                  models, child_models_release);
      selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->tree_model)));
      gtk_single_selection_set_autoselect (selection, FALSE);
      gtk_single_selection_set_can_unselect (selection, TRUE);
    }

  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));

  g_signal_group_set_target (self->project_signals, project);
  project_repository_changed_cb (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

/**
 * uni_file_tree_get_model:
 *
 * The rows as listed, expanded folders included: a #GListModel of
 * #GtkTreeListRow whose items are #GFileInfo (with the file in the
 * `standard::file` attribute).
 *
 * Returns: (transfer none) (nullable): the model, %NULL without a project
 */
GListModel *
uni_file_tree_get_model (UniFileTree *self)
{
  g_return_val_if_fail (UNI_IS_FILE_TREE (self), NULL);

  return G_LIST_MODEL (self->tree_model);
}

gboolean
uni_file_tree_get_show_hidden (UniFileTree *self)
{
  g_return_val_if_fail (UNI_IS_FILE_TREE (self), FALSE);

  return self->show_hidden;
}

void
uni_file_tree_set_show_hidden (UniFileTree *self,
                               gboolean     show_hidden)
{
  g_return_if_fail (UNI_IS_FILE_TREE (self));

  show_hidden = !!show_hidden;

  if (self->show_hidden == show_hidden)
    return;

  self->show_hidden = show_hidden;
  gtk_filter_changed (GTK_FILTER (self->filter),
                      show_hidden ? GTK_FILTER_CHANGE_LESS_STRICT : GTK_FILTER_CHANGE_MORE_STRICT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_HIDDEN]);
}

/**
 * uni_file_tree_status_css_class:
 * @status: a git status
 *
 * Returns: (nullable): the style class a row's label gets for @status, %NULL
 *   for a clean file
 */
const char *
uni_file_tree_status_css_class (UniGitFileStatus status)
{
  if (status == UNI_GIT_FILE_STATUS_CLEAN || status > UNI_GIT_FILE_STATUS_CONFLICTED)
    return NULL;

  return status_classes[status - 1];
}
