/* uni-port.c — a TCP port on this computer: who holds it, and waiting for it to answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-port"

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "uni-port.h"
#include "uni-proc.h"

#define STOP_POLL_MS     20
#define STOP_KILL_AFTER  (3 * G_USEC_PER_SEC)
#define STOP_GIVE_UP     (10 * G_USEC_PER_SEC)
/* A unix unikernel listens within tens of milliseconds: try often at first,
 * since every millisecond between it listening and the page opening is
 * felt (a refused connect on loopback costs microseconds), then back off.
 */
#define WAIT_FIRST_MS    2
#define WAIT_QUICK_TRIES 100
#define WAIT_LONGEST_MS  250

typedef enum
{
  PORT_FREE,
  PORT_TAKEN,
  /* Binding failed for another reason: a port below 1024 without the
   * right to bind it, no IPv6...
   */
  PORT_UNKNOWN,
} PortState;

/* What waiting for a port keeps between tries. Every source here belongs
 * to the task's main context and is destroyed before the task returns.
 */
typedef struct
{
  GSocketClient  *client;
  GSocketAddress *address;
  /* Cancelled to abandon the connection in flight: at the deadline or when
   * the caller cancels.
   */
  GCancellable   *attempt;
  GSource        *retry_source;
  GSource        *deadline_source;
  GSource        *cancel_source;
  /* For the user: "127.0.0.1" */
  char           *address_text;
  guint           port;
  guint           timeout_ms;
  guint           delay_ms;
  guint           tries;
  gboolean        connecting;
  gboolean        timed_out;
  gboolean        cancelled;
} WaitData;

static void try_connect (GTask *task);

static void
destroy_source (GSource **source)
{
  if (*source == NULL)
    return;

  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
wait_data_free (WaitData *data)
{
  g_assert (!data->connecting);

  destroy_source (&data->retry_source);
  destroy_source (&data->deadline_source);
  destroy_source (&data->cancel_source);
  g_clear_object (&data->attempt);
  g_clear_object (&data->address);
  g_clear_object (&data->client);
  g_free (data->address_text);
  g_free (data);
}

/* Binds the wildcard address as a server would, SO_REUSEADDR included, so
 * connections of a server that just ended (TIME_WAIT) do not count as
 * taking the port; a listening socket does.
 */
static PortState
try_bind (int   family,
          guint port)
{
  struct sockaddr_in in4 = { 0 };
  struct sockaddr_in6 in6 = { 0 };
  struct sockaddr *address;
  socklen_t length;
  int one = 1;
  int result;
  int saved_errno;
  int fd;

  fd = socket (family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return PORT_UNKNOWN;

  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);

  if (family == AF_INET6)
    {
      /* Only the IPv6 side: the IPv4 side was tried on its own. */
      setsockopt (fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
      in6.sin6_family = AF_INET6;
      in6.sin6_addr = in6addr_any;
      in6.sin6_port = g_htons (port);
      address = (struct sockaddr *) &in6;
      length = sizeof in6;
    }
  else
    {
      in4.sin_family = AF_INET;
      in4.sin_addr.s_addr = g_htonl (INADDR_ANY);
      in4.sin_port = g_htons (port);
      address = (struct sockaddr *) &in4;
      length = sizeof in4;
    }

  result = bind (fd, address, length);
  saved_errno = errno;
  close (fd);

  if (result == 0)
    return PORT_FREE;

  return saved_errno == EADDRINUSE ? PORT_TAKEN : PORT_UNKNOWN;
}

static PortState
probe_port (guint port)
{
  PortState state = try_bind (AF_INET, port);

  if (state != PORT_FREE)
    return state;

  /* A machine without IPv6 only has the IPv4 side to take. */
  if (try_bind (AF_INET6, port) == PORT_TAKEN)
    return PORT_TAKEN;

  return PORT_FREE;
}

/* Adds "socket:[INODE]", as /proc/PID/fd links read, for every socket
 * listening on @port in @path (/proc/net/tcp or tcp6).
 */
static void
collect_listening_sockets (const char *path,
                           guint       port,
                           GHashTable *links)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;

  lines = g_strsplit (contents, "\n", -1);

  /* The first line names the columns. */
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char local[128];
      char state[8];
      unsigned long inode = 0;
      const char *colon;
      guint64 local_port = 0;

      if (sscanf (lines[i], " %*s %127s %*s %7s %*s %*s %*s %*s %*s %lu",
                  local, state, &inode) != 3)
        continue;

      /* 0A: TCP_LISTEN */
      if (strcmp (state, "0A") != 0 || inode == 0)
        continue;

      colon = strrchr (local, ':');
      if (colon == NULL
          || !g_ascii_string_to_unsigned (colon + 1, 16, 0, 65535, &local_port, NULL)
          || local_port != port)
        continue;

      g_hash_table_add (links, g_strdup_printf ("socket:[%lu]", inode));
    }
}

/* The process with one of @links among its file descriptors; 0 when no
 * process we may look into has one.
 */
static GPid
find_socket_holder (GHashTable   *links,
                    GCancellable *cancellable)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  if (proc == NULL)
    return 0;

  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *fd_path = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd_name;
      GPid pid;

      if (!uni_proc_parse_pid (name, &pid))
        continue;

      if (g_cancellable_is_cancelled (cancellable))
        return 0;

      fd_path = g_build_filename ("/proc", name, "fd", NULL);
      fds = g_dir_open (fd_path, 0, NULL);
      if (fds == NULL)
        continue;

      while ((fd_name = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link_path = g_build_filename (fd_path, fd_name, NULL);
          char target[64];
          ssize_t length;

          length = readlink (link_path, target, sizeof target - 1);
          if (length <= 0)
            continue;
          target[length] = '\0';

          if (g_hash_table_contains (links, target))
            return pid;
        }
    }

  return 0;
}

static void
read_process_details (UniPortOwner *owner)
{
  g_autofree char *comm = NULL;
  g_autofree char *cmdline = NULL;
  g_autofree char *environ_data = NULL;
  gsize length = 0;

  comm = uni_proc_read_file (owner->pid, "comm", NULL);
  if (comm != NULL && *g_strchomp (comm) != '\0')
    owner->name = g_steal_pointer (&comm);

  cmdline = uni_proc_read_file (owner->pid, "cmdline", &length);
  if (cmdline != NULL)
    {
      for (gsize i = 0; i < length; i++)
        {
          if (cmdline[i] == '\0')
            cmdline[i] = ' ';
        }
      if (*g_strchomp (cmdline) != '\0')
        owner->command_line = g_steal_pointer (&cmdline);
    }

  /* Readable only for our own processes (or by root): another user's
   * process is never taken for ours.
   */
  environ_data = uni_proc_read_file (owner->pid, "environ", &length);
  if (environ_data != NULL)
    {
      const char *prefix = UNI_RUN_PROJECT_ENV "=";
      gsize prefix_length = strlen (prefix);

      for (gsize i = 0; i < length; i += strlen (environ_data + i) + 1)
        {
          const char *entry = environ_data + i;

          if (strncmp (entry, prefix, prefix_length) == 0 && entry[prefix_length] != '\0')
            {
              owner->project_dir = g_strdup (entry + prefix_length);
              break;
            }
        }
    }
}

/* Runs in a thread. */
static void
find_owner_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  guint port = GPOINTER_TO_UINT (task_data);
  g_autoptr(GHashTable) links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(UniPortOwner) owner = NULL;
  PortState state = probe_port (port);

  if (state == PORT_FREE)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  collect_listening_sockets ("/proc/net/tcp", port, links);
  collect_listening_sockets ("/proc/net/tcp6", port, links);

  /* Binding could not tell (a port below 1024 without the right to bind
   * it): only a listening socket says it is taken.
   */
  if (state == PORT_UNKNOWN && g_hash_table_size (links) == 0)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  owner = g_new0 (UniPortOwner, 1);
  owner->port = port;
  if (g_hash_table_size (links) > 0)
    owner->pid = find_socket_holder (links, cancellable);
  if (owner->pid > 0)
    read_process_details (owner);

  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, g_steal_pointer (&owner), (GDestroyNotify) uni_port_owner_free);
}

/* Runs in a thread: it polls, which the main loop must not. */
static void
stop_owner_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const UniPortOwner *owner = task_data;
  gint64 start = g_get_monotonic_time ();
  gboolean killed = FALSE;
  gboolean group;
  pid_t target;

  /* UniJob starts every process leading a group of its own, so its
   * children (sudo's unikernel) end with it; a process that does not lead
   * its group is signalled alone, never its parent's group.
   */
  group = getpgid (owner->pid) == owner->pid;
  target = group ? -owner->pid : owner->pid;

  if (kill (target, SIGTERM) != 0)
    {
      if (errno == EPERM)
        {
          g_autofree char *description = uni_port_owner_dup_description (owner);

          g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                                   _("Unistudio may not stop %s, which holds port %u: it "
                                     "belongs to another user. Stop it yourself or use "
                                     "another port."),
                                   description, owner->port);
          return;
        }
      /* ESRCH: it ended already; the port may still need a moment. */
    }
  else
    {
      /* A stopped process acts on SIGTERM only once it runs again. */
      kill (target, SIGCONT);
    }

  for (;;)
    {
      gint64 elapsed = g_get_monotonic_time () - start;
      gboolean running = uni_proc_is_running (owner->pid);

      if (g_task_return_error_if_cancelled (task))
        return;

      if (!running && probe_port (owner->port) != PORT_TAKEN)
        break;

      if (!killed && elapsed >= STOP_KILL_AFTER)
        {
          /* A group outlives its leader while any member is left; a lone
           * process that is gone is not signalled, its PID may be reused.
           */
          if (group || running)
            kill (target, SIGKILL);
          killed = TRUE;
        }

      if (elapsed >= STOP_GIVE_UP)
        {
          if (running)
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     _("Process %d did not end within %d seconds"),
                                     (int) owner->pid, (int) (STOP_GIVE_UP / G_USEC_PER_SEC));
          else
            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                     _("Port %u was still taken %d seconds after process %d "
                                       "was told to stop"),
                                     owner->port, (int) (STOP_GIVE_UP / G_USEC_PER_SEC),
                                     (int) owner->pid);
          return;
        }

      g_usleep (STOP_POLL_MS * 1000);
    }

  g_task_return_boolean (task, TRUE);
}

static void
wait_finish_with (GTask  *task,
                  GError *error)
{
  WaitData *data = g_task_get_task_data (task);

  g_assert (!data->connecting);

  destroy_source (&data->retry_source);
  destroy_source (&data->deadline_source);
  destroy_source (&data->cancel_source);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);

  /* The reference the wait held since it started. */
  g_object_unref (task);
}

static GError *
new_timed_out_error (WaitData *data)
{
  guint seconds = MAX (1, (data->timeout_ms + 999) / 1000);

  /* Translators: “Nothing answered on port 8080 of 10.0.0.2 within 30 seconds” */
  return g_error_new (G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                      ngettext ("Nothing answered on port %u of %s within %u second",
                                "Nothing answered on port %u of %s within %u seconds", seconds),
                      data->port, data->address_text, seconds);
}

static GError *
new_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));
}

static gboolean
retry_cb (gpointer user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->retry_source, g_source_unref);
  try_connect (task);

  return G_SOURCE_REMOVE;
}

static gboolean
deadline_cb (gpointer user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->deadline_source, g_source_unref);
  data->timed_out = TRUE;

  /* The connection in flight reports back, then the wait ends. */
  if (data->connecting)
    g_cancellable_cancel (data->attempt);
  else
    wait_finish_with (task, new_timed_out_error (data));

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);

  g_clear_pointer (&data->cancel_source, g_source_unref);
  data->cancelled = TRUE;

  if (data->connecting)
    g_cancellable_cancel (data->attempt);
  else
    wait_finish_with (task, new_cancelled_error ());

  return G_SOURCE_REMOVE;
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  WaitData *data = g_task_get_task_data (task);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GSource *source;

  data->connecting = FALSE;
  connection = g_socket_client_connect_finish (G_SOCKET_CLIENT (object), result, &error);

  if (connection != NULL)
    {
      /* Only whether it answers matters; the server sees a client come and go. */
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      wait_finish_with (task, NULL);
      return;
    }

  if (data->cancelled)
    {
      wait_finish_with (task, new_cancelled_error ());
      return;
    }

  if (data->timed_out)
    {
      wait_finish_with (task, new_timed_out_error (data));
      return;
    }

  g_debug ("Port %u of %s does not answer yet: %s", data->port, data->address_text,
           error->message);

  source = g_timeout_source_new (data->delay_ms);
  g_source_set_static_name (source, "[unistudio] uni_port_wait retry");
  g_source_set_callback (source, retry_cb, task, NULL);
  g_source_attach (source, g_task_get_context (task));
  data->retry_source = source;

  if (++data->tries >= WAIT_QUICK_TRIES)
    data->delay_ms = MIN (data->delay_ms + data->delay_ms / 2, WAIT_LONGEST_MS);
}

static void
try_connect (GTask *task)
{
  WaitData *data = g_task_get_task_data (task);

  data->connecting = TRUE;
  g_socket_client_connect_async (data->client, G_SOCKET_CONNECTABLE (data->address),
                                 data->attempt, connected_cb, task);
}

/**
 * uni_port_owner_free:
 * @owner: (nullable): a #UniPortOwner
 */
void
uni_port_owner_free (UniPortOwner *owner)
{
  if (owner == NULL)
    return;

  g_free (owner->name);
  g_free (owner->command_line);
  g_free (owner->project_dir);
  g_free (owner);
}

/**
 * uni_port_owner_copy:
 * @owner: (nullable): a #UniPortOwner
 *
 * Returns: (transfer full) (nullable): a copy of @owner
 */
UniPortOwner *
uni_port_owner_copy (const UniPortOwner *owner)
{
  UniPortOwner *copy;

  if (owner == NULL)
    return NULL;

  copy = g_memdup2 (owner, sizeof *owner);
  copy->name = g_strdup (owner->name);
  copy->command_line = g_strdup (owner->command_line);
  copy->project_dir = g_strdup (owner->project_dir);

  return copy;
}

/**
 * uni_port_owner_is_ours:
 * @owner: a #UniPortOwner
 *
 * Returns: whether it is a unikernel Unistudio started (in this process or
 *   another)
 */
gboolean
uni_port_owner_is_ours (const UniPortOwner *owner)
{
  g_return_val_if_fail (owner != NULL, FALSE);

  return owner->pid > 0 && owner->project_dir != NULL;
}

/**
 * uni_port_owner_dup_description:
 * @owner: a #UniPortOwner
 *
 * Returns: (transfer full): who holds the port, as part of a sentence for
 *   the user: “python3 (PID 1234)”, “another program”
 */
char *
uni_port_owner_dup_description (const UniPortOwner *owner)
{
  g_return_val_if_fail (owner != NULL, NULL);

  if (owner->pid <= 0)
    return g_strdup (_("another program"));

  if (uni_port_owner_is_ours (owner))
    {
      g_autofree char *display = g_filename_display_name (owner->project_dir);

      return g_strdup_printf (_("the unikernel Unistudio started for %s (PID %d)"),
                              display, (int) owner->pid);
    }

  if (owner->name != NULL)
    return g_strdup_printf (_("%s (PID %d)"), owner->name, (int) owner->pid);

  return g_strdup_printf (_("a program (PID %d)"), (int) owner->pid);
}

/**
 * uni_port_find_owner_async:
 * @port: a TCP port
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the owner is known
 * @user_data: data for @callback
 *
 * See uni-port.h.
 */
void
uni_port_find_owner_async (guint                port,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (port > 0 && port <= 65535);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_port_find_owner_async);
  g_task_set_task_data (task, GUINT_TO_POINTER (port), NULL);
  g_task_run_in_thread (task, find_owner_thread);
}

/**
 * uni_port_find_owner_finish:
 * @result: the #GAsyncResult
 * @error: return location for an error (only %G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full) (nullable): who holds the port, %NULL with no
 *   error when it is free
 */
UniPortOwner *
uni_port_find_owner_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, uni_port_find_owner_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * uni_port_stop_owner_async:
 * @owner: who holds a port, from uni_port_find_owner_finish()
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the process has ended and the port is free
 * @user_data: data for @callback
 *
 * See uni-port.h. An owner that could not be seen (PID 0) cannot be
 * signalled: %G_IO_ERROR_PERMISSION_DENIED.
 */
void
uni_port_stop_owner_async (const UniPortOwner  *owner,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (owner != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_port_stop_owner_async);

  if (owner->pid <= 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Unistudio cannot see which program holds port %u, so it "
                                 "cannot stop it. Stop it yourself or use another port."),
                               owner->port);
      return;
    }

  /* Its whole process group goes: only ever one of the unikernels we started. */
  if (!uni_port_owner_is_ours (owner))
    {
      g_autofree char *description = uni_port_owner_dup_description (owner);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                               _("Unistudio stops only the unikernels it started, not %s. "
                                 "Stop it yourself or use another port."),
                               description);
      return;
    }

  g_task_set_task_data (task, uni_port_owner_copy (owner), (GDestroyNotify) uni_port_owner_free);
  g_task_run_in_thread (task, stop_owner_thread);
}

/**
 * uni_port_stop_owner_finish:
 * @result: the #GAsyncResult
 * @error: return location for an error
 *
 * Returns: %TRUE once the process has ended and the port is free
 */
gboolean
uni_port_stop_owner_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, uni_port_stop_owner_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_port_wait_async:
 * @address: (nullable): the IP address to connect to, "10.0.0.2"; %NULL
 *   for 127.0.0.1
 * @port: a TCP port
 * @timeout_ms: how long to keep trying
 * @cancellable: (nullable): a #GCancellable
 * @callback: called once the port accepts a connection, or on failure
 * @user_data: data for @callback
 *
 * See uni-port.h. Runs in the thread-default main context of the caller.
 */
void
uni_port_wait_async (const char          *address,
                     guint                port,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GInetAddress) inet_address = NULL;
  WaitData *data;
  GSource *source;

  g_return_if_fail (address == NULL || g_hostname_is_ip_address (address));
  g_return_if_fail (port > 0 && port <= 65535);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_port_wait_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  data = g_new0 (WaitData, 1);
  data->port = port;
  data->timeout_ms = timeout_ms;
  data->delay_ms = WAIT_FIRST_MS;
  data->attempt = g_cancellable_new ();
  data->client = g_socket_client_new ();
  /* A proxy from the environment must not stand in for the local server. */
  g_socket_client_set_enable_proxy (data->client, FALSE);
  if (address != NULL)
    inet_address = g_inet_address_new_from_string (address);
  else
    inet_address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  data->address = g_inet_socket_address_new (inet_address, port);
  data->address_text = g_inet_address_to_string (inet_address);
  g_task_set_task_data (task, data, (GDestroyNotify) wait_data_free);

  source = g_timeout_source_new (timeout_ms);
  g_source_set_static_name (source, "[unistudio] uni_port_wait deadline");
  g_source_set_callback (source, deadline_cb, task, NULL);
  g_source_attach (source, g_task_get_context (task));
  data->deadline_source = source;

  if (cancellable != NULL)
    {
      source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (source, "[unistudio] uni_port_wait cancelled");
      g_source_set_callback (source, G_SOURCE_FUNC (cancelled_cb), task, NULL);
      g_source_attach (source, g_task_get_context (task));
      data->cancel_source = source;
    }

  /* Held until wait_finish_with(): every source and callback above uses
   * the task without a reference of its own.
   */
  try_connect (g_steal_pointer (&task));
}

/**
 * uni_port_wait_finish:
 * @result: the #GAsyncResult
 * @error: return location for an error: %G_IO_ERROR_TIMED_OUT or
 *   %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE once the port accepted a connection
 */
gboolean
uni_port_wait_finish (GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_async_result_is_tagged (result, uni_port_wait_async), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
