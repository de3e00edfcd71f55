/* uni-ocaml-lexer.h — a tolerant OCaml lexer that keeps byte offsets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * UniOcamlTokenKind:
 *
 * What a token is. The lexer never fails: bytes it cannot make sense of
 * (binary junk, invalid UTF-8, a stray backslash) become %UNI_OCAML_TOKEN_INVALID
 * tokens, and an unterminated comment or string runs to the end of the input
 * with %UNI_OCAML_TOKEN_FLAG_UNTERMINATED set.
 */
typedef enum
{
  UNI_OCAML_TOKEN_WHITESPACE,     /* spaces, tabs, \r, \n, form feeds, a leading BOM */
  UNI_OCAML_TOKEN_COMMENT,        /* (* ... *), nested, strings inside respected */
  UNI_OCAML_TOKEN_STRING,         /* "..." with escapes */
  UNI_OCAML_TOKEN_QUOTED_STRING,  /* {|...|} and {id|...|id} */
  UNI_OCAML_TOKEN_CHAR,           /* 'a' '\n' '\065' '\x41' '\'' */
  UNI_OCAML_TOKEN_TYPE_VAR,       /* 'a */
  UNI_OCAML_TOKEN_KEYWORD,        /* let in open if then else match with fun ... */
  UNI_OCAML_TOKEN_LIDENT,         /* lowercase identifiers, _x, x' */
  UNI_OCAML_TOKEN_UIDENT,         /* Capitalised identifiers (modules, constructors) */
  UNI_OCAML_TOKEN_LABEL,          /* ~name: or ~name */
  UNI_OCAML_TOKEN_OPTLABEL,       /* ?name: or ?name */
  UNI_OCAML_TOKEN_POLY_VARIANT,   /* `Name */
  UNI_OCAML_TOKEN_INT,            /* 42 0x2A 0o52 0b101 1_000 42l 42L 42n */
  UNI_OCAML_TOKEN_FLOAT,          /* 1.5 1e3 0x1p4 */
  UNI_OCAML_TOKEN_OPERATOR,       /* @-> $ @@ |> = :: := <- -> | & && || + - * / ^ ! ... */
  UNI_OCAML_TOKEN_PUNCT,          /* ( ) [ ] { } ; , . : ;; [| |] */
  UNI_OCAML_TOKEN_INVALID,        /* anything else, one run of bytes */
} UniOcamlTokenKind;

typedef enum
{
  UNI_OCAML_TOKEN_FLAG_NONE         = 0,
  UNI_OCAML_TOKEN_FLAG_UNTERMINATED = 1 << 0,
} UniOcamlTokenFlags;

/**
 * UniOcamlToken:
 * @kind: what the token is
 * @flags: #UniOcamlTokenFlags
 * @offset: byte offset of the first byte
 * @length: length in bytes, never 0
 *
 * Tokens returned by uni_ocaml_lex() are contiguous: each starts where the
 * previous one ended, the first at 0, the last ends at the input's length.
 */
typedef struct
{
  UniOcamlTokenKind kind;
  guint             flags;
  gsize             offset;
  gsize             length;
} UniOcamlToken;

GArray   *uni_ocaml_lex                  (const char          *text,
                                          gsize                length);
gboolean  uni_ocaml_token_equal          (const UniOcamlToken *token,
                                          const char          *text,
                                          const char          *spelling);
char     *uni_ocaml_string_literal_value (const char          *text,
                                          const UniOcamlToken *token);
char     *uni_ocaml_string_literal_quote (const char          *value);

G_END_DECLS
