/* uni-xl-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-xl-config"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>

#include "uni-xl-config-private.h"

/* The reader follows xl's own grammar (libxlu_cfg_l.l and libxlu_cfg_y.y in
 * Xen's tools): a file xl would refuse is refused here, with its line and
 * column, so it does not travel to a board to fail there. Values keep their
 * byte ranges for the editor (uni-xl-config-edit.c).
 */

/* xl has no limit of its own; this one keeps a hostile file off the stack. */
#define MAX_LIST_DEPTH 32

typedef enum
{
  TOKEN_EOF,
  TOKEN_NEWLINE,        /* a line end, or a comment and its line end */
  TOKEN_IDENT,
  TOKEN_NUMBER,
  TOKEN_STRING,
  TOKEN_EQUALS,
  TOKEN_PLUS_EQUALS,
  TOKEN_SEMICOLON,
  TOKEN_COMMA,
  TOKEN_OPEN,
  TOKEN_CLOSE,
} TokenKind;

typedef struct
{
  const char *text;
  gsize       length;
  gsize       pos;
  TokenKind   kind;
  gsize       offset;
  char        quote;
  char       *value;     /* identifiers and numbers as written, strings decoded */
} Reader;

G_DEFINE_FINAL_TYPE (UniXlConfig, uni_xl_config, G_TYPE_OBJECT)

G_DEFINE_QUARK (uni-xl-config-error-quark, uni_xl_config_error)

static void
value_free (gpointer data)
{
  UniXlValue *value = data;

  if (value == NULL)
    return;

  g_free (value->text);
  g_clear_pointer (&value->items, g_ptr_array_unref);
  g_free (value);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UniXlValue, value_free)

static void
setting_free (gpointer data)
{
  UniXlSetting *setting = data;

  g_free (setting->key);
  value_free (setting->value);
  g_free (setting);
}

static void
effective_free (gpointer data)
{
  UniXlEffective *effective = data;

  g_free (effective->text);
  g_clear_pointer (&effective->items, g_ptr_array_unref);
  g_free (effective);
}

void
_uni_xl_model_free (UniXlModel *model)
{
  if (model == NULL)
    return;

  g_free (model->text);
  g_clear_pointer (&model->effective, g_hash_table_unref);
  g_clear_pointer (&model->settings, g_ptr_array_unref);
  g_free (model);
}

/* Columns count characters, as an editor shows them. */
static void
locate (const char *text,
        gsize       offset,
        guint      *line,
        guint      *column)
{
  gsize line_start = 0;

  *line = 1;
  for (gsize i = 0; i < offset; i++)
    {
      if (text[i] == '\n')
        {
          (*line)++;
          line_start = i + 1;
        }
    }

  *column = 1;
  for (gsize i = line_start; i < offset; i++)
    {
      if (((guchar) text[i] & 0xC0) != 0x80)
        (*column)++;
    }
}

static gboolean fail_at (const char  *text,
                         gsize        offset,
                         GError     **error,
                         const char  *format,
                         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (const char  *text,
         gsize        offset,
         GError     **error,
         const char  *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;
  guint line;
  guint column;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  locate (text, offset, &line, &column);
  g_set_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_PARSE,
               _("Line %u, column %u: %s"), line, column, message);

  return FALSE;
}

/* The character at @offset, readable in a message. */
static char *
describe_char (const char *text,
               gsize       length,
               gsize       offset)
{
  gunichar c = g_utf8_get_char_validated (text + offset, length - offset);

  if (c == (gunichar) -1 || c == (gunichar) -2 || g_unichar_iscntrl (c))
    return g_strdup_printf ("\\x%02x", (guchar) text[offset]);

  return g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
}

static gboolean
is_ident_char (char c)
{
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

static gboolean
is_number_char (char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x';
}

/* xl's lexer takes a string to the matching quote on the same line; its
 * dequoting knows the C escapes below. Its numeric escapes (\x.., \0..)
 * either fail or drop the character, so they are refused here.
 */
static gboolean
read_string (Reader  *reader,
             GError **error)
{
  const char *text = reader->text;
  char quote = text[reader->pos];
  g_autoptr(GString) decoded = g_string_new (NULL);
  gsize p = reader->pos + 1;

  for (;;)
    {
      char c;

      if (p >= reader->length || text[p] == '\n')
        return fail_at (text, reader->pos, error,
                        _("This string has no closing %c on its line"), quote);

      c = text[p];
      if (c == quote)
        break;

      if (c == '\0')
        return fail_at (text, p, error, _("A NUL byte is not allowed"));

      if (c != '\\')
        {
          g_string_append_c (decoded, c);
          p++;
          continue;
        }

      if (p + 1 >= reader->length || text[p + 1] == '\n')
        return fail_at (text, reader->pos, error,
                        _("This string has no closing %c on its line"), quote);

      switch (text[p + 1])
        {
        case '"':
        case '\'':
        case '\\':
          g_string_append_c (decoded, text[p + 1]);
          break;
        case 'a':
          g_string_append_c (decoded, '\a');
          break;
        case 'b':
          g_string_append_c (decoded, '\b');
          break;
        case 'f':
          g_string_append_c (decoded, '\f');
          break;
        case 'n':
          g_string_append_c (decoded, '\n');
          break;
        case 'r':
          g_string_append_c (decoded, '\r');
          break;
        case 't':
          g_string_append_c (decoded, '\t');
          break;
        case 'v':
          g_string_append_c (decoded, '\v');
          break;
        case 'x':
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
          return fail_at (text, p, error,
                          _("xl does not read numeric escapes such as “\\%c” correctly: "
                            "write the character itself"), text[p + 1]);
        default:
          {
            g_autofree char *what = describe_char (text, reader->length, p + 1);

            return fail_at (text, p, error,
                            _("“\\%s” is not an escape xl knows (\\\\ \\' \\\" \\n \\t \\r "
                              "\\a \\b \\f \\v)"), what);
          }
        }
      p += 2;
    }

  reader->kind = TOKEN_STRING;
  reader->quote = quote;
  reader->value = g_string_free (g_steal_pointer (&decoded), FALSE);
  reader->pos = p + 1;

  return TRUE;
}

static gboolean
reader_next (Reader  *reader,
             GError **error)
{
  const char *text = reader->text;
  gsize start;
  char c;

  g_clear_pointer (&reader->value, g_free);

  while (reader->pos < reader->length
         && (text[reader->pos] == ' ' || text[reader->pos] == '\t'))
    reader->pos++;

  start = reader->offset = reader->pos;
  if (start >= reader->length)
    {
      reader->kind = TOKEN_EOF;
      return TRUE;
    }

  c = text[start];
  if (c >= 'a' && c <= 'z')
    {
      while (reader->pos < reader->length && is_ident_char (text[reader->pos]))
        reader->pos++;
      reader->kind = TOKEN_IDENT;
      reader->value = g_strndup (text + start, reader->pos - start);
      return TRUE;
    }

  if (c >= '0' && c <= '9')
    {
      while (reader->pos < reader->length && is_number_char (text[reader->pos]))
        reader->pos++;
      reader->kind = TOKEN_NUMBER;
      reader->value = g_strndup (text + start, reader->pos - start);
      return TRUE;
    }

  switch (c)
    {
    case '\n':
      reader->kind = TOKEN_NEWLINE;
      reader->pos++;
      return TRUE;

    case '#':
      {
        const char *end = memchr (text + start, '\n', reader->length - start);

        /* xl's comment pattern needs the line end: at the end of the file
         * it reports a lexical error.
         */
        if (end == NULL)
          return fail_at (text, start, error,
                          _("xl needs a line break after a comment on the last line"));
        if (memchr (text + start, '\0', end - (text + start)) != NULL)
          return fail_at (text, start, error, _("A NUL byte is not allowed"));
        reader->kind = TOKEN_NEWLINE;
        reader->pos = end - text + 1;
        return TRUE;
      }

    case '\'':
    case '"':
      return read_string (reader, error);

    case '=':
      reader->kind = TOKEN_EQUALS;
      reader->pos++;
      return TRUE;

    case '+':
      if (start + 1 < reader->length && text[start + 1] == '=')
        {
          reader->kind = TOKEN_PLUS_EQUALS;
          reader->pos += 2;
          return TRUE;
        }
      break;

    case ';':
      reader->kind = TOKEN_SEMICOLON;
      reader->pos++;
      return TRUE;

    case ',':
      reader->kind = TOKEN_COMMA;
      reader->pos++;
      return TRUE;

    case '[':
      reader->kind = TOKEN_OPEN;
      reader->pos++;
      return TRUE;

    case ']':
      reader->kind = TOKEN_CLOSE;
      reader->pos++;
      return TRUE;

    case '\r':
      return fail_at (text, start, error,
                      _("A carriage return: xl reads only Unix line ends (LF), not CR LF"));

    case '\0':
      return fail_at (text, start, error, _("A NUL byte is not allowed"));

    default:
      break;
    }

  {
    g_autofree char *what = describe_char (text, reader->length, start);

    if (c >= 'A' && c <= 'Z')
      return fail_at (text, start, error,
                      _("Unexpected “%s”: xl setting names are lower case"), what);

    return fail_at (text, start, error,
                    _("Unexpected “%s”: xl takes quoted strings, numbers and [ lists ], "
                      "not expressions"), what);
  }
}

static gboolean
skip_newlines (Reader  *reader,
               GError **error)
{
  while (reader->kind == TOKEN_NEWLINE)
    {
      if (!reader_next (reader, error))
        return FALSE;
    }

  return TRUE;
}

static UniXlValue *
read_value (Reader  *reader,
            guint    depth,
            GError **error)
{
  g_autoptr(UniXlValue) value = g_new0 (UniXlValue, 1);

  value->offset = reader->offset;

  if (reader->kind == TOKEN_STRING || reader->kind == TOKEN_NUMBER)
    {
      value->kind = reader->kind == TOKEN_STRING ? UNI_XL_VALUE_STRING : UNI_XL_VALUE_NUMBER;
      value->quote = reader->kind == TOKEN_STRING ? reader->quote : 0;
      value->text = g_steal_pointer (&reader->value);
      value->length = reader->pos - reader->offset;
      if (!reader_next (reader, error))
        return NULL;
      return g_steal_pointer (&value);
    }

  if (reader->kind != TOKEN_OPEN)
    {
      fail_at (reader->text, reader->offset, error,
               _("Expected a value: a quoted string, a number or a [ list ]"));
      return NULL;
    }

  if (depth >= MAX_LIST_DEPTH)
    {
      fail_at (reader->text, reader->offset, error, _("Lists are nested too deeply"));
      return NULL;
    }

  value->kind = UNI_XL_VALUE_LIST;
  value->items = g_ptr_array_new_with_free_func (value_free);

  if (!reader_next (reader, error) || !skip_newlines (reader, error))
    return NULL;

  while (reader->kind != TOKEN_CLOSE)
    {
      UniXlValue *item = read_value (reader, depth + 1, error);

      if (item == NULL)
        return NULL;
      g_ptr_array_add (value->items, item);

      if (!skip_newlines (reader, error))
        return NULL;

      if (reader->kind == TOKEN_COMMA)
        {
          if (!reader_next (reader, error) || !skip_newlines (reader, error))
            return NULL;
        }
      else if (reader->kind != TOKEN_CLOSE)
        {
          fail_at (reader->text, reader->offset, error,
                   _("Expected “,” or “]” after a list item"));
          return NULL;
        }
    }

  value->length = reader->pos - value->offset;
  if (!reader_next (reader, error))
    return NULL;

  return g_steal_pointer (&value);
}

/* xl's `+=` joins strings, or lists, to what the key held before. */
static gboolean
add_effective (UniXlModel    *model,
               UniXlSetting  *setting,
               GError       **error)
{
  UniXlEffective *effective = _uni_xl_model_lookup (model, setting->key);
  gboolean is_list = setting->value->kind == UNI_XL_VALUE_LIST;

  if (effective != NULL && setting->append)
    {
      if (is_list != (effective->items != NULL))
        return fail_at (model->text, setting->offset, error,
                        _("“%s +=” cannot add a list to a single value, or a value to a list"),
                        setting->key);

      if (is_list)
        {
          for (guint i = 0; i < setting->value->items->len; i++)
            g_ptr_array_add (effective->items, g_ptr_array_index (setting->value->items, i));
        }
      else
        {
          char *joined = g_strconcat (effective->text, setting->value->text, NULL);

          g_free (effective->text);
          effective->text = joined;
        }
      effective->last = setting;
      return TRUE;
    }

  effective = g_new0 (UniXlEffective, 1);
  effective->last = setting;
  if (is_list)
    {
      effective->items = g_ptr_array_new ();
      for (guint i = 0; i < setting->value->items->len; i++)
        g_ptr_array_add (effective->items, g_ptr_array_index (setting->value->items, i));
    }
  else
    {
      effective->text = g_strdup (setting->value->text);
    }
  g_hash_table_replace (model->effective, setting->key, effective);

  return TRUE;
}

UniXlModel *
_uni_xl_model_read (const char  *text,
                    gsize        length,
                    GError     **error)
{
  g_autoptr(UniXlModel) model = g_new0 (UniXlModel, 1);
  Reader reader = { 0 };
  gboolean ok = FALSE;

  model->text = g_strndup (text, length);
  model->length = length;
  model->settings = g_ptr_array_new_with_free_func (setting_free);
  /* Keys are borrowed from the settings, which live as long as the model. */
  model->effective = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, effective_free);

  reader.text = model->text;
  reader.length = length;

  if (!reader_next (&reader, error))
    goto out;

  while (reader.kind != TOKEN_EOF)
    {
      g_autoptr(UniXlValue) value = NULL;
      g_autofree char *key = NULL;
      UniXlSetting *setting;
      gsize offset;
      gboolean append;

      if (reader.kind == TOKEN_NEWLINE || reader.kind == TOKEN_SEMICOLON)
        {
          if (!reader_next (&reader, error))
            goto out;
          continue;
        }

      if (reader.kind != TOKEN_IDENT)
        {
          fail_at (text, reader.offset, error,
                   _("Expected a setting name such as “kernel”"));
          goto out;
        }

      key = g_steal_pointer (&reader.value);
      offset = reader.offset;
      if (!reader_next (&reader, error))
        goto out;

      if (reader.kind != TOKEN_EQUALS && reader.kind != TOKEN_PLUS_EQUALS)
        {
          fail_at (text, reader.offset, error, _("Expected “=” after “%s”"), key);
          goto out;
        }
      append = reader.kind == TOKEN_PLUS_EQUALS;

      if (!reader_next (&reader, error))
        goto out;
      value = read_value (&reader, 0, error);
      if (value == NULL)
        goto out;

      if (reader.kind != TOKEN_NEWLINE && reader.kind != TOKEN_SEMICOLON
          && reader.kind != TOKEN_EOF)
        {
          fail_at (text, reader.offset, error,
                   _("Expected the end of the line, or “;”, after the value of “%s”"), key);
          goto out;
        }

      setting = g_new0 (UniXlSetting, 1);
      setting->key = g_steal_pointer (&key);
      setting->offset = offset;
      setting->append = append;
      setting->value = g_steal_pointer (&value);
      g_ptr_array_add (model->settings, setting);

      if (!add_effective (model, setting, error))
        goto out;
    }

  ok = TRUE;

out:
  g_free (reader.value);

  return ok ? g_steal_pointer (&model) : NULL;
}

UniXlEffective *
_uni_xl_model_lookup (UniXlModel *model,
                      const char *key)
{
  return g_hash_table_lookup (model->effective, key);
}

gboolean
_uni_xl_is_key (const char *key)
{
  if (!(key[0] >= 'a' && key[0] <= 'z'))
    return FALSE;

  for (const char *p = key + 1; *p != '\0'; p++)
    {
      if (!is_ident_char (*p))
        return FALSE;
    }

  return TRUE;
}

static void
uni_xl_config_finalize (GObject *object)
{
  UniXlConfig *self = (UniXlConfig *)object;

  g_clear_pointer (&self->model, _uni_xl_model_free);

  G_OBJECT_CLASS (uni_xl_config_parent_class)->finalize (object);
}

static void
uni_xl_config_class_init (UniXlConfigClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_xl_config_finalize;
}

static void
uni_xl_config_init (UniXlConfig *self)
{
}

/**
 * uni_xl_config_new:
 * @text: the contents of an .xl file
 * @length: its length in bytes, or -1 when @text is nul-terminated
 * @error: return location for a #UNI_XL_CONFIG_ERROR_PARSE error
 *
 * Reads @text as xl does: `key = value` settings separated by line ends or
 * `;`, values that are quoted strings, numbers or `[ lists ]` (over several
 * lines, nested), `key += value`, `#` comments.
 *
 * Returns: (transfer full) (nullable): the configuration, or %NULL when xl
 *   would refuse @text; the message names the line and column
 */
UniXlConfig *
uni_xl_config_new (const char  *text,
                   gssize       length,
                   GError     **error)
{
  UniXlConfig *self;
  UniXlModel *model;

  g_return_val_if_fail (text != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (text);

  model = _uni_xl_model_read (text != NULL ? text : "", length, error);
  if (model == NULL)
    return NULL;

  self = g_object_new (UNI_TYPE_XL_CONFIG, NULL);
  self->model = model;

  return self;
}

/**
 * uni_xl_config_get_text:
 * @self: a #UniXlConfig
 * @length: (out) (optional): its length in bytes
 *
 * Returns: (transfer none): the file as it stands after the edits made so
 *   far, nul-terminated
 */
const char *
uni_xl_config_get_text (UniXlConfig *self,
                        gsize       *length)
{
  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), NULL);

  if (length != NULL)
    *length = self->model->length;

  return self->model->text;
}

/**
 * uni_xl_config_dup_text:
 * @self: a #UniXlConfig
 * @length: (out) (optional): its length in bytes
 *
 * Returns: (transfer full): a copy of the file after the edits made so far
 */
char *
uni_xl_config_dup_text (UniXlConfig *self,
                        gsize       *length)
{
  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), NULL);

  if (length != NULL)
    *length = self->model->length;

  return g_strndup (self->model->text, self->model->length);
}

/**
 * uni_xl_config_has_key:
 * @self: a #UniXlConfig
 * @key: a setting name
 *
 * Returns: whether the file sets @key
 */
gboolean
uni_xl_config_has_key (UniXlConfig *self,
                       const char  *key)
{
  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return _uni_xl_model_lookup (self->model, key) != NULL;
}

/**
 * uni_xl_config_get_string:
 * @self: a #UniXlConfig
 * @key: a setting name
 *
 * The value xl sees for @key: the last setting of it, joined with the
 * `+=` settings after that; a number as written.
 *
 * Returns: (transfer none) (nullable): the decoded value, or %NULL when
 *   @key is not set or is a list
 */
const char *
uni_xl_config_get_string (UniXlConfig *self,
                          const char  *key)
{
  UniXlEffective *effective;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  effective = _uni_xl_model_lookup (self->model, key);

  return effective != NULL ? effective->text : NULL;
}

/**
 * uni_xl_config_dup_list:
 * @self: a #UniXlConfig
 * @key: a setting name
 *
 * The items of a list setting, as xl's device lists take them: up to the
 * first item that is itself a list.
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   decoded items, or %NULL when @key is not set or is a single value
 */
char **
uni_xl_config_dup_list (UniXlConfig *self,
                        const char  *key)
{
  UniXlEffective *effective;
  GPtrArray *items;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  effective = _uni_xl_model_lookup (self->model, key);
  if (effective == NULL || effective->items == NULL)
    return NULL;

  items = g_ptr_array_new ();
  for (guint i = 0; i < effective->items->len; i++)
    {
      UniXlValue *item = g_ptr_array_index (effective->items, i);

      if (item->kind == UNI_XL_VALUE_LIST)
        break;
      g_ptr_array_add (items, g_strdup (item->text));
    }
  g_ptr_array_add (items, NULL);

  return (char **) g_ptr_array_free (items, FALSE);
}

/**
 * uni_xl_config_get_name:
 * @self: a #UniXlConfig
 *
 * Returns: (transfer none) (nullable): the domain name, `name`
 */
const char *
uni_xl_config_get_name (UniXlConfig *self)
{
  return uni_xl_config_get_string (self, "name");
}

/**
 * uni_xl_config_get_kernel:
 * @self: a #UniXlConfig
 *
 * Returns: (transfer none) (nullable): the kernel image, `kernel`: an
 *   absolute path in files from mirage 2.x and 3.x, `NAME.xen` from 4.x
 */
const char *
uni_xl_config_get_kernel (UniXlConfig *self)
{
  return uni_xl_config_get_string (self, "kernel");
}

/**
 * uni_xl_config_get_extra:
 * @self: a #UniXlConfig
 *
 * Returns: (transfer none) (nullable): the kernel command line, `extra`
 */
const char *
uni_xl_config_get_extra (UniXlConfig *self)
{
  return uni_xl_config_get_string (self, "extra");
}

/**
 * uni_xl_config_get_memory:
 * @self: a #UniXlConfig
 * @mib: (out) (optional): the memory in MiB
 *
 * Reads `memory` as xl does: decimal, octal with a leading 0 or
 * hexadecimal with 0x, written as a number or a string.
 *
 * Returns: whether `memory` is set to a number xl takes
 */
gboolean
uni_xl_config_get_memory (UniXlConfig *self,
                          gint64      *mib)
{
  UniXlEffective *effective;
  char *end = NULL;
  gint64 value;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), FALSE);

  effective = _uni_xl_model_lookup (self->model, "memory");
  if (effective == NULL || effective->text == NULL || effective->last->append)
    return FALSE;

  errno = 0;
  value = g_ascii_strtoll (effective->text, &end, 0);
  if (errno != 0 || end == effective->text || *end != '\0')
    return FALSE;

  if (mib != NULL)
    *mib = value;

  return TRUE;
}

/**
 * uni_xl_config_get_guest_type:
 * @self: a #UniXlConfig
 *
 * The kind of domain: `type` as written ("pv", "pvh", "hvm"), else what
 * the older `builder` means to xl: "hvm" for `builder = 'hvm'`, "pv" for
 * any other builder. Mirage up to 3.7 writes `builder = 'linux'`: older xl
 * takes it as PV, an xl that knows `type` refuses it ("Invalid domain
 * type linux").
 *
 * Returns: (transfer none) (nullable): the guest type, or %NULL when
 *   neither is set (xl's default: PV on x86, PVH on Arm)
 */
const char *
uni_xl_config_get_guest_type (UniXlConfig *self)
{
  const char *builder;
  const char *type;

  g_return_val_if_fail (UNI_IS_XL_CONFIG (self), NULL);

  type = uni_xl_config_get_string (self, "type");
  if (type != NULL)
    return type;

  builder = uni_xl_config_get_string (self, "builder");
  if (builder == NULL)
    return NULL;

  return g_str_equal (builder, "hvm") ? "hvm" : "pv";
}

/**
 * uni_xl_config_dup_vifs:
 * @self: a #UniXlConfig
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   network devices, one spec each (`'mac=...,bridge=br0'`), or %NULL when
 *   the file sets no `vif` list
 */
char **
uni_xl_config_dup_vifs (UniXlConfig *self)
{
  return uni_xl_config_dup_list (self, "vif");
}

/**
 * uni_xl_config_dup_disks:
 * @self: a #UniXlConfig
 *
 * Returns: (transfer full) (array zero-terminated=1) (nullable): the
 *   block devices, one spec each, or %NULL when the file sets no `disk` list
 */
char **
uni_xl_config_dup_disks (UniXlConfig *self)
{
  return uni_xl_config_dup_list (self, "disk");
}

/**
 * uni_xl_vif_dup_setting:
 * @vif: a vif spec, `'mac=00:16:3e:00:00:01,bridge=br0'`
 * @name: a setting in it, "bridge"
 *
 * Splits @vif as xl does: at commas, each part with its leading spaces
 * dropped; the last `name=` part wins.
 *
 * Returns: (transfer full) (nullable): the value of @name, or %NULL when
 *   @vif does not set it
 */
char *
uni_xl_vif_dup_setting (const char *vif,
                        const char *name)
{
  g_auto(GStrv) parts = NULL;
  const char *found = NULL;
  gsize name_length;

  g_return_val_if_fail (vif != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  parts = g_strsplit (vif, ",", -1);
  name_length = strlen (name);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      const char *part = parts[i] + strspn (parts[i], " ");

      if (strncmp (part, name, name_length) == 0 && part[name_length] == '=')
        found = part + name_length + 1;
    }

  return g_strdup (found);
}
