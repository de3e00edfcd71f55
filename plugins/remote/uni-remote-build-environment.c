/* uni-remote-build-environment.c — builds on another machine over ssh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-remote-build-environment"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-build-environment-base.h"
#include "uni-builtin-plugins.h"
#include "uni-project-settings.h"

#define UNI_TYPE_REMOTE_BUILD_ENVIRONMENT (uni_remote_build_environment_get_type ())

G_DECLARE_FINAL_TYPE (UniRemoteBuildEnvironment, uni_remote_build_environment,
                      UNI, REMOTE_BUILD_ENVIRONMENT, UniBuildEnvironmentBase)

struct _UniRemoteBuildEnvironment
{
  UniBuildEnvironmentBase parent_instance;

  /* owned */
  char                    *host;
  char                    *user;
  char                    *port;
  char                   **ssh_options;
  char                    *remote_dir;
  char                    *arch;
  char                    *project_path;
};

/* What a pushed layer needs, copied: the context may outlive us. */
typedef struct
{
  char     *destination;
  char     *port;
  char    **ssh_options;
  char     *remote_dir;
  char     *project_path;
  gboolean  interactive;
} Wrap;

static void build_environment_iface_init (UniBuildEnvironmentInterface *iface);
static void initable_iface_init          (GInitableIface               *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (UniRemoteBuildEnvironment, uni_remote_build_environment,
                               UNI_TYPE_BUILD_ENVIRONMENT_BASE,
                               G_IMPLEMENT_INTERFACE (UNI_TYPE_BUILD_ENVIRONMENT,
                                                      build_environment_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, initable_iface_init))

static void
wrap_free (gpointer data)
{
  Wrap *wrap = data;

  g_free (wrap->destination);
  g_free (wrap->port);
  g_strfreev (wrap->ssh_options);
  g_free (wrap->remote_dir);
  g_free (wrap->project_path);
  g_free (wrap);
}

/* The remote folder matching @cwd: the same place inside the project's
 * copy, or the copy itself.
 */
static char *
dup_remote_cwd (Wrap       *wrap,
                const char *cwd)
{
  gsize len;

  if (cwd == NULL || wrap->project_path == NULL)
    return g_strdup (wrap->remote_dir);

  len = strlen (wrap->project_path);
  if (strncmp (cwd, wrap->project_path, len) != 0 || (cwd[len] != '\0' && cwd[len] != '/'))
    return g_strdup (wrap->remote_dir);

  while (cwd[len] == '/')
    len++;
  if (cwd[len] == '\0')
    return g_strdup (wrap->remote_dir);

  return g_build_filename (wrap->remote_dir, cwd + len, NULL);
}

/* ssh -tt [-o BatchMode=yes] [-p PORT] [-o K=V]… [USER@]HOST -- 'REMOTE COMMAND'
 *
 * ssh hands its command to the remote user's shell as one string, so this
 * is where argv becomes a shell string: uni_run_context_dup_shell_command()
 * quotes every element. "--" ends ssh's options, so nothing in the command
 * is read as one.
 *
 * -tt gives the remote command a terminal even when ours is a pipe: when
 * the local ssh dies (a stopped job) sshd hangs the session up and the
 * remote build gets SIGHUP; without a terminal it would run on. BatchMode
 * keeps a job nobody watches from waiting for a password.
 */
static gboolean
remote_wrap (const char * const  *argv,
             const char * const  *env,
             const char          *cwd,
             GPtrArray           *out_argv,
             GPtrArray           *out_env,
             char               **out_cwd,
             gpointer             user_data,
             GError             **error)
{
  Wrap *wrap = user_data;
  g_autofree char *remote_cwd = dup_remote_cwd (wrap, cwd);

  g_ptr_array_add (out_argv, g_strdup ("ssh"));
  g_ptr_array_add (out_argv, g_strdup ("-tt"));
  if (!wrap->interactive)
    {
      g_ptr_array_add (out_argv, g_strdup ("-o"));
      g_ptr_array_add (out_argv, g_strdup ("BatchMode=yes"));
    }
  if (wrap->port != NULL)
    {
      g_ptr_array_add (out_argv, g_strdup ("-p"));
      g_ptr_array_add (out_argv, g_strdup (wrap->port));
    }
  for (guint i = 0; wrap->ssh_options[i] != NULL; i++)
    {
      g_ptr_array_add (out_argv, g_strdup ("-o"));
      g_ptr_array_add (out_argv, g_strdup (wrap->ssh_options[i]));
    }
  g_ptr_array_add (out_argv, g_strdup (wrap->destination));
  g_ptr_array_add (out_argv, g_strdup ("--"));
  g_ptr_array_add (out_argv, uni_run_context_dup_shell_command (argv, env, remote_cwd));

  return TRUE;
}

static char *
dup_setting (UniRemoteBuildEnvironment *self,
             const char                *key)
{
  return uni_build_environment_base_dup_setting (UNI_BUILD_ENVIRONMENT_BASE (self), key);
}

/* A host or user name that ssh cannot read as an option or as two words. */
static gboolean
is_valid_name (const char *name)
{
  if (name[0] == '-')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '@')
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_port (const char *port)
{
  guint64 value = 0;

  return g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL);
}

/* The ssh -o keywords a project may set. project.ini travels with the
 * project, so an option must neither weaken host key checking
 * (StrictHostKeyChecking, UserKnownHostsFile, HostKeyAlias…) nor run a
 * command here (ProxyCommand, LocalCommand, KnownHostsCommand…): anything
 * not listed is refused, the same way for keywords newer ssh versions add.
 * The port has a key of its own (ssh-port=), and so has the user (user=).
 */
static const char * const allowed_ssh_options[] = {
  "AddressFamily",
  "Compression",
  "ConnectTimeout",
  "IdentitiesOnly",
  "IdentityFile",
  "LogLevel",
  "ProxyJump",
  "ServerAliveCountMax",
  "ServerAliveInterval",
  NULL
};

static gboolean
is_allowed_ssh_option (const char *keyword)
{
  for (guint i = 0; allowed_ssh_options[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (keyword, allowed_ssh_options[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

/* An ssh -o option: Keyword=value, the keyword from the list above, the
 * value one word that ssh cannot read as an option of its own.
 */
static gboolean
check_ssh_option (const char  *option,
                  GError     **error)
{
  const char *eq = strchr (option, '=');
  g_autofree char *keyword = NULL;
  const char *value;

  if (eq == NULL || eq == option)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: ssh-options= is a settings key, do not translate it */
                   _("“%s” in ssh-options= is not an ssh option: write it as Keyword=value"),
                   option);
      return FALSE;
    }

  keyword = g_strndup (option, eq - option);
  value = eq + 1;
  g_strstrip (keyword);

  if (!is_allowed_ssh_option (keyword))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) allowed_ssh_options);

      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: ssh-options= is a settings key; the second %s is a
                    * list of ssh keywords, do not translate them
                    */
                   _("The ssh option “%s” in ssh-options= is not allowed: a project may set "
                     "only %s"), keyword, allowed);
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                       _("The value of the ssh option “%s” must be one word"), keyword);
          return FALSE;
        }
    }
  if (value[0] == '\0' || value[0] == '-')
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   _("“%s” is not a value for the ssh option “%s”"), value, keyword);
      return FALSE;
    }

  return TRUE;
}

static gboolean
uni_remote_build_environment_initable_init (GInitable     *initable,
                                            GCancellable  *cancellable,
                                            GError       **error)
{
  UniRemoteBuildEnvironment *self = UNI_REMOTE_BUILD_ENVIRONMENT (initable);
  UniBuildEnvironmentBase *base = UNI_BUILD_ENVIRONMENT_BASE (self);
  UniProjectSettings *settings = uni_build_environment_base_get_settings (base);
  const char *target_id = uni_build_environment_base_get_target_id (base);
  g_autoptr(GFile) project_dir = NULL;
  g_autofree char *options = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (self->host == NULL)
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: %s is a target id, host= a settings key */
                   _("No remote host is set for the %s target: set host= in its settings"),
                   target_id != NULL ? target_id : "?");
      return FALSE;
    }
  if (!is_valid_name (self->host))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   _("“%s” is not a host name"), self->host);
      return FALSE;
    }
  if (self->user != NULL && !is_valid_name (self->user))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   _("“%s” is not a user name"), self->user);
      return FALSE;
    }
  if (self->port != NULL && !is_valid_port (self->port))
    {
      g_set_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                   /* Translators: ssh-port= is a settings key, do not translate it */
                   _("“%s” in ssh-port= is not a port number (1–65535)"), self->port);
      return FALSE;
    }

  /* A keyfile list: "Keyword=value;Keyword=value;". */
  options = dup_setting (self, "ssh-options");
  if (options != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (options, ";", -1);

      for (guint i = 0; parts[i] != NULL; i++)
        {
          g_strstrip (parts[i]);
          if (parts[i][0] == '\0')
            continue;
          if (!check_ssh_option (parts[i], error))
            return FALSE;
          g_strv_builder_add (builder, parts[i]);
        }
    }
  g_strfreev (self->ssh_options);
  self->ssh_options = g_strv_builder_end (builder);

  if (settings != NULL)
    g_object_get (settings, "project-dir", &project_dir, NULL);
  if (project_dir != NULL)
    self->project_path = g_file_get_path (project_dir);

  if (self->remote_dir == NULL)
    {
      g_autofree char *name = project_dir != NULL ? g_file_get_basename (project_dir) : NULL;

      self->remote_dir = g_strconcat ("~/unistudio/", name != NULL ? name : "project", NULL);
    }

  return TRUE;
}

static void
initable_iface_init (GInitableIface *iface)
{
  iface->init = uni_remote_build_environment_initable_init;
}

static const char *
uni_remote_build_environment_get_id (UniBuildEnvironment *env)
{
  return "remote";
}

static char *
uni_remote_build_environment_get_title (UniBuildEnvironment *env)
{
  UniRemoteBuildEnvironment *self = UNI_REMOTE_BUILD_ENVIRONMENT (env);

  if (self->host == NULL)
    return g_strdup (_("Remote Host"));
  if (self->user != NULL)
    return g_strdup_printf ("%s@%s", self->user, self->host);

  return g_strdup (self->host);
}

static const char *
uni_remote_build_environment_get_arch (UniBuildEnvironment *env)
{
  UniRemoteBuildEnvironment *self = UNI_REMOTE_BUILD_ENVIRONMENT (env);

  /* Known only from the settings until someone asks the machine. */
  return self->arch != NULL ? self->arch : "unknown";
}

static gboolean
uni_remote_build_environment_wrap (UniBuildEnvironment  *env,
                                   UniRunContext        *context,
                                   GError              **error)
{
  UniRemoteBuildEnvironment *self = UNI_REMOTE_BUILD_ENVIRONMENT (env);
  Wrap *wrap;

  if (self->host == NULL || self->ssh_options == NULL || self->remote_dir == NULL)
    {
      g_set_error_literal (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_NOT_CONFIGURED,
                           _("The remote build environment is not configured"));
      return FALSE;
    }

  wrap = g_new0 (Wrap, 1);
  wrap->destination = self->user != NULL
                      ? g_strdup_printf ("%s@%s", self->user, self->host)
                      : g_strdup (self->host);
  wrap->port = g_strdup (self->port);
  wrap->ssh_options = g_strdupv (self->ssh_options);
  wrap->remote_dir = g_strdup (self->remote_dir);
  wrap->project_path = g_strdup (self->project_path);
  wrap->interactive =
    uni_build_environment_base_get_interactive (UNI_BUILD_ENVIRONMENT_BASE (self));
  uni_run_context_push (context, remote_wrap, wrap, wrap_free);

  return TRUE;
}

static void
build_environment_iface_init (UniBuildEnvironmentInterface *iface)
{
  iface->get_id = uni_remote_build_environment_get_id;
  iface->get_title = uni_remote_build_environment_get_title;
  iface->get_arch = uni_remote_build_environment_get_arch;
  iface->wrap = uni_remote_build_environment_wrap;
}

static void
uni_remote_build_environment_constructed (GObject *object)
{
  UniRemoteBuildEnvironment *self = UNI_REMOTE_BUILD_ENVIRONMENT (object);

  G_OBJECT_CLASS (uni_remote_build_environment_parent_class)->constructed (object);

  self->host = dup_setting (self, "host");
  self->user = dup_setting (self, "user");
  self->port = dup_setting (self, "ssh-port");
  self->remote_dir = dup_setting (self, "remote-dir");
  self->arch = dup_setting (self, "arch");
}

static void
uni_remote_build_environment_finalize (GObject *object)
{
  UniRemoteBuildEnvironment *self = UNI_REMOTE_BUILD_ENVIRONMENT (object);

  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->user, g_free);
  g_clear_pointer (&self->port, g_free);
  g_clear_pointer (&self->ssh_options, g_strfreev);
  g_clear_pointer (&self->remote_dir, g_free);
  g_clear_pointer (&self->arch, g_free);
  g_clear_pointer (&self->project_path, g_free);

  G_OBJECT_CLASS (uni_remote_build_environment_parent_class)->finalize (object);
}

static void
uni_remote_build_environment_class_init (UniRemoteBuildEnvironmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = uni_remote_build_environment_constructed;
  object_class->finalize = uni_remote_build_environment_finalize;
}

static void
uni_remote_build_environment_init (UniRemoteBuildEnvironment *self)
{
}

void
uni_remote_register_types (PeasObjectModule *module)
{
  peas_object_module_register_extension_type (module,
                                              UNI_TYPE_BUILD_ENVIRONMENT,
                                              UNI_TYPE_REMOTE_BUILD_ENVIRONMENT);
}
