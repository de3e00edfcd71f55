/* uni-test-util.h — helpers shared by the test programs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*UniTestCondition) (gpointer data);

/* Collects the result of an _async call: pass uni_test_async_done_cb and a
 * UniTestAsync, then wait with uni_test_wait_for (uni_test_async_is_done, ...).
 */
typedef struct
{
  GAsyncResult *result;
} UniTestAsync;

void      uni_test_async_done_cb    (GObject           *object,
                                     GAsyncResult      *result,
                                     gpointer           user_data);
gboolean  uni_test_async_is_done    (gpointer           data);

void      uni_test_init             (int               *argc,
                                     char            ***argv);
GFile    *uni_test_make_tempdir     (const char        *name);
void      uni_test_write_file       (GFile             *dir,
                                     const char        *relative_path,
                                     const char        *contents);
char     *uni_test_read_file        (GFile             *file);
void      uni_test_run              (GFile             *cwd,
                                     const char        *first_arg,
                                     ...) G_GNUC_NULL_TERMINATED;
GFile    *uni_test_make_git_repo    (const char        *name);
gboolean  uni_test_make_read_only   (GFile             *dir);
gboolean  uni_test_make_full_disk   (GFile             *dir,
                                     gsize              size_kib);
gboolean  uni_test_wait_for         (UniTestCondition   condition,
                                     gpointer           data,
                                     guint              timeout_ms);
void      uni_test_iterate          (guint              milliseconds);
guint     uni_test_pick_free_port   (void);
char     *uni_test_http_get         (const char        *address,
                                     guint              port);

G_END_DECLS
