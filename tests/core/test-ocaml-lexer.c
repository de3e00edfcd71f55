/* test-ocaml-lexer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-ocaml-lexer.h"
#include "uni-test-util.h"

static const char * const kind_names[] = {
  "WS", "COMMENT", "STRING", "QSTRING", "CHAR", "TYVAR", "KW", "LIDENT", "UIDENT", "LABEL",
  "OPTLABEL", "VARIANT", "INT", "FLOAT", "OP", "PUNCT", "INVALID",
};

/* Tokens other than whitespace as "KIND:text", with "!" after KIND when
 * the token is unterminated.
 */
typedef struct
{
  const char *input;
  const char *expected[12];
} LexCase;

static const LexCase lex_cases[] = {
  { "(* a (* nested *) b *) x", { "COMMENT:(* a (* nested *) b *)", "LIDENT:x" } },
  { "(* \"*)\" *) y", { "COMMENT:(* \"*)\" *)", "LIDENT:y" } },
  { "(* {|*)|} *)z", { "COMMENT:(* {|*)|} *)", "LIDENT:z" } },
  { "(* '\"' *)z", { "COMMENT:(* '\"' *)", "LIDENT:z" } },
  { "(* it's *)z", { "COMMENT:(* it's *)", "LIDENT:z" } },
  { "(* open", { "COMMENT!:(* open" } },
  { "(* (* *)", { "COMMENT!:(* (* *)" } },
  { "(*)", { "COMMENT!:(*)" } },
  { "\"a\\\"b\" c", { "STRING:\"a\\\"b\"", "LIDENT:c" } },
  { "\"a\\\\\"b", { "STRING:\"a\\\\\"", "LIDENT:b" } },
  { "\"\\065\\x41\\o101\\u{1F600}\"", { "STRING:\"\\065\\x41\\o101\\u{1F600}\"" } },
  { "\"line\\\n   next\"", { "STRING:\"line\\\n   next\"" } },
  { "\"open", { "STRING!:\"open" } },
  { "\"ends in backslash\\", { "STRING!:\"ends in backslash\\" } },
  { "{|raw \"x|}", { "QSTRING:{|raw \"x|}" } },
  { "{id|a |} b|id}", { "QSTRING:{id|a |} b|id}" } },
  { "{foo_bar|x|foo_bar}", { "QSTRING:{foo_bar|x|foo_bar}" } },
  { "{|open", { "QSTRING!:{|open" } },
  { "{ x = 1 }", { "PUNCT:{", "LIDENT:x", "OP:=", "INT:1", "PUNCT:}" } },
  { "{X|a|X}", { "PUNCT:{", "UIDENT:X", "OP:|", "LIDENT:a", "OP:|", "UIDENT:X", "PUNCT:}" } },
  { "'a' '\\n' '\\'' '\\065' '\\x41' '\\o101'",
    { "CHAR:'a'", "CHAR:'\\n'", "CHAR:'\\''", "CHAR:'\\065'", "CHAR:'\\x41'", "CHAR:'\\o101'" } },
  { "'a 'abc 'a'", { "TYVAR:'a", "TYVAR:'abc", "CHAR:'a'" } },
  { "type 'a t = 'a list", { "KW:type", "TYVAR:'a", "LIDENT:t", "OP:=", "TYVAR:'a", "LIDENT:list" } },
  { "~doc:\"x\" ~x ?y: ?z", { "LABEL:~doc:", "STRING:\"x\"", "LABEL:~x", "OPTLABEL:?y:", "OPTLABEL:?z" } },
  { "~x::l", { "LABEL:~x", "OP:::", "LIDENT:l" } },
  { "`Both `run", { "VARIANT:`Both", "VARIANT:`run" } },
  { "let open Key in x'", { "KW:let", "KW:open", "UIDENT:Key", "KW:in", "LIDENT:x'" } },
  { "_x __POS__ Foo_bar'", { "LIDENT:_x", "LIDENT:__POS__", "UIDENT:Foo_bar'" } },
  { "1_000 0x2A 0o52 0b101 42l 42L 42n", { "INT:1_000", "INT:0x2A", "INT:0o52", "INT:0b101",
                                             "INT:42l", "INT:42L", "INT:42n" } },
  { "1.5 1e3 1. 0x1p4 2.5e-3", { "FLOAT:1.5", "FLOAT:1e3", "FLOAT:1.", "FLOAT:0x1p4",
                                  "FLOAT:2.5e-3" } },
  { "a @-> b $ c @@ d |> e", { "LIDENT:a", "OP:@->", "LIDENT:b", "OP:$", "LIDENT:c", "OP:@@",
                               "LIDENT:d", "OP:|>", "LIDENT:e" } },
  { "x :: y := z -> w", { "LIDENT:x", "OP:::", "LIDENT:y", "OP::=", "LIDENT:z", "OP:->", "LIDENT:w" } },
  { "Key.Arg.(opt)", { "UIDENT:Key", "PUNCT:.", "UIDENT:Arg", "PUNCT:.", "PUNCT:(", "LIDENT:opt",
                       "PUNCT:)" } },
  { "[| 1; 2 |];;", { "PUNCT:[|", "INT:1", "PUNCT:;", "INT:2", "PUNCT:|]", "PUNCT:;;" } },
  { "(x : int)", { "PUNCT:(", "LIDENT:x", "PUNCT::", "LIDENT:int", "PUNCT:)" } },
  { "(-1)", { "PUNCT:(", "OP:-", "INT:1", "PUNCT:)" } },
  { "a\xff\xfe b", { "LIDENT:a", "INVALID:\xff\xfe", "LIDENT:b" } },
  { "\\ x", { "INVALID:\\", "LIDENT:x" } },
  { "caf\xc3\xa9", { "LIDENT:caf", "INVALID:\xc3\xa9" } },
  { "a\r\nb", { "LIDENT:a", "LIDENT:b" } },
  { "\xef\xbb\xbf(* mirage >= 4.5.0 *)", { "COMMENT:(* mirage >= 4.5.0 *)" } },
  { "a\xef\xbb\xbf", { "LIDENT:a", "INVALID:\xef\xbb\xbf" } },
};

static char *
describe (const char          *text,
          const UniOcamlToken *token)
{
  return g_strdup_printf ("%s%s:%.*s", kind_names[token->kind],
                          (token->flags & UNI_OCAML_TOKEN_FLAG_UNTERMINATED) ? "!" : "",
                          (int) token->length, text + token->offset);
}

static void
assert_covers (const char *text,
               gsize       length,
               GArray     *tokens)
{
  gsize offset = 0;

  for (guint i = 0; i < tokens->len; i++)
    {
      const UniOcamlToken *token = &g_array_index (tokens, UniOcamlToken, i);

      g_assert_cmpuint (token->offset, ==, offset);
      g_assert_cmpuint (token->length, >, 0);
      g_assert_cmpint (token->kind, <, G_N_ELEMENTS (kind_names));
      offset += token->length;
    }
  g_assert_cmpuint (offset, ==, length);
}

static void
test_lex_table (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (lex_cases); c++)
    {
      const LexCase *lc = &lex_cases[c];
      gsize length = strlen (lc->input);
      g_autoptr(GArray) tokens = uni_ocaml_lex (lc->input, length);
      guint e = 0;

      assert_covers (lc->input, length, tokens);
      for (guint i = 0; i < tokens->len; i++)
        {
          const UniOcamlToken *token = &g_array_index (tokens, UniOcamlToken, i);
          g_autofree char *got = NULL;

          if (token->kind == UNI_OCAML_TOKEN_WHITESPACE)
            continue;
          got = describe (lc->input, token);
          if (lc->expected[e] == NULL)
            g_error ("“%s”: unexpected token %s", lc->input, got);
          if (g_strcmp0 (got, lc->expected[e]) != 0)
            g_error ("“%s”: token %u is %s, expected %s", lc->input, e, got, lc->expected[e]);
          e++;
        }
      if (lc->expected[e] != NULL)
        g_error ("“%s”: missing token %s", lc->input, lc->expected[e]);
    }
}

static void
test_lex_crlf_offsets (void)
{
  const char *text = "let x =\r\n  \"a\"\r\n";
  g_autoptr(GArray) tokens = uni_ocaml_lex (text, strlen (text));
  const UniOcamlToken *string = NULL;

  for (guint i = 0; i < tokens->len; i++)
    {
      if (g_array_index (tokens, UniOcamlToken, i).kind == UNI_OCAML_TOKEN_STRING)
        string = &g_array_index (tokens, UniOcamlToken, i);
    }
  g_assert_nonnull (string);
  g_assert_cmpuint (string->offset, ==, 11);
  g_assert_cmpuint (string->length, ==, 3);
}

static void
test_lex_empty (void)
{
  g_autoptr(GArray) tokens = uni_ocaml_lex ("", 0);
  g_autoptr(GArray) none = uni_ocaml_lex (NULL, 0);

  g_assert_cmpuint (tokens->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
}

/* The lexer is given the length: a NUL byte is just another byte. */
static void
test_lex_nul_bytes (void)
{
  const char text[] = "a\0\"b\0c\"\0";
  g_autoptr(GArray) tokens = uni_ocaml_lex (text, sizeof text - 1);

  assert_covers (text, sizeof text - 1, tokens);
  g_assert_cmpint (g_array_index (tokens, UniOcamlToken, 2).kind, ==, UNI_OCAML_TOKEN_STRING);
  g_assert_cmpuint (g_array_index (tokens, UniOcamlToken, 2).length, ==, 5);
}

static void
test_lex_random_bytes (void)
{
  for (guint round = 0; round < 2000; round++)
    {
      gsize length = g_test_rand_int_range (0, 4097);
      g_autofree char *buffer = g_malloc (length + 1);
      g_autoptr(GArray) tokens = NULL;

      for (gsize k = 0; k < length; k++)
        buffer[k] = (char) g_test_rand_int_range (0, 256);
      tokens = uni_ocaml_lex (buffer, length);
      assert_covers (buffer, length, tokens);
    }
}

static void
test_lex_random_fragments (void)
{
  static const char * const fragments[] = {
    "(*", "*)", "\"", "{|", "|}", "{id|", "|id}", "'", "\\", "~x:", "?y", "`A", "a", "Key",
    " ", "\n", "\r\n", "(", ")", "[", "]", "[|", "|]", ";", "@->", "0x", "1.", "e", "_",
    "\\u{", "}", "\xff", "\xc3", "'a'", "'\\", "let", "=", "-", ".", ":",
  };

  for (guint round = 0; round < 2000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = g_test_rand_int_range (0, 400);
      g_autoptr(GArray) tokens = NULL;

      for (guint k = 0; k < n; k++)
        g_string_append (text, fragments[g_test_rand_int_range (0, G_N_ELEMENTS (fragments))]);
      tokens = uni_ocaml_lex (text->str, text->len);
      assert_covers (text->str, text->len, tokens);
    }
}

/* Pathological inputs must stay linear; these would take hours if not. */
static void
test_lex_pathological (void)
{
  static const char * const units[] = { "(*", "\"\\", "{a|", "'", "{|", "(* \"" };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      gsize unit = strlen (units[u]);
      gsize length = (1024 * 1024 / unit) * unit;
      g_autofree char *text = g_malloc (length);
      g_autoptr(GArray) tokens = NULL;

      for (gsize k = 0; k < length; k += unit)
        memcpy (text + k, units[u], unit);
      tokens = uni_ocaml_lex (text, length);
      assert_covers (text, length, tokens);
    }
}

static void
test_token_equal (void)
{
  const char *text = "register \"www\"";
  g_autoptr(GArray) tokens = uni_ocaml_lex (text, strlen (text));
  const UniOcamlToken *first = &g_array_index (tokens, UniOcamlToken, 0);

  g_assert_true (uni_ocaml_token_equal (first, text, "register"));
  g_assert_false (uni_ocaml_token_equal (first, text, "registe"));
  g_assert_false (uni_ocaml_token_equal (first, text, "registers"));
}

typedef struct
{
  const char *literal;
  const char *value;   /* NULL: not a valid string */
} ValueCase;

static const ValueCase value_cases[] = {
  { "\"plain\"", "plain" },
  { "\"a\\\"b\\\\c\"", "a\"b\\c" },
  { "\"\\n\\t\\r\\b\\ \\'\"", "\n\t\r\b '" },
  { "\"\\065\\x41\\o101\"", "AAA" },
  { "\"\\u{1F600}\\u{e9}\"", "\xf0\x9f\x98\x80\xc3\xa9" },
  { "\"one\\\n    two\"", "onetwo" },
  { "\"one\\\r\n\ttwo\"", "onetwo" },
  { "\"caf\xc3\xa9\"", "caf\xc3\xa9" },
  { "\"\\q\"", "\\q" },
  { "\"\\256\"", NULL },
  { "\"\\255\"", NULL },
  { "\"\\u{D800}\"", NULL },
  { "\"\\u{110000}\"", NULL },
  { "\"\xff\"", NULL },
  { "\"open", NULL },
  { "{|raw \\n \"x\"|}", "raw \\n \"x\"" },
  { "{id|a|}b|id}", "a|}b" },
  { "{|\xff|}", NULL },
  { "{|open", NULL },
};

static void
test_string_literal_value (void)
{
  for (guint c = 0; c < G_N_ELEMENTS (value_cases); c++)
    {
      const ValueCase *vc = &value_cases[c];
      g_autoptr(GArray) tokens = uni_ocaml_lex (vc->literal, strlen (vc->literal));
      g_autofree char *value = NULL;

      g_assert_cmpuint (tokens->len, ==, 1);
      value = uni_ocaml_string_literal_value (vc->literal,
                                              &g_array_index (tokens, UniOcamlToken, 0));
      if (g_strcmp0 (value, vc->value) != 0)
        g_error ("%s decodes to “%s”, expected “%s”", vc->literal, value, vc->value);
    }
}

static void
test_string_literal_value_wrong_kind (void)
{
  const char *text = "x";
  g_autoptr(GArray) tokens = uni_ocaml_lex (text, 1);

  g_assert_null (uni_ocaml_string_literal_value (text, &g_array_index (tokens, UniOcamlToken, 0)));
}

static void
test_string_literal_quote (void)
{
  static const char * const values[] = {
    "", "www", "a\"b", "back\\slash", "new\nline\ttab\r\b", "bell\007 del\177",
    "caf\xc3\xa9 \xf0\x9f\x98\x80", "(* not a comment *)", "{|x|}",
  };
  g_autofree char *quoted = uni_ocaml_string_literal_quote ("a\"b\\c\nd\001caf\xc3\xa9");

  g_assert_cmpstr (quoted, ==, "\"a\\\"b\\\\c\\nd\\001caf\xc3\xa9\"");

  /* Quoting and decoding round-trip. */
  for (guint k = 0; k < G_N_ELEMENTS (values); k++)
    {
      g_autofree char *literal = uni_ocaml_string_literal_quote (values[k]);
      g_autoptr(GArray) tokens = uni_ocaml_lex (literal, strlen (literal));
      g_autofree char *value = NULL;

      g_assert_cmpuint (tokens->len, ==, 1);
      g_assert_cmpint (g_array_index (tokens, UniOcamlToken, 0).kind, ==, UNI_OCAML_TOKEN_STRING);
      value = uni_ocaml_string_literal_value (literal, &g_array_index (tokens, UniOcamlToken, 0));
      g_assert_cmpstr (value, ==, values[k]);
    }
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/ocaml-lexer/table", test_lex_table);
  g_test_add_func ("/uni/ocaml-lexer/crlf-offsets", test_lex_crlf_offsets);
  g_test_add_func ("/uni/ocaml-lexer/empty", test_lex_empty);
  g_test_add_func ("/uni/ocaml-lexer/nul-bytes", test_lex_nul_bytes);
  g_test_add_func ("/uni/ocaml-lexer/random-bytes", test_lex_random_bytes);
  g_test_add_func ("/uni/ocaml-lexer/random-fragments", test_lex_random_fragments);
  g_test_add_func ("/uni/ocaml-lexer/pathological", test_lex_pathological);
  g_test_add_func ("/uni/ocaml-lexer/token-equal", test_token_equal);
  g_test_add_func ("/uni/ocaml-lexer/string-value", test_string_literal_value);
  g_test_add_func ("/uni/ocaml-lexer/string-value-wrong-kind", test_string_literal_value_wrong_kind);
  g_test_add_func ("/uni/ocaml-lexer/string-quote", test_string_literal_quote);

  return g_test_run ();
}
