/* uni-manifest-page-boot.c — the Manifest page: the unikernel's boot (runtime) arguments
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * config.ml names them, the module file (unikernel.ml) declares them with
 * their doc and default, and the unikernel takes them at boot. The keys
 * group lists them read-only; the per-target group edits their values.
 */

#define G_LOG_DOMAIN "uni-manifest-page-boot"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "uni-manifest-page-private.h"

static void
boot_arg_free (gpointer data)
{
  UniManifestPageBootArg *boot_arg = data;

  g_free (boot_arg->name);
  g_free (boot_arg->flag);
  g_free (boot_arg);
}

static char *
boot_arg_flag (const char              *name,
               const UniRuntimeArgDecl *decl)
{
  const char *dot = strrchr (name, '.');

  /* Cmdliner takes a one-letter name as -p, never as --p=VALUE. */
  if (decl != NULL && decl->flags != NULL && decl->flags[0] != NULL)
    {
      for (guint i = 0; decl->flags[i] != NULL; i++)
        if (strlen (decl->flags[i]) > 1)
          return g_strdup (decl->flags[i]);

      return g_strdup (decl->flags[0]);
    }

  return g_strdup (dot != NULL ? dot + 1 : name);
}

static void
add_boot_arg (GPtrArray               *boot_args,
              const char              *name,
              const UniRuntimeArgDecl *decl)
{
  UniManifestPageBootArg *boot_arg = g_new0 (UniManifestPageBootArg, 1);

  boot_arg->name = g_strdup (name);
  boot_arg->flag = boot_arg_flag (name, decl);
  boot_arg->decl = decl;
  g_ptr_array_add (boot_args, boot_arg);
}

/**
 * _uni_manifest_page_dup_boot_args:
 *
 * The runtime arguments config.ml names, in its order, then those the
 * module file registers itself (mirage 4.8+), each with its declaration
 * when the module file has been read.
 *
 * Returns: (transfer container) (element-type UniManifestPageBootArg): the
 *   arguments, valid until the page reads the module file again
 */
GPtrArray *
_uni_manifest_page_dup_boot_args (UniManifestPage *self)
{
  GPtrArray *boot_args = g_ptr_array_new_with_free_func (boot_arg_free);
  g_autoptr(GPtrArray) taken = NULL;

  if (self->manifest == NULL)
    return boot_args;

  /* The rule Run passes them by: one place, in core. */
  taken = uni_runtime_args_dup_taken (self->manifest, self->runtime_decls);
  for (guint i = 0; i < taken->len; i++)
    {
      const UniRuntimeArgTaken *arg = g_ptr_array_index (taken, i);

      add_boot_arg (boot_args, arg->name, arg->decl);
    }

  return boot_args;
}

static void
read_runtime_decls_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autofree char *text = NULL;
  gsize length = 0;
  GError *error = NULL;

  if (!g_file_load_contents (file, cancellable, &text, &length, NULL, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, uni_runtime_args_read (text, length),
                           (GDestroyNotify) g_ptr_array_unref);
}

static void
read_runtime_decls_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  UniManifestPage *self = UNI_MANIFEST_PAGE (object);
  g_autoptr(GPtrArray) decls = NULL;
  g_autoptr(GError) error = NULL;

  /* A newer read, another module file or the page going away. */
  decls = g_task_propagate_pointer (G_TASK (result), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Without the file (not written yet, say) the arguments are shown as
   * config.ml names them: that is all there is to say about them.
   */
  if (error != NULL)
    g_debug ("No runtime argument declarations: %s", error->message);

  g_clear_pointer (&self->runtime_decls, g_ptr_array_unref);
  self->runtime_decls = g_steal_pointer (&decls);
  _uni_manifest_page_update_form (self);
}

static void
read_runtime_decls (UniManifestPage *self)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->runtime_cancellable);
  g_clear_object (&self->runtime_cancellable);
  self->runtime_cancellable = g_cancellable_new ();

  task = g_task_new (self, self->runtime_cancellable, read_runtime_decls_cb, NULL);
  g_task_set_source_tag (task, read_runtime_decls);
  g_task_set_task_data (task, g_object_ref (self->runtime_file), g_object_unref);
  g_task_run_in_thread (task, read_runtime_decls_thread);
}

static void
runtime_file_changed_cb (UniManifestPage   *self,
                         GFile             *file,
                         GFile             *other_file,
                         GFileMonitorEvent  event,
                         GFileMonitor      *monitor)
{
  /* Saved, replaced, created or deleted: each read makes the last one stale. */
  if (event == G_FILE_MONITOR_EVENT_ATTRIBUTE_CHANGED ||
      event == G_FILE_MONITOR_EVENT_PRE_UNMOUNT ||
      event == G_FILE_MONITOR_EVENT_UNMOUNTED)
    return;

  read_runtime_decls (self);
}

static void
stop_runtime_file (UniManifestPage *self)
{
  g_cancellable_cancel (self->runtime_cancellable);
  g_clear_object (&self->runtime_cancellable);

  if (self->runtime_monitor != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->runtime_monitor, runtime_file_changed_cb, self);
      g_file_monitor_cancel (self->runtime_monitor);
      g_clear_object (&self->runtime_monitor);
    }

  g_clear_object (&self->runtime_file);
  g_clear_pointer (&self->runtime_decls, g_ptr_array_unref);
}

/* The module config.ml points at may change as it is edited; its file is
 * watched so that saving it (from the editor or elsewhere) shows at once.
 */
void
_uni_manifest_page_watch_runtime_file (UniManifestPage *self)
{
  g_autofree char *module = uni_runtime_args_dup_module (self->manifest);
  g_autofree char *basename = module != NULL ? uni_runtime_args_module_file (module) : NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (basename != NULL)
    {
      g_autoptr(GFile) directory = g_file_get_parent (uni_editor_page_get_file (self->editor));

      file = g_file_get_child (directory, basename);
    }

  if (file == NULL && self->runtime_file == NULL)
    return;
  if (file != NULL && self->runtime_file != NULL && g_file_equal (file, self->runtime_file))
    return;

  stop_runtime_file (self);
  if (file == NULL)
    return;

  self->runtime_file = g_steal_pointer (&file);
  self->runtime_monitor = g_file_monitor_file (self->runtime_file, G_FILE_MONITOR_NONE,
                                               NULL, &error);
  if (self->runtime_monitor != NULL)
    g_signal_connect_object (self->runtime_monitor, "changed",
                             G_CALLBACK (runtime_file_changed_cb), self, G_CONNECT_SWAPPED);
  else
    g_debug ("Not watching %s: %s", g_file_peek_path (self->runtime_file), error->message);

  read_runtime_decls (self);
}

void
_uni_manifest_page_boot_dispose (UniManifestPage *self)
{
  stop_runtime_file (self);
}

static char *
dup_runtime_subtitle (const UniManifestPageBootArg *boot_arg)
{
  const UniRuntimeArgDecl *decl = boot_arg->decl;
  g_autofree char *default_value = NULL;
  g_autofree char *how = NULL;

  if (decl != NULL)
    default_value = _uni_manifest_page_dup_plain_value (decl->default_text);

  if (default_value != NULL)
    /* Translators: the first %s is the default in unikernel.ml, e.g. 8080;
     * the second the option the unikernel takes at boot, e.g. port
     */
    how = g_strdup_printf (_("Runtime argument, default %s — set at boot: --%s"),
                           default_value, boot_arg->flag);
  else
    /* Translators: %s is a boot-time argument of the unikernel, e.g. port */
    how = g_strdup_printf (_("Runtime argument — set at boot: --%s"), boot_arg->flag);

  if (decl != NULL && decl->doc != NULL && *decl->doc != '\0')
    return g_strdup_printf ("%s\n%s", decl->doc, how);

  return g_steal_pointer (&how);
}

void
_uni_manifest_page_append_boot_shape (UniManifestPage *self,
                                      GString         *shape)
{
  g_autoptr(GPtrArray) boot_args = _uni_manifest_page_dup_boot_args (self);

  for (guint i = 0; i < boot_args->len; i++)
    {
      const UniManifestPageBootArg *boot_arg = g_ptr_array_index (boot_args, i);
      g_autofree char *subtitle = dup_runtime_subtitle (boot_arg);

      g_string_append_printf (shape, "r:%s:%s\n", boot_arg->name, subtitle);
    }
}

/* Read-only here: the declaration is unikernel.ml's, edited in its editor;
 * the per-target values are in the per-target group.
 */
guint
_uni_manifest_page_add_boot_rows (UniManifestPage *self)
{
  g_autoptr(GPtrArray) boot_args = _uni_manifest_page_dup_boot_args (self);

  for (guint i = 0; i < boot_args->len; i++)
    {
      const UniManifestPageBootArg *boot_arg = g_ptr_array_index (boot_args, i);
      g_autofree char *subtitle = dup_runtime_subtitle (boot_arg);
      g_autofree char *row_name = g_strdup_printf ("runtime-%s", boot_arg->flag);
      GtkWidget *row;

      row = _uni_manifest_page_new_row (boot_arg->flag, subtitle);
      gtk_widget_set_name (row, row_name);
      gtk_widget_set_tooltip_text (row, boot_arg->name);
      gtk_widget_add_css_class (row, "read-only");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _uni_manifest_page_new_flag_label (boot_arg->flag));
      gtk_list_box_append (self->keys_list, row);
      g_ptr_array_add (self->key_extra_rows, row);
    }

  return boot_args->len;
}
