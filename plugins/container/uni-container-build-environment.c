/* uni-container-build-environment.c — builds in a docker or podman image
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-container-build-environment"

#include "config.h"

#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "uni-build-environment-base.h"
#include "uni-builtin-plugins.h"
#include "uni-project-settings.h"

#define UNI_TYPE_CONTAINER_BUILD_ENVIRONMENT (uni_container_build_environment_get_type ())

G_DECLARE_FINAL_TYPE (UniContainerBuildEnvironment, uni_container_build_environment,
                      UNI, CONTAINER_BUILD_ENVIRONMENT, UniBuildEnvironmentBase)

struct _UniContainerBuildEnvironment
{
  UniBuildEnvironmentBase parent_instance;

  /* owned */
  char                    *engine;
  char                    *image;
  char                    *platform;
  char                    *arch;
  char                    *project_path;
};

/* What a pushed layer needs, copied: the context may outlive us. */
typedef struct
{
  char     *engine;
  char     *image;
  char     *platform;
  char     *project_path;
  gboolean  interactive;
} Wrap;

static void build_environment_iface_init (UniBuildEnvironmentInterface *iface);
static void initable_iface_init          (GInitableIface               *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniContainerBuildEnvironment, uni_container_build_environment,
                               UNI_TYPE_BUILD_ENVIRONMENT_BASE,
                               G_IMPLEMENT_INTERFACE (UNI_TYPE_BUILD_ENVIRONMENT,
                                                      build_environment_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init))

static void
wrap_free (gpointer data)
{
  Wrap *wrap = data;

  g_free (wrap->engine);
  g_free (wrap->image);
  g_free (wrap->platform);
  g_free (wrap->project_path);
  g_free (wrap);
}

static gboolean
is_inside (const char *path,
           const char *folder)
{
  gsize len = strlen (folder);

  return strncmp (path, folder, len) == 0 && (path[len] == '\0' || path[len] == '/');
}

/* ENGINE run --rm -i [-t] --init --name unistudio-HEX [--platform=P]
 *   -v PROJECT:PROJECT[:z] -w DIR --user UID:GID [--env K=V]… IMAGE argv…
 *
 * --init puts a small init as PID 1 that forwards signals, so the SIGTERM
 * a stopped job sends to the engine client reaches the build (a command as
 * PID 1 ignores it). The engine forwards signals to the container, but a
 * SIGKILL of the client (or of Unistudio) cannot be forwarded and may leave
 * the container running: the unique --name is what to give `ENGINE kill`.
 */
static gboolean
container_wrap (const char * const  *argv,
                const char * const  *env,
                const char          *cwd,
                GPtrArray           *out_argv,
                GPtrArray           *out_env,
                char               **out_cwd,
                gpointer             user_data,
                GError             **error)
{
  Wrap *wrap = user_data;
  const char *workdir = wrap->project_path;

  /* The project is mounted at the same path, so a folder inside it is
   * the same folder in the container; nothing else of ours exists there.
   */
  if (cwd != NULL && is_inside (cwd, wrap->project_path))
    workdir = cwd;

  g_ptr_array_add (out_argv, g_strdup (wrap->engine));
  g_ptr_array_add (out_argv, g_strdup ("run"));
  g_ptr_array_add (out_argv, g_strdup ("--rm"));
  g_ptr_array_add (out_argv, g_strdup ("-i"));
  if (wrap->interactive)
    g_ptr_array_add (out_argv, g_strdup ("-t"));
  g_ptr_array_add (out_argv, g_strdup ("--init"));
  g_ptr_array_add (out_argv, g_strdup ("--name"));
  g_ptr_array_add (out_argv, g_strdup_printf ("unistudio-%08x%08x",
                                              g_random_int (), g_random_int ()));
  if (wrap->platform != NULL)
    g_ptr_array_add (out_argv, g_strdup_printf ("--platform=%s", wrap->platform));
  g_ptr_array_add (out_argv, g_strdup ("-v"));
  /* Podman on SELinux hosts can read the mount only once relabelled. */
  g_ptr_array_add (out_argv, g_strdup_printf ("%s:%s%s", wrap->project_path, wrap->project_path,
                                              g_str_equal (wrap->engine, "podman") ? ":z" : ""));
  g_ptr_array_add (out_argv, g_strdup ("-w"));
  g_ptr_array_add (out_argv, g_strdup (workdir));
  g_ptr_array_add (out_argv, g_strdup ("--user"));
  g_ptr_array_add (out_argv, g_strdup_printf ("%u:%u", (guint) getuid (), (guint) getgid ()));
  for (guint i = 0; env[i] != NULL; i++)
    {
      g_ptr_array_add (out_argv, g_strdup ("--env"));
      g_ptr_array_add (out_argv, g_strdup (env[i]));
    }
  g_ptr_array_add (out_argv, g_strdup (wrap->image));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup (argv[i]));

  return TRUE;
}

/* docker's os/arch[/variant] to the names uname and mirage use. */
static char *
arch_from_platform (const char *platform)
{
  static const struct
  {
    const char *platform_arch;
    const char *variant;
    const char *arch;
  } table[] = {
    { "amd64", NULL, "x86_64" },
    { "386", NULL, "i686" },
    { "arm64", NULL, "aarch64" },
    { "arm", "v5", "armv5" },
    { "arm", "v6", "armv6" },
    { "arm", "v7", "armv7" },
    { "arm", NULL, "armv7" },
  };
  g_auto(GStrv) parts = g_strsplit (platform, "/", 3);

  if (parts[0] == NULL || parts[1] == NULL)
    return NULL;

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      if (g_str_equal (parts[1], table[i].platform_arch)
          && (table[i].variant == NULL || g_strcmp0 (parts[2], table[i].variant) == 0))
        return g_strdup (table[i].arch);
    }

  /* ppc64le, riscv64, s390x… are spelled alike. */
  return g_strdup (parts[1]);
}

static char *
dup_setting (UniContainerBuildEnvironment *self,
             const char                   *key)
{
  return uni_build_environment_base_dup_setting (UNI_BUILD_ENVIRONMENT_BASE (self), key);
}

/* One word the engine cannot read as an option of its own. */
static gboolean
is_valid_word (const char *value)
{
  if (value[0] == '-')
    return FALSE;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return FALSE;
    }

  return TRUE;
}

static gboolean
uni_container_build_environment_initable_init (GInitable     *initable,
                                               GCancellable  *cancellable,
                                               GError       **error)
{
  UniContainerBuildEnvironment *self = UNI_CONTAINER_BUILD_ENVIRONMENT (initable);
  UniBuildEnvironmentBase *base = UNI_BUILD_ENVIRONMENT_BASE (self);
  UniProjectSettings *settings = uni_build_environment_base_get_settings (base);
  const char *target_id = uni_build_environment_base_get_target_id (base);
  g_autoptr(GFile) project_dir = NULL;

  if (self->engine == NULL)
    {
      g_autofree char *podman = g_find_program_in_path ("podman");

      self->engine = g_strdup (podman != NULL ? "podman" : "docker");
    }
  else if (!g_str_equal (self->engine, "docker") && !g_str_equal (self->engine, "podman"))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: engine= is a settings key, do not translate it */
                   _("The container engine “%s” is not supported: set engine= to docker or podman"),
                   self->engine);
      return FALSE;
    }

  if (self->image == NULL)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: %s is a target id, image= a settings key */
                   _("No container image is set for the %s target: set image= in its settings"),
                   target_id != NULL ? target_id : "?");
      return FALSE;
    }
  if (!is_valid_word (self->image))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: image= is a settings key, do not translate it */
                   _("“%s” is not a container image name: check image= in the settings"),
                   self->image);
      return FALSE;
    }

  if (self->platform != NULL && !is_valid_word (self->platform))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   _("“%s” is not a container platform: write it as os/arch[/variant], "
                     "e.g. linux/arm/v7"), self->platform);
      return FALSE;
    }
  if (self->platform != NULL)
    {
      g_autofree char *arch = arch_from_platform (self->platform);

      if (arch == NULL)
        {
          g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                       _("“%s” is not a container platform: write it as os/arch[/variant], "
                         "e.g. linux/arm/v7"), self->platform);
          return FALSE;
        }
      g_free (self->arch);
      self->arch = g_steal_pointer (&arch);
    }

  if (settings != NULL)
    g_object_get (settings, "project-dir", &project_dir, NULL);
  if (project_dir != NULL)
    self->project_path = g_file_get_path (project_dir);
  if (self->project_path == NULL)
    {
      g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                           _("A container can only build a project in a local folder"));
      return FALSE;
    }
  /* -v takes SOURCE:TARGET[:OPTIONS]; a colon in the path would split it. */
  if (strchr (self->project_path, ':') != NULL)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   _("The project folder “%s” has a colon in its path, which a container "
                     "cannot mount"), self->project_path);
      return FALSE;
    }

  return TRUE;
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = uni_container_build_environment_initable_init;
}

static const char *
uni_container_build_environment_get_id (UniBuildEnvironment *env)
{
  return "container";
}

static char *
uni_container_build_environment_get_title (UniBuildEnvironment *env)
{
  UniContainerBuildEnvironment *self = UNI_CONTAINER_BUILD_ENVIRONMENT (env);

  /* Translators: %s is docker or podman */
  return g_strdup_printf (_("Container (%s)"), self->engine != NULL ? self->engine : "docker");
}

static const char *
uni_container_build_environment_get_arch (UniBuildEnvironment *env)
{
  return UNI_CONTAINER_BUILD_ENVIRONMENT (env)->arch;
}

static gboolean
uni_container_build_environment_wrap (UniBuildEnvironment  *env,
                                      UniRunContext        *context,
                                      GError              **error)
{
  UniContainerBuildEnvironment *self = UNI_CONTAINER_BUILD_ENVIRONMENT (env);
  Wrap *wrap;

  if (self->engine == NULL || self->image == NULL || self->project_path == NULL)
    {
      g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                           _("The container build environment is not configured"));
      return FALSE;
    }

  wrap = g_new0 (Wrap, 1);
  wrap->engine = g_strdup (self->engine);
  wrap->image = g_strdup (self->image);
  wrap->platform = g_strdup (self->platform);
  wrap->project_path = g_strdup (self->project_path);
  wrap->interactive =
    uni_build_environment_base_get_interactive (UNI_BUILD_ENVIRONMENT_BASE (self));
  uni_run_context_push (context, container_wrap, wrap, wrap_free);

  return TRUE;
}

static void
build_environment_iface_init (UniBuildEnvironmentInterface *iface)
{
  iface->get_id = uni_container_build_environment_get_id;
  iface->get_title = uni_container_build_environment_get_title;
  iface->get_arch = uni_container_build_environment_get_arch;
  iface->wrap = uni_container_build_environment_wrap;
}

static void
uni_container_build_environment_constructed (GObject *object)
{
  UniContainerBuildEnvironment *self = UNI_CONTAINER_BUILD_ENVIRONMENT (object);
  struct utsname name;

  G_OBJECT_CLASS (uni_container_build_environment_parent_class)->constructed (object);

  /* Without --platform the image runs natively. */
  self->arch = g_strdup (uname (&name) == 0 ? name.machine : "unknown");
  self->engine = dup_setting (self, "engine");
  self->image = dup_setting (self, "image");
  self->platform = dup_setting (self, "platform");
}

static void
uni_container_build_environment_finalize (GObject *object)
{
  UniContainerBuildEnvironment *self = UNI_CONTAINER_BUILD_ENVIRONMENT (object);

  g_clear_pointer (&self->engine, g_free);
  g_clear_pointer (&self->image, g_free);
  g_clear_pointer (&self->platform, g_free);
  g_clear_pointer (&self->arch, g_free);
  g_clear_pointer (&self->project_path, g_free);

  G_OBJECT_CLASS (uni_container_build_environment_parent_class)->finalize (object);
}

static void
uni_container_build_environment_class_init (UniContainerBuildEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = uni_container_build_environment_constructed;
  object_class->finalize = uni_container_build_environment_finalize;
}

static void
uni_container_build_environment_init (UniContainerBuildEnvironment *self)
{
}

void
uni_container_register_types (PeasObjectModule *module)
{
  peas_object_module_register_extension_type (module,
                                              UNI_TYPE_BUILD_ENVIRONMENT,
                                              UNI_TYPE_CONTAINER_BUILD_ENVIRONMENT);
}
