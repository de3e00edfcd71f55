/* uni-terminal-page.h — a bottom-panel page showing one job in a terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <vte/vte.h>

#include "uni-job.h"

G_BEGIN_DECLS

#define UNI_TYPE_TERMINAL_PAGE (uni_terminal_page_get_type ())

G_DECLARE_FINAL_TYPE (UniTerminalPage, uni_terminal_page, UNI, TERMINAL_PAGE, GtkWidget)

UniTerminalPage *uni_terminal_page_new            (UniJob          *job);
UniJob          *uni_terminal_page_get_job        (UniTerminalPage *self);
void             uni_terminal_page_set_job        (UniTerminalPage *self,
                                                   UniJob          *job);
VteTerminal     *uni_terminal_page_get_terminal   (UniTerminalPage *self);
const char      *uni_terminal_page_get_title      (UniTerminalPage *self);
GIcon           *uni_terminal_page_get_icon       (UniTerminalPage *self);
gboolean         uni_terminal_page_get_running    (UniTerminalPage *self);
const char      *uni_terminal_page_get_status     (UniTerminalPage *self);
void             uni_terminal_page_feed           (UniTerminalPage *self,
                                                   const char      *data,
                                                   gsize            length);
gsize            uni_terminal_page_get_backlog    (UniTerminalPage *self);
void             uni_terminal_page_clear          (UniTerminalPage *self);
char            *uni_terminal_page_dup_text       (UniTerminalPage *self);

G_END_DECLS
