/* uni-manifest-page-packages.c — the Manifest page: packages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest-page-packages"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-manifest-page-private.h"

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

void
_uni_manifest_page_update_packages_group (UniManifestPage *self)
{
  GString *shape = g_string_new (NULL);
  guint n_packages = uni_manifest_get_n_packages (self->manifest);

  for (guint i = 0; i < n_packages; i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (self->manifest, i);
      g_autofree char *bounds = describe_bounds (package);

      g_string_append_printf (shape, "%s\t%s\n", package->name, bounds);
    }

  if (g_strcmp0 (shape->str, self->packages_shape) == 0)
    {
      g_string_free (shape, TRUE);
      return;
    }

  g_free (self->packages_shape);
  self->packages_shape = g_string_free (shape, FALSE);

  _uni_manifest_page_remove_rows (self->packages_list, self->package_rows);

  for (guint i = 0; i < n_packages; i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (self->manifest, i);
      g_autofree char *bounds = describe_bounds (package);
      g_autofree char *row_name = g_strdup_printf ("package-%s", package->name);
      GtkWidget *row = _uni_manifest_page_new_row (package->name, bounds);
      GtkWidget *button = _uni_manifest_page_new_icon_button ("user-trash-symbolic",
                                                              _("Remove Package"));

      gtk_widget_set_name (row, row_name);
      gtk_widget_set_name (button, "remove");
      g_object_set_data_full (G_OBJECT (button), "uni-package", g_strdup (package->name), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (remove_package_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

      gtk_list_box_insert (self->packages_list, row, (int) i);
      g_ptr_array_add (self->package_rows, row);
    }
}

static char *
dup_stripped (AdwEntryRow *row)
{
  char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (*text == '\0')
    g_clear_pointer (&text, g_free);

  return text;
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
