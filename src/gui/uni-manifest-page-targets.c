/* uni-manifest-page-targets.c — the Manifest page: per-target values
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest-page-targets"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-launch.h"
#include "uni-manifest-page-private.h"

/* A configure flag (--net) or a boot argument of the unikernel (--port):
 * both are a value per target in the project settings; a boot argument
 * is described as a flag so that both are edited the same way.
 */
typedef struct
{
  UniManifestPage        *self;
  const UniConfigureFlag *flag;  /* owned by self->row_flags or self->row_boot_flags */
  char                   *key;   /* in the target's group: "net", "boot.port" */
  GtkWidget              *row;
  GtkWidget              *control;
  GtkWidget              *clear_button;
  guint                   boot : 1;
  guint                   updating : 1;
} TargetRow;

/* The targets mirage knows; issue 4 brings UniTarget with their eras. */
static const char * const target_ids[] = {
  "unix", "xen", "xen-arm", "hvt", "spt", "virtio", "qubes", "muen", "genode",
  "unikraft-qemu", "unikraft-firecracker",
};

static const char *
selected_target (UniManifestPage *self)
{
  guint selected = adw_combo_row_get_selected (self->target_row);

  if (selected >= G_N_ELEMENTS (target_ids))
    return target_ids[0];

  return target_ids[selected];
}

static void
settings_save_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(UniManifestPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_project_settings_save_finish (UNI_PROJECT_SETTINGS (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autofree char *message = NULL;

      /* Translators: %s says why, e.g. "Permission denied" */
      message = g_strdup_printf (_("Could not save the project settings: %s"), error->message);
      _uni_manifest_page_show_toast (self, message);
    }
}

static void
store_target_value (TargetRow  *target_row,
                    const char *value)
{
  UniManifestPage *self = target_row->self;
  g_autofree char *old = NULL;

  if (self->updating || g_cancellable_is_cancelled (self->cancellable))
    return;

  old = uni_project_settings_dup_target_value (self->settings, selected_target (self),
                                               target_row->key);
  if (g_strcmp0 (old, value) == 0)
    return;

  uni_project_settings_set_target_value (self->settings, selected_target (self),
                                         target_row->key, value);
  uni_project_settings_save_async (self->settings, self->cancellable,
                                   settings_save_cb, g_object_ref (self));
  _uni_manifest_page_update_target_rows (self);
}

static gboolean
flag_is_switch_like (const UniConfigureFlag *flag)
{
  return g_strcmp0 (flag->type, "bool") == 0 || g_strcmp0 (flag->type, "switch") == 0;
}

static gboolean
validate_target_value (TargetRow   *target_row,
                       const char  *value,
                       GError     **error)
{
  const UniConfigureFlag *flag = target_row->flag;

  if (!uni_configure_flag_validate (flag, value, error))
    return FALSE;

  /* Refused here, by Run's own rule, rather than when Run cannot start the unikernel. */
  if (target_row->boot && g_strcmp0 (flag->type, "int") == 0 &&
      uni_launch_is_port_flag (flag->name) && !uni_launch_parse_port (value, NULL))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   /* Translators: %s are the value typed and the option, e.g. port */
                   _("“%s” is not a valid value for --%s: expected a port number from 1 "
                     "to 65535"), value, flag->name);
      return FALSE;
    }

  return TRUE;
}

/* An empty entry is no value: the default. */
static void
check_target_entry (TargetRow *target_row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (target_row->control));
  g_autoptr(GError) error = NULL;

  if (*text == '\0' || validate_target_value (target_row, text, &error))
    _uni_manifest_page_set_invalid (target_row->control, target_row->row, NULL);
  else
    _uni_manifest_page_set_invalid (target_row->control, target_row->row, error->message);
}

static void
target_entry_changed_cb (GtkEditable *entry,
                         TargetRow   *target_row)
{
  check_target_entry (target_row);
}

static void
target_entry_commit (TargetRow *target_row)
{
  g_autofree char *text = NULL;

  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (target_row->control))));
  if (gtk_widget_has_css_class (target_row->control, "error"))
    return;

  store_target_value (target_row, *text != '\0' ? text : NULL);
}

static void
target_entry_activate_cb (GtkEntry  *entry,
                          TargetRow *target_row)
{
  target_entry_commit (target_row);
}

static void
target_entry_leave_cb (GtkEventControllerFocus *controller,
                       TargetRow               *target_row)
{
  target_entry_commit (target_row);
}

static void
target_switch_active_cb (GtkSwitch  *widget,
                         GParamSpec *pspec,
                         TargetRow  *target_row)
{
  gboolean active = gtk_switch_get_active (widget);

  if (target_row->updating)
    return;

  /* A switch such as --no-opam is given or not: off is the same as unset. */
  if (g_strcmp0 (target_row->flag->type, "switch") == 0)
    store_target_value (target_row, active ? "true" : NULL);
  else
    store_target_value (target_row, active ? "true" : "false");
}

static void
target_choice_selected_cb (AdwComboRow *combo_row,
                           GParamSpec  *pspec,
                           TargetRow   *target_row)
{
  guint selected = adw_combo_row_get_selected (combo_row);

  if (target_row->updating || selected == GTK_INVALID_LIST_POSITION)
    return;

  /* The first item is "Default": nothing stored. */
  store_target_value (target_row,
                      selected == 0 ? NULL : target_row->flag->choices[selected - 1]);
}

static void
target_clear_clicked_cb (GtkButton *button,
                         TargetRow *target_row)
{
  store_target_value (target_row, NULL);
}

static char *
dup_boot_subtitle (UniManifestPage  *self,
                   TargetRow        *target_row,
                   const char       *value)
{
  const UniConfigureFlag *flag = target_row->flag;
  const char *target_id = selected_target (self);

  if (value != NULL)
    /* Translators: the first %s is a target (unix, xen…), then the option
     * and the value the unikernel is started with, e.g. --port=9090
     */
    return g_strdup_printf (_("Boot argument for %s: --%s=%s"), target_id, flag->name, value);

  if (flag->default_value != NULL)
    /* Translators: the first %s is a target (unix, xen…), the second the
     * default in unikernel.ml, e.g. 8080
     */
    return g_strdup_printf (_("Boot argument for %s. Not set: the unikernel’s default (%s)"),
                            target_id, flag->default_value);

  /* Translators: %s is a target: unix, xen… */
  return g_strdup_printf (_("Boot argument for %s. Not set"), target_id);
}

static void
update_target_row (UniManifestPage *self,
                   TargetRow       *target_row)
{
  const UniConfigureFlag *flag = target_row->flag;
  g_autofree char *value = NULL;
  g_autofree char *subtitle = NULL;

  value = uni_project_settings_dup_target_value (self->settings, selected_target (self),
                                                 target_row->key);

  target_row->updating = TRUE;

  if (target_row->boot)
    subtitle = dup_boot_subtitle (self, target_row, value);
  else if (value == NULL && flag->default_value != NULL)
    /* Translators: %s is mirage's own default for the flag, e.g. 8080 */
    subtitle = g_strdup_printf (_("Not set: mirage's default (%s)"), flag->default_value);
  else if (value == NULL)
    subtitle = g_strdup (_("Not set: mirage's default"));
  else
    subtitle = g_strdup (flag->doc);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (target_row->row), subtitle);
  gtk_widget_set_tooltip_text (target_row->row, flag->doc);

  if (g_strcmp0 (flag->type, "enum") == 0 && flag->choices != NULL)
    {
      guint selected = 0;

      for (guint i = 0; value != NULL && flag->choices[i] != NULL; i++)
        if (g_str_equal (flag->choices[i], value))
          selected = i + 1;
      adw_combo_row_set_selected (ADW_COMBO_ROW (target_row->control), selected);
    }
  else if (flag_is_switch_like (flag))
    {
      const char *effective = value != NULL ? value : flag->default_value;

      gtk_switch_set_active (GTK_SWITCH (target_row->control), g_strcmp0 (effective, "true") == 0);
    }
  else if (!_uni_manifest_page_has_focus_within (target_row->control))
    {
      /* A value written by hand in the file may not fit: say so. */
      _uni_manifest_page_set_editable_text (GTK_EDITABLE (target_row->control), value);
      check_target_entry (target_row);
    }

  gtk_widget_set_sensitive (target_row->clear_button, value != NULL);

  target_row->updating = FALSE;
}

static void
target_row_free (gpointer data)
{
  TargetRow *target_row = data;

  g_free (target_row->key);
  g_free (target_row);
}

static GtkWidget *
new_target_row (UniManifestPage        *self,
                const UniConfigureFlag *flag,
                gboolean                boot)
{
  g_autofree char *title = NULL;
  g_autofree char *row_name = NULL;
  TargetRow *target_row = g_new0 (TargetRow, 1);
  gboolean is_choice = g_strcmp0 (flag->type, "enum") == 0 && flag->choices != NULL;
  GtkWidget *row;

  /* A boot argument's name is the one the keys group shows it by. */
  if (boot)
    {
      title = g_strdup (flag->name);
      row_name = g_strdup_printf ("target-boot-%s", flag->name);
      target_row->key = g_strconcat (UNI_LAUNCH_BOOT_PREFIX, flag->name, NULL);
    }
  else
    {
      title = g_strdup_printf ("--%s", flag->name);
      row_name = g_strdup_printf ("target-%s", flag->name);
      target_row->key = g_strdup (flag->name);
    }

  if (is_choice)
    {
      g_autoptr(GtkStringList) items = gtk_string_list_new (NULL);

      /* Translators: the drop-down item that leaves a flag unset */
      gtk_string_list_append (items, _("Default"));
      gtk_string_list_splice (items, 1, 0, (const char * const *) flag->choices);

      row = adw_combo_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
    }
  else
    {
      row = _uni_manifest_page_new_row (title, NULL);
    }

  gtk_widget_set_name (row, row_name);
  gtk_widget_add_css_class (row, "flag-row");
  target_row->self = self;
  target_row->flag = flag;
  target_row->boot = boot;
  target_row->row = row;
  g_object_set_data_full (G_OBJECT (row), "uni-target-row", target_row, target_row_free);

  if (is_choice)
    {
      target_row->control = row;
      g_signal_connect (row, "notify::selected",
                        G_CALLBACK (target_choice_selected_cb), target_row);
    }
  else if (flag_is_switch_like (flag))
    {
      target_row->control = gtk_switch_new ();
      g_signal_connect (target_row->control, "notify::active",
                        G_CALLBACK (target_switch_active_cb), target_row);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), target_row->control);
    }
  else
    {
      GtkEventController *focus = gtk_event_controller_focus_new ();
      int width = _uni_manifest_page_entry_width_for_type (flag->type);

      target_row->control = _uni_manifest_page_new_value_entry (width);
      /* The unikernel's own default shows through an empty boot argument. */
      if (boot && flag->default_value != NULL)
        gtk_entry_set_placeholder_text (GTK_ENTRY (target_row->control), flag->default_value);
      else
        gtk_entry_set_placeholder_text (GTK_ENTRY (target_row->control), _("Not set"));
      g_signal_connect (target_row->control, "changed",
                        G_CALLBACK (target_entry_changed_cb), target_row);
      g_signal_connect (target_row->control, "activate",
                        G_CALLBACK (target_entry_activate_cb), target_row);
      g_signal_connect (focus, "leave", G_CALLBACK (target_entry_leave_cb), target_row);
      gtk_widget_add_controller (target_row->control, focus);
    }

  if (target_row->control != row)
    {
      gtk_widget_set_name (target_row->control, "value");
      gtk_widget_set_valign (target_row->control, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (target_row->control),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), target_row->control);
    }

  target_row->clear_button = _uni_manifest_page_new_icon_button ("edit-clear-symbolic", _("Clear"));
  gtk_widget_set_name (target_row->clear_button, "clear");
  g_signal_connect (target_row->clear_button, "clicked",
                    G_CALLBACK (target_clear_clicked_cb), target_row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), target_row->clear_button);

  g_ptr_array_add (self->target_rows, target_row);

  return row;
}

static void
append_flags_shape (GString    *shape,
                    const char *kind,
                    GPtrArray  *flags)
{
  for (guint i = 0; flags != NULL && i < flags->len; i++)
    {
      const UniConfigureFlag *flag = g_ptr_array_index (flags, i);
      g_autofree char *choices = flag->choices ? g_strjoinv ("|", flag->choices) : NULL;

      g_string_append_printf (shape, "%s:%s:%s:%s:%s:%s\n", kind, flag->name, flag->type,
                              choices ? choices : "",
                              flag->default_value ? flag->default_value : "",
                              flag->doc ? flag->doc : "");
    }
}

static char *
compute_targets_shape (GPtrArray *flags,
                       GPtrArray *boot_flags)
{
  GString *shape = g_string_new (NULL);

  append_flags_shape (shape, "c", flags);
  append_flags_shape (shape, "b", boot_flags);

  return g_string_free (shape, FALSE);
}

/* Cmdliner's converters, as far as the value is checked before boot. */
static char *
dup_boot_flag_type (const UniRuntimeArgDecl *decl)
{
  static const char * const kept[] = { "int", "bool", "ipv4_address", "ipv4" };

  if (decl == NULL || decl->type == NULL)
    return g_strdup ("string");
  if (g_str_equal (decl->type, "some int"))
    return g_strdup ("int");
  if (g_strv_contains (kept, decl->type))
    return g_strdup (decl->type);

  return g_strdup ("string");
}

static GPtrArray *
dup_boot_flags (UniManifestPage *self)
{
  g_autoptr(GPtrArray) boot_args = _uni_manifest_page_dup_boot_args (self);
  GPtrArray *boot_flags = g_ptr_array_new_with_free_func ((GDestroyNotify) uni_configure_flag_free);

  for (guint i = 0; i < boot_args->len; i++)
    {
      const UniManifestPageBootArg *boot_arg = g_ptr_array_index (boot_args, i);
      UniConfigureFlag *flag = g_new0 (UniConfigureFlag, 1);

      flag->name = g_strdup (boot_arg->flag);
      flag->type = dup_boot_flag_type (boot_arg->decl);
      if (boot_arg->decl != NULL)
        {
          flag->default_value = _uni_manifest_page_dup_plain_value (boot_arg->decl->default_text);
          flag->doc = g_strdup (boot_arg->decl->doc);
        }
      g_ptr_array_add (boot_flags, flag);
    }

  return boot_flags;
}

/* The core refuses to save over a file it could not read, so while that
 * lasts the values are shown but not offered for editing.
 */
static void
update_settings_error_row (UniManifestPage *self)
{
  const GError *load_error = uni_project_settings_get_load_error (self->settings);
  gboolean editable = self->settings_loaded && load_error == NULL;

  if (load_error != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s says why the file could not be read, with its name and line */
      subtitle = g_strdup_printf (_("%s\nValues can’t be saved until the file is fixed."),
                                  load_error->message);
      adw_action_row_set_subtitle (self->settings_error_row, subtitle);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->settings_error_row), load_error != NULL);

  gtk_widget_set_sensitive (GTK_WIDGET (self->target_row), editable);
  for (guint i = 0; i < self->target_rows->len; i++)
    gtk_widget_set_sensitive (((TargetRow *) g_ptr_array_index (self->target_rows, i))->row,
                              editable);
}

void
_uni_manifest_page_update_target_rows (UniManifestPage *self)
{
  g_autoptr(GPtrArray) boot_flags = dup_boot_flags (self);
  g_autofree char *shape = compute_targets_shape (self->flags, boot_flags);

  if (g_strcmp0 (shape, self->targets_shape) != 0)
    {
      for (guint i = 0; i < self->target_rows->len; i++)
        gtk_list_box_remove (self->targets_list,
                             ((TargetRow *) g_ptr_array_index (self->target_rows, i))->row);
      g_ptr_array_set_size (self->target_rows, 0);

      g_clear_pointer (&self->row_flags, g_ptr_array_unref);
      if (self->flags != NULL)
        self->row_flags = g_ptr_array_ref (self->flags);
      g_clear_pointer (&self->row_boot_flags, g_ptr_array_unref);
      self->row_boot_flags = g_steal_pointer (&boot_flags);

      g_free (self->targets_shape);
      self->targets_shape = g_steal_pointer (&shape);

      for (guint i = 0; self->row_flags != NULL && i < self->row_flags->len; i++)
        gtk_list_box_append (self->targets_list,
                             new_target_row (self, g_ptr_array_index (self->row_flags, i),
                                             FALSE));
      for (guint i = 0; i < self->row_boot_flags->len; i++)
        gtk_list_box_append (self->targets_list,
                             new_target_row (self, g_ptr_array_index (self->row_boot_flags, i),
                                             TRUE));
    }

  for (guint i = 0; i < self->target_rows->len; i++)
    update_target_row (self, g_ptr_array_index (self->target_rows, i));

  update_settings_error_row (self);
}

static void
target_row_selected_cb (UniManifestPage *self)
{
  if (self->manifest != NULL)
    _uni_manifest_page_update_target_rows (self);
}

static void
select_target (UniManifestPage *self,
               const char      *target_id)
{
  for (guint i = 0; target_id != NULL && i < G_N_ELEMENTS (target_ids); i++)
    if (g_str_equal (target_ids[i], target_id))
      adw_combo_row_set_selected (self->target_row, i);
}

static void
settings_load_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(UniManifestPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A file that cannot be read is kept as it is, and the group says why
   * (see update_settings_error_row()); the values shown are the defaults.
   */
  if (!uni_project_settings_load_finish (UNI_PROJECT_SETTINGS (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->settings_loaded = TRUE;
  select_target (self, uni_project_settings_get_target (self->settings));
  if (self->manifest != NULL)
    _uni_manifest_page_update_target_rows (self);
}

void
_uni_manifest_page_targets_start (UniManifestPage *self)
{
  if (self->settings == NULL)
    {
      g_autoptr(GFile) project_dir = g_file_get_parent (uni_editor_page_get_file (self->editor));

      self->settings = uni_project_settings_new (project_dir);
      self->own_settings = TRUE;
    }

  if (self->own_settings)
    uni_project_settings_load_async (self->settings, self->cancellable,
                                     settings_load_cb, g_object_ref (self));
  else
    {
      self->settings_loaded = TRUE;
      select_target (self, uni_project_settings_get_target (self->settings));
    }
}

void
_uni_manifest_page_targets_init (UniManifestPage *self)
{
  /* Target ids are mirage's own words, shown as they are typed. */
  for (guint i = 0; i < G_N_ELEMENTS (target_ids); i++)
    gtk_string_list_append (self->targets_model, target_ids[i]);
}

void
_uni_manifest_page_targets_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, settings_error_row);
  gtk_widget_class_bind_template_callback (widget_class, target_row_selected_cb);
}
