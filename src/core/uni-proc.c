/* uni-proc.c — what Linux's /proc says about this computer's processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-proc"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "uni-proc.h"

/**
 * uni_proc_parse_pid:
 * @name: an entry of /proc, "1234" or "self"
 * @pid: (out) (optional): the process it is
 *
 * Returns: whether @name is a process's folder: digits only, a positive pid
 */
gboolean
uni_proc_parse_pid (const char *name,
                    GPid       *pid)
{
  guint64 value = 0;

  g_return_val_if_fail (name != NULL, FALSE);

  for (const char *p = name; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &value, NULL))
    return FALSE;

  if (pid != NULL)
    *pid = (GPid) value;

  return TRUE;
}

/**
 * uni_proc_read_file:
 * @pid: a process
 * @name: a file of its /proc folder, "comm", "cmdline", "environ"...
 * @length: (out) (optional): the length of the contents, which may hold
 *   NUL bytes (cmdline and environ separate their entries with them)
 *
 * Blocks on /proc: fast, but still not for the main loop in a loop over
 * every process.
 *
 * Returns: (transfer full) (nullable): the contents, NUL-terminated; %NULL
 *   when the process is gone or the file is not ours to read (another
 *   user's environ)
 */
char *
uni_proc_read_file (GPid        pid,
                    const char *name,
                    gsize      *length)
{
  g_autofree char *path = NULL;
  char *contents = NULL;

  g_return_val_if_fail (pid > 0, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  path = g_strdup_printf ("/proc/%d/%s", (int) pid, name);
  if (!g_file_get_contents (path, &contents, length, NULL))
    return NULL;

  return contents;
}

/**
 * uni_proc_read_stat:
 * @pid: a process
 * @state: (out) (optional): its state letter: 'R' running, 'S' sleeping,
 *   'Z' a zombie (ended, not yet reaped), 'X' dead...
 * @ppid: (out) (optional): its parent
 * @pgrp: (out) (optional): its process group
 *
 * Reads /proc/PID/stat, "PID (COMM) S PPID PGRP ...": the command name
 * may hold spaces and parentheses, so the fields are read after the last
 * ')'.
 *
 * Returns: whether the process exists and its stat could be read
 */
gboolean
uni_proc_read_stat (GPid  pid,
                    char *state,
                    GPid *ppid,
                    GPid *pgrp)
{
  g_autofree char *contents = NULL;
  const char *after_comm;
  char read_state;
  int read_ppid;
  int read_pgrp;

  g_return_val_if_fail (pid > 0, FALSE);

  contents = uni_proc_read_file (pid, "stat", NULL);
  if (contents == NULL)
    return FALSE;

  after_comm = strrchr (contents, ')');
  if (after_comm == NULL
      || sscanf (after_comm + 1, " %c %d %d", &read_state, &read_ppid, &read_pgrp) != 3)
    return FALSE;

  if (state != NULL)
    *state = read_state;
  if (ppid != NULL)
    *ppid = read_ppid;
  if (pgrp != NULL)
    *pgrp = read_pgrp;

  return TRUE;
}

static gboolean
is_ended (char state)
{
  return state == 'Z' || state == 'X';
}

/**
 * uni_proc_is_running:
 * @pid: a process
 *
 * A zombie still answers kill (pid, 0), but holds nothing any more: no
 * port, no terminal.
 *
 * Returns: whether @pid is a process that has not ended
 */
gboolean
uni_proc_is_running (GPid pid)
{
  char state;

  g_return_val_if_fail (pid > 0, FALSE);

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return FALSE;

  return uni_proc_read_stat (pid, &state, NULL, NULL) && !is_ended (state);
}

/**
 * uni_proc_group_is_alive:
 * @pgid: a process group
 *
 * kill (-pgid, 0) also counts zombies, which an init that does not reap
 * (as in some containers) keeps forever: this looks for a member that has
 * not ended. Without /proc it trusts kill().
 *
 * Returns: whether a process of the group @pgid has not ended; %FALSE for
 *   a @pgid that is not positive
 */
gboolean
uni_proc_group_is_alive (GPid pgid)
{
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  if (pgid <= 0 || (kill (-pgid, 0) != 0 && errno == ESRCH))
    return FALSE;

  dir = g_dir_open ("/proc", 0, NULL);
  if (dir == NULL)
    return TRUE;

  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      GPid pid;
      GPid pgrp;
      char state;

      if (uni_proc_parse_pid (entry, &pid)
          && uni_proc_read_stat (pid, &state, NULL, &pgrp)
          && pgrp == pgid && !is_ended (state))
        return TRUE;
    }

  return FALSE;
}
