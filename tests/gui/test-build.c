/* test-build.c — target, Build, terminals, Problems and Stop in the project window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs real builds of a copy of the 2048 demo with the stand-in mirage of
 * tests/fixtures (first in PATH) under Xvfb.
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "uni-test-util-gui.h"
#include "uni-window.h"

#define TIMEOUT_MSEC 30000

/* The demo's unikernel.ml, with an error on a known line. */
#define BROKEN_LINE 3

static GtkApplication *application;

static GFile *
make_demo (const char *name)
{
  g_autofree char *path = g_build_filename (name, "2048", NULL);

  return uni_test_copy_demo (path, NULL);
}

static void
build_and_wait (UniWindow *window)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_true (uni_window_get_building (window));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));
}

static guint
target_position (GtkDropDown *dropdown,
                 const char  *id)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), id))
        return i;
    }

  g_assert_not_reached ();
}

static void
select_target (UniWindow  *window,
               GFile      *dir,
               const char *id)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (uni_test_find_widget (GTK_WIDGET (window),
                                                              GTK_TYPE_DROP_DOWN,
                                                              "target_dropdown"));
  g_autofree char *needle = g_strdup_printf ("target=%s", id);
  g_autoptr(GFile) ini = g_file_resolve_relative_path (dir, ".unistudio/project.ini");
  UniTestFileHas has = { ini, needle, FALSE };

  g_assert_nonnull (dropdown);
  gtk_drop_down_set_selected (dropdown, target_position (dropdown, id));
  g_assert_true (uni_test_wait_for (uni_test_file_has, &has, TIMEOUT_MSEC));
}

static gboolean
problems_listed (gpointer data)
{
  return uni_problems_panel_get_n_items (data) > 0;
}

static gboolean
selected_editor_loaded (gpointer data)
{
  AdwTabView *view = uni_window_get_editor_view (data);
  AdwTabPage *tab = adw_tab_view_get_selected_page (view);
  GtkWidget *child = tab != NULL ? adw_tab_page_get_child (tab) : NULL;

  return UNI_IS_EDITOR_PAGE (child) && uni_editor_page_get_loaded (UNI_EDITOR_PAGE (child));
}

static void
test_build_success_and_failure (void)
{
  g_autoptr(GFile) dir = make_demo ("build");
  g_autoptr(GFile) artefact = g_file_resolve_relative_path (dir, "dist/www");
  g_autoptr(GFile) unikernel = g_file_get_child (dir, "unikernel.ml");
  g_autoptr(UniDiagnostic) diagnostic = NULL;
  g_autofree char *text = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *broken = NULL;
  g_auto(GStrv) lines = NULL;
  UniTerminalPage *configure, *depend, *build;
  UniProblemsPanel *problems;
  UniEditorPage *editor;
  UniWindow *window;
  GtkTextBuffer *buffer;
  GtkTextIter cursor;
  GListModel *model;
  guint position = G_MAXUINT;

  window = uni_test_open_window (application, dir);

  /* The choice is the project's, kept in its settings file. */
  select_target (window, dir, "xen");
  select_target (window, dir, "unix");

  build_and_wait (window);

  configure = uni_window_get_terminal_page (window, "configure");
  depend = uni_window_get_terminal_page (window, "depend");
  build = uni_window_get_terminal_page (window, "build");
  g_assert_nonnull (configure);
  g_assert_nonnull (depend);
  g_assert_nonnull (build);
  g_assert_cmpint (uni_job_get_state (uni_terminal_page_get_job (build)), ==, UNI_JOB_SUCCEEDED);
  g_assert_cmpstr (uni_terminal_page_get_status (build), ==, "Succeeded");
  g_assert_true (g_file_query_exists (artefact, NULL));

  text = uni_test_wait_terminal_text (build, "dune build", TIMEOUT_MSEC);
  g_assert_nonnull (strstr (text, "dune build --profile release"));
  g_clear_pointer (&text, g_free);

  uni_test_screenshot_both (GTK_WIDGET (window), "build-success");

  /* A broken unikernel.ml: the build fails, the error is listed and leads to its line. */
  g_assert_true (g_file_load_contents (unikernel, NULL, &contents, NULL, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >, BROKEN_LINE);
  g_free (lines[BROKEN_LINE - 1]);
  /* A non-ASCII character before the error: OCaml's columns are bytes. */
  lines[BROKEN_LINE - 1] = g_strdup ("let _ = (* é *) this_does_not_exist");
  broken = g_strjoinv ("\n", lines);
  uni_test_write_file (dir, "unikernel.ml", broken);

  build_and_wait (window);

  g_assert_cmpint (uni_job_get_state (uni_terminal_page_get_job (build)), ==, UNI_JOB_FAILED);
  g_assert_cmpint (uni_job_get_exit_status (uni_terminal_page_get_job (build)), !=, 0);
  g_assert_true (g_str_has_prefix (uni_terminal_page_get_status (build), "Failed — exit code "));
  text = uni_test_wait_terminal_text (build, "Unbound value", TIMEOUT_MSEC);
  g_assert_nonnull (strstr (text, "Unbound value this_does_not_exist"));

  problems = uni_window_get_problems_panel (window);
  g_assert_nonnull (problems);
  g_assert_true (uni_test_wait_for (problems_listed, problems, TIMEOUT_MSEC));
  model = uni_problems_panel_get_model (problems);
  for (guint i = 0; i < g_list_model_get_n_items (model) && position == G_MAXUINT; i++)
    {
      g_autoptr(UniDiagnostic) item = g_list_model_get_item (model, i);

      if (uni_diagnostic_get_severity (item) == UNI_DIAGNOSTIC_ERROR &&
          g_str_has_suffix (uni_diagnostic_get_file (item), "unikernel.ml"))
        {
          position = i;
          diagnostic = g_object_ref (item);
        }
    }
  g_assert_cmpuint (position, !=, G_MAXUINT);
  g_assert_cmpuint (uni_diagnostic_get_line (diagnostic), ==, BROKEN_LINE);

  g_signal_emit_by_name (uni_problems_panel_get_list_view (problems), "activate", position);
  g_assert_true (uni_test_wait_for (selected_editor_loaded, window, TIMEOUT_MSEC));
  editor = uni_window_find_editor (window, unikernel);
  g_assert_nonnull (editor);
  uni_test_iterate (50);
  buffer = GTK_TEXT_BUFFER (uni_editor_page_get_buffer (editor));
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  g_assert_cmpint (gtk_text_iter_get_line (&cursor), ==, BROKEN_LINE - 1);
  g_assert_cmpint (gtk_text_iter_get_line_index (&cursor), ==,
                   strstr (lines[BROKEN_LINE - 1], "this_does") - lines[BROKEN_LINE - 1]);

  uni_test_screenshot_both (GTK_WIDGET (window), "build-failed");

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  UniWindow  *window;
  const char *name;
} JobRunning;

static gboolean
job_running (gpointer data)
{
  JobRunning *running = data;
  UniTerminalPage *page = uni_window_get_terminal_page (running->window, running->name);

  return page != NULL && uni_terminal_page_get_job (page) != NULL &&
         uni_job_get_state (uni_terminal_page_get_job (page)) == UNI_JOB_RUNNING &&
         uni_job_get_pid (uni_terminal_page_get_job (page)) > 0;
}

/* A make that never ends stands for a long build. */
static char *
prepend_slow_make (void)
{
  g_autoptr(GFile) bin = uni_test_make_tempdir ("slow-make");
  g_autoptr(GFile) make = g_file_get_child (bin, "make");
  g_autofree char *old_path = g_strdup (g_getenv ("PATH"));
  g_autofree char *path = NULL;

  uni_test_write_file (bin, "make", "#!/bin/sh\nif [ \"$1\" = --version ]; then echo 'GNU Make 4.3'; exit 0; fi\n"
                                    "echo building slowly\nsleep 100\n");
  g_assert_cmpint (g_chmod (g_file_peek_path (make), 0755), ==, 0);
  path = g_strconcat (g_file_peek_path (bin), ":", old_path, NULL);
  g_setenv ("PATH", path, TRUE);

  return g_steal_pointer (&old_path);
}

static void
test_stop (void)
{
  g_autoptr(GFile) dir = make_demo ("stop");
  g_autofree char *old_path = prepend_slow_make ();
  JobRunning running = { NULL, "depend" };
  UniTerminalPage *page;
  UniWindow *window;
  int pid;

  window = uni_test_open_window (application, dir);
  running.window = window;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_true (uni_test_wait_for (job_running, &running, TIMEOUT_MSEC));
  page = uni_window_get_terminal_page (window, "depend");
  pid = uni_job_get_pid (uni_terminal_page_get_job (page));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));
  g_assert_cmpint (uni_job_get_state (uni_terminal_page_get_job (page)), ==, UNI_JOB_CANCELLED);
  g_assert_cmpstr (uni_terminal_page_get_status (page), ==, "Cancelled");
  g_assert_true (uni_test_wait_for (uni_test_group_gone, GINT_TO_POINTER (pid), TIMEOUT_MSEC));

  gtk_window_destroy (GTK_WINDOW (window));
  g_setenv ("PATH", old_path, TRUE);
}

static gboolean
window_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Closing during a build asks, stops the build, and closes once no process is left. */
static void
test_close_during_build (void)
{
  g_autoptr(GFile) dir = make_demo ("close");
  g_autofree char *old_path = prepend_slow_make ();
  JobRunning running = { NULL, "depend" };
  AdwMessageDialog *dialog;
  UniWindow *window;
  int pid;

  window = uni_test_open_window (application, dir);
  running.window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &running.window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_true (uni_test_wait_for (job_running, &running, TIMEOUT_MSEC));
  pid = uni_job_get_pid (uni_terminal_page_get_job (uni_window_get_terminal_page (window,
                                                                                 "depend")));

  gtk_window_close (GTK_WINDOW (window));
  dialog = uni_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Stop the Build?");
  adw_message_dialog_response (dialog, "stop");

  g_assert_true (uni_test_wait_for (window_gone, &running.window, TIMEOUT_MSEC));
  /* The last of the group may still be a zombie its parent has not reaped. */
  g_assert_true (uni_test_wait_for (uni_test_group_gone, GINT_TO_POINTER (pid), 5000));

  g_setenv ("PATH", old_path, TRUE);
}

/* While a build runs its target stays, its steps' tabs stay (pending ones too), and a
 * window destroyed under it leaves no process and no late callback behind.
 */
static void
test_destroy_during_build (void)
{
  g_autoptr(GFile) dir = make_demo ("destroy");
  g_autofree char *old_path = prepend_slow_make ();
  JobRunning running = { NULL, "depend" };
  GtkWidget *dropdown;
  UniTerminalPage *build;
  AdwTabView *bottom;
  AdwTabPage *tab;
  UniWindow *window;
  int pid;

  window = uni_test_open_window (application, dir);
  running.window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &running.window);
  dropdown = uni_test_find_widget (GTK_WIDGET (window), GTK_TYPE_DROP_DOWN, "target_dropdown");
  g_assert_true (gtk_widget_get_sensitive (dropdown));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_false (gtk_widget_get_sensitive (dropdown));
  g_assert_true (uni_test_wait_for (job_running, &running, TIMEOUT_MSEC));
  pid = uni_job_get_pid (uni_terminal_page_get_job (uni_window_get_terminal_page (window,
                                                                                 "depend")));

  /* The build step is still to come: its tab cannot go. */
  build = uni_window_get_terminal_page (window, "build");
  g_assert_nonnull (build);
  g_assert_cmpint (uni_job_get_state (uni_terminal_page_get_job (build)), ==, UNI_JOB_PENDING);
  bottom = uni_window_get_bottom_panel (window);
  tab = adw_tab_view_get_page (bottom, GTK_WIDGET (build));
  adw_tab_view_close_page (bottom, tab);
  uni_test_iterate (50);
  g_assert_true (uni_window_get_terminal_page (window, "build") == build);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (uni_test_wait_for (uni_test_group_gone, GINT_TO_POINTER (pid), TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (window_gone, &running.window, TIMEOUT_MSEC));
  /* Late callbacks of the stopped build run now; a critical in them is fatal. */
  uni_test_iterate (500);

  g_setenv ("PATH", old_path, TRUE);
}

/* The build ended while "Stop the Build?" was up: Stop and Close still closes. */
static void
test_close_after_build_ended (void)
{
  g_autoptr(GFile) dir = make_demo ("close-ended");
  g_autofree char *old_path = prepend_slow_make ();
  JobRunning running = { NULL, "depend" };
  AdwMessageDialog *dialog;
  UniWindow *window;

  window = uni_test_open_window (application, dir);
  running.window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &running.window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_true (uni_test_wait_for (job_running, &running, TIMEOUT_MSEC));

  gtk_window_close (GTK_WINDOW (window));
  dialog = uni_test_find_dialog (GTK_WINDOW (window));
  g_assert_nonnull (dialog);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));
  g_assert_true (gtk_widget_get_sensitive (uni_test_find_widget (GTK_WIDGET (window),
                                                                 GTK_TYPE_DROP_DOWN,
                                                                 "target_dropdown")));

  adw_message_dialog_response (dialog, "stop");
  g_assert_true (uni_test_wait_for (window_gone, &running.window, TIMEOUT_MSEC));

  g_setenv ("PATH", old_path, TRUE);
}

static UniJob *
make_shell_job (const char *script)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();

  uni_run_context_append_argv (context, "/bin/sh");
  uni_run_context_append_argv (context, "-c");
  uni_run_context_append_argv (context, script);

  return uni_job_new ("run", "Run", context);
}

static void
run_job_and_wait (UniJob *job)
{
  UniTestAsync wait = { NULL };

  uni_job_run_async (job, NULL, uni_test_async_done_cb, &wait);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, TIMEOUT_MSEC));
  g_assert_true (uni_job_run_finish (job, wait.result, NULL));
  g_clear_object (&wait.result);
}

static void
run_job_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(gboolean *) user_data = TRUE;
  g_assert_true (uni_job_run_finish (UNI_JOB (object), result, NULL));
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

/* The second job on a page still gets what is typed: the PTY outlives the first. */
static void
test_terminal_second_job_input (void)
{
  g_autoptr(UniJob) first = make_shell_job ("echo first");
  g_autoptr(UniJob) second = make_shell_job ("read line </dev/tty; echo \"got:$line\"");
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  UniTerminalPage *page = uni_terminal_page_new (first);
  g_autofree char *text = NULL;
  gboolean done = FALSE;

  gtk_window_set_child (window, GTK_WIDGET (page));
  gtk_window_present (window);

  run_job_and_wait (first);
  g_free (uni_test_wait_terminal_text (page, "first", TIMEOUT_MSEC));
  /* Give VTE the chance to notice a hang-up, as it would between two builds. */
  uni_test_iterate (300);

  uni_terminal_page_set_job (page, second);
  uni_job_run_async (second, NULL, run_job_done_cb, &done);
  uni_test_iterate (300);
  vte_terminal_feed_child (uni_terminal_page_get_terminal (page), "hello\r", -1);
  g_assert_true (uni_test_wait_for (flag_set, &done, 10000));
  text = uni_test_wait_terminal_text (page, "got:hello", TIMEOUT_MSEC);
  g_assert_nonnull (strstr (text, "got:hello"));

  gtk_window_destroy (window);
}

/* A flood faster than the page feeds keeps a bounded backlog and says what it dropped. */
static void
test_terminal_flood_bounded (void)
{
  UniTerminalPage *page = g_object_ref_sink (uni_terminal_page_new (NULL));
  g_autofree char *line = g_strnfill (1023, 'x');
  g_autoptr(GString) chunk = g_string_new (NULL);
  g_autofree char *text = NULL;

  vte_terminal_set_scrollback_lines (uni_terminal_page_get_terminal (page), -1);
  for (guint i = 0; i < 256; i++)
    g_string_append_printf (chunk, "%s\n", line);

  /* 16 MB with no main loop turn in between: nothing is fed meanwhile. */
  for (guint i = 0; i < 64; i++)
    {
      uni_terminal_page_feed (page, chunk->str, chunk->len);
      g_assert_cmpuint (uni_terminal_page_get_backlog (page), <=, 8 * 1024 * 1024 + 1024);
    }

  text = uni_test_wait_terminal_text (page, "output skipped", TIMEOUT_MSEC);
  g_assert_nonnull (strstr (text, "[… output skipped …]"));

  g_object_unref (page);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  uni_test_gui_init (&argc, &argv);
  uni_test_prepend_fixtures_to_path ();
  application = uni_test_make_application ("io.github.unistudio.TestBuild");

  g_test_add_func ("/uni/build/success-and-failure", test_build_success_and_failure);
  g_test_add_func ("/uni/build/stop", test_stop);
  g_test_add_func ("/uni/build/close-during-build", test_close_during_build);
  g_test_add_func ("/uni/build/destroy-during-build", test_destroy_during_build);
  g_test_add_func ("/uni/build/close-after-build-ended", test_close_after_build_ended);
  g_test_add_func ("/uni/build/terminal-second-job-input", test_terminal_second_job_input);
  g_test_add_func ("/uni/build/terminal-flood-bounded", test_terminal_flood_bounded);

  status = g_test_run ();
  g_object_unref (application);

  return status;
}
