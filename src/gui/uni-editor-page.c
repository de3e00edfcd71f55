/* uni-editor-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-editor-page"

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-editor-page.h"
#include "uni-file-util.h"

/* Monitor events come in bursts (an atomic replace is a create, a change and a
 * rename); one look at the file after the burst is enough.
 */
#define CHECK_DELAY_MSEC 150

typedef enum
{
  BANNER_NONE,
  BANNER_CHANGED,
  BANNER_DELETED,
  BANNER_ERROR,
} BannerKind;

enum
{
  RESPONSE_RELOAD = 1,
  RESPONSE_KEEP = 2,
  RESPONSE_CLOSE = 3,
};

struct _UniEditorPage
{
  GtkWidget        parent_instance;

  /* Template widgets */
  GtkInfoBar      *info_bar;
  GtkLabel        *info_title;
  GtkLabel        *info_message;
  GtkButton       *reload_button;
  GtkButton       *keep_button;
  GtkButton       *close_button;
  GtkSourceView   *view;

  /* Owned */
  GFile           *file;
  char            *title;
  GtkSourceBuffer *buffer;
  GFileMonitor    *monitor;
  GCancellable    *cancellable;
  GBytes          *disk_contents;  /* last loaded or saved; NULL once we know the file is gone */
  GBytes          *seen_contents;  /* the outside version the banner asks about */
  guint            check_source;
  guint64          change_serial;
  guint64          deleted_serial;  /* change_serial when the deletion marked the buffer modified */
  BannerKind       banner;

  /* Flags */
  guint            loading : 1;
  guint            loaded : 1;
  guint            read_only : 1;
  guint            saving : 1;
  guint            check_pending : 1;
  guint            modified_by_deletion : 1;
};

typedef struct
{
  GBytes  *contents;
  guint64  change_serial;
} SaveState;

G_DEFINE_FINAL_TYPE (UniEditorPage, uni_editor_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_FILE,
  PROP_TITLE,
  PROP_MODIFIED,
  PROP_LOADING,
  PROP_LOADED,
  PROP_READ_ONLY,
  PROP_CHANGED_ON_DISK,
  N_PROPS
};

enum
{
  CLOSE_REQUESTED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void uni_editor_page_queue_check (UniEditorPage *self);
static void start_check (UniEditorPage *self);

static void
save_state_free (gpointer data)
{
  SaveState *state = data;

  g_bytes_unref (state->contents);
  g_free (state);
}

static gboolean
is_ocaml_name (const char *name)
{
  return g_str_has_suffix (name, ".ml") ||
         g_str_has_suffix (name, ".mli") ||
         g_str_has_suffix (name, ".mll") ||
         g_str_has_suffix (name, ".mly");
}

static GtkSourceLanguage *
guess_language (GFile  *file,
                GBytes *contents)
{
  GtkSourceLanguageManager *manager = gtk_source_language_manager_get_default ();
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *content_type = NULL;
  const char *id = NULL;
  const guchar *data = NULL;
  gsize length = 0;

  /* GtkSourceView 5.6 knows neither dune nor opam: dune files are
   * s-expressions, and opam's `field: value` with strings, lists and #
   * comments reads best as YAML.
   */
  if (is_ocaml_name (name))
    id = "ocaml";
  else if (g_str_equal (name, "dune") ||
           g_str_equal (name, "dune-project") ||
           g_str_equal (name, "dune-workspace"))
    id = "scheme";
  else if (g_str_equal (name, "opam") || g_str_has_suffix (name, ".opam"))
    id = "yaml";

  if (id != NULL)
    {
      GtkSourceLanguage *language = gtk_source_language_manager_get_language (manager, id);

      if (language != NULL)
        return language;
    }

  if (contents != NULL)
    data = g_bytes_get_data (contents, &length);
  content_type = g_content_type_guess (name, data, MIN (length, 4096), NULL);

  return gtk_source_language_manager_guess_language (manager, name, content_type);
}

static void
update_style_scheme (UniEditorPage *self)
{
  AdwStyleManager *style_manager = adw_style_manager_get_default ();
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  const char *id = adw_style_manager_get_dark (style_manager) ? "Adwaita-dark" : "Adwaita";

  gtk_source_buffer_set_style_scheme (self->buffer,
                                      gtk_source_style_scheme_manager_get_scheme (schemes, id));
}

static void
show_banner (UniEditorPage  *self,
             BannerKind      kind,
             GtkMessageType  type,
             const char     *title,
             const char     *message)
{
  gboolean was_changed_on_disk = uni_editor_page_get_changed_on_disk (self);
  BannerKind old_kind = self->banner;

  g_assert (kind != BANNER_NONE);

  self->banner = kind;

  gtk_label_set_label (self->info_title, title);
  gtk_label_set_label (self->info_message, message);
  gtk_widget_set_visible (GTK_WIDGET (self->info_message), message != NULL && *message != '\0');
  gtk_widget_set_visible (GTK_WIDGET (self->reload_button), kind == BANNER_CHANGED);
  gtk_widget_set_visible (GTK_WIDGET (self->keep_button),
                          kind == BANNER_CHANGED || kind == BANNER_DELETED);
  gtk_widget_set_visible (GTK_WIDGET (self->close_button), kind == BANNER_DELETED);
  gtk_info_bar_set_show_close_button (self->info_bar, kind == BANNER_ERROR);
  gtk_info_bar_set_message_type (self->info_bar, type);
  gtk_info_bar_set_revealed (self->info_bar, TRUE);

  /* Changed and deleted read differently (see deleted-on-disk): say so too. */
  if (was_changed_on_disk != uni_editor_page_get_changed_on_disk (self) ||
      (was_changed_on_disk && old_kind != kind))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGED_ON_DISK]);
}

static void
hide_banner (UniEditorPage *self)
{
  gboolean was_changed_on_disk = uni_editor_page_get_changed_on_disk (self);

  self->banner = BANNER_NONE;
  g_clear_pointer (&self->seen_contents, g_bytes_unref);
  gtk_info_bar_set_revealed (self->info_bar, FALSE);

  if (was_changed_on_disk)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGED_ON_DISK]);
}

static void
show_changed_banner (UniEditorPage *self)
{
  g_autofree char *title = g_strdup_printf (_("“%s” changed on disk"), self->title);

  show_banner (self, BANNER_CHANGED, GTK_MESSAGE_WARNING, title,
               _("Reload to see the new version, or keep your text and save over it."));
}

static void
show_deleted_banner (UniEditorPage *self)
{
  g_autofree char *title = g_strdup_printf (_("“%s” was deleted"), self->title);

  show_banner (self, BANNER_DELETED, GTK_MESSAGE_WARNING, title,
               _("Keep your text to write the file again on the next save, or close it."));
}

/* Typing while a load replaces the text would be lost, or mixed in. */
static void
update_editable (UniEditorPage *self)
{
  gtk_text_view_set_editable (GTK_TEXT_VIEW (self->view), !self->loading && !self->read_only);
}

static void
set_loading (UniEditorPage *self,
             gboolean       loading)
{
  loading = !!loading;

  if (self->loading == loading)
    return;

  self->loading = loading;
  update_editable (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
set_read_only (UniEditorPage *self,
               gboolean       read_only)
{
  read_only = !!read_only;

  if (self->read_only == read_only)
    return;

  self->read_only = read_only;
  update_editable (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
ensure_monitor (UniEditorPage *self)
{
  g_autoptr(GError) error = NULL;

  if (self->monitor != NULL)
    return;

  self->monitor = g_file_monitor_file (self->file, G_FILE_MONITOR_NONE, NULL, &error);

  if (self->monitor == NULL)
    {
      g_debug ("Cannot watch %s: %s", g_file_peek_path (self->file), error->message);
      return;
    }

  g_signal_connect_object (self->monitor,
                           "changed",
                           G_CALLBACK (uni_editor_page_queue_check),
                           self,
                           G_CONNECT_SWAPPED);
}

static void
apply_contents (UniEditorPage *self,
                GBytes        *contents)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);
  g_autofree char *valid = NULL;
  GtkTextIter begin;
  const char *data;
  gsize length;
  gboolean is_utf8;

  data = g_bytes_get_data (contents, &length);
  is_utf8 = g_utf8_validate_len (data, length, NULL);

  if (!is_utf8)
    valid = g_utf8_make_valid (data, length);
  else
    valid = g_strndup (data, length);

  /* The first load is not an edit: nothing to undo back to an empty buffer.
   * A reload is one step, so Undo brings back the text it replaced.
   */
  if (!self->loaded)
    {
      gtk_text_buffer_begin_irreversible_action (buffer);
      gtk_text_buffer_set_text (buffer, valid, -1);
      gtk_text_buffer_end_irreversible_action (buffer);
    }
  else
    {
      GtkTextIter end;

      /* Not set_text(): GTK makes that irreversible. */
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_get_bounds (buffer, &begin, &end);
      gtk_text_buffer_delete (buffer, &begin, &end);
      gtk_text_buffer_insert (buffer, &begin, valid, -1);
      gtk_text_buffer_end_user_action (buffer);
    }

  gtk_text_buffer_get_start_iter (buffer, &begin);
  gtk_text_buffer_select_range (buffer, &begin, &begin);
  gtk_text_buffer_set_modified (buffer, FALSE);
  self->modified_by_deletion = FALSE;

  gtk_source_buffer_set_language (self->buffer, guess_language (self->file, contents));

  g_clear_pointer (&self->disk_contents, g_bytes_unref);
  self->disk_contents = g_bytes_ref (contents);

  hide_banner (self);
  set_read_only (self, !is_utf8);

  if (!is_utf8)
    {
      g_autofree char *title = g_strdup_printf (_("“%s” is not UTF-8 text"), self->title);

      /* A lossy conversion written back would destroy the file. */
      show_banner (self, BANNER_ERROR, GTK_MESSAGE_ERROR, title,
                   _("It is shown read-only, with unreadable bytes replaced, "
                     "and will never be saved from here."));
    }
}

static void
load_contents_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GFile *file = G_FILE (object);
  g_autoptr(UniEditorPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;
  char *data = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (file, result, &data, &length, NULL, &error))
    {
      g_autofree char *title = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      set_loading (self, FALSE);

      /* Never offer to save over something we could not read. */
      if (!self->loaded)
        set_read_only (self, TRUE);

      title = g_strdup_printf (_("Could not open “%s”"), self->title);
      show_banner (self, BANNER_ERROR, GTK_MESSAGE_ERROR, title, error->message);
      ensure_monitor (self);
      return;
    }

  contents = g_bytes_new_take (data, length);
  apply_contents (self, contents);
  ensure_monitor (self);

  set_loading (self, FALSE);

  if (!self->loaded)
    {
      self->loaded = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
    }

  if (self->check_pending)
    uni_editor_page_queue_check (self);
}

static void
uni_editor_page_load (UniEditorPage *self)
{
  g_assert (UNI_IS_EDITOR_PAGE (self));

  self->check_pending = FALSE;
  set_loading (self, TRUE);
  g_file_load_contents_async (self->file,
                              self->cancellable,
                              load_contents_cb,
                              g_object_ref (self));
}

static void
check_contents_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GFile *file = G_FILE (object);
  g_autoptr(UniEditorPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;
  char *data = NULL;
  gsize length = 0;

  if (!g_file_load_contents_finish (file, result, &data, &length, NULL, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A save or a reload started meanwhile: what we read may be stale. */
  if (self->saving || self->loading)
    {
      g_free (data);
      self->check_pending = TRUE;
      return;
    }

  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_debug ("Cannot check %s: %s", g_file_peek_path (file), error->message);
      else if (self->disk_contents != NULL && self->banner != BANNER_DELETED)
        {
          GtkTextBuffer *buffer = GTK_TEXT_BUFFER (self->buffer);

          /* The buffer is now the only copy: every way of closing must ask. */
          if (self->loaded && !self->read_only && !gtk_text_buffer_get_modified (buffer))
            {
              self->modified_by_deletion = TRUE;
              self->deleted_serial = self->change_serial;
              gtk_text_buffer_set_modified (buffer, TRUE);
            }

          show_deleted_banner (self);
        }

      return;
    }

  contents = g_bytes_new_take (data, length);

  if (self->disk_contents != NULL && g_bytes_equal (contents, self->disk_contents))
    {
      /* Our own save, or the file came back as we know it. */
      if (self->banner == BANNER_CHANGED || self->banner == BANNER_DELETED)
        hide_banner (self);

      if (self->modified_by_deletion && self->deleted_serial == self->change_serial)
        gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
      self->modified_by_deletion = FALSE;

      return;
    }

  if (self->banner == BANNER_CHANGED &&
      self->seen_contents != NULL &&
      g_bytes_equal (contents, self->seen_contents))
    return;

  show_changed_banner (self);
  g_clear_pointer (&self->seen_contents, g_bytes_unref);
  self->seen_contents = g_steal_pointer (&contents);
}

static void
start_check (UniEditorPage *self)
{
  g_assert (UNI_IS_EDITOR_PAGE (self));

  if (self->saving || self->loading)
    {
      self->check_pending = TRUE;
      return;
    }

  self->check_pending = FALSE;
  g_file_load_contents_async (self->file,
                              self->cancellable,
                              check_contents_cb,
                              g_object_ref (self));
}

static gboolean
check_timeout_cb (gpointer user_data)
{
  UniEditorPage *self = user_data;

  self->check_source = 0;
  start_check (self);

  return G_SOURCE_REMOVE;
}

static void
uni_editor_page_queue_check (UniEditorPage *self)
{
  g_assert (UNI_IS_EDITOR_PAGE (self));

  if (self->check_source == 0)
    self->check_source = g_timeout_add (CHECK_DELAY_MSEC, check_timeout_cb, self);
}

static void
info_bar_response_cb (UniEditorPage *self,
                      int            response,
                      GtkInfoBar    *info_bar)
{
  g_assert (UNI_IS_EDITOR_PAGE (self));

  switch (response)
    {
    case RESPONSE_RELOAD:
      uni_editor_page_reload (self);
      break;

    case RESPONSE_KEEP:
      /* Remember the outside version as seen, so only a newer one asks again,
       * and mark the buffer modified so the next save writes ours.
       */
      g_clear_pointer (&self->disk_contents, g_bytes_unref);
      if (self->banner == BANNER_CHANGED)
        self->disk_contents = g_steal_pointer (&self->seen_contents);
      hide_banner (self);
      self->modified_by_deletion = FALSE;
      if (!self->read_only)
        gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), TRUE);
      break;

    case RESPONSE_CLOSE:
      g_signal_emit (self, signals[CLOSE_REQUESTED], 0);
      break;

    case GTK_RESPONSE_CLOSE:
    default:
      hide_banner (self);
      break;
    }
}

static void
buffer_changed_cb (UniEditorPage *self)
{
  self->change_serial++;
}

static void
buffer_modified_changed_cb (UniEditorPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniEditorPage *self = g_task_get_source_object (task);
  SaveState *state = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gboolean saved;

  self->saving = FALSE;
  saved = uni_file_replace_contents_finish (result, &error);

  /* The page was closed meanwhile: only the caller is left to tell. */
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      if (saved)
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!saved)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG))
        {
          /* Changed (or removed) since we last looked: ask as for any outside change. */
          g_clear_handle_id (&self->check_source, g_source_remove);
          start_check (self);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *title = g_strdup_printf (_("Could not save “%s”"), self->title);
          g_autofree char *message =
            g_strdup_printf (_("%s. Your text is still here: make the folder writable or free "
                               "some space, then save again."),
                             error->message);

          show_banner (self, BANNER_ERROR, GTK_MESSAGE_ERROR, title, message);
        }

      if (self->check_pending)
        uni_editor_page_queue_check (self);

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->disk_contents, g_bytes_unref);
  self->disk_contents = g_bytes_ref (state->contents);

  /* Typing during the save keeps the buffer modified: that text is not on disk. */
  if (state->change_serial == self->change_serial)
    gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (self->buffer), FALSE);
  self->modified_by_deletion = FALSE;

  /* A failed save's error is over, and a deleted file is back; a newer
   * outside change is for the pending check to report, not to hide.
   */
  if (self->banner == BANNER_ERROR || self->banner == BANNER_DELETED)
    hide_banner (self);

  if (self->check_pending)
    uni_editor_page_queue_check (self);

  g_task_return_boolean (task, TRUE);
}

static gboolean
uni_editor_page_grab_focus (GtkWidget *widget)
{
  UniEditorPage *self = UNI_EDITOR_PAGE (widget);

  return gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void
uni_editor_page_constructed (GObject *object)
{
  UniEditorPage *self = UNI_EDITOR_PAGE (object);
  g_autofree char *basename = NULL;

  G_OBJECT_CLASS (uni_editor_page_parent_class)->constructed (object);

  g_assert (G_IS_FILE (self->file));

  basename = g_file_get_basename (self->file);
  self->title = g_filename_display_name (basename);

  uni_editor_page_load (self);
}

static void
uni_editor_page_dispose (GObject *object)
{
  UniEditorPage *self = UNI_EDITOR_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->check_source, g_source_remove);

  if (self->monitor != NULL)
    {
      g_file_monitor_cancel (self->monitor);
      g_clear_object (&self->monitor);
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_EDITOR_PAGE);

  /* Only bound children are dropped by the template: unparent the rest. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (uni_editor_page_parent_class)->dispose (object);
}

static void
uni_editor_page_finalize (GObject *object)
{
  UniEditorPage *self = UNI_EDITOR_PAGE (object);

  g_clear_object (&self->file);
  g_clear_object (&self->buffer);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->disk_contents, g_bytes_unref);
  g_clear_pointer (&self->seen_contents, g_bytes_unref);

  G_OBJECT_CLASS (uni_editor_page_parent_class)->finalize (object);
}

static void
uni_editor_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  UniEditorPage *self = UNI_EDITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_MODIFIED:
      g_value_set_boolean (value, uni_editor_page_get_modified (self));
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    case PROP_CHANGED_ON_DISK:
      g_value_set_boolean (value, uni_editor_page_get_changed_on_disk (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_editor_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  UniEditorPage *self = UNI_EDITOR_PAGE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_editor_page_class_init (UniEditorPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = uni_editor_page_constructed;
  object_class->dispose = uni_editor_page_dispose;
  object_class->finalize = uni_editor_page_finalize;
  object_class->get_property = uni_editor_page_get_property;
  object_class->set_property = uni_editor_page_set_property;

  widget_class->grab_focus = uni_editor_page_grab_focus;

  /**
   * UniEditorPage:file:
   *
   * The file shown and saved by this page.
   */
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * UniEditorPage:modified:
   *
   * Whether the buffer holds text that is not on disk.
   */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * UniEditorPage:read-only:
   *
   * Whether the file could not be read as UTF-8 text (or at all) and so is
   * never saved from this page.
   */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  /**
   * UniEditorPage:changed-on-disk:
   *
   * %TRUE while the page asks what to do about the file having been changed
   * or deleted by another program.
   */
  properties[PROP_CHANGED_ON_DISK] =
    g_param_spec_boolean ("changed-on-disk", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * UniEditorPage::close-requested:
   *
   * The user asked to close the page from its banner (the file was deleted).
   */
  signals[CLOSE_REQUESTED] =
    g_signal_new ("close-requested",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_source_init ();
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-editor-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "editorpage");
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, info_bar);
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, info_title);
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, info_message);
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, reload_button);
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, keep_button);
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, close_button);
  gtk_widget_class_bind_template_child (widget_class, UniEditorPage, view);
  gtk_widget_class_bind_template_callback (widget_class, info_bar_response_cb);
}

static void
uni_editor_page_init (UniEditorPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->buffer = gtk_source_buffer_new (NULL);
  gtk_source_buffer_set_highlight_matching_brackets (self->buffer, TRUE);
  gtk_text_view_set_buffer (GTK_TEXT_VIEW (self->view), GTK_TEXT_BUFFER (self->buffer));

  g_signal_connect_object (self->buffer, "changed",
                           G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "modified-changed",
                           G_CALLBACK (buffer_modified_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (update_style_scheme), self, G_CONNECT_SWAPPED);
  update_style_scheme (self);
}

/**
 * uni_editor_page_new:
 * @file: the file to show
 *
 * Creates a page that starts loading @file at once.
 *
 * Returns: (transfer floating): a new #UniEditorPage
 */
UniEditorPage *
uni_editor_page_new (GFile *file)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  return g_object_new (UNI_TYPE_EDITOR_PAGE,
                       "file", file,
                       NULL);
}

/**
 * uni_editor_page_get_file:
 *
 * Returns: (transfer none): the file of the page
 */
GFile *
uni_editor_page_get_file (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), NULL);

  return self->file;
}

/**
 * uni_editor_page_get_title:
 *
 * Returns: (transfer none): the display name of the file
 */
const char *
uni_editor_page_get_title (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), NULL);

  return self->title;
}

gboolean
uni_editor_page_get_modified (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);

  return gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (self->buffer));
}

gboolean
uni_editor_page_get_loaded (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);

  return self->loaded;
}

gboolean
uni_editor_page_get_loading (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);

  return self->loading;
}

gboolean
uni_editor_page_get_read_only (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);

  return self->read_only;
}

gboolean
uni_editor_page_get_changed_on_disk (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);

  return self->banner == BANNER_CHANGED || self->banner == BANNER_DELETED;
}

/**
 * uni_editor_page_get_deleted_on_disk:
 *
 * Whether the change #UniEditorPage:changed-on-disk reports is the file
 * having been deleted; notified with that property.
 *
 * Returns: %TRUE while the page asks what to do about the deleted file
 */
gboolean
uni_editor_page_get_deleted_on_disk (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);

  return self->banner == BANNER_DELETED;
}

/**
 * uni_editor_page_get_message_title:
 *
 * Returns: (transfer none) (nullable): the title of the banner shown above
 *   the text, or %NULL when there is none
 */
const char *
uni_editor_page_get_message_title (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), NULL);

  if (self->banner == BANNER_NONE)
    return NULL;

  return gtk_label_get_label (self->info_title);
}

/**
 * uni_editor_page_get_buffer:
 *
 * Returns: (transfer none): the buffer of the page
 */
GtkSourceBuffer *
uni_editor_page_get_buffer (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), NULL);

  return self->buffer;
}

/**
 * uni_editor_page_get_view:
 *
 * Returns: (transfer none): the source view of the page
 */
GtkSourceView *
uni_editor_page_get_view (UniEditorPage *self)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), NULL);

  return self->view;
}

/**
 * uni_editor_page_save_async:
 * @self: a #UniEditorPage
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the text is on disk, or not
 * @user_data: data for @callback
 *
 * Writes the buffer to the file atomically, in a thread. On failure the page
 * shows the error above the text and the buffer stays modified.
 *
 * Fails with %G_IO_ERROR_PENDING while the page is loading or saving, and
 * with %G_IO_ERROR_WRONG_ETAG when another program changed the file: the
 * page then asks whether to reload or keep the buffer.
 */
void
uni_editor_page_save_async (UniEditorPage       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter begin, end;
  SaveState *state;
  char *text;

  g_return_if_fail (UNI_IS_EDITOR_PAGE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_editor_page_save_async);

  if (self->loading)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("“%s” is being loaded"), self->title);
      return;
    }

  if (!self->loaded || self->read_only)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_READ_ONLY,
                               _("“%s” is open read-only"), self->title);
      return;
    }

  if (self->saving)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("“%s” is already being saved"), self->title);
      return;
    }

  /* Saving over another program's change is a choice the banner offers. */
  if (self->banner == BANNER_CHANGED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG,
                               _("“%s” changed on disk: reload it, or choose Keep Mine "
                                 "to save over it"),
                               self->title);
      return;
    }

  buffer = GTK_TEXT_BUFFER (self->buffer);
  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  text = gtk_text_buffer_get_text (buffer, &begin, &end, TRUE);

  state = g_new0 (SaveState, 1);
  state->contents = g_bytes_new_take (text, strlen (text));
  state->change_serial = self->change_serial;
  g_task_set_task_data (task, state, save_state_free);

  /* Whatever happened since we last loaded or saved it fails the save
   * rather than being written over. A file known to be deleted is written
   * again, as its banner says.
   */
  self->saving = TRUE;
  uni_file_replace_contents_async (self->file,
                                   state->contents,
                                   self->banner == BANNER_DELETED ? NULL : self->disk_contents,
                                   cancellable,
                                   save_cb,
                                   g_steal_pointer (&task));
}

gboolean
uni_editor_page_save_finish (UniEditorPage  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (UNI_IS_EDITOR_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_editor_page_reload:
 *
 * Replaces the text with what is on disk. Undo brings back the text it
 * replaced.
 */
void
uni_editor_page_reload (UniEditorPage *self)
{
  g_return_if_fail (UNI_IS_EDITOR_PAGE (self));

  hide_banner (self);
  uni_editor_page_load (self);
}
