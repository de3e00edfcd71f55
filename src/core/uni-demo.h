/* uni-demo.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

GFile    *uni_demo_dup_installed_dir  (const char           *demo_id);
GFile    *uni_demo_dup_user_dir       (const char           *demo_id);

void      uni_demo_open_copy_async    (const char           *demo_id,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
GFile    *uni_demo_open_copy_finish   (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
