/* uni-xl-config.h — a Xen domain configuration (xl.cfg) read as a model, edited as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define UNI_XL_CONFIG_ERROR (uni_xl_config_error_quark ())

/**
 * UniXlConfigError:
 * @UNI_XL_CONFIG_ERROR_PARSE: xl would refuse the file; the message names
 *   the line and column
 * @UNI_XL_CONFIG_ERROR_INVALID_VALUE: the new value is not one xl can take
 *   or read back (not UTF-8, an empty name, a bridge that is no interface
 *   name, a memory size out of range...)
 * @UNI_XL_CONFIG_ERROR_UNSUPPORTED: the setting is written in a way the edit
 *   cannot change safely (built with `+=`, a list where a value belongs, a
 *   value where a list belongs)
 */
typedef enum
{
  UNI_XL_CONFIG_ERROR_PARSE,
  UNI_XL_CONFIG_ERROR_INVALID_VALUE,
  UNI_XL_CONFIG_ERROR_UNSUPPORTED,
} UniXlConfigError;

#define UNI_TYPE_XL_CONFIG (uni_xl_config_get_type ())

G_DECLARE_FINAL_TYPE (UniXlConfig, uni_xl_config, UNI, XL_CONFIG, GObject)

GQuark        uni_xl_config_error_quark       (void);

UniXlConfig  *uni_xl_config_new               (const char   *text,
                                               gssize        length,
                                               GError      **error);
const char   *uni_xl_config_get_text          (UniXlConfig  *self,
                                               gsize        *length);
char         *uni_xl_config_dup_text          (UniXlConfig  *self,
                                               gsize        *length);

gboolean      uni_xl_config_has_key           (UniXlConfig  *self,
                                               const char   *key);
const char   *uni_xl_config_get_string        (UniXlConfig  *self,
                                               const char   *key);
char        **uni_xl_config_dup_list          (UniXlConfig  *self,
                                               const char   *key);

const char   *uni_xl_config_get_name          (UniXlConfig  *self);
const char   *uni_xl_config_get_kernel        (UniXlConfig  *self);
gboolean      uni_xl_config_get_memory        (UniXlConfig  *self,
                                               gint64       *mib);
const char   *uni_xl_config_get_guest_type    (UniXlConfig  *self);
const char   *uni_xl_config_get_extra         (UniXlConfig  *self);
char        **uni_xl_config_dup_vifs          (UniXlConfig  *self);
char        **uni_xl_config_dup_disks         (UniXlConfig  *self);
char         *uni_xl_vif_dup_setting          (const char   *vif,
                                               const char   *name);

gboolean      uni_xl_config_set_string        (UniXlConfig  *self,
                                               const char   *key,
                                               const char   *value,
                                               GError      **error);
gboolean      uni_xl_config_set_name          (UniXlConfig  *self,
                                               const char   *name,
                                               GError      **error);
gboolean      uni_xl_config_set_kernel        (UniXlConfig  *self,
                                               const char   *path,
                                               GError      **error);
gboolean      uni_xl_config_set_memory        (UniXlConfig  *self,
                                               gint64        mib,
                                               GError      **error);
gboolean      uni_xl_config_set_vif_bridge    (UniXlConfig  *self,
                                               const char   *bridge,
                                               GError      **error);

G_END_DECLS
