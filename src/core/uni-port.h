/* uni-port.h — a TCP port on this computer: who holds it, and waiting for it to answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Set in the environment of every unikernel Unistudio runs (the absolute
 * project folder), so a later look at a busy port can tell our own
 * unikernel, even one started by another window or by unistudio-cli, from
 * a stranger.
 */
#define UNI_RUN_PROJECT_ENV "UNISTUDIO_RUN_PROJECT"

/**
 * UniPortOwner:
 * @port: the TCP port
 * @pid: the process listening on it; 0 when it cannot be seen (another
 *   user's process, or a socket no process of ours holds)
 * @name: its command name (/proc/PID/comm), %NULL when unknown
 * @command_line: its arguments joined with spaces, for the user only;
 *   %NULL when unknown
 * @project_dir: the value of %UNI_RUN_PROJECT_ENV in its environment: it is
 *   a unikernel Unistudio started for that folder; %NULL otherwise
 */
typedef struct
{
  guint  port;
  GPid   pid;
  char  *name;
  char  *command_line;
  char  *project_dir;
} UniPortOwner;

void          uni_port_owner_free          (UniPortOwner        *owner);
UniPortOwner *uni_port_owner_copy          (const UniPortOwner  *owner);
gboolean      uni_port_owner_is_ours       (const UniPortOwner  *owner);
char         *uni_port_owner_dup_description (const UniPortOwner *owner);

/* Whether something listens on @port on any local address (TCP, IPv4 or
 * IPv6), found the way the unikernel would find it: by trying to bind the
 * wildcard address. When it is taken, the owner is looked up in
 * /proc/net/tcp{,6} and the /proc/PID/fd links of the processes we can see.
 * Runs in a thread. Returns %NULL with no error when the port is free.
 */
void          uni_port_find_owner_async    (guint                port,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
UniPortOwner *uni_port_find_owner_finish   (GAsyncResult        *result,
                                            GError             **error);

/* Ends a process that holds a port, when it is ours to end: SIGTERM to its
 * process group (it leads one: UniJob starts every process in a session of
 * its own), SIGKILL after 3 seconds, done when the port is free again (or
 * G_IO_ERROR_TIMED_OUT after 10 seconds). G_IO_ERROR_PERMISSION_DENIED for a
 * process we may not signal.
 */
void          uni_port_stop_owner_async    (const UniPortOwner  *owner,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      uni_port_stop_owner_finish   (GAsyncResult        *result,
                                            GError             **error);

/* Connects to @address:@port with GSocketClient until it accepts: retries
 * every 2 ms for the first 100 tries, then growing by half each time up to
 * 250 ms between tries, for at
 * most @timeout_ms (G_IO_ERROR_TIMED_OUT then). @address is an IP address
 * as text, the unikernel's (UniLaunch's address); %NULL means 127.0.0.1.
 * Never blocks the main loop; cancel @cancellable to give up
 * (G_IO_ERROR_CANCELLED).
 */
void          uni_port_wait_async          (const char          *address,
                                            guint                port,
                                            guint                timeout_ms,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      uni_port_wait_finish         (GAsyncResult        *result,
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniPortOwner, uni_port_owner_free)

G_END_DECLS
