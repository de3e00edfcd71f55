/* uni-test-util-gui.c — helpers for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <gtksourceview/gtksource.h>

#include <glib/gstdio.h>

#include "uni-test-util-gui.h"

/* Set while a screenshot is snapshotted, outside GTK's own frame. */
static gboolean taking_shot;

/* GTK 4.8's GtkText warns when a window is hidden while an entry holds the focus
 * and the X server (no window manager here) never sends the focus-out. It is
 * GTK's own bookkeeping, not ours: keep it in the log but not fatal. The same
 * goes for a screenshot taken from after-paint while a child just queued a new
 * layout (an AdwTabView given a page): GTK warns that it has no current
 * allocation and draws it as it was. GTK logs structured, where
 * g_log_writer_default() is what makes warnings fatal, so the exceptions live
 * in a writer.
 */
static GLogWriterOutput
log_writer (GLogLevelFlags   log_level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }

  if ((log_level & G_LOG_LEVEL_WARNING) != 0 &&
      g_strcmp0 (domain, "Gtk") == 0 &&
      message != NULL &&
      (strstr (message, "did not receive a focus-out event") != NULL ||
       (taking_shot && strstr (message, "without a current allocation") != NULL)))
    return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
uni_test_gui_init (int    *argc,
                   char ***argv)
{
  g_auto(GStrv) data_dirs = NULL;
  g_autoptr(GPtrArray) mime_dirs = g_ptr_array_new_with_free_func (g_free);
  GtkIconTheme *icon_theme;
  const char *env = g_getenv ("XDG_DATA_DIRS");

  /* Isolated test folders hide the system's MIME database, icon themes and
   * GtkSourceView languages; without them icons do not load (a fatal warning),
   * screenshots show broken images and no file gets highlighted.
   */
  data_dirs = g_strsplit (env != NULL && *env != '\0' ? env : "/usr/local/share:/usr/share",
                          ":", -1);
  for (guint i = 0; data_dirs[i] != NULL; i++)
    g_ptr_array_add (mime_dirs, g_build_filename (data_dirs[i], "mime", NULL));
  g_ptr_array_add (mime_dirs, NULL);
  g_content_type_set_mime_dirs ((const char * const *) mime_dirs->pdata);

  g_log_set_writer_func (log_writer, NULL, NULL);
  uni_test_init (argc, argv);

  gtk_init ();
  adw_init ();
  gtk_source_init ();

  icon_theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  for (guint i = 0; data_dirs[i] != NULL; i++)
    {
      g_autofree char *icons = g_build_filename (data_dirs[i], "icons", NULL);

      g_autofree char *languages = g_build_filename (data_dirs[i], "gtksourceview-5",
                                                     "language-specs", NULL);
      g_autofree char *styles = g_build_filename (data_dirs[i], "gtksourceview-5",
                                                  "styles", NULL);

      gtk_icon_theme_add_search_path (icon_theme, icons);
      gtk_source_language_manager_append_search_path (gtk_source_language_manager_get_default (),
                                                      languages);
      gtk_source_style_scheme_manager_append_search_path (
        gtk_source_style_scheme_manager_get_default (), styles);
    }

  uni_test_set_dark (FALSE);
}

void
uni_test_set_dark (gboolean dark)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      dark ? ADW_COLOR_SCHEME_FORCE_DARK
                                           : ADW_COLOR_SCHEME_FORCE_LIGHT);
}

void
uni_test_wait_for_draw (GtkWidget *widget)
{
  g_assert_true (GTK_IS_WIDGET (widget));

  gtk_test_widget_wait_for_draw (widget);
  /* Idle work queued by the first frame (list rows, size changes) settles in a few cycles. */
  uni_test_iterate (50);
  gtk_test_widget_wait_for_draw (widget);
}

typedef struct
{
  GtkWidget  *widget;
  GdkTexture *texture;
} Shot;

/* Right after a frame is painted, every widget has a current allocation: taking
 * the snapshot there (and not a main-loop turn later, when an idle may have
 * switched a stack page) gives what the user saw.
 */
static void
shot_after_paint_cb (GdkFrameClock *frame_clock,
                     Shot          *shot)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (shot->widget);
  int height = gtk_widget_get_height (shot->widget);

  g_signal_handlers_disconnect_by_func (frame_clock, shot_after_paint_cb, shot);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  taking_shot = TRUE;
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  taking_shot = FALSE;
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (shot->widget));
  shot->texture = gsk_renderer_render_texture (renderer, node,
                                               &GRAPHENE_RECT_INIT (0, 0, width, height));
}

static gboolean
shot_taken (gpointer data)
{
  return ((Shot *) data)->texture != NULL;
}

/**
 * uni_test_screenshot:
 * @widget: a realized widget, usually a window
 * @name: the file name without extension
 *
 * Renders @widget as it is drawn on screen into
 * $UNISTUDIO_SCREENSHOT_DIR/@name.png.
 *
 * Returns: (transfer full): the path written
 */
char *
uni_test_screenshot (GtkWidget  *widget,
                     const char *name)
{
  g_autofree char *file_name = NULL;
  g_autofree char *path = NULL;
  Shot shot = { widget, NULL };
  GdkFrameClock *frame_clock;
  const char *dir;

  uni_test_wait_for_draw (widget);

  dir = g_getenv ("UNISTUDIO_SCREENSHOT_DIR");
  if (dir == NULL)
    dir = g_get_tmp_dir ();
  g_assert_no_errno (g_mkdir_with_parents (dir, 0755));

  frame_clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (frame_clock);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (shot_after_paint_cb), &shot);
  gtk_widget_queue_draw (widget);
  g_assert_true (uni_test_wait_for (shot_taken, &shot, 10000));

  file_name = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file_name, NULL);
  g_assert_true (gdk_texture_save_to_png (shot.texture, path));
  g_object_unref (shot.texture);
  g_test_message ("screenshot: %s", path);

  return g_steal_pointer (&path);
}

static gboolean
widget_matches (GtkWidget  *widget,
                GType       type,
                const char *name_or_label)
{
  const char *text = NULL;

  if (!g_type_is_a (G_OBJECT_TYPE (widget), type))
    return FALSE;
  if (name_or_label == NULL)
    return TRUE;
  if (g_strcmp0 (gtk_widget_get_name (widget), name_or_label) == 0)
    return TRUE;
  if (g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (widget)), name_or_label) == 0)
    return TRUE;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_label (GTK_LABEL (widget));
  else if (GTK_IS_BUTTON (widget))
    text = gtk_button_get_label (GTK_BUTTON (widget));
  else if (ADW_IS_PREFERENCES_ROW (widget))
    text = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  else if (ADW_IS_STATUS_PAGE (widget))
    text = adw_status_page_get_title (ADW_STATUS_PAGE (widget));

  return g_strcmp0 (text, name_or_label) == 0;
}

/**
 * uni_test_find_widget:
 * @root: where to start
 * @type: the type wanted (G_TYPE_NONE or GTK_TYPE_WIDGET for any)
 * @name_or_label: (nullable): a widget name, a buildable id, a label,
 *   a button label or a row title
 *
 * Returns: (transfer none) (nullable): the first match, depth first
 */
GtkWidget *
uni_test_find_widget (GtkWidget  *root,
                      GType       type,
                      const char *name_or_label)
{
  if (type == G_TYPE_NONE)
    type = GTK_TYPE_WIDGET;

  if (widget_matches (root, type, name_or_label))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = uni_test_find_widget (child, type, name_or_label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/**
 * uni_test_screenshot_both:
 * @widget: a realized widget, usually a window
 * @name: the file name without extension
 *
 * Screenshots of @widget in the light style as @name.png and in the dark
 * one as @name-dark.png; the light style is back afterwards.
 */
void
uni_test_screenshot_both (GtkWidget  *widget,
                          const char *name)
{
  g_autofree char *dark_name = g_strconcat (name, "-dark", NULL);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;

  light = uni_test_screenshot (widget, name);
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  uni_test_set_dark (TRUE);
  dark = uni_test_screenshot (widget, dark_name);
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  uni_test_set_dark (FALSE);
}

/**
 * uni_test_make_application:
 * @application_id: the test program's own id
 *
 * Returns: (transfer full): a registered, non-unique application that
 *   takes style.css and the icons from our resources, as the real program
 *   does
 */
GtkApplication *
uni_test_make_application (const char *application_id)
{
  GtkApplication *application = GTK_APPLICATION (adw_application_new (application_id,
                                                                      G_APPLICATION_NON_UNIQUE));

  g_application_set_resource_base_path (G_APPLICATION (application),
                                        "/io/github/unistudio/Unistudio");
  g_assert_true (g_application_register (G_APPLICATION (application), NULL, NULL));

  return application;
}

/**
 * uni_test_open_window:
 * @application: the test's application
 * @dir: a project folder
 *
 * Returns: (transfer none): a project window of @dir, 1200×800, shown and
 *   with its project loaded
 */
UniWindow *
uni_test_open_window (GtkApplication *application,
                      GFile          *dir)
{
  g_autoptr(UniProject) project = uni_project_new (dir);
  UniWindow *window = uni_window_new (application, project);

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_window_present (GTK_WINDOW (window));

  while (!uni_project_get_loaded (project))
    g_main_context_iteration (NULL, TRUE);

  return window;
}

/**
 * uni_test_not_building:
 * @window: a #UniWindow
 *
 * A #UniTestCondition: no build (nor the build of a Run) is under way.
 */
gboolean
uni_test_not_building (gpointer window)
{
  return !uni_window_get_building (window);
}

/**
 * uni_test_find_dialog:
 * @parent: a window
 *
 * Returns: (transfer none) (nullable): the message dialog shown for @parent
 */
AdwMessageDialog *
uni_test_find_dialog (GtkWindow *parent)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_window_get_transient_for (toplevel) == parent)
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
terminal_drained (gpointer data)
{
  return uni_terminal_page_get_backlog (data) == 0;
}

/**
 * uni_test_wait_terminal_text:
 * @page: a terminal page
 * @needle: the text awaited
 * @timeout_ms: how long to wait at the most
 *
 * vte_terminal_feed() parses later: waits until what @page was fed is in
 * its terminal and holds @needle, or @timeout_ms passed.
 *
 * Returns: (transfer full): the terminal's text, with @needle unless the
 *   time ran out
 */
char *
uni_test_wait_terminal_text (UniTerminalPage *page,
                             const char      *needle,
                             guint            timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_assert_true (uni_test_wait_for (terminal_drained, page, timeout_ms));

  for (;;)
    {
      g_autofree char *text = uni_terminal_page_dup_text (page);

      if (strstr (text, needle) != NULL || g_get_monotonic_time () > deadline)
        return g_steal_pointer (&text);
      uni_test_iterate (50);
    }
}

/**
 * uni_test_install_browser:
 *
 * Registers the desktop's default http handler the real way, as a user's
 * browser would be: a .desktop file with MimeType=x-scheme-handler/http in
 * the user data folder, made the default in mimeapps.list. The handler
 * appends each URL it is given to a file.
 *
 * Returns: (transfer full): the file the handler writes the URLs to
 */
GFile *
uni_test_install_browser (void)
{
  g_autoptr(GFile) bin = uni_test_make_tempdir ("browser bin");
  g_autoptr(GFile) opened = g_file_get_child (bin, "opened");
  g_autoptr(GFile) data_dir = g_file_new_for_path (g_get_user_data_dir ());
  g_autoptr(GFile) config_dir = g_file_new_for_path (g_get_user_config_dir ());
  g_autoptr(GFile) browser = g_file_get_child (bin, "browser");
  g_autofree char *script = NULL;
  g_autofree char *desktop = NULL;

  script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >>'%s'\n",
                            g_file_peek_path (opened));
  uni_test_write_file (bin, "browser", script);
  g_assert_cmpint (g_chmod (g_file_peek_path (browser), 0755), ==, 0);

  desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                             "Exec=\"%s\" %%u\nMimeType=x-scheme-handler/http;\n",
                             g_file_peek_path (browser));
  uni_test_write_file (data_dir, "applications/test-browser.desktop", desktop);
  uni_test_write_file (config_dir, "mimeapps.list",
                       "[Default Applications]\nx-scheme-handler/http=test-browser.desktop\n");

  return g_steal_pointer (&opened);
}
