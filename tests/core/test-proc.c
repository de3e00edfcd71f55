/* test-proc.c — reading /proc about real processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "uni-proc.h"
#include "uni-test-util.h"

/* Bounds for what a real process does at once, never timed assertions. */
#define WAIT_MS 10000

/* No pid has this many digits' worth: /proc/sys/kernel/pid_max is at most 2^22. */
#define NO_SUCH_PID G_MAXINT

static void
test_parse_pid (void)
{
  static const struct {
    const char *name;
    gboolean    is_pid;
    GPid        pid;
  } cases[] = {
    { "1", TRUE, 1 },
    { "4194304", TRUE, 4194304 },
    { "0", FALSE, 0 },
    { "", FALSE, 0 },
    { "self", FALSE, 0 },
    { "12a", FALSE, 0 },
    { "-5", FALSE, 0 },
    { "+5", FALSE, 0 },
    { " 5", FALSE, 0 },
    { "99999999999", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GPid pid = 0;

      g_test_message ("“%s”", cases[i].name);
      g_assert_cmpint (uni_proc_parse_pid (cases[i].name, &pid), ==, cases[i].is_pid);
      g_assert_cmpint (pid, ==, cases[i].pid);
    }
}

static void
test_self (void)
{
  g_autofree char *comm = uni_proc_read_file (getpid (), "comm", NULL);
  g_autofree char *cmdline = NULL;
  gsize length = 0;
  char state = 0;
  GPid ppid = 0;
  GPid pgrp = 0;

  g_assert_cmpstr (comm, ==, "test-proc\n");

  /* cmdline ends each argument with a NUL byte: the length says how far. */
  cmdline = uni_proc_read_file (getpid (), "cmdline", &length);
  g_assert_nonnull (cmdline);
  g_assert_cmpuint (length, >=, strlen (cmdline) + 1);
  g_assert_cmpint (cmdline[length - 1], ==, '\0');
  g_assert_true (g_str_has_suffix (cmdline, "test-proc"));

  g_assert_true (uni_proc_read_stat (getpid (), &state, &ppid, &pgrp));
  g_assert_cmpint (state, ==, 'R');
  g_assert_cmpint (ppid, ==, getppid ());
  g_assert_cmpint (pgrp, ==, getpgrp ());
  g_assert_true (uni_proc_read_stat (getpid (), NULL, NULL, NULL));
  g_assert_true (uni_proc_is_running (getpid ()));
  g_assert_true (uni_proc_group_is_alive (getpgrp ()));
}

static void
test_gone (void)
{
  char state = 0;

  g_assert_false (uni_proc_read_stat (NO_SUCH_PID, &state, NULL, NULL));
  g_assert_cmpint (state, ==, 0);
  g_assert_null (uni_proc_read_file (NO_SUCH_PID, "comm", NULL));
  g_assert_false (uni_proc_is_running (NO_SUCH_PID));
  g_assert_false (uni_proc_group_is_alive (NO_SUCH_PID));
  g_assert_false (uni_proc_group_is_alive (0));
  g_assert_false (uni_proc_group_is_alive (-1));
}

static void
lead_own_group (gpointer user_data)
{
  setpgid (0, 0);
}

static void
kill_group (gpointer data)
{
  kill (-GPOINTER_TO_INT (data), SIGKILL);
}

/* Starts @script under sh, leading a process group of its own that the
 * test kills at its end, and never reaped unless the test does: its
 * zombie stays. Returns the pid; *@first_line is what it printed first.
 */
static GPid
spawn_group (const char  *script,
             char       **first_line)
{
  const char *argv[] = { "/bin/sh", "-c", script, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  GPid pid = 0;
  int out_fd = -1;

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                            lead_own_group, NULL, &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);
  g_test_queue_destroy (kill_group, GINT_TO_POINTER (pid));

  stream = g_unix_input_stream_new (out_fd, TRUE);
  data = g_data_input_stream_new (stream);
  if (first_line != NULL)
    {
      *first_line = g_data_input_stream_read_line (data, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (*first_line);
    }

  return pid;
}

/* What the kernel does to another process wakes no main loop: poll. */
static gboolean
poll_until (UniTestCondition condition,
            gpointer         data)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (1000);
    }

  return TRUE;
}

static gboolean
is_zombie (gpointer data)
{
  char state = 0;

  return uni_proc_read_stat (GPOINTER_TO_INT (data), &state, NULL, NULL) && state == 'Z';
}

/* Ended but not reaped: kill (pid, 0) still finds it, yet it runs no more,
 * and a group of only that zombie is not alive.
 */
static void
test_zombie (void)
{
  g_autofree char *line = NULL;
  GPid pid = spawn_group ("echo started; exec sleep 600", &line);
  GPid ppid = 0;
  GPid pgrp = 0;
  int status = 0;

  g_assert_cmpstr (line, ==, "started");
  g_assert_true (uni_proc_read_stat (pid, NULL, &ppid, &pgrp));
  g_assert_cmpint (ppid, ==, getpid ());
  g_assert_cmpint (pgrp, ==, pid);
  g_assert_true (uni_proc_is_running (pid));
  g_assert_true (uni_proc_group_is_alive (pid));

  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
  g_assert_true (poll_until (is_zombie, GINT_TO_POINTER (pid)));
  g_assert_cmpint (kill (pid, 0), ==, 0);
  g_assert_cmpint (kill (-pid, 0), ==, 0);
  g_assert_false (uni_proc_is_running (pid));
  g_assert_false (uni_proc_group_is_alive (pid));

  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_assert_false (uni_proc_is_running (pid));
  g_assert_false (uni_proc_read_stat (pid, NULL, NULL, NULL));
}

static gboolean
group_is_dead (gpointer data)
{
  return !uni_proc_group_is_alive (GPOINTER_TO_INT (data));
}

/* The leader ended (a zombie), another member lives: the group does. */
static void
test_group_member (void)
{
  g_autofree char *line = NULL;
  GPid leader = spawn_group ("sleep 600 & echo $!; exit 0", &line);
  guint64 member = 0;
  GPid pgrp = 0;
  int status = 0;

  g_assert_true (g_ascii_string_to_unsigned (line, 10, 1, G_MAXINT, &member, NULL));
  g_assert_cmpint (waitpid (leader, &status, 0), ==, leader);
  g_assert_false (uni_proc_is_running (leader));

  g_assert_true (uni_proc_read_stat ((GPid) member, NULL, NULL, &pgrp));
  g_assert_cmpint (pgrp, ==, leader);
  g_assert_true (uni_proc_is_running ((GPid) member));
  g_assert_true (uni_proc_group_is_alive (leader));

  /* Reaped by whoever adopted it, or left a zombie: dead either way. */
  g_assert_cmpint (kill ((GPid) member, SIGKILL), ==, 0);
  g_assert_true (poll_until (group_is_dead, GINT_TO_POINTER (leader)));
  g_assert_false (uni_proc_is_running ((GPid) member));
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/proc/parse-pid", test_parse_pid);
  g_test_add_func ("/uni/proc/self", test_self);
  g_test_add_func ("/uni/proc/gone", test_gone);
  g_test_add_func ("/uni/proc/zombie", test_zombie);
  g_test_add_func ("/uni/proc/group-member", test_group_member);

  return g_test_run ();
}
