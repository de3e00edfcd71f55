/* test-manifest-page.c — config.ml as a form, sharing the editor's buffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-test-util-gui.h"
#include "uni-window.h"

#define TIMEOUT_MSEC 10000

static GtkApplication *application;

static const char config_2_9[] =
  "open Mirage\n"
  "\n"
  "let port = Key.create \"port\" Key.Arg.(opt int 8080 (info ~doc:\"The port\" [\"port\"]))\n"
  "\n"
  "let main = foreign ~keys:[Key.abstract port] \"Unikernel.Main\" (console @-> job)\n"
  "\n"
  "let () = register \"www\" [ main $ default_console ]\n";

static const char config_3[] =
  "open Mirage\n"
  "\n"
  "let main =\n"
  "  foreign\n"
  "    ~packages:[ package \"duration\" ]\n"
  "    \"Unikernel.Main\" (console @-> job)\n"
  "\n"
  "let () = register \"hello\" [ main $ default_console ]\n";

static const char config_network[] =
  "(* mirage >= 4.5.0 & < 4.12.0 *)\n"
  "open Mirage\n"
  "\n"
  "let main = main \"Unikernel.Main\" (stackv4v6 @-> job)\n"
  "let stack = generic_stackv4v6 default_network\n"
  "let () = register \"net\" [ main $ stack ]\n";

typedef struct
{
  UniWindow       *window;
  UniManifestPage *page;
  UniEditorPage   *editor;
  GtkTextBuffer   *buffer;
} Fixture;

static gboolean
manifest_page_ready (gpointer data)
{
  UniWindow *window = data;
  UniManifestPage *page = uni_window_get_manifest_page (window);

  return page != NULL &&
         uni_editor_page_get_loaded (uni_manifest_page_get_editor (page)) &&
         uni_manifest_page_get_manifest (page) != NULL;
}

static void
open_project (Fixture *fixture,
              GFile   *dir)
{
  g_autoptr(UniProject) project = uni_project_new (dir);

  fixture->window = uni_window_new (application, project);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (fixture->window));

  g_assert_true (uni_test_wait_for (manifest_page_ready, fixture->window, TIMEOUT_MSEC));

  fixture->page = uni_window_get_manifest_page (fixture->window);
  fixture->editor = uni_manifest_page_get_editor (fixture->page);
  fixture->buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (fixture->editor));
}

static GFile *
make_project (const char *name,
              const char *config)
{
  GFile *dir = uni_test_make_tempdir (name);

  uni_test_write_file (dir, "config.ml", config);

  return dir;
}

/* The 2048 demo as the user would open it: config.ml with its runtime
 * argument, unikernel.ml declaring it (--port, default 8080).
 */
static GFile *
copy_demo (void)
{
  g_autoptr(GFile) demo = g_file_new_build_filename (g_getenv ("UNISTUDIO_DATADIR"),
                                                     "demos", "2048", NULL);
  GFile *dir = uni_test_make_tempdir ("2048");
  const char *names[] = { "config.ml", "unikernel.ml", "README.md" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GFile) source = g_file_get_child (demo, names[i]);
      g_autofree char *contents = uni_test_read_file (source);

      uni_test_write_file (dir, names[i], contents);
    }
  uni_test_write_file (dir, "htdocs/index.html", "<!doctype html>\n<title>2048</title>\n");

  return dir;
}

static char *
dup_buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter begin, end;

  gtk_text_buffer_get_bounds (buffer, &begin, &end);

  return gtk_text_buffer_get_text (buffer, &begin, &end, TRUE);
}

static GtkWidget *
find (Fixture    *fixture,
      GType       type,
      const char *name)
{
  GtkWidget *widget = uni_test_find_widget (GTK_WIDGET (fixture->page), type, name);

  if (widget == NULL)
    g_error ("No %s “%s” on the manifest page", g_type_name (type), name);

  return widget;
}

static GtkWidget *
find_in (GtkWidget  *root,
         GType       type,
         const char *name)
{
  GtkWidget *widget = uni_test_find_widget (root, type, name);

  if (widget == NULL)
    g_error ("No %s “%s” in %s", g_type_name (type), name, gtk_widget_get_name (root));

  return widget;
}

static const char *
visible_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (find (fixture, GTK_TYPE_STACK, "stack")));
}

static void
close_window (Fixture *fixture)
{
  /* Unsaved form edits are edits of the buffer: leave without asking. */
  gtk_text_buffer_set_modified (fixture->buffer, FALSE);
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  uni_test_iterate (50);
}

static void
test_reads_demo (void)
{
  g_autofree char *demo = g_build_filename (g_getenv ("UNISTUDIO_DATADIR"),
                                            "demos", "2048", "config.ml", NULL);
  g_autofree char *config = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  GtkWidget *era;
  AdwTabPage *tab;

  g_file_get_contents (demo, &config, NULL, &error);
  g_assert_no_error (error);
  dir = make_project ("2048", config);
  open_project (&fixture, dir);

  /* The Manifest tab comes first and is the one shown. */
  tab = adw_tab_view_get_selected_page (uni_window_get_editor_view (fixture.window));
  g_assert_true (adw_tab_page_get_child (tab) == GTK_WIDGET (fixture.page));
  g_assert_cmpint (adw_tab_view_get_page_position (uni_window_get_editor_view (fixture.window),
                                                   tab), ==, 0);
  g_assert_cmpstr (adw_tab_page_get_title (tab), ==, "Manifest");
  g_assert_cmpstr (visible_page (&fixture), ==, "form");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW,
                                                              "name-row"))), ==, "www");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW,
                                                              "entry-row"))), ==,
                   "Unikernel.Main");

  era = find (&fixture, GTK_TYPE_LABEL, "era-label");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (era)), "4.5+"));

  /* The boot-time argument is listed, read-only. */
  g_assert_nonnull (find (&fixture, ADW_TYPE_ACTION_ROW, "runtime-port"));
  g_assert_null (uni_test_find_widget (find (&fixture, ADW_TYPE_ACTION_ROW, "runtime-port"),
                                       GTK_TYPE_EDITABLE, NULL));

  /* 4.x packages open up to edit their version bounds. */
  g_assert_nonnull (find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-cohttp-mirage"));
  g_assert_nonnull (find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-uri"));

  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find (&fixture, GTK_TYPE_LABEL,
                                                         "signature-label"))), ==,
                   "kv_ro @-> http @-> job");

  /* Reading is not editing. */
  g_assert_false (gtk_text_buffer_get_modified (fixture.buffer));

  close_window (&fixture);
}

static void
test_edit_key_default (void)
{
  g_autoptr(GFile) dir = make_project ("keys", config_2_9);
  g_autoptr(GString) expected = g_string_new (config_2_9);
  g_autofree char *text = NULL;
  Fixture fixture = { 0 };
  GtkWidget *row;
  GtkWidget *entry;
  GtkWidget *reset;

  open_project (&fixture, dir);

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "key-port");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "The port");
  g_assert_nonnull (find_in (row, GTK_TYPE_LABEL, "--port"));
  entry = find_in (row, GTK_TYPE_ENTRY, "value");
  reset = find_in (row, GTK_TYPE_BUTTON, "reset");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "8080");
  g_assert_false (gtk_widget_get_sensitive (reset));
  g_assert_false (gtk_text_buffer_get_can_undo (fixture.buffer));

  gtk_editable_set_text (GTK_EDITABLE (entry), "80");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_signal_emit_by_name (entry, "activate");

  /* Exactly one hunk: 8080 became 80, every other byte is as it was. */
  g_string_replace (expected, "opt int 8080", "opt int 80", 1);
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, expected->str);
  g_assert_true (gtk_text_buffer_get_modified (fixture.buffer));
  g_assert_true (uni_editor_page_get_modified (fixture.editor));
  g_assert_true (g_str_has_prefix (adw_tab_page_get_title (
    adw_tab_view_get_page (uni_window_get_editor_view (fixture.window),
                           GTK_WIDGET (fixture.editor))), "•"));

  /* The row was updated in place and now differs from the default as first read. */
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "key-port");
  entry = find_in (row, GTK_TYPE_ENTRY, "value");
  reset = find_in (row, GTK_TYPE_BUTTON, "reset");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "80");
  g_assert_true (gtk_widget_get_sensitive (reset));

  /* One undo step in the editor restores the text exactly. */
  g_assert_true (gtk_text_buffer_get_can_undo (fixture.buffer));
  gtk_text_buffer_undo (fixture.buffer);
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_2_9);
  g_assert_false (gtk_text_buffer_get_can_undo (fixture.buffer));

  /* Reset to Default goes back to 8080 after a change. */
  gtk_text_buffer_redo (fixture.buffer);
  uni_manifest_page_reload (fixture.page);
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "key-port");
  g_signal_emit_by_name (find_in (row, GTK_TYPE_BUTTON, "reset"), "clicked");
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_2_9);

  /* Nothing reached the disk: the user saves with Ctrl+S. */
  g_clear_pointer (&text, g_free);
  text = uni_test_read_file (uni_editor_page_get_file (fixture.editor));
  g_assert_cmpstr (text, ==, config_2_9);

  close_window (&fixture);
}

typedef struct
{
  GtkEditable *editable;
  const char  *text;
} EditableText;

static gboolean
editable_shows (gpointer data)
{
  EditableText *et = data;

  return g_strcmp0 (gtk_editable_get_text (et->editable), et->text) == 0;
}

static void
test_editor_updates_form (void)
{
  g_autoptr(GFile) dir = make_project ("typing", config_2_9);
  g_autofree char *text = NULL;
  Fixture fixture = { 0 };
  EditableText name_shows = { NULL, "www2" };
  GtkTextIter iter;
  const char *www;
  gint64 start;

  open_project (&fixture, dir);
  name_shows.editable = GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW, "name-row"));
  g_assert_cmpstr (gtk_editable_get_text (name_shows.editable), ==, "www");

  /* Type a character into the register call, as the user would in the editor. */
  text = dup_buffer_text (fixture.buffer);
  www = strstr (text, "\"www\"");
  g_assert_nonnull (www);
  gtk_text_buffer_get_iter_at_offset (fixture.buffer, &iter,
                                      (int) g_utf8_pointer_to_offset (text, www + 4));
  start = g_get_monotonic_time ();
  gtk_text_buffer_insert (fixture.buffer, &iter, "2", -1);

  /* Read back after the pause, not on every keystroke. */
  g_assert_cmpstr (gtk_editable_get_text (name_shows.editable), ==, "www");
  g_assert_true (uni_test_wait_for (editable_shows, &name_shows, TIMEOUT_MSEC));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 250 * 1000);

  /* A row being typed in keeps what the user typed. */
  gtk_widget_grab_focus (GTK_WIDGET (name_shows.editable));
  gtk_editable_set_text (name_shows.editable, "half-typ");
  gtk_text_buffer_get_end_iter (fixture.buffer, &iter);
  gtk_text_buffer_insert (fixture.buffer, &iter, "(* more *)\n", -1);
  uni_manifest_page_reload (fixture.page);
  g_assert_cmpstr (gtk_editable_get_text (name_shows.editable), ==, "half-typ");

  close_window (&fixture);
}

static void
test_invalid_value (void)
{
  g_autoptr(GFile) dir = make_project ("invalid", config_2_9);
  g_autofree char *text = NULL;
  Fixture fixture = { 0 };
  GtkWidget *row;
  GtkWidget *entry;

  open_project (&fixture, dir);

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "key-port");
  entry = find_in (row, GTK_TYPE_ENTRY, "value");

  gtk_editable_set_text (GTK_EDITABLE (entry), "abc");
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (gtk_widget_get_tooltip_text (entry));

  g_signal_emit_by_name (entry, "activate");
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_2_9);
  g_assert_false (gtk_text_buffer_get_modified (fixture.buffer));
  g_assert_false (gtk_text_buffer_get_can_undo (fixture.buffer));
  g_assert_true (gtk_widget_has_css_class (entry, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "abc");

  /* Corrected, the mark goes. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "8081");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (gtk_widget_has_css_class (row, "error"));

  close_window (&fixture);
}

static const UniManifestPackage *
find_package (UniManifest *manifest,
              const char  *name)
{
  for (guint i = 0; i < uni_manifest_get_n_packages (manifest); i++)
    if (g_str_equal (uni_manifest_get_package (manifest, i)->name, name))
      return uni_manifest_get_package (manifest, i);

  return NULL;
}

static void
test_packages (void)
{
  g_autoptr(GFile) dir = make_project ("packages", config_3);
  g_autofree char *text = NULL;
  g_autofree char *element = NULL;
  const UniManifestPackage *added;
  Fixture fixture = { 0 };
  GtkWidget *row;

  open_project (&fixture, dir);
  g_assert_nonnull (find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-duration"));
  g_assert_false (gtk_widget_get_sensitive (find (&fixture, GTK_TYPE_BUTTON,
                                                  "add-package-button")));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (find (&fixture, ADW_TYPE_EXPANDER_ROW,
                                                         "add-package-row")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW, "package-name")), "x");
  gtk_editable_set_text (GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW, "package-min")), "1.0");
  g_assert_true (gtk_widget_get_sensitive (find (&fixture, GTK_TYPE_BUTTON, "add-package-button")));
  g_signal_emit_by_name (find (&fixture, GTK_TYPE_BUTTON, "add-package-button"), "clicked");

  /* One package expression with both, in the list that was there. */
  text = dup_buffer_text (fixture.buffer);
  added = find_package (uni_manifest_page_get_manifest (fixture.page), "x");
  g_assert_nonnull (added);
  g_assert_cmpstr (added->min, ==, "1.0");
  g_assert_null (added->max);
  element = g_strndup (text + added->span.offset, added->span.length);
  g_test_message ("added: %s", element);
  g_assert_true (g_str_has_prefix (element, "package "));
  g_assert_nonnull (strstr (element, "\"x\""));
  g_assert_nonnull (strstr (element, "~min:\"1.0\""));
  g_assert_nonnull (strstr (text, "[ package \"duration\"; package "));
  g_assert_true (gtk_text_buffer_get_modified (fixture.buffer));

  row = find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-x");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "≥ 1.0");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW,
                                                              "package-name"))), ==, "");

  /* Adding it twice is refused, and nothing changes. */
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  gtk_editable_set_text (GTK_EDITABLE (find (&fixture, ADW_TYPE_ENTRY_ROW, "package-name")), "x");
  g_signal_emit_by_name (find (&fixture, GTK_TYPE_BUTTON, "add-package-button"), "clicked");
  {
    g_autofree char *after = dup_buffer_text (fixture.buffer);

    g_assert_cmpstr (after, ==, text);
    g_assert_true (gtk_widget_has_css_class (find (&fixture, ADW_TYPE_ENTRY_ROW, "package-name"),
                                             "error"));
  }

  g_signal_emit_by_name (find_in (row, GTK_TYPE_BUTTON, "remove"), "clicked");
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_assert_null (strstr (text, "package \"x\""));
  g_assert_nonnull (strstr (text, "package \"duration\""));
  g_assert_null (uni_test_find_widget (GTK_WIDGET (fixture.page), ADW_TYPE_PREFERENCES_ROW,
                                       "package-x"));

  close_window (&fixture);
}

static const char config_2_9_packages[] =
  "open Mirage\n"
  "\n"
  "let port = Key.create \"port\" Key.Arg.(opt int 8080 (info [\"port\"]))\n"
  "\n"
  "let main =\n"
  "  foreign ~keys:[Key.abstract port] ~packages:[\"duration\"] ~libraries:[\"re.str\"]\n"
  "    \"Unikernel.Main\" (console @-> job)\n"
  "\n"
  "let () = register \"www\" [ main $ default_console ]\n";

static void
test_package_bounds (void)
{
  g_autoptr(GFile) dir = make_project ("bounds", config_3);
  g_autoptr(UniManifest) reread = NULL;
  g_autofree char *text = NULL;
  const UniManifestPackage *package;
  Fixture fixture = { 0 };
  GtkWidget *row;
  GtkWidget *min;
  GtkWidget *max;

  open_project (&fixture, dir);

  row = find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-duration");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==, "Any version");
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  min = find_in (row, ADW_TYPE_ENTRY_ROW, "min");
  max = find_in (row, ADW_TYPE_ENTRY_ROW, "max");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (min)), ==, "");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (max)), ==, "");

  /* Not a version (opam versions have no spaces): marked, and applying it changes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (min), "1.0 beta");
  g_assert_true (gtk_widget_has_css_class (min, "error"));
  g_assert_false (gtk_widget_has_css_class (max, "error"));
  g_signal_emit_by_name (min, "apply");
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_3);
  g_assert_false (gtk_text_buffer_get_can_undo (fixture.buffer));

  /* Both bounds, one apply: one edit, read back as written. */
  gtk_editable_set_text (GTK_EDITABLE (min), "1.0.0");
  g_assert_false (gtk_widget_has_css_class (min, "error"));
  gtk_editable_set_text (GTK_EDITABLE (max), "2.0.0");
  g_signal_emit_by_name (max, "apply");

  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_test_message ("constrained:\n%s", text);
  reread = uni_manifest_new (text, -1);
  package = find_package (reread, "duration");
  g_assert_nonnull (package);
  g_assert_cmpstr (package->min, ==, "1.0.0");
  g_assert_cmpstr (package->max, ==, "2.0.0");
  g_assert_cmpuint (uni_manifest_get_n_problems (reread), ==, 0);
  g_assert_nonnull (strstr (text, "\"Unikernel.Main\" (console @-> job)"));

  /* The row says so and stays open for the next change. */
  row = find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-duration");
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (row)), ==,
                   "≥ 1.0.0, < 2.0.0");
  g_assert_true (adw_expander_row_get_expanded (ADW_EXPANDER_ROW (row)));

  /* One undo restores the text exactly. */
  gtk_text_buffer_undo (fixture.buffer);
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_3);
  g_assert_false (gtk_text_buffer_get_can_undo (fixture.buffer));

  /* An empty field removes that bound only. */
  gtk_text_buffer_redo (fixture.buffer);
  uni_manifest_page_reload (fixture.page);
  row = find (&fixture, ADW_TYPE_EXPANDER_ROW, "package-duration");
  min = find_in (row, ADW_TYPE_ENTRY_ROW, "min");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (min)), ==, "1.0.0");
  gtk_editable_set_text (GTK_EDITABLE (min), "");
  g_signal_emit_by_name (min, "apply");
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_clear_object (&reread);
  reread = uni_manifest_new (text, -1);
  package = find_package (reread, "duration");
  g_assert_null (package->min);
  g_assert_cmpstr (package->max, ==, "2.0.0");

  close_window (&fixture);

  /* mirage 2 lists hold plain strings: bounds are shown, and why not editable. */
  g_clear_object (&dir);
  dir = make_project ("bounds-2", config_2_9_packages);
  open_project (&fixture, dir);
  row = find (&fixture, ADW_TYPE_PREFERENCES_ROW, "package-duration");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Any version");
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "mirage 3"));
  g_assert_null (uni_test_find_widget (row, ADW_TYPE_ENTRY_ROW, NULL));
  g_assert_nonnull (find_in (row, GTK_TYPE_BUTTON, "remove"));

  /* An ocamlfind library has no version at all. */
  row = find (&fixture, ADW_TYPE_PREFERENCES_ROW, "package-re.str");
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (row), "ocamlfind"));

  close_window (&fixture);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;

  return NULL;
}

static void
test_edit_key_doc (void)
{
  g_autoptr(GFile) dir = make_project ("doc", config_2_9);
  g_autoptr(UniManifest) reread = NULL;
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;
  Fixture fixture = { 0 };
  GtkWidget *row;
  GtkWidget *entry;

  open_project (&fixture, dir);

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "key-port");
  g_signal_emit_by_name (find_in (row, GTK_TYPE_BUTTON, "edit-doc"), "clicked");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  entry = find_in (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "doc-entry");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "The port");

  /* Cancelling changes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Ignored");
  adw_message_dialog_response (dialog, "cancel");
  uni_test_iterate (20);
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_2_9);

  gtk_widget_activate_action (GTK_WIDGET (fixture.page), "manifest.edit-key-doc", "s", "port");
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  entry = find_in (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, "doc-entry");
  gtk_editable_set_text (GTK_EDITABLE (entry), "The \"HTTP\" port");
  adw_message_dialog_response (dialog, "apply");
  uni_test_iterate (20);

  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_test_message ("documented:\n%s", text);
  reread = uni_manifest_new (text, -1);
  g_assert_cmpstr (uni_manifest_find_key (reread, "port")->doc, ==, "The \"HTTP\" port");
  g_assert_cmpstr (uni_manifest_find_key (reread, "port")->default_text, ==, "8080");

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "key-port");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "The \"HTTP\" port");

  /* One undo restores the text exactly. */
  gtk_text_buffer_undo (fixture.buffer);
  g_clear_pointer (&text, g_free);
  text = dup_buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, config_2_9);
  g_assert_false (gtk_text_buffer_get_can_undo (fixture.buffer));

  close_window (&fixture);
}

static void
test_settings_error (void)
{
  g_autoptr(GFile) dir = make_project ("bad-ini", config_network);
  g_autoptr(GFile) ini = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  static const char bad_ini[] = "[Target unix\nnet=socket\n";
  g_autofree char *contents = NULL;
  g_autoptr(GList) toplevels = NULL;
  const GError *error;
  Fixture fixture = { 0 };
  GtkWidget *error_row;
  GtkWidget *row;

  uni_test_write_file (dir, ".unistudio/project.ini", bad_ini);
  open_project (&fixture, dir);

  error = uni_project_get_settings_error (uni_window_get_project (fixture.window));
  g_assert_nonnull (error);

  /* Said where the values are, with the reason; the values are not offered. */
  error_row = find (&fixture, ADW_TYPE_ACTION_ROW, "settings-error");
  g_assert_true (gtk_widget_get_visible (error_row));
  g_assert_true (gtk_widget_is_sensitive (error_row));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row)),
                            error->message));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (error_row)),
                            "can’t be saved"));
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-net");
  g_assert_false (gtk_widget_is_sensitive (row));
  g_assert_false (gtk_widget_is_sensitive (find (&fixture, ADW_TYPE_COMBO_ROW, "target-row")));

  /* Nothing worse: the form is there, no dialog, and the file is untouched. */
  g_assert_cmpstr (visible_page (&fixture), ==, "form");
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    g_assert_false (gtk_widget_get_visible (l->data) && GTK_IS_WINDOW (l->data) &&
                    l->data != (gpointer) fixture.window);
  uni_test_iterate (100);
  contents = uni_test_read_file (ini);
  g_assert_cmpstr (contents, ==, bad_ini);

  close_window (&fixture);

  /* A good file: no error row. */
  uni_test_write_file (dir, ".unistudio/project.ini", "[Target unix]\nnet=socket\n");
  open_project (&fixture, dir);
  error_row = find (&fixture, ADW_TYPE_ACTION_ROW, "settings-error");
  g_assert_false (gtk_widget_get_visible (error_row));
  g_assert_true (gtk_widget_is_sensitive (find (&fixture, ADW_TYPE_ACTION_ROW, "target-net")));
  close_window (&fixture);
}

static gboolean
has_problem_rows (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *group = uni_test_find_widget (GTK_WIDGET (fixture->page), ADW_TYPE_PREFERENCES_GROUP,
                                           "problems_group");

  return group != NULL && gtk_widget_get_visible (group) &&
         uni_test_find_widget (group, GTK_TYPE_BUTTON, "show") != NULL;
}

static void
test_problems (void)
{
  g_autoptr(GFile) dir = make_project ("problems",
                                       "open Mirage\n"
                                       "\n"
                                       "let port = my_key_helper \"port\" 8080\n"
                                       "\n"
                                       "let main = main \"Unikernel.Main\" (job)\n"
                                       "let () = register \"www\" [ main ]\n"
                                       "(* never closed\n");
  Fixture fixture = { 0 };
  UniManifest *manifest;
  const UniManifestProblem *problem;
  GtkWidget *group;
  GtkWidget *show;
  GtkTextIter insert;
  AdwTabPage *tab;
  g_autofree char *text = NULL;

  open_project (&fixture, dir);
  g_assert_true (uni_test_wait_for (has_problem_rows, &fixture, TIMEOUT_MSEC));

  manifest = uni_manifest_page_get_manifest (fixture.page);
  g_assert_cmpuint (uni_manifest_get_n_problems (manifest), >, 0);
  problem = uni_manifest_get_problem (manifest, 0);

  group = find (&fixture, ADW_TYPE_PREFERENCES_GROUP, "problems_group");
  show = find_in (group, GTK_TYPE_BUTTON, "show");
  g_signal_emit_by_name (show, "clicked");

  tab = adw_tab_view_get_selected_page (uni_window_get_editor_view (fixture.window));
  g_assert_true (adw_tab_page_get_child (tab) == GTK_WIDGET (fixture.editor));

  text = dup_buffer_text (fixture.buffer);
  gtk_text_buffer_get_iter_at_mark (fixture.buffer, &insert,
                                    gtk_text_buffer_get_insert (fixture.buffer));
  g_assert_cmpint (gtk_text_iter_get_offset (&insert), ==,
                   g_utf8_pointer_to_offset (text, text + problem->span.offset));

  /* Showing is not editing. */
  g_assert_false (gtk_text_buffer_get_modified (fixture.buffer));

  close_window (&fixture);
}

static gboolean
file_contains (gpointer data)
{
  const char * const *args = data;
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (args[0], &contents, NULL, NULL))
    return FALSE;

  return strstr (contents, args[1]) != NULL;
}

static void
test_per_target (void)
{
  g_autoptr(GFile) dir = make_project ("targets", config_network);
  g_autoptr(GFile) ini = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  g_autofree char *ini_path = g_file_get_path (ini);
  g_autofree char *contents = NULL;
  g_autofree char *config = NULL;
  const char *args[2] = { ini_path, "socket" };
  Fixture fixture = { 0 };
  AdwComboRow *target_row;
  GtkWidget *row;
  GListModel *model;
  guint socket = GTK_INVALID_LIST_POSITION;

  open_project (&fixture, dir);

  target_row = ADW_COMBO_ROW (find (&fixture, ADW_TYPE_COMBO_ROW, "target-row"));
  adw_combo_row_set_selected (target_row, 0);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (target_row)),
                   ==, "unix");

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-net");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "Not set"));
  g_assert_false (gtk_widget_get_sensitive (find_in (row, GTK_TYPE_BUTTON, "clear")));

  g_assert_true (ADW_IS_COMBO_ROW (row));
  model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), "socket"))
        socket = i;
    }
  g_assert_cmpuint (socket, !=, GTK_INVALID_LIST_POSITION);
  adw_combo_row_set_selected (ADW_COMBO_ROW (row), socket);

  g_assert_true (uni_test_wait_for (file_contains, args, TIMEOUT_MSEC));
  contents = uni_test_read_file (ini);
  g_test_message ("project.ini:\n%s", contents);
  g_assert_nonnull (strstr (contents, "unix"));
  g_assert_nonnull (strstr (contents, "net"));

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-net");
  g_assert_true (gtk_widget_get_sensitive (find_in (row, GTK_TYPE_BUTTON, "clear")));

  /* Per-target values never touch config.ml. */
  g_assert_false (gtk_text_buffer_get_modified (fixture.buffer));
  config = uni_test_read_file (uni_editor_page_get_file (fixture.editor));
  g_assert_cmpstr (config, ==, config_network);

  /* Another target has its own values. */
  adw_combo_row_set_selected (target_row, 1);
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-net");
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (row)), ==, 0);

  close_window (&fixture);
}

typedef struct
{
  Fixture    *fixture;
  const char *name;
  const char *text;
} RowSubtitle;

/* Looked up each time: a rebuilt group has new rows. */
static gboolean
subtitle_contains (gpointer data)
{
  RowSubtitle *rs = data;
  GtkWidget *row = uni_test_find_widget (GTK_WIDGET (rs->fixture->page), ADW_TYPE_ACTION_ROW,
                                         rs->name);
  const char *subtitle = row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;

  return subtitle != NULL && strstr (subtitle, rs->text) != NULL;
}

/* The module file is read in a thread after the form appears. */
static GtkWidget *
wait_for_runtime_row (Fixture    *fixture,
                      const char *flag,
                      const char *subtitle_part)
{
  g_autofree char *name = g_strdup_printf ("runtime-%s", flag);
  RowSubtitle rs = { fixture, name, subtitle_part };

  g_assert_true (uni_test_wait_for (subtitle_contains, &rs, TIMEOUT_MSEC));

  return find (fixture, ADW_TYPE_ACTION_ROW, name);
}

static gboolean
file_lacks (gpointer data)
{
  const char * const *args = data;
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (args[0], &contents, NULL, NULL))
    return TRUE;

  return strstr (contents, args[1]) == NULL;
}

static char *
dup_ini_value (GFile      *ini,
               const char *group,
               const char *key)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();
  g_autofree char *path = g_file_get_path (ini);
  g_autoptr(GError) error = NULL;

  g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);

  return g_key_file_get_string (key_file, group, key, NULL);
}

/* Every value the settings object took for a key, in order: what the page stored, which
 * a slow save cannot hide.
 */
typedef struct
{
  const char *target_id;
  const char *flag;
  GPtrArray  *values;
} ValueHistory;

static void
record_value_cb (UniProjectSettings *settings,
                 const char         *target_id,
                 const char         *flag,
                 ValueHistory       *history)
{
  char *value;

  if (g_strcmp0 (target_id, history->target_id) != 0 || g_strcmp0 (flag, history->flag) != 0)
    return;

  value = uni_project_settings_dup_target_value (settings, target_id, flag);
  g_ptr_array_add (history->values, value != NULL ? value : g_strdup ("(unset)"));
}

static void
assert_history (ValueHistory *history,
                const char   *first,
                ...)
{
  va_list args;
  guint i = 0;

  va_start (args, first);
  for (const char *value = first; value != NULL; value = va_arg (args, const char *), i++)
    {
      g_assert_cmpuint (i, <, history->values->len);
      g_assert_cmpstr (g_ptr_array_index (history->values, i), ==, value);
    }
  va_end (args);

  g_assert_cmpuint (history->values->len, ==, i);
}

static const struct
{
  const char *text;
  const char *why;
} bad_ports[] = {
  { "abc",   "whole number" },
  { "70000", "65535" },
  { "0",     "65535" },
  { "-1",    "65535" },
  { "80 80", "whole number" },
};

static void
test_boot_args (void)
{
  g_autoptr(GFile) dir = copy_demo ();
  g_autoptr(GFile) ini = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  g_autofree char *ini_path = g_file_get_path (ini);
  g_autofree char *config = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *saved = NULL;
  const char *written[2] = { ini_path, "boot.port=9090" };
  const char *rewritten[2] = { ini_path, "boot.port=9191" };
  const char *any_boot[2] = { ini_path, "boot.port" };
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  ValueHistory history = { "unix", "boot.port", values };
  UniProjectSettings *settings;
  Fixture fixture = { 0 };
  AdwComboRow *target_row;
  GtkWidget *row;
  GtkWidget *entry;
  GtkWidget *clear;
  const char *subtitle;

  open_project (&fixture, dir);
  settings = uni_manifest_page_get_settings (fixture.page);

  /* The keys group tells what unikernel.ml says, and still only tells. */
  row = wait_for_runtime_row (&fixture, "port", "8080");
  subtitle = adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
  g_test_message ("runtime row: %s", subtitle);
  g_assert_nonnull (strstr (subtitle, "The TCP port the web server listens on"));
  g_assert_nonnull (strstr (subtitle, "--port"));
  g_assert_null (uni_test_find_widget (row, GTK_TYPE_EDITABLE, NULL));

  target_row = ADW_COMBO_ROW (find (&fixture, ADW_TYPE_COMBO_ROW, "target-row"));
  adw_combo_row_set_selected (target_row, 0);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (target_row)),
                   ==, "unix");

  /* Unset: empty, the unikernel's default showing through. */
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-boot-port");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "port");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "unix"));
  entry = find_in (row, GTK_TYPE_ENTRY, "value");
  clear = find_in (row, GTK_TYPE_BUTTON, "clear");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), ==, "8080");
  g_assert_false (gtk_widget_get_sensitive (clear));

  gtk_editable_set_text (GTK_EDITABLE (entry), "9090");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (uni_test_wait_for (file_contains, written, TIMEOUT_MSEC));
  stored = dup_ini_value (ini, "Target unix", "boot.port");
  g_assert_cmpstr (stored, ==, "9090");
  g_assert_true (gtk_widget_get_sensitive (clear));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "--port=9090"));

  /* Not a port: the row says why, and nothing is stored. */
  saved = uni_test_read_file (ini);
  g_signal_connect (settings, "changed", G_CALLBACK (record_value_cb), &history);
  for (guint i = 0; i < G_N_ELEMENTS (bad_ports); i++)
    {
      g_autofree char *value = NULL;

      g_test_message ("refused: “%s”", bad_ports[i].text);
      gtk_editable_set_text (GTK_EDITABLE (entry), bad_ports[i].text);
      g_assert_true (gtk_widget_has_css_class (entry, "error"));
      g_assert_true (gtk_widget_has_css_class (row, "error"));
      g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (entry), bad_ports[i].why));

      g_signal_emit_by_name (entry, "activate");
      value = uni_project_settings_dup_target_value (settings, "unix", "boot.port");
      g_assert_cmpstr (value, ==, "9090");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, bad_ports[i].text);
    }

  /* A good one afterwards is saved: once the file shows it, it is the only value the
   * settings took, and the file changed by that value alone.
   */
  gtk_editable_set_text (GTK_EDITABLE (entry), "9191");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (uni_test_wait_for (file_contains, rewritten, TIMEOUT_MSEC));
  assert_history (&history, "9191", NULL);
  {
    g_autoptr(GString) expected = g_string_new (saved);
    g_autofree char *after = uni_test_read_file (ini);

    g_assert_cmpuint (g_string_replace (expected, "boot.port=9090", "boot.port=9191", 0), ==, 1);
    g_assert_cmpstr (after, ==, expected->str);
  }
  g_signal_handlers_disconnect_by_func (settings, record_value_cb, &history);

  /* Clear removes the value, and the default shows through again. */
  g_signal_emit_by_name (clear, "clicked");
  g_assert_true (uni_test_wait_for (file_lacks, any_boot, TIMEOUT_MSEC));
  g_clear_pointer (&stored, g_free);
  stored = dup_ini_value (ini, "Target unix", "boot.port");
  g_assert_null (stored);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_assert_false (gtk_widget_get_sensitive (clear));

  /* Each target has its own value. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "9090");
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (uni_test_wait_for (file_contains, written, TIMEOUT_MSEC));

  adw_combo_row_set_selected (target_row, 1);
  g_assert_cmpstr (gtk_string_object_get_string (adw_combo_row_get_selected_item (target_row)),
                   ==, "xen");
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-boot-port");
  entry = find_in (row, GTK_TYPE_ENTRY, "value");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), ==, "8080");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "xen"));
  g_assert_false (gtk_widget_get_sensitive (find_in (row, GTK_TYPE_BUTTON, "clear")));

  adw_combo_row_set_selected (target_row, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "9090");

  /* Boot arguments never touch config.ml, nor unikernel.ml. */
  g_assert_false (gtk_text_buffer_get_modified (fixture.buffer));
  config = uni_test_read_file (uni_editor_page_get_file (fixture.editor));
  {
    g_autoptr(GFile) demo_config = g_file_new_build_filename (g_getenv ("UNISTUDIO_DATADIR"),
                                                              "demos", "2048", "config.ml",
                                                              NULL);
    g_autofree char *original = uni_test_read_file (demo_config);

    g_assert_cmpstr (config, ==, original);
  }

  /* What the group looks like in the window, for a person to check. */
  {
    GtkWidget *group = find (&fixture, ADW_TYPE_PREFERENCES_GROUP, "targets_group");
    GtkWidget *scrolled = gtk_widget_get_ancestor (group, GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment;
    g_autofree char *shot = NULL;
    double x, y;

    g_assert_nonnull (scrolled);
    adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
    g_assert_true (gtk_widget_translate_coordinates (group, scrolled, 0, 0, &x, &y));
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + y - 12);
    shot = uni_test_screenshot (GTK_WIDGET (fixture.window), "manifest-page-boot-args");
    g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));
  }

  close_window (&fixture);
}

static const char unikernel_port_8443[] =
  "let port =\n"
  "  let doc = Cmdliner.Arg.info ~doc:\"Where HTTPS is served.\" [ \"port\" ] in\n"
  "  Cmdliner.Arg.(value & opt int 8443 doc)\n"
  "\n"
  "let greeting =\n"
  "  let doc = Cmdliner.Arg.info ~doc:\"What to say.\" [ \"greeting\" ] in\n"
  "  Cmdliner.Arg.(value & opt string \"hello\" doc)\n"
  "\n"
  "module Main (S : Tcpip.Stack.V4V6) = struct\n"
  "  let start _s _port _greeting = Lwt.return_unit\n"
  "end\n";

static void
test_boot_args_follow_files (void)
{
  g_autoptr(GFile) dir = copy_demo ();
  g_autoptr(GFile) ini = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  g_autofree char *ini_path = g_file_get_path (ini);
  const char *written[2] = { ini_path, "boot.greeting=hi there" };
  g_autofree char *stored = NULL;
  Fixture fixture = { 0 };
  GtkTextIter iter;
  GtkWidget *row;
  GtkWidget *entry;
  g_autofree char *text = NULL;
  const char *port_line;

  open_project (&fixture, dir);
  wait_for_runtime_row (&fixture, "port", "8080");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (&fixture, ADW_TYPE_COMBO_ROW, "target-row")),
                              0);

  /* unikernel.ml saved with another default: both groups follow. */
  uni_test_write_file (dir, "unikernel.ml", unikernel_port_8443);
  row = wait_for_runtime_row (&fixture, "port", "8443");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            "Where HTTPS is served."));
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-boot-port");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (find_in (row, GTK_TYPE_ENTRY,
                                                                       "value"))), ==, "8443");

  /* config.ml names one more: a text argument, with its own row. */
  g_assert_null (uni_test_find_widget (GTK_WIDGET (fixture.page), ADW_TYPE_ACTION_ROW,
                                       "target-boot-greeting"));
  text = dup_buffer_text (fixture.buffer);
  port_line = strstr (text, "let port = runtime_arg");
  g_assert_nonnull (port_line);
  gtk_text_buffer_get_iter_at_offset (fixture.buffer, &iter,
                                      (int) g_utf8_pointer_to_offset (text, port_line));
  gtk_text_buffer_insert (fixture.buffer, &iter,
                          "let greeting = runtime_arg ~pos:__POS__ \"Unikernel.greeting\"\n", -1);
  uni_manifest_page_reload (fixture.page);
  row = wait_for_runtime_row (&fixture, "greeting", "hello");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "What to say."));

  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-boot-greeting");
  entry = find_in (row, GTK_TYPE_ENTRY, "value");
  g_assert_cmpstr (gtk_entry_get_placeholder_text (GTK_ENTRY (entry)), ==, "hello");
  gtk_editable_set_text (GTK_EDITABLE (entry), "hi there");
  g_assert_false (gtk_widget_has_css_class (entry, "error"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (uni_test_wait_for (file_contains, written, TIMEOUT_MSEC));
  stored = dup_ini_value (ini, "Target unix", "boot.greeting");
  g_assert_cmpstr (stored, ==, "hi there");

  close_window (&fixture);
}

static void
test_boot_args_hand_edited (void)
{
  g_autoptr(GFile) dir = copy_demo ();
  g_autoptr(GFile) ini = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  static const char hand_written[] = "[Target unix]\nboot.port=http\n";
  g_autofree char *ini_path = g_file_get_path (ini);
  const char *written[2] = { ini_path, "boot.port=9090" };
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  ValueHistory history = { "unix", "boot.port", values };
  UniProjectSettings *settings;
  g_autofree char *contents = NULL;
  Fixture fixture = { 0 };
  GtkWidget *row;
  GtkWidget *entry;

  uni_test_write_file (dir, ".unistudio/project.ini", hand_written);
  open_project (&fixture, dir);
  wait_for_runtime_row (&fixture, "port", "8080");
  adw_combo_row_set_selected (ADW_COMBO_ROW (find (&fixture, ADW_TYPE_COMBO_ROW, "target-row")),
                              0);

  /* Shown as written, marked, and left alone. */
  row = find (&fixture, ADW_TYPE_ACTION_ROW, "target-boot-port");
  entry = find_in (row, GTK_TYPE_ENTRY, "value");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "http");
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (entry), "whole number"));
  settings = uni_manifest_page_get_settings (fixture.page);
  g_signal_connect (settings, "changed", G_CALLBACK (record_value_cb), &history);
  g_signal_emit_by_name (entry, "activate");

  /* Corrected, it is saved: the first and only value the settings took. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "9090");
  g_assert_false (gtk_widget_has_css_class (row, "error"));
  g_signal_emit_by_name (entry, "activate");
  g_assert_true (uni_test_wait_for (file_contains, written, TIMEOUT_MSEC));
  assert_history (&history, "9090", NULL);
  contents = uni_test_read_file (ini);
  g_assert_cmpstr (contents, ==, "[Target unix]\nboot.port=9090\n");
  g_signal_handlers_disconnect_by_func (settings, record_value_cb, &history);

  close_window (&fixture);
}

static gboolean
editor_loaded_or_failed (gpointer data)
{
  UniManifestPage *page = uni_window_get_manifest_page (data);
  UniEditorPage *editor = page != NULL ? uni_manifest_page_get_editor (page) : NULL;

  return editor != NULL && !uni_editor_page_get_loading (editor) &&
         uni_editor_page_get_loaded (editor);
}

static void
test_bad_input (void)
{
  static const char junk[] = "\x7f" "ELF\x02\x01\x01\0\0\xff\xfe(* \x80\x81 \"unterminated\n\xc3";
  g_autoptr(GFile) empty_dir = make_project ("empty", "");
  g_autoptr(GFile) junk_dir = uni_test_make_tempdir ("junk");
  g_autoptr(GFile) junk_file = g_file_get_child (junk_dir, "config.ml");
  g_autofree char *junk_path = g_file_get_path (junk_file);
  g_autofree char *disk = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  GtkWidget *name_row;
  gsize length;

  /* An empty config.ml: a status page, not an empty form. */
  open_project (&fixture, empty_dir);
  g_assert_cmpstr (visible_page (&fixture), ==, "empty");
  g_assert_nonnull (find (&fixture, ADW_TYPE_STATUS_PAGE, "No config.ml"));
  close_window (&fixture);

  /* Binary junk: shown as far as it goes, never written back. */
  g_file_set_contents (junk_path, junk, sizeof junk - 1, &error);
  g_assert_no_error (error);
  open_project (&fixture, junk_dir);
  g_assert_true (uni_test_wait_for (editor_loaded_or_failed, fixture.window, TIMEOUT_MSEC));
  g_assert_true (uni_editor_page_get_read_only (fixture.editor));
  g_assert_cmpstr (visible_page (&fixture), !=, "loading");

  name_row = find (&fixture, ADW_TYPE_ENTRY_ROW, "name-row");
  g_assert_false (gtk_widget_is_sensitive (name_row));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "renamed");
  g_signal_emit_by_name (name_row, "apply");
  g_assert_false (gtk_text_buffer_get_modified (fixture.buffer));

  uni_test_iterate (400);
  g_file_get_contents (junk_path, &disk, &length, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (disk, length, junk, sizeof junk - 1);

  gtk_window_destroy (GTK_WINDOW (fixture.window));
  uni_test_iterate (50);
}

static void
test_screenshot (void)
{
  g_autoptr(GFile) dir = copy_demo ();
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  Fixture fixture = { 0 };

  open_project (&fixture, dir);

  light = uni_test_screenshot (GTK_WIDGET (fixture.window), "manifest-page");
  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));

  uni_test_set_dark (TRUE);
  dark = uni_test_screenshot (GTK_WIDGET (fixture.window), "manifest-page-dark");
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));
  uni_test_set_dark (FALSE);

  close_window (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  uni_test_gui_init (&argc, &argv);

  /* A registered application loads style.css, as in the real program. */
  application = GTK_APPLICATION (adw_application_new ("io.github.unistudio.Unistudio.TestManifest",
                                                      G_APPLICATION_NON_UNIQUE));
  g_application_set_resource_base_path (G_APPLICATION (application),
                                        "/io/github/unistudio/Unistudio");
  g_application_register (G_APPLICATION (application), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/uni/manifest-page/reads-demo", test_reads_demo);
  g_test_add_func ("/uni/manifest-page/edit-key-default", test_edit_key_default);
  g_test_add_func ("/uni/manifest-page/editor-updates-form", test_editor_updates_form);
  g_test_add_func ("/uni/manifest-page/invalid-value", test_invalid_value);
  g_test_add_func ("/uni/manifest-page/packages", test_packages);
  g_test_add_func ("/uni/manifest-page/package-bounds", test_package_bounds);
  g_test_add_func ("/uni/manifest-page/edit-key-doc", test_edit_key_doc);
  g_test_add_func ("/uni/manifest-page/settings-error", test_settings_error);
  g_test_add_func ("/uni/manifest-page/problems", test_problems);
  g_test_add_func ("/uni/manifest-page/per-target", test_per_target);
  g_test_add_func ("/uni/manifest-page/boot-args", test_boot_args);
  g_test_add_func ("/uni/manifest-page/boot-args-follow-files", test_boot_args_follow_files);
  g_test_add_func ("/uni/manifest-page/boot-args-hand-edited", test_boot_args_hand_edited);
  g_test_add_func ("/uni/manifest-page/bad-input", test_bad_input);
  g_test_add_func ("/uni/manifest-page/screenshot", test_screenshot);

  ret = g_test_run ();

  g_object_unref (application);

  return ret;
}
