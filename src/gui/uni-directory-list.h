/* uni-directory-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UNI_TYPE_DIRECTORY_LIST (uni_directory_list_get_type ())

G_DECLARE_FINAL_TYPE (UniDirectoryList, uni_directory_list, UNI, DIRECTORY_LIST, GObject)

UniDirectoryList *uni_directory_list_new        (GFile            *directory,
                                                 const char       *attributes);
GFile            *uni_directory_list_get_file   (UniDirectoryList *self);
gboolean          uni_directory_list_is_loading (UniDirectoryList *self);

G_END_DECLS
