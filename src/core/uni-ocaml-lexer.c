/* uni-ocaml-lexer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-ocaml-lexer"

#include "config.h"

#include <string.h>

#include "uni-ocaml-lexer.h"

/* Every scanner below only moves forward and looks a bounded distance ahead
 * (a quoted string's delimiter cannot contain '|', so a failed delimiter
 * match never runs past the next '|'): lexing is linear in the input.
 */

static const char * const keywords[] = {
  "and", "as", "assert", "asr", "begin", "class", "constraint", "do", "done",
  "downto", "else", "end", "exception", "external", "false", "for", "fun",
  "function", "functor", "if", "in", "include", "inherit", "initializer",
  "land", "lazy", "let", "lor", "lsl", "lsr", "lxor", "match", "method", "mod",
  "module", "mutable", "new", "nonrec", "object", "of", "open", "or",
  "private", "rec", "sig", "struct", "then", "to", "true", "try", "type",
  "val", "virtual", "when", "while", "with",
};

static inline gboolean
is_lower_start (guchar c)
{
  return (c >= 'a' && c <= 'z') || c == '_';
}

static inline gboolean
is_upper_start (guchar c)
{
  return c >= 'A' && c <= 'Z';
}

static inline gboolean
is_ident_char (guchar c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '\'';
}

static inline gboolean
is_whitespace (guchar c)
{
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f';
}

static inline gboolean
is_operator_char (guchar c)
{
  return strchr ("!$%&*+-./:<=>?@^|~#", c) != NULL && c != '\0';
}

static inline gboolean
is_delimiter_char (guchar c)
{
  return (c >= 'a' && c <= 'z') || c == '_';
}

static gboolean
is_keyword (const char *s,
            gsize       len)
{
  for (guint i = 0; i < G_N_ELEMENTS (keywords); i++)
    {
      if (strlen (keywords[i]) == len && memcmp (keywords[i], s, len) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The length of a char literal starting at @pos ('\'' there), or 0. */
static gsize
scan_char_literal (const guchar *s,
                   gsize         pos,
                   gsize         len)
{
  gsize p = pos + 1;

  if (p >= len)
    return 0;

  if (s[p] != '\\')
    {
      if (s[p] == '\'' || p + 1 >= len || s[p + 1] != '\'')
        return 0;
      return 3;
    }

  p++;
  if (p >= len)
    return 0;

  if (strchr ("\\\"'ntbr ", s[p]) != NULL)
    p++;
  else if (g_ascii_isdigit (s[p]))
    {
      if (p + 2 >= len || !g_ascii_isdigit (s[p + 1]) || !g_ascii_isdigit (s[p + 2]))
        return 0;
      p += 3;
    }
  else if (s[p] == 'x')
    {
      if (p + 2 >= len || !g_ascii_isxdigit (s[p + 1]) || !g_ascii_isxdigit (s[p + 2]))
        return 0;
      p += 3;
    }
  else if (s[p] == 'o')
    {
      if (p + 3 >= len || s[p + 1] < '0' || s[p + 1] > '3'
          || s[p + 2] < '0' || s[p + 2] > '7' || s[p + 3] < '0' || s[p + 3] > '7')
        return 0;
      p += 4;
    }
  else
    return 0;

  if (p >= len || s[p] != '\'')
    return 0;

  return p + 1 - pos;
}

/* After "{id|" at @pos: the delimiter's length (id only), or -1. */
static gssize
scan_quoted_string_open (const guchar *s,
                         gsize         pos,
                         gsize         len)
{
  gsize p = pos + 1;

  while (p < len && is_delimiter_char (s[p]))
    p++;

  if (p < len && s[p] == '|')
    return p - pos - 1;

  return -1;
}

/* Scans the body of a quoted string whose delimiter is @id; @p is after
 * the opening "|". Returns the end offset; *@terminated tells whether the
 * closing "|id}" was found.
 */
static gsize
scan_quoted_string_body (const guchar *s,
                         gsize         p,
                         gsize         len,
                         const guchar *id,
                         gsize         id_len,
                         gboolean     *terminated)
{
  for (; p < len; p++)
    {
      if (s[p] == '|'
          && p + 1 + id_len < len
          && memcmp (s + p + 1, id, id_len) == 0
          && s[p + 1 + id_len] == '}')
        {
          *terminated = TRUE;
          return p + 2 + id_len;
        }
    }

  *terminated = FALSE;
  return len;
}

/* @p is after the opening quote. */
static gsize
scan_string_body (const guchar *s,
                  gsize         p,
                  gsize         len,
                  gboolean     *terminated)
{
  while (p < len)
    {
      if (s[p] == '\\')
        p += 2;
      else if (s[p] == '"')
        {
          *terminated = TRUE;
          return p + 1;
        }
      else
        p++;
    }

  *terminated = FALSE;
  return len;
}

/* @p is after the opening "(*". */
static gsize
scan_comment_body (const guchar *s,
                   gsize         p,
                   gsize         len,
                   gboolean     *terminated)
{
  guint depth = 1;

  while (p < len)
    {
      guchar c = s[p];

      if (c == '(' && p + 1 < len && s[p + 1] == '*')
        {
          depth++;
          p += 2;
        }
      else if (c == '*' && p + 1 < len && s[p + 1] == ')')
        {
          p += 2;
          if (--depth == 0)
            {
              *terminated = TRUE;
              return p;
            }
        }
      else if (c == '"')
        {
          gboolean string_terminated;

          p = scan_string_body (s, p + 1, len, &string_terminated);
        }
      else if (c == '{')
        {
          gssize id_len = scan_quoted_string_open (s, p, len);

          if (id_len >= 0)
            {
              gboolean string_terminated;

              p = scan_quoted_string_body (s, p + 2 + id_len, len, s + p + 1, id_len,
                                           &string_terminated);
            }
          else
            p++;
        }
      else if (c == '\'')
        {
          gsize n = scan_char_literal (s, p, len);

          p += n > 0 ? n : 1;
        }
      else
        p++;
    }

  *terminated = FALSE;
  return MIN (p, len);
}

static gsize
scan_number (const guchar *s,
             gsize         pos,
             gsize         len,
             gboolean     *is_float)
{
  gsize p = pos;

  *is_float = FALSE;

  if (s[p] == '0' && p + 1 < len && strchr ("xXoObB", s[p + 1]) != NULL && s[p + 1] != '\0')
    {
      guchar base = g_ascii_tolower (s[p + 1]);
      gboolean hex = base == 'x';

      p += 2;
      while (p < len && (s[p] == '_'
                         || (hex && g_ascii_isxdigit (s[p]))
                         || (base == 'o' && s[p] >= '0' && s[p] <= '7')
                         || (base == 'b' && (s[p] == '0' || s[p] == '1'))))
        p++;

      if (hex && p < len && s[p] == '.')
        {
          *is_float = TRUE;
          p++;
          while (p < len && (g_ascii_isxdigit (s[p]) || s[p] == '_'))
            p++;
        }
      if (hex && p < len && (s[p] == 'p' || s[p] == 'P'))
        {
          gsize q = p + 1;

          if (q < len && (s[q] == '+' || s[q] == '-'))
            q++;
          if (q < len && g_ascii_isdigit (s[q]))
            {
              *is_float = TRUE;
              p = q;
              while (p < len && (g_ascii_isdigit (s[p]) || s[p] == '_'))
                p++;
            }
        }
    }
  else
    {
      while (p < len && (g_ascii_isdigit (s[p]) || s[p] == '_'))
        p++;

      if (p < len && s[p] == '.')
        {
          *is_float = TRUE;
          p++;
          while (p < len && (g_ascii_isdigit (s[p]) || s[p] == '_'))
            p++;
        }
      if (p < len && (s[p] == 'e' || s[p] == 'E'))
        {
          gsize q = p + 1;

          if (q < len && (s[q] == '+' || s[q] == '-'))
            q++;
          if (q < len && g_ascii_isdigit (s[q]))
            {
              *is_float = TRUE;
              p = q;
              while (p < len && (g_ascii_isdigit (s[p]) || s[p] == '_'))
                p++;
            }
        }
    }

  if (!*is_float && p < len && (s[p] == 'l' || s[p] == 'L' || s[p] == 'n'))
    p++;

  return p - pos;
}

static inline void
push (GArray            *tokens,
      UniOcamlTokenKind  kind,
      guint              flags,
      gsize              offset,
      gsize              length)
{
  UniOcamlToken token = { kind, flags, offset, length };

  g_assert (length > 0);
  g_array_append_val (tokens, token);
}

/**
 * uni_ocaml_lex:
 * @text: the source, not necessarily nul-terminated nor valid UTF-8
 * @length: its length in bytes
 *
 * Splits @text into tokens, whitespace and comments included.
 *
 * Returns: (transfer full) (element-type UniOcamlToken): the tokens, covering
 *   [0, @length) without gaps
 */
GArray *
uni_ocaml_lex (const char *text,
               gsize       length)
{
  const guchar *s = (const guchar *) text;
  GArray *tokens;
  gsize p = 0;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  tokens = g_array_sized_new (FALSE, FALSE, sizeof (UniOcamlToken), length / 4 + 16);

  while (p < length)
    {
      guchar c = s[p];
      gsize start = p;

      if (p == 0 && length >= 3 && memcmp (s, "\xef\xbb\xbf", 3) == 0)
        {
          /* A byte order mark some Windows editors write: nothing to read. */
          p = 3;
          push (tokens, UNI_OCAML_TOKEN_WHITESPACE, 0, start, 3);
        }
      else if (is_whitespace (c))
        {
          while (p < length && is_whitespace (s[p]))
            p++;
          push (tokens, UNI_OCAML_TOKEN_WHITESPACE, 0, start, p - start);
        }
      else if (c == '(' && p + 1 < length && s[p + 1] == '*')
        {
          gboolean terminated;

          p = scan_comment_body (s, p + 2, length, &terminated);
          push (tokens, UNI_OCAML_TOKEN_COMMENT,
                terminated ? 0 : UNI_OCAML_TOKEN_FLAG_UNTERMINATED, start, p - start);
        }
      else if (c == '"')
        {
          gboolean terminated;

          p = MIN (scan_string_body (s, p + 1, length, &terminated), length);
          push (tokens, UNI_OCAML_TOKEN_STRING,
                terminated ? 0 : UNI_OCAML_TOKEN_FLAG_UNTERMINATED, start, p - start);
        }
      else if (c == '{' && scan_quoted_string_open (s, p, length) >= 0)
        {
          gsize id_len = scan_quoted_string_open (s, p, length);
          gboolean terminated;

          p = scan_quoted_string_body (s, p + 2 + id_len, length, s + p + 1, id_len,
                                       &terminated);
          push (tokens, UNI_OCAML_TOKEN_QUOTED_STRING,
                terminated ? 0 : UNI_OCAML_TOKEN_FLAG_UNTERMINATED, start, p - start);
        }
      else if (c == '\'')
        {
          gsize n = scan_char_literal (s, p, length);

          if (n > 0)
            {
              p += n;
              push (tokens, UNI_OCAML_TOKEN_CHAR, 0, start, n);
            }
          else if (p + 1 < length && (is_lower_start (s[p + 1]) || is_upper_start (s[p + 1])))
            {
              p++;
              while (p < length && is_ident_char (s[p]))
                p++;
              push (tokens, UNI_OCAML_TOKEN_TYPE_VAR, 0, start, p - start);
            }
          else
            {
              p++;
              push (tokens, UNI_OCAML_TOKEN_PUNCT, 0, start, 1);
            }
        }
      else if ((c == '~' || c == '?') && p + 1 < length && is_lower_start (s[p + 1]))
        {
          p++;
          while (p < length && is_ident_char (s[p]))
            p++;
          if (p < length && s[p] == ':' && !(p + 1 < length && s[p + 1] == ':'))
            p++;
          push (tokens, c == '~' ? UNI_OCAML_TOKEN_LABEL : UNI_OCAML_TOKEN_OPTLABEL, 0,
                start, p - start);
        }
      else if (c == '`' && p + 1 < length && (is_lower_start (s[p + 1])
                                              || is_upper_start (s[p + 1])))
        {
          p++;
          while (p < length && is_ident_char (s[p]))
            p++;
          push (tokens, UNI_OCAML_TOKEN_POLY_VARIANT, 0, start, p - start);
        }
      else if (is_lower_start (c) || is_upper_start (c))
        {
          while (p < length && is_ident_char (s[p]))
            p++;
          if (is_upper_start (c))
            push (tokens, UNI_OCAML_TOKEN_UIDENT, 0, start, p - start);
          else if (is_keyword (text + start, p - start))
            push (tokens, UNI_OCAML_TOKEN_KEYWORD, 0, start, p - start);
          else
            push (tokens, UNI_OCAML_TOKEN_LIDENT, 0, start, p - start);
        }
      else if (g_ascii_isdigit (c))
        {
          gboolean is_float;

          p += scan_number (s, p, length, &is_float);
          push (tokens, is_float ? UNI_OCAML_TOKEN_FLOAT : UNI_OCAML_TOKEN_INT, 0,
                start, p - start);
        }
      else if (c == '[' && p + 1 < length && s[p + 1] == '|')
        {
          p += 2;
          push (tokens, UNI_OCAML_TOKEN_PUNCT, 0, start, 2);
        }
      else if (c == ';' && p + 1 < length && s[p + 1] == ';')
        {
          p += 2;
          push (tokens, UNI_OCAML_TOKEN_PUNCT, 0, start, 2);
        }
      else if (c == '|' && p + 1 < length && s[p + 1] == ']')
        {
          p += 2;
          push (tokens, UNI_OCAML_TOKEN_PUNCT, 0, start, 2);
        }
      else if (strchr ("()[]{};,`", c) != NULL && c != '\0')
        {
          p++;
          push (tokens, UNI_OCAML_TOKEN_PUNCT, 0, start, 1);
        }
      else if (is_operator_char (c))
        {
          p++;
          while (p < length && is_operator_char (s[p])
                 && !(s[p] == '|' && p + 1 < length && s[p + 1] == ']'))
            p++;
          if (p - start == 1 && (c == '.' || c == ':'))
            push (tokens, UNI_OCAML_TOKEN_PUNCT, 0, start, 1);
          else
            push (tokens, UNI_OCAML_TOKEN_OPERATOR, 0, start, p - start);
        }
      else
        {
          /* One token for a whole run of bytes we cannot read. */
          p++;
          while (p < length)
            {
              guchar d = s[p];

              if (is_whitespace (d) || d == '"' || d == '\'' || d == '(' || d == '{'
                  || g_ascii_isalnum (d) || d == '_'
                  || (d < 0x80 && d >= 0x20 && d != '\\' && d != 0x7f))
                break;
              p++;
            }
          push (tokens, UNI_OCAML_TOKEN_INVALID, 0, start, p - start);
        }
    }

  return tokens;
}

/**
 * uni_ocaml_token_equal:
 * @token: a token
 * @text: the text it was lexed from
 * @spelling: a nul-terminated string
 *
 * Returns: whether the token's bytes are exactly @spelling
 */
gboolean
uni_ocaml_token_equal (const UniOcamlToken *token,
                       const char          *text,
                       const char          *spelling)
{
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (spelling != NULL, FALSE);

  return strlen (spelling) == token->length
         && memcmp (text + token->offset, spelling, token->length) == 0;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes the body of a "..." literal; FALSE on an escape that is out of
 * range (\256, \u{D800}).
 */
static gboolean
decode_string_body (const guchar *s,
                    gsize         len,
                    GString      *out)
{
  gsize p = 0;

  while (p < len)
    {
      guchar c = s[p];

      if (c != '\\' || p + 1 >= len)
        {
          g_string_append_c (out, c);
          p++;
          continue;
        }

      c = s[p + 1];
      switch (c)
        {
        case '\\': case '"': case '\'': case ' ':
          g_string_append_c (out, c);
          p += 2;
          break;
        case 'n':
          g_string_append_c (out, '\n');
          p += 2;
          break;
        case 't':
          g_string_append_c (out, '\t');
          p += 2;
          break;
        case 'b':
          g_string_append_c (out, '\b');
          p += 2;
          break;
        case 'r':
          g_string_append_c (out, '\r');
          p += 2;
          break;
        case '\r':
        case '\n':
          /* A line continuation: the newline and the next line's indentation vanish. */
          p += 2;
          if (c == '\r' && p < len && s[p] == '\n')
            p++;
          while (p < len && (s[p] == ' ' || s[p] == '\t'))
            p++;
          break;
        case 'x':
          if (p + 3 < len && hex_value (s[p + 2]) >= 0 && hex_value (s[p + 3]) >= 0)
            {
              g_string_append_c (out, (char) (hex_value (s[p + 2]) * 16 + hex_value (s[p + 3])));
              p += 4;
            }
          else
            {
              g_string_append_c (out, '\\');
              p++;
            }
          break;
        case 'o':
          if (p + 4 < len && s[p + 2] >= '0' && s[p + 2] <= '3'
              && s[p + 3] >= '0' && s[p + 3] <= '7' && s[p + 4] >= '0' && s[p + 4] <= '7')
            {
              g_string_append_c (out, (char) ((s[p + 2] - '0') * 64 + (s[p + 3] - '0') * 8
                                              + (s[p + 4] - '0')));
              p += 5;
            }
          else
            {
              g_string_append_c (out, '\\');
              p++;
            }
          break;
        case 'u':
          if (p + 2 < len && s[p + 2] == '{')
            {
              gunichar value = 0;
              gsize q = p + 3;
              guint digits = 0;

              while (q < len && hex_value (s[q]) >= 0 && digits < 7)
                {
                  value = value * 16 + hex_value (s[q]);
                  q++;
                  digits++;
                }
              if (digits == 0 || digits > 6 || q >= len || s[q] != '}'
                  || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF))
                return FALSE;
              g_string_append_unichar (out, value);
              p = q + 1;
            }
          else
            {
              g_string_append_c (out, '\\');
              p++;
            }
          break;
        default:
          if (g_ascii_isdigit (c))
            {
              if (p + 3 < len && g_ascii_isdigit (s[p + 2]) && g_ascii_isdigit (s[p + 3]))
                {
                  int value = (c - '0') * 100 + (s[p + 2] - '0') * 10 + (s[p + 3] - '0');

                  if (value > 255)
                    return FALSE;
                  g_string_append_c (out, (char) value);
                  p += 4;
                  break;
                }
            }
          /* OCaml keeps an unknown escape as written (with a warning). */
          g_string_append_c (out, '\\');
          p++;
          break;
        }
    }

  return TRUE;
}

/**
 * uni_ocaml_string_literal_value:
 * @text: the text the token was lexed from
 * @token: a %UNI_OCAML_TOKEN_STRING or %UNI_OCAML_TOKEN_QUOTED_STRING token
 *
 * Returns: (transfer full) (nullable): the string's value, or %NULL when the
 *   token is not a terminated string literal or its value is not UTF-8
 */
char *
uni_ocaml_string_literal_value (const char          *text,
                                const UniOcamlToken *token)
{
  const guchar *s;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (token->flags & UNI_OCAML_TOKEN_FLAG_UNTERMINATED)
    return NULL;

  s = (const guchar *) text + token->offset;

  if (token->kind == UNI_OCAML_TOKEN_STRING)
    {
      if (token->length < 2)
        return NULL;
      out = g_string_sized_new (token->length);
      if (!decode_string_body (s + 1, token->length - 2, out))
        {
          g_string_free (out, TRUE);
          return NULL;
        }
    }
  else if (token->kind == UNI_OCAML_TOKEN_QUOTED_STRING)
    {
      gssize id_len = scan_quoted_string_open (s, 0, token->length);

      if (id_len < 0 || token->length < 2 * (gsize) id_len + 4)
        return NULL;
      out = g_string_new_len ((const char *) s + id_len + 2, token->length - 2 * id_len - 4);
    }
  else
    return NULL;

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      g_string_free (out, TRUE);
      return NULL;
    }

  return g_string_free (out, FALSE);
}

/**
 * uni_ocaml_string_literal_quote:
 * @value: a UTF-8 string
 *
 * Returns: (transfer full): an OCaml "..." literal whose value is @value;
 *   non-ASCII characters are kept as they are
 */
char *
uni_ocaml_string_literal_quote (const char *value)
{
  GString *out;

  g_return_val_if_fail (value != NULL, NULL);

  out = g_string_sized_new (strlen (value) + 2);
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) value; *p; p++)
    {
      switch (*p)
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
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\b':
          g_string_append (out, "\\b");
          break;
        default:
          if (*p < 0x20 || *p == 0x7f)
            g_string_append_printf (out, "\\%03u", (guint) *p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');

  return g_string_free (out, FALSE);
}
