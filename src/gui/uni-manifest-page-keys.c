/* uni-manifest-page-keys.c — the Manifest page: keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest-page-keys"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-manifest-page-private.h"

typedef enum
{
  KEY_ROW_READ_ONLY,
  KEY_ROW_ENTRY,
  KEY_ROW_SWITCH,
  KEY_ROW_CHOICE,
} KeyRowKind;

typedef struct
{
  UniManifestPage *self;
  char            *name;
  KeyRowKind       kind;
  GtkWidget       *row;
  GtkWidget       *control;
  GtkWidget       *reset_button;
  char           **choices;
  guint            updating : 1;
} KeyRow;

static void
key_row_free (gpointer data)
{
  KeyRow *key_row = data;

  g_free (key_row->name);
  g_strfreev (key_row->choices);
  g_free (key_row);
}

static const UniConfigureFlag *
find_flag (GPtrArray  *flags,
           const char *name)
{
  if (flags == NULL || name == NULL)
    return NULL;

  for (guint i = 0; i < flags->len; i++)
    {
      const UniConfigureFlag *flag = g_ptr_array_index (flags, i);

      if (g_strcmp0 (flag->name, name) == 0)
        return flag;
    }

  return NULL;
}

static const UniConfigureFlag *
find_flag_for_key (UniManifestPage      *self,
                   const UniManifestKey *key)
{
  if (key->flags != NULL)
    for (guint i = 0; key->flags[i] != NULL; i++)
      {
        const UniConfigureFlag *flag = find_flag (self->flags, key->flags[i]);

        if (flag != NULL)
          return flag;
      }

  return find_flag (self->flags, key->name);
}

static const char *
key_flag_name (const UniManifestKey *key)
{
  if (key->flags != NULL && key->flags[0] != NULL)
    return key->flags[0];

  return key->name;
}

/**
 * _uni_manifest_page_dup_plain_value:
 * @ocaml_text: (nullable): an expression as written in OCaml
 *
 * Returns: (transfer full) (nullable): a plain string literal without its
 *   quotes, as the user would type it; any other expression as written
 */
char *
_uni_manifest_page_dup_plain_value (const char *ocaml_text)
{
  gsize length;

  if (ocaml_text == NULL)
    return NULL;

  length = strlen (ocaml_text);
  if (length >= 2 && ocaml_text[0] == '"' && ocaml_text[length - 1] == '"' &&
      memchr (ocaml_text + 1, '"', length - 2) == NULL &&
      memchr (ocaml_text, '\\', length) == NULL)
    return g_strndup (ocaml_text + 1, length - 2);

  return g_strdup (ocaml_text);
}

/* The value as the user types it: the flag's default says it that way
 * (a string without its quotes); the expression as written otherwise.
 */
static char *
dup_key_value (UniManifestPage      *self,
               const UniManifestKey *key)
{
  const UniConfigureFlag *flag = find_flag_for_key (self, key);

  if (flag != NULL && flag->from_config && flag->default_value != NULL)
    return g_strdup (flag->default_value);

  if (key->default_text == NULL)
    return g_strdup ("");

  /* Keys mirage does not list as configure flags (run-time stage, not
   * attached) still show a plain string literal without its quotes.
   */
  return _uni_manifest_page_dup_plain_value (key->default_text);
}

static KeyRowKind
classify_key (UniManifestPage       *self,
              const UniManifestKey  *key,
              const char            *value,
              char                 **reason)
{
  const UniConfigureFlag *flag = find_flag_for_key (self, key);
  g_autoptr(UniTextEdit) probe = NULL;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (key->kind, "flag") == 0 || key->type == NULL)
    {
      *reason = g_strdup (_("A flag: off unless given to mirage configure"));
      return KEY_ROW_READ_ONLY;
    }

  if (key->default_text == NULL || key->default_span.length == 0)
    {
      *reason = g_strdup (_("Required: it has no default to edit"));
      return KEY_ROW_READ_ONLY;
    }

  /* The reader knows whether it can rewrite this default safely. */
  probe = uni_manifest_edit_set_key_default (self->manifest, key->name, value, &error);
  if (probe == NULL &&
      !g_error_matches (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE))
    {
      *reason = g_strdup_printf (_("Not editable here: %s"), error->message);
      return KEY_ROW_READ_ONLY;
    }

  if (g_strcmp0 (key->type, "bool") == 0)
    return KEY_ROW_SWITCH;

  if (flag != NULL && g_strcmp0 (flag->type, "enum") == 0 && flag->choices != NULL &&
      g_strv_contains ((const char * const *) flag->choices, value))
    return KEY_ROW_CHOICE;

  return KEY_ROW_ENTRY;
}

static const char *
key_current_value (UniManifestPage *self,
                   KeyRow          *key_row,
                   char           **to_free)
{
  const UniManifestKey *key;

  if (self->manifest == NULL)
    return NULL;

  key = uni_manifest_find_key (self->manifest, key_row->name);
  if (key == NULL)
    return NULL;

  *to_free = dup_key_value (self, key);
  return *to_free;
}

static void
apply_key_value (KeyRow     *key_row,
                 const char *value)
{
  UniManifestPage *self = key_row->self;
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;
  g_autofree char *name = g_strdup (key_row->name);

  if (!_uni_manifest_page_can_edit (self) || !_uni_manifest_page_ensure_current (self))
    return;

  if (g_strcmp0 (key_current_value (self, key_row, &current), value) == 0)
    return;

  edit = uni_manifest_edit_set_key_default (self->manifest, name, value, &error);
  if (edit == NULL)
    {
      if (key_row->kind == KEY_ROW_ENTRY)
        {
          /* The text stays for the user to correct. */
          _uni_manifest_page_set_invalid (key_row->control, key_row->row, error->message);
          return;
        }

      /* A refused switch or choice goes back to what config.ml says. */
      _uni_manifest_page_show_toast (self, error->message);
      _uni_manifest_page_update_form (self);
      return;
    }

  /* This may rebuild the rows: key_row is not used after it. */
  _uni_manifest_page_apply_text_edit (self, edit);
}

static void
key_entry_changed_cb (GtkEditable *entry,
                      KeyRow      *key_row)
{
  UniManifestPage *self = key_row->self;
  const char *text = gtk_editable_get_text (entry);
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *current = NULL;

  if (key_row->updating || self->manifest == NULL)
    return;

  if (g_strcmp0 (text, key_current_value (self, key_row, &current)) == 0)
    {
      _uni_manifest_page_set_invalid (key_row->control, key_row->row, NULL);
      return;
    }

  /* Checked by the same code that would write it, without writing. */
  edit = uni_manifest_edit_set_key_default (self->manifest, key_row->name, text, &error);
  _uni_manifest_page_set_invalid (key_row->control, key_row->row,
                                  edit == NULL ? error->message : NULL);
}

static void
key_entry_activate_cb (GtkEntry *entry,
                       KeyRow   *key_row)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

  apply_key_value (key_row, text);
}

static void
key_entry_leave_cb (GtkEventControllerFocus *controller,
                    KeyRow                  *key_row)
{
  g_autofree char *text = NULL;

  if (gtk_widget_has_css_class (key_row->control, "error"))
    return;

  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (key_row->control)));
  apply_key_value (key_row, text);
}

static void
key_switch_active_cb (GtkSwitch  *widget,
                      GParamSpec *pspec,
                      KeyRow     *key_row)
{
  if (key_row->updating)
    return;

  apply_key_value (key_row, gtk_switch_get_active (widget) ? "true" : "false");
}

static void
key_choice_selected_cb (AdwComboRow *combo_row,
                        GParamSpec  *pspec,
                        KeyRow      *key_row)
{
  guint selected = adw_combo_row_get_selected (combo_row);

  if (key_row->updating || selected >= g_strv_length (key_row->choices))
    return;

  apply_key_value (key_row, key_row->choices[selected]);
}

static void
key_reset_clicked_cb (GtkButton *button,
                      KeyRow    *key_row)
{
  g_autofree char *original = g_strdup (g_hash_table_lookup (key_row->self->original_values,
                                                             key_row->name));

  if (original != NULL)
    apply_key_value (key_row, original);
}

static void
update_key_row (UniManifestPage      *self,
                KeyRow               *key_row,
                const UniManifestKey *key)
{
  g_autofree char *value = dup_key_value (self, key);
  const char *original = g_hash_table_lookup (self->original_values, key->name);

  key_row->updating = TRUE;

  adw_action_row_set_subtitle (ADW_ACTION_ROW (key_row->row), key->doc);

  switch (key_row->kind)
    {
    case KEY_ROW_ENTRY:
      if (!_uni_manifest_page_has_focus_within (key_row->control))
        {
          _uni_manifest_page_set_editable_text (GTK_EDITABLE (key_row->control), value);
          _uni_manifest_page_set_invalid (key_row->control, key_row->row, NULL);
        }
      break;

    case KEY_ROW_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (key_row->control), g_strcmp0 (value, "true") == 0);
      break;

    case KEY_ROW_CHOICE:
      for (guint i = 0; key_row->choices[i] != NULL; i++)
        if (g_str_equal (key_row->choices[i], value))
          adw_combo_row_set_selected (ADW_COMBO_ROW (key_row->control), i);
      break;

    case KEY_ROW_READ_ONLY:
    default:
      break;
    }

  if (key_row->reset_button != NULL)
    gtk_widget_set_sensitive (key_row->reset_button, g_strcmp0 (original, value) != 0);

  key_row->updating = FALSE;
}

/* The reader knows whether it can place a ~doc: not where the info is
 * built by a helper, say.
 */
static gboolean
can_edit_doc (UniManifestPage      *self,
              const UniManifestKey *key)
{
  g_autoptr(UniTextEdit) probe = NULL;

  probe = uni_manifest_edit_set_key_doc (self->manifest, key->name,
                                         key->doc != NULL ? key->doc : "", NULL);

  return probe != NULL;
}

static GtkWidget *
new_edit_doc_button (const UniManifestKey *key)
{
  GtkWidget *button = _uni_manifest_page_new_icon_button ("document-edit-symbolic",
                                                          _("Edit Description"));

  gtk_widget_set_name (button, "edit-doc");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "manifest.edit-key-doc");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", key->name);

  return button;
}

static void
edit_doc_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      UniManifestPage  *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "uni-key");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "uni-entry");
  g_autofree char *doc = g_strdup (gtk_editable_get_text (entry));
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  const UniManifestKey *key;

  if (g_strcmp0 (response, "apply") != 0 ||
      !_uni_manifest_page_can_edit (self) || !_uni_manifest_page_ensure_current (self))
    return;

  key = uni_manifest_find_key (self->manifest, name);
  if (key != NULL && g_strcmp0 (key->doc, doc) == 0)
    return;

  edit = uni_manifest_edit_set_key_doc (self->manifest, name, doc, &error);
  _uni_manifest_page_apply_or_report (self, edit, error);
}

static void
edit_key_doc_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  const UniManifestKey *key;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GtkWidget *entry;

  if (!_uni_manifest_page_can_edit (self) || !_uni_manifest_page_ensure_current (self) ||
      (key = uni_manifest_find_key (self->manifest, name)) == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Edit Description"), NULL);
  /* Translators: %s is a configuration key of the unikernel, e.g. port */
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("What “%s” is for, as mirage configure --help shows it. "
                                    "This edits its ~doc in config.ml."), name);

  entry = gtk_entry_new ();
  gtk_widget_set_name (entry, "doc-entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), key->doc != NULL ? key->doc : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Description"),
                                  -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "apply", _("_Apply"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "apply",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "apply");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  g_object_set_data_full (G_OBJECT (dialog), "uni-key", g_strdup (name), g_free);
  g_object_set_data (G_OBJECT (dialog), "uni-entry", entry);
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (edit_doc_response_cb), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static GtkWidget *
new_key_row (UniManifestPage      *self,
             const UniManifestKey *key)
{
  g_autofree char *value = dup_key_value (self, key);
  g_autofree char *reason = NULL;
  g_autofree char *row_name = g_strdup_printf ("key-%s", key->name);
  const UniConfigureFlag *flag = find_flag_for_key (self, key);
  KeyRow *key_row = g_new0 (KeyRow, 1);
  GtkWidget *row;

  key_row->self = self;
  key_row->name = g_strdup (key->name);
  key_row->kind = classify_key (self, key, value, &reason);

  if (key_row->kind == KEY_ROW_CHOICE)
    {
      g_autoptr(GtkStringList) items = gtk_string_list_new ((const char * const *) flag->choices);

      row = adw_combo_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), key->name);
      adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (items));
    }
  else
    {
      row = _uni_manifest_page_new_row (key->name, key->doc);
    }
  gtk_widget_set_name (row, row_name);
  key_row->row = row;
  g_object_set_data_full (G_OBJECT (row), "uni-key-row", key_row, key_row_free);

  switch (key_row->kind)
    {
    case KEY_ROW_ENTRY:
      {
        GtkEventController *focus = gtk_event_controller_focus_new ();
        int width = _uni_manifest_page_entry_width_for_type (key->type);

        key_row->control = _uni_manifest_page_new_value_entry (width);
        gtk_accessible_update_property (GTK_ACCESSIBLE (key_row->control),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, key->name,
                                        -1);
        g_signal_connect (key_row->control, "changed",
                          G_CALLBACK (key_entry_changed_cb), key_row);
        g_signal_connect (key_row->control, "activate",
                          G_CALLBACK (key_entry_activate_cb), key_row);
        g_signal_connect (focus, "leave", G_CALLBACK (key_entry_leave_cb), key_row);
        gtk_widget_add_controller (key_row->control, focus);
      }
      break;

    case KEY_ROW_SWITCH:
      key_row->control = gtk_switch_new ();
      gtk_widget_set_valign (key_row->control, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (key_row->control),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, key->name,
                                      -1);
      g_signal_connect (key_row->control, "notify::active",
                        G_CALLBACK (key_switch_active_cb), key_row);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), key_row->control);
      break;

    case KEY_ROW_CHOICE:
      key_row->choices = g_strdupv (flag->choices);
      key_row->control = row;
      g_signal_connect (row, "notify::selected", G_CALLBACK (key_choice_selected_cb), key_row);
      break;

    case KEY_ROW_READ_ONLY:
    default:
      {
        g_autofree char *subtitle = NULL;

        if (key->doc != NULL)
          subtitle = g_strdup_printf ("%s\n%s", key->doc, reason);
        else
          subtitle = g_strdup (reason);

        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        gtk_widget_add_css_class (row, "read-only");
        if (key->default_text != NULL)
          {
            GtkWidget *label = gtk_label_new (key->default_text);

            gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
            gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
            gtk_label_set_max_width_chars (GTK_LABEL (label), 24);
            gtk_widget_add_css_class (label, "monospace");
            gtk_widget_add_css_class (label, "dim-label");
            adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
          }
        adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                   _uni_manifest_page_new_flag_label (key_flag_name (key)));
        if (can_edit_doc (self, key))
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_edit_doc_button (key));
        return row;
      }
    }

  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             _uni_manifest_page_new_flag_label (key_flag_name (key)));
  if (key_row->control != row)
    {
      gtk_widget_set_name (key_row->control, "value");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), key_row->control);
    }

  if (can_edit_doc (self, key))
    adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_edit_doc_button (key));

  key_row->reset_button = _uni_manifest_page_new_icon_button ("edit-undo-symbolic",
                                                              _("Reset to Default"));
  gtk_widget_set_name (key_row->reset_button, "reset");
  g_signal_connect (key_row->reset_button, "clicked",
                    G_CALLBACK (key_reset_clicked_cb), key_row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), key_row->reset_button);

  g_ptr_array_add (self->key_rows, key_row);
  update_key_row (self, key_row, key);

  return row;
}

static char *
compute_keys_shape (UniManifestPage *self)
{
  GString *shape = g_string_new (NULL);

  for (guint i = 0; i < uni_manifest_get_n_keys (self->manifest); i++)
    {
      const UniManifestKey *key = uni_manifest_get_key (self->manifest, i);
      g_autofree char *value = dup_key_value (self, key);
      g_autofree char *reason = NULL;
      const UniConfigureFlag *flag = find_flag_for_key (self, key);
      KeyRowKind kind = classify_key (self, key, value, &reason);
      g_autofree char *choices = NULL;

      if (kind == KEY_ROW_CHOICE)
        choices = g_strjoinv ("|", flag->choices);

      /* Read-only rows show everything as text: any change rebuilds them. */
      g_string_append_printf (shape, "k:%s:%d:%s:%s:%s:%s:%d:%s\n", key->name, kind,
                              key_flag_name (key), choices ? choices : "",
                              kind == KEY_ROW_READ_ONLY ? reason : "",
                              kind == KEY_ROW_READ_ONLY ? key->default_text : "",
                              can_edit_doc (self, key),
                              kind == KEY_ROW_READ_ONLY && key->doc ? key->doc : "");
    }

  _uni_manifest_page_append_boot_shape (self, shape);

  for (guint i = 0; i < uni_manifest_get_n_env_knobs (self->manifest); i++)
    {
      const UniManifestEnvKnob *knob = uni_manifest_get_env_knob (self->manifest, i);

      g_string_append_printf (shape, "e:%s:%s\n", knob->name,
                              knob->default_value ? knob->default_value : "");
    }

  return g_string_free (shape, FALSE);
}

static void
rebuild_key_rows (UniManifestPage *self)
{
  guint n_keys = uni_manifest_get_n_keys (self->manifest);
  guint n_knobs = uni_manifest_get_n_env_knobs (self->manifest);
  guint n_boot_args;

  for (guint i = 0; i < self->key_rows->len; i++)
    gtk_list_box_remove (self->keys_list, ((KeyRow *) g_ptr_array_index (self->key_rows, i))->row);
  g_ptr_array_set_size (self->key_rows, 0);
  _uni_manifest_page_remove_rows (self->keys_list, self->key_extra_rows);

  /* Rows the reader made read-only are not in key_rows: drop what is left. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->keys_list));
       child != NULL;)
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      if (GTK_IS_LIST_BOX_ROW (child))
        gtk_list_box_remove (self->keys_list, child);
      child = next;
    }

  for (guint i = 0; i < n_keys; i++)
    gtk_list_box_append (self->keys_list,
                         new_key_row (self, uni_manifest_get_key (self->manifest, i)));

  n_boot_args = _uni_manifest_page_add_boot_rows (self);

  for (guint i = 0; i < n_knobs; i++)
    {
      const UniManifestEnvKnob *knob = uni_manifest_get_env_knob (self->manifest, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      if (knob->default_value != NULL)
        /* Translators: %s is the value used when the environment variable is unset */
        subtitle = g_strdup_printf (_("Environment variable read by mirage configure; "
                                      "default %s"), knob->default_value);
      else
        subtitle = g_strdup (_("Environment variable read by mirage configure"));

      row = _uni_manifest_page_new_row (knob->name, subtitle);
      gtk_widget_add_css_class (row, "read-only");
      gtk_list_box_append (self->keys_list, row);
      g_ptr_array_add (self->key_extra_rows, row);
    }

  if (n_keys + n_boot_args + n_knobs == 0)
    {
      GtkWidget *row = _uni_manifest_page_new_row (_("No keys"),
                                                   _("This config.ml declares no "
                                                     "configuration keys"));

      gtk_widget_add_css_class (row, "placeholder-row");
      gtk_list_box_append (self->keys_list, row);
      g_ptr_array_add (self->key_extra_rows, row);
    }
}

void
_uni_manifest_page_update_keys_group (UniManifestPage *self)
{
  g_autofree char *shape = NULL;

  _uni_manifest_page_watch_runtime_file (self);

  /* The defaults as first read are what "Reset to Default" goes back to. */
  for (guint i = 0; i < uni_manifest_get_n_keys (self->manifest); i++)
    {
      const UniManifestKey *key = uni_manifest_get_key (self->manifest, i);

      if (!g_hash_table_contains (self->original_values, key->name))
        g_hash_table_insert (self->original_values, g_strdup (key->name),
                             dup_key_value (self, key));
    }

  shape = compute_keys_shape (self);
  if (g_strcmp0 (shape, self->keys_shape) != 0)
    {
      g_free (self->keys_shape);
      self->keys_shape = g_steal_pointer (&shape);
      rebuild_key_rows (self);
      return;
    }

  /* Same keys, same kinds: update in place so nothing under the cursor moves. */
  for (guint i = 0; i < self->key_rows->len; i++)
    {
      KeyRow *key_row = g_ptr_array_index (self->key_rows, i);
      const UniManifestKey *key = uni_manifest_find_key (self->manifest, key_row->name);

      if (key != NULL)
        update_key_row (self, key_row, key);
    }
}

void
_uni_manifest_page_keys_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "manifest.edit-key-doc", "s",
                                   edit_key_doc_action);
}
