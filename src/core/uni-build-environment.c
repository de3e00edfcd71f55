/* uni-build-environment.c — where commands run (a plugin point)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-build-environment"

#include "config.h"

#include "uni-build-environment.h"
#include "uni-project-settings.h"

G_DEFINE_QUARK (uni-build-error-quark, uni_build_error)

G_DEFINE_INTERFACE (UniBuildEnvironment, uni_build_environment, G_TYPE_OBJECT)

static void
uni_build_environment_default_init (UniBuildEnvironmentInterface *iface)
{
  /**
   * UniBuildEnvironment:settings:
   *
   * The project settings the environment reads its keys from.
   */
  g_object_interface_install_property (iface,
    g_param_spec_object ("settings", NULL, NULL,
                         UNI_TYPE_PROJECT_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)));

  /**
   * UniBuildEnvironment:target-id:
   *
   * The target whose settings group holds the keys ("unix", "xen-arm"...).
   */
  g_object_interface_install_property (iface,
    g_param_spec_string ("target-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS)));

  /**
   * UniBuildEnvironment:interactive:
   *
   * Whether the commands run on a terminal the user sees: a container
   * then gets a TTY (`-t`) and ssh may ask for a password (`-t` rather than
   * `-o BatchMode=yes`). Off for headless runs, where nobody can answer.
   */
  g_object_interface_install_property (iface,
    g_param_spec_boolean ("interactive", NULL, NULL,
                          FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS)));
}

/**
 * uni_build_environment_get_id:
 * @self: a #UniBuildEnvironment
 *
 * Returns: the plugin's stable id ("host", "container", "remote")
 */
const char *
uni_build_environment_get_id (UniBuildEnvironment *self)
{
  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT (self), NULL);

  return UNI_BUILD_ENVIRONMENT_GET_IFACE (self)->get_id (self);
}

/**
 * uni_build_environment_get_title:
 * @self: a #UniBuildEnvironment
 *
 * Returns: (transfer full): a title for the user
 */
char *
uni_build_environment_get_title (UniBuildEnvironment *self)
{
  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT (self), NULL);

  return UNI_BUILD_ENVIRONMENT_GET_IFACE (self)->get_title (self);
}

/**
 * uni_build_environment_get_arch:
 * @self: a #UniBuildEnvironment
 *
 * Returns: the build machine's architecture as uname names it ("x86_64",
 *   "armv7", "aarch64"), or "unknown" when it cannot be known without
 *   asking the machine
 */
const char *
uni_build_environment_get_arch (UniBuildEnvironment *self)
{
  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT (self), NULL);

  return UNI_BUILD_ENVIRONMENT_GET_IFACE (self)->get_arch (self);
}

/**
 * uni_build_environment_wrap:
 * @self: a #UniBuildEnvironment
 * @context: the context the command will be added to afterwards
 * @error: return location for a #GError
 *
 * Pushes this environment's layers: append the command to @context after
 * this call.
 *
 * Returns: %TRUE, or %FALSE with @error set
 */
gboolean
uni_build_environment_wrap (UniBuildEnvironment  *self,
                            UniRunContext        *context,
                            GError              **error)
{
  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT (self), FALSE);
  g_return_val_if_fail (UNI_IS_RUN_CONTEXT (context), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return UNI_BUILD_ENVIRONMENT_GET_IFACE (self)->wrap (self, context, error);
}

/* Every key of a target's settings group that a build environment reads.
 * A plugin reading a new key adds it here, or the key becomes a flag of
 * `mirage configure`. The ssh port is "ssh-port": "port" is the
 * unikernel's own flag in many configs.
 */
static const char * const own_keys[] = {
  /* which environment */
  "env",
  /* container */
  "engine", "image", "platform",
  /* remote */
  "host", "user", "ssh-port", "ssh-options", "remote-dir", "arch", "interactive",
  /* host */
  "opam-switch",
  NULL
};

/**
 * uni_build_environment_is_own_key:
 * @key: a key of a target's settings group
 *
 * Returns: %TRUE when @key configures a build environment, so it is no
 *   flag of `mirage configure`
 */
gboolean
uni_build_environment_is_own_key (const char *key)
{
  g_return_val_if_fail (key != NULL, FALSE);

  return g_strv_contains (own_keys, key);
}

/**
 * uni_build_environment_get_interactive:
 * @self: a #UniBuildEnvironment
 *
 * Returns: the #UniBuildEnvironment:interactive property
 */
gboolean
uni_build_environment_get_interactive (UniBuildEnvironment *self)
{
  gboolean interactive = FALSE;

  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT (self), FALSE);

  g_object_get (self, "interactive", &interactive, NULL);

  return interactive;
}

/**
 * uni_build_environment_set_interactive:
 * @self: a #UniBuildEnvironment
 * @interactive: whether a user watches the commands on a terminal
 *
 * Sets the #UniBuildEnvironment:interactive property.
 */
void
uni_build_environment_set_interactive (UniBuildEnvironment *self,
                                       gboolean             interactive)
{
  g_return_if_fail (UNI_IS_BUILD_ENVIRONMENT (self));

  g_object_set (self, "interactive", !!interactive, NULL);
}
