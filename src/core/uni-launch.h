/* uni-launch.h — how a unix unikernel is started: port, boot arguments, privileges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-manifest.h"
#include "uni-project-settings.h"

G_BEGIN_DECLS

/* In a target's group of .unistudio/project.ini, "boot.NAME=VALUE" is the
 * value of the unikernel's runtime (boot-time) argument --NAME for that
 * target (mirage 4.5+). It is never a `mirage configure` flag.
 */
#define UNI_LAUNCH_BOOT_PREFIX "boot."

#define UNI_LAUNCH_DEFAULT_PORT 8080

/**
 * UniLaunch:
 * @port: the TCP port the unikernel's web server listens on
 * @port_origin: where @port comes from, for the user, e.g. "--port, set for
 *   this target", "default of --port in unikernel.ml", "key port in
 *   config.ml", "Unistudio's default"
 * @boot_args: (array zero-terminated=1): the boot arguments to pass, in the
 *   order of the settings: "--port=9090"
 * @dropped: (array zero-terminated=1): settings that were not passed and
 *   why, for the user: "boot.foo (not a runtime argument of this unikernel)"
 * @root_reason: why the unikernel needs root, for the user; %NULL when it
 *   runs unprivileged (the socket stack on a port from 1024)
 */
typedef struct
{
  guint   port;
  char   *port_origin;
  char  **boot_args;
  char  **dropped;
  char   *root_reason;
} UniLaunch;

/* Decides from the config (@manifest), the runtime arguments declared in
 * its unikernel.ml (@runtime_decls, of UniRuntimeArgDecl, may be %NULL) and
 * the per-target settings (@settings may be %NULL) how to start the unix
 * unikernel for @target_id:
 *
 * - the port: a runtime argument (4.5+) or a key (2.7–4.4) whose flag is
 *   "port" (else "http-port", "http_port"): its per-target value (boot.NAME
 *   for a runtime argument, NAME for a key), else its default, else 8080;
 * - the boot arguments: every boot.NAME the unikernel declares, as
 *   --NAME=VALUE;
 * - privileges: the direct network stack (tap device) or a port below 1024
 *   need root.
 *
 * A per-target value that is not a valid port fails with UNI_BUILD_ERROR_INVALID_SETTING
 * naming the setting and the file.
 */
UniLaunch  *uni_launch_new          (UniManifest         *manifest,
                                     GPtrArray           *runtime_decls,
                                     UniProjectSettings  *settings,
                                     const char          *target_id,
                                     GError             **error);
void        uni_launch_free         (UniLaunch           *launch);

/* "./dist/www --port=9090" as an argv: @artefact relative to the project
 * folder (made to start with "./" so no PATH lookup happens), then the boot
 * arguments. When root is needed and @is_root is FALSE it is wrapped in
 * `sudo --` so the user types the password in the terminal.
 */
char      **uni_launch_dup_argv     (const UniLaunch     *launch,
                                     const char          *artefact,
                                     gboolean             is_root);
/* "http://localhost:PORT/" */
char       *uni_launch_dup_url      (const UniLaunch     *launch);

gboolean    uni_launch_is_boot_key  (const char          *settings_key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniLaunch, uni_launch_free)

G_END_DECLS
