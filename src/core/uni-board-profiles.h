/* uni-board-profiles.h — the user's board profiles, kept in a key file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-board-profile.h"

G_BEGIN_DECLS

/* Relative to the user config folder ($XDG_CONFIG_HOME). */
#define UNI_BOARD_PROFILES_PATH "unistudio/boards.ini"

#define UNI_TYPE_BOARD_PROFILES (uni_board_profiles_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardProfiles, uni_board_profiles, UNI, BOARD_PROFILES, GObject)

/* A GListModel of UniBoardProfile, in the order of the file, then as added.
 * The file keeps one group per profile, `[Board NAME]`; comments, other
 * groups, keys it does not know and groups it cannot read (listed by
 * uni_board_profiles_dup_problems()) are kept as they are when it saves.
 */
UniBoardProfiles *uni_board_profiles_new              (GFile               *file);
GFile            *uni_board_profiles_dup_default_file (void);
GFile            *uni_board_profiles_get_file         (UniBoardProfiles    *self);

void              uni_board_profiles_load_async       (UniBoardProfiles    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          uni_board_profiles_load_finish      (UniBoardProfiles    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
void              uni_board_profiles_save_async       (UniBoardProfiles    *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean          uni_board_profiles_save_finish      (UniBoardProfiles    *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

char            **uni_board_profiles_dup_problems     (UniBoardProfiles    *self);
UniBoardProfile  *uni_board_profiles_find             (UniBoardProfiles    *self,
                                                       const char          *name);
gboolean          uni_board_profiles_add              (UniBoardProfiles    *self,
                                                       UniBoardProfile     *profile,
                                                       GError             **error);
gboolean          uni_board_profiles_remove           (UniBoardProfiles    *self,
                                                       const char          *name);
gboolean          uni_board_profiles_replace          (UniBoardProfiles    *self,
                                                       const char          *name,
                                                       UniBoardProfile     *profile,
                                                       GError             **error);

G_END_DECLS
