/* test-welcome.c — the welcome window, its recent projects and the clone dialog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-welcome"

#include "config.h"

#include <glib/gstdio.h>

#include "uni-application.h"
#include "uni-clone-dialog.h"
#include "uni-recent-projects.h"
#include "uni-test-util-gui.h"
#include "uni-welcome-window.h"
#include "uni-window.h"

#define CLONE_TIMEOUT_MS 60000

static GtkApplication *app;

static GtkRecentManager *
make_recent_manager (GFile *dir)
{
  g_autoptr(GFile) file = g_file_get_child (dir, "recently-used.xbel");
  g_autofree char *path = g_file_get_path (file);

  return g_object_new (GTK_TYPE_RECENT_MANAGER, "filename", path, NULL);
}

static void
add_recent (GtkRecentManager *manager,
            GFile            *folder,
            const char       *app_name,
            const char       *mime_type)
{
  g_autofree char *uri = g_file_get_uri (folder);
  char *groups[] = { NULL };
  GtkRecentData data = {
    .display_name = NULL,
    .description = NULL,
    .mime_type = (char *) mime_type,
    .app_name = (char *) app_name,
    .app_exec = (char *) "unistudio %u",
    .groups = groups,
    .is_private = FALSE,
  };

  g_assert_true (gtk_recent_manager_add_full (manager, uri, &data));

  /* Registration times order the list: keep them apart. */
  g_usleep (2000);
}

static void
visit_project (GtkRecentManager *manager,
               GFile            *folder)
{
  add_recent (manager, folder, UNI_RECENT_APPLICATION_NAME, UNI_RECENT_MIME_TYPE);
}

static GFile *
make_folder (GFile      *parent,
             const char *name)
{
  GFile *folder = g_file_get_child (parent, name);
  g_autoptr(GError) error = NULL;

  g_file_make_directory_with_parents (folder, NULL, &error);
  g_assert_no_error (error);

  return folder;
}

static char *
dup_names (GListModel *model)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(UniRecentProject) project = g_list_model_get_item (model, i);

      if (i > 0)
        g_string_append_c (names, ' ');
      g_string_append (names, uni_recent_project_get_name (project));
    }

  return g_string_free (names, FALSE);
}

typedef struct
{
  GListModel *model;
  const char *names;
} NamesWait;

static gboolean
names_are (gpointer data)
{
  NamesWait *wait = data;
  g_autofree char *names = dup_names (wait->model);

  return g_str_equal (names, wait->names);
}

static void
assert_names (GListModel *model,
              const char *expected)
{
  NamesWait wait = { model, expected };
  g_autofree char *names = NULL;

  if (!uni_test_wait_for (names_are, &wait, 5000))
    {
      names = dup_names (model);
      g_assert_cmpstr (names, ==, expected);
    }
}

static UniRecentProject *
find_project (GListModel *model,
              const char *name,
              guint      *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(UniRecentProject) project = g_list_model_get_item (model, i);

      if (g_str_equal (uni_recent_project_get_name (project), name))
        {
          if (position)
            *position = i;
          return project;
        }
    }

  return NULL;
}

static gboolean
project_is_missing (gpointer data)
{
  return !uni_recent_project_get_exists (data);
}

static GtkListBox *
get_recent_list (UniWelcomeWindow *window)
{
  GtkWidget *list = uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX, "recent-projects");

  g_assert_nonnull (list);
  return GTK_LIST_BOX (list);
}

static void
test_recent_order (void)
{
  g_autoptr(GFile) root = uni_test_make_tempdir ("recent-order");
  g_autoptr(GFile) alpha = make_folder (root, "alpha");
  g_autoptr(GFile) beta = make_folder (root, "beta");
  g_autoptr(GFile) gamma = make_folder (root, "gamma");
  g_autoptr(GFile) delta = make_folder (root, "delta");
  g_autoptr(GFile) other = make_folder (root, "other-app");
  g_autoptr(GFile) text_file = g_file_get_child (root, "notes.txt");
  g_autoptr(GtkRecentManager) manager = make_recent_manager (root);
  g_autoptr(GError) error = NULL;
  UniRecentProject *project;
  UniWelcomeWindow *window;
  GtkListBoxRow *row;
  GListModel *model;
  guint position = 0;

  visit_project (manager, alpha);
  visit_project (manager, beta);
  visit_project (manager, gamma);
  /* Neither a folder of another program nor a file Unistudio opened is a project. */
  add_recent (manager, other, "Files", UNI_RECENT_MIME_TYPE);
  add_recent (manager, text_file, UNI_RECENT_APPLICATION_NAME, "text/plain");
  /* Opening alpha again puts it first. */
  visit_project (manager, alpha);

  window = uni_welcome_window_new_full (app, manager);
  gtk_window_present (GTK_WINDOW (window));
  model = uni_welcome_window_get_recent (window);
  g_assert_true (g_list_model_get_item_type (model) == UNI_TYPE_RECENT_PROJECT);

  assert_names (model, "alpha gamma beta");
  uni_test_wait_for_draw (GTK_WIDGET (window));
  g_assert_nonnull (gtk_list_box_get_row_at_index (get_recent_list (window), 2));
  g_assert_null (gtk_list_box_get_row_at_index (get_recent_list (window), 3));

  project = find_project (model, "gamma", NULL);
  g_assert_nonnull (project);
  g_assert_cmpstr (uni_recent_project_get_path (project), ==, g_file_peek_path (gamma));
  g_assert_true (uni_recent_project_get_exists (project));
  g_assert_nonnull (uni_recent_project_get_modified (project));

  /* The list follows the recent manager live. */
  visit_project (manager, delta);
  assert_names (model, "delta alpha gamma beta");
  visit_project (manager, beta);
  assert_names (model, "beta delta alpha gamma");

  /* A folder that went away is marked, not dropped. */
  g_file_delete (gamma, NULL, &error);
  g_assert_no_error (error);
  uni_recent_projects_recheck (UNI_RECENT_PROJECTS (model));
  project = find_project (model, "gamma", &position);
  g_assert_nonnull (project);
  g_assert_true (uni_test_wait_for (project_is_missing, project, 5000));
  g_assert_true (uni_recent_project_get_exists (find_project (model, "alpha", NULL)));

  row = gtk_list_box_get_row_at_index (get_recent_list (window), position);
  g_assert_true (ADW_IS_ACTION_ROW (row));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "missing"));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Folder not found");
  g_assert_nonnull (uni_test_find_widget (GTK_WIDGET (row), GTK_TYPE_IMAGE, NULL));

  row = gtk_list_box_get_row_at_index (get_recent_list (window), 0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "missing"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "beta");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, g_file_peek_path (beta));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
n_items_is (gpointer data)
{
  GListModel *model = data;

  return g_list_model_get_n_items (model) == GPOINTER_TO_UINT (g_object_get_data (data, "want"));
}

static GtkWidget *
find_remove_button (GtkWidget *row)
{
  GtkWidget *button = uni_test_find_widget (row, GTK_TYPE_BUTTON, NULL);

  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (button), ==, "Remove from Recent Projects");

  return button;
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window))
        return ADW_MESSAGE_DIALOG (window);
    }

  return NULL;
}

static void
test_remove_recent (void)
{
  g_autoptr(GFile) root = uni_test_make_tempdir ("remove-recent");
  g_autoptr(GFile) keep = make_folder (root, "keep");
  g_autoptr(GFile) drop = make_folder (root, "drop");
  g_autoptr(GFile) gone = make_folder (root, "gone");
  g_autoptr(GtkRecentManager) manager = make_recent_manager (root);
  g_autofree char *drop_uri = g_file_get_uri (drop);
  g_autofree char *gone_uri = g_file_get_uri (gone);
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  UniWelcomeWindow *window;
  UniRecentProject *project;
  GtkListBox *list;
  GtkWidget *placeholder;
  GListModel *model;
  guint position = 0;

  visit_project (manager, keep);
  visit_project (manager, gone);
  visit_project (manager, drop);

  window = uni_welcome_window_new_full (app, manager);
  gtk_window_present (GTK_WINDOW (window));
  model = uni_welcome_window_get_recent (window);
  list = get_recent_list (window);
  assert_names (model, "drop gone keep");
  uni_test_wait_for_draw (GTK_WIDGET (window));

  /* The row's button forgets the folder, at once and in the recent manager. */
  g_signal_emit_by_name (find_remove_button (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))), "clicked");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_false (gtk_recent_manager_has_item (manager, drop_uri));
  g_assert_true (g_file_query_exists (drop, NULL));
  assert_names (model, "gone keep");
  uni_test_iterate (400);
  assert_names (model, "gone keep");

  /* Activating a missing folder's row offers to forget it. */
  g_file_delete (gone, NULL, &error);
  g_assert_no_error (error);
  uni_recent_projects_recheck (UNI_RECENT_PROJECTS (model));
  project = find_project (model, "gone", &position);
  g_assert_true (uni_test_wait_for (project_is_missing, project, 5000));
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, position));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Folder Not Found");
  adw_message_dialog_response (dialog, "remove");
  g_assert_false (gtk_recent_manager_has_item (manager, gone_uri));
  assert_names (model, "keep");

  /* With nothing left, the list says what will appear there. */
  g_signal_emit_by_name (find_remove_button (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 0))), "clicked");
  g_object_set_data (G_OBJECT (model), "want", GUINT_TO_POINTER (0));
  g_assert_true (uni_test_wait_for (n_items_is, model, 5000));
  uni_test_wait_for_draw (GTK_WIDGET (window));
  placeholder = uni_test_find_widget (GTK_WIDGET (list), GTK_TYPE_LABEL,
                                      "Projects you open appear here");
  g_assert_nonnull (placeholder);
  g_assert_true (gtk_widget_get_mapped (placeholder));

  gtk_window_destroy (GTK_WINDOW (window));
}

static UniWindow *
find_project_window (void)
{
  for (const GList *l = gtk_application_get_windows (app); l != NULL; l = l->next)
    {
      if (UNI_IS_WINDOW (l->data))
        return l->data;
    }

  return NULL;
}

/* Opening a project records it in the default recent manager, which writes
 * to the (isolated, not yet created) user data folder.
 */
static void
ensure_user_data_dir (void)
{
  g_assert_no_errno (g_mkdir_with_parents (g_get_user_data_dir (), 0700));
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
open_recent (void)
{
  g_autoptr(GFile) project = uni_test_make_git_repo ("www");
  g_autoptr(GFile) root = uni_test_make_tempdir ("open-recent");
  g_autoptr(GtkRecentManager) manager = make_recent_manager (root);
  UniWelcomeWindow *window;
  UniWindow *project_window;
  GtkListBox *list;

  ensure_user_data_dir ();
  visit_project (manager, project);

  window = uni_welcome_window_new_full (app, manager);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  assert_names (uni_welcome_window_get_recent (window), "www");
  uni_test_wait_for_draw (GTK_WIDGET (window));

  list = get_recent_list (window);
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));

  /* The project opens in its own window and the welcome window steps aside. */
  project_window = find_project_window ();
  g_assert_nonnull (project_window);
  g_assert_true (g_file_equal (uni_project_get_directory (uni_window_get_project (project_window)),
                               project));
  g_assert_true (uni_test_wait_for (pointer_is_null, &window, 5000));

  gtk_window_destroy (GTK_WINDOW (project_window));
}

static void
open_demo (void)
{
  UniWelcomeWindow *window;
  UniWindow *project_window;

  window = uni_welcome_window_new (app);
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_present (GTK_WINDOW (window));
  uni_test_wait_for_draw (GTK_WIDGET (window));

  /* The demo is copied off the main loop; the welcome window leaves when it opens. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "welcome.open-demo", NULL));
  g_assert_true (uni_test_wait_for (pointer_is_null, &window, 20000));

  project_window = find_project_window ();
  g_assert_nonnull (project_window);
  gtk_window_destroy (GTK_WINDOW (project_window));
}

/* One case: the default recent manager keeps the first test's data folder,
 * which GLib removes when that test ends.
 */
static void
test_open (void)
{
  open_recent ();
  open_demo ();

  /* Let the recent manager write before the folder goes away. */
  uni_test_iterate (500);
}

/* Clone dialog */

typedef struct
{
  UniCloneDialog *dialog;
  GtkWidget      *progress_bar;
  GtkWidget      *status_bar;
  GtkWidget      *cancel_button;
  GtkWidget      *clone_button;
  GArray         *fractions;
  GFile          *cloned;
  gboolean        cancel_at_first_progress;
  gboolean        cancelled;
} CloneFixture;

static void
fraction_changed_cb (GtkProgressBar *bar,
                     GParamSpec     *pspec,
                     CloneFixture   *fixture)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  g_array_append_val (fixture->fractions, fraction);

  if (fixture->cancel_at_first_progress && !fixture->cancelled && fraction > 0.0)
    {
      fixture->cancelled = TRUE;
      uni_clone_dialog_cancel (fixture->dialog);
    }
}

static void
cloned_cb (UniCloneDialog *dialog,
           GFile          *directory,
           CloneFixture   *fixture)
{
  g_assert_null (fixture->cloned);
  fixture->cloned = g_object_ref (directory);
}

static void
clone_fixture_init (CloneFixture *fixture)
{
  GtkWidget *widget;

  fixture->dialog = g_object_ref (uni_clone_dialog_new (NULL));
  widget = GTK_WIDGET (fixture->dialog);

  fixture->progress_bar = g_object_ref (uni_test_find_widget (widget, GTK_TYPE_PROGRESS_BAR, NULL));
  fixture->status_bar = g_object_ref (uni_test_find_widget (widget, GTK_TYPE_REVEALER, "status_revealer"));
  fixture->cancel_button = g_object_ref (uni_test_find_widget (widget, GTK_TYPE_BUTTON, "cancel_button"));
  fixture->clone_button = g_object_ref (uni_test_find_widget (widget, GTK_TYPE_BUTTON, "clone_button"));
  fixture->fractions = g_array_new (FALSE, FALSE, sizeof (double));

  g_signal_connect (fixture->progress_bar, "notify::fraction",
                    G_CALLBACK (fraction_changed_cb), fixture);
  g_signal_connect (fixture->dialog, "cloned", G_CALLBACK (cloned_cb), fixture);

  gtk_window_present (GTK_WINDOW (fixture->dialog));
}

static void
clone_fixture_clear (CloneFixture *fixture)
{
  g_signal_handlers_disconnect_by_data (fixture->progress_bar, fixture);
  g_signal_handlers_disconnect_by_data (fixture->dialog, fixture);
  gtk_window_destroy (GTK_WINDOW (fixture->dialog));
  g_clear_object (&fixture->progress_bar);
  g_clear_object (&fixture->status_bar);
  g_clear_object (&fixture->cancel_button);
  g_clear_object (&fixture->clone_button);
  g_assert_finalize_object (fixture->dialog);
  g_clear_pointer (&fixture->fractions, g_array_unref);
  g_clear_object (&fixture->cloned);
}

static const char *
get_status_label (CloneFixture *fixture)
{
  GtkWidget *label = uni_test_find_widget (fixture->status_bar, GTK_TYPE_LABEL, "status_label");

  g_assert_nonnull (label);
  return gtk_widget_get_visible (label) ? gtk_label_get_label (GTK_LABEL (label)) : NULL;
}

static const char *
get_status_title (CloneFixture *fixture)
{
  GtkWidget *label = uni_test_find_widget (fixture->status_bar, GTK_TYPE_LABEL, "status_title");

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
status_is_error (CloneFixture *fixture)
{
  GtkWidget *label = uni_test_find_widget (fixture->status_bar, GTK_TYPE_LABEL, "status_title");

  return gtk_widget_has_css_class (label, "error");
}

static gboolean
clone_finished (gpointer data)
{
  CloneFixture *fixture = data;

  return fixture->cloned != NULL || gtk_revealer_get_reveal_child (GTK_REVEALER (fixture->status_bar));
}

static gboolean
clone_button_sensitive (gpointer data)
{
  return gtk_widget_is_sensitive (data);
}

static void
assert_editable (CloneFixture *fixture)
{
  GtkWidget *url_row = uni_test_find_widget (GTK_WIDGET (fixture->dialog), ADW_TYPE_ENTRY_ROW,
                                             "Repository URL");
  GtkWidget *name_row = uni_test_find_widget (GTK_WIDGET (fixture->dialog), ADW_TYPE_ENTRY_ROW,
                                              "Folder Name");

  g_assert_true (gtk_widget_is_sensitive (url_row));
  g_assert_true (gtk_widget_is_sensitive (name_row));
  g_assert_true (gtk_widget_is_sensitive (fixture->clone_button));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (fixture->cancel_button)), ==, "_Cancel");
}

static void
add_files_and_commit (GFile *repo,
                      guint  n_files,
                      gsize  file_size)
{
  g_autofree char *contents = NULL;

  contents = g_malloc (file_size + 1);
  for (gsize i = 0; i < file_size; i++)
    contents[i] = 'a' + (g_random_int () % 26);
  contents[file_size] = '\0';

  for (guint i = 0; i < n_files; i++)
    {
      g_autofree char *name = g_strdup_printf ("src/module_%03u.ml", i);

      /* Distinct contents, so every file is its own object to fetch and write. */
      contents[0] = 'a' + (i % 26);
      contents[1] = 'a' + ((i / 26) % 26);
      uni_test_write_file (repo, name, contents);
    }

  uni_test_run (repo, "git", "add", "src", NULL);
  uni_test_run (repo, "git", "commit", "--quiet", "-m", "Add modules", NULL);
}

static void
test_clone_progress (void)
{
  g_autoptr(GFile) source = uni_test_make_git_repo ("mirage-www");
  g_autoptr(GFile) destination = uni_test_make_tempdir ("my \"quoted\" 'projects' with spaces");
  g_autoptr(GFile) clone = g_file_get_child (destination, "mirage-www");
  g_autoptr(GFile) config = g_file_get_child (clone, "config.ml");
  g_autoptr(GFile) module = g_file_resolve_relative_path (clone, "src/module_042.ml");
  g_autoptr(GFile) git_dir = g_file_get_child (clone, ".git");
  g_autofree char *url = g_file_get_uri (source);
  g_autoptr(GHashTable) distinct = g_hash_table_new (g_double_hash, g_double_equal);
  CloneFixture fixture = { 0 };
  double last = 0.0;
  gboolean saw_stop = FALSE;
  gboolean saw_between = FALSE;

  add_files_and_commit (source, 300, 16384);
  clone_fixture_init (&fixture);

  uni_clone_dialog_set_url (fixture.dialog, url);
  uni_clone_dialog_set_destination (fixture.dialog, destination);
  g_assert_true (gtk_widget_is_sensitive (fixture.clone_button));

  uni_clone_dialog_start (fixture.dialog);
  saw_stop = g_str_equal (gtk_button_get_label (GTK_BUTTON (fixture.cancel_button)), "_Stop");
  g_assert_true (saw_stop);
  g_assert_false (gtk_widget_is_sensitive (fixture.clone_button));

  g_assert_true (uni_test_wait_for (clone_finished, &fixture, CLONE_TIMEOUT_MS));
  if (fixture.cloned == NULL)
    g_error ("clone failed: %s", get_status_label (&fixture));

  g_assert_true (g_file_equal (fixture.cloned, clone));
  g_assert_true (g_file_query_exists (config, NULL));
  g_assert_true (g_file_query_exists (module, NULL));
  g_assert_true (g_file_query_exists (git_dir, NULL));

  /* The bar only moves forward, shows more than a start and an end, and ends full. */
  g_assert_cmpuint (fixture.fractions->len, >=, 2);
  for (guint i = 0; i < fixture.fractions->len; i++)
    {
      double fraction = g_array_index (fixture.fractions, double, i);

      g_assert_cmpfloat (fraction, >=, last);
      last = fraction;
      saw_between |= fraction > 0.0 && fraction < 1.0;
      g_hash_table_add (distinct, &g_array_index (fixture.fractions, double, i));
    }
  g_test_message ("%u progress updates, %u distinct fractions",
                  fixture.fractions->len, g_hash_table_size (distinct));
  g_assert_cmpuint (g_hash_table_size (distinct), >=, 2);
  g_assert_true (saw_between);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_cmpfloat (uni_clone_dialog_get_fraction (fixture.dialog), ==, 1.0);

  /* Success closes the dialog. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (fixture.dialog)));

  clone_fixture_clear (&fixture);
}

static void
test_clone_bad_url (void)
{
  g_autoptr(GFile) destination = uni_test_make_tempdir ("bad-url");
  g_autoptr(GFile) target = g_file_get_child (destination, "repo");
  g_autoptr(GFileEnumerator) children = NULL;
  CloneFixture fixture = { 0 };
  const char *message;

  clone_fixture_init (&fixture);
  uni_clone_dialog_set_url (fixture.dialog, "file:///nonexistent/repo");
  uni_clone_dialog_set_destination (fixture.dialog, destination);
  uni_clone_dialog_start (fixture.dialog);

  g_assert_true (uni_test_wait_for (clone_finished, &fixture, CLONE_TIMEOUT_MS));
  g_assert_null (fixture.cloned);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (fixture.status_bar)));
  g_assert_true (status_is_error (&fixture));
  message = get_status_label (&fixture);
  g_test_message ("error shown: %s", message);
  g_assert_nonnull (message);
  g_assert_cmpstr (message, !=, "");
  g_assert_false (g_file_query_exists (target, NULL));
  assert_editable (&fixture);

  /* A new attempt clears the error. */
  uni_clone_dialog_set_url (fixture.dialog, "file:///nonexistent/other");
  uni_clone_dialog_start (fixture.dialog);
  g_assert_false (gtk_revealer_get_reveal_child (GTK_REVEALER (fixture.status_bar)));
  g_assert_true (uni_test_wait_for (clone_finished, &fixture, CLONE_TIMEOUT_MS));

  clone_fixture_clear (&fixture);
}

static void
test_clone_cancel (void)
{
  g_autoptr(GFile) source = uni_test_make_git_repo ("big");
  g_autoptr(GFile) destination = uni_test_make_tempdir ("cancel here");
  g_autoptr(GFile) target = g_file_get_child (destination, "big");
  g_autofree char *url = g_file_get_uri (source);
  CloneFixture fixture = { 0 };

  add_files_and_commit (source, 300, 16384);

  clone_fixture_init (&fixture);
  fixture.cancel_at_first_progress = TRUE;
  uni_clone_dialog_set_url (fixture.dialog, url);
  uni_clone_dialog_set_destination (fixture.dialog, destination);
  uni_clone_dialog_start (fixture.dialog);

  g_assert_true (uni_test_wait_for (clone_finished, &fixture, CLONE_TIMEOUT_MS));
  g_assert_true (fixture.cancelled);
  g_assert_null (fixture.cloned);
  g_assert_false (status_is_error (&fixture));
  g_assert_cmpstr (get_status_title (&fixture), ==, "Clone cancelled");
  g_assert_false (g_file_query_exists (target, NULL));
  assert_editable (&fixture);
  uni_test_iterate (400);
  g_free (uni_test_screenshot (GTK_WIDGET (fixture.dialog), "clone-dialog-cancelled"));

  clone_fixture_clear (&fixture);
}

static void
test_clone_close_cancels (void)
{
  g_autoptr(GFile) source = uni_test_make_git_repo ("closing");
  g_autoptr(GFile) destination = uni_test_make_tempdir ("close");
  g_autoptr(GFile) target = g_file_get_child (destination, "closing");
  g_autofree char *url = g_file_get_uri (source);
  UniCloneDialog *dialog = uni_clone_dialog_new (NULL);

  add_files_and_commit (source, 300, 16384);

  gtk_window_present (GTK_WINDOW (dialog));
  uni_clone_dialog_set_url (dialog, url);
  uni_clone_dialog_set_destination (dialog, destination);
  uni_clone_dialog_start (dialog);
  gtk_window_close (GTK_WINDOW (dialog));

  /* Core cleans up after the cancelled clone off the main thread. */
  for (guint i = 0; i < 100 && g_file_query_exists (target, NULL); i++)
    uni_test_iterate (50);
  uni_test_iterate (200);
  g_assert_false (g_file_query_exists (target, NULL));
}

static void
test_clone_url_validation (void)
{
  g_autoptr(GFile) local = uni_test_make_git_repo ("local-repo");
  g_autofree char *local_path = g_file_get_path (local);
  g_autofree char *local_uri = g_file_get_uri (local);
  g_autofree char *local_slash = g_strconcat (local_path, "/", NULL);
  g_autofree char *local_home = NULL;
  struct {
    const char *url;
    gboolean    valid;
    const char *name;
  } cases[] = {
    { "", FALSE, "" },
    { "   ", FALSE, "" },
    { "https://github.com/mirage/mirage-skeleton.git", TRUE, "mirage-skeleton" },
    { "  https://github.com/mirage/mirage-www\n", TRUE, "mirage-www" },
    { "https://github.com/mirage/mirage-www/", TRUE, "mirage-www" },
    { "https://gitlab.com/a/b/my%20unikernel.git", TRUE, "my unikernel" },
    { "git://example.org/ocaml/dune.git", TRUE, "dune" },
    { "ssh://git@example.org:2222/srv/repo.git", TRUE, "repo" },
    { "git@github.com:mirage/mirage-skeleton.git", TRUE, "mirage-skeleton" },
    { "user@host.example:repo", TRUE, "repo" },
    { "file:///nonexistent/repo", TRUE, "repo" },
    { "https://", FALSE, "" },
    { "https://github.com", FALSE, "" },
    { "github.com/mirage/mirage-www", FALSE, "mirage-www" },
    { "not a url", FALSE, "not a url" },
    { "@host:path", FALSE, "@host:path" },
    { "/nonexistent/path/repo", FALSE, "repo" },
    { local_path, TRUE, "local-repo" },
    { local_slash, TRUE, "local-repo" },
    { local_uri, TRUE, "local-repo" },
  };
  CloneFixture fixture = { 0 };
  g_autoptr(GFile) destination = uni_test_make_tempdir ("validation");
  GtkWidget *name_row;

  clone_fixture_init (&fixture);
  uni_clone_dialog_set_destination (fixture.dialog, destination);
  name_row = uni_test_find_widget (GTK_WIDGET (fixture.dialog), ADW_TYPE_ENTRY_ROW, "Folder Name");
  g_assert_false (gtk_widget_is_sensitive (fixture.clone_button));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean sensitive;

      uni_clone_dialog_set_url (fixture.dialog, cases[i].url);

      /* Local paths are checked asynchronously: give the disk a moment either way. */
      if (cases[i].valid)
        uni_test_wait_for (clone_button_sensitive, fixture.clone_button, 2000);
      else
        uni_test_iterate (50);

      sensitive = gtk_widget_is_sensitive (fixture.clone_button);
      if (sensitive != cases[i].valid)
        g_error ("“%s”: Clone is %s", cases[i].url, sensitive ? "sensitive" : "insensitive");
      g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, cases[i].name);
    }

  /* A name typed by the user wins over the URL's, and must be a plain name. */
  uni_clone_dialog_set_url (fixture.dialog, "https://github.com/mirage/mirage-www.git");
  gtk_editable_set_text (GTK_EDITABLE (name_row), "website");
  uni_clone_dialog_set_url (fixture.dialog, "https://github.com/mirage/mirage-skeleton.git");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "website");
  g_assert_true (gtk_widget_is_sensitive (fixture.clone_button));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "a/b");
  g_assert_false (gtk_widget_is_sensitive (fixture.clone_button));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "..");
  g_assert_false (gtk_widget_is_sensitive (fixture.clone_button));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "");
  uni_clone_dialog_set_url (fixture.dialog, "https://github.com/mirage/mirage-skeleton.git");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "mirage-skeleton");

  /* ~ means home. */
  {
    g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
    g_autoptr(GFile) in_home = make_folder (home, "repo-in-home");

    uni_clone_dialog_set_url (fixture.dialog, "~/repo-in-home");
    g_assert_true (uni_test_wait_for (clone_button_sensitive, fixture.clone_button, 2000));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "repo-in-home");
    g_file_delete (in_home, NULL, NULL);
  }

  clone_fixture_clear (&fixture);
}

static void
test_welcome_screenshot (void)
{
  g_autoptr(GFile) root = uni_test_make_tempdir ("screenshot");
  g_autoptr(GFile) home = g_file_new_for_path (g_get_home_dir ());
  g_autoptr(GFile) projects = make_folder (home, "Projects");
  g_autoptr(GFile) www = make_folder (projects, "mirage-www");
  g_autoptr(GFile) game = make_folder (projects, "unikernel-2048");
  g_autoptr(GtkRecentManager) manager = make_recent_manager (root);
  g_autofree char *light = NULL;
  g_autofree char *dark = NULL;
  UniWelcomeWindow *window;
  UniRecentProject *missing;
  GListModel *model;

  visit_project (manager, game);
  visit_project (manager, www);
  g_file_delete (game, NULL, NULL);

  window = uni_welcome_window_new_full (app, manager);
  gtk_window_present (GTK_WINDOW (window));
  model = uni_welcome_window_get_recent (window);
  assert_names (model, "mirage-www unikernel-2048");
  missing = find_project (model, "unikernel-2048", NULL);
  g_assert_true (uni_test_wait_for (project_is_missing, missing, 5000));

  light = uni_test_screenshot (GTK_WIDGET (window), "welcome");
  uni_test_set_dark (TRUE);
  dark = uni_test_screenshot (GTK_WIDGET (window), "welcome-dark");
  uni_test_set_dark (FALSE);

  g_assert_true (g_file_test (light, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (dark, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
  g_file_delete (www, NULL, NULL);
  g_file_delete (projects, NULL, NULL);
}

static void
test_welcome_empty_screenshot (void)
{
  g_autoptr(GFile) root = uni_test_make_tempdir ("empty");
  g_autoptr(GtkRecentManager) manager = make_recent_manager (root);
  UniWelcomeWindow *window;
  g_autofree char *path = NULL;

  window = uni_welcome_window_new_full (app, manager);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_cmpuint (g_list_model_get_n_items (uni_welcome_window_get_recent (window)), ==, 0);
  path = uni_test_screenshot (GTK_WIDGET (window), "welcome-empty");
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_clone_screenshot (void)
{
  g_autoptr(GFile) destination = uni_test_make_tempdir ("screenshot");
  CloneFixture fixture = { 0 };
  g_autofree char *idle = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *dark = NULL;

  clone_fixture_init (&fixture);
  uni_clone_dialog_set_destination (fixture.dialog, destination);
  uni_clone_dialog_set_url (fixture.dialog, "https://github.com/mirage/mirage-skeleton.git");
  idle = uni_test_screenshot (GTK_WIDGET (fixture.dialog), "clone-dialog");

  uni_clone_dialog_set_url (fixture.dialog, "file:///nonexistent/mirage-skeleton.git");
  uni_clone_dialog_start (fixture.dialog);
  g_assert_true (uni_test_wait_for (clone_finished, &fixture, CLONE_TIMEOUT_MS));
  uni_test_iterate (400);
  failed = uni_test_screenshot (GTK_WIDGET (fixture.dialog), "clone-dialog-error");
  uni_test_set_dark (TRUE);
  dark = uni_test_screenshot (GTK_WIDGET (fixture.dialog), "clone-dialog-error-dark");
  uni_test_set_dark (FALSE);

  clone_fixture_clear (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  uni_test_gui_init (&argc, &argv);

  /* The real application, so rows open real project windows; registering it
   * runs startup, which loads the style sheet and the shortcuts window.
   */
  app = GTK_APPLICATION (uni_application_new ("io.github.unistudio.Unistudio.TestWelcome",
                                              G_APPLICATION_NON_UNIQUE));
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/uni/welcome/recent-order", test_recent_order);
  g_test_add_func ("/uni/welcome/remove-recent", test_remove_recent);
  g_test_add_func ("/uni/welcome/open", test_open);
  g_test_add_func ("/uni/welcome/screenshot", test_welcome_screenshot);
  g_test_add_func ("/uni/welcome/screenshot-empty", test_welcome_empty_screenshot);
  g_test_add_func ("/uni/clone/url-validation", test_clone_url_validation);
  g_test_add_func ("/uni/clone/progress", test_clone_progress);
  g_test_add_func ("/uni/clone/bad-url", test_clone_bad_url);
  g_test_add_func ("/uni/clone/cancel", test_clone_cancel);
  g_test_add_func ("/uni/clone/close-cancels", test_clone_close_cancels);
  g_test_add_func ("/uni/clone/screenshot", test_clone_screenshot);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
