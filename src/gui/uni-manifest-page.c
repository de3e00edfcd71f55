/* uni-manifest-page.c — config.ml as a form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-configure-flags.h"
#include "uni-manifest-page.h"

/* Typing in the editor is read back once the user pauses. */
#define REPARSE_DELAY_MSEC 300

/* Reading takes well under a millisecond for a real config.ml; only a huge
 * buffer is worth a thread.
 */
#define INLINE_PARSE_MAX_BYTES (256 * 1024)

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

typedef struct
{
  UniManifestPage        *self;
  const UniConfigureFlag *flag;  /* owned by self->row_flags */
  GtkWidget              *row;
  GtkWidget              *control;
  GtkWidget              *clear_button;
  guint                   updating : 1;
} TargetRow;

struct _UniManifestPage
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwToastOverlay    *toast_overlay;
  GtkStack           *stack;
  AdwStatusPage      *empty_page;
  GtkWidget          *hint_box;
  GtkLabel           *hint_label;
  AdwPreferencesGroup *unikernel_group;
  AdwEntryRow        *name_row;
  AdwEntryRow        *entry_row;
  AdwActionRow       *era_row;
  GtkLabel           *era_label;
  AdwPreferencesGroup *keys_group;
  GtkListBox         *keys_list;
  AdwPreferencesGroup *packages_group;
  GtkListBox         *packages_list;
  AdwExpanderRow     *add_package_row;
  AdwEntryRow        *package_name_row;
  AdwEntryRow        *package_min_row;
  AdwEntryRow        *package_max_row;
  GtkWidget          *add_package_button;
  AdwActionRow       *signature_row;
  GtkLabel           *signature_label;
  GtkLabel           *network_label;
  GtkLabel           *store_label;
  GtkListBox         *targets_list;
  AdwComboRow        *target_row;
  GtkStringList      *targets_model;
  AdwPreferencesGroup *problems_group;
  GtkListBox         *problems_list;

  /* Owned */
  UniEditorPage      *editor;
  UniProjectSettings *settings;
  UniManifest        *manifest;
  GPtrArray          *flags;            /* UniConfigureFlag, for the current manifest */
  GPtrArray          *row_flags;        /* the flags the per-target rows were built from */
  GHashTable         *original_values;  /* key name → value as first read */
  GCancellable       *cancellable;
  GCancellable       *parse_cancellable;
  char               *keys_shape;
  char               *packages_shape;
  char               *problems_shape;
  char               *targets_shape;
  guint               reparse_source;
  guint64             buffer_serial;
  guint64             manifest_serial;

  /* Borrowed: the rows live in their list boxes */
  GtkTextBuffer      *buffer;
  GPtrArray          *key_rows;
  GPtrArray          *key_extra_rows;
  GPtrArray          *package_rows;
  GPtrArray          *problem_rows;
  GPtrArray          *target_rows;

  /* Flags */
  guint               own_settings : 1;
  guint               settings_loaded : 1;
  guint               updating : 1;
};

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

/* The targets mirage knows; issue 4 brings UniTarget with their eras. */
static const char * const target_ids[] = {
  "unix", "xen", "xen-arm", "hvt", "spt", "virtio", "qubes", "muen", "genode",
  "unikraft-qemu", "unikraft-firecracker",
};

static void update_form         (UniManifestPage *self);
static void update_target_rows  (UniManifestPage *self);

static void
key_row_free (gpointer data)
{
  KeyRow *key_row = data;

  g_free (key_row->name);
  g_strfreev (key_row->choices);
  g_free (key_row);
}

static gboolean
has_focus_within (GtkWidget *widget)
{
  return (gtk_widget_get_state_flags (widget) & GTK_STATE_FLAG_FOCUS_WITHIN) != 0;
}

static void
set_editable_text (GtkEditable *editable,
                   const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (editable), text != NULL ? text : "") != 0)
    gtk_editable_set_text (editable, text != NULL ? text : "");
}

static void
set_invalid (GtkWidget  *widget,
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

static void
show_toast (UniManifestPage *self,
            const char      *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
remove_rows (GtkListBox *list,
             GPtrArray  *rows)
{
  for (guint i = 0; i < rows->len; i++)
    gtk_list_box_remove (list, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
new_row (const char *title,
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

static GtkWidget *
new_icon_button (const char *icon_name,
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

static GtkWidget *
new_flag_label (const char *flag)
{
  g_autofree char *text = g_strdup_printf ("--%s", flag);
  GtkWidget *label = gtk_label_new (text);

  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "flag-name");

  return label;
}

static GtkWidget *
new_value_entry (int width_chars)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_widget_add_css_class (entry, "value-entry");

  return entry;
}

static int
entry_width_for_type (const char *type)
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

  update_form (self);
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
static gboolean
ensure_current (UniManifestPage *self)
{
  if (!uni_editor_page_get_loaded (self->editor))
    return FALSE;

  if (self->manifest == NULL || self->manifest_serial != self->buffer_serial)
    reparse_now (self);

  return self->manifest != NULL;
}

static gboolean
can_edit (UniManifestPage *self)
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

static gboolean
apply_text_edit (UniManifestPage   *self,
                 const UniTextEdit *edit)
{
  GtkTextIter begin, end;

  g_assert (edit != NULL);

  if (!can_edit (self) || !ensure_current (self))
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
static gboolean
apply_or_report (UniManifestPage *self,
                 UniTextEdit     *edit,
                 GError          *error)
{
  if (edit == NULL)
    {
      show_toast (self, error->message);
      return FALSE;
    }

  return apply_text_edit (self, edit);
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
      set_invalid (GTK_WIDGET (row), NULL, NULL);
      return;
    }

  edit = edit_func (self->manifest, text, &error);
  if (edit == NULL && g_error_matches (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE))
    set_invalid (GTK_WIDGET (row), NULL, error->message);
  else
    set_invalid (GTK_WIDGET (row), NULL, NULL);
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

  if (!ensure_current (self) || g_strcmp0 (text, get_func (self->manifest, NULL)) == 0)
    return;

  edit = edit_func (self->manifest, text, &error);
  if (edit == NULL)
    {
      set_invalid (GTK_WIDGET (row), NULL, error->message);
      show_toast (self, error->message);
      return;
    }

  apply_text_edit (self, edit);
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
  if (!has_focus_within (GTK_WIDGET (self->name_row)))
    set_editable_text (GTK_EDITABLE (self->name_row), name);
  if (!has_focus_within (GTK_WIDGET (self->entry_row)))
    set_editable_text (GTK_EDITABLE (self->entry_row), entry);

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

/* Keys group */

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

/* The value as the user types it: the flag's default says it that way
 * (a string without its quotes); the expression as written otherwise.
 */
static char *
dup_key_value (UniManifestPage      *self,
               const UniManifestKey *key)
{
  const UniConfigureFlag *flag = find_flag_for_key (self, key);

  gsize length;

  if (flag != NULL && flag->from_config && flag->default_value != NULL)
    return g_strdup (flag->default_value);

  if (key->default_text == NULL)
    return g_strdup ("");

  /* Keys mirage does not list as configure flags (run-time stage, not
   * attached) still show a plain string literal without its quotes.
   */
  length = strlen (key->default_text);
  if (length >= 2 && key->default_text[0] == '"' && key->default_text[length - 1] == '"' &&
      memchr (key->default_text + 1, '"', length - 2) == NULL &&
      memchr (key->default_text, '\\', length) == NULL)
    return g_strndup (key->default_text + 1, length - 2);

  return g_strdup (key->default_text);
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

  if (!can_edit (self) || !ensure_current (self))
    return;

  if (g_strcmp0 (key_current_value (self, key_row, &current), value) == 0)
    return;

  edit = uni_manifest_edit_set_key_default (self->manifest, name, value, &error);
  if (edit == NULL)
    {
      if (key_row->kind == KEY_ROW_ENTRY)
        {
          /* The text stays for the user to correct. */
          set_invalid (key_row->control, key_row->row, error->message);
          return;
        }

      /* A refused switch or choice goes back to what config.ml says. */
      show_toast (self, error->message);
      update_form (self);
      return;
    }

  /* This may rebuild the rows: key_row is not used after it. */
  apply_text_edit (self, edit);
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
      set_invalid (key_row->control, key_row->row, NULL);
      return;
    }

  /* Checked by the same code that would write it, without writing. */
  edit = uni_manifest_edit_set_key_default (self->manifest, key_row->name, text, &error);
  set_invalid (key_row->control, key_row->row, edit == NULL ? error->message : NULL);
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
      if (!has_focus_within (key_row->control))
        {
          set_editable_text (GTK_EDITABLE (key_row->control), value);
          set_invalid (key_row->control, key_row->row, NULL);
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
      row = new_row (key->name, key->doc);
    }
  gtk_widget_set_name (row, row_name);
  key_row->row = row;
  g_object_set_data_full (G_OBJECT (row), "uni-key-row", key_row, key_row_free);

  switch (key_row->kind)
    {
    case KEY_ROW_ENTRY:
      {
        GtkEventController *focus = gtk_event_controller_focus_new ();

        key_row->control = new_value_entry (entry_width_for_type (key->type));
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
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_flag_label (key_flag_name (key)));
        return row;
      }
    }

  adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_flag_label (key_flag_name (key)));
  if (key_row->control != row)
    {
      gtk_widget_set_name (key_row->control, "value");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), key_row->control);
    }

  key_row->reset_button = new_icon_button ("edit-undo-symbolic", _("Reset to Default"));
  gtk_widget_set_name (key_row->reset_button, "reset");
  g_signal_connect (key_row->reset_button, "clicked",
                    G_CALLBACK (key_reset_clicked_cb), key_row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), key_row->reset_button);

  g_ptr_array_add (self->key_rows, key_row);
  update_key_row (self, key_row, key);

  return row;
}

static char *
runtime_arg_flag (const char *name)
{
  const char *dot = strrchr (name, '.');

  return g_strdup (dot != NULL ? dot + 1 : name);
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
      g_string_append_printf (shape, "k:%s:%d:%s:%s:%s:%s\n", key->name, kind,
                              key_flag_name (key), choices ? choices : "",
                              kind == KEY_ROW_READ_ONLY ? reason : "",
                              kind == KEY_ROW_READ_ONLY ? key->default_text : "");
    }

  for (guint i = 0; i < uni_manifest_get_n_runtime_args (self->manifest); i++)
    g_string_append_printf (shape, "r:%s\n",
                            uni_manifest_get_runtime_arg (self->manifest, i)->name);

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
  guint n_args = uni_manifest_get_n_runtime_args (self->manifest);
  guint n_knobs = uni_manifest_get_n_env_knobs (self->manifest);

  for (guint i = 0; i < self->key_rows->len; i++)
    gtk_list_box_remove (self->keys_list, ((KeyRow *) g_ptr_array_index (self->key_rows, i))->row);
  g_ptr_array_set_size (self->key_rows, 0);
  remove_rows (self->keys_list, self->key_extra_rows);

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

  for (guint i = 0; i < n_args; i++)
    {
      const UniManifestRuntimeArg *arg = uni_manifest_get_runtime_arg (self->manifest, i);
      g_autofree char *flag = runtime_arg_flag (arg->name);
      g_autofree char *subtitle = NULL;
      g_autofree char *row_name = g_strdup_printf ("runtime-%s", flag);
      GtkWidget *row;

      /* Translators: %s is a boot-time argument of the unikernel, e.g. --port */
      subtitle = g_strdup_printf (_("Runtime argument — set at boot: --%s"), flag);
      row = new_row (flag, subtitle);
      gtk_widget_set_name (row, row_name);
      gtk_widget_set_tooltip_text (row, arg->name);
      gtk_widget_add_css_class (row, "read-only");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), new_flag_label (flag));
      gtk_list_box_append (self->keys_list, row);
      g_ptr_array_add (self->key_extra_rows, row);
    }

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

      row = new_row (knob->name, subtitle);
      gtk_widget_add_css_class (row, "read-only");
      gtk_list_box_append (self->keys_list, row);
      g_ptr_array_add (self->key_extra_rows, row);
    }

  if (n_keys + n_args + n_knobs == 0)
    {
      GtkWidget *row = new_row (_("No keys"), _("This config.ml declares no configuration keys"));

      gtk_widget_add_css_class (row, "placeholder-row");
      gtk_list_box_append (self->keys_list, row);
      g_ptr_array_add (self->key_extra_rows, row);
    }
}

static void
update_keys_group (UniManifestPage *self)
{
  g_autofree char *shape = NULL;

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

/* Packages group */

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

  if (!ensure_current (self))
    return;

  edit = uni_manifest_edit_remove_package (self->manifest, name, &error);
  if (apply_or_report (self, edit, error))
    {
      /* Translators: %s is an opam package name */
      g_autofree char *message = g_strdup_printf (_("Removed “%s” — Ctrl+Z in config.ml "
                                                    "brings it back"), name);

      show_toast (self, message);
    }
}

static void
update_packages_group (UniManifestPage *self)
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

  remove_rows (self->packages_list, self->package_rows);

  for (guint i = 0; i < n_packages; i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (self->manifest, i);
      g_autofree char *bounds = describe_bounds (package);
      g_autofree char *row_name = g_strdup_printf ("package-%s", package->name);
      GtkWidget *row = new_row (package->name, bounds);
      GtkWidget *button = new_icon_button ("user-trash-symbolic", _("Remove Package"));

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

  set_invalid (GTK_WIDGET (self->package_name_row), NULL, NULL);
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

  if (name == NULL || !ensure_current (self))
    return;

  edit = uni_manifest_edit_add_package (self->manifest, name, min, max, &error);
  if (edit == NULL)
    {
      set_invalid (GTK_WIDGET (self->package_name_row), NULL, error->message);
      show_toast (self, error->message);
      return;
    }

  if (!apply_text_edit (self, edit))
    return;

  gtk_editable_set_text (GTK_EDITABLE (self->package_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->package_min_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->package_max_row), "");
  adw_expander_row_set_expanded (self->add_package_row, FALSE);
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

/* Per-target values */

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
      show_toast (self, message);
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
                                               target_row->flag->name);
  if (g_strcmp0 (old, value) == 0)
    return;

  uni_project_settings_set_target_value (self->settings, selected_target (self),
                                         target_row->flag->name, value);
  uni_project_settings_save_async (self->settings, self->cancellable,
                                   settings_save_cb, g_object_ref (self));
  update_target_rows (self);
}

static gboolean
flag_is_switch_like (const UniConfigureFlag *flag)
{
  return g_strcmp0 (flag->type, "bool") == 0 || g_strcmp0 (flag->type, "switch") == 0;
}

static void
target_entry_changed_cb (GtkEditable *entry,
                         TargetRow   *target_row)
{
  const char *text = gtk_editable_get_text (entry);
  g_autoptr(GError) error = NULL;

  if (target_row->updating || *text == '\0' ||
      uni_configure_flag_validate (target_row->flag, text, &error))
    set_invalid (GTK_WIDGET (entry), target_row->row, NULL);
  else
    set_invalid (GTK_WIDGET (entry), target_row->row, error->message);
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

static void
update_target_row (UniManifestPage *self,
                   TargetRow       *target_row)
{
  const UniConfigureFlag *flag = target_row->flag;
  g_autofree char *value = NULL;
  g_autofree char *subtitle = NULL;

  value = uni_project_settings_dup_target_value (self->settings, selected_target (self),
                                                 flag->name);

  target_row->updating = TRUE;

  if (value == NULL && flag->default_value != NULL)
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
  else if (!has_focus_within (target_row->control))
    {
      set_editable_text (GTK_EDITABLE (target_row->control), value);
      set_invalid (target_row->control, target_row->row, NULL);
    }

  gtk_widget_set_sensitive (target_row->clear_button, value != NULL);

  target_row->updating = FALSE;
}

static GtkWidget *
new_target_row (UniManifestPage        *self,
                const UniConfigureFlag *flag)
{
  g_autofree char *title = g_strdup_printf ("--%s", flag->name);
  g_autofree char *row_name = g_strdup_printf ("target-%s", flag->name);
  TargetRow *target_row = g_new0 (TargetRow, 1);
  gboolean is_choice = g_strcmp0 (flag->type, "enum") == 0 && flag->choices != NULL;
  GtkWidget *row;

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
      row = new_row (title, NULL);
    }

  gtk_widget_set_name (row, row_name);
  gtk_widget_add_css_class (row, "flag-row");
  target_row->self = self;
  target_row->flag = flag;
  target_row->row = row;
  g_object_set_data_full (G_OBJECT (row), "uni-target-row", target_row, g_free);

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

      target_row->control = new_value_entry (entry_width_for_type (flag->type));
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

  target_row->clear_button = new_icon_button ("edit-clear-symbolic", _("Clear"));
  gtk_widget_set_name (target_row->clear_button, "clear");
  g_signal_connect (target_row->clear_button, "clicked",
                    G_CALLBACK (target_clear_clicked_cb), target_row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), target_row->clear_button);

  g_ptr_array_add (self->target_rows, target_row);

  return row;
}

static char *
compute_targets_shape (GPtrArray *flags)
{
  GString *shape = g_string_new (NULL);

  for (guint i = 0; flags != NULL && i < flags->len; i++)
    {
      const UniConfigureFlag *flag = g_ptr_array_index (flags, i);
      g_autofree char *choices = flag->choices ? g_strjoinv ("|", flag->choices) : NULL;

      g_string_append_printf (shape, "%s:%s:%s:%s:%s\n", flag->name, flag->type,
                              choices ? choices : "",
                              flag->default_value ? flag->default_value : "",
                              flag->doc ? flag->doc : "");
    }

  return g_string_free (shape, FALSE);
}

static void
update_target_rows (UniManifestPage *self)
{
  g_autofree char *shape = compute_targets_shape (self->flags);

  if (g_strcmp0 (shape, self->targets_shape) != 0)
    {
      for (guint i = 0; i < self->target_rows->len; i++)
        gtk_list_box_remove (self->targets_list,
                             ((TargetRow *) g_ptr_array_index (self->target_rows, i))->row);
      g_ptr_array_set_size (self->target_rows, 0);

      g_clear_pointer (&self->row_flags, g_ptr_array_unref);
      if (self->flags != NULL)
        self->row_flags = g_ptr_array_ref (self->flags);

      g_free (self->targets_shape);
      self->targets_shape = g_steal_pointer (&shape);

      for (guint i = 0; self->row_flags != NULL && i < self->row_flags->len; i++)
        gtk_list_box_append (self->targets_list,
                             new_target_row (self, g_ptr_array_index (self->row_flags, i)));
    }

  for (guint i = 0; i < self->target_rows->len; i++)
    update_target_row (self, g_ptr_array_index (self->target_rows, i));

  gtk_widget_set_sensitive (GTK_WIDGET (self->targets_list), self->settings_loaded);
}

static void
target_row_selected_cb (UniManifestPage *self)
{
  if (self->manifest != NULL)
    update_target_rows (self);
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

  if (!uni_project_settings_load_finish (UNI_PROJECT_SETTINGS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* No settings file yet is the common case; anything else, the user should hear of. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) &&
          !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_autofree char *message = NULL;

          /* Translators: %s says why */
          message = g_strdup_printf (_("Could not read the project settings: %s"),
                                     error->message);
          show_toast (self, message);
          return;
        }
    }

  self->settings_loaded = TRUE;
  select_target (self, uni_project_settings_get_target (self->settings));
  if (self->manifest != NULL)
    update_target_rows (self);
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

  remove_rows (self->problems_list, self->problem_rows);

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
      row = new_row (problem->message, subtitle);
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

static void
update_form (UniManifestPage *self)
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

  editable = can_edit (self);
  self->updating = TRUE;

  update_unikernel_group (self);
  update_keys_group (self);
  update_packages_group (self);
  update_devices_group (self);
  update_target_rows (self);
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
    update_form (self);
}

static void
editor_state_cb (UniManifestPage *self)
{
  if (self->manifest != NULL)
    update_form (self);
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

  if (uni_editor_page_get_loaded (self->editor))
    reparse_now (self);
  else
    update_form (self);
}

static void
uni_manifest_page_dispose (GObject *object)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->parse_cancellable);
  g_clear_handle_id (&self->reparse_source, g_source_remove);

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
  gtk_widget_class_bind_template_callback (widget_class, package_fields_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_package_cb);
  gtk_widget_class_bind_template_callback (widget_class, target_row_selected_cb);
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

  /* Target ids are mirage's own words, shown as they are typed. */
  for (guint i = 0; i < G_N_ELEMENTS (target_ids); i++)
    gtk_string_list_append (self->targets_model, target_ids[i]);
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

  if (!ensure_current (self) ||
      !get_iter_at_byte (self, offset, &begin) ||
      !get_iter_at_byte (self, offset + length, &end))
    return FALSE;

  gtk_text_buffer_select_range (self->buffer, &begin, &end);

  return TRUE;
}
