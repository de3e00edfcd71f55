/* uni-proc.h — what Linux's /proc says about this computer's processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  uni_proc_parse_pid      (const char *name,
                                   GPid       *pid);
char     *uni_proc_read_file      (GPid        pid,
                                   const char *name,
                                   gsize      *length);
gboolean  uni_proc_read_stat      (GPid        pid,
                                   char       *state,
                                   GPid       *ppid,
                                   GPid       *pgrp);
gboolean  uni_proc_is_running     (GPid        pid);
gboolean  uni_proc_group_is_alive (GPid        pgid);

G_END_DECLS
