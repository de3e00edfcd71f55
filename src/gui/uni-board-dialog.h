/* uni-board-dialog.h — the form that adds or edits a board profile
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "uni-board-profiles.h"

G_BEGIN_DECLS

#define UNI_TYPE_BOARD_DIALOG (uni_board_dialog_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardDialog, uni_board_dialog, UNI, BOARD_DIALOG, AdwWindow)

/* Signal "added" (UniBoardProfile *profile): the profile was added to the
 * profiles and saved; the dialog closes.
 * Signal "edited" (UniBoardProfile *profile, const char *old_name): the
 * profile replaced the one called old_name and was saved; the dialog closes.
 */
UniBoardDialog *uni_board_dialog_new      (GtkWindow        *parent,
                                           UniBoardProfiles *profiles);
UniBoardDialog *uni_board_dialog_new_edit (GtkWindow        *parent,
                                           UniBoardProfiles *profiles,
                                           UniBoardProfile  *profile);

G_END_DECLS
