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
GListModel       *uni_welcome_window_get_recent   (UniWelcomeWindow *self);

G_END_DECLS
