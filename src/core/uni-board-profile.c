/* uni-board-profile.c — how to reach one board: ssh host, user, port, options, xl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-board-profile"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-board.h"
#include "uni-board-profile.h"

#define GROUP_PREFIX "Board "

#define TYPE_KEY          "type"
#define HOST_KEY          "host"
#define USER_KEY          "user"
#define PORT_KEY          "port"
#define SSH_OPTIONS_KEY   "ssh-options"
#define REMOTE_FOLDER_KEY "remote-folder"
#define XL_SUDO_KEY       "xl-sudo"
#define BRIDGE_KEY        "bridge"

/* Linux's IFNAMSIZ less the terminating NUL. */
#define MAX_BRIDGE_NAME 15

struct _UniBoardProfile
{
  GObject    parent_instance;

  /* owned */
  char      *name;
  char      *board_type;
  char      *host;
  char      *user;
  char     **ssh_options;
  char      *remote_folder;
  char      *bridge;

  guint      port;
  gboolean   xl_sudo;
};

G_DEFINE_FINAL_TYPE (UniBoardProfile, uni_board_profile, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_BOARD_TYPE,
  PROP_HOST,
  PROP_USER,
  PROP_PORT,
  PROP_SSH_OPTIONS,
  PROP_REMOTE_FOLDER,
  PROP_XL_SUDO,
  PROP_BRIDGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The ssh -o keywords a profile may set. A profile is the user's own, but
 * it is also what `unistudio-cli --ssh-option` fills in from a command
 * line someone may have pasted: no option may weaken host key checking
 * (HostKeyAlias, CheckHostIP=no, StrictHostKeyChecking=no or accept-new...)
 * or run a command here (ProxyCommand, LocalCommand, KnownHostsCommand...).
 * Anything not listed is refused, the same way for keywords newer ssh
 * versions add. Choosing the known_hosts files keeps the checking on: a
 * key missing from them fails the connection. The port, the user and the
 * host have fields of their own.
 */
static const struct
{
  const char        *keyword;
  /* %NULL: any one word; otherwise the only values allowed */
  const char * const values[3];
} allowed_ssh_options[] = {
  { "AddressFamily", { NULL } },
  { "BatchMode", { "yes", NULL } },
  { "Compression", { NULL } },
  { "ConnectTimeout", { NULL } },
  { "GlobalKnownHostsFile", { NULL } },
  { "IdentitiesOnly", { NULL } },
  { "IdentityFile", { NULL } },
  { "LogLevel", { NULL } },
  { "ProxyJump", { NULL } },
  { "ServerAliveCountMax", { NULL } },
  { "ServerAliveInterval", { NULL } },
  { "StrictHostKeyChecking", { "yes", "ask", NULL } },
  { "UserKnownHostsFile", { NULL } },
};

static gboolean
has_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        return TRUE;
    }

  return FALSE;
}

static gboolean
has_space_or_control (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_board_type (const char *type)
{
  if (type == NULL || *type == '\0')
    return FALSE;

  for (const char *p = type; *p != '\0'; p++)
    {
      if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
        return FALSE;
    }

  return TRUE;
}

/* A host or user name that ssh reads as one word and as no option. */
static gboolean
is_ssh_word (const char *word)
{
  return word[0] != '\0'
         && word[0] != '-'
         && strchr (word, '@') == NULL
         && !has_space_or_control (word)
         && g_utf8_validate (word, -1, NULL);
}

static gboolean
set_string (char       **field,
            const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);

  return TRUE;
}

static void
uni_board_profile_finalize (GObject *object)
{
  UniBoardProfile *self = UNI_BOARD_PROFILE (object);

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->board_type, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->ssh_options, g_strfreev);
  g_clear_pointer (&self->remote_folder, g_free);
  g_clear_pointer (&self->bridge, g_free);

  G_OBJECT_CLASS (uni_board_profile_parent_class)->finalize (object);
}

static void
uni_board_profile_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  UniBoardProfile *self = UNI_BOARD_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_BOARD_TYPE:
      g_value_set_string (value, self->board_type);
      break;

    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;

    case PROP_USER:
      g_value_set_string (value, self->user);
      break;

    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;

    case PROP_SSH_OPTIONS:
      g_value_set_boxed (value, self->ssh_options);
      break;

    case PROP_REMOTE_FOLDER:
      g_value_set_string (value, self->remote_folder);
      break;

    case PROP_XL_SUDO:
      g_value_set_boolean (value, self->xl_sudo);
      break;

    case PROP_BRIDGE:
      g_value_set_string (value, self->bridge);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_profile_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  UniBoardProfile *self = UNI_BOARD_PROFILE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      uni_board_profile_set_name (self, g_value_get_string (value));
      break;

    case PROP_BOARD_TYPE:
      uni_board_profile_set_board_type (self, g_value_get_string (value));
      break;

    case PROP_HOST:
      uni_board_profile_set_host (self, g_value_get_string (value));
      break;

    case PROP_USER:
      uni_board_profile_set_user (self, g_value_get_string (value));
      break;

    case PROP_PORT:
      uni_board_profile_set_port (self, g_value_get_uint (value));
      break;

    case PROP_SSH_OPTIONS:
      uni_board_profile_set_ssh_options (self, g_value_get_boxed (value));
      break;

    case PROP_REMOTE_FOLDER:
      uni_board_profile_set_remote_folder (self, g_value_get_string (value));
      break;

    case PROP_XL_SUDO:
      uni_board_profile_set_xl_sudo (self, g_value_get_boolean (value));
      break;

    case PROP_BRIDGE:
      uni_board_profile_set_bridge (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_board_profile_class_init (UniBoardProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = uni_board_profile_finalize;
  object_class->get_property = uni_board_profile_get_property;
  object_class->set_property = uni_board_profile_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_BOARD_TYPE] = g_param_spec_string ("board-type", NULL, NULL, NULL, flags);
  properties[PROP_HOST] = g_param_spec_string ("host", NULL, NULL, NULL, flags);
  properties[PROP_USER] = g_param_spec_string ("user", NULL, NULL, NULL, flags);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);
  properties[PROP_SSH_OPTIONS] = g_param_spec_boxed ("ssh-options", NULL, NULL,
                                                     G_TYPE_STRV, flags);
  properties[PROP_REMOTE_FOLDER] = g_param_spec_string ("remote-folder", NULL, NULL, NULL,
                                                        flags);
  properties[PROP_XL_SUDO] = g_param_spec_boolean ("xl-sudo", NULL, NULL, FALSE, flags);
  properties[PROP_BRIDGE] = g_param_spec_string ("bridge", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
uni_board_profile_init (UniBoardProfile *self)
{
  self->ssh_options = g_new0 (char *, 1);
}

/**
 * uni_board_profile_new:
 * @name: the profile's name, as the user calls the board
 * @board_type: a board type id ("cubieboard2", "xen-host")
 *
 * A profile with nothing else set; uni_board_new_profile() fills in the
 * board's defaults.
 *
 * Returns: (transfer full): a new profile
 */
UniBoardProfile *
uni_board_profile_new (const char *name,
                       const char *board_type)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (board_type != NULL, NULL);

  return g_object_new (UNI_TYPE_BOARD_PROFILE,
                       "name", name,
                       "board-type", board_type,
                       NULL);
}

/**
 * uni_board_profile_copy:
 * @self: a #UniBoardProfile
 *
 * Returns: (transfer full): a new profile with the same values, for a form
 *   to edit without touching @self
 */
UniBoardProfile *
uni_board_profile_copy (UniBoardProfile *self)
{
  UniBoardProfile *copy;

  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  copy = uni_board_profile_new (self->name, self->board_type);
  copy->host = g_strdup (self->host);
  copy->user = g_strdup (self->user);
  copy->port = self->port;
  g_strfreev (copy->ssh_options);
  copy->ssh_options = g_strdupv (self->ssh_options);
  copy->remote_folder = g_strdup (self->remote_folder);
  copy->xl_sudo = self->xl_sudo;
  copy->bridge = g_strdup (self->bridge);

  return copy;
}

/**
 * uni_board_profile_equal:
 * @self: a #UniBoardProfile
 * @other: another
 *
 * Returns: whether every value is the same
 */
gboolean
uni_board_profile_equal (UniBoardProfile *self,
                         UniBoardProfile *other)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), FALSE);
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (other), FALSE);

  return g_strcmp0 (self->name, other->name) == 0
         && g_strcmp0 (self->board_type, other->board_type) == 0
         && g_strcmp0 (self->host, other->host) == 0
         && g_strcmp0 (self->user, other->user) == 0
         && self->port == other->port
         && g_strv_equal ((const char * const *) self->ssh_options,
                          (const char * const *) other->ssh_options)
         && g_strcmp0 (self->remote_folder, other->remote_folder) == 0
         && self->xl_sudo == other->xl_sudo
         && g_strcmp0 (self->bridge, other->bridge) == 0;
}

const char *
uni_board_profile_get_name (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return self->name;
}

void
uni_board_profile_set_name (UniBoardProfile *self,
                            const char      *name)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (set_string (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
uni_board_profile_get_board_type (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return self->board_type;
}

void
uni_board_profile_set_board_type (UniBoardProfile *self,
                                  const char      *board_type)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (set_string (&self->board_type, board_type))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOARD_TYPE]);
}

const char *
uni_board_profile_get_host (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return self->host;
}

void
uni_board_profile_set_host (UniBoardProfile *self,
                            const char      *host)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (set_string (&self->host, host))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

/**
 * uni_board_profile_get_user:
 * @self: a #UniBoardProfile
 *
 * Returns: (nullable): the user to log in as; %NULL leaves it to ssh
 *   (~/.ssh/config, else the local user name)
 */
const char *
uni_board_profile_get_user (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return self->user;
}

void
uni_board_profile_set_user (UniBoardProfile *self,
                            const char      *user)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (set_string (&self->user, user))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
}

/**
 * uni_board_profile_get_port:
 * @self: a #UniBoardProfile
 *
 * Returns: the ssh port, 0 to leave it to ssh (~/.ssh/config, else 22)
 */
guint
uni_board_profile_get_port (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), 0);

  return self->port;
}

void
uni_board_profile_set_port (UniBoardProfile *self,
                            guint            port)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));
  g_return_if_fail (port <= G_MAXUINT16);

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

/**
 * uni_board_profile_get_ssh_options:
 * @self: a #UniBoardProfile
 *
 * Returns: (transfer none) (array zero-terminated=1): the "Keyword=value"
 *   options, never %NULL
 */
const char * const *
uni_board_profile_get_ssh_options (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return (const char * const *) self->ssh_options;
}

/**
 * uni_board_profile_set_ssh_options:
 * @self: a #UniBoardProfile
 * @options: (nullable) (array zero-terminated=1): "Keyword=value" options
 */
void
uni_board_profile_set_ssh_options (UniBoardProfile    *self,
                                   const char * const *options)
{
  static const char * const none[] = { NULL };

  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (options == NULL)
    options = none;
  if (g_strv_equal ((const char * const *) self->ssh_options, options))
    return;

  g_strfreev (self->ssh_options);
  self->ssh_options = g_strdupv ((char **) options);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SSH_OPTIONS]);
}

/**
 * uni_board_profile_get_remote_folder:
 * @self: a #UniBoardProfile
 *
 * Returns: (nullable): the folder set by the user, %NULL for the default
 *   (see uni_board_profile_dup_remote_folder())
 */
const char *
uni_board_profile_get_remote_folder (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return self->remote_folder;
}

void
uni_board_profile_set_remote_folder (UniBoardProfile *self,
                                     const char      *folder)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (set_string (&self->remote_folder, folder))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REMOTE_FOLDER]);
}

gboolean
uni_board_profile_get_xl_sudo (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), FALSE);

  return self->xl_sudo;
}

void
uni_board_profile_set_xl_sudo (UniBoardProfile *self,
                               gboolean         xl_sudo)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  xl_sudo = !!xl_sudo;
  if (self->xl_sudo == xl_sudo)
    return;

  self->xl_sudo = xl_sudo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_XL_SUDO]);
}

/**
 * uni_board_profile_get_bridge:
 * @self: a #UniBoardProfile
 *
 * Returns: (nullable): the bridge the unikernel's network joins, %NULL to
 *   use the one the board has (its status lists them)
 */
const char *
uni_board_profile_get_bridge (UniBoardProfile *self)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);

  return self->bridge;
}

void
uni_board_profile_set_bridge (UniBoardProfile *self,
                              const char      *bridge)
{
  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));

  if (set_string (&self->bridge, bridge))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BRIDGE]);
}

/**
 * uni_board_profile_check_name:
 * @name: a profile name
 * @error: return location for a #GError
 *
 * A name is what the user calls the board; it is also a group of the
 * profiles file and a value in the project's settings, so it cannot hold
 * brackets or control characters, nor start or end with a space.
 *
 * Returns: %TRUE, or %FALSE with %UNI_BOARD_ERROR_INVALID_PROFILE
 */
gboolean
uni_board_profile_check_name (const char  *name,
                              GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (name == NULL || *name == '\0')
    {
      g_set_error_literal (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                           _("A board needs a name"));
      return FALSE;
    }

  if (!g_utf8_validate (name, -1, NULL)
      || g_ascii_isspace (name[0])
      || g_ascii_isspace (name[strlen (name) - 1])
      || strpbrk (name, "[]") != NULL
      || has_control (name))
    {
      g_autofree char *shown = g_utf8_make_valid (name, -1);

      g_strdelimit (shown, "\n\r\t", ' ');
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("“%s” cannot be the name of a board: leave out brackets, "
                     "line breaks and spaces at either end"), shown);
      return FALSE;
    }

  return TRUE;
}

/**
 * uni_board_profile_check_ssh_option:
 * @option: an ssh option, "Keyword=value"
 * @error: return location for a #GError
 *
 * Checks an option against the keywords a profile may set (none that
 * weakens host key checking or runs a command here) and its value: one
 * word that ssh cannot read as an option of its own.
 *
 * Returns: %TRUE, or %FALSE with %UNI_BOARD_ERROR_INVALID_PROFILE
 */
gboolean
uni_board_profile_check_ssh_option (const char  *option,
                                    GError     **error)
{
  const char *eq;
  g_autofree char *keyword = NULL;
  const char *value;

  g_return_val_if_fail (option != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  eq = strchr (option, '=');
  if (eq == NULL || eq == option || !g_utf8_validate (option, -1, NULL))
    {
      g_autofree char *shown = g_utf8_make_valid (option, -1);

      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("“%s” is not an ssh option: write it as Keyword=value"), shown);
      return FALSE;
    }

  keyword = g_strndup (option, eq - option);
  value = eq + 1;

  for (guint i = 0; i < G_N_ELEMENTS (allowed_ssh_options); i++)
    {
      const char * const *values = allowed_ssh_options[i].values;

      if (g_ascii_strcasecmp (keyword, allowed_ssh_options[i].keyword) != 0)
        continue;

      if (value[0] == '\0' || value[0] == '-' || has_space_or_control (value)
          || strpbrk (value, "\"'\\") != NULL)
        {
          g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                       _("“%s” is not a value for the ssh option “%s”: give one word, "
                         "without quotes"), value, keyword);
          return FALSE;
        }

      if (values[0] != NULL)
        {
          gboolean allowed = FALSE;

          for (guint j = 0; values[j] != NULL; j++)
            allowed |= g_ascii_strcasecmp (value, values[j]) == 0;

          if (!allowed)
            {
              g_autofree char *list = g_strjoinv (", ", (char **) values);

              g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                           /* Translators: the last %s lists ssh values, do not translate them */
                           _("The ssh option “%s” cannot be “%s” for a board: host keys are "
                             "always checked and nothing may wait for a password unseen "
                             "(allowed: %s)"), keyword, value, list);
              return FALSE;
            }
        }

      return TRUE;
    }

  {
    g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
    g_auto(GStrv) keywords = NULL;
    g_autofree char *list = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (allowed_ssh_options); i++)
      g_strv_builder_add (builder, allowed_ssh_options[i].keyword);
    keywords = g_strv_builder_end (builder);
    list = g_strjoinv (", ", keywords);

    g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                 /* Translators: the second %s lists ssh keywords, do not translate them */
                 _("The ssh option “%s” is not allowed for a board; put it in ~/.ssh/config "
                   "under the board's host instead. A board may set: %s"), keyword, list);
  }

  return FALSE;
}

/**
 * uni_board_profile_check:
 * @self: a #UniBoardProfile
 * @error: return location for a #GError
 *
 * Checks every value: the name, the board type, a host and a user ssh
 * reads as one word and no option (no leading `-`, no space, no `@`: the
 * user has its own field), the ssh options (see
 * uni_board_profile_check_ssh_option()), a remote folder without control
 * characters, a bridge name Linux could have.
 *
 * Returns: %TRUE, or %FALSE with %UNI_BOARD_ERROR_INVALID_PROFILE and a
 *   message naming the value
 */
gboolean
uni_board_profile_check (UniBoardProfile  *self,
                         GError          **error)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!uni_board_profile_check_name (self->name, error))
    return FALSE;

  if (!is_board_type (self->board_type))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("The board “%s” has no board type"), self->name);
      return FALSE;
    }

  if (self->host == NULL || self->host[0] == '\0')
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("The board “%s” has no host: give its name, address or ssh alias"),
                   self->name);
      return FALSE;
    }
  if (!is_ssh_word (self->host))
    {
      g_autofree char *shown = g_utf8_make_valid (self->host, -1);

      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("“%s” is not a host name: give a name, an address or an ssh alias, "
                     "without spaces, a leading “-” or a user (the user has a field of "
                     "its own)"), shown);
      return FALSE;
    }

  if (self->user != NULL && !is_ssh_word (self->user))
    {
      g_autofree char *shown = g_utf8_make_valid (self->user, -1);

      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("“%s” is not a user name"), shown);
      return FALSE;
    }

  for (guint i = 0; self->ssh_options[i] != NULL; i++)
    {
      if (!uni_board_profile_check_ssh_option (self->ssh_options[i], error))
        return FALSE;
    }

  if (self->remote_folder != NULL
      && (self->remote_folder[0] == '\0' || has_control (self->remote_folder)
          || !g_utf8_validate (self->remote_folder, -1, NULL)))
    {
      g_autofree char *shown = g_utf8_make_valid (self->remote_folder, -1);

      g_strdelimit (shown, "\n\r\t", ' ');
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("“%s” cannot be a folder on the board"), shown);
      return FALSE;
    }

  if (self->bridge != NULL
      && (self->bridge[0] == '\0' || strlen (self->bridge) > MAX_BRIDGE_NAME
          || g_str_equal (self->bridge, ".") || g_str_equal (self->bridge, "..")
          || strpbrk (self->bridge, "/:") != NULL || has_space_or_control (self->bridge)
          || !g_utf8_validate (self->bridge, -1, NULL)))
    {
      g_autofree char *shown = g_utf8_make_valid (self->bridge, -1);

      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("“%s” is not a bridge name: Linux names a network device in at "
                     "most 15 characters, without spaces, “/” or “:”"), shown);
      return FALSE;
    }

  return TRUE;
}

/**
 * uni_board_profile_dup_remote_folder:
 * @self: a #UniBoardProfile
 * @project_name: the project's name (its folder's name)
 *
 * Where a project's files go on the board: the profile's folder, else
 * `~/unistudio/PROJECT_NAME`. A leading "~/" is the login's home, left for
 * the board's shell to expand (uni_run_context_dup_shell_command() keeps
 * it unquoted).
 *
 * Returns: (transfer full): the folder
 */
char *
uni_board_profile_dup_remote_folder (UniBoardProfile *self,
                                     const char      *project_name)
{
  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);
  g_return_val_if_fail (project_name != NULL && *project_name != '\0', NULL);

  if (self->remote_folder != NULL)
    return g_strdup (self->remote_folder);

  return g_strconcat (UNI_BOARD_PROFILE_DEFAULT_REMOTE_PARENT "/", project_name, NULL);
}

/**
 * uni_board_profile_dup_xl_argv:
 * @self: a #UniBoardProfile
 * @xl_args: (array zero-terminated=1): xl's arguments ("list", "create", ...)
 * @interactive: whether someone sees a terminal and can type a password
 *
 * The command that runs xl on the board: `xl ARGS`, or with "xl-sudo"
 * `sudo xl ARGS` when @interactive and `sudo -n xl ARGS` otherwise, so a
 * poll fails at once ("a password is required") where a prompt would
 * wait for ever.
 *
 * Returns: (transfer full) (array zero-terminated=1): the argv
 */
char **
uni_board_profile_dup_xl_argv (UniBoardProfile    *self,
                               const char * const *xl_args,
                               gboolean            interactive)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (UNI_IS_BOARD_PROFILE (self), NULL);
  g_return_val_if_fail (xl_args != NULL, NULL);

  if (self->xl_sudo)
    {
      g_strv_builder_add (builder, "sudo");
      if (!interactive)
        g_strv_builder_add (builder, "-n");
    }
  g_strv_builder_add (builder, "xl");
  g_strv_builder_addv (builder, (const char **) xl_args);

  return g_strv_builder_end (builder);
}

/**
 * uni_board_profile_dup_group_name:
 * @name: a profile name
 *
 * Returns: (transfer full): the group of the profiles file that holds it,
 *   "Board NAME"
 */
char *
uni_board_profile_dup_group_name (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  return g_strconcat (GROUP_PREFIX, name, NULL);
}

/**
 * uni_board_profile_dup_name_from_group:
 * @group: a group of the profiles file
 *
 * Returns: (transfer full) (nullable): the profile name of a "Board NAME"
 *   group, %NULL for any other group
 */
char *
uni_board_profile_dup_name_from_group (const char *group)
{
  g_return_val_if_fail (group != NULL, NULL);

  if (!g_str_has_prefix (group, GROUP_PREFIX))
    return NULL;

  return g_strdup (group + strlen (GROUP_PREFIX));
}

static char *
dup_optional_string (GKeyFile    *key_file,
                     const char  *group,
                     const char  *key,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *value = g_key_file_get_string (key_file, group, key, &local_error);

  if (local_error != NULL && !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                               G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   "[%s] %s=: %s", group, key, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&value);
}

/**
 * uni_board_profile_new_from_key_file:
 * @key_file: the profiles file, read
 * @group: one of its "Board NAME" groups
 * @error: return location for a #GError
 *
 * Reads a profile and checks it (uni_board_profile_check()). Keys it does
 * not know are ignored.
 *
 * Returns: (transfer full): the profile, or %NULL with
 *   %UNI_BOARD_ERROR_INVALID_PROFILE naming the group and the value
 */
UniBoardProfile *
uni_board_profile_new_from_key_file (GKeyFile    *key_file,
                                     const char  *group,
                                     GError     **error)
{
  g_autoptr(UniBoardProfile) profile = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *type = NULL;
  g_autofree char *port = NULL;
  g_autofree char *xl_sudo = NULL;
  g_auto(GStrv) options = NULL;

  g_return_val_if_fail (key_file != NULL, NULL);
  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = uni_board_profile_dup_name_from_group (group);
  if (name == NULL)
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   _("[%s] is not a board: board groups are named “Board NAME”"), group);
      return NULL;
    }

  type = dup_optional_string (key_file, group, TYPE_KEY, error);
  if (type == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                     /* Translators: [%s] is a group of the file, type= a key */
                     _("[%s] has no type= (the board type, such as cubieboard2)"), group);
      return NULL;
    }

  profile = uni_board_profile_new (name, type);

  profile->host = dup_optional_string (key_file, group, HOST_KEY, &local_error);
  if (local_error == NULL)
    profile->user = dup_optional_string (key_file, group, USER_KEY, &local_error);
  if (local_error == NULL)
    profile->remote_folder = dup_optional_string (key_file, group, REMOTE_FOLDER_KEY,
                                                  &local_error);
  if (local_error == NULL)
    profile->bridge = dup_optional_string (key_file, group, BRIDGE_KEY, &local_error);
  if (local_error == NULL)
    port = dup_optional_string (key_file, group, PORT_KEY, &local_error);
  if (local_error == NULL)
    xl_sudo = dup_optional_string (key_file, group, XL_SUDO_KEY, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  if (port != NULL)
    {
      guint64 value = 0;

      if (!g_ascii_string_to_unsigned (port, 10, 0, G_MAXUINT16, &value, NULL))
        {
          g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                       /* Translators: [%s] is a group of the file, port= a key */
                       _("[%s] port=%s is not a port number (1–65535, or 0 for ssh's own)"),
                       group, port);
          return NULL;
        }
      profile->port = value;
    }

  if (xl_sudo != NULL)
    {
      if (g_str_equal (xl_sudo, "true"))
        profile->xl_sudo = TRUE;
      else if (!g_str_equal (xl_sudo, "false"))
        {
          g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                       /* Translators: [%s] is a group of the file, xl-sudo= a key */
                       _("[%s] xl-sudo=%s is neither true nor false"), group, xl_sudo);
          return NULL;
        }
    }

  options = g_key_file_get_string_list (key_file, group, SSH_OPTIONS_KEY, NULL, &local_error);
  if (local_error != NULL && !g_error_matches (local_error, G_KEY_FILE_ERROR,
                                               G_KEY_FILE_ERROR_KEY_NOT_FOUND))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   "[%s] " SSH_OPTIONS_KEY "=: %s", group, local_error->message);
      return NULL;
    }
  g_clear_error (&local_error);
  if (options != NULL)
    {
      g_strfreev (profile->ssh_options);
      profile->ssh_options = g_steal_pointer (&options);
    }

  if (!uni_board_profile_check (profile, &local_error))
    {
      g_set_error (error, UNI_BOARD_ERROR, UNI_BOARD_ERROR_INVALID_PROFILE,
                   "[%s] %s", group, local_error->message);
      return NULL;
    }

  return g_steal_pointer (&profile);
}

static void
set_or_remove (GKeyFile   *key_file,
               const char *group,
               const char *key,
               const char *value)
{
  if (value != NULL)
    g_key_file_set_string (key_file, group, key, value);
  else
    g_key_file_remove_key (key_file, group, key, NULL);
}

/**
 * uni_board_profile_to_key_file:
 * @self: a #UniBoardProfile
 * @key_file: the profiles file
 *
 * Writes the profile's values into its group ("Board NAME"), removing the
 * keys of unset values; other keys of the group and their comments stay.
 */
void
uni_board_profile_to_key_file (UniBoardProfile *self,
                               GKeyFile        *key_file)
{
  g_autofree char *group = NULL;
  g_autofree char *port = NULL;

  g_return_if_fail (UNI_IS_BOARD_PROFILE (self));
  g_return_if_fail (key_file != NULL);
  g_return_if_fail (self->name != NULL && self->board_type != NULL);

  group = uni_board_profile_dup_group_name (self->name);
  if (self->port != 0)
    port = g_strdup_printf ("%u", self->port);

  g_key_file_set_string (key_file, group, TYPE_KEY, self->board_type);
  set_or_remove (key_file, group, HOST_KEY, self->host);
  set_or_remove (key_file, group, USER_KEY, self->user);
  set_or_remove (key_file, group, PORT_KEY, port);
  if (self->ssh_options[0] != NULL)
    g_key_file_set_string_list (key_file, group, SSH_OPTIONS_KEY,
                                (const char * const *) self->ssh_options,
                                g_strv_length (self->ssh_options));
  else
    g_key_file_remove_key (key_file, group, SSH_OPTIONS_KEY, NULL);
  set_or_remove (key_file, group, REMOTE_FOLDER_KEY, self->remote_folder);
  g_key_file_set_boolean (key_file, group, XL_SUDO_KEY, self->xl_sudo);
  set_or_remove (key_file, group, BRIDGE_KEY, self->bridge);
}
