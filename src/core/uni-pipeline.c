/* uni-pipeline.c — configure → depend → build for one target
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-pipeline"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "uni-build-environment.h"
#include "uni-configure-flags.h"
#include "uni-file-util.h"
#include "uni-manifest.h"
#include "uni-pipeline-private.h"

#define STATE_DIR      ".unistudio/state"
#define STAMP_GROUP    "Stamp"
#define STAMP_DIGEST   "digest"


/* A stamp to write (or, without contents, to remove) in a thread; @failure
 * is the error of the step the run ends with once the stamp is handled.
 */
typedef struct
{
  char   *step;
  char   *path;
  char   *contents;
  GError *failure;
} StampUpdate;

enum {
  PROP_0,
  PROP_URL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniPipeline, uni_pipeline, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void run_next (UniPipeline *self);

static GType
list_model_get_item_type (GListModel *model)
{
  return UNI_TYPE_JOB;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return UNI_PIPELINE (model)->jobs->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  UniPipeline *self = UNI_PIPELINE (model);

  if (position >= self->jobs->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->jobs, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

static void
plan_data_free (gpointer data)
{
  PlanData *plan = data;

  g_clear_object (&plan->config_file);
  g_clear_pointer (&plan->project_dir, g_free);
  g_clear_pointer (&plan->version_string, g_free);
  g_clear_pointer (&plan->target_mirage_name, g_free);
  g_clear_pointer (&plan->configure_stamp_path, g_free);
  g_clear_pointer (&plan->depend_stamp_path, g_free);
  g_clear_pointer (&plan->settings, g_ptr_array_unref);
  g_clear_pointer (&plan->configure_argv, g_ptr_array_unref);
  g_clear_pointer (&plan->checksum, g_checksum_free);
  g_clear_pointer (&plan->dropped, g_ptr_array_unref);
  g_clear_pointer (&plan->configure_stamp, g_free);
  g_clear_pointer (&plan->depend_stamp, g_free);
  g_clear_object (&plan->manifest);
  g_clear_pointer (&plan->runtime_decls, g_ptr_array_unref);
  g_clear_pointer (&plan->artefact, g_free);
  g_free (plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlanData, plan_data_free)

static void
stamp_update_free (gpointer data)
{
  StampUpdate *update = data;

  g_clear_pointer (&update->step, g_free);
  g_clear_pointer (&update->path, g_free);
  g_clear_pointer (&update->contents, g_free);
  g_clear_error (&update->failure);
  g_free (update);
}

static gboolean
is_four (UniMirageEra era)
{
  return era == UNI_MIRAGE_ERA_4_0 || era == UNI_MIRAGE_ERA_4_5;
}

char *
_uni_pipeline_dup_project_path (UniPipeline *self)
{
  return g_file_get_path (uni_project_get_directory (self->project));
}

/* One stamp per step for the whole project, not per target: the folder
 * holds one configuration at a time (configuring for xen overwrites what
 * configure for unix generated), and the digest names the target, so the
 * last configuration is the only one that can be up to date.
 */
static char *
dup_stamp_path (UniPipeline *self,
                const char  *step)
{
  g_autofree char *dir = _uni_pipeline_dup_project_path (self);
  g_autofree char *basename = g_strdup_printf ("%s.stamp", step);

  return g_build_filename (dir, STATE_DIR, basename, NULL);
}

/* Called from the planning thread. */
static char *
read_stamp (const char *path)
{
  g_autoptr(GKeyFile) key_file = g_key_file_new ();

  if (!g_key_file_load_from_file (key_file, path, G_KEY_FILE_NONE, NULL))
    return NULL;

  return g_key_file_get_string (key_file, STAMP_GROUP, STAMP_DIGEST, NULL);
}

/* Called from the planning thread. The modification time in microseconds,
 * or -1 when @relative is missing.
 */
gint64
_uni_pipeline_plan_file_mtime (PlanData   *plan,
                               const char *relative)
{
  g_autofree char *path = g_build_filename (plan->project_dir, relative, NULL);
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return -1;

  return (gint64) buf.st_mtim.tv_sec * G_USEC_PER_SEC + buf.st_mtim.tv_nsec / 1000;
}

/* Called from the planning thread. */
static gboolean
project_file_exists (PlanData   *plan,
                     const char *relative,
                     gboolean    directory)
{
  g_autofree char *path = g_build_filename (plan->project_dir, relative, NULL);

  return g_file_test (path, directory ? G_FILE_TEST_IS_DIR : G_FILE_TEST_IS_REGULAR);
}

/* The per-target values of the settings, each only when this config offers
 * the flag and the value is valid for it: an unknown flag makes the real
 * tool fail (MIRAGE.md), so it is dropped and reported instead. Called from
 * the planning thread, on the manifest it parsed.
 */
static void
append_settings_flags (PlanData    *plan,
                       UniManifest *manifest)
{
  g_autoptr(GPtrArray) flags = NULL;

  if (plan->settings == NULL)
    return;

  flags = uni_configure_flags_for_mirage_version (manifest, plan->version_string);

  for (guint i = 0; i + 1 < plan->settings->len; i += 2)
    {
      const char *name = g_ptr_array_index (plan->settings, i);
      const char *value = g_ptr_array_index (plan->settings, i + 1);
      const char *dashes = strlen (name) == 1 ? "-" : "--";
      const UniConfigureFlag *flag;
      g_autoptr(GError) invalid = NULL;

      /* The build environment's or the unikernel's boot arguments, not
       * `mirage configure`'s: never passed, never reported as dropped.
       */
      if (uni_build_environment_is_own_key (name) || uni_launch_is_boot_key (name))
        continue;

      flag = flags != NULL ? uni_configure_flags_find (flags, name) : NULL;
      if (flag == NULL)
        {
          g_ptr_array_add (plan->dropped,
                           g_strdup_printf (_("%s%s (not a flag of this config)"), dashes, name));
          continue;
        }

      if (g_strcmp0 (flag->type, "switch") == 0)
        {
          if (uni_project_settings_value_is_true (value))
            g_ptr_array_add (plan->configure_argv, g_strconcat (dashes, name, NULL));
          continue;
        }

      if (!uni_configure_flag_validate (flag, value, &invalid))
        {
          g_ptr_array_add (plan->dropped,
                           g_strdup_printf (_("%s%s=%s (%s)"), dashes, name, value,
                                            invalid->message));
          continue;
        }

      /* One argument either way (-lVALUE, --name=VALUE): a value starting
       * with '-' can never be read as an option.
       */
      if (*dashes == '-' && dashes[1] == '\0')
        g_ptr_array_add (plan->configure_argv, g_strconcat (dashes, name, value, NULL));
      else
        g_ptr_array_add (plan->configure_argv, g_strconcat (dashes, name, "=", value, NULL));
    }
}

/* Copies on the calling thread what planning needs, after the checks that
 * need no disk. `mirage configure` starts with the target's arguments for
 * the era.
 */
static PlanData *
plan_data_new (UniPipeline  *self,
               GError      **error)
{
  g_autoptr(PlanData) plan = g_new0 (PlanData, 1);
  UniProjectSettings *settings = uni_project_get_settings (self->project);
  const char *mirage = uni_toolchain_get_mirage_path (self->toolchain);
  const char *target_id = uni_target_get_id (self->target);
  g_autofree char *reason = NULL;
  g_auto(GStrv) target_args = NULL;

  if (!uni_toolchain_get_found (self->toolchain))
    {
      g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NO_TOOLCHAIN,
                           uni_toolchain_get_problem (self->toolchain) != NULL
                           ? uni_toolchain_get_problem (self->toolchain)
                           : _("mirage was not found"));
      return NULL;
    }

  if (!uni_toolchain_supports (self->toolchain, self->target, &reason))
    {
      g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_UNSUPPORTED_TARGET,
                           reason != NULL ? reason : _("The toolchain cannot build this target"));
      return NULL;
    }

  target_args = uni_target_dup_configure_args (self->target,
                                               uni_toolchain_get_version (self->toolchain));
  if (target_args == NULL)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_UNSUPPORTED_TARGET,
                   _("mirage %s cannot build for %s"),
                   uni_toolchain_get_version_string (self->toolchain),
                   uni_target_get_title (self->target));
      return NULL;
    }

  if (self->goal == UNI_PIPELINE_GOAL_RUN && !_uni_pipeline_check_can_run (self, error))
    return NULL;

  plan->serial = ++self->plan_serial;
  plan->goal = self->goal;
  plan->version = *uni_toolchain_get_version (self->toolchain);
  plan->target = self->target;
  plan->era = uni_toolchain_get_era (self->toolchain);
  plan->config_file = g_file_get_child (uni_project_get_directory (self->project), "config.ml");
  plan->project_dir = _uni_pipeline_dup_project_path (self);
  plan->version_string = g_strdup (uni_toolchain_get_version_string (self->toolchain));
  plan->target_mirage_name = g_strdup (uni_target_get_mirage_name (self->target));
  plan->configure_stamp_path = dup_stamp_path (self, "configure");
  plan->depend_stamp_path = dup_stamp_path (self, "depend");
  plan->dropped = g_ptr_array_new_with_free_func (g_free);

  plan->configure_argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (plan->configure_argv, g_strdup (mirage != NULL ? mirage : "mirage"));
  g_ptr_array_add (plan->configure_argv, g_strdup ("configure"));
  for (guint i = 0; target_args[i] != NULL; i++)
    g_ptr_array_add (plan->configure_argv, g_strdup (target_args[i]));

  if (settings != NULL)
    {
      g_auto(GStrv) keys = uni_project_settings_dup_target_flags (settings, target_id);

      plan->settings = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; keys[i] != NULL; i++)
        {
          g_ptr_array_add (plan->settings, g_strdup (keys[i]));
          g_ptr_array_add (plan->settings,
                           uni_project_settings_dup_target_value (settings, target_id, keys[i]));
        }
    }

  return g_steal_pointer (&plan);
}

/* All the disk work of planning: reads config.ml (its text starts the
 * digest), the stamps, and whether the outputs of configure and the
 * dependencies are there. Runs in a thread for uni_pipeline_plan_async()
 * and on the caller's thread for uni_pipeline_plan().
 */
static gboolean
plan_worker (PlanData      *plan,
             GCancellable  *cancellable,
             GError       **error)
{
  g_autoptr(UniManifest) manifest = NULL;
  const char *text;
  gsize length;

  manifest = uni_manifest_new_for_file (plan->config_file, cancellable, error);
  if (manifest == NULL)
    return FALSE;

  append_settings_flags (plan, manifest);

  text = uni_manifest_get_text (manifest, &length);
  plan->checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (plan->checksum, (const guchar *) text, length);

  plan->configure_stamp = read_stamp (plan->configure_stamp_path);
  plan->configured = project_file_exists (plan, "Makefile", FALSE)
                     && (!is_four (plan->era) || project_file_exists (plan, "mirage", TRUE));

  if (plan->era == UNI_MIRAGE_ERA_3)
    plan->depend_stamp = read_stamp (plan->depend_stamp_path);
  else if (is_four (plan->era))
    {
      const char *name = uni_manifest_get_name (manifest, NULL);
      g_autofree char *opam = g_strdup_printf ("mirage/%s-%s.opam",
                                               name != NULL ? name : "main",
                                               plan->target_mirage_name);
      g_autofree char *lock = g_strconcat (opam, ".locked", NULL);
      gint64 lock_mtime = _uni_pipeline_plan_file_mtime (plan, lock);

      /* A lock older than the opam file configure generated does not list
       * the packages configure may have added since.
       */
      plan->dependencies_present = lock_mtime >= 0
                                   && lock_mtime >= _uni_pipeline_plan_file_mtime (plan, opam)
                                   && project_file_exists (plan, "duniverse", TRUE);
    }

  if (plan->goal == UNI_PIPELINE_GOAL_RUN)
    _uni_pipeline_plan_run_goal (plan, manifest, cancellable);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

static UniJob *
create_job (UniPipeline        *self,
            const char         *name,
            const char         *title,
            const char * const *argv,
            GError            **error)
{
  g_autoptr(UniRunContext) context = uni_run_context_new ();
  g_autofree char *dir = _uni_pipeline_dup_project_path (self);
  UniBuildEnvironment *environment = uni_toolchain_get_environment (self->toolchain);

  uni_run_context_push_host_layers (context);
  if (environment != NULL && !uni_build_environment_wrap (environment, context, error))
    return NULL;

  uni_run_context_set_cwd (context, dir);
  uni_run_context_append_args (context, argv);

  return uni_job_new (name, title, context);
}

static gboolean
all_skipped (GPtrArray *jobs)
{
  for (guint i = 0; i < jobs->len; i++)
    if (uni_job_get_state (g_ptr_array_index (jobs, i)) != UNI_JOB_SKIPPED)
      return FALSE;

  return TRUE;
}

/* What a configure depends on: config.ml (already in @checksum), the exact
 * command (environment layers included), the tool's version and the target.
 */
static char *
finish_digest (UniPipeline  *self,
               GChecksum    *checksum,
               UniJob       *configure,
               GError      **error)
{
  g_auto(GStrv) argv = NULL;
  g_auto(GStrv) env = NULL;
  g_autofree char *cwd = NULL;

  if (!uni_run_context_build (uni_job_get_run_context (configure), &argv, &env, &cwd, error))
    return NULL;

  for (guint i = 0; argv[i] != NULL; i++)
    g_checksum_update (checksum, (const guchar *) argv[i], strlen (argv[i]) + 1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  for (guint i = 0; env[i] != NULL; i++)
    g_checksum_update (checksum, (const guchar *) env[i], strlen (env[i]) + 1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (cwd != NULL)
    g_checksum_update (checksum, (const guchar *) cwd, strlen (cwd) + 1);
  g_checksum_update (checksum, (const guchar *) uni_toolchain_get_version_string (self->toolchain),
                     -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) uni_target_get_id (self->target), -1);

  return g_strdup (g_checksum_get_string (checksum));
}

static const char *
configure_skip_reason (PlanData   *plan,
                       const char *digest)
{
  if (g_strcmp0 (plan->configure_stamp, digest) != 0 || !plan->configured)
    return NULL;

  return _("up to date: config.ml, the command and mirage are unchanged");
}

/* 3.x: `make depend` runs opam install for the configured packages, so it
 * is up to date after a successful run for the same configuration. 4.x:
 * once the lock file and duniverse/ are there, the dependencies are
 * present (`make depend` would need the network again).
 */
static const char *
depend_skip_reason (PlanData   *plan,
                    const char *digest,
                    gboolean    configure_skipped)
{
  if (plan->era == UNI_MIRAGE_ERA_3)
    {
      if (g_strcmp0 (plan->depend_stamp, digest) == 0)
        return _("up to date: the dependencies of this configuration are installed");
      return NULL;
    }

  /* A configure that runs may change the packages: lock them again. */
  if (configure_skipped && plan->dependencies_present)
    return _("up to date: the lock file and duniverse/ are present");
  return NULL;
}

/* On the calling thread: the jobs (the environment's layers come from its
 * plugin object), the digest, the skip reasons, then the new list.
 */
static gboolean
plan_apply (UniPipeline  *self,
            PlanData     *plan,
            GError      **error)
{
  static const char * const depend_argv[] = { "make", "depend", NULL };
  static const char * const make_argv[] = { "make", NULL };
  static const char * const make_build_argv[] = { "make", "build", NULL };
  g_autoptr(GPtrArray) jobs = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(UniJob) configure = NULL;
  g_autofree char *digest = NULL;
  g_autoptr(UniLaunch) launch = NULL;
  gboolean steps_skipped;
  UniJob *build;
  guint old_n_items;

  g_ptr_array_add (plan->configure_argv, NULL);
  configure = create_job (self, "configure", _("Configure"),
                          (const char * const *) plan->configure_argv->pdata, error);
  if (configure == NULL)
    return FALSE;

  digest = finish_digest (self, plan->checksum, configure, error);
  if (digest == NULL)
    return FALSE;

  uni_job_skip (configure, configure_skip_reason (plan, digest));
  g_ptr_array_add (jobs, g_steal_pointer (&configure));

  if (plan->era == UNI_MIRAGE_ERA_3 || is_four (plan->era))
    {
      UniJob *configured = g_ptr_array_index (jobs, 0);
      UniJob *depend = create_job (self, "depend", _("Depend"), depend_argv, error);

      if (depend == NULL)
        return FALSE;
      uni_job_skip (depend, depend_skip_reason (plan, digest,
                                                uni_job_get_state (configured)
                                                == UNI_JOB_SKIPPED));
      g_ptr_array_add (jobs, depend);
    }

  /* Configure and depend, before the build joins them. */
  steps_skipped = all_skipped (jobs);
  build = create_job (self, "build", _("Build"),
                      is_four (plan->era) ? make_build_argv : make_argv, error);
  if (build == NULL)
    return FALSE;
  g_ptr_array_add (jobs, build);

  if (plan->goal == UNI_PIPELINE_GOAL_RUN)
    {
      launch = uni_launch_new (plan->manifest, plan->runtime_decls,
                               uni_project_get_settings (self->project),
                               uni_target_get_id (self->target), error);
      if (launch == NULL)
        return FALSE;

      if (plan->artefact == NULL)
        {
          g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_UNSUPPORTED_TARGET,
                       _("mirage %s makes no program for %s"),
                       uni_toolchain_get_version_string (self->toolchain),
                       uni_target_get_title (self->target));
          return FALSE;
        }

      /* Make would find nothing to do either, but a real `make build` runs
       * dune, which takes seconds to say so: Run starts at once.
       */
      if (plan->artefact_current && steps_skipped)
        {
          g_autofree char *reason = NULL;

          /* Translators: %s is the unikernel program, e.g. dist/www */
          reason = g_strdup_printf (_("up to date: %s is newer than every file of the project"),
                                    plan->artefact);
          uni_job_skip (build, reason);
        }

      g_ptr_array_add (jobs, _uni_pipeline_create_run_job (self, launch, plan->artefact));
    }

  g_clear_pointer (&self->digest, g_free);
  self->digest = g_steal_pointer (&digest);
  g_clear_pointer (&self->dropped, g_ptr_array_unref);
  self->dropped = g_steal_pointer (&plan->dropped);
  g_clear_pointer (&self->launch, uni_launch_free);
  self->launch = g_steal_pointer (&launch);
  g_clear_pointer (&self->artefact, g_free);
  self->artefact = g_strdup (plan->goal == UNI_PIPELINE_GOAL_RUN ? plan->artefact : NULL);

  old_n_items = self->jobs->len;
  g_ptr_array_unref (self->jobs);
  self->jobs = g_steal_pointer (&jobs);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->jobs->len);

  return TRUE;
}

static void
uni_pipeline_dispose (GObject *object)
{
  UniPipeline *self = UNI_PIPELINE (object);

  _uni_pipeline_run_clear (self);
  g_clear_object (&self->project);
  g_clear_object (&self->toolchain);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_pipeline_parent_class)->dispose (object);
}

static void
uni_pipeline_finalize (GObject *object)
{
  UniPipeline *self = UNI_PIPELINE (object);

  g_clear_pointer (&self->dropped, g_ptr_array_unref);
  g_clear_pointer (&self->digest, g_free);
  g_clear_pointer (&self->launch, uni_launch_free);
  g_clear_pointer (&self->artefact, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->port_owner, uni_port_owner_free);
  g_clear_pointer (&self->wait_address, g_free);
  g_string_free (self->console_line, TRUE);

  G_OBJECT_CLASS (uni_pipeline_parent_class)->finalize (object);
}

static void
uni_pipeline_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  UniPipeline *self = UNI_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_pipeline_class_init (UniPipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = uni_pipeline_dispose;
  object_class->finalize = uni_pipeline_finalize;
  object_class->get_property = uni_pipeline_get_property;

  /**
   * UniPipeline:url:
   *
   * With the run goal, "http://localhost:PORT/" once the unikernel answers.
   */
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_pipeline_init (UniPipeline *self)
{
  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->dropped = g_ptr_array_new_with_free_func (g_free);
  self->console_line = g_string_new (NULL);
}

/**
 * uni_pipeline_new:
 * @project: a loaded #UniProject (its settings give the per-target values)
 * @target: what to build for
 * @toolchain: the detected mirage and its build environment
 *
 * Returns: (transfer full): an empty pipeline; call uni_pipeline_plan()
 */
UniPipeline *
uni_pipeline_new (UniProject      *project,
                  const UniTarget *target,
                  UniToolchain    *toolchain)
{
  UniPipeline *self;

  g_return_val_if_fail (UNI_IS_PROJECT (project), NULL);
  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (UNI_IS_TOOLCHAIN (toolchain), NULL);

  self = g_object_new (UNI_TYPE_PIPELINE, NULL);
  self->project = g_object_ref (project);
  self->target = target;
  self->toolchain = g_object_ref (toolchain);

  return self;
}

/**
 * uni_pipeline_plan:
 * @self: a #UniPipeline that is not running
 * @error: %UNI_BUILD_ERROR_NO_TOOLCHAIN without mirage,
 *   %UNI_BUILD_ERROR_UNSUPPORTED_TARGET when the toolchain cannot build for
 *   the target, a %UNI_MANIFEST_ERROR or %G_IO_ERROR when config.ml cannot
 *   be read
 *
 * Decides the steps by era — 2.x: configure, build (`make`); 3.x:
 * configure, depend (`make depend`), build (`make`); 4.x: configure,
 * depend (`make depend`), build (`make build`, since `make` alone runs
 * `make depends` again, which needs the network) — and which are up to
 * date. Reads config.ml and the stamps under `.unistudio/state/` on the
 * caller's thread: for the command line and tests; a program with a main
 * loop uses uni_pipeline_plan_async().
 *
 * Returns: %TRUE when the pipeline holds the new steps
 */
gboolean
uni_pipeline_plan (UniPipeline  *self,
                   GError      **error)
{
  g_autoptr(PlanData) plan = NULL;

  g_return_val_if_fail (UNI_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->task == NULL, FALSE);

  plan = plan_data_new (self, error);
  if (plan == NULL)
    return FALSE;

  return plan_worker (plan, NULL, error) && plan_apply (self, plan, error);
}

static void
plan_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (plan_worker (task_data, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
plan_worker_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  UniPipeline *self = g_task_get_source_object (task);
  PlanData *plan = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_task_return_error_if_cancelled (task))
    return;
  else if (plan->serial != self->plan_serial)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("A newer plan or a build replaced this plan"));
  else if (!plan_apply (self, plan, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * uni_pipeline_plan_async:
 * @self: a #UniPipeline that is not running
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the plan is in place or failed
 * @user_data: for @callback
 *
 * Plans like uni_pipeline_plan(), with the reading of config.ml and of the
 * state under `.unistudio/state/` in a thread, so the main loop never waits
 * on the disk. The steps are replaced, and #GListModel::items-changed
 * emitted, on the thread-default main context of the caller, just before
 * @callback. A later plan (async or not) or a run started meanwhile
 * supersedes this one: it then ends with %G_IO_ERROR_CANCELLED and leaves
 * the steps alone.
 */
void
uni_pipeline_plan_async (UniPipeline         *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;
  g_autoptr(GError) error = NULL;
  PlanData *plan;

  g_return_if_fail (UNI_IS_PIPELINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, uni_pipeline_plan_async);

  plan = plan_data_new (self, &error);
  if (plan == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* The thread gets the copy only; the pipeline is applied to in
   * plan_worker_cb, back on this thread.
   */
  worker = g_task_new (NULL, cancellable, plan_worker_cb, g_steal_pointer (&task));
  g_task_set_source_tag (worker, plan_thread);
  g_task_set_task_data (worker, plan, plan_data_free);
  g_task_run_in_thread (worker, plan_thread);
}

/**
 * uni_pipeline_plan_finish:
 * @self: a #UniPipeline
 * @result: the result given to the callback
 * @error: the errors of uni_pipeline_plan(), or %G_IO_ERROR_CANCELLED when
 *   cancelled or superseded
 *
 * Returns: %TRUE when the pipeline holds the new steps
 */
gboolean
uni_pipeline_plan_finish (UniPipeline   *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
json_string (GString    *out,
             const char *value)
{
  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
json_strv (GString            *out,
           const char * const *strv)
{
  g_string_append_c (out, '[');
  for (guint i = 0; strv[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append (out, ", ");
      json_string (out, strv[i]);
    }
  g_string_append_c (out, ']');
}

/**
 * uni_pipeline_to_json:
 * @self: a planned #UniPipeline
 *
 * The plan as a JSON array of steps: `{"name", "argv": [...], "cwd",
 * "env": {additions}, "skip": reason or null}`; the configure step also
 * lists in "dropped" the per-target values it did not pass, and why.
 *
 * Returns: (transfer full): JSON text, ending with a newline
 */
char *
uni_pipeline_to_json (UniPipeline *self)
{
  GString *out;

  g_return_val_if_fail (UNI_IS_PIPELINE (self), NULL);

  out = g_string_new ("[");
  for (guint i = 0; i < self->jobs->len; i++)
    {
      UniJob *job = g_ptr_array_index (self->jobs, i);
      g_auto(GStrv) argv = NULL;
      g_auto(GStrv) env = NULL;
      g_autofree char *cwd = NULL;
      g_autoptr(GError) error = NULL;

      if (!uni_run_context_build (uni_job_get_run_context (job), &argv, &env, &cwd, &error))
        {
          g_critical ("A planned step cannot be built: %s", error->message);
          continue;
        }

      g_string_append (out, i > 0 ? ",\n  {" : "\n  {");
      g_string_append (out, "\"name\": ");
      json_string (out, uni_job_get_name (job));
      g_string_append (out, ",\n   \"argv\": ");
      json_strv (out, (const char * const *) argv);
      g_string_append (out, ",\n   \"cwd\": ");
      json_string (out, cwd);
      g_string_append (out, ",\n   \"env\": {");
      for (guint j = 0; env[j] != NULL; j++)
        {
          const char *eq = strchr (env[j], '=');
          g_autofree char *key = g_strndup (env[j], eq - env[j]);

          if (j > 0)
            g_string_append (out, ", ");
          json_string (out, key);
          g_string_append (out, ": ");
          json_string (out, eq + 1);
        }
      g_string_append (out, "},\n   \"skip\": ");
      json_string (out, uni_job_get_skip_reason (job));
      if (g_strcmp0 (uni_job_get_name (job), "configure") == 0)
        {
          g_ptr_array_add (self->dropped, NULL);
          g_string_append (out, ",\n   \"dropped\": ");
          json_strv (out, (const char * const *) self->dropped->pdata);
          g_ptr_array_set_size (self->dropped, self->dropped->len - 1);
        }
      if (g_strcmp0 (uni_job_get_name (job), "run") == 0 && self->launch != NULL)
        {
          g_autofree char *url = uni_launch_dup_url (self->launch);

          g_string_append_printf (out, ",\n   \"port\": %u,\n   \"url\": ", self->launch->port);
          json_string (out, url);
          g_string_append (out, ",\n   \"port-origin\": ");
          json_string (out, self->launch->port_origin);
          g_string_append (out, ",\n   \"needs-root\": ");
          json_string (out, self->launch->root_reason);
          g_string_append (out, ",\n   \"dropped\": ");
          json_strv (out, (const char * const *) self->launch->dropped);
        }
      g_string_append (out, "}");
    }
  g_string_append (out, "\n]\n");

  return g_string_free (out, FALSE);
}

/**
 * uni_pipeline_get_job:
 * @self: a #UniPipeline
 * @name: "configure", "depend" or "build"
 *
 * Returns: (transfer none) (nullable): the step, %NULL when the era has
 *   none of that name
 */
UniJob *
uni_pipeline_get_job (UniPipeline *self,
                      const char  *name)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->jobs->len; i++)
    {
      UniJob *job = g_ptr_array_index (self->jobs, i);

      if (g_strcmp0 (uni_job_get_name (job), name) == 0)
        return job;
    }

  return NULL;
}

static void
stamp_update_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StampUpdate *update = task_data;
  g_autoptr(GFile) file = g_file_new_for_path (update->path);
  g_autofree char *dir = g_path_get_dirname (update->path);
  GError *error = NULL;

  if (update->contents == NULL)
    {
      if (g_unlink (update->path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   "%s", g_strerror (saved_errno));
          return;
        }
    }
  else if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               "%s", g_strerror (saved_errno));
      return;
    }
  else if (!uni_file_replace_contents (file, update->contents, strlen (update->contents),
                                       cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
stamp_update_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  UniPipeline *self = UNI_PIPELINE (object);
  StampUpdate *update = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    g_warning (update->contents != NULL
               ? "Could not remember that “%s” is up to date: %s"
               : "Could not forget that “%s” was up to date: %s",
               update->step, error->message);

  if (update->failure != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_error (task, g_steal_pointer (&update->failure));
      return;
    }

  self->current++;
  run_next (self);
}

/* Writes the stamp of @step (removes it when @failure is set), then goes on
 * with the run: the next step starts, or the run ends with @failure, only
 * once the stamp is on disk, so a plan made right after the run sees it.
 */
static void
update_stamp_async (UniPipeline *self,
                    const char  *step,
                    GError      *failure)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, stamp_update_cb, NULL);
  StampUpdate *update = g_new0 (StampUpdate, 1);

  update->step = g_strdup (step);
  update->path = dup_stamp_path (self, step);
  update->failure = failure;
  if (failure == NULL)
    {
      g_autoptr(GKeyFile) key_file = g_key_file_new ();

      g_key_file_set_comment (key_file, NULL, NULL,
                              " Written by Unistudio after a successful step; safe to delete.",
                              NULL);
      g_key_file_set_string (key_file, STAMP_GROUP, STAMP_DIGEST, self->digest);
      update->contents = g_key_file_to_data (key_file, NULL, NULL);
    }

  g_task_set_source_tag (task, update_stamp_async);
  g_task_set_task_data (task, update, stamp_update_free);
  g_task_run_in_thread (task, stamp_update_thread);
}

static void
job_run_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(UniPipeline) self = user_data;
  UniJob *job = UNI_JOB (object);
  g_autoptr(GError) error = NULL;
  gboolean skipped = uni_job_get_state (job) == UNI_JOB_SKIPPED;
  const char *name = uni_job_get_name (job);

  if (!uni_job_run_finish (job, result, &error))
    {
      if (g_strcmp0 (name, "configure") == 0)
        {
          update_stamp_async (self, "configure", g_steal_pointer (&error));
        }
      else
        {
          g_autoptr(GTask) task = g_steal_pointer (&self->task);

          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }

  if (!skipped && (g_strcmp0 (name, "configure") == 0
                   || (g_strcmp0 (name, "depend") == 0
                       && uni_toolchain_get_era (self->toolchain) == UNI_MIRAGE_ERA_3)))
    {
      update_stamp_async (self, name, NULL);
      return;
    }

  self->current++;
  run_next (self);
}

static void
run_next (UniPipeline *self)
{
  GCancellable *cancellable = g_task_get_cancellable (self->task);
  UniJob *job;

  if (self->current >= self->jobs->len)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Stopped while a stamp was being written, between two steps. */
  if (self->stop_requested)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->task);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The build was stopped"));
      return;
    }

  job = g_ptr_array_index (self->jobs, self->current);
  if (g_strcmp0 (uni_job_get_name (job), "run") == 0)
    _uni_pipeline_run_step (self, job);
  else
    uni_job_run_async (job, cancellable, job_run_cb, g_object_ref (self));
}

/**
 * uni_pipeline_run_async:
 * @self: a planned #UniPipeline
 * @cancellable: (nullable): cancelling stops the running step
 * @callback: called when every step ran, one failed or the run was stopped
 * @user_data: for @callback
 *
 * Runs the steps that are not skipped, in order, and stops at the first
 * that fails. Remembers a successful configure (and 3.x depend) so the next
 * plan can skip them.
 */
void
uni_pipeline_run_async (UniPipeline         *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (UNI_IS_PIPELINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, uni_pipeline_run_async);
  self->current = 0;
  self->stop_requested = FALSE;
  _uni_pipeline_run_clear (self);
  _uni_pipeline_set_url (self, NULL);
  g_clear_pointer (&self->port_owner, uni_port_owner_free);
  /* A plan still in its thread must not replace the steps being run. */
  self->plan_serial++;

  run_next (self);
}

/**
 * uni_pipeline_run_finish:
 * @self: a #UniPipeline
 * @result: the result given to the callback
 * @error: %UNI_BUILD_ERROR_STEP_FAILED naming the step and its exit status,
 *   %UNI_BUILD_ERROR_SPAWN, or %G_IO_ERROR_CANCELLED when stopped; with the
 *   run goal also %UNI_BUILD_ERROR_NOT_BUILT (no artefact to start),
 *   %UNI_BUILD_ERROR_PORT_IN_USE (see uni_pipeline_get_port_owner()),
 *   %UNI_BUILD_ERROR_EXITED (the unikernel ended before it answered; see
 *   uni_job_dup_output_tail() on the "run" job) or
 *   %UNI_BUILD_ERROR_NOT_ANSWERING (it runs, but did not answer in time)
 *
 * Returns: %TRUE when every step succeeded or was skipped (with the run
 *   goal: and the unikernel answers, see uni_pipeline_get_url())
 */
gboolean
uni_pipeline_run_finish (UniPipeline   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * uni_pipeline_stop:
 * @self: a #UniPipeline
 *
 * Stops the running step (see uni_job_stop()), or, between two steps, keeps
 * the next from starting; the run then ends as cancelled and the later
 * steps stay pending. After a run that answered, stops the unikernel.
 */
void
uni_pipeline_stop (UniPipeline *self)
{
  UniJob *run;

  g_return_if_fail (UNI_IS_PIPELINE (self));

  /* The unikernel outlives the run that started it. */
  run = uni_pipeline_get_job (self, "run");
  if (run != NULL && self->task == NULL)
    uni_job_stop (run);

  if (self->task == NULL)
    return;

  self->stop_requested = TRUE;
  if (self->current < self->jobs->len)
    uni_job_stop (g_ptr_array_index (self->jobs, self->current));
}

/**
 * uni_pipeline_set_goal:
 * @self: a #UniPipeline, before planning
 * @goal: what the pipeline is for
 */
void
uni_pipeline_set_goal (UniPipeline     *self,
                       UniPipelineGoal  goal)
{
  g_return_if_fail (UNI_IS_PIPELINE (self));
  g_return_if_fail (self->task == NULL);

  self->goal = goal;
}

UniPipelineGoal
uni_pipeline_get_goal (UniPipeline *self)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), UNI_PIPELINE_GOAL_BUILD);

  return self->goal;
}

/**
 * uni_pipeline_get_url:
 * @self: a #UniPipeline
 *
 * Returns: (transfer none) (nullable): the page of the unikernel, once it answered
 */
const char *
uni_pipeline_get_url (UniPipeline *self)
{
  g_return_val_if_fail (UNI_IS_PIPELINE (self), NULL);

  return self->url;
}

void
_uni_pipeline_set_url (UniPipeline *self,
                       const char  *url)
{
  if (g_strcmp0 (self->url, url) == 0)
    return;

  g_free (self->url);
  self->url = g_strdup (url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_URL]);
}
