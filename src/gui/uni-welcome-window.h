/* uni-welcome-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UNI_TYPE_WELCOME_WINDOW (uni_welcome_window_get_type ())

G_DECLARE_FINAL_TYPE (UniWelcomeWindow, uni_welcome_window, UNI, WELCOME_WINDOW, AdwApplicationWindow)

UniWelcomeWindow *uni_welcome_window_new          (GtkApplication   *application);
UniWelcomeWindow *uni_welcome_window_new_full     (GtkApplication   *application,
                                                   GtkRecentManager *recent_manager);
GListModel       *uni_welcome_window_get_recent   (UniWelcomeWindow *self);

void              uni_open_folder_dialog_run      (GtkWindow        *parent,
                                                   GtkApplication   *application);

G_END_DECLS
