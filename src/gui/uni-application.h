/* uni-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UNI_TYPE_APPLICATION (uni_application_get_type ())

G_DECLARE_FINAL_TYPE (UniApplication, uni_application, UNI, APPLICATION, AdwApplication)

UniApplication *uni_application_new                  (const char        *application_id,
                                                      GApplicationFlags  flags);
GtkWindow      *uni_application_open_project         (UniApplication    *self,
                                                      GFile             *directory);
GtkWindow      *uni_application_show_welcome         (UniApplication    *self);
GtkWindow      *uni_application_find_project_window  (UniApplication    *self,
                                                      GFile             *directory);
void            uni_application_open_demo            (UniApplication    *self,
                                                      const char        *demo_id);

G_END_DECLS
