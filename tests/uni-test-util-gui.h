/* uni-test-util-gui.h — helpers for the GUI tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "uni-test-util.h"
#include "uni-window.h"

G_BEGIN_DECLS

void       uni_test_gui_init           (int         *argc,
                                        char      ***argv);
void       uni_test_wait_for_draw      (GtkWidget   *widget);
char      *uni_test_screenshot         (GtkWidget   *widget,
                                        const char  *name);
GtkWidget *uni_test_find_widget        (GtkWidget   *root,
                                        GType        type,
                                        const char  *name_or_label);
void       uni_test_set_dark           (gboolean     dark);
void       uni_test_screenshot_both    (GtkWidget   *widget,
                                        const char  *name);

GtkApplication   *uni_test_make_application    (const char      *application_id);
UniWindow        *uni_test_open_window         (GtkApplication  *application,
                                                GFile           *dir);
gboolean          uni_test_not_building        (gpointer         window);
AdwMessageDialog *uni_test_find_dialog         (GtkWindow       *parent);
char             *uni_test_wait_terminal_text  (UniTerminalPage *page,
                                                const char      *needle,
                                                guint            timeout_ms);

GFile     *uni_test_install_browser   (void);

G_END_DECLS
