/* test-xl.c — `xl list` and `xl info` of several Xen versions read back, state letters in words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-launch.h"
#include "uni-test-util.h"
#include "uni-xl.h"

#define HEADER "Name                                        ID   Mem VCPUs\tState\tTime(s)\n"

/* The domains of a list, one "name|id|mem|vcpus|state|seconds" line each. */
static char *
dump_domains (GPtrArray *domains)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < domains->len; i++)
    {
      const UniXlDomain *d = g_ptr_array_index (domains, i);
      char seconds[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (seconds, sizeof seconds, "%.1f", d->cpu_seconds);
      g_string_append_printf (out, "%s|%u|%u|%u|%s|%s\n",
                              d->name, d->id, d->mem_mib, d->vcpus, d->state, seconds);
    }

  return g_string_free (out, FALSE);
}

static char *
read_data (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "xl-output", name, NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);

  return text;
}

/* What comes through `ssh -t`: the terminal ends lines in CR LF. */
static char *
through_terminal (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  return g_strjoinv ("\r\n", lines);
}

/* -- xl list ------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *file;
  const char *text;
  gboolean    terminal;
  const char *expected;
} ListCase;

static const ListCase list_cases[] = {
  { "4.4-cubieboard2", "list-4.4-cubieboard2.txt", NULL, FALSE,
    "Domain-0|0|512|2|r-----|171.7\n"
    "www|3|256|1|-b----|0.4\n" },
  { "4.4-through-a-terminal", "list-4.4-cubieboard2.txt", NULL, TRUE,
    "Domain-0|0|512|2|r-----|171.7\n"
    "www|3|256|1|-b----|0.4\n" },
  { "4.11-paused-and-crashed", "list-4.11-x86_64.txt", NULL, FALSE,
    "Domain-0|0|4043|4|r-----|2811.3\n"
    "mirage-www|12|256|1|-b----|1.9\n"
    "static-website|13|32|1|--p---|0.0\n"
    "old-build|9|256|1|---sc-|12.5\n" },
  { "4.17-names-with-spaces-and-long", "list-4.17-x86_64.txt", NULL, FALSE,
    "Domain-0|0|2048|8|r-----|91234.6\n"
    "my web site|7|512|2|-b----|73.0\n"
    "a-name-much-longer-than-the-forty-columns-of-xl|8|64|1|-b----|0.2\n"
    "going|10|128|1|---s-d|3.1\n"
    "reborn|11|128|1|---sr-|0.7\n" },
  { "header-alone", NULL, HEADER, FALSE, "" },
  { "warning-before-the-header", NULL,
    "libxl: warning: libxl_utils.c:1:something: printed first\n" HEADER
    "Domain-0                                     0   512     2     r-----      12.0\n",
    FALSE, "Domain-0|0|512|2|r-----|12.0\n" },
  { "blank-lines-and-no-final-newline", NULL,
    "\n" HEADER "\n"
    "Domain-0                                     0   512     2     r-----      12.0\n"
    "   \n"
    "www                                          1   256     1     -b----       0.1",
    FALSE, "Domain-0|0|512|2|r-----|12.0\nwww|1|256|1|-b----|0.1\n" },
  { "single-spaces", NULL, HEADER "two  words 4 64 1 -b---- 5\n", FALSE,
    "two  words|4|64|1|-b----|5.0\n" },
  { "leading-spaces-kept", NULL, HEADER "  indented 4 64 1 -b---- 5\n", FALSE,
    "  indented|4|64|1|-b----|5.0\n" },
  { "name-like-a-row", NULL, HEADER "www 1 256 1 -b---- 0.1 2 64 1 -b---- 3.0\n", FALSE,
    "www 1 256 1 -b---- 0.1|2|64|1|-b----|3.0\n" },
};

static void
test_list (gconstpointer data)
{
  const ListCase *c = data;
  g_autofree char *file_text = c->file != NULL ? read_data (c->file) : NULL;
  g_autofree char *terminal_text = NULL;
  const char *text = c->file != NULL ? file_text : c->text;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = NULL;
  g_autofree char *dump = NULL;

  if (c->terminal)
    {
      terminal_text = through_terminal (text);
      text = terminal_text;
    }

  domains = uni_xl_parse_list (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (domains);

  dump = dump_domains (domains);
  g_assert_cmpstr (dump, ==, c->expected);
}

typedef struct
{
  const char *name;
  const char *text;
  UniXlError  code;
  const char *in_message;
} BadListCase;

static const BadListCase bad_list_cases[] = {
  { "empty", "", UNI_XL_ERROR_NO_HEADER, NULL },
  { "not-root", "cannot init xl context\n", UNI_XL_ERROR_NO_HEADER, NULL },
  { "rows-without-header",
    "Domain-0                                     0   512     2     r-----      12.0\n",
    UNI_XL_ERROR_NO_HEADER, NULL },
  { "verbose-columns",
    "Name                                        ID   Mem VCPUs\tState\tTime(s)   UUID"
    "                            Reason-Code\tSecurity Label\n",
    UNI_XL_ERROR_UNSUPPORTED, "UUID" },
  { "time-not-a-number", HEADER "www 1 256 1 -b---- soon\n", UNI_XL_ERROR_MALFORMED,
    "“www 1 256 1 -b---- soon”" },
  { "time-infinite", HEADER "www 1 256 1 -b---- inf\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "time-negative", HEADER "www 1 256 1 -b---- -1.0\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "time-huge", HEADER "www 1 256 1 -b---- 1e999\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "state-letter-out-of-place", HEADER "www 1 256 1 b----- 0.1\n", UNI_XL_ERROR_MALFORMED,
    NULL },
  { "state-too-short", HEADER "www 1 256 1 -b--- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "state-unknown-letter", HEADER "www 1 256 1 -x---- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "vcpus-not-a-number", HEADER "www 1 256 one -b---- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "mem-negative", HEADER "www 1 -256 1 -b---- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "id-too-big", HEADER "www 99999999999 256 1 -b---- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "no-name", HEADER "1 256 1 -b---- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "too-few-columns", HEADER "www 256 1 -b---- 0.1\n", UNI_XL_ERROR_MALFORMED, NULL },
  { "message-after-header", HEADER
    "Domain-0                                     0   512     2     r-----      12.0\n"
    "libxl: error: libxl.c:1:libxl_list_domain: getting domain info list\n",
    UNI_XL_ERROR_MALFORMED, "Line 3" },
};

static void
test_bad_list (gconstpointer data)
{
  const BadListCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = uni_xl_parse_list (c->text, &error);

  g_assert_null (domains);
  g_assert_error (error, UNI_XL_ERROR, (int)c->code);
  if (c->in_message != NULL)
    g_assert_nonnull (strstr (error->message, c->in_message));
}

static void
test_domain_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) domains = uni_xl_parse_list (HEADER "my www 5 64 1 --p--- 2.5\n", &error);
  g_autoptr(UniXlDomain) copy = NULL;
  const UniXlDomain *original;

  g_assert_no_error (error);
  g_assert_cmpuint (domains->len, ==, 1);
  original = g_ptr_array_index (domains, 0);

  copy = g_boxed_copy (UNI_TYPE_XL_DOMAIN, original);
  g_ptr_array_set_size (domains, 0);

  g_assert_cmpstr (copy->name, ==, "my www");
  g_assert_cmpuint (copy->id, ==, 5);
  g_assert_cmpuint (copy->mem_mib, ==, 64);
  g_assert_cmpuint (copy->vcpus, ==, 1);
  g_assert_cmpstr (copy->state, ==, "--p---");
  g_assert_cmpfloat_with_epsilon (copy->cpu_seconds, 2.5, 1e-9);
}

/* -- xl info ------------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *file;
  const char *text;
  gboolean    terminal;
  /* key=value pairs the table must hold; "key=" for an empty value */
  const char *expected[10];
  /* keys it must not hold */
  const char *absent[4];
  guint       n_keys;
} InfoCase;

static const InfoCase info_cases[] = {
  { "4.4-cubieboard2", "info-4.4-cubieboard2.txt", NULL, FALSE,
    { "xen_version=4.4.0", "xen_extra=.0", "machine=armv7l", "total_memory=1024",
      "free_memory=255", "nr_cpus=2", "virt_caps=", "xen_caps=xen-3.0-armv7l",
      "host=cubieboard2", NULL },
    { "build_id", NULL }, 33 },
  { "4.4-through-a-terminal", "info-4.4-cubieboard2.txt", NULL, TRUE,
    { "xen_version=4.4.0", "xend_config_format=4", "xen_changeset=", NULL },
    { NULL }, 33 },
  { "4.11-x86_64", "info-4.11-x86_64.txt", NULL, FALSE,
    { "xen_version=4.11.4-pre", "xen_extra=.4-pre", "machine=x86_64",
      "hw_caps=bfebfbff:77fafbff:2c100800:00000121:0000000f:009c6fbf:00000000:00000100",
      "cc_compile_date=Fri Dec  6 12:49:10 UTC 2019", "virt_caps=hvm hvm_directio",
      "xen_scheduler=credit", "build_id=2a5bcb4cbf03d6b0a4c4cdc3c4b0ab1a36e10b2d", NULL },
    { NULL }, 34 },
  { "4.17-x86_64", "info-4.17-x86_64.txt", NULL, FALSE,
    { "xen_version=4.17.3", "xen_scheduler=credit2", "free_memory=29613",
      "cpu_mhz=3600.006", "xen_commandline=placeholder dom0_mem=2048M,max:2048M", NULL },
    { NULL }, 34 },
  { "lines-that-are-not-key-value", NULL,
    "garbage\n"
    "   : no key\n"
    "9lives                 : a key starts with a letter\n"
    "two words              : not a key\n"
    "xen_version            : 4.4.0\n"
    "xen_version            : 9.9.9\n"
    "numa_info              :\n"
    "node:    memsize    memfree    distances\n",
    FALSE,
    { "xen_version=4.4.0", "numa_info=", "node=memsize    memfree    distances", NULL },
    { "9lives", "two words", "garbage", NULL }, 3 },
  { "not-xl", NULL, "cannot init xl context\n", FALSE, { NULL }, { NULL }, 0 },
};

static void
test_info (gconstpointer data)
{
  const InfoCase *c = data;
  g_autofree char *file_text = c->file != NULL ? read_data (c->file) : NULL;
  g_autofree char *terminal_text = NULL;
  const char *text = c->file != NULL ? file_text : c->text;
  g_autoptr(GHashTable) info = NULL;

  if (c->terminal)
    {
      terminal_text = through_terminal (text);
      text = terminal_text;
    }

  info = uni_xl_parse_info (text);
  g_assert_cmpuint (g_hash_table_size (info), ==, c->n_keys);

  for (guint i = 0; c->expected[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (c->expected[i], "=", 2);

      g_assert_cmpstr (g_hash_table_lookup (info, pair[0]), ==, pair[1]);
    }

  for (guint i = 0; c->absent[i] != NULL; i++)
    g_assert_false (g_hash_table_contains (info, c->absent[i]));
}

/* -- state letters ------------------------------------------------------- */

typedef struct
{
  const char *name;
  const char *letters;
  const char *words;
} StateCase;

static const StateCase state_cases[] = {
  { "r-----", "r-----", "running" },
  { "-b----", "-b----", "idle" },
  { "--p---", "--p---", "paused" },
  { "---s--", "---s--", "shut down" },
  { "---sc-", "---sc-", "crashed" },
  { "---sr-", "---sr-", "rebooting" },
  { "---ss-", "---ss-", "suspended" },
  { "---sw-", "---sw-", "stopped by its watchdog" },
  { "---sS-", "---sS-", "soft resetting" },
  { "---s?-", "---s?-", "shut down" },
  { "---s-d", "---s-d", "shut down, dying" },
  { "---scd", "---scd", "crashed, dying" },
  { "-----d", "-----d", "dying" },
  { "-bp---", "-bp---", "idle, paused" },
  { "------", "------", "waiting to run" },
  { "empty", "", NULL },
  { "five-letters", "r----", NULL },
  { "seven-letters", "r------", NULL },
  { "letter-out-of-place", "b-----", NULL },
  { "unknown-letter", "x-----", NULL },
  { "reason-in-last-place", "-----c", NULL },
  { "capital-r", "R-----", NULL },
};

static void
test_state (gconstpointer data)
{
  const StateCase *c = data;
  g_autofree char *words = uni_xl_describe_state (c->letters);

  g_assert_cmpstr (words, ==, c->words);
}

/* Every state letter `xl list` can print is described. */
static void
test_state_of_listed (void)
{
  static const char * const files[] = {
    "list-4.4-cubieboard2.txt", "list-4.11-x86_64.txt", "list-4.17-x86_64.txt",
  };

  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *text = read_data (files[f]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) domains = uni_xl_parse_list (text, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < domains->len; i++)
        {
          const UniXlDomain *d = g_ptr_array_index (domains, i);
          g_autofree char *words = uni_xl_describe_state (d->state);

          g_assert_nonnull (words);
        }
    }
}

/* -- the console ---------------------------------------------------------- */

/* `xl console` shows what the unikernel prints; its address is read with
 * uni_launch_find_address(), the same rule as for a unix unikernel, also
 * from lines a terminal ended with CR.
 */
typedef struct
{
  const char *name;
  const char *line;
  const char *address;
} ConsoleCase;

static const ConsoleCase console_cases[] = {
  { "2.x-dhcp", "DHCP offer received and bound to 192.168.1.50 nm 255.255.255.0 gw [192.168.1.1]\r",
    "192.168.1.50" },
  { "2.x-static", "Manager: Interface to 10.0.0.2 nm 255.255.255.0 gw [10.0.0.1]\r", "10.0.0.2" },
  { "3.x", "2016-05-04 10:11:12 -00:00: INF [dhcp_client_lwt] Lease obtained! IP: 192.168.1.51, "
    "routers: 192.168.1.1\r", "192.168.1.51" },
  { "4.x", "2024-01-01T00:00:00-00:00: [INFO] [dhcp_client_lwt] Lease obtained! IP: 10.1.2.3, "
    "routers: 10.1.2.1\r", "10.1.2.3" },
  { "other", "2024-01-01T00:00:00-00:00: [INFO] [udp] UDP layer connected on 0.0.0.0\r", NULL },
};

static void
test_console_address (gconstpointer data)
{
  const ConsoleCase *c = data;
  g_autofree char *address = uni_launch_find_address (c->line);

  g_assert_cmpstr (address, ==, c->address);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  UNI_TEST_ADD_CASES ("/uni/xl/list", list_cases, test_list);
  UNI_TEST_ADD_CASES ("/uni/xl/list/bad", bad_list_cases, test_bad_list);
  g_test_add_func ("/uni/xl/list/domain-copy", test_domain_copy);
  UNI_TEST_ADD_CASES ("/uni/xl/info", info_cases, test_info);
  UNI_TEST_ADD_CASES ("/uni/xl/state", state_cases, test_state);
  g_test_add_func ("/uni/xl/state/of-listed-domains", test_state_of_listed);
  UNI_TEST_ADD_CASES ("/uni/xl/console-address", console_cases, test_console_address);

  return g_test_run ();
}
