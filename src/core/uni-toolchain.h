/* uni-toolchain.h — the mirage found in a build environment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-build-environment.h"
#include "uni-target.h"

G_BEGIN_DECLS

#define UNI_TYPE_TOOLCHAIN (uni_toolchain_get_type ())

G_DECLARE_FINAL_TYPE (UniToolchain, uni_toolchain, UNI, TOOLCHAIN, GObject)

/* Detected by running `mirage --version`, `opam switch show` and
 * `make --version` through the environment's run context (never blocking the
 * caller's main loop). A missing mirage is not an error of detection: the
 * toolchain then says so (get_found () == FALSE, get_problem () tells why and
 * get_setup_commands () lists the argv vectors a user can watch run).
 */
void                    uni_toolchain_detect_async        (UniBuildEnvironment  *environment,
                                                           GCancellable         *cancellable,
                                                           GAsyncReadyCallback   callback,
                                                           gpointer              user_data);
UniToolchain           *uni_toolchain_detect_finish       (GAsyncResult         *result,
                                                           GError              **error);

gboolean                uni_toolchain_get_found           (UniToolchain         *self);
const char             *uni_toolchain_get_mirage_path     (UniToolchain         *self);
const UniMirageVersion *uni_toolchain_get_version         (UniToolchain         *self);
const char             *uni_toolchain_get_version_string  (UniToolchain         *self);
UniMirageEra            uni_toolchain_get_era             (UniToolchain         *self);
const char             *uni_toolchain_get_opam_switch     (UniToolchain         *self);
gboolean                uni_toolchain_get_has_make        (UniToolchain         *self);
const char             *uni_toolchain_get_problem         (UniToolchain         *self);
GPtrArray              *uni_toolchain_get_setup_commands  (UniToolchain         *self);
UniBuildEnvironment    *uni_toolchain_get_environment     (UniToolchain         *self);
gboolean                uni_toolchain_supports            (UniToolchain         *self,
                                                           const UniTarget      *target,
                                                           char                **reason);

G_END_DECLS
