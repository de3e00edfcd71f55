/* uni-launch-private.h — what the launch's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-launch.h"

G_BEGIN_DECLS

/* Which network stack the unix unikernel gets, as mirage's generic stack
 * picks it (lib/devices/stack.ml, `generic_stackv4v6`).
 */
typedef enum
{
  UNI_LAUNCH_STACK_NONE,
  UNI_LAUNCH_STACK_SOCKET,
  /* The direct stack with its static IPv4 device, which takes --ipv4 (from
   * mirage 4.11 it asks for a DHCP lease when it is given no address).
   */
  UNI_LAUNCH_STACK_DIRECT,
  /* The direct stack with the DHCP client as its IPv4 device: `--dhcp true`,
   * mirage 2.7–4.10.
   */
  UNI_LAUNCH_STACK_DIRECT_DHCP,
} UniLaunchStack;

/* uni-launch.c */
char           *_uni_launch_dup_setting         (UniProjectSettings *settings,
                                                 const char         *target_id,
                                                 const char         *key);
gboolean        _uni_launch_mentions_identifier (UniManifest        *manifest,
                                                 const char         *identifier);

/* uni-launch-network.c */
UniLaunchStack  _uni_launch_decide_stack        (UniManifest        *manifest,
                                                 UniProjectSettings *settings,
                                                 const char         *target_id);
char           *_uni_launch_dup_prefix_address  (const char         *prefix);
char           *_uni_launch_decide_address      (UniManifest        *manifest,
                                                 UniProjectSettings *settings,
                                                 const char         *target_id,
                                                 UniLaunchStack      stack,
                                                 const char         *ipv4);

G_END_DECLS
