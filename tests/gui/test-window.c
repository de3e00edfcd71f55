/* test-window.c — the project window: file tree, branch, editors, saving
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>
#include <glib/gstdio.h>

#include "uni-directory-list.h"
#include "uni-test-util-gui.h"
#include "uni-window.h"

#define TIMEOUT_MSEC 10000

static GtkApplication *application;

typedef struct
{
  UniFileTree *tree;
  const char  *name;
} TreeName;

typedef struct
{
  GtkWidget  *root;
  const char *label;
  const char *css_class;
} LabelClass;

static UniWindow *
open_window (GFile          *dir,
             GtkApplication *app)
{
  g_autoptr(UniProject) project = uni_project_new (dir);
  UniWindow *window = uni_window_new (app, project);
  GtkStack *main_stack;

  gtk_window_present (GTK_WINDOW (window));

  /* Loaded, or showing why not. */
  main_stack = GTK_STACK (uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "main_stack"));
  while (!uni_project_get_loaded (project) &&
         g_strcmp0 (gtk_stack_get_visible_child_name (main_stack), "error") != 0)
    g_main_context_iteration (NULL, TRUE);

  return window;
}

static gboolean
page_loaded (gpointer data)
{
  return uni_editor_page_get_loaded (data);
}

static gboolean
page_not_modified (gpointer data)
{
  return !uni_editor_page_get_modified (data);
}

static gboolean
page_changed_on_disk (gpointer data)
{
  return uni_editor_page_get_changed_on_disk (data);
}

static gboolean
page_has_message (gpointer data)
{
  return uni_editor_page_get_message_title (data) != NULL;
}

static char *
dup_buffer_text (UniEditorPage *page)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (page));
  GtkTextIter begin, end;

  gtk_text_buffer_get_bounds (buffer, &begin, &end);

  return gtk_text_buffer_get_text (buffer, &begin, &end, TRUE);
}

static void
append_text (UniEditorPage *page,
             const char    *text)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (page));
  GtkTextIter end;

  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, text, -1);
}

static int
tree_position (UniFileTree *tree,
               const char  *name)
{
  GListModel *model = uni_file_tree_get_model (tree);
  guint n_items = model ? g_list_model_get_n_items (model) : 0;

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GFileInfo) info = gtk_tree_list_row_get_item (row);

      if (g_str_equal (g_file_info_get_name (info), name))
        return i;
    }

  return -1;
}

static gboolean
tree_has (gpointer data)
{
  TreeName *tn = data;

  return tree_position (tn->tree, tn->name) >= 0;
}

static gboolean
tree_lacks (gpointer data)
{
  return !tree_has (data);
}

static void
wait_tree_has (UniFileTree *tree,
               const char  *name)
{
  TreeName tn = { tree, name };

  g_assert_true (uni_test_wait_for (tree_has, &tn, TIMEOUT_MSEC));
}

static gboolean
label_has_class (gpointer data)
{
  LabelClass *lc = data;
  GtkWidget *label = uni_test_find_widget (lc->root, GTK_TYPE_LABEL, lc->label);

  if (label == NULL)
    return FALSE;
  if (lc->css_class == NULL)
    return TRUE;

  return gtk_widget_has_css_class (label, lc->css_class);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static gboolean
has_message_dialog (gpointer data)
{
  return find_message_dialog () != NULL;
}

static void
respond (const char *response)
{
  AdwMessageDialog *dialog;

  g_assert_true (uni_test_wait_for (has_message_dialog, NULL, TIMEOUT_MSEC));
  dialog = find_message_dialog ();
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static void
click (GtkWidget  *root,
       const char *name)
{
  GtkWidget *button = uni_test_find_widget (root, GTK_TYPE_BUTTON, name);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (button));
  g_signal_emit_by_name (button, "clicked");
}

static void
reset_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.unistudio.Unistudio");

  g_settings_reset (settings, "show-hidden-files");
}

static void
test_tree_lists_files (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("tree");
  UniWindow *window = open_window (dir, NULL);
  UniFileTree *tree = uni_window_get_file_tree (window);
  TreeName build = { tree, "_build" };
  TreeName hidden = { tree, ".hidden" };
  TreeName index = { tree, "index.html" };
  g_autoptr(GtkTreeListRow) htdocs_row = NULL;
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  UniEditorPage *page;
  GtkWidget *list_view;

  wait_tree_has (tree, "config.ml");
  wait_tree_has (tree, "unikernel.ml");
  wait_tree_has (tree, "htdocs");

  g_assert_cmpint (tree_position (tree, "_build"), ==, -1);
  g_assert_cmpint (tree_position (tree, ".hidden"), ==, -1);
  g_assert_cmpint (tree_position (tree, ".git"), ==, -1);

  /* Folders first, then names. */
  g_assert_cmpint (tree_position (tree, "htdocs"), <, tree_position (tree, "config.ml"));
  g_assert_cmpint (tree_position (tree, "config.ml"), <, tree_position (tree, "unikernel.ml"));

  /* Lazy: a folder's files are listed once it is expanded. */
  g_assert_cmpint (tree_position (tree, "index.html"), ==, -1);
  htdocs_row = g_list_model_get_item (uni_file_tree_get_model (tree),
                                      tree_position (tree, "htdocs"));
  gtk_tree_list_row_set_expanded (htdocs_row, TRUE);
  g_assert_true (uni_test_wait_for (tree_has, &index, TIMEOUT_MSEC));
  g_assert_cmpint (tree_position (tree, "index.html"), ==, tree_position (tree, "htdocs") + 1);

  /* Activating a file row (Enter) opens it in a tab; a folder row toggles. */
  list_view = uni_test_find_widget (GTK_WIDGET (tree), GTK_TYPE_LIST_VIEW, NULL);
  g_signal_emit_by_name (list_view, "activate", (guint) tree_position (tree, "htdocs"));
  g_assert_false (gtk_tree_list_row_get_expanded (htdocs_row));
  g_signal_emit_by_name (list_view, "activate", (guint) tree_position (tree, "config.ml"));
  page = uni_window_find_editor (window, config);
  g_assert_nonnull (page);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-files", NULL);
  g_assert_true (uni_test_wait_for (tree_has, &build, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (tree_has, &hidden, TIMEOUT_MSEC));

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-files", NULL);
  g_assert_true (uni_test_wait_for (tree_lacks, &build, TIMEOUT_MSEC));
  g_assert_cmpint (tree_position (tree, ".hidden"), ==, -1);

  reset_settings ();
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
subtitle_is (gpointer data)
{
  GtkWidget *window = data;
  AdwWindowTitle *title = ADW_WINDOW_TITLE (uni_test_find_widget (window,
                                                                  ADW_TYPE_WINDOW_TITLE,
                                                                  NULL));
  const char *expected = g_object_get_data (G_OBJECT (window), "expected");

  return g_strcmp0 (adw_window_title_get_subtitle (title), expected) == 0;
}

static void
test_branch_subtitle (void)
{
  g_autoptr(GFile) repo = uni_test_make_git_repo ("branchy");
  g_autoptr(GFile) plain = uni_test_make_tempdir ("plain-folder");
  UniWindow *window;
  AdwWindowTitle *title;

  window = open_window (repo, NULL);
  g_object_set_data (G_OBJECT (window), "expected", (gpointer) "main");
  g_assert_true (uni_test_wait_for (subtitle_is, window, TIMEOUT_MSEC));

  title = ADW_WINDOW_TITLE (uni_test_find_widget (GTK_WIDGET (window),
                                                  ADW_TYPE_WINDOW_TITLE, NULL));
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "branchy");
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "branchy"));

  /* The subtitle follows the branch. */
  uni_test_run (repo, "git", "checkout", "--quiet", "-b", "feature", NULL);
  g_object_set_data (G_OBJECT (window), "expected", (gpointer) "feature");
  g_assert_true (uni_test_wait_for (subtitle_is, window, TIMEOUT_MSEC));
  gtk_window_destroy (GTK_WINDOW (window));

  uni_test_write_file (plain, "config.ml", "open Mirage\n");
  window = open_window (plain, NULL);
  g_object_set_data (G_OBJECT (window), "expected", (gpointer) "Not a git repository");
  g_assert_true (uni_test_wait_for (subtitle_is, window, TIMEOUT_MSEC));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_manifest_and_editor (gpointer data)
{
  return adw_tab_view_get_n_pages (uni_window_get_editor_view (data)) == 2;
}

static gboolean
has_no_tab_after_load (gpointer data)
{
  return uni_project_get_loaded (uni_window_get_project (data)) &&
         adw_tab_view_get_n_pages (uni_window_get_editor_view (data)) == 0;
}

static const char *
editor_stack_child (UniWindow *window)
{
  GtkWidget *stack = uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "editor_stack");

  g_assert_nonnull (stack);
  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
editor_area_is_empty (gpointer data)
{
  return g_strcmp0 (editor_stack_child (data), "empty") == 0;
}

static void
test_opens_manifest (void)
{
  g_autoptr(GFile) project = uni_test_make_tempdir ("manifest first");
  g_autoptr(GFile) config = g_file_get_child (project, "config.ml");
  g_autoptr(GFile) empty = uni_test_make_tempdir ("no manifest");
  g_autoptr(UniProject) loading = NULL;
  UniWindow *window;
  UniEditorPage *page;
  UniManifestPage *manifest_page;
  AdwTabView *view;
  AdwTabPage *tab;

  uni_test_write_file (project, "config.ml", "open Mirage\n");
  uni_test_write_file (project, "unikernel.ml", "let x = 1\n");

  /* The Manifest form first and shown, the config.ml editor it writes to behind it. */
  window = open_window (project, NULL);
  view = uni_window_get_editor_view (window);
  g_assert_true (uni_test_wait_for (has_manifest_and_editor, window, TIMEOUT_MSEC));
  page = uni_window_find_editor (window, config);
  g_assert_nonnull (page);
  manifest_page = uni_window_get_manifest_page (window);
  g_assert_nonnull (manifest_page);
  g_assert_true (uni_manifest_page_get_editor (manifest_page) == page);
  tab = adw_tab_view_get_selected_page (view);
  g_assert_true (adw_tab_page_get_child (tab) == GTK_WIDGET (manifest_page));
  g_assert_cmpint (adw_tab_view_get_page_position (view, tab), ==, 0);
  g_assert_cmpstr (adw_tab_page_get_title (tab), ==, "Manifest");

  /* The form is a view of the editor: closing the editor closes both. */
  adw_tab_view_close_page (view, adw_tab_view_get_page (view, GTK_WIDGET (page)));
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Without a config.ml nothing is opened for the user, and only once that is
   * known does the window say "No Open Files": before, it shows nothing rather
   * than flash the empty state.
   */
  uni_test_write_file (empty, "notes.txt", "hello\n");
  loading = uni_project_new (empty);
  window = uni_window_new (NULL, loading);
  g_assert_cmpstr (editor_stack_child (window), ==, "opening");
  gtk_window_destroy (GTK_WINDOW (window));
  window = open_window (empty, NULL);
  g_assert_true (uni_test_wait_for (has_no_tab_after_load, window, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (editor_area_is_empty, window, TIMEOUT_MSEC));
  g_assert_cmpuint (adw_tab_view_get_n_pages (uni_window_get_editor_view (window)), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_git_status_class (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("status");
  UniWindow *window = open_window (dir, NULL);
  GtkWidget *tree = GTK_WIDGET (uni_window_get_file_tree (window));
  LabelClass config_row = { tree, "config.ml", NULL };
  LabelClass config_modified = { tree, "config.ml", "git-modified" };
  LabelClass new_untracked = { tree, "new.ml", "git-untracked" };
  LabelClass build_ignored = { tree, "_build", "git-ignored" };
  GtkWidget *label;

  g_assert_true (uni_test_wait_for (label_has_class, &config_row, TIMEOUT_MSEC));
  label = uni_test_find_widget (tree, GTK_TYPE_LABEL, "config.ml");
  g_assert_false (gtk_widget_has_css_class (label, "git-modified"));

  /* Changed behind our back: no save of ours tells the project. */
  uni_test_write_file (dir, "config.ml", "open Mirage\n(* changed *)\n");
  g_assert_true (uni_test_wait_for (label_has_class, &config_modified, TIMEOUT_MSEC));
  /* Not by colour alone. */
  label = uni_test_find_widget (tree, GTK_TYPE_LABEL, "config.ml");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, "Modified");

  uni_test_write_file (dir, "new.ml", "let x = 1\n");
  g_assert_true (uni_test_wait_for (label_has_class, &new_untracked, TIMEOUT_MSEC));
  label = uni_test_find_widget (tree, GTK_TYPE_LABEL, "new.ml");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (label), ==, "Untracked");

  g_action_group_activate_action (G_ACTION_GROUP (window), "show-hidden-files", NULL);
  g_assert_true (uni_test_wait_for (label_has_class, &build_ignored, TIMEOUT_MSEC));
  reset_settings ();

  /* Back to the committed text: the class goes away. */
  uni_test_run (dir, "git", "checkout", "--", "config.ml", NULL);
  label = uni_test_find_widget (tree, GTK_TYPE_LABEL, "config.ml");
  while (gtk_widget_has_css_class (label, "git-modified"))
    {
      g_main_context_iteration (NULL, TRUE);
      label = uni_test_find_widget (tree, GTK_TYPE_LABEL, "config.ml");
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_open_edit_save (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("edit");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *text = NULL;
  g_autofree char *disk = NULL;
  UniWindow *window;
  UniEditorPage *page;
  AdwTabPage *tab;
  GtkSourceLanguage *language;
  GtkTextBuffer *buffer;
  GStatBuf st;

  g_assert_cmpint (g_chmod (path, 0640), ==, 0);

  window = open_window (dir, NULL);

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  g_assert_true (uni_window_open_file (window, file) == page);
  g_assert_true (uni_window_find_editor (window, file) == page);
  g_assert_cmpint (adw_tab_view_get_n_pages (uni_window_get_editor_view (window)), ==, 1);

  text = dup_buffer_text (page);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (text, ==, disk);
  g_assert_false (uni_editor_page_get_modified (page));
  g_assert_cmpstr (uni_editor_page_get_title (page), ==, "config.ml");

  language = gtk_source_buffer_get_language (uni_editor_page_get_buffer (page));
  g_assert_nonnull (language);
  g_assert_cmpstr (gtk_source_language_get_id (language), ==, "ocaml");

  /* Loading is not undoable. */
  buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (page));
  g_assert_false (gtk_text_buffer_get_can_undo (buffer));

  append_text (page, "let () = Printf.printf \"édité\\n\"\n");
  g_assert_true (uni_editor_page_get_modified (page));
  tab = adw_tab_view_get_page (uni_window_get_editor_view (window), GTK_WIDGET (page));
  g_assert_true (g_str_has_prefix (adw_tab_page_get_title (tab), "•"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL));
  g_assert_true (uni_test_wait_for (page_not_modified, page, TIMEOUT_MSEC));

  g_clear_pointer (&text, g_free);
  g_clear_pointer (&disk, g_free);
  text = dup_buffer_text (page);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, text);
  g_assert_cmpstr (adw_tab_page_get_title (tab), ==, "config.ml");
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 07777, ==, 0640);

  /* Our own save is not a change from outside. */
  uni_test_iterate (600);
  g_assert_false (uni_editor_page_get_changed_on_disk (page));
  g_assert_null (uni_editor_page_get_message_title (page));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
buffer_equals_disk (gpointer data)
{
  UniEditorPage *page = data;
  g_autofree char *text = dup_buffer_text (page);
  g_autofree char *disk = uni_test_read_file (uni_editor_page_get_file (page));

  return g_str_equal (text, disk) && !uni_editor_page_get_changed_on_disk (page);
}

static void
test_external_change (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("external");
  g_autoptr(GFile) file = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *text = NULL;
  g_autofree char *disk = NULL;
  g_autoptr(GError) error = NULL;
  UniWindow *window = open_window (dir, NULL);
  UniEditorPage *page;

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  g_assert_false (uni_editor_page_get_changed_on_disk (page));

  /* Changed outside: ask, then reload. */
  g_file_set_contents (path, "let outside = 1\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  g_assert_nonnull (strstr (uni_editor_page_get_message_title (page), "changed on disk"));
  click (GTK_WIDGET (page), "reload-button");
  g_assert_true (uni_test_wait_for (buffer_equals_disk, page, TIMEOUT_MSEC));
  g_assert_false (uni_editor_page_get_modified (page));

  /* Changed again: keep ours; the buffer stays and will be saved over. */
  g_file_set_contents (path, "let outside = 2\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  click (GTK_WIDGET (page), "keep-button");
  g_assert_false (uni_editor_page_get_changed_on_disk (page));
  g_assert_true (uni_editor_page_get_modified (page));
  text = dup_buffer_text (page);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (text, ==, "let outside = 1\n");
  g_assert_cmpstr (disk, ==, "let outside = 2\n");

  /* The version we already answered for does not ask again. */
  uni_test_iterate (600);
  g_assert_false (uni_editor_page_get_changed_on_disk (page));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (uni_test_wait_for (page_not_modified, page, TIMEOUT_MSEC));
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, "let outside = 1\n");

  /* Deleted outside: keep ours, and the next save writes the file again. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  g_assert_nonnull (strstr (uni_editor_page_get_message_title (page), "deleted"));
  click (GTK_WIDGET (page), "keep-button");
  g_assert_false (uni_editor_page_get_changed_on_disk (page));
  g_assert_true (uni_editor_page_get_modified (page));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (uni_test_wait_for (page_not_modified, page, TIMEOUT_MSEC));
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, "let outside = 1\n");

  /* Deleted again, and closed from the banner. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  click (GTK_WIDGET (page), "close-button");
  g_assert_cmpint (adw_tab_view_get_n_pages (uni_window_get_editor_view (window)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_save_read_only (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("readonly");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autofree char *before = uni_test_read_file (file);
  g_autofree char *text = NULL;
  g_autofree char *disk = NULL;
  UniWindow *window = open_window (dir, NULL);
  UniEditorPage *page;
  GtkWidget *bar;

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));

  if (!uni_test_make_read_only (dir))
    {
      gtk_window_destroy (GTK_WINDOW (window));
      return;
    }

  append_text (page, "(* cannot be written *)\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (uni_test_wait_for (page_has_message, page, TIMEOUT_MSEC));

  g_assert_true (g_str_has_prefix (uni_editor_page_get_message_title (page), "Could not save"));
  bar = uni_test_find_widget (GTK_WIDGET (page), GTK_TYPE_INFO_BAR, "message-bar");
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (bar)));
  g_assert_cmpint (gtk_info_bar_get_message_type (GTK_INFO_BAR (bar)), ==, GTK_MESSAGE_ERROR);

  text = dup_buffer_text (page);
  disk = uni_test_read_file (file);
  g_assert_true (g_str_has_suffix (text, "(* cannot be written *)\n"));
  g_assert_true (uni_editor_page_get_modified (page));
  g_assert_cmpstr (disk, ==, before);

  /* Closing asks; Save All fails, so the window stays open with the text. */
  gtk_window_close (GTK_WINDOW (window));
  respond ("save");
  uni_test_iterate (500);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (uni_editor_page_get_modified (page));
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (page);
  g_assert_true (g_str_has_suffix (text, "(* cannot be written *)\n"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
window_gone (gpointer data)
{
  GtkWidget **window = data;

  return *window == NULL;
}

static void
test_close_unsaved (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("unsaved");
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  g_autoptr(GFile) unikernel = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *before = uni_test_read_file (config);
  g_autofree char *disk = NULL;
  UniWindow *window = open_window (dir, NULL);
  AdwTabView *view = uni_window_get_editor_view (window);
  UniEditorPage *page;
  UniEditorPage *other;

  page = uni_window_open_file (window, config);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "(* draft *)\n");

  /* Cancel keeps the tab, Discard closes it and leaves the file alone. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  respond ("cancel");
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  respond ("discard");
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 0);
  disk = uni_test_read_file (config);
  g_assert_cmpstr (disk, ==, before);

  /* Save writes, then closes. */
  page = uni_window_open_file (window, config);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "(* kept *)\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  respond ("save");
  while (adw_tab_view_get_n_pages (view) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (config);
  g_assert_true (g_str_has_suffix (disk, "(* kept *)\n"));

  /* Closing the window with two unsaved files saves both. */
  page = uni_window_open_file (window, config);
  other = uni_window_open_file (window, unikernel);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (page_loaded, other, TIMEOUT_MSEC));
  append_text (page, "(* one *)\n");
  append_text (other, "(* two *)\n");
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  respond ("save");
  g_assert_true (uni_test_wait_for (window_gone, &window, TIMEOUT_MSEC));
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (config);
  g_assert_true (g_str_has_suffix (disk, "(* one *)\n"));
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (unikernel);
  g_assert_true (g_str_has_suffix (disk, "(* two *)\n"));
}

static void
test_path_with_spaces (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("my proj 'quoted' \"x\"");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autofree char *disk = NULL;
  UniWindow *window;
  UniEditorPage *page;

  uni_test_write_file (dir, "config.ml", "open Mirage\n");
  uni_test_write_file (dir, "dune", "(executable (name main))\n");
  window = open_window (dir, NULL);
  wait_tree_has (uni_window_get_file_tree (window), "config.ml");
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "my proj 'quoted' \"x\""));

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "let () = ()\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (uni_test_wait_for (page_not_modified, page, TIMEOUT_MSEC));
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, "open Mirage\nlet () = ()\n");

  {
    g_autoptr(GFile) dune = g_file_get_child (dir, "dune");
    UniEditorPage *dune_page = uni_window_open_file (window, dune);
    GtkSourceLanguage *language;

    g_assert_true (uni_test_wait_for (page_loaded, dune_page, TIMEOUT_MSEC));
    language = gtk_source_buffer_get_language (uni_editor_page_get_buffer (dune_page));
    g_assert_cmpstr (gtk_source_language_get_id (language), ==, "scheme");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_not_utf8 (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("latin1");
  g_autoptr(GFile) file = g_file_get_child (dir, "notes.txt");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  UniWindow *window;
  UniEditorPage *page;

  g_file_set_contents (path, "caf\xe9\n", -1, &error);
  g_assert_no_error (error);

  window = open_window (dir, NULL);
  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  g_assert_true (uni_editor_page_get_read_only (page));
  g_assert_nonnull (uni_editor_page_get_message_title (page));
  g_assert_false (gtk_text_view_get_editable (GTK_TEXT_VIEW (uni_editor_page_get_view (page))));

  /* Never written back: a lossy conversion would destroy the file. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  uni_test_iterate (300);
  {
    g_autofree char *disk = NULL;
    gsize length = 0;

    g_file_get_contents (path, &disk, &length, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (disk, length, "caf\xe9\n", 5);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_load_error (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("gone");
  g_autoptr(GFile) missing = g_file_get_child (dir, "missing");
  UniWindow *window = open_window (missing, NULL);
  GtkWidget *stack = uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "main_stack");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "error");
  g_assert_nonnull (uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, "_Close"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_screenshot (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("www");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autofree char *empty = NULL;
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  UniFileTree *tree;
  UniWindow *window;
  UniEditorPage *page;
  g_autoptr(GtkTreeListRow) htdocs = NULL;
  LabelClass modified = { NULL, "unikernel.ml", "git-modified" };
  LabelClass untracked = { NULL, "server.ml", "git-untracked" };

  uni_test_write_file (dir, "unikernel.ml",
                       "module Main (S : Tcpip.Stack.V4V6) = struct\n"
                       "  let start s = Lwt.return_unit\n"
                       "end\n");
  uni_test_write_file (dir, "server.ml", "let port = 8080\n");
  uni_test_write_file (dir, "dune", "(rule (copy config.ml main.ml))\n");

  window = open_window (dir, application);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  tree = uni_window_get_file_tree (window);
  wait_tree_has (tree, "htdocs");
  htdocs = g_list_model_get_item (uni_file_tree_get_model (tree),
                                  tree_position (tree, "htdocs"));
  gtk_tree_list_row_set_expanded (htdocs, TRUE);
  wait_tree_has (tree, "index.html");

  modified.root = untracked.root = GTK_WIDGET (tree);
  g_assert_true (uni_test_wait_for (label_has_class, &modified, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (label_has_class, &untracked, TIMEOUT_MSEC));

  empty = uni_test_screenshot (GTK_WIDGET (window), "project-window-empty");
  g_assert_true (g_file_test (empty, G_FILE_TEST_EXISTS));

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));

  light = uni_test_screenshot (GTK_WIDGET (window), "project-window");
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));

  uni_test_set_dark (TRUE);
  dark = uni_test_screenshot (GTK_WIDGET (window), "project-window-dark");
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  uni_test_set_dark (FALSE);

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GListModel *model;
  const char *name;
} ModelName;

static int
model_position (GListModel *model,
                const char *name)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GFileInfo) info = gtk_tree_list_row_get_item (row);

      if (g_str_equal (g_file_info_get_name (info), name))
        return i;
    }

  return -1;
}

static gboolean
model_has (gpointer data)
{
  ModelName *mn = data;

  return model_position (mn->model, mn->name) >= 0;
}

static GtkWidget *
find_label_containing (GtkWidget  *root,
                       const char *text)
{
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_label (GTK_LABEL (root)), text) != NULL)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label_containing (child, text);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
page_not_loading (gpointer data)
{
  return !uni_editor_page_get_loading (data);
}

static GError *
save_page (UniEditorPage *page)
{
  UniTestAsync async = { NULL };
  GError *error = NULL;

  uni_editor_page_save_async (page, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, TIMEOUT_MSEC));
  if (uni_editor_page_save_finish (page, async.result, &error))
    g_assert_no_error (error);
  g_clear_object (&async.result);

  return error;
}

static void
test_save_all_typed_meanwhile (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("typed meanwhile");
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  g_autofree char *disk = NULL;
  UniWindow *window = open_window (dir, NULL);
  UniEditorPage *page;

  page = uni_window_open_file (window, config);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "(* one *)\n");

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  respond ("save");

  /* Typed while Save All writes in its thread: not on disk, so ask again. */
  append_text (page, "(* two *)\n");
  g_assert_true (uni_test_wait_for (has_message_dialog, NULL, TIMEOUT_MSEC));
  g_assert_nonnull (window);
  g_assert_true (uni_editor_page_get_modified (page));
  disk = uni_test_read_file (config);
  g_assert_true (g_str_has_suffix (disk, "(* one *)\n"));

  respond ("save");
  g_assert_true (uni_test_wait_for (window_gone, &window, TIMEOUT_MSEC));
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (config);
  g_assert_true (g_str_has_suffix (disk, "(* one *)\n(* two *)\n"));
}

static void
test_save_all_nothing_left (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("nothing left");
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  g_autofree char *disk = NULL;
  UniWindow *window = open_window (dir, NULL);
  UniEditorPage *page;

  page = uni_window_open_file (window, config);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "(* saved meanwhile *)\n");

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (uni_test_wait_for (has_message_dialog, NULL, TIMEOUT_MSEC));

  /* Ctrl+S while the question is up: Save All then has nothing to wait for. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.save", NULL);
  g_assert_true (uni_test_wait_for (page_not_modified, page, TIMEOUT_MSEC));
  respond ("save");
  g_assert_true (uni_test_wait_for (window_gone, &window, TIMEOUT_MSEC));

  disk = uni_test_read_file (config);
  g_assert_true (g_str_has_suffix (disk, "(* saved meanwhile *)\n"));
}

static void
test_deleted_asks (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("deleted asks");
  g_autoptr(GFile) file = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *before = uni_test_read_file (file);
  g_autofree char *disk = NULL;
  g_autoptr(GError) error = NULL;
  UniWindow *window = open_window (dir, NULL);
  AdwTabView *view = uni_window_get_editor_view (window);
  UniEditorPage *page;
  AdwTabPage *tab;

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  tab = adw_tab_view_get_page (view, GTK_WIDGET (page));
  g_assert_cmpstr (adw_tab_page_get_indicator_tooltip (tab), ==, "");

  /* Deleted, not edited: the buffer is the only copy, so closing asks. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  g_assert_true (uni_editor_page_get_deleted_on_disk (page));
  g_assert_cmpstr (adw_tab_page_get_indicator_tooltip (tab), ==, "Deleted on disk");
  g_assert_true (uni_editor_page_get_modified (page));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  g_assert_true (uni_test_wait_for (has_message_dialog, NULL, TIMEOUT_MSEC));
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);
  respond ("cancel");
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);

  /* Back as it was: nothing is lost any more, nothing to ask. */
  g_file_set_contents (path, before, -1, &error);
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (page_not_modified, page, TIMEOUT_MSEC));
  g_assert_false (uni_editor_page_get_changed_on_disk (page));
  g_assert_cmpstr (adw_tab_page_get_indicator_tooltip (tab), ==, "");

  /* Deleted again; Save in the question writes it again, then closes. */
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  respond ("save");
  while (adw_tab_view_get_n_pages (view) > 0)
    g_main_context_iteration (NULL, TRUE);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, before);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_save_keeps_outside_change (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("outside wins");
  g_autoptr(GFile) file = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *disk = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  UniWindow *window = open_window (dir, NULL);
  AdwTabView *view = uni_window_get_editor_view (window);
  UniEditorPage *page;
  AdwTabPage *tab;

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  tab = adw_tab_view_get_page (view, GTK_WIDGET (page));
  append_text (page, "(* mine *)\n");

  /* The banner asks; saving does not answer for the user. */
  g_file_set_contents (path, "let outside = 1\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  g_assert_cmpstr (adw_tab_page_get_indicator_tooltip (tab), ==, "Changed on disk");
  error = save_page (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_clear_error (&error);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, "let outside = 1\n");
  g_assert_true (uni_editor_page_get_changed_on_disk (page));

  /* Nor does Save in the close question: the tab stays and a toast says why. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  respond ("save");
  uni_test_iterate (200);
  g_assert_cmpint (adw_tab_view_get_n_pages (view), ==, 1);
  g_assert_nonnull (find_label_containing (GTK_WIDGET (window), "changed on disk"));

  /* Changed again before the page could look: the save itself notices. */
  click (GTK_WIDGET (page), "keep-button");
  g_file_set_contents (path, "let outside = 2\n", -1, &error);
  g_assert_no_error (error);
  error = save_page (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WRONG_ETAG);
  g_clear_error (&error);
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, "let outside = 2\n");
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  g_assert_false (uni_editor_page_get_deleted_on_disk (page));
  g_assert_true (uni_editor_page_get_modified (page));

  /* Keep Mine is the way to save over it. */
  click (GTK_WIDGET (page), "keep-button");
  error = save_page (page);
  g_assert_no_error (error);
  text = dup_buffer_text (page);
  g_clear_pointer (&disk, g_free);
  disk = uni_test_read_file (file);
  g_assert_cmpstr (disk, ==, text);
  g_assert_true (g_str_has_suffix (disk, "(* mine *)\n"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_reload_undo (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("reload undo");
  g_autoptr(GFile) file = g_file_get_child (dir, "unikernel.ml");
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *mine = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  UniWindow *window = open_window (dir, NULL);
  UniEditorPage *page;
  GtkTextView *view;
  GtkTextBuffer *buffer;

  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  view = GTK_TEXT_VIEW (uni_editor_page_get_view (page));
  buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (page));
  append_text (page, "(* unsaved *)\n");
  mine = dup_buffer_text (page);

  g_file_set_contents (path, "let outside = 1\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (page_changed_on_disk, page, TIMEOUT_MSEC));
  click (GTK_WIDGET (page), "reload-button");

  /* While the text is being replaced it can be neither typed into nor saved. */
  g_assert_true (uni_editor_page_get_loading (page));
  g_assert_false (gtk_text_view_get_editable (view));
  error = save_page (page);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
  g_clear_error (&error);

  g_assert_true (uni_test_wait_for (page_not_loading, page, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (buffer_equals_disk, page, TIMEOUT_MSEC));
  g_assert_true (gtk_text_view_get_editable (view));
  g_assert_false (uni_editor_page_get_modified (page));

  /* One undo brings back what the reload replaced. */
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
  gtk_text_buffer_undo (buffer);
  text = dup_buffer_text (page);
  g_assert_cmpstr (text, ==, mine);
  g_assert_true (uni_editor_page_get_modified (page));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_tree_model_outlives_tree (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("outlived");
  UniWindow *window = open_window (dir, NULL);
  UniFileTree *tree = uni_window_get_file_tree (window);
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GtkTreeListRow) htdocs = NULL;
  ModelName index = { NULL, "index.html" };
  ModelName htdocs_name = { NULL, "htdocs" };

  wait_tree_has (tree, "htdocs");
  model = g_object_ref (uni_file_tree_get_model (tree));
  index.model = htdocs_name.model = model;

  g_object_add_weak_pointer (G_OBJECT (tree), (gpointer *) &tree);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (uni_test_wait_for (window_gone, &tree, TIMEOUT_MSEC));

  /* Expanding builds a child model with what the tree left behind. */
  g_assert_true (uni_test_wait_for (model_has, &htdocs_name, TIMEOUT_MSEC));
  htdocs = g_list_model_get_item (model, model_position (model, "htdocs"));
  gtk_tree_list_row_set_expanded (htdocs, TRUE);
  g_assert_true (uni_test_wait_for (model_has, &index, TIMEOUT_MSEC));
}

static void
test_directory_list_drops (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("dropped");
  UniDirectoryList *list;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("file-%u.ml", i);

      uni_test_write_file (dir, name, "let x = 1\n");
    }

  /* A collapsed folder's list goes at once, cancelling its listing. */
  list = uni_directory_list_new (dir, G_FILE_ATTRIBUTE_STANDARD_NAME);
  g_assert_true (uni_directory_list_is_loading (list));
  g_assert_finalize_object (list);
  uni_test_iterate (200);
}

static gboolean
list_loaded (gpointer data)
{
  return !uni_directory_list_is_loading (data) && g_list_model_get_n_items (data) == 1;
}

static void
test_directory_list_keeps_unreadable (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("unreadable");
  g_autoptr(GFile) sub = g_file_get_child (dir, "sub");
  g_autoptr(GFile) moved = g_file_get_child (dir, "moved");
  g_autoptr(UniDirectoryList) list = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "sub/a.ml", "let a = 1\n");
  list = uni_directory_list_new (sub, G_FILE_ATTRIBUTE_STANDARD_NAME);
  g_assert_true (uni_test_wait_for (list_loaded, list, TIMEOUT_MSEC));

  /* Events for a.ml are queued, then looking at it fails with an error
   * other than "not found" (here NOT_DIRECTORY, which even root gets): the
   * row stays as it was rather than vanish.
   */
  uni_test_write_file (sub, "a.ml", "let a = 2\n");
  g_file_move (sub, moved, G_FILE_COPY_NONE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  uni_test_write_file (dir, "sub", "not a folder\n");
  uni_test_iterate (500);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

static void
test_close_after_destroy (void)
{
  g_autoptr(GFile) dir = uni_test_make_git_repo ("destroyed");
  g_autoptr(GFile) config = g_file_get_child (dir, "config.ml");
  UniWindow *window;
  UniEditorPage *page;
  AdwMessageDialog *dialog;

  /* The question goes with the window, unanswered. */
  window = open_window (dir, NULL);
  page = uni_window_open_file (window, config);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "(* asked *)\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  g_assert_true (uni_test_wait_for (has_message_dialog, NULL, TIMEOUT_MSEC));
  dialog = find_message_dialog ();
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (uni_test_wait_for (window_gone, &dialog, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (window_gone, &window, TIMEOUT_MSEC));

  /* The window goes while the tab's save runs. */
  window = open_window (dir, NULL);
  page = uni_window_open_file (window, config);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  append_text (page, "(* saving *)\n");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  respond ("save");
  gtk_window_destroy (GTK_WINDOW (window));
  uni_test_iterate (500);
}

static void
test_read_only_close (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("latin1 close");
  g_autoptr(GFile) file = g_file_get_child (dir, "notes.txt");
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GError) error = NULL;
  UniWindow *window;
  UniEditorPage *page;
  AdwMessageDialog *dialog;

  g_file_set_contents (path, "caf\xe9\n", -1, &error);
  g_assert_no_error (error);
  window = open_window (dir, NULL);
  page = uni_window_open_file (window, file);
  g_assert_true (uni_test_wait_for (page_loaded, page, TIMEOUT_MSEC));
  g_assert_true (uni_editor_page_get_read_only (page));

  /* Unsaved, but it can never be saved from here: Save is not offered. */
  gtk_text_buffer_set_modified (GTK_TEXT_BUFFER (uni_editor_page_get_buffer (page)), TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.close-tab", NULL);
  g_assert_true (uni_test_wait_for (has_message_dialog, NULL, TIMEOUT_MSEC));
  dialog = find_message_dialog ();
  g_assert_true (adw_message_dialog_has_response (dialog, "discard"));
  g_assert_false (adw_message_dialog_has_response (dialog, "save"));
  respond ("discard");
  g_assert_cmpint (adw_tab_view_get_n_pages (uni_window_get_editor_view (window)), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  uni_test_gui_init (&argc, &argv);

  /* A registered application loads style.css and the shortcuts window, as
   * in the real program; windows without one must work as well.
   */
  application = GTK_APPLICATION (adw_application_new ("io.github.unistudio.Unistudio.TestWindow",
                                                      G_APPLICATION_NON_UNIQUE));
  g_application_set_resource_base_path (G_APPLICATION (application),
                                        "/io/github/unistudio/Unistudio");
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/uni/window/tree-lists-files", test_tree_lists_files);
  g_test_add_func ("/uni/window/branch-subtitle", test_branch_subtitle);
  g_test_add_func ("/uni/window/git-status-class", test_git_status_class);
  g_test_add_func ("/uni/window/opens-manifest", test_opens_manifest);
  g_test_add_func ("/uni/window/open-edit-save", test_open_edit_save);
  g_test_add_func ("/uni/window/external-change", test_external_change);
  g_test_add_func ("/uni/window/save-read-only", test_save_read_only);
  g_test_add_func ("/uni/window/close-unsaved", test_close_unsaved);
  g_test_add_func ("/uni/window/path-with-spaces", test_path_with_spaces);
  g_test_add_func ("/uni/window/not-utf8", test_not_utf8);
  g_test_add_func ("/uni/window/load-error", test_load_error);
  g_test_add_func ("/uni/window/screenshot", test_screenshot);
  g_test_add_func ("/uni/window/save-all-typed-meanwhile", test_save_all_typed_meanwhile);
  g_test_add_func ("/uni/window/save-all-nothing-left", test_save_all_nothing_left);
  g_test_add_func ("/uni/window/deleted-asks", test_deleted_asks);
  g_test_add_func ("/uni/window/save-keeps-outside-change", test_save_keeps_outside_change);
  g_test_add_func ("/uni/window/reload-undo", test_reload_undo);
  g_test_add_func ("/uni/window/tree-model-outlives-tree", test_tree_model_outlives_tree);
  g_test_add_func ("/uni/window/directory-list-drops", test_directory_list_drops);
  g_test_add_func ("/uni/window/directory-list-keeps-unreadable",
                   test_directory_list_keeps_unreadable);
  g_test_add_func ("/uni/window/close-after-destroy", test_close_after_destroy);
  g_test_add_func ("/uni/window/read-only-close", test_read_only_close);

  ret = g_test_run ();

  g_object_unref (application);

  return ret;
}
