/* uni-manifest-json.c — the manifest model as JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest"

#include "config.h"

#include <math.h>
#include <string.h>

#include "uni-manifest-private.h"

/* JSON: a small pretty-printing writer (json-glib is not a dependency). */

typedef struct
{
  GString  *out;
  guint     depth;
  gboolean  first;
  gboolean  after_key;
} JsonWriter;

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

/* Writes the literal in [start, end) as a JSON value; FALSE (and nothing
 * written that matters: @w is a scratch writer) when it is not a literal.
 */
static gboolean
json_literal (JsonWriter  *w,
              UniManifest *self,
              guint        start,
              guint        end)
{
  _uni_manifest_unwrap (self, &start, &end);
  if (end <= start)
    return FALSE;

  if (end == start + 1)
    {
      const UniOcamlToken *t = tok (self, start);

      if (t->kind == UNI_OCAML_TOKEN_INT)
        {
          gint64 value;

          if (!parse_ocaml_int (self->text + t->offset, t->length, FALSE, &value))
            return FALSE;
          json_element (w);
          g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
          return TRUE;
        }
      if (t->kind == UNI_OCAML_TOKEN_FLOAT)
        {
          g_autofree char *text = tok_dup (self, start);
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
      if (tok_is (self, start, UNI_OCAML_TOKEN_KEYWORD, "true")
          || tok_is (self, start, UNI_OCAML_TOKEN_KEYWORD, "false"))
        {
          json_bool (w, self->text[t->offset] == 't');
          return TRUE;
        }
      if (tok_is_string (self, start))
        {
          g_autofree char *value = tok_string_value (self, start);

          if (value == NULL)
            return FALSE;
          json_string (w, value);
          return TRUE;
        }
      if (tok_is (self, start, UNI_OCAML_TOKEN_UIDENT, "None"))
        {
          json_raw (w, "null");
          return TRUE;
        }
      return FALSE;
    }

  if (end == start + 2 && tok_is (self, start, UNI_OCAML_TOKEN_OPERATOR, "-")
      && tok_is (self, start + 1, UNI_OCAML_TOKEN_INT, NULL))
    {
      const UniOcamlToken *t = tok (self, start + 1);
      gint64 value;

      if (!parse_ocaml_int (self->text + t->offset, t->length, TRUE, &value))
        return FALSE;
      json_element (w);
      g_string_append_printf (w->out, "%" G_GINT64_FORMAT, value);
      return TRUE;
    }

  if (tok_is (self, start, UNI_OCAML_TOKEN_UIDENT, "Some"))
    return json_literal (w, self, start + 1, end);

  if (tok_punct (self, start, "[") && self->partner[start] == (int) end - 1)
    {
      g_autoptr(GArray) elements = _uni_manifest_list_ranges (self, start);

      json_begin (w, '[');
      for (guint k = 0; k < elements->len; k++)
        {
          guint *range = &g_array_index (elements, guint, 2 * k);

          if (!json_literal (w, self, range[0], range[1]))
            return FALSE;
        }
      json_end (w, ']');
      return TRUE;
    }

  /* Ipaddr.V4.of_string_exn "10.0.0.2", Ipaddr.V4.Prefix.of_string_exn "10.0.0.2/24" */
  if (end >= start + 2 && tok_is_string (self, end - 1)
      && tok_is (self, end - 2, UNI_OCAML_TOKEN_LIDENT, NULL)
      && _uni_manifest_path_start (self, end - 2) == start)
    {
      g_autofree char *function = tok_dup (self, end - 2);
      g_autofree char *value = NULL;

      if (!g_str_has_prefix (function, "of_string")
          && !g_str_has_prefix (function, "of_address_string"))
        return FALSE;
      value = tok_string_value (self, end - 1);
      if (value == NULL)
        return FALSE;
      json_string (w, value);
      return TRUE;
    }

  return FALSE;
}

static void
json_default (JsonWriter            *w,
              UniManifest           *self,
              const UniManifestKey  *key)
{
  JsonWriter scratch = { NULL, w->depth, w->first, w->after_key };
  guint start;
  guint end;

  if (key->default_text == NULL)
    {
      json_raw (w, "null");
      return;
    }

  /* The default's tokens, found back from its span. */
  start = MAX (_uni_manifest_token_at (self, key->default_span.offset), 0);
  for (end = start; end < self->n_toks
       && self->toks[end].offset < key->default_span.offset + key->default_span.length; end++)
    ;

  scratch.out = g_string_new (NULL);
  if (json_literal (&scratch, self, start, end))
    {
      g_string_append_len (w->out, scratch.out->str, scratch.out->len);
      w->first = scratch.first;
      w->after_key = scratch.after_key;
    }
  else
    json_string (w, key->default_text);
  g_string_free (scratch.out, TRUE);
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
  JsonWriter w = { NULL, 0, TRUE, FALSE };
  guint line = 1;
  gsize line_offset = 0;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

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
      json_default (&w, self, key);
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
  json_begin (&w, '[');
  for (guint k = 0; k < self->runtime_args->len; k++)
    {
      const UniManifestRuntimeArg *arg = g_ptr_array_index (self->runtime_args, k);

      json_begin (&w, '{');
      json_key (&w, "name");
      json_string (&w, arg->name);
      json_end (&w, '}');
    }
  json_end (&w, ']');

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
