/* uni-xl.c — what Xen's `xl` prints on a board, read back: `xl list`, `xl info`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-xl"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "uni-xl.h"

/* The columns of plain `xl list`, as tools/xl/xl_info.c prints its header. */
static const char * const list_columns[] = { "Name", "ID", "Mem", "VCPUs", "State", "Time(s)" };

/* The letters xl may print in each of the six state places ('-' in all). */
static const char * const state_places[] = { "r", "b", "p", "s", "rscwS?", "d" };

G_DEFINE_QUARK (uni-xl-error-quark, uni_xl_error)

G_DEFINE_BOXED_TYPE (UniXlDomain, uni_xl_domain, uni_xl_domain_copy, uni_xl_domain_free)

/* A line without its end: xl's output through `ssh -t` ends lines in CR LF. */
static char *
dup_line (const char *line)
{
  gsize length = strlen (line);

  while (length > 0 && line[length - 1] == '\r')
    length--;

  return g_strndup (line, length);
}

static gboolean
is_blank (const char *line)
{
  for (const char *p = line; *p != '\0'; p++)
    if (!g_ascii_isspace (*p))
      return FALSE;

  return TRUE;
}

static gboolean
is_state (const char *letters)
{
  if (strlen (letters) != G_N_ELEMENTS (state_places))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (state_places); i++)
    if (letters[i] != '-' && strchr (state_places[i], letters[i]) == NULL)
      return FALSE;

  return TRUE;
}

/* 0 when @words are not the header, else how many columns it has. */
static guint
header_columns (char **words)
{
  guint n = g_strv_length (words);

  if (n < G_N_ELEMENTS (list_columns))
    return 0;

  for (guint i = 0; i < G_N_ELEMENTS (list_columns); i++)
    if (g_strcmp0 (words[i], list_columns[i]) != 0)
      return 0;

  return n;
}

static gboolean
parse_number (const char *text,
              guint      *value)
{
  guint64 number;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &number, NULL))
    return FALSE;

  *value = (guint)number;
  return TRUE;
}

static gboolean
parse_seconds (const char *text,
               double     *value)
{
  char *end = NULL;
  double seconds;

  if (!g_ascii_isdigit (*text))
    return FALSE;

  seconds = g_ascii_strtod (text, &end);
  if (*end != '\0' || !isfinite (seconds))
    return FALSE;

  *value = seconds;
  return TRUE;
}

/* A row read from its right end: the Time(s), State, VCPUs, Mem and ID
 * columns never hold spaces, so what is left of them is the name, however
 * long and whatever it holds.
 */
static UniXlDomain *
parse_row (const char *line)
{
  g_autoptr(UniXlDomain) domain = g_new0 (UniXlDomain, 1);
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_free);
  const char *end = line + strlen (line);

  for (guint i = 0; i < G_N_ELEMENTS (list_columns) - 1; i++)
    {
      const char *start;

      while (end > line && g_ascii_isspace (end[-1]))
        end--;
      start = end;
      while (start > line && !g_ascii_isspace (start[-1]))
        start--;
      if (start == end || start == line)
        return NULL;

      g_ptr_array_add (columns, g_strndup (start, end - start));
      end = start;
    }

  while (end > line && g_ascii_isspace (end[-1]))
    end--;
  if (end == line)
    return NULL;

  if (!parse_seconds (g_ptr_array_index (columns, 0), &domain->cpu_seconds)
      || !is_state (g_ptr_array_index (columns, 1))
      || !parse_number (g_ptr_array_index (columns, 2), &domain->vcpus)
      || !parse_number (g_ptr_array_index (columns, 3), &domain->mem_mib)
      || !parse_number (g_ptr_array_index (columns, 4), &domain->id))
    return NULL;

  g_strlcpy (domain->state, g_ptr_array_index (columns, 1), sizeof domain->state);
  domain->name = g_strndup (line, end - line);

  return g_steal_pointer (&domain);
}

/**
 * uni_xl_domain_copy:
 * @domain: a domain
 *
 * Returns: (transfer full): a copy of @domain
 */
UniXlDomain *
uni_xl_domain_copy (const UniXlDomain *domain)
{
  UniXlDomain *copy;

  g_return_val_if_fail (domain != NULL, NULL);

  copy = g_memdup2 (domain, sizeof *domain);
  copy->name = g_strdup (domain->name);

  return copy;
}

/**
 * uni_xl_domain_free:
 * @domain: (nullable): a domain
 */
void
uni_xl_domain_free (UniXlDomain *domain)
{
  if (domain == NULL)
    return;

  g_free (domain->name);
  g_free (domain);
}

/**
 * uni_xl_parse_list:
 * @text: the standard output of `xl list`
 * @error: a #GError
 *
 * See uni-xl.h.
 *
 * Returns: (transfer full) (element-type UniXlDomain): the domains, or
 *   %NULL with @error set
 */
GPtrArray *
uni_xl_parse_list (const char  *text,
                   GError     **error)
{
  g_autoptr(GPtrArray) domains = g_ptr_array_new_with_free_func ((GDestroyNotify)uni_xl_domain_free);
  g_auto(GStrv) lines = NULL;
  gboolean seen_header = FALSE;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = dup_line (lines[i]);
      UniXlDomain *domain;

      if (!seen_header)
        {
          g_auto(GStrv) words = g_strsplit_set (g_strstrip (line), " \t", -1);
          g_autoptr(GPtrArray) kept = g_ptr_array_new ();
          guint columns;

          for (guint w = 0; words[w] != NULL; w++)
            if (*words[w] != '\0')
              g_ptr_array_add (kept, words[w]);
          g_ptr_array_add (kept, NULL);

          columns = header_columns ((char **)kept->pdata);
          if (columns > G_N_ELEMENTS (list_columns))
            {
              g_set_error (error, UNI_XL_ERROR, UNI_XL_ERROR_UNSUPPORTED,
                           _("“xl list” printed more columns than Name, ID, Mem, VCPUs, State and Time(s): %s"),
                           line);
              return NULL;
            }
          seen_header = columns != 0;
          continue;
        }

      if (is_blank (line))
        continue;

      domain = parse_row (line);
      if (domain == NULL)
        {
          g_set_error (error, UNI_XL_ERROR, UNI_XL_ERROR_MALFORMED,
                       _("Line %u of the output of “xl list” is not a domain: “%s”"),
                       i + 1, line);
          return NULL;
        }
      g_ptr_array_add (domains, domain);
    }

  if (!seen_header)
    {
      g_set_error_literal (error, UNI_XL_ERROR, UNI_XL_ERROR_NO_HEADER,
                           _("This is not what “xl list” prints: its header is missing"));
      return NULL;
    }

  return g_steal_pointer (&domains);
}

static gboolean
is_info_key (const char *key)
{
  if (!g_ascii_isalpha (*key) && *key != '_')
    return FALSE;

  for (const char *p = key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      return FALSE;

  return TRUE;
}

/**
 * uni_xl_parse_info:
 * @text: the standard output of `xl info`
 *
 * See uni-xl.h.
 *
 * Returns: (transfer full) (element-type utf8 utf8): the values by key
 */
GHashTable *
uni_xl_parse_info (const char *text)
{
  g_autoptr(GHashTable) info = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = dup_line (lines[i]);
      char *colon = strchr (line, ':');
      char *key;

      if (colon == NULL)
        continue;

      *colon = '\0';
      key = g_strstrip (line);
      if (!is_info_key (key) || g_hash_table_contains (info, key))
        continue;

      g_hash_table_insert (info, g_strdup (key), g_strdup (g_strstrip (colon + 1)));
    }

  return g_steal_pointer (&info);
}

/* The word for the fifth letter, the reason the domain shut down. */
static const char *
describe_reason (char letter)
{
  switch (letter)
    {
    case 'c':
      return _("crashed");
    case 'r':
      return _("rebooting");
    case 's':
      return _("suspended");
    case 'w':
      return _("stopped by its watchdog");
    case 'S':
      return _("soft resetting");
    default:
      return NULL;
    }
}

/**
 * uni_xl_describe_state:
 * @letters: the state column of `xl list`: "-b----"
 *
 * See uni-xl.h.
 *
 * Returns: (transfer full) (nullable): "idle", "shut down, dying"...
 */
char *
uni_xl_describe_state (const char *letters)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();
  const char *reason;

  g_return_val_if_fail (letters != NULL, NULL);

  if (!is_state (letters))
    return NULL;

  if (letters[0] == 'r')
    g_ptr_array_add (words, (gpointer)_("running"));
  /* xl's "blocked": waiting for I/O or with nothing to do, as a unikernel
   * waiting for requests is. "Idle" says that to a person.
   */
  if (letters[1] == 'b')
    g_ptr_array_add (words, (gpointer)_("idle"));
  if (letters[2] == 'p')
    g_ptr_array_add (words, (gpointer)_("paused"));

  /* The reason says how it shut down, better than "shut down" alone. */
  reason = describe_reason (letters[4]);
  if (reason != NULL)
    g_ptr_array_add (words, (gpointer)reason);
  else if (letters[3] == 's')
    g_ptr_array_add (words, (gpointer)_("shut down"));

  if (letters[5] == 'd')
    g_ptr_array_add (words, (gpointer)_("dying"));

  /* Neither running nor blocked: runnable, waiting for a CPU. */
  if (words->len == 0)
    return g_strdup (_("waiting to run"));

  g_ptr_array_add (words, NULL);
  /* TRANSLATORS: between the words of a domain's state: "paused, dying" */
  return g_strjoinv (_(", "), (char **)words->pdata);
}
