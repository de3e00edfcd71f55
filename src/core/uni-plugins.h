/* uni-plugins.h — the libpeas engine and the plugins built into Unistudio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libpeas/peas.h>

#include "uni-board.h"
#include "uni-build-environment.h"
#include "uni-project-settings.h"

G_BEGIN_DECLS

#define UNI_PLUGINS_RESOURCE_PATH "resource:///io/github/unistudio/Unistudio/plugins"

void                  uni_plugins_init                       (void);
PeasEngine           *uni_plugins_get_engine                 (void);
char                **uni_plugins_list_build_environments    (void);
PeasPluginInfo       *uni_plugins_find_build_environment     (const char          *id);
UniBuildEnvironment  *uni_plugins_create_build_environment   (const char          *id,
                                                              UniProjectSettings  *settings,
                                                              const char          *target_id,
                                                              GError             **error);
char                **uni_plugins_list_boards                (void);
PeasPluginInfo       *uni_plugins_find_board                 (const char          *type_id);
UniBoard             *uni_plugins_create_board               (const char          *type_id,
                                                              UniBoardProfile     *profile,
                                                              GError             **error);

G_END_DECLS
