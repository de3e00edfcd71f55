/* uni-launch.c — how a unix unikernel is started: port, boot arguments, privileges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-launch"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-build-environment.h"
#include "uni-launch.h"
#include "uni-runtime-args.h"

/* The flags a web server's port goes by, most likely first. */
static const char * const port_flags[] = { "port", "http-port", "http_port" };

/* Where the port comes from, before it is read. */
typedef struct
{
  /* A runtime argument of the unikernel (4.5+), or else a key of config.ml. */
  const UniRuntimeArgDecl *decl;
  const UniManifestKey    *key;
  /* The flag it matched, for the user: "port" */
  const char              *flag;
  /* The per-target setting, when it is set: "boot.port" or "port", and its value */
  char                    *setting;
  char                    *value;
} PortSource;

static void
port_source_clear (PortSource *source)
{
  g_clear_pointer (&source->setting, g_free);
  g_clear_pointer (&source->value, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PortSource, port_source_clear)

/* Like the build environments' settings: blanks around a value do not
 * count, and an empty value is no value.
 */
static char *
dup_setting (UniProjectSettings *settings,
             const char         *target_id,
             const char         *key)
{
  g_autofree char *value = NULL;

  if (settings == NULL)
    return NULL;

  value = uni_project_settings_dup_target_value (settings, target_id, key);
  if (value == NULL || g_strstrip (value)[0] == '\0')
    return NULL;

  return g_steal_pointer (&value);
}

static gboolean
has_flag (char       **flags,
          const char  *flag)
{
  return flags != NULL && g_strv_contains ((const char * const *) flags, flag);
}

/* The runtime arguments the unikernel really takes at boot: those config.ml
 * lists with runtime_arg, looked up in their module's file, and those the
 * module registers itself (4.8+) whether config.ml names them or not. A
 * declaration nobody takes would make the unikernel refuse the option.
 */
static GPtrArray *
dup_taken_decls (UniManifest *manifest,
                 GPtrArray   *runtime_decls)
{
  g_autoptr(GPtrArray) taken = g_ptr_array_new ();
  g_autofree char *module = NULL;
  g_autofree char *file = NULL;
  guint n_args;

  if (runtime_decls == NULL)
    return g_steal_pointer (&taken);

  module = uni_runtime_args_dup_module (manifest);
  file = module != NULL ? uni_runtime_args_module_file (module) : NULL;
  if (file == NULL)
    return g_steal_pointer (&taken);

  n_args = uni_manifest_get_n_runtime_args (manifest);
  for (guint i = 0; i < n_args; i++)
    {
      const UniManifestRuntimeArg *arg = uni_manifest_get_runtime_arg (manifest, i);
      g_autofree char *arg_file = uni_runtime_args_module_file (arg->name);
      const UniRuntimeArgDecl *decl;

      if (g_strcmp0 (arg_file, file) != 0)
        continue;

      decl = uni_runtime_args_find (runtime_decls, arg->name);
      if (decl != NULL && !g_ptr_array_find (taken, decl, NULL))
        g_ptr_array_add (taken, (gpointer) decl);
    }

  for (guint i = 0; i < runtime_decls->len; i++)
    {
      const UniRuntimeArgDecl *decl = g_ptr_array_index (runtime_decls, i);

      if (decl->registered && !g_ptr_array_find (taken, decl, NULL))
        g_ptr_array_add (taken, (gpointer) decl);
    }

  return g_steal_pointer (&taken);
}

static const UniRuntimeArgDecl *
find_decl_by_flag (GPtrArray  *decls,
                   const char *flag)
{
  for (guint i = 0; i < decls->len; i++)
    {
      const UniRuntimeArgDecl *decl = g_ptr_array_index (decls, i);

      if (has_flag (decl->flags, flag))
        return decl;
    }

  return NULL;
}

/* As `mirage configure` names a key's flag (uni-configure-flags.c), so the
 * per-target setting is found under the same name.
 */
static const char *
key_setting_name (const UniManifestKey *key)
{
  return (key->flags != NULL && key->flags[0] != NULL) ? key->flags[0] : key->name;
}

static const UniManifestKey *
find_key_by_flag (UniManifest *manifest,
                  const char  *flag)
{
  guint n_keys = uni_manifest_get_n_keys (manifest);

  for (guint i = 0; i < n_keys; i++)
    {
      const UniManifestKey *key = uni_manifest_get_key (manifest, i);

      /* mirage ignores a key no device lists in ~keys. */
      if (key->attached && has_flag (key->flags, flag))
        return key;
    }

  return NULL;
}

/* "--port=9090"; a one-letter name is a short option, "-p9090". Either way
 * one argument, so a value starting with '-' is never read as an option.
 */
static char *
dup_option (const char *name,
            const char *value)
{
  if (strlen (name) == 1)
    return g_strconcat ("-", name, value, NULL);

  return g_strconcat ("--", name, "=", value, NULL);
}

/* A decimal OCaml integer literal, as a default is written: "8080",
 * "8_080", "(8080)". Anything else (a name, an expression) is not read.
 */
static gboolean
parse_int_literal (const char *text,
                   guint64    *out)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  const char *p = text;
  const char *end = text + strlen (text);

  while (p < end && (g_ascii_isspace (*p) || *p == '('))
    p++;
  while (end > p && (g_ascii_isspace (end[-1]) || end[-1] == ')'))
    end--;

  if (p == end || !g_ascii_isdigit (*p))
    return FALSE;

  for (; p < end; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p != '_')
        return FALSE;
    }

  return g_ascii_string_to_unsigned (digits->str, 10, 0, G_MAXUINT64, out, NULL);
}

static gboolean
parse_port (const char *text,
            guint      *port)
{
  guint64 value = 0;

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;

  *port = (guint) value;
  return TRUE;
}

/* The port's runtime argument (4.5+) or key (2.7–4.4), and its per-target
 * value. A key's value is the one `mirage configure` was given, so only a
 * key configure sees counts (a `~stage:`Run` key keeps its default).
 */
static void
find_port_source (UniManifest        *manifest,
                  GPtrArray          *taken,
                  UniProjectSettings *settings,
                  const char         *target_id,
                  PortSource         *source)
{
  for (guint i = 0; i < G_N_ELEMENTS (port_flags) && source->decl == NULL; i++)
    {
      source->decl = find_decl_by_flag (taken, port_flags[i]);
      source->flag = port_flags[i];
    }

  if (source->decl != NULL)
    {
      /* Any of its names may be set; the first in the file is the one
       * passed (see the boot arguments).
       */
      g_auto(GStrv) keys = settings != NULL
                           ? uni_project_settings_dup_target_flags (settings, target_id)
                           : NULL;

      for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
        {
          g_autofree char *value = NULL;

          if (!uni_launch_is_boot_key (keys[i])
              || !has_flag (source->decl->flags, keys[i] + strlen (UNI_LAUNCH_BOOT_PREFIX)))
            continue;

          value = dup_setting (settings, target_id, keys[i]);
          if (value == NULL)
            continue;

          source->setting = g_strdup (keys[i]);
          source->value = g_steal_pointer (&value);
          break;
        }
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (port_flags) && source->key == NULL; i++)
    {
      source->key = find_key_by_flag (manifest, port_flags[i]);
      source->flag = port_flags[i];
    }

  if (source->key != NULL && g_strcmp0 (source->key->stage, "run") != 0)
    {
      const char *name = key_setting_name (source->key);

      source->value = dup_setting (settings, target_id, name);
      if (source->value != NULL)
        source->setting = g_strdup (name);
    }

  if (source->key == NULL)
    source->flag = NULL;
}

static gboolean
decide_port (UniLaunch   *launch,
             UniManifest *manifest,
             PortSource  *source,
             GError     **error)
{
  const char *default_text = NULL;
  const char *declared_in = NULL;
  g_autofree char *module_file = NULL;
  guint64 value = 0;

  if (source->value != NULL)
    {
      if (!parse_port (source->value, &launch->port))
        {
          g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_INVALID_SETTING,
                       _("“%s” is not a port number: the setting %s in %s must be a "
                         "whole number from 1 to 65535. Change it, or remove it to use "
                         "the unikernel’s default."),
                       source->value, source->setting, UNI_PROJECT_SETTINGS_PATH);
          return FALSE;
        }

      launch->port_origin = g_strdup_printf (_("--%s, set for this target"), source->flag);
      return TRUE;
    }

  if (source->decl != NULL)
    {
      g_autofree char *module = uni_runtime_args_dup_module (manifest);

      module_file = module != NULL ? uni_runtime_args_module_file (module) : NULL;
      default_text = source->decl->default_text;
      declared_in = module_file != NULL ? module_file : "unikernel.ml";
    }
  else if (source->key != NULL)
    {
      default_text = source->key->default_text;
      declared_in = "config.ml";
    }

  launch->port = UNI_LAUNCH_DEFAULT_PORT;

  if (source->flag == NULL)
    {
      launch->port_origin = g_strdup (_("Unistudio’s default"));
      return TRUE;
    }

  if (default_text == NULL)
    {
      launch->port_origin = g_strdup_printf (_("Unistudio’s default: --%s in %s has no default"),
                                             source->flag, declared_in);
      return TRUE;
    }

  if (!parse_int_literal (default_text, &value) || value < 1 || value > 65535)
    {
      launch->port_origin = g_strdup_printf (_("Unistudio’s default: the default of --%s in "
                                               "%s, “%s”, is not a port number Unistudio "
                                               "can read"),
                                             source->flag, declared_in, default_text);
      return TRUE;
    }

  launch->port = (guint) value;
  if (source->decl != NULL)
    launch->port_origin = g_strdup_printf (_("default of --%s in %s"), source->flag, declared_in);
  else
    launch->port_origin = g_strdup_printf (_("default of key %s in config.ml"),
                                           source->key->name);

  return TRUE;
}

/* Every boot.NAME setting, in the order of the file, that names a runtime
 * argument the unikernel takes. The port's argument is among them only when
 * it is set for the target: otherwise the unikernel's own default applies,
 * which is the port decide_port() read.
 */
static void
collect_boot_args (GPtrArray          *taken,
                   UniProjectSettings *settings,
                   const char         *target_id,
                   GPtrArray          *boot_args,
                   GPtrArray          *dropped)
{
  g_autoptr(GHashTable) given = g_hash_table_new (NULL, NULL);
  g_auto(GStrv) keys = NULL;

  if (settings == NULL)
    return;

  keys = uni_project_settings_dup_target_flags (settings, target_id);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *name = keys[i] + strlen (UNI_LAUNCH_BOOT_PREFIX);
      const UniRuntimeArgDecl *decl;
      g_autofree char *value = NULL;

      if (!uni_launch_is_boot_key (keys[i]))
        continue;

      value = dup_setting (settings, target_id, keys[i]);
      if (value == NULL)
        continue;

      decl = *name != '\0' ? find_decl_by_flag (taken, name) : NULL;
      if (decl == NULL)
        {
          g_ptr_array_add (dropped,
                           g_strdup_printf (_("%s (not a runtime argument of this unikernel)"),
                                            keys[i]));
          continue;
        }

      /* cmdliner refuses an option given twice, under any of its names. */
      if (g_hash_table_contains (given, decl))
        {
          g_ptr_array_add (dropped,
                           g_strdup_printf (_("%s (the same argument as %s, already given)"),
                                            keys[i], (char *) g_hash_table_lookup (given, decl)));
          continue;
        }

      g_hash_table_insert (given, (gpointer) decl, keys[i]);
      g_ptr_array_add (boot_args, dup_option (name, value));
    }
}

static gboolean
is_direct_stack (const char *net)
{
  /* 2.x and 3.x say "direct"; 4.x also "ocaml" for the same stack. */
  return g_ascii_strcasecmp (net, "direct") == 0 || g_ascii_strcasecmp (net, "ocaml") == 0;
}

static gboolean
is_true (const char *value)
{
  return g_ascii_strcasecmp (value, "true") == 0 || g_strcmp0 (value, "1") == 0
         || g_ascii_strcasecmp (value, "yes") == 0;
}

/* Whether the unix unikernel gets the direct network stack, which opens a
 * tap device and so needs root.
 */
static gboolean
uses_direct_stack (UniManifest        *manifest,
                   UniProjectSettings *settings,
                   const char         *target_id)
{
  UniMirageEra era = uni_manifest_get_era (manifest);
  g_autofree char *net = NULL;
  g_autofree char *dhcp = NULL;

  if (era == UNI_MIRAGE_ERA_2_ENV)
    {
      guint n_knobs = uni_manifest_get_n_env_knobs (manifest);
      g_autofree char *env_net = dup_setting (settings, target_id, "NET");

      if (env_net != NULL)
        return is_direct_stack (env_net);

      for (guint i = 0; i < n_knobs; i++)
        {
          const UniManifestEnvKnob *knob = uni_manifest_get_env_knob (manifest, i);

          if (g_strcmp0 (knob->name, "NET") == 0)
            return knob->default_value != NULL && is_direct_stack (knob->default_value);
        }

      return FALSE;
    }

  /* Without a network stack there is no --net flag: a `net` setting is
   * dropped from `mirage configure` and changes nothing.
   */
  if (!uni_manifest_get_uses_network (manifest))
    return FALSE;

  net = dup_setting (settings, target_id, "net");
  if (net != NULL)
    return is_direct_stack (net);

  /* Unset, mirage's generic stack decides, per era (its own sources):
   * 2.7–2.9 take the socket stack only for `--net socket`, so the direct
   * stack is the default even on unix; from 3.0 an unset --net on unix
   * means the socket stack, unless --dhcp asks for the direct stack's DHCP
   * client. An era that cannot be told is taken as 3.0+.
   */
  if (era == UNI_MIRAGE_ERA_2_KEYS)
    return TRUE;

  dhcp = dup_setting (settings, target_id, "dhcp");

  return dhcp != NULL && is_true (dhcp);
}

static char *
dup_root_reason (UniManifest        *manifest,
                 UniProjectSettings *settings,
                 const char         *target_id,
                 guint               port)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  if (uses_direct_stack (manifest, settings, target_id))
    g_ptr_array_add (reasons, g_strdup (_("the direct network stack opens a tap device")));

  if (port < 1024)
    g_ptr_array_add (reasons, g_strdup_printf (_("port %u is below 1024"), port));

  if (reasons->len == 0)
    return NULL;

  g_ptr_array_add (reasons, NULL);

  /* TRANSLATORS: joins the reasons the unikernel needs root */
  return g_strjoinv (_("; "), (char **) reasons->pdata);
}

/**
 * uni_launch_new:
 * @manifest: the project's config.ml
 * @runtime_decls: (element-type UniRuntimeArgDecl) (nullable): the runtime
 *   arguments its unikernel.ml declares, from uni_runtime_args_read()
 * @settings: (nullable): the project settings
 * @target_id: the target, "unix"
 * @error: return location for an error
 *
 * See uni-launch.h. Reads no file: everything comes from its arguments.
 *
 * Returns: (transfer full) (nullable): how to start the unikernel, or
 *   %NULL with %UNI_BUILD_ERROR_INVALID_SETTING
 */
UniLaunch *
uni_launch_new (UniManifest         *manifest,
                GPtrArray           *runtime_decls,
                UniProjectSettings  *settings,
                const char          *target_id,
                GError             **error)
{
  g_autoptr(UniLaunch) launch = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autoptr(GPtrArray) boot_args = NULL;
  g_autoptr(GPtrArray) dropped = NULL;
  g_auto(PortSource) source = { NULL, };

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (settings == NULL || UNI_IS_PROJECT_SETTINGS (settings), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  launch = g_new0 (UniLaunch, 1);
  taken = dup_taken_decls (manifest, runtime_decls);

  find_port_source (manifest, taken, settings, target_id, &source);
  if (!decide_port (launch, manifest, &source, error))
    return NULL;

  boot_args = g_ptr_array_new_with_free_func (g_free);
  dropped = g_ptr_array_new_with_free_func (g_free);
  collect_boot_args (taken, settings, target_id, boot_args, dropped);
  g_ptr_array_add (boot_args, NULL);
  g_ptr_array_add (dropped, NULL);
  launch->boot_args = (char **) g_ptr_array_steal (boot_args, NULL);
  launch->dropped = (char **) g_ptr_array_steal (dropped, NULL);

  launch->root_reason = dup_root_reason (manifest, settings, target_id, launch->port);

  return g_steal_pointer (&launch);
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

/**
 * uni_launch_dup_argv:
 * @launch: a #UniLaunch
 * @artefact: the unix artefact relative to the project folder, "dist/www"
 * @is_root: whether the unikernel would be started by root already
 *
 * Returns: (transfer full) (array zero-terminated=1): the argv to run in
 *   the project folder
 */
char **
uni_launch_dup_argv (const UniLaunch *launch,
                     const char      *artefact,
                     gboolean         is_root)
{
  g_autoptr(GStrvBuilder) builder = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (launch != NULL, NULL);
  g_return_val_if_fail (artefact != NULL && *artefact != '\0', NULL);

  builder = g_strv_builder_new ();

  /* sudo asks for the password on the terminal the unikernel runs in; "--"
   * ends sudo's options, so nothing after it is read as one.
   */
  if (launch->root_reason != NULL && !is_root)
    {
      g_strv_builder_add (builder, "sudo");
      g_strv_builder_add (builder, "--");
    }

  if (g_path_is_absolute (artefact) || g_str_has_prefix (artefact, "./"))
    path = g_strdup (artefact);
  else
    path = g_strconcat ("./", artefact, NULL);

  g_strv_builder_add (builder, path);
  g_strv_builder_addv (builder, (const char **) launch->boot_args);

  return g_strv_builder_end (builder);
}

/**
 * uni_launch_dup_url:
 * @launch: a #UniLaunch
 *
 * Returns: (transfer full): "http://localhost:PORT/"
 */
char *
uni_launch_dup_url (const UniLaunch *launch)
{
  g_return_val_if_fail (launch != NULL, NULL);

  return g_strdup_printf ("http://localhost:%u/", launch->port);
}

/**
 * uni_launch_is_boot_key:
 * @settings_key: a key of a target's settings group
 *
 * Returns: whether it holds a boot argument ("boot.port") rather than a
 *   `mirage configure` flag
 */
gboolean
uni_launch_is_boot_key (const char *settings_key)
{
  g_return_val_if_fail (settings_key != NULL, FALSE);

  return g_str_has_prefix (settings_key, UNI_LAUNCH_BOOT_PREFIX);
}
