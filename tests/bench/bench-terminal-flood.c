/* bench-terminal-flood.c — the main loop while a job floods the terminal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A child process (this program, run with --produce) writes build-like output
 * as fast as it can into a pipe; the bytes go to a UniTerminalPage in a
 * window, as a job's output does. A 1 ms timeout records the longest gap
 * between its dispatches (how long the main loop was away), and an
 * after-paint handler the gaps between frames. The same run measures a
 * baseline: a bare VteTerminal given each chunk with vte_terminal_feed as it
 * arrives. Prints times and ratios; never asserts one. Goal: longest stall
 * under 50 ms.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <adwaita.h>

#include "uni-terminal-page.h"

#define READ_SIZE (64 * 1024)
#define QUIET_USEC (300 * 1000)

typedef struct
{
  const char      *name;
  UniTerminalPage *page;
  VteTerminal     *terminal;
  GInputStream    *stream;
  GSubprocess     *producer;
  GArray          *loop_gaps;
  GArray          *frame_gaps;
  gint64           start;
  gint64           last_tick;
  gint64           last_paint;
  gint64           last_change;
  gint64           eof_time;
  guint64          bytes;
  guint            n_changes;
  gboolean         eof;
  gboolean         last_was_cr;
} Run;

typedef struct
{
  double max_ms;
  double p99_ms;
  double total_ms;
  double feed_done_ms;
  double frame_max_ms;
  guint  n_frames;
} Result;

static void
produce (guint64 size)
{
  static const char *modules[] = { "unikernel", "dispatch", "static_htdocs", "main", "key_gen" };
  char *buffer = g_malloc (1 << 20);
  guint64 written = 0;
  guint n = 0;

  while (written < size)
    {
      gsize used = 0;

      while (used < (1 << 20) - 512)
        {
          const char *module = modules[n % G_N_ELEMENTS (modules)];

          switch (n % 4)
            {
            case 0:
              used += g_snprintf (buffer + used, 512,
                                  "[%u/%u] ocamlfind ocamlopt -g -bin-annot -I lib -I src "
                                  "-package mirage-runtime -o _build/%s.cmx -c %s.ml\n",
                                  n, n + 400, module, module);
              break;
            case 1:
              used += g_snprintf (buffer + used, 512,
                                  "\033[1mFile \"%s.ml\", line %u, characters 4-17\033[0m:\n",
                                  module, n % 900 + 1);
              break;
            case 2:
              used += g_snprintf (buffer + used, 512,
                                  "\033[1;35mWarning\033[0m 32 [unused-value-declaration]: "
                                  "unused value tick_%u.\n", n);
              break;
            default:
              used += g_snprintf (buffer + used, 512,
                                  "      ocamlopt _build/default/%s.o (exit 0) \t%u ms\n",
                                  module, n % 97);
              break;
            }
          n++;
        }

      if (fwrite (buffer, 1, used, stdout) != used)
        break;
      written += used;
    }

  fflush (stdout);
  g_free (buffer);
}

static int
compare_gaps (gconstpointer a,
              gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gboolean
loop_tick_cb (gpointer user_data)
{
  Run *run = user_data;
  gint64 now = g_get_monotonic_time ();

  g_array_append_val (run->loop_gaps, (gint64) { now - run->last_tick });
  run->last_tick = now;

  return G_SOURCE_CONTINUE;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Run           *run)
{
  gint64 now = g_get_monotonic_time ();

  if (run->last_paint != 0)
    g_array_append_val (run->frame_gaps, (gint64) { now - run->last_paint });
  run->last_paint = now;
}

static void
contents_changed_cb (VteTerminal *terminal,
                     Run         *run)
{
  run->last_change = g_get_monotonic_time ();
  run->n_changes++;
}

/* The baseline converts line ends as the page does, so both show the same text. */
static void
feed_bare (Run        *run,
           const char *data,
           gsize       length)
{
  GString *converted = g_string_sized_new (length + length / 32);

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n' && !(i > 0 ? data[i - 1] == '\r' : run->last_was_cr))
        g_string_append_c (converted, '\r');
      g_string_append_c (converted, data[i]);
    }
  if (length > 0)
    run->last_was_cr = data[length - 1] == '\r';

  vte_terminal_feed (run->terminal, converted->str, converted->len);
  g_string_free (converted, TRUE);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  const char *data;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      if (error != NULL)
        g_printerr ("read: %s\n", error->message);
      run->eof = TRUE;
      run->eof_time = g_get_monotonic_time ();
      return;
    }

  data = g_bytes_get_data (bytes, &length);
  run->bytes += length;

  if (run->page != NULL)
    uni_terminal_page_feed (run->page, data, length);
  else
    feed_bare (run, data, length);

  g_input_stream_read_bytes_async (run->stream, READ_SIZE, G_PRIORITY_DEFAULT, NULL,
                                   read_cb, run);
}

static gboolean
run_is_done (Run *run)
{
  gint64 now = g_get_monotonic_time ();

  if (!run->eof)
    return FALSE;
  if (run->page != NULL && uni_terminal_page_get_backlog (run->page) > 0)
    return FALSE;

  return now - MAX (run->last_change, run->eof_time) > QUIET_USEC;
}

static double
percentile_ms (GArray *gaps,
               double  fraction)
{
  guint index;

  if (gaps->len == 0)
    return 0;

  g_array_sort (gaps, compare_gaps);
  index = MIN (gaps->len - 1, (guint) (gaps->len * fraction));

  return g_array_index (gaps, gint64, index) / 1000.0;
}

static Result
measure (const char *self_path,
         guint64     size,
         gboolean    with_page)
{
  g_autofree char *size_text = g_strdup_printf ("%" G_GUINT64_FORMAT, size);
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  GdkFrameClock *frame_clock;
  Run run = { 0 };
  Result result = { 0 };
  guint tick_id;

  run.name = with_page ? "page" : "bare";
  run.loop_gaps = g_array_new (FALSE, FALSE, sizeof (gint64));
  run.frame_gaps = g_array_new (FALSE, FALSE, sizeof (gint64));

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);

  if (with_page)
    {
      run.page = uni_terminal_page_new (NULL);
      run.terminal = uni_terminal_page_get_terminal (run.page);
      gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (run.page));
    }
  else
    {
      g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("Monospace 10");
      GtkWidget *scroller = gtk_scrolled_window_new ();

      run.terminal = VTE_TERMINAL (vte_terminal_new ());
      vte_terminal_set_font (run.terminal, font);
      vte_terminal_set_scrollback_lines (run.terminal, 10000);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (run.terminal));
      gtk_window_set_child (GTK_WINDOW (window), scroller);
    }

  g_signal_connect (run.terminal, "contents-changed", G_CALLBACK (contents_changed_cb), &run);
  gtk_window_present (GTK_WINDOW (window));

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  frame_clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &run);

  run.producer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                                   self_path, "--produce", size_text, NULL);
  g_assert_no_error (error);
  run.stream = g_subprocess_get_stdout_pipe (run.producer);

  run.start = run.last_tick = g_get_monotonic_time ();
  tick_id = g_timeout_add (1, loop_tick_cb, &run);
  g_input_stream_read_bytes_async (run.stream, READ_SIZE, G_PRIORITY_DEFAULT, NULL,
                                   read_cb, &run);

  while (!run_is_done (&run))
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick_id);
  g_signal_handlers_disconnect_by_data (frame_clock, &run);
  g_subprocess_wait (run.producer, NULL, NULL);

  result.max_ms = percentile_ms (run.loop_gaps, 1.0);
  result.p99_ms = percentile_ms (run.loop_gaps, 0.99);
  result.frame_max_ms = percentile_ms (run.frame_gaps, 1.0);
  result.n_frames = run.frame_gaps->len;
  result.total_ms = (MAX (run.last_change, run.eof_time) - run.start) / 1000.0;
  result.feed_done_ms = (run.eof_time - run.start) / 1000.0;

  g_print ("%s: %.1f MB in %.0f ms (producer done at %.0f ms), longest stall %.1f ms, "
           "p99 %.2f ms, %u frames, longest frame gap %.1f ms, %u content changes\n",
           run.name, run.bytes / 1e6, result.total_ms, result.feed_done_ms,
           result.max_ms, result.p99_ms, result.n_frames, result.frame_max_ms, run.n_changes);

  g_signal_handlers_disconnect_by_data (run.terminal, &run);
  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&run.producer);
  g_array_unref (run.loop_gaps);
  g_array_unref (run.frame_gaps);

  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  return result;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *self_path = NULL;
  guint64 size = 50 * 1000 * 1000;
  Result page;
  Result bare;

  if (argc == 3 && g_str_equal (argv[1], "--produce"))
    {
      produce (g_ascii_strtoull (argv[2], NULL, 10));
      return 0;
    }

  if (argc == 2)
    size = g_ascii_strtoull (argv[1], NULL, 10) * 1000 * 1000;

  self_path = g_file_read_link ("/proc/self/exe", NULL);
  if (self_path == NULL)
    self_path = g_strdup (argv[0]);

  adw_init ();

  page = measure (self_path, size, TRUE);
  bare = measure (self_path, size, FALSE);

  g_print ("longest stall: page %.1f ms, bare %.1f ms (page/bare %.2f); goal < 50 ms: %s\n",
           page.max_ms, bare.max_ms, page.max_ms / MAX (bare.max_ms, 0.001),
           page.max_ms < 50 ? "met" : "missed");
  g_print ("p99 stall: page %.2f ms, bare %.2f ms (page/bare %.2f)\n",
           page.p99_ms, bare.p99_ms, page.p99_ms / MAX (bare.p99_ms, 0.001));
  g_print ("total time: page %.0f ms, bare %.0f ms (page/bare %.2f)\n",
           page.total_ms, bare.total_ms, page.total_ms / MAX (bare.total_ms, 0.001));
  g_print ("frames: page %u (longest gap %.1f ms), bare %u (longest gap %.1f ms)\n",
           page.n_frames, page.frame_max_ms, bare.n_frames, bare.frame_max_ms);

  return 0;
}
