/* uni-manifest-page.c — config.ml as a form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-manifest-page-private.h"

/* Typing in the editor is read back once the user pauses. */
#define REPARSE_DELAY_MSEC 300

/* Reading takes well under a millisecond for a real config.ml; only a huge
 * buffer is worth a thread.
 */
#define INLINE_PARSE_MAX_BYTES (256 * 1024)

G_DEFINE_FINAL_TYPE (UniManifestPage, uni_manifest_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_EDITOR,
  PROP_SETTINGS,
  PROP_MANIFEST,
  N_PROPS
};

enum
{
  SHOW_SPAN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];


gboolean
_uni_manifest_page_has_focus_within (GtkWidget *widget)
{
  return (gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
}

void
_uni_manifest_page_set_editable_text (GtkEditable *editable,
                                      const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text != NULL ? text : "") != 0)
    gtk_editable_set_text (editable, text != NULL ? text : "");
}

void
_uni_manifest_page_set_invalid (GtkWidget  *widget,
                                GtkWidget  *row,
                                const char *message)
{
  if (message != NULL)
    {
      gtk_widget_add_css_class (widget, "error");
      if (row != NULL)
        gtk_widget_add_css_class (row, "error");
    }
  else
    {
      gtk_widget_remove_css_class (widget, "error");
      if (row != NULL)
        gtk_widget_remove_css_class (row, "error");
    }

  gtk_widget_set_tooltip_text (widget, message);
}

void
_uni_manifest_page_show_toast (UniManifestPage *self,
                               const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_uni_manifest_page_remove_rows (GtkListBox *list,
                                GPtrArray  *rows)
{
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

GtkWidget *
_uni_manifest_page_new_row (const char *title,
                            const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  /* Titles come from config.ml: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL && *subtitle != '\0')
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  return row;
}

GtkWidget *
_uni_manifest_page_new_icon_button (const char *icon_name,
                                    const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_add_css_class (button, "flat");

  return button;
}

GtkWidget *
_uni_manifest_page_new_flag_label (const char *flag)
{
  g_autofree char *text = g_strdup_printf ("--%s", flag);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "flag-name");

  return label;
}

GtkWidget *
_uni_manifest_page_new_value_entry (int width_chars)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_widget_add_css_class (entry, "value-entry");

  return entry;
}

int
_uni_manifest_page_entry_width_for_type (const char *type)
{
  if (g_strcmp0 (type, "int") == 0 || g_strcmp0 (type, "some int") == 0)
    return 8;
  if (type != NULL && g_str_has_prefix (type, "ipv4"))
    return 16;

  return 18;
}

static guint
line_at_offset (UniManifest *manifest,
                gsize        offset)
{
  gsize length = 0;
  const char *text = uni_manifest_get_text (manifest, &length);
  guint line = 1;

  for (gsize i = 0; i < MIN (offset, length); i++)
    if (text[i] == '\n')
      line++;

  return line;
}

static const char *
era_to_label (UniMirageEra era)
{
  switch (era)
    {
    case UNI_MIRAGE_ERA_2_ENV:
      return _("mirage 2.0–2.6");
    case UNI_MIRAGE_ERA_2_KEYS:
      return _("mirage 2.7–2.9");
    case UNI_MIRAGE_ERA_3:
      return _("mirage 3");
    case UNI_MIRAGE_ERA_4_0:
      return _("mirage 4.0–4.4");
    case UNI_MIRAGE_ERA_4_5:
      return _("mirage 4.5+");
    case UNI_MIRAGE_ERA_UNKNOWN:
    default:
      return _("Unknown");
    }
}

/* Buffer ↔ manifest */

static char *
dup_buffer_text (UniManifestPage *self,
                 gsize           *length)
{
  GtkTextIter begin, end;
  char *text;

  gtk_text_buffer_get_bounds (self->buffer, &begin, &end);
  text = gtk_text_buffer_get_text (self->buffer, &begin, &end, TRUE);
  if (length != NULL)
    *length = strlen (text);

  return text;
}

static gboolean
is_blank (const char *text,
          gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;

  return TRUE;
}

static void
set_manifest (UniManifestPage *self,
              UniManifest     *manifest,
              guint64          serial)
{
  g_set_object (&self->manifest, manifest);
  self->manifest_serial = serial;

  g_clear_pointer (&self->flags, g_ptr_array_unref);
  if (manifest != NULL)
    self->flags = uni_configure_flags_for_manifest (manifest);

  _uni_manifest_page_update_form (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MANIFEST]);
}

static void
reparse_now (UniManifestPage *self)
{
  g_autoptr(UniManifest) manifest = NULL;
  g_autofree char *text = NULL;
  gsize length;

  g_clear_handle_id (&self->reparse_source, g_source_remove);
  g_cancellable_cancel (self->parse_cancellable);
  g_clear_object (&self->parse_cancellable);

  text = dup_buffer_text (self, &length);
  manifest = uni_manifest_new (text, length);
  set_manifest (self, manifest, self->buffer_serial);
}

static void
parse_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  const char *text = task_data;

  g_task_return_pointer (task, uni_manifest_new (text, -1), g_object_unref);
}

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);
  g_autoptr(UniManifest) manifest = NULL;
  guint64 serial = GPOINTER_TO_SIZE (user_data);

  manifest = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Stale: the buffer changed again and another read is on its way. */
  if (manifest == NULL || serial != self->buffer_serial)
    return;

  g_clear_object (&self->parse_cancellable);
  set_manifest (self, manifest, serial);
}

static gboolean
reparse_timeout_cb (gpointer user_data)
{
  UniManifestPage *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;
  gsize length;

  self->reparse_source = 0;

  text = dup_buffer_text (self, &length);
  if (length <= INLINE_PARSE_MAX_BYTES)
    {
      g_autoptr(UniManifest) manifest = uni_manifest_new (text, length);

      set_manifest (self, manifest, self->buffer_serial);
      return G_SOURCE_REMOVE;
    }

  g_cancellable_cancel (self->parse_cancellable);
  g_clear_object (&self->parse_cancellable);
  self->parse_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->parse_cancellable, parse_cb,
                     GSIZE_TO_POINTER ((gsize) self->buffer_serial));
  g_task_set_source_tag (task, reparse_timeout_cb);
  g_task_set_task_data (task, g_steal_pointer (&text), g_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, parse_thread);

  return G_SOURCE_REMOVE;
}

static void
buffer_changed_cb (UniManifestPage *self)
{
  self->buffer_serial++;

  g_clear_handle_id (&self->reparse_source, g_source_remove);
  self->reparse_source = g_timeout_add (REPARSE_DELAY_MSEC, reparse_timeout_cb, self);
}

/* Edits are computed against the text they apply to. */
gboolean
_uni_manifest_page_ensure_current (UniManifestPage *self)
{
  if (!uni_editor_page_get_loaded (self->editor))
    return FALSE;

  if (self->manifest == NULL || self->manifest_serial != self->buffer_serial)
    reparse_now (self);

  return self->manifest != NULL;
}

gboolean
_uni_manifest_page_can_edit (UniManifestPage *self)
{
  /* Rows going away (a rebuild, the window closing) lose the focus: that is
   * not the user confirming what they typed.
   */
  if (self->updating || g_cancellable_is_cancelled (self->cancellable))
    return FALSE;

  return uni_editor_page_get_loaded (self->editor) &&
         !uni_editor_page_get_read_only (self->editor);
}

static gboolean
get_iter_at_byte (UniManifestPage *self,
                  gsize            offset,
                  GtkTextIter     *iter)
{
  gsize length = 0;
  const char *text = uni_manifest_get_text (self->manifest, &length);

  /* The manifest was read from this very buffer text, so a byte offset maps
   * to a character offset; a GtkTextIter has no byte addressing across lines.
   */
  if (offset > length)
    return FALSE;
  if (offset < length && (text[offset] & 0xC0) == 0x80)
    return FALSE;

  gtk_text_buffer_get_iter_at_offset (self->buffer, iter,
                                      (int) g_utf8_pointer_to_offset (text, text + offset));
  return TRUE;
}

gboolean
_uni_manifest_page_apply_text_edit (UniManifestPage   *self,
                                    const UniTextEdit *edit)
{
  GtkTextIter begin, end;

  g_assert (edit != NULL);

  if (!_uni_manifest_page_can_edit (self) || !_uni_manifest_page_ensure_current (self))
    return FALSE;

  if (!get_iter_at_byte (self, edit->offset, &begin) ||
      !get_iter_at_byte (self, edit->offset + edit->length, &end))
    {
      g_warning ("Edit at %" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT " is outside config.ml",
                 edit->offset, edit->length);
      return FALSE;
    }

  /* One user action: one step for Ctrl+Z in the editor. */
  gtk_text_buffer_begin_user_action (self->buffer);
  gtk_text_buffer_delete (self->buffer, &begin, &end);
  gtk_text_buffer_insert (self->buffer, &begin, edit->replacement, -1);
  gtk_text_buffer_end_user_action (self->buffer);

  reparse_now (self);

  return TRUE;
}

/* Applies the edit an editor function computes, or says why not. */
gboolean
_uni_manifest_page_apply_or_report (UniManifestPage *self,
                                    UniTextEdit     *edit,
                                    GError          *error)
{
  if (edit == NULL)
    {
      _uni_manifest_page_show_toast (self, error->message);
      return FALSE;
    }

  return _uni_manifest_page_apply_text_edit (self, edit);
}

/* Unikernel group */

static void
validate_entry_row (UniManifestPage *self,
                    AdwEntryRow     *row,
                    const char      *current,
                    UniTextEdit *  (*edit_func) (UniManifest *, const char *, GError **))
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  if (self->updating || self->manifest == NULL || g_strcmp0 (text, current) == 0)
    {
      _uni_manifest_page_set_invalid (GTK_WIDGET (row), NULL, NULL);
      return;
    }

  edit = edit_func (self->manifest, text, &error);
  if (edit == NULL && g_error_matches (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE))
    _uni_manifest_page_set_invalid (GTK_WIDGET (row), NULL, error->message);
  else
    _uni_manifest_page_set_invalid (GTK_WIDGET (row), NULL, NULL);
}

static void
apply_entry_row (UniManifestPage *self,
                 AdwEntryRow     *row,
                 UniTextEdit *  (*edit_func) (UniManifest *, const char *, GError **),
                 const char *    (*get_func) (UniManifest *, UniSpan *))
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)));
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;

  if (!_uni_manifest_page_ensure_current (self) ||
      g_strcmp0 (text, get_func (self->manifest, NULL)) == 0)
    return;

  edit = edit_func (self->manifest, text, &error);
  if (edit == NULL)
    {
      _uni_manifest_page_set_invalid (GTK_WIDGET (row), NULL, error->message);
      _uni_manifest_page_show_toast (self, error->message);
      return;
    }

  _uni_manifest_page_apply_text_edit (self, edit);
}

static void
name_row_changed_cb (UniManifestPage *self)
{
  validate_entry_row (self, self->name_row,
                      self->manifest ? uni_manifest_get_name (self->manifest, NULL) : NULL,
                      uni_manifest_edit_rename);
}

static void
name_row_apply_cb (UniManifestPage *self)
{
  apply_entry_row (self, self->name_row, uni_manifest_edit_rename, uni_manifest_get_name);
}

static void
entry_row_changed_cb (UniManifestPage *self)
{
  validate_entry_row (self, self->entry_row,
                      self->manifest ? uni_manifest_get_entry (self->manifest, NULL) : NULL,
                      uni_manifest_edit_set_entry);
}

static void
entry_row_apply_cb (UniManifestPage *self)
{
  apply_entry_row (self, self->entry_row, uni_manifest_edit_set_entry, uni_manifest_get_entry);
}

static void
update_unikernel_group (UniManifestPage *self)
{
  const char *name = uni_manifest_get_name (self->manifest, NULL);
  const char *entry = uni_manifest_get_entry (self->manifest, NULL);
  const char *pin = uni_manifest_get_version_pin (self->manifest, NULL);
  UniMirageEra era = uni_manifest_get_era (self->manifest);
  g_autofree char *pin_text = NULL;

  /* Never pull the text from under the user's cursor. */
  if (!_uni_manifest_page_has_focus_within (GTK_WIDGET (self->name_row)))
    _uni_manifest_page_set_editable_text (GTK_EDITABLE (self->name_row), name);
  if (!_uni_manifest_page_has_focus_within (GTK_WIDGET (self->entry_row)))
    _uni_manifest_page_set_editable_text (GTK_EDITABLE (self->entry_row), entry);

  gtk_label_set_label (self->era_label, era_to_label (era));
  gtk_widget_set_visible (GTK_WIDGET (self->era_label), TRUE);
  if (era == UNI_MIRAGE_ERA_UNKNOWN)
    gtk_widget_add_css_class (GTK_WIDGET (self->era_label), "unknown");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->era_label), "unknown");

  if (pin != NULL)
    /* Translators: %s is the version constraint written in config.ml, e.g. mirage >= 4.5.0 */
    pin_text = g_strdup_printf (_("Pinned: %s"), pin);
  else if (era == UNI_MIRAGE_ERA_UNKNOWN)
    pin_text = g_strdup (_("No version pin, and no construct that tells the version"));
  else
    pin_text = g_strdup (_("No version pin; told from the constructs used"));
  adw_action_row_set_subtitle (self->era_row, pin_text);
}

/* Devices group */

static void
update_devices_group (UniManifestPage *self)
{
  const char *signature = uni_manifest_get_signature (self->manifest);
  const char *store = uni_manifest_get_static_store (self->manifest);
  gboolean network = uni_manifest_get_uses_network (self->manifest);

  gtk_label_set_label (self->signature_label, signature != NULL ? signature : _("Not found"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->signature_label), signature);
  gtk_label_set_label (self->network_label, network ? _("Yes") : _("No"));
  gtk_label_set_label (self->store_label, store != NULL ? store : _("None"));
}

/* Problems */

static void
show_problem_clicked_cb (GtkButton       *button,
                         UniManifestPage *self)
{
  guint offset = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "uni-offset"));
  guint length = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "uni-length"));

  g_signal_emit (self, signals[SHOW_SPAN], 0, offset, length);
}

static void
update_problems_group (UniManifestPage *self)
{
  GString *shape = g_string_new (NULL);
  guint n_problems = uni_manifest_get_n_problems (self->manifest);

  for (guint i = 0; i < n_problems; i++)
    {
      const UniManifestProblem *problem = uni_manifest_get_problem (self->manifest, i);

      g_string_append_printf (shape, "%" G_GSIZE_FORMAT "+%" G_GSIZE_FORMAT ":%u:%s\n",
                              problem->span.offset, problem->span.length,
                              line_at_offset (self->manifest, problem->span.offset),
                              problem->message);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), n_problems > 0);

  if (g_strcmp0 (shape->str, self->problems_shape) == 0)
    {
      g_string_free (shape, TRUE);
      return;
    }

  g_free (self->problems_shape);
  self->problems_shape = g_string_free (shape, FALSE);

  _uni_manifest_page_remove_rows (self->problems_list, self->problem_rows);

  for (guint i = 0; i < n_problems; i++)
    {
      const UniManifestProblem *problem = uni_manifest_get_problem (self->manifest, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row;
      GtkWidget *button;
      GtkWidget *icon;

      /* Translators: %u is a line number in config.ml */
      subtitle = g_strdup_printf (_("Line %u"), line_at_offset (self->manifest,
                                                                problem->span.offset));
      row = _uni_manifest_page_new_row (problem->message, subtitle);
      gtk_widget_add_css_class (row, "problem-row");

      icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
      gtk_widget_add_css_class (icon, "warning");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Not understood"),
                                      -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);

      button = gtk_button_new_with_mnemonic (_("_Show"));
      gtk_widget_set_name (button, "show");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("Show in config.ml"));
      g_object_set_data (G_OBJECT (button), "uni-offset",
                         GUINT_TO_POINTER ((guint) problem->span.offset));
      g_object_set_data (G_OBJECT (button), "uni-length",
                         GUINT_TO_POINTER ((guint) problem->span.length));
      g_signal_connect (button, "clicked", G_CALLBACK (show_problem_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);

      gtk_list_box_append (self->problems_list, row);
      g_ptr_array_add (self->problem_rows, row);
    }
}

/* The whole form */

static void
update_hint (UniManifestPage *self)
{
  if (uni_editor_page_get_read_only (self->editor))
    {
      gtk_label_set_label (self->hint_label,
                           _("config.ml cannot be edited here: it is shown as far as it "
                             "could be read"));
      gtk_widget_add_css_class (self->hint_box, "read-only");
    }
  else if (uni_editor_page_get_modified (self->editor))
    {
      gtk_label_set_label (self->hint_label,
                           _("config.ml has unsaved changes — save with Ctrl+S"));
      gtk_widget_remove_css_class (self->hint_box, "read-only");
    }
  else
    {
      gtk_label_set_label (self->hint_label,
                           _("Changes are edits of config.ml — save with Ctrl+S"));
      gtk_widget_remove_css_class (self->hint_box, "read-only");
    }

  if (uni_editor_page_get_modified (self->editor))
    gtk_widget_add_css_class (self->hint_box, "modified");
  else
    gtk_widget_remove_css_class (self->hint_box, "modified");
}

void
_uni_manifest_page_update_form (UniManifestPage *self)
{
  gsize length = 0;
  const char *text;
  gboolean editable;

  update_hint (self);

  if (!uni_editor_page_get_loaded (self->editor))
    {
      if (uni_editor_page_get_loading (self->editor))
        {
          gtk_stack_set_visible_child_name (self->stack, "loading");
        }
      else
        {
          adw_status_page_set_description (self->empty_page,
                                           _("config.ml could not be read. Its tab says why."));
          gtk_stack_set_visible_child_name (self->stack, "empty");
        }
      return;
    }

  if (self->manifest == NULL)
    return;

  text = uni_manifest_get_text (self->manifest, &length);
  if (is_blank (text, length))
    {
      adw_status_page_set_description (self->empty_page,
                                       _("config.ml is empty. A MirageOS unikernel is described "
                                         "by its config.ml: its name, entry point, keys and "
                                         "packages. Write one in the config.ml tab and the "
                                         "form will follow."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  editable = _uni_manifest_page_can_edit (self);
  self->updating = TRUE;

  update_unikernel_group (self);
  _uni_manifest_page_update_keys_group (self);
  _uni_manifest_page_update_packages_group (self);
  update_devices_group (self);
  _uni_manifest_page_update_target_rows (self);
  update_problems_group (self);

  gtk_widget_set_sensitive (GTK_WIDGET (self->unikernel_group), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->keys_list), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->packages_list), editable);

  self->updating = FALSE;

  gtk_stack_set_visible_child_name (self->stack, "form");
}

static void
editor_loaded_cb (UniManifestPage *self)
{
  if (uni_editor_page_get_loaded (self->editor))
    reparse_now (self);
  else
    _uni_manifest_page_update_form (self);
}

static void
editor_state_cb (UniManifestPage *self)
{
  if (self->manifest != NULL)
    _uni_manifest_page_update_form (self);
  else
    update_hint (self);
}

static void
uni_manifest_page_constructed (GObject *object)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);

  G_OBJECT_CLASS (uni_manifest_page_parent_class)->constructed (object);

  g_assert (UNI_IS_EDITOR_PAGE (self->editor));

  self->buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (self->editor));
  g_signal_connect_object (self->buffer, "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::loaded",
                           G_CALLBACK (editor_loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::loading",
                           G_CALLBACK (editor_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::read-only",
                           G_CALLBACK (editor_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->editor, "notify::modified",
                           G_CALLBACK (update_hint), self, G_CONNECT_SWAPPED);

  _uni_manifest_page_targets_start (self);

  if (uni_editor_page_get_loaded (self->editor))
    reparse_now (self);
  else
    _uni_manifest_page_update_form (self);
}

static void
uni_manifest_page_dispose (GObject *object)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->parse_cancellable);
  g_clear_handle_id (&self->reparse_source, g_source_remove);
  _uni_manifest_page_boot_dispose (self);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_MANIFEST_PAGE);

  g_ptr_array_set_size (self->key_rows, 0);
  g_ptr_array_set_size (self->key_extra_rows, 0);
  g_ptr_array_set_size (self->package_rows, 0);
  g_ptr_array_set_size (self->problem_rows, 0);
  g_ptr_array_set_size (self->target_rows, 0);
  self->buffer = NULL;

  g_clear_object (&self->editor);
  g_clear_object (&self->settings);
  g_clear_object (&self->manifest);
  g_clear_pointer (&self->flags, g_ptr_array_unref);
  g_clear_pointer (&self->row_flags, g_ptr_array_unref);
  g_clear_pointer (&self->row_boot_flags, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_manifest_page_parent_class)->dispose (object);
}

static void
uni_manifest_page_finalize (GObject *object)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->parse_cancellable);
  g_clear_pointer (&self->original_values, g_hash_table_unref);
  g_clear_pointer (&self->key_rows, g_ptr_array_unref);
  g_clear_pointer (&self->key_extra_rows, g_ptr_array_unref);
  g_clear_pointer (&self->package_rows, g_ptr_array_unref);
  g_clear_pointer (&self->problem_rows, g_ptr_array_unref);
  g_clear_pointer (&self->target_rows, g_ptr_array_unref);
  g_clear_pointer (&self->keys_shape, g_free);
  g_clear_pointer (&self->packages_shape, g_free);
  g_clear_pointer (&self->problems_shape, g_free);
  g_clear_pointer (&self->targets_shape, g_free);

  G_OBJECT_CLASS (uni_manifest_page_parent_class)->finalize (object);
}

static void
uni_manifest_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_EDITOR:
      g_value_set_object (value, self->editor);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_MANIFEST:
      g_value_set_object (value, self->manifest);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_manifest_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);

  switch (prop_id)
    {
    case PROP_EDITOR:
      self->editor = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_manifest_page_class_init (UniManifestPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = uni_manifest_page_constructed;
  object_class->dispose = uni_manifest_page_dispose;
  object_class->finalize = uni_manifest_page_finalize;
  object_class->get_property = uni_manifest_page_get_property;
  object_class->set_property = uni_manifest_page_set_property;

  /**
   * UniManifestPage:editor:
   *
   * The config.ml editor whose buffer the form reads and edits.
   */
  properties[PROP_EDITOR] =
    g_param_spec_object ("editor", NULL, NULL,
                         UNI_TYPE_EDITOR_PAGE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * UniManifestPage:settings:
   *
   * The project settings holding per-target values; when %NULL at
   * construction the page reads the project's settings file itself.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         UNI_TYPE_PROJECT_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * UniManifestPage:manifest:
   *
   * The manifest as last read from the buffer.
   */
  properties[PROP_MANIFEST] =
    g_param_spec_object ("manifest", NULL, NULL,
                         UNI_TYPE_MANIFEST,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniManifestPage::show-span:
   * @self: the page
   * @offset: byte offset in config.ml
   * @length: bytes
   *
   * The user asked to see a part of config.ml in the editor.
   */
  signals[SHOW_SPAN] =
    g_signal_new ("show-span",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "manifestpage");
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-manifest-page.ui");
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, stack);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, hint_box);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, unikernel_group);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, entry_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, era_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, era_label);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, keys_group);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, keys_list);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, packages_group);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, packages_list);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, add_package_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, package_name_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, package_min_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, package_max_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, add_package_button);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, signature_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, signature_label);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, network_label);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, store_label);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, targets_list);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, target_row);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, targets_model);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, problems_group);
  gtk_widget_class_bind_template_child (widget_class, UniManifestPage, problems_list);
  gtk_widget_class_bind_template_callback (widget_class, name_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_row_apply_cb);

  _uni_manifest_page_keys_class_init (widget_class);
  _uni_manifest_page_packages_class_init (widget_class);
  _uni_manifest_page_targets_class_init (widget_class);
}

static void
uni_manifest_page_init (UniManifestPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Selecting the tab focuses the page itself, not its first entry: the user
   * came to read the form, and a selected name would be one key from gone.
   */
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->cancellable = g_cancellable_new ();
  self->original_values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->key_rows = g_ptr_array_new ();
  self->key_extra_rows = g_ptr_array_new ();
  self->package_rows = g_ptr_array_new ();
  self->problem_rows = g_ptr_array_new ();
  self->target_rows = g_ptr_array_new ();

  _uni_manifest_page_targets_init (self);
}

/**
 * uni_manifest_page_new:
 * @editor: the config.ml editor: the form edits its buffer
 * @settings: (nullable): the project's settings, for per-target values
 *
 * Returns: (transfer floating): a new #UniManifestPage
 */
UniManifestPage *
uni_manifest_page_new (UniEditorPage      *editor,
                       UniProjectSettings *settings)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (editor), NULL);
  g_return_val_if_fail (!settings || UNI_IS_PROJECT_SETTINGS (settings), NULL);

  return g_object_new (UNI_TYPE_MANIFEST_PAGE,
                       "editor", editor,
                       "settings", settings,
                       NULL);
}

/**
 * uni_manifest_page_get_editor:
 *
 * Returns: (transfer none): the config.ml editor the form shares a buffer with
 */
UniEditorPage *
uni_manifest_page_get_editor (UniManifestPage *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST_PAGE (self), NULL);

  return self->editor;
}

/**
 * uni_manifest_page_get_settings:
 *
 * Returns: (transfer none): where per-target values are stored
 */
UniProjectSettings *
uni_manifest_page_get_settings (UniManifestPage *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST_PAGE (self), NULL);

  return self->settings;
}

/**
 * uni_manifest_page_get_manifest:
 *
 * Returns: (transfer none) (nullable): the manifest as last read, which
 *   may lag behind typing by the debounce delay
 */
UniManifest *
uni_manifest_page_get_manifest (UniManifestPage *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST_PAGE (self), NULL);

  return self->manifest;
}

/**
 * uni_manifest_page_reload:
 *
 * Reads the buffer again now instead of after the typing pause.
 */
void
uni_manifest_page_reload (UniManifestPage *self)
{
  g_return_if_fail (UNI_IS_MANIFEST_PAGE (self));

  if (uni_editor_page_get_loaded (self->editor))
    reparse_now (self);
}

/**
 * uni_manifest_page_select_span:
 * @self: a #UniManifestPage
 * @offset: byte offset in config.ml
 * @length: length in bytes
 *
 * Selects the span in the shared buffer, as the reader saw it.
 *
 * Returns: %TRUE if the span is inside the text
 */
gboolean
uni_manifest_page_select_span (UniManifestPage *self,
                               gsize            offset,
                               gsize            length)
{
  GtkTextIter begin, end;

  g_return_val_if_fail (UNI_IS_MANIFEST_PAGE (self), FALSE);

  if (!_uni_manifest_page_ensure_current (self) ||
      !get_iter_at_byte (self, offset, &begin) ||
      !get_iter_at_byte (self, offset + length, &end))
    return FALSE;

  gtk_text_buffer_select_range (self->buffer, &begin, &end);

  return TRUE;
}
