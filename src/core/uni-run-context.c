/* uni-run-context.c — argv, environment and folder, built in layers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-run-context"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "uni-run-context.h"

/* Every layer holds what was added while it was the newest one (argv,
 * "KEY=VALUE" additions, a folder), and, once built, what the layers
 * pushed after it produced. The root layer has no wrap: it is the result.
 */
typedef struct
{
  GPtrArray         *argv;
  GPtrArray         *env;
  char              *cwd;
  UniRunContextWrap  wrap;
  gpointer           user_data;
  GDestroyNotify     destroy;
} Layer;

struct _UniRunContext
{
  GObject    parent_instance;

  /* Layer*, the root first: the first pushed is the outermost. */
  GPtrArray *layers;
};

G_DEFINE_FINAL_TYPE (UniRunContext, uni_run_context, G_TYPE_OBJECT)

static Layer *
layer_new (UniRunContextWrap wrap,
           gpointer          user_data,
           GDestroyNotify    destroy)
{
  Layer *layer = g_new0 (Layer, 1);

  layer->argv = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  layer->env = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  layer->wrap = wrap;
  layer->user_data = user_data;
  layer->destroy = destroy;

  return layer;
}

static void
layer_free (gpointer data)
{
  Layer *layer = data;

  if (layer->destroy != NULL)
    layer->destroy (layer->user_data);
  g_ptr_array_unref (layer->argv);
  g_ptr_array_unref (layer->env);
  g_free (layer->cwd);
  g_free (layer);
}

static Layer *
current_layer (UniRunContext *self)
{
  g_assert (self->layers->len > 0);

  return g_ptr_array_index (self->layers, self->layers->len - 1);
}

/* An empty null-terminated GPtrArray may not have allocated its %NULL yet. */
static const char * const *
array_strv (GPtrArray *array)
{
  static const char * const empty[] = { NULL };

  return array->pdata != NULL ? (const char * const *) array->pdata : empty;
}

static gssize
find_env (GPtrArray  *env,
          const char *key,
          gsize       key_len)
{
  for (guint i = 0; i < env->len; i++)
    {
      const char *pair = g_ptr_array_index (env, i);

      if (strncmp (pair, key, key_len) == 0 && pair[key_len] == '=')
        return i;
    }

  return -1;
}

/* @pair is "KEY=VALUE"; a later value for a key replaces the earlier one. */
static void
env_set_pair (GPtrArray  *env,
              const char *pair)
{
  const char *eq = strchr (pair, '=');
  gssize index;

  g_assert (eq != NULL && eq != pair);

  index = find_env (env, pair, eq - pair);
  if (index >= 0)
    {
      g_free (g_ptr_array_index (env, index));
      g_ptr_array_index (env, index) = g_strdup (pair);
    }
  else
    {
      g_ptr_array_add (env, g_strdup (pair));
    }
}

static gboolean
is_env_pair (const char *pair)
{
  const char *eq = strchr (pair, '=');

  return eq != NULL && eq != pair;
}

static gboolean
wrap_identity (const char * const  *argv,
               const char * const  *env,
               const char          *cwd,
               GPtrArray           *out_argv,
               GPtrArray           *out_env,
               char               **out_cwd,
               gpointer             user_data,
               GError             **error)
{
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup (argv[i]));
  for (guint i = 0; env[i] != NULL; i++)
    g_ptr_array_add (out_env, g_strdup (env[i]));
  *out_cwd = g_strdup (cwd);

  return TRUE;
}

static gboolean
wrap_opam_switch (const char * const  *argv,
                  const char * const  *env,
                  const char          *cwd,
                  GPtrArray           *out_argv,
                  GPtrArray           *out_env,
                  char               **out_cwd,
                  gpointer             user_data,
                  GError             **error)
{
  const char *switch_name = user_data;

  /* --set-switch exports OPAMSWITCH, so the opam and make that mirage
   * starts use the same switch.
   */
  g_ptr_array_add (out_argv, g_strdup ("opam"));
  g_ptr_array_add (out_argv, g_strdup ("exec"));
  g_ptr_array_add (out_argv, g_strdup_printf ("--switch=%s", switch_name));
  g_ptr_array_add (out_argv, g_strdup ("--set-switch"));
  g_ptr_array_add (out_argv, g_strdup ("--"));

  return wrap_identity (argv, env, cwd, out_argv, out_env, out_cwd, NULL, error);
}

static gboolean
wrap_flatpak_host (const char * const  *argv,
                   const char * const  *env,
                   const char          *cwd,
                   GPtrArray           *out_argv,
                   GPtrArray           *out_env,
                   char               **out_cwd,
                   gpointer             user_data,
                   GError             **error)
{
  /* The sandbox's own environment and folder do not reach the host
   * process: both travel as flags. --watch-bus ends the host process when
   * we go away.
   */
  g_ptr_array_add (out_argv, g_strdup ("flatpak-spawn"));
  g_ptr_array_add (out_argv, g_strdup ("--host"));
  g_ptr_array_add (out_argv, g_strdup ("--watch-bus"));
  for (guint i = 0; env[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup_printf ("--env=%s", env[i]));
  if (cwd != NULL)
    g_ptr_array_add (out_argv, g_strdup_printf ("--directory=%s", cwd));
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (out_argv, g_strdup (argv[i]));

  return TRUE;
}

static void
uni_run_context_finalize (GObject *object)
{
  UniRunContext *self = UNI_RUN_CONTEXT (object);

  /* Inner layers first: a wrap's data may refer to an outer one's. */
  while (self->layers->len > 0)
    g_ptr_array_remove_index (self->layers, self->layers->len - 1);
  g_clear_pointer (&self->layers, g_ptr_array_unref);

  G_OBJECT_CLASS (uni_run_context_parent_class)->finalize (object);
}

static void
uni_run_context_class_init (UniRunContextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_run_context_finalize;
}

static void
uni_run_context_init (UniRunContext *self)
{
  self->layers = g_ptr_array_new_with_free_func (layer_free);
  g_ptr_array_add (self->layers, layer_new (NULL, NULL, NULL));
}

/**
 * uni_run_context_new:
 *
 * Returns: (transfer full): an empty context with only its root layer
 */
UniRunContext *
uni_run_context_new (void)
{
  return g_object_new (UNI_TYPE_RUN_CONTEXT, NULL);
}

/**
 * uni_run_context_push:
 * @self: a #UniRunContext
 * @wrap: rewrites the command of the layers pushed after this one
 * @user_data: passed to @wrap
 * @destroy: (nullable): frees @user_data with the context
 *
 * Adds a layer. What is set from now on (argv, environment, folder) goes
 * into it, and @wrap turns it into this layer's command when the context
 * is built. The first layer pushed is the outermost.
 */
void
uni_run_context_push (UniRunContext     *self,
                      UniRunContextWrap  wrap,
                      gpointer           user_data,
                      GDestroyNotify     destroy)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));
  g_return_if_fail (wrap != NULL);

  g_ptr_array_add (self->layers, layer_new (wrap, user_data, destroy));
}

/**
 * uni_run_context_push_host:
 * @self: a #UniRunContext
 *
 * Adds a layer that runs its command as it is, on this machine.
 */
void
uni_run_context_push_host (UniRunContext *self)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));

  uni_run_context_push (self, wrap_identity, NULL, NULL);
}

/**
 * uni_run_context_push_opam_switch:
 * @self: a #UniRunContext
 * @switch_name: an opam switch name or folder
 *
 * Adds a layer that runs its command with
 * `opam exec --switch=NAME --set-switch -- argv…`.
 */
void
uni_run_context_push_opam_switch (UniRunContext *self,
                                  const char    *switch_name)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));
  g_return_if_fail (switch_name != NULL && switch_name[0] != '\0');

  uni_run_context_push (self, wrap_opam_switch, g_strdup (switch_name), g_free);
}

/**
 * uni_run_context_push_flatpak_host:
 * @self: a #UniRunContext
 *
 * Adds a layer that leaves the Flatpak sandbox:
 * `flatpak-spawn --host --watch-bus [--env=K=V…] [--directory=CWD] argv…`.
 * The environment and folder of the layers after it become flags.
 */
void
uni_run_context_push_flatpak_host (UniRunContext *self)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));

  uni_run_context_push (self, wrap_flatpak_host, NULL, NULL);
}

/**
 * uni_run_context_is_sandboxed:
 *
 * Returns: %TRUE inside a Flatpak sandbox, where commands need
 *   uni_run_context_push_flatpak_host() to reach the host's tools
 */
gboolean
uni_run_context_is_sandboxed (void)
{
  /* For tests, which never run in a sandbox. */
  if (g_strcmp0 (g_getenv ("UNISTUDIO_FORCE_FLATPAK"), "1") == 0)
    return TRUE;

  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

/**
 * uni_run_context_set_cwd:
 * @self: a #UniRunContext
 * @cwd: (nullable): a folder, or %NULL for the inherited one
 *
 * Sets the newest layer's working folder.
 */
void
uni_run_context_set_cwd (UniRunContext *self,
                         const char    *cwd)
{
  Layer *layer;

  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));

  layer = current_layer (self);
  g_free (layer->cwd);
  layer->cwd = g_strdup (cwd);
}

/**
 * uni_run_context_setenv:
 * @self: a #UniRunContext
 * @key: a variable name, without "="
 * @value: (nullable): its value, or %NULL to drop this layer's addition
 *
 * Adds (or replaces) an environment addition in the newest layer.
 */
void
uni_run_context_setenv (UniRunContext *self,
                        const char    *key,
                        const char    *value)
{
  Layer *layer;

  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));
  g_return_if_fail (key != NULL && key[0] != '\0' && strchr (key, '=') == NULL);

  layer = current_layer (self);
  if (value != NULL)
    {
      g_autofree char *pair = g_strconcat (key, "=", value, NULL);

      env_set_pair (layer->env, pair);
    }
  else
    {
      gssize index = find_env (layer->env, key, strlen (key));

      if (index >= 0)
        g_ptr_array_remove_index (layer->env, index);
    }
}

/**
 * uni_run_context_append_argv:
 * @self: a #UniRunContext
 * @arg: one argument, passed as it is (never through a shell)
 *
 * Appends to the newest layer's command.
 */
void
uni_run_context_append_argv (UniRunContext *self,
                             const char    *arg)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));
  g_return_if_fail (arg != NULL);

  g_ptr_array_add (current_layer (self)->argv, g_strdup (arg));
}

/**
 * uni_run_context_append_args:
 * @self: a #UniRunContext
 * @args: (array zero-terminated=1): arguments, each passed as it is
 *
 * Appends to the newest layer's command.
 */
void
uni_run_context_append_args (UniRunContext      *self,
                             const char * const *args)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));
  g_return_if_fail (args != NULL);

  for (guint i = 0; args[i] != NULL; i++)
    uni_run_context_append_argv (self, args[i]);
}

/**
 * uni_run_context_build:
 * @self: a #UniRunContext
 * @argv: (out) (transfer full) (array zero-terminated=1): the command
 * @env: (out) (transfer full) (array zero-terminated=1) (optional): the
 *   environment additions ("KEY=VALUE") for the process we start
 * @cwd: (out) (transfer full) (nullable) (optional): its working folder
 * @error: return location for a #GError
 *
 * Runs the layers' wraps from the newest to the oldest. The context is left
 * as it was, so it can be built again.
 *
 * Returns: %TRUE, or %FALSE with @error set (a wrap failed, or there is no
 *   command: %G_IO_ERROR_INVALID_ARGUMENT)
 */
gboolean
uni_run_context_build (UniRunContext   *self,
                       char          ***argv,
                       char          ***env,
                       char           **cwd,
                       GError         **error)
{
  g_autoptr(GPtrArray) acc_argv = NULL;
  g_autoptr(GPtrArray) acc_env = NULL;
  g_autofree char *acc_cwd = NULL;

  g_return_val_if_fail (UNI_IS_RUN_CONTEXT (self), FALSE);
  g_return_val_if_fail (argv != NULL, FALSE);

  acc_argv = g_ptr_array_new_null_terminated (0, g_free, TRUE);
  acc_env = g_ptr_array_new_null_terminated (0, g_free, TRUE);

  for (guint i = self->layers->len; i > 0; i--)
    {
      Layer *layer = g_ptr_array_index (self->layers, i - 1);
      g_autoptr(GPtrArray) in_argv = g_ptr_array_new_null_terminated (0, g_free, TRUE);
      g_autoptr(GPtrArray) in_env = g_ptr_array_new_null_terminated (0, g_free, TRUE);
      g_autoptr(GPtrArray) out_argv = NULL;
      g_autoptr(GPtrArray) out_env = NULL;
      g_autofree char *out_cwd = NULL;

      /* This layer's own part, then what the newer layers produced. */
      for (guint j = 0; j < layer->argv->len; j++)
        g_ptr_array_add (in_argv, g_strdup (g_ptr_array_index (layer->argv, j)));
      for (guint j = 0; j < acc_argv->len; j++)
        g_ptr_array_add (in_argv, g_strdup (g_ptr_array_index (acc_argv, j)));
      for (guint j = 0; j < layer->env->len; j++)
        env_set_pair (in_env, g_ptr_array_index (layer->env, j));
      for (guint j = 0; j < acc_env->len; j++)
        env_set_pair (in_env, g_ptr_array_index (acc_env, j));
      if (acc_cwd == NULL)
        acc_cwd = g_strdup (layer->cwd);

      if (layer->wrap == NULL)
        {
          g_clear_pointer (&acc_argv, g_ptr_array_unref);
          g_clear_pointer (&acc_env, g_ptr_array_unref);
          acc_argv = g_steal_pointer (&in_argv);
          acc_env = g_steal_pointer (&in_env);
          continue;
        }

      out_argv = g_ptr_array_new_null_terminated (0, g_free, TRUE);
      out_env = g_ptr_array_new_null_terminated (0, g_free, TRUE);
      if (!layer->wrap (array_strv (in_argv),
                        array_strv (in_env),
                        acc_cwd,
                        out_argv, out_env, &out_cwd,
                        layer->user_data, error))
        return FALSE;

      for (guint j = 0; j < out_env->len; j++)
        g_return_val_if_fail (is_env_pair (g_ptr_array_index (out_env, j)), FALSE);

      g_clear_pointer (&acc_argv, g_ptr_array_unref);
      g_clear_pointer (&acc_env, g_ptr_array_unref);
      acc_argv = g_steal_pointer (&out_argv);
      acc_env = g_steal_pointer (&out_env);
      g_free (acc_cwd);
      acc_cwd = g_steal_pointer (&out_cwd);
    }

  if (acc_argv->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("There is no command to run"));
      return FALSE;
    }

  *argv = (char **) g_ptr_array_free (g_steal_pointer (&acc_argv), FALSE);
  if (env != NULL)
    *env = g_strdupv ((char **) array_strv (acc_env));
  if (cwd != NULL)
    *cwd = g_steal_pointer (&acc_cwd);

  return TRUE;
}

/**
 * uni_run_context_create_launcher:
 * @self: a #UniRunContext
 * @argv: (out) (transfer full) (array zero-terminated=1): the command to
 *   spawn with the launcher
 * @error: return location for a #GError
 *
 * Builds the context into a launcher whose environment is ours plus the
 * additions, in the built folder. Set its flags and file descriptors, then
 * call g_subprocess_launcher_spawnv() with @argv.
 *
 * Returns: (transfer full): a launcher, or %NULL with @error set
 */
GSubprocessLauncher *
uni_run_context_create_launcher (UniRunContext   *self,
                                 char          ***argv,
                                 GError         **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_auto(GStrv) built_argv = NULL;
  g_auto(GStrv) built_env = NULL;
  g_auto(GStrv) environ = NULL;
  g_autofree char *cwd = NULL;

  g_return_val_if_fail (UNI_IS_RUN_CONTEXT (self), NULL);
  g_return_val_if_fail (argv != NULL, NULL);

  if (!uni_run_context_build (self, &built_argv, &built_env, &cwd, error))
    return NULL;

  environ = g_get_environ ();
  for (guint i = 0; built_env[i] != NULL; i++)
    {
      const char *eq = strchr (built_env[i], '=');
      g_autofree char *key = g_strndup (built_env[i], eq - built_env[i]);

      environ = g_environ_setenv (environ, key, eq + 1, TRUE);
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_environ (launcher, environ);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);

  *argv = g_steal_pointer (&built_argv);

  return g_steal_pointer (&launcher);
}

static void
append_quoted_folder (GString    *command,
                      const char *folder)
{
  g_autofree char *quoted = NULL;

  /* A quoted "~" stays a literal "~": let the remote shell expand the
   * home folder, and quote only what follows it.
   */
  if (g_str_equal (folder, "~"))
    {
      g_string_append (command, "~");
      return;
    }
  if (g_str_has_prefix (folder, "~/"))
    {
      g_string_append (command, "~/");
      folder += 2;
      if (folder[0] == '\0')
        return;
    }

  quoted = g_shell_quote (folder);
  g_string_append (command, quoted);
}

/**
 * uni_run_context_dup_shell_command:
 * @argv: (array zero-terminated=1): the command
 * @env: (array zero-terminated=1) (nullable): "KEY=VALUE" additions
 * @cwd: (nullable): the folder to run in; a leading "~/" is left for the
 *   shell to expand
 *
 * The one place a command becomes a shell string: for a remote shell (ssh
 * passes its command to the user's login shell). Every element is quoted
 * with g_shell_quote(), so nothing in a path or value is interpreted:
 * `cd -- 'DIR' && exec env 'K=V' 'ARG'…` (without `env` when there is no
 * addition).
 *
 * Returns: (transfer full): a POSIX shell command line
 */
char *
uni_run_context_dup_shell_command (const char * const *argv,
                                   const char * const *env,
                                   const char         *cwd)
{
  GString *command;

  g_return_val_if_fail (argv != NULL && argv[0] != NULL, NULL);

  command = g_string_new (NULL);
  if (cwd != NULL)
    {
      /* "--": a folder starting with '-' is no option of cd. */
      g_string_append (command, "cd -- ");
      append_quoted_folder (command, cwd);
      g_string_append (command, " && ");
    }
  g_string_append (command, "exec");
  if (env != NULL && env[0] != NULL)
    {
      g_string_append (command, " env");
      for (guint i = 0; env[i] != NULL; i++)
        {
          g_autofree char *quoted = g_shell_quote (env[i]);

          g_string_append_c (command, ' ');
          g_string_append (command, quoted);
        }
    }
  for (guint i = 0; argv[i] != NULL; i++)
    {
      g_autofree char *quoted = g_shell_quote (argv[i]);

      g_string_append_c (command, ' ');
      g_string_append (command, quoted);
    }

  return g_string_free (command, FALSE);
}

/**
 * uni_run_context_push_host_layers:
 * @self: a #UniRunContext with no layer pushed yet
 *
 * Pushes what it takes to run on the host, outermost: in a Flatpak sandbox
 * the flatpak-spawn --host layer (uni_run_context_is_sandboxed()),
 * otherwise nothing. Every command of a build or a probe starts with this,
 * before its build environment's layers.
 */
void
uni_run_context_push_host_layers (UniRunContext *self)
{
  g_return_if_fail (UNI_IS_RUN_CONTEXT (self));
  g_return_if_fail (self->layers->len == 1);

  if (uni_run_context_is_sandboxed ())
    uni_run_context_push_flatpak_host (self);
}
