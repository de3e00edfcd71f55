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
#include "uni-configure-flags.h"
#include "uni-launch.h"
#include "uni-ocaml-lexer.h"
#include "uni-runtime-args.h"

/* The flags a web server's port goes by, most likely first. */
static const char * const port_flags[] = { "port", "http-port", "http_port" };

/* Where the socket stack listens, as the URL and the wait see it. */
#define LOOPBACK_ADDRESS "127.0.0.1"

/* The direct stack's address when nothing sets another: mirage's default
 * IPv4 configuration, 10.0.0.2/24, in every era (2.x `default_ipv4`, 3.x
 * and 4.x the default of the ipv4 key or runtime argument).
 */
#define DIRECT_DEFAULT_ADDRESS "10.0.0.2"

/* Which network stack the unix unikernel gets, as mirage's generic stack
 * picks it (lib/devices/stack.ml, `generic_stackv4v6`).
 */
typedef enum
{
  STACK_NONE,
  STACK_SOCKET,
  /* The direct stack with its static IPv4 device, which takes --ipv4 (from
   * mirage 4.11 it asks for a DHCP lease when it is given no address).
   */
  STACK_DIRECT,
  /* The direct stack with the DHCP client as its IPv4 device: `--dhcp true`,
   * mirage 2.7–4.10.
   */
  STACK_DIRECT_DHCP,
} Stack;

#define IN(stack) (1u << (stack))
#define ANY_STACK (IN (STACK_SOCKET) | IN (STACK_DIRECT) | IN (STACK_DIRECT_DHCP))
#define DIRECT_STACKS (IN (STACK_DIRECT) | IN (STACK_DIRECT_DHCP))

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
  { { "ipv4", NULL }, IN (STACK_SOCKET) | IN (STACK_DIRECT), FALSE },
  { { "ipv4-gateway", NULL }, IN (STACK_DIRECT), FALSE },
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
static gboolean
mentions_identifier (UniManifest *manifest,
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

static gboolean
setting_is_true (UniProjectSettings *settings,
                 const char         *target_id,
                 const char         *key)
{
  g_autofree char *value = dup_setting (settings, target_id, key);

  return value != NULL && is_true (value);
}

/* The network stack the unix unikernel gets; the direct one opens a tap
 * device and so needs root.
 */
static Stack
decide_stack (UniManifest        *manifest,
              UniProjectSettings *settings,
              const char         *target_id)
{
  UniMirageEra era = uni_manifest_get_era (manifest);
  g_autofree char *net = NULL;

  if (era == UNI_MIRAGE_ERA_2_ENV)
    {
      guint n_knobs = uni_manifest_get_n_env_knobs (manifest);
      g_autofree char *env_net = dup_setting (settings, target_id, "NET");

      if (env_net != NULL)
        return is_direct_stack (env_net) ? STACK_DIRECT : STACK_SOCKET;

      for (guint i = 0; i < n_knobs; i++)
        {
          const UniManifestEnvKnob *knob = uni_manifest_get_env_knob (manifest, i);

          if (g_strcmp0 (knob->name, "NET") == 0)
            return knob->default_value != NULL && is_direct_stack (knob->default_value)
                   ? STACK_DIRECT : STACK_SOCKET;
        }

      return STACK_SOCKET;
    }

  /* Without a network stack there is no --net flag: a `net` setting is
   * dropped from `mirage configure` and changes nothing.
   */
  if (!uni_manifest_get_uses_network (manifest))
    return STACK_NONE;

  /* Unset, mirage's generic stack decides, per era (its own sources):
   * 2.7–2.9 take the socket stack only for `--net socket`, so the direct
   * stack is the default even on unix; from 3.0 an unset --net on unix
   * means the socket stack, unless --dhcp asks for the direct stack's DHCP
   * client. An explicit socket stack wins over --dhcp. An era that cannot
   * be told is taken as 3.0+.
   */
  net = dup_setting (settings, target_id, "net");
  if (net != NULL ? !is_direct_stack (net)
                  : era != UNI_MIRAGE_ERA_2_KEYS
                    && !setting_is_true (settings, target_id, "dhcp"))
    return STACK_SOCKET;

  return setting_is_true (settings, target_id, "dhcp") ? STACK_DIRECT_DHCP : STACK_DIRECT;
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
find_taken_mirage_arg (UniManifest *manifest,
                       Stack        stack,
                       const char  *flag)
{
  const MirageArg *arg = find_mirage_arg (flag);

  if (arg == NULL || uni_manifest_get_era (manifest) != UNI_MIRAGE_ERA_4_5)
    return NULL;

  if (arg->stacks != 0 && (arg->stacks & IN (stack)) == 0)
    return NULL;

  if (arg->reporter && mentions_identifier (manifest, "no_reporter"))
    return NULL;

  return arg;
}

static gboolean
is_ipv4_address (const char *text)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

  return address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4;
}

/* The address of an IPv4 prefix, "10.0.0.5/24" → "10.0.0.5", as mirage's
 * ipv4 converter (Ipaddr.V4.Prefix.of_string) reads it; %NULL when it is
 * not one.
 */
static char *
dup_prefix_address (const char *prefix)
{
  const char *slash = strchr (prefix, '/');
  g_autofree char *address = NULL;

  if (slash == NULL || !g_ascii_string_to_unsigned (slash + 1, 10, 0, 32, NULL, NULL))
    return NULL;

  address = g_strndup (prefix, slash - prefix);
  if (!is_ipv4_address (address))
    return NULL;

  return g_steal_pointer (&address);
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
                   Stack                stack,
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

      value = dup_setting (settings, target_id, keys[i]);
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
                             g_strdup_printf (stack == STACK_NONE
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
          g_autofree char *address = dup_prefix_address (value);

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

/* mirage 4.11 replaced `--dhcp BOOL` with a `--no-dhcp` switch, and its
 * direct stack asks for a DHCP lease unless it is given an address or
 * `--no-dhcp` (as the DHCP client's newer Dhcp_ipv4.connect does with no
 * cidr). Which mirage builds a 4.5+ config is not known here: a `dhcp`
 * setting for the target (offered only up to 4.10) or a version pin that
 * ends before 4.11 (configure then offers --dhcp) means 4.5–4.10, whose
 * direct stack takes mirage's default address; anything else is taken as
 * 4.11 or later, the current release, which reports its lease on the
 * console.
 */
static gboolean
direct_stack_leases_by_default (UniManifest        *manifest,
                                UniProjectSettings *settings,
                                const char         *target_id)
{
  g_autoptr(GPtrArray) flags = NULL;
  g_autofree char *dhcp = dup_setting (settings, target_id, "dhcp");
  const UniConfigureFlag *flag;

  if (dhcp != NULL)
    return FALSE;

  flags = uni_configure_flags_for_manifest (manifest);
  flag = uni_configure_flags_find (flags, "dhcp");

  return flag == NULL || flag->from_config;
}

/* See @address of UniLaunch. @ipv4 is what mirage's own --ipv4 was given
 * (4.5+), NULL when it is not passed.
 */
static char *
decide_address (UniManifest        *manifest,
                UniProjectSettings *settings,
                const char         *target_id,
                Stack               stack,
                const char         *ipv4)
{
  UniMirageEra era = uni_manifest_get_era (manifest);
  g_autofree char *setting = NULL;
  g_autofree char *address = NULL;

  switch (stack)
    {
    case STACK_NONE:
    case STACK_SOCKET:
      /* It binds the address --ipv4 gives (mirage 3.10+); the default,
       * 0.0.0.0/0, is every address of this computer. Before 4.5 that
       * address is baked in at configure time, from settings this does not
       * read: socket projects leave it at its default.
       */
      address = ipv4 != NULL ? dup_prefix_address (ipv4) : NULL;
      if (address == NULL || g_str_equal (address, "0.0.0.0"))
        return g_strdup (LOOPBACK_ADDRESS);
      return g_steal_pointer (&address);

    case STACK_DIRECT_DHCP:
      return NULL;

    case STACK_DIRECT:
    default:
      break;
    }

  switch (era)
    {
    case UNI_MIRAGE_ERA_4_5:
      if (ipv4 != NULL)
        return dup_prefix_address (ipv4);
      if (direct_stack_leases_by_default (manifest, settings, target_id)
          && !setting_is_true (settings, target_id, "no-dhcp"))
        return NULL;
      return g_strdup (DIRECT_DEFAULT_ADDRESS);

    /* 2.x configs may build the stack themselves; the console says which
     * address it got, with DHCP or without.
     */
    case UNI_MIRAGE_ERA_2_ENV:
    case UNI_MIRAGE_ERA_2_KEYS:
      if (mentions_identifier (manifest, "direct_stackv4_with_dhcp")
          || mentions_identifier (manifest, "direct_stackv4_with_static_ipv4"))
        return NULL;
      setting = era == UNI_MIRAGE_ERA_2_KEYS ? dup_setting (settings, target_id, "ip") : NULL;
      if (setting != NULL && is_ipv4_address (setting))
        return g_steal_pointer (&setting);
      return g_strdup (DIRECT_DEFAULT_ADDRESS);

    case UNI_MIRAGE_ERA_3:
    case UNI_MIRAGE_ERA_4_0:
    case UNI_MIRAGE_ERA_UNKNOWN:
    default:
      setting = dup_setting (settings, target_id, "ipv4");
      address = setting != NULL ? dup_prefix_address (setting) : NULL;
      return address != NULL ? g_steal_pointer (&address) : g_strdup (DIRECT_DEFAULT_ADDRESS);
    }
}

static char *
dup_root_reason (Stack stack,
                 guint port)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new_with_free_func (g_free);

  if (stack == STACK_DIRECT || stack == STACK_DIRECT_DHCP)
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
  Stack stack;

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);
  g_return_val_if_fail (settings == NULL || UNI_IS_PROJECT_SETTINGS (settings), NULL);
  g_return_val_if_fail (target_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  launch = g_new0 (UniLaunch, 1);
  taken = uni_runtime_args_dup_taken (manifest, runtime_decls);

  find_port_source (manifest, taken, settings, target_id, &source);
  if (!decide_port (launch, manifest, &source, error))
    return NULL;

  stack = decide_stack (manifest, settings, target_id);
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
  launch->address = decide_address (manifest, settings, target_id, stack, ipv4);
  launch->on_tap = stack == STACK_DIRECT || stack == STACK_DIRECT_DHCP;

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
 * uni_launch_dup_url:
 * @launch: a #UniLaunch
 *
 * Returns: (transfer full) (nullable): "http://localhost:PORT/" for the
 *   socket stack, "http://ADDRESS:PORT/" for the direct stack; %NULL while
 *   @launch has no address (DHCP)
 */
char *
uni_launch_dup_url (const UniLaunch *launch)
{
  g_return_val_if_fail (launch != NULL, NULL);

  if (launch->address == NULL)
    return NULL;

  return uni_launch_dup_url_for_address (launch, launch->address);
}

/**
 * uni_launch_dup_url_for_address:
 * @launch: a #UniLaunch
 * @address: the IP address the unikernel answers at, as text
 *
 * Returns: (transfer full): "http://ADDRESS:PORT/"; the loopback address
 *   127.0.0.1 is written "localhost", the name a browser shows
 */
char *
uni_launch_dup_url_for_address (const UniLaunch *launch,
                                const char      *address)
{
  g_return_val_if_fail (launch != NULL, NULL);
  g_return_val_if_fail (address != NULL && g_hostname_is_ip_address (address), NULL);

  if (g_str_equal (address, LOOPBACK_ADDRESS))
    return g_strdup_printf ("http://localhost:%u/", launch->port);

  if (strchr (address, ':') != NULL)
    return g_strdup_printf ("http://[%s]:%u/", address, launch->port);

  return g_strdup_printf ("http://%s:%u/", address, launch->port);
}

/* What a unikernel prints just before its address. */
static const char * const address_markers[] = {
  /* 2.x, from its DHCP client and from its static configuration */
  "DHCP offer received and bound to",
  "Manager: Interface to",
  /* 3.x and 4.x, charrua's dhcp_client_lwt */
  "Lease obtained! IP:",
};

/**
 * uni_launch_find_address:
 * @line: one line of a unikernel's console output, without ANSI escapes
 *
 * See uni-launch.h.
 *
 * Returns: (transfer full) (nullable): the IPv4 address it reports,
 *   "10.0.0.5", or %NULL
 */
char *
uni_launch_find_address (const char *line)
{
  g_return_val_if_fail (line != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (address_markers); i++)
    {
      const char *p = strstr (line, address_markers[i]);
      g_autofree char *candidate = NULL;
      g_autoptr(GInetAddress) address = NULL;

      if (p == NULL)
        continue;

      p += strlen (address_markers[i]);
      while (*p == ' ')
        p++;

      candidate = g_strndup (p, strspn (p, "0123456789."));
      address = g_inet_address_new_from_string (candidate);
      if (address != NULL && g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV4
          && !g_inet_address_get_is_any (address))
        return g_steal_pointer (&candidate);
    }

  return NULL;
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
