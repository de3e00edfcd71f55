/* uni-manifest-json.c — the manifest model as JSON, optionally with what
 * unikernel.ml says about each runtime argument
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest"

#include "config.h"

#include <math.h>
#include <string.h>

#include "uni-manifest-private.h"
#include "uni-runtime-args.h"

/* JSON: a small pretty-printing writer (json-glib is not a dependency). */

typedef struct
{
  GString  *out;
  guint     depth;
  gboolean  first;
  gboolean  after_key;
} JsonWriter;

/* The tokens of an OCaml expression (neither whitespace nor comments) and
 * each bracket's partner: a manifest's own, or a default lexed on its own.
 */
typedef struct
{
  const char          *text;
  const UniOcamlToken *toks;
  guint                n_toks;
  const int           *partner;
} Literal;

static void
json_indent (JsonWriter *w)
{
  g_string_append_c (w->out, '\n');
  for (guint k = 0; k < w->depth; k++)
    g_string_append (w->out, "  ");
}

/* Before a value or a key: the comma and the new line. */
static void
json_element (JsonWriter *w)
{
  if (w->after_key)
    {
      w->after_key = FALSE;
      return;
    }
  if (w->depth == 0)
    return;
  if (!w->first)
    g_string_append_c (w->out, ',');
  w->first = FALSE;
  json_indent (w);
}

static void
json_escape (GString    *out,
             const char *value,
             gssize      length)
{
  const char *end = length < 0 ? value + strlen (value) : value + length;

  g_string_append_c (out, '"');
  for (const char *p = value; p < end; p++)
    {
      guchar c = *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static void
json_begin (JsonWriter *w,
            char        bracket)
{
  json_element (w);
  g_string_append_c (w->out, bracket);
  w->depth++;
  w->first = TRUE;
}

static void
json_end (JsonWriter *w,
          char        bracket)
{
  w->depth--;
  if (!w->first)
    json_indent (w);
  g_string_append_c (w->out, bracket);
  w->first = FALSE;
}

static void
json_key (JsonWriter *w,
          const char *key)
{
  json_element (w);
  json_escape (w->out, key, -1);
  g_string_append (w->out, ": ");
  w->after_key = TRUE;
}

static void
json_string (JsonWriter *w,
             const char *value)
{
  json_element (w);
  if (value == NULL)
    g_string_append (w->out, "null");
  else if (g_utf8_validate (value, -1, NULL))
    json_escape (w->out, value, -1);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (value, -1);

      json_escape (w->out, valid, -1);
    }
}

static void
json_raw (JsonWriter *w,
          const char *value)
{
  json_element (w);
  g_string_append (w->out, value);
}

static void
json_bool (JsonWriter *w,
           gboolean    value)
{
  json_raw (w, value ? "true" : "false");
}

static void
json_span (JsonWriter *w,
           UniSpan     span,
           gboolean    present)
{
  if (!present)
    {
      json_raw (w, "null");
      return;
    }

  json_element (w);
  g_string_append_printf (w->out, "[%" G_GSIZE_FORMAT ", %" G_GSIZE_FORMAT "]",
                          span.offset, span.length);
}

static void
json_strv (JsonWriter         *w,
           const char * const *values)
{
  if (values == NULL)
    {
      json_raw (w, "null");
      return;
    }

  json_begin (w, '[');
  for (guint k = 0; values[k] != NULL; k++)
    json_string (w, values[k]);
  json_end (w, ']');
}

static gboolean
lit_is (const Literal     *lit,
        guint              i,
        UniOcamlTokenKind  kind,
        const char        *spelling)
{
  if (i >= lit->n_toks || lit->toks[i].kind != kind)
    return FALSE;

  return spelling == NULL || uni_ocaml_token_equal (&lit->toks[i], lit->text, spelling);
}

static gboolean
lit_is_string (const Literal *lit,
               guint          i)
{
  return lit_is (lit, i, UNI_OCAML_TOKEN_STRING, NULL)
         || lit_is (lit, i, UNI_OCAML_TOKEN_QUOTED_STRING, NULL);
}

/* Lexes @text on its own; @toks and @partner hold what @lit points to. */
static void
literal_lex (Literal     *lit,
             const char  *text,
             GArray     **toks,
             int        **partner)
{
  g_autoptr(GArray) all = uni_ocaml_lex (text, strlen (text));
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  *toks = g_array_new (FALSE, FALSE, sizeof (UniOcamlToken));
  for (guint i = 0; i < all->len; i++)
    {
      const UniOcamlToken *t = &g_array_index (all, UniOcamlToken, i);

      if (t->kind != UNI_OCAML_TOKEN_WHITESPACE && t->kind != UNI_OCAML_TOKEN_COMMENT)
        g_array_append_val (*toks, *t);
    }

  *partner = g_new (int, MAX ((*toks)->len, 1));
  lit->text = text;
  lit->toks = &g_array_index (*toks, UniOcamlToken, 0);
  lit->n_toks = (*toks)->len;
  lit->partner = *partner;
  for (guint i = 0; i < lit->n_toks; i++)
    {
      (*partner)[i] = -1;
      if (lit_is (lit, i, UNI_OCAML_TOKEN_PUNCT, "(") || lit_is (lit, i, UNI_OCAML_TOKEN_PUNCT, "["))
        g_array_append_val (stack, i);
      else if (stack->len > 0
               && (lit_is (lit, i, UNI_OCAML_TOKEN_PUNCT, ")")
                   || lit_is (lit, i, UNI_OCAML_TOKEN_PUNCT, "]")))
        {
          guint open = g_array_index (stack, guint, stack->len - 1);
          gboolean paren = lit_is (lit, open, UNI_OCAML_TOKEN_PUNCT, "(");

          if (paren != lit_is (lit, i, UNI_OCAML_TOKEN_PUNCT, ")"))
            continue;
          (*partner)[open] = i;
          (*partner)[i] = open;
          g_array_set_size (stack, stack->len - 1);
        }
    }
}

/* Strips parentheses around the whole range and local opens `M.( ... )`. */
static void
literal_unwrap (const Literal *lit,
                guint         *start,
                guint         *end)
{
  for (;;)
    {
      guint s = *start;

      if (s >= *end)
        return;

      while (lit_is (lit, s, UNI_OCAML_TOKEN_UIDENT, NULL)
             && lit_is (lit, s + 1, UNI_OCAML_TOKEN_PUNCT, "."))
        s += 2;
      if (lit_is (lit, s, UNI_OCAML_TOKEN_PUNCT, "(") && lit->partner[s] == (int) *end - 1)
        {
          *start = s + 1;
          *end = *end - 1;
          continue;
        }

      return;
    }
}

/* The number an OCaml integer literal (with `_`, 0x/0o/0b, suffixes) stands for. */
static gboolean
parse_ocaml_int (const char *text,
                 gsize       length,
                 gboolean    negative,
                 gint64     *value)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  guint base = 10;
  gsize p = 0;
  guint64 magnitude = 0;

  if (length >= 2 && text[0] == '0' && strchr ("xXoObB", text[1]) != NULL)
    {
      base = g_ascii_tolower (text[1]) == 'x' ? 16 : g_ascii_tolower (text[1]) == 'o' ? 8 : 2;
      p = 2;
    }
  for (; p < length; p++)
    {
      if (text[p] == '_')
        continue;
      if (text[p] == 'l' || text[p] == 'L' || text[p] == 'n')
        break;
      g_string_append_c (digits, text[p]);
    }
  if (digits->len == 0
      || !g_ascii_string_to_unsigned (digits->str, base, 0, G_MAXINT64, &magnitude, NULL))
    return FALSE;

  *value = negative ? -(gint64) magnitude : (gint64) magnitude;

  return TRUE;
}

/* Writes the literal in [start, end) as a JSON value; FALSE when it is
 * not one (@w is then a scratch writer whose text is thrown away).
 */
static gboolean
json_literal (JsonWriter    *w,
              const Literal *lit,
              guint          start,
              guint          end)
{
  literal_unwrap (lit, &start, &end);
  if (end <= start)
    return FALSE;

  if (end == start + 1)
    {
      const UniOcamlToken *t = &lit->toks[start];

      if (t->kind == UNI_OCAML_TOKEN_INT)
        {
          gint64 value;

          if (!parse_ocaml_int (lit->text + t->offset, t->length, FALSE, &value))
            return FALSE;
          json_element (w);
          g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
          return TRUE;
        }
      if (t->kind == UNI_OCAML_TOKEN_FLOAT)
        {
          g_autofree char *text = g_strndup (lit->text + t->offset, t->length);
          char buffer[G_ASCII_DTOSTR_BUF_SIZE];
          char *stripped = text;
          gdouble value;

          for (char *q = text; *q; q++)
            if (*q != '_')
              *stripped++ = *q;
          *stripped = '\0';
          value = g_ascii_strtod (text, NULL);
          if (!isfinite (value))
            return FALSE;
          json_raw (w, g_ascii_dtostr (buffer, sizeof buffer, value));
          return TRUE;
        }
      if (lit_is (lit, start, UNI_OCAML_TOKEN_KEYWORD, "true")
          || lit_is (lit, start, UNI_OCAML_TOKEN_KEYWORD, "false"))
        {
          json_bool (w, lit->text[t->offset] == 't');
          return TRUE;
        }
      if (lit_is_string (lit, start))
        {
          g_autofree char *value = uni_ocaml_string_literal_value (lit->text, t);

          if (value == NULL)
            return FALSE;
          json_string (w, value);
          return TRUE;
        }
      if (lit_is (lit, start, UNI_OCAML_TOKEN_UIDENT, "None"))
        {
          json_raw (w, "null");
          return TRUE;
        }
      return FALSE;
    }

  if (end == start + 2 && lit_is (lit, start, UNI_OCAML_TOKEN_OPERATOR, "-")
      && lit_is (lit, start + 1, UNI_OCAML_TOKEN_INT, NULL))
    {
      const UniOcamlToken *t = &lit->toks[start + 1];
      gint64 value;

      if (!parse_ocaml_int (lit->text + t->offset, t->length, TRUE, &value))
        return FALSE;
      json_element (w);
      g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
      return TRUE;
    }

  if (lit_is (lit, start, UNI_OCAML_TOKEN_UIDENT, "Some"))
    return json_literal (w, lit, start + 1, end);

  if (lit_is (lit, start, UNI_OCAML_TOKEN_PUNCT, "[") && lit->partner[start] == (int) end - 1)
    {
      guint element = start + 1;

      json_begin (w, '[');
      for (guint i = start + 1; i < end; i++)
        {
          if (lit->partner[i] > (int) i)
            {
              i = lit->partner[i];
              continue;
            }
          if (i != end - 1 && !lit_is (lit, i, UNI_OCAML_TOKEN_PUNCT, ";"))
            continue;
          if (i > element && !json_literal (w, lit, element, i))
            return FALSE;
          element = i + 1;
        }
      json_end (w, ']');
      return TRUE;
    }

  /* Ipaddr.V4.of_string_exn "10.0.0.2", Ipaddr.V4.Prefix.of_string_exn "10.0.0.2/24" */
  if (end >= start + 2 && lit_is_string (lit, end - 1)
      && lit_is (lit, end - 2, UNI_OCAML_TOKEN_LIDENT, NULL))
    {
      const UniOcamlToken *t = &lit->toks[end - 2];
      g_autofree char *function = g_strndup (lit->text + t->offset, t->length);
      g_autofree char *value = NULL;
      guint path = end - 2;

      while (path >= start + 2 && lit_is (lit, path - 1, UNI_OCAML_TOKEN_PUNCT, ".")
             && lit_is (lit, path - 2, UNI_OCAML_TOKEN_UIDENT, NULL))
        path -= 2;
      if (path != start)
        return FALSE;
      if (!g_str_has_prefix (function, "of_string")
          && !g_str_has_prefix (function, "of_address_string"))
        return FALSE;
      value = uni_ocaml_string_literal_value (lit->text, &lit->toks[end - 1]);
      if (value == NULL)
        return FALSE;
      json_string (w, value);
      return TRUE;
    }

  return FALSE;
}

/* Writes the default in [start, end) of @lit as the JSON value it stands
 * for when it is a literal, else @as_written as a string.
 */
static void
json_default (JsonWriter    *w,
              const Literal *lit,
              guint          start,
              guint          end,
              const char    *as_written)
{
  JsonWriter scratch = { NULL, w->depth, w->first, w->after_key };

  scratch.out = g_string_new (NULL);
  if (json_literal (&scratch, lit, start, end))
    {
      g_string_append_len (w->out, scratch.out->str, scratch.out->len);
      w->first = scratch.first;
      w->after_key = scratch.after_key;
    }
  else
    json_string (w, as_written);
  g_string_free (scratch.out, TRUE);
}

/* A key's default is read from the manifest's own tokens, found back from
 * its span.
 */
static void
json_key_default (JsonWriter           *w,
                  UniManifest          *self,
                  const UniManifestKey *key)
{
  Literal lit = { self->text, self->toks, self->n_toks, self->partner };
  guint start;
  guint end;

  if (key->default_text == NULL)
    {
      json_raw (w, "null");
      return;
    }

  start = MAX (_uni_manifest_token_at (self, key->default_span.offset), 0);
  for (end = start; end < self->n_toks
       && self->toks[end].offset < key->default_span.offset + key->default_span.length; end++)
    ;

  json_default (w, &lit, start, end, key->default_text);
}

/* A unikernel.ml default is lexed on its own: its text may be what a name
 * in the binding is bound to elsewhere in the file.
 */
static void
json_decl_default (JsonWriter *w,
                   const char *default_text)
{
  g_autoptr(GArray) toks = NULL;
  g_autofree int *partner = NULL;
  Literal lit;

  if (default_text == NULL)
    {
      json_raw (w, "null");
      return;
    }

  literal_lex (&lit, default_text, &toks, &partner);
  json_default (w, &lit, 0, lit.n_toks, default_text);
}

/**
 * uni_runtime_arg_decl_default_to_json:
 * @decl: a declaration
 *
 * Returns: (transfer full): the default as a JSON value of its type
 *   (8080, "localhost", null for `None` or no default), or the OCaml
 *   text as a JSON string when it is not a literal
 */
char *
uni_runtime_arg_decl_default_to_json (const UniRuntimeArgDecl *decl)
{
  JsonWriter w = { NULL, 0, TRUE, FALSE };

  g_return_val_if_fail (decl != NULL, NULL);

  w.out = g_string_new (NULL);
  json_decl_default (&w, decl->default_text);

  return g_string_free (w.out, FALSE);
}

static void
json_runtime_arg (JsonWriter              *w,
                  const char              *name,
                  gboolean                 enriched,
                  const UniRuntimeArgDecl *decl)
{
  json_begin (w, '{');
  json_key (w, "name");
  json_string (w, name);
  if (enriched)
    {
      json_key (w, "flags");
      json_strv (w, decl != NULL ? (const char * const *) decl->flags : NULL);
      json_key (w, "type");
      json_string (w, decl != NULL ? decl->type : NULL);
      json_key (w, "default");
      json_decl_default (w, decl != NULL ? decl->default_text : NULL);
      json_key (w, "doc");
      json_string (w, decl != NULL ? decl->doc : NULL);
    }
  json_end (w, '}');
}

/* With @enriched, each argument also gets what its declaration in @decls
 * says (null when it is not there), and the arguments @decls registers
 * that config.ml does not name follow.
 */
static void
json_runtime_args (JsonWriter  *w,
                   UniManifest *self,
                   gboolean     enriched,
                   GPtrArray   *decls)
{
  g_autoptr(GPtrArray) taken = uni_runtime_args_dup_taken (self, decls);

  json_begin (w, '[');
  for (guint k = 0; k < taken->len; k++)
    {
      const UniRuntimeArgTaken *arg = g_ptr_array_index (taken, k);

      json_runtime_arg (w, arg->name, enriched, arg->decl);
    }
  json_end (w, ']');
}

static char *
manifest_to_json (UniManifest          *self,
                  UniManifestJsonFlags  flags,
                  gboolean              enriched,
                  GPtrArray            *decls)
{
  JsonWriter w = { NULL, 0, TRUE, FALSE };
  guint line = 1;
  gsize line_offset = 0;

  g_assert (enriched || decls == NULL);

  w.out = g_string_sized_new (1024);
  json_begin (&w, '{');

  json_key (&w, "name");
  json_string (&w, self->name);
  json_key (&w, "entry");
  json_string (&w, self->entry);
  json_key (&w, "era");
  json_string (&w, uni_mirage_era_to_string (self->era));
  json_key (&w, "version_pin");
  json_string (&w, self->version_pin);
  json_key (&w, "signature");
  json_string (&w, self->signature);
  json_key (&w, "devices");
  json_strv (&w, (const char * const *) self->devices);
  json_key (&w, "network");
  json_bool (&w, self->uses_network);
  json_key (&w, "static_store");
  json_string (&w, self->static_store);

  json_key (&w, "packages");
  json_begin (&w, '[');
  for (guint k = 0; k < self->packages->len; k++)
    {
      const UniManifestPackage *package = g_ptr_array_index (self->packages, k);

      json_begin (&w, '{');
      json_key (&w, "name");
      json_string (&w, package->name);
      json_key (&w, "min");
      json_string (&w, package->min);
      json_key (&w, "max");
      json_string (&w, package->max);
      json_key (&w, "sublibs");
      json_strv (&w, (const char * const *) package->sublibs);
      json_key (&w, "library");
      json_bool (&w, package->is_library);
      json_end (&w, '}');
    }
  json_end (&w, ']');

  json_key (&w, "keys");
  json_begin (&w, '[');
  for (guint k = 0; k < self->keys->len; k++)
    {
      const UniManifestKey *key = g_ptr_array_index (self->keys, k);

      json_begin (&w, '{');
      json_key (&w, "name");
      json_string (&w, key->name);
      json_key (&w, "flags");
      json_strv (&w, (const char * const *) key->flags);
      json_key (&w, "kind");
      json_string (&w, key->kind);
      json_key (&w, "type");
      json_string (&w, key->type);
      json_key (&w, "default");
      json_key_default (&w, self, key);
      json_key (&w, "doc");
      json_string (&w, key->doc);
      json_key (&w, "docv");
      json_string (&w, key->docv);
      json_key (&w, "env");
      json_string (&w, key->env);
      json_key (&w, "stage");
      json_string (&w, key->stage);
      json_key (&w, "attached");
      json_bool (&w, key->attached);
      json_end (&w, '}');
    }
  json_end (&w, ']');

  json_key (&w, "runtime_args");
  json_runtime_args (&w, self, enriched, decls);

  json_key (&w, "env_knobs");
  json_begin (&w, '[');
  for (guint k = 0; k < self->env_knobs->len; k++)
    {
      const UniManifestEnvKnob *knob = g_ptr_array_index (self->env_knobs, k);

      json_begin (&w, '{');
      json_key (&w, "name");
      json_string (&w, knob->name);
      json_key (&w, "default");
      json_string (&w, knob->default_value);
      json_end (&w, '}');
    }
  json_end (&w, ']');

  json_key (&w, "problems");
  json_begin (&w, '[');
  for (guint k = 0; k < self->problems->len; k++)
    {
      const UniManifestProblem *problem = g_ptr_array_index (self->problems, k);
      char number[32];

      /* Problems are sorted by offset: count lines once. */
      for (; line_offset < MIN (problem->span.offset, self->length); line_offset++)
        if (self->text[line_offset] == '\n')
          line++;

      json_begin (&w, '{');
      json_key (&w, "message");
      json_string (&w, problem->message);
      json_key (&w, "line");
      g_snprintf (number, sizeof number, "%u", line);
      json_raw (&w, number);
      json_end (&w, '}');
    }
  json_end (&w, ']');

  if (flags & UNI_MANIFEST_JSON_SPANS)
    {
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      json_key (&w, "spans");
      json_begin (&w, '{');
      json_key (&w, "name");
      json_span (&w, self->name_span, self->name != NULL);
      json_key (&w, "entry");
      json_span (&w, self->entry_span, self->entry != NULL);
      json_key (&w, "version_pin");
      json_span (&w, self->version_pin_span, self->version_pin != NULL);

      json_key (&w, "keys");
      json_begin (&w, '{');
      for (guint k = 0; k < self->keys->len; k++)
        {
          const UniManifestKey *key = g_ptr_array_index (self->keys, k);

          if (!g_hash_table_add (seen, key->name))
            continue;
          json_key (&w, key->name);
          json_begin (&w, '{');
          json_key (&w, "expr");
          json_span (&w, key->span, TRUE);
          json_key (&w, "default");
          json_span (&w, key->default_span, key->default_text != NULL);
          json_key (&w, "doc");
          json_span (&w, key->doc_span, key->doc != NULL);
          json_end (&w, '}');
        }
      json_end (&w, '}');

      g_hash_table_remove_all (seen);
      json_key (&w, "packages");
      json_begin (&w, '{');
      for (guint k = 0; k < self->packages->len; k++)
        {
          const UniManifestPackage *package = g_ptr_array_index (self->packages, k);

          if (!g_hash_table_add (seen, package->name))
            continue;
          json_key (&w, package->name);
          json_span (&w, package->span, TRUE);
        }
      json_end (&w, '}');
      json_end (&w, '}');
    }

  json_end (&w, '}');
  g_string_append_c (w.out, '\n');

  return g_string_free (w.out, FALSE);
}

/**
 * uni_manifest_to_json:
 * @self: a #UniManifest
 * @flags: #UniManifestJsonFlags
 *
 * Describes the manifest as JSON, the same way for the same text: the
 * format `unistudio-cli manifest` prints and the test corpus compares.
 *
 * Returns: (transfer full): the JSON text, pretty-printed, ending in a newline
 */
char *
uni_manifest_to_json (UniManifest          *self,
                      UniManifestJsonFlags  flags)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  return manifest_to_json (self, flags, FALSE, NULL);
}

/**
 * uni_manifest_to_json_with_runtime_args:
 * @self: a #UniManifest
 * @flags: #UniManifestJsonFlags
 * @decls: (nullable) (element-type UniRuntimeArgDecl): uni_runtime_args_read()
 *   on the file of the module uni_runtime_args_dup_module() names
 *
 * The JSON of uni_manifest_to_json() where each runtime argument also has
 * "flags", "type", "default" and "doc" from its declaration in @decls (null
 * when it is not there), followed by the arguments @decls registers with
 * `Mirage_runtime.register_arg` that config.ml does not name.
 *
 * Returns: (transfer full): the JSON text, pretty-printed, ending in a newline
 */
char *
uni_manifest_to_json_with_runtime_args (UniManifest          *self,
                                        UniManifestJsonFlags  flags,
                                        GPtrArray            *decls)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  return manifest_to_json (self, flags, TRUE, decls);
}
