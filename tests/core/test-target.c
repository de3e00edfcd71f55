/* test-target.c — mirage versions, eras and the target table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "uni-target.h"
#include "uni-test-util.h"

static UniMirageVersion
version_of (const char *text)
{
  UniMirageVersion version = { 0, 0, 0 };

  g_assert_true (uni_mirage_version_parse (text, &version));
  return version;
}

static void
test_version_parse (void)
{
  static const struct
  {
    const char *text;
    gboolean    ok;
    guint       major, minor, micro;
  } cases[] = {
    { "v4.4.2", TRUE, 4, 4, 2 },
    { "4.4.2", TRUE, 4, 4, 2 },
    { "4.4.2\n", TRUE, 4, 4, 2 },
    { "  v3.8.0  ", TRUE, 3, 8, 0 },
    { "4.11.1~dev", TRUE, 4, 11, 1 },
    { "4.11.1+dev", TRUE, 4, 11, 1 },
    { "4.4.2-12-gabcdef0", TRUE, 4, 4, 2 },
    { "2.9", TRUE, 2, 9, 0 },
    { "V2.6.1", TRUE, 2, 6, 1 },
    { "", FALSE, 0, 0, 0 },
    { "v", FALSE, 0, 0, 0 },
    { "4", FALSE, 0, 0, 0 },
    { "4.", FALSE, 0, 0, 0 },
    { "4.4.", FALSE, 0, 0, 0 },
    { "4.x", FALSE, 0, 0, 0 },
    { "mirage 4.4.2", FALSE, 0, 0, 0 },
    { "4.4.2 trailing", FALSE, 0, 0, 0 },
    { "4.4.2.1", FALSE, 0, 0, 0 },
    { "99999999999.1.1", FALSE, 0, 0, 0 },
    { "command not found", FALSE, 0, 0, 0 },
  };
  UniMirageVersion version;

  g_assert_false (uni_mirage_version_parse (NULL, &version));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniMirageVersion parsed = { 7, 7, 7 };

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (uni_mirage_version_parse (cases[i].text, &parsed), ==, cases[i].ok);
      if (cases[i].ok)
        {
          g_assert_cmpuint (parsed.major, ==, cases[i].major);
          g_assert_cmpuint (parsed.minor, ==, cases[i].minor);
          g_assert_cmpuint (parsed.micro, ==, cases[i].micro);
        }
      else
        {
          /* Untouched on failure. */
          g_assert_cmpuint (parsed.major, ==, 7);
        }
    }
}

static void
test_version_compare (void)
{
  static const struct
  {
    const char *a;
    const char *b;
    int         sign;
  } cases[] = {
    { "4.4.2", "v4.4.2", 0 },
    { "4.4.2", "4.11.1", -1 },
    { "4.10.0", "4.9.9", 1 },
    { "3.8.0", "3.10.0", -1 },
    { "2.9.1", "2.9.0", 1 },
    { "3.0", "2.99.99", 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniMirageVersion a = version_of (cases[i].a);
      UniMirageVersion b = version_of (cases[i].b);
      int result = uni_mirage_version_compare (&a, &b);

      g_assert_cmpint ((result > 0) - (result < 0), ==, cases[i].sign);
      result = uni_mirage_version_compare (&b, &a);
      g_assert_cmpint ((result > 0) - (result < 0), ==, -cases[i].sign);
    }
}

static void
test_version_era (void)
{
  static const struct
  {
    const char   *text;
    UniMirageEra  era;
  } cases[] = {
    { "1.2.0", UNI_MIRAGE_ERA_UNKNOWN },
    { "2.0.0", UNI_MIRAGE_ERA_2_ENV },
    { "2.6.1", UNI_MIRAGE_ERA_2_ENV },
    { "2.7.0", UNI_MIRAGE_ERA_2_KEYS },
    { "2.9.1", UNI_MIRAGE_ERA_2_KEYS },
    { "3.0.0", UNI_MIRAGE_ERA_3 },
    { "3.8.0", UNI_MIRAGE_ERA_3 },
    { "3.10.8", UNI_MIRAGE_ERA_3 },
    { "4.0.0", UNI_MIRAGE_ERA_4_0 },
    { "v4.4.2", UNI_MIRAGE_ERA_4_0 },
    { "4.5.0", UNI_MIRAGE_ERA_4_5 },
    { "4.11.1~dev", UNI_MIRAGE_ERA_4_5 },
    { "5.0.0", UNI_MIRAGE_ERA_4_5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniMirageVersion version = version_of (cases[i].text);

      g_test_message ("%s", cases[i].text);
      g_assert_cmpint (uni_mirage_version_get_era (&version), ==, cases[i].era);
    }
}

static void
test_table (void)
{
  static const struct
  {
    const char *id;
    const char *title;
    const char *arch;
    const char *mirage_name;
  } expected[] = {
    { "unix", "Unix", NULL, "unix" },
    { "xen", "Xen (x86_64)", "x86_64", "xen" },
    { "xen-arm", "Xen ARM (armv7)", "armv7", "xen" },
    { "hvt", "Solo5 hvt", NULL, "hvt" },
    { "spt", "Solo5 spt", NULL, "spt" },
    { "virtio", "Solo5 virtio", NULL, "virtio" },
    { "qubes", "Qubes OS", "x86_64", "qubes" },
    { "muen", "Muen", "x86_64", "muen" },
    { "genode", "Genode", NULL, "genode" },
    { "macosx", "macOS", NULL, "macosx" },
    { "unikraft-qemu", "Unikraft (QEMU)", NULL, "unikraft-qemu" },
    { "unikraft-firecracker", "Unikraft (Firecracker)", NULL, "unikraft-firecracker" },
  };
  const UniTarget **list;
  guint n_targets = 0;

  list = uni_target_list (&n_targets);
  g_assert_cmpuint (n_targets, ==, G_N_ELEMENTS (expected));
  g_assert_null (list[n_targets]);

  for (guint i = 0; i < n_targets; i++)
    {
      const UniTarget *target = uni_target_lookup (expected[i].id);

      g_assert_true (list[i] == target);
      g_assert_cmpstr (uni_target_get_id (target), ==, expected[i].id);
      g_assert_cmpstr (uni_target_get_title (target), ==, expected[i].title);
      g_assert_cmpstr (uni_target_get_arch (target), ==, expected[i].arch);
      g_assert_cmpstr (uni_target_get_mirage_name (target), ==, expected[i].mirage_name);
    }

  g_assert_null (uni_target_lookup ("ukvm"));
  g_assert_null (uni_target_lookup (""));
  g_assert_null (uni_target_lookup ("Unix"));
}

static void
test_configure_args (void)
{
  static const struct
  {
    const char *target;
    const char *version;
    const char *args;
  } cases[] = {
    { "unix", "2.0.0", "--unix" },
    { "xen", "2.0.2", "--xen" },
    { "xen-arm", "2.0.0", "--xen" },
    { "unix", "2.1.0", "-t unix" },
    { "macosx", "2.6.1", "-t macosx" },
    { "unix", "2.9.1", "-t unix" },
    { "xen", "2.9.1", "-t xen" },
    { "xen-arm", "2.9.1", "-t xen" },
    { "xen-arm", "3.8.0", "-t xen" },
    { "hvt", "3.0.0", "-t ukvm" },
    { "hvt", "3.1.0", "-t ukvm" },
    { "hvt", "3.2.0", "-t hvt" },
    { "spt", "3.6.0", "-t spt" },
    { "virtio", "3.0.0", "-t virtio" },
    { "qubes", "4.4.2", "-t qubes" },
    { "unix", "4.4.2", "-t unix" },
    { "xen", "4.11.1", "-t xen" },
    { "unikraft-qemu", "4.11.1", "-t unikraft-qemu" },
    { "unikraft-firecracker", "4.10.0", "-t unikraft-firecracker" },
    { "hvt", NULL, "-t hvt" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniMirageVersion version;
      g_auto(GStrv) args = NULL;
      g_autofree char *joined = NULL;

      if (cases[i].version != NULL)
        version = version_of (cases[i].version);
      args = uni_target_dup_configure_args (uni_target_lookup (cases[i].target),
                                            cases[i].version != NULL ? &version : NULL);
      joined = g_strjoinv (" ", args);
      g_test_message ("%s %s", cases[i].target, cases[i].version);
      g_assert_cmpstr (joined, ==, cases[i].args);
    }
}

static void
test_artefacts (void)
{
  static const struct
  {
    const char *target;
    const char *version;
    const char *artefacts;
  } cases[] = {
    { "unix", "2.5.0", "mir-www" },
    { "unix", "2.9.1", "mir-www" },
    { "macosx", "2.9.1", "mir-www" },
    { "unix", "3.8.0", "www" },
    { "unix", "4.4.2", "dist/www" },
    { "unix", "4.11.1", "dist/www" },
    { "xen", "2.5.0", "mir-www.xen www.xl" },
    { "xen", "2.6.1", "mir-www.xen www.xl www.xl.in" },
    { "xen-arm", "2.9.1", "mir-www.xen www.xl www.xl.in" },
    { "xen", "3.8.0", "www.xen www.xl www.xl.in" },
    { "xen-arm", "3.8.0", "www.xen www.xl www.xl.in" },
    { "xen", "4.4.2", "dist/www.xen dist/www.xl" },
    { "xen", "4.11.1", "dist/www.xen dist/www.xl" },
    { "qubes", "4.4.2", "dist/www.xen" },
    { "hvt", "3.1.0", "www.ukvm" },
    { "hvt", "3.2.0", "www.hvt" },
    { "hvt", "4.11.1", "dist/www.hvt" },
    { "spt", "3.8.0", "www.spt" },
    { "virtio", "4.4.2", "dist/www.virtio" },
    { "muen", "3.1.0", "www.muen" },
    { "genode", "3.3.0", "www.genode" },
    { "unikraft-qemu", "4.11.1", "dist/www.qemu" },
    { "unikraft-firecracker", "4.11.1", "dist/www.fc" },
    { "unix", NULL, "dist/www" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniMirageVersion version;
      g_auto(GStrv) files = NULL;
      g_autofree char *joined = NULL;

      if (cases[i].version != NULL)
        version = version_of (cases[i].version);
      files = uni_target_dup_artefacts (uni_target_lookup (cases[i].target),
                                        cases[i].version != NULL ? &version : NULL, "www");
      joined = g_strjoinv (" ", files);
      g_test_message ("%s %s", cases[i].target, cases[i].version);
      g_assert_cmpstr (joined, ==, cases[i].artefacts);
    }
}

static void
test_supported (void)
{
  static const struct
  {
    const char *target;
    const char *version;
    const char *arch;
    const char *reason;
  } cases[] = {
    { "unix", "2.0.0", "x86_64", NULL },
    { "unix", "4.11.1", "armv7l", NULL },
    { "xen", "2.9.1", "x86_64", NULL },
    { "xen", "4.11.1", "x86_64", NULL },
    { "xen", "4.11.1", NULL, NULL },
    { "xen", "3.8.0", "armv7l",
      "Xen (x86_64) must be built on an x86_64 machine, since mirage does not cross-compile; "
      "this build environment is armv7l. Choose another build environment." },
    { "xen-arm", "2.9.1", "armv7l", NULL },
    { "xen-arm", "3.8.0", "armv7", NULL },
    { "xen-arm", "3.8.1", "armhf", NULL },
    { "xen-arm", "2.9.1", NULL, NULL },
    { "xen-arm", "4.11.1", "x86_64",
      "Xen on 32-bit ARM needs mirage 3.8 or older, built on an armv7 machine (the board "
      "itself or an ARM container); this toolchain is mirage 4.11.1 on x86_64" },
    { "xen-arm", "3.9.0", "armv7l",
      "Xen on 32-bit ARM needs mirage 3.8 or older, built on an armv7 machine (the board "
      "itself or an ARM container); this toolchain is mirage 3.9.0 on armv7l" },
    { "xen-arm", "2.9.1", "x86_64",
      "Xen on 32-bit ARM needs mirage 3.8 or older, built on an armv7 machine (the board "
      "itself or an ARM container); this toolchain is mirage 2.9.1 on x86_64" },
    { "hvt", "2.9.1", "x86_64",
      "Solo5 hvt needs mirage 3.0 or newer; this toolchain is mirage 2.9.1. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
    { "hvt", "3.0.0", "x86_64", NULL },
    { "virtio", "3.0.0", "x86_64", NULL },
    { "qubes", "2.9.1", "x86_64",
      "Qubes OS needs mirage 3.0 or newer; this toolchain is mirage 2.9.1. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
    { "muen", "3.0.0", "x86_64",
      "Muen needs mirage 3.1 or newer; this toolchain is mirage 3.0.0. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
    { "muen", "3.1.0", "x86_64", NULL },
    { "genode", "3.2.0", "x86_64",
      "Genode needs mirage 3.3 or newer; this toolchain is mirage 3.2.0. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
    { "spt", "3.5.0", "x86_64",
      "Solo5 spt needs mirage 3.6 or newer; this toolchain is mirage 3.5.0. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
    { "spt", "3.6.0", "x86_64", NULL },
    { "macosx", "2.0.0", "x86_64",
      "macOS needs mirage 2.1 or newer; this toolchain is mirage 2.0.0. Install a newer "
      "mirage (opam install mirage) or choose another build environment." },
    { "macosx", "4.4.2", "x86_64", NULL },
    { "unikraft-qemu", "4.9.0", "x86_64",
      "Unikraft (QEMU) needs mirage 4.10 or newer; this toolchain is mirage 4.9.0. Install a "
      "newer mirage (opam install mirage) or choose another build environment." },
    { "unikraft-firecracker", "4.10.0", "x86_64", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniMirageVersion version = version_of (cases[i].version);
      g_autofree char *reason = NULL;
      gboolean supported;

      g_test_message ("%s %s %s", cases[i].target, cases[i].version, cases[i].arch);
      supported = uni_target_is_supported (uni_target_lookup (cases[i].target), &version,
                                           cases[i].arch, &reason);
      g_assert_cmpint (supported, ==, cases[i].reason == NULL);
      g_assert_cmpstr (reason, ==, cases[i].reason);

      /* The reason is optional. */
      g_assert_cmpint (uni_target_is_supported (uni_target_lookup (cases[i].target), &version,
                                                cases[i].arch, NULL),
                       ==, supported);
    }
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/target/version-parse", test_version_parse);
  g_test_add_func ("/uni/target/version-compare", test_version_compare);
  g_test_add_func ("/uni/target/version-era", test_version_era);
  g_test_add_func ("/uni/target/table", test_table);
  g_test_add_func ("/uni/target/configure-args", test_configure_args);
  g_test_add_func ("/uni/target/artefacts", test_artefacts);
  g_test_add_func ("/uni/target/supported", test_supported);

  return g_test_run ();
}
