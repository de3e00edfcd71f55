/* test-job.c — a job on its own: what the process it runs wrote
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "uni-job.h"
#include "uni-test-util.h"

static void
job_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;

  uni_job_run_finish (UNI_JOB (object), result, NULL);
  *done = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_job_output_tail (void)
{
  static const struct {
    const char *script;
    guint       max_lines;
    const char *tail;
  } cases[] = {
    { "printf 'a\\nb\\r\\nc\\rd\\n\\n'", 5, "a\nb\nd" },
    { "printf 'a\\nb\\r\\nc\\rd\\n\\n'", 1, "d" },
    { "printf 'a\\nb\\r\\nc\\rd\\n\\n'", 2, "b\nd" },
    { "printf '1\\n2\\n3\\n4\\n5\\n6\\n7\\n'", 3, "5\n6\n7" },
    { "printf 'no newline'", 5, "no newline" },
    { "printf '\\033[1;31mError\\033[0m: \\033[1mboom\\033[0m\\n' >&2", 5, "Error: boom" },
    { "printf 'progress 10%%\\rprogress 100%%\\r\\n'; printf 'done\\n' >&2", 5,
      "progress 100%\ndone" },
    { "true", 5, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UniRunContext) context = uni_run_context_new ();
      g_autoptr(UniJob) job = NULL;
      g_autofree char *before = NULL;
      g_autofree char *tail = NULL;
      gboolean done = FALSE;

      g_test_message ("%s, %u lines", cases[i].script, cases[i].max_lines);
      uni_run_context_append_argv (context, "/bin/sh");
      uni_run_context_append_argv (context, "-c");
      uni_run_context_append_argv (context, cases[i].script);
      job = uni_job_new ("run", "Run", context);

      before = uni_job_dup_output_tail (job, cases[i].max_lines);
      g_assert_cmpstr (before, ==, "");

      uni_job_run_async (job, NULL, job_done_cb, &done);
      g_assert_true (uni_test_wait_for (flag_is_set, &done, 10000));
      g_assert_cmpint (uni_job_get_state (job), ==, UNI_JOB_SUCCEEDED);
      tail = uni_job_dup_output_tail (job, cases[i].max_lines);
      g_assert_cmpstr (tail, ==, cases[i].tail);
    }
}

/* Only the last 16 KiB are kept: the tail of a long output is still its end. */
static void
test_job_output_tail_long (void)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autoptr(UniJob) job = NULL;
  g_autofree char *tail = NULL;
  gboolean done = FALSE;

  uni_run_context_append_argv (context, "/bin/sh");
  uni_run_context_append_argv (context, "-c");
  uni_run_context_append_argv (context, "i=0; while [ $i -lt 5000 ]; do echo \"line $i\"; "
                                        "i=$((i + 1)); done");
  job = uni_job_new ("run", "Run", context);
  uni_job_run_async (job, NULL, job_done_cb, &done);
  g_assert_true (uni_test_wait_for (flag_is_set, &done, 30000));
  tail = uni_job_dup_output_tail (job, 2);
  g_assert_cmpstr (tail, ==, "line 4998\nline 4999");
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/job/output-tail", test_job_output_tail);
  g_test_add_func ("/uni/job/output-tail-long", test_job_output_tail_long);

  return g_test_run ();
}
