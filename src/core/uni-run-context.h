/* uni-run-context.h — argv, environment and folder, built in layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UNI_TYPE_RUN_CONTEXT (uni_run_context_get_type ())

G_DECLARE_FINAL_TYPE (UniRunContext, uni_run_context, UNI, RUN_CONTEXT, GObject)

/**
 * UniRunContextWrap:
 * @argv: (array zero-terminated=1): the command built by the layers pushed after this one
 * @env: (array zero-terminated=1): their environment additions ("KEY=VALUE")
 * @cwd: (nullable): their working folder
 * @out_argv: (element-type utf8): this layer's command; starts empty
 * @out_env: (element-type utf8): this layer's environment additions; starts empty
 * @out_cwd: (out): this layer's working folder (may stay %NULL)
 * @user_data: closure data
 * @error: return location for a #GError
 *
 * A layer rewrites the command of the layers pushed after it, e.g. into
 * `docker run … IMAGE argv…` or `ssh HOST -- …`. The first layer pushed is
 * the outermost. Arguments are never joined into a shell string, except
 * where a remote shell cannot be avoided (ssh), and then each one is quoted.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
typedef gboolean (*UniRunContextWrap) (const char * const  *argv,
                                       const char * const  *env,
                                       const char          *cwd,
                                       GPtrArray           *out_argv,
                                       GPtrArray           *out_env,
                                       char               **out_cwd,
                                       gpointer             user_data,
                                       GError             **error);

UniRunContext  *uni_run_context_new             (void);
void            uni_run_context_push            (UniRunContext      *self,
                                                 UniRunContextWrap   wrap,
                                                 gpointer            user_data,
                                                 GDestroyNotify      destroy);
void            uni_run_context_push_host       (UniRunContext      *self);
void            uni_run_context_push_opam_switch (UniRunContext     *self,
                                                 const char         *switch_name);
void            uni_run_context_push_flatpak_host (UniRunContext    *self);
void            uni_run_context_set_cwd         (UniRunContext      *self,
                                                 const char         *cwd);
void            uni_run_context_setenv          (UniRunContext      *self,
                                                 const char         *key,
                                                 const char         *value);
void            uni_run_context_append_argv     (UniRunContext      *self,
                                                 const char         *arg);
void            uni_run_context_append_args     (UniRunContext      *self,
                                                 const char * const *args);
gboolean        uni_run_context_build           (UniRunContext      *self,
                                                 char             ***argv,
                                                 char             ***env,
                                                 char              **cwd,
                                                 GError            **error);
GSubprocessLauncher *uni_run_context_create_launcher (UniRunContext *self,
                                                 char             ***argv,
                                                 GError            **error);

gboolean        uni_run_context_is_sandboxed    (void);
void            uni_run_context_push_host_layers (UniRunContext   *self);
char           *uni_run_context_dup_shell_command (const char * const *argv,
                                                 const char * const *env,
                                                 const char         *cwd);

G_END_DECLS
