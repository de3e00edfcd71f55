/* uni-diagnostic.c — errors and warnings read from build output as it streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-diagnostic"

#include "config.h"

#include <string.h>

#include "uni-diagnostic.h"

/* The parser reads one byte at a time through a small escape-sequence state
 * machine into a line buffer, then matches each finished line against fixed
 * prefixes. Nothing looks back further than the current line, so the cost is
 * linear in the output, and a line longer than MAX_LINE keeps only its start.
 */
#define MAX_LINE    (64 * 1024)
#define MAX_DETAILS (64 * 1024)

struct _UniDiagnostic
{
  GObject parent_instance;

  char *file;
  char *message;
  GString *details;
  char *code;
  const char *source;
  guint line;
  guint end_line;
  guint start_column;
  guint end_column;
  UniDiagnosticSeverity severity;
};

G_DEFINE_FINAL_TYPE (UniDiagnostic, uni_diagnostic, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_FILE,
  PROP_LINE,
  PROP_END_LINE,
  PROP_START_COLUMN,
  PROP_END_COLUMN,
  PROP_SEVERITY,
  PROP_MESSAGE,
  PROP_DETAILS,
  PROP_SOURCE,
  PROP_CODE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef enum
{
  ANSI_TEXT,
  ANSI_ESC,
  ANSI_CSI,
  ANSI_STRING,
  ANSI_STRING_ESC,
  ANSI_CHARSET,
} AnsiState;

/* What may continue an open diagnostic on the following lines. */
typedef enum
{
  OPEN_NONE,
  OPEN_OCAML,     /* any line that starts nothing else (OCaml prints unindented payloads) */
  OPEN_INDENTED,  /* indented lines, "-> required by" and "Hint:" */
  OPEN_CMDLINER,  /* indented lines, "Usage: ..." and "Try '...' for more information." */
  OPEN_OPAM,      /* lines of an "#=== ERROR ===#" block, all starting with '#' */
} OpenKind;

struct _UniDiagnosticParser
{
  GObject parent_instance;

  GPtrArray *items;
  GString *line;
  UniDiagnostic *open;

  /* A "File ..." header waiting for its message. */
  char *loc_file;
  guint loc_line;
  guint loc_end_line;
  guint loc_start_column;
  guint loc_end_column;

  AnsiState ansi;
  OpenKind open_kind;
  guint has_location : 1;
  guint pending_cr : 1;
};

static void uni_diagnostic_parser_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniDiagnosticParser, uni_diagnostic_parser, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      uni_diagnostic_parser_list_model_init))

/* UniDiagnostic */

static void
uni_diagnostic_finalize (GObject *object)
{
  UniDiagnostic *self = (UniDiagnostic *)object;

  g_clear_pointer (&self->file, g_free);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->code, g_free);
  if (self->details != NULL)
    g_string_free (g_steal_pointer (&self->details), TRUE);

  G_OBJECT_CLASS (uni_diagnostic_parent_class)->finalize (object);
}

static void
uni_diagnostic_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  UniDiagnostic *self = UNI_DIAGNOSTIC (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_string (value, self->file);
      break;
    case PROP_LINE:
      g_value_set_uint (value, self->line);
      break;
    case PROP_END_LINE:
      g_value_set_uint (value, self->end_line);
      break;
    case PROP_START_COLUMN:
      g_value_set_uint (value, self->start_column);
      break;
    case PROP_END_COLUMN:
      g_value_set_uint (value, self->end_column);
      break;
    case PROP_SEVERITY:
      g_value_set_int (value, self->severity);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_DETAILS:
      g_value_set_string (value, uni_diagnostic_get_details (self));
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_diagnostic_class_init (UniDiagnosticClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = uni_diagnostic_finalize;
  object_class->get_property = uni_diagnostic_get_property;

  properties[PROP_FILE] = g_param_spec_string ("file", NULL, NULL, NULL, flags);
  properties[PROP_LINE] = g_param_spec_uint ("line", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_END_LINE] = g_param_spec_uint ("end-line", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_START_COLUMN] =
    g_param_spec_uint ("start-column", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_END_COLUMN] =
    g_param_spec_uint ("end-column", NULL, NULL, 0, G_MAXUINT, 0, flags);
  /* A plain int: the enum has no registered GType in this header. */
  properties[PROP_SEVERITY] =
    g_param_spec_int ("severity", NULL, NULL,
                      UNI_DIAGNOSTIC_ERROR, UNI_DIAGNOSTIC_NOTE, UNI_DIAGNOSTIC_ERROR, flags);
  properties[PROP_MESSAGE] = g_param_spec_string ("message", NULL, NULL, NULL, flags);
  properties[PROP_DETAILS] = g_param_spec_string ("details", NULL, NULL, NULL, flags);
  properties[PROP_SOURCE] = g_param_spec_string ("source", NULL, NULL, NULL, flags);
  properties[PROP_CODE] = g_param_spec_string ("code", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_diagnostic_init (UniDiagnostic *self)
{
}

static UniDiagnostic *
diagnostic_new (UniDiagnosticSeverity  severity,
                const char            *source,
                const char            *message)
{
  UniDiagnostic *self = g_object_new (UNI_TYPE_DIAGNOSTIC, NULL);

  self->severity = severity;
  self->source = source;
  self->message = g_strdup (message);

  return self;
}

/* Escape sequences */

/* Feeds one byte through the escape state machine; returns TRUE when the
 * byte is text to keep.
 */
static inline gboolean
ansi_step (AnsiState *state,
           guchar     c)
{
  switch (*state)
    {
    case ANSI_TEXT:
      if (c == 0x1b)
        {
          *state = ANSI_ESC;
          return FALSE;
        }
      return TRUE;

    case ANSI_ESC:
      if (c == '[')
        *state = ANSI_CSI;
      else if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_')
        *state = ANSI_STRING;
      else if (c == '(' || c == ')' || c == '*' || c == '+' || c == '-' || c == '.'
               || c == '/' || c == '%' || c == '#' || c == ' ')
        *state = ANSI_CHARSET;
      else if (c == 0x1b)
        *state = ANSI_ESC;
      else
        *state = ANSI_TEXT;
      return FALSE;

    case ANSI_CSI:
      if (c >= 0x40 && c <= 0x7e)
        {
          *state = ANSI_TEXT;
          return FALSE;
        }
      if (c >= 0x20 && c <= 0x3f)
        return FALSE;
      /* A broken sequence: give the byte back to the text. */
      *state = ANSI_TEXT;
      return ansi_step (state, c);

    case ANSI_STRING:
      if (c == 0x07)
        *state = ANSI_TEXT;
      else if (c == 0x1b)
        *state = ANSI_STRING_ESC;
      else if (c == '\n')
        {
          /* Never let an unterminated title swallow the rest of the log. */
          *state = ANSI_TEXT;
          return TRUE;
        }
      return FALSE;

    case ANSI_STRING_ESC:
      if (c == '\\')
        *state = ANSI_TEXT;
      else
        {
          *state = ANSI_ESC;
          return ansi_step (state, c);
        }
      return FALSE;

    case ANSI_CHARSET:
      *state = ANSI_TEXT;
      return FALSE;

    default:
      g_assert_not_reached ();
    }
}

/* Line matching helpers */

static inline const char *
skip_prefix (const char *s,
             const char *prefix)
{
  gsize n = strlen (prefix);

  return strncmp (s, prefix, n) == 0 ? s + n : NULL;
}

static gboolean
parse_uint (const char **p,
            guint       *out)
{
  const char *s = *p;
  guint64 v = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  while (g_ascii_isdigit (*s))
    {
      if (v < G_MAXUINT)
        v = v * 10 + (guint)(*s - '0');
      s++;
    }
  *out = (guint)MIN (v, G_MAXUINT);
  *p = s;
  return TRUE;
}

static const char *
skip_spaces (const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  return s;
}

static gboolean
is_dune_file (const char *path)
{
  const char *base = strrchr (path, '/');

  base = base != NULL ? base + 1 : path;
  return g_str_equal (base, "dune")
         || g_str_equal (base, "dune-project")
         || g_str_equal (base, "dune-workspace")
         || g_str_has_prefix (base, "dune.")
         || g_str_has_suffix (base, ".opam");
}

/* Parser */

static void
parser_add (UniDiagnosticParser *self,
            UniDiagnostic       *diagnostic)
{
  guint position = self->items->len;

  g_ptr_array_add (self->items, diagnostic);
  g_list_model_items_changed (G_LIST_MODEL (self), position, 0, 1);
}

static void
parser_close (UniDiagnosticParser *self)
{
  UniDiagnostic *open = g_steal_pointer (&self->open);

  self->open_kind = OPEN_NONE;
  if (open != NULL)
    parser_add (self, open);
}

static void
parser_clear_location (UniDiagnosticParser *self)
{
  g_clear_pointer (&self->loc_file, g_free);
  self->has_location = FALSE;
  self->loc_line = self->loc_end_line = 0;
  self->loc_start_column = self->loc_end_column = 0;
}

static void
parser_open (UniDiagnosticParser *self,
             UniDiagnostic       *diagnostic,
             OpenKind             kind)
{
  parser_close (self);
  self->open = diagnostic;
  self->open_kind = kind;
}

static void
append_details (UniDiagnostic *diagnostic,
                const char    *text)
{
  if (diagnostic->message == NULL || diagnostic->message[0] == '\0')
    {
      g_free (diagnostic->message);
      diagnostic->message = g_strstrip (g_strdup (text));
      return;
    }

  if (diagnostic->details == NULL)
    diagnostic->details = g_string_new (NULL);
  else if (diagnostic->details->len >= MAX_DETAILS)
    return;
  else
    g_string_append_c (diagnostic->details, '\n');
  g_string_append (diagnostic->details, text);
}

/* File "unikernel.ml", line 12, characters 4-10:
 * File "unikernel.ml", lines 12-14, characters 4-10:
 * File "unikernel.ml", line 12:
 */
static gboolean
parse_location (UniDiagnosticParser *self,
                const char          *line)
{
  const char *name = skip_prefix (line, "File \"");
  const char *quote;
  const char *p;
  guint first = 0, last = 0, start = 0, end = 0;

  if (name == NULL || (quote = strchr (name, '"')) == NULL)
    return FALSE;

  line = quote + 1;
  if ((p = skip_prefix (line, ", line ")) != NULL)
    {
      if (!parse_uint (&p, &first))
        return FALSE;
      last = first;
    }
  else if ((p = skip_prefix (line, ", lines ")) != NULL)
    {
      if (!parse_uint (&p, &first) || *p++ != '-' || !parse_uint (&p, &last))
        return FALSE;
    }
  else
    return FALSE;

  if (*p == ',')
    {
      const char *q;

      if ((q = skip_prefix (p, ", characters ")) != NULL)
        {
          if (!parse_uint (&q, &start) || *q++ != '-' || !parse_uint (&q, &end))
            return FALSE;
        }
      else if ((q = skip_prefix (p, ", character ")) != NULL)
        {
          if (!parse_uint (&q, &start))
            return FALSE;
          end = start;
        }
      else
        return FALSE;
      p = q;
    }
  if (*p != ':')
    return FALSE;

  parser_close (self);
  parser_clear_location (self);
  self->has_location = TRUE;

  self->loc_line = first;
  self->loc_end_line = last;
  self->loc_start_column = start;
  self->loc_end_column = end;

  /* "_none_" is how OCaml says there is no location at all. */
  if (quote - name == 6 && strncmp (name, "_none_", 6) == 0)
    {
      self->loc_line = self->loc_end_line = 0;
      self->loc_start_column = self->loc_end_column = 0;
    }
  else
    self->loc_file = g_strndup (name, quote - name);

  return TRUE;
}

/* Error: ...   Error (warning 32 [unused-value-declaration]): ...
 * Warning 32 [unused-value-declaration]: ...   Warning 32: ...   Alert deprecated: ...
 */
static gboolean
parse_message (const char             *line,
               UniDiagnosticSeverity  *severity,
               char                  **code,
               const char            **text)
{
  const char *p;
  const char *colon;

  if ((p = skip_prefix (line, "Error:")) != NULL)
    {
      *severity = UNI_DIAGNOSTIC_ERROR;
      *code = NULL;
      *text = skip_spaces (p);
      return TRUE;
    }

  if ((p = skip_prefix (line, "Error (")) != NULL)
    {
      const char *close = strstr (p, "):");

      if (close == NULL)
        return FALSE;
      *severity = UNI_DIAGNOSTIC_ERROR;
      if (g_str_has_prefix (p, "warning "))
        p += strlen ("warning ");
      else if (g_str_has_prefix (p, "alert "))
        p += strlen ("alert ");
      *code = g_strndup (p, close - p);
      *text = skip_spaces (close + 2);
      return TRUE;
    }

  if ((p = skip_prefix (line, "Warning")) != NULL)
    {
      if (*p == ':')
        {
          *severity = UNI_DIAGNOSTIC_WARNING;
          *code = NULL;
          *text = skip_spaces (p + 1);
          return TRUE;
        }
      if (*p != ' ' || !g_ascii_isdigit (p[1]) || (colon = strchr (p, ':')) == NULL)
        return FALSE;
      *severity = UNI_DIAGNOSTIC_WARNING;
      *code = g_strndup (p + 1, colon - (p + 1));
      *text = skip_spaces (colon + 1);
      return TRUE;
    }

  if ((p = skip_prefix (line, "Alert ")) != NULL)
    {
      const char *q = p;

      while (g_ascii_isalnum (*q) || *q == '_' || *q == '-')
        q++;
      if (q == p || *q != ':')
        return FALSE;
      *severity = UNI_DIAGNOSTIC_ALERT;
      *code = g_strndup (p, q - p);
      *text = skip_spaces (q + 1);
      return TRUE;
    }

  return FALSE;
}

/* make: *** [Makefile:27: build] Error 1     make[1]: *** No rule to make target 'x'.  Stop.
 * Makefile:12: *** missing separator.  Stop.
 */
static gboolean
parse_make (UniDiagnosticParser *self,
            const char          *line)
{
  const char *p = skip_prefix (line, "make");
  const char *stars;
  UniDiagnostic *diagnostic;

  if (p != NULL && (*p == ':' || *p == '['))
    {
      if (*p == '[')
        {
          p = strchr (p, ']');
          if (p == NULL)
            return FALSE;
          p++;
        }
      if ((p = skip_prefix (p, ": *** ")) == NULL)
        return FALSE;

      diagnostic = diagnostic_new (UNI_DIAGNOSTIC_ERROR, "make", p);
      if (*p == '[')
        {
          const char *colon = strchr (p + 1, ':');
          const char *q;
          guint number;

          q = colon != NULL ? colon + 1 : NULL;
          if (q != NULL && parse_uint (&q, &number) && *q == ':')
            {
              diagnostic->file = g_strndup (p + 1, colon - (p + 1));
              diagnostic->line = diagnostic->end_line = number;
            }
        }
      parser_open (self, diagnostic, OPEN_NONE);
      parser_close (self);
      return TRUE;
    }

  /* FILE:N: *** message */
  if ((stars = strstr (line, ": *** ")) != NULL && strchr (line, ' ') > stars)
    {
      const char *colon = memchr (line, ':', stars - line);
      const char *q;
      guint number;

      if (colon == NULL || colon == line)
        return FALSE;
      q = colon + 1;
      if (!parse_uint (&q, &number) || q != stars)
        return FALSE;
      diagnostic = diagnostic_new (UNI_DIAGNOSTIC_ERROR, "make", stars + strlen (": *** "));
      diagnostic->file = g_strndup (line, colon - line);
      diagnostic->line = diagnostic->end_line = number;
      parser_open (self, diagnostic, OPEN_NONE);
      parser_close (self);
      return TRUE;
    }

  return FALSE;
}

static void
open_simple (UniDiagnosticParser   *self,
             UniDiagnosticSeverity  severity,
             const char            *source,
             const char            *message,
             OpenKind               kind)
{
  parser_open (self, diagnostic_new (severity, source, message), kind);
  if (kind == OPEN_NONE)
    parser_close (self);
}

/* Lines that start something: each closes what is open. */
static gboolean
parse_start (UniDiagnosticParser *self,
             const char          *line)
{
  const char *p;
  UniDiagnosticSeverity severity;
  char *code = NULL;
  const char *text;

  if (line[0] == 'F' && parse_location (self, line))
    return TRUE;

  if (parse_message (line, &severity, &code, &text))
    {
      UniDiagnostic *diagnostic = diagnostic_new (severity, "ocaml", text);

      diagnostic->code = code;
      if (self->has_location)
        {
          diagnostic->file = g_steal_pointer (&self->loc_file);
          diagnostic->line = self->loc_line;
          diagnostic->end_line = self->loc_end_line;
          diagnostic->start_column = self->loc_start_column;
          diagnostic->end_column = self->loc_end_column;
          if (diagnostic->file != NULL && is_dune_file (diagnostic->file))
            diagnostic->source = "dune";
        }
      parser_clear_location (self);
      parser_open (self, diagnostic, OPEN_OCAML);
      return TRUE;
    }

  if ((p = skip_prefix (line, "mirage: ")) != NULL)
    {
      const char *q;

      if ((q = skip_prefix (p, "[ERROR] ")) != NULL)
        open_simple (self, UNI_DIAGNOSTIC_ERROR, "mirage", q, OPEN_INDENTED);
      else if ((q = skip_prefix (p, "[WARNING] ")) != NULL)
        open_simple (self, UNI_DIAGNOSTIC_WARNING, "mirage", q, OPEN_INDENTED);
      else if (g_str_has_prefix (p, "[INFO] ") || g_str_has_prefix (p, "[DEBUG] ")
               || g_str_has_prefix (p, "[APP] "))
        parser_close (self);
      else
        open_simple (self, UNI_DIAGNOSTIC_ERROR, "mirage", p, OPEN_CMDLINER);
      return TRUE;
    }

  if (line[0] == 'm' && parse_make (self, line))
    return TRUE;
  if (g_ascii_isalnum (line[0]) && strstr (line, ": *** ") != NULL && parse_make (self, line))
    return TRUE;

  if ((p = skip_prefix (line, "#=== ERROR while compiling ")) != NULL
      || (p = skip_prefix (line, "#=== ERROR while installing ")) != NULL
      || (p = skip_prefix (line, "#=== ERROR while removing ")) != NULL
      || (p = skip_prefix (line, "#=== ERROR while fetching ")) != NULL)
    {
      const char *end = line + strlen (line);
      g_autofree char *message = NULL;

      while (end > p && (end[-1] == '=' || end[-1] == '#' || end[-1] == ' '))
        end--;
      message = g_strndup (line + strlen ("#=== "), end - (line + strlen ("#=== ")));
      open_simple (self, UNI_DIAGNOSTIC_ERROR, "opam", message, OPEN_OPAM);
      return TRUE;
    }
  if ((p = skip_prefix (line, "[ERROR] ")) != NULL)
    {
      open_simple (self, UNI_DIAGNOSTIC_ERROR, "opam", p, OPEN_INDENTED);
      return TRUE;
    }
  if ((p = skip_prefix (line, "[WARNING] ")) != NULL)
    {
      open_simple (self, UNI_DIAGNOSTIC_WARNING, "opam", p, OPEN_INDENTED);
      return TRUE;
    }
  if ((p = skip_prefix (line, "[NOTE] ")) != NULL)
    {
      open_simple (self, UNI_DIAGNOSTIC_NOTE, "opam", p, OPEN_INDENTED);
      return TRUE;
    }
  if (g_str_has_prefix (line, "The following dependencies couldn't be met:"))
    {
      open_simple (self, UNI_DIAGNOSTIC_ERROR, "opam", line, OPEN_INDENTED);
      return TRUE;
    }

  if (g_str_has_prefix (line, "Command exited with code ")
      || g_str_has_prefix (line, "Compilation unsuccessful after building ")
      || g_str_has_prefix (line, "ocamlfind: "))
    {
      open_simple (self, UNI_DIAGNOSTIC_ERROR, "ocamlbuild", line, OPEN_NONE);
      return TRUE;
    }
  if (g_str_has_prefix (line, "Solver failed:"))
    {
      open_simple (self, UNI_DIAGNOSTIC_ERROR, "ocamlbuild", line, OPEN_INDENTED);
      return TRUE;
    }

  /* Echoed commands and progress: not diagnostics, but they end one. */
  if (g_str_has_prefix (line, "(cd ")
      || g_str_has_prefix (line, "+ ")
      || g_str_has_prefix (line, "Done: ")
      || g_str_has_prefix (line, "<><> "))
    {
      parser_close (self);
      parser_clear_location (self);
      return TRUE;
    }

  return FALSE;
}

static gboolean
continues (UniDiagnosticParser *self,
           const char          *line)
{
  switch (self->open_kind)
    {
    case OPEN_NONE:
      return FALSE;
    case OPEN_OCAML:
      return TRUE;
    case OPEN_INDENTED:
      return line[0] == ' ' || line[0] == '\t' || g_str_has_prefix (line, "->")
             || g_str_has_prefix (line, "Hint:");
    case OPEN_CMDLINER:
      return line[0] == ' ' || line[0] == '\t' || g_str_has_prefix (line, "Usage:")
             || g_str_has_prefix (line, "Try '") || g_str_has_prefix (line, "Try `");
    case OPEN_OPAM:
      return line[0] == '#';
    default:
      g_assert_not_reached ();
    }
}

static void
parser_line (UniDiagnosticParser *self,
             const char          *line)
{
  if (line[0] == '\0' || (self->open_kind == OPEN_OCAML && g_ascii_isspace (line[0])
                          && skip_spaces (line)[0] == '\0'))
    {
      parser_close (self);
      return;
    }

  /* The indented continuation of a message never starts anything new. */
  if (self->open != NULL && (line[0] == ' ' || line[0] == '\t') && continues (self, line))
    {
      append_details (self->open, line);
      if (self->open_kind == OPEN_INDENTED && g_str_has_prefix (line, "->"))
        self->open->source = "dune";
      return;
    }

  if (parse_start (self, line))
    return;

  if (self->open != NULL && continues (self, line))
    {
      if (g_str_has_prefix (line, "-> required by"))
        self->open->source = "dune";
      append_details (self->open, line);
      return;
    }

  /* Excerpt and caret lines under a "File" header, or unrelated output. */
  parser_close (self);
}

static void
parser_end_line (UniDiagnosticParser *self)
{
  GString *line = self->line;

  if (!g_utf8_validate_len (line->str, line->len, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (line->str, line->len);

      parser_line (self, valid);
    }
  else
    parser_line (self, line->str);

  g_string_truncate (line, 0);
}

/* GListModel */

static GType
uni_diagnostic_parser_get_item_type (GListModel *model)
{
  return UNI_TYPE_DIAGNOSTIC;
}

static guint
uni_diagnostic_parser_get_n_items (GListModel *model)
{
  return UNI_DIAGNOSTIC_PARSER (model)->items->len;
}

static gpointer
uni_diagnostic_parser_get_item (GListModel *model,
                                guint       position)
{
  UniDiagnosticParser *self = UNI_DIAGNOSTIC_PARSER (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
uni_diagnostic_parser_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = uni_diagnostic_parser_get_item_type;
  iface->get_n_items = uni_diagnostic_parser_get_n_items;
  iface->get_item = uni_diagnostic_parser_get_item;
}

static void
uni_diagnostic_parser_dispose (GObject *object)
{
  UniDiagnosticParser *self = (UniDiagnosticParser *)object;

  g_clear_object (&self->open);
  if (self->items != NULL)
    g_ptr_array_set_size (self->items, 0);

  G_OBJECT_CLASS (uni_diagnostic_parser_parent_class)->dispose (object);
}

static void
uni_diagnostic_parser_finalize (GObject *object)
{
  UniDiagnosticParser *self = (UniDiagnosticParser *)object;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->loc_file, g_free);
  g_string_free (g_steal_pointer (&self->line), TRUE);

  G_OBJECT_CLASS (uni_diagnostic_parser_parent_class)->finalize (object);
}

static void
uni_diagnostic_parser_class_init (UniDiagnosticParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = uni_diagnostic_parser_dispose;
  object_class->finalize = uni_diagnostic_parser_finalize;
}

static void
uni_diagnostic_parser_init (UniDiagnosticParser *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->line = g_string_sized_new (256);
}

/* Public API */

/**
 * uni_diagnostic_get_file:
 *
 * Returns: (nullable): the file as printed (borrowed), NULL when the message
 *   has no location.
 */
const char *
uni_diagnostic_get_file (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), NULL);

  return self->file;
}

/** uni_diagnostic_get_line: Returns: the 1-based first line, 0 when unknown. */
guint
uni_diagnostic_get_line (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), 0);

  return self->line;
}

/** uni_diagnostic_get_end_line: Returns: the 1-based last line, 0 when unknown. */
guint
uni_diagnostic_get_end_line (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), 0);

  return self->end_line;
}

/** uni_diagnostic_get_start_column: Returns: the 0-based column on the first line. */
guint
uni_diagnostic_get_start_column (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), 0);

  return self->start_column;
}

/** uni_diagnostic_get_end_column: Returns: the 0-based exclusive end column on the last line. */
guint
uni_diagnostic_get_end_column (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), 0);

  return self->end_column;
}

UniDiagnosticSeverity
uni_diagnostic_get_severity (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), UNI_DIAGNOSTIC_ERROR);

  return self->severity;
}

/** uni_diagnostic_get_message: Returns: (transfer none): the first line of the message. */
const char *
uni_diagnostic_get_message (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), NULL);

  return self->message;
}

/** uni_diagnostic_get_details: Returns: (transfer none) (nullable): the following lines. */
const char *
uni_diagnostic_get_details (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), NULL);

  return self->details != NULL ? self->details->str : NULL;
}

/** uni_diagnostic_get_source: Returns: (transfer none): the tool that printed it. */
const char *
uni_diagnostic_get_source (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), NULL);

  return self->source;
}

/** uni_diagnostic_get_code: Returns: (transfer none) (nullable): the warning or alert name. */
const char *
uni_diagnostic_get_code (UniDiagnostic *self)
{
  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), NULL);

  return self->code;
}

/**
 * uni_diagnostic_resolve_file:
 * @project_dir: the project (dune workspace) directory
 *
 * Relative paths resolve against @project_dir; a path under dune's
 * `_build/default/` (or ocamlbuild's `_build/`) is mapped back to the source
 * when that source exists. Does a stat per candidate.
 *
 * Returns: (transfer full) (nullable): the file, NULL when there is none.
 */
GFile *
uni_diagnostic_resolve_file (UniDiagnostic *self,
                             GFile         *project_dir)
{
  static const char * const build_prefixes[] = { "_build/default/", "_build/" };
  const char *path;

  g_return_val_if_fail (UNI_IS_DIAGNOSTIC (self), NULL);
  g_return_val_if_fail (G_IS_FILE (project_dir), NULL);

  if (self->file == NULL || self->file[0] == '\0')
    return NULL;
  if (g_path_is_absolute (self->file))
    return g_file_new_for_path (self->file);

  path = self->file;
  while (g_str_has_prefix (path, "./"))
    path += 2;

  for (guint i = 0; i < G_N_ELEMENTS (build_prefixes); i++)
    {
      const char *rest = skip_prefix (path, build_prefixes[i]);
      g_autoptr(GFile) source = NULL;

      if (rest == NULL || rest[0] == '\0')
        continue;
      source = g_file_resolve_relative_path (project_dir, rest);
      if (g_file_query_exists (source, NULL))
        return g_steal_pointer (&source);
    }

  return g_file_resolve_relative_path (project_dir, path);
}

/**
 * uni_diagnostic_parser_new:
 *
 * Returns: (transfer full): an empty parser; a #GListModel of #UniDiagnostic.
 */
UniDiagnosticParser *
uni_diagnostic_parser_new (void)
{
  return g_object_new (UNI_TYPE_DIAGNOSTIC_PARSER, NULL);
}

/**
 * uni_diagnostic_parser_feed:
 * @data: output bytes, cut anywhere
 *
 * Parses the complete lines in @data, keeping the rest for the next call.
 * Diagnostics are added (and ::items-changed emitted, from this call) once
 * the line after them shows they are complete.
 */
void
uni_diagnostic_parser_feed (UniDiagnosticParser *self,
                            const char          *data,
                            gsize                length)
{
  const guchar *p = (const guchar *)data;
  const guchar *end = p + length;

  g_return_if_fail (UNI_IS_DIAGNOSTIC_PARSER (self));
  g_return_if_fail (data != NULL || length == 0);

  for (; p < end; p++)
    {
      guchar c = *p;

      /* The common case: plain text appended in runs. */
      if (self->ansi == ANSI_TEXT && c >= 0x20 && c != 0x7f && !self->pending_cr)
        {
          const guchar *run = p;
          gsize room;

          while (p < end && *p >= 0x20 && *p != 0x7f)
            p++;
          room = self->line->len < MAX_LINE ? MAX_LINE - self->line->len : 0;
          g_string_append_len (self->line, (const char *)run, MIN (room, (gsize)(p - run)));
          if (p == end)
            break;
          c = *p;
        }

      if (!ansi_step (&self->ansi, c))
        continue;

      if (c == '\r')
        {
          self->pending_cr = TRUE;
          continue;
        }
      if (c == '\n')
        {
          self->pending_cr = FALSE;
          parser_end_line (self);
          continue;
        }
      if (self->pending_cr)
        {
          /* A carriage return not followed by a newline: the line is redrawn. */
          self->pending_cr = FALSE;
          g_string_truncate (self->line, 0);
        }
      if (c < 0x20 && c != '\t')
        continue;
      if (c == 0x7f)
        continue;
      if (self->line->len < MAX_LINE)
        g_string_append_c (self->line, (char)c);
    }
}

/**
 * uni_diagnostic_parser_finish:
 *
 * Parses the last line, even without a newline, and adds the diagnostic
 * still open. The parser can be fed again afterwards.
 */
void
uni_diagnostic_parser_finish (UniDiagnosticParser *self)
{
  g_return_if_fail (UNI_IS_DIAGNOSTIC_PARSER (self));

  self->pending_cr = FALSE;
  self->ansi = ANSI_TEXT;
  if (self->line->len > 0)
    parser_end_line (self);
  parser_close (self);
  parser_clear_location (self);
}

/**
 * uni_diagnostic_parser_reset:
 *
 * Forgets every diagnostic and any partial input.
 */
void
uni_diagnostic_parser_reset (UniDiagnosticParser *self)
{
  guint removed;

  g_return_if_fail (UNI_IS_DIAGNOSTIC_PARSER (self));

  g_clear_object (&self->open);
  self->open_kind = OPEN_NONE;
  parser_clear_location (self);
  g_string_truncate (self->line, 0);
  self->ansi = ANSI_TEXT;
  self->pending_cr = FALSE;

  removed = self->items->len;
  g_ptr_array_set_size (self->items, 0);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

/**
 * uni_strip_ansi:
 * @text: terminal output
 * @length: length of @text, or -1 when it is nul-terminated
 *
 * Removes escape sequences (CSI such as colours and cursor moves, OSC such
 * as titles and hyperlinks, DCS/APC strings, charset selects). Other
 * characters, "\r" and "\n" included, are kept; invalid UTF-8 is replaced.
 *
 * Returns: (transfer full): the plain text.
 */
char *
uni_strip_ansi (const char *text,
                gssize      length)
{
  AnsiState state = ANSI_TEXT;
  GString *out;
  gsize len;

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  len = length < 0 ? strlen (text) : (gsize)length;
  out = g_string_sized_new (len);
  for (gsize i = 0; i < len; i++)
    {
      if (ansi_step (&state, (guchar)text[i]))
        g_string_append_c (out, text[i]);
    }

  if (!g_utf8_validate_len (out->str, out->len, NULL))
    {
      char *valid = g_utf8_make_valid (out->str, out->len);

      g_string_free (out, TRUE);
      return valid;
    }
  return g_string_free (out, FALSE);
}
