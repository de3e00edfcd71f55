/* uni-target.h — what a unikernel is built for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "uni-manifest.h"

G_BEGIN_DECLS

/**
 * UniMirageVersion:
 *
 * A `mirage --version` read as numbers ("v4.4.2" and "4.4.2" alike).
 */
typedef struct
{
  guint major;
  guint minor;
  guint micro;
} UniMirageVersion;

gboolean      uni_mirage_version_parse   (const char             *text,
                                          UniMirageVersion       *version);
int           uni_mirage_version_compare (const UniMirageVersion *a,
                                          const UniMirageVersion *b);
UniMirageEra  uni_mirage_version_get_era (const UniMirageVersion *version);

/**
 * UniTarget:
 *
 * One of mirage's targets, by Unistudio id: "unix", "xen" (x86_64),
 * "xen-arm" (armv7), then mirage's own names: "hvt", "spt", "virtio",
 * "qubes", "muen", "genode", "macosx", "unikraft-qemu",
 * "unikraft-firecracker". Static data: never freed.
 */
typedef struct _UniTarget UniTarget;

const UniTarget  *uni_target_lookup               (const char             *id);
const UniTarget **uni_target_list                 (guint                  *n_targets);
const char       *uni_target_get_id               (const UniTarget        *target);
const char       *uni_target_get_title            (const UniTarget        *target);
const char       *uni_target_get_arch             (const UniTarget        *target);
const char       *uni_target_get_mirage_name      (const UniTarget        *target);
char            **uni_target_dup_configure_args   (const UniTarget        *target,
                                                   const UniMirageVersion *version);
char            **uni_target_dup_artefacts        (const UniTarget        *target,
                                                   const UniMirageVersion *version,
                                                   const char             *name);
gboolean          uni_target_is_supported         (const UniTarget        *target,
                                                   const UniMirageVersion *version,
                                                   const char             *build_arch,
                                                   char                  **reason);

G_END_DECLS
