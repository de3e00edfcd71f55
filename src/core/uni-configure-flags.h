/* uni-configure-flags.h — the `mirage configure` flags a config.ml offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-manifest.h"

G_BEGIN_DECLS

/**
 * UniConfigureFlag:
 * @name: the flag without dashes: "net", "dhcp", "network", "no-opam", "port"
 * @type: "enum", "bool", "int", "string", "ipv4_address",
 *   "ipv4_address_list" (addresses separated by commas, such as 2.x
 *   --gateways), "ipv4" or "switch" (present or absent, such as --no-opam)
 * @choices: (array zero-terminated=1) (nullable): the values of an "enum"
 * @default_value: (nullable): the default, as the user would type it
 * @doc: what it does, for a row subtitle
 * @from_config: %TRUE when a key in config.ml declares it, %FALSE for the
 *   flags the era's mirage tool adds itself (network stack, kv_ro, --no-opam)
 */
typedef struct
{
  char     *name;
  char     *type;
  char    **choices;
  char     *default_value;
  char     *doc;
  gboolean  from_config;
} UniConfigureFlag;

void                    uni_configure_flag_free                (UniConfigureFlag        *flag);
GPtrArray              *uni_configure_flags_for_manifest       (UniManifest             *manifest);
GPtrArray              *uni_configure_flags_for_mirage_version (UniManifest             *manifest,
                                                                const char              *version);
const UniConfigureFlag *uni_configure_flags_find               (GPtrArray               *flags,
                                                                const char              *name);
gboolean                uni_configure_flag_validate            (const UniConfigureFlag  *flag,
                                                                const char              *value,
                                                                GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniConfigureFlag, uni_configure_flag_free)

G_END_DECLS
