/* uni-board-profile.h — how to reach one board: ssh host, user, port, options, xl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The remote folder when a profile names none: under the login's home,
 * one folder per project.
 */
#define UNI_BOARD_PROFILE_DEFAULT_REMOTE_PARENT "~/unistudio"

#define UNI_TYPE_BOARD_PROFILE (uni_board_profile_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardProfile, uni_board_profile, UNI, BOARD_PROFILE, GObject)

/* Properties (all read-write, notified only on a real change): "name", "board-type"
 * ("cubieboard2", "xen-host"), "host" (a name, an address or an alias from
 * ~/.ssh/config, passed to ssh as it is), "user" (%NULL: ssh's own choice,
 * which an alias may set), "port" (0: ssh's own choice), "ssh-options"
 * ("Keyword=value" strings, one `-o` each), "remote-folder" (%NULL: the
 * default, see uni_board_profile_dup_remote_folder()), "xl-sudo" (run xl
 * through sudo), "bridge" (%NULL: the one found on the board).
 *
 * Setters accept anything: a form edits a profile freely, and
 * uni_board_profile_check() says what cannot work.
 */
UniBoardProfile *uni_board_profile_new                (const char          *name,
                                                       const char          *board_type);
UniBoardProfile *uni_board_profile_copy               (UniBoardProfile     *self);
gboolean         uni_board_profile_equal              (UniBoardProfile     *self,
                                                       UniBoardProfile     *other);

const char      *uni_board_profile_get_name           (UniBoardProfile     *self);
void             uni_board_profile_set_name           (UniBoardProfile     *self,
                                                       const char          *name);
const char      *uni_board_profile_get_board_type     (UniBoardProfile     *self);
void             uni_board_profile_set_board_type     (UniBoardProfile     *self,
                                                       const char          *board_type);
const char      *uni_board_profile_get_host           (UniBoardProfile     *self);
void             uni_board_profile_set_host           (UniBoardProfile     *self,
                                                       const char          *host);
const char      *uni_board_profile_get_user           (UniBoardProfile     *self);
void             uni_board_profile_set_user           (UniBoardProfile     *self,
                                                       const char          *user);
guint            uni_board_profile_get_port           (UniBoardProfile     *self);
void             uni_board_profile_set_port           (UniBoardProfile     *self,
                                                       guint                port);
const char * const *uni_board_profile_get_ssh_options (UniBoardProfile     *self);
void             uni_board_profile_set_ssh_options    (UniBoardProfile     *self,
                                                       const char * const  *options);
const char      *uni_board_profile_get_remote_folder  (UniBoardProfile     *self);
void             uni_board_profile_set_remote_folder  (UniBoardProfile     *self,
                                                       const char          *folder);
gboolean         uni_board_profile_get_xl_sudo        (UniBoardProfile     *self);
void             uni_board_profile_set_xl_sudo        (UniBoardProfile     *self,
                                                       gboolean             xl_sudo);
const char      *uni_board_profile_get_bridge         (UniBoardProfile     *self);
void             uni_board_profile_set_bridge         (UniBoardProfile     *self,
                                                       const char          *bridge);

gboolean         uni_board_profile_check              (UniBoardProfile     *self,
                                                       GError             **error);
gboolean         uni_board_profile_check_name         (const char          *name,
                                                       GError             **error);
gboolean         uni_board_profile_check_ssh_option   (const char          *option,
                                                       GError             **error);

char            *uni_board_profile_dup_remote_folder  (UniBoardProfile     *self,
                                                       const char          *project_name);
char           **uni_board_profile_dup_xl_argv        (UniBoardProfile     *self,
                                                       const char * const  *xl_args,
                                                       gboolean             interactive);

UniBoardProfile *uni_board_profile_new_from_key_file  (GKeyFile            *key_file,
                                                       const char          *group,
                                                       GError             **error);
void             uni_board_profile_to_key_file        (UniBoardProfile     *self,
                                                       GKeyFile            *key_file);
char            *uni_board_profile_dup_group_name     (const char          *name);
char            *uni_board_profile_dup_name_from_group (const char         *group);

G_END_DECLS
