/* uni-problems-panel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-problems-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-problems-panel.h"

#define MARK_ERROR   "uni-problem-error"
#define MARK_WARNING "uni-problem-warning"

struct _UniProblemsPanel
{
  GtkWidget            parent_instance;

  /* Template widgets */
  GtkStack            *stack;
  GtkListView         *list_view;

  /* Owned */
  GListStore          *models;
  GtkFlattenListModel *flattened;
};

G_DEFINE_FINAL_TYPE (UniProblemsPanel, uni_problems_panel, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

enum
{
  DIAGNOSTIC_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
severity_icon_name (UniDiagnosticSeverity severity)
{
  switch (severity)
    {
    case UNI_DIAGNOSTIC_ERROR:
      return "dialog-error-symbolic";
    case UNI_DIAGNOSTIC_WARNING:
    case UNI_DIAGNOSTIC_ALERT:
      return "dialog-warning-symbolic";
    case UNI_DIAGNOSTIC_NOTE:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_name (UniDiagnosticSeverity severity)
{
  switch (severity)
    {
    case UNI_DIAGNOSTIC_ERROR:
      return _("Error");
    case UNI_DIAGNOSTIC_WARNING:
      return _("Warning");
    case UNI_DIAGNOSTIC_ALERT:
      return _("Alert");
    case UNI_DIAGNOSTIC_NOTE:
    default:
      return _("Note");
    }
}

static char *
format_location (UniDiagnostic *diagnostic)
{
  const char *file = uni_diagnostic_get_file (diagnostic);
  guint line = uni_diagnostic_get_line (diagnostic);

  if (file == NULL)
    return g_strdup (uni_diagnostic_get_source (diagnostic));
  if (line == 0)
    return g_strdup (file);

  /* Columns are 0-based in the compiler's output; people count from 1. */
  return g_strdup_printf ("%s:%u:%u", file, line, uni_diagnostic_get_start_column (diagnostic) + 1);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  /* The severity is in the row's text too: the icon is decoration. */
  GtkWidget *image = g_object_new (GTK_TYPE_IMAGE,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                                   NULL);
  GtkWidget *location = gtk_label_new (NULL);
  GtkWidget *message = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "problem-row");
  gtk_widget_add_css_class (location, "problem-location");
  gtk_widget_add_css_class (location, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (location), 0);
  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_ellipsize (GTK_LABEL (message), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (message, TRUE);

  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), location);
  gtk_box_append (GTK_BOX (box), message);
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             gpointer                  user_data)
{
  UniDiagnostic *diagnostic = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *image = gtk_widget_get_first_child (box);
  GtkWidget *location = gtk_widget_get_next_sibling (image);
  GtkWidget *message = gtk_widget_get_next_sibling (location);
  UniDiagnosticSeverity severity = uni_diagnostic_get_severity (diagnostic);
  g_autofree char *location_text = format_location (diagnostic);
  g_autofree char *label = NULL;
  const char *details = uni_diagnostic_get_details (diagnostic);

  gtk_image_set_from_icon_name (GTK_IMAGE (image), severity_icon_name (severity));
  gtk_widget_remove_css_class (image, "error");
  gtk_widget_remove_css_class (image, "warning");
  if (severity == UNI_DIAGNOSTIC_ERROR)
    gtk_widget_add_css_class (image, "error");
  else if (severity != UNI_DIAGNOSTIC_NOTE)
    gtk_widget_add_css_class (image, "warning");

  gtk_label_set_label (GTK_LABEL (location), location_text);
  gtk_label_set_label (GTK_LABEL (message), uni_diagnostic_get_message (diagnostic));
  gtk_widget_set_tooltip_text (box, details != NULL && *details != '\0' ? details : NULL);

  /* Translators: "Error: unikernel.ml:12:5: Unbound value foo" for screen readers */
  label = g_strdup_printf (_("%s: %s: %s"), severity_name (severity), location_text,
                           uni_diagnostic_get_message (diagnostic));
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
items_changed_cb (UniProblemsPanel *self,
                  guint             position,
                  guint             removed,
                  guint             added,
                  GListModel       *model)
{
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
list_view_activate_cb (UniProblemsPanel *self,
                       guint             position,
                       GtkListView      *list_view)
{
  g_autoptr(UniDiagnostic) diagnostic = NULL;

  diagnostic = g_list_model_get_item (G_LIST_MODEL (self->flattened), position);
  if (diagnostic != NULL)
    g_signal_emit (self, signals[DIAGNOSTIC_ACTIVATED], 0, diagnostic);
}

static void
uni_problems_panel_dispose (GObject *object)
{
  UniProblemsPanel *self = UNI_PROBLEMS_PANEL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_PROBLEMS_PANEL);

  g_clear_object (&self->flattened);
  g_clear_object (&self->models);

  G_OBJECT_CLASS (uni_problems_panel_parent_class)->dispose (object);
}

static void
uni_problems_panel_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  UniProblemsPanel *self = UNI_PROBLEMS_PANEL (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, uni_problems_panel_get_n_items (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_problems_panel_class_init (UniProblemsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = uni_problems_panel_dispose;
  object_class->get_property = uni_problems_panel_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniProblemsPanel::diagnostic-activated:
   * @self: the panel
   * @diagnostic: the problem the user chose
   *
   * The user wants to see @diagnostic in the code.
   */
  signals[DIAGNOSTIC_ACTIVATED] =
    g_signal_new ("diagnostic-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, UNI_TYPE_DIAGNOSTIC);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "problemspanel");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-problems-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, UniProblemsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, UniProblemsPanel, list_view);
}

static void
uni_problems_panel_init (UniProblemsPanel *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->models = g_list_store_new (G_TYPE_LIST_MODEL);
  self->flattened = gtk_flatten_list_model_new (g_object_ref (G_LIST_MODEL (self->models)));
  g_signal_connect_object (self->flattened, "items-changed",
                           G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  gtk_list_view_set_factory (self->list_view, factory);

  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->flattened)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  g_signal_connect_object (self->list_view, "activate",
                           G_CALLBACK (list_view_activate_cb), self, G_CONNECT_SWAPPED);
}

UniProblemsPanel *
uni_problems_panel_new (void)
{
  return g_object_new (UNI_TYPE_PROBLEMS_PANEL, NULL);
}

/**
 * uni_problems_panel_add_model:
 * @self: a #UniProblemsPanel
 * @diagnostics: a #GListModel of #UniDiagnostic, e.g. a #UniDiagnosticParser
 *
 * Lists the problems of @diagnostics after those already listed, as they come.
 */
void
uni_problems_panel_add_model (UniProblemsPanel *self,
                              GListModel       *diagnostics)
{
  g_return_if_fail (UNI_IS_PROBLEMS_PANEL (self));
  g_return_if_fail (G_IS_LIST_MODEL (diagnostics));

  g_list_store_append (self->models, diagnostics);
}

/**
 * uni_problems_panel_clear:
 *
 * Forgets every model, for a new build.
 */
void
uni_problems_panel_clear (UniProblemsPanel *self)
{
  g_return_if_fail (UNI_IS_PROBLEMS_PANEL (self));

  g_list_store_remove_all (self->models);
}

/**
 * uni_problems_panel_get_model:
 *
 * Returns: (transfer none): every problem listed, a #GListModel of #UniDiagnostic
 */
GListModel *
uni_problems_panel_get_model (UniProblemsPanel *self)
{
  g_return_val_if_fail (UNI_IS_PROBLEMS_PANEL (self), NULL);

  return G_LIST_MODEL (self->flattened);
}

guint
uni_problems_panel_get_n_items (UniProblemsPanel *self)
{
  g_return_val_if_fail (UNI_IS_PROBLEMS_PANEL (self), 0);

  return g_list_model_get_n_items (G_LIST_MODEL (self->flattened));
}

/**
 * uni_problems_panel_get_list_view:
 *
 * Returns: (transfer none): the list of problems
 */
GtkListView *
uni_problems_panel_get_list_view (UniProblemsPanel *self)
{
  g_return_val_if_fail (UNI_IS_PROBLEMS_PANEL (self), NULL);

  return self->list_view;
}

static void
ensure_mark_attributes (GtkSourceView *view)
{
  static const struct { const char *category; const char *icon; const char *color; int priority; }
  kinds[] = {
    { MARK_ERROR, "dialog-error-symbolic", "rgba(224,27,36,0.15)", 20 },
    { MARK_WARNING, "dialog-warning-symbolic", "rgba(229,165,10,0.15)", 10 },
  };

  if (g_object_get_data (G_OBJECT (view), "uni-problem-marks") != NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autoptr(GtkSourceMarkAttributes) attributes = gtk_source_mark_attributes_new ();
      GdkRGBA background;

      gdk_rgba_parse (&background, kinds[i].color);
      gtk_source_mark_attributes_set_icon_name (attributes, kinds[i].icon);
      gtk_source_mark_attributes_set_background (attributes, &background);
      gtk_source_view_set_mark_attributes (view, kinds[i].category, attributes, kinds[i].priority);
    }

  gtk_source_view_set_show_line_marks (view, TRUE);
  g_object_set_data (G_OBJECT (view), "uni-problem-marks", GINT_TO_POINTER (TRUE));
}

/* Resolving looks at the disk: once per problem, not once per editor and pass. */
static GFile *
resolve_once (UniDiagnostic *diagnostic,
              GFile         *project_dir)
{
  GFile *file = g_object_get_data (G_OBJECT (diagnostic), "uni-resolved-file");

  if (file == NULL && g_object_get_data (G_OBJECT (diagnostic), "uni-resolved") == NULL)
    {
      file = uni_diagnostic_resolve_file (diagnostic, project_dir);
      g_object_set_data (G_OBJECT (diagnostic), "uni-resolved", GINT_TO_POINTER (TRUE));
      if (file != NULL)
        g_object_set_data_full (G_OBJECT (diagnostic), "uni-resolved-file", file,
                                g_object_unref);
    }

  return file != NULL ? g_object_ref (file) : NULL;
}

/**
 * uni_problems_panel_mark_editor:
 * @self: a #UniProblemsPanel
 * @page: an editor
 * @project_dir: the folder the build ran in, to resolve relative file names
 *
 * Marks the lines of @page that have an error or a warning listed, with an
 * icon in the gutter and a tinted line, and removes marks of problems gone.
 */
void
uni_problems_panel_mark_editor (UniProblemsPanel *self,
                                UniEditorPage    *page,
                                GFile            *project_dir)
{
  GtkSourceBuffer *buffer;
  GFile *page_file;
  GtkTextIter start, end;
  guint n_items;

  g_return_if_fail (UNI_IS_PROBLEMS_PANEL (self));
  g_return_if_fail (UNI_IS_EDITOR_PAGE (page));
  g_return_if_fail (G_IS_FILE (project_dir));

  buffer = uni_editor_page_get_buffer (page);
  page_file = uni_editor_page_get_file (page);

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
  gtk_source_buffer_remove_source_marks (buffer, &start, &end, MARK_ERROR);
  gtk_source_buffer_remove_source_marks (buffer, &start, &end, MARK_WARNING);

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->flattened));

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(UniDiagnostic) diagnostic = g_list_model_get_item (G_LIST_MODEL (self->flattened), i);
      g_autoptr(GFile) file = NULL;
      UniDiagnosticSeverity severity = uni_diagnostic_get_severity (diagnostic);
      guint line = uni_diagnostic_get_line (diagnostic);
      GtkTextIter iter;

      if (line == 0 || severity == UNI_DIAGNOSTIC_NOTE)
        continue;

      file = resolve_once (diagnostic, project_dir);
      if (file == NULL || !g_file_equal (file, page_file))
        continue;

      if (line > (guint) gtk_text_buffer_get_line_count (GTK_TEXT_BUFFER (buffer)))
        continue;

      ensure_mark_attributes (uni_editor_page_get_view (page));
      gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (buffer), &iter, line - 1);
      gtk_source_buffer_create_source_mark (buffer, NULL,
                                            severity == UNI_DIAGNOSTIC_ERROR ?
                                            MARK_ERROR : MARK_WARNING,
                                            &iter);
    }
}
