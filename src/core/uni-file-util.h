/* uni-file-util.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

gboolean  uni_file_replace_contents         (GFile                *file,
                                             const char           *contents,
                                             gsize                 length,
                                             GCancellable         *cancellable,
                                             GError              **error);
gboolean  uni_file_replace_contents_full    (GFile                *file,
                                             const char           *contents,
                                             gsize                 length,
                                             GBytes               *expected,
                                             GCancellable         *cancellable,
                                             GError              **error);
gboolean  uni_file_create_contents          (GFile                *file,
                                             const char           *contents,
                                             gsize                 length,
                                             GCancellable         *cancellable,
                                             GError              **error);
void      uni_file_replace_contents_async   (GFile                *file,
                                             GBytes               *contents,
                                             GBytes               *expected,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean  uni_file_replace_contents_finish  (GAsyncResult         *result,
                                             GError              **error);

gboolean  uni_file_copy_tree                (GFile                *source,
                                             GFile                *destination,
                                             GCancellable         *cancellable,
                                             GError              **error);
gboolean  uni_file_delete_tree              (GFile                *file,
                                             GCancellable         *cancellable,
                                             GError              **error);

gboolean  uni_file_is_hidden_in_tree        (const char           *name,
                                             GFileType             type);

char     *uni_path_collapse_home            (const char           *path);

G_END_DECLS
