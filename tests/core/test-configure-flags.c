/* test-configure-flags.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-configure-flags.h"
#include "uni-test-util.h"

#define NET_2_3 "net:enum(socket|direct)"
#define NET_4   "net:enum(host|socket|ocaml|direct)"
#define KV_RO   "kv_ro:enum(crunch|fat|archive|direct)"

static const char gluecon_www[] =
  "open Mirage\n"
  "\n"
  "let port =\n"
  "  let doc = Key.Arg.info ~doc:\"The TCP port the web server listens on.\" [\"port\"] in\n"
  "  Key.(create \"port\" Arg.(opt int 8080 doc))\n"
  "\n"
  "let main =\n"
  "  foreign \"Dispatch.Main\"\n"
  "    ~keys:[Key.abstract port]\n"
  "    ~libraries:[\"re.str\"; \"str\"]\n"
  "    ~packages:[\"re\"]\n"
  "    (console @-> kv_ro @-> http @-> job)\n"
  "\n"
  "let stack = generic_stackv4 default_console tap0\n"
  "let fs = generic_kv_ro \"htdocs\"\n"
  "let http = http_server (conduit_direct stack)\n"
  "\n"
  "let () = register \"www\" [ main $ default_console $ fs $ http ]\n";

static const char env_net_getenv[] =
  "open Mirage\n"
  "\n"
  "let net =\n"
  "  try Sys.getenv \"NET\" with Not_found -> \"socket\"\n"
  "\n"
  "let dhcp = (try Sys.getenv \"DHCP\" with Not_found -> \"false\") = \"true\"\n"
  "\n"
  "let stack console =\n"
  "  match net, dhcp with\n"
  "  | \"direct\", true -> direct_stackv4_with_dhcp console tap0\n"
  "  | \"direct\", false -> direct_stackv4_with_default_ipv4 console tap0\n"
  "  | _ -> socket_stackv4 console [Ipaddr.V4.any]\n"
  "\n"
  "let handler = foreign \"Services.Main\" (console @-> stackv4 @-> job)\n"
  "\n"
  "let () =\n"
  "  add_to_ocamlfind_libraries [\"mirage-http\"; \"tcpip.stack-socket\"];\n"
  "  add_to_opam_packages [\"mirage-http\"; \"tcpip\"];\n"
  "  register \"services\" [\n"
  "    handler $ default_console $ stack default_console\n"
  "  ]\n";

/* A key attached in place, and one never attached: mirage ignores that one. */
static const char v3_dhcp_keys[] =
  "open Mirage\n"
  "\n"
  "let hostname =\n"
  "  Key.abstract\n"
  "    Key.(create \"hostname\" Arg.(opt string \"cubieboard2\" "
  "(Arg.info ~doc:\"Host name.\" [\"hostname\"])))\n"
  "\n"
  "let lease =\n"
  "  Key.(create \"lease\" Arg.(opt int 3600 (Arg.info ~doc:\"Lease time.\" [\"lease\"])))\n"
  "\n"
  "let main =\n"
  "  foreign \"Unikernel.Main\"\n"
  "    ~keys:[ hostname ]\n"
  "    ~packages:[ package ~min:\"0.10\" \"charrua-core\" ]\n"
  "    (network @-> ethernet @-> arpv4 @-> job)\n"
  "\n"
  "let net = default_network\n"
  "let ethif = etif net\n"
  "let arp = arp ethif\n"
  "\n"
  "let () = register \"dhcp\" [ main $ net $ ethif $ arp ]\n";

static const char v3_static_website[] =
  "open Mirage\n"
  "\n"
  "let stack = generic_stackv4 default_network\n"
  "let data = generic_kv_ro ~key:Key.(value @@ kv_ro ()) \"htdocs\"\n"
  "let http_srv = http_server @@ conduit_direct ~tls:false stack\n"
  "\n"
  "let http_port =\n"
  "  let doc = Key.Arg.info ~doc:\"Listening HTTP port.\" [\"http\"] in\n"
  "  Key.(create \"http_port\" Arg.(opt int 8080 doc))\n"
  "\n"
  "let main =\n"
  "  let packages = [ package \"uri\"; package \"magic-mime\" ] in\n"
  "  let keys = [ Key.abstract http_port ] in\n"
  "  foreign ~packages ~keys \"Dispatch.HTTP\" (pclock @-> kv_ro @-> http @-> job)\n"
  "\n"
  "let () = register \"http\" [main $ default_posix_clock $ data $ http_srv]\n";

/* A run-time key is not a configure flag. */
static const char v40_foreign_dune[] =
  "open Mirage\n"
  "\n"
  "let port =\n"
  "  let doc = Key.Arg.info ~doc:\"Port to listen on.\" [\"port\"] in\n"
  "  Key.(create \"port\" Arg.(opt ~stage:`Run int 8080 doc))\n"
  "\n"
  "let main =\n"
  "  foreign \"Unikernel.Main\"\n"
  "    ~keys:[ Key.v port ]\n"
  "    ~packages:[ package ~min:\"5.0.0\" ~max:\"6.0.0\" \"cohttp-mirage\" ]\n"
  "    (pclock @-> kv_ro @-> http @-> job)\n"
  "\n"
  "let stack = generic_stackv4v6 default_network\n"
  "let http = cohttp_server (conduit_direct ~tls:false stack)\n"
  "let htdocs = crunch \"htdocs\"\n"
  "\n"
  "let () = register \"www\" [ main $ default_posix_clock $ htdocs $ http ]\n";

static const char v45_configure_keys[] =
  "(* mirage >= 4.5.0 & < 4.9.0 *)\n"
  "open Mirage\n"
  "\n"
  "let tls_key =\n"
  "  let doc = Key.Arg.info ~doc:\"Serve HTTPS instead of HTTP.\" [ \"tls\" ] in\n"
  "  Key.(create \"tls\" Arg.(flag doc))\n"
  "\n"
  "let main =\n"
  "  main ~runtime_args:[ runtime_arg ~pos:__POS__ \"Unikernel.Conf.port\" ]\n"
  "    \"Unikernel.Main\" (kv_ro @-> http @-> job)\n"
  "\n"
  "let stack = generic_stackv4v6 default_network\n"
  "\n"
  "let server =\n"
  "  if_impl (Key.value tls_key)\n"
  "    (cohttp_server (conduit_direct ~tls:true stack))\n"
  "    (cohttp_server (conduit_direct ~tls:false stack))\n"
  "\n"
  "let () =\n"
  "  register \"site\" ~keys:[ Key.v tls_key ] [ main $ crunch \"site\" $ server ]\n";

#define V45_NETWORK_BODY \
  "open Mirage\n" \
  "\n" \
  "let port = runtime_arg ~pos:__POS__ \"Unikernel.port\"\n" \
  "\n" \
  "let main =\n" \
  "  main \"Unikernel.Main\"\n" \
  "    ~packages:[ package \"cohttp-mirage\" ]\n" \
  "    ~runtime_args:[ port ]\n" \
  "    (kv_ro @-> http @-> job)\n" \
  "\n" \
  "let htdocs = crunch \"htdocs\"\n" \
  "let stack = generic_stackv4v6 default_network\n" \
  "let server = cohttp_server (conduit_direct ~tls:false stack)\n" \
  "\n" \
  "let () = register \"www\" [ main $ htdocs $ server ]\n"

static const char v29_keys_all_kinds[] =
  "open Mirage\n"
  "\n"
  "let port =\n"
  "  Key.create \"port\"\n"
  "    Key.Arg.(opt ~stage:`Both int 8080\n"
  "               (info ~doc:\"Port to listen on.\" ~docv:\"PORT\" ~env:\"WWW_PORT\" "
  "[\"port\"; \"p\"]))\n"
  "\n"
  "let offset =\n"
  "  Key.create \"offset\" Key.Arg.(opt int (-1) (info ~doc:\"Clock offset.\" [\"offset\"]))\n"
  "\n"
  "let verbose =\n"
  "  Key.create \"verbose\" Key.Arg.(flag (info ~doc:\"Talk a lot.\" [\"verbose\"; \"v\"]))\n"
  "\n"
  "let name =\n"
  "  Key.create \"name\" Key.Arg.(opt string \"cubie \\\"board\\\"\" "
  "(info ~doc:\"Board name.\" [\"name\"]))\n"
  "\n"
  "let tls =\n"
  "  Key.create \"tls\" Key.Arg.(opt ~stage:`Configure bool false "
  "(info ~doc:\"Serve HTTPS.\" [\"tls\"]))\n"
  "\n"
  "let workers =\n"
  "  Key.create \"workers\" Key.Arg.(opt (some int) None (info ~doc:\"Workers.\" [\"workers\"]))\n"
  "\n"
  "let retries =\n"
  "  Key.create \"retries\" Key.Arg.(opt (some int) (Some 3) (info [\"retries\"]))\n"
  "\n"
  "let hosts =\n"
  "  Key.create \"hosts\"\n"
  "    Key.Arg.(opt (list string) [\"a.example\"; \"b.example\"]\n"
  "               (info ~doc:\"Hosts.\" [\"hosts\"]))\n"
  "\n"
  "let ip =\n"
  "  Key.create \"ip\"\n"
  "    Key.Arg.(opt ipv4_address (Ipaddr.V4.of_string_exn \"10.0.0.2\") "
  "(info ~doc:\"Address.\" [\"ip\"]))\n"
  "\n"
  "let network =\n"
  "  Key.create \"network\" Key.Arg.(required ~stage:`Run ipv4 (info [\"network\"]))\n"
  "\n"
  "let token =\n"
  "  Key.create \"token\" Key.Arg.(required string (info ~env:\"TOKEN\" [\"token\"]))\n"
  "\n"
  "let main =\n"
  "  foreign \"Unikernel.Main\"\n"
  "    ~keys:[ Key.abstract port; Key.abstract offset; Key.abstract verbose;\n"
  "            Key.abstract name; Key.abstract tls; Key.abstract workers;\n"
  "            Key.abstract retries; Key.abstract hosts; Key.abstract ip;\n"
  "            Key.abstract network; Key.abstract token ]\n"
  "    (console @-> job)\n"
  "\n"
  "let () = register \"keys\" [ main $ default_console ]\n";

/* A key that declares --net itself hides the tool's own --net. */
static const char v29_own_net_key[] =
  "open Mirage\n"
  "\n"
  "let net =\n"
  "  Key.create \"net\" Key.Arg.(opt string \"socket\" (info ~doc:\"Mine.\" [\"net\"]))\n"
  "\n"
  "let main = foreign ~keys:[Key.abstract net] \"Unikernel.Main\" (stackv4 @-> job)\n"
  "let stack = generic_stackv4 default_console tap0\n"
  "let () = register \"mine\" [ main $ stack ]\n";

static const char v3_no_network[] =
  "open Mirage\n"
  "\n"
  "let main = foreign \"Unikernel.Main\" (console @-> job)\n"
  "let () = register \"hello\" [ main $ default_console ]\n";

/* Nothing tells the era: `--net` takes other values in 2.x–3.x and 4.x. */
static const char unknown_era_network[] =
  "open Mirage\n"
  "\n"
  "let main = foreign \"Unikernel.Main\" (stackv4 @-> kv_ro @-> job)\n"
  "let stack = socket_stackv4 default_console [Ipaddr.V4.any]\n"
  "let fs = generic_kv_ro \"htdocs\"\n"
  "let () = register \"www\" [ main $ stack $ fs ]\n";

/* One flag per word: `*` marks a flag from config.ml, then name:type,
 * (choices) and =default when there are some.
 */
static char *
describe_flags (GPtrArray *flags)
{
  g_autoptr(GString) description = g_string_new (NULL);

  for (guint i = 0; i < flags->len; i++)
    {
      const UniConfigureFlag *flag = g_ptr_array_index (flags, i);

      g_assert_nonnull (flag->name);
      g_assert_nonnull (flag->type);
      g_assert_nonnull (flag->doc);

      if (i > 0)
        g_string_append_c (description, ' ');
      if (flag->from_config)
        g_string_append_c (description, '*');
      else
        g_assert_cmpstr (flag->doc, !=, "");
      g_string_append_printf (description, "%s:%s", flag->name, flag->type);
      if (flag->choices != NULL)
        {
          g_autofree char *choices = g_strjoinv ("|", flag->choices);

          g_string_append_printf (description, "(%s)", choices);
        }
      if (flag->default_value != NULL)
        g_string_append_printf (description, "=%s", flag->default_value);
    }

  return g_string_free (g_steal_pointer (&description), FALSE);
}

static void
test_for_manifest (void)
{
  static const struct {
    const char *label;
    const char *text;
    const char *version;
    const char *expected;
  } cases[] = {
    { "2.9 GlueCon www", gluecon_www, NULL,
      "*port:int=8080 " NET_2_3 " dhcp:bool network:string ip:ipv4_address "
      "netmask:ipv4_address gateways:ipv4_address_list " KV_RO " no-opam:switch" },
    { "unknown era: no network flags, no kv_ro", unknown_era_network, NULL,
      "" },
    { "unknown era, whatever the tool", unknown_era_network, "4.11.1",
      "" },
    { "2.x getenv knobs are no flags", env_net_getenv, NULL,
      "no-opam:switch" },
    { "3.x network, unattached key", v3_dhcp_keys, NULL,
      "*hostname:string=cubieboard2 " NET_2_3 " dhcp:bool interface:string ipv4:ipv4 "
      "ipv4-gateway:ipv4_address" },
    { "3.x static website", v3_static_website, NULL,
      "*http:int=8080 " NET_2_3 " dhcp:bool interface:string ipv4:ipv4 "
      "ipv4-gateway:ipv4_address " KV_RO },
    { "3.x no network", v3_no_network, NULL,
      "" },
    { "4.0 run-time key, crunch", v40_foreign_dune, NULL,
      NET_4 " dhcp:bool ipv4:ipv4 ipv4-gateway:ipv4_address" },
    { "4.5 flag key, pinned before 4.11", v45_configure_keys, NULL,
      "*tls:switch " NET_4 " dhcp:bool" },
    { "4.5 pinned from 4.11", "(* mirage >= 4.11.0 *)\n" V45_NETWORK_BODY, NULL,
      NET_4 " no-dhcp:switch" },
    { "4.5 pinned below 4.11", "(* mirage >= 4.5.0 & < 4.11.0 *)\n" V45_NETWORK_BODY, NULL,
      NET_4 " dhcp:bool" },
    { "4.5 pin across 4.11", "(* mirage >= 4.5.0 & < 4.12.0 *)\n" V45_NETWORK_BODY, NULL,
      NET_4 },
    { "4.5 pin across 4.11, tool 4.11.1", "(* mirage >= 4.5.0 & < 4.12.0 *)\n"
      V45_NETWORK_BODY, "v4.11.1",
      NET_4 " no-dhcp:switch" },
    { "4.5 pin across 4.11, tool 4.10.0", "(* mirage >= 4.5.0 & < 4.12.0 *)\n"
      V45_NETWORK_BODY, "4.10.0",
      NET_4 " dhcp:bool" },
    { "2.9 keys of every kind", v29_keys_all_kinds, NULL,
      "*port:int=8080 *offset:int=-1 *verbose:switch *name:string=cubie \"board\" "
      "*tls:bool=false *workers:int *retries:int=3 *hosts:string *ip:ipv4_address=10.0.0.2 "
      "*token:string no-opam:switch" },
    { "2.9 key named like a built-in", v29_own_net_key, NULL,
      "*net:string=socket dhcp:bool network:string ip:ipv4_address netmask:ipv4_address "
      "gateways:ipv4_address_list no-opam:switch" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UniManifest) manifest = uni_manifest_new (cases[i].text, -1);
      g_autoptr(GPtrArray) flags = NULL;
      g_autofree char *description = NULL;

      g_test_message ("%s", cases[i].label);
      flags = uni_configure_flags_for_mirage_version (manifest, cases[i].version);
      description = describe_flags (flags);
      g_assert_cmpstr (description, ==, cases[i].expected);

      if (cases[i].version == NULL)
        {
          g_autoptr(GPtrArray) same = uni_configure_flags_for_manifest (manifest);
          g_autofree char *same_description = describe_flags (same);

          g_assert_cmpstr (same_description, ==, description);
        }
    }
}

static void
test_find (void)
{
  g_autoptr(UniManifest) manifest = uni_manifest_new (gluecon_www, -1);
  g_autoptr(GPtrArray) flags = uni_configure_flags_for_manifest (manifest);
  const UniConfigureFlag *port = uni_configure_flags_find (flags, "port");
  const UniConfigureFlag *net = uni_configure_flags_find (flags, "net");

  g_assert_nonnull (port);
  g_assert_true (port->from_config);
  g_assert_cmpstr (port->doc, ==, "The TCP port the web server listens on.");
  g_assert_nonnull (net);
  g_assert_false (net->from_config);
  g_assert_null (uni_configure_flags_find (flags, "ipv4"));
  g_assert_null (uni_configure_flags_find (flags, "--port"));
}

static void
test_validate (void)
{
  static const char * const net_choices[] = { "socket", "direct", NULL };
  static const struct {
    const char         *type;
    const char * const *choices;
    const char         *value;
    gboolean            valid;
  } cases[] = {
    { "int", NULL, "8080", TRUE },
    { "int", NULL, "0", TRUE },
    { "int", NULL, "-1", TRUE },
    { "int", NULL, "", FALSE },
    { "int", NULL, "-", FALSE },
    { "int", NULL, "80a", FALSE },
    { "int", NULL, " 80", FALSE },
    { "int", NULL, "0x50", FALSE },
    { "int", NULL, "1.5", FALSE },
    { "int", NULL, "99999999999999999999999", FALSE },
    { "bool", NULL, "true", TRUE },
    { "bool", NULL, "false", TRUE },
    { "bool", NULL, "yes", FALSE },
    { "bool", NULL, "True", FALSE },
    { "bool", NULL, "1", FALSE },
    { "switch", NULL, "true", TRUE },
    { "switch", NULL, "false", TRUE },
    { "switch", NULL, "", FALSE },
    { "enum", net_choices, "socket", TRUE },
    { "enum", net_choices, "direct", TRUE },
    { "enum", net_choices, "host", FALSE },
    { "enum", net_choices, "Socket", FALSE },
    { "enum", net_choices, "", FALSE },
    { "ipv4_address", NULL, "10.0.0.2", TRUE },
    { "ipv4_address", NULL, "0.0.0.0", TRUE },
    { "ipv4_address", NULL, "255.255.255.255", TRUE },
    { "ipv4_address", NULL, "256.0.0.1", FALSE },
    { "ipv4_address", NULL, "10.0.0", FALSE },
    { "ipv4_address", NULL, "10.0.0.2.1", FALSE },
    { "ipv4_address", NULL, "10.0.0.2/24", FALSE },
    { "ipv4_address", NULL, "10..0.2", FALSE },
    { "ipv4_address", NULL, "010.0.0.2", FALSE },
    { "ipv4_address", NULL, "cubieboard2.local", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1", TRUE },
    { "ipv4_address_list", NULL, "10.0.0.1,10.0.0.254", TRUE },
    { "ipv4_address_list", NULL, "10.0.0.1,10.0.0.254,192.168.1.1", TRUE },
    { "ipv4_address_list", NULL, "", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1,", FALSE },
    { "ipv4_address_list", NULL, ",10.0.0.1", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1,,10.0.0.2", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1, 10.0.0.2", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1;10.0.0.2", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1,256.0.0.1", FALSE },
    { "ipv4_address_list", NULL, "10.0.0.1,10.0.0.0/24", FALSE },
    { "ipv4", NULL, "10.0.0.2/24", TRUE },
    { "ipv4", NULL, "10.0.0.2/0", TRUE },
    { "ipv4", NULL, "10.0.0.2/32", TRUE },
    { "ipv4", NULL, "10.0.0.2/33", FALSE },
    { "ipv4", NULL, "10.0.0.2", FALSE },
    { "ipv4", NULL, "10.0.0.2/", FALSE },
    { "ipv4", NULL, "10.0.0/24", FALSE },
    { "string", NULL, "tap0", TRUE },
    { "string", NULL, "two words", TRUE },
    { "string", NULL, "", FALSE },
    { "string", NULL, "two\nlines", FALSE },
    { "string", NULL, "carriage\rreturn", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniConfigureFlag flag = {
        .name = (char *) "test",
        .type = (char *) cases[i].type,
        .choices = (char **) cases[i].choices,
        .doc = (char *) "",
      };
      g_autoptr(GError) error = NULL;
      gboolean valid;

      g_test_message ("%s “%s”", cases[i].type, cases[i].value);
      valid = uni_configure_flag_validate (&flag, cases[i].value, &error);
      g_assert_cmpint (valid, ==, cases[i].valid);
      if (cases[i].valid)
        {
          g_assert_no_error (error);
        }
      else
        {
          g_assert_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_INVALID_VALUE);
          g_assert_nonnull (strstr (error->message, "--test"));
        }
    }
}

static void
test_validate_messages (void)
{
  static const char * const net_choices[] = { "socket", "direct", NULL };
  static const struct {
    const char         *type;
    const char * const *choices;
    const char         *expected;
  } cases[] = {
    { "int", NULL, "a whole number" },
    { "bool", NULL, "true or false" },
    { "enum", net_choices, "one of socket, direct" },
    { "ipv4_address", NULL, "10.0.0.2" },
    { "ipv4_address_list", NULL, "10.0.0.1,10.0.0.254" },
    { "ipv4", NULL, "10.0.0.2/24" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      UniConfigureFlag flag = {
        .name = (char *) "x",
        .type = (char *) cases[i].type,
        .choices = (char **) cases[i].choices,
      };
      g_autoptr(GError) error = NULL;

      g_assert_false (uni_configure_flag_validate (&flag, "not this", &error));
      g_assert_nonnull (strstr (error->message, "“not this”"));
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/configure-flags/for-manifest", test_for_manifest);
  g_test_add_func ("/uni/configure-flags/find", test_find);
  g_test_add_func ("/uni/configure-flags/validate", test_validate);
  g_test_add_func ("/uni/configure-flags/validate-messages", test_validate_messages);

  return g_test_run ();
}
