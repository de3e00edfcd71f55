/* uni-board-private.h — the probe's script and how its answer is read, shared by
 * uni-board.c and uni-board-status.c (and their tests)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-board-profile.h"
#include "uni-board-status.h"

G_BEGIN_DECLS

/* What a probe runs on the board in one ssh round trip: `sh -c SCRIPT sh
 * MARKER XL_PREFIX...`, a fixed POSIX sh script that takes @marker and the
 * words of @xl_prefix as its arguments (ssh's remote string is quoted in
 * one place, uni_run_context_dup_shell_command()). It prints
 * sections (`MARKER out NAME`, `MARKER err NAME`, `MARKER exit NAME
 * STATUS`) for machine (uname -m), xl-info, xl-list and bridges (the
 * names under /sys/class/net that are bridges).
 */
char          **uni_board_probe_dup_argv         (const char         *marker,
                                                  const char * const *xl_prefix);

/* Reads a probe's answer: ssh's exit status and standard error first
 * (255 and its messages: the connection failed), then the sections of the
 * script's output, then what xl said. @profile gives the names the message
 * uses and whether xl ran through sudo.
 */
UniBoardStatus *uni_board_status_new_from_probe  (UniBoardProfile    *profile,
                                                  const char         *marker,
                                                  int                 ssh_status,
                                                  const char         *out,
                                                  const char         *err);
UniBoardStatus *uni_board_status_new_timed_out   (UniBoardProfile    *profile,
                                                  guint               seconds);

G_END_DECLS
