/* test-port.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "uni-port.h"
#include "uni-test-util.h"

#define PROJECT_DIR "/some dir/www"

/* A server in another process: it prints its port once it listens, and
 * ends when the test's end of its stdin closes, so a failed test leaves
 * nothing behind.
 */
static const char listen_script[] =
  "import os, signal, socket, sys, threading, time\n"
  "if sys.argv[1] == 'group':\n"
  "    os.setsid()\n"
  "if sys.argv[2] == 'stubborn':\n"
  "    signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
  "def watch():\n"
  "    sys.stdin.read()\n"
  "    os._exit(0)\n"
  "threading.Thread(target=watch, daemon=True).start()\n"
  "s = socket.socket()\n"
  "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
  "s.bind(('0.0.0.0', 0))\n"
  "s.listen()\n"
  "print(s.getsockname()[1], flush=True)\n"
  "while True:\n"
  "    time.sleep(3600)\n";

typedef struct
{
  GSubprocess *process;
  GPid         pid;
  guint        port;
} Server;

static UniPortOwner *
find_owner (guint port)
{
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  UniPortOwner *owner;

  uni_port_find_owner_async (port, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 30000));
  owner = uni_port_find_owner_finish (async.result, &error);
  g_assert_no_error (error);
  g_clear_object (&async.result);

  return owner;
}

static char *
read_self_comm (void)
{
  g_autoptr(GError) error = NULL;
  char *comm = NULL;

  g_file_get_contents ("/proc/self/comm", &comm, NULL, &error);
  g_assert_no_error (error);

  return g_strchomp (comm);
}

static gboolean
start_server (Server     *server,
              gboolean    own_group,
              gboolean    stubborn)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *python = g_find_program_in_path ("python3");
  g_autofree char *line = NULL;

  if (python == NULL)
    {
      g_test_skip ("python3 is not installed");
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                        | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, UNI_RUN_PROJECT_ENV, PROJECT_DIR, TRUE);
  server->process = g_subprocess_launcher_spawn (launcher, &error, python, "-c", listen_script,
                                                 own_group ? "group" : "same-group",
                                                 stubborn ? "stubborn" : "obliging", NULL);
  g_assert_no_error (error);
  server->pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (server->process), NULL, 10);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  server->port = (guint) g_ascii_strtoull (line, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);

  return TRUE;
}

static void
server_clear (Server *server)
{
  if (server->process == NULL)
    return;

  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

/* A TCP socket listening at @address on a port the kernel picks; an IPv6
 * one takes IPv4 connections too unless @v6only. %NULL, the test skipped,
 * when this machine has no such address family or cannot bind there.
 */
static GSocket *
listen_at (const char *address,
           gboolean    v6only,
           guint      *port)
{
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
  g_autoptr(GSocketAddress) wanted = g_inet_socket_address_new (inet, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &error);
  if (socket != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    {
      g_socket_set_option (socket, IPPROTO_IPV6, IPV6_V6ONLY, v6only, &error);
      g_assert_no_error (error);
    }
  if (socket == NULL || !g_socket_bind (socket, wanted, TRUE, &error))
    {
      g_autofree char *reason = g_strdup_printf ("cannot listen at %s: %s", address,
                                                 error->message);

      g_test_skip (reason);
      return NULL;
    }
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return g_steal_pointer (&socket);
}

static void
test_free (void)
{
  guint port = uni_test_pick_free_port ();

  g_assert_null (find_owner (port));
}

static void
test_own_listener (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(UniPortOwner) owner = NULL;
  g_autoptr(UniPortOwner) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *comm = read_self_comm ();
  g_autofree char *description = NULL;
  g_autofree char *expected = NULL;
  guint port;

  port = g_socket_listener_add_any_inet_port (listener, NULL, &error);
  g_assert_no_error (error);

  owner = find_owner (port);
  g_assert_nonnull (owner);
  g_assert_cmpuint (owner->port, ==, port);
  g_assert_cmpint (owner->pid, ==, getpid ());
  g_assert_cmpstr (owner->name, ==, comm);
  g_assert_nonnull (owner->command_line);
  g_assert_nonnull (strstr (owner->command_line, "test-port"));
  g_assert_null (owner->project_dir);
  g_assert_false (uni_port_owner_is_ours (owner));

  description = uni_port_owner_dup_description (owner);
  expected = g_strdup_printf ("%s (PID %d)", comm, (int) getpid ());
  g_assert_cmpstr (description, ==, expected);

  copy = uni_port_owner_copy (owner);
  g_assert_cmpint (copy->pid, ==, owner->pid);
  g_assert_cmpstr (copy->name, ==, owner->name);
  g_assert_true (copy->name != owner->name);
  g_assert_cmpstr (copy->command_line, ==, owner->command_line);

  g_socket_listener_close (listener);
  g_assert_null (find_owner (port));
}

typedef struct
{
  const char *name;
  const char *address;
  gboolean    v6only;
} ListenerCase;

static const ListenerCase listener_cases[] = {
  { "ipv4-loopback", "127.0.0.1", FALSE },
  { "ipv6-loopback", "::1", TRUE },
  { "ipv6-any-v6only", "::", TRUE },
  { "ipv6-any-dual", "::", FALSE },
};

/* Whatever address the listener took, the unikernel binding the wildcard
 * would collide with it.
 */
static void
test_listener_address (gconstpointer data)
{
  const ListenerCase *c = data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(UniPortOwner) owner = NULL;
  g_autoptr(GError) error = NULL;
  guint port;

  socket = listen_at (c->address, c->v6only, &port);
  if (socket == NULL)
    return;

  owner = find_owner (port);
  g_assert_nonnull (owner);
  g_assert_cmpint (owner->pid, ==, getpid ());

  g_socket_close (socket, &error);
  g_assert_no_error (error);
  g_assert_null (find_owner (port));
}

static gboolean
has_time_wait (guint port)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/net/tcp", &contents, NULL, NULL))
    return FALSE;

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char local[128];
      char state[8];
      const char *colon;

      if (sscanf (lines[i], " %*s %127s %*s %7s", local, state) != 2)
        continue;
      colon = strrchr (local, ':');
      /* 06: TCP_TIME_WAIT */
      if (colon != NULL && g_ascii_strtoull (colon + 1, NULL, 16) == port
          && strcmp (state, "06") == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
time_wait_seen (gpointer data)
{
  return has_time_wait (GPOINTER_TO_UINT (data));
}

/* The connections a server closed linger in TIME_WAIT; a server binding
 * with SO_REUSEADDR (as the unikernel does) is not stopped by them, so
 * they are no owner.
 */
static void
test_time_wait (void)
{
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) server = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GError) error = NULL;
  struct sockaddr_in any = { 0 };
  guint port;
  int fd;

  server = listen_at ("127.0.0.1", FALSE, &port);
  g_assert_nonnull (server);
  bound = g_socket_get_local_address (server, &error);
  g_assert_no_error (error);

  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_connect (client, bound, NULL, &error);
  g_assert_no_error (error);
  accepted = g_socket_accept (server, NULL, &error);
  g_assert_no_error (error);

  /* The server's side closes first, so the server's port is the one left
   * in TIME_WAIT.
   */
  g_socket_close (accepted, &error);
  g_assert_no_error (error);
  g_socket_close (client, &error);
  g_assert_no_error (error);
  g_socket_close (server, &error);
  g_assert_no_error (error);
  g_assert_true (uni_test_wait_for (time_wait_seen, GUINT_TO_POINTER (port), 10000));

  /* Without SO_REUSEADDR the port does look taken. */
  fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  g_assert_cmpint (fd, >=, 0);
  any.sin_family = AF_INET;
  any.sin_port = g_htons (port);
  g_assert_cmpint (bind (fd, (struct sockaddr *) &any, sizeof any), ==, -1);
  g_assert_cmpint (errno, ==, EADDRINUSE);
  close (fd);

  g_assert_null (find_owner (port));
}

static void
test_ours (void)
{
  Server server = { NULL };
  g_autoptr(UniPortOwner) owner = NULL;
  g_autofree char *description = NULL;
  g_autofree char *expected = NULL;

  if (!start_server (&server, TRUE, FALSE))
    return;

  owner = find_owner (server.port);
  g_assert_nonnull (owner);
  g_assert_cmpint (owner->pid, ==, server.pid);
  g_assert_cmpstr (owner->project_dir, ==, PROJECT_DIR);
  g_assert_true (uni_port_owner_is_ours (owner));
  g_assert_nonnull (owner->name);
  g_assert_nonnull (strstr (owner->command_line, "import os"));

  description = uni_port_owner_dup_description (owner);
  expected = g_strdup_printf ("the unikernel Unistudio started for %s (PID %d)", PROJECT_DIR,
                              (int) server.pid);
  g_assert_cmpstr (description, ==, expected);

  server_clear (&server);
}

static void
test_unseen (void)
{
  UniPortOwner unseen = { 8080, 0, NULL, NULL, NULL };
  UniPortOwner nameless = { 8080, 4321, NULL, NULL, NULL };
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *description = uni_port_owner_dup_description (&unseen);
  g_autofree char *nameless_description = uni_port_owner_dup_description (&nameless);

  g_assert_cmpstr (description, ==, "another program");
  g_assert_false (uni_port_owner_is_ours (&unseen));
  g_assert_cmpstr (nameless_description, ==, "a program (PID 4321)");

  uni_port_stop_owner_async (&unseen, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 10000));
  g_assert_false (uni_port_stop_owner_finish (async.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "8080"));
  g_clear_object (&async.result);
  g_clear_error (&error);

  /* A process that is not one of our unikernels is never signalled. */
  uni_port_stop_owner_async (&nameless, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 10000));
  g_assert_false (uni_port_stop_owner_finish (async.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_nonnull (strstr (error->message, "PID 4321"));
  g_clear_object (&async.result);
}

typedef struct
{
  const char *name;
  gboolean    own_group;
  gboolean    stubborn;
  int         signal;
} StopCase;

static const StopCase stop_cases[] = {
  { "group", TRUE, FALSE, SIGTERM },
  { "alone", FALSE, FALSE, SIGTERM },
  { "ignores-term", TRUE, TRUE, SIGKILL },
};

static void
test_stop (gconstpointer data)
{
  const StopCase *c = data;
  Server server = { NULL };
  g_autoptr(UniPortOwner) owner = NULL;
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;

  if (!start_server (&server, c->own_group, c->stubborn))
    return;

  owner = find_owner (server.port);
  g_assert_nonnull (owner);
  g_assert_cmpint (owner->pid, ==, server.pid);

  uni_port_stop_owner_async (owner, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 30000));
  g_assert_true (uni_port_stop_owner_finish (async.result, &error));
  g_assert_no_error (error);
  g_clear_object (&async.result);

  /* Gone, by the signal expected, and the port free again. */
  g_subprocess_wait (server.process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (server.process));
  g_assert_cmpint (g_subprocess_get_term_sig (server.process), ==, c->signal);
  g_assert_null (find_owner (server.port));

  g_clear_object (&server.process);
}

/* A server that starts listening a moment after the wait began. */
typedef struct
{
  GSocketService *service;
  guint           port;
  guint           incoming;
} LateServer;

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  LateServer *late = user_data;

  late->incoming++;
  return FALSE;
}

static gboolean
start_late_server_cb (gpointer user_data)
{
  LateServer *late = user_data;
  g_autoptr(GError) error = NULL;

  late->service = g_socket_service_new ();
  g_signal_connect (late->service, "incoming", G_CALLBACK (incoming_cb), late);
  g_socket_listener_add_inet_port (G_SOCKET_LISTENER (late->service), late->port, NULL,
                                   &error);
  g_assert_no_error (error);
  g_socket_service_start (late->service);

  return G_SOURCE_REMOVE;
}

static gboolean
late_server_accepted (gpointer data)
{
  return ((LateServer *) data)->incoming > 0;
}

static void
test_wait_answers (void)
{
  LateServer late = { NULL, uni_test_pick_free_port (), 0 };
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  GAsyncResult *result;

  uni_port_wait_async (NULL, late.port, 30000, NULL, uni_test_async_done_cb, &async);
  g_timeout_add (200, start_late_server_cb, &late);

  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 60000));
  g_assert_true (uni_port_wait_finish (async.result, &error));
  g_assert_no_error (error);
  g_assert_nonnull (late.service);

  /* It really connected: the server saw the client. */
  g_assert_true (uni_test_wait_for (late_server_accepted, &late, 10000));

  /* Nothing of the wait is left behind to fire later (a second callback
   * would fail uni_test_async_done_cb), and the task is let go.
   */
  result = g_steal_pointer (&async.result);
  g_object_add_weak_pointer (G_OBJECT (result), (gpointer *) &result);
  g_object_unref (result);
  uni_test_iterate (300);
  g_assert_null (result);
  g_assert_null (async.result);

  g_socket_service_stop (late.service);
  g_socket_listener_close (G_SOCKET_LISTENER (late.service));
  g_clear_object (&late.service);
}

static void
test_wait_timeout (void)
{
  guint port = uni_test_pick_free_port ();
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *port_text = g_strdup_printf ("port %u of 127.0.0.1 ", port);

  uni_port_wait_async (NULL, port, 300, NULL, uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 30000));
  g_assert_false (uni_port_wait_finish (async.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, port_text));
  g_clear_object (&async.result);

  uni_test_iterate (300);
  g_assert_null (async.result);
}

typedef struct
{
  const char *name;
  /* Where the listener is bound, where the wait connects (NULL: its default) */
  const char *listen;
  const char *connect;
  gboolean    answers;
} WaitAddressCase;

/* Linux routes all of 127.0.0.0/8 to the loopback device, so a listener on
 * 127.0.0.2 answers there and nowhere else: the wait must go to the address
 * it is given.
 */
static const WaitAddressCase wait_address_cases[] = {
  { "default-is-loopback", "127.0.0.1", NULL, TRUE },
  { "loopback", "127.0.0.1", "127.0.0.1", TRUE },
  { "other-loopback", "127.0.0.2", "127.0.0.2", TRUE },
  { "other-loopback-not-default", "127.0.0.2", NULL, FALSE },
  { "loopback-not-other", "127.0.0.1", "127.0.0.2", FALSE },
  { "ipv6-loopback", "::1", "::1", TRUE },
};

static void
test_wait_address (gconstpointer data)
{
  const WaitAddressCase *c = data;
  g_autoptr(GSocket) listener = NULL;
  g_autoptr(GSocket) accepted = NULL;
  g_autoptr(GError) error = NULL;
  UniTestAsync async = { NULL };
  guint port;

  listener = listen_at (c->listen, FALSE, &port);
  if (listener == NULL)
    return;

  uni_port_wait_async (c->connect, port, c->answers ? 30000 : 500, NULL,
                       uni_test_async_done_cb, &async);
  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 60000));

  if (c->answers)
    {
      g_assert_true (uni_port_wait_finish (async.result, &error));
      g_assert_no_error (error);

      /* The connection it made is the one this listener holds. */
      g_socket_set_blocking (listener, FALSE);
      accepted = g_socket_accept (listener, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (accepted);
    }
  else
    {
      g_autofree char *where = g_strdup_printf ("port %u of %s ", port,
                                                c->connect != NULL ? c->connect : "127.0.0.1");

      g_assert_false (uni_port_wait_finish (async.result, &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
      g_assert_nonnull (strstr (error->message, where));
    }
  g_clear_object (&async.result);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_wait_cancel (void)
{
  guint port = uni_test_pick_free_port ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;

  uni_port_wait_async (NULL, port, 600000, cancellable, uni_test_async_done_cb, &async);
  g_timeout_add (100, cancel_cb, cancellable);

  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 30000));
  g_assert_false (uni_port_wait_finish (async.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&async.result);

  uni_test_iterate (300);
  g_assert_null (async.result);
}

static void
test_wait_cancelled_before (void)
{
  guint port = uni_test_pick_free_port ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  UniTestAsync async = { NULL };
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  uni_port_wait_async (NULL, port, 600000, cancellable, uni_test_async_done_cb, &async);

  g_assert_true (uni_test_wait_for (uni_test_async_is_done, &async, 30000));
  g_assert_false (uni_port_wait_finish (async.result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_object (&async.result);
}

int
main (int    argc,
      char **argv)
{
  uni_test_init (&argc, &argv);

  /* The test process must not pass for a unikernel Unistudio started. */
  g_unsetenv (UNI_RUN_PROJECT_ENV);

  g_test_add_func ("/uni/port/owner/free", test_free);
  g_test_add_func ("/uni/port/owner/own-listener", test_own_listener);
  UNI_TEST_ADD_CASES ("/uni/port/owner/address", listener_cases, test_listener_address);
  g_test_add_func ("/uni/port/owner/time-wait", test_time_wait);
  g_test_add_func ("/uni/port/owner/ours", test_ours);
  g_test_add_func ("/uni/port/owner/unseen", test_unseen);
  UNI_TEST_ADD_CASES ("/uni/port/stop", stop_cases, test_stop);
  g_test_add_func ("/uni/port/wait/answers", test_wait_answers);
  g_test_add_func ("/uni/port/wait/timeout", test_wait_timeout);
  UNI_TEST_ADD_CASES ("/uni/port/wait/address", wait_address_cases, test_wait_address);
  g_test_add_func ("/uni/port/wait/cancel", test_wait_cancel);
  g_test_add_func ("/uni/port/wait/cancelled-before", test_wait_cancelled_before);

  return g_test_run ();
}
