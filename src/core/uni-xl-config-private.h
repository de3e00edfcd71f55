/* uni-xl-config-private.h — what the reader keeps for the editor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "uni-xl-config.h"

G_BEGIN_DECLS

typedef enum
{
  UNI_XL_VALUE_STRING,
  UNI_XL_VALUE_NUMBER,
  UNI_XL_VALUE_LIST,
} UniXlValueKind;

typedef struct
{
  UniXlValueKind  kind;
  gsize           offset;   /* the literal, or the list from `[` to `]` */
  gsize           length;
  char            quote;    /* strings: ' or " */
  char           *text;     /* atoms: what xl sees (a number as written) */
  GPtrArray      *items;    /* lists: UniXlValue */
} UniXlValue;

typedef struct
{
  char        *key;
  gsize        offset;      /* the key's first byte */
  gboolean     append;      /* `+=` */
  UniXlValue  *value;
} UniXlSetting;

/* What xl sees for a key: the last `=` of it and the `+=` after that. */
typedef struct
{
  UniXlSetting  *last;
  char          *text;      /* atoms */
  GPtrArray     *items;     /* lists: UniXlValue, borrowed from the settings */
} UniXlEffective;

typedef struct
{
  char        *text;
  gsize        length;
  GPtrArray   *settings;    /* UniXlSetting, in file order */
  GHashTable  *effective;   /* key, borrowed from a setting -> UniXlEffective */
} UniXlModel;

struct _UniXlConfig
{
  GObject     parent_instance;

  UniXlModel *model;
};

UniXlModel      *_uni_xl_model_read    (const char  *text,
                                        gsize        length,
                                        GError     **error);
void             _uni_xl_model_free    (UniXlModel  *model);
UniXlEffective  *_uni_xl_model_lookup  (UniXlModel  *model,
                                        const char  *key);
gboolean         _uni_xl_is_key        (const char  *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniXlModel, _uni_xl_model_free)

G_END_DECLS
