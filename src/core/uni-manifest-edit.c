/* uni-manifest-edit.c — manifest changes as text edits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-manifest-private.h"

static UniTextEdit *
not_yet (GError **error)
{
  g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                       _("This change cannot be made from the form yet"));
  return NULL;
}

UniTextEdit *
uni_manifest_edit_set_key_default (UniManifest  *self,
                                   const char   *key,
                                   const char   *value,
                                   GError      **error)
{
  return not_yet (error);
}

UniTextEdit *
uni_manifest_edit_set_key_doc (UniManifest  *self,
                               const char   *key,
                               const char   *doc,
                               GError      **error)
{
  return not_yet (error);
}

UniTextEdit *
uni_manifest_edit_rename (UniManifest  *self,
                          const char   *name,
                          GError      **error)
{
  return not_yet (error);
}

UniTextEdit *
uni_manifest_edit_set_entry (UniManifest  *self,
                             const char   *entry,
                             GError      **error)
{
  return not_yet (error);
}

UniTextEdit *
uni_manifest_edit_add_package (UniManifest  *self,
                               const char   *name,
                               const char   *min,
                               const char   *max,
                               GError      **error)
{
  return not_yet (error);
}

UniTextEdit *
uni_manifest_edit_remove_package (UniManifest  *self,
                                  const char   *name,
                                  GError      **error)
{
  return not_yet (error);
}

UniTextEdit *
uni_manifest_edit_constrain_package (UniManifest  *self,
                                     const char   *name,
                                     const char   *min,
                                     const char   *max,
                                     GError      **error)
{
  return not_yet (error);
}
