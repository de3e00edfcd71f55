/* uni-manifest-page-packages.c — the Manifest page: packages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest-page-packages"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-manifest-page-private.h"

typedef struct
{
  UniManifestPage *self;
  char            *name;
  AdwEntryRow     *min_row;
  AdwEntryRow     *max_row;
  guint            updating : 1;
} PackageRow;

static void
package_row_free (gpointer data)
{
  PackageRow *package_row = data;

  g_free (package_row->name);
  g_free (package_row);
}

static const UniManifestPackage *
find_package (UniManifest *manifest,
              const char  *name)
{
  for (guint i = 0; i < uni_manifest_get_n_packages (manifest); i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (manifest, i);

      if (g_strcmp0 (package->name, name) == 0)
        return package;
    }

  return NULL;
}

/* NULL for an empty field: an empty bound is no bound. */
static char *
dup_stripped (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);

  return text;
}

static char *
describe_bounds (const UniManifestPackage *package)
{
  GString *text = g_string_new (NULL);

  if (package->is_library)
    g_string_append (text, _("Library"));

  if (package->min != NULL || package->max != NULL)
    {
      if (text->len > 0)
        g_string_append (text, " · ");
      if (package->min != NULL)
        g_string_append_printf (text, "≥ %s", package->min);
      if (package->min != NULL && package->max != NULL)
        g_string_append (text, ", ");
      if (package->max != NULL)
        g_string_append_printf (text, "< %s", package->max);
    }
  else if (!package->is_library)
    {
      g_string_append (text, _("Any version"));
    }

  if (package->sublibs != NULL && package->sublibs[0] != NULL)
    {
      g_autofree char *sublibs = g_strjoinv (", ", package->sublibs);

      g_string_append_printf (text, " · %s", sublibs);
    }

  return g_string_free (text, FALSE);
}

static void
remove_package_clicked_cb (GtkButton       *button,
                           UniManifestPage *self)
{
  g_autofree char *name = g_strdup (g_object_get_data (G_OBJECT (button), "uni-package"));
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  if (!_uni_manifest_page_ensure_current (self))
    return;

  edit = uni_manifest_edit_remove_package (self->manifest, name, &error);
  if (_uni_manifest_page_apply_or_report (self, edit, error))
    {
      /* Translators: %s is an opam package name */
      g_autofree char *message = g_strdup_printf (_("Removed “%s” — Ctrl+Z in config.ml "
                                                    "brings it back"), name);

      _uni_manifest_page_show_toast (self, message);
    }
}

/* The reader knows whether this package's bounds can be rewritten: 2.x lists
 * hold plain strings. Returns the reason when they cannot.
 */
static char *
dup_bounds_read_only_reason (UniManifestPage          *self,
                             const UniManifestPackage *package)
{
  g_autoptr(UniTextEdit) probe = NULL;
  g_autoptr(GError) error = NULL;

  if (package->is_library)
    return g_strdup (_("Libraries are found by ocamlfind and have no version bounds"));

  probe = uni_manifest_edit_constrain_package (self->manifest, package->name,
                                               package->min, package->max, &error);
  if (probe == NULL && g_error_matches (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED))
    return g_strdup (error->message);

  return NULL;
}

/* The message when @min and @max would be refused as versions, else NULL. */
static char *
dup_invalid_bounds_message (UniManifestPage *self,
                            const char      *name,
                            const char      *min,
                            const char      *max)
{
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  edit = uni_manifest_edit_constrain_package (self->manifest, name, min, max, &error);
  if (edit == NULL && g_error_matches (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE))
    return g_strdup (error->message);

  return NULL;
}

static void
bounds_changed_cb (PackageRow *package_row)
{
  UniManifestPage *self = package_row->self;
  const UniManifestPackage *package;
  g_autofree char *min = dup_stripped (package_row->min_row);
  g_autofree char *max = dup_stripped (package_row->max_row);
  g_autofree char *min_message = NULL;
  g_autofree char *max_message = NULL;

  if (package_row->updating || self->manifest == NULL)
    return;

  /* Each field checked by the same code that would write it, without writing. */
  package = find_package (self->manifest, package_row->name);
  if (package != NULL)
    {
      min_message = dup_invalid_bounds_message (self, package->name, min, package->max);
      max_message = dup_invalid_bounds_message (self, package->name, package->min, max);
    }

  _uni_manifest_page_set_invalid (GTK_WIDGET (package_row->min_row), NULL, min_message);
  _uni_manifest_page_set_invalid (GTK_WIDGET (package_row->max_row), NULL, max_message);
}

static void
bounds_apply_cb (PackageRow *package_row)
{
  UniManifestPage *self = package_row->self;
  const UniManifestPackage *package;
  g_autofree char *name = g_strdup (package_row->name);
  g_autofree char *min = dup_stripped (package_row->min_row);
  g_autofree char *max = dup_stripped (package_row->max_row);
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  if (!_uni_manifest_page_can_edit (self) || !_uni_manifest_page_ensure_current (self))
    return;

  package = find_package (self->manifest, name);
  if (package == NULL ||
      (g_strcmp0 (min, package->min) == 0 && g_strcmp0 (max, package->max) == 0))
    return;

  /* Both fields in one edit: one step for Ctrl+Z. This may rebuild the rows,
   * so package_row is not used after it.
   */
  edit = uni_manifest_edit_constrain_package (self->manifest, name, min, max, &error);
  _uni_manifest_page_apply_or_report (self, edit, error);
}

static AdwEntryRow *
new_bound_row (PackageRow *package_row,
               const char *name,
               const char *title,
               const char *value)
{
  GtkWidget *row = adw_entry_row_new ();

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (row), value != NULL ? value : "");
  gtk_widget_add_css_class (row, "monospace-text");
  g_signal_connect_swapped (row, "changed", G_CALLBACK (bounds_changed_cb), package_row);
  g_signal_connect_swapped (row, "apply", G_CALLBACK (bounds_apply_cb), package_row);

  return ADW_ENTRY_ROW (row);
}

static GtkWidget *
new_package_row (UniManifestPage          *self,
                 const UniManifestPackage *package)
{
  g_autofree char *bounds = describe_bounds (package);
  g_autofree char *row_name = g_strdup_printf ("package-%s", package->name);
  g_autofree char *reason = dup_bounds_read_only_reason (self, package);
  GtkWidget *button = _uni_manifest_page_new_icon_button ("user-trash-symbolic",
                                                          _("Remove Package"));
  PackageRow *package_row;
  GtkWidget *row;

  gtk_widget_set_name (button, "remove");
  g_object_set_data_full (G_OBJECT (button), "uni-package", g_strdup (package->name), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (remove_package_clicked_cb), self);

  if (reason != NULL)
    {
      /* Bounds shown, not offered: the subtitle says them, the tooltip why. */
      row = _uni_manifest_page_new_row (package->name, bounds);
      gtk_widget_set_name (row, row_name);
      gtk_widget_set_tooltip_text (row, reason);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      return row;
    }

  row = adw_expander_row_new ();
  gtk_widget_set_name (row, row_name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), package->name);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), bounds);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);

  package_row = g_new0 (PackageRow, 1);
  package_row->self = self;
  package_row->name = g_strdup (package->name);
  package_row->updating = TRUE;
  g_object_set_data_full (G_OBJECT (row), "uni-package-row", package_row, package_row_free);

  package_row->min_row = new_bound_row (package_row, "min", _("Minimum Version (≥)"),
                                        package->min);
  package_row->max_row = new_bound_row (package_row, "max", _("Below Version (<)"),
                                        package->max);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), GTK_WIDGET (package_row->min_row));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), GTK_WIDGET (package_row->max_row));
  package_row->updating = FALSE;

  return row;
}

static gboolean
is_expanded (GtkWidget *row)
{
  return ADW_IS_EXPANDER_ROW (row) && adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row));
}

void
_uni_manifest_page_update_packages_group (UniManifestPage *self)
{
  GString *shape = g_string_new (NULL);
  guint n_packages = uni_manifest_get_n_packages (self->manifest);
  g_autoptr(GHashTable) expanded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n_packages; i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (self->manifest, i);
      g_autofree char *bounds = describe_bounds (package);
      g_autofree char *reason = dup_bounds_read_only_reason (self, package);

      g_string_append_printf (shape, "%s\t%s\t%s\n", package->name, bounds,
                              reason != NULL ? reason : "");
    }

  if (g_strcmp0 (shape->str, self->packages_shape) == 0)
    {
      g_string_free (shape, TRUE);
      return;
    }

  g_free (self->packages_shape);
  self->packages_shape = g_string_free (shape, FALSE);

  /* A row open for editing its bounds stays open across the rebuild. */
  for (guint i = 0; i < self->package_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->package_rows, i);
      PackageRow *package_row = g_object_get_data (G_OBJECT (row), "uni-package-row");

      if (package_row != NULL && is_expanded (row))
        g_hash_table_add (expanded, g_strdup (package_row->name));
    }

  _uni_manifest_page_remove_rows (self->packages_list, self->package_rows);

  for (guint i = 0; i < n_packages; i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (self->manifest, i);
      GtkWidget *row = new_package_row (self, package);

      if (ADW_IS_EXPANDER_ROW (row) && g_hash_table_contains (expanded, package->name))
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);

      gtk_list_box_insert (self->packages_list, row, (int) i);
      g_ptr_array_add (self->package_rows, row);
    }
}

static void
package_fields_changed_cb (UniManifestPage *self)
{
  g_autofree char *name = dup_stripped (self->package_name_row);

  _uni_manifest_page_set_invalid (GTK_WIDGET (self->package_name_row), NULL, NULL);
  gtk_widget_set_sensitive (self->add_package_button, name != NULL);
}

static void
add_package_cb (UniManifestPage *self)
{
  g_autofree char *name = dup_stripped (self->package_name_row);
  g_autofree char *min = dup_stripped (self->package_min_row);
  g_autofree char *max = dup_stripped (self->package_max_row);
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  if (name == NULL || !_uni_manifest_page_ensure_current (self))
    return;

  edit = uni_manifest_edit_add_package (self->manifest, name, min, max, &error);
  if (edit == NULL)
    {
      _uni_manifest_page_set_invalid (GTK_WIDGET (self->package_name_row), NULL, error->message);
      _uni_manifest_page_show_toast (self, error->message);
      return;
    }

  if (!_uni_manifest_page_apply_text_edit (self, edit))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->package_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->package_min_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->package_max_row), "");
  adw_expander_row_set_expanded (self->add_package_row, FALSE);
}

void
_uni_manifest_page_packages_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, package_fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_package_cb);
}
