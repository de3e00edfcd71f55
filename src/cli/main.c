/* main.c — unistudio-cli, the headless companion of Unistudio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "unistudio-cli"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "uni-project.h"
#include "uni-repository.h"

/* The conventional exit status of a program stopped by SIGINT. */
#define EXIT_INTERRUPTED 130

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  int           exit_status;
  gboolean      stderr_is_tty;
  int           last_percent;
  gboolean      progress_shown;
} Cli;

typedef int (*CommandFunc) (Cli   *cli,
                            char **args);

static gboolean
sigint_cb (gpointer user_data)
{
  Cli *cli = user_data;

  if (!g_cancellable_is_cancelled (cli->cancellable))
    {
      g_printerr ("\n%s\n", _("Cancelling…"));
      g_cancellable_cancel (cli->cancellable);
    }

  return G_SOURCE_CONTINUE;
}

static void
fail (Cli          *cli,
      const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_printerr ("%s\n", _("Cancelled."));
      cli->exit_status = EXIT_INTERRUPTED;
    }
  else
    {
      g_printerr (_("Error: %s\n"), error->message);
      cli->exit_status = EXIT_FAILURE;
    }
}

static void
info_loaded_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  UniProject *project = UNI_PROJECT (object);
  Cli *cli = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  if (!uni_project_load_finish (project, result, &error))
    {
      fail (cli, error);
      g_main_loop_quit (cli->loop);
      return;
    }

  folder = g_file_get_path (uni_project_get_directory (project));

  g_print (_("Project: %s\n"), uni_project_get_name (project));
  g_print (_("Folder: %s\n"), folder);
  if (uni_project_get_branch (project) != NULL)
    g_print (_("Branch: %s\n"), uni_project_get_branch (project));
  else if (uni_project_get_git_error (project) != NULL)
    g_print (_("Branch: unavailable (%s)\n"), uni_project_get_git_error (project)->message);
  else
    g_print ("%s\n", _("Branch: not a git repository"));

  cli->exit_status = EXIT_SUCCESS;
  g_main_loop_quit (cli->loop);
}

static int
command_info (Cli   *cli,
              char **args)
{
  g_autoptr(GFile) directory = NULL;
  g_autoptr(UniProject) project = NULL;

  if (g_strv_length (args) != 1)
    {
      g_printerr ("%s\n", _("Usage: unistudio-cli info DIR"));
      return EXIT_FAILURE;
    }

  directory = g_file_new_for_commandline_arg (args[0]);
  project = uni_project_new (directory);

  uni_project_load_async (project, cli->cancellable, info_loaded_cb, cli);
  g_main_loop_run (cli->loop);

  return cli->exit_status;
}

static void
clone_progress_cb (const UniCloneProgress *progress,
                   gpointer                user_data)
{
  Cli *cli = user_data;
  int percent = (int) (uni_clone_progress_get_fraction (progress) * 100.0);
  g_autofree char *line = NULL;

  if (progress->checkout_total > 0)
    line = g_strdup_printf (_("Checking out files: %d%% (%u/%u)"), percent,
                            progress->checkout_completed, progress->checkout_total);
  else if (progress->total_objects > 0)
    line = g_strdup_printf (_("Receiving objects: %d%% (%u/%u)"), percent,
                            progress->received_objects, progress->total_objects);
  else
    line = g_strdup (_("Connecting…"));

  /* A terminal gets one line redrawn in place; a log gets a line per
   * tenth, so it stays readable.
   */
  if (cli->stderr_is_tty)
    {
      g_printerr ("\r\033[K%s", line);
      cli->progress_shown = TRUE;
    }
  else if (percent / 10 != cli->last_percent / 10 || cli->last_percent < 0)
    {
      g_printerr ("%s\n", line);
    }

  cli->last_percent = percent;
}

static void
clone_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Cli *cli = user_data;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;

  if (cli->progress_shown)
    g_printerr ("\n");

  directory = uni_repository_clone_finish (result, &error);
  if (directory == NULL)
    {
      fail (cli, error);
    }
  else
    {
      g_autofree char *path = g_file_get_path (directory);

      g_print (_("Cloned into “%s”\n"), path);
      cli->exit_status = EXIT_SUCCESS;
    }

  g_main_loop_quit (cli->loop);
}

static int
command_clone (Cli   *cli,
               char **args)
{
  g_autoptr(GFile) destination = NULL;
  guint sigint_source;

  if (g_strv_length (args) != 2)
    {
      g_printerr ("%s\n", _("Usage: unistudio-cli clone URL DEST"));
      return EXIT_FAILURE;
    }

  destination = g_file_new_for_commandline_arg (args[1]);
  sigint_source = g_unix_signal_add (SIGINT, sigint_cb, cli);

  uni_repository_clone_async (args[0], destination,
                              clone_progress_cb, cli, NULL,
                              cli->cancellable, clone_done_cb, cli);
  g_main_loop_run (cli->loop);

  g_source_remove (sigint_source);

  return cli->exit_status;
}

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "info", command_info },
  { "clone", command_clone },
};

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) args = NULL;
  gboolean version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, N_("Show the version and exit"), NULL },
    { NULL }
  };
  Cli cli = { 0 };
  int status = EXIT_FAILURE;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("unistudio-cli");

  context = g_option_context_new (_("COMMAND [ARGUMENTS…]"));
  g_option_context_set_summary (context,
                                _("Commands:\n"
                                  "  info DIR          Show a project’s name, folder and git branch\n"
                                  "  clone URL DEST    Clone a git repository into DEST"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  /* Options after the command belong to the command. */
  g_option_context_set_strict_posix (context, TRUE);

  args = g_strdupv (argv);
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  if (version)
    {
      g_print ("unistudio-cli %s\n", PACKAGE_VERSION);
      return EXIT_SUCCESS;
    }

  if (g_strv_length (args) < 2)
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
      return EXIT_FAILURE;
    }

  cli.loop = g_main_loop_new (NULL, FALSE);
  cli.cancellable = g_cancellable_new ();
  cli.exit_status = EXIT_FAILURE;
  cli.stderr_is_tty = isatty (STDERR_FILENO);
  cli.last_percent = -1;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (args[1], commands[i].name) == 0)
        {
          status = commands[i].func (&cli, args + 2);
          goto out;
        }
    }

  g_printerr (_("Unknown command “%s”. Run “unistudio-cli --help” for the list.\n"), args[1]);

out:
  g_clear_object (&cli.cancellable);
  g_clear_pointer (&cli.loop, g_main_loop_unref);

  return status;
}
