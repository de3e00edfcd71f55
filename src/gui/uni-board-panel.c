/* uni-board-panel.c — the board a project deploys to: its picture, state, domains
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board-panel"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-board-dialog.h"
#include "uni-board-panel.h"
#include "uni-plugins.h"
#include "uni-xl.h"

/* The picture is drawn at twice the size it is shown, for high-density
 * screens and projectors.
 */
#define PICTURE_WIDTH 880

struct _UniBoardPanel
{
  GtkWidget         parent_instance;

  /* Template widgets */
  GtkStack         *stack;
  AdwStatusPage    *empty_page;
  GtkDropDown      *profile_dropdown;
  GtkPicture       *picture;
  GtkSpinner       *spinner;
  GtkLabel         *state_label;
  GtkLabel         *detail_label;
  GtkButton        *open_button;
  AdwPreferencesGroup *facts_group;
  GtkLabel         *xen_label;
  GtkLabel         *memory_label;
  GtkLabel         *bridges_label;
  AdwPreferencesGroup *domains_group;
  GtkListBox       *domain_list;

  /* Owned */
  UniProject       *project;
  UniBoardProfiles *profiles;
  UniBoardProfile  *profile;
  UniBoard         *board;
  UniBoardStatus   *status;
  GError           *board_error;
  GCancellable     *cancellable;
  GCancellable     *probe_cancellable;
  char             *picture_key;
  char             *url;
  char             *domain_name;
  char             *activity;
  guint             poll_id;

  /* Flags */
  guint             loaded : 1;
  guint             selecting : 1;
};

G_DEFINE_FINAL_TYPE (UniBoardPanel, uni_board_panel, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PROJECT,
  PROP_PROFILE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void probe (UniBoardPanel *self);

/* The deployed unikernel's domain; until a deployment names it, the project's. */
static const char *
get_domain_name (UniBoardPanel *self)
{
  if (self->domain_name != NULL)
    return self->domain_name;
  return self->project != NULL ? uni_project_get_name (self->project) : NULL;
}

/* The picture's SVG with only @layer's state group shown. Every group
 * whose id starts with "state-" gets a display of its own, whatever
 * display attribute the drawing gave it.
 */
static char *
show_layer (const char *svg,
            const char *layer)
{
  g_autoptr(GRegex) group = g_regex_new ("<g\\b[^>]*\\bid=\"(state-[a-z-]+)\"[^>]*>", 0, 0, NULL);
  g_autoptr(GRegex) display = g_regex_new ("\\sdisplay=\"[^\"]*\"", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GString *out = g_string_new (NULL);
  gsize done = 0;

  g_regex_match (group, svg, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);
      g_autofree char *id = g_match_info_fetch (match, 1);
      g_autofree char *bare = g_regex_replace_literal (display, tag, -1, 0, "", 0, NULL);
      int start;
      int end;

      g_match_info_fetch_pos (match, 0, &start, &end);
      g_string_append_len (out, svg + done, start - done);
      /* bare is "<g ...>": the attribute goes right after "<g". */
      g_string_append (out, "<g display=\"");
      g_string_append (out, g_str_equal (id, layer) ? "inline" : "none");
      g_string_append (out, "\"");
      g_string_append (out, bare + 2);
      done = end;
      g_match_info_next (match, NULL);
    }
  g_string_append (out, svg + done);

  return g_string_free (out, FALSE);
}

static void
svg_size_prepared_cb (GdkPixbufLoader *loader,
                      int              width,
                      int              height,
                      gpointer         user_data)
{
  if (width > 0)
    gdk_pixbuf_loader_set_size (loader, PICTURE_WIDTH, height * PICTURE_WIDTH / width);
}

/* The loader is told the type: the drawings open with a long comment, past
 * what content sniffing reads.
 */
static GdkPixbuf *
render_svg (const char  *svg,
            GError     **error)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("svg", error);
  gboolean ok;

  if (loader == NULL)
    return NULL;

  g_signal_connect (loader, "size-prepared", G_CALLBACK (svg_size_prepared_cb), NULL);
  ok = gdk_pixbuf_loader_write (loader, (const guchar *) svg, strlen (svg), error);
  if (!gdk_pixbuf_loader_close (loader, ok ? error : NULL) || !ok)
    return NULL;

  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

static void
update_picture (UniBoardPanel *self,
                const char    *layer)
{
  g_autofree char *resource = NULL;
  g_autofree char *key = NULL;
  g_autofree char *svg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  if (self->board == NULL)
    {
      gtk_picture_set_paintable (self->picture, NULL);
      g_clear_pointer (&self->picture_key, g_free);
      return;
    }

  resource = uni_board_dup_picture_resource (self->board);
  key = g_strconcat (resource, "#", layer, NULL);
  if (g_strcmp0 (key, self->picture_key) == 0)
    return;

  bytes = g_resources_lookup_data (resource, 0, &error);
  if (bytes != NULL)
    svg = show_layer (g_bytes_get_data (bytes, NULL), layer);
  if (svg != NULL)
    pixbuf = render_svg (svg, &error);
  if (pixbuf == NULL)
    {
      g_warning ("Cannot draw the picture %s: %s", resource, error->message);
      gtk_picture_set_paintable (self->picture, NULL);
      return;
    }

  texture = gdk_texture_new_for_pixbuf (pixbuf);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_picture_set_alternative_text (self->picture, uni_board_get_title (self->board));
  g_free (self->picture_key);
  self->picture_key = g_steal_pointer (&key);
}

static char *
describe_target (UniBoardProfile *profile)
{
  const char *user = uni_board_profile_get_user (profile);
  const char *host = uni_board_profile_get_host (profile);
  guint port = uni_board_profile_get_port (profile);
  g_autofree char *login = user != NULL ? g_strdup_printf ("%s@%s", user, host) : g_strdup (host);

  if (port == 0)
    return g_steal_pointer (&login);
  return g_strdup_printf ("%s, port %u", login, port);
}

/* The headline for a failure whose board answered: what stands in the way,
 * short enough for one line; the picture shows the board reachable.
 */
static const char *
describe_obstacle (UniBoardState state)
{
  switch (state)
    {
    case UNI_BOARD_STATE_HOST_KEY_UNKNOWN:
      return _("Unknown Host Key");
    case UNI_BOARD_STATE_HOST_KEY_CHANGED:
      return _("Host Key Changed");
    case UNI_BOARD_STATE_AUTH_FAILED:
      return _("Login Refused");
    case UNI_BOARD_STATE_XL_MISSING:
    case UNI_BOARD_STATE_XEN_NOT_RUNNING:
      return _("Xen Not Running");
    case UNI_BOARD_STATE_SUDO_MISSING:
    case UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD:
    case UNI_BOARD_STATE_XL_NEEDS_ROOT:
      return _("xl Needs Root");
    case UNI_BOARD_STATE_OK:
    case UNI_BOARD_STATE_UNKNOWN_HOST:
    case UNI_BOARD_STATE_REFUSED:
    case UNI_BOARD_STATE_UNREACHABLE:
    case UNI_BOARD_STATE_TIMEOUT:
    case UNI_BOARD_STATE_FAILED:
    default:
      return _("Reachable");
    }
}

static void
set_state_class (UniBoardPanel *self,
                 const char    *name)
{
  static const char * const classes[] = { "unreachable", "reachable", "xen", "running", "checking" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), classes[i]);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), name);
}

static GtkWidget *
create_domain_row (const UniXlDomain *domain,
                   gboolean           ours)
{
  g_autofree char *state = uni_xl_describe_state (domain->state);
  g_autofree char *memory = g_strdup_printf (_("%u MiB"), domain->mem_mib);
  g_autofree char *vcpus = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u vCPU", "%u vCPUs",
                                                         domain->vcpus),
                                            domain->vcpus);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s · %s",
                                               state != NULL ? state : domain->state,
                                               memory, vcpus);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *id = gtk_label_new (NULL);
  g_autofree char *id_text = g_strdup_printf (_("ID %u"), domain->id);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), domain->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row),
                                domain->id == 0 ? "computer-symbolic"
                                                : "application-x-executable-symbolic");
  gtk_label_set_label (GTK_LABEL (id), id_text);
  gtk_widget_add_css_class (id, "dim-label");
  gtk_widget_add_css_class (id, "numeric");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), id);
  gtk_widget_add_css_class (row, "board-domain");
  if (strchr (domain->state, 'r') != NULL || strchr (domain->state, 'b') != NULL)
    gtk_widget_add_css_class (row, "active");
  if (ours)
    gtk_widget_add_css_class (row, "ours");

  return row;
}

static void
update_domains (UniBoardPanel *self)
{
  GPtrArray *domains = self->status != NULL ? uni_board_status_get_domains (self->status) : NULL;
  const char *ours = get_domain_name (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->domain_list))) != NULL)
    gtk_list_box_remove (self->domain_list, child);

  gtk_widget_set_visible (GTK_WIDGET (self->domains_group), domains != NULL && domains->len > 0);
  if (domains == NULL)
    return;

  for (guint i = 0; i < domains->len; i++)
    {
      const UniXlDomain *domain = g_ptr_array_index (domains, i);

      gtk_list_box_append (self->domain_list,
                           create_domain_row (domain, g_strcmp0 (domain->name, ours) == 0));
    }
}

static void
update_facts (UniBoardPanel *self)
{
  gboolean ok = self->status != NULL
                && uni_board_status_get_state (self->status) == UNI_BOARD_STATE_OK;
  const char * const *bridges = NULL;
  gint64 free_mib;
  gint64 total_mib;
  g_autofree char *memory = NULL;
  g_autofree char *free_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *bridge_text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->facts_group), ok);
  if (!ok)
    return;

  gtk_label_set_label (self->xen_label, uni_board_status_get_xen_version (self->status));

  free_mib = uni_board_status_get_free_memory_mib (self->status);
  total_mib = uni_board_status_get_total_memory_mib (self->status);
  /* Numbers as text first: gettext cannot see through G_GINT64_FORMAT. */
  free_text = g_strdup_printf ("%" G_GINT64_FORMAT, free_mib);
  total_text = g_strdup_printf ("%" G_GINT64_FORMAT, total_mib);
  if (free_mib >= 0 && total_mib > 0)
    /* Translators: free memory on the board, of its total: "448 of 1024 MiB" */
    memory = g_strdup_printf (_("%s of %s MiB"), free_text, total_text);
  else if (free_mib >= 0)
    memory = g_strdup_printf (_("%s MiB"), free_text);
  else
    memory = g_strdup (_("Unknown"));
  gtk_label_set_label (self->memory_label, memory);

  bridges = uni_board_status_get_bridges (self->status);
  if (bridges != NULL && bridges[0] != NULL)
    bridge_text = g_strjoinv (", ", (char **) bridges);
  else
    bridge_text = g_strdup (_("None found"));
  gtk_label_set_label (self->bridges_label, bridge_text);
}

static void
update_state (UniBoardPanel *self)
{
  const char *domain_name = get_domain_name (self);
  const char *layer = UNI_BOARD_LAYER_UNREACHABLE;
  g_autofree char *headline = NULL;
  g_autofree char *detail = NULL;
  gboolean problem = FALSE;

  if (self->board_error != NULL)
    {
      headline = g_strdup (_("Unknown Board Type"));
      detail = g_strdup (self->board_error->message);
      problem = TRUE;
      set_state_class (self, "unreachable");
    }
  else if (self->status == NULL)
    {
      headline = g_strdup (_("Checking…"));
      detail = self->activity != NULL ? g_strdup (self->activity) : describe_target (self->profile);
      set_state_class (self, "checking");
    }
  else
    {
      UniBoardState state = uni_board_status_get_state (self->status);

      layer = uni_board_status_get_picture_layer (self->status, domain_name);
      set_state_class (self, layer + strlen ("state-"));
      if (g_str_equal (layer, UNI_BOARD_LAYER_RUNNING))
        headline = g_strdup_printf (_("Running %s"), domain_name);
      else if (g_str_equal (layer, UNI_BOARD_LAYER_XEN))
        headline = g_strdup_printf (_("Reachable — Xen %s"),
                                    uni_board_status_get_xen_version (self->status));
      else if (g_str_equal (layer, UNI_BOARD_LAYER_REACHABLE))
        headline = g_strdup (describe_obstacle (state));
      else
        headline = g_strdup (_("Unreachable"));

      if (self->activity != NULL)
        detail = g_strdup (self->activity);
      else if (state == UNI_BOARD_STATE_OK)
        detail = describe_target (self->profile);
      else
        {
          detail = g_strdup (uni_board_status_get_message (self->status));
          problem = TRUE;
        }
    }

  gtk_label_set_label (self->state_label, headline);
  gtk_label_set_label (self->detail_label, detail);
  if (problem)
    gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "problem");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->detail_label), "problem");
  gtk_spinner_set_spinning (self->spinner,
                            self->probe_cancellable != NULL || self->activity != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner),
                          self->probe_cancellable != NULL || self->activity != NULL);

  update_picture (self, layer);
  update_facts (self);
  update_domains (self);
}

static void
update_page (UniBoardPanel *self)
{
  const char *page = "loading";

  if (self->loaded)
    page = g_list_model_get_n_items (G_LIST_MODEL (self->profiles)) > 0 ? "board" : "empty";
  gtk_stack_set_visible_child_name (self->stack, page);
}

static void
stop_polling (UniBoardPanel *self)
{
  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
}

static gboolean
poll_cb (gpointer user_data)
{
  UniBoardPanel *self = user_data;

  self->poll_id = 0;
  probe (self);

  return G_SOURCE_REMOVE;
}

static void
probe_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(UniBoardPanel) self = user_data;
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = uni_board_probe_finish (UNI_BOARD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Answers about a board the panel no longer shows are dropped. */
  if (UNI_BOARD (object) != self->board)
    return;

  g_clear_object (&self->probe_cancellable);
  if (status == NULL)
    {
      g_warning ("The board probe failed: %s", error->message);
      g_clear_object (&self->status);
    }
  else
    g_set_object (&self->status, status);

  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);

  if (gtk_widget_get_mapped (GTK_WIDGET (self)) && self->poll_id == 0)
    self->poll_id = g_timeout_add_seconds (UNI_BOARD_PANEL_POLL_SECONDS, poll_cb, self);
}

static void
probe (UniBoardPanel *self)
{
  if (self->board == NULL || self->probe_cancellable != NULL
      || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->probe_cancellable = g_cancellable_new ();
  uni_board_probe_async (self->board, self->profile, self->probe_cancellable,
                         probe_cb, g_object_ref (self));
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
}

static void
set_profile (UniBoardPanel   *self,
             UniBoardProfile *profile)
{
  if (profile == self->profile)
    return;

  stop_polling (self);
  g_set_object (&self->profile, profile);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.edit", profile != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.remove", profile != NULL);
  g_clear_object (&self->board);
  g_clear_object (&self->status);
  g_clear_error (&self->board_error);

  if (profile != NULL)
    self->board = uni_plugins_create_board (uni_board_profile_get_board_type (profile),
                                            profile, &self->board_error);
  if (profile != NULL)
    update_state (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROFILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
  probe (self);
}

/* The project's board, else the first; %GTK_INVALID_LIST_POSITION when none. */
static guint
find_project_profile (UniBoardPanel *self)
{
  GListModel *model = G_LIST_MODEL (self->profiles);
  guint n = g_list_model_get_n_items (model);
  g_autofree char *name = NULL;

  if (self->project != NULL && uni_project_get_settings (self->project) != NULL)
    name = uni_project_settings_dup_board (uni_project_get_settings (self->project));

  for (guint i = 0; name != NULL && i < n; i++)
    {
      g_autoptr(UniBoardProfile) profile = g_list_model_get_item (model, i);

      if (g_strcmp0 (uni_board_profile_get_name (profile), name) == 0)
        return i;
    }

  return n > 0 ? 0 : GTK_INVALID_LIST_POSITION;
}

static void
select_profile (UniBoardPanel *self,
                guint          position)
{
  g_autoptr(UniBoardProfile) profile = NULL;

  self->selecting = TRUE;
  gtk_drop_down_set_selected (self->profile_dropdown, position);
  self->selecting = FALSE;

  if (position != GTK_INVALID_LIST_POSITION)
    profile = g_list_model_get_item (G_LIST_MODEL (self->profiles), position);
  set_profile (self, profile);
}

static void
settings_save_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!uni_project_settings_save_finish (UNI_PROJECT_SETTINGS (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot remember the project's board: %s", error->message);
}

static void
remember_board (UniBoardPanel *self)
{
  UniProjectSettings *settings;

  if (self->project == NULL || self->profile == NULL)
    return;

  settings = uni_project_get_settings (self->project);
  if (settings != NULL
      && uni_project_settings_set_board (settings, uni_board_profile_get_name (self->profile)))
    uni_project_settings_save_async (settings, self->cancellable, settings_save_cb, NULL);
}

static void
profile_dropdown_notify_selected_cb (UniBoardPanel *self,
                                     GParamSpec    *pspec,
                                     GtkDropDown   *dropdown)
{
  UniBoardProfile *selected = gtk_drop_down_get_selected_item (dropdown);
  /* An edit puts new values in place of the board shown: no choice of the user's. */
  gboolean same_board = selected != NULL && self->profile != NULL
                        && g_strcmp0 (uni_board_profile_get_name (selected),
                                      uni_board_profile_get_name (self->profile)) == 0;

  if (self->selecting)
    return;

  set_profile (self, selected);
  if (!same_board)
    remember_board (self);
}

static gboolean
find_position (UniBoardPanel *self,
               const char    *name,
               guint         *position)
{
  GListModel *model = G_LIST_MODEL (self->profiles);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UniBoardProfile) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (uni_board_profile_get_name (item), name) == 0)
        {
          *position = i;
          return TRUE;
        }
    }

  return FALSE;
}

/* Sets the project's board to @new_name (%NULL: none) if it is @old_name. */
static void
rename_project_board (UniBoardPanel *self,
                      const char    *old_name,
                      const char    *new_name)
{
  UniProjectSettings *settings = NULL;
  g_autofree char *board = NULL;

  if (self->project != NULL)
    settings = uni_project_get_settings (self->project);
  if (settings == NULL)
    return;

  board = uni_project_settings_dup_board (settings);
  if (board != NULL && g_strcmp0 (board, old_name) == 0
      && g_strcmp0 (old_name, new_name) != 0
      && uni_project_settings_set_board (settings, new_name))
    uni_project_settings_save_async (settings, self->cancellable, settings_save_cb, NULL);
}

static void
profiles_items_changed_cb (UniBoardPanel *self,
                           guint          position,
                           guint          removed,
                           guint          added,
                           GListModel    *model)
{
  guint selected = gtk_drop_down_get_selected (self->profile_dropdown);

  update_page (self);
  if (selected == GTK_INVALID_LIST_POSITION || self->profile == NULL)
    select_profile (self, find_project_profile (self));
}

static void
profiles_load_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(UniBoardPanel) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_board_profiles_load_finish (UNI_BOARD_PROFILES (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_warning ("Cannot read the board profiles: %s", error->message);
    }

  self->loaded = TRUE;
  update_page (self);
  select_profile (self, find_project_profile (self));
}

/* The project's settings, and so its board, are known once it loaded. */
static void
project_notify_loaded_cb (UniBoardPanel *self,
                          GParamSpec    *pspec,
                          UniProject    *project)
{
  if (self->loaded && uni_project_get_loaded (project))
    select_profile (self, find_project_profile (self));
}

static void
open_address_ready_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot open the unikernel's page: %s", error->message);
}

static void
open_address_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->url == NULL)
    return;

  gtk_show_uri_full (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->url,
                     GDK_CURRENT_TIME, self->cancellable, open_address_ready_cb, NULL);
}

/* A board the user just added is the one they mean to deploy to. */
static void
dialog_added_cb (UniBoardPanel   *self,
                 UniBoardProfile *profile,
                 UniBoardDialog  *dialog)
{
  GListModel *model = G_LIST_MODEL (self->profiles);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UniBoardProfile) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (uni_board_profile_get_name (item), uni_board_profile_get_name (profile)) == 0)
        {
          select_profile (self, i);
          remember_board (self);
          return;
        }
    }
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  uni_board_panel_add_board (UNI_BOARD_PANEL (widget));
}

static void
dialog_edited_cb (UniBoardPanel   *self,
                  UniBoardProfile *profile,
                  const char      *old_name,
                  UniBoardDialog  *dialog)
{
  const char *name = uni_board_profile_get_name (profile);
  guint position;

  rename_project_board (self, old_name, name);
  if (find_position (self, name, &position))
    select_profile (self, position);
}

static GtkWindow *
get_window (UniBoardPanel *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (widget);
  UniBoardDialog *dialog;

  if (self->profile == NULL)
    return;

  dialog = uni_board_dialog_new_edit (get_window (self), self->profiles, self->profile);
  g_signal_connect_object (dialog, "edited", G_CALLBACK (dialog_edited_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
remove_save_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(UniBoardPanel) self = user_data;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  if (uni_board_profiles_save_finish (UNI_BOARD_PROFILES (object), result, &error)
      || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* The list shows the file again, so the board shows where it still is. */
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self),
                                                       _("Cannot Remove the Board"),
                                                       error->message));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_widget_set_name (GTK_WIDGET (dialog), "remove_error_dialog");
  gtk_window_present (GTK_WINDOW (dialog));
  uni_board_profiles_load_async (self->profiles, self->cancellable, profiles_load_cb,
                                 g_object_ref (self));
}

static void
remove_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    UniBoardPanel    *self)
{
  const char *name = g_object_get_data (G_OBJECT (dialog), "board-name");
  guint position;
  guint n;

  if (!find_position (self, name, &position))
    return;

  rename_project_board (self, name, NULL);

  /* The panel picks the next board itself; the dropdown's own pick is no choice. */
  self->selecting = TRUE;
  uni_board_profiles_remove (self->profiles, name);
  self->selecting = FALSE;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->profiles));
  select_profile (self, n == 0 ? GTK_INVALID_LIST_POSITION : MIN (position, n - 1));

  uni_board_profiles_save_async (self->profiles, self->cancellable, remove_save_cb,
                                 g_object_ref (self));
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (widget);
  const char *name;
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (self->profile == NULL)
    return;

  name = uni_board_profile_get_name (self->profile);
  heading = g_strdup_printf (_("Remove “%s”?"), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (get_window (self), heading,
                                                       _("Unistudio forgets how to reach this board. The board and the unikernels on it stay as they are.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "remove", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  gtk_widget_set_name (GTK_WIDGET (dialog), "remove_dialog");
  g_object_set_data_full (G_OBJECT (dialog), "board-name", g_strdup (name), g_free);
  g_signal_connect_object (dialog, "response::remove", G_CALLBACK (remove_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
uni_board_panel_map (GtkWidget *widget)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (widget);

  GTK_WIDGET_CLASS (uni_board_panel_parent_class)->map (widget);

  probe (self);
}

static void
uni_board_panel_unmap (GtkWidget *widget)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (widget);

  stop_polling (self);
  if (self->profile != NULL)
    update_state (self);

  GTK_WIDGET_CLASS (uni_board_panel_parent_class)->unmap (widget);
}

static void
uni_board_panel_dispose (GObject *object)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (object);

  stop_polling (self);
  g_cancellable_cancel (self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), UNI_TYPE_BOARD_PANEL);

  g_clear_object (&self->project);
  g_clear_object (&self->profiles);
  g_clear_object (&self->profile);
  g_clear_object (&self->board);
  g_clear_object (&self->status);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (uni_board_panel_parent_class)->dispose (object);
}

static void
uni_board_panel_finalize (GObject *object)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (object);

  g_clear_error (&self->board_error);
  g_clear_pointer (&self->picture_key, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->domain_name, g_free);
  g_clear_pointer (&self->activity, g_free);

  G_OBJECT_CLASS (uni_board_panel_parent_class)->finalize (object);
}

static void
uni_board_panel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_PROFILE:
      g_value_set_object (value, self->profile);
      break;

    case PROP_STATUS:
      g_value_set_object (value, self->status);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_panel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  UniBoardPanel *self = UNI_BOARD_PANEL (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      uni_board_panel_set_project (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_panel_class_init (UniBoardPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = uni_board_panel_dispose;
  object_class->finalize = uni_board_panel_finalize;
  object_class->get_property = uni_board_panel_get_property;
  object_class->set_property = uni_board_panel_set_property;

  widget_class->map = uni_board_panel_map;
  widget_class->unmap = uni_board_panel_unmap;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         UNI_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROFILE] =
    g_param_spec_object ("profile", NULL, NULL,
                         UNI_TYPE_BOARD_PROFILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_object ("status", NULL, NULL,
                         UNI_TYPE_BOARD_STATUS,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "board.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "board.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "board.remove", NULL, remove_action);
  gtk_widget_class_install_action (widget_class, "board.open-address", NULL,
                                   open_address_action);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/unistudio/Unistudio/uni-board-panel.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "boardpanel");

  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, profile_dropdown);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, picture);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, state_label);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, detail_label);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, open_button);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, facts_group);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, xen_label);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, memory_label);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, bridges_label);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, domains_group);
  gtk_widget_class_bind_template_child (widget_class, UniBoardPanel, domain_list);
  gtk_widget_class_bind_template_callback (widget_class, profile_dropdown_notify_selected_cb);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The empty page shows the first board's picture, as it looks unplugged. */
static void
set_empty_picture (UniBoardPanel *self)
{
  g_auto(GStrv) types = uni_plugins_list_boards ();
  g_autoptr(UniBoard) board = NULL;

  if (types == NULL || types[0] == NULL)
    return;

  /* The same board every time, whatever order the plugins load in. */
  g_qsort_with_data (types, g_strv_length (types), sizeof (char *), compare_strings, NULL);

  board = uni_plugins_create_board (types[0], NULL, NULL);
  if (board == NULL)
    return;

  g_set_object (&self->board, board);
  update_picture (self, UNI_BOARD_LAYER_XEN);
  adw_status_page_set_paintable (self->empty_page, gtk_picture_get_paintable (self->picture));
  gtk_picture_set_paintable (self->picture, NULL);
  g_clear_object (&self->board);
  g_clear_pointer (&self->picture_key, g_free);
}

static void
uni_board_panel_init (UniBoardPanel *self)
{
  g_autoptr(GFile) file = uni_board_profiles_dup_default_file ();
  g_autoptr(GtkExpression) name = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->profiles = uni_board_profiles_new (file);

  name = gtk_property_expression_new (UNI_TYPE_BOARD_PROFILE, NULL, "name");
  gtk_drop_down_set_expression (self->profile_dropdown, name);
  self->selecting = TRUE;
  gtk_drop_down_set_model (self->profile_dropdown, G_LIST_MODEL (self->profiles));
  self->selecting = FALSE;
  g_signal_connect_object (self->profiles, "items-changed",
                           G_CALLBACK (profiles_items_changed_cb), self, G_CONNECT_SWAPPED);

  set_empty_picture (self);
  update_page (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.edit", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "board.remove", FALSE);

  uni_board_profiles_load_async (self->profiles, self->cancellable, profiles_load_cb,
                                 g_object_ref (self));
}

/**
 * uni_board_panel_new:
 *
 * Creates a panel that reads the user's board profiles and, while it is
 * shown, asks the chosen board how it is every
 * %UNI_BOARD_PANEL_POLL_SECONDS seconds.
 *
 * Returns: (transfer floating): a new #UniBoardPanel
 */
GtkWidget *
uni_board_panel_new (void)
{
  return g_object_new (UNI_TYPE_BOARD_PANEL, NULL);
}

/**
 * uni_board_panel_get_project:
 * @self: a #UniBoardPanel
 *
 * Returns: (transfer none) (nullable): the project whose board the panel shows
 */
UniProject *
uni_board_panel_get_project (UniBoardPanel *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PANEL (self), NULL);

  return self->project;
}

/**
 * uni_board_panel_set_project:
 * @self: a #UniBoardPanel
 * @project: (nullable): a #UniProject
 *
 * Shows the board @project deploys to (its settings' board), and remembers
 * there the board the user picks.
 */
void
uni_board_panel_set_project (UniBoardPanel *self,
                             UniProject    *project)
{
  g_return_if_fail (UNI_IS_BOARD_PANEL (self));
  g_return_if_fail (!project || UNI_IS_PROJECT (project));

  if (self->project == project)
    return;

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, project_notify_loaded_cb, self);
  g_set_object (&self->project, project);
  if (project != NULL)
    g_signal_connect_object (project, "notify::loaded",
                             G_CALLBACK (project_notify_loaded_cb), self, G_CONNECT_SWAPPED);

  if (self->loaded)
    select_profile (self, find_project_profile (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROJECT]);
}

/**
 * uni_board_panel_get_profiles:
 * @self: a #UniBoardPanel
 *
 * Returns: (transfer none): the user's board profiles the panel offers
 */
UniBoardProfiles *
uni_board_panel_get_profiles (UniBoardPanel *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PANEL (self), NULL);

  return self->profiles;
}

/**
 * uni_board_panel_get_profile:
 * @self: a #UniBoardPanel
 *
 * Returns: (transfer none) (nullable): the board profile shown
 */
UniBoardProfile *
uni_board_panel_get_profile (UniBoardPanel *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PANEL (self), NULL);

  return self->profile;
}

/**
 * uni_board_panel_get_status:
 * @self: a #UniBoardPanel
 *
 * Returns: (transfer none) (nullable): what the last probe of the board
 *   found, %NULL before its first answer
 */
UniBoardStatus *
uni_board_panel_get_status (UniBoardPanel *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PANEL (self), NULL);

  return self->status;
}

/**
 * uni_board_panel_add_board:
 * @self: a #UniBoardPanel
 *
 * Opens the form for a new board profile.
 */
void
uni_board_panel_add_board (UniBoardPanel *self)
{
  GtkRoot *root;
  UniBoardDialog *dialog;

  g_return_if_fail (UNI_IS_BOARD_PANEL (self));

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = uni_board_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->profiles);
  g_signal_connect_object (dialog, "added", G_CALLBACK (dialog_added_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

/**
 * uni_board_panel_get_board:
 * @self: a #UniBoardPanel
 *
 * Returns: (transfer none) (nullable): the kind of board of the profile
 *   shown, %NULL when no plugin provides it
 */
UniBoard *
uni_board_panel_get_board (UniBoardPanel *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PANEL (self), NULL);

  return self->board;
}

/**
 * uni_board_panel_refresh:
 * @self: a #UniBoardPanel
 *
 * Asks the board again now, when shown, rather than at the next poll: after
 * something changed it.
 */
void
uni_board_panel_refresh (UniBoardPanel *self)
{
  g_return_if_fail (UNI_IS_BOARD_PANEL (self));

  if (self->probe_cancellable != NULL)
    return;
  g_clear_handle_id (&self->poll_id, g_source_remove);
  probe (self);
}

/**
 * uni_board_panel_set_domain_name:
 * @self: a #UniBoardPanel
 * @name: (nullable): the domain the project's unikernel runs as, as its .xl
 *   names it; %NULL: the project's name
 *
 * The domain the panel shows as "Running NAME" and marks in the list.
 */
void
uni_board_panel_set_domain_name (UniBoardPanel *self,
                                 const char    *name)
{
  g_return_if_fail (UNI_IS_BOARD_PANEL (self));

  if (g_strcmp0 (name, self->domain_name) == 0)
    return;

  g_free (self->domain_name);
  self->domain_name = g_strdup (name);
  if (self->profile != NULL)
    update_state (self);
}

/**
 * uni_board_panel_set_activity:
 * @self: a #UniBoardPanel
 * @activity: (nullable): what is being done to the board ("Copying www.xen…"),
 *   %NULL when nothing
 *
 * Shows @activity under the state line, with a spinner.
 */
void
uni_board_panel_set_activity (UniBoardPanel *self,
                              const char    *activity)
{
  g_return_if_fail (UNI_IS_BOARD_PANEL (self));

  g_free (self->activity);
  self->activity = g_strdup (activity);
  if (self->profile != NULL)
    update_state (self);
  gtk_spinner_set_spinning (self->spinner, activity != NULL || self->probe_cancellable != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner),
                          activity != NULL || self->probe_cancellable != NULL);
}

/**
 * uni_board_panel_get_url:
 * @self: a #UniBoardPanel
 *
 * Returns: (nullable): the unikernel's page the Open button opens
 */
const char *
uni_board_panel_get_url (UniBoardPanel *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PANEL (self), NULL);

  return self->url;
}

/**
 * uni_board_panel_set_url:
 * @self: a #UniBoardPanel
 * @url: (nullable): the unikernel's page, as its console gave its address:
 *   "http://10.0.0.5:8080/"; %NULL hides the Open button
 */
void
uni_board_panel_set_url (UniBoardPanel *self,
                         const char    *url)
{
  g_autofree char *label = NULL;

  g_return_if_fail (UNI_IS_BOARD_PANEL (self));

  g_free (self->url);
  self->url = g_strdup (url);

  if (url != NULL)
    {
      /* Translators: the button that opens the unikernel's page on the board */
      label = g_strdup_printf (_("Open %s"), url);
      gtk_button_set_label (self->open_button, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->open_button), url != NULL);
}
