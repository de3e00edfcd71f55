/* uni-launch-network.c — the unix unikernel's network stack: which one it
 * gets, and the address its web server answers at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-launch-network"

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "uni-configure-flags.h"
#include "uni-launch-private.h"

/* Where the socket stack listens, as the URL and the wait see it. */
#define LOOPBACK_ADDRESS "127.0.0.1"

/* The direct stack's address when nothing sets another: mirage's default
 * IPv4 configuration, 10.0.0.2/24, in every era (2.x `default_ipv4`, 3.x
 * and 4.x the default of the ipv4 key or runtime argument).
 */
#define DIRECT_DEFAULT_ADDRESS "10.0.0.2"

static gboolean
is_direct_stack (const char *net)
{
  /* 2.x and 3.x say "direct"; 4.x also "ocaml" for the same stack. */
  return g_ascii_strcasecmp (net, "direct") == 0 || g_ascii_strcasecmp (net, "ocaml") == 0;
}

static gboolean
setting_is_true (UniProjectSettings *settings,
                 const char         *target_id,
                 const char         *key)
{
  g_autofree char *value = _uni_launch_dup_setting (settings, target_id, key);

  return value != NULL && uni_project_settings_value_is_true (value);
}

/* The network stack the unix unikernel gets; the direct one opens a tap
 * device and so needs root.
 */
UniLaunchStack
_uni_launch_decide_stack (UniManifest        *manifest,
                          UniProjectSettings *settings,
                          const char         *target_id)
{
  UniMirageEra era = uni_manifest_get_era (manifest);
  g_autofree char *net = NULL;

  if (era == UNI_MIRAGE_ERA_2_ENV)
    {
      guint n_knobs = uni_manifest_get_n_env_knobs (manifest);
      g_autofree char *env_net = _uni_launch_dup_setting (settings, target_id, "NET");

      if (env_net != NULL)
        return is_direct_stack (env_net) ? UNI_LAUNCH_STACK_DIRECT : UNI_LAUNCH_STACK_SOCKET;

      for (guint i = 0; i < n_knobs; i++)
        {
          const UniManifestEnvKnob *knob = uni_manifest_get_env_knob (manifest, i);

          if (g_strcmp0 (knob->name, "NET") == 0)
            return knob->default_value != NULL && is_direct_stack (knob->default_value)
                   ? UNI_LAUNCH_STACK_DIRECT : UNI_LAUNCH_STACK_SOCKET;
        }

      return UNI_LAUNCH_STACK_SOCKET;
    }

  /* Without a network stack there is no --net flag: a `net` setting is
   * dropped from `mirage configure` and changes nothing.
   */
  if (!uni_manifest_get_uses_network (manifest))
    return UNI_LAUNCH_STACK_NONE;

  /* Unset, mirage's generic stack decides, per era (its own sources):
   * 2.7–2.9 take the socket stack only for `--net socket`, so the direct
   * stack is the default even on unix; from 3.0 an unset --net on unix
   * means the socket stack, unless --dhcp asks for the direct stack's DHCP
   * client. An explicit socket stack wins over --dhcp. An era that cannot
   * be told is taken as 3.0+.
   */
  net = _uni_launch_dup_setting (settings, target_id, "net");
  if (net != NULL ? !is_direct_stack (net)
                  : era != UNI_MIRAGE_ERA_2_KEYS
                    && !setting_is_true (settings, target_id, "dhcp"))
    return UNI_LAUNCH_STACK_SOCKET;

  return setting_is_true (settings, target_id, "dhcp") ? UNI_LAUNCH_STACK_DIRECT_DHCP
                                                       : UNI_LAUNCH_STACK_DIRECT;
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
char *
_uni_launch_dup_prefix_address (const char *prefix)
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
  g_autofree char *dhcp = _uni_launch_dup_setting (settings, target_id, "dhcp");
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
char *
_uni_launch_decide_address (UniManifest        *manifest,
                            UniProjectSettings *settings,
                            const char         *target_id,
                            UniLaunchStack      stack,
                            const char         *ipv4)
{
  UniMirageEra era = uni_manifest_get_era (manifest);
  g_autofree char *setting = NULL;
  g_autofree char *address = NULL;

  switch (stack)
    {
    case UNI_LAUNCH_STACK_NONE:
    case UNI_LAUNCH_STACK_SOCKET:
      /* It binds the address --ipv4 gives (mirage 3.10+); the default,
       * 0.0.0.0/0, is every address of this computer. Before 4.5 that
       * address is baked in at configure time, from settings this does not
       * read: socket projects leave it at its default.
       */
      address = ipv4 != NULL ? _uni_launch_dup_prefix_address (ipv4) : NULL;
      if (address == NULL || g_str_equal (address, "0.0.0.0"))
        return g_strdup (LOOPBACK_ADDRESS);
      return g_steal_pointer (&address);

    case UNI_LAUNCH_STACK_DIRECT_DHCP:
      return NULL;

    case UNI_LAUNCH_STACK_DIRECT:
    default:
      break;
    }

  switch (era)
    {
    case UNI_MIRAGE_ERA_4_5:
      if (ipv4 != NULL)
        return _uni_launch_dup_prefix_address (ipv4);
      if (direct_stack_leases_by_default (manifest, settings, target_id)
          && !setting_is_true (settings, target_id, "no-dhcp"))
        return NULL;
      return g_strdup (DIRECT_DEFAULT_ADDRESS);

    /* 2.x configs may build the stack themselves; the console says which
     * address it got, with DHCP or without.
     */
    case UNI_MIRAGE_ERA_2_ENV:
    case UNI_MIRAGE_ERA_2_KEYS:
      if (_uni_launch_mentions_identifier (manifest, "direct_stackv4_with_dhcp")
          || _uni_launch_mentions_identifier (manifest, "direct_stackv4_with_static_ipv4"))
        return NULL;
      setting = era == UNI_MIRAGE_ERA_2_KEYS ? _uni_launch_dup_setting (settings, target_id, "ip")
                                             : NULL;
      if (setting != NULL && is_ipv4_address (setting))
        return g_steal_pointer (&setting);
      return g_strdup (DIRECT_DEFAULT_ADDRESS);

    case UNI_MIRAGE_ERA_3:
    case UNI_MIRAGE_ERA_4_0:
    case UNI_MIRAGE_ERA_UNKNOWN:
    default:
      setting = _uni_launch_dup_setting (settings, target_id, "ipv4");
      address = setting != NULL ? _uni_launch_dup_prefix_address (setting) : NULL;
      return address != NULL ? g_steal_pointer (&address) : g_strdup (DIRECT_DEFAULT_ADDRESS);
    }
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
