/* uni-builtin-plugins.h — the register functions of the plugins built into Unistudio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libpeas/peas.h>

G_BEGIN_DECLS

/* Named by `Embedded=` in each .plugin file; libpeas looks them up in the
 * executable, so they must stay exported (G_MODULE_EXPORT) and linked in.
 */
G_MODULE_EXPORT void uni_container_register_types (PeasObjectModule *module);
G_MODULE_EXPORT void uni_cubieboard2_register_types (PeasObjectModule *module);
G_MODULE_EXPORT void uni_host_register_types      (PeasObjectModule *module);
G_MODULE_EXPORT void uni_remote_register_types    (PeasObjectModule *module);
G_MODULE_EXPORT void uni_xen_host_register_types  (PeasObjectModule *module);

G_END_DECLS
