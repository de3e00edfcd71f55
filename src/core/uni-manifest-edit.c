/* uni-manifest-edit.c — manifest changes as text edits
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-manifest-private.h"

/* Each edit is one replacement computed against the text the manifest was
 * read from: the caller applies it and reads the result again. An edit
 * that would need a construct we cannot place safely is refused instead.
 */

/* OCaml's int is 63 bits. */
#define OCAML_MAX_INT G_GINT64_CONSTANT (4611686018427387903)
#define OCAML_MIN_INT (-OCAML_MAX_INT - 1)

static UniManifestKeyPrivate *
find_key (UniManifest  *self,
          const char   *name,
          GError      **error)
{
  for (guint k = 0; k < self->keys->len; k++)
    {
      UniManifestKeyPrivate *key = g_ptr_array_index (self->keys, k);

      if (g_strcmp0 (key->pub.name, name) == 0)
        return key;
    }

  g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNKNOWN_KEY,
               _("config.ml declares no key called “%s”"), name);
  return NULL;
}

static UniManifestPackagePrivate *
find_package (UniManifest *self,
              const char  *name,
              gboolean     opam_only)
{
  for (guint k = 0; k < self->packages->len; k++)
    {
      UniManifestPackagePrivate *package = g_ptr_array_index (self->packages, k);

      if (g_strcmp0 (package->pub.name, name) == 0 && !(opam_only && package->pub.is_library))
        return package;
    }

  return NULL;
}

/* How many list elements name @name as a package (or a library). */
static guint
count_elements (UniManifest *self,
                const char  *name,
                gboolean     is_library)
{
  guint n = 0;

  for (guint k = 0; k < self->packages->len; k++)
    {
      UniManifestPackagePrivate *package = g_ptr_array_index (self->packages, k);

      if (g_strcmp0 (package->pub.name, name) == 0 && package->pub.is_library == is_library)
        n += package->n_elements;
    }

  return n;
}

/* One edit cannot change two places of the file honestly: refuse. */
static gboolean
listed_once (UniManifest  *self,
             const char   *name,
             gboolean      is_library,
             GError      **error)
{
  if (count_elements (self, name, is_library) <= 1)
    return TRUE;

  g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
               _("The package “%s” is listed more than once: edit config.ml directly"), name);
  return FALSE;
}

static const UniOcamlToken *
token (UniManifest *self,
       int          i)
{
  return i >= 0 && (guint) i < self->n_toks ? &self->toks[i] : NULL;
}

static gboolean
token_is (UniManifest       *self,
          int                i,
          UniOcamlTokenKind  kind,
          const char        *spelling)
{
  const UniOcamlToken *t = token (self, i);

  return t != NULL && t->kind == kind
         && (spelling == NULL || uni_ocaml_token_equal (t, self->text, spelling));
}

static gboolean
token_is_string (UniManifest *self,
                 int          i)
{
  return token_is (self, i, UNI_OCAML_TOKEN_STRING, NULL)
         || token_is (self, i, UNI_OCAML_TOKEN_QUOTED_STRING, NULL);
}

static gsize
token_end (UniManifest *self,
           int          i)
{
  return self->toks[i].offset + self->toks[i].length;
}

/* The tokens of @span: [*start, *end). */
static gboolean
span_tokens (UniManifest *self,
             UniSpan      span,
             int         *start,
             int         *end)
{
  int s = _uni_manifest_token_at (self, span.offset);
  int e = s;

  if (s < 0)
    return FALSE;
  while ((guint) e < self->n_toks && self->toks[e].offset < span.offset + span.length)
    e++;

  *start = s;
  *end = e;
  return TRUE;
}

static void
strip_parens (UniManifest *self,
              int         *start,
              int         *end)
{
  while (*end - *start >= 2 && token_is (self, *start, UNI_OCAML_TOKEN_PUNCT, "(")
         && self->partner[*start] == *end - 1)
    {
      (*start)++;
      (*end)--;
    }
}

static gboolean
parse_int (const char *value,
           gint64     *number)
{
  return value[0] != '\0' && value[0] != '+'
         && g_ascii_string_to_signed (value, 10, OCAML_MIN_INT, OCAML_MAX_INT, number, NULL);
}

static gboolean
parse_ipv4 (const char *value,
            gboolean    prefix)
{
  g_auto(GStrv) halves = g_strsplit (value, "/", -1);
  g_auto(GStrv) parts = NULL;
  guint64 number;

  if (g_strv_length (halves) != (prefix ? 2 : 1))
    return FALSE;
  if (prefix && (halves[1][0] == '\0' || strlen (halves[1]) > 2
                 || !g_ascii_string_to_unsigned (halves[1], 10, 0, 32, &number, NULL)))
    return FALSE;

  parts = g_strsplit (halves[0], ".", -1);
  if (g_strv_length (parts) != 4)
    return FALSE;
  for (guint k = 0; k < 4; k++)
    {
      if (parts[k][0] == '\0' || strlen (parts[k]) > 3 || parts[k][0] == '+' || parts[k][0] == '-'
          || !g_ascii_string_to_unsigned (parts[k], 10, 0, 255, &number, NULL))
        return FALSE;
    }

  return TRUE;
}

/* @value as an OCaml literal of @type ("int", "bool", "string", ...), or
 * NULL when it does not fit; *@described names the type for the message.
 */
static char *
literal_for_type (const char  *type,
                  const char  *value,
                  const char **described)
{
  gint64 number;

  if (g_str_equal (type, "int"))
    {
      *described = _("an integer");
      if (!parse_int (value, &number))
        return NULL;
      if (number < 0)
        return g_strdup_printf ("(%" G_GINT64_FORMAT ")", number);
      return g_strdup_printf ("%" G_GINT64_FORMAT, number);
    }
  if (g_str_equal (type, "bool"))
    {
      *described = _("true or false");
      if (!g_str_equal (value, "true") && !g_str_equal (value, "false"))
        return NULL;
      return g_strdup (value);
    }
  if (g_str_equal (type, "string"))
    {
      *described = _("a string");
      if (!g_utf8_validate (value, -1, NULL))
        return NULL;
      return uni_ocaml_string_literal_quote (value);
    }
  if (g_str_equal (type, "ipv4_address"))
    {
      *described = _("an IPv4 address such as 10.0.0.2");
      return parse_ipv4 (value, FALSE) ? uni_ocaml_string_literal_quote (value) : NULL;
    }
  if (g_str_equal (type, "ipv4"))
    {
      *described = _("an IPv4 prefix such as 10.0.0.2/24");
      return parse_ipv4 (value, TRUE) ? uni_ocaml_string_literal_quote (value) : NULL;
    }

  *described = type;
  return NULL;
}

static gboolean
is_ip_type (const char *type)
{
  return g_str_equal (type, "ipv4_address") || g_str_equal (type, "ipv4");
}

static UniTextEdit *
computed_default (UniManifestKeyPrivate  *key,
                  GError                **error)
{
  const char *text = key->pub.default_text;
  gsize length = strlen (text);

  if (length >= 2 && text[0] == '(' && text[length - 1] == ')')
    {
      text++;
      length -= 2;
    }

  g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
               _("The default of “%s” is computed (%.*s): edit it in config.ml"),
               key->pub.name, (int) length, text);
  return NULL;
}

static UniTextEdit *
invalid_value (UniManifestKeyPrivate  *key,
               const char             *value,
               const char             *described,
               GError                **error)
{
  g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
               _("“%s” is not a valid value for “%s”: it expects %s"),
               value, key->pub.name, described);
  return NULL;
}

/* `Ipaddr.V4.of_string_exn "10.0.0.2"` (a module path to an of_string
 * function, then a literal) or a bare literal: the literal's token.
 */
static int
ip_literal (UniManifest *self,
            int          start,
            int          end)
{
  const UniOcamlToken *function;
  int k;

  if (end - start < 1 || !token_is_string (self, end - 1))
    return -1;
  if (end - start == 1)
    return start;

  function = token (self, end - 2);
  if (!token_is (self, end - 2, UNI_OCAML_TOKEN_LIDENT, NULL) || function->length < 9
      || strncmp (self->text + function->offset, "of_string", 9) != 0)
    return -1;
  for (k = end - 3; k > start; k -= 2)
    {
      if (!token_is (self, k, UNI_OCAML_TOKEN_PUNCT, ".")
          || !token_is (self, k - 1, UNI_OCAML_TOKEN_UIDENT, NULL))
        return -1;
    }

  return k == start - 1 ? end - 1 : -1;
}

/* The function an IP element of a `some` or `list` default is written
 * with, `Ipaddr.V4.of_string_exn` from `(Ipaddr.V4.of_string_exn "10.0.0.2")`,
 * so a new element has the type the old one had; NULL for a bare literal.
 */
static char *
ip_wrapper (UniManifest *self,
            int          start,
            int          end)
{
  GString *wrapper;

  strip_parens (self, &start, &end);
  if (ip_literal (self, start, end) < 0 || end - start < 2)
    return NULL;

  wrapper = g_string_new (NULL);
  for (int k = start; k < end - 1; k++)
    g_string_append_len (wrapper, self->text + self->toks[k].offset, self->toks[k].length);

  return g_string_free (wrapper, FALSE);
}

/* The converter wants an Ipaddr value, never a string. */
static const char *
canonical_ip_wrapper (const char *type)
{
  if (g_str_equal (type, "ipv4"))
    return "Ipaddr.V4.Prefix.of_string_exn";

  return "Ipaddr.V4.of_string_exn";
}

/* @value as one element of a `some` or `list` default of @type: an IP
 * literal goes through @wrapper (or the canonical function when it is
 * %NULL), in parentheses when @argument says it is applied to something.
 */
static char *
element_literal (const char  *type,
                 const char  *value,
                 const char  *wrapper,
                 gboolean     argument,
                 const char **described)
{
  g_autofree char *literal = literal_for_type (type, value, described);

  if (literal == NULL || !is_ip_type (type))
    return g_steal_pointer (&literal);

  if (wrapper == NULL)
    wrapper = canonical_ip_wrapper (type);

  return g_strdup_printf (argument ? "(%s %s)" : "%s %s", wrapper, literal);
}

static gboolean
is_int_literal (UniManifest *self,
                int          start,
                int          end)
{
  strip_parens (self, &start, &end);

  return (end - start == 1 && token_is (self, start, UNI_OCAML_TOKEN_INT, NULL))
         || (end - start == 2 && token_is (self, start, UNI_OCAML_TOKEN_OPERATOR, "-")
             && token_is (self, start + 1, UNI_OCAML_TOKEN_INT, NULL));
}

static gboolean
is_simple_literal (UniManifest *self,
                   const char  *type,
                   int          start,
                   int          end)
{
  strip_parens (self, &start, &end);

  if (g_str_equal (type, "int"))
    return is_int_literal (self, start, end);
  if (g_str_equal (type, "bool"))
    return end - start == 1 && (token_is (self, start, UNI_OCAML_TOKEN_KEYWORD, "true")
                                || token_is (self, start, UNI_OCAML_TOKEN_KEYWORD, "false"));
  if (is_ip_type (type))
    return ip_literal (self, start, end) >= 0;

  return end - start == 1 && token_is_string (self, start);
}

/**
 * uni_manifest_edit_set_key_default:
 * @self: a #UniManifest
 * @key: the key's name
 * @value: the new default, as the user typed it: "8080", "true", "10.0.0.2",
 *   any text for a string; for `some T` an empty value means None; for
 *   `list T` a comma-separated list
 * @error: return location for a #GError
 *
 * An IP address or prefix keeps the function the default applies to its
 * string (`Ipaddr.V4.of_string_exn "10.0.0.2"`); inside `Some` or a list
 * with none to copy, the canonical one for the converter is written. A
 * default that is computed, or a list with a computed element, is refused
 * with %UNI_MANIFEST_ERROR_UNSUPPORTED.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_set_key_default (UniManifest  *self,
                                   const char   *key,
                                   const char   *value,
                                   GError      **error)
{
  UniManifestKeyPrivate *k;
  const char *type;
  const char *described = NULL;
  g_autofree char *literal = NULL;
  int start;
  int end;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((k = find_key (self, key, error)) == NULL)
    return NULL;

  if (k->pub.default_text == NULL || k->pub.type == NULL
      || !span_tokens (self, k->pub.default_span, &start, &end))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                   _("The key “%s” has no default to change"), key);
      return NULL;
    }
  type = k->pub.type;

  if (g_str_has_prefix (type, "some "))
    {
      const char *inner = type + 5;
      g_autofree char *wrapper = NULL;
      int s = start;
      int e = end;

      strip_parens (self, &s, &e);
      if (token_is (self, s, UNI_OCAML_TOKEN_UIDENT, "Some")
          && is_simple_literal (self, inner, s + 1, e))
        wrapper = is_ip_type (inner) ? ip_wrapper (self, s + 1, e) : NULL;
      else if (!(e - s == 1 && token_is (self, s, UNI_OCAML_TOKEN_UIDENT, "None")))
        return computed_default (k, error);

      if (value[0] == '\0')
        literal = g_strdup ("None");
      else
        {
          g_autofree char *inner_literal = element_literal (inner, value, wrapper, TRUE,
                                                            &described);

          if (inner_literal == NULL)
            return invalid_value (k, value, described, error);
          literal = g_strdup_printf ("(Some %s)", inner_literal);
        }
      return uni_text_edit_new (k->pub.default_span.offset, k->pub.default_span.length, literal);
    }

  if (g_str_has_prefix (type, "list "))
    {
      const char *inner = type + 5;
      g_autofree char *wrapper = NULL;
      g_autoptr(GArray) ranges = NULL;
      g_auto(GStrv) items = NULL;
      g_autoptr(GString) list = g_string_new ("[");
      int s = start;
      int e = end;

      strip_parens (self, &s, &e);
      if (!token_is (self, s, UNI_OCAML_TOKEN_PUNCT, "[") || self->partner[s] != e - 1)
        return computed_default (k, error);

      /* Rewriting the list would drop an element computed in config.ml. */
      ranges = _uni_manifest_list_ranges (self, s);
      for (guint n = 0; n < ranges->len; n++)
        {
          guint *range = &g_array_index (ranges, guint, 2 * n);

          if (!is_simple_literal (self, inner, range[0], range[1]))
            return computed_default (k, error);
        }
      if (ranges->len > 0 && is_ip_type (inner))
        wrapper = ip_wrapper (self, g_array_index (ranges, guint, 0),
                              g_array_index (ranges, guint, 1));

      items = value[0] != '\0' ? g_strsplit (value, ",", -1) : g_new0 (char *, 1);
      for (guint n = 0; items[n] != NULL; n++)
        {
          g_autofree char *item_literal = NULL;

          g_strstrip (items[n]);
          item_literal = element_literal (inner, items[n], wrapper, FALSE, &described);
          if (item_literal == NULL)
            return invalid_value (k, value, described, error);
          if (n > 0)
            g_string_append (list, "; ");
          g_string_append (list, item_literal);
        }
      g_string_append_c (list, ']');
      return uni_text_edit_new (k->pub.default_span.offset, k->pub.default_span.length, list->str);
    }

  if (!is_simple_literal (self, type, start, end))
    {
      /* A converter we do not know, over a plain string literal, keeps its form. */
      if (!g_str_equal (type, "int") && !g_str_equal (type, "bool") && !is_ip_type (type)
          && !g_str_equal (type, "string"))
        {
          int s = start;
          int e = end;

          strip_parens (self, &s, &e);
          if (e - s == 1 && token_is_string (self, s))
            {
              literal = uni_ocaml_string_literal_quote (value);
              return uni_text_edit_new (self->toks[s].offset, self->toks[s].length, literal);
            }
        }
      return computed_default (k, error);
    }

  literal = literal_for_type (type, value, &described);
  if (literal == NULL)
    return invalid_value (k, value, described, error);

  if (is_ip_type (type))
    {
      int s = start;
      int e = end;
      int lit;

      strip_parens (self, &s, &e);
      lit = ip_literal (self, s, e);
      return uni_text_edit_new (self->toks[lit].offset, self->toks[lit].length, literal);
    }

  return uni_text_edit_new (k->pub.default_span.offset, k->pub.default_span.length, literal);
}

/**
 * uni_manifest_edit_set_key_doc:
 * @self: a #UniManifest
 * @key: the key's name
 * @doc: the new documentation
 * @error: return location for a #GError
 *
 * Replaces the `~doc` string of the key's `info`, or adds one.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_set_key_doc (UniManifest  *self,
                               const char   *key,
                               const char   *doc,
                               GError      **error)
{
  UniManifestKeyPrivate *k;
  g_autofree char *literal = NULL;
  g_autofree char *inserted = NULL;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  g_return_val_if_fail (doc != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if ((k = find_key (self, key, error)) == NULL)
    return NULL;

  if (!g_utf8_validate (doc, -1, NULL))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("The documentation of “%s” must be UTF-8 text"), key);
      return NULL;
    }

  literal = uni_ocaml_string_literal_quote (doc);
  if (k->pub.doc_span.length > 0)
    return uni_text_edit_new (k->pub.doc_span.offset, k->pub.doc_span.length, literal);

  if (!k->has_info || k->has_doc_label)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                   _("The documentation of “%s” is not plain text in config.ml: edit it there"), key);
      return NULL;
    }

  inserted = g_strdup_printf ("~doc:%s ", literal);
  return uni_text_edit_new (k->info_insert_offset, 0, inserted);
}

/**
 * uni_manifest_edit_rename:
 * @self: a #UniManifest
 * @name: the unikernel's new name: lowercase letters, digits, `-` and `_`
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_rename (UniManifest  *self,
                          const char   *name,
                          GError      **error)
{
  g_autofree char *literal = NULL;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name[0] == '\0' || strspn (name, "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen (name))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("“%s” is not a unikernel name: use lowercase letters, digits, - and _"), name);
      return NULL;
    }

  if (self->n_registers == 0)
    {
      g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_NOT_FOUND,
                           _("config.ml has no register call to rename"));
      return NULL;
    }
  if (self->n_registers > 1)
    {
      g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                           _("config.ml has more than one register call: rename it there"));
      return NULL;
    }
  if (self->name == NULL)
    {
      g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                           _("The unikernel’s name is computed in config.ml: rename it there"));
      return NULL;
    }

  literal = uni_ocaml_string_literal_quote (name);
  return uni_text_edit_new (self->name_span.offset, self->name_span.length, literal);
}

static gboolean
is_module_path (const char *entry)
{
  g_auto(GStrv) parts = g_strsplit (entry, ".", -1);

  for (guint k = 0; parts[k] != NULL; k++)
    {
      if (!g_ascii_isupper (parts[k][0]))
        return FALSE;
      for (const char *p = parts[k]; *p; p++)
        if (!g_ascii_isalnum (*p) && *p != '_' && *p != '\'')
          return FALSE;
    }

  return parts[0] != NULL;
}

/**
 * uni_manifest_edit_set_entry:
 * @self: a #UniManifest
 * @entry: the new entry module, "Unikernel.Main" or "Unikernel"
 * @error: return location for a #GError
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_set_entry (UniManifest  *self,
                             const char   *entry,
                             GError      **error)
{
  g_autofree char *literal = NULL;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (entry != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_module_path (entry))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("“%s” is not a module path such as Unikernel.Main"), entry);
      return NULL;
    }
  if (self->entry == NULL)
    {
      g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_NOT_FOUND,
                           _("config.ml has no foreign or main call to change"));
      return NULL;
    }

  literal = uni_ocaml_string_literal_quote (entry);
  return uni_text_edit_new (self->entry_span.offset, self->entry_span.length, literal);
}

static gboolean
era_has_bounds (UniMirageEra era)
{
  return era == UNI_MIRAGE_ERA_3 || era == UNI_MIRAGE_ERA_4_0 || era == UNI_MIRAGE_ERA_4_5;
}

static gboolean
is_package_name (const char *name)
{
  return name[0] != '\0'
         && strspn (name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-+.")
            == strlen (name);
}

static gboolean
is_version (const char *version)
{
  if (version[0] == '\0' || !g_utf8_validate (version, -1, NULL))
    return FALSE;
  for (const char *p = version; *p; p++)
    if ((guchar) *p < 0x20 || g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

/* The start of @offset's line up to its first non-blank: the indentation. */
static char *
indentation_at (UniManifest *self,
                gsize        offset)
{
  gsize line = offset;
  gsize end;

  while (line > 0 && self->text[line - 1] != '\n')
    line--;
  for (end = line; end < offset && (self->text[end] == ' ' || self->text[end] == '\t'); end++)
    ;

  return g_strndup (self->text + line, end - line);
}

static const char *
newline_style (UniManifest *self,
               gsize        offset)
{
  const char *nl = memchr (self->text + offset, '\n', self->length - offset);

  if (nl == NULL)
    nl = strchr (self->text, '\n');

  return nl != NULL && nl > self->text && nl[-1] == '\r' ? "\r\n" : "\n";
}

static gboolean
has_newline (UniManifest *self,
             gsize        from,
             gsize        to)
{
  return to > from && memchr (self->text + from, '\n', to - from) != NULL;
}

/* Appends @element to the list at @list_span in the list's own style. */
static UniTextEdit *
append_to_list (UniManifest *self,
                UniSpan      list_span,
                const char  *element)
{
  g_autoptr(GArray) elements = _uni_manifest_list_elements (self, list_span);
  int open = _uni_manifest_token_at (self, list_span.offset);
  int close = self->partner[open];
  gsize inner_start = token_end (self, open);
  gsize inner_end = self->toks[close].offset;
  const UniSpan *last;
  gsize last_end;
  gboolean trailing_separator;
  gboolean multi_line;
  g_autofree char *replacement = NULL;
  const char *nl;

  if (elements->len == 0)
    {
      replacement = g_strdup_printf (" %s ", element);
      if (has_newline (self, inner_start, inner_end))
        return uni_text_edit_new (inner_start, 0, replacement);
      return uni_text_edit_new (inner_start, inner_end - inner_start, replacement);
    }

  last = &g_array_index (elements, UniSpan, elements->len - 1);
  last_end = last->offset + last->length;
  trailing_separator = token_is (self, close - 1, UNI_OCAML_TOKEN_PUNCT, ";")
                       && self->toks[close - 1].offset >= last_end;
  multi_line = has_newline (self, inner_start, last->offset);
  nl = newline_style (self, list_span.offset);

  if (trailing_separator)
    {
      gsize after = token_end (self, close - 1);

      if (multi_line)
        {
          g_autofree char *indent = indentation_at (self, last->offset);

          replacement = g_strdup_printf ("%s%s%s;", nl, indent, element);
        }
      else
        replacement = g_strdup_printf (" %s;", element);
      return uni_text_edit_new (after, 0, replacement);
    }

  if (multi_line)
    {
      int before_last = _uni_manifest_token_at (self, last->offset) - 1;
      gsize separator = self->toks[before_last].offset;

      /* ocamlformat's style, "[ a\n  ; b ]": the separator leads its line. */
      if (token_is (self, before_last, UNI_OCAML_TOKEN_PUNCT, ";"))
        {
          g_autofree char *indent = indentation_at (self, separator);
          gsize line_start = separator - strlen (indent);

          if (line_start == 0 || self->text[line_start - 1] == '\n')
            {
              replacement = g_strdup_printf ("%s%s; %s", nl, indent, element);
              return uni_text_edit_new (last_end, 0, replacement);
            }
        }

      {
        g_autofree char *indent = indentation_at (self, last->offset);

        replacement = g_strdup_printf (";%s%s%s", nl, indent, element);
      }
      return uni_text_edit_new (last_end, 0, replacement);
    }

  replacement = g_strdup_printf ("; %s", element);
  return uni_text_edit_new (last_end, 0, replacement);
}

static char *
package_call (const char *name,
              const char *min,
              const char *max)
{
  g_autofree char *quoted = uni_ocaml_string_literal_quote (name);
  GString *out = g_string_new ("package");

  if (min != NULL)
    {
      g_autofree char *literal = uni_ocaml_string_literal_quote (min);

      g_string_append_printf (out, " ~min:%s", literal);
    }
  if (max != NULL)
    {
      g_autofree char *literal = uni_ocaml_string_literal_quote (max);

      g_string_append_printf (out, " ~max:%s", literal);
    }
  g_string_append_printf (out, " %s", quoted);

  return g_string_free (out, FALSE);
}

/**
 * uni_manifest_edit_add_package:
 * @self: a #UniManifest
 * @name: the opam package
 * @min: (nullable): the lowest version, mirage 3 and later
 * @max: (nullable): the version it must stay below, mirage 3 and later
 * @error: return location for a #GError
 *
 * Appends to the entry's package list (or the list it names, or the
 * add_to_opam_packages list of a 2.0–2.6 config), or gives the entry a
 * `~packages` list when it has none.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_add_package (UniManifest  *self,
                               const char   *name,
                               const char   *min,
                               const char   *max,
                               GError      **error)
{
  UniManifestListKind kind;
  g_autofree char *element = NULL;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_package_name (name))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("“%s” is not an opam package name"), name);
      return NULL;
    }
  if ((min != NULL && !is_version (min)) || (max != NULL && !is_version (max)))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("“%s” is not a version"), min != NULL && !is_version (min) ? min : max);
      return NULL;
    }
  if (find_package (self, name, TRUE) != NULL)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_EXISTS,
                   _("The package “%s” is already listed"), name);
      return NULL;
    }

  kind = self->packages_list_kind;
  if (kind == UNI_MANIFEST_LIST_NONE)
    kind = era_has_bounds (self->era) ? UNI_MANIFEST_LIST_CALLS : UNI_MANIFEST_LIST_STRINGS;
  if (self->packages_list.length == 0 && self->entry_has_packages_label)
    {
      g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                           _("The package list is computed in config.ml: add the package there"));
      return NULL;
    }
  if (self->packages_list.length == 0)
    {
      if (self->entry == NULL
          || !(era_has_bounds (self->era) || self->era == UNI_MIRAGE_ERA_2_KEYS))
        {
          g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                               _("config.ml has no package list to add to"));
          return NULL;
        }
    }

  if (kind == UNI_MANIFEST_LIST_STRINGS)
    {
      if (min != NULL || max != NULL)
        {
          g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                               _("Package lists before mirage 3 cannot hold version bounds"));
          return NULL;
        }
      element = uni_ocaml_string_literal_quote (name);
    }
  else
    element = package_call (name, min, max);

  if (self->packages_list.length > 0)
    return append_to_list (self, self->packages_list, element);

  {
    g_autofree char *inserted = g_strdup_printf (" ~packages:[ %s ]", element);

    return uni_text_edit_new (self->entry_span.offset + self->entry_span.length, 0, inserted);
  }
}

static gboolean
is_blank (UniManifest *self,
          gsize        from,
          gsize        to)
{
  for (gsize k = from; k < to; k++)
    if (!g_ascii_isspace (self->text[k]))
      return FALSE;

  return TRUE;
}

/* Spaces and tabs from @from, then the line break they end at: the offset
 * after it, or 0 when something else comes first.
 */
static gsize
end_of_blank_line (UniManifest *self,
                   gsize        from)
{
  gsize k = from;

  while (k < self->length && (self->text[k] == ' ' || self->text[k] == '\t'))
    k++;
  if (k + 1 < self->length && self->text[k] == '\r' && self->text[k + 1] == '\n')
    return k + 2;
  if (k < self->length && self->text[k] == '\n')
    return k + 1;

  return 0;
}

/* The text between an element and its separator when a comment sits there:
 * it stays, without the blanks around it.
 */
static char *
kept_comments (UniManifest *self,
               gsize        from,
               gsize        to)
{
  g_autofree char *gap = g_strndup (self->text + from, to - from);

  return g_strdup (g_strstrip (gap));
}

/* Removes @element from the list opened at token @open with one separator
 * next to it, `;` and the blanks between them, as one replacement. Comments
 * are never removed: they may be all that says why a neighbour is there.
 */
static UniTextEdit *
remove_element (UniManifest   *self,
                int            open,
                const UniSpan *element,
                gboolean       alone)
{
  int close = self->partner[open];
  gsize inner_start = token_end (self, open);
  gsize inner_end = self->toks[close].offset;
  gsize start = element->offset;
  gsize end = element->offset + element->length;
  gsize line_start = start;
  int first;
  int after;
  gboolean separator_after;
  gboolean separator_before;

  if (!span_tokens (self, *element, &first, &after))
    return NULL;
  separator_after = after < close && token_is (self, after, UNI_OCAML_TOKEN_PUNCT, ";");
  separator_before = first - 1 > open && token_is (self, first - 1, UNI_OCAML_TOKEN_PUNCT, ";");

  /* The only element, nothing else inside: the list becomes []. */
  if (alone && is_blank (self, inner_start, start)
      && (separator_after
          ? is_blank (self, end, self->toks[after].offset)
            && is_blank (self, token_end (self, after), inner_end)
          : is_blank (self, end, inner_end)))
    return uni_text_edit_new (inner_start, inner_end - inner_start, "");

  while (line_start > 0 && self->text[line_start - 1] != '\n')
    line_start--;

  if (separator_after)
    {
      gsize separator = self->toks[after].offset;
      gsize separator_end = token_end (self, after);
      gsize line_end = end_of_blank_line (self, separator_end);
      gsize next = separator_end;

      if (!is_blank (self, end, separator))
        {
          g_autofree char *kept = kept_comments (self, end, separator);

          return uni_text_edit_new (start, separator_end - start, kept);
        }

      /* "  b;\n" alone on its line: the whole line goes. */
      if (line_end > 0 && is_blank (self, line_start, start))
        return uni_text_edit_new (line_start, line_end - line_start, "");

      while (next < inner_end && g_ascii_isspace (self->text[next]))
        next++;

      /* "a; b;\n  c": keep the line break after b's separator. */
      if (has_newline (self, separator_end, next))
        {
          gsize from = start;
          gsize to = separator_end;

          while (from > line_start && (self->text[from - 1] == ' ' || self->text[from - 1] == '\t'))
            from--;
          while (to < next && (self->text[to] == ' ' || self->text[to] == '\t'))
            to++;
          return uni_text_edit_new (from, to - from, "");
        }

      return uni_text_edit_new (start, next - start, "");
    }

  if (separator_before)
    {
      gsize separator = self->toks[first - 1].offset;
      gsize separator_end = token_end (self, first - 1);
      gsize from = separator;
      g_autofree char *kept = NULL;

      /* The blanks before the separator go too, so "a ; b ]" and ocamlformat's
       * "a\n  ; b ]" both become "a ]".
       */
      while (from > inner_start && g_ascii_isspace (self->text[from - 1]))
        from--;
      if (!is_blank (self, separator_end, start))
        {
          gsize to = start;

          while (to > separator_end && g_ascii_isspace (self->text[to - 1]))
            to--;
          kept = g_strndup (self->text + separator_end, to - separator_end);
        }

      return uni_text_edit_new (from, end - from, kept != NULL ? kept : "");
    }

  /* The only element, next to comments: it goes with the blanks before it. */
  while (start > inner_start && g_ascii_isspace (self->text[start - 1]))
    start--;

  return uni_text_edit_new (start, end - start, "");
}

/**
 * uni_manifest_edit_remove_package:
 * @self: a #UniManifest
 * @name: a package (or 2.x library) listed in config.ml
 * @error: return location for a #GError
 *
 * Removes the list element naming @name and one separator next to it
 * (`;` and the blanks between them); comments stay.
 *
 * In 2.x a name may be both an ocamlfind library and an opam package
 * (`~libraries:["mirage-logs"] ~packages:["mirage-logs"]`): then the opam
 * package goes, as that is what the form lists as a package, and the
 * library stays. A name listed only as a library removes the library.
 *
 * A name listed in more than one element (two if_impl branches) is
 * refused with %UNI_MANIFEST_ERROR_UNSUPPORTED: one edit cannot remove
 * both, and removing one would leave the package in the build.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_remove_package (UniManifest  *self,
                                  const char   *name,
                                  GError      **error)
{
  UniManifestPackagePrivate *package;
  g_autoptr(GArray) elements = NULL;
  UniTextEdit *edit = NULL;
  int open;
  guint k;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  package = find_package (self, name, TRUE);
  if (package == NULL)
    package = find_package (self, name, FALSE);
  if (package == NULL)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_NOT_FOUND,
                   _("The package “%s” is not listed"), name);
      return NULL;
    }
  if (!listed_once (self, name, package->pub.is_library, error))
    return NULL;
  if (package->pub.list_span.length == 0)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                   _("The package “%s” is not in a plain list: remove it in config.ml"), name);
      return NULL;
    }

  elements = _uni_manifest_list_elements (self, package->pub.list_span);
  for (k = 0; k < elements->len; k++)
    {
      if (g_array_index (elements, UniSpan, k).offset == package->pub.span.offset)
        break;
    }
  open = _uni_manifest_token_at (self, package->pub.list_span.offset);
  if (k < elements->len && open >= 0 && self->partner[open] >= 0)
    edit = remove_element (self, open, &g_array_index (elements, UniSpan, k), elements->len == 1);
  if (edit == NULL)
    g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                 _("The package “%s” is not in a plain list: remove it in config.ml"), name);

  return edit;
}

typedef struct
{
  gsize  offset;
  gsize  length;
  char  *replacement;
} Change;

/* One bound: replace its value, insert it after the name, or drop it
 * with the blanks before it.
 */
static gboolean
bound_change (UniManifest *self,
              UniSpan      label_span,
              UniSpan      value_span,
              const char  *label,
              const char  *bound,
              gsize        insert_at,
              Change      *change)
{
  change->replacement = NULL;

  if (bound != NULL && label_span.length > 0)
    {
      change->offset = value_span.offset;
      change->length = value_span.length;
      change->replacement = uni_ocaml_string_literal_quote (bound);
      return TRUE;
    }
  if (bound != NULL)
    {
      g_autofree char *literal = uni_ocaml_string_literal_quote (bound);

      change->offset = insert_at;
      change->length = 0;
      change->replacement = g_strdup_printf (" ~%s:%s", label, literal);
      return TRUE;
    }
  if (label_span.length > 0)
    {
      gsize from = label_span.offset;

      while (from > 0 && (self->text[from - 1] == ' ' || self->text[from - 1] == '\t'))
        from--;
      change->offset = from;
      change->length = label_span.offset + label_span.length - from;
      change->replacement = g_strdup ("");
      return TRUE;
    }

  return FALSE;
}

/**
 * uni_manifest_edit_constrain_package:
 * @self: a #UniManifest
 * @name: a package listed with `package "name"` (mirage 3 and later)
 * @min: (nullable): the new lowest version, %NULL to drop `~min`
 * @max: (nullable): the new upper bound, %NULL to drop `~max`
 * @error: return location for a #GError
 *
 * A package listed in more than one element is refused with
 * %UNI_MANIFEST_ERROR_UNSUPPORTED.
 *
 * Returns: (transfer full) (nullable): the edit, or %NULL with @error set
 */
UniTextEdit *
uni_manifest_edit_constrain_package (UniManifest  *self,
                                     const char   *name,
                                     const char   *min,
                                     const char   *max,
                                     GError      **error)
{
  UniManifestPackagePrivate *package;
  Change changes[2];
  guint n = 0;
  gsize insert_at;
  g_autoptr(GString) replacement = NULL;
  UniTextEdit *edit;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  package = find_package (self, name, TRUE);
  if (package == NULL)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_NOT_FOUND,
                   _("The package “%s” is not listed"), name);
      return NULL;
    }
  if (!listed_once (self, name, FALSE, error))
    return NULL;
  if (!package->is_call)
    {
      g_set_error_literal (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED,
                           _("Package lists before mirage 3 cannot hold version bounds"));
      return NULL;
    }
  if ((min != NULL && !is_version (min)) || (max != NULL && !is_version (max)))
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("“%s” is not a version"), min != NULL && !is_version (min) ? min : max);
      return NULL;
    }

  insert_at = package->name_span.offset + package->name_span.length;
  if (bound_change (self, package->min_span, package->min_value_span, "min", min, insert_at,
                    &changes[n]))
    n++;
  if (bound_change (self, package->max_span, package->max_value_span, "max", max,
                    package->min_span.length > 0 && min != NULL
                    ? package->min_span.offset + package->min_span.length : insert_at,
                    &changes[n]))
    n++;

  if (n == 0)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_NOT_FOUND,
                   _("The package “%s” has no version bounds to remove"), name);
      return NULL;
    }

  /* Two changes become one edit over the text between them. */
  if (n == 2 && (changes[1].offset < changes[0].offset
                 || (changes[1].offset == changes[0].offset && changes[0].length > 0)))
    {
      Change swap = changes[0];

      changes[0] = changes[1];
      changes[1] = swap;
    }

  replacement = g_string_new (changes[0].replacement);
  if (n == 2)
    {
      gsize between = changes[0].offset + changes[0].length;

      g_string_append_len (replacement, self->text + between, changes[1].offset - between);
      g_string_append (replacement, changes[1].replacement);
      edit = uni_text_edit_new (changes[0].offset,
                                changes[1].offset + changes[1].length - changes[0].offset,
                                replacement->str);
    }
  else
    edit = uni_text_edit_new (changes[0].offset, changes[0].length, replacement->str);

  for (guint k = 0; k < n; k++)
    g_free (changes[k].replacement);

  return edit;
}
