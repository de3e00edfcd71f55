/* test-board-panel.c — the board panel of the project window against a real ssh server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The boards are the test's OpenSSH server on 127.0.0.1 (tests/uni-test-sshd.h),
 * whose sessions find the stand-in xl of tests/fixtures first in PATH. The profiles
 * live in the test's own $XDG_CONFIG_HOME, as a user's would.
 */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "uni-board-dialog.h"
#include "uni-board-panel.h"
#include "uni-test-sshd.h"
#include "uni-test-util-gui.h"
#include "uni-window.h"
/* The window's toolchain, which Deploy needs, is not public. */
#include "uni-window-private.h"

#define TIMEOUT_MSEC 60000

static GtkApplication *application;

static UniBoardProfile *
sshd_profile (UniTestSshd       *sshd,
              const char        *name,
              UniTestSshdClient  client)
{
  g_autoptr(UniBoardProfile) profile = uni_board_profile_new (name, "cubieboard2");
  g_auto(GStrv) options = uni_test_sshd_dup_client_options (sshd, client);

  uni_board_profile_set_host (profile, uni_test_sshd_get_host (sshd));
  uni_board_profile_set_port (profile, uni_test_sshd_get_client_port (sshd, client));
  uni_board_profile_set_user (profile, uni_test_sshd_get_user (sshd));
  uni_board_profile_set_ssh_options (profile, (const char * const *) options);
  uni_board_profile_set_xl_sudo (profile, FALSE);

  return g_steal_pointer (&profile);
}

/* The user's boards.ini holds @profiles (NULL-terminated), nothing else. */
static void
save_profiles (UniBoardProfile *first,
               ...)
{
  g_autoptr(GFile) file = uni_board_profiles_dup_default_file ();
  g_autoptr(UniBoardProfiles) profiles = NULL;
  g_autoptr(GError) error = NULL;
  UniTestAsync async = { 0 };
  va_list args;

  g_file_delete (file, NULL, NULL);
  profiles = uni_board_profiles_new (file);

  va_start (args, first);
  for (UniBoardProfile *p = first; p != NULL; p = va_arg (args, UniBoardProfile *))
    {
      uni_board_profiles_add (profiles, p, &error);
      g_assert_no_error (error);
    }
  va_end (args);

  uni_board_profiles_save_async (profiles, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, TIMEOUT_MSEC));
  uni_board_profiles_save_finish (profiles, async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);
}

static gboolean
panel_has_status (gpointer data)
{
  return uni_board_panel_get_status (data) != NULL;
}

static gboolean
panel_shows (gpointer data)
{
  UniBoardPanel *panel = data;
  GtkStack *stack = GTK_STACK (uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_STACK, "stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "loading") != 0;
}

typedef struct
{
  UniBoardPanel  *panel;
  UniBoardStatus *before;
} NewStatus;

static gboolean
panel_has_new_status (gpointer data)
{
  NewStatus *n = data;
  UniBoardStatus *status = uni_board_panel_get_status (n->panel);

  return status != NULL && status != n->before;
}

static UniBoardPanel *
show_panel (UniWindow *window)
{
  GtkWidget *button = uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_TOGGLE_BUTTON,
                                            "board_button");
  UniBoardPanel *panel = UNI_BOARD_PANEL (uni_test_find_widget (GTK_WIDGET (window),
                                                                UNI_TYPE_BOARD_PANEL, NULL));

  g_assert_nonnull (button);
  g_assert_nonnull (panel);
  g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (panel)));
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  g_assert_true (uni_test_wait_for (panel_shows, panel, TIMEOUT_MSEC));

  return panel;
}

static const char *
label_text (UniBoardPanel *panel,
            const char    *id)
{
  GtkWidget *label = uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_LABEL, id);

  g_assert_nonnull (label);
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
shows_running_www (gpointer data)
{
  return g_strcmp0 (label_text (data, "state_label"), "Running www") == 0;
}

static void
close_window (UniWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  uni_test_iterate (50);
}

/* No profile yet: the empty state with the board's picture offers to add one. */
static void
test_board_panel_empty (void)
{
  g_autoptr(GFile) dir = uni_test_copy_demo ("empty", NULL);
  g_autoptr(GFile) file = uni_board_profiles_dup_default_file ();
  UniWindow *window;
  UniBoardPanel *panel;
  GtkStack *stack;
  AdwStatusPage *empty;

  g_file_delete (file, NULL, NULL);
  window = uni_test_open_window (application, dir);
  panel = show_panel (window);

  stack = GTK_STACK (uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_STACK, "stack"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  empty = ADW_STATUS_PAGE (uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_STATUS_PAGE,
                                                 "empty_page"));
  g_assert_nonnull (adw_status_page_get_paintable (empty));
  g_assert_nonnull (uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_BUTTON, "_Add a Board"));
  g_assert_null (uni_board_panel_get_profile (panel));

  uni_test_screenshot_both (GTK_WIDGET (window), "board-panel-empty");
  close_window (window);
}

/* What stands between the user and a board that answers, in the headline,
 * with the probe's words on what to check below it; nothing is bypassed.
 */
static void
test_board_panel_failures (void)
{
  static const struct
  {
    const char        *name;
    UniTestSshdClient  client;
    UniBoardState      state;
    const char        *headline;
  } cases[] = {
    { "Changed key", UNI_TEST_SSHD_CLIENT_CHANGED_HOST_KEY, UNI_BOARD_STATE_HOST_KEY_CHANGED,
      "Host Key Changed" },
    { "Stranger", UNI_TEST_SSHD_CLIENT_UNKNOWN_HOST, UNI_BOARD_STATE_HOST_KEY_UNKNOWN,
      "Unknown Host Key" },
    { "Wrong key", UNI_TEST_SSHD_CLIENT_UNAUTHORIZED_KEY, UNI_BOARD_STATE_AUTH_FAILED,
      "Login Refused" },
  };
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) changed = NULL;
  g_autoptr(UniBoardProfile) stranger = NULL;
  g_autoptr(UniBoardProfile) wrong = NULL;
  g_autoptr(GFile) dir = NULL;
  GtkDropDown *dropdown;
  UniWindow *window;
  UniBoardPanel *panel;

  if (sshd == NULL)
    return;

  changed = sshd_profile (sshd, cases[0].name, cases[0].client);
  stranger = sshd_profile (sshd, cases[1].name, cases[1].client);
  wrong = sshd_profile (sshd, cases[2].name, cases[2].client);
  save_profiles (changed, stranger, wrong, NULL);
  dir = uni_test_copy_demo ("failures", NULL);

  window = uni_test_open_window (application, dir);
  panel = show_panel (window);
  dropdown = GTK_DROP_DOWN (uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_DROP_DOWN,
                                                  "profile_dropdown"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniBoardStatus *status;

      g_test_message ("%s", cases[i].name);
      gtk_drop_down_set_selected (dropdown, i);
      g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==,
                       cases[i].name);
      g_assert_true (uni_test_wait_for (panel_has_status, panel, TIMEOUT_MSEC));
      status = uni_board_panel_get_status (panel);
      g_assert_cmpint (uni_board_status_get_state (status), ==, cases[i].state);
      g_assert_cmpstr (label_text (panel, "state_label"), ==, cases[i].headline);
      g_assert_cmpstr (label_text (panel, "detail_label"), ==,
                       uni_board_status_get_message (status));
      g_assert_null (uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_ACTION_ROW, "Domain-0"));
    }

  uni_test_screenshot (GTK_WIDGET (window), "board-panel-login-refused");
  close_window (window);
}

/* Starts a domain called @name on the test server's stand-in xl. */
static void
start_domain (UniTestSshd *sshd,
              const char  *name)
{
  g_autoptr(GFile) home = g_file_new_for_path (uni_test_sshd_get_remote_home (sshd));
  g_autoptr(GPtrArray) argv = uni_test_sshd_new_argv (sshd, UNI_TEST_SSHD_CLIENT_GOOD, "ssh");
  g_autofree char *destination = g_strdup_printf ("%s@%s", uni_test_sshd_get_user (sshd),
                                                  uni_test_sshd_get_host (sshd));
  g_autofree char *xl = NULL;
  g_autofree char *quoted = g_strescape (name, NULL);
  g_autoptr(GError) error = NULL;
  int status = -1;

  uni_test_write_file (home, "panel.kernel", "stand-in xen kernel for panel by mirage 4.5\n");
  xl = g_strdup_printf ("name = \"%s\"\nkernel = \"panel.kernel\"\nmemory = 64\n"
                        "vif = [ 'bridge=br0' ]\n", quoted);
  uni_test_write_file (home, "panel.xl", xl);

  g_ptr_array_add (argv, g_strdup (destination));
  g_ptr_array_add (argv, g_strdup ("xl create -q panel.xl </dev/null >/dev/null 2>&1"));
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* The project's board, reached over ssh: Xen's version, memory, bridges and
 * the domains in words; a domain named after the project's unikernel (its
 * manifest's name), started by someone else, shows as running.
 */
static void
test_board_panel_reachable (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) refused = NULL;
  g_autoptr(UniBoardProfile) good = NULL;
  g_autoptr(GFile) dir = NULL;
  UniWindow *window;
  UniBoardPanel *panel;
  UniProject *project;
  NewStatus next = { 0 };
  GtkWidget *row;
  g_autofree char *dropdown_board = NULL;

  if (sshd == NULL)
    return;

  refused = sshd_profile (sshd, "Lab bench", UNI_TEST_SSHD_CLIENT_REFUSED);
  good = sshd_profile (sshd, "Cubie on the desk", UNI_TEST_SSHD_CLIENT_GOOD);
  save_profiles (refused, good, NULL);
  dir = uni_test_copy_demo ("reachable", "[Project]\nboard=Cubie on the desk\n");

  window = uni_test_open_window (application, dir);
  project = uni_window_get_project (window);
  panel = show_panel (window);

  /* The project's board, not the first one. */
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==,
                   "Cubie on the desk");
  g_assert_true (uni_test_wait_for (panel_has_status, panel, TIMEOUT_MSEC));
  g_assert_cmpint (uni_board_status_get_state (uni_board_panel_get_status (panel)), ==,
                   UNI_BOARD_STATE_OK);
  g_assert_cmpstr (label_text (panel, "state_label"), ==, "Reachable — Xen 4.4.0");
  g_assert_cmpstr (label_text (panel, "xen_label"), ==, "4.4.0");
  g_assert_nonnull (strstr (label_text (panel, "memory_label"), "MiB"));
  row = uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_ACTION_ROW, "Domain-0");
  g_assert_nonnull (row);
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "running"));

  /* The panel asks again while it is shown: a domain started meanwhile appears. */
  start_domain (sshd, "www");
  next.panel = panel;
  next.before = uni_board_panel_get_status (panel);
  g_assert_true (uni_test_wait_for (panel_has_new_status, &next, TIMEOUT_MSEC));
  /* The name comes from config.ml, which the window reads meanwhile. */
  g_assert_true (uni_test_wait_for (shows_running_www, panel, TIMEOUT_MSEC));
  row = uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_ACTION_ROW, "www");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "ours"));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "64 MiB"));

  uni_test_screenshot_both (GTK_WIDGET (window), "board-panel-reachable");

  /* Picking the other board remembers it for the project and says what fails. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (uni_test_find_widget (GTK_WIDGET (panel),
                                                                   GTK_TYPE_DROP_DOWN,
                                                                   "profile_dropdown")), 0);
  dropdown_board = uni_project_settings_dup_board (uni_project_get_settings (project));
  g_assert_cmpstr (dropdown_board, ==, "Lab bench");
  g_assert_true (uni_test_wait_for (panel_has_status, panel, TIMEOUT_MSEC));
  g_assert_cmpint (uni_board_status_get_state (uni_board_panel_get_status (panel)), ==,
                   UNI_BOARD_STATE_REFUSED);
  g_assert_cmpstr (label_text (panel, "state_label"), ==, "Unreachable");
  g_assert_cmpstr (label_text (panel, "detail_label"), ==,
                   uni_board_status_get_message (uni_board_panel_get_status (panel)));
  g_assert_null (uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_ACTION_ROW, "Domain-0"));

  uni_test_screenshot (GTK_WIDGET (window), "board-panel-unreachable");
  close_window (window);
}

static UniBoardDialog *
find_board_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (UNI_IS_BOARD_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return UNI_BOARD_DIALOG (toplevel);
    }

  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_board_dialog () == NULL;
}

static void
type_into (UniBoardDialog *dialog,
           const char     *row,
           const char     *text)
{
  GtkWidget *widget = uni_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, row);

  g_assert_nonnull (widget);
  gtk_editable_set_text (GTK_EDITABLE (widget), text);
}

static gboolean
label_visible (gpointer data)
{
  GtkWidget *label = data;

  return gtk_widget_get_mapped (label) && *gtk_label_get_label (GTK_LABEL (label)) != '\0';
}

/* The form starts from the Cubieboard2's defaults, refuses what cannot work
 * in place, keeping what was typed, and adds the board the project then uses.
 */
static void
test_board_panel_add (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GFile) file = uni_board_profiles_dup_default_file ();
  g_auto(GStrv) options = NULL;
  g_autoptr(GString) options_text = g_string_new (NULL);
  g_autofree char *port = NULL;
  g_autofree char *board = NULL;
  g_autofree char *saved = NULL;
  UniWindow *window;
  UniBoardPanel *panel;
  UniBoardDialog *dialog;
  GtkWidget *error_label;

  if (sshd == NULL)
    return;

  g_file_delete (file, NULL, NULL);
  dir = uni_test_copy_demo ("add", NULL);
  window = uni_test_open_window (application, dir);
  panel = show_panel (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "board.add", NULL));
  dialog = find_board_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (uni_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "host_row"))),
                   ==, "cubieboard2.local");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (uni_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "user_row"))),
                   ==, "mirage");
  uni_test_screenshot (GTK_WIDGET (dialog), "board-panel-add");

  options = uni_test_sshd_dup_client_options (sshd, UNI_TEST_SSHD_CLIENT_GOOD);
  for (guint i = 0; options[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (options[i]);

      g_string_append_printf (options_text, "%s%s", i > 0 ? " " : "", quoted);
    }
  port = g_strdup_printf ("%u", uni_test_sshd_get_client_port (sshd, UNI_TEST_SSHD_CLIENT_GOOD));
  type_into (dialog, "name_row", "Bench board");
  type_into (dialog, "host_row", uni_test_sshd_get_host (sshd));
  type_into (dialog, "user_row", uni_test_sshd_get_user (sshd));
  type_into (dialog, "options_row", options_text->str);
  gtk_switch_set_active (GTK_SWITCH (uni_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, "sudo_switch")), FALSE);

  /* A port that is no port: said in the form, nothing saved, nothing lost. */
  type_into (dialog, "port_row", "22x");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  error_label = uni_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "error_label");
  g_assert_true (uni_test_wait_for (label_visible, error_label, TIMEOUT_MSEC));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   "The port “22x” is not a number from 1 to 65535.");
  g_assert_false (g_file_query_exists (file, NULL));
  g_assert_true (find_board_dialog () == dialog);
  uni_test_screenshot (GTK_WIDGET (dialog), "board-panel-add-error");

  type_into (dialog, "port_row", port);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  g_assert_true (uni_test_wait_for (dialog_gone, NULL, TIMEOUT_MSEC));

  g_assert_true (g_file_load_contents (file, NULL, &saved, NULL, NULL, NULL));
  g_assert_nonnull (strstr (saved, "Bench board"));
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==,
                   "Bench board");
  board = uni_project_settings_dup_board (uni_project_get_settings (uni_window_get_project (window)));
  g_assert_cmpstr (board, ==, "Bench board");
  g_assert_true (uni_test_wait_for (panel_has_status, panel, TIMEOUT_MSEC));
  g_assert_cmpint (uni_board_status_get_state (uni_board_panel_get_status (panel)), ==,
                   UNI_BOARD_STATE_OK);

  close_window (window);
}

static gboolean
panel_has_state (UniBoardPanel *panel,
                 UniBoardState  state)
{
  return uni_test_wait_for (panel_has_status, panel, TIMEOUT_MSEC)
         && uni_board_status_get_state (uni_board_panel_get_status (panel)) == state;
}

static char *
read_profiles_file (void)
{
  g_autoptr(GFile) file = uni_board_profiles_dup_default_file ();
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_load_contents (file, NULL, &text, NULL, NULL, &error);
  g_assert_no_error (error);

  return text;
}

/* Edit fills the form with the board shown, refuses what cannot work without
 * touching boards.ini, and saves a new name and port: the project keeps the
 * board under its new name and the panel asks the new address.
 */
static void
test_board_panel_edit (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) desk = NULL;
  g_autoptr(UniBoardProfile) other = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after_refusal = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *port = NULL;
  g_autofree char *port_line = NULL;
  g_autofree char *board = NULL;
  UniWindow *window;
  UniBoardPanel *panel;
  UniBoardDialog *dialog;
  GtkWidget *error_label;

  if (sshd == NULL)
    return;

  /* The right key and options, but a port nobody answers on. */
  desk = sshd_profile (sshd, "Desk", UNI_TEST_SSHD_CLIENT_GOOD);
  uni_board_profile_set_port (desk, uni_test_sshd_get_client_port (sshd, UNI_TEST_SSHD_CLIENT_REFUSED));
  other = sshd_profile (sshd, "Other", UNI_TEST_SSHD_CLIENT_REFUSED);
  save_profiles (other, desk, NULL);
  dir = uni_test_copy_demo ("edit", "[Project]\nboard=Desk\n");

  window = uni_test_open_window (application, dir);
  panel = show_panel (window);
  g_assert_nonnull (uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_MENU_BUTTON,
                                          "board_menu_button"));
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==, "Desk");
  g_assert_true (panel_has_state (panel, UNI_BOARD_STATE_REFUSED));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "board.edit", NULL));
  dialog = find_board_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (dialog)), ==, "Edit Board");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (uni_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "name_row"))),
                   ==, "Desk");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (uni_test_find_widget (GTK_WIDGET (dialog), ADW_TYPE_ENTRY_ROW, "host_row"))),
                   ==, uni_test_sshd_get_host (sshd));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (uni_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_SWITCH, "sudo_switch"))));
  uni_test_screenshot_both (GTK_WIDGET (dialog), "board-panel-edit");

  /* A port that is no port: said in the form, boards.ini as it was. */
  before = read_profiles_file ();
  type_into (dialog, "name_row", "Desk board");
  type_into (dialog, "port_row", "70000");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  error_label = uni_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_LABEL, "error_label");
  g_assert_true (uni_test_wait_for (label_visible, error_label, TIMEOUT_MSEC));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (error_label)), ==,
                   "The port “70000” is not a number from 1 to 65535.");
  g_assert_true (find_board_dialog () == dialog);
  after_refusal = read_profiles_file ();
  g_assert_cmpstr (after_refusal, ==, before);
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==, "Desk");

  port = g_strdup_printf ("%u", uni_test_sshd_get_client_port (sshd, UNI_TEST_SSHD_CLIENT_GOOD));
  type_into (dialog, "port_row", port);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "dialog.add", NULL));
  g_assert_true (uni_test_wait_for (dialog_gone, NULL, TIMEOUT_MSEC));

  saved = read_profiles_file ();
  port_line = g_strdup_printf ("\nport=%s\n", port);
  g_assert_nonnull (strstr (saved, "[Board Desk board]"));
  g_assert_null (strstr (saved, "[Board Desk]"));
  g_assert_nonnull (strstr (saved, "[Board Other]"));
  g_assert_nonnull (strstr (strstr (saved, "[Board Desk board]"), port_line));
  board = uni_project_settings_dup_board (uni_project_get_settings (uni_window_get_project (window)));
  g_assert_cmpstr (board, ==, "Desk board");
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==,
                   "Desk board");
  g_assert_true (panel_has_state (panel, UNI_BOARD_STATE_OK));

  close_window (window);
}

static AdwMessageDialog *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel) && gtk_widget_get_visible (GTK_WIDGET (toplevel)))
        return ADW_MESSAGE_DIALOG (toplevel);
    }

  return NULL;
}

/* As the user does: the button, whose click also closes the dialog. */
static void
click_response (AdwMessageDialog *dialog,
                const char       *label)
{
  GtkWidget *button = uni_test_find_widget (GTK_WIDGET (dialog), GTK_TYPE_BUTTON, label);

  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
message_dialog_gone (gpointer data)
{
  return find_message_dialog () == NULL;
}

static gboolean
file_lacks (gpointer data)
{
  g_autofree char *text = read_profiles_file ();

  return strstr (text, data) == NULL;
}

/* Removes the board shown after asking, and says @name. */
static void
remove_shown_board (UniBoardPanel *panel,
                    const char    *name)
{
  g_autofree char *heading = g_strdup_printf ("Remove “%s”?", name);
  g_autofree char *group = g_strdup_printf ("[Board %s]", name);
  g_autofree char *text = NULL;
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "board.remove", NULL));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "remove"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  /* Nothing is gone before the user says so. */
  text = read_profiles_file ();
  g_assert_nonnull (strstr (text, group));

  click_response (dialog, "_Remove");
  g_assert_true (uni_test_wait_for (message_dialog_gone, NULL, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (file_lacks, group, TIMEOUT_MSEC));
}

/* Remove asks first, takes the board out of boards.ini and the project,
 * shows the next board, and the empty state once none is left.
 */
static void
test_board_panel_remove (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) first = NULL;
  g_autoptr(UniBoardProfile) second = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autofree char *board = NULL;
  g_autofree char *text = NULL;
  UniWindow *window;
  UniBoardPanel *panel;
  UniProject *project;
  GtkStack *stack;

  if (sshd == NULL)
    return;

  first = sshd_profile (sshd, "First", UNI_TEST_SSHD_CLIENT_REFUSED);
  second = sshd_profile (sshd, "Second", UNI_TEST_SSHD_CLIENT_REFUSED);
  save_profiles (first, second, NULL);
  dir = uni_test_copy_demo ("remove", "[Project]\nboard=First\n");

  window = uni_test_open_window (application, dir);
  project = uni_window_get_project (window);
  panel = show_panel (window);
  stack = GTK_STACK (uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_STACK, "stack"));
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==, "First");

  /* Cancel keeps it. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "board.remove", NULL));
  g_assert_nonnull (find_message_dialog ());
  uni_test_screenshot (GTK_WIDGET (find_message_dialog ()), "board-panel-remove");
  click_response (find_message_dialog (), "_Cancel");
  g_assert_true (uni_test_wait_for (message_dialog_gone, NULL, TIMEOUT_MSEC));
  text = read_profiles_file ();
  g_assert_nonnull (strstr (text, "[Board First]"));
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==, "First");

  remove_shown_board (panel, "First");
  g_assert_cmpstr (uni_board_profile_get_name (uni_board_panel_get_profile (panel)), ==, "Second");
  board = uni_project_settings_dup_board (uni_project_get_settings (project));
  g_assert_null (board);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "board");

  remove_shown_board (panel, "Second");
  g_assert_null (uni_board_panel_get_profile (panel));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
  g_clear_pointer (&text, g_free);
  text = read_profiles_file ();
  g_assert_null (strstr (text, "[Board"));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (panel), "board.remove", NULL)
                  && find_message_dialog () != NULL);

  close_window (window);
}

/* The shell creates the file before the browser's printf writes into it. */
static gboolean
file_has_line (gpointer data)
{
  g_autofree char *text = NULL;

  return g_file_load_contents (data, NULL, &text, NULL, NULL, NULL)
         && g_str_has_suffix (text, "\n");
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* For conditions nothing in the main loop announces: a file another process writes. */
static gboolean
poll_for (UniTestCondition condition,
          gpointer         data)
{
  guint wake = g_timeout_add (50, wake_cb, NULL);
  gboolean met = uni_test_wait_for (condition, data, TIMEOUT_MSEC);

  g_source_remove (wake);

  return met;
}

static gboolean
dialog_shown (gpointer data)
{
  return uni_test_find_dialog (data) != NULL;
}

typedef struct
{
  UniWindow       *window;
  UniBoardConsole *before;
} NewConsole;

static gboolean
new_console_has_url (gpointer data)
{
  NewConsole *n = data;

  return n->window->board_console != NULL && n->window->board_console != n->before
         && uni_board_panel_get_url (n->window->board_panel) != NULL;
}

#define LEASE_IP "10.0.0.77"
#define BRIDGE   "xenbr0"

static gboolean
toolchain_known (gpointer data)
{
  UniWindow *window = data;

  return window->toolchain != NULL;
}

static gboolean
deploy_done (gpointer data)
{
  UniWindow *window = data;

  return !window->deploying;
}

static gboolean
panel_has_url (gpointer data)
{
  return uni_board_panel_get_url (data) != NULL;
}

typedef struct
{
  UniBoardPanel *panel;
  const char    *name;
  gboolean       running;
} DomainShown;

static gboolean
domain_shown (gpointer data)
{
  DomainShown *d = data;
  UniBoardStatus *status = uni_board_panel_get_status (d->panel);
  gboolean running = FALSE;
  gboolean exists;

  if (status == NULL || uni_board_status_get_state (status) != UNI_BOARD_STATE_OK)
    return FALSE;
  exists = uni_board_status_has_domain (status, d->name, &running);

  return d->running ? exists && running : !exists;
}

static gboolean
button_sensitive (UniBoardPanel *panel,
                  const char    *id)
{
  GtkWidget *button = uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_BUTTON, id);

  g_assert_nonnull (button);
  return gtk_widget_is_sensitive (button);
}

static gboolean
console_enabled (gpointer data)
{
  return button_sensitive (data, "console_button");
}

/* Deploy builds the board's target and copies it over; Start runs it in a
 * console tab, whose lease gives the Open button its address; the list
 * shows it running beside Domain-0; Stop destroys it.
 */
static void
test_board_panel_deploy (void)
{
  static const char * const environment[] = {
    "UNISTUDIO_FAKE_XL_IP=" LEASE_IP,
    "UNISTUDIO_FAKE_XL_BRIDGES=" BRIDGE,
    NULL
  };
  UniTestSshdOptions options = { .environment = environment };
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (&options);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autofree char *remote_xl = NULL;
  g_autofree char *open_label = NULL;
  UniWindow *window;
  UniBoardPanel *panel;
  GtkWidget *open_button;
  GtkWidget *row;
  DomainShown www = { NULL, "www", TRUE };
  DomainShown gone = { NULL, "www", FALSE };
  NewConsole next = { 0 };
  AdwMessageDialog *dialog;
  g_autoptr(GFile) opened = NULL;
  g_autofree char *opened_text = NULL;

  if (sshd == NULL)
    return;

  opened = uni_test_install_browser ();

  profile = sshd_profile (sshd, "Xen server", UNI_TEST_SSHD_CLIENT_GOOD);
  uni_board_profile_set_board_type (profile, "xen-host");
  uni_board_profile_set_bridge (profile, BRIDGE);
  save_profiles (profile, NULL);
  dir = uni_test_copy_demo ("deploy", "[Project]\nboard=Xen server\n");

  window = uni_test_open_window (application, dir);
  panel = show_panel (window);
  www.panel = gone.panel = panel;
  g_assert_true (uni_test_wait_for (panel_has_status, panel, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (toolchain_known, window, TIMEOUT_MSEC));
  g_assert_false (button_sensitive (panel, "start_button"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.deploy", NULL));
  g_assert_true (window->deploying);
  g_assert_true (uni_test_wait_for (deploy_done, window, TIMEOUT_MSEC));
  g_assert_nonnull (window->deployment);
  remote_xl = g_build_filename (uni_test_sshd_get_remote_home (sshd), "unistudio", "deploy",
                                "www.xl", NULL);
  g_assert_true (g_file_test (remote_xl, G_FILE_TEST_IS_REGULAR));
  g_assert_true (button_sensitive (panel, "start_button"));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.board-start", NULL));
  g_assert_true (uni_test_wait_for (panel_has_url, panel, TIMEOUT_MSEC));
  g_assert_cmpstr (uni_board_panel_get_url (panel), ==, "http://" LEASE_IP ":8080/");
  open_button = uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_BUTTON, "open_button");
  g_assert_true (gtk_widget_get_visible (open_button));
  open_label = g_strdup_printf ("Open %s", uni_board_panel_get_url (panel));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (open_button)), ==, open_label);
  g_assert_nonnull (uni_window_get_terminal_page (window, "board-console"));

  g_assert_true (uni_test_wait_for (domain_shown, &www, TIMEOUT_MSEC));
  g_assert_cmpstr (label_text (panel, "state_label"), ==, "Running www");
  g_assert_nonnull (uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_ACTION_ROW, "Domain-0"));
  row = uni_test_find_widget (GTK_WIDGET (panel), ADW_TYPE_ACTION_ROW, "www");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_has_css_class (row, "ours"));
  uni_test_screenshot_both (GTK_WIDGET (window), "board-panel-running");

  /* Open goes to the desktop's browser with the console's address. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (panel), "board.open-address", NULL));
  g_assert_true (poll_for (file_has_line, opened));
  g_assert_true (g_file_load_contents (opened, NULL, &opened_text, NULL, NULL, NULL));
  g_assert_cmpstr (opened_text, ==, "http://" LEASE_IP ":8080/\n");

  /* Start while it runs asks first, then replaces it. */
  next.window = window;
  next.before = window->board_console;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.board-start", NULL));
  g_assert_true (uni_test_wait_for (dialog_shown, window, TIMEOUT_MSEC));
  dialog = uni_test_find_dialog (GTK_WINDOW (window));
  g_assert_true (adw_message_dialog_has_response (dialog, "replace"));
  adw_message_dialog_response (dialog, "replace");
  g_assert_true (uni_test_wait_for (new_console_has_url, &next, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (domain_shown, &www, TIMEOUT_MSEC));

  /* Closing the window leaves the unikernel running on the board; a new
   * window finds it, with Console and Stop for it, and Start after a Deploy.
   */
  close_window (window);
  window = uni_test_open_window (application, dir);
  panel = show_panel (window);
  www.panel = gone.panel = panel;
  g_assert_true (uni_test_wait_for (console_enabled, panel, TIMEOUT_MSEC));
  g_assert_true (button_sensitive (panel, "stop_button"));
  g_assert_false (button_sensitive (panel, "start_button"));
  g_assert_true (uni_test_wait_for (domain_shown, &www, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (shows_running_www, panel, TIMEOUT_MSEC));
  open_button = uni_test_find_widget (GTK_WIDGET (panel), GTK_TYPE_BUTTON, "open_button");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.board-stop", NULL));
  g_assert_true (uni_test_wait_for (domain_shown, &gone, TIMEOUT_MSEC));
  g_assert_false (gtk_widget_get_visible (open_button));
  g_assert_cmpstr (label_text (panel, "state_label"), ==, "Reachable — Xen 4.4.0");

  close_window (window);
}

/* A board that refuses the connection: Deploy says so and keeps nothing. */
static void
test_board_panel_deploy_refused (void)
{
  g_autoptr(UniTestSshd) sshd = uni_test_sshd_start (NULL);
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(GFile) dir = NULL;
  UniWindow *window;
  UniBoardPanel *panel;

  if (sshd == NULL)
    return;

  profile = sshd_profile (sshd, "Switched off", UNI_TEST_SSHD_CLIENT_REFUSED);
  uni_board_profile_set_board_type (profile, "xen-host");
  save_profiles (profile, NULL);
  dir = uni_test_copy_demo ("refused", "[Project]\nboard=Switched off\n");

  window = uni_test_open_window (application, dir);
  panel = show_panel (window);
  g_assert_true (uni_test_wait_for (toolchain_known, window, TIMEOUT_MSEC));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.deploy", NULL));
  g_assert_true (window->deploying);
  g_assert_false (button_sensitive (panel, "deploy_button"));
  g_assert_true (uni_test_wait_for (deploy_done, window, TIMEOUT_MSEC));
  g_assert_null (window->deployment);
  g_assert_true (button_sensitive (panel, "deploy_button"));
  g_assert_false (button_sensitive (panel, "start_button"));

  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  uni_test_gui_init (&argc, &argv);
  uni_test_prepend_fixtures_to_path ();
  application = uni_test_make_application ("io.github.unistudio.TestBoardPanel");

  g_test_add_func ("/uni/board-panel/empty", test_board_panel_empty);
  g_test_add_func ("/uni/board-panel/reachable", test_board_panel_reachable);
  g_test_add_func ("/uni/board-panel/failures", test_board_panel_failures);
  g_test_add_func ("/uni/board-panel/add", test_board_panel_add);
  g_test_add_func ("/uni/board-panel/edit", test_board_panel_edit);
  g_test_add_func ("/uni/board-panel/remove", test_board_panel_remove);
  g_test_add_func ("/uni/board-panel/deploy", test_board_panel_deploy);
  g_test_add_func ("/uni/board-panel/deploy-refused", test_board_panel_deploy_refused);

  status = g_test_run ();

  g_object_unref (application);

  return status;
}
