/* uni-target.c — what a unikernel is built for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "uni-target"

#include "config.h"

#include <glib/gi18n.h>

#include "uni-target.h"

/* The versions that matter, per ../shared/MIRAGE.md. */
#define V(a, b, c) { a, b, c }

static const UniMirageVersion v2_1 = V (2, 1, 0);
static const UniMirageVersion v2_6_1 = V (2, 6, 1);
static const UniMirageVersion v2_7 = V (2, 7, 0);
static const UniMirageVersion v3_0 = V (3, 0, 0);
static const UniMirageVersion v3_2 = V (3, 2, 0);
static const UniMirageVersion v4_0 = V (4, 0, 0);
static const UniMirageVersion v4_5 = V (4, 5, 0);
static const UniMirageVersion v3_9 = V (3, 9, 0);

struct _UniTarget
{
  const char       *id;
  const char       *title;
  /* NULL: the build machine's own architecture. */
  const char       *arch;
  const char       *mirage_name;
  /* The file suffix of the kernel image, NULL for a unix-like executable. */
  const char       *suffix;
  UniMirageVersion  since;
  /* Zero when the target was never removed. */
  UniMirageVersion  until;
};

static const UniTarget targets[] = {
  { "unix", N_("Unix"), NULL, "unix", NULL, V (2, 0, 0), V (0, 0, 0) },
  { "xen", N_("Xen (x86_64)"), "x86_64", "xen", "xen", V (2, 0, 0), V (0, 0, 0) },
  { "xen-arm", N_("Xen ARM (armv7)"), "armv7", "xen", "xen", V (2, 0, 0), V (3, 9, 0) },
  { "hvt", N_("Solo5 hvt"), NULL, "hvt", "hvt", V (3, 0, 0), V (0, 0, 0) },
  { "spt", N_("Solo5 spt"), NULL, "spt", "spt", V (3, 6, 0), V (0, 0, 0) },
  { "virtio", N_("Solo5 virtio"), NULL, "virtio", "virtio", V (3, 0, 0), V (0, 0, 0) },
  { "qubes", N_("Qubes OS"), "x86_64", "qubes", "xen", V (3, 0, 0), V (0, 0, 0) },
  { "muen", N_("Muen"), "x86_64", "muen", "muen", V (3, 1, 0), V (0, 0, 0) },
  { "genode", N_("Genode"), NULL, "genode", "genode", V (3, 3, 0), V (0, 0, 0) },
  { "macosx", N_("macOS"), NULL, "macosx", NULL, V (2, 1, 0), V (0, 0, 0) },
  { "unikraft-qemu", N_("Unikraft (QEMU)"), NULL, "unikraft-qemu", "qemu",
    V (4, 10, 0), V (0, 0, 0) },
  { "unikraft-firecracker", N_("Unikraft (Firecracker)"), NULL, "unikraft-firecracker", "fc",
    V (4, 10, 0), V (0, 0, 0) },
};

static const UniTarget *target_list[G_N_ELEMENTS (targets) + 1];

static gboolean
version_is_zero (const UniMirageVersion *version)
{
  return version->major == 0 && version->minor == 0 && version->micro == 0;
}

static gboolean
parse_number (const char  *text,
              const char **end,
              guint       *number)
{
  guint64 value = 0;
  const char *p = text;

  if (!g_ascii_isdigit (*p))
    return FALSE;

  while (g_ascii_isdigit (*p))
    {
      value = value * 10 + (guint64) (*p - '0');
      if (value > G_MAXUINT16)
        return FALSE;
      p++;
    }

  *number = (guint) value;
  *end = p;
  return TRUE;
}

/**
 * uni_mirage_version_parse:
 * @text: what `mirage --version` printed: "v4.4.2", "4.4.2", "4.11.1~dev"
 * @version: (out): the numbers
 *
 * Reads MAJOR.MINOR[.MICRO] with an optional leading `v`, surrounding
 * whitespace and a suffix such as `~dev`, `+dev` or git describe's
 * `-3-gabcdef`.
 *
 * Returns: %TRUE when @text is a version
 */
gboolean
uni_mirage_version_parse (const char       *text,
                          UniMirageVersion *version)
{
  UniMirageVersion parsed = { 0, 0, 0 };
  const char *p;

  g_return_val_if_fail (version != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  p = text;
  while (g_ascii_isspace (*p))
    p++;
  if (*p == 'v' || *p == 'V')
    p++;

  if (!parse_number (p, &p, &parsed.major) || *p != '.')
    return FALSE;
  if (!parse_number (p + 1, &p, &parsed.minor))
    return FALSE;
  if (*p == '.' && !parse_number (p + 1, &p, &parsed.micro))
    return FALSE;

  /* What may follow the numbers: a pre-release or build suffix, or nothing. */
  if (*p != '\0' && *p != '~' && *p != '+' && *p != '-' && !g_ascii_isspace (*p))
    return FALSE;
  if (g_ascii_isspace (*p))
    {
      while (g_ascii_isspace (*p))
        p++;
      if (*p != '\0')
        return FALSE;
    }

  *version = parsed;
  return TRUE;
}

/**
 * uni_mirage_version_compare:
 * @a: a version
 * @b: another
 *
 * Returns: negative, zero or positive as @a is older, the same or newer
 */
int
uni_mirage_version_compare (const UniMirageVersion *a,
                            const UniMirageVersion *b)
{
  g_return_val_if_fail (a != NULL, 0);
  g_return_val_if_fail (b != NULL, 0);

  if (a->major != b->major)
    return a->major < b->major ? -1 : 1;
  if (a->minor != b->minor)
    return a->minor < b->minor ? -1 : 1;
  if (a->micro != b->micro)
    return a->micro < b->micro ? -1 : 1;
  return 0;
}

/**
 * uni_mirage_version_get_era:
 * @version: a version
 *
 * Returns: the era of the tool (MIRAGE.md's table); unknown before 2.0
 */
UniMirageEra
uni_mirage_version_get_era (const UniMirageVersion *version)
{
  g_return_val_if_fail (version != NULL, UNI_MIRAGE_ERA_UNKNOWN);

  if (version->major < 2)
    return UNI_MIRAGE_ERA_UNKNOWN;
  if (uni_mirage_version_compare (version, &v2_7) < 0)
    return UNI_MIRAGE_ERA_2_ENV;
  if (uni_mirage_version_compare (version, &v3_0) < 0)
    return UNI_MIRAGE_ERA_2_KEYS;
  if (uni_mirage_version_compare (version, &v4_0) < 0)
    return UNI_MIRAGE_ERA_3;
  if (uni_mirage_version_compare (version, &v4_5) < 0)
    return UNI_MIRAGE_ERA_4_0;
  return UNI_MIRAGE_ERA_4_5;
}

/**
 * uni_target_lookup:
 * @id: a Unistudio target id
 *
 * Returns: (transfer none) (nullable): the target, %NULL for an unknown id
 */
const UniTarget *
uni_target_lookup (const char *id)
{
  g_return_val_if_fail (id != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
    if (g_str_equal (targets[i].id, id))
      return &targets[i];

  return NULL;
}

/**
 * uni_target_list:
 * @n_targets: (out) (optional): the number of targets
 *
 * The targets in the order a dropdown shows them: unix, xen, xen-arm first.
 *
 * Returns: (transfer none) (array zero-terminated=1): every target
 */
const UniTarget **
uni_target_list (guint *n_targets)
{
  if (target_list[0] == NULL)
    for (guint i = 0; i < G_N_ELEMENTS (targets); i++)
      target_list[i] = &targets[i];

  if (n_targets != NULL)
    *n_targets = G_N_ELEMENTS (targets);

  return target_list;
}

const char *
uni_target_get_id (const UniTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);

  return target->id;
}

/**
 * uni_target_get_title:
 * @target: a target
 *
 * Returns: the translated name for the user, "Xen ARM (armv7)"
 */
const char *
uni_target_get_title (const UniTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);

  return _(target->title);
}

/**
 * uni_target_get_arch:
 * @target: a target
 *
 * Returns: (nullable): the architecture the kernel is for ("x86_64",
 *   "armv7"), %NULL when it is the build machine's own
 */
const char *
uni_target_get_arch (const UniTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);

  return target->arch;
}

/**
 * uni_target_get_mirage_name:
 * @target: a target
 *
 * Returns: what `mirage configure -t` calls it: xen-arm is "xen" built on
 *   an armv7 machine (hvt is "ukvm" before 3.2; see
 *   uni_target_dup_configure_args())
 */
const char *
uni_target_get_mirage_name (const UniTarget *target)
{
  g_return_val_if_fail (target != NULL, NULL);

  return target->mirage_name;
}

/**
 * uni_target_dup_configure_args:
 * @target: a target
 * @version: (nullable): the mirage that will run, %NULL for the newest
 *
 * 2.0 knows only `--unix` and `--xen`; from 2.1 `-t` exists and is what we
 * pass (2.9.1 warns that `--unix/--xen` are deprecated, 3.0 removed them).
 *
 * Returns: (transfer full): the arguments that select @target
 */
char **
uni_target_dup_configure_args (const UniTarget        *target,
                               const UniMirageVersion *version)
{
  const char *name;

  g_return_val_if_fail (target != NULL, NULL);

  name = target->mirage_name;

  if (version != NULL && uni_mirage_version_compare (version, &v2_1) < 0)
    {
      g_autofree char *flag = g_strconcat ("--", name, NULL);
      char *args[] = { g_steal_pointer (&flag), NULL };

      return g_strdupv (args);
    }

  if (version != NULL && g_str_equal (target->id, "hvt")
      && uni_mirage_version_compare (version, &v3_2) < 0)
    name = "ukvm";

  {
    const char *args[] = { "-t", name, NULL };

    return g_strdupv ((char **) args);
  }
}

/**
 * uni_target_dup_artefacts:
 * @target: a target
 * @version: (nullable): the mirage that builds, %NULL for the newest
 * @name: the unikernel's name, `register "NAME"`
 *
 * Returns: (transfer full): the files the build leaves, relative to the
 *   project: "mir-www", "www", "dist/www", "mir-www.xen" and "www.xl", ...
 */
char **
uni_target_dup_artefacts (const UniTarget        *target,
                          const UniMirageVersion *version,
                          const char             *name)
{
  g_autoptr(GPtrArray) files = NULL;
  guint major = version != NULL ? version->major : G_MAXUINT;
  const char *dist = major >= 4 ? "dist/" : "";
  const char *suffix;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  files = g_ptr_array_new_with_free_func (g_free);
  suffix = target->suffix;

  if (suffix == NULL)
    {
      if (major == 2)
        g_ptr_array_add (files, g_strconcat ("mir-", name, NULL));
      else
        g_ptr_array_add (files, g_strconcat (dist, name, NULL));
    }
  else if (g_str_equal (target->mirage_name, "xen"))
    {
      if (major == 2)
        g_ptr_array_add (files, g_strconcat ("mir-", name, ".xen", NULL));
      else
        g_ptr_array_add (files, g_strconcat (dist, name, ".xen", NULL));

      g_ptr_array_add (files, g_strconcat (dist, name, ".xl", NULL));

      if (major == 3
          || (major == 2 && uni_mirage_version_compare (version, &v2_6_1) >= 0))
        g_ptr_array_add (files, g_strconcat (name, ".xl.in", NULL));
    }
  else
    {
      if (g_str_equal (target->id, "hvt") && version != NULL
          && uni_mirage_version_compare (version, &v3_2) < 0)
        suffix = "ukvm";

      g_ptr_array_add (files, g_strconcat (dist, name, ".", suffix, NULL));
    }

  g_ptr_array_add (files, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&files), FALSE);
}

/* "armv7l", "armhf" and "arm" are all the Cubieboard's kind of machine. */
static const char *
normalize_arch (const char *arch)
{
  if (arch == NULL)
    return NULL;
  if (g_str_has_prefix (arch, "armv7") || g_str_equal (arch, "armhf") || g_str_equal (arch, "arm")
      || g_str_equal (arch, "linux/arm/v7"))
    return "armv7";
  if (g_str_equal (arch, "amd64") || g_str_equal (arch, "x64"))
    return "x86_64";
  return arch;
}

static char *
version_to_string (const UniMirageVersion *version)
{
  return g_strdup_printf ("%u.%u.%u", version->major, version->minor, version->micro);
}

/**
 * uni_target_is_supported:
 * @target: a target
 * @version: the mirage that would build it
 * @build_arch: (nullable): the build machine's architecture, %NULL when unknown
 * @reason: (out) (optional) (transfer full): when unsupported, a translated
 *   sentence that says why and what to do
 *
 * Returns: %TRUE when that mirage on that machine can build @target
 */
gboolean
uni_target_is_supported (const UniTarget         *target,
                         const UniMirageVersion  *version,
                         const char              *build_arch,
                         char                   **reason)
{
  g_autofree char *version_text = NULL;
  const char *arch;

  g_return_val_if_fail (target != NULL, FALSE);
  g_return_val_if_fail (version != NULL, FALSE);
  g_return_val_if_fail (reason == NULL || *reason == NULL, FALSE);

  version_text = version_to_string (version);
  arch = normalize_arch (build_arch);

  if (g_str_equal (target->id, "xen-arm"))
    {
      /* Not a cross-compilation: mirage builds for the machine it runs on. */
      if (uni_mirage_version_compare (version, &v3_9) >= 0
          || (arch != NULL && !g_str_equal (arch, "armv7")))
        {
          if (reason != NULL)
            *reason = g_strdup_printf (_("Xen on 32-bit ARM needs mirage 3.8 or older, built on "
                                         "an armv7 machine (the board itself or an ARM "
                                         "container); this toolchain is mirage %s on %s"),
                                       version_text, build_arch != NULL ? build_arch
                                                                        : _("an unknown machine"));
          return FALSE;
        }
      return TRUE;
    }

  if (uni_mirage_version_compare (version, &target->since) < 0)
    {
      if (reason != NULL)
        {
          g_autofree char *since = g_strdup_printf ("%u.%u", target->since.major,
                                                    target->since.minor);

          *reason = g_strdup_printf (_("%s needs mirage %s or newer; this toolchain is mirage %s. "
                                       "Install a newer mirage (opam install mirage) or choose "
                                       "another build environment."),
                                     _(target->title), since, version_text);
        }
      return FALSE;
    }

  if (!version_is_zero (&target->until)
      && uni_mirage_version_compare (version, &target->until) >= 0)
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("%s was removed in mirage %u.%u; this toolchain is "
                                     "mirage %s"),
                                   _(target->title), target->until.major, target->until.minor,
                                   version_text);
      return FALSE;
    }

  if (target->arch != NULL && arch != NULL && !g_str_equal (target->arch, arch))
    {
      if (reason != NULL)
        *reason = g_strdup_printf (_("%s must be built on an %s machine, since mirage does not "
                                     "cross-compile; this build environment is %s. Choose "
                                     "another build environment."),
                                   _(target->title), target->arch, build_arch);
      return FALSE;
    }

  return TRUE;
}
