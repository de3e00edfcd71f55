/* uni-build-environment.h — where commands run (a plugin point)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-run-context.h"

G_BEGIN_DECLS

#define UNI_BUILD_ERROR (uni_build_error_quark ())

typedef enum
{
  UNI_BUILD_ERROR_FAILED,
  UNI_BUILD_ERROR_NO_TOOLCHAIN,
  UNI_BUILD_ERROR_UNSUPPORTED_TARGET,
  UNI_BUILD_ERROR_SPAWN,
  UNI_BUILD_ERROR_STEP_FAILED,
  UNI_BUILD_ERROR_NOT_CONFIGURED,
  UNI_BUILD_ERROR_INVALID_SETTING,
  UNI_BUILD_ERROR_NOT_BUILT,
  UNI_BUILD_ERROR_PORT_IN_USE,
  UNI_BUILD_ERROR_EXITED,
  UNI_BUILD_ERROR_NOT_ANSWERING,
} UniBuildError;

GQuark uni_build_error_quark (void);

#define UNI_TYPE_BUILD_ENVIRONMENT (uni_build_environment_get_type ())

G_DECLARE_INTERFACE (UniBuildEnvironment, uni_build_environment, UNI, BUILD_ENVIRONMENT, GObject)

/**
 * UniBuildEnvironmentInterface:
 * @get_id: a stable id: "host", "container", "remote"
 * @get_title: for the user: "This Computer", "Container (podman)", "mirage@cubieboard2"
 * @get_arch: the build machine's architecture ("x86_64", "armv7", ...)
 * @wrap: pushes this environment's layers onto @context (container, ssh, opam)
 *
 * Implementations configure themselves from the project settings' keys for
 * the target (`env=`, `image=`, `platform=`, `host=`, `opam-switch=`...),
 * given as the construct properties #UniBuildEnvironment:settings and
 * #UniBuildEnvironment:target-id; those that can be misconfigured also
 * implement #GInitable and fail there (%UNI_BUILD_ERROR_NOT_CONFIGURED).
 */
struct _UniBuildEnvironmentInterface
{
  GTypeInterface parent_iface;

  const char *(*get_id)    (UniBuildEnvironment *self);
  char       *(*get_title) (UniBuildEnvironment *self);
  const char *(*get_arch)  (UniBuildEnvironment *self);
  gboolean    (*wrap)      (UniBuildEnvironment *self,
                            UniRunContext       *context,
                            GError             **error);
};

const char *uni_build_environment_get_id    (UniBuildEnvironment *self);
char       *uni_build_environment_get_title (UniBuildEnvironment *self);
const char *uni_build_environment_get_arch  (UniBuildEnvironment *self);
gboolean    uni_build_environment_wrap      (UniBuildEnvironment *self,
                                             UniRunContext       *context,
                                             GError             **error);
gboolean    uni_build_environment_is_own_key      (const char          *key);
gboolean    uni_build_environment_get_interactive (UniBuildEnvironment *self);
void        uni_build_environment_set_interactive (UniBuildEnvironment *self,
                                             gboolean             interactive);

G_END_DECLS
