/* uni-manifest-page.h — config.ml as a form
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "uni-editor-page.h"
#include "uni-manifest.h"
#include "uni-project-settings.h"

G_BEGIN_DECLS

#define UNI_TYPE_MANIFEST_PAGE (uni_manifest_page_get_type ())

G_DECLARE_FINAL_TYPE (UniManifestPage, uni_manifest_page, UNI, MANIFEST_PAGE, GtkWidget)

UniManifestPage    *uni_manifest_page_new            (UniEditorPage      *editor,
                                                      UniProjectSettings *settings);
UniEditorPage      *uni_manifest_page_get_editor     (UniManifestPage    *self);
UniProjectSettings *uni_manifest_page_get_settings   (UniManifestPage    *self);
UniManifest        *uni_manifest_page_get_manifest   (UniManifestPage    *self);
void                uni_manifest_page_reload         (UniManifestPage    *self);
gboolean            uni_manifest_page_select_span    (UniManifestPage    *self,
                                                      gsize               offset,
                                                      gsize               length);

G_END_DECLS
