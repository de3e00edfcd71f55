/* uni-xl-config-edit.c — changes to an .xl file, made as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-xl-config"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-xl-config-private.h"

/* An edit replaces the bytes of the literals it changes, or adds a setting
 * at the end; every other byte stays as written. It then reads the result
 * again and keeps it only when xl would see exactly the new value.
 */

/* Linux interface names are shorter than IFNAMSIZ (16). */
#define MAX_BRIDGE_NAME 15

typedef struct
{
  gsize  offset;
  gsize  length;
  char  *replacement;
} Splice;

static void
splice_clear (gpointer data)
{
  Splice *splice = data;

  g_free (splice->replacement);
}

/* The quote a new string gets: the one the file already uses. */
static char
file_quote (UniXlModel *model)
{
  for (guint i = 0; i < model->settings->len; i++)
    {
      UniXlSetting *setting = g_ptr_array_index (model->settings, i);
      UniXlValue *value = setting->value;

      while (value->kind == UNI_XL_VALUE_LIST && value->items->len > 0)
        value = g_ptr_array_index (value->items, 0);
      if (value->kind == UNI_XL_VALUE_STRING)
        return value->quote;
    }

  return '\'';
}

/* Writes @value as a literal xl decodes back to exactly @value. Raw bytes
 * pass through xl's lexer unchanged except the line end, the quote and the
 * backslash, which are escaped; control characters get their C escapes so
 * the file stays readable. Bytes that came from the file are kept as they
 * are, UTF-8 or not.
 */
static char *
quote_string (const char *value,
              char        quote)
{
  GString *literal = g_string_new (NULL);

  g_string_append_c (literal, quote);
  for (const char *p = value; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '\\':
          g_string_append (literal, "\\\\");
          break;
        case '\n':
          g_string_append (literal, "\\n");
          break;
        case '\r':
          g_string_append (literal, "\\r");
          break;
        case '\t':
          g_string_append (literal, "\\t");
          break;
        case '\a':
          g_string_append (literal, "\\a");
          break;
        case '\b':
          g_string_append (literal, "\\b");
          break;
        case '\f':
          g_string_append (literal, "\\f");
          break;
        case '\v':
          g_string_append (literal, "\\v");
          break;
        default:
          if (*p == quote)
            g_string_append_c (literal, '\\');
          g_string_append_c (literal, *p);
          break;
        }
    }
  g_string_append_c (literal, quote);

  return g_string_free (literal, FALSE);
}

static UniXlModel *
model_splice (UniXlModel  *model,
              GArray      *splices,
              GError     **error)
{
  g_autoptr(GString) text = g_string_sized_new (model->length + 64);
  g_autoptr(GError) local_error = NULL;
  gsize done = 0;
  UniXlModel *result;

  for (guint i = 0; i < splices->len; i++)
    {
      Splice *splice = &g_array_index (splices, Splice, i);

      g_assert (splice->offset >= done && splice->offset + splice->length <= model->length);
      g_string_append_len (text, model->text + done, splice->offset - done);
      g_string_append (text, splice->replacement);
      done = splice->offset + splice->length;
    }
  g_string_append_len (text, model->text + done, model->length - done);

  result = _uni_xl_model_read (text->str, text->len, &local_error);
  if (result == NULL)
    g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                 _("The edited file would not read back in xl (%s); the file is unchanged"),
                 local_error->message);

  return result;
}

static gboolean
reads_back_as (UniXlModel  *model,
               const char  *key,
               const char  *expected,
               GError     **error)
{
  UniXlEffective *effective = _uni_xl_model_lookup (model, key);

  if (effective == NULL || g_strcmp0 (effective->text, expected) != 0)
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("The new value of “%s” cannot be written so that xl reads it back; "
                     "the file is unchanged"), key);
      return FALSE;
    }

  return TRUE;
}

/* Replaces the single value of @key by @literal, or adds `key = literal`
 * at the end when the file has no @key, then checks that xl reads @expected.
 */
static gboolean
set_atom (UniXlConfig  *self,
          const char   *key,
          const char   *literal,
          const char   *expected,
          GError      **error)
{
  g_autoptr(GArray) splices = g_array_new (FALSE, TRUE, sizeof (Splice));
  UniXlEffective *effective = _uni_xl_model_lookup (self->model, key);
  UniXlModel *model = self->model;
  UniXlModel *result;
  Splice splice = { 0 };

  g_array_set_clear_func (splices, splice_clear);

  if (effective == NULL)
    {
      const char *equals = " = ";

      if (model->settings->len > 0)
        {
          UniXlSetting *first = g_ptr_array_index (model->settings, 0);

          if (model->text[first->offset + strlen (first->key)] == '=')
            equals = "=";
        }

      splice.offset = model->length;
      splice.replacement = g_strdup_printf ("%s%s%s%s\n",
                                            model->length > 0
                                            && model->text[model->length - 1] != '\n'
                                            ? "\n" : "",
                                            key, equals, literal);
    }
  else if (effective->last->append)
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED,
                   _("“%s” is built with “+=” in this file: change it in the file itself"), key);
      return FALSE;
    }
  else if (effective->items != NULL)
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED,
                   _("“%s” is a list in this file, where xl expects a single value"), key);
      return FALSE;
    }
  else
    {
      splice.offset = effective->last->value->offset;
      splice.length = effective->last->value->length;
      splice.replacement = g_strdup (literal);
    }
  g_array_append_val (splices, splice);

  result = model_splice (model, splices, error);
  if (result == NULL)
    return FALSE;

  if (!reads_back_as (result, key, expected, error))
    {
      _uni_xl_model_free (result);
      return FALSE;
    }

  _uni_xl_model_free (self->model);
  self->model = result;

  return TRUE;
}

/* A vif spec with each `bridge=` setting pointing at @bridge, or one added
 * after the others; the other comma-separated settings stay as written.
 */
static char *
vif_with_bridge (const char *vif,
                 const char *bridge)
{
  g_auto(GStrv) parts = g_strsplit (vif, ",", -1);
  gboolean found = FALSE;
  g_autofree char *joined = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    {
      gsize spaces = strspn (parts[i], " ");

      if (g_str_has_prefix (parts[i] + spaces, "bridge="))
        {
          char *part = g_strdup_printf ("%.*sbridge=%s", (int) spaces, parts[i], bridge);

          g_free (parts[i]);
          parts[i] = part;
          found = TRUE;
        }
    }

  joined = g_strjoinv (",", parts);
  if (found)
    return g_steal_pointer (&joined);

  if (joined[strspn (joined, " ")] == '\0' || g_str_has_suffix (joined, ","))
    return g_strdup_printf ("%sbridge=%s", joined, bridge);

  return g_strdup_printf ("%s,bridge=%s", joined, bridge);
}

static gboolean
is_bridge_name (const char *bridge)
{
  gsize length = strlen (bridge);

  if (length == 0 || length > MAX_BRIDGE_NAME || !g_utf8_validate (bridge, -1, NULL))
    return FALSE;

  if (g_str_equal (bridge, ".") || g_str_equal (bridge, ".."))
    return FALSE;

  for (const char *p = bridge; *p != '\0'; p++)
    {
      if (strchr ("/:,=", *p) != NULL || g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return FALSE;
    }

  return TRUE;
}

/**
 * uni_xl_config_set_string:
 * @self: a #UniXlConfig
 * @key: a setting name: lower-case letters, digits, `_` and `.`
 * @value: its new value, UTF-8
 * @error: return location for a #GError
 *
 * Replaces the value of @key in place, in the quotes it had, or adds
 * `key = 'value'` at the end of the file when it has no @key. Quotes,
 * backslashes and line ends in @value are escaped so that xl reads back
 * exactly @value.
 *
 * Returns: %TRUE when the text now sets @key to @value; on failure the
 *   text is unchanged
 */
gboolean
uni_xl_config_set_string (UniXlConfig  *self,
                          const char   *key,
                          const char   *value,
                          GError      **error)
{
  g_autofree char *literal = NULL;
  UniXlEffective *effective;
  char quote;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!_uni_xl_is_key (key))
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("“%s” is not an xl setting name: it takes lower-case letters, digits, "
                     "“_” and “.”"), key);
      return FALSE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("The new value of “%s” is not UTF-8 text"), key);
      return FALSE;
    }

  effective = _uni_xl_model_lookup (self->model, key);
  if (effective != NULL && effective->last->value->kind == UNI_XL_VALUE_STRING)
    quote = effective->last->value->quote;
  else
    quote = file_quote (self->model);

  literal = quote_string (value, quote);

  return set_atom (self, key, literal, value, error);
}

/**
 * uni_xl_config_set_name:
 * @self: a #UniXlConfig
 * @name: the domain name
 * @error: return location for a #GError
 *
 * Sets `name`, as uni_xl_config_set_string() does.
 *
 * Returns: %TRUE on success; on failure the text is unchanged
 */
gboolean
uni_xl_config_set_name (UniXlConfig  *self,
                        const char   *name,
                        GError      **error)
{
  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (name[0] == '\0')
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("A domain needs a name"));
      return FALSE;
    }

  return uni_xl_config_set_string (self, "name", name, error);
}

/**
 * uni_xl_config_set_kernel:
 * @self: a #UniXlConfig
 * @path: the kernel image, as the Xen host sees it
 * @error: return location for a #GError
 *
 * Sets `kernel`, as uni_xl_config_set_string() does: a path with spaces,
 * quotes, backslashes or any other character reads back exactly.
 *
 * Returns: %TRUE on success; on failure the text is unchanged
 */
gboolean
uni_xl_config_set_kernel (UniXlConfig  *self,
                          const char   *path,
                          GError      **error)
{
  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (path[0] == '\0')
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("The kernel path is empty"));
      return FALSE;
    }

  return uni_xl_config_set_string (self, "kernel", path, error);
}

/**
 * uni_xl_config_set_memory:
 * @self: a #UniXlConfig
 * @mib: the memory in MiB, from 1 to G_MAXINT32 (xl reads it into a long,
 *   32 bits on an Arm board)
 * @error: return location for a #GError
 *
 * Writes @mib in decimal in place of the old value (inside its quotes when
 * it was a string), or adds `memory = MIB` at the end.
 *
 * Returns: %TRUE on success; on failure the text is unchanged
 */
gboolean
uni_xl_config_set_memory (UniXlConfig  *self,
                          gint64        mib,
                          GError      **error)
{
  g_autofree char *digits = NULL;
  g_autofree char *literal = NULL;
  UniXlEffective *effective;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  digits = g_strdup_printf ("%" G_GINT64_FORMAT, mib);
  if (mib < 1 || mib > G_MAXINT32)
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("%s MiB is not a memory size xl takes"), digits);
      return FALSE;
    }

  effective = _uni_xl_model_lookup (self->model, "memory");
  if (effective != NULL && effective->last->value->kind == UNI_XL_VALUE_STRING)
    literal = g_strdup_printf ("%c%s%c", effective->last->value->quote, digits,
                               effective->last->value->quote);
  else
    literal = g_strdup (digits);

  return set_atom (self, "memory", literal, digits, error);
}

/**
 * uni_xl_config_set_vif_bridge:
 * @self: a #UniXlConfig
 * @bridge: a bridge on the Xen host, "br0"
 * @error: return location for a #GError
 *
 * Points every network device at @bridge: replaces `bridge=` in each vif
 * spec, or adds it after the spec's other settings, which stay as written.
 * A file without network devices is left as it is.
 *
 * Returns: %TRUE on success; on failure the text is unchanged
 */
gboolean
uni_xl_config_set_vif_bridge (UniXlConfig  *self,
                              const char   *bridge,
                              GError      **error)
{
  g_autoptr(GArray) splices = NULL;
  UniXlEffective *effective;
  UniXlEffective *edited;
  UniXlModel *result;
  char quote;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (bridge != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_bridge_name (bridge))
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                   _("“%s” cannot be a bridge: a network interface name has 1 to %d "
                     "characters and no “/”, “:”, “,”, “=” or spaces"),
                   bridge, MAX_BRIDGE_NAME);
      return FALSE;
    }

  effective = _uni_xl_model_lookup (self->model, "vif");
  if (effective == NULL)
    return TRUE;

  if (effective->items == NULL)
    {
      g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED,
                   _("“vif” is a single value in this file, where xl expects a list"));
      return FALSE;
    }

  quote = file_quote (self->model);
  splices = g_array_new (FALSE, TRUE, sizeof (Splice));
  g_array_set_clear_func (splices, splice_clear);

  for (guint i = 0; i < effective->items->len; i++)
    {
      UniXlValue *item = g_ptr_array_index (effective->items, i);
      g_autofree char *spec = NULL;
      Splice splice;

      if (item->kind == UNI_XL_VALUE_LIST)
        {
          g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED,
                       _("A “vif” item is a list in this file, where xl expects a string"));
          return FALSE;
        }

      spec = vif_with_bridge (item->text, bridge);
      splice.offset = item->offset;
      splice.length = item->length;
      splice.replacement = quote_string (spec, item->kind == UNI_XL_VALUE_STRING
                                               ? item->quote : quote);
      g_array_append_val (splices, splice);
    }

  result = model_splice (self->model, splices, error);
  if (result == NULL)
    return FALSE;

  edited = _uni_xl_model_lookup (result, "vif");
  for (guint i = 0; edited->items != NULL && i < edited->items->len; i++)
    {
      UniXlValue *item = g_ptr_array_index (edited->items, i);
      g_autofree char *read_back = NULL;

      if (item->kind != UNI_XL_VALUE_LIST)
        read_back = uni_xl_vif_dup_setting (item->text, "bridge");
      if (g_strcmp0 (read_back, bridge) != 0)
        {
          _uni_xl_model_free (result);
          g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_INVALID_VALUE,
                       _("The bridge “%s” cannot be written so that xl reads it back; "
                         "the file is unchanged"), bridge);
          return FALSE;
        }
    }

  _uni_xl_model_free (self->model);
  self->model = result;

  return TRUE;
}
