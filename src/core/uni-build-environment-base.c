/* uni-build-environment-base.c — the properties every build environment shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-build-environment-base"

#include "config.h"

#include "uni-build-environment-base.h"

typedef struct
{
  /* owned */
  UniProjectSettings *settings;
  char               *target_id;

  /* flags */
  guint               interactive : 1;
} UniBuildEnvironmentBasePrivate;

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_TARGET_ID,
  PROP_INTERACTIVE,
  N_PROPS
};

static void build_environment_iface_init (UniBuildEnvironmentInterface *iface);

/* The interface's vfuncs are left to the subclasses, which implement it again. */
G_DEFINE_ABSTRACT_TYPE_WITH_CODE (UniBuildEnvironmentBase, uni_build_environment_base,
                                  G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (UniBuildEnvironmentBase)
                                  G_IMPLEMENT_INTERFACE (UNI_TYPE_BUILD_ENVIRONMENT,
                                                         build_environment_iface_init))

static void
build_environment_iface_init (UniBuildEnvironmentInterface *iface)
{
}

static void
uni_build_environment_base_finalize (GObject *object)
{
  UniBuildEnvironmentBase *self = UNI_BUILD_ENVIRONMENT_BASE (object);
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);

  g_clear_object (&priv->settings);
  g_clear_pointer (&priv->target_id, g_free);

  G_OBJECT_CLASS (uni_build_environment_base_parent_class)->finalize (object);
}

static void
uni_build_environment_base_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  UniBuildEnvironmentBase *self = UNI_BUILD_ENVIRONMENT_BASE (object);
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, priv->settings);
      break;

    case PROP_TARGET_ID:
      g_value_set_string (value, priv->target_id);
      break;

    case PROP_INTERACTIVE:
      g_value_set_boolean (value, priv->interactive);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_build_environment_base_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  UniBuildEnvironmentBase *self = UNI_BUILD_ENVIRONMENT_BASE (object);
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      priv->settings = g_value_dup_object (value);
      break;

    case PROP_TARGET_ID:
      priv->target_id = g_value_dup_string (value);
      break;

    case PROP_INTERACTIVE:
      if (priv->interactive != g_value_get_boolean (value))
        {
          priv->interactive = g_value_get_boolean (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
uni_build_environment_base_class_init (UniBuildEnvironmentBaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = uni_build_environment_base_finalize;
  object_class->get_property = uni_build_environment_base_get_property;
  object_class->set_property = uni_build_environment_base_set_property;

  g_object_class_override_property (object_class, PROP_SETTINGS, "settings");
  g_object_class_override_property (object_class, PROP_TARGET_ID, "target-id");
  g_object_class_override_property (object_class, PROP_INTERACTIVE, "interactive");
}

static void
uni_build_environment_base_init (UniBuildEnvironmentBase *self)
{
}

/**
 * uni_build_environment_base_get_settings:
 * @self: a #UniBuildEnvironmentBase
 *
 * For subclasses.
 *
 * Returns: (transfer none) (nullable): the #UniBuildEnvironment:settings
 *   given at construction
 */
UniProjectSettings *
uni_build_environment_base_get_settings (UniBuildEnvironmentBase *self)
{
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);

  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT_BASE (self), NULL);

  return priv->settings;
}

/**
 * uni_build_environment_base_get_target_id:
 * @self: a #UniBuildEnvironmentBase
 *
 * For subclasses.
 *
 * Returns: (nullable): the #UniBuildEnvironment:target-id given at construction
 */
const char *
uni_build_environment_base_get_target_id (UniBuildEnvironmentBase *self)
{
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);

  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT_BASE (self), NULL);

  return priv->target_id;
}

/**
 * uni_build_environment_base_get_interactive:
 * @self: a #UniBuildEnvironmentBase
 *
 * For subclasses: the same as uni_build_environment_get_interactive()
 * without a property lookup.
 *
 * Returns: the #UniBuildEnvironment:interactive property
 */
gboolean
uni_build_environment_base_get_interactive (UniBuildEnvironmentBase *self)
{
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);

  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT_BASE (self), FALSE);

  return priv->interactive;
}

/**
 * uni_build_environment_base_dup_setting:
 * @self: a #UniBuildEnvironmentBase
 * @key: a key of the target's settings group, such as "image"
 *
 * For subclasses: the target's value for @key with surrounding blanks
 * removed; an empty value counts as unset.
 *
 * Returns: (transfer full) (nullable): the value, or %NULL when unset
 */
char *
uni_build_environment_base_dup_setting (UniBuildEnvironmentBase *self,
                                        const char              *key)
{
  UniBuildEnvironmentBasePrivate *priv = uni_build_environment_base_get_instance_private (self);
  g_autofree char *value = NULL;

  g_return_val_if_fail (UNI_IS_BUILD_ENVIRONMENT_BASE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (priv->settings == NULL || priv->target_id == NULL)
    return NULL;

  value = uni_project_settings_dup_target_value (priv->settings, priv->target_id, key);
  if (value == NULL || g_strstrip (value)[0] == '\0')
    return NULL;

  return g_steal_pointer (&value);
}
