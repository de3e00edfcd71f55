/* uni-launch.c — how a unix unikernel is started: port, boot arguments, privileges
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-launch"

#include "config.h"

#include <unistd.h>

#include <string.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "uni-build-environment.h"
#include "uni-launch-private.h"
#include "uni-ocaml-lexer.h"
#include "uni-runtime-args.h"

/* The flags a web server's port goes by, most likely first. */
static const char * const port_flags[] = { "port", "http-port", "http_port" };

#define IN(stack) (1u << (stack))
#define ANY_STACK (IN (UNI_LAUNCH_STACK_SOCKET) | IN (UNI_LAUNCH_STACK_DIRECT) \
                   | IN (UNI_LAUNCH_STACK_DIRECT_DHCP))
#define DIRECT_STACKS (IN (UNI_LAUNCH_STACK_DIRECT) | IN (UNI_LAUNCH_STACK_DIRECT_DHCP))

/* The runtime arguments mirage itself gives a 4.5+ unikernel, beside those
 * of unikernel.ml, with the names of mirage's sources:
 *
 * - `register` always adds `delay_startup` (Runtime_arg.delay: --delay) and,
 *   unless config.ml passes `~reporter:no_reporter`, the log reporter
 *   (lib/devices/reporter.ml, Runtime_arg.logs: -l/--logs);
 * - the network stack, by the devices it is made of
 *   (lib/devices/{stack,ip,network}.ml, named in lib/devices/runtime_arg.ml
 *   and lib_runtime/mirage_runtime_network.ml): the socket stack takes
 *   --ipv4 (the address to listen on), --ipv6, --ipv4-only, --ipv6-only;
 *   the direct stack the unix netif's --interface, the static IPv4 device's
 *   --ipv4 and --ipv4-gateway (not the DHCP client's), and the IPv6
 *   device's --ipv6, --ipv6-gateway, --accept-router-advertisements, with
 *   --ipv4-only and --ipv6-only.
 *
 * Only the names of a stack without a ~group are known: a grouped stack's
 * are prefixed with its group ("private-ipv4"), which config.ml decides.
 * DNS, syslog, TLS and other devices' arguments come with devices a plain
 * web server does not have, so they are not passed.
 */
typedef struct
{
  const char *flags[3];
  /* IN() of the stacks whose devices take it; 0: taken without a stack */
  guint       stacks;
  gboolean    reporter;
} MirageArg;

static const MirageArg mirage_args[] = {
  { { "l", "logs", NULL }, 0, TRUE },
  { { "delay", NULL }, 0, FALSE },
  { { "interface", NULL }, DIRECT_STACKS, FALSE },
  { { "ipv4", NULL }, IN (UNI_LAUNCH_STACK_SOCKET) | IN (UNI_LAUNCH_STACK_DIRECT), FALSE },
  { { "ipv4-gateway", NULL }, IN (UNI_LAUNCH_STACK_DIRECT), FALSE },
  { { "ipv6", NULL }, ANY_STACK, FALSE },
  { { "ipv6-gateway", NULL }, DIRECT_STACKS, FALSE },
  { { "accept-router-advertisements", NULL }, DIRECT_STACKS, FALSE },
  { { "ipv4-only", NULL }, ANY_STACK, FALSE },
  { { "ipv6-only", NULL }, ANY_STACK, FALSE },
};

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
char *
_uni_launch_dup_setting (UniProjectSettings *settings,
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

/* The first of @taken (of UniRuntimeArgTaken) declared with @flag. */
static const UniRuntimeArgDecl *
find_decl_by_flag (GPtrArray  *taken,
                   const char *flag)
{
  for (guint i = 0; i < taken->len; i++)
    {
      const UniRuntimeArgTaken *arg = g_ptr_array_index (taken, i);

      if (arg->decl != NULL && has_flag (arg->decl->flags, flag))
        return arg->decl;
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

/**
 * uni_launch_parse_port:
 * @text: a per-target value, e.g. "9090"
 * @port: (out) (optional): the port
 *
 * Returns: whether @text is a TCP port number, 1 to 65535, in decimal
 */
gboolean
uni_launch_parse_port (const char *text,
                       guint      *port)
{
  guint64 value = 0;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!g_ascii_string_to_unsigned (text, 10, 1, 65535, &value, NULL))
    return FALSE;

  if (port != NULL)
    *port = (guint) value;
  return TRUE;
}

/**
 * uni_launch_is_port_flag:
 * @flag: a key's or runtime argument's flag, without dashes
 *
 * Returns: whether Run takes the web server's port from it
 */
gboolean
uni_launch_is_port_flag (const char *flag)
{
  g_return_val_if_fail (flag != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (port_flags); i++)
    if (g_str_equal (flag, port_flags[i]))
      return TRUE;

  return FALSE;
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

          value = _uni_launch_dup_setting (settings, target_id, keys[i]);
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

      source->value = _uni_launch_dup_setting (settings, target_id, name);
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
      if (!uni_launch_parse_port (source->value, &launch->port))
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

/* Whether config.ml names @identifier outside comments and strings. */
gboolean
_uni_launch_mentions_identifier (UniManifest *manifest,
                                 const char  *identifier)
{
  gsize length = 0;
  const char *text = uni_manifest_get_text (manifest, &length);
  g_autoptr(GArray) tokens = uni_ocaml_lex (text, length);

  for (guint i = 0; i < tokens->len; i++)
    {
      const UniOcamlToken *token = &g_array_index (tokens, UniOcamlToken, i);

      if (token->kind == UNI_OCAML_TOKEN_LIDENT
          && uni_ocaml_token_equal (token, text, identifier))
        return TRUE;
    }

  return FALSE;
}

static const MirageArg *
find_mirage_arg (const char *flag)
{
  for (guint i = 0; i < G_N_ELEMENTS (mirage_args); i++)
    {
      if (g_strv_contains (mirage_args[i].flags, flag))
        return &mirage_args[i];
    }

  return NULL;
}

/* A 4.5+ unikernel's own argument @flag, when this one takes it. */
static const MirageArg *
find_taken_mirage_arg (UniManifest    *manifest,
                       UniLaunchStack  stack,
                       const char     *flag)
{
  const MirageArg *arg = find_mirage_arg (flag);

  if (arg == NULL || uni_manifest_get_era (manifest) != UNI_MIRAGE_ERA_4_5)
    return NULL;

  if (arg->stacks != 0 && (arg->stacks & IN (stack)) == 0)
    return NULL;

  if (arg->reporter && _uni_launch_mentions_identifier (manifest, "no_reporter"))
    return NULL;

  return arg;
}

/* Every boot.NAME setting, in the order of the file, that names a runtime
 * argument the unikernel takes: one its unikernel.ml declares, else one of
 * mirage's own. The port's argument is among them only when it is set for
 * the target: otherwise the unikernel's own default applies, which is the
 * port decide_port() read. @ipv4 is set to the value given to mirage's own
 * --ipv4, which says where the unikernel answers.
 */
static gboolean
collect_boot_args (UniManifest         *manifest,
                   GPtrArray           *taken,
                   UniLaunchStack       stack,
                   UniProjectSettings  *settings,
                   const char          *target_id,
                   GPtrArray           *boot_args,
                   GPtrArray           *dropped,
                   char               **ipv4,
                   GError             **error)
{
  g_autoptr(GHashTable) given = g_hash_table_new (NULL, NULL);
  g_auto(GStrv) keys = NULL;

  if (settings == NULL)
    return TRUE;

  keys = uni_project_settings_dup_target_flags (settings, target_id);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      const char *name = keys[i] + strlen (UNI_LAUNCH_BOOT_PREFIX);
      gconstpointer argument = NULL;
      const MirageArg *mirage_arg = NULL;
      g_autofree char *value = NULL;

      if (!uni_launch_is_boot_key (keys[i]))
        continue;

      value = _uni_launch_dup_setting (settings, target_id, keys[i]);
      if (value == NULL)
        continue;

      if (*name != '\0')
        argument = find_decl_by_flag (taken, name);
      if (argument == NULL && *name != '\0')
        argument = mirage_arg = find_taken_mirage_arg (manifest, stack, name);

      if (argument == NULL)
        {
          const MirageArg *known = find_mirage_arg (name);

          if (known != NULL && known->stacks != 0
              && uni_manifest_get_era (manifest) == UNI_MIRAGE_ERA_4_5)
            g_ptr_array_add (dropped,
                             g_strdup_printf (stack == UNI_LAUNCH_STACK_NONE
                                              ? _("%s (this unikernel has no network stack)")
                                              : _("%s (not taken by the network stack of this "
                                                  "target)"),
                                              keys[i]));
          else
            g_ptr_array_add (dropped,
                             g_strdup_printf (_("%s (not a runtime argument of this unikernel)"),
                                              keys[i]));
          continue;
        }

      /* cmdliner refuses an option given twice, under any of its names. */
      if (g_hash_table_contains (given, argument))
        {
          g_ptr_array_add (dropped,
                           g_strdup_printf (_("%s (the same argument as %s, already given)"),
                                            keys[i],
                                            (char *) g_hash_table_lookup (given, argument)));
          continue;
        }

      /* The unikernel would refuse to start; say which setting is wrong
       * before it does.
       */
      if (mirage_arg != NULL && g_str_equal (mirage_arg->flags[0], "ipv4"))
        {
          g_autofree char *address = _uni_launch_dup_prefix_address (value);

          if (address == NULL)
            {
              g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_INVALID_SETTING,
                           _("“%s” is not an IPv4 address with a prefix length: the setting "
                             "%s in %s must look like 10.0.0.5/24. Change it, or remove it to "
                             "use the unikernel’s default."),
                           value, keys[i], UNI_PROJECT_SETTINGS_PATH);
              return FALSE;
            }

          g_free (*ipv4);
          *ipv4 = g_strdup (value);
        }

      g_hash_table_insert (given, (gpointer) argument, keys[i]);
      g_ptr_array_add (boot_args, dup_option (name, value));
    }

  return TRUE;
}

static char *
dup_root_reason (UniLaunchStack stack,
                 guint          port)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  if (stack == UNI_LAUNCH_STACK_DIRECT || stack == UNI_LAUNCH_STACK_DIRECT_DHCP)
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
  g_autofree char *ipv4 = NULL;
  UniLaunchStack stack;

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (settings == NULL || UNI_IS_PROJECT_SETTINGS (settings), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  launch = g_new0 (UniLaunch, 1);
  taken = uni_runtime_args_dup_taken (manifest, runtime_decls);

  find_port_source (manifest, taken, settings, target_id, &source);
  if (!decide_port (launch, manifest, &source, error))
    return NULL;

  stack = _uni_launch_decide_stack (manifest, settings, target_id);
  boot_args = g_ptr_array_new_with_free_func (g_free);
  dropped = g_ptr_array_new_with_free_func (g_free);
  if (!collect_boot_args (manifest, taken, stack, settings, target_id, boot_args, dropped,
                          &ipv4, error))
    return NULL;
  g_ptr_array_add (boot_args, NULL);
  g_ptr_array_add (dropped, NULL);
  launch->boot_args = (char **) g_ptr_array_steal (boot_args, NULL);
  launch->dropped = (char **) g_ptr_array_steal (dropped, NULL);

  launch->root_reason = dup_root_reason (stack, launch->port);
  launch->address = _uni_launch_decide_address (manifest, settings, target_id, stack, ipv4);
  launch->on_tap = stack == UNI_LAUNCH_STACK_DIRECT || stack == UNI_LAUNCH_STACK_DIRECT_DHCP;

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
  g_free (launch->address);
  g_free (launch);
}

/**
 * uni_launch_needs_sudo:
 * @launch: a #UniLaunch
 *
 * Returns: whether the unikernel needs root and this process does not have
 *   it, so uni_launch_dup_argv() puts `sudo --` in front
 */
gboolean
uni_launch_needs_sudo (const UniLaunch *launch)
{
  g_return_val_if_fail (launch != NULL, FALSE);

  return launch->root_reason != NULL && geteuid () != 0;
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
