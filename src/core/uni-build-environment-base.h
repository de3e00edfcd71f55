/* uni-build-environment-base.h — the properties every build environment shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-build-environment.h"
#include "uni-project-settings.h"

G_BEGIN_DECLS

#define UNI_TYPE_BUILD_ENVIRONMENT_BASE (uni_build_environment_base_get_type ())

G_DECLARE_DERIVABLE_TYPE (UniBuildEnvironmentBase, uni_build_environment_base,
                          UNI, BUILD_ENVIRONMENT_BASE, GObject)

/**
 * UniBuildEnvironmentBaseClass:
 *
 * An abstract #UniBuildEnvironment that holds the interface's properties
 * (#UniBuildEnvironment:settings, #UniBuildEnvironment:target-id and
 * #UniBuildEnvironment:interactive). A subclass implements
 * #UniBuildEnvironmentInterface again for its own get_id, get_title,
 * get_arch and wrap.
 */
struct _UniBuildEnvironmentBaseClass
{
  GObjectClass parent_class;

  /*< private >*/
  gpointer _reserved[8];
};

UniProjectSettings *uni_build_environment_base_get_settings    (UniBuildEnvironmentBase *self);
const char         *uni_build_environment_base_get_target_id   (UniBuildEnvironmentBase *self);
gboolean            uni_build_environment_base_get_interactive (UniBuildEnvironmentBase *self);
char               *uni_build_environment_base_dup_setting     (UniBuildEnvironmentBase *self,
                                                                const char              *key);

G_END_DECLS
