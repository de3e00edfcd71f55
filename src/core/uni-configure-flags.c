/* uni-configure-flags.c — the `mirage configure` flags a config.ml offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-configure-flags"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-configure-flags.h"
#include "uni-ocaml-lexer.h"

/* mirage 4.11 replaced `--dhcp BOOL` with a `--no-dhcp` switch. */
static const guint no_dhcp_version[] = { 4, 11, 0 };

static const char * const net_choices_2_3[] = { "socket", "direct", NULL };
static const char * const net_choices_4[] = { "host", "socket", "ocaml", "direct", NULL };
static const char * const kv_ro_choices[] = { "crunch", "fat", "archive", "direct", NULL };

typedef enum
{
  DHCP_UNKNOWN,
  DHCP_BOOL,
  DHCP_SWITCH,
} DhcpStyle;

static UniConfigureFlag *
flag_new (const char         *name,
          const char         *type,
          const char * const *choices,
          const char         *default_value,
          const char         *doc,
          gboolean            from_config)
{
  UniConfigureFlag *flag = g_new0 (UniConfigureFlag, 1);

  flag->name = g_strdup (name);
  flag->type = g_strdup (type);
  flag->choices = g_strdupv ((char **) choices);
  flag->default_value = g_strdup (default_value);
  flag->doc = g_strdup (doc ? doc : "");
  flag->from_config = from_config;

  return flag;
}

/* "v4.11.1", "4.5.0~beta", "3.8" → { 4, 11, 1 }; FALSE for anything else. */
static gboolean
parse_version (const char *text,
               guint       version[3])
{
  const char *p = text;

  if (p == NULL)
    return FALSE;

  while (g_ascii_isspace (*p))
    p++;
  if (*p == 'v' || *p == 'V')
    p++;

  for (guint i = 0; i < 3; i++)
    {
      guint64 number = 0;

      version[i] = 0;
      if (i > 0)
        {
          if (*p != '.')
            return TRUE;
          p++;
        }
      if (!g_ascii_isdigit (*p))
        return i > 0;
      while (g_ascii_isdigit (*p))
        {
          number = number * 10 + (guint64) (*p - '0');
          if (number > G_MAXUINT)
            return FALSE;
          p++;
        }
      version[i] = (guint) number;
    }

  return TRUE;
}

static int
compare_versions (const guint a[3],
                  const guint b[3])
{
  for (guint i = 0; i < 3; i++)
    {
      if (a[i] != b[i])
        return a[i] < b[i] ? -1 : 1;
    }

  return 0;
}

/* Reads a pin such as "mirage >= 4.5.0 & < 4.12.0" and says whether every
 * version it allows is before 4.11 (DHCP_BOOL) or from 4.11 on
 * (DHCP_SWITCH); DHCP_UNKNOWN when it allows both or cannot be read.
 */
static DhcpStyle
dhcp_style_for_pin (const char *pin)
{
  g_auto(GStrv) constraints = NULL;
  gboolean all_before = FALSE;
  gboolean all_after = FALSE;
  const char *p;

  if (pin == NULL)
    return DHCP_UNKNOWN;

  p = pin;
  while (g_ascii_isspace (*p))
    p++;
  if (g_str_has_prefix (p, "mirage"))
    p += strlen ("mirage");

  constraints = g_strsplit (p, "&", -1);
  for (guint i = 0; constraints[i] != NULL; i++)
    {
      const char *c = g_strstrip (constraints[i]);
      guint version[3];
      int cmp;

      if (g_str_has_prefix (c, ">=") || g_str_has_prefix (c, "<="))
        {
          if (!parse_version (c + 2, version))
            return DHCP_UNKNOWN;
          cmp = compare_versions (version, no_dhcp_version);
          if (c[0] == '>' && cmp >= 0)
            all_after = TRUE;
          else if (c[0] == '<' && cmp < 0)
            all_before = TRUE;
        }
      else if (c[0] == '>' || c[0] == '<' || c[0] == '=')
        {
          if (!parse_version (c + 1, version))
            return DHCP_UNKNOWN;
          cmp = compare_versions (version, no_dhcp_version);
          /* "> 4.10.9" could still mean 4.10.10; only >= is certain. */
          if (c[0] == '<' && cmp <= 0)
            all_before = TRUE;
          else if (c[0] == '=' && cmp < 0)
            all_before = TRUE;
          else if (c[0] == '=' && cmp >= 0)
            all_after = TRUE;
          else if (c[0] == '>' && cmp >= 0)
            all_after = TRUE;
        }
      else if (*c != '\0')
        {
          return DHCP_UNKNOWN;
        }
    }

  if (all_before && !all_after)
    return DHCP_BOOL;
  if (all_after && !all_before)
    return DHCP_SWITCH;

  return DHCP_UNKNOWN;
}

static DhcpStyle
dhcp_style (UniManifest *manifest,
            const char  *version_text)
{
  guint version[3];

  switch (uni_manifest_get_era (manifest))
    {
    case UNI_MIRAGE_ERA_2_KEYS:
    case UNI_MIRAGE_ERA_3:
    case UNI_MIRAGE_ERA_4_0:
      return DHCP_BOOL;

    case UNI_MIRAGE_ERA_4_5:
      /* The tool that will run knows best; else the config's own pin. */
      if (parse_version (version_text, version))
        return compare_versions (version, no_dhcp_version) < 0 ? DHCP_BOOL : DHCP_SWITCH;
      return dhcp_style_for_pin (uni_manifest_get_version_pin (manifest, NULL));

    case UNI_MIRAGE_ERA_UNKNOWN:
    case UNI_MIRAGE_ERA_2_ENV:
    default:
      return DHCP_UNKNOWN;
    }
}

/* The value of @text when it is exactly one OCaml string literal. */
static char *
decode_string_literal (const char *text)
{
  g_autoptr(GArray) tokens = uni_ocaml_lex (text, strlen (text));
  const UniOcamlToken *token;

  if (tokens->len != 1)
    return NULL;

  token = &g_array_index (tokens, UniOcamlToken, 0);
  if ((token->kind != UNI_OCAML_TOKEN_STRING && token->kind != UNI_OCAML_TOKEN_QUOTED_STRING)
      || (token->flags & UNI_OCAML_TOKEN_FLAG_UNTERMINATED) != 0)
    return NULL;

  return uni_ocaml_string_literal_value (text, token);
}

static gboolean
is_int_literal (const char *text)
{
  const char *p = text;

  if (*p == '-')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p) && *p != '_')
        return FALSE;
    }

  return TRUE;
}

/* Turns the default as written in config.ml into what the user would type
 * after the flag: `8080`, `true`, `"tap0"` → tap0,
 * `Ipaddr.V4.of_string_exn "10.0.0.2"` → 10.0.0.2, `Some 80` → 80.
 * Defaults computed by code have no such form: %NULL.
 */
static char *
default_to_user_form (const char *default_text)
{
  g_autofree char *text = NULL;
  const char *quote;

  if (default_text == NULL)
    return NULL;

  text = g_strstrip (g_strdup (default_text));

  /* Outer parentheses, as in `(-1)` or `(Ipaddr.V4.of_string_exn "...")`. */
  while (text[0] == '(' && text[strlen (text) - 1] == ')')
    {
      char *inner = g_strstrip (g_strndup (text + 1, strlen (text) - 2));

      g_free (text);
      text = inner;
    }

  if (g_str_has_prefix (text, "Some ") || g_str_has_prefix (text, "Some("))
    return default_to_user_form (text + strlen ("Some"));

  if (is_int_literal (text))
    {
      GString *digits = g_string_new (NULL);

      for (const char *p = text; *p != '\0'; p++)
        {
          if (*p != '_')
            g_string_append_c (digits, *p);
        }
      return g_string_free (digits, FALSE);
    }

  if (strcmp (text, "true") == 0 || strcmp (text, "false") == 0)
    return g_strdup (text);

  if (text[0] == '"' || text[0] == '{')
    return decode_string_literal (text);

  /* `Module.Path.of_string_exn "literal"`, or `of_string`. */
  quote = strchr (text, '"');
  if (quote != NULL)
    {
      g_autofree char *function = g_strstrip (g_strndup (text, quote - text));

      if (g_str_has_suffix (function, "of_string_exn") || g_str_has_suffix (function, "of_string"))
        {
          for (const char *p = function; *p != '\0'; p++)
            {
              if (!g_ascii_isalnum (*p) && *p != '_' && *p != '.' && *p != '\'')
                return NULL;
            }
          return decode_string_literal (quote);
        }
    }

  return NULL;
}

/* The converter as the form and the validation understand it. */
static const char *
flag_type_for_key (const UniManifestKey *key)
{
  const char *type = key->type;

  if (g_strcmp0 (key->kind, "flag") == 0)
    return "switch";

  if (type == NULL)
    return "string";

  if (g_str_has_prefix (type, "some "))
    type += strlen ("some ");

  if (strcmp (type, "int") == 0
      || strcmp (type, "bool") == 0
      || strcmp (type, "string") == 0
      || strcmp (type, "ipv4_address") == 0
      || strcmp (type, "ipv4") == 0)
    return type;

  /* Lists, IPv6 and the rest are passed through as written. */
  return "string";
}

static gboolean
key_is_configure_time (const UniManifestKey *key)
{
  /* Without ~stage a 2.7–4.4 key is `Both, a 4.5+ Key a configure key. */
  return key->stage == NULL
         || strcmp (key->stage, "configure") == 0
         || strcmp (key->stage, "both") == 0;
}

/* The manifest names the store's folder, not how it is made; the flag
 * exists only for generic_kv_ro, so look for the call itself.
 */
static gboolean
uses_generic_kv_ro (UniManifest *manifest)
{
  g_autoptr(GArray) tokens = NULL;
  const char *text;
  gsize length = 0;

  if (g_strcmp0 (uni_manifest_get_static_store (manifest), "generic_kv_ro") == 0)
    return TRUE;

  text = uni_manifest_get_text (manifest, &length);
  if (text == NULL)
    return FALSE;

  tokens = uni_ocaml_lex (text, length);
  for (guint i = 0; i < tokens->len; i++)
    {
      const UniOcamlToken *token = &g_array_index (tokens, UniOcamlToken, i);

      if (token->kind == UNI_OCAML_TOKEN_LIDENT
          && uni_ocaml_token_equal (token, text, "generic_kv_ro"))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_flag (GPtrArray  *flags,
          const char *name)
{
  return uni_configure_flags_find (flags, name) != NULL;
}

static void
add_key_flags (GPtrArray   *flags,
               UniManifest *manifest)
{
  guint n_keys = uni_manifest_get_n_keys (manifest);

  for (guint i = 0; i < n_keys; i++)
    {
      const UniManifestKey *key = uni_manifest_get_key (manifest, i);
      const char *name;
      g_autofree char *default_value = NULL;

      /* mirage ignores a key no device lists in ~keys. */
      if (!key->attached || !key_is_configure_time (key))
        continue;

      name = (key->flags != NULL && key->flags[0] != NULL) ? key->flags[0] : key->name;
      if (name == NULL || *name == '\0' || has_flag (flags, name))
        continue;

      if (g_strcmp0 (key->kind, "flag") != 0)
        default_value = default_to_user_form (key->default_text);

      g_ptr_array_add (flags, flag_new (name, flag_type_for_key (key), NULL, default_value,
                                        key->doc, TRUE));
    }
}

/* A key that declares the flag itself wins over the tool's own. */
static void
add_builtin (GPtrArray          *flags,
             UniManifest        *manifest,
             const char         *name,
             const char         *type,
             const char * const *choices,
             const char         *default_value,
             const char         *doc)
{
  guint n_keys = uni_manifest_get_n_keys (manifest);

  for (guint i = 0; i < n_keys; i++)
    {
      const UniManifestKey *key = uni_manifest_get_key (manifest, i);

      if (key->flags != NULL && g_strv_contains ((const char * const *) key->flags, name))
        return;
    }

  if (has_flag (flags, name))
    return;

  g_ptr_array_add (flags, flag_new (name, type, choices, default_value, doc, FALSE));
}

static void
add_network_flags (GPtrArray   *flags,
                   UniManifest *manifest,
                   const char  *version)
{
  UniMirageEra era = uni_manifest_get_era (manifest);
  const char * const *net_choices = net_choices_2_3;

  if (era == UNI_MIRAGE_ERA_4_0 || era == UNI_MIRAGE_ERA_4_5)
    net_choices = net_choices_4;

  add_builtin (flags, manifest, "net", "enum", net_choices, NULL,
               _("Network stack: the host’s sockets or the unikernel’s own TCP/IP stack"));

  switch (dhcp_style (manifest, version))
    {
    case DHCP_BOOL:
      add_builtin (flags, manifest, "dhcp", "bool", NULL, NULL,
                   _("Get the IP address from a DHCP server"));
      break;

    case DHCP_SWITCH:
      add_builtin (flags, manifest, "no-dhcp", "switch", NULL, NULL,
                   _("Do not use DHCP; use the configured IP address"));
      break;

    case DHCP_UNKNOWN:
    default:
      break;
    }

  switch (era)
    {
    case UNI_MIRAGE_ERA_2_KEYS:
      add_builtin (flags, manifest, "network", "string", NULL, NULL,
                   _("The network interface to use, such as 0 or tap0"));
      add_builtin (flags, manifest, "ip", "ipv4_address", NULL, NULL,
                   _("The unikernel’s IPv4 address, without DHCP"));
      add_builtin (flags, manifest, "netmask", "ipv4_address", NULL, NULL,
                   _("The IPv4 netmask, without DHCP"));
      /* `Key.Arg.(list ipv4)`: comma-separated. */
      add_builtin (flags, manifest, "gateways", "ipv4_address_list", NULL, NULL,
                   _("The IPv4 gateways, separated by commas, without DHCP"));
      break;

    case UNI_MIRAGE_ERA_3:
      add_builtin (flags, manifest, "interface", "string", NULL, NULL,
                   _("The network interface to use, such as tap0"));
      add_builtin (flags, manifest, "ipv4", "ipv4", NULL, NULL,
                   _("The unikernel’s IPv4 address and prefix, such as 10.0.0.2/24"));
      add_builtin (flags, manifest, "ipv4-gateway", "ipv4_address", NULL, NULL,
                   _("The IPv4 gateway"));
      break;

    case UNI_MIRAGE_ERA_4_0:
      /* Still configure-time here; from 4.5 they are boot arguments. */
      add_builtin (flags, manifest, "ipv4", "ipv4", NULL, NULL,
                   _("The unikernel’s IPv4 address and prefix, such as 10.0.0.2/24"));
      add_builtin (flags, manifest, "ipv4-gateway", "ipv4_address", NULL, NULL,
                   _("The IPv4 gateway"));
      break;

    case UNI_MIRAGE_ERA_UNKNOWN:
    case UNI_MIRAGE_ERA_2_ENV:
    case UNI_MIRAGE_ERA_4_5:
    default:
      break;
    }
}

/**
 * uni_configure_flag_free:
 * @flag: (transfer full) (nullable): a #UniConfigureFlag
 */
void
uni_configure_flag_free (UniConfigureFlag *flag)
{
  if (flag == NULL)
    return;

  g_free (flag->name);
  g_free (flag->type);
  g_strfreev (flag->choices);
  g_free (flag->default_value);
  g_free (flag->doc);
  g_free (flag);
}

/**
 * uni_configure_flags_for_manifest:
 * @manifest: a #UniManifest
 *
 * The flags `mirage configure` accepts for this config.ml, as far as the
 * config itself tells: see uni_configure_flags_for_mirage_version().
 *
 * Returns: (transfer container) (element-type UniConfigureFlag): the flags
 */
GPtrArray *
uni_configure_flags_for_manifest (UniManifest *manifest)
{
  return uni_configure_flags_for_mirage_version (manifest, NULL);
}

/**
 * uni_configure_flags_for_mirage_version:
 * @manifest: a #UniManifest
 * @version: (nullable): the version of the `mirage` that will run, as
 *   `mirage --version` prints it, when known
 *
 * The flags `mirage configure` accepts for this config.ml: passing one
 * that does not exist fails with "unknown option", so only the flags
 * something in the config declares are listed. First the keys, in the
 * order of the file, that are attached to a device and exist at configure
 * time (not `~stage:`Run`; 4.5+ runtime arguments are boot arguments, not
 * flags), each under its first command-line name; then the flags
 * the era's tool adds itself: the network stack's when the config uses
 * one, `kv_ro` when it calls generic_kv_ro, `no-opam` in 2.x.
 *
 * mirage 4.11 replaced `--dhcp BOOL` with `--no-dhcp`. For a 4.5+ config
 * the choice follows @version, else the config's version pin; when
 * neither settles it, neither flag is listed rather than a wrong one.
 * A 2.0–2.6 config reads its network settings from environment variables,
 * which are no flags. When the era cannot be told, neither the network
 * stack's flags nor `kv_ro` are listed.
 *
 * Returns: (transfer container) (element-type UniConfigureFlag): the flags
 */
GPtrArray *
uni_configure_flags_for_mirage_version (UniManifest *manifest,
                                        const char  *version)
{
  g_autoptr(GPtrArray) flags = NULL;
  UniMirageEra era;

  g_return_val_if_fail (UNI_IS_MANIFEST (manifest), NULL);

  flags = g_ptr_array_new_with_free_func ((GDestroyNotify) uni_configure_flag_free);
  era = uni_manifest_get_era (manifest);

  add_key_flags (flags, manifest);

  /* Which --net choices exist depends on the era; guessing could offer
   * a flag the tool rejects.
   */
  if (era != UNI_MIRAGE_ERA_UNKNOWN && era != UNI_MIRAGE_ERA_2_ENV
      && uni_manifest_get_uses_network (manifest))
    add_network_flags (flags, manifest, version);

  if (era != UNI_MIRAGE_ERA_UNKNOWN && era != UNI_MIRAGE_ERA_2_ENV
      && uses_generic_kv_ro (manifest))
    add_builtin (flags, manifest, "kv_ro", "enum", kv_ro_choices, NULL,
                 _("How the static files are stored: built into the kernel (crunch), "
                   "on a FAT or archive disk image, or read from the host (direct)"));

  if (era == UNI_MIRAGE_ERA_2_ENV || era == UNI_MIRAGE_ERA_2_KEYS)
    add_builtin (flags, manifest, "no-opam", "switch", NULL, NULL,
                 _("Do not install the opam packages the unikernel needs"));

  return g_steal_pointer (&flags);
}

/**
 * uni_configure_flags_find:
 * @flags: (element-type UniConfigureFlag): flags
 * @name: a flag name without dashes
 *
 * Returns: (transfer none) (nullable): the flag called @name
 */
const UniConfigureFlag *
uni_configure_flags_find (GPtrArray  *flags,
                          const char *name)
{
  g_return_val_if_fail (flags != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < flags->len; i++)
    {
      const UniConfigureFlag *flag = g_ptr_array_index (flags, i);

      if (g_strcmp0 (flag->name, name) == 0)
        return flag;
    }

  return NULL;
}

static gboolean
is_decimal (const char *value)
{
  const char *p = value;

  if (*p == '-')
    p++;
  if (*p == '\0')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
    }

  return g_ascii_string_to_signed (value, 10, G_MININT64, G_MAXINT64, NULL, NULL);
}

static gboolean
is_number_in_range (const char *text,
                    gsize       length,
                    guint       max)
{
  guint number = 0;

  /* No sign, no leading zeros, three digits at most. */
  if (length == 0 || length > 3 || (length > 1 && text[0] == '0'))
    return FALSE;

  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      number = number * 10 + (guint) (text[i] - '0');
    }

  return number <= max;
}

static gboolean
is_ipv4_address (const char *value,
                 gsize       length)
{
  gsize start = 0;
  guint parts = 0;

  for (gsize i = 0; i <= length; i++)
    {
      if (i == length || value[i] == '.')
        {
          if (!is_number_in_range (value + start, i - start, 255))
            return FALSE;
          parts++;
          start = i + 1;
        }
    }

  return parts == 4;
}

/* "10.0.0.1,10.0.0.254": no spaces, no empty element. */
static gboolean
is_ipv4_address_list (const char *value)
{
  const char *start = value;

  for (const char *p = value;; p++)
    {
      if (*p == ',' || *p == '\0')
        {
          if (!is_ipv4_address (start, p - start))
            return FALSE;
          if (*p == '\0')
            return TRUE;
          start = p + 1;
        }
    }
}

static gboolean
is_ipv4_prefix (const char *value)
{
  const char *slash = strchr (value, '/');

  if (slash == NULL)
    return FALSE;

  return is_ipv4_address (value, slash - value)
         && is_number_in_range (slash + 1, strlen (slash + 1), 32);
}

static gboolean
is_true_or_false (const char *value)
{
  return strcmp (value, "true") == 0 || strcmp (value, "false") == 0;
}

/**
 * uni_configure_flag_validate:
 * @flag: a #UniConfigureFlag
 * @value: the value the user typed
 * @error: return location for a #GError
 *
 * Checks @value against the flag's type before it reaches `mirage
 * configure`: a decimal for "int", `true`/`false` for "bool" and
 * "switch", one of the choices for "enum", a dotted quad for
 * "ipv4_address", dotted quads separated by commas for
 * "ipv4_address_list", `A.B.C.D/NN` for "ipv4", and non-empty text on one
 * line for anything else.
 *
 * Returns: %TRUE when @value fits; else %UNI_MANIFEST_ERROR_INVALID_VALUE
 *   with a message naming the expected form
 */
gboolean
uni_configure_flag_validate (const UniConfigureFlag  *flag,
                             const char              *value,
                             GError                 **error)
{
  g_autofree char *expected = NULL;
  const char *type;
  gboolean valid;

  g_return_val_if_fail (flag != NULL, FALSE);
  g_return_val_if_fail (flag->name != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  type = flag->type != NULL ? flag->type : "string";

  if (strcmp (type, "int") == 0)
    {
      valid = is_decimal (value);
      expected = g_strdup (_("a whole number, such as 8080"));
    }
  else if (strcmp (type, "bool") == 0 || strcmp (type, "switch") == 0)
    {
      valid = is_true_or_false (value);
      expected = g_strdup (_("true or false"));
    }
  else if (strcmp (type, "enum") == 0)
    {
      g_autofree char *choices = NULL;

      valid = flag->choices != NULL
              && g_strv_contains ((const char * const *) flag->choices, value);
      choices = flag->choices ? g_strjoinv (", ", flag->choices) : g_strdup ("");
      expected = g_strdup_printf (_("one of %s"), choices);
    }
  else if (strcmp (type, "ipv4_address") == 0)
    {
      valid = is_ipv4_address (value, strlen (value));
      expected = g_strdup (_("an IPv4 address, such as 10.0.0.2"));
    }
  else if (strcmp (type, "ipv4_address_list") == 0)
    {
      valid = is_ipv4_address_list (value);
      expected = g_strdup (_("IPv4 addresses separated by commas, such as 10.0.0.1,10.0.0.254"));
    }
  else if (strcmp (type, "ipv4") == 0)
    {
      valid = is_ipv4_prefix (value);
      expected = g_strdup (_("an IPv4 address with its prefix length, such as 10.0.0.2/24"));
    }
  else
    {
      valid = *value != '\0' && strpbrk (value, "\r\n") == NULL;
      expected = g_strdup (_("some text on one line"));
    }

  if (!valid)
    {
      g_set_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE,
                   _("“%s” is not a valid value for --%s: expected %s"),
                   value, flag->name, expected);
      return FALSE;
    }

  return TRUE;
}
