/* uni-board-deploy.h — a built unikernel copied to a board, started, watched and stopped there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "uni-board.h"
#include "uni-job.h"
#include "uni-project.h"
#include "uni-target.h"
#include "uni-toolchain.h"

G_BEGIN_DECLS

#define UNI_BOARD_DEPLOY_ERROR (uni_board_deploy_error_quark ())

/**
 * UniBoardDeployError:
 * @UNI_BOARD_DEPLOY_ERROR_NOT_BUILT: the kernel image or the .xl file of
 *   the target is missing from the project folder: build it first (the
 *   message names the file)
 * @UNI_BOARD_DEPLOY_ERROR_BAD_XL: the .xl file cannot be read or rewritten
 *   (the message says why, with line and column)
 * @UNI_BOARD_DEPLOY_ERROR_REMOTE: a command on the board failed (making the
 *   remote folder, `xl destroy`); the message has ssh's or the board's words
 * @UNI_BOARD_DEPLOY_ERROR_COPY: scp failed; the message names the file and
 *   has scp's words
 */
typedef enum
{
  UNI_BOARD_DEPLOY_ERROR_NOT_BUILT,
  UNI_BOARD_DEPLOY_ERROR_BAD_XL,
  UNI_BOARD_DEPLOY_ERROR_REMOTE,
  UNI_BOARD_DEPLOY_ERROR_COPY,
} UniBoardDeployError;

GQuark uni_board_deploy_error_quark (void);

#define UNI_TYPE_BOARD_DEPLOYMENT (uni_board_deployment_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardDeployment, uni_board_deployment, UNI, BOARD_DEPLOYMENT, GObject)

/* A project's unikernel for one board: which files of the project folder
 * go (the kernel image `NAME.xen`, `mir-NAME.xen` or `dist/NAME.xen` by
 * mirage's era, and its .xl file), where they go on the board, the domain's
 * name (the .xl's `name`) and the unikernel's web port. Building is the
 * caller's: run a #UniPipeline with %UNI_PIPELINE_GOAL_BUILD for the target
 * first (its planning refuses a target the toolchain cannot build, e.g.
 * xen-arm off armv7, with the reason).
 *
 * Signal "progress" (guint file_index, guint n_files, const char
 * *file_name): emitted in the main loop during
 * uni_board_deployment_copy_async(), before each file is copied (index
 * from 0, @file_name its base name), then once with @file_index ==
 * @n_files and @file_name %NULL when all are there.
 */

/* Finds the built files of @target in @project's folder for @toolchain's
 * era and reads the .xl; talks to no board. Fails with
 * UNI_BOARD_DEPLOY_ERROR_NOT_BUILT or _BAD_XL, or with the planning error
 * of the project (UNI_BUILD_ERROR...).
 */
void                 uni_board_deployment_new_async        (UniBoard             *board,
                                                            UniBoardProfile      *profile,
                                                            UniProject           *project,
                                                            const UniTarget      *target,
                                                            UniToolchain         *toolchain,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
UniBoardDeployment  *uni_board_deployment_new_finish       (GAsyncResult         *result,
                                                            GError              **error);

UniBoard            *uni_board_deployment_get_board        (UniBoardDeployment   *self);
UniBoardProfile     *uni_board_deployment_get_profile      (UniBoardDeployment   *self);
/* The domain's name on the board, as the .xl names it. */
const char          *uni_board_deployment_get_domain_name  (UniBoardDeployment   *self);
/* Absolute local paths of the kernel image and the .xl file. */
const char          *uni_board_deployment_get_local_kernel (UniBoardDeployment   *self);
const char          *uni_board_deployment_get_local_xl     (UniBoardDeployment   *self);
/* The folder on the board: uni_board_profile_dup_remote_folder() ("~/…"
 * allowed) until a copy resolved it to an absolute path (notified as
 * "remote-folder").
 */
const char          *uni_board_deployment_get_remote_folder (UniBoardDeployment  *self);
/* The .xl and kernel paths on the board, in the remote folder; the kernel's
 * is absolute once a copy resolved the folder.
 */
char                *uni_board_deployment_dup_remote_xl    (UniBoardDeployment   *self);
char                *uni_board_deployment_dup_remote_kernel (UniBoardDeployment  *self);
/* After a copy: the .xl text written to the board (kernel = the absolute
 * remote path, bridge = the profile's, else the probed status's first,
 * else as it was; name and memory kept). %NULL before.
 */
const char          *uni_board_deployment_get_written_xl   (UniBoardDeployment   *self);
/* "http://IP:PORT/" with the unikernel's web port for the target (its
 * port setting, default 8080).
 */
char                *uni_board_deployment_dup_url          (UniBoardDeployment   *self,
                                                            const char           *address);

/* Copies the kernel image and the rewritten .xl (see get_written_xl) to the
 * board: `mkdir -p` of the remote folder over ssh (batch mode, so no
 * prompt), then one `scp` per file, emitting "progress". @status
 * (nullable), a probe of the board, gives the bridge when the profile
 * names none. Cancelling stops the running ssh or scp.
 */
void                 uni_board_deployment_copy_async       (UniBoardDeployment   *self,
                                                            UniBoardStatus       *status,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             uni_board_deployment_copy_finish      (UniBoardDeployment   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

/* Whether the domain exists on the board now (one probe): Start then asks
 * the user whether to replace it (uni_board_deployment_stop_async(), then
 * start). A board that cannot be asked is an error with the probe's
 * message.
 */
void                 uni_board_deployment_find_domain_async  (UniBoardDeployment *self,
                                                              GCancellable       *cancellable,
                                                              GAsyncReadyCallback callback,
                                                              gpointer            user_data);
gboolean             uni_board_deployment_find_domain_finish (UniBoardDeployment *self,
                                                              GAsyncResult       *result,
                                                              gboolean           *exists,
                                                              GError            **error);

/* `xl destroy NAME` on the board, unwatched (`sudo -n` with xl-sudo).
 * Fails with UNI_BOARD_DEPLOY_ERROR_REMOTE and xl's or ssh's words.
 */
void                 uni_board_deployment_stop_async       (UniBoardDeployment   *self,
                                                            GCancellable         *cancellable,
                                                            GAsyncReadyCallback   callback,
                                                            gpointer              user_data);
gboolean             uni_board_deployment_stop_finish      (UniBoardDeployment   *self,
                                                            GAsyncResult         *result,
                                                            GError              **error);

#define UNI_TYPE_BOARD_CONSOLE (uni_board_console_get_type ())

G_DECLARE_FINAL_TYPE (UniBoardConsole, uni_board_console, UNI, BOARD_CONSOLE, GObject)

/* A domain's console in a terminal: a #UniJob running `ssh -tt … xl create
 * -c REMOTE_XL` (Start) or `ssh -tt … xl console NAME` (Console), with
 * `sudo` when the profile says so (the user types its password in the
 * terminal). Give the job a PTY (uni_job_set_pty_fd()) and run it; Ctrl+]
 * (byte 0x1d) typed there detaches, leaving the domain running.
 *
 * Properties "address" and "url" (read-only, notified once each): set when
 * the console shows the unikernel's lease (uni_launch_find_address()):
 * "10.0.0.5", "http://10.0.0.5:8080/".
 */
UniBoardConsole     *uni_board_console_new_start           (UniBoardDeployment   *deployment,
                                                            GError              **error);
UniBoardConsole     *uni_board_console_new_attach          (UniBoardDeployment   *deployment,
                                                            GError              **error);
UniJob              *uni_board_console_get_job             (UniBoardConsole      *self);
const char          *uni_board_console_get_address         (UniBoardConsole      *self);
const char          *uni_board_console_get_url             (UniBoardConsole      *self);

G_END_DECLS
