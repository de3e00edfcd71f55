/* uni-plugins.c — the libpeas engine and the plugins built into Unistudio
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-plugins"

#include "config.h"

#include <glib/gi18n.h>
#include <gmodule.h>

#include "uni-builtin-plugins.h"
#include "uni-builtin-plugins-resources.h"
#include "uni-plugins.h"

#define BUILD_ENVIRONMENT_ID_KEY "Build-Environment-Id"
#define BOARD_TYPE_KEY "Board-Type"

typedef void (*RegisterTypes) (PeasObjectModule *module);

/* Referring to the register functions keeps them in the executable, where
 * libpeas looks up each .plugin file's `Embedded=` symbol.
 */
static const struct
{
  const char    *symbol;
  RegisterTypes  func;
} builtin_plugins[] = {
  { "uni_container_register_types", uni_container_register_types },
  { "uni_cubieboard2_register_types", uni_cubieboard2_register_types },
  { "uni_host_register_types", uni_host_register_types },
  { "uni_remote_register_types", uni_remote_register_types },
  { "uni_xen_host_register_types", uni_xen_host_register_types },
};

static PeasEngine *engine;

static void
check_builtin_symbols (void)
{
  GModule *self_module = g_module_open (NULL, 0);

  g_assert (self_module != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (builtin_plugins); i++)
    {
      gpointer symbol = NULL;

      if (!g_module_symbol (self_module, builtin_plugins[i].symbol, &symbol)
          || symbol != (gpointer) builtin_plugins[i].func)
        g_critical ("%s is not exported: link the program with -Wl,--export-dynamic "
                    "(libpeas-1.0's pkg-config flags do)", builtin_plugins[i].symbol);
    }

  g_module_close (self_module);
}

/**
 * uni_plugins_init:
 *
 * Creates the plugin engine and makes the built-in plugins (embedded in
 * the program) known to it. Call it once, from the main thread, before
 * any other uni_plugins_ function; calling it again does nothing.
 */
void
uni_plugins_init (void)
{
  if (engine != NULL)
    return;

  uni_builtin_plugins_register_resource ();
  check_builtin_symbols ();

  engine = peas_engine_new ();
  peas_engine_prepend_search_path (engine, UNI_PLUGINS_RESOURCE_PATH, NULL);
}

/**
 * uni_plugins_get_engine:
 *
 * Returns: (transfer none): the engine, created on first use
 */
PeasEngine *
uni_plugins_get_engine (void)
{
  uni_plugins_init ();

  return engine;
}

static PeasPluginInfo *
find_plugin (const char *key,
             const char *id)
{
  const GList *plugins = peas_engine_get_plugin_list (uni_plugins_get_engine ());

  for (const GList *l = plugins; l != NULL; l = l->next)
    {
      PeasPluginInfo *info = l->data;

      if (g_strcmp0 (peas_plugin_info_get_external_data (info, key), id) == 0)
        return info;
    }

  return NULL;
}

static char **
list_plugins (const char *key)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const GList *plugins = peas_engine_get_plugin_list (uni_plugins_get_engine ());

  for (const GList *l = plugins; l != NULL; l = l->next)
    {
      const char *id = peas_plugin_info_get_external_data (l->data, key);

      if (id != NULL)
        g_strv_builder_add (builder, id);
    }

  return g_strv_builder_end (builder);
}

/**
 * uni_plugins_find_build_environment:
 * @id: a build environment id ("host", "container", "remote")
 *
 * Returns: (transfer none) (nullable): the plugin whose .plugin file says
 *   `X-Build-Environment-Id=ID`
 */
PeasPluginInfo *
uni_plugins_find_build_environment (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  return find_plugin (BUILD_ENVIRONMENT_ID_KEY, id);
}

/**
 * uni_plugins_list_build_environments:
 *
 * Returns: (transfer full): the ids of the build environments plugins
 *   provide, in the engine's order
 */
char **
uni_plugins_list_build_environments (void)
{
  return list_plugins (BUILD_ENVIRONMENT_ID_KEY);
}

/**
 * uni_plugins_create_build_environment:
 * @id: a build environment id ("host", "container", "remote")
 * @settings: the project settings holding the environment's keys
 * @target_id: the target whose settings group is read
 * @error: return location for a #GError
 *
 * Loads the plugin if needed and creates its environment, configured from
 * @settings.
 *
 * Returns: (transfer full): the environment, or %NULL with @error set:
 *   %UNI_BUILD_ERROR_FAILED for an unknown id or a plugin that cannot load,
 *   %UNI_BUILD_ERROR_NOT_CONFIGURED when a setting it needs is missing or
 *   invalid
 */
UniBuildEnvironment *
uni_plugins_create_build_environment (const char          *id,
                                      UniProjectSettings  *settings,
                                      const char          *target_id,
                                      GError             **error)
{
  g_autoptr(GObject) extension = NULL;
  PeasEngine *peas_engine;
  PeasPluginInfo *info;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (UNI_IS_PROJECT_SETTINGS (settings), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  peas_engine = uni_plugins_get_engine ();
  info = uni_plugins_find_build_environment (id);
  if (info == NULL)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_FAILED,
                   _("There is no build environment called “%s”"), id);
      return NULL;
    }

  if (!peas_plugin_info_is_loaded (info) && !peas_engine_load_plugin (peas_engine, info))
    {
      g_autoptr(GError) local_error = NULL;

      peas_plugin_info_is_available (info, &local_error);
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_FAILED,
                   _("The “%s” build environment could not be loaded: %s"),
                   peas_plugin_info_get_name (info),
                   local_error != NULL ? local_error->message : _("unknown error"));
      return NULL;
    }

  if (!peas_engine_provides_extension (peas_engine, info, UNI_TYPE_BUILD_ENVIRONMENT))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_FAILED,
                   _("The “%s” plugin provides no build environment"),
                   peas_plugin_info_get_name (info));
      return NULL;
    }

  extension = peas_engine_create_extension (peas_engine, info, UNI_TYPE_BUILD_ENVIRONMENT,
                                            "settings", settings,
                                            "target-id", target_id,
                                            NULL);
  if (extension == NULL)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_FAILED,
                   _("The “%s” build environment could not be created"),
                   peas_plugin_info_get_name (info));
      return NULL;
    }

  if (G_IS_INITABLE (extension) && !g_initable_init (G_INITABLE (extension), NULL, error))
    return NULL;

  return UNI_BUILD_ENVIRONMENT (g_steal_pointer (&extension));
}

/**
 * uni_plugins_find_board:
 * @type_id: a board type ("cubieboard2", "xen-host")
 *
 * Returns: (transfer none) (nullable): the plugin whose .plugin file says
 *   `X-Board-Type=TYPE_ID`
 */
PeasPluginInfo *
uni_plugins_find_board (const char *type_id)
{
  g_return_val_if_fail (type_id != NULL, NULL);

  return find_plugin (BOARD_TYPE_KEY, type_id);
}

/**
 * uni_plugins_list_boards:
 *
 * Returns: (transfer full): the board types plugins provide, in the
 *   engine's order
 */
char **
uni_plugins_list_boards (void)
{
  return list_plugins (BOARD_TYPE_KEY);
}

/**
 * uni_plugins_create_board:
 * @type_id: a board type ("cubieboard2", "xen-host")
 * @profile: (nullable): the profile the board will be reached with
 * @error: return location for a #GError
 *
 * Loads the plugin if needed and creates its board. Boards hold no state
 * of their own; given a @profile, this also checks that it is of this
 * type and that every value can work, so a bad one is reported before
 * anything runs.
 *
 * Returns: (transfer full): the board, or %NULL with @error set:
 *   %UNI_BOARD_ERROR_UNKNOWN_TYPE for an unknown type or a plugin that
 *   cannot load, %UNI_BOARD_ERROR_INVALID_PROFILE for a @profile of
 *   another type or with a value that cannot work
 */
UniBoard *
uni_plugins_create_board (const char       *type_id,
                          UniBoardProfile  *profile,
                          GError          **error)
{
  g_autoptr(GObject) extension = NULL;
  PeasEngine *peas_engine;
  PeasPluginInfo *info;

  g_return_val_if_fail (type_id != NULL, NULL);
  g_return_val_if_fail (profile == NULL || UNI_IS_BOARD_PROFILE (profile), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  peas_engine = uni_plugins_get_engine ();
  info = uni_plugins_find_board (type_id);
  if (info == NULL)
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE,
                   _("There is no board type called “%s”"), type_id);
      return NULL;
    }

  if (!peas_plugin_info_is_loaded (info) && !peas_engine_load_plugin (peas_engine, info))
    {
      g_autoptr(GError) local_error = NULL;

      peas_plugin_info_is_available (info, &local_error);
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE,
                   _("The “%s” board could not be loaded: %s"),
                   peas_plugin_info_get_name (info),
                   local_error != NULL ? local_error->message : _("unknown error"));
      return NULL;
    }

  if (!peas_engine_provides_extension (peas_engine, info, UNI_TYPE_BOARD))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE,
                   _("The “%s” plugin provides no board"), peas_plugin_info_get_name (info));
      return NULL;
    }

  if (profile != NULL)
    {
      if (g_strcmp0 (uni_board_profile_get_board_type (profile), type_id) != 0)
        {
          g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                       _("The board “%s” is not a %s"),
                       uni_board_profile_get_name (profile), peas_plugin_info_get_name (info));
          return NULL;
        }

      if (!uni_board_profile_check (profile, error))
        return NULL;
    }

  extension = peas_engine_create_extension (peas_engine, info, UNI_TYPE_BOARD, NULL);
  if (extension == NULL)
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_UNKNOWN_TYPE,
                   _("The “%s” board could not be created"), peas_plugin_info_get_name (info));
      return NULL;
    }

  return UNI_BOARD (g_steal_pointer (&extension));
}
