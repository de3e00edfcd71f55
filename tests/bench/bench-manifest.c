/* bench-manifest.c — how fast config.ml files are read into a model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads every file of the manifest corpus (tests/data/manifest, in memory)
 * over and over for about a second, and in the same run measures two
 * baselines on the same bytes: the OCaml lexer alone, and a memcpy with a
 * checksum. Prints rates and ratios; never asserts a time.
 */

#include "config.h"

#include <string.h>

#include "uni-manifest.h"
#include "uni-ocaml-lexer.h"

typedef struct
{
  char  *text;
  gsize  length;
} Input;

typedef guint64 (*Work) (GArray *inputs, char *scratch);

static guint64
read_manifests (GArray *inputs,
                char   *scratch)
{
  guint64 sum = 0;
  guint i;

  (void) scratch;
  for (i = 0; i < inputs->len; i++)
    {
      const Input *input = &g_array_index (inputs, Input, i);
      UniManifest *manifest = uni_manifest_new (input->text, input->length);

      sum += uni_manifest_get_n_packages (manifest) + uni_manifest_get_n_keys (manifest);
      g_object_unref (manifest);
    }

  return sum;
}

static guint64
lex_only (GArray *inputs,
          char   *scratch)
{
  guint64 sum = 0;
  guint i;

  (void) scratch;
  for (i = 0; i < inputs->len; i++)
    {
      const Input *input = &g_array_index (inputs, Input, i);
      GArray *tokens = uni_ocaml_lex (input->text, input->length);

      sum += tokens->len;
      g_array_unref (tokens);
    }

  return sum;
}

static guint64
copy_checksum (GArray *inputs,
               char   *scratch)
{
  guint64 sum = 0;
  guint i;
  gsize j;

  for (i = 0; i < inputs->len; i++)
    {
      const Input *input = &g_array_index (inputs, Input, i);

      memcpy (scratch, input->text, input->length);
      for (j = 0; j < input->length; j++)
        sum = sum * 31 + (guchar) scratch[j];
    }

  return sum;
}

/* Passes over the whole corpus per second. */
static double
measure (const char *label,
         Work        work,
         GArray     *inputs,
         char       *scratch,
         gsize       bytes)
{
  g_autoptr(GTimer) timer = g_timer_new ();
  volatile guint64 sink = 0;
  guint passes = 0;
  double seconds;
  double rate;

  sink += work (inputs, scratch);
  g_timer_start (timer);
  do
    {
      sink += work (inputs, scratch);
      passes++;
    }
  while (g_timer_elapsed (timer, NULL) < 1.0);
  seconds = g_timer_elapsed (timer, NULL);
  rate = passes / seconds;

  g_print ("%-16s %9.0f files/s  %8.1f MB/s  (%u passes in %.2f s)\n", label,
           rate * inputs->len, rate * bytes / 1e6, passes, seconds);
  (void) sink;

  return rate;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) inputs = g_array_new (FALSE, TRUE, sizeof (Input));
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;
  g_autofree char *scratch = NULL;
  const char *name;
  gsize bytes = 0;
  gsize largest = 0;
  double manifest_rate;
  double lex_rate;
  double copy_rate;
  guint i;

  folder = argc > 1 ? g_strdup (argv[1])
                    : g_build_filename (g_getenv ("G_TEST_SRCDIR") != NULL
                                        ? g_getenv ("G_TEST_SRCDIR") : "tests",
                                        "data", "manifest", NULL);
  dir = g_dir_open (folder, 0, &error);
  if (dir == NULL)
    {
      g_printerr ("bench-manifest: %s\n", error->message);
      return 1;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      Input input;

      if (!g_str_has_suffix (name, ".ml"))
        continue;
      path = g_build_filename (folder, name, NULL);
      if (!g_file_get_contents (path, &input.text, &input.length, &error))
        {
          g_printerr ("bench-manifest: %s\n", error->message);
          return 1;
        }
      g_array_append_val (inputs, input);
      bytes += input.length;
      largest = MAX (largest, input.length);
    }
  scratch = g_malloc (largest + 1);

  g_print ("corpus: %u files, %" G_GSIZE_FORMAT " bytes, from %s\n", inputs->len, bytes, folder);
  manifest_rate = measure ("uni_manifest_new", read_manifests, inputs, scratch, bytes);
  lex_rate = measure ("uni_ocaml_lex", lex_only, inputs, scratch, bytes);
  copy_rate = measure ("memcpy+checksum", copy_checksum, inputs, scratch, bytes);

  g_print ("manifest/lex time ratio:    %.2f\n", lex_rate / manifest_rate);
  g_print ("manifest/memcpy time ratio: %.1f\n", copy_rate / manifest_rate);
  g_print ("goal: >= 5000 files/s read into a model: %s\n",
           manifest_rate * inputs->len >= 5000 ? "met" : "NOT met");

  for (i = 0; i < inputs->len; i++)
    g_free (g_array_index (inputs, Input, i).text);

  return 0;
}
