/* uni-host-build-environment.c — builds on this computer, optionally in an opam switch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-host-build-environment"

#include "config.h"

#include <sys/utsname.h>

#include <glib/gi18n.h>

#include "uni-build-environment-base.h"
#include "uni-builtin-plugins.h"
#include "uni-project-settings.h"

#define UNI_TYPE_HOST_BUILD_ENVIRONMENT (uni_host_build_environment_get_type ())

G_DECLARE_FINAL_TYPE (UniHostBuildEnvironment, uni_host_build_environment,
                      UNI, HOST_BUILD_ENVIRONMENT, UniBuildEnvironmentBase)

struct _UniHostBuildEnvironment
{
  UniBuildEnvironmentBase parent_instance;

  /* owned */
  char                    *arch;
  char                    *opam_switch;
};

static void build_environment_iface_init (UniBuildEnvironmentInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniHostBuildEnvironment, uni_host_build_environment,
                               UNI_TYPE_BUILD_ENVIRONMENT_BASE,
                               G_IMPLEMENT_INTERFACE (UNI_TYPE_BUILD_ENVIRONMENT,
                                                      build_environment_iface_init))

static const char *
uni_host_build_environment_get_id (UniBuildEnvironment *env)
{
  return "host";
}

static char *
uni_host_build_environment_get_title (UniBuildEnvironment *env)
{
  UniHostBuildEnvironment *self = UNI_HOST_BUILD_ENVIRONMENT (env);

  if (self->opam_switch != NULL)
    /* Translators: %s is an opam switch name */
    return g_strdup_printf (_("This Computer (opam switch %s)"), self->opam_switch);

  return g_strdup (_("This Computer"));
}

static const char *
uni_host_build_environment_get_arch (UniBuildEnvironment *env)
{
  return UNI_HOST_BUILD_ENVIRONMENT (env)->arch;
}

static gboolean
uni_host_build_environment_wrap (UniBuildEnvironment  *env,
                                 UniRunContext        *context,
                                 GError              **error)
{
  UniHostBuildEnvironment *self = UNI_HOST_BUILD_ENVIRONMENT (env);

  if (self->opam_switch != NULL)
    uni_run_context_push_opam_switch (context, self->opam_switch);
  else
    uni_run_context_push_host (context);

  return TRUE;
}

static void
build_environment_iface_init (UniBuildEnvironmentInterface *iface)
{
  iface->get_id = uni_host_build_environment_get_id;
  iface->get_title = uni_host_build_environment_get_title;
  iface->get_arch = uni_host_build_environment_get_arch;
  iface->wrap = uni_host_build_environment_wrap;
}

static void
uni_host_build_environment_constructed (GObject *object)
{
  UniHostBuildEnvironment *self = UNI_HOST_BUILD_ENVIRONMENT (object);
  UniBuildEnvironmentBase *base = UNI_BUILD_ENVIRONMENT_BASE (object);
  struct utsname name;

  G_OBJECT_CLASS (uni_host_build_environment_parent_class)->constructed (object);

  self->arch = g_strdup (uname (&name) == 0 ? name.machine : "unknown");

  self->opam_switch = uni_build_environment_base_dup_setting (base, "opam-switch");
}

static void
uni_host_build_environment_finalize (GObject *object)
{
  UniHostBuildEnvironment *self = UNI_HOST_BUILD_ENVIRONMENT (object);

  g_clear_pointer (&self->arch, g_free);
  g_clear_pointer (&self->opam_switch, g_free);

  G_OBJECT_CLASS (uni_host_build_environment_parent_class)->finalize (object);
}

static void
uni_host_build_environment_class_init (UniHostBuildEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = uni_host_build_environment_constructed;
  object_class->finalize = uni_host_build_environment_finalize;
}

static void
uni_host_build_environment_init (UniHostBuildEnvironment *self)
{
}

void
uni_host_register_types (PeasObjectModule *module)
{
  peas_object_module_register_extension_type (module,
                                              UNI_TYPE_BUILD_ENVIRONMENT,
                                              UNI_TYPE_HOST_BUILD_ENVIRONMENT);
}
