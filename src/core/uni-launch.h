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
 * @address: (nullable): the IPv4 address, as text, at which the web server
 *   answers. The socket stack (or no network stack) listens on this
 *   computer: "127.0.0.1", unless a 4.5+ target sets boot.ipv4 to another
 *   address to listen on. The direct stack has its own address on the tap
 *   device, never this computer's: the target's static address (4.5+
 *   boot.ipv4, 3.x and 4.0–4.4 ipv4, 2.7–2.9 ip), else mirage's default
 *   "10.0.0.2". %NULL when it is known only once the unikernel reports it
 *   on its console (see uni_launch_find_address()): the direct stack takes
 *   its address by DHCP (`dhcp=true` up to mirage 4.10; from 4.11 unless
 *   `no-dhcp=true` or boot.ipv4 is set), or a 2.x config sets it in code.
 * @on_tap: the direct stack: the unikernel has an address of its own on a
 *   tap device, so its port is not one of this computer's, and its console
 *   says which address it took
 */
typedef struct
{
  guint   port;
  char   *port_origin;
  char  **boot_args;
  char  **dropped;
  char   *root_reason;
  char   *address;
  gboolean on_tap;
} UniLaunch;

/* Decides from the config (@manifest), the runtime arguments declared in
 * its unikernel.ml (@runtime_decls, of UniRuntimeArgDecl, may be %NULL) and
 * the per-target settings (@settings may be %NULL) how to start the unix
 * unikernel for @target_id:
 *
 * - the port: a runtime argument (4.5+) or a key (2.7–4.4) whose flag is
 *   "port" (else "http-port", "http_port"): its per-target value (boot.NAME
 *   for a runtime argument, NAME for a key), else its default, else 8080;
 * - the boot arguments: every boot.NAME the unikernel takes, as
 *   --NAME=VALUE: those its unikernel.ml declares and, for a 4.5+ config,
 *   mirage's own (-l/--logs, --delay and, with a network stack, the
 *   stack's --ipv4, --ipv6, ... as that stack takes them);
 * - privileges: the direct network stack (tap device) or a port below 1024
 *   need root;
 * - the address its web server answers at (see @address).
 *
 * A per-target value that is not a valid port, or a boot.ipv4 that is not
 * an address with a prefix length, fails with UNI_BUILD_ERROR_INVALID_SETTING
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
/* "http://localhost:PORT/" for the socket stack, "http://10.0.0.2:PORT/"
 * for the direct stack; %NULL while the address is not known (DHCP).
 */
char       *uni_launch_dup_url      (const UniLaunch     *launch);
/* The URL once the address is known, "http://10.0.0.5:PORT/"; 127.0.0.1 is
 * written "localhost".
 */
char       *uni_launch_dup_url_for_address (const UniLaunch *launch,
                                            const char      *address);

/* The IPv4 address a unikernel reports on its console, from one line of
 * its output (ANSI escapes already removed): 2.x "DHCP offer received and
 * bound to A.B.C.D nm ..." or "Manager: Interface to A.B.C.D nm ...",
 * 3.x and 4.x "[dhcp_client_lwt] Lease obtained! IP: A.B.C.D, ...".
 * %NULL for any other line.
 */
char       *uni_launch_find_address (const char          *line);

gboolean    uni_launch_is_boot_key  (const char          *settings_key);
gboolean    uni_launch_is_port_flag (const char          *flag);
gboolean    uni_launch_parse_port   (const char          *text,
                                     guint               *port);
/* Whether starting it takes `sudo`: root is needed and this process is not root. */
gboolean    uni_launch_needs_sudo   (const UniLaunch     *launch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniLaunch, uni_launch_free)

G_END_DECLS
