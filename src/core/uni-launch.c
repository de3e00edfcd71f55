/* uni-launch.c — how a unix unikernel is started (placeholder, being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-launch"

#include "config.h"

#include "uni-launch.h"

UniLaunch *
uni_launch_new (UniManifest         *manifest,
                GPtrArray           *runtime_decls,
                UniProjectSettings  *settings,
                const char          *target_id,
                GError             **error)
{
  UniLaunch *launch = g_new0 (UniLaunch, 1);

  launch->port = UNI_LAUNCH_DEFAULT_PORT;
  launch->boot_args = g_new0 (char *, 1);
  launch->dropped = g_new0 (char *, 1);
  return launch;
}

void
uni_launch_free (UniLaunch *launch)
{
  if (launch == NULL)
    return;
  g_free (launch->port_origin);
  g_strfreev (launch->boot_args);
  g_strfreev (launch->dropped);
  g_free (launch->root_reason);
  g_free (launch);
}

char **
uni_launch_dup_argv (const UniLaunch *launch,
                     const char      *artefact,
                     gboolean         is_root)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *path = g_strconcat ("./", artefact, NULL);

  g_strv_builder_add (builder, path);
  g_strv_builder_addv (builder, (const char **) launch->boot_args);
  return g_strv_builder_end (builder);
}

char *
uni_launch_dup_url (const UniLaunch *launch)
{
  return g_strdup_printf ("http://localhost:%u/", launch->port);
}

gboolean
uni_launch_is_boot_key (const char *settings_key)
{
  return g_str_has_prefix (settings_key, UNI_LAUNCH_BOOT_PREFIX);
}
