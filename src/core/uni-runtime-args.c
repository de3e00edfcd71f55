/* uni-runtime-args.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-runtime-args"

#include "config.h"

#include <string.h>

#include "uni-ocaml-lexer.h"
#include "uni-runtime-args.h"

/* How far a name is followed to its definition: `let doc = info` and back
 * again must not loop.
 */
#define MAX_RESOLVE_DEPTH 8
#define MAX_ATOMS 16

/* A structure-level `let NAME = EXPR` without parameters, to follow names. */
typedef struct
{
  char  *module_path;
  char  *name;
  guint  start;
  guint  end;
} Binding;

typedef struct
{
  const char    *text;
  gsize          length;
  UniOcamlToken *toks;      /* without whitespace and comments */
  guint          n_toks;
  int           *partner;   /* for brackets and begin/struct/sig/object ... end */
  GPtrArray     *bindings;
  GPtrArray     *decls;
} Reader;

/* Where names are looked up: the `let ... in` of the binding being read,
 * then what the enclosing modules bound before it.
 */
typedef struct
{
  const char *module_path;
  guint       body_start;
  guint       body_end;
} Scope;

/* One argument of an application: a label (with its value) or an atom. */
typedef struct
{
  int   label;   /* the label token, -1 for a positional argument */
  guint start;
  guint end;
} Atom;

static void
binding_free (gpointer data)
{
  Binding *binding = data;

  g_free (binding->module_path);
  g_free (binding->name);
  g_free (binding);
}

static gboolean
tok_is (Reader            *reader,
        guint              i,
        UniOcamlTokenKind  kind,
        const char        *spelling)
{
  if (i >= reader->n_toks || reader->toks[i].kind != kind)
    return FALSE;

  return spelling == NULL || uni_ocaml_token_equal (&reader->toks[i], reader->text, spelling);
}

static gboolean
tok_punct (Reader     *reader,
           guint       i,
           const char *spelling)
{
  return tok_is (reader, i, UNI_OCAML_TOKEN_PUNCT, spelling);
}

static gboolean
tok_op (Reader     *reader,
        guint       i,
        const char *spelling)
{
  return tok_is (reader, i, UNI_OCAML_TOKEN_OPERATOR, spelling);
}

static gboolean
tok_keyword (Reader     *reader,
             guint       i,
             const char *spelling)
{
  return tok_is (reader, i, UNI_OCAML_TOKEN_KEYWORD, spelling);
}

static gboolean
tok_is_string (Reader *reader,
               guint   i)
{
  return tok_is (reader, i, UNI_OCAML_TOKEN_STRING, NULL)
         || tok_is (reader, i, UNI_OCAML_TOKEN_QUOTED_STRING, NULL);
}

static char *
tok_dup (Reader *reader,
         guint   i)
{
  return g_strndup (reader->text + reader->toks[i].offset, reader->toks[i].length);
}

static UniSpan
range_span (Reader *reader,
            guint   start,
            guint   end)
{
  UniSpan span = { 0, 0 };

  g_assert (start < end && end <= reader->n_toks);

  span.offset = reader->toks[start].offset;
  span.length = reader->toks[end - 1].offset + reader->toks[end - 1].length - span.offset;

  return span;
}

static char *
range_text (Reader *reader,
            guint   start,
            guint   end)
{
  UniSpan span = range_span (reader, start, end);

  return g_strndup (reader->text + span.offset, span.length);
}

/* An opener's partner, or -1; openers are ( [ { [| and begin struct sig object. */
static int
partner_of (Reader *reader,
            guint   i)
{
  return i < reader->n_toks ? reader->partner[i] : -1;
}

static gboolean
is_opener (Reader *reader,
           guint   i)
{
  return partner_of (reader, i) > (int) i;
}

static gboolean
is_open_bracket (Reader *reader,
                 guint   i)
{
  return tok_punct (reader, i, "(") || tok_punct (reader, i, "[") || tok_punct (reader, i, "{")
         || tok_punct (reader, i, "[|") || tok_keyword (reader, i, "begin")
         || tok_keyword (reader, i, "struct") || tok_keyword (reader, i, "sig")
         || tok_keyword (reader, i, "object");
}

static const char *
closer_for (Reader *reader,
            guint   i)
{
  if (tok_punct (reader, i, "("))
    return ")";
  if (tok_punct (reader, i, "["))
    return "]";
  if (tok_punct (reader, i, "{"))
    return "}";
  if (tok_punct (reader, i, "[|"))
    return "|]";

  return "end";
}

static gboolean
is_closer (Reader     *reader,
           guint       i,
           const char *closer)
{
  if (g_str_equal (closer, "end"))
    return tok_keyword (reader, i, "end");

  return tok_punct (reader, i, closer);
}

/* Pairs brackets; a closer that matches nothing open is left alone, one
 * that matches an outer opener closes the unmatched ones in between.
 */
static void
match_brackets (Reader *reader)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));

  reader->partner = g_new (int, MAX (reader->n_toks, 1));
  for (guint i = 0; i < reader->n_toks; i++)
    reader->partner[i] = -1;

  for (guint i = 0; i < reader->n_toks; i++)
    {
      if (is_open_bracket (reader, i))
        {
          g_array_append_val (stack, i);
          continue;
        }

      for (guint depth = stack->len; depth > 0; depth--)
        {
          guint opener = g_array_index (stack, guint, depth - 1);

          if (is_closer (reader, i, closer_for (reader, opener)))
            {
              reader->partner[opener] = i;
              reader->partner[i] = opener;
              g_array_set_size (stack, depth - 1);
              break;
            }
        }
    }
}

/* Whether the token can end an expression, so that a `let` after it starts
 * the next structure item instead of a `let ... in`.
 */
static gboolean
ends_expression (Reader *reader,
                 guint   i)
{
  static const char * const closers[] = { ")", "]", "}", "|]" };
  static const char * const keywords[] = { "end", "done", "true", "false" };

  switch (reader->toks[i].kind)
    {
    case UNI_OCAML_TOKEN_LIDENT:
    case UNI_OCAML_TOKEN_UIDENT:
    case UNI_OCAML_TOKEN_INT:
    case UNI_OCAML_TOKEN_FLOAT:
    case UNI_OCAML_TOKEN_STRING:
    case UNI_OCAML_TOKEN_QUOTED_STRING:
    case UNI_OCAML_TOKEN_CHAR:
    case UNI_OCAML_TOKEN_POLY_VARIANT:
      return TRUE;
    case UNI_OCAML_TOKEN_PUNCT:
      for (guint k = 0; k < G_N_ELEMENTS (closers); k++)
        if (tok_punct (reader, i, closers[k]))
          return TRUE;
      return FALSE;
    case UNI_OCAML_TOKEN_KEYWORD:
      for (guint k = 0; k < G_N_ELEMENTS (keywords); k++)
        if (tok_keyword (reader, i, keywords[k]))
          return TRUE;
      return FALSE;
    default:
      return FALSE;
    }
}

/* The index after a structure item starting at @start: the next `let`,
 * `module`, `open`, ... at the same level that no `in` answers, or @limit.
 */
static guint
item_end (Reader *reader,
          guint   start,
          guint   limit)
{
  static const char * const starters[] = {
    "let", "module", "open", "type", "exception", "include", "external", "class", "and",
  };
  guint pending_in = 0;

  for (guint i = start; i < limit; i++)
    {
      if (is_opener (reader, i))
        {
          i = MIN ((guint) partner_of (reader, i), limit - 1);
          continue;
        }
      if (tok_punct (reader, i, ";;") || tok_keyword (reader, i, "end"))
        return i;
      if (tok_keyword (reader, i, "in") && pending_in > 0)
        {
          pending_in--;
          continue;
        }
      for (guint k = 0; k < G_N_ELEMENTS (starters); k++)
        {
          if (i > start && pending_in == 0 && tok_keyword (reader, i, starters[k])
              && ends_expression (reader, i - 1))
            return i;
        }
      if (tok_keyword (reader, i, "let") && i > start)
        pending_in++;
    }

  return limit;
}

/* Collects one argument after @i: a literal, a (qualified) name, a
 * bracketed group, `-1`, or a label with its value. Returns the index after
 * it, or @i when there is nothing there that can be an argument.
 */
static guint
skip_atom (Reader *reader,
           guint   i,
           guint   limit)
{
  guint j = i;

  if (i >= limit)
    return i;

  if (is_opener (reader, i))
    return MIN ((guint) partner_of (reader, i) + 1, limit);

  if (tok_is (reader, i, UNI_OCAML_TOKEN_INT, NULL) || tok_is (reader, i, UNI_OCAML_TOKEN_FLOAT, NULL)
      || tok_is (reader, i, UNI_OCAML_TOKEN_CHAR, NULL) || tok_is_string (reader, i)
      || tok_is (reader, i, UNI_OCAML_TOKEN_POLY_VARIANT, NULL)
      || tok_keyword (reader, i, "true") || tok_keyword (reader, i, "false")
      || tok_is (reader, i, UNI_OCAML_TOKEN_LIDENT, NULL))
    return i + 1;

  if (tok_op (reader, i, "-") && i + 1 < limit
      && (tok_is (reader, i + 1, UNI_OCAML_TOKEN_INT, NULL)
          || tok_is (reader, i + 1, UNI_OCAML_TOKEN_FLOAT, NULL)))
    return i + 2;

  /* A.B.c, A.B.(...), A.B or a constructor */
  while (j < limit && tok_is (reader, j, UNI_OCAML_TOKEN_UIDENT, NULL))
    {
      if (!tok_punct (reader, j + 1, ".") || j + 2 >= limit)
        return j + 1;
      j += 2;
      if (tok_is (reader, j, UNI_OCAML_TOKEN_LIDENT, NULL))
        return j + 1;
      if (is_opener (reader, j))
        return MIN ((guint) partner_of (reader, j) + 1, limit);
    }

  return i;
}

static guint
parse_atoms (Reader *reader,
             guint   i,
             guint   limit,
             Atom   *atoms,
             guint  *n_atoms)
{
  *n_atoms = 0;

  while (i < limit && *n_atoms < MAX_ATOMS)
    {
      Atom *atom = &atoms[*n_atoms];
      guint next;

      if (tok_is (reader, i, UNI_OCAML_TOKEN_LABEL, NULL)
          || tok_is (reader, i, UNI_OCAML_TOKEN_OPTLABEL, NULL))
        {
          const UniOcamlToken *t = &reader->toks[i];

          atom->label = i;
          if (reader->text[t->offset + t->length - 1] == ':')
            {
              next = skip_atom (reader, i + 1, limit);
              if (next == i + 1)
                break;
              atom->start = i + 1;
              atom->end = next;
            }
          else
            {
              /* ~doc alone: the variable of that name */
              atom->start = i;
              atom->end = next = i + 1;
            }
        }
      else
        {
          next = skip_atom (reader, i, limit);
          if (next == i)
            break;
          atom->label = -1;
          atom->start = i;
          atom->end = next;
        }

      (*n_atoms)++;
      i = next;
    }

  return i;
}

/* The label's name without ~ ? and :. */
static gboolean
label_is (Reader     *reader,
          int         label,
          const char *name)
{
  const UniOcamlToken *t;
  gsize name_length = strlen (name);
  gsize length;

  if (label < 0)
    return FALSE;

  t = &reader->toks[label];
  length = t->length - 1;
  if (reader->text[t->offset + t->length - 1] == ':')
    length--;

  return length == name_length && memcmp (reader->text + t->offset + 1, name, length) == 0;
}

/* Strips parentheses and local opens: `(x)`, `Arg.(x)`, `Cmdliner.Arg.(x)`. */
static void
unwrap (Reader *reader,
        guint  *start,
        guint  *end)
{
  for (;;)
    {
      guint s = *start;

      if (s >= *end)
        return;

      while (tok_is (reader, s, UNI_OCAML_TOKEN_UIDENT, NULL) && tok_punct (reader, s + 1, "."))
        s += 2;
      if (tok_punct (reader, s, "(") && partner_of (reader, s) == (int) *end - 1)
        {
          *start = s + 1;
          *end = *end - 1;
          continue;
        }

      return;
    }
}

/* Skips the qualifier of a path to its last name: `Cmdliner.Arg.info` → `info`. */
static guint
skip_qualifier (Reader *reader,
                guint   i,
                guint   end)
{
  while (i + 2 < end && tok_is (reader, i, UNI_OCAML_TOKEN_UIDENT, NULL)
         && tok_punct (reader, i + 1, "."))
    i += 2;

  return i;
}

/* The expression a `let NAME = ... in` inside [start, before) binds, the
 * nearest one before @before.
 */
static gboolean
find_local (Reader     *reader,
            const char *name,
            guint       start,
            guint       before,
            guint      *expr_start,
            guint      *expr_end)
{
  for (guint i = before; i-- > start;)
    {
      guint pending_in = 0;
      guint j;

      if (!tok_keyword (reader, i, "let") || !tok_is (reader, i + 1, UNI_OCAML_TOKEN_LIDENT, name)
          || !tok_op (reader, i + 2, "="))
        continue;

      for (j = i + 3; j < reader->n_toks; j++)
        {
          if (is_opener (reader, j))
            j = partner_of (reader, j);
          else if (tok_keyword (reader, j, "let"))
            pending_in++;
          else if (tok_keyword (reader, j, "in"))
            {
              if (pending_in == 0)
                break;
              pending_in--;
            }
        }
      if (j >= reader->n_toks || j == i + 3)
        return FALSE;

      *expr_start = i + 3;
      *expr_end = j;
      return TRUE;
    }

  return FALSE;
}

static gboolean
path_encloses (const char *outer,
               const char *inner)
{
  gsize length;

  if (outer == NULL)
    return TRUE;
  if (inner == NULL)
    return FALSE;

  length = strlen (outer);

  return strncmp (outer, inner, length) == 0 && (inner[length] == '\0' || inner[length] == '.');
}

/* If [start, end) is a single lowercase name, replaces it with what it is
 * bound to (locally first, then in the enclosing modules), repeatedly.
 */
static void
resolve (Reader      *reader,
         const Scope *scope,
         guint       *start,
         guint       *end)
{
  for (guint depth = 0; depth < MAX_RESOLVE_DEPTH; depth++)
    {
      g_autofree char *name = NULL;
      guint s = *start;
      guint e = *end;
      gboolean found = FALSE;

      unwrap (reader, &s, &e);
      if (e != s + 1 || !tok_is (reader, s, UNI_OCAML_TOKEN_LIDENT, NULL))
        {
          /* ~doc punned: the label token names the variable */
          if (e == s + 1 && tok_is (reader, s, UNI_OCAML_TOKEN_LABEL, NULL))
            {
              const UniOcamlToken *t = &reader->toks[s];

              name = g_strndup (reader->text + t->offset + 1, t->length - 1);
            }
          else
            return;
        }
      else
        name = tok_dup (reader, s);

      if (find_local (reader, name, scope->body_start, MIN (s, scope->body_end), start, end))
        continue;

      for (guint k = reader->bindings->len; k > 0 && !found; k--)
        {
          const Binding *binding = g_ptr_array_index (reader->bindings, k - 1);

          if (g_str_equal (binding->name, name)
              && path_encloses (binding->module_path, scope->module_path))
            {
              *start = binding->start;
              *end = binding->end;
              found = TRUE;
            }
        }
      if (!found)
        return;
    }
}

/* The value of a string expression: a literal, or a name bound to one. */
static char *
resolve_string (Reader      *reader,
                const Scope *scope,
                guint        start,
                guint        end,
                UniSpan     *span)
{
  resolve (reader, scope, &start, &end);
  unwrap (reader, &start, &end);
  if (end != start + 1 || !tok_is_string (reader, start))
    return NULL;

  if (span != NULL)
    *span = range_span (reader, start, end);

  return uni_ocaml_string_literal_value (reader->text, &reader->toks[start]);
}

static char **
string_list (Reader *reader,
             guint   open)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint close = partner_of (reader, open);

  for (guint i = open + 1; i < close; i++)
    {
      if (tok_is_string (reader, i))
        {
          g_autofree char *value = uni_ocaml_string_literal_value (reader->text,
                                                                   &reader->toks[i]);

          if (value != NULL)
            g_strv_builder_add (builder, value);
        }
    }

  return g_strv_builder_end (builder);
}

/* `info ~doc:"..." ~docv:"PORT" ["port"]`, or a name bound to it. */
static gboolean
read_info (Reader            *reader,
           const Scope       *scope,
           UniRuntimeArgDecl *decl,
           guint              start,
           guint              end)
{
  Atom atoms[MAX_ATOMS];
  guint n_atoms;

  resolve (reader, scope, &start, &end);
  unwrap (reader, &start, &end);
  start = skip_qualifier (reader, start, end);
  if (!tok_is (reader, start, UNI_OCAML_TOKEN_LIDENT, "info"))
    return FALSE;

  parse_atoms (reader, start + 1, end, atoms, &n_atoms);
  for (guint k = 0; k < n_atoms; k++)
    {
      const Atom *atom = &atoms[k];

      if (atom->label < 0)
        {
          guint s = atom->start;
          guint e = atom->end;

          resolve (reader, scope, &s, &e);
          if (decl->flags == NULL && tok_punct (reader, s, "[") && partner_of (reader, s) == (int) e - 1)
            decl->flags = string_list (reader, s);
        }
      else if (label_is (reader, atom->label, "doc") && decl->doc == NULL)
        decl->doc = resolve_string (reader, scope, atom->start, atom->end, &decl->doc_span);
      else if (label_is (reader, atom->label, "docv") && decl->docv == NULL)
        decl->docv = resolve_string (reader, scope, atom->start, atom->end, NULL);
    }

  return decl->flags != NULL;
}

static char *
converter_words (Reader *reader,
                 guint   start,
                 guint   end)
{
  g_autoptr(GString) out = g_string_new (NULL);

  unwrap (reader, &start, &end);
  for (guint j = start; j < end; j++)
    {
      if (tok_is (reader, j, UNI_OCAML_TOKEN_LIDENT, NULL))
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, reader->text + reader->toks[j].offset,
                               reader->toks[j].length);
        }
    }

  if (out->len == 0)
    return start < end ? range_text (reader, start, end) : NULL;

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static const char *
term_kind (Reader *reader,
           guint   i)
{
  static const char * const kinds[] = { "opt", "flag", "opt_all", "flag_all" };

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      if (tok_is (reader, i, UNI_OCAML_TOKEN_LIDENT, kinds[k]))
        return kinds[k];
    }

  return NULL;
}

/* The token before @i once an `Arg.`/`Cmdliner.Arg.` qualifier is passed;
 * -1 when @i has another qualifier (it is then not Cmdliner's).
 */
static int
before_qualified (Reader *reader,
                  guint   i,
                  guint   limit_start)
{
  gboolean qualified = FALSE;

  while (i >= limit_start + 2 && tok_punct (reader, i - 1, ".")
         && tok_is (reader, i - 2, UNI_OCAML_TOKEN_UIDENT, NULL))
    {
      if (!qualified && !tok_is (reader, i - 2, UNI_OCAML_TOKEN_UIDENT, "Arg"))
        return -1;
      qualified = TRUE;
      i -= 2;
    }

  return i > limit_start ? (int) i - 1 : -1;
}

/* Whether the local opens around @i (`M.( ... )`) are all Cmdliner's `Arg`. */
static gboolean
opens_only_arg (Reader *reader,
                guint   i,
                guint   start)
{
  for (guint j = i; j-- > start;)
    {
      int partner = partner_of (reader, j);

      if (partner >= 0 && partner < (int) j)
        {
          j = partner;
          continue;
        }
      if (partner > (int) i && tok_punct (reader, j, "(") && j >= start + 2
          && tok_punct (reader, j - 1, ".")
          && !tok_is (reader, j - 2, UNI_OCAML_TOKEN_UIDENT, "Arg"))
        return FALSE;
    }

  return TRUE;
}

/* Finds `value & opt ...`, `required & opt ...`, `Arg.value (Arg.opt ...)`
 * in [start, end); returns the index of opt/flag/..., or -1.
 */
static int
find_term (Reader      *reader,
           guint        start,
           guint        end,
           const char **wrapper_kind)
{
  for (guint i = start; i < end; i++)
    {
      int before;
      int wrapper;

      if (term_kind (reader, i) == NULL || tok_op (reader, i + 1, "="))
        continue;

      before = before_qualified (reader, i, start);
      if (before < 0 || !opens_only_arg (reader, i, start))
        continue;
      if (tok_op (reader, before, "&") || tok_op (reader, before, "@@"))
        wrapper = before - 1;
      else if (tok_punct (reader, before, "(") && before > (int) start)
        wrapper = before - 1;
      else
        continue;

      if (wrapper < (int) start)
        continue;
      if (tok_is (reader, wrapper, UNI_OCAML_TOKEN_LIDENT, "required"))
        *wrapper_kind = "required";
      else if (tok_is (reader, wrapper, UNI_OCAML_TOKEN_LIDENT, "value")
               || tok_is (reader, wrapper, UNI_OCAML_TOKEN_LIDENT, "non_empty")
               || tok_is (reader, wrapper, UNI_OCAML_TOKEN_LIDENT, "last"))
        *wrapper_kind = NULL;
      else
        continue;

      return i;
    }

  return -1;
}

static void
read_binding (Reader     *reader,
              const char *module_path,
              guint       let,
              guint       body_start,
              guint       body_end)
{
  g_autoptr(UniRuntimeArgDecl) decl = g_new0 (UniRuntimeArgDecl, 1);
  Scope scope = { module_path, body_start, body_end };
  Atom atoms[MAX_ATOMS];
  guint n_atoms;
  guint n_pos = 0;
  int pos[MAX_ATOMS];
  const char *wrapper_kind = NULL;
  const char *kind;
  int term;
  guint after;
  int conv = -1;
  int def = -1;
  int info = -1;
  guint info_start;
  guint info_end;

  term = find_term (reader, body_start, body_end, &wrapper_kind);
  if (term < 0)
    return;

  kind = term_kind (reader, term);
  after = parse_atoms (reader, term + 1, body_end, atoms, &n_atoms);
  for (guint k = 0; k < n_atoms; k++)
    {
      if (atoms[k].label < 0)
        pos[n_pos++] = k;
    }

  if (g_str_has_prefix (kind, "flag"))
    info = n_pos >= 1 ? pos[0] : -1;
  else
    {
      conv = n_pos >= 1 ? pos[0] : -1;
      def = n_pos >= 2 ? pos[1] : -1;
      info = n_pos >= 3 ? pos[2] : -1;
      if (def < 0)
        return;
    }

  if (info >= 0)
    {
      info_start = atoms[info].start;
      info_end = atoms[info].end;
    }
  else if (tok_op (reader, after, "&"))
    {
      Atom info_atoms[MAX_ATOMS];
      guint n_info_atoms;

      /* `opt int 8080 & info ["port"]` */
      info_start = after + 1;
      info_end = parse_atoms (reader, after + 1, body_end, info_atoms, &n_info_atoms);
    }
  else
    return;

  decl->kind = g_strdup (wrapper_kind != NULL ? wrapper_kind : kind);
  if (!read_info (reader, &scope, decl, info_start, info_end))
    return;

  if (conv >= 0)
    decl->type = converter_words (reader, atoms[conv].start, atoms[conv].end);
  if (def >= 0)
    {
      guint s = atoms[def].start;
      guint e = atoms[def].end;

      resolve (reader, &scope, &s, &e);
      decl->default_text = range_text (reader, s, e);
      decl->default_span = range_span (reader, s, e);
    }

  for (guint i = body_start; i < body_end; i++)
    {
      if (tok_is (reader, i, UNI_OCAML_TOKEN_LIDENT, "register_arg"))
        decl->registered = TRUE;
    }

  decl->binding = tok_dup (reader, let + 1);
  decl->module_path = g_strdup (module_path);
  decl->span = range_span (reader, let, body_end);
  decl->name_span = range_span (reader, let + 1, let + 2);
  g_ptr_array_add (reader->decls, g_steal_pointer (&decl));
}

static void
read_structure (Reader     *reader,
                guint       start,
                guint       end,
                const char *module_path)
{
  guint i = start;

  while (i < end)
    {
      if (tok_keyword (reader, i, "module") && tok_is (reader, i + 1, UNI_OCAML_TOKEN_UIDENT, NULL))
        {
          guint j = i + 2;

          /* Parameters and a signature, up to `= struct` */
          while (j < end && !tok_op (reader, j, "="))
            j = is_opener (reader, j) ? (guint) partner_of (reader, j) + 1 : j + 1;
          if (j + 1 < end && tok_keyword (reader, j + 1, "struct") && is_opener (reader, j + 1))
            {
              g_autofree char *name = tok_dup (reader, i + 1);
              g_autofree char *path = module_path != NULL
                                      ? g_strconcat (module_path, ".", name, NULL)
                                      : g_strdup (name);
              guint close = partner_of (reader, j + 1);

              read_structure (reader, j + 2, MIN (close, end), path);
              i = close + 1;
              continue;
            }
          i = item_end (reader, i, end);
          continue;
        }

      if ((tok_keyword (reader, i, "let") || tok_keyword (reader, i, "and")))
        {
          guint name = i + 1;
          guint item_stop = item_end (reader, i, end);

          if (tok_keyword (reader, name, "rec"))
            name++;
          if (tok_is (reader, name, UNI_OCAML_TOKEN_LIDENT, NULL) && tok_op (reader, name + 1, "=")
              && name + 2 < item_stop)
            {
              Binding *binding = g_new0 (Binding, 1);

              read_binding (reader, module_path, name - 1, name + 2, item_stop);
              binding->module_path = g_strdup (module_path);
              binding->name = tok_dup (reader, name);
              binding->start = name + 2;
              binding->end = item_stop;
              g_ptr_array_add (reader->bindings, binding);
            }
          i = item_stop;
          continue;
        }

      i = is_opener (reader, i) ? (guint) partner_of (reader, i) + 1 : i + 1;
    }
}

/**
 * uni_runtime_arg_decl_free:
 * @decl: (transfer full) (nullable): a declaration
 */
void
uni_runtime_arg_decl_free (UniRuntimeArgDecl *decl)
{
  if (decl == NULL)
    return;

  g_free (decl->binding);
  g_free (decl->module_path);
  g_strfreev (decl->flags);
  g_free (decl->kind);
  g_free (decl->type);
  g_free (decl->default_text);
  g_free (decl->doc);
  g_free (decl->docv);
  g_free (decl);
}

/**
 * uni_runtime_arg_taken_free:
 * @taken: (transfer full) (nullable): from uni_runtime_args_dup_taken()
 */
void
uni_runtime_arg_taken_free (UniRuntimeArgTaken *taken)
{
  if (taken == NULL)
    return;

  g_free (taken->name);
  g_free (taken);
}

/**
 * uni_runtime_args_read:
 * @text: an OCaml module's source, unikernel.ml
 * @length: its length in bytes
 *
 * Finds the Cmdliner terms bound at module level, as mirage 4.5–4.11
 * unikernels declare their runtime arguments: `let port = Arg.(value & opt
 * int 8080 doc)` (4.5+) and `let port = Mirage_runtime.register_arg ...`
 * (4.8+), also inside `module K = struct ... end`. Never fails: what it
 * cannot read is left out.
 *
 * Returns: (transfer container) (element-type UniRuntimeArgDecl): the
 *   declarations in the order of the file
 */
GPtrArray *
uni_runtime_args_read (const char *text,
                       gsize       length)
{
  Reader reader = { 0 };
  g_autoptr(GArray) all = NULL;
  g_autoptr(GArray) significant = NULL;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  reader.decls = g_ptr_array_new_with_free_func ((GDestroyNotify) uni_runtime_arg_decl_free);
  if (length == 0)
    return reader.decls;

  all = uni_ocaml_lex (text, length);
  significant = g_array_sized_new (FALSE, FALSE, sizeof (UniOcamlToken), all->len);
  for (guint i = 0; i < all->len; i++)
    {
      const UniOcamlToken *t = &g_array_index (all, UniOcamlToken, i);

      if (t->kind != UNI_OCAML_TOKEN_WHITESPACE && t->kind != UNI_OCAML_TOKEN_COMMENT)
        g_array_append_val (significant, *t);
    }

  reader.text = text;
  reader.length = length;
  reader.toks = (UniOcamlToken *) (gpointer) significant->data;
  reader.n_toks = significant->len;
  reader.bindings = g_ptr_array_new_with_free_func (binding_free);
  match_brackets (&reader);

  read_structure (&reader, 0, reader.n_toks, NULL);

  g_ptr_array_unref (reader.bindings);
  g_free (reader.partner);

  return reader.decls;
}

/**
 * uni_runtime_args_find:
 * @decls: (element-type UniRuntimeArgDecl): from uni_runtime_args_read()
 * @runtime_arg_name: a name as config.ml gives it, "Unikernel.port" or
 *   "Unikernel.K.port"; the first part names the file, the rest the value
 *
 * Returns: (transfer none) (nullable): the declaration, the last one when
 *   the name is bound twice (as OCaml shadows), or %NULL
 */
const UniRuntimeArgDecl *
uni_runtime_args_find (GPtrArray  *decls,
                       const char *runtime_arg_name)
{
  const char *first_dot;
  const char *last_dot;
  g_autofree char *module_path = NULL;
  g_autofree char *file = NULL;

  g_return_val_if_fail (decls != NULL, NULL);
  g_return_val_if_fail (runtime_arg_name != NULL, NULL);

  first_dot = strchr (runtime_arg_name, '.');
  last_dot = strrchr (runtime_arg_name, '.');
  file = uni_runtime_args_module_file (runtime_arg_name);
  if (first_dot == NULL || last_dot[1] == '\0' || file == NULL)
    return NULL;
  if (last_dot > first_dot)
    module_path = g_strndup (first_dot + 1, last_dot - first_dot - 1);

  for (guint k = decls->len; k > 0; k--)
    {
      const UniRuntimeArgDecl *decl = g_ptr_array_index (decls, k - 1);

      if (g_str_equal (decl->binding, last_dot + 1)
          && g_strcmp0 (decl->module_path, module_path) == 0)
        return decl;
    }

  return NULL;
}

/**
 * uni_runtime_args_module_file:
 * @runtime_arg_name: "Unikernel.port", or a module name alone
 *
 * Returns: (transfer full) (nullable): the file of the module that the
 *   name's first part names, "unikernel.ml"; %NULL when it is not a module
 *   name
 */
char *
uni_runtime_args_module_file (const char *runtime_arg_name)
{
  const char *end;

  g_return_val_if_fail (runtime_arg_name != NULL, NULL);

  end = strchr (runtime_arg_name, '.');
  if (end == NULL)
    end = runtime_arg_name + strlen (runtime_arg_name);
  if (end == runtime_arg_name || !g_ascii_isupper (runtime_arg_name[0]))
    return NULL;
  for (const char *p = runtime_arg_name; p < end; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '_' && *p != '\'')
        return NULL;
    }

  return g_strdup_printf ("%c%.*s.ml", g_ascii_tolower (runtime_arg_name[0]),
                          (int) (end - runtime_arg_name - 1), runtime_arg_name + 1);
}

/**
 * uni_runtime_args_dup_module:
 * @manifest: a #UniManifest
 *
 * The module whose file declares the runtime arguments: that of the first
 * `runtime_arg`, else that of the entry (`main "Unikernel.Main"`), where
 * 4.8+ unikernels register theirs.
 *
 * Returns: (transfer full) (nullable): "Unikernel", or %NULL
 */
char *
uni_runtime_args_dup_module (UniManifest *manifest)
{
  const char *name = NULL;
  const char *dot;

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);

  if (uni_manifest_get_n_runtime_args (manifest) > 0)
    name = uni_manifest_get_runtime_arg (manifest, 0)->name;
  if (name == NULL || strchr (name, '.') == NULL)
    name = uni_manifest_get_entry (manifest, NULL);
  if (name == NULL || !g_ascii_isupper (name[0]))
    return NULL;

  dot = strchr (name, '.');

  return dot != NULL ? g_strndup (name, dot - name) : g_strdup (name);
}

static void
add_taken (GPtrArray               *taken,
           char                    *name,
           const UniRuntimeArgDecl *decl)
{
  UniRuntimeArgTaken *arg = g_new0 (UniRuntimeArgTaken, 1);

  arg->name = name;
  arg->decl = decl;
  g_ptr_array_add (taken, arg);
}

/**
 * uni_runtime_args_dup_taken:
 * @manifest: a #UniManifest
 * @decls: (nullable) (element-type UniRuntimeArgDecl): uni_runtime_args_read()
 *   on the file of the module uni_runtime_args_dup_module() names, or %NULL
 *   when it was not read
 *
 * The runtime arguments the unikernel takes at boot: first those config.ml
 * lists with `runtime_arg`, in its order, each with its declaration when
 * it names a value of the module's file (an argument of another module
 * has none here); then those the module registers itself with
 * `Mirage_runtime.register_arg` (mirage 4.8+), which it takes whether
 * config.ml names them or not. A declaration in neither list is not taken:
 * passing it would make the unikernel refuse the option.
 *
 * Returns: (transfer container) (element-type UniRuntimeArgTaken): the
 *   arguments; their declarations are borrowed from @decls
 */
GPtrArray *
uni_runtime_args_dup_taken (UniManifest *manifest,
                            GPtrArray   *decls)
{
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GHashTable) listed = NULL;
  g_autofree char *module = NULL;
  g_autofree char *file = NULL;
  guint n_args;

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);

  taken = g_ptr_array_new_with_free_func ((GDestroyNotify) uni_runtime_arg_taken_free);
  listed = g_hash_table_new (NULL, NULL);

  if (decls != NULL)
    {
      module = uni_runtime_args_dup_module (manifest);
      file = module != NULL ? uni_runtime_args_module_file (module) : NULL;
    }

  n_args = uni_manifest_get_n_runtime_args (manifest);
  for (guint i = 0; i < n_args; i++)
    {
      const UniManifestRuntimeArg *arg = uni_manifest_get_runtime_arg (manifest, i);
      const UniRuntimeArgDecl *decl = NULL;

      if (file != NULL)
        {
          g_autofree char *arg_file = uni_runtime_args_module_file (arg->name);

          if (g_strcmp0 (arg_file, file) == 0)
            decl = uni_runtime_args_find (decls, arg->name);
        }
      if (decl != NULL)
        g_hash_table_add (listed, (gpointer) decl);
      add_taken (taken, g_strdup (arg->name), decl);
    }

  for (guint i = 0; file != NULL && i < decls->len; i++)
    {
      const UniRuntimeArgDecl *decl = g_ptr_array_index (decls, i);

      if (!decl->registered || g_hash_table_contains (listed, decl))
        continue;

      if (decl->module_path != NULL)
        add_taken (taken, g_strjoin (".", module, decl->module_path, decl->binding, NULL), decl);
      else
        add_taken (taken, g_strjoin (".", module, decl->binding, NULL), decl);
    }

  return g_steal_pointer (&taken);
}

/**
 * uni_runtime_args_load:
 * @manifest: a #UniManifest
 * @project_dir: the folder of its config.ml
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for an error
 *
 * Reads the declarations of the module file uni_runtime_args_dup_module()
 * names (unikernel.ml), next to config.ml. It blocks on the disk: call it
 * from a thread, or from a program without a main loop.
 *
 * Returns: (transfer container) (element-type UniRuntimeArgDecl) (nullable):
 *   as uni_runtime_args_read(); %NULL without an error when config.ml names
 *   no module or its file does not exist, %NULL with @error set when the
 *   file cannot be read
 */
GPtrArray *
uni_runtime_args_load (UniManifest   *manifest,
                       GFile         *project_dir,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autofree char *module = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (G_IS_FILE (project_dir), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  module = uni_runtime_args_dup_module (manifest);
  basename = module != NULL ? uni_runtime_args_module_file (module) : NULL;
  if (basename == NULL)
    return NULL;

  file = g_file_get_child (project_dir, basename);
  if (!g_file_load_contents (file, cancellable, &text, &length, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return uni_runtime_args_read (text, length);
}
