/* uni-clone-dialog.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define UNI_TYPE_CLONE_DIALOG (uni_clone_dialog_get_type ())

G_DECLARE_FINAL_TYPE (UniCloneDialog, uni_clone_dialog, UNI, CLONE_DIALOG, AdwWindow)

UniCloneDialog *uni_clone_dialog_new              (GtkWindow      *parent);
void            uni_clone_dialog_set_url          (UniCloneDialog *self,
                                                   const char     *url);
void            uni_clone_dialog_set_destination  (UniCloneDialog *self,
                                                   GFile          *parent_folder);
void            uni_clone_dialog_start            (UniCloneDialog *self);
void            uni_clone_dialog_cancel           (UniCloneDialog *self);
double          uni_clone_dialog_get_fraction     (UniCloneDialog *self);

G_END_DECLS
