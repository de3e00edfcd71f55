/* uni-xen-host-board.c — any x86_64 machine whose dom0 runs Xen's xl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-xen-host-board"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-board.h"
#include "uni-builtin-plugins.h"

#define UNI_TYPE_XEN_HOST_BOARD (uni_xen_host_board_get_type ())

G_DECLARE_FINAL_TYPE (UniXenHostBoard, uni_xen_host_board, UNI, XEN_HOST_BOARD, GObject)

struct _UniXenHostBoard
{
  GObject parent_instance;
};

static void board_iface_init (UniBoardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniXenHostBoard, uni_xen_host_board, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (UNI_TYPE_BOARD, board_iface_init))

static const char *
uni_xen_host_board_get_type_id (UniBoard *board)
{
  return "xen-host";
}

static const char *
uni_xen_host_board_get_title (UniBoard *board)
{
  return _("Xen host (x86_64)");
}

static const char *
uni_xen_host_board_get_arch (UniBoard *board)
{
  return "x86_64";
}

static const char *
uni_xen_host_board_get_target_id (UniBoard *board)
{
  return "xen";
}

static char *
uni_xen_host_board_dup_picture_resource (UniBoard *board)
{
  return g_strdup ("/io/github/unistudio/Unistudio/plugins/xen-host/xen-host.svg");
}

/* No host or user to guess: the user's own name (ssh's default) running
 * xl through sudo is the common set-up of a Xen machine.
 */
static void
uni_xen_host_board_apply_defaults (UniBoard        *board,
                                   UniBoardProfile *profile)
{
  uni_board_profile_set_xl_sudo (profile, TRUE);
}

static void
board_iface_init (UniBoardInterface *iface)
{
  iface->get_type_id = uni_xen_host_board_get_type_id;
  iface->get_title = uni_xen_host_board_get_title;
  iface->get_arch = uni_xen_host_board_get_arch;
  iface->get_target_id = uni_xen_host_board_get_target_id;
  iface->dup_picture_resource = uni_xen_host_board_dup_picture_resource;
  iface->apply_defaults = uni_xen_host_board_apply_defaults;
}

static void
uni_xen_host_board_class_init (UniXenHostBoardClass *klass)
{
}

static void
uni_xen_host_board_init (UniXenHostBoard *self)
{
}

void
uni_xen_host_register_types (PeasObjectModule *module)
{
  peas_object_module_register_extension_type (module,
                                              UNI_TYPE_BOARD,
                                              UNI_TYPE_XEN_HOST_BOARD);
}
