/* uni-port.c — a TCP port on this computer (placeholder, being written)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-port"

#include "config.h"

#include "uni-port.h"

void
uni_port_owner_free (UniPortOwner *owner)
{
  if (owner == NULL)
    return;
  g_free (owner->name);
  g_free (owner->command_line);
  g_free (owner->project_dir);
  g_free (owner);
}

UniPortOwner *
uni_port_owner_copy (const UniPortOwner *owner)
{
  UniPortOwner *copy = g_memdup2 (owner, sizeof *owner);

  copy->name = g_strdup (owner->name);
  copy->command_line = g_strdup (owner->command_line);
  copy->project_dir = g_strdup (owner->project_dir);
  return copy;
}

gboolean
uni_port_owner_is_ours (const UniPortOwner *owner)
{
  return owner->project_dir != NULL;
}

char *
uni_port_owner_dup_description (const UniPortOwner *owner)
{
  return g_strdup_printf ("PID %d", owner->pid);
}

void
uni_port_find_owner_async (guint                port,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_pointer (task, NULL, NULL);
}

UniPortOwner *
uni_port_find_owner_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
uni_port_stop_owner_async (const UniPortOwner  *owner,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

gboolean
uni_port_stop_owner_finish (GAsyncResult  *result,
                            GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
uni_port_wait_async (guint                port,
                     guint                timeout_ms,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_return_boolean (task, TRUE);
}

gboolean
uni_port_wait_finish (GAsyncResult  *result,
                      GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}
