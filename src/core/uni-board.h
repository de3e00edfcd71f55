/* uni-board.h — a device that runs unikernels under Xen, reached over ssh (a plugin point)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-board-profile.h"
#include "uni-board-status.h"
#include "uni-run-context.h"

G_BEGIN_DECLS

#define UNI_BOARD_ERROR (uni_board_error_quark ())

/**
 * UniBoardError:
 * @UNI_BOARD_ERROR_FAILED: anything else (ssh could not be started...)
 * @UNI_BOARD_ERROR_INVALID_PROFILE: a profile value cannot work (a host
 *   name ssh would read as an option, an ssh option not allowed...); the
 *   message names the value
 * @UNI_BOARD_ERROR_UNKNOWN_TYPE: no plugin provides that board type
 * @UNI_BOARD_ERROR_EXISTS: a profile of that name exists already
 * @UNI_BOARD_ERROR_UNREADABLE: the profiles file exists but is no key
 *   file: saving is refused, so nothing in it is lost
 * @UNI_BOARD_ERROR_CHANGED_ON_DISK: someone else wrote the profiles file
 *   since it was read; it was left as it is
 */
typedef enum
{
  UNI_BOARD_ERROR_FAILED,
  UNI_BOARD_ERROR_INVALID_PROFILE,
  UNI_BOARD_ERROR_UNKNOWN_TYPE,
  UNI_BOARD_ERROR_EXISTS,
  UNI_BOARD_ERROR_UNREADABLE,
  UNI_BOARD_ERROR_CHANGED_ON_DISK,
} UniBoardError;

GQuark uni_board_error_quark (void);

#define UNI_TYPE_BOARD (uni_board_get_type ())

G_DECLARE_INTERFACE (UniBoard, uni_board, UNI, BOARD, GObject)

/**
 * UniBoardInterface:
 * @get_type_id: a stable id, the profiles' "board-type": "cubieboard2"
 * @get_title: for the user, translated: "Cubieboard2"
 * @get_arch: the architecture its unikernels are built for, as #UniTarget
 *   names it: "armv7", "x86_64"
 * @get_target_id: the mirage target that runs on it: "xen-arm", "xen"
 * @dup_picture_resource: the resource path of an SVG of the board whose
 *   groups `state-unreachable`, `state-reachable`, `state-xen` and
 *   `state-running` a renderer shows one at a time
 *   (uni_board_status_get_picture_layer())
 * @apply_defaults: sets what a new profile of this board starts with
 *   (host, user, xl-sudo)
 *
 * A kind of board. It holds no per-board state: what reaches one board
 * is a #UniBoardProfile, given to every call.
 */
struct _UniBoardInterface
{
  GTypeInterface parent_iface;

  const char *(*get_type_id)          (UniBoard        *self);
  const char *(*get_title)            (UniBoard        *self);
  const char *(*get_arch)             (UniBoard        *self);
  const char *(*get_target_id)        (UniBoard        *self);
  char       *(*dup_picture_resource) (UniBoard        *self);
  void        (*apply_defaults)       (UniBoard        *self,
                                       UniBoardProfile *profile);
};

const char      *uni_board_get_type_id          (UniBoard             *self);
const char      *uni_board_get_title            (UniBoard             *self);
const char      *uni_board_get_arch             (UniBoard             *self);
const char      *uni_board_get_target_id        (UniBoard             *self);
char            *uni_board_dup_picture_resource (UniBoard             *self);
UniBoardProfile *uni_board_new_profile          (UniBoard             *self,
                                                 const char           *name);

UniRunContext   *uni_board_build_command        (UniBoard             *self,
                                                 UniBoardProfile      *profile,
                                                 const char * const   *argv_on_board,
                                                 gboolean              interactive,
                                                 GError              **error);

void             uni_board_probe_async          (UniBoard             *self,
                                                 UniBoardProfile      *profile,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
UniBoardStatus  *uni_board_probe_finish         (UniBoard             *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

G_END_DECLS
