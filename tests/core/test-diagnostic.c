/* test-diagnostic.c — the build output parser against a corpus of real-format output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-diagnostic.h"
#include "uni-test-util.h"

static const char *
severity_name (UniDiagnosticSeverity severity)
{
  switch (severity)
    {
    case UNI_DIAGNOSTIC_ERROR:
      return "error";
    case UNI_DIAGNOSTIC_WARNING:
      return "warning";
    case UNI_DIAGNOSTIC_ALERT:
      return "alert";
    case UNI_DIAGNOSTIC_NOTE:
      return "note";
    default:
      g_assert_not_reached ();
    }
}

/* The parser's list in the .expected format, one diagnostic per line. */
static char *
dump (GListModel *model)
{
  GString *out = g_string_new (NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(UniDiagnostic) d = g_list_model_get_item (model, i);
      const char *file = uni_diagnostic_get_file (d);

      g_string_append_printf (out, "%s|%s|%s|%u|%u|%u|%u|%s\n",
                              severity_name (uni_diagnostic_get_severity (d)),
                              uni_diagnostic_get_source (d),
                              file != NULL ? file : "",
                              uni_diagnostic_get_line (d),
                              uni_diagnostic_get_end_line (d),
                              uni_diagnostic_get_start_column (d),
                              uni_diagnostic_get_end_column (d),
                              uni_diagnostic_get_message (d));
    }

  return g_string_free (out, FALSE);
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  int *count = user_data;

  g_assert_cmpuint (position + added, ==, g_list_model_get_n_items (model));
  *count += (int)added - (int)removed;
}

static char *
parse_in_chunks (const char *data,
                 gsize       length,
                 guint32     seed)
{
  g_autoptr(UniDiagnosticParser) parser = uni_diagnostic_parser_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  int count = 0;
  gsize offset = 0;
  char *result;

  g_signal_connect (parser, "items-changed", G_CALLBACK (items_changed_cb), &count);

  while (offset < length)
    {
      gsize chunk = seed == 0 ? length : (gsize)g_rand_int_range (rand, 1, 65);

      chunk = MIN (chunk, length - offset);
      uni_diagnostic_parser_feed (parser, data + offset, chunk);
      offset += chunk;
    }
  uni_diagnostic_parser_finish (parser);

  g_assert_cmpint (count, ==, (int)g_list_model_get_n_items (G_LIST_MODEL (parser)));
  result = dump (G_LIST_MODEL (parser));
  g_assert_finalize_object (g_steal_pointer (&parser));
  return result;
}

static void
test_corpus_file (gconstpointer data)
{
  const char *log_path = data;
  g_autofree char *stem = g_strndup (log_path, strlen (log_path) - strlen (".log"));
  g_autofree char *expected_path = g_strconcat (stem, ".expected", NULL);
  g_autofree char *log = NULL;
  g_autofree char *expected = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (log_path, &log, &length, &error);
  g_assert_no_error (error);
  g_file_get_contents (expected_path, &expected, NULL, &error);
  g_assert_no_error (error);

  /* Seed 0 feeds the file whole; the others cut it at random places. */
  for (guint32 seed = 0; seed < 8; seed++)
    {
      g_autofree char *actual = parse_in_chunks (log, length, seed * 7919);

      if (g_strcmp0 (actual, expected) != 0)
        g_test_message ("%s, seed %u", log_path, seed * 7919);
      g_assert_cmpstr (actual, ==, expected);
    }
}

static void
test_corpus_size (void)
{
  g_autofree char *folder = g_test_build_filename (G_TEST_DIST, "data", "diagnostics", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint files = 0, messages = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);
      g_autofree char *contents = NULL;

      if (!g_str_has_suffix (name, ".expected"))
        continue;
      g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
      files++;
      for (const char *p = contents; *p != '\0'; p++)
        messages += *p == '\n';
    }

  g_assert_cmpuint (files, >=, 12);
  g_assert_cmpuint (messages, >=, 40);
}

static void
test_strip_ansi (void)
{
  static const struct {
    const char *input;
    const char *expected;
  } cases[] = {
    { "plain text", "plain text" },
    { "", "" },
    { "\033[1;31mError\033[0m: x", "Error: x" },
    { "\033[01munknown\033[m option", "unknown option" },
    { "\033[38;5;196mred\033[39m", "red" },
    { "\033[38:2:255:0:0mrgb\033[m", "rgb" },
    { "a\033[Kb\033[2J\033[1;1Hc", "abc" },
    { "\033[?25lhidden cursor\033[?25h", "hidden cursor" },
    { "\033]0;dune build\007title", "title" },
    { "\033]8;;file:///x.ml\033\\link\033]8;;\033\\", "link" },
    { "\033(Bcharset\033)0", "charset" },
    { "\033Ppayload\033\\dcs", "dcs" },
    { "\0337saved\0338", "saved" },
    { "keep\r\nnewlines\rand\tTabs", "keep\r\nnewlines\rand\tTabs" },
    { "caf\303\251 \342\206\222 ok", "caf\303\251 \342\206\222 ok" },
    { "\033[1m\303\251\033[0m", "\303\251" },
    { "bad \377 byte", "bad \357\277\275 byte" },
    { "\033[", "" },
    { "\033", "" },
    { "\033[31", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = uni_strip_ansi (cases[i].input, -1);

      g_assert_cmpstr (out, ==, cases[i].expected);
    }

  {
    g_autofree char *out = uni_strip_ansi ("ab\033[1mcd", 4);

    g_assert_cmpstr (out, ==, "ab");
  }
}

static UniDiagnostic *
diagnostic_for_file (const char *file)
{
  g_autoptr(UniDiagnosticParser) parser = uni_diagnostic_parser_new ();
  g_autofree char *text =
    g_strdup_printf ("File \"%s\", line 3, characters 1-2:\nError: Unbound value x\n", file);

  uni_diagnostic_parser_feed (parser, text, strlen (text));
  uni_diagnostic_parser_finish (parser);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (parser)), ==, 1);
  return g_list_model_get_item (G_LIST_MODEL (parser), 0);
}

static void
test_resolve_file (void)
{
  static const struct {
    const char *printed;
    const char *expected;  /* relative to the project, or absolute, or NULL */
  } cases[] = {
    { "unikernel.ml", "unikernel.ml" },
    { "./unikernel.ml", "unikernel.ml" },
    { "src/unikernel.ml", "src/unikernel.ml" },
    { "_build/default/unikernel.ml", "unikernel.ml" },
    { "_build/default/src/unikernel.ml", "src/unikernel.ml" },
    { "_build/default/main.ml", "_build/default/main.ml" },
    { "_build/unikernel.ml", "unikernel.ml" },
    { "missing.ml", "missing.ml" },
    { "dir with space/it's.ml", "dir with space/it's.ml" },
    { "/usr/lib/ocaml/stdlib.ml", "/usr/lib/ocaml/stdlib.ml" },
    { "_none_", NULL },
  };
  g_autoptr(GFile) project = uni_test_make_tempdir ("diagnostic-resolve");

  uni_test_write_file (project, "unikernel.ml", "let x = 1\n");
  uni_test_write_file (project, "src/unikernel.ml", "let x = 1\n");
  uni_test_write_file (project, "_build/default/main.ml", "let () = ()\n");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UniDiagnostic) d = diagnostic_for_file (cases[i].printed);
      g_autoptr(GFile) resolved = uni_diagnostic_resolve_file (d, project);
      g_autoptr(GFile) expected = NULL;

      if (cases[i].expected == NULL)
        {
          g_assert_null (resolved);
          continue;
        }
      if (g_path_is_absolute (cases[i].expected))
        expected = g_file_new_for_path (cases[i].expected);
      else
        expected = g_file_resolve_relative_path (project, cases[i].expected);
      g_assert_nonnull (resolved);
      if (!g_file_equal (resolved, expected))
        g_error ("%s resolved to %s", cases[i].printed, g_file_peek_path (resolved));
    }
}

static void
test_details (void)
{
  static const char text[] =
    "File \"unikernel.ml\", line 20, characters 2-27:\n"
    "20 |   foo\n"
    "       ^^^\n"
    "Error (warning 32 [unused-value-declaration]): unused value foo.\n"
    "File \"unikernel.ml\", line 21, characters 2-27:\n"
    "Error: This expression has type int\n"
    "       but an expression was expected of type string\n"
    "Alert deprecated: Foo.bar\n"
    "use baz instead\n";
  g_autoptr(UniDiagnosticParser) parser = uni_diagnostic_parser_new ();
  g_autoptr(UniDiagnostic) first = NULL;
  g_autoptr(UniDiagnostic) second = NULL;
  g_autoptr(UniDiagnostic) third = NULL;
  g_autofree char *message = NULL;
  guint line = 0;

  uni_diagnostic_parser_feed (parser, text, strlen (text));
  /* Nothing says the alert is over until the stream ends. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (parser)), ==, 2);
  uni_diagnostic_parser_finish (parser);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (parser)), ==, 3);

  first = g_list_model_get_item (G_LIST_MODEL (parser), 0);
  second = g_list_model_get_item (G_LIST_MODEL (parser), 1);
  third = g_list_model_get_item (G_LIST_MODEL (parser), 2);
  g_assert_cmpstr (uni_diagnostic_get_code (first), ==, "32 [unused-value-declaration]");
  g_assert_null (uni_diagnostic_get_details (first));
  g_assert_null (uni_diagnostic_get_code (second));
  g_assert_cmpstr (uni_diagnostic_get_details (second), ==,
                   "       but an expression was expected of type string");
  g_assert_cmpstr (uni_diagnostic_get_code (third), ==, "deprecated");
  g_assert_cmpstr (uni_diagnostic_get_details (third), ==, "use baz instead");

  g_object_get (second, "message", &message, "line", &line, NULL);
  g_assert_cmpstr (message, ==, "This expression has type int");
  g_assert_cmpuint (line, ==, 21);

  uni_diagnostic_parser_reset (parser);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (parser)), ==, 0);
}

static void
test_long_line (void)
{
  g_autoptr(UniDiagnosticParser) parser = uni_diagnostic_parser_new ();
  g_autofree char *chunk = g_malloc (64 * 1024);
  g_autoptr(UniDiagnostic) first = NULL;
  g_autoptr(UniDiagnostic) second = NULL;

  memset (chunk, 'x', 64 * 1024);

  /* 10 MB without a newline, then a message after it. */
  for (guint i = 0; i < 160; i++)
    uni_diagnostic_parser_feed (parser, chunk, 64 * 1024);
  uni_diagnostic_parser_feed (parser, "\nError: after\n", strlen ("\nError: after\n"));

  /* 10 MB of a message: only its start is kept. */
  uni_diagnostic_parser_feed (parser, "mirage: [ERROR] ", strlen ("mirage: [ERROR] "));
  for (guint i = 0; i < 160; i++)
    uni_diagnostic_parser_feed (parser, chunk, 64 * 1024);
  uni_diagnostic_parser_finish (parser);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (parser)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (parser), 0);
  second = g_list_model_get_item (G_LIST_MODEL (parser), 1);
  g_assert_cmpstr (uni_diagnostic_get_message (first), ==, "after");
  g_assert_cmpuint (strlen (uni_diagnostic_get_message (second)), <=, 64 * 1024);
  g_assert_cmpuint (strlen (uni_diagnostic_get_message (second)), >=, 60 * 1024);
}

/* 50 MB of mixed output, fed in terminal-sized chunks. */
static void
test_flood (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "diagnostics",
                                                 "dune-progress.log", NULL);
  g_autofree char *block = NULL;
  gsize block_length = 0;
  g_autoptr(UniDiagnosticParser) parser = uni_diagnostic_parser_new ();
  GString *noise = g_string_new (NULL);
  gsize total = 0;
  guint blocks = 0;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (g_file_get_contents (path, &block, &block_length, NULL));
  for (guint i = 0; i < 200; i++)
    g_string_append_printf (noise, "\033[32m[%u/200]\033[0m compiling module_%u.ml\r\n", i, i);

  while (total < 50 * 1024 * 1024)
    {
      for (gsize offset = 0; offset < noise->len; offset += 4096)
        uni_diagnostic_parser_feed (parser, noise->str + offset, MIN (4096, noise->len - offset));
      uni_diagnostic_parser_feed (parser, block, block_length);
      uni_diagnostic_parser_feed (parser, "\n", 1);
      total += noise->len + block_length + 1;
      blocks++;
    }
  uni_diagnostic_parser_finish (parser);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (parser)), ==, blocks * 3);
  g_test_message ("%zu bytes in %.2f s", total, (g_get_monotonic_time () - start) / 1e6);
  g_string_free (noise, TRUE);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *folder = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  uni_test_init (&argc, &argv);

  folder = g_test_build_filename (G_TEST_DIST, "data", "diagnostics", NULL);
  dir = g_dir_open (folder, 0, NULL);
  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".log"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path =
        g_strdup_printf ("/uni/diagnostic/corpus/%.*s", (int)(strlen (file) - 4), file);

      g_test_add_data_func_full (test_path, g_build_filename (folder, file, NULL),
                                 test_corpus_file, g_free);
    }

  g_test_add_func ("/uni/diagnostic/corpus-size", test_corpus_size);
  g_test_add_func ("/uni/diagnostic/strip-ansi", test_strip_ansi);
  g_test_add_func ("/uni/diagnostic/resolve-file", test_resolve_file);
  g_test_add_func ("/uni/diagnostic/details", test_details);
  g_test_add_func ("/uni/diagnostic/long-line", test_long_line);
  g_test_add_func ("/uni/diagnostic/flood", test_flood);

  return g_test_run ();
}
