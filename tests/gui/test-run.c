/* test-run.c — Run in the project window: the unikernel, its page, the header, failures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs copies of the 2048 demo with the stand-in mirage of tests/fixtures (first in
 * PATH), whose unix artefact is a real web server for the demo's htdocs, under Xvfb.
 * Every project listens on a port of its own, never 8080, and sits in a folder whose
 * name has spaces and quotes. Pages open through the desktop's own mechanism: a
 * .desktop handler for x-scheme-handler/http in the test's XDG folders that writes
 * down the URL it is given.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "uni-application.h"
#include "uni-port.h"
#include "uni-test-util-gui.h"
#include "uni-window.h"

#define TIMEOUT_MSEC 60000

static GtkApplication *application;

typedef struct
{
  GFile *dir;
  guint  port;
  char  *url;
  char  *address;
  GFile *opened;
} Fixture;

typedef struct
{
  UniWindow *window;
  Fixture   *fixture;
} Serving;

static GFile *
make_demo (const char *name,
           guint       port)
{
  g_autofree char *path = g_build_filename (name, "my 2048 'run' \"copy\"", NULL);
  g_autofree char *ini = g_strdup_printf ("[Target unix]\nboot.port=%u\n", port);

  return uni_test_copy_demo (path, ini);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->port = uni_test_pick_free_port ();
  fixture->dir = make_demo ("run", fixture->port);
  fixture->url = g_strdup_printf ("http://localhost:%u/", fixture->port);
  fixture->address = g_strdup_printf ("localhost:%u", fixture->port);
  fixture->opened = uni_test_install_browser ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->dir);
  g_clear_object (&fixture->opened);
  g_clear_pointer (&fixture->url, g_free);
  g_clear_pointer (&fixture->address, g_free);
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* For conditions nothing in the main loop announces: a file, another process. */
static gboolean
poll_for (UniTestCondition condition,
          gpointer         data)
{
  guint wake = g_timeout_add (50, wake_cb, NULL);
  gboolean met = uni_test_wait_for (condition, data, TIMEOUT_MSEC);

  g_source_remove (wake);

  return met;
}

static void
assert_serves_demo (Fixture *fixture)
{
  g_autoptr(GFile) index = g_file_resolve_relative_path (fixture->dir, "htdocs/index.html");
  g_autofree char *expected = uni_test_read_file (index);
  g_autofree char *body = uni_test_http_get ("127.0.0.1", fixture->port);

  g_assert_cmpstr (body, ==, expected);
}

static GtkWidget *
find (UniWindow  *window,
      GType       type,
      const char *name)
{
  GtkWidget *widget = uni_test_find_widget (GTK_WIDGET (window), type, name);

  g_assert_nonnull (widget);

  return widget;
}

static UniJob *
get_run_job (UniWindow *window)
{
  UniTerminalPage *page = uni_window_get_terminal_page (window, "run");

  return page != NULL ? uni_terminal_page_get_job (page) : NULL;
}

/* What the header shows: the indicator with the unikernel's address. */
static gboolean
serving (gpointer data)
{
  Serving *serving = data;
  GtkWidget *indicator = find (serving->window, GTK_TYPE_BUTTON, "run_indicator");
  GtkWidget *label = find (serving->window, GTK_TYPE_LABEL, "run_indicator_label");

  return gtk_widget_get_visible (indicator) &&
         g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), serving->fixture->address) == 0 &&
         !uni_window_get_building (serving->window);
}

static void
run_and_wait (UniWindow *window,
              Fixture   *fixture)
{
  Serving data = { window, fixture };

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (uni_test_wait_for (serving, &data, TIMEOUT_MSEC));
}

static gboolean
job_ended (gpointer data)
{
  UniJobState state = uni_job_get_state (data);

  return state != UNI_JOB_RUNNING && state != UNI_JOB_PENDING;
}

/* Stop ends the running unikernel @job: its processes are gone, its port is free, and
 * the header no longer shows it.
 */
static void
stop_and_assert_gone (UniWindow *window,
                      Fixture   *fixture,
                      UniJob    *job)
{
  int pid = uni_job_get_pid (job);

  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_RUNNING);
  g_assert_cmpint (pid, >, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  g_assert_true (uni_test_wait_for (job_ended, job, TIMEOUT_MSEC));
  g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_CANCELLED);
  g_assert_true (uni_test_wait_for (uni_test_group_gone, GINT_TO_POINTER (pid), TIMEOUT_MSEC));
  g_assert_false (uni_test_port_answers ("127.0.0.1", fixture->port));
  g_assert_false (gtk_widget_get_visible (find (window, GTK_TYPE_BUTTON, "run_indicator")));
  g_assert_false (gtk_widget_is_sensitive (find (window, GTK_TYPE_BUTTON, "stop_button")));
}

/* A label whose text starts with @prefix, anywhere under @root: toasts included. */
static GtkWidget *
find_label (GtkWidget  *root,
            const char *prefix)
{
  if (GTK_IS_LABEL (root) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (root)), prefix))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, prefix);

      if (found != NULL)
        return found;
    }

  return NULL;
}

typedef struct
{
  GtkWidget  *root;
  const char *prefix;
} LabelWanted;

static gboolean
label_shown (gpointer data)
{
  LabelWanted *wanted = data;

  return find_label (wanted->root, wanted->prefix) != NULL;
}

/* Waits for a label (a toast's title, say) that starts with @prefix. */
static GtkLabel *
wait_for_label (UniWindow  *window,
                const char *prefix)
{
  LabelWanted wanted = { GTK_WIDGET (window), prefix };

  g_assert_true (uni_test_wait_for (label_shown, &wanted, TIMEOUT_MSEC));

  return GTK_LABEL (find_label (GTK_WIDGET (window), prefix));
}

static void
read_text_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

static gboolean
text_read (gpointer data)
{
  return *(char **) data != NULL;
}

typedef struct
{
  UniWindow *window;
  char      *label;
  gboolean   spinning;
} Starting;

/* After the window's own handler: what the header showed as the process started. */
static void
run_job_state_cb (UniJob     *job,
                  GParamSpec *pspec,
                  Starting   *starting)
{
  if (uni_job_get_state (job) != UNI_JOB_RUNNING || starting->label != NULL)
    return;

  starting->label = g_strdup (gtk_label_get_label (GTK_LABEL (find (starting->window,
                                                                    GTK_TYPE_LABEL,
                                                                    "run_indicator_label"))));
  starting->spinning = gtk_widget_get_visible (find (starting->window, GTK_TYPE_BUTTON,
                                                     "run_indicator")) &&
                       gtk_spinner_get_spinning (GTK_SPINNER (find (starting->window,
                                                                    GTK_TYPE_SPINNER,
                                                                    "run_indicator_spinner")));
}

static gboolean
run_job_planned (gpointer data)
{
  return get_run_job (data) != NULL;
}

/* Run builds, starts the unikernel and opens exactly its page; the header shows its
 * address; the address can be copied; Stop ends its process and frees its port.
 */
static void
test_run_serves (Fixture       *fixture,
                 gconstpointer  data)
{
  UniTestFileHas has = { fixture->opened, NULL, TRUE };
  Serving serving_data = { NULL, fixture };
  Starting starting = { NULL, NULL, FALSE };
  g_autofree char *expected_opened = g_strconcat (fixture->url, "\n", NULL);
  g_autofree char *opened_twice = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *indicator;
  UniWindow *window;
  UniJob *job;

  window = uni_test_open_window (application, fixture->dir);
  serving_data.window = window;
  starting.window = window;
  indicator = find (window, GTK_TYPE_BUTTON, "run_indicator");
  g_assert_false (gtk_widget_get_visible (indicator));
  g_assert_false (gtk_widget_is_sensitive (find (window, GTK_TYPE_BUTTON, "stop_button")));

  /* Until it answers, the header says it is on its way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (uni_test_wait_for (run_job_planned, window, TIMEOUT_MSEC));
  g_assert_cmpint (uni_job_get_state (get_run_job (window)), ==, UNI_JOB_PENDING);
  g_signal_connect (get_run_job (window), "notify::state", G_CALLBACK (run_job_state_cb),
                    &starting);
  g_assert_true (uni_test_wait_for (serving, &serving_data, TIMEOUT_MSEC));
  g_signal_handlers_disconnect_by_func (get_run_job (window), run_job_state_cb, &starting);
  g_assert_cmpstr (starting.label, ==, "Starting…");
  g_assert_true (starting.spinning);

  assert_serves_demo (fixture);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (indicator), ==, fixture->url);
  /* Stop now stops the unikernel; Run restarts it. */
  g_assert_true (gtk_widget_is_sensitive (find (window, GTK_TYPE_BUTTON, "stop_button")));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (find (window, GTK_TYPE_BUTTON, "run_button")),
                   ==, "Restart (F5)");

  has.text = expected_opened;
  g_assert_true (poll_for (uni_test_file_has, &has));

  /* The indicator opens the page again. */
  g_assert_true (gtk_widget_activate (indicator));
  has.text = opened_twice = g_strconcat (expected_opened, expected_opened, NULL);
  g_assert_true (poll_for (uni_test_file_has, &has));

  /* The toast names the page and copies its address. */
  wait_for_label (window, fixture->url);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.copy-url", "s",
                                             fixture->url));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (window)), NULL,
                                 read_text_cb, &copied);
  g_assert_true (uni_test_wait_for (text_read, &copied, TIMEOUT_MSEC));
  g_assert_cmpstr (copied, ==, fixture->url);
  wait_for_label (window, "Copied");

  uni_test_screenshot_both (GTK_WIDGET (window), "run-serving");

  job = g_object_ref (get_run_job (window));
  stop_and_assert_gone (window, fixture, job);
  g_assert_false (gtk_widget_get_visible (indicator));
  /* The user stopped it: nothing to tell. */
  g_assert_null (find_label (GTK_WIDGET (window), "The unikernel stopped"));

  g_object_unref (job);
  g_free (starting.label);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Run while it runs: the old process ends, a new one serves, in the same Run tab. */
static void
test_run_restart (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(UniJob) first = NULL;
  Serving serving_data = { NULL, fixture };
  UniTerminalPage *page;
  UniWindow *window;
  UniJob *second;
  int first_pid;

  window = uni_test_open_window (application, fixture->dir);
  serving_data.window = window;
  run_and_wait (window, fixture);
  page = uni_window_get_terminal_page (window, "run");
  first = g_object_ref (get_run_job (window));
  first_pid = uni_job_get_pid (first);

  /* A build meanwhile leaves it running, and in the header. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_true (uni_window_get_building (window));
  g_assert_true (uni_test_wait_for (serving, &serving_data, TIMEOUT_MSEC));
  g_assert_true (get_run_job (window) == first);
  g_assert_cmpint (uni_job_get_state (first), ==, UNI_JOB_RUNNING);
  g_assert_cmpint (uni_job_get_state (uni_terminal_page_get_job (
                     uni_window_get_terminal_page (window, "build"))), ==, UNI_JOB_SUCCEEDED);
  assert_serves_demo (fixture);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (uni_test_wait_for (job_ended, first, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (serving, &serving_data, TIMEOUT_MSEC));

  g_assert_true (uni_window_get_terminal_page (window, "run") == page);
  second = get_run_job (window);
  g_assert_true (second != first);
  g_assert_cmpint (uni_job_get_state (second), ==, UNI_JOB_RUNNING);
  g_assert_cmpint (uni_job_get_pid (second), !=, first_pid);
  g_assert_true (uni_test_group_gone (GINT_TO_POINTER (first_pid)));
  assert_serves_demo (fixture);
  /* A restart is the user's own doing too. */
  g_assert_null (find_label (GTK_WIDGET (window), "The unikernel stopped"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (uni_test_wait_for (job_ended, second, TIMEOUT_MSEC));
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  UniWindow *window;
  UniJob    *before;
} NewBuild;

/* The Build tab shows a job of the new build, and it runs. */
static gboolean
new_build_running (gpointer data)
{
  NewBuild *new_build = data;
  UniJob *job = uni_terminal_page_get_job (uni_window_get_terminal_page (new_build->window,
                                                                         "build"));

  return job != new_build->before && uni_job_get_state (job) == UNI_JOB_RUNNING;
}

/* The unikernel survives a Build, and so it does a Stop of that Build: the first Stop
 * ends the build in flight, the next one the unikernel.
 */
static void
test_run_stop_build (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GFile) makefile = g_file_get_child (fixture->dir, "Makefile");
  g_autofree char *generated = NULL;
  g_autofree char *rules = NULL;
  g_autoptr(UniJob) unikernel = NULL;
  g_autoptr(UniJob) build = NULL;
  Serving serving_data = { NULL, fixture };
  NewBuild new_build = { NULL, NULL };
  UniWindow *window;

  window = uni_test_open_window (application, fixture->dir);
  serving_data.window = window;
  run_and_wait (window, fixture);
  unikernel = g_object_ref (get_run_job (window));

  /* A build that goes on until it is stopped: configure is up to date and leaves the
   * generated Makefile as it is.
   */
  generated = uni_test_read_file (makefile);
  rules = g_strconcat (generated, "\nbuild::\n\tsleep 600\n", NULL);
  uni_test_write_file (fixture->dir, "Makefile", rules);

  new_build.window = window;
  new_build.before = uni_terminal_page_get_job (uni_window_get_terminal_page (window, "build"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.build", NULL));
  g_assert_true (uni_test_wait_for (new_build_running, &new_build, TIMEOUT_MSEC));
  build = g_object_ref (uni_terminal_page_get_job (uni_window_get_terminal_page (window,
                                                                                 "build")));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));
  g_assert_cmpint (uni_job_get_state (build), ==, UNI_JOB_CANCELLED);
  g_assert_cmpint (uni_job_get_state (unikernel), ==, UNI_JOB_RUNNING);
  g_assert_true (get_run_job (window) == unikernel);
  g_assert_true (serving (&serving_data));
  assert_serves_demo (fixture);
  g_assert_true (gtk_widget_is_sensitive (find (window, GTK_TYPE_BUTTON, "stop_button")));

  stop_and_assert_gone (window, fixture, unikernel);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Run while one runs plans the new one first: a setting that cannot work says so, and
 * the unikernel that works goes on serving.
 */
static void
test_run_restart_plan_fails (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(UniJob) unikernel = NULL;
  Serving serving_data = { NULL, fixture };
  UniTestAsync wait = { NULL };
  UniProjectSettings *settings;
  UniWindow *window;

  window = uni_test_open_window (application, fixture->dir);
  serving_data.window = window;
  run_and_wait (window, fixture);
  unikernel = g_object_ref (get_run_job (window));

  /* Edited by hand, and read again. */
  uni_test_write_file (fixture->dir, ".unistudio/project.ini", "[Target unix]\nboot.port=abc\n");
  settings = uni_project_get_settings (uni_window_get_project (window));
  uni_project_settings_load_async (settings, NULL, uni_test_async_done_cb, &wait);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, TIMEOUT_MSEC));
  g_assert_true (uni_project_settings_load_finish (settings, wait.result, NULL));
  g_clear_object (&wait.result);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  wait_for_label (window, "“abc” is not a port number");
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));

  g_assert_cmpint (uni_job_get_state (unikernel), ==, UNI_JOB_RUNNING);
  g_assert_true (get_run_job (window) == unikernel);
  g_assert_true (serving (&serving_data));
  assert_serves_demo (fixture);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (uni_test_wait_for (job_ended, unikernel, TIMEOUT_MSEC));
  gtk_window_destroy (GTK_WINDOW (window));
}

#define DROPPED_TOAST "Not passed to the unikernel: boot.colour (not a runtime argument of " \
                      "this unikernel)"

/* A setting for a boot argument the unikernel does not take: Run says it left it out. */
static void
test_run_dropped_boot_args (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *ini = g_strdup_printf ("[Target unix]\nboot.port=%u\nboot.colour=blue\n",
                                          fixture->port);
  g_autoptr(UniJob) unikernel = NULL;
  g_autofree char *shot = NULL;
  Serving serving_data = { NULL, fixture };
  UniWindow *window;

  uni_test_write_file (fixture->dir, ".unistudio/project.ini", ini);
  window = uni_test_open_window (application, fixture->dir);
  serving_data.window = window;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_cmpstr (gtk_label_get_label (wait_for_label (window, DROPPED_TOAST)), ==,
                   DROPPED_TOAST);
  shot = uni_test_screenshot (GTK_WIDGET (window), "run-dropped");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));

  /* It runs all the same, without it. */
  g_assert_true (uni_test_wait_for (serving, &serving_data, TIMEOUT_MSEC));
  unikernel = g_object_ref (get_run_job (window));
  assert_serves_demo (fixture);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.stop", NULL);
  g_assert_true (uni_test_wait_for (job_ended, unikernel, TIMEOUT_MSEC));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A unikernel that ends after it answered, by no doing of the user: a toast says so. */
static void
test_run_exits_later (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(UniJob) job = NULL;
  UniWindow *window;
  GtkLabel *label;

  window = uni_test_open_window (application, fixture->dir);
  run_and_wait (window, fixture);
  job = g_object_ref (get_run_job (window));

  g_assert_cmpint (kill (uni_job_get_pid (job), SIGTERM), ==, 0);
  g_assert_true (uni_test_wait_for (job_ended, job, TIMEOUT_MSEC));
  label = wait_for_label (window, "The unikernel stopped (exit status ");
  g_assert_cmpstr (gtk_label_get_label (label), ==,
                   "The unikernel stopped (exit status 143)");
  g_assert_false (gtk_widget_get_visible (find (window, GTK_TYPE_BUTTON, "run_indicator")));
  g_assert_false (gtk_widget_is_sensitive (find (window, GTK_TYPE_BUTTON, "stop_button")));

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
dialog_shown (gpointer data)
{
  return uni_test_find_dialog (data) != NULL;
}

/* Who holds the port, as the core finds it. */
static UniPortOwner *
find_owner (guint port)
{
  UniTestAsync wait = { NULL };
  UniPortOwner *owner;

  uni_port_find_owner_async (port, NULL, uni_test_async_done_cb, &wait);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &wait, TIMEOUT_MSEC));
  owner = uni_port_find_owner_finish (wait.result, NULL);
  g_clear_object (&wait.result);
  g_assert_nonnull (owner);

  return owner;
}

/* A program of someone else's holds the port: the dialog names it and says what to do. */
static void
test_run_port_taken (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autofree char *heading = g_strdup_printf ("Port %u Is in Use", fixture->port);
  g_autofree char *body = NULL;
  g_autofree char *shot = NULL;
  g_autoptr(UniPortOwner) owner = NULL;
  AdwMessageDialog *dialog;
  UniWindow *window;

  /* This test program holds it: the dialog names it, in a sentence of its own. */
  g_assert_true (g_socket_listener_add_inet_port (listener, fixture->port, NULL, NULL));
  owner = find_owner (fixture->port);
  g_assert_false (uni_port_owner_is_ours (owner));
  g_assert_cmpint (owner->pid, ==, getpid ());
  g_assert_cmpstr (owner->name, ==, "test-run");
  body = g_strdup_printf ("The program test-run (PID %d) is listening on port %u. Stop it, or "
                          "give this unikernel another port: set it for the Unix target under "
                          "Per-Target Values in the Manifest.", (int) getpid (), fixture->port);

  window = uni_test_open_window (application, fixture->dir);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (uni_test_wait_for (dialog_shown, window, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));

  dialog = uni_test_find_dialog (GTK_WINDOW (window));
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, heading);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, body);
  g_assert_true (adw_message_dialog_has_response (dialog, "close"));
  g_assert_false (adw_message_dialog_has_response (dialog, "stop"));
  g_assert_false (gtk_widget_get_visible (find (window, GTK_TYPE_BUTTON, "run_indicator")));

  shot = uni_test_screenshot (GTK_WIDGET (dialog), "run-port-taken");
  g_assert_true (g_file_test (shot, G_FILE_TEST_EXISTS));

  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Another project's unikernel, started by Unistudio, holds the port: the dialog offers
 * to stop it and run this one.
 */
static void
test_run_port_ours (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) other_dir = make_demo ("other", fixture->port);
  g_autoptr(UniJob) other_job = NULL;
  g_autofree char *other_path = g_file_get_path (other_dir);
  g_autofree char *body = NULL;
  Serving serving_data = { NULL, fixture };
  AdwMessageDialog *dialog;
  UniWindow *other;
  UniWindow *window;

  other = uni_test_open_window (application, other_dir);
  run_and_wait (other, fixture);
  other_job = g_object_ref (get_run_job (other));

  window = uni_test_open_window (application, fixture->dir);
  serving_data.window = window;
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (uni_test_wait_for (dialog_shown, window, TIMEOUT_MSEC));
  dialog = uni_test_find_dialog (GTK_WINDOW (window));
  body = g_strdup_printf ("The unikernel Unistudio started for %s (PID %d) is listening on "
                          "port %u. Stop it to run this one.",
                          other_path, uni_job_get_pid (other_job), fixture->port);
  g_assert_cmpstr (adw_message_dialog_get_body (dialog), ==, body);
  g_assert_true (adw_message_dialog_has_response (dialog, "stop"));
  g_assert_cmpstr (adw_message_dialog_get_response_label (dialog, "stop"), ==,
                   "_Stop It and Run");

  adw_message_dialog_response (dialog, "stop");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (uni_test_wait_for (job_ended, other_job, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (serving, &serving_data, TIMEOUT_MSEC));
  assert_serves_demo (fixture);
  g_assert_false (gtk_widget_get_visible (find (other, GTK_TYPE_BUTTON, "run_indicator")));

  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
banner_revealed (gpointer data)
{
  return gtk_info_bar_get_revealed (GTK_INFO_BAR (find (data, GTK_TYPE_INFO_BAR, "run_banner")));
}

/* GtkInfoBar slides in: a screenshot taken before the end shows it cut. */
static gboolean
banner_shown (gpointer data)
{
  GtkWidget *revealer = uni_test_find_widget (find (data, GTK_TYPE_INFO_BAR, "run_banner"),
                                              GTK_TYPE_REVEALER, NULL);

  return revealer != NULL && gtk_revealer_get_child_revealed (GTK_REVEALER (revealer));
}

/* A unikernel that dies on start: the banner says how, with its last words. */
static void
test_run_exits_first (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GFile) unikernel = g_file_get_child (fixture->dir, "unikernel.ml");
  g_autofree char *contents = uni_test_read_file (unikernel);
  g_autofree char *expected = NULL;
  g_autoptr(GString) failing = g_string_new (contents);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GtkLabel *title;
  GtkLabel *output;
  UniWindow *window;
  AdwTabPage *tab;
  char *start;

  start = strstr (failing->str, "  let start store http port =");
  g_assert_nonnull (start);
  g_string_truncate (failing, start - failing->str);
  g_string_append (failing, "  let start _store _http _port = failwith \"boom\"\nend\n");
  uni_test_write_file (fixture->dir, "unikernel.ml", failing->str);

  window = uni_test_open_window (application, fixture->dir);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_true (uni_test_wait_for (banner_revealed, window, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));

  title = GTK_LABEL (find (window, GTK_TYPE_LABEL, "run_banner_title"));
  output = GTK_LABEL (find (window, GTK_TYPE_LABEL, "run_banner_output"));
  expected = g_strdup_printf ("The unikernel exited with status 2 before it answered on port %u",
                              fixture->port);
  g_assert_cmpstr (gtk_label_get_label (title), ==, expected);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (output)));
  g_assert_nonnull (strstr (gtk_label_get_label (output), "boom"));
  lines = g_strsplit (gtk_label_get_label (output), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), <=, 6);
  g_assert_false (gtk_widget_get_visible (find (window, GTK_TYPE_BUTTON, "run_indicator")));

  /* The whole of it is in the Run tab, which offers to run, not build, again. */
  text = uni_test_wait_terminal_text (uni_window_get_terminal_page (window, "run"),
                                      "Failure(\"boom\")", TIMEOUT_MSEC);
  g_assert_nonnull (strstr (text, "Failure(\"boom\")"));
  {
    GtkWidget *retry = uni_test_find_widget (GTK_WIDGET (uni_window_get_terminal_page (window,
                                                                                      "run")),
                                             GTK_TYPE_BUTTON, "retry_button");

    g_assert_nonnull (retry);
    g_assert_true (gtk_widget_get_visible (retry));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (retry)), ==, "_Run Again");
    g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (retry)), ==, "win.run");
  }

  g_assert_true (uni_test_wait_for (banner_shown, window, TIMEOUT_MSEC));
  uni_test_screenshot_both (GTK_WIDGET (window), "run-exited");

  /* Show Output: the Run tab, in front. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-run-output", NULL));
  tab = adw_tab_view_get_selected_page (uni_window_get_bottom_panel (window));
  g_assert_true (adw_tab_page_get_child (tab) ==
                 GTK_WIDGET (uni_window_get_terminal_page (window, "run")));

  /* Run Again starts afresh: the banner goes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  g_assert_false (banner_revealed (window));
  g_assert_true (uni_test_wait_for (banner_revealed, window, TIMEOUT_MSEC));
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));

  gtk_info_bar_response (GTK_INFO_BAR (find (window, GTK_TYPE_INFO_BAR, "run_banner")),
                         GTK_RESPONSE_CLOSE);
  g_assert_false (banner_revealed (window));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Run is for the unix target: another one says so and how to go on, and starts nothing. */
static void
test_run_other_target (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *ini = g_strdup_printf ("[Project]\ntarget=xen\n\n[Target unix]\n"
                                          "boot.port=%u\n", fixture->port);
  UniWindow *window;

  uni_test_write_file (fixture->dir, ".unistudio/project.ini", ini);
  window = uni_test_open_window (application, fixture->dir);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.run", NULL));
  wait_for_label (window, "Run starts unix unikernels on this computer.");
  g_assert_true (uni_test_wait_for (uni_test_not_building, window, TIMEOUT_MSEC));
  g_assert_null (uni_window_get_terminal_page (window, "run"));
  g_assert_false (gtk_widget_get_visible (find (window, GTK_TYPE_BUTTON, "run_indicator")));
  g_assert_false (banner_revealed (window));
  g_assert_false (uni_test_port_answers ("127.0.0.1", fixture->port));

  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  GApplication *app;
  Fixture      *fixture;
  int           pid;
  guint         source;
  guint         give_up;
  gboolean      gave_up;
} AppRun;

/* A Run that never serves ends the test, not meson's timeout: the application quits at
 * once (holds or not), and the test fails on what it finds.
 */
static gboolean
give_up_cb (gpointer data)
{
  AppRun *run = data;

  run->give_up = 0;
  run->gave_up = TRUE;
  g_application_quit (run->app);

  return G_SOURCE_REMOVE;
}

/* Once the page is served, quit as the user would. */
static gboolean
quit_when_serving_cb (gpointer data)
{
  AppRun *run = data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (run->app));
  Serving serving_data = { NULL, run->fixture };
  g_autofree char *body = NULL;
  g_auto(GStrv) accels = NULL;

  if (!UNI_IS_WINDOW (window))
    return G_SOURCE_CONTINUE;

  serving_data.window = UNI_WINDOW (window);
  if (!serving (&serving_data))
    return G_SOURCE_CONTINUE;

  body = uni_test_http_get ("127.0.0.1", run->fixture->port);
  g_assert_nonnull (body);
  /* Before the focused widget, a terminal included. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (run->app), "win.run");
  g_assert_cmpstrv (accels, ((const char *[]) { "F5", NULL }));
  run->pid = uni_job_get_pid (get_run_job (UNI_WINDOW (window)));
  g_action_group_activate_action (G_ACTION_GROUP (run->app), "quit", NULL);
  run->source = 0;

  return G_SOURCE_REMOVE;
}

/* `unistudio DIR --run` runs once the project is open; quitting ends the unikernel,
 * and the program exits only once its process is gone.
 */
static void
test_run_command_line_and_quit (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(UniApplication) app = NULL;
  g_autofree char *expected_opened = g_strconcat (fixture->url, "\n", NULL);
  UniTestFileHas has = { fixture->opened, expected_opened, TRUE };
  char *argv[] = { (char *) "unistudio", (char *) g_file_peek_path (fixture->dir),
                   (char *) "--run", NULL };
  AppRun run = { NULL, fixture, 0, 0, 0, FALSE };

  app = uni_application_new ("io.github.unistudio.TestRunApp", G_APPLICATION_NON_UNIQUE);
  run.app = G_APPLICATION (app);
  run.source = g_timeout_add (50, quit_when_serving_cb, &run);
  run.give_up = g_timeout_add (TIMEOUT_MSEC, give_up_cb, &run);

  g_assert_cmpint (g_application_run (G_APPLICATION (app), G_N_ELEMENTS (argv) - 1, argv), ==, 0);

  g_clear_handle_id (&run.give_up, g_source_remove);
  g_assert_false (run.gave_up);
  /* It quit because it served, and was told to. */
  g_assert_cmpuint (run.source, ==, 0);
  g_assert_cmpint (run.pid, >, 0);
  g_assert_true (uni_test_group_gone (GINT_TO_POINTER (run.pid)));
  g_assert_false (uni_test_port_answers ("127.0.0.1", fixture->port));
  g_assert_true (poll_for (uni_test_file_has, &has));
}

int
main (int   argc,
      char *argv[])
{
  int status;

  uni_test_gui_init (&argc, &argv);
  uni_test_prepend_fixtures_to_path ();
  application = uni_test_make_application ("io.github.unistudio.TestRun");

  g_test_add ("/uni/run/serves", Fixture, NULL, fixture_set_up, test_run_serves,
              fixture_tear_down);
  g_test_add ("/uni/run/restart", Fixture, NULL, fixture_set_up, test_run_restart,
              fixture_tear_down);
  g_test_add ("/uni/run/stop-build", Fixture, NULL, fixture_set_up, test_run_stop_build,
              fixture_tear_down);
  g_test_add ("/uni/run/restart-plan-fails", Fixture, NULL, fixture_set_up,
              test_run_restart_plan_fails, fixture_tear_down);
  g_test_add ("/uni/run/dropped-boot-args", Fixture, NULL, fixture_set_up,
              test_run_dropped_boot_args, fixture_tear_down);
  g_test_add ("/uni/run/exits-later", Fixture, NULL, fixture_set_up, test_run_exits_later,
              fixture_tear_down);
  g_test_add ("/uni/run/port-taken", Fixture, NULL, fixture_set_up, test_run_port_taken,
              fixture_tear_down);
  g_test_add ("/uni/run/port-ours", Fixture, NULL, fixture_set_up, test_run_port_ours,
              fixture_tear_down);
  g_test_add ("/uni/run/exits-first", Fixture, NULL, fixture_set_up, test_run_exits_first,
              fixture_tear_down);
  g_test_add ("/uni/run/other-target", Fixture, NULL, fixture_set_up, test_run_other_target,
              fixture_tear_down);
  g_test_add ("/uni/run/command-line-and-quit", Fixture, NULL, fixture_set_up,
              test_run_command_line_and_quit, fixture_tear_down);

  status = g_test_run ();

  g_object_unref (application);

  return status;
}
