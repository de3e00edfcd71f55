/* uni-board-dialog.c — the form that adds or edits a board profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-board-dialog.h"
#include "uni-plugins.h"

struct _UniBoardDialog
{
  AdwWindow         parent_instance;

  /* Template widgets */
  GtkRevealer      *error_revealer;
  GtkLabel         *error_label;
  AdwEntryRow      *name_row;
  AdwComboRow      *type_row;
  AdwEntryRow      *host_row;
  AdwEntryRow      *user_row;
  AdwEntryRow      *port_row;
  AdwEntryRow      *options_row;
  AdwEntryRow      *folder_row;
  GtkSwitch        *sudo_switch;
  GtkButton        *add_button;

  /* Owned */
  UniBoardProfiles *profiles;
  GStrv             types;
  UniBoardProfile  *defaults;
  UniBoardProfile  *adding;
  /* The profile being edited, as it was; %NULL when adding. */
  UniBoardProfile  *original;
  GCancellable     *cancellable;
};

G_DEFINE_FINAL_TYPE (UniBoardDialog, uni_board_dialog, ADW_TYPE_WINDOW)

enum
{
  ADDED,
  EDITED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (UniBoardDialog *self,
            const char     *message)
{
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static gboolean
holds (AdwEntryRow *row,
       const char  *value)
{
  return g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value != NULL ? value : "") == 0;
}

/* A new board type brings its defaults, except where the user typed something
 * of their own.
 */
static void
type_row_notify_selected_cb (UniBoardDialog *self,
                             GParamSpec     *pspec,
                             AdwComboRow    *row)
{
  guint selected = adw_combo_row_get_selected (row);
  g_autoptr(UniBoard) board = NULL;
  g_autoptr(UniBoardProfile) defaults = NULL;
  UniBoardProfile *old = self->defaults;

  if (selected == GTK_INVALID_LIST_POSITION || selected >= g_strv_length (self->types))
    return;

  board = uni_plugins_create_board (self->types[selected], NULL, NULL);
  if (board == NULL)
    return;
  defaults = uni_board_new_profile (board, uni_board_get_title (board));

  if (old == NULL || holds (self->host_row, uni_board_profile_get_host (old)))
    gtk_editable_set_text (GTK_EDITABLE (self->host_row),
                           uni_board_profile_get_host (defaults) ?: "");
  if (old == NULL || holds (self->user_row, uni_board_profile_get_user (old)))
    gtk_editable_set_text (GTK_EDITABLE (self->user_row),
                           uni_board_profile_get_user (defaults) ?: "");
  if (old == NULL || holds (self->name_row, uni_board_profile_get_name (old)))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), uni_board_profile_get_name (defaults));
  if (old == NULL
      || gtk_switch_get_active (self->sudo_switch) == uni_board_profile_get_xl_sudo (old))
    gtk_switch_set_active (self->sudo_switch, uni_board_profile_get_xl_sudo (defaults));

  g_set_object (&self->defaults, defaults);
}

static const char *
get_text (AdwEntryRow *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));

  return *text != '\0' ? text : NULL;
}

/* The profile the form describes, or %NULL with the reason. */
static UniBoardProfile *
read_form (UniBoardDialog  *self,
           GError         **error)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  const char *port_text = get_text (self->port_row);
  const char *options_text = get_text (self->options_row);
  guint selected = adw_combo_row_get_selected (self->type_row);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(UniBoard) board = NULL;
  g_auto(GStrv) options = NULL;
  guint64 port = 0;

  if (!uni_board_profile_check_name (name, error))
    return NULL;
  if (selected == GTK_INVALID_LIST_POSITION)
    {
      g_set_error_literal (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE,
                           _("Choose the kind of board."));
      return NULL;
    }
  if (port_text != NULL
      && (!g_ascii_string_to_unsigned (port_text, 10, 1, 65535, &port, NULL)))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("The port “%s” is not a number from 1 to 65535."), port_text);
      return NULL;
    }
  /* Quotes keep a value with spaces in one option, as in a shell; nothing
   * runs through a shell.
   */
  if (options_text != NULL && !g_shell_parse_argv (options_text, NULL, &options, NULL))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("The options “%s” have an unmatched quote."), options_text);
      return NULL;
    }
  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      if (!uni_board_profile_check_ssh_option (options[i], error))
        return NULL;
    }

  board = uni_plugins_create_board (self->types[selected], NULL, error);
  if (board == NULL)
    return NULL;

  profile = uni_board_new_profile (board, name);
  uni_board_profile_set_host (profile, get_text (self->host_row));
  uni_board_profile_set_user (profile, get_text (self->user_row));
  uni_board_profile_set_port (profile, port);
  uni_board_profile_set_ssh_options (profile, (const char * const *) options);
  uni_board_profile_set_remote_folder (profile, get_text (self->folder_row));
  uni_board_profile_set_xl_sudo (profile, gtk_switch_get_active (self->sudo_switch));

  if (!uni_board_profile_check (profile, error))
    return NULL;

  return g_steal_pointer (&profile);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(UniBoardDialog) self = user_data;
  g_autoptr(UniBoardProfile) profile = g_steal_pointer (&self->adding);
  g_autoptr(GError) error = NULL;

  if (!uni_board_profiles_save_finish (UNI_BOARD_PROFILES (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Not kept where it could not be written: the form still has it all. */
      if (self->original != NULL)
        uni_board_profiles_replace (self->profiles, uni_board_profile_get_name (profile),
                                    self->original, NULL);
      else
        uni_board_profiles_remove (self->profiles, uni_board_profile_get_name (profile));
      gtk_widget_set_sensitive (GTK_WIDGET (self), TRUE);
      show_error (self, error->message);
      return;
    }

  if (self->original != NULL)
    g_signal_emit (self, signals[EDITED], 0, profile,
                   uni_board_profile_get_name (self->original));
  else
    g_signal_emit (self, signals[ADDED], 0, profile);
  gtk_window_close (GTK_WINDOW (self));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  UniBoardDialog *self = UNI_BOARD_DIALOG (widget);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(GError) error = NULL;

  if (self->adding != NULL)
    return;

  profile = read_form (self, &error);
  /* The form has no field for the bridge: an edit keeps the one the board had. */
  if (profile != NULL && self->original != NULL
      && g_strcmp0 (uni_board_profile_get_board_type (profile),
                    uni_board_profile_get_board_type (self->original)) == 0)
    uni_board_profile_set_bridge (profile, uni_board_profile_get_bridge (self->original));
  if (profile == NULL
      || (self->original != NULL
          ? !uni_board_profiles_replace (self->profiles,
                                         uni_board_profile_get_name (self->original),
                                         profile, &error)
          : !uni_board_profiles_add (self->profiles, profile, &error)))
    {
      show_error (self, error->message);
      return;
    }

  show_error (self, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self), FALSE);
  self->adding = g_steal_pointer (&profile);
  uni_board_profiles_save_async (self->profiles, self->cancellable, save_cb, g_object_ref (self));
}

static void
uni_board_dialog_dispose (GObject *object)
{
  UniBoardDialog *self = UNI_BOARD_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_BOARD_DIALOG);

  g_clear_object (&self->profiles);
  g_clear_object (&self->defaults);
  g_clear_object (&self->adding);
  g_clear_object (&self->original);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (uni_board_dialog_parent_class)->dispose (object);
}

static void
uni_board_dialog_finalize (GObject *object)
{
  UniBoardDialog *self = UNI_BOARD_DIALOG (object);

  g_clear_pointer (&self->types, g_strfreev);

  G_OBJECT_CLASS (uni_board_dialog_parent_class)->finalize (object);
}

static void
uni_board_dialog_class_init (UniBoardDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = uni_board_dialog_dispose;
  object_class->finalize = uni_board_dialog_finalize;

  signals[ADDED] = g_signal_new ("added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, UNI_TYPE_BOARD_PROFILE);
  signals[EDITED] = g_signal_new ("edited", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, UNI_TYPE_BOARD_PROFILE,
                                  G_TYPE_STRING);

  gtk_widget_class_install_action (widget_class, "dialog.add", NULL, add_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-board-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, host_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, user_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, port_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, options_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, folder_row);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, sudo_switch);
  gtk_widget_class_bind_template_child (widget_class, UniBoardDialog, add_button);
  gtk_widget_class_bind_template_callback (widget_class, type_row_notify_selected_cb);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
uni_board_dialog_init (UniBoardDialog *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->types = uni_plugins_list_boards ();
  if (self->types == NULL)
    self->types = g_new0 (char *, 1);
  g_qsort_with_data (self->types, g_strv_length (self->types), sizeof (char *),
                     compare_strings, NULL);

  for (guint i = 0; self->types[i] != NULL; i++)
    {
      g_autoptr(UniBoard) board = uni_plugins_create_board (self->types[i], NULL, NULL);

      gtk_string_list_append (titles, board != NULL ? uni_board_get_title (board)
                                                    : self->types[i]);
    }
  adw_combo_row_set_model (self->type_row, G_LIST_MODEL (titles));
  type_row_notify_selected_cb (self, NULL, self->type_row);
}

/**
 * uni_board_dialog_new:
 * @parent: (nullable): the window the dialog belongs to
 * @profiles: the profiles the new one joins
 *
 * Creates the form for a new board profile, filled with the defaults of
 * the first kind of board. Add checks every value and saves @profiles;
 * problems show in the form, which keeps what was typed.
 *
 * Returns: (transfer none): a new #UniBoardDialog, not yet shown
 */
UniBoardDialog *
uni_board_dialog_new (GtkWindow        *parent,
                      UniBoardProfiles *profiles)
{
  UniBoardDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (UNI_IS_BOARD_PROFILES (profiles), NULL);

  self = g_object_new (UNI_TYPE_BOARD_DIALOG, "transient-for", parent, NULL);
  self->profiles = g_object_ref (profiles);

  return self;
}

/* Shows @profile's values; its type first, since a new type brings its
 * defaults into the form.
 */
static void
fill_form (UniBoardDialog  *self,
           UniBoardProfile *profile)
{
  const char * const *options = uni_board_profile_get_ssh_options (profile);
  g_autoptr(GString) options_text = g_string_new (NULL);
  g_autofree char *port = NULL;

  for (guint i = 0; self->types[i] != NULL; i++)
    {
      if (g_strcmp0 (self->types[i], uni_board_profile_get_board_type (profile)) == 0)
        adw_combo_row_set_selected (self->type_row, i);
    }

  for (guint i = 0; options != NULL && options[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (options[i]);

      g_string_append_printf (options_text, "%s%s", i > 0 ? " " : "", quoted);
    }
  if (uni_board_profile_get_port (profile) != 0)
    port = g_strdup_printf ("%u", uni_board_profile_get_port (profile));

  gtk_editable_set_text (GTK_EDITABLE (self->name_row), uni_board_profile_get_name (profile));
  gtk_editable_set_text (GTK_EDITABLE (self->host_row), uni_board_profile_get_host (profile) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->user_row), uni_board_profile_get_user (profile) ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->port_row), port ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->options_row), options_text->str);
  gtk_editable_set_text (GTK_EDITABLE (self->folder_row),
                         uni_board_profile_get_remote_folder (profile) ?: "");
  gtk_switch_set_active (self->sudo_switch, uni_board_profile_get_xl_sudo (profile));
}

/**
 * uni_board_dialog_new_edit:
 * @parent: (nullable): the window the dialog belongs to
 * @profiles: the profiles @profile is one of
 * @profile: the profile to change
 *
 * Creates the form filled with @profile. Save checks every value as Add
 * does and replaces @profile in @profiles, saving them; problems show in
 * the form and nothing changes.
 *
 * Returns: (transfer none): a new #UniBoardDialog, not yet shown
 */
UniBoardDialog *
uni_board_dialog_new_edit (GtkWindow        *parent,
                           UniBoardProfiles *profiles,
                           UniBoardProfile  *profile)
{
  UniBoardDialog *self;

  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (profile), NULL);

  self = uni_board_dialog_new (parent, profiles);
  self->original = uni_board_profile_copy (profile);
  gtk_window_set_title (GTK_WINDOW (self), _("Edit Board"));
  gtk_button_set_label (self->add_button, _("_Save"));
  fill_form (self, profile);

  return self;
}
