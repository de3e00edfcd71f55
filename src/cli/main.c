/* main.c — unistudio-cli, the headless companion of Unistudio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "unistudio-cli"

#include "config.h"

#include <locale.h>
#include <string.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "uni-board-deploy.h"
#include "uni-configure-flags.h"
#include "uni-file-util.h"
#include "uni-manifest.h"
#include "uni-pipeline.h"
#include "uni-plugins.h"
#include "uni-project.h"
#include "uni-project-settings.h"
#include "uni-repository.h"
#include "uni-runtime-args.h"
#include "uni-target.h"
#include "uni-toolchain.h"
#include "uni-xl.h"

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

/* SIGTERM (kill, a service manager) and SIGHUP (the terminal closed) stop
 * the work like Ctrl+C: the steps run in sessions of their own, so nothing
 * else would reach them.
 */
typedef struct
{
  guint sources[3];
} SignalWatch;

static void
signal_watch_start (SignalWatch *watch,
                    Cli         *cli)
{
  watch->sources[0] = g_unix_signal_add (SIGINT, sigint_cb, cli);
  watch->sources[1] = g_unix_signal_add (SIGTERM, sigint_cb, cli);
  watch->sources[2] = g_unix_signal_add (SIGHUP, sigint_cb, cli);
}

static void
signal_watch_stop (SignalWatch *watch)
{
  for (guint i = 0; i < G_N_ELEMENTS (watch->sources); i++)
    g_clear_handle_id (&watch->sources[i], g_source_remove);
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
  SignalWatch signals = { { 0 } };

  if (g_strv_length (args) != 2)
    {
      g_printerr ("%s\n", _("Usage: unistudio-cli clone URL DEST"));
      return EXIT_FAILURE;
    }

  destination = g_file_new_for_commandline_arg (args[1]);
  signal_watch_start (&signals, cli);

  uni_repository_clone_async (args[0], destination,
                              clone_progress_cb, cli, NULL,
                              cli->cancellable, clone_done_cb, cli);
  g_main_loop_run (cli->loop);

  signal_watch_stop (&signals);

  return cli->exit_status;
}

/* Parses a command's own options; @args are the words after the command.
 * On success *@words holds the non-option words.
 */
static gboolean
parse_command_options (GOptionContext  *context,
                       char           **args,
                       GStrv           *words)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;

  g_strv_builder_add (builder, g_get_prgname ());
  g_strv_builder_addv (builder, (const char **) args);
  argv = g_strv_builder_end (builder);

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse_strv (context, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }

  /* Drop the program name put in front above. */
  *words = g_strdupv (argv + 1);

  return TRUE;
}

/* Reads DIR/config.ml whole; blocking is fine in a command-line tool. */
static gboolean
read_config (const char  *dir_arg,
             GFile      **file_out,
             char       **text_out,
             gsize       *length_out)
{
  g_autoptr(GFile) directory = g_file_new_for_commandline_arg (dir_arg);
  g_autoptr(GFile) file = g_file_get_child (directory, "config.ml");
  g_autoptr(GError) error = NULL;

  if (!g_file_load_contents (file, NULL, text_out, length_out, NULL, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_printerr (_("No config.ml in “%s”\n"), dir_arg);
        }
      else
        {
          g_autofree char *path = g_file_get_parse_name (file);

          g_printerr (_("Error: could not read “%s”: %s\n"), path, error->message);
        }
      return FALSE;
    }

  *file_out = g_steal_pointer (&file);

  return TRUE;
}

/* The runtime arguments declared in the module file next to config.ml
 * (unikernel.ml); NULL when there is none. Their types and defaults only
 * add to the JSON, so a file that cannot be read is no error.
 */
static GPtrArray *
read_runtime_args (GFile       *config,
                   UniManifest *manifest)
{
  g_autoptr(GFile) directory = g_file_get_parent (config);

  return uni_runtime_args_load (manifest, directory, NULL, NULL);
}

/* "NAME[:MIN[:MAX]]"; an empty MIN or MAX means no bound. */
static gboolean
parse_package_spec (const char  *spec,
                    char       **name,
                    char       **min,
                    char       **max)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", -1);
  guint n_parts = g_strv_length (parts);

  if (n_parts == 0 || n_parts > 3 || *parts[0] == '\0')
    return FALSE;

  *name = g_strdup (parts[0]);
  *min = (n_parts > 1 && *parts[1] != '\0') ? g_strdup (parts[1]) : NULL;
  *max = (n_parts > 2 && *parts[2] != '\0') ? g_strdup (parts[2]) : NULL;

  return TRUE;
}

static char *
describe_bounds (const char *min,
                 const char *max)
{
  if (min != NULL && max != NULL)
    return g_strdup_printf (" (>= %s, < %s)", min, max);
  if (min != NULL)
    return g_strdup_printf (" (>= %s)", min);
  if (max != NULL)
    return g_strdup_printf (" (< %s)", max);

  return g_strdup ("");
}

static int
command_manifest (Cli   *cli,
                  char **args)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(UniManifest) manifest = NULL;
  g_autoptr(UniTextEdit) edit = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *text = NULL;
  g_autofree char *new_text = NULL;
  g_autofree char *change = NULL;
  g_auto(GStrv) set_args = NULL;
  g_auto(GStrv) rename_args = NULL;
  g_auto(GStrv) add_package_args = NULL;
  g_auto(GStrv) remove_package_args = NULL;
  const char *set;
  const char *rename;
  const char *add_package;
  const char *remove_package;
  gboolean spans = FALSE;
  gsize length = 0;
  gsize new_length = 0;
  guint n_edits;
  const GOptionEntry entries[] = {
    { "spans", 0, 0, G_OPTION_ARG_NONE, &spans,
      N_("Include the byte offsets of every element in the JSON"), NULL },
    /* Arrays, so that a repeated option is seen and refused, not overridden. */
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &set_args,
      N_("Change the default of a key"), N_("KEY=VALUE") },
    { "rename", 0, 0, G_OPTION_ARG_STRING_ARRAY, &rename_args,
      N_("Change the unikernel’s name (register \"NAME\")"), N_("NAME") },
    { "add-package", 0, 0, G_OPTION_ARG_STRING_ARRAY, &add_package_args,
      N_("Add an opam package, optionally with bounds: re, re:1.10, re:1.10:2.0, re::2.0"),
      N_("NAME[:MIN[:MAX]]") },
    { "remove-package", 0, 0, G_OPTION_ARG_STRING_ARRAY, &remove_package_args,
      N_("Remove an opam package"), N_("NAME") },
    { NULL }
  };

  context = g_option_context_new (_("manifest DIR"));
  g_option_context_set_summary (context,
                                _("Print DIR/config.ml as JSON, or make one edit to it.\n"
                                  "An edit changes only the text it must; the file is saved\n"
                                  "atomically and left untouched on any error. MIN is the\n"
                                  "lowest version allowed (>=), MAX the first one refused (<)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, args, &words))
    return EXIT_FAILURE;

  if (g_strv_length (words) != 1)
    {
      g_printerr ("%s\n", _("Usage: unistudio-cli manifest DIR [--spans] [--set KEY=VALUE | "
                            "--rename NAME | --add-package NAME[:MIN[:MAX]] | "
                            "--remove-package NAME]"));
      return EXIT_FAILURE;
    }

  n_edits = (set_args ? g_strv_length (set_args) : 0)
            + (rename_args ? g_strv_length (rename_args) : 0)
            + (add_package_args ? g_strv_length (add_package_args) : 0)
            + (remove_package_args ? g_strv_length (remove_package_args) : 0);
  if (n_edits > 1)
    {
      g_printerr ("%s\n", _("Error: give one edit at a time: one --set, --rename, "
                            "--add-package or --remove-package; nothing was changed"));
      return EXIT_FAILURE;
    }
  set = set_args ? set_args[0] : NULL;
  rename = rename_args ? rename_args[0] : NULL;
  add_package = add_package_args ? add_package_args[0] : NULL;
  remove_package = remove_package_args ? remove_package_args[0] : NULL;

  if (!read_config (words[0], &file, &text, &length))
    return EXIT_FAILURE;

  manifest = uni_manifest_new (text, length);

  if (n_edits == 0)
    {
      g_autoptr(GPtrArray) decls = read_runtime_args (file, manifest);
      g_autofree char *json = NULL;

      json = uni_manifest_to_json_with_runtime_args (manifest,
                                                     spans ? UNI_MANIFEST_JSON_SPANS
                                                           : UNI_MANIFEST_JSON_NONE,
                                                     decls);

      /* Problems are part of the JSON; reading them is the caller's job. */
      g_print ("%s\n", json);
      return EXIT_SUCCESS;
    }

  if (set != NULL)
    {
      const char *equals = strchr (set, '=');
      g_autofree char *key_name = NULL;
      const UniManifestKey *key;

      if (equals == NULL || equals == set)
        {
          g_printerr ("%s\n", _("Error: --set takes KEY=VALUE, such as --set port=80"));
          return EXIT_FAILURE;
        }

      key_name = g_strndup (set, equals - set);
      edit = uni_manifest_edit_set_key_default (manifest, key_name, equals + 1, &error);
      if (edit != NULL)
        {
          key = uni_manifest_find_key (manifest, key_name);
          change = g_strdup_printf (_("%s default %s → %s"), key_name,
                                    (key && key->default_text) ? key->default_text : _("(none)"),
                                    (key && edit->offset == key->default_span.offset
                                     && edit->length == key->default_span.length)
                                    ? edit->replacement : equals + 1);
        }
    }
  else if (rename != NULL)
    {
      const char *old_name = uni_manifest_get_name (manifest, NULL);

      edit = uni_manifest_edit_rename (manifest, rename, &error);
      if (edit != NULL)
        change = g_strdup_printf (_("name %s → %s"), old_name ? old_name : _("(none)"), rename);
    }
  else if (add_package != NULL)
    {
      g_autofree char *name = NULL;
      g_autofree char *min = NULL;
      g_autofree char *max = NULL;

      if (!parse_package_spec (add_package, &name, &min, &max))
        {
          g_printerr ("%s\n", _("Error: --add-package takes NAME[:MIN[:MAX]], "
                                "such as cohttp-mirage:5.0.0:6.0.0"));
          return EXIT_FAILURE;
        }

      edit = uni_manifest_edit_add_package (manifest, name, min, max, &error);
      if (edit != NULL)
        {
          g_autofree char *bounds = describe_bounds (min, max);

          change = g_strdup_printf (_("package %s%s added"), name, bounds);
        }
    }
  else
    {
      edit = uni_manifest_edit_remove_package (manifest, remove_package, &error);
      if (edit != NULL)
        change = g_strdup_printf (_("package %s removed"), remove_package);
    }

  if (edit == NULL)
    {
      fail (cli, error);
      return cli->exit_status;
    }

  /* NULL would be written as an empty config.ml. */
  new_text = uni_text_edit_apply (edit, text, length, &new_length);
  if (new_text == NULL)
    {
      g_printerr ("%s\n", _("Error: the edit does not fall inside config.ml; "
                            "nothing was written"));
      return EXIT_FAILURE;
    }

  /* Same text: leave the file and its modification time alone. */
  if (new_length != length || memcmp (new_text, text, length) != 0)
    {
      g_autoptr(GBytes) expected = g_bytes_new_static (text, length);

      if (!uni_file_replace_contents_full (file, new_text, new_length, expected, NULL, &error))
        {
          fail (cli, error);
          return cli->exit_status;
        }
    }

  g_print ("config.ml: %s\n", change);

  return EXIT_SUCCESS;
}

static char *
describe_flag_type (const UniConfigureFlag *flag)
{
  if (flag->choices != NULL)
    return g_strjoinv ("|", flag->choices);

  return g_strdup (flag->type);
}

static void
print_target_values (UniProjectSettings *settings,
                     GPtrArray          *flags,
                     const char         *target_id)
{
  g_auto(GStrv) names = uni_project_settings_dup_target_flags (settings, target_id);
  gboolean selected = g_strcmp0 (target_id, uni_project_settings_get_target (settings)) == 0;

  if (names[0] == NULL)
    {
      if (selected)
        g_print (_("No values for the target %s (selected).\n"), target_id);
      else
        g_print (_("No values for the target %s.\n"), target_id);
      return;
    }

  if (selected)
    g_print (_("Values for the target %s (selected):\n"), target_id);
  else
    g_print (_("Values for the target %s:\n"), target_id);

  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = uni_project_settings_dup_target_value (settings, target_id,
                                                                      names[i]);
      const UniConfigureFlag *flag = uni_configure_flags_find (flags, names[i]);
      g_autoptr(GError) error = NULL;

      /* The file is edited by hand; GKeyFile returns no string for bytes
       * that are not UTF-8.
       */
      if (value == NULL)
        g_print (_("  --%s  (unreadable: not UTF-8)\n"), names[i]);
      else if (flag == NULL)
        g_print (_("  --%s=%s  (not a flag of this config.ml: it is not passed)\n"),
                 names[i], value);
      else if (!uni_configure_flag_validate (flag, value, &error))
        g_print (_("  --%s=%s  (invalid: %s)\n"), names[i], value, error->message);
      else if (g_strcmp0 (flag->type, "switch") == 0 && strcmp (value, "true") == 0)
        g_print ("  --%s\n", names[i]);
      else if (g_strcmp0 (flag->type, "switch") == 0)
        g_print (_("  --%s  (off)\n"), names[i]);
      else
        g_print ("  --%s=%s\n", names[i], value);
    }
}

static int
command_flags (Cli   *cli,
               char **args)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(UniManifest) manifest = NULL;
  g_autoptr(UniProjectSettings) settings = NULL;
  g_autoptr(GPtrArray) flags = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *text = NULL;
  g_autofree char *target = NULL;
  gsize length = 0;
  const GOptionEntry entries[] = {
    { "target", 't', 0, G_OPTION_ARG_STRING, &target,
      N_("Show the values for this target instead of the selected one"), N_("ID") },
    { NULL }
  };

  context = g_option_context_new (_("flags DIR"));
  g_option_context_set_summary (context,
                                _("List the “mirage configure” flags that DIR/config.ml offers,\n"
                                  "and the values the project settings give them for a target."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, args, &words))
    return EXIT_FAILURE;

  if (g_strv_length (words) != 1)
    {
      g_printerr ("%s\n", _("Usage: unistudio-cli flags DIR [--target ID]"));
      return EXIT_FAILURE;
    }

  if (!read_config (words[0], &file, &text, &length))
    return EXIT_FAILURE;

  manifest = uni_manifest_new (text, length);
  flags = uni_configure_flags_for_manifest (manifest);

  g_print (_("Configure flags (mirage %s):\n"),
           uni_mirage_era_to_string (uni_manifest_get_era (manifest)));
  if (flags->len == 0)
    g_print ("%s\n", _("  none"));

  for (guint i = 0; i < flags->len; i++)
    {
      const UniConfigureFlag *flag = g_ptr_array_index (flags, i);
      g_autofree char *type = describe_flag_type (flag);
      g_autofree char *details = NULL;

      if (flag->default_value != NULL)
        details = g_strdup_printf (_("%s, default %s, %s"), type, flag->default_value,
                                   flag->from_config ? _("from config.ml") : _("built-in"));
      else
        details = g_strdup_printf (_("%s, %s"), type,
                                   flag->from_config ? _("from config.ml") : _("built-in"));

      if (flag->doc != NULL && *flag->doc != '\0')
        g_print ("  --%-16s %s — %s\n", flag->name, details, flag->doc);
      else
        g_print ("  --%-16s %s\n", flag->name, details);
    }

  directory = g_file_get_parent (file);
  settings = uni_project_settings_new (directory);
  if (!uni_project_settings_load (settings, NULL, &error))
    g_printerr (_("Warning: %s\n"), error->message);

  print_target_values (settings, flags,
                       target != NULL ? target : uni_project_settings_get_target (settings));

  return EXIT_SUCCESS;
}

/* plan and build: the project, its build environment and toolchain. */

/* A target the toolchain cannot build, or no toolchain at all. */
#define EXIT_CANNOT_BUILD 2

typedef enum
{
  BUILD_COMMAND_PLAN,
  BUILD_COMMAND_BUILD,
  BUILD_COMMAND_RUN,
} BuildCommandKind;

typedef struct
{
  Cli             *cli;
  const char      *target_id;
  BuildCommandKind kind;
  gboolean         plan_run;
  UniProject      *project;
  UniToolchain    *toolchain;
  UniPipeline     *pipeline;
  guint            n_announced;
} BuildCommand;

static void
print_toolchain_problem (UniToolchain *toolchain)
{
  GPtrArray *commands = uni_toolchain_get_setup_commands (toolchain);

  g_printerr (_("Error: %s\n"),
              uni_toolchain_get_problem (toolchain) != NULL
              ? uni_toolchain_get_problem (toolchain) : _("mirage was not found"));
  if (commands == NULL || commands->len == 0)
    return;

  g_printerr ("%s\n", _("To set it up, run:"));
  for (guint i = 0; i < commands->len; i++)
    {
      const char * const *argv = g_ptr_array_index (commands, i);
      g_autoptr(GString) line = g_string_new ("  ");

      for (guint j = 0; argv[j] != NULL; j++)
        {
          g_autofree char *quoted = g_shell_quote (argv[j]);

          if (j > 0)
            g_string_append_c (line, ' ');
          g_string_append (line, quoted);
        }
      g_printerr ("%s\n", line->str);
    }
}

static void
job_output_cb (UniJob     *job,
               const char *data,
               gulong      length,
               gpointer    user_data)
{
  fwrite (data, 1, length, stdout);
  fflush (stdout);
}

/* Headers in the order of the steps, skipped ones included. */
static void
announce_jobs (BuildCommand *build,
               guint         up_to)
{
  GListModel *model = G_LIST_MODEL (build->pipeline);

  for (; build->n_announced < up_to; build->n_announced++)
    {
      g_autoptr(UniJob) job = g_list_model_get_item (model, build->n_announced);

      if (uni_job_get_state (job) == UNI_JOB_SKIPPED)
        g_print (_("== %s (skipped: %s)\n"), uni_job_get_name (job),
                 uni_job_get_skip_reason (job));
      else if (uni_job_get_state (job) != UNI_JOB_PENDING)
        g_print ("== %s\n", uni_job_get_name (job));
      else
        break;
    }
  fflush (stdout);
}

static void
job_state_cb (UniJob       *job,
              GParamSpec   *pspec,
              BuildCommand *build)
{
  GListModel *model = G_LIST_MODEL (build->pipeline);

  if (uni_job_get_state (job) != UNI_JOB_RUNNING)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(UniJob) item = g_list_model_get_item (model, i);

      if (item == job)
        announce_jobs (build, i + 1);
    }
}

static void
quit_when_ended_cb (Cli        *cli,
                    GParamSpec *pspec,
                    UniJob     *job)
{
  if (uni_job_get_state (job) != UNI_JOB_RUNNING)
    g_main_loop_quit (cli->loop);
}

static void
run_job_ended_cb (UniJob       *job,
                  GParamSpec   *pspec,
                  BuildCommand *build)
{
  UniJobState state = uni_job_get_state (job);

  if (state == UNI_JOB_RUNNING)
    return;

  if (state == UNI_JOB_CANCELLED)
    {
      g_printerr ("%s\n", _("The unikernel was stopped."));
      build->cli->exit_status = EXIT_INTERRUPTED;
    }
  else
    {
      int status = uni_job_get_exit_status (job);

      g_printerr (_("The unikernel exited with status %d.\n"), status);
      build->cli->exit_status = status == 0 ? EXIT_SUCCESS : MIN (status, 255);
    }

  g_main_loop_quit (build->cli->loop);
}

static void
pipeline_run_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BuildCommand *build = user_data;
  GListModel *model = G_LIST_MODEL (build->pipeline);
  g_autoptr(GError) error = NULL;

  if (uni_pipeline_run_finish (build->pipeline, result, &error))
    {
      announce_jobs (build, g_list_model_get_n_items (model));
      build->cli->exit_status = EXIT_SUCCESS;

      if (build->kind == BUILD_COMMAND_RUN)
        {
          UniJob *job = uni_pipeline_get_job (build->pipeline, "run");

          /* Translators: %s is the unikernel's page, e.g. http://localhost:8080/ */
          g_print (_("The unikernel answers at %s — press Ctrl+C to stop it.\n"),
                   uni_pipeline_get_url (build->pipeline));
          fflush (stdout);

          /* It serves until it exits, or Ctrl+C stops it through the cancellable. */
          if (uni_job_get_state (job) == UNI_JOB_RUNNING)
            {
              g_signal_connect (job, "notify::state", G_CALLBACK (run_job_ended_cb), build);
              return;
            }
          run_job_ended_cb (job, NULL, build);
          return;
        }
    }
  else if (g_error_matches (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_STEP_FAILED))
    {
      build->cli->exit_status = EXIT_FAILURE;
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(UniJob) job = g_list_model_get_item (model, i);

          if (uni_job_get_state (job) == UNI_JOB_FAILED && uni_job_get_exit_status (job) > 0)
            build->cli->exit_status = uni_job_get_exit_status (job);
        }
      g_printerr (_("Error: %s\n"), error->message);
    }
  else
    fail (build->cli, error);

  /* Started but not answering: it must not outlive the command. */
  if (build->kind == BUILD_COMMAND_RUN)
    {
      UniJob *job = uni_pipeline_get_job (build->pipeline, "run");

      if (job != NULL && uni_job_get_state (job) == UNI_JOB_RUNNING)
        {
          int exit_status = build->cli->exit_status;

          g_signal_connect_swapped (job, "notify::state", G_CALLBACK (quit_when_ended_cb),
                                    build->cli);
          uni_job_stop (job);
          build->cli->exit_status = exit_status;
          return;
        }
    }

  g_main_loop_quit (build->cli->loop);
}

/* What Run will not do as planned says so before anything is built. The
 * command's own terminal cannot be the unikernel's (it runs in a session
 * of its own), so sudo would have nowhere to ask for the password.
 */
static gboolean
check_run_launch (BuildCommand *build)
{
  const UniLaunch *launch = uni_pipeline_get_launch (build->pipeline);

  for (guint i = 0; launch->dropped[i] != NULL; i++)
    /* Translators: %s is a setting and why, e.g. "boot.foo (not a runtime argument …)" */
    g_printerr (_("Not passed to the unikernel: %s\n"), launch->dropped[i]);

  if (uni_launch_needs_sudo (launch))
    {
      /* Translators: %s says why, e.g. "the direct network stack opens a tap device" */
      g_printerr (_("Error: the unikernel needs root: %s.\n"), launch->root_reason);
      g_printerr ("%s\n", _("Run unistudio-cli run as root, or change the target’s settings "
                            "(net=socket, a port from 1024)."));
      build->cli->exit_status = EXIT_CANNOT_BUILD;
      return FALSE;
    }

  return TRUE;
}

/* Runs the planned pipeline, its steps' output on stdout under a header each. */
static void
run_pipeline_streaming (BuildCommand        *build,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (build->pipeline)); i++)
    {
      g_autoptr(UniJob) job = g_list_model_get_item (G_LIST_MODEL (build->pipeline), i);

      g_signal_connect (job, "output", G_CALLBACK (job_output_cb), build);
      g_signal_connect (job, "notify::state", G_CALLBACK (job_state_cb), build);
    }

  uni_pipeline_run_async (build->pipeline, build->cli->cancellable, callback, user_data);
}

static void
toolchain_detected_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BuildCommand *build = user_data;
  const UniTarget *target = uni_target_lookup (build->target_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  build->toolchain = uni_toolchain_detect_finish (result, &error);
  if (build->toolchain == NULL)
    {
      fail (build->cli, error);
      g_main_loop_quit (build->cli->loop);
      return;
    }

  if (!uni_toolchain_get_found (build->toolchain))
    {
      print_toolchain_problem (build->toolchain);
      build->cli->exit_status = EXIT_CANNOT_BUILD;
      g_main_loop_quit (build->cli->loop);
      return;
    }

  build->pipeline = uni_pipeline_new (build->project, target, build->toolchain);
  if (build->kind == BUILD_COMMAND_RUN || build->plan_run)
    uni_pipeline_set_goal (build->pipeline, UNI_PIPELINE_GOAL_RUN);
  if (!uni_pipeline_plan (build->pipeline, &error))
    {
      g_printerr (_("Error: %s\n"), error->message);
      build->cli->exit_status = error->domain == UNI_BUILD_ERROR ? EXIT_CANNOT_BUILD
                                                                  : EXIT_FAILURE;
      g_main_loop_quit (build->cli->loop);
      return;
    }

  if (build->kind == BUILD_COMMAND_PLAN)
    {
      json = uni_pipeline_to_json (build->pipeline);
      g_print ("%s", json);
      build->cli->exit_status = EXIT_SUCCESS;
      g_main_loop_quit (build->cli->loop);
      return;
    }

  if (build->kind == BUILD_COMMAND_RUN && !check_run_launch (build))
    {
      g_main_loop_quit (build->cli->loop);
      return;
    }

  run_pipeline_streaming (build, pipeline_run_cb, build);
}

static void
build_project_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BuildCommand *build = user_data;
  UniProjectSettings *settings;
  g_autoptr(UniBuildEnvironment) environment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *environment_id = NULL;

  if (!uni_project_load_finish (build->project, result, &error))
    {
      fail (build->cli, error);
      g_main_loop_quit (build->cli->loop);
      return;
    }

  settings = uni_project_get_settings (build->project);
  if (build->target_id == NULL)
    build->target_id = uni_project_settings_get_target (settings);

  if (uni_target_lookup (build->target_id) == NULL)
    {
      g_printerr (_("Error: unknown target “%s”\n"), build->target_id);
      build->cli->exit_status = EXIT_CANNOT_BUILD;
      g_main_loop_quit (build->cli->loop);
      return;
    }

  environment_id = uni_project_settings_dup_target_value (settings, build->target_id, "env");
  uni_plugins_init ();
  environment = uni_plugins_create_build_environment (environment_id != NULL ? environment_id
                                                                             : "host",
                                                      settings, build->target_id, &error);
  if (environment == NULL)
    {
      g_printerr (_("Error: %s\n"), error->message);
      build->cli->exit_status = EXIT_CANNOT_BUILD;
      g_main_loop_quit (build->cli->loop);
      return;
    }

  uni_toolchain_detect_async (environment, build->cli->cancellable, toolchain_detected_cb, build);
}

static int
run_build_command (Cli              *cli,
                   char            **args,
                   BuildCommandKind  kind)
{
  static const struct {
    const char *parameter;
    const char *summary;
    const char *usage;
  } texts[] = {
    [BUILD_COMMAND_PLAN] = {
      N_("plan DIR"),
      N_("Print the steps of a build as JSON: each step’s name, argv, cwd, env\n"
         "additions and why it is skipped. With --run, the steps of Run."),
      N_("Usage: unistudio-cli plan DIR [--target ID] [--run]"),
    },
    [BUILD_COMMAND_BUILD] = {
      N_("build DIR"),
      N_("Run configure, depend and build for a target, streaming their output."),
      N_("Usage: unistudio-cli build DIR [--target ID]"),
    },
    [BUILD_COMMAND_RUN] = {
      N_("run DIR"),
      N_("Bring the unix build up to date, start the unikernel and print its URL once\n"
         "its web port answers. It serves until it exits or Ctrl+C stops it."),
      N_("Usage: unistudio-cli run DIR"),
    },
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GFile) directory = NULL;
  g_auto(GStrv) words = NULL;
  g_autofree char *target = NULL;
  gboolean plan_run = FALSE;
  BuildCommand build = { 0 };
  SignalWatch signals = { { 0 } };
  const GOptionEntry entries[] = {
    { "target", 't', 0, G_OPTION_ARG_STRING, &target,
      N_("The target (default: the project’s selected target)"), N_("ID") },
    { NULL }
  };
  const GOptionEntry plan_entries[] = {
    { "run", 0, 0, G_OPTION_ARG_NONE, &plan_run, N_("Plan Run: the build, then the unikernel"),
      NULL },
    { NULL }
  };

  context = g_option_context_new (_(texts[kind].parameter));
  g_option_context_set_summary (context, _(texts[kind].summary));
  /* Run is for the unix target: no --target to choose another. */
  if (kind != BUILD_COMMAND_RUN)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (kind == BUILD_COMMAND_PLAN)
    g_option_context_add_main_entries (context, plan_entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, args, &words))
    return EXIT_FAILURE;

  if (g_strv_length (words) != 1)
    {
      g_printerr ("%s\n", _(texts[kind].usage));
      return EXIT_FAILURE;
    }

  build.cli = cli;
  build.target_id = kind == BUILD_COMMAND_RUN ? "unix" : target;
  build.kind = kind;
  build.plan_run = plan_run;
  directory = g_file_new_for_commandline_arg (words[0]);
  build.project = uni_project_new (directory);

  signal_watch_start (&signals, cli);
  uni_project_load_async (build.project, cli->cancellable, build_project_loaded_cb, &build);
  g_main_loop_run (cli->loop);
  signal_watch_stop (&signals);

  g_clear_object (&build.pipeline);
  g_clear_object (&build.toolchain);
  g_clear_object (&build.project);

  return cli->exit_status;
}

static int
command_plan (Cli   *cli,
              char **args)
{
  return run_build_command (cli, args, BUILD_COMMAND_PLAN);
}

static int
command_build (Cli   *cli,
               char **args)
{
  return run_build_command (cli, args, BUILD_COMMAND_BUILD);
}

static int
command_run (Cli   *cli,
             char **args)
{
  return run_build_command (cli, args, BUILD_COMMAND_RUN);
}

/* board: status, deploy, start and stop on a board reached over ssh. */

typedef enum
{
  BOARD_STATUS,
  BOARD_DEPLOY,
  BOARD_START,
  BOARD_STOP,
} BoardAction;

typedef struct
{
  BuildCommand        build;
  BoardAction         action;
  gboolean            replace;
  UniBoard           *board;
  UniBoardProfile    *profile;
  UniBoardDeployment *deployment;
  UniBoardConsole    *console;
} BoardCommand;

static void
board_done (BoardCommand *board,
            int           exit_status)
{
  board->build.cli->exit_status = exit_status;
  g_main_loop_quit (board->build.cli->loop);
}

static void
board_fail (BoardCommand *board,
            const GError *error)
{
  fail (board->build.cli, error);
  g_main_loop_quit (board->build.cli->loop);
}

static void
print_status (UniBoardProfile *profile,
              UniBoardStatus  *status)
{
  GPtrArray *domains = uni_board_status_get_domains (status);
  const char * const *bridges = uni_board_status_get_bridges (status);

  g_print (_("Board: %s\n"), uni_board_profile_get_host (profile));
  g_print (_("Reachable: %s\n"), uni_board_status_get_logged_in (status) ? _("yes") : _("no"));
  if (uni_board_status_get_state (status) != UNI_BOARD_STATE_OK)
    return;

  if (uni_board_status_get_machine (status) != NULL)
    g_print (_("Machine: %s\n"), uni_board_status_get_machine (status));
  g_print (_("Xen: %s\n"), uni_board_status_get_xen_version (status) != NULL
                           ? uni_board_status_get_xen_version (status) : _("unknown version"));
  if (uni_board_status_get_free_memory_mib (status) >= 0)
    g_print (_("Free memory: %" G_GINT64_FORMAT " MiB\n"),
             uni_board_status_get_free_memory_mib (status));
  g_print ("%s\n", _("Domains:"));
  for (guint i = 0; domains != NULL && i < domains->len; i++)
    {
      const UniXlDomain *domain = g_ptr_array_index (domains, i);
      g_autofree char *state = uni_xl_describe_state (domain->state);

      /* Translators: a domain's name, id, memory and state in words */
      g_print (_("  %s (id %u, %u MiB): %s\n"), domain->name, domain->id, domain->mem_mib,
               state != NULL ? state : domain->state);
    }
  if (bridges != NULL && bridges[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **) bridges);

      g_print (_("Bridges: %s\n"), joined);
    }
  else
    g_print ("%s\n", _("Bridges: none found"));
}

/* A board that cannot be reached or used says what and why, with ssh's or
 * the board's own words.
 */
static gboolean
check_status (UniBoardStatus *status)
{
  const char *detail = uni_board_status_get_detail (status);

  if (uni_board_status_get_state (status) == UNI_BOARD_STATE_OK)
    return TRUE;

  g_printerr (_("Error: %s\n"), uni_board_status_get_message (status));
  if (detail != NULL && *detail != '\0')
    g_printerr ("%s\n", detail);
  return FALSE;
}

static void
board_status_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = uni_board_probe_finish (UNI_BOARD (object), result, &error);
  if (status == NULL)
    {
      board_fail (board, error);
      return;
    }

  print_status (board->profile, status);
  board_done (board, check_status (status) ? EXIT_SUCCESS : EXIT_FAILURE);
}

static void
deploy_progress_cb (UniBoardDeployment *deployment,
                    guint               index,
                    guint               n_files,
                    const char         *file_name,
                    BoardCommand       *board)
{
  if (file_name != NULL)
    /* Translators: file i of n, its name and the folder on the board */
    g_print (_("Copying %u/%u: %s to %s\n"), index + 1, n_files, file_name,
             uni_board_deployment_get_remote_folder (deployment));
  fflush (stdout);
}

static void
board_copied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *kernel = NULL;
  g_autofree char *xl = NULL;

  if (!uni_board_deployment_copy_finish (board->deployment, result, &error))
    {
      board_fail (board, error);
      return;
    }

  kernel = uni_board_deployment_dup_remote_kernel (board->deployment);
  xl = uni_board_deployment_dup_remote_xl (board->deployment);
  g_print (_("Deployed %s to %s:\n"), uni_board_deployment_get_domain_name (board->deployment),
           uni_board_profile_get_host (board->profile));
  g_print (_("  kernel: %s\n"), kernel);
  g_print (_("  domain configuration: %s\n"), xl);
  board_done (board, EXIT_SUCCESS);
}

static void
board_deploy_probed_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(UniBoardStatus) status = NULL;
  g_autoptr(GError) error = NULL;

  status = uni_board_probe_finish (UNI_BOARD (object), result, &error);
  if (status == NULL)
    {
      board_fail (board, error);
      return;
    }
  if (!check_status (status))
    {
      board_done (board, EXIT_FAILURE);
      return;
    }

  g_signal_connect (board->deployment, "progress", G_CALLBACK (deploy_progress_cb), board);
  uni_board_deployment_copy_async (board->deployment, status, board->build.cli->cancellable,
                                   board_copied_cb, board);
}

static void
console_address_cb (UniBoardConsole *console,
                    GParamSpec      *pspec,
                    BoardCommand    *board)
{
  /* Translators: %s is the unikernel's page, e.g. http://10.0.0.5:8080/ */
  g_print (_("The unikernel answers at %s\n"), uni_board_console_get_url (console));
  fflush (stdout);
}

static void
console_ended_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BoardCommand *board = user_data;
  UniJob *job = UNI_JOB (object);
  g_autoptr(GError) error = NULL;

  if (uni_job_run_finish (job, result, &error)
      || uni_job_get_state (job) != UNI_JOB_CANCELLED)
    {
      int status = uni_job_get_exit_status (job);

      if (status != 0)
        {
          g_printerr (_("Error: the console ended with status %d.\n"), status);
          board_done (board, MIN (status, 255));
          return;
        }
      board_done (board, EXIT_SUCCESS);
      return;
    }

  g_printerr ("%s\n", _("Detached: the unikernel goes on running on the board."));
  board_done (board, EXIT_SUCCESS);
}

static void
board_start_console (BoardCommand *board)
{
  g_autoptr(GError) error = NULL;
  UniJob *job;

  board->console = uni_board_console_new_start (board->deployment, &error);
  if (board->console == NULL)
    {
      board_fail (board, error);
      return;
    }

  job = uni_board_console_get_job (board->console);
  g_signal_connect (job, "output", G_CALLBACK (job_output_cb), NULL);
  g_signal_connect (board->console, "notify::url", G_CALLBACK (console_address_cb), board);
  uni_job_run_async (job, board->build.cli->cancellable, console_ended_cb, board);
}

static void
board_replaced_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_board_deployment_stop_finish (board->deployment, result, &error))
    {
      board_fail (board, error);
      return;
    }

  board_start_console (board);
}

static void
board_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  if (!uni_board_deployment_find_domain_finish (board->deployment, result, &exists, &error))
    {
      board_fail (board, error);
      return;
    }

  if (exists && !board->replace)
    {
      /* Translators: %s is the domain's name */
      g_printerr (_("Error: the domain %s exists on the board already. Stop it first, or start "
                    "with --replace.\n"),
                  uni_board_deployment_get_domain_name (board->deployment));
      board_done (board, EXIT_FAILURE);
      return;
    }

  if (exists)
    uni_board_deployment_stop_async (board->deployment, board->build.cli->cancellable,
                                     board_replaced_cb, board);
  else
    board_start_console (board);
}

static void
board_stopped_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_board_deployment_stop_finish (board->deployment, result, &error))
    {
      board_fail (board, error);
      return;
    }

  /* Translators: %s is the domain's name */
  g_print (_("Destroyed %s.\n"), uni_board_deployment_get_domain_name (board->deployment));
  board_done (board, EXIT_SUCCESS);
}

static void
board_located_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BoardCommand *board = user_data;
  GCancellable *cancellable = board->build.cli->cancellable;
  g_autoptr(GError) error = NULL;

  board->deployment = uni_board_deployment_new_finish (result, &error);
  if (board->deployment == NULL)
    {
      board_fail (board, error);
      return;
    }

  switch (board->action)
    {
    case BOARD_DEPLOY:
      uni_board_probe_async (board->board, board->profile, cancellable,
                             board_deploy_probed_cb, board);
      break;

    case BOARD_START:
      uni_board_deployment_find_domain_async (board->deployment, cancellable,
                                              board_found_cb, board);
      break;

    case BOARD_STOP:
      uni_board_deployment_stop_async (board->deployment, cancellable, board_stopped_cb, board);
      break;

    case BOARD_STATUS:
    default:
      g_assert_not_reached ();
    }
}

static void
board_locate (BoardCommand *board)
{
  uni_board_deployment_new_async (board->board, board->profile, board->build.project,
                                  uni_target_lookup (board->build.target_id),
                                  board->build.toolchain, board->build.cli->cancellable,
                                  board_located_cb, board);
}

static void
board_built_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BoardCommand *board = user_data;
  g_autoptr(GError) error = NULL;

  if (!uni_pipeline_run_finish (board->build.pipeline, result, &error))
    {
      board_fail (board, error);
      return;
    }

  announce_jobs (&board->build, g_list_model_get_n_items (G_LIST_MODEL (board->build.pipeline)));
  board_locate (board);
}

static void
board_toolchain_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BoardCommand *board = user_data;
  BuildCommand *build = &board->build;
  g_autoptr(GError) error = NULL;

  build->toolchain = uni_toolchain_detect_finish (result, &error);
  if (build->toolchain == NULL)
    {
      board_fail (board, error);
      return;
    }

  if (!uni_toolchain_get_found (build->toolchain))
    {
      print_toolchain_problem (build->toolchain);
      board_done (board, EXIT_CANNOT_BUILD);
      return;
    }

  if (board->action != BOARD_DEPLOY)
    {
      board_locate (board);
      return;
    }

  /* Deploy brings the build up to date first; planning refuses a target
   * this machine cannot build (Xen ARM off armv7) and says why.
   */
  build->pipeline = uni_pipeline_new (build->project, uni_target_lookup (build->target_id),
                                      build->toolchain);
  if (!uni_pipeline_plan (build->pipeline, &error))
    {
      g_printerr (_("Error: %s\n"), error->message);
      board_done (board, error->domain == UNI_BUILD_ERROR ? EXIT_CANNOT_BUILD : EXIT_FAILURE);
      return;
    }

  run_pipeline_streaming (build, board_built_cb, board);
}

static void
board_project_loaded_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BoardCommand *board = user_data;
  BuildCommand *build = &board->build;
  UniProjectSettings *settings;
  g_autoptr(UniBuildEnvironment) environment = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *environment_id = NULL;

  if (!uni_project_load_finish (build->project, result, &error))
    {
      board_fail (board, error);
      return;
    }

  settings = uni_project_get_settings (build->project);
  environment_id = uni_project_settings_dup_target_value (settings, build->target_id, "env");
  environment = uni_plugins_create_build_environment (environment_id != NULL ? environment_id
                                                                             : "host",
                                                      settings, build->target_id, &error);
  if (environment == NULL)
    {
      g_printerr (_("Error: %s\n"), error->message);
      board_done (board, EXIT_CANNOT_BUILD);
      return;
    }

  uni_toolchain_detect_async (environment, build->cli->cancellable, board_toolchain_cb, board);
}

static int
command_board (Cli   *cli,
               char **args)
{
  static const char * const actions[] = {
    [BOARD_STATUS] = "status",
    [BOARD_DEPLOY] = "deploy",
    [BOARD_START] = "start",
    [BOARD_STOP] = "stop",
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GFile) directory = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) ssh_options = NULL;
  g_autofree char *host = NULL;
  g_autofree char *user = NULL;
  g_autofree char *board_type = NULL;
  g_autofree char *sudo = NULL;
  g_autofree char *target = NULL;
  int port = -1;
  gboolean replace = FALSE;
  BoardCommand board = { { 0 } };
  SignalWatch signals = { { 0 } };
  const char *usage = _("Usage: unistudio-cli board status|deploy|start|stop DIR --host HOST "
                        "[--user U] [--port P] [--ssh-option KEY=VALUE]… [--board TYPE] "
                        "[--sudo yes|no] [--target ID] [--replace]");
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host,
      N_("The board: a host name, an address or an alias from ~/.ssh/config"), N_("HOST") },
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("The login (default: the board’s)"),
      N_("USER") },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("The ssh port (default: ssh’s)"), N_("PORT") },
    { "ssh-option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &ssh_options,
      N_("An ssh option, as ssh -o takes it (repeatable)"), N_("KEY=VALUE") },
    { "board", 'b', 0, G_OPTION_ARG_STRING, &board_type,
      N_("The board type (default: cubieboard2)"), N_("TYPE") },
    { "sudo", 0, 0, G_OPTION_ARG_STRING, &sudo,
      N_("Whether xl runs through sudo (default: the board’s)"), N_("yes|no") },
    { "target", 't', 0, G_OPTION_ARG_STRING, &target,
      N_("The target to deploy (default: the board’s)"), N_("ID") },
    { "replace", 0, 0, G_OPTION_ARG_NONE, &replace,
      N_("start: destroy a domain of the same name first"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("board status|deploy|start|stop DIR"));
  g_option_context_set_summary (context,
                                _("Work with a board that runs Xen, over ssh: status shows it "
                                  "(Xen, domains,\nbridges); deploy builds the target and copies "
                                  "the kernel and its .xl file;\nstart creates the domain and "
                                  "streams its console (Ctrl+C detaches); stop\ndestroys it."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!parse_command_options (context, args, &words))
    return EXIT_FAILURE;

  if (g_strv_length (words) != 2 || host == NULL)
    {
      g_printerr ("%s\n", usage);
      return EXIT_FAILURE;
    }

  board.action = G_N_ELEMENTS (actions);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (words[0], actions[i]))
      board.action = i;
  if (board.action == G_N_ELEMENTS (actions))
    {
      g_printerr ("%s\n", usage);
      return EXIT_FAILURE;
    }

  if (port < -1 || port == 0 || port > 65535)
    {
      g_printerr (_("Error: %d is no port: give 1 to 65535.\n"), port);
      return EXIT_FAILURE;
    }
  if (sudo != NULL && !g_str_equal (sudo, "yes") && !g_str_equal (sudo, "no"))
    {
      g_printerr (_("Error: --sudo takes yes or no, not “%s”.\n"), sudo);
      return EXIT_FAILURE;
    }

  uni_plugins_init ();
  board.board = uni_plugins_create_board (board_type != NULL ? board_type : "cubieboard2",
                                          NULL, &error);
  if (board.board == NULL)
    {
      g_printerr (_("Error: %s\n"), error->message);
      return EXIT_FAILURE;
    }

  board.profile = uni_board_new_profile (board.board, "unistudio-cli");
  uni_board_profile_set_host (board.profile, host);
  if (user != NULL)
    uni_board_profile_set_user (board.profile, user);
  if (port > 0)
    uni_board_profile_set_port (board.profile, port);
  if (ssh_options != NULL)
    uni_board_profile_set_ssh_options (board.profile, (const char * const *) ssh_options);
  if (sudo != NULL)
    uni_board_profile_set_xl_sudo (board.profile, g_str_equal (sudo, "yes"));
  if (!uni_board_profile_check (board.profile, &error))
    {
      g_printerr (_("Error: %s\n"), error->message);
      g_clear_object (&board.profile);
      g_clear_object (&board.board);
      return EXIT_FAILURE;
    }

  board.replace = replace;
  board.build.cli = cli;
  board.build.kind = BUILD_COMMAND_BUILD;
  board.build.target_id = target != NULL ? target : uni_board_get_target_id (board.board);
  if (uni_target_lookup (board.build.target_id) == NULL)
    {
      g_printerr (_("Error: unknown target “%s”\n"), board.build.target_id);
      g_clear_object (&board.profile);
      g_clear_object (&board.board);
      return EXIT_CANNOT_BUILD;
    }

  signal_watch_start (&signals, cli);
  if (board.action == BOARD_STATUS)
    {
      uni_board_probe_async (board.board, board.profile, cli->cancellable,
                             board_status_cb, &board);
    }
  else
    {
      directory = g_file_new_for_commandline_arg (words[1]);
      board.build.project = uni_project_new (directory);
      uni_project_load_async (board.build.project, cli->cancellable,
                              board_project_loaded_cb, &board);
    }
  g_main_loop_run (cli->loop);
  signal_watch_stop (&signals);

  g_clear_object (&board.console);
  g_clear_object (&board.deployment);
  g_clear_object (&board.build.pipeline);
  g_clear_object (&board.build.toolchain);
  g_clear_object (&board.build.project);
  g_clear_object (&board.profile);
  g_clear_object (&board.board);

  return cli->exit_status;
}

static const struct {
  const char  *name;
  CommandFunc  func;
} commands[] = {
  { "info", command_info },
  { "clone", command_clone },
  { "manifest", command_manifest },
  { "flags", command_flags },
  { "plan", command_plan },
  { "build", command_build },
  { "run", command_run },
  { "board", command_board },
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
                                  "  clone URL DEST    Clone a git repository into DEST\n"
                                  "  manifest DIR      Print config.ml as JSON, or edit it "
                                  "(--set, --rename,\n"
                                  "                    --add-package, --remove-package)\n"
                                  "  flags DIR         List the configure flags and the "
                                  "project’s values\n"
                                  "  plan DIR          Print the build steps for a target "
                                  "as JSON (--target)\n"
                                  "  build DIR         Configure and build for a target "
                                  "(--target)\n"
                                  "  run DIR           Build for unix if needed, start the "
                                  "unikernel, print its URL\n"
                                  "  board ACTION DIR  status, deploy, start or stop on a Xen "
                                  "board over ssh\n"
                                  "                    (--host, --user, --port, --ssh-option, "
                                  "--board, --sudo)\n"
                                  "\n"
                                  "Run “unistudio-cli COMMAND --help” for a command’s options."));
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
