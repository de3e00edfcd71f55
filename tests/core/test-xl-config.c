/* test-xl-config.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-test-util.h"
#include "uni-xl-config.h"

static char *
data_path (const char *file)
{
  return g_test_build_filename (G_TEST_DIST, "data", "xl", file, NULL);
}

static char *
load (const char *file,
      gsize      *length)
{
  g_autofree char *path = data_path (file);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, length, &error);
  g_assert_no_error (error);

  return contents;
}

static char *
join_or_null (char **items)
{
  return items != NULL ? g_strjoinv (" | ", items) : NULL;
}

/* "'value'" for a single value, "[a, b]" for a list, "(unset)". */
static char *
describe (UniXlConfig *config,
          const char  *key)
{
  g_auto(GStrv) items = NULL;

  if (!uni_xl_config_has_key (config, key))
    return g_strdup ("(unset)");

  if (uni_xl_config_get_string (config, key) != NULL)
    return g_strdup_printf ("'%s'", uni_xl_config_get_string (config, key));

  items = uni_xl_config_dup_list (config, key);
  g_assert_nonnull (items);
  {
    g_autofree char *joined = g_strjoinv (", ", items);

    return g_strdup_printf ("[%s]", joined);
  }
}

/* The files mirage writes, and one edited by hand. */

typedef struct
{
  const char *file;
  const char *name;
  const char *kernel;
  const char *guest_type;
  gint64      memory;
  const char *vifs;       /* joined with " | "; NULL: no vif list */
  const char *bridges;    /* each vif's bridge, "-" for none */
  const char *disks;
  const char *extra;
} FileCase;

static const FileCase file_cases[] = {
  { "2.9-gluecon-www.xl", "www", "/home/mirage/gluecon-2016/mir-www.xen", "pv", 256,
    "bridge=br0", "br0", "", NULL },
  { "3.5-builder-linux.xl", "static_website",
    "/home/alice/mirage-skeleton/applications/static_website_tls/static_website.xen", "pv", 256,
    "bridge=br0", "br0", "", NULL },
  { "3.8-type-pv.xl", "www", "/home/mirage/gluecon-2016/www.xen", "pv", 256,
    "bridge=xenbr0", "xenbr0", "", NULL },
  { "4.x-type-pvh.xl", "www", "www.xen", "pvh", 256, "bridge=br0", "br0", "", NULL },
  { "4.x-no-network.xl", "hello", "hello.xen", "pvh", 256, "", "", "", NULL },
  { "stand-in-no-network.xl", "hello", "/home/mirage/hello/mir-hello.xen", "pv", 256,
    NULL, NULL, "", NULL },
  { "4.x-two-networks-disk.xl", "router", "router.xen", "pvh", 64,
    "bridge=br0 | bridge=br1", "br0 | br1",
    "format=raw, vdev=xvda, access=rw, target=disk.img", NULL },
  { "hand-edited-extra.xl", "www", "/home/mirage/unistudio/www/www.xen", "pvh", 256,
    "mac=00:16:3e:5a:2b:01, bridge=xenbr0 | script=vif-openvswitch,bridge=ovs0 | "
    "mac=00:16:3e:5a:2b:03",
    "xenbr0 | ovs0 | -", "", "--ipv4=10.0.0.2/24 --ipv4-gateway=10.0.0.1 --port=8080" },
};

static void
test_read_file (gconstpointer data)
{
  const FileCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) bridges = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *vifs_joined = NULL;
  g_autofree char *disks_joined = NULL;
  g_auto(GStrv) vifs = NULL;
  g_auto(GStrv) disks = NULL;
  UniXlConfig *config;
  gsize length;
  gsize copy_length;
  gint64 memory = -1;

  text = load (c->file, &length);
  config = uni_xl_config_new (text, length, &error);
  g_assert_no_error (error);

  /* Reading alone changes nothing. */
  copy = uni_xl_config_dup_text (config, &copy_length);
  g_assert_cmpmem (copy, copy_length, text, length);

  g_assert_cmpstr (uni_xl_config_get_name (config), ==, c->name);
  g_assert_cmpstr (uni_xl_config_get_kernel (config), ==, c->kernel);
  g_assert_cmpstr (uni_xl_config_get_guest_type (config), ==, c->guest_type);
  g_assert_true (uni_xl_config_get_memory (config, &memory));
  g_assert_cmpint (memory, ==, c->memory);
  g_assert_cmpstr (uni_xl_config_get_extra (config), ==, c->extra);
  g_assert_cmpstr (uni_xl_config_get_string (config, "on_crash"), ==, "preserve");

  vifs = uni_xl_config_dup_vifs (config);
  vifs_joined = join_or_null (vifs);
  g_assert_cmpstr (vifs_joined, ==, c->vifs);
  if (vifs != NULL)
    {
      g_autofree char *bridges_joined = NULL;

      for (guint i = 0; vifs[i] != NULL; i++)
        {
          char *bridge = uni_xl_vif_dup_setting (vifs[i], "bridge");

          g_ptr_array_add (bridges, bridge != NULL ? bridge : g_strdup ("-"));
        }
      g_ptr_array_add (bridges, NULL);
      bridges_joined = g_strjoinv (" | ", (char **) bridges->pdata);
      g_assert_cmpstr (bridges_joined, ==, c->bridges);
    }

  disks = uni_xl_config_dup_disks (config);
  disks_joined = join_or_null (disks);
  g_assert_cmpstr (disks_joined, ==, c->disks);

  g_assert_finalize_object (config);
}

/* What Deploy does: kernel into the remote folder, the name, the board's
 * bridge; memory kept. The result must be the expected file, byte for byte.
 */

typedef struct
{
  const char *file;
  const char *kernel;
  const char *bridge;
  const char *expected_file;
} DeployCase;

static const DeployCase deploy_cases[] = {
  { "2.9-gluecon-www.xl", "/home/mirage/unistudio/www/mir-www.xen", "xenbr0",
    "2.9-gluecon-www.deployed.xl" },
  { "3.5-builder-linux.xl", "/home/mirage/unistudio/static_website/static_website.xen",
    "xenbr0", "3.5-builder-linux.deployed.xl" },
  { "3.8-type-pv.xl", "/home/mirage/unistudio/www/www.xen", "br0",
    "3.8-type-pv.deployed.xl" },
  { "4.x-type-pvh.xl", "/root/unistudio/www/www.xen", "xenbr0", "4.x-type-pvh.deployed.xl" },
  { "4.x-two-networks-disk.xl", "/home/mirage/unistudio/router/router.xen", "xenbr0",
    "4.x-two-networks-disk.deployed.xl" },
  { "hand-edited-extra.xl", "/home/mirage/unistudio/www's \"demo\"/www.xen", "br0",
    "hand-edited-extra.deployed.xl" },
};

static void
test_deploy_file (gconstpointer data)
{
  const DeployCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(UniXlConfig) reread = NULL;
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *name = NULL;
  g_autofree char *result = NULL;
  g_auto(GStrv) vifs = NULL;
  UniXlConfig *config;
  gsize length;
  gsize expected_length;
  gsize result_length;
  gint64 memory_before = 0;
  gint64 memory_after = 0;

  text = load (c->file, &length);
  expected = load (c->expected_file, &expected_length);

  config = uni_xl_config_new (text, length, &error);
  g_assert_no_error (error);
  g_assert_true (uni_xl_config_get_memory (config, &memory_before));
  name = g_strdup (uni_xl_config_get_name (config));

  g_assert_true (uni_xl_config_set_kernel (config, c->kernel, &error));
  g_assert_no_error (error);
  g_assert_true (uni_xl_config_set_name (config, name, &error));
  g_assert_no_error (error);
  g_assert_true (uni_xl_config_set_vif_bridge (config, c->bridge, &error));
  g_assert_no_error (error);

  result = uni_xl_config_dup_text (config, &result_length);
  g_assert_cmpstr (result, ==, expected);
  g_assert_cmpmem (result, result_length, expected, expected_length);

  g_assert_true (uni_xl_config_get_memory (config, &memory_after));
  g_assert_cmpint (memory_after, ==, memory_before);

  /* A fresh reader sees the new values. */
  reread = uni_xl_config_new (result, result_length, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_xl_config_get_kernel (reread), ==, c->kernel);
  g_assert_cmpstr (uni_xl_config_get_name (reread), ==, name);
  vifs = uni_xl_config_dup_vifs (reread);
  for (guint i = 0; vifs[i] != NULL; i++)
    {
      g_autofree char *bridge = uni_xl_vif_dup_setting (vifs[i], "bridge");

      g_assert_cmpstr (bridge, ==, c->bridge);
    }

  g_assert_finalize_object (config);
}

/* The stand-in's file has no network: the bridge edit leaves it alone. */
static void
test_bridge_without_network (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  UniXlConfig *config;
  gsize length;

  for (guint i = 0; i < 2; i++)
    {
      const char *file = i == 0 ? "stand-in-no-network.xl" : "4.x-no-network.xl";

      g_clear_pointer (&text, g_free);
      text = load (file, &length);
      config = uni_xl_config_new (text, length, &error);
      g_assert_no_error (error);
      g_assert_true (uni_xl_config_set_vif_bridge (config, "xenbr0", &error));
      g_assert_no_error (error);
      g_assert_cmpstr (uni_xl_config_get_text (config, NULL), ==, text);
      g_assert_finalize_object (config);
    }
}

/* xl's syntax, beyond what mirage writes. */

typedef struct
{
  const char *name;
  const char *input;
  const char *key;
  const char *expected;
} ReadCase;

static const ReadCase read_cases[] = {
  { "empty-file", "", "name", "(unset)" },
  { "comments-only", "# nothing\n\n   # still nothing\n", "name", "(unset)" },
  { "semicolons-one-line", "name=\"h0\"; type=\"hvm\"", "type", "'hvm'" },
  { "no-final-newline", "name = 'www'", "name", "'www'" },
  { "tabs", "\tname\t=\t'www'\t\n", "name", "'www'" },
  { "empty-statements", ";;\nname = 'a';;\n;\n", "name", "'a'" },
  { "last-setting-wins", "name = 'a'\nname = 'b'\n", "name", "'b'" },
  { "comment-after-value", "kernel = 'k.xen' # the kernel\n", "kernel", "'k.xen'" },
  { "hash-in-string", "extra = 'a # b'\n", "extra", "'a # b'" },
  { "escaped-single-quote", "name = 'it\\'s'\n", "name", "'it's'" },
  { "double-quote-in-single", "name = 'say \"hi\"'\n", "name", "'say \"hi\"'" },
  { "escapes", "extra = \"a\\tb\\\\c\\nd\\\"e\\'f\"\n", "extra", "'a\tb\\c\nd\"e'f'" },
  { "number-hex", "memory = 0x100\n", "memory", "'0x100'" },
  { "string-list", "vif = [ 'a', \"b\" ]\n", "vif", "[a, b]" },
  { "empty-list", "disk = [ ]\n", "disk", "[]" },
  { "list-trailing-comma", "vif = [ 'a', ]\n", "vif", "[a]" },
  { "list-over-lines",
    "vif = [\n"
    "  # first\n"
    "  'a',\n"
    "\n"
    "  'b'\n"
    "]\n",
    "vif", "[a, b]" },
  { "list-comma-on-next-line", "vif = [ 'a'\n , 'b' ]\n", "vif", "[a, b]" },
  { "nested-list-vnuma",
    "vnuma = [ [ \"pnode=0\", \"size=512\" ], [ \"pnode=1\", \"size=512\" ] ]\n",
    "vnuma", "[]" },
  { "plus-equals-string", "extra = '--a'\nextra += ' --b'\n", "extra", "'--a --b'" },
  { "plus-equals-list", "vif = [ 'a' ]\nvif += [ 'b' ]\n", "vif", "[a, b]" },
  { "plus-equals-first", "extra += 'x'\n", "extra", "'x'" },
  { "dotted-key", "device_model_args.hvm = [ ]\n", "device_model_args.hvm", "[]" },
  { "raw-bytes-in-string", "name = 'ünï\x01 ok'\n", "name", "'ünï\x01 ok'" },
  { "cr-inside-comment", "# made on Windows\r\nname = 'w'\n", "name", "'w'" },
};

static void
test_read (gconstpointer data)
{
  const ReadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *described = NULL;
  UniXlConfig *config;

  config = uni_xl_config_new (c->input, -1, &error);
  g_assert_no_error (error);
  described = describe (config, c->key);
  g_assert_cmpstr (described, ==, c->expected);
  g_assert_cmpstr (uni_xl_config_get_text (config, NULL), ==, c->input);
  g_assert_finalize_object (config);
}

static void
test_memory_forms (void)
{
  static const struct
  {
    const char *input;
    gboolean    ok;
    gint64      mib;
  } cases[] = {
    { "memory = 256\n", TRUE, 256 },
    { "memory = 0x100\n", TRUE, 256 },
    { "memory = 0400\n", TRUE, 256 },
    { "memory = '512'\n", TRUE, 512 },
    { "memory = 'lots'\n", FALSE, 0 },
    { "memory = 256abc\n", FALSE, 0 },
    { "memory = [ 256 ]\n", FALSE, 0 },
    { "memory = 128\nmemory += 8\n", FALSE, 0 },
    { "name = 'x'\n", FALSE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UniXlConfig) config = uni_xl_config_new (cases[i].input, -1, &error);
      gint64 mib = -1;

      g_assert_no_error (error);
      g_assert_cmpint (uni_xl_config_get_memory (config, &mib), ==, cases[i].ok);
      if (cases[i].ok)
        g_assert_cmpint (mib, ==, cases[i].mib);
    }
}

static void
test_guest_type (void)
{
  static const char * const cases[][2] = {
    { "builder = 'linux'\n", "pv" },
    { "builder = 'generic'\n", "pv" },
    { "builder = 'hvm'\n", "hvm" },
    { "type = 'pvh'\n", "pvh" },
    { "type = 'pv'\nbuilder = 'linux'\n", "pv" },
    { "name = 'x'\n", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(UniXlConfig) config = uni_xl_config_new (cases[i][0], -1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (uni_xl_config_get_guest_type (config), ==, cases[i][1]);
    }
}

static void
test_vif_setting (void)
{
  static const char * const cases[][3] = {
    { "bridge=br0", "bridge", "br0" },
    { "mac=00:16:3e:00:00:01, bridge=xenbr0", "bridge", "xenbr0" },
    { "bridge=a,bridge=b", "bridge", "b" },
    { "mac=00:16:3e:00:00:01", "bridge", NULL },
    { "", "bridge", NULL },
    { "xbridge=br0", "bridge", NULL },
    { "bridge=", "bridge", "" },
    { "script=vif-openvswitch,bridge=ovs0", "script", "vif-openvswitch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *value = uni_xl_vif_dup_setting (cases[i][0], cases[i][1]);

      g_assert_cmpstr (value, ==, cases[i][2]);
    }
}

/* Files xl refuses: the error says where, and nothing crashes. */

typedef struct
{
  const char *name;
  const char *input;
  gssize      length;
  guint       line;
  guint       column;
  const char *fragment;
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "unterminated-string", "name = 'www\n", -1, 1, 8, "no closing '" },
  { "string-to-end-of-file", "name = \"www", -1, 1, 8, "no closing \"" },
  { "backslash-line-end", "name = 'a\\\nb'\n", -1, 1, 8, "no closing" },
  { "two-values", "memory = 256 512\n", -1, 1, 14, "end of the line" },
  { "value-then-word", "kernel = 'k'x\n", -1, 1, 13, "end of the line" },
  { "no-equals", "kernel 'x'\n", -1, 1, 8, "Expected “=” after “kernel”" },
  { "upper-case-key", "\nName = 'x'\n", -1, 2, 1, "lower case" },
  { "bare-word-value", "name = www\n", -1, 1, 8, "Expected a value" },
  { "missing-value", "name =\n", -1, 1, 7, "Expected a value" },
  { "value-on-next-line", "name =\n'www'\n", -1, 1, 7, "Expected a value" },
  { "list-without-comma", "vif = [ 'a' 'b' ]\n", -1, 1, 13, "“,” or “]”" },
  { "list-unclosed", "vif = [ 'a',\n", -1, 2, 1, "Expected a value" },
  { "list-leading-comma", "vif = [ , 'a' ]\n", -1, 1, 9, "Expected a value" },
  { "carriage-return", "name = 'x'\r\n", -1, 1, 11, "CR LF" },
  { "hex-escape", "extra = \"\\x41\"\n", -1, 1, 10, "numeric escapes" },
  { "octal-escape", "extra = 'a\\012'\n", -1, 1, 11, "numeric escapes" },
  { "unknown-escape", "extra = \"\\q\"\n", -1, 1, 10, "“\\q”" },
  { "negative-number", "memory = -1\n", -1, 1, 10, "Unexpected “-”" },
  { "python-concatenation", "name = 'a' + 'b'\n", -1, 1, 12, "Unexpected “+”" },
  { "python-call", "kernel = os.path.join('a')\n", -1, 1, 10, "Expected a value" },
  { "comment-without-line-end", "# generated", -1, 1, 1, "line break after a comment" },
  { "last-comment-without-line-end", "name = 'x'\n# end", -1, 2, 1, "line break" },
  { "starts-with-equals", "= 'x'\n", -1, 1, 1, "setting name" },
  { "starts-with-string", "'x'\n", -1, 1, 1, "setting name" },
  { "list-plus-string", "vif = [ 'a' ]\nvif += 'b'\n", -1, 2, 1, "cannot add a list" },
  { "nul-byte", "name = 'a\0b'\n", 13, 1, 10, "NUL" },
  { "nul-byte-outside", "name = 'a'\0\n", 12, 1, 11, "NUL" },
  { "unicode-column", "name = 'é' é\n", -1, 1, 12, "Unexpected “é”" },
  { "deep-nesting",
    "x = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
    -1, 1, 37, "nested too deeply" },
};

static void
test_error (gconstpointer data)
{
  const ErrorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *where = NULL;
  UniXlConfig *config;

  config = uni_xl_config_new (c->input, c->length, &error);
  g_assert_null (config);
  g_assert_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_PARSE);

  where = g_strdup_printf ("Line %u, column %u: ", c->line, c->column);
  if (!g_str_has_prefix (error->message, where) || strstr (error->message, c->fragment) == NULL)
    g_error ("expected “%s…%s”, got “%s”", where, c->fragment, error->message);
}

/* Edits: each changes only its value; a refused one changes nothing. */

typedef enum
{
  EDIT_KERNEL,
  EDIT_NAME,
  EDIT_MEMORY,
  EDIT_BRIDGE,
  EDIT_STRING,
} EditOp;

typedef struct
{
  const char *name;
  const char *input;
  EditOp      op;
  const char *key;        /* EDIT_STRING */
  const char *value;      /* EDIT_MEMORY: decimal */
  const char *expected;   /* NULL: refused with error_code */
  int         error_code;
} EditCase;

static const EditCase edit_cases[] = {
  { "kernel-single-quotes", "name = 'www'\nkernel = 'www.xen'\ntype = 'pvh'\n", EDIT_KERNEL, NULL,
    "/srv/www.xen", "name = 'www'\nkernel = '/srv/www.xen'\ntype = 'pvh'\n", 0 },
  { "kernel-double-quotes", "kernel = \"www.xen\" # here\n", EDIT_KERNEL, NULL,
    "/srv/www.xen", "kernel = \"/srv/www.xen\" # here\n", 0 },
  { "kernel-last-of-two", "kernel = 'a'\nkernel = 'b'\n", EDIT_KERNEL, NULL,
    "c", "kernel = 'a'\nkernel = 'c'\n", 0 },
  { "kernel-missing", "name = 'www'\n", EDIT_KERNEL, NULL,
    "/srv/www.xen", "name = 'www'\nkernel = '/srv/www.xen'\n", 0 },
  { "kernel-missing-no-newline", "name = \"www\"", EDIT_KERNEL, NULL,
    "/srv/www.xen", "name = \"www\"\nkernel = \"/srv/www.xen\"\n", 0 },
  { "kernel-missing-tight-style", "name='www'\n", EDIT_KERNEL, NULL,
    "k.xen", "name='www'\nkernel='k.xen'\n", 0 },
  { "kernel-missing-empty-file", "", EDIT_KERNEL, NULL,
    "k.xen", "kernel = 'k.xen'\n", 0 },
  { "kernel-on-semicolon-line", "name = 'w'; kernel = 'k'; memory = 64\n", EDIT_KERNEL, NULL,
    "/k", "name = 'w'; kernel = '/k'; memory = 64\n", 0 },
  { "kernel-was-number", "kernel = 42\n", EDIT_KERNEL, NULL,
    "/k", "kernel = '/k'\n", 0 },
  { "kernel-plus-equals", "kernel = '/srv/'\nkernel += 'www.xen'\n", EDIT_KERNEL, NULL,
    "/k", NULL, UNI_XL_CONFIG_ERROR_UNSUPPORTED },
  { "kernel-is-list", "kernel = [ 'a' ]\n", EDIT_KERNEL, NULL,
    "/k", NULL, UNI_XL_CONFIG_ERROR_UNSUPPORTED },
  { "kernel-empty", "kernel = 'a'\n", EDIT_KERNEL, NULL,
    "", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "kernel-not-utf8", "kernel = 'a'\n", EDIT_KERNEL, NULL,
    "/srv/\xff\xfe.xen", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "name", "# c\nname = 'www'   # the domain\n", EDIT_NAME, NULL,
    "www-arm", "# c\nname = 'www-arm'   # the domain\n", 0 },
  { "name-empty", "name = 'www'\n", EDIT_NAME, NULL,
    "", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "memory", "name = 'w'\nmemory = 256\non_crash = 'preserve'\n", EDIT_MEMORY, NULL,
    "64", "name = 'w'\nmemory = 64\non_crash = 'preserve'\n", 0 },
  { "memory-quoted", "memory = \"256\"\n", EDIT_MEMORY, NULL,
    "128", "memory = \"128\"\n", 0 },
  { "memory-hex", "memory = 0x100\n", EDIT_MEMORY, NULL,
    "512", "memory = 512\n", 0 },
  { "memory-missing", "name = 'w'\n", EDIT_MEMORY, NULL,
    "32", "name = 'w'\nmemory = 32\n", 0 },
  { "memory-zero", "memory = 256\n", EDIT_MEMORY, NULL,
    "0", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "memory-too-big", "memory = 256\n", EDIT_MEMORY, NULL,
    "4294967296", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "memory-plus-equals", "memory = 256\nmemory += 0\n", EDIT_MEMORY, NULL,
    "64", NULL, UNI_XL_CONFIG_ERROR_UNSUPPORTED },
  { "bridge", "vif = [ 'bridge=br0' ]\n", EDIT_BRIDGE, NULL,
    "xenbr0", "vif = [ 'bridge=xenbr0' ]\n", 0 },
  { "bridge-keeps-other-settings", "vif = [ 'mac=00:16:3e:00:00:01, bridge=br0,model=e1000' ]\n",
    EDIT_BRIDGE, NULL, "xenbr0",
    "vif = [ 'mac=00:16:3e:00:00:01, bridge=xenbr0,model=e1000' ]\n", 0 },
  { "bridge-added", "vif = [ 'mac=00:16:3e:00:00:01' ]\n", EDIT_BRIDGE, NULL,
    "br0", "vif = [ 'mac=00:16:3e:00:00:01,bridge=br0' ]\n", 0 },
  { "bridge-added-after-comma", "vif = [ 'mac=00:16:3e:00:00:01,' ]\n", EDIT_BRIDGE, NULL,
    "br0", "vif = [ 'mac=00:16:3e:00:00:01,bridge=br0' ]\n", 0 },
  { "bridge-added-to-empty-spec", "vif = [ '' ]\n", EDIT_BRIDGE, NULL,
    "br0", "vif = [ 'bridge=br0' ]\n", 0 },
  { "bridge-every-vif",
    "vif = [\n  'bridge=br0', # lan\n  \"bridge=br1\"\n]\nvif += [ 'mac=00:16:3e:00:00:03' ]\n",
    EDIT_BRIDGE, NULL, "xenbr0",
    "vif = [\n  'bridge=xenbr0', # lan\n  \"bridge=xenbr0\"\n]\n"
    "vif += [ 'mac=00:16:3e:00:00:03,bridge=xenbr0' ]\n", 0 },
  { "bridge-twice-in-one-spec", "vif = [ 'bridge=a, bridge=b' ]\n", EDIT_BRIDGE, NULL,
    "br0", "vif = [ 'bridge=br0, bridge=br0' ]\n", 0 },
  { "bridge-no-vif", "name = 'w'\n# No network devices\n", EDIT_BRIDGE, NULL,
    "br0", "name = 'w'\n# No network devices\n", 0 },
  { "bridge-empty-vif-list", "vif = [  ]\n", EDIT_BRIDGE, NULL,
    "br0", "vif = [  ]\n", 0 },
  { "bridge-vif-not-list", "vif = 'bridge=br0'\n", EDIT_BRIDGE, NULL,
    "xenbr0", NULL, UNI_XL_CONFIG_ERROR_UNSUPPORTED },
  { "bridge-vif-nested", "vif = [ [ 'bridge=br0' ] ]\n", EDIT_BRIDGE, NULL,
    "xenbr0", NULL, UNI_XL_CONFIG_ERROR_UNSUPPORTED },
  { "bridge-with-comma", "vif = [ 'bridge=br0' ]\n", EDIT_BRIDGE, NULL,
    "br0,mac=1", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "bridge-with-space", "vif = [ 'bridge=br0' ]\n", EDIT_BRIDGE, NULL,
    "br 0", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "bridge-too-long", "vif = [ 'bridge=br0' ]\n", EDIT_BRIDGE, NULL,
    "a-bridge-named-too-long", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "bridge-empty", "vif = [ 'bridge=br0' ]\n", EDIT_BRIDGE, NULL,
    "", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "bridge-dot-dot", "vif = [ 'bridge=br0' ]\n", EDIT_BRIDGE, NULL,
    "..", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "string-extra", "extra = \"--port=8080\"\n", EDIT_STRING, "extra",
    "--port=80 --ipv4=10.0.0.2/24", "extra = \"--port=80 --ipv4=10.0.0.2/24\"\n", 0 },
  { "string-new-key", "name = 'w'\n", EDIT_STRING, "on_crash",
    "destroy", "name = 'w'\non_crash = 'destroy'\n", 0 },
  { "string-bad-key", "name = 'w'\n", EDIT_STRING, "On_Crash",
    "destroy", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
  { "string-key-with-space", "name = 'w'\n", EDIT_STRING, "on crash",
    "destroy", NULL, UNI_XL_CONFIG_ERROR_INVALID_VALUE },
};

static gboolean
apply_edit (UniXlConfig  *config,
            EditOp        op,
            const char   *key,
            const char   *value,
            GError      **error)
{
  switch (op)
    {
    case EDIT_KERNEL:
      return uni_xl_config_set_kernel (config, value, error);
    case EDIT_NAME:
      return uni_xl_config_set_name (config, value, error);
    case EDIT_MEMORY:
      return uni_xl_config_set_memory (config, g_ascii_strtoll (value, NULL, 10), error);
    case EDIT_BRIDGE:
      return uni_xl_config_set_vif_bridge (config, value, error);
    case EDIT_STRING:
      return uni_xl_config_set_string (config, key, value, error);
    default:
      g_assert_not_reached ();
    }
}

static void
test_edit (gconstpointer data)
{
  const EditCase *c = data;
  g_autoptr(GError) error = NULL;
  UniXlConfig *config;
  gboolean ok;

  config = uni_xl_config_new (c->input, -1, &error);
  g_assert_no_error (error);

  ok = apply_edit (config, c->op, c->key, c->value, &error);
  if (c->expected != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_cmpstr (uni_xl_config_get_text (config, NULL), ==, c->expected);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, UNI_XL_CONFIG_ERROR, c->error_code);
      g_assert_cmpstr (uni_xl_config_get_text (config, NULL), ==, c->input);
    }

  g_assert_finalize_object (config);
}

/* Kernel paths that break naive quoting: each is written so that xl reads
 * it back exactly, in the quotes the file already uses.
 */

typedef struct
{
  const char *name;
  const char *path;
  const char *in_single;
  const char *in_double;
} HostileCase;

static const HostileCase hostile_cases[] = {
  { "spaces", "/srv/my kernels/www.xen",
    "'/srv/my kernels/www.xen'", "\"/srv/my kernels/www.xen\"" },
  { "single-quote", "/srv/it's/www.xen",
    "'/srv/it\\'s/www.xen'", "\"/srv/it's/www.xen\"" },
  { "double-quotes", "/srv/\"quoted\"/www.xen",
    "'/srv/\"quoted\"/www.xen'", "\"/srv/\\\"quoted\\\"/www.xen\"" },
  { "both-quotes", "/srv/both'\"/www.xen",
    "'/srv/both\\'\"/www.xen'", "\"/srv/both'\\\"/www.xen\"" },
  { "shell-characters", "/srv/$HOME/`id`/$(reboot)/www.xen",
    "'/srv/$HOME/`id`/$(reboot)/www.xen'", "\"/srv/$HOME/`id`/$(reboot)/www.xen\"" },
  { "backslashes", "C:\\unikernels\\www.xen",
    "'C:\\\\unikernels\\\\www.xen'", "\"C:\\\\unikernels\\\\www.xen\"" },
  { "ends-in-backslash", "/srv/ends-in-backslash\\",
    "'/srv/ends-in-backslash\\\\'", "\"/srv/ends-in-backslash\\\\\"" },
  { "unicode", "/srv/ünïcødé/ユニカーネル.xen",
    "'/srv/ünïcødé/ユニカーネル.xen'", "\"/srv/ünïcødé/ユニカーネル.xen\"" },
  { "line-break", "/srv/line\nbreak.xen",
    "'/srv/line\\nbreak.xen'", "\"/srv/line\\nbreak.xen\"" },
  { "tab-and-return", "/srv/tab\tand\rreturn",
    "'/srv/tab\\tand\\rreturn'", "\"/srv/tab\\tand\\rreturn\"" },
  { "syntax-characters", "/srv/#not-a-comment/[x],=;.xen",
    "'/srv/#not-a-comment/[x],=;.xen'", "\"/srv/#not-a-comment/[x],=;.xen\"" },
  { "only-a-quote", "'", "'\\''", "\"'\"" },
  { "only-a-space", " ", "' '", "\" \"" },
};

static void
test_hostile_kernel (gconstpointer data)
{
  const HostileCase *c = data;

  for (guint style = 0; style < 2; style++)
    {
      const char *before = style == 0 ? "name = 'www'\nkernel = 'www.xen' # k\n"
                                      : "name = \"www\"\nkernel = \"www.xen\" # k\n";
      const char *literal = style == 0 ? c->in_single : c->in_double;
      g_autoptr(GError) error = NULL;
      g_autoptr(UniXlConfig) reread = NULL;
      g_autofree char *expected = NULL;
      UniXlConfig *config;

      config = uni_xl_config_new (before, -1, &error);
      g_assert_no_error (error);
      g_assert_true (uni_xl_config_set_kernel (config, c->path, &error));
      g_assert_no_error (error);

      expected = g_strdup_printf (style == 0 ? "name = 'www'\nkernel = %s # k\n"
                                             : "name = \"www\"\nkernel = %s # k\n",
                                  literal);
      g_assert_cmpstr (uni_xl_config_get_text (config, NULL), ==, expected);

      reread = uni_xl_config_new (expected, -1, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (uni_xl_config_get_kernel (reread), ==, c->path);
      g_assert_cmpstr (uni_xl_config_get_name (reread), ==, "www");

      g_assert_finalize_object (config);
    }
}

/* Every prefix of every example, and every example with one byte turned
 * into a character that matters to the syntax: each reads or fails with a
 * located parse error, and an edit of what reads gives a file that reads.
 */

static void
check_any_input (const char *text,
                 gsize       length)
{
  g_autoptr(GError) error = NULL;
  UniXlConfig *config;
  gsize result_length;
  const char *result;

  config = uni_xl_config_new (text, length, &error);
  if (config == NULL)
    {
      g_assert_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "Line "));
      return;
    }
  g_assert_no_error (error);

  result = uni_xl_config_get_text (config, &result_length);
  g_assert_cmpmem (result, result_length, text, length);

  if (!uni_xl_config_set_kernel (config, "/srv/a b/it's \"x\"\\.xen", &error))
    {
      g_assert_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED);
      g_clear_error (&error);
    }
  if (!uni_xl_config_set_vif_bridge (config, "xenbr0", &error))
    {
      g_assert_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED);
      g_clear_error (&error);
    }
  if (!uni_xl_config_set_memory (config, 128, &error))
    {
      g_assert_error (error, UNI_XL_CONFIG_ERROR, UNI_XL_CONFIG_ERROR_UNSUPPORTED);
      g_clear_error (&error);
    }

  {
    g_autoptr(UniXlConfig) reread = NULL;

    result = uni_xl_config_get_text (config, &result_length);
    reread = uni_xl_config_new (result, result_length, &error);
    g_assert_no_error (error);
  }

  g_assert_finalize_object (config);
}

static void
test_every_prefix_and_byte (void)
{
  static const char specials[] = "'\"[],;=#\\\n\r\t +xZ\0\xc3";
  g_autofree char *folder = data_path (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *file;
  guint files = 0;

  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);

  while ((file = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *text = NULL;
      g_autofree char *mutated = NULL;
      gsize length;

      if (!g_str_has_suffix (file, ".xl"))
        continue;
      files++;

      text = load (file, &length);
      for (gsize n = 0; n <= length; n++)
        check_any_input (text, n);

      mutated = g_memdup2 (text, length);
      for (gsize i = 0; i < length; i++)
        {
          for (gsize s = 0; s < sizeof specials - 1; s++)
            {
              mutated[i] = specials[s];
              check_any_input (mutated, length);
            }
          mutated[i] = text[i];
        }
    }

  g_assert_cmpuint (files, >=, G_N_ELEMENTS (file_cases));
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  UNI_TEST_ADD_CASES ("/uni/xl-config/file", file_cases, test_read_file);
  UNI_TEST_ADD_CASES ("/uni/xl-config/deploy", deploy_cases, test_deploy_file);
  g_test_add_func ("/uni/xl-config/deploy/without-network", test_bridge_without_network);
  UNI_TEST_ADD_CASES ("/uni/xl-config/read", read_cases, test_read);
  g_test_add_func ("/uni/xl-config/read/memory-forms", test_memory_forms);
  g_test_add_func ("/uni/xl-config/read/guest-type", test_guest_type);
  g_test_add_func ("/uni/xl-config/read/vif-setting", test_vif_setting);
  UNI_TEST_ADD_CASES ("/uni/xl-config/error", error_cases, test_error);
  UNI_TEST_ADD_CASES ("/uni/xl-config/edit", edit_cases, test_edit);
  UNI_TEST_ADD_CASES ("/uni/xl-config/hostile-kernel", hostile_cases, test_hostile_kernel);
  g_test_add_func ("/uni/xl-config/fuzz/every-prefix-and-byte", test_every_prefix_and_byte);

  return g_test_run ();
}
