/* uni-cubieboard2-board.c — the Cubieboard2: Allwinner A20, armv7, Xen dom0
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-cubieboard2-board"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-board.h"
#include "uni-builtin-plugins.h"

#define UNI_TYPE_CUBIEBOARD2_BOARD (uni_cubieboard2_board_get_type ())

G_DECLARE_FINAL_TYPE (UniCubieboard2Board, uni_cubieboard2_board,
                      UNI, CUBIEBOARD2_BOARD, GObject)

struct _UniCubieboard2Board
{
  GObject parent_instance;
};

static void board_iface_init (UniBoardInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniCubieboard2Board, uni_cubieboard2_board, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (UNI_TYPE_BOARD, board_iface_init))

static const char *
uni_cubieboard2_board_get_type_id (UniBoard *board)
{
  return "cubieboard2";
}

static const char *
uni_cubieboard2_board_get_title (UniBoard *board)
{
  return _("Cubieboard2");
}

static const char *
uni_cubieboard2_board_get_arch (UniBoard *board)
{
  return "armv7";
}

static const char *
uni_cubieboard2_board_get_target_id (UniBoard *board)
{
  return "xen-arm";
}

static char *
uni_cubieboard2_board_dup_picture_resource (UniBoard *board)
{
  return g_strdup ("/io/github/unistudio/Unistudio/plugins/cubieboard2/cubieboard2.svg");
}

/* What the xen-arm-builder images (2014–2016) give: the board announces
 * itself over mDNS and has the user mirage, who runs xl through sudo. The
 * bridge (br0 or xenbr0, by image) is left to what the board has.
 */
static void
uni_cubieboard2_board_apply_defaults (UniBoard        *board,
                                      UniBoardProfile *profile)
{
  uni_board_profile_set_host (profile, "cubieboard2.local");
  uni_board_profile_set_user (profile, "mirage");
  uni_board_profile_set_xl_sudo (profile, TRUE);
}

static void
board_iface_init (UniBoardInterface *iface)
{
  iface->get_type_id = uni_cubieboard2_board_get_type_id;
  iface->get_title = uni_cubieboard2_board_get_title;
  iface->get_arch = uni_cubieboard2_board_get_arch;
  iface->get_target_id = uni_cubieboard2_board_get_target_id;
  iface->dup_picture_resource = uni_cubieboard2_board_dup_picture_resource;
  iface->apply_defaults = uni_cubieboard2_board_apply_defaults;
}

static void
uni_cubieboard2_board_class_init (UniCubieboard2BoardClass *klass)
{
}

static void
uni_cubieboard2_board_init (UniCubieboard2Board *self)
{
}

void
uni_cubieboard2_register_types (PeasObjectModule *module)
{
  peas_object_module_register_extension_type (module,
                                              UNI_TYPE_BOARD,
                                              UNI_TYPE_CUBIEBOARD2_BOARD);
}
