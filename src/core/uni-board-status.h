/* uni-board-status.h — what a probe of a board found: reachable? Xen? domains?
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * UniBoardState:
 * @UNI_BOARD_STATE_OK: logged in, xl answered: Xen runs
 * @UNI_BOARD_STATE_UNKNOWN_HOST: the host name does not resolve
 * @UNI_BOARD_STATE_REFUSED: nothing listens on the ssh port
 * @UNI_BOARD_STATE_UNREACHABLE: no route to the host
 * @UNI_BOARD_STATE_TIMEOUT: no answer in time (connecting, or the
 *   commands on the board)
 * @UNI_BOARD_STATE_HOST_KEY_UNKNOWN: known_hosts has no key for the host
 * @UNI_BOARD_STATE_HOST_KEY_CHANGED: known_hosts has another key for the host
 * @UNI_BOARD_STATE_AUTH_FAILED: the server refused the login
 * @UNI_BOARD_STATE_XL_MISSING: there is no `xl` on the board
 * @UNI_BOARD_STATE_SUDO_MISSING: the profile runs xl through sudo, which
 *   the board lacks
 * @UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD: sudo wants a password (polling
 *   never types one)
 * @UNI_BOARD_STATE_XL_NEEDS_ROOT: xl ran without root and could not open Xen
 * @UNI_BOARD_STATE_XEN_NOT_RUNNING: xl ran as root but found no hypervisor
 * @UNI_BOARD_STATE_FAILED: anything else; the detail has the text
 */
typedef enum
{
  UNI_BOARD_STATE_OK,
  UNI_BOARD_STATE_UNKNOWN_HOST,
  UNI_BOARD_STATE_REFUSED,
  UNI_BOARD_STATE_UNREACHABLE,
  UNI_BOARD_STATE_TIMEOUT,
  UNI_BOARD_STATE_HOST_KEY_UNKNOWN,
  UNI_BOARD_STATE_HOST_KEY_CHANGED,
  UNI_BOARD_STATE_AUTH_FAILED,
  UNI_BOARD_STATE_XL_MISSING,
  UNI_BOARD_STATE_SUDO_MISSING,
  UNI_BOARD_STATE_SUDO_NEEDS_PASSWORD,
  UNI_BOARD_STATE_XL_NEEDS_ROOT,
  UNI_BOARD_STATE_XEN_NOT_RUNNING,
  UNI_BOARD_STATE_FAILED,
} UniBoardState;

#define UNI_TYPE_BOARD_STATE (uni_board_state_get_type ())
GType uni_board_state_get_type (void) G_GNUC_CONST;

/* The groups of a board's picture (UniBoardInterface.dup_picture_resource),
 * one shown at a time.
 */
#define UNI_BOARD_LAYER_UNREACHABLE "state-unreachable"
#define UNI_BOARD_LAYER_REACHABLE   "state-reachable"
#define UNI_BOARD_LAYER_XEN         "state-xen"
#define UNI_BOARD_LAYER_RUNNING     "state-running"

#define UNI_TYPE_BOARD_STATUS (uni_board_status_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardStatus, uni_board_status, UNI, BOARD_STATUS, GObject)

/* An immutable result: a new probe gives a new status. */
UniBoardState        uni_board_status_get_state          (UniBoardStatus *self);
const char          *uni_board_status_get_message        (UniBoardStatus *self);
const char          *uni_board_status_get_detail         (UniBoardStatus *self);
gboolean             uni_board_status_get_logged_in      (UniBoardStatus *self);
const char          *uni_board_status_get_machine        (UniBoardStatus *self);
const char          *uni_board_status_get_xen_version    (UniBoardStatus *self);
gint64               uni_board_status_get_free_memory_mib (UniBoardStatus *self);
gint64               uni_board_status_get_total_memory_mib (UniBoardStatus *self);
const char          *uni_board_status_get_info_value     (UniBoardStatus *self,
                                                          const char     *key);
GPtrArray           *uni_board_status_get_domains        (UniBoardStatus *self);
const char * const  *uni_board_status_get_bridges        (UniBoardStatus *self);
gboolean             uni_board_status_has_domain         (UniBoardStatus *self,
                                                          const char     *name,
                                                          gboolean       *running);
const char          *uni_board_status_get_picture_layer  (UniBoardStatus *self,
                                                          const char     *domain_name);

G_END_DECLS
