/* uni-manifest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-manifest"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n.h>

#include "uni-manifest-private.h"

/* The reader does not parse OCaml. It lexes the file, matches brackets, and
 * recognises the mirage constructs by their shape: a function name followed
 * by its arguments (labelled or not, each a literal, a path or a bracketed
 * group). Anything it cannot read becomes a problem with a span; nothing
 * here can fail.
 */

#define MAX_ARGS 24

typedef struct
{
  guint start;
  guint end;
  int   label;   /* token index of ~label / ?label, -1 when positional */
} Arg;

typedef struct
{
  UniManifest *self;
  GHashTable  *bindings;        /* name -> GArray of guint (expression starts) */
  GHashTable  *attached;        /* binding names used as keys */
  GHashTable  *knob_names;
  guint        markers;
  const char  *toplevel_binding;
  char        *toplevel_binding_owned;
  gboolean     entry_ends_in_job;
  gboolean     invalid_reported;
  gboolean     key_opened;        /* `open Key` or `let open Key in` seen */
} Reader;

static const char * const network_devices[] = {
  "generic_stackv4", "generic_stackv4v6", "direct_stackv4", "socket_stackv4", "stackv4",
  "stackv4v6", "tcpv4", "conduit", "conduit_direct", "default_network", "tap0", "netif",
  "http_server", "cohttp_server", "direct_stackv4_with_dhcp", "direct_stackv4_with_default_ipv4",
  "direct_stackv4_with_static_ipv4", "socket_stackv4v6", "direct_stackv4v6",
};

/* Each store function and the store it names. */
static const char * const static_stores[][2] = {
  { "crunch", "crunch" },
  { "generic_kv_ro", "generic_kv_ro" },
  { "direct_kv_ro", "direct_kv_ro" },
  { "archive", "archive" },
  { "archive_of_files", "archive" },
  { "fat", "fat" },
  { "fat_of_files", "fat" },
};

G_DEFINE_FINAL_TYPE (UniManifest, uni_manifest, G_TYPE_OBJECT)

G_DEFINE_QUARK (uni-manifest-error-quark, uni_manifest_error)

static void
key_free (gpointer data)
{
  UniManifestKeyPrivate *key = data;

  g_free (key->pub.name);
  g_strfreev (key->pub.flags);
  g_free (key->pub.kind);
  g_free (key->pub.type);
  g_free (key->pub.default_text);
  g_free (key->pub.doc);
  g_free (key->pub.docv);
  g_free (key->pub.env);
  g_free (key->pub.stage);
  g_free (key->binding);
  g_free (key);
}

static void
package_free (gpointer data)
{
  UniManifestPackagePrivate *package = data;

  g_free (package->pub.name);
  g_free (package->pub.min);
  g_free (package->pub.max);
  g_strfreev (package->pub.sublibs);
  g_free (package);
}

static void
runtime_arg_free (gpointer data)
{
  UniManifestRuntimeArg *arg = data;

  g_free (arg->name);
  g_free (arg);
}

static void
env_knob_free (gpointer data)
{
  UniManifestEnvKnob *knob = data;

  g_free (knob->name);
  g_free (knob->default_value);
  g_free (knob);
}

static void
problem_free (gpointer data)
{
  UniManifestProblem *problem = data;

  g_free (problem->message);
  g_free (problem);
}

static UniSpan
tok_span (UniManifest *self,
          guint        i)
{
  UniSpan span = { tok (self, i)->offset, tok (self, i)->length };

  return span;
}

static UniSpan
range_span (UniManifest *self,
            guint        start,
            guint        end)
{
  UniSpan span = { 0, 0 };

  if (start >= self->n_toks)
    {
      span.offset = self->length;
      return span;
    }
  if (end <= start)
    {
      span.offset = self->toks[start].offset;
      return span;
    }

  end = MIN (end, self->n_toks);
  span.offset = self->toks[start].offset;
  span.length = self->toks[end - 1].offset + self->toks[end - 1].length - span.offset;

  return span;
}

static char *
range_text (UniManifest *self,
            guint        start,
            guint        end)
{
  UniSpan span = range_span (self, start, end);

  return g_strndup (self->text + span.offset, span.length);
}

static gboolean
is_label_with_value (UniManifest *self,
                     guint        i)
{
  const UniOcamlToken *t = tok (self, i);

  return self->text[t->offset + t->length - 1] == ':';
}

/* "~packages:" and "~packages" both give "packages". */
static gboolean
label_is (UniManifest *self,
          int          label,
          const char  *name)
{
  const UniOcamlToken *t;
  gsize len;

  if (label < 0)
    return FALSE;

  t = tok (self, label);
  len = t->length - 1;
  if (self->text[t->offset + t->length - 1] == ':')
    len--;

  return strlen (name) == len && memcmp (self->text + t->offset + 1, name, len) == 0;
}

/* The end of a simple argument starting at @i (a literal, a path, a
 * bracketed group, a label and its value), or @i when none starts there.
 */
static guint
skip_arg (UniManifest *self,
          guint        i)
{
  const UniOcamlToken *t;
  guint j;

  if (i >= self->n_toks)
    return i;

  t = tok (self, i);
  switch (t->kind)
    {
    case UNI_OCAML_TOKEN_PUNCT:
      if (tok_is_opener (self, i))
        return self->partner[i] >= 0 ? (guint) self->partner[i] + 1 : self->n_toks;
      return i;

    case UNI_OCAML_TOKEN_STRING:
    case UNI_OCAML_TOKEN_QUOTED_STRING:
    case UNI_OCAML_TOKEN_CHAR:
    case UNI_OCAML_TOKEN_INT:
    case UNI_OCAML_TOKEN_FLOAT:
    case UNI_OCAML_TOKEN_POLY_VARIANT:
      return i + 1;

    case UNI_OCAML_TOKEN_KEYWORD:
      if (uni_ocaml_token_equal (t, self->text, "true")
          || uni_ocaml_token_equal (t, self->text, "false"))
        return i + 1;
      return i;

    case UNI_OCAML_TOKEN_LIDENT:
      j = i + 1;
      while (tok_punct (self, j, ".") && tok_is (self, j + 1, UNI_OCAML_TOKEN_LIDENT, NULL))
        j += 2;
      return j;

    case UNI_OCAML_TOKEN_UIDENT:
      j = i + 1;
      while (tok_punct (self, j, "."))
        {
          if (tok_is (self, j + 1, UNI_OCAML_TOKEN_UIDENT, NULL))
            j += 2;
          else if (tok_is (self, j + 1, UNI_OCAML_TOKEN_LIDENT, NULL))
            return skip_arg (self, j + 1);
          else if (tok_is_opener (self, j + 1))
            return skip_arg (self, j + 1);
          else
            break;
        }
      return j;

    case UNI_OCAML_TOKEN_LABEL:
    case UNI_OCAML_TOKEN_OPTLABEL:
      if (is_label_with_value (self, i))
        {
          j = skip_arg (self, i + 1);
          return j > i + 1 ? j : i + 1;
        }
      return i + 1;

    case UNI_OCAML_TOKEN_WHITESPACE:
    case UNI_OCAML_TOKEN_COMMENT:
    case UNI_OCAML_TOKEN_TYPE_VAR:
    case UNI_OCAML_TOKEN_OPERATOR:
    case UNI_OCAML_TOKEN_INVALID:
    default:
      return i;
    }
}

/* Reads the arguments of an application whose function ends before @i.
 * Returns the end of the application.
 */
static guint
parse_args (UniManifest *self,
            guint        i,
            Arg         *args,
            guint       *n_args)
{
  *n_args = 0;

  for (;;)
    {
      guint end = skip_arg (self, i);
      Arg arg;

      if (end == i)
        break;

      if (self->toks[i].kind == UNI_OCAML_TOKEN_LABEL
          || self->toks[i].kind == UNI_OCAML_TOKEN_OPTLABEL)
        {
          arg.label = i;
          arg.start = is_label_with_value (self, i) && end > i + 1 ? i + 1 : i;
        }
      else
        {
          arg.label = -1;
          arg.start = i;
        }
      arg.end = end;

      if (*n_args < MAX_ARGS)
        args[(*n_args)++] = arg;
      i = end;
    }

  return i;
}

static const Arg *
find_label (const Arg   *args,
            guint        n_args,
            UniManifest *self,
            const char  *name)
{
  for (guint k = 0; k < n_args; k++)
    {
      if (label_is (self, args[k].label, name))
        return &args[k];
    }

  return NULL;
}

static guint
positional (const Arg *args,
            guint      n_args,
            guint     *out)
{
  guint n = 0;

  for (guint k = 0; k < n_args; k++)
    {
      if (args[k].label < 0)
        out[n++] = k;
    }

  return n;
}

/* Where the expression for a call to the function token @i starts:
 * `Mirage.Key.create` starts at `Mirage`.
 */
guint
_uni_manifest_path_start (UniManifest *self,
                          guint        i)
{
  while (i >= 2 && tok_punct (self, i - 1, ".")
         && tok_is (self, i - 2, UNI_OCAML_TOKEN_UIDENT, NULL))
    i -= 2;

  return i;
}

static gboolean
is_single_string (UniManifest *self,
                  guint        start,
                  guint        end)
{
  return end == start + 1 && tok_is_string (self, start);
}

/* Strips parentheses around the whole range and local opens `M.( ... )`. */
void
_uni_manifest_unwrap (UniManifest *self,
                      guint       *start,
                      guint       *end)
{
  for (;;)
    {
      guint s = *start;

      if (s >= *end)
        return;

      if (tok_punct (self, s, "(") && self->partner[s] == (int) *end - 1)
        {
          *start = s + 1;
          *end = *end - 1;
          continue;
        }

      while (tok_is (self, s, UNI_OCAML_TOKEN_UIDENT, NULL) && tok_punct (self, s + 1, "."))
        s += 2;
      if (s != *start && tok_punct (self, s, "(") && self->partner[s] == (int) *end - 1)
        {
          *start = s + 1;
          *end = *end - 1;
          continue;
        }

      return;
    }
}

/* `let NAME = EXPR` (or `and`) nearest before @before: the index where EXPR starts. */
static int
find_binding_named (Reader     *reader,
                    const char *name,
                    guint       before)
{
  GArray *starts = g_hash_table_lookup (reader->bindings, name);
  guint lo = 0;
  guint hi;

  if (starts == NULL)
    return -1;

  hi = starts->len;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (g_array_index (starts, guint, mid) < before)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo == 0 ? -1 : (int) g_array_index (starts, guint, lo - 1);
}

/* The binding a name token (or a punned label, `~packages`) refers to. */
static int
find_binding (Reader *reader,
              guint   name_tok,
              guint   before)
{
  UniManifest *self = reader->self;
  g_autofree char *name = tok_dup (self, name_tok);
  const char *bare = name;

  if (self->toks[name_tok].kind == UNI_OCAML_TOKEN_LABEL
      || self->toks[name_tok].kind == UNI_OCAML_TOKEN_OPTLABEL)
    bare = name + 1;

  return find_binding_named (reader, bare, before);
}

/* A value that may be a name bound to a list: the list's opening bracket. */
static int
resolve_list (Reader *reader,
              guint   start,
              guint   end)
{
  UniManifest *self = reader->self;

  _uni_manifest_unwrap (self, &start, &end);
  if (tok_punct (self, start, "[") && end == (guint) self->partner[start] + 1)
    return start;

  if (end == start + 1
      && (tok_is (self, start, UNI_OCAML_TOKEN_LIDENT, NULL)
          || (tok_is (self, start, UNI_OCAML_TOKEN_LABEL, NULL)
              && !is_label_with_value (self, start))))
    {
      int bound = find_binding (reader, start, start);

      if (bound >= 0 && tok_punct (self, bound, "[") && self->partner[bound] >= 0)
        return bound;
    }

  return -1;
}

/* Resolves a name bound by `let` to the extent of its expression (an
 * application, a group or a literal) and unwraps it.
 */
static void
resolve_expression (Reader *reader,
                    guint  *start,
                    guint  *end)
{
  UniManifest *self = reader->self;

  _uni_manifest_unwrap (self, start, end);
  if (*end == *start + 1 && tok_is (self, *start, UNI_OCAML_TOKEN_LIDENT, NULL))
    {
      int bound = find_binding (reader, *start, *start);
      Arg args[MAX_ARGS];
      guint n_args;
      guint head_end;

      if (bound < 0)
        return;

      head_end = skip_arg (self, bound);
      if (head_end == (guint) bound)
        return;
      *start = bound;
      *end = parse_args (self, head_end, args, &n_args);
      _uni_manifest_unwrap (self, start, end);
    }
}

/* For each element of the list opened at @open: its token range. */
GArray *
_uni_manifest_list_ranges (UniManifest *self,
                           guint        open)
{
  GArray *elements = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
  guint close = self->partner[open] >= 0 ? (guint) self->partner[open] : self->n_toks;
  guint start = open + 1;
  guint i = start;

  while (i <= close)
    {
      if (i == close || tok_punct (self, i, ";"))
        {
          if (i > start)
            {
              guint range[2] = { start, i };

              g_array_append_val (elements, range);
            }
          if (i == close)
            break;
          start = i + 1;
          i++;
        }
      else if (tok_is_opener (self, i) && self->partner[i] >= 0)
        i = self->partner[i] + 1;
      else
        i++;
    }

  return elements;
}

/* The token starting at @offset, or -1. */
int
_uni_manifest_token_at (UniManifest *self,
                        gsize        offset)
{
  guint lo = 0;
  guint hi = self->n_toks;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (self->toks[mid].offset < offset)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo < self->n_toks && self->toks[lo].offset == offset ? (int) lo : -1;
}

/* The elements of the list at @list_span, as spans of text. */
GArray *
_uni_manifest_list_elements (UniManifest *self,
                             UniSpan      list_span)
{
  g_autoptr(GArray) ranges = NULL;
  GArray *spans = g_array_new (FALSE, FALSE, sizeof (UniSpan));
  int open = _uni_manifest_token_at (self, list_span.offset);

  if (open < 0 || !tok_is_opener (self, open))
    return spans;

  ranges = _uni_manifest_list_ranges (self, open);
  for (guint k = 0; k < ranges->len; k++)
    {
      guint *range = &g_array_index (ranges, guint, 2 * k);
      UniSpan span = range_span (self, range[0], range[1]);

      g_array_append_val (spans, span);
    }

  return spans;
}

static char *
normalise_range (UniManifest *self,
                 guint        start,
                 guint        end)
{
  GString *out = g_string_new (NULL);

  for (guint i = start; i < end; i++)
    {
      const UniOcamlToken *t = tok (self, i);

      if (i > start
          && !tok_punct (self, i - 1, "(") && !tok_punct (self, i - 1, "[")
          && !tok_punct (self, i - 1, ".")
          && !tok_punct (self, i, ")") && !tok_punct (self, i, "]")
          && !tok_punct (self, i, ".") && !tok_punct (self, i, ";")
          && !tok_punct (self, i, ","))
        g_string_append_c (out, ' ');
      g_string_append_len (out, self->text + t->offset, t->length);
    }

  return g_string_free (out, FALSE);
}

static void
add_problem (UniManifest *self,
             UniSpan      span,
             char        *message)
{
  UniManifestProblem *problem = g_new0 (UniManifestProblem, 1);

  problem->message = message;
  problem->span = span;
  g_ptr_array_add (self->problems, problem);
}

static guint
line_of (UniManifest *self,
         gsize        offset)
{
  guint line = 1;

  offset = MIN (offset, self->length);
  for (const char *p = self->text; (p = memchr (p, '\n', self->text + offset - p)) != NULL; p++)
    line++;

  return line;
}

static char **
string_list_values (UniManifest *self,
                    guint        open)
{
  g_autoptr(GArray) elements = _uni_manifest_list_ranges (self, open);
  GPtrArray *values = g_ptr_array_new ();

  for (guint k = 0; k < elements->len; k++)
    {
      guint *range = &g_array_index (elements, guint, 2 * k);

      if (is_single_string (self, range[0], range[1]))
        {
          char *value = tok_string_value (self, range[0]);

          if (value != NULL)
            g_ptr_array_add (values, value);
        }
    }
  g_ptr_array_add (values, NULL);

  return (char **) g_ptr_array_free (values, FALSE);
}

/* Constructs */

static void
read_register (Reader *reader,
               guint   i)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint pos[MAX_ARGS];
  guint n_args;
  guint n_pos;
  guint end = parse_args (self, i + 1, args, &n_args);
  UniSpan span = range_span (self, _uni_manifest_path_start (self, i), end);

  n_pos = positional (args, n_args, pos);
  if (n_pos == 0)
    return;

  self->n_registers++;
  if (self->n_registers == 1)
    {
      const Arg *name = &args[pos[0]];

      if (is_single_string (self, name->start, name->end))
        {
          self->name = tok_string_value (self, name->start);
          self->name_span = tok_span (self, name->start);
        }
      if (self->name == NULL)
        add_problem (self, range_span (self, name->start, name->end),
                     g_strdup (_("The unikernel’s name is not a string literal")));
    }
  else if (self->n_registers == 2)
    add_problem (self, span,
                 g_strdup (_("More than one register call: the first one names the unikernel")));
}

static UniManifestListKind
list_kind (UniManifest *self,
           guint        open)
{
  g_autoptr(GArray) elements = _uni_manifest_list_ranges (self, open);

  for (guint k = 0; k < elements->len; k++)
    {
      guint *range = &g_array_index (elements, guint, 2 * k);

      if (tok_is_string (self, range[0]))
        return UNI_MANIFEST_LIST_STRINGS;
      return UNI_MANIFEST_LIST_CALLS;
    }

  return UNI_MANIFEST_LIST_NONE;
}

static void
read_entry (Reader   *reader,
            guint     i,
            gboolean  is_main)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint pos[MAX_ARGS];
  guint n_args;
  guint n_pos;
  int entry = -1;
  guint k;
  guint app_end;
  guint sig_start = 0;
  guint sig_end = 0;
  gboolean ends_in_job = FALSE;
  const Arg *packages;

  app_end = parse_args (self, i + 1, args, &n_args);
  n_pos = positional (args, n_args, pos);
  for (k = 0; k < n_pos; k++)
    {
      if (is_single_string (self, args[pos[k]].start, args[pos[k]].end))
        {
          entry = args[pos[k]].start;
          break;
        }
    }
  if (entry < 0)
    return;

  reader->markers |= is_main ? MARK_MAIN : MARK_FOREIGN;

  /* The signature is the argument after the name, or follows `@@`. */
  if (k + 1 < n_pos)
    {
      sig_start = args[pos[k + 1]].start;
      sig_end = args[pos[k + 1]].end;
    }
  else if (tok_is (self, app_end, UNI_OCAML_TOKEN_OPERATOR, "@@"))
    {
      sig_start = app_end + 1;
      for (sig_end = sig_start; sig_end < self->n_toks; )
        {
          if (tok_is_opener (self, sig_end) && self->partner[sig_end] >= 0)
            sig_end = self->partner[sig_end] + 1;
          else if (self->toks[sig_end].kind == UNI_OCAML_TOKEN_LIDENT
                   || self->toks[sig_end].kind == UNI_OCAML_TOKEN_UIDENT
                   || tok_punct (self, sig_end, ".")
                   || tok_is (self, sig_end, UNI_OCAML_TOKEN_OPERATOR, "@->"))
            sig_end++;
          else
            break;
        }
    }
  if (sig_end > sig_start)
    {
      _uni_manifest_unwrap (self, &sig_start, &sig_end);
      ends_in_job = sig_end > sig_start
                    && tok_is (self, sig_end - 1, UNI_OCAML_TOKEN_LIDENT, "job");
    }

  if (self->entry != NULL && (reader->entry_ends_in_job || !ends_in_job))
    return;

  g_clear_pointer (&self->entry, g_free);
  g_clear_pointer (&self->signature, g_free);
  g_clear_pointer (&self->devices, g_strfreev);
  self->entry = tok_string_value (self, entry);
  self->entry_span = tok_span (self, entry);
  reader->entry_ends_in_job = ends_in_job;

  if (sig_end > sig_start)
    {
      GPtrArray *devices = g_ptr_array_new ();
      guint part = sig_start;

      self->signature = normalise_range (self, sig_start, sig_end);
      for (guint j = sig_start; j <= sig_end; )
        {
          if (j == sig_end || tok_is (self, j, UNI_OCAML_TOKEN_OPERATOR, "@->"))
            {
              if (j < sig_end && j > part)
                g_ptr_array_add (devices, normalise_range (self, part, j));
              if (j == sig_end)
                break;
              part = ++j;
            }
          else if (tok_is_opener (self, j) && self->partner[j] >= 0)
            j = self->partner[j] + 1;
          else
            j++;
        }
      g_ptr_array_add (devices, NULL);
      self->devices = (char **) g_ptr_array_free (devices, FALSE);
    }

  self->entry_has_packages_label = FALSE;
  self->packages_list_kind = UNI_MANIFEST_LIST_NONE;
  self->packages_list.offset = self->packages_list.length = 0;
  packages = find_label (args, n_args, self, "packages");
  if (packages != NULL)
    {
      int open = resolve_list (reader, packages->start, packages->end);

      self->entry_has_packages_label = TRUE;
      if (open >= 0)
        {
          self->packages_list = range_span (self, open, self->partner[open] + 1);
          self->packages_list_kind = list_kind (self, open);
        }
    }
}

static void
add_package (UniManifest               *self,
             UniManifestPackagePrivate *package,
             guint                      start,
             guint                      end)
{
  int enclosing = self->enclosing[start];

  if (enclosing >= 0 && tok_punct (self, enclosing, "[")
      && (tok_punct (self, start - 1, "[") || tok_punct (self, start - 1, ";"))
      && (tok_punct (self, end, "]") || tok_punct (self, end, ";")))
    package->pub.list_span = range_span (self, enclosing, self->partner[enclosing] + 1);

  g_ptr_array_add (self->packages, package);
}

static void
read_package_call (Reader *reader,
                   guint   i)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint pos[MAX_ARGS];
  guint n_args;
  guint n_pos;
  guint start = _uni_manifest_path_start (self, i);
  guint end = parse_args (self, i + 1, args, &n_args);
  UniManifestPackagePrivate *package;
  const Arg *label;
  const Arg *name = NULL;

  n_pos = positional (args, n_args, pos);
  for (guint k = 0; k < n_pos; k++)
    {
      if (is_single_string (self, args[pos[k]].start, args[pos[k]].end))
        {
          name = &args[pos[k]];
          break;
        }
    }
  if (name == NULL)
    return;

  reader->markers |= MARK_PACKAGE_CALL;

  package = g_new0 (UniManifestPackagePrivate, 1);
  package->is_call = TRUE;
  package->pub.name = tok_string_value (self, name->start);
  if (package->pub.name == NULL)
    package->pub.name = tok_dup (self, name->start);
  package->name_span = tok_span (self, name->start);
  package->pub.span = range_span (self, start, end);

  if ((label = find_label (args, n_args, self, "min")) != NULL)
    {
      package->pub.min = tok_string_value (self, label->start);
      package->min_span = range_span (self, label->label, label->end);
      package->min_value_span = range_span (self, label->start, label->end);
    }
  if ((label = find_label (args, n_args, self, "max")) != NULL)
    {
      package->pub.max = tok_string_value (self, label->start);
      package->max_span = range_span (self, label->label, label->end);
      package->max_value_span = range_span (self, label->start, label->end);
    }
  if ((label = find_label (args, n_args, self, "sublibs")) != NULL)
    {
      int open = resolve_list (reader, label->start, label->end);

      if (open >= 0)
        package->pub.sublibs = string_list_values (self, open);
    }

  add_package (self, package, start, end);
}

static void
read_string_list (Reader   *reader,
                  guint     open,
                  gboolean  is_library)
{
  UniManifest *self = reader->self;
  g_autoptr(GArray) elements = _uni_manifest_list_ranges (self, open);

  for (guint k = 0; k < elements->len; k++)
    {
      guint *range = &g_array_index (elements, guint, 2 * k);
      UniManifestPackagePrivate *package;

      if (!is_single_string (self, range[0], range[1]))
        {
          /* `package "x"` calls and names bound elsewhere are read where they are. */
          if (range[1] - range[0] > 1 && !tok_is (self, range[0], UNI_OCAML_TOKEN_LIDENT, "package")
              && !(tok_is (self, range[0], UNI_OCAML_TOKEN_UIDENT, NULL)
                   && tok_punct (self, range[0] + 1, ".")))
            add_problem (self, range_span (self, range[0], range[1]),
                         g_strdup (_("A package name is computed: shown as text only")));
          continue;
        }

      package = g_new0 (UniManifestPackagePrivate, 1);
      package->pub.name = tok_string_value (self, range[0]);
      if (package->pub.name == NULL)
        package->pub.name = tok_dup (self, range[0]);
      package->pub.is_library = is_library;
      package->pub.span = tok_span (self, range[0]);
      package->name_span = package->pub.span;
      add_package (self, package, range[0], range[1]);
    }
}

static void
read_add_to (Reader   *reader,
             guint     i,
             gboolean  is_library)
{
  UniManifest *self = reader->self;
  guint end = skip_arg (self, i + 1);
  int open;

  if (end == i + 1)
    return;

  reader->markers |= MARK_ADD_TO;
  open = resolve_list (reader, i + 1, end);
  if (open < 0)
    return;

  read_string_list (reader, open, is_library);
  if (!is_library && self->packages_list.length == 0 && !self->entry_has_packages_label)
    {
      self->packages_list = range_span (self, open, self->partner[open] + 1);
      self->packages_list_kind = UNI_MANIFEST_LIST_STRINGS;
    }
}

static void
read_list_label (Reader *reader,
                 guint   i)
{
  UniManifest *self = reader->self;
  gboolean is_library = label_is (self, i, "libraries");
  guint end = skip_arg (self, i);
  int open;

  if (is_label_with_value (self, i))
    open = end > i + 1 ? resolve_list (reader, i + 1, end) : -1;
  else
    open = resolve_list (reader, i, i + 1);
  if (open < 0)
    return;

  if (list_kind (self, open) == UNI_MANIFEST_LIST_STRINGS)
    reader->markers |= MARK_STRING_LISTS;
  else if (list_kind (self, open) == UNI_MANIFEST_LIST_NONE && !is_library)
    reader->markers |= MARK_EMPTY_PACKAGES;
  read_string_list (reader, open, is_library);
}

static void
read_keys_label (Reader *reader,
                 guint   i)
{
  UniManifest *self = reader->self;
  guint end = skip_arg (self, i);
  int open;

  if (is_label_with_value (self, i))
    open = end > i + 1 ? resolve_list (reader, i + 1, end) : -1;
  else
    open = resolve_list (reader, i, i + 1);
  if (open < 0)
    return;

  for (int j = open + 1; j < self->partner[open]; j++)
    {
      if (tok_is (self, j, UNI_OCAML_TOKEN_LIDENT, NULL))
        g_hash_table_add (reader->attached, tok_dup (self, j));
    }
}

static char *
converter_words (UniManifest *self,
                 guint        start,
                 guint        end)
{
  GString *out = g_string_new (NULL);

  for (guint j = start; j < end; j++)
    {
      if (tok_is (self, j, UNI_OCAML_TOKEN_LIDENT, NULL))
        {
          if (out->len > 0)
            g_string_append_c (out, ' ');
          g_string_append_len (out, self->text + self->toks[j].offset, self->toks[j].length);
        }
    }

  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return range_text (self, start, end);
    }

  return g_string_free (out, FALSE);
}

static gboolean
read_key_info (Reader                *reader,
               UniManifestKeyPrivate *key,
               guint                  start,
               guint                  end)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint n_args;
  const Arg *label;

  resolve_expression (reader, &start, &end);
  while (tok_is (self, start, UNI_OCAML_TOKEN_UIDENT, NULL) && tok_punct (self, start + 1, "."))
    start += 2;
  if (!tok_is (self, start, UNI_OCAML_TOKEN_LIDENT, "info"))
    return FALSE;

  parse_args (self, start + 1, args, &n_args);
  key->has_info = TRUE;
  key->info_insert_offset = start + 1 < self->n_toks ? self->toks[start + 1].offset : self->length;

  for (guint k = 0; k < n_args; k++)
    {
      if (args[k].label >= 0)
        continue;
      if (tok_punct (self, args[k].start, "[") && self->partner[args[k].start] >= 0)
        key->pub.flags = string_list_values (self, args[k].start);
      break;
    }

  key->has_doc_label = find_label (args, n_args, self, "doc") != NULL;
  if ((label = find_label (args, n_args, self, "doc")) != NULL
      && is_single_string (self, label->start, label->end))
    {
      key->pub.doc = tok_string_value (self, label->start);
      key->pub.doc_span = tok_span (self, label->start);
    }
  if ((label = find_label (args, n_args, self, "docv")) != NULL)
    key->pub.docv = tok_string_value (self, label->start);
  if ((label = find_label (args, n_args, self, "env")) != NULL)
    key->pub.env = tok_string_value (self, label->start);

  return TRUE;
}

static gboolean
read_key_spec (Reader                *reader,
               UniManifestKeyPrivate *key,
               guint                  start,
               guint                  end)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint pos[MAX_ARGS];
  guint n_args;
  guint n_pos;
  const Arg *stage;
  const char *kind;
  int conv = -1;
  int def = -1;
  int info = -1;

  resolve_expression (reader, &start, &end);
  while (tok_is (self, start, UNI_OCAML_TOKEN_UIDENT, NULL) && tok_punct (self, start + 1, ".")
         && start + 2 < end)
    {
      start += 2;
      if (tok_is_opener (self, start))
        start++;
    }

  if (tok_is (self, start, UNI_OCAML_TOKEN_LIDENT, "opt"))
    kind = "opt";
  else if (tok_is (self, start, UNI_OCAML_TOKEN_LIDENT, "flag"))
    kind = "flag";
  else if (tok_is (self, start, UNI_OCAML_TOKEN_LIDENT, "required"))
    kind = "required";
  else if (tok_is (self, start, UNI_OCAML_TOKEN_LIDENT, "opt_all"))
    kind = "opt_all";
  else
    return FALSE;

  key->pub.kind = g_strdup (kind);
  parse_args (self, start + 1, args, &n_args);
  n_pos = positional (args, n_args, pos);

  if (g_str_equal (kind, "flag"))
    info = n_pos >= 1 ? (int) pos[0] : -1;
  else if (g_str_equal (kind, "opt") || (g_str_equal (kind, "opt_all") && n_pos >= 3))
    {
      conv = n_pos >= 1 ? (int) pos[0] : -1;
      def = n_pos >= 2 ? (int) pos[1] : -1;
      info = n_pos >= 3 ? (int) pos[2] : -1;
    }
  else
    {
      conv = n_pos >= 1 ? (int) pos[0] : -1;
      info = n_pos >= 2 ? (int) pos[1] : -1;
    }

  if (conv >= 0)
    {
      guint s = args[conv].start;
      guint e = args[conv].end;

      _uni_manifest_unwrap (self, &s, &e);
      key->pub.type = converter_words (self, s, e);
    }
  if (def >= 0)
    {
      key->pub.default_text = range_text (self, args[def].start, args[def].end);
      key->pub.default_span = range_span (self, args[def].start, args[def].end);
    }
  if ((stage = find_label (args, n_args, self, "stage")) != NULL
      && tok_is (self, stage->start, UNI_OCAML_TOKEN_POLY_VARIANT, NULL))
    {
      g_autofree char *variant = tok_dup (self, stage->start);

      key->pub.stage = g_ascii_strdown (variant + 1, -1);
    }

  if ((g_str_equal (kind, "opt") && def < 0) || (conv < 0 && !g_str_equal (kind, "flag")))
    return FALSE;

  return info >= 0 && read_key_info (reader, key, args[info].start, args[info].end);
}

/* The end of the application starting at @i: `Key.Arg.opt int 1 (info [..])`,
 * a local open `Key.Arg.( ... )` or a bound name; @i when there is none.
 */
static guint
application_end (UniManifest *self,
                 guint        i)
{
  Arg args[MAX_ARGS];
  guint n_args;
  guint k = i;

  while (tok_is (self, k, UNI_OCAML_TOKEN_UIDENT, NULL) && tok_punct (self, k + 1, "."))
    k += 2;
  if (k > i && tok_is_opener (self, k) && self->partner[k] >= 0)
    return self->partner[k] + 1;
  if (!tok_is (self, k, UNI_OCAML_TOKEN_LIDENT, NULL))
    return i;

  return parse_args (self, k + 1, args, &n_args);
}

static void
read_key (Reader *reader,
          guint   i)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint pos[MAX_ARGS];
  guint n_args;
  guint n_pos;
  guint start = _uni_manifest_path_start (self, i);
  guint end = parse_args (self, i + 1, args, &n_args);
  guint spec_start = 0;
  guint spec_end = 0;
  UniManifestKeyPrivate *key;
  UniSpan span;
  gboolean spec_read;

  n_pos = positional (args, n_args, pos);
  if (n_pos == 0)
    return;

  reader->markers |= MARK_KEY_CREATE;

  /* `Key.create "port" @@ Key.Arg.opt ...`: the spec follows `@@`. */
  if (n_pos == 1 && tok_is (self, end, UNI_OCAML_TOKEN_OPERATOR, "@@"))
    {
      spec_start = end + 1;
      spec_end = application_end (self, spec_start);
      if (spec_end > spec_start)
        end = spec_end;
    }

  /* `Key.(create "port" Arg.(...))`: the key is the whole local open. */
  if (start == i && i >= 3 && tok_punct (self, i - 1, "(") && tok_punct (self, i - 2, ".")
      && self->partner[i - 1] == (int) end)
    {
      start = _uni_manifest_path_start (self, i - 3);
      end++;
    }
  span = range_span (self, start, end);

  if (!is_single_string (self, args[pos[0]].start, args[pos[0]].end))
    {
      add_problem (self, span,
                   g_strdup (_("Key defined through a helper function: shown as text only")));
      return;
    }

  key = g_new0 (UniManifestKeyPrivate, 1);
  key->pub.name = tok_string_value (self, args[pos[0]].start);
  if (key->pub.name == NULL)
    key->pub.name = tok_dup (self, args[pos[0]].start);
  key->pub.name_span = tok_span (self, args[pos[0]].start);
  key->pub.span = span;
  key->binding = g_strdup (reader->toplevel_binding);

  if (spec_end > spec_start)
    spec_read = read_key_spec (reader, key, spec_start, spec_end);
  else
    spec_read = n_pos >= 2 && read_key_spec (reader, key, args[pos[1]].start, args[pos[1]].end);
  if (!spec_read)
    add_problem (self, span,
                 g_strdup_printf (_("Key “%s” could not be read: shown as text only"),
                                  key->pub.name));

  if (key->pub.flags == NULL)
    key->pub.flags = g_new0 (char *, 1);

  g_ptr_array_add (self->keys, key);
}

static void
read_runtime_arg (Reader *reader,
                  guint   i)
{
  UniManifest *self = reader->self;
  Arg args[MAX_ARGS];
  guint pos[MAX_ARGS];
  guint n_args;
  guint n_pos;
  guint start = _uni_manifest_path_start (self, i);
  guint end = parse_args (self, i + 1, args, &n_args);
  UniManifestRuntimeArg *arg;

  reader->markers |= MARK_RUNTIME_ARG;
  if (n_args == 0)
    return;

  arg = g_new0 (UniManifestRuntimeArg, 1);
  n_pos = positional (args, n_args, pos);
  for (guint k = 0; k < n_pos && arg->name == NULL; k++)
    {
      if (is_single_string (self, args[pos[k]].start, args[pos[k]].end))
        arg->name = tok_string_value (self, args[pos[k]].start);
    }
  if (arg->name == NULL)
    arg->name = g_strdup (reader->toplevel_binding != NULL ? reader->toplevel_binding : "");
  arg->span = range_span (self, start, end);
  g_ptr_array_add (self->runtime_args, arg);
}

/* The value a getenv knob takes when the variable is unset, from
 * `with Not_found -> X` or `| None -> X` in the same binding. A variant
 * maps back to the string that selects it when a case says so.
 */
static char *
knob_default (UniManifest *self,
              guint        i,
              guint        limit)
{
  for (guint j = i; j + 2 < limit; j++)
    {
      guint v;

      if (!((tok_is (self, j, UNI_OCAML_TOKEN_UIDENT, "Not_found")
             || tok_is (self, j, UNI_OCAML_TOKEN_UIDENT, "None"))
            && tok_is (self, j + 1, UNI_OCAML_TOKEN_OPERATOR, "->")))
        continue;

      v = j + 2;
      if (tok_is_string (self, v))
        return tok_string_value (self, v);
      if (tok_is (self, v, UNI_OCAML_TOKEN_POLY_VARIANT, NULL))
        {
          for (guint c = i; c + 2 < j; c++)
            {
              if (tok_is_string (self, c) && tok_is (self, c + 1, UNI_OCAML_TOKEN_OPERATOR, "->")
                  && self->toks[c + 2].kind == UNI_OCAML_TOKEN_POLY_VARIANT
                  && self->toks[c + 2].length == self->toks[v].length
                  && memcmp (self->text + self->toks[c + 2].offset,
                             self->text + self->toks[v].offset, self->toks[v].length) == 0)
                return tok_string_value (self, c);
            }
          {
            g_autofree char *variant = tok_dup (self, v);

            return g_ascii_strdown (variant + 1, -1);
          }
        }
      if (tok_is (self, v, UNI_OCAML_TOKEN_KEYWORD, "true")
          || tok_is (self, v, UNI_OCAML_TOKEN_KEYWORD, "false")
          || tok_is (self, v, UNI_OCAML_TOKEN_INT, NULL))
        return tok_dup (self, v);
      return NULL;
    }

  return NULL;
}

static void
read_getenv (Reader *reader,
             guint   i)
{
  UniManifest *self = reader->self;
  guint start = _uni_manifest_path_start (self, i);
  guint name = i + 1;
  guint limit;
  UniManifestEnvKnob *knob;
  char *value;

  if (tok_punct (self, name, "(") && tok_is_string (self, name + 1)
      && tok_punct (self, name + 2, ")"))
    name++;
  if (!tok_is_string (self, name))
    return;

  reader->markers |= MARK_GETENV;
  value = tok_string_value (self, name);
  if (value == NULL || g_hash_table_contains (reader->knob_names, value))
    {
      g_free (value);
      return;
    }
  g_hash_table_add (reader->knob_names, value);

  /* The rest of this top-level binding, within reason. */
  for (limit = i + 1; limit < self->n_toks && limit < i + 256; limit++)
    {
      const UniOcamlToken *t = &self->toks[limit];

      if (tok_is (self, limit, UNI_OCAML_TOKEN_KEYWORD, "let")
          && (t->offset == 0 || self->text[t->offset - 1] == '\n'))
        break;
    }

  knob = g_new0 (UniManifestEnvKnob, 1);
  knob->name = g_strdup (value);
  knob->default_value = knob_default (self, i, limit);
  knob->span = range_span (self, start, name + 1 + (name != i + 1));
  g_ptr_array_add (self->env_knobs, knob);
}

static gboolean
is_definition (UniManifest *self,
               guint        i)
{
  return i > 0
         && (tok_is (self, i - 1, UNI_OCAML_TOKEN_KEYWORD, "let")
             || tok_is (self, i - 1, UNI_OCAML_TOKEN_KEYWORD, "and")
             || tok_is (self, i - 1, UNI_OCAML_TOKEN_KEYWORD, "rec")
             || tok_is (self, i - 1, UNI_OCAML_TOKEN_KEYWORD, "val")
             || tok_is (self, i - 1, UNI_OCAML_TOKEN_KEYWORD, "external"));
}

static gboolean
preceded_by_module (UniManifest *self,
                    guint        i,
                    const char  *module)
{
  return i >= 2 && tok_punct (self, i - 1, ".")
         && tok_is (self, i - 2, UNI_OCAML_TOKEN_UIDENT, module);
}

static gboolean
in_key_module (UniManifest *self,
               guint        i)
{
  if (preceded_by_module (self, i, "Key") || preceded_by_module (self, i, "Mirage_key")
      || preceded_by_module (self, i, "Functoria_key"))
    return TRUE;

  /* Key.(create ...) */
  return i >= 3 && tok_punct (self, i - 1, "(") && tok_punct (self, i - 2, ".")
         && tok_is (self, i - 3, UNI_OCAML_TOKEN_UIDENT, "Key");
}

static void
read_lident (Reader *reader,
             guint   i)
{
  UniManifest *self = reader->self;
  const UniOcamlToken *t = tok (self, i);
  const char *s = self->text + t->offset;

#define IS(word) (t->length == strlen (word) && memcmp (s, word, t->length) == 0)

  for (guint k = 0; k < G_N_ELEMENTS (network_devices); k++)
    {
      if (IS (network_devices[k]))
        {
          self->uses_network = TRUE;
          if (IS ("tap0"))
            reader->markers |= MARK_TAP0;
          else if (IS ("default_network"))
            reader->markers |= MARK_DEFAULT_NET;
          else if (IS ("generic_stackv4v6") || IS ("stackv4v6") || IS ("socket_stackv4v6")
                   || IS ("direct_stackv4v6"))
            reader->markers |= MARK_STACKV4V6;
          break;
        }
    }
  if (self->static_store == NULL)
    {
      for (guint k = 0; k < G_N_ELEMENTS (static_stores); k++)
        {
          if (IS (static_stores[k][0]) && !is_definition (self, i))
            self->static_store = static_stores[k][1];
        }
    }

  if (is_definition (self, i))
    return;

  if (IS ("register"))
    read_register (reader, i);
  else if (IS ("foreign"))
    read_entry (reader, i, FALSE);
  else if (IS ("main"))
    read_entry (reader, i, TRUE);
  else if (IS ("package"))
    read_package_call (reader, i);
  else if (IS ("add_to_opam_packages"))
    read_add_to (reader, i, FALSE);
  else if (IS ("add_to_ocamlfind_libraries"))
    read_add_to (reader, i, TRUE);
  else if (IS ("create") && preceded_by_module (self, i, "Runtime_arg"))
    read_runtime_arg (reader, i);
  else if (IS ("create") && in_key_module (self, i))
    read_key (reader, i);
  else if (IS ("create") && reader->key_opened && !tok_punct (self, i - (i > 0), ".")
           && tok_is_string (self, i + 1))
    read_key (reader, i);
  else if (IS ("runtime_arg"))
    read_runtime_arg (reader, i);
  else if (IS ("getenv") || IS ("getenv_opt"))
    read_getenv (reader, i);
  else if (IS ("get_mode"))
    reader->markers |= MARK_GET_MODE;
  else if ((IS ("abstract") || (IS ("v") && in_key_module (self, i)))
           && tok_is (self, i + 1, UNI_OCAML_TOKEN_LIDENT, NULL))
    {
      if (IS ("v"))
        reader->markers |= MARK_KEY_V;
      g_hash_table_add (reader->attached, tok_dup (self, i + 1));
    }
  else if ((IS ("is_unix") || IS ("is_solo5"))
           && (in_key_module (self, i) || reader->key_opened
               || tok_is (self, i - (i > 0), UNI_OCAML_TOKEN_LIDENT, "if_impl")))
    reader->markers |= MARK_KEY_3;

#undef IS
}

/* A name listed twice (in two if_impl branches, say) is one row of the
 * model, the first, unless the two differ in bounds. Either way the edits
 * need to know there is more than one element, hence n_elements.
 */
static void
merge_duplicate_packages (UniManifest *self)
{
  for (guint k = 0; k < self->packages->len; k++)
    {
      UniManifestPackagePrivate *package = g_ptr_array_index (self->packages, k);

      package->n_elements = 1;
      for (guint earlier = 0; earlier < k; earlier++)
        {
          UniManifestPackagePrivate *first = g_ptr_array_index (self->packages, earlier);

          if (first->pub.is_library != package->pub.is_library
              || g_strcmp0 (first->pub.name, package->pub.name) != 0)
            continue;
          if (first->pub.span.offset == package->pub.span.offset
              || (g_strcmp0 (first->pub.min, package->pub.min) == 0
                  && g_strcmp0 (first->pub.max, package->pub.max) == 0))
            {
              /* The same element read twice is still one element. */
              if (first->pub.span.offset != package->pub.span.offset)
                first->n_elements++;
              g_ptr_array_remove_index (self->packages, k--);
              break;
            }
        }
    }
}

static int
compare_package_offsets (gconstpointer a,
                         gconstpointer b)
{
  const UniManifestPackage *pa = *(const UniManifestPackage * const *) a;
  const UniManifestPackage *pb = *(const UniManifestPackage * const *) b;

  return pa->span.offset < pb->span.offset ? -1 : pa->span.offset > pb->span.offset;
}

static int
compare_problem_offsets (gconstpointer a,
                         gconstpointer b)
{
  const UniManifestProblem *pa = *(const UniManifestProblem * const *) a;
  const UniManifestProblem *pb = *(const UniManifestProblem * const *) b;

  return pa->span.offset < pb->span.offset ? -1 : pa->span.offset > pb->span.offset;
}

static int
bracket_kind (char c)
{
  switch (c)
    {
    case '(': case ')':
      return 0;
    case '[': case ']': case '|':
      return 1;
    case '{': case '}':
      return 2;
    default:
      return -1;
    }
}

static void
match_brackets (UniManifest *self)
{
  g_autoptr(GArray) stack = g_array_new (FALSE, FALSE, sizeof (guint));
  guint open_count[3] = { 0, 0, 0 };

  for (guint i = 0; i < self->n_toks; i++)
    {
      const UniOcamlToken *t = &self->toks[i];
      char c = self->text[t->offset];
      int kind = bracket_kind (c);

      self->partner[i] = -1;
      self->enclosing[i] = stack->len > 0 ? (int) g_array_index (stack, guint, stack->len - 1) : -1;

      if (t->kind != UNI_OCAML_TOKEN_PUNCT || kind < 0)
        continue;

      if (c == '(' || c == '[' || c == '{')
        {
          open_count[kind]++;
          g_array_append_val (stack, i);
          continue;
        }

      if (open_count[kind] == 0)
        continue;

      /* Unmatched openers inside are dropped, so this is linear overall. */
      while (stack->len > 0)
        {
          guint open = g_array_index (stack, guint, stack->len - 1);
          int open_kind = bracket_kind (self->text[self->toks[open].offset]);

          g_array_set_size (stack, stack->len - 1);
          open_count[open_kind]--;
          if (open_kind == kind)
            {
              self->partner[open] = i;
              self->partner[i] = open;
              self->enclosing[i] = self->enclosing[open];
              break;
            }
        }
    }
}

static void
build_bindings (Reader *reader)
{
  UniManifest *self = reader->self;

  for (guint i = 0; i + 2 < self->n_toks; i++)
    {
      guint j = i + 1;
      GArray *starts;
      char *name;
      guint start;

      if (!tok_is (self, i, UNI_OCAML_TOKEN_KEYWORD, "let")
          && !tok_is (self, i, UNI_OCAML_TOKEN_KEYWORD, "and"))
        continue;
      if (tok_is (self, j, UNI_OCAML_TOKEN_KEYWORD, "rec"))
        j++;
      if (!tok_is (self, j, UNI_OCAML_TOKEN_LIDENT, NULL)
          || !tok_is (self, j + 1, UNI_OCAML_TOKEN_OPERATOR, "=")
          || j + 2 >= self->n_toks)
        continue;

      name = tok_dup (self, j);
      starts = g_hash_table_lookup (reader->bindings, name);
      if (starts == NULL)
        {
          starts = g_array_new (FALSE, FALSE, sizeof (guint));
          g_hash_table_insert (reader->bindings, name, starts);
        }
      else
        g_free (name);
      start = j + 2;
      g_array_append_val (starts, start);
    }
}

static void
read_tokens (UniManifest *self)
{
  g_autoptr(GArray) all = uni_ocaml_lex (self->text, self->length);
  Reader reader = { 0 };
  guint n = 0;

  reader.self = self;
  reader.bindings = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                           (GDestroyNotify) g_array_unref);
  reader.attached = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reader.knob_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  self->toks = g_new (UniOcamlToken, all->len + 1);
  for (guint k = 0; k < all->len; k++)
    {
      const UniOcamlToken *t = &g_array_index (all, UniOcamlToken, k);

      if (t->flags & UNI_OCAML_TOKEN_FLAG_UNTERMINATED)
        {
          UniSpan span = { t->offset, t->length };

          if (t->kind == UNI_OCAML_TOKEN_COMMENT)
            add_problem (self, span,
                         g_strdup_printf (_("Unterminated comment starting at line %u"),
                                          line_of (self, t->offset)));
          else
            add_problem (self, span,
                         g_strdup_printf (_("Unterminated string starting at line %u"),
                                          line_of (self, t->offset)));
        }
      else if (t->kind == UNI_OCAML_TOKEN_INVALID && !reader.invalid_reported)
        {
          UniSpan span = { t->offset, t->length };

          reader.invalid_reported = TRUE;
          add_problem (self, span,
                       g_strdup_printf (_("Bytes that are not OCaml text at line %u"),
                                        line_of (self, t->offset)));
        }

      if (t->kind != UNI_OCAML_TOKEN_WHITESPACE && t->kind != UNI_OCAML_TOKEN_COMMENT)
        self->toks[n++] = *t;
    }
  self->n_toks = n;
  self->partner = g_new (int, n + 1);
  self->enclosing = g_new (int, n + 1);

  _uni_manifest_read_version_pin (self, all);

  if (n == 0)
    {
      UniSpan span = { 0, 0 };

      add_problem (self, span, g_strdup (_("Empty config.ml")));
      goto out;
    }

  match_brackets (self);
  build_bindings (&reader);

  for (guint i = 0; i < n; i++)
    {
      const UniOcamlToken *t = &self->toks[i];

      switch (t->kind)
        {
        case UNI_OCAML_TOKEN_KEYWORD:
          if (uni_ocaml_token_equal (t, self->text, "open"))
            {
              guint j = i + 1;

              while (tok_is (self, j, UNI_OCAML_TOKEN_UIDENT, NULL) && tok_punct (self, j + 1, "."))
                j += 2;
              if (tok_is (self, j, UNI_OCAML_TOKEN_UIDENT, "Key"))
                reader.key_opened = TRUE;
            }
          if (uni_ocaml_token_equal (t, self->text, "let")
              && (t->offset == 0 || self->text[t->offset - 1] == '\n'))
            {
              guint j = tok_is (self, i + 1, UNI_OCAML_TOKEN_KEYWORD, "rec") ? i + 2 : i + 1;

              g_clear_pointer (&reader.toplevel_binding_owned, g_free);
              if (tok_is (self, j, UNI_OCAML_TOKEN_LIDENT, NULL))
                reader.toplevel_binding_owned = tok_dup (self, j);
              reader.toplevel_binding = reader.toplevel_binding_owned;
            }
          break;

        case UNI_OCAML_TOKEN_LIDENT:
          read_lident (&reader, i);
          break;

        case UNI_OCAML_TOKEN_LABEL:
          if (label_is (self, i, "packages") || label_is (self, i, "libraries"))
            read_list_label (&reader, i);
          else if (label_is (self, i, "keys"))
            read_keys_label (&reader, i);
          else if (label_is (self, i, "pos")
                   && tok_is (self, i + 1, UNI_OCAML_TOKEN_LIDENT, "__POS__"))
            reader.markers |= MARK_POS;
          break;

        case UNI_OCAML_TOKEN_UIDENT:
          if (uni_ocaml_token_equal (t, self->text, "Runtime_arg"))
            reader.markers |= MARK_RUNTIME_ARG;
          break;

        case UNI_OCAML_TOKEN_WHITESPACE:
        case UNI_OCAML_TOKEN_COMMENT:
        case UNI_OCAML_TOKEN_STRING:
        case UNI_OCAML_TOKEN_QUOTED_STRING:
        case UNI_OCAML_TOKEN_CHAR:
        case UNI_OCAML_TOKEN_TYPE_VAR:
        case UNI_OCAML_TOKEN_OPTLABEL:
        case UNI_OCAML_TOKEN_POLY_VARIANT:
        case UNI_OCAML_TOKEN_INT:
        case UNI_OCAML_TOKEN_FLOAT:
        case UNI_OCAML_TOKEN_OPERATOR:
        case UNI_OCAML_TOKEN_PUNCT:
        case UNI_OCAML_TOKEN_INVALID:
        default:
          break;
        }
    }

  for (guint k = 0; k < self->keys->len; k++)
    {
      UniManifestKeyPrivate *key = g_ptr_array_index (self->keys, k);

      key->pub.attached = key->binding != NULL
                          && g_hash_table_contains (reader.attached, key->binding);
    }

  /* A string list reached twice (a bound list used by two calls) is one list. */
  g_ptr_array_sort (self->packages, compare_package_offsets);
  merge_duplicate_packages (self);
  for (guint k = 1; k < self->packages->len; )
    {
      const UniManifestPackage *a = g_ptr_array_index (self->packages, k - 1);
      const UniManifestPackage *b = g_ptr_array_index (self->packages, k);

      if (a->span.offset == b->span.offset)
        g_ptr_array_remove_index (self->packages, k);
      else
        k++;
    }

  if (self->n_registers == 0)
    {
      UniSpan span = { 0, 0 };

      add_problem (self, span, g_strdup (_("No register call: the unikernel has no name")));
    }

out:
  if (self->version_pin != NULL)
    self->era = _uni_manifest_era_from_pin (self->version_pin);
  if (self->era == UNI_MIRAGE_ERA_UNKNOWN)
    self->era = _uni_manifest_era_from_markers (reader.markers);
  if (self->devices == NULL)
    self->devices = g_new0 (char *, 1);

  g_ptr_array_sort (self->problems, compare_problem_offsets);
  for (guint k = 1; k < self->problems->len; )
    {
      const UniManifestProblem *a = g_ptr_array_index (self->problems, k - 1);
      const UniManifestProblem *b = g_ptr_array_index (self->problems, k);

      /* A bound list read through two references reports once. */
      if (a->span.offset == b->span.offset && g_str_equal (a->message, b->message))
        g_ptr_array_remove_index (self->problems, k);
      else
        k++;
    }

  g_hash_table_unref (reader.bindings);
  g_hash_table_unref (reader.attached);
  g_hash_table_unref (reader.knob_names);
  g_free (reader.toplevel_binding_owned);
}

static void
uni_manifest_finalize (GObject *object)
{
  UniManifest *self = (UniManifest *) object;

  g_free (self->text);
  g_free (self->toks);
  g_free (self->partner);
  g_free (self->enclosing);
  g_free (self->name);
  g_free (self->entry);
  g_free (self->signature);
  g_strfreev (self->devices);
  g_free (self->version_pin);
  g_ptr_array_unref (self->keys);
  g_ptr_array_unref (self->packages);
  g_ptr_array_unref (self->runtime_args);
  g_ptr_array_unref (self->env_knobs);
  g_ptr_array_unref (self->problems);

  G_OBJECT_CLASS (uni_manifest_parent_class)->finalize (object);
}

static void
uni_manifest_class_init (UniManifestClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_manifest_finalize;
}

static void
uni_manifest_init (UniManifest *self)
{
  self->keys = g_ptr_array_new_with_free_func (key_free);
  self->packages = g_ptr_array_new_with_free_func (package_free);
  self->runtime_args = g_ptr_array_new_with_free_func (runtime_arg_free);
  self->env_knobs = g_ptr_array_new_with_free_func (env_knob_free);
  self->problems = g_ptr_array_new_with_free_func (problem_free);
}

/**
 * uni_manifest_new:
 * @text: the contents of a config.ml, any bytes
 * @length: its length, or -1 when nul-terminated
 *
 * Reads @text. This never fails: what cannot be read is listed as problems.
 *
 * Returns: (transfer full): a new #UniManifest
 */
UniManifest *
uni_manifest_new (const char *text,
                  gssize      length)
{
  UniManifest *self;

  g_return_val_if_fail (text != NULL || length <= 0, NULL);

  if (text == NULL)
    text = "";
  if (length < 0)
    length = strlen (text);

  self = g_object_new (UNI_TYPE_MANIFEST, NULL);
  self->text = g_malloc (length + 1);
  memcpy (self->text, text, length);
  self->text[length] = '\0';
  self->length = length;

  read_tokens (self);

  return self;
}

/**
 * uni_manifest_new_for_file:
 * @file: a config.ml
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError
 *
 * Reads @file. This blocks: call it from a thread.
 *
 * Returns: (transfer full) (nullable): a new #UniManifest, or %NULL when the
 *   file cannot be loaded
 */
UniManifest *
uni_manifest_new_for_file (GFile         *file,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, error))
    return NULL;

  return uni_manifest_new (contents, length);
}

/**
 * uni_manifest_get_text:
 * @self: a #UniManifest
 * @length: (out) (optional): the text's length in bytes
 *
 * Returns: the text the manifest was read from, nul-terminated
 */
const char *
uni_manifest_get_text (UniManifest *self,
                       gsize       *length)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  if (length != NULL)
    *length = self->length;

  return self->text;
}

UniMirageEra
uni_manifest_get_era (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), UNI_MIRAGE_ERA_UNKNOWN);

  return self->era;
}

/**
 * uni_manifest_get_name:
 * @self: a #UniManifest
 * @span: (out) (optional): where the name's string literal is
 *
 * Returns: (nullable): the unikernel's name, from the first `register` call
 */
const char *
uni_manifest_get_name (UniManifest *self,
                       UniSpan     *span)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  if (span != NULL)
    *span = self->name_span;

  return self->name;
}

/**
 * uni_manifest_get_entry:
 * @self: a #UniManifest
 * @span: (out) (optional): where the entry's string literal is
 *
 * Returns: (nullable): the entry module, `foreign "Unikernel.Main"` or
 *   `main "Unikernel.Main"`
 */
const char *
uni_manifest_get_entry (UniManifest *self,
                        UniSpan     *span)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  if (span != NULL)
    *span = self->entry_span;

  return self->entry;
}

/**
 * uni_manifest_get_signature:
 * @self: a #UniManifest
 *
 * Returns: (nullable): the entry's signature with single spaces,
 *   "console @-> kv_ro @-> http @-> job"
 */
const char *
uni_manifest_get_signature (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  return self->signature;
}

/**
 * uni_manifest_get_devices:
 * @self: a #UniManifest
 *
 * Returns: (transfer none): the device types the entry takes, in order
 */
const char * const *
uni_manifest_get_devices (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  return (const char * const *) self->devices;
}

/**
 * uni_manifest_get_version_pin:
 * @self: a #UniManifest
 * @span: (out) (optional): where the pin's text is, inside the comment
 *
 * Returns: (nullable): the first-line pin, "mirage >= 4.5.1 & < 4.6.0"
 */
const char *
uni_manifest_get_version_pin (UniManifest *self,
                              UniSpan     *span)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  if (span != NULL)
    *span = self->version_pin_span;

  return self->version_pin;
}

gboolean
uni_manifest_get_uses_network (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), FALSE);

  return self->uses_network;
}

/**
 * uni_manifest_get_static_store:
 * @self: a #UniManifest
 *
 * Returns: (nullable): the first static store device used: "crunch",
 *   "generic_kv_ro", "direct_kv_ro", "archive" or "fat"
 */
const char *
uni_manifest_get_static_store (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);

  return self->static_store;
}

guint
uni_manifest_get_n_keys (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), 0);

  return self->keys->len;
}

const UniManifestKey *
uni_manifest_get_key (UniManifest *self,
                      guint        position)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (position < self->keys->len, NULL);

  return g_ptr_array_index (self->keys, position);
}

/**
 * uni_manifest_find_key:
 * @self: a #UniManifest
 * @name: a key's name
 *
 * Returns: (nullable): the first key called @name
 */
const UniManifestKey *
uni_manifest_find_key (UniManifest *self,
                       const char  *name)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint k = 0; k < self->keys->len; k++)
    {
      const UniManifestKey *key = g_ptr_array_index (self->keys, k);

      if (g_strcmp0 (key->name, name) == 0)
        return key;
    }

  return NULL;
}

guint
uni_manifest_get_n_packages (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), 0);

  return self->packages->len;
}

const UniManifestPackage *
uni_manifest_get_package (UniManifest *self,
                          guint        position)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (position < self->packages->len, NULL);

  return g_ptr_array_index (self->packages, position);
}

guint
uni_manifest_get_n_runtime_args (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), 0);

  return self->runtime_args->len;
}

const UniManifestRuntimeArg *
uni_manifest_get_runtime_arg (UniManifest *self,
                              guint        position)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (position < self->runtime_args->len, NULL);

  return g_ptr_array_index (self->runtime_args, position);
}

guint
uni_manifest_get_n_env_knobs (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), 0);

  return self->env_knobs->len;
}

const UniManifestEnvKnob *
uni_manifest_get_env_knob (UniManifest *self,
                           guint        position)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (position < self->env_knobs->len, NULL);

  return g_ptr_array_index (self->env_knobs, position);
}

guint
uni_manifest_get_n_problems (UniManifest *self)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), 0);

  return self->problems->len;
}

const UniManifestProblem *
uni_manifest_get_problem (UniManifest *self,
                          guint        position)
{
  g_return_val_if_fail (UNI_IS_MANIFEST (self), NULL);
  g_return_val_if_fail (position < self->problems->len, NULL);

  return g_ptr_array_index (self->problems, position);
}

/**
 * uni_manifest_get_problem_line:
 * @self: a #UniManifest
 * @position: a problem's position
 *
 * Returns: the 1-based line where the problem's span starts
 */
guint
uni_manifest_get_problem_line (UniManifest *self,
                               guint        position)
{
  const UniManifestProblem *problem;

  g_return_val_if_fail (UNI_IS_MANIFEST (self), 0);
  g_return_val_if_fail (position < self->problems->len, 0);

  problem = g_ptr_array_index (self->problems, position);

  return line_of (self, problem->span.offset);
}
