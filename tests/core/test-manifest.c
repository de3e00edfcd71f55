/* test-manifest.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-manifest.h"
#include "uni-test-util.h"

static const char *config_2_env =
  "open Mirage\n"
  "\n"
  "let net =\n"
  "  try match Sys.getenv \"NET\" with\n"
  "    | \"direct\" -> `Direct\n"
  "    | \"socket\" -> `Socket\n"
  "    | _        -> `Direct\n"
  "  with Not_found -> `Socket\n"
  "\n"
  "let dhcp = try match Sys.getenv \"DHCP\" with \"\" -> false | _ -> true with Not_found -> false\n"
  "let fs = try Sys.getenv \"FS\" with Not_found -> \"crunch\"\n"
  "let mode = get_mode ()\n"
  "\n"
  "let main = foreign \"Unikernel.Main\" (console @-> stackv4 @-> job)\n"
  "\n"
  "let () =\n"
  "  add_to_ocamlfind_libraries [\"re.str\"];\n"
  "  add_to_opam_packages [\"re\"; \"cohttp\"];\n"
  "  register \"stackv4\" [main $ default_console $ stack]\n";

static const char *config_2_keys =
  "open Mirage\n"
  "\n"
  "let port =\n"
  "  let doc = Key.Arg.info ~doc:\"The TCP port.\" [\"port\"] in\n"
  "  Key.(create \"port\" Arg.(opt int 8080 doc))\n"
  "\n"
  "let main =\n"
  "  foreign\n"
  "    ~keys:[Key.abstract port]\n"
  "    ~libraries:[\"re.str\"] ~packages:[\"re\"]\n"
  "    \"Dispatch.Main\" (console @-> kv_ro @-> http @-> job)\n"
  "\n"
  "let data = crunch \"htdocs\"\n"
  "let stack = generic_stackv4 default_console tap0\n"
  "let http_srv = http_server (conduit_direct ~tls:false stack)\n"
  "\n"
  "let () =\n"
  "  register \"www\" [main $ default_console $ data $ http_srv]\n";

static const char *config_3 =
  "open Mirage\n"
  "\n"
  "let hello =\n"
  "  let doc = Key.Arg.info ~doc:\"How to say hello.\" ~docv:\"HELLO\" ~env:\"HELLO\" [\"hello\"; \"h\"] in\n"
  "  Key.(create \"hello\" Arg.(opt ~stage:`Both string \"Hello World!\" doc))\n"
  "\n"
  "let ip = Key.create \"ip\" Key.Arg.(opt ipv4_address (Ipaddr.V4.of_string_exn \"10.0.0.2\") (info [\"ip\"]))\n"
  "let net = Key.create \"network\" Key.Arg.(opt ipv4 (Ipaddr.V4.Prefix.of_string_exn \"10.0.0.2/24\") (info [\"network\"]))\n"
  "let neg = Key.create \"neg\" (Key.Arg.opt Key.Arg.int (-1) (Key.Arg.info [\"neg\"]))\n"
  "let workers = Key.create \"workers\" Key.Arg.(opt (some int) None (info ~doc:\"Workers.\" [\"workers\"]))\n"
  "let retries = Key.create \"retries\" Key.Arg.(opt (some int) (Some 3) (info [\"retries\"]))\n"
  "let tls = Key.create \"tls\" Key.Arg.(opt bool false (info [\"tls\"]))\n"
  "let verbose = Key.create \"verbose\" Key.Arg.(flag (info ~doc:\"Verbose.\" [\"v\"; \"verbose\"]))\n"
  "let hosts = Key.create \"hosts\" Key.Arg.(opt (list string) [\"a\"; \"b\"] (info [\"hosts\"]))\n"
  "let name = Key.create \"name\" Key.Arg.(required ~stage:`Configure string (info [\"name\"]))\n"
  "let peers = Key.create \"peers\" Key.Arg.(opt_all string (info [\"peer\"]))\n"
  "\n"
  "let main =\n"
  "  foreign\n"
  "    ~keys:[Key.abstract hello; Key.abstract ip]\n"
  "    ~packages:[package \"duration\"; package ~sublibs:[\"mirage\"; \"lwt\"] \"tcpip\" ~min:\"3.0.0\" ~max:\"4.0.0\"]\n"
  "    \"Unikernel.Hello\" (time @-> stackv4 @-> job)\n"
  "\n"
  "let () =\n"
  "  register \"hello\" [main $ default_time $ generic_stackv4 default_network]\n";

static const char *config_4_0 =
  "open Mirage\n"
  "\n"
  "let port = Key.create \"port\" Key.Arg.(opt ~stage:`Run int 443 (info ~doc:\"Port.\" [\"port\"]))\n"
  "\n"
  "let main =\n"
  "  foreign ~keys:[ Key.v port ]\n"
  "    ~packages:[\n"
  "      package \"cohttp-mirage\";\n"
  "      package ~min:\"0.3.0\" \"dns-client\";\n"
  "    ]\n"
  "    \"Unikernel.Main\" (stackv4v6 @-> job)\n"
  "\n"
  "let () = register \"dual\" [ main $ generic_stackv4v6 default_network ]\n";

static const char *config_4_5 =
  "(* mirage >= 4.5.1 & < 4.6.0 *)\n"
  "open Mirage\n"
  "\n"
  "let hello = runtime_arg ~pos:__POS__ \"Unikernel.hello\"\n"
  "let port = Runtime_arg.create ~pos:__POS__ Unikernel_args.port\n"
  "\n"
  "let packages =\n"
  "  [ package \"duration\"\n"
  "  ; package ~max:\"2.0.0\" \"mirage-crypto-rng\" ]\n"
  "\n"
  "let main =\n"
  "  main ~packages ~runtime_args:[ hello; port ] \"Unikernel.Hello\"\n"
  "    (time @-> kv_ro @-> job)\n"
  "\n"
  "let () = register \"hello-key\" [ main $ default_time $ generic_kv_ro \"htdocs\" ]\n";

static const char *config_4_9 =
  "open Mirage\n"
  "let main = main \"Unikernel\" job ~packages:[ package \"fmt\"; package \"logs\" ]\n"
  "let () = register \"plain\" [ main ]\n";

static UniManifest *
read_text (const char *text)
{
  return uni_manifest_new (text, -1);
}

static void
assert_strv (const char * const *got,
             const char         *first,
             ...)
{
  va_list args;
  const char *expected = first;
  guint i = 0;

  g_assert_nonnull (got);
  va_start (args, first);
  for (; expected != NULL; expected = va_arg (args, const char *), i++)
    g_assert_cmpstr (got[i], ==, expected);
  va_end (args);
  g_assert_null (got[i]);
}

static const UniManifestPackage *
find_package (UniManifest *manifest,
              const char  *name,
              gboolean     is_library)
{
  for (guint i = 0; i < uni_manifest_get_n_packages (manifest); i++)
    {
      const UniManifestPackage *package = uni_manifest_get_package (manifest, i);

      if (g_str_equal (package->name, name) && package->is_library == is_library)
        return package;
    }

  return NULL;
}

static gboolean
has_problem (UniManifest *manifest,
             const char  *prefix)
{
  for (guint i = 0; i < uni_manifest_get_n_problems (manifest); i++)
    if (g_str_has_prefix (uni_manifest_get_problem (manifest, i)->message, prefix))
      return TRUE;

  return FALSE;
}

static char *
span_text (UniManifest *manifest,
           UniSpan      span)
{
  const char *text = uni_manifest_get_text (manifest, NULL);

  return g_strndup (text + span.offset, span.length);
}

static void
test_era_2_env (void)
{
  g_autoptr(UniManifest) m = read_text (config_2_env);
  const UniManifestEnvKnob *knob;

  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_2_ENV);
  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "stackv4");
  g_assert_cmpstr (uni_manifest_get_entry (m, NULL), ==, "Unikernel.Main");
  g_assert_cmpstr (uni_manifest_get_signature (m), ==, "console @-> stackv4 @-> job");
  assert_strv (uni_manifest_get_devices (m), "console", "stackv4", NULL);
  g_assert_true (uni_manifest_get_uses_network (m));
  g_assert_null (uni_manifest_get_version_pin (m, NULL));

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 3);
  g_assert_nonnull (find_package (m, "re.str", TRUE));
  g_assert_nonnull (find_package (m, "re", FALSE));
  g_assert_nonnull (find_package (m, "cohttp", FALSE));

  g_assert_cmpuint (uni_manifest_get_n_env_knobs (m), ==, 3);
  knob = uni_manifest_get_env_knob (m, 0);
  g_assert_cmpstr (knob->name, ==, "NET");
  g_assert_cmpstr (knob->default_value, ==, "socket");
  g_assert_cmpstr (uni_manifest_get_env_knob (m, 1)->name, ==, "DHCP");
  g_assert_cmpstr (uni_manifest_get_env_knob (m, 1)->default_value, ==, "false");
  g_assert_cmpstr (uni_manifest_get_env_knob (m, 2)->name, ==, "FS");
  g_assert_cmpstr (uni_manifest_get_env_knob (m, 2)->default_value, ==, "crunch");
  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, 0);
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 0);
}

static void
test_era_2_keys (void)
{
  g_autoptr(UniManifest) m = read_text (config_2_keys);
  const UniManifestKey *key;
  g_autofree char *default_text = NULL;
  g_autofree char *name_text = NULL;

  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_2_KEYS);
  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "www");
  g_assert_cmpstr (uni_manifest_get_entry (m, NULL), ==, "Dispatch.Main");
  g_assert_cmpstr (uni_manifest_get_signature (m), ==, "console @-> kv_ro @-> http @-> job");
  assert_strv (uni_manifest_get_devices (m), "console", "kv_ro", "http", NULL);
  g_assert_true (uni_manifest_get_uses_network (m));
  g_assert_cmpstr (uni_manifest_get_static_store (m), ==, "crunch");

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 2);
  g_assert_nonnull (find_package (m, "re.str", TRUE));
  g_assert_nonnull (find_package (m, "re", FALSE));

  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, 1);
  key = uni_manifest_find_key (m, "port");
  g_assert_nonnull (key);
  assert_strv ((const char * const *) key->flags, "port", NULL);
  g_assert_cmpstr (key->kind, ==, "opt");
  g_assert_cmpstr (key->type, ==, "int");
  g_assert_cmpstr (key->default_text, ==, "8080");
  g_assert_cmpstr (key->doc, ==, "The TCP port.");
  g_assert_null (key->docv);
  g_assert_null (key->env);
  g_assert_null (key->stage);
  g_assert_true (key->attached);
  default_text = span_text (m, key->default_span);
  g_assert_cmpstr (default_text, ==, "8080");
  name_text = span_text (m, key->name_span);
  g_assert_cmpstr (name_text, ==, "\"port\"");
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 0);
}

static void
test_era_3 (void)
{
  g_autoptr(UniManifest) m = read_text (config_3);
  const UniManifestKey *key;
  const UniManifestPackage *tcpip;
  g_autofree char *json = NULL;

  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_3);
  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "hello");
  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, 11);

  key = uni_manifest_find_key (m, "hello");
  assert_strv ((const char * const *) key->flags, "hello", "h", NULL);
  g_assert_cmpstr (key->type, ==, "string");
  g_assert_cmpstr (key->default_text, ==, "\"Hello World!\"");
  g_assert_cmpstr (key->docv, ==, "HELLO");
  g_assert_cmpstr (key->env, ==, "HELLO");
  g_assert_cmpstr (key->stage, ==, "both");
  g_assert_true (key->attached);

  key = uni_manifest_find_key (m, "ip");
  g_assert_cmpstr (key->type, ==, "ipv4_address");
  g_assert_true (key->attached);
  key = uni_manifest_find_key (m, "network");
  g_assert_cmpstr (key->type, ==, "ipv4");
  g_assert_false (key->attached);
  key = uni_manifest_find_key (m, "neg");
  g_assert_cmpstr (key->type, ==, "int");
  g_assert_cmpstr (key->default_text, ==, "(-1)");
  key = uni_manifest_find_key (m, "workers");
  g_assert_cmpstr (key->type, ==, "some int");
  key = uni_manifest_find_key (m, "verbose");
  g_assert_cmpstr (key->kind, ==, "flag");
  g_assert_null (key->type);
  g_assert_null (key->default_text);
  g_assert_cmpuint (key->default_span.length, ==, 0);
  key = uni_manifest_find_key (m, "hosts");
  g_assert_cmpstr (key->type, ==, "list string");
  key = uni_manifest_find_key (m, "name");
  g_assert_cmpstr (key->kind, ==, "required");
  g_assert_cmpstr (key->stage, ==, "configure");
  key = uni_manifest_find_key (m, "peers");
  g_assert_cmpstr (key->kind, ==, "opt_all");

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 2);
  tcpip = find_package (m, "tcpip", FALSE);
  g_assert_nonnull (tcpip);
  g_assert_cmpstr (tcpip->min, ==, "3.0.0");
  g_assert_cmpstr (tcpip->max, ==, "4.0.0");
  assert_strv ((const char * const *) tcpip->sublibs, "mirage", "lwt", NULL);
  g_assert_null (find_package (m, "duration", FALSE)->sublibs);
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 0);

  /* Defaults as JSON values of the key's type. */
  json = uni_manifest_to_json (m, UNI_MANIFEST_JSON_NONE);
  g_assert_nonnull (strstr (json, "\"default\": \"10.0.0.2\""));
  g_assert_nonnull (strstr (json, "\"default\": \"10.0.0.2/24\""));
  g_assert_nonnull (strstr (json, "\"default\": -1"));
  g_assert_nonnull (strstr (json, "\"default\": 3"));
  g_assert_nonnull (strstr (json, "\"default\": false"));
  g_assert_nonnull (strstr (json, "\"default\": \"Hello World!\""));
}

static void
test_era_4_0 (void)
{
  g_autoptr(UniManifest) m = read_text (config_4_0);
  const UniManifestKey *key;

  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_4_0);
  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "dual");
  assert_strv (uni_manifest_get_devices (m), "stackv4v6", NULL);
  key = uni_manifest_find_key (m, "port");
  g_assert_true (key->attached);
  g_assert_cmpstr (key->stage, ==, "run");
  g_assert_cmpstr (find_package (m, "dns-client", FALSE)->min, ==, "0.3.0");
  g_assert_true (uni_manifest_get_uses_network (m));
}

static void
test_era_4_5 (void)
{
  g_autoptr(UniManifest) m = read_text (config_4_5);
  UniSpan span;
  g_autofree char *pin_text = NULL;

  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_4_5);
  g_assert_cmpstr (uni_manifest_get_version_pin (m, &span), ==, "mirage >= 4.5.1 & < 4.6.0");
  pin_text = span_text (m, span);
  g_assert_cmpstr (pin_text, ==, "mirage >= 4.5.1 & < 4.6.0");
  g_assert_cmpstr (uni_manifest_get_entry (m, NULL), ==, "Unikernel.Hello");
  g_assert_cmpstr (uni_manifest_get_signature (m), ==, "time @-> kv_ro @-> job");
  g_assert_cmpstr (uni_manifest_get_static_store (m), ==, "generic_kv_ro");
  g_assert_false (uni_manifest_get_uses_network (m));

  g_assert_cmpuint (uni_manifest_get_n_runtime_args (m), ==, 2);
  g_assert_cmpstr (uni_manifest_get_runtime_arg (m, 0)->name, ==, "Unikernel.hello");
  g_assert_cmpstr (uni_manifest_get_runtime_arg (m, 1)->name, ==, "port");

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 2);
  g_assert_cmpstr (find_package (m, "mirage-crypto-rng", FALSE)->max, ==, "2.0.0");
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 0);
}

static void
test_era_4_9_plain_module (void)
{
  g_autoptr(UniManifest) m = read_text (config_4_9);

  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_4_5);
  g_assert_cmpstr (uni_manifest_get_entry (m, NULL), ==, "Unikernel");
  g_assert_cmpstr (uni_manifest_get_signature (m), ==, "job");
  assert_strv (uni_manifest_get_devices (m), NULL);
  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 2);
}

/* Without a pin, weak markers decide together. */
static void
test_era_from_constructs (void)
{
  static const struct
  {
    const char *text;
    UniMirageEra era;
  } cases[] = {
    { "let main = foreign \"U.Main\" (console @-> job)\n", UNI_MIRAGE_ERA_UNKNOWN },
    { "let k = Key.create \"k\" Key.Arg.(opt int 1 (info [\"k\"]))\n", UNI_MIRAGE_ERA_2_KEYS },
    { "let k = Key.create \"k\" Key.Arg.(opt int 1 (info [\"k\"]))\n"
      "let net = try Sys.getenv \"NET\" with Not_found -> \"socket\"\n", UNI_MIRAGE_ERA_2_KEYS },
    { "let k = Key.create \"k\" Key.Arg.(opt int 1 (info [\"k\"]))\n"
      "let main = foreign ~packages:[] \"U.Main\" (console @-> job)\n", UNI_MIRAGE_ERA_3 },
    { "let k = Key.create \"k\" Key.Arg.(opt int 1 (info [\"k\"]))\n"
      "let main = foreign ~packages:[] \"U.Main\" (console @-> job)\n"
      "let s = generic_stackv4 default_console tap0\n", UNI_MIRAGE_ERA_2_KEYS },
    { "let s = direct_stackv4_with_dhcp default_console tap0\n"
      "let () = add_to_opam_packages [\"re\"]\n", UNI_MIRAGE_ERA_2_ENV },
    { "let p = if_impl Key.is_solo5 a b\n", UNI_MIRAGE_ERA_3 },
    { "let m = foreign \"U.Main\" (stackv4v6 @-> job)\n", UNI_MIRAGE_ERA_4_0 },
    { "let m = foreign \"U.Main\" ~keys:[ Key.v k ] job\n", UNI_MIRAGE_ERA_4_0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(UniManifest) m = read_text (cases[i].text);

      if (uni_manifest_get_era (m) != cases[i].era)
        g_error ("case %u: era %s, expected %s", i,
                 uni_mirage_era_to_string (uni_manifest_get_era (m)),
                 uni_mirage_era_to_string (cases[i].era));
    }
}

/* 2.x configs sometimes apply foreign with @@. */
static void
test_signature_after_apply (void)
{
  g_autoptr(UniManifest) m = read_text (
    "let server =\n"
    "  foreign \"Unikernel.Main\" @@ console @-> stackv4 @-> kv_ro @-> job\n"
    "let () = register \"s\" [server $ default_console]\n");

  g_assert_cmpstr (uni_manifest_get_signature (m), ==, "console @-> stackv4 @-> kv_ro @-> job");
  assert_strv (uni_manifest_get_devices (m), "console", "stackv4", "kv_ro", NULL);
}

static void
test_era_from_pin (void)
{
  static const struct
  {
    const char *pin;
    UniMirageEra era;
  } cases[] = {
    { "(* mirage >= 4.5.1 & < 4.6.0 *)", UNI_MIRAGE_ERA_4_5 },
    { "(* mirage >= 4.11.0 *)", UNI_MIRAGE_ERA_4_5 },
    { "(* mirage >= 4.4.1 & < 4.5.0 *)", UNI_MIRAGE_ERA_4_0 },
    { "(* mirage >= 3.10.0 & < 4.0.0 *)", UNI_MIRAGE_ERA_3 },
    { "(* mirage >= 2.9.1 *)", UNI_MIRAGE_ERA_2_KEYS },
    { "(* mirage >= 2.6.0 *)", UNI_MIRAGE_ERA_2_ENV },
    { "(* mirage < 4.0.0 *)", UNI_MIRAGE_ERA_UNKNOWN },
    { "(* not a pin *)", UNI_MIRAGE_ERA_UNKNOWN },
    { "\xef\xbb\xbf(* mirage >= 3.2.0 *)", UNI_MIRAGE_ERA_3 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = g_strconcat (cases[i].pin, "\nlet () = register \"x\" []\n", NULL);
      g_autoptr(UniManifest) m = read_text (text);

      g_assert_cmpstr (uni_mirage_era_to_string (uni_manifest_get_era (m)), ==,
                       uni_mirage_era_to_string (cases[i].era));
    }

  g_assert_cmpstr (uni_mirage_era_to_string (UNI_MIRAGE_ERA_UNKNOWN), ==, "unknown");
  g_assert_cmpstr (uni_mirage_era_to_string (UNI_MIRAGE_ERA_2_ENV), ==, "2.x-env");
  g_assert_cmpstr (uni_mirage_era_to_string (UNI_MIRAGE_ERA_2_KEYS), ==, "2.7-2.9");
  g_assert_cmpstr (uni_mirage_era_to_string (UNI_MIRAGE_ERA_3), ==, "3.x");
  g_assert_cmpstr (uni_mirage_era_to_string (UNI_MIRAGE_ERA_4_0), ==, "4.0-4.4");
  g_assert_cmpstr (uni_mirage_era_to_string (UNI_MIRAGE_ERA_4_5), ==, "4.5+");
}

static void
test_json (void)
{
  const char *text =
    "let port = Key.create \"port\" Key.Arg.(opt int 80 (info ~doc:\"P\\\"ort\" [\"port\"]))\n"
    "let main = foreign ~keys:[Key.abstract port] \"U.Main\" (console @-> job)\n"
    "let () = register \"x\" [main $ default_console]\n";
  const char *expected =
    "{\n"
    "  \"name\": \"x\",\n"
    "  \"entry\": \"U.Main\",\n"
    "  \"era\": \"2.7-2.9\",\n"
    "  \"version_pin\": null,\n"
    "  \"signature\": \"console @-> job\",\n"
    "  \"devices\": [\n"
    "    \"console\"\n"
    "  ],\n"
    "  \"network\": false,\n"
    "  \"static_store\": null,\n"
    "  \"packages\": [],\n"
    "  \"keys\": [\n"
    "    {\n"
    "      \"name\": \"port\",\n"
    "      \"flags\": [\n"
    "        \"port\"\n"
    "      ],\n"
    "      \"kind\": \"opt\",\n"
    "      \"type\": \"int\",\n"
    "      \"default\": 80,\n"
    "      \"doc\": \"P\\\"ort\",\n"
    "      \"docv\": null,\n"
    "      \"env\": null,\n"
    "      \"stage\": null,\n"
    "      \"attached\": true\n"
    "    }\n"
    "  ],\n"
    "  \"runtime_args\": [],\n"
    "  \"env_knobs\": [],\n"
    "  \"problems\": [],\n"
    "  \"spans\": {\n"
    "    \"name\": [170, 3],\n"
    "    \"entry\": [125, 8],\n"
    "    \"version_pin\": null,\n"
    "    \"keys\": {\n"
    "      \"port\": {\n"
    "        \"expr\": [11, 68],\n"
    "        \"default\": [46, 2],\n"
    "        \"doc\": [60, 8]\n"
    "      }\n"
    "    },\n"
    "    \"packages\": {}\n"
    "  }\n"
    "}\n";
  g_autoptr(UniManifest) m = read_text (text);
  g_autofree char *json = uni_manifest_to_json (m, UNI_MANIFEST_JSON_SPANS);
  g_autofree char *again = uni_manifest_to_json (m, UNI_MANIFEST_JSON_SPANS);

  g_assert_cmpstr (json, ==, expected);
  g_assert_cmpstr (again, ==, json);
}

static void
test_empty (void)
{
  static const char * const texts[] = { "", "  \n\t\n", "(* only a comment *)\n" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(UniManifest) m = read_text (texts[i]);
      g_autofree char *json = uni_manifest_to_json (m, UNI_MANIFEST_JSON_SPANS);

      g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_UNKNOWN);
      g_assert_null (uni_manifest_get_name (m, NULL));
      g_assert_null (uni_manifest_get_entry (m, NULL));
      g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 1);
      g_assert_cmpstr (uni_manifest_get_problem (m, 0)->message, ==, "Empty config.ml");
      g_assert_nonnull (json);
    }
}

static void
test_no_register (void)
{
  g_autoptr(UniManifest) m = read_text ("let main = foreign \"U.Main\" (console @-> job)\n");

  g_assert_null (uni_manifest_get_name (m, NULL));
  g_assert_cmpstr (uni_manifest_get_entry (m, NULL), ==, "U.Main");
  g_assert_true (has_problem (m, "No register call: the unikernel has no name"));
}

static void
test_two_registers (void)
{
  g_autoptr(UniManifest) m = read_text ("let () = register \"one\" []\n"
                                        "let () = register \"two\" []\n");

  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "one");
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 1);
  g_assert_cmpuint (uni_manifest_get_problem_line (m, 0), ==, 2);
}

static void
test_register_not_literal (void)
{
  g_autoptr(UniManifest) m = read_text ("let name = \"www\"\nlet () = register name []\n");

  g_assert_null (uni_manifest_get_name (m, NULL));
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 1);
  g_assert_cmpuint (uni_manifest_get_problem_line (m, 0), ==, 2);
}

static void
test_unterminated (void)
{
  g_autoptr(UniManifest) comment = read_text ("let () = register \"www\" []\n\n(* never (* closed *)\nlet x = 1\n");
  g_autoptr(UniManifest) string = read_text ("let () = register \"www\" []\nlet motd = \"open\nlet x = 1\n");

  g_assert_cmpstr (uni_manifest_get_name (comment, NULL), ==, "www");
  g_assert_cmpuint (uni_manifest_get_n_problems (comment), ==, 1);
  g_assert_cmpstr (uni_manifest_get_problem (comment, 0)->message, ==,
                   "Unterminated comment starting at line 3");
  g_assert_cmpuint (uni_manifest_get_problem_line (comment, 0), ==, 3);

  g_assert_cmpstr (uni_manifest_get_name (string, NULL), ==, "www");
  g_assert_cmpuint (uni_manifest_get_n_problems (string), ==, 1);
  g_assert_cmpstr (uni_manifest_get_problem (string, 0)->message, ==,
                   "Unterminated string starting at line 2");
}

static void
test_binary_junk (void)
{
  for (guint round = 0; round < 200; round++)
    {
      gsize length = g_test_rand_int_range (0, 8192);
      g_autofree char *junk = g_malloc (length + 1);
      g_autoptr(UniManifest) m = NULL;
      g_autofree char *json = NULL;

      for (gsize i = 0; i < length; i++)
        junk[i] = (char) g_test_rand_int_range (0, 256);
      m = uni_manifest_new (junk, length);
      json = uni_manifest_to_json (m, UNI_MANIFEST_JSON_SPANS);
      g_assert_true (g_utf8_validate (json, -1, NULL));
      for (guint i = 0; i < uni_manifest_get_n_problems (m); i++)
        {
          const UniManifestProblem *problem = uni_manifest_get_problem (m, i);

          g_assert_cmpuint (problem->span.offset + problem->span.length, <=, length);
        }
    }
}

/* Fragments of real configs shuffled: the reader must survive any mix. */
static void
test_shuffled_fragments (void)
{
  static const char * const fragments[] = {
    "register", "\"www\"", "[", "]", "(", ")", "foreign", "main", "\"U.Main\"", "@->", "job",
    "Key", ".", "create", "Arg", "opt", "int", "8080", "info", "~doc:", "~packages:", "package",
    "~min:", "\"1.0\"", ";", "let", "=", "in", "Sys", "getenv", "\"NET\"", "with", "Not_found",
    "->", "`Socket", "runtime_arg", "~pos:", "__POS__", "Key.abstract", "x", " ", "\n", "(*",
    "*)", "{|", "|}", "add_to_opam_packages", "~keys:", "Some", "None", "-",
  };

  for (guint round = 0; round < 1000; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      guint n = g_test_rand_int_range (0, 200);
      g_autoptr(UniManifest) m = NULL;
      g_autofree char *json = NULL;

      for (guint k = 0; k < n; k++)
        {
          g_string_append (text, fragments[g_test_rand_int_range (0, G_N_ELEMENTS (fragments))]);
          g_string_append_c (text, ' ');
        }
      m = uni_manifest_new (text->str, text->len);
      json = uni_manifest_to_json (m, UNI_MANIFEST_JSON_SPANS);
      g_assert_nonnull (json);
    }
}

static void
test_large_file (void)
{
  g_autoptr(GString) text = g_string_new (config_2_keys);
  g_autoptr(UniManifest) m = NULL;
  guint n = 0;

  while (text->len < 5 * 1024 * 1024)
    {
      g_string_append_printf (text,
                              "let k%u = Key.create \"k%u\" Key.Arg.(opt int %u (info [\"k%u\"]))\n"
                              "(* %u: register \"no\" *) let s%u = {|foreign|} ^ \"x\"\n",
                              n, n, n, n, n, n);
      n++;
    }

  m = uni_manifest_new (text->str, text->len);
  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "www");
  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, n + 1);
}

static void
test_crlf (void)
{
  g_autoptr(GString) text = g_string_new (config_2_keys);
  g_autoptr(UniManifest) m = NULL;
  const UniManifestKey *key;
  g_autofree char *name = NULL;
  g_autofree char *def = NULL;
  g_autofree char *doc = NULL;
  UniSpan span;

  g_string_replace (text, "\n", "\r\n", 0);
  m = uni_manifest_new (text->str, text->len);
  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_2_KEYS);
  g_assert_cmpstr (uni_manifest_get_name (m, &span), ==, "www");
  name = span_text (m, span);
  g_assert_cmpstr (name, ==, "\"www\"");
  key = uni_manifest_find_key (m, "port");
  def = span_text (m, key->default_span);
  doc = span_text (m, key->doc_span);
  g_assert_cmpstr (def, ==, "8080");
  g_assert_cmpstr (doc, ==, "\"The TCP port.\"");
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 0);
}

static void
test_key_helper (void)
{
  g_autoptr(UniManifest) m = read_text (
    "let mk name d = Key.create name Key.Arg.(opt int d (info [name]))\n"
    "let port = mk \"port\" 80\n"
    "let () = register \"h\" []\n");
  const UniManifestProblem *problem;
  g_autofree char *text = NULL;

  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, 0);
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 1);
  problem = uni_manifest_get_problem (m, 0);
  g_assert_cmpstr (problem->message, ==, "Key defined through a helper function: shown as text only");
  text = span_text (m, problem->span);
  g_assert_true (g_str_has_prefix (text, "Key.create name"));
}

static void
test_key_unreadable (void)
{
  g_autoptr(UniManifest) m = read_text (
    "let spec = Key.Arg.opt\n"
    "let port = Key.create \"port\" (spec Key.Arg.int 80 (Key.Arg.info [\"port\"]))\n"
    "let () = register \"h\" []\n");

  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, 1);
  g_assert_cmpstr (uni_manifest_get_key (m, 0)->name, ==, "port");
  g_assert_true (has_problem (m, "Key “port” could not be read"));
}

/* `Key.create "x" @@ spec` applies create to the spec like a juxtaposition. */
static void
test_key_apply (void)
{
  static const char text[] =
    "let port = Key.create \"port\" @@ Key.Arg.opt Key.Arg.int 8080 (Key.Arg.info ~doc:\"Port.\" [\"port\"])\n"
    "let host = Key.create \"host\" @@ Key.Arg.(opt string \"localhost\" (info [\"host\"; \"h\"]))\n"
    "let main = foreign ~keys:[Key.abstract port; Key.abstract host] \"U.Main\" (console @-> job)\n"
    "let () = register \"k\" [main $ default_console]\n";
  g_autoptr(UniManifest) m = read_text (text);
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *edited = NULL;
  const UniManifestKey *port;
  const UniManifestKey *host;

  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 0);
  g_assert_cmpuint (uni_manifest_get_n_keys (m), ==, 2);

  port = uni_manifest_find_key (m, "port");
  g_assert_nonnull (port);
  g_assert_cmpstr (port->kind, ==, "opt");
  g_assert_cmpstr (port->type, ==, "int");
  g_assert_cmpstr (port->default_text, ==, "8080");
  g_assert_cmpstr (port->doc, ==, "Port.");
  g_assert_cmpstrv (port->flags, ((const char * const[]) { "port", NULL }));
  g_assert_true (port->attached);
  /* The key's span is the whole expression, spec included. */
  g_assert_cmpuint (port->span.offset, ==, strlen ("let port = "));
  g_assert_cmpuint (port->span.offset + port->span.length, ==, strchr (text, '\n') - text);

  host = uni_manifest_find_key (m, "host");
  g_assert_nonnull (host);
  g_assert_cmpstr (host->type, ==, "string");
  g_assert_cmpstr (host->default_text, ==, "\"localhost\"");
  g_assert_cmpstrv (host->flags, ((const char * const[]) { "host", "h", NULL }));

  edit = uni_manifest_edit_set_key_default (m, "port", "80", &error);
  g_assert_no_error (error);
  edited = uni_text_edit_apply (edit, text, strlen (text), NULL);
  g_assert_nonnull (strstr (edited, "Key.Arg.opt Key.Arg.int 80 (Key.Arg.info"));
}

/* A bare `create` is a key only where the Key module is open. */
static void
test_open_key (void)
{
  g_autoptr(UniManifest) opened = read_text (
    "let port = let open Key in create \"port\" Arg.(opt int 80 (info [\"port\"]))\n"
    "let () = register \"k\" []\n");
  g_autoptr(UniManifest) closed = read_text (
    "let table = create \"table\" 16\n"
    "let () = register \"k\" []\n");

  g_assert_cmpuint (uni_manifest_get_n_keys (opened), ==, 1);
  g_assert_cmpstr (uni_manifest_get_key (opened, 0)->default_text, ==, "80");
  g_assert_cmpuint (uni_manifest_get_n_keys (closed), ==, 0);
  g_assert_cmpuint (uni_manifest_get_n_problems (closed), ==, 0);
}

static void
test_bound_lists (void)
{
  g_autoptr(UniManifest) m = read_text (
    "let packages = [\"re\"; \"cow\"]\n"
    "let libraries = [\"re.str\"]\n"
    "let keys = [Key.abstract port]\n"
    "let port = Key.create \"port\" Key.Arg.(opt int 80 (info [\"port\"]))\n"
    "let main = foreign ~packages:packages ~libraries \"U.Main\" (console @-> job)\n"
    "let () = register \"b\" [main $ default_console]\n");

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 3);
  g_assert_nonnull (find_package (m, "cow", FALSE));
  g_assert_nonnull (find_package (m, "re.str", TRUE));
  g_assert_cmpint (uni_manifest_get_era (m), ==, UNI_MIRAGE_ERA_2_KEYS);
}

static void
test_computed_package (void)
{
  g_autoptr(UniManifest) m = read_text (
    "let () =\n"
    "  add_to_opam_packages [ \"mirage-clock-\" ^ platform; \"tls\" ];\n"
    "  register \"c\" []\n");

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 1);
  g_assert_cmpstr (uni_manifest_get_package (m, 0)->name, ==, "tls");
  g_assert_cmpuint (uni_manifest_get_n_problems (m), ==, 1);
  g_assert_cmpstr (uni_manifest_get_problem (m, 0)->message, ==,
                   "A package name is computed: shown as text only");
  g_assert_cmpuint (uni_manifest_get_problem_line (m, 0), ==, 2);
}

static void
test_new_for_file (void)
{
  g_autoptr(GFile) dir = uni_test_make_tempdir ("manifest");
  g_autoptr(GFile) file = g_file_get_child (dir, "config.ml");
  g_autoptr(GFile) missing = g_file_get_child (dir, "nope.ml");
  g_autoptr(UniManifest) m = NULL;
  g_autoptr(UniManifest) none = NULL;
  g_autoptr(GError) error = NULL;

  uni_test_write_file (dir, "config.ml", config_4_5);
  m = uni_manifest_new_for_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (uni_manifest_get_name (m, NULL), ==, "hello-key");

  none = uni_manifest_new_for_file (missing, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Edits */

typedef enum
{
  EDIT_DEFAULT,
  EDIT_DOC,
  EDIT_RENAME,
  EDIT_ENTRY,
  EDIT_ADD,
  EDIT_REMOVE,
  EDIT_CONSTRAIN,
} EditKind;

typedef struct
{
  const char *text;
  EditKind    kind;
  const char *target;
  const char *value;
  const char *min;
  const char *max;
  const char *expected;   /* the whole new text */
} EditCase;

static UniTextEdit *
make_edit (UniManifest    *m,
           const EditCase *c,
           GError        **error)
{
  switch (c->kind)
    {
    case EDIT_DEFAULT:
      return uni_manifest_edit_set_key_default (m, c->target, c->value, error);
    case EDIT_DOC:
      return uni_manifest_edit_set_key_doc (m, c->target, c->value, error);
    case EDIT_RENAME:
      return uni_manifest_edit_rename (m, c->value, error);
    case EDIT_ENTRY:
      return uni_manifest_edit_set_entry (m, c->value, error);
    case EDIT_ADD:
      return uni_manifest_edit_add_package (m, c->target, c->min, c->max, error);
    case EDIT_REMOVE:
      return uni_manifest_edit_remove_package (m, c->target, error);
    case EDIT_CONSTRAIN:
      return uni_manifest_edit_constrain_package (m, c->target, c->min, c->max, error);
    default:
      g_assert_not_reached ();
    }
}

#define K3(body) \
  "let port = Key.create \"port\" Key.Arg.(" body ")\n"

static const EditCase edit_cases[] = {
  /* Defaults */
  { K3 ("opt int 8080 (info [\"port\"])"), EDIT_DEFAULT, "port", "80", NULL, NULL,
    K3 ("opt int 80 (info [\"port\"])") },
  { K3 ("opt int 8080 (info [\"port\"])"), EDIT_DEFAULT, "port", "-5", NULL, NULL,
    K3 ("opt int (-5) (info [\"port\"])") },
  { K3 ("opt int (-1) (info [\"port\"])"), EDIT_DEFAULT, "port", "7", NULL, NULL,
    K3 ("opt int 7 (info [\"port\"])") },
  { K3 ("opt bool false (info [\"port\"])"), EDIT_DEFAULT, "port", "true", NULL, NULL,
    K3 ("opt bool true (info [\"port\"])") },
  { K3 ("opt string \"a\" (info [\"port\"])"), EDIT_DEFAULT, "port", "say \"hi\"\\", NULL, NULL,
    K3 ("opt string \"say \\\"hi\\\"\\\\\" (info [\"port\"])") },
  { K3 ("opt ipv4_address (Ipaddr.V4.of_string_exn \"10.0.0.2\") (info [\"port\"])"), EDIT_DEFAULT,
    "port", "192.168.1.9", NULL, NULL,
    K3 ("opt ipv4_address (Ipaddr.V4.of_string_exn \"192.168.1.9\") (info [\"port\"])") },
  { K3 ("opt ipv4 (Ipaddr.V4.Prefix.of_string_exn \"10.0.0.2/24\") (info [\"port\"])"), EDIT_DEFAULT,
    "port", "10.1.0.1/16", NULL, NULL,
    K3 ("opt ipv4 (Ipaddr.V4.Prefix.of_string_exn \"10.1.0.1/16\") (info [\"port\"])") },
  { K3 ("opt (some int) None (info [\"port\"])"), EDIT_DEFAULT, "port", "5", NULL, NULL,
    K3 ("opt (some int) (Some 5) (info [\"port\"])") },
  { K3 ("opt (some int) (Some 5) (info [\"port\"])"), EDIT_DEFAULT, "port", "", NULL, NULL,
    K3 ("opt (some int) None (info [\"port\"])") },
  { K3 ("opt (list string) [] (info [\"port\"])"), EDIT_DEFAULT, "port", "a, b", NULL, NULL,
    K3 ("opt (list string) [\"a\"; \"b\"] (info [\"port\"])") },
  { K3 ("opt (list string) [\"a\"; {|b|}] (info [\"port\"])"), EDIT_DEFAULT, "port", "c", NULL,
    NULL,
    K3 ("opt (list string) [\"c\"] (info [\"port\"])") },
  { K3 ("opt (some int) (Some 5) (info [\"port\"])"), EDIT_DEFAULT, "port", "-3", NULL, NULL,
    K3 ("opt (some int) (Some (-3)) (info [\"port\"])") },
  /* An IP element keeps the function that makes it an Ipaddr value. */
  { K3 ("opt (some ipv4_address) (Some (Ipaddr.V4.of_string_exn \"10.0.0.1\")) (info [\"port\"])"),
    EDIT_DEFAULT, "port", "10.0.0.9", NULL, NULL,
    K3 ("opt (some ipv4_address) (Some (Ipaddr.V4.of_string_exn \"10.0.0.9\")) "
        "(info [\"port\"])") },
  { K3 ("opt (some ipv4_address) (Some (Ipaddr.V4.of_string_exn \"10.0.0.1\")) (info [\"port\"])"),
    EDIT_DEFAULT, "port", "", NULL, NULL,
    K3 ("opt (some ipv4_address) None (info [\"port\"])") },
  { K3 ("opt (some ipv4_address) None (info [\"port\"])"), EDIT_DEFAULT, "port", "10.0.0.9", NULL,
    NULL,
    K3 ("opt (some ipv4_address) (Some (Ipaddr.V4.of_string_exn \"10.0.0.9\")) "
        "(info [\"port\"])") },
  { K3 ("opt (some ipv4) None (info [\"port\"])"), EDIT_DEFAULT, "port", "10.0.0.9/24", NULL, NULL,
    K3 ("opt (some ipv4) (Some (Ipaddr.V4.Prefix.of_string_exn \"10.0.0.9/24\")) "
        "(info [\"port\"])") },
  { K3 ("opt (list ipv4_address) [Ipaddr.V4.of_string_exn \"10.0.0.1\"] (info [\"port\"])"),
    EDIT_DEFAULT, "port", "10.0.0.7, 10.0.0.8", NULL, NULL,
    K3 ("opt (list ipv4_address) [Ipaddr.V4.of_string_exn \"10.0.0.7\"; "
        "Ipaddr.V4.of_string_exn \"10.0.0.8\"] (info [\"port\"])") },
  { K3 ("opt (list ipv4_address) [] (info [\"port\"])"), EDIT_DEFAULT, "port", "10.0.0.7", NULL,
    NULL, K3 ("opt (list ipv4_address) [Ipaddr.V4.of_string_exn \"10.0.0.7\"] (info [\"port\"])") },
  { K3 ("opt (list ipv4) [ (V4.Prefix.of_string_exn \"10.0.0.1/8\") ] (info [\"port\"])"),
    EDIT_DEFAULT, "port", "10.0.0.7/16", NULL, NULL,
    K3 ("opt (list ipv4) [V4.Prefix.of_string_exn \"10.0.0.7/16\"] (info [\"port\"])") },
  { K3 ("opt (list ipv4) [\"10.0.0.1/8\"] (info [\"port\"])"), EDIT_DEFAULT, "port",
    "10.0.0.7/16", NULL, NULL,
    K3 ("opt (list ipv4) [Ipaddr.V4.Prefix.of_string_exn \"10.0.0.7/16\"] (info [\"port\"])") },
  /* Docs */
  { K3 ("opt int 1 (info ~doc:\"Old.\" [\"port\"])"), EDIT_DOC, "port", "New (* x *) \"q\"", NULL, NULL,
    K3 ("opt int 1 (info ~doc:\"New (* x *) \\\"q\\\"\" [\"port\"])") },
  { K3 ("opt int 1 (info ~docv:\"P\" [\"port\"])"), EDIT_DOC, "port", "New.", NULL, NULL,
    K3 ("opt int 1 (info ~doc:\"New.\" ~docv:\"P\" [\"port\"])") },
  { K3 ("opt int 1 (info [\"port\"])"), EDIT_DOC, "port", "New.", NULL, NULL,
    K3 ("opt int 1 (info ~doc:\"New.\" [\"port\"])") },
  /* Name and entry */
  { "let () = register \"www\" [main]\n", EDIT_RENAME, NULL, "new-name_2", NULL, NULL,
    "let () = register \"new-name_2\" [main]\n" },
  { "let main = main \"Unikernel.Main\" job\n", EDIT_ENTRY, NULL, "Other.Make'", NULL, NULL,
    "let main = main \"Other.Make'\" job\n" },
  /* Adding packages */
  { "let main = foreign ~packages:[ package \"a\" ] \"U.Main\" job\n", EDIT_ADD, "b", NULL,
    "1.0", "2.0",
    "let main = foreign ~packages:[ package \"a\"; package ~min:\"1.0\" ~max:\"2.0\" \"b\" ] \"U.Main\" job\n" },
  { "let main = foreign ~packages:[\n    package \"a\";\n    package \"b\";\n  ] \"U.Main\" job\n",
    EDIT_ADD, "c", NULL, NULL, NULL,
    "let main = foreign ~packages:[\n    package \"a\";\n    package \"b\";\n    package \"c\";\n  ] \"U.Main\" job\n" },
  { "let main = foreign ~packages:[\n    package \"a\";\n    package \"b\"\n  ] \"U.Main\" job\n",
    EDIT_ADD, "c", NULL, NULL, NULL,
    "let main = foreign ~packages:[\n    package \"a\";\n    package \"b\";\n    package \"c\"\n  ] \"U.Main\" job\n" },
  { "let packages =\n  [ package \"a\"\n  ; package \"b\" ]\nlet main = main ~packages \"U.Main\" job\n",
    EDIT_ADD, "c", NULL, NULL, NULL,
    "let packages =\n  [ package \"a\"\n  ; package \"b\"\n  ; package \"c\" ]\nlet main = main ~packages \"U.Main\" job\n" },
  { "let main = main ~packages:[] \"U.Main\" job\n", EDIT_ADD, "a", NULL, NULL, NULL,
    "let main = main ~packages:[ package \"a\" ] \"U.Main\" job\n" },
  { "let main = main \"U.Main\" job\n", EDIT_ADD, "a", NULL, "1.0", NULL,
    "let main = main \"U.Main\" ~packages:[ package ~min:\"1.0\" \"a\" ] job\n" },
  { "let main = foreign ~packages:[\"re\"] \"U.Main\" job\nlet k = Key.create \"k\" x\n",
    EDIT_ADD, "cow", NULL, NULL, NULL,
    "let main = foreign ~packages:[\"re\"; \"cow\"] \"U.Main\" job\nlet k = Key.create \"k\" x\n" },
  { "let () =\n  add_to_opam_packages [\"re\"];\n  register \"x\" []\n", EDIT_ADD, "cow", NULL, NULL, NULL,
    "let () =\n  add_to_opam_packages [\"re\"; \"cow\"];\n  register \"x\" []\n" },
  { "let main = main ~packages:[\r\n    package \"a\";\r\n  ] \"U.Main\" job\r\n",
    EDIT_ADD, "b", NULL, NULL, NULL,
    "let main = main ~packages:[\r\n    package \"a\";\r\n    package \"b\";\r\n  ] \"U.Main\" job\r\n" },
  /* Removing packages */
  { "let main = main ~packages:[ package \"a\"; package \"b\"; package \"c\" ] \"U.Main\" job\n",
    EDIT_REMOVE, "b", NULL, NULL, NULL,
    "let main = main ~packages:[ package \"a\"; package \"c\" ] \"U.Main\" job\n" },
  { "let main = main ~packages:[ package \"a\"; package \"b\" ] \"U.Main\" job\n",
    EDIT_REMOVE, "b", NULL, NULL, NULL,
    "let main = main ~packages:[ package \"a\" ] \"U.Main\" job\n" },
  { "let main = main ~packages:[ package \"a\" ] \"U.Main\" job\n",
    EDIT_REMOVE, "a", NULL, NULL, NULL,
    "let main = main ~packages:[] \"U.Main\" job\n" },
  { "let () = add_to_opam_packages [\"re\"; \"cow\"]\n", EDIT_REMOVE, "re", NULL, NULL, NULL,
    "let () = add_to_opam_packages [\"cow\"]\n" },
  /* Removal takes the element and one separator, never a comment. */
  { "let p = [ package \"a\" (* package \"nope\" *); package {|b|} ]\n", EDIT_REMOVE, "b",
    NULL, NULL, NULL,
    "let p = [ package \"a\" (* package \"nope\" *) ]\n" },
  { "let p = [ package \"a\" (* package \"nope\" *); package {|b|} ]\n", EDIT_REMOVE, "a",
    NULL, NULL, NULL,
    "let p = [ (* package \"nope\" *) package {|b|} ]\n" },
  { "let p = [ package \"a\"; (* about b *) package \"b\" ]\n", EDIT_REMOVE, "b",
    NULL, NULL, NULL,
    "let p = [ package \"a\" (* about b *) ]\n" },
  { "let p = [ package \"a\"; package \"b\"; package \"c\" ]\n", EDIT_REMOVE, "a",
    NULL, NULL, NULL,
    "let p = [ package \"b\"; package \"c\" ]\n" },
  { "let p = [ package \"a\" ; package \"b\" ]\n", EDIT_REMOVE, "b", NULL, NULL, NULL,
    "let p = [ package \"a\" ]\n" },
  { "let p = [ package \"a\"; package \"b\"; ]\n", EDIT_REMOVE, "b", NULL, NULL, NULL,
    "let p = [ package \"a\"; ]\n" },
  { "let p = [ (* keep *) package \"a\" ]\n", EDIT_REMOVE, "a", NULL, NULL, NULL,
    "let p = [ (* keep *) ]\n" },
  { "let p = [\n    (* logging *)\n    package \"a\";\n    (* needed by b *)\n    package \"b\";\n"
    "    package \"c\";\n  ]\n", EDIT_REMOVE, "b", NULL, NULL, NULL,
    "let p = [\n    (* logging *)\n    package \"a\";\n    (* needed by b *)\n"
    "    package \"c\";\n  ]\n" },
  { "let p = [\n    (* logging *)\n    package \"a\";\n    package \"b\";\n  ]\n", EDIT_REMOVE, "a",
    NULL, NULL, NULL,
    "let p = [\n    (* logging *)\n    package \"b\";\n  ]\n" },
  { "let p = [\n    package \"a\";\n    (* the last *)\n    package \"b\"\n  ]\n", EDIT_REMOVE, "b",
    NULL, NULL, NULL,
    "let p = [\n    package \"a\"\n    (* the last *)\n  ]\n" },
  { "let p = [ package \"a\"; package \"b\";\n    package \"c\" ]\n", EDIT_REMOVE, "b",
    NULL, NULL, NULL,
    "let p = [ package \"a\";\n    package \"c\" ]\n" },
  { "let p =\n  [ package \"a\"\n  ; package \"b\"\n  ; package \"c\" ]\n", EDIT_REMOVE, "a",
    NULL, NULL, NULL,
    "let p =\n  [ package \"b\"\n  ; package \"c\" ]\n" },
  { "let p =\n  [ package \"a\"\n  ; package \"b\"\n  ; package \"c\" ]\n", EDIT_REMOVE, "b",
    NULL, NULL, NULL,
    "let p =\n  [ package \"a\"\n  ; package \"c\" ]\n" },
  { "let p =\n  [ package \"a\"\n  ; package \"b\"\n  ; package \"c\" ]\n", EDIT_REMOVE, "c",
    NULL, NULL, NULL,
    "let p =\n  [ package \"a\"\n  ; package \"b\" ]\n" },
  { "let p =\n  [ package \"a\" (* first *)\n  ; package \"b\" ]\n", EDIT_REMOVE, "b",
    NULL, NULL, NULL,
    "let p =\n  [ package \"a\" (* first *) ]\n" },
  { "let p = [\r\n    package \"a\";\r\n    package \"b\";\r\n  ]\r\n", EDIT_REMOVE, "a",
    NULL, NULL, NULL,
    "let p = [\r\n    package \"b\";\r\n  ]\r\n" },
  /* Bounds */
  { "let p = [ package \"a\" ]\n", EDIT_CONSTRAIN, "a", NULL, "1.0", "2.0",
    "let p = [ package \"a\" ~min:\"1.0\" ~max:\"2.0\" ]\n" },
  { "let p = [ package ~min:\"0.1\" ~max:\"0.9\" \"a\" ]\n", EDIT_CONSTRAIN, "a", NULL, "1.0", "2.0",
    "let p = [ package ~min:\"1.0\" ~max:\"2.0\" \"a\" ]\n" },
  { "let p = [ package ~min:\"0.1\" \"a\" ]\n", EDIT_CONSTRAIN, "a", NULL, NULL, "2.0",
    "let p = [ package \"a\" ~max:\"2.0\" ]\n" },
  { "let p = [ package \"a\" ~min:\"0.1\" ~max:\"0.9\" ]\n", EDIT_CONSTRAIN, "a", NULL, NULL, NULL,
    "let p = [ package \"a\" ]\n" },
};

/* The edit is one hunk: outside its range, the old and new texts agree. */
static void
assert_one_hunk (const char        *old_text,
                 const char        *new_text,
                 const UniTextEdit *edit)
{
  gsize old_length = strlen (old_text);
  gsize new_length = strlen (new_text);
  gsize prefix = 0;
  gsize suffix = 0;

  while (prefix < old_length && prefix < new_length && old_text[prefix] == new_text[prefix])
    prefix++;
  while (suffix < old_length && suffix < new_length
         && old_text[old_length - 1 - suffix] == new_text[new_length - 1 - suffix])
    suffix++;

  g_assert_cmpuint (prefix, >=, edit->offset);
  g_assert_cmpuint (suffix, >=, old_length - edit->offset - edit->length);
  g_assert_cmpuint (new_length, ==, old_length - edit->length + strlen (edit->replacement));
}

/* A name both a library and an opam package: the package goes first, then the library. */
static void
test_remove_library_and_package (void)
{
  static const char text[] =
    "let main =\n"
    "  foreign \"Unikernel.Main\"\n"
    "    ~libraries:[\"mirage-logs\"; \"re.str\"]\n"
    "    ~packages:[\"mirage-logs\"; \"re\"]\n"
    "    (console @-> job)\n"
    "let () = register \"logger\" [ main $ default_console ]\n";
  static const char without_package[] =
    "let main =\n"
    "  foreign \"Unikernel.Main\"\n"
    "    ~libraries:[\"mirage-logs\"; \"re.str\"]\n"
    "    ~packages:[\"re\"]\n"
    "    (console @-> job)\n"
    "let () = register \"logger\" [ main $ default_console ]\n";
  static const char without_library[] =
    "let main =\n"
    "  foreign \"Unikernel.Main\"\n"
    "    ~libraries:[]\n"
    "    ~packages:[\"re\"]\n"
    "    (console @-> job)\n"
    "let () = register \"logger\" [ main $ default_console ]\n";
  g_autoptr(UniManifest) m = read_text (text);
  g_autoptr(UniManifest) second = NULL;
  g_autoptr(UniManifest) third = NULL;
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *once = NULL;
  g_autofree char *twice = NULL;
  g_autofree char *library_gone = NULL;
  gsize length = 0;

  g_assert_nonnull (find_package (m, "mirage-logs", TRUE));
  g_assert_nonnull (find_package (m, "mirage-logs", FALSE));

  edit = uni_manifest_edit_remove_package (m, "mirage-logs", &error);
  g_assert_no_error (error);
  once = uni_text_edit_apply (edit, text, strlen (text), &length);
  g_assert_cmpstr (once, ==, without_package);
  second = uni_manifest_new (once, length);
  g_assert_nonnull (find_package (second, "mirage-logs", TRUE));
  g_assert_null (find_package (second, "mirage-logs", FALSE));
  g_clear_pointer (&edit, uni_text_edit_free);

  /* Only the library is left: it goes. */
  edit = uni_manifest_edit_remove_package (second, "mirage-logs", &error);
  g_assert_no_error (error);
  twice = uni_text_edit_apply (edit, once, length, &length);
  third = uni_manifest_new (twice, length);
  g_assert_null (find_package (third, "mirage-logs", TRUE));
  g_clear_pointer (&edit, uni_text_edit_free);

  /* A library-only name removes the library. */
  edit = uni_manifest_edit_remove_package (third, "re.str", &error);
  g_assert_no_error (error);
  library_gone = uni_text_edit_apply (edit, twice, length, &length);
  g_assert_cmpstr (library_gone, ==, without_library);
}

/* A name listed twice is one row unless the bounds differ; its edits are refused. */
static void
test_duplicate_packages (void)
{
  g_autoptr(UniManifest) m = read_text (
    "let p1 = [ package \"tcpip\"; package \"a\"; package ~min:\"2.0\" \"b\" ]\n"
    "let p2 = [ package \"tcpip\"; package ~min:\"3.0\" \"b\" ]\n"
    "let main = if_impl Key.is_solo5 (main ~packages:p1 \"U.Main\" job)\n"
    "  (main ~packages:p2 \"U.Main\" job)\n"
    "let () = register \"d\" [main]\n");
  g_autoptr(UniManifest) shared = read_text (
    "let p = [\"re\"]\n"
    "let a = foreign ~packages:p \"A.Main\" job\n"
    "let b = foreign ~packages:p \"B.Main\" job\n"
    "let () = register \"s\" [a; b]\n");
  static const char * const refused[] = { "tcpip", "b" };
  g_autoptr(UniTextEdit) edit = NULL;
  g_autoptr(GError) error = NULL;
  guint n_tcpip = 0;

  g_assert_cmpuint (uni_manifest_get_n_packages (m), ==, 4);
  for (guint i = 0; i < uni_manifest_get_n_packages (m); i++)
    if (g_str_equal (uni_manifest_get_package (m, i)->name, "tcpip"))
      n_tcpip++;
  g_assert_cmpuint (n_tcpip, ==, 1);
  g_assert_cmpstr (uni_manifest_get_package (m, 0)->name, ==, "tcpip");
  g_assert_cmpuint (uni_manifest_get_package (m, 0)->span.offset, ==, strlen ("let p1 = [ "));
  g_assert_cmpstr (uni_manifest_get_package (m, 2)->min, ==, "2.0");
  g_assert_cmpstr (uni_manifest_get_package (m, 3)->min, ==, "3.0");

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      edit = uni_manifest_edit_remove_package (m, refused[i], &error);
      g_assert_null (edit);
      g_assert_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED);
      g_clear_error (&error);
      edit = uni_manifest_edit_constrain_package (m, refused[i], "1.0", NULL, &error);
      g_assert_null (edit);
      g_assert_error (error, UNI_MANIFEST_ERROR, UNI_MANIFEST_ERROR_UNSUPPORTED);
      g_clear_error (&error);
    }
  edit = uni_manifest_edit_remove_package (m, "a", &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit);
  g_clear_pointer (&edit, uni_text_edit_free);

  /* One list read through two entries is one element, and can be removed. */
  g_assert_cmpuint (uni_manifest_get_n_packages (shared), ==, 1);
  edit = uni_manifest_edit_remove_package (shared, "re", &error);
  g_assert_no_error (error);
  g_assert_nonnull (edit);
}

static void
test_edits (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (edit_cases); i++)
    {
      const EditCase *c = &edit_cases[i];
      g_autoptr(UniManifest) m = read_text (c->text);
      g_autoptr(UniManifest) after = NULL;
      g_autoptr(UniTextEdit) edit = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *new_text = NULL;
      gsize new_length = 0;

      edit = make_edit (m, c, &error);
      if (error != NULL)
        g_error ("case %u: %s", i, error->message);
      g_assert_nonnull (edit);
      new_text = uni_text_edit_apply (edit, c->text, strlen (c->text), &new_length);
      if (g_strcmp0 (new_text, c->expected) != 0)
        g_error ("case %u:\n%s\nbecame\n%s\nexpected\n%s", i, c->text, new_text, c->expected);
      assert_one_hunk (c->text, new_text, edit);

      /* The re-read model shows the new value. */
      after = uni_manifest_new (new_text, new_length);
      switch (c->kind)
        {
        case EDIT_DEFAULT:
          g_assert_nonnull (uni_manifest_find_key (after, c->target));
          g_assert_nonnull (strstr (uni_manifest_find_key (after, c->target)->default_text,
                                    edit->replacement));
          break;
        case EDIT_DOC:
          g_assert_cmpstr (uni_manifest_find_key (after, c->target)->doc, ==, c->value);
          break;
        case EDIT_RENAME:
          g_assert_cmpstr (uni_manifest_get_name (after, NULL), ==, c->value);
          break;
        case EDIT_ENTRY:
          g_assert_cmpstr (uni_manifest_get_entry (after, NULL), ==, c->value);
          break;
        case EDIT_ADD:
          g_assert_nonnull (find_package (after, c->target, FALSE));
          g_assert_cmpstr (find_package (after, c->target, FALSE)->min, ==, c->min);
          g_assert_cmpstr (find_package (after, c->target, FALSE)->max, ==, c->max);
          g_assert_cmpuint (uni_manifest_get_n_packages (after), ==,
                            uni_manifest_get_n_packages (m) + 1);
          break;
        case EDIT_REMOVE:
          g_assert_null (find_package (after, c->target, FALSE));
          g_assert_cmpuint (uni_manifest_get_n_packages (after), ==,
                            uni_manifest_get_n_packages (m) - 1);
          break;
        case EDIT_CONSTRAIN:
          g_assert_cmpstr (find_package (after, c->target, FALSE)->min, ==, c->min);
          g_assert_cmpstr (find_package (after, c->target, FALSE)->max, ==, c->max);
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
test_edit_default_json (void)
{
  g_autoptr(UniManifest) m = read_text (K3 ("opt int 8080 (info [\"port\"])"));
  g_autoptr(UniTextEdit) edit = uni_manifest_edit_set_key_default (m, "port", "-3", NULL);
  g_autofree char *text = uni_text_edit_apply (edit, uni_manifest_get_text (m, NULL),
                                               strlen (uni_manifest_get_text (m, NULL)), NULL);
  g_autoptr(UniManifest) after = read_text (text);
  g_autofree char *json = uni_manifest_to_json (after, UNI_MANIFEST_JSON_NONE);

  g_assert_nonnull (strstr (json, "\"default\": -3,"));
}

typedef struct
{
  const char *text;
  EditKind    kind;
  const char *target;
  const char *value;
  const char *min;
  const char *max;
  int         code;
} EditErrorCase;

static const EditErrorCase edit_error_cases[] = {
  { K3 ("opt int 1 (info [\"port\"])"), EDIT_DEFAULT, "nope", "1", NULL, NULL,
    UNI_MANIFEST_ERROR_UNKNOWN_KEY },
  { K3 ("opt int 1 (info [\"port\"])"), EDIT_DOC, "nope", "x", NULL, NULL,
    UNI_MANIFEST_ERROR_UNKNOWN_KEY },
  { K3 ("opt int 1 (info [\"port\"])"), EDIT_DEFAULT, "port", "eighty", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { K3 ("opt int 1 (info [\"port\"])"), EDIT_DEFAULT, "port", "4611686018427387904", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { K3 ("opt int 1 (info [\"port\"])"), EDIT_DEFAULT, "port", "1.5", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { K3 ("opt bool true (info [\"port\"])"), EDIT_DEFAULT, "port", "yes", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { K3 ("opt ipv4_address (Ipaddr.V4.of_string_exn \"1.2.3.4\") (info [\"port\"])"), EDIT_DEFAULT,
    "port", "1.2.3.256", NULL, NULL, UNI_MANIFEST_ERROR_INVALID_VALUE },
  { K3 ("opt ipv4 (Ipaddr.V4.Prefix.of_string_exn \"1.2.3.4/8\") (info [\"port\"])"), EDIT_DEFAULT,
    "port", "1.2.3.4/33", NULL, NULL, UNI_MANIFEST_ERROR_INVALID_VALUE },
  { K3 ("opt int (default_port ()) (info [\"port\"])"), EDIT_DEFAULT, "port", "80", NULL, NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("opt int default (info [\"port\"])"), EDIT_DEFAULT, "port", "80", NULL, NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("flag (info [\"port\"])"), EDIT_DEFAULT, "port", "true", NULL, NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("opt (list ipv4_address) [Ipaddr.V4.of_string_exn \"10.0.0.1\"; gateway] "
        "(info [\"port\"])"),
    EDIT_DEFAULT, "port", "10.0.0.7", NULL, NULL, UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("opt (list string) [\"a\"; \"b\" ^ suffix] (info [\"port\"])"), EDIT_DEFAULT, "port", "c",
    NULL, NULL, UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("opt (some ipv4_address) (Some Ipaddr.V4.localhost) (info [\"port\"])"), EDIT_DEFAULT,
    "port", "10.0.0.7", NULL, NULL, UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("opt ipv4_address (f x Ipaddr.V4.of_string_exn \"1.2.3.4\") (info [\"port\"])"),
    EDIT_DEFAULT, "port", "10.0.0.7", NULL, NULL, UNI_MANIFEST_ERROR_UNSUPPORTED },
  { K3 ("opt (list ipv4_address) [] (info [\"port\"])"), EDIT_DEFAULT, "port", "10.0.0.7, 10.0.0",
    NULL, NULL, UNI_MANIFEST_ERROR_INVALID_VALUE },
  { "let port = Key.create \"port\" Key.Arg.(opt int 1 doc)\n", EDIT_DOC, "port", "x", NULL, NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
  { "let () = register \"a\" []\nlet () = register \"b\" []\n", EDIT_RENAME, NULL, "c", NULL, NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
  { "let x = 1\n", EDIT_RENAME, NULL, "c", NULL, NULL, UNI_MANIFEST_ERROR_NOT_FOUND },
  { "let () = register \"a\" []\n", EDIT_RENAME, NULL, "Bad Name", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { "let () = register \"a\" []\n", EDIT_RENAME, NULL, "", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { "let m = main \"U.Main\" job\n", EDIT_ENTRY, NULL, "lower.Main", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { "let m = main \"U.Main\" job\n", EDIT_ENTRY, NULL, "U..Main", NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { "let x = 1\n", EDIT_ENTRY, NULL, "U.Main", NULL, NULL, UNI_MANIFEST_ERROR_NOT_FOUND },
  { "let m = main ~packages:[ package \"a\" ] \"U\" job\n", EDIT_ADD, "a", NULL, NULL, NULL,
    UNI_MANIFEST_ERROR_EXISTS },
  { "let m = main ~packages:[ package \"a\" ] \"U\" job\n", EDIT_ADD, "a b", NULL, NULL, NULL,
    UNI_MANIFEST_ERROR_INVALID_VALUE },
  { "let m = foreign ~packages:[\"re\"] \"U\" job\nlet k = Key.create \"k\" x\n", EDIT_ADD, "b",
    NULL, "1.0", NULL, UNI_MANIFEST_ERROR_UNSUPPORTED },
  { "let m = main ~packages:(a @ b) \"U\" job\n", EDIT_ADD, "b", NULL, NULL, NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
  { "let x = 1\n", EDIT_ADD, "b", NULL, NULL, NULL, UNI_MANIFEST_ERROR_UNSUPPORTED },
  { "let m = main ~packages:[ package \"a\" ] \"U\" job\n", EDIT_REMOVE, "b", NULL, NULL, NULL,
    UNI_MANIFEST_ERROR_NOT_FOUND },
  { "let m = main ~packages:[ package \"a\" ] \"U\" job\n", EDIT_CONSTRAIN, "b", NULL, "1", NULL,
    UNI_MANIFEST_ERROR_NOT_FOUND },
  { "let () = add_to_opam_packages [\"re\"]\n", EDIT_CONSTRAIN, "re", NULL, "1", NULL,
    UNI_MANIFEST_ERROR_UNSUPPORTED },
};

static void
test_edit_errors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (edit_error_cases); i++)
    {
      const EditErrorCase *ec = &edit_error_cases[i];
      EditCase c = { ec->text, ec->kind, ec->target, ec->value, ec->min, ec->max, NULL };
      g_autoptr(UniManifest) m = read_text (ec->text);
      g_autoptr(UniTextEdit) edit = NULL;
      g_autoptr(GError) error = NULL;

      edit = make_edit (m, &c, &error);
      if (edit != NULL)
        g_error ("case %u: expected an error, got %s at %" G_GSIZE_FORMAT, i,
                 edit->replacement, edit->offset);
      g_assert_error (error, UNI_MANIFEST_ERROR, ec->code);
      g_assert_cmpstr (uni_manifest_get_text (m, NULL), ==, ec->text);
    }
}

static void
try_every_edit (UniManifest *m)
{
  const char *text;
  gsize length = 0;
  GPtrArray *edits = g_ptr_array_new_with_free_func ((GDestroyNotify) uni_text_edit_free);

  text = uni_manifest_get_text (m, &length);
  for (guint i = 0; i < uni_manifest_get_n_keys (m); i++)
    {
      const char *name = uni_manifest_get_key (m, i)->name;

      g_ptr_array_add (edits, uni_manifest_edit_set_key_default (m, name, "80", NULL));
      g_ptr_array_add (edits, uni_manifest_edit_set_key_default (m, name, "true", NULL));
      g_ptr_array_add (edits, uni_manifest_edit_set_key_default (m, name, "10.0.0.1", NULL));
      g_ptr_array_add (edits, uni_manifest_edit_set_key_default (m, name, "", NULL));
      g_ptr_array_add (edits, uni_manifest_edit_set_key_doc (m, name, "doc", NULL));
    }
  for (guint i = 0; i < uni_manifest_get_n_packages (m); i++)
    {
      const char *name = uni_manifest_get_package (m, i)->name;

      g_ptr_array_add (edits, uni_manifest_edit_remove_package (m, name, NULL));
      g_ptr_array_add (edits, uni_manifest_edit_constrain_package (m, name, "1.0", NULL, NULL));
      g_ptr_array_add (edits, uni_manifest_edit_constrain_package (m, name, NULL, "2.0", NULL));
      g_ptr_array_add (edits, uni_manifest_edit_constrain_package (m, name, NULL, NULL, NULL));
    }
  g_ptr_array_add (edits, uni_manifest_edit_rename (m, "renamed", NULL));
  g_ptr_array_add (edits, uni_manifest_edit_set_entry (m, "Other.Main", NULL));
  g_ptr_array_add (edits, uni_manifest_edit_add_package (m, "added", NULL, NULL, NULL));
  g_ptr_array_add (edits, uni_manifest_edit_add_package (m, "bounded", "1.0", "2.0", NULL));

  for (guint i = 0; i < edits->len; i++)
    {
      const UniTextEdit *edit = g_ptr_array_index (edits, i);
      g_autoptr(UniManifest) after = NULL;
      g_autofree char *new_text = NULL;
      gsize new_length = 0;

      if (edit == NULL)
        continue;
      g_assert_cmpuint (edit->offset + edit->length, <=, length);
      new_text = uni_text_edit_apply (edit, text, length, &new_length);
      g_assert_nonnull (new_text);
      after = uni_manifest_new (new_text, new_length);
      g_assert_nonnull (after);
    }

  g_ptr_array_unref (edits);
}

/* Damaged configs: every edit is either refused or lands inside the text. */
static void
test_edit_mutated (void)
{
  static const char * const fragments[] = {
    "(*", "*)", "\"", "[", "]", ";", "(", ")", "~packages:", "package", "Key.create", "\r\n",
    "{|", "'", "`", "\xff", "let", "in", "@->", "~doc:",
  };
  const char *configs[] = { config_2_env, config_2_keys, config_3, config_4_0, config_4_5, config_4_9 };

  for (guint round = 0; round < 600; round++)
    {
      g_autoptr(GString) text = g_string_new (configs[round % G_N_ELEMENTS (configs)]);
      g_autoptr(UniManifest) m = NULL;
      guint n = g_test_rand_int_range (1, 6);

      for (guint k = 0; k < n; k++)
        {
          gsize at = text->len > 0 ? (gsize) g_test_rand_int_range (0, text->len) : 0;
          gsize span = g_test_rand_int_range (1, 20);

          switch (g_test_rand_int_range (0, 3))
            {
            case 0:
              g_string_erase (text, at, MIN (span, text->len - at));
              break;
            case 1:
              g_string_insert (text, at,
                               fragments[g_test_rand_int_range (0, G_N_ELEMENTS (fragments))]);
              break;
            default:
              if (at < text->len)
                text->str[at] = (char) g_test_rand_int_range (0, 256);
              break;
            }
        }

      m = uni_manifest_new (text->str, text->len);
      try_every_edit (m);
    }
}

static void
test_text_edit (void)
{
  g_autoptr(UniTextEdit) edit = uni_text_edit_new (2, 3, "XY");
  g_autoptr(UniTextEdit) copy = uni_text_edit_copy (edit);
  g_autoptr(UniTextEdit) outside = uni_text_edit_new (5, 2, "");
  g_autofree char *applied = NULL;
  g_autofree char *refused = NULL;
  gsize length = 0;

  applied = uni_text_edit_apply (copy, "abcdef", 6, &length);
  g_assert_cmpstr (applied, ==, "abXYf");
  g_assert_cmpuint (length, ==, 5);
  refused = uni_text_edit_apply (outside, "abcdef", 6, NULL);
  g_assert_null (refused);
  g_assert_true (G_TYPE_IS_BOXED (UNI_TYPE_TEXT_EDIT));
}

static void
test_finalize (void)
{
  UniManifest *m = read_text (config_3);

  g_assert_finalize_object (m);
}

int
main (int   argc,
      char *argv[])
{
  uni_test_init (&argc, &argv);

  g_test_add_func ("/uni/manifest/era/2-env", test_era_2_env);
  g_test_add_func ("/uni/manifest/era/2-keys", test_era_2_keys);
  g_test_add_func ("/uni/manifest/era/3", test_era_3);
  g_test_add_func ("/uni/manifest/era/4-0", test_era_4_0);
  g_test_add_func ("/uni/manifest/era/4-5", test_era_4_5);
  g_test_add_func ("/uni/manifest/era/4-9-plain-module", test_era_4_9_plain_module);
  g_test_add_func ("/uni/manifest/era/from-pin", test_era_from_pin);
  g_test_add_func ("/uni/manifest/era/from-constructs", test_era_from_constructs);
  g_test_add_func ("/uni/manifest/signature-after-apply", test_signature_after_apply);
  g_test_add_func ("/uni/manifest/json", test_json);
  g_test_add_func ("/uni/manifest/bad/empty", test_empty);
  g_test_add_func ("/uni/manifest/bad/no-register", test_no_register);
  g_test_add_func ("/uni/manifest/bad/two-registers", test_two_registers);
  g_test_add_func ("/uni/manifest/bad/register-not-literal", test_register_not_literal);
  g_test_add_func ("/uni/manifest/bad/unterminated", test_unterminated);
  g_test_add_func ("/uni/manifest/bad/binary-junk", test_binary_junk);
  g_test_add_func ("/uni/manifest/bad/shuffled-fragments", test_shuffled_fragments);
  g_test_add_func ("/uni/manifest/bad/large-file", test_large_file);
  g_test_add_func ("/uni/manifest/bad/crlf", test_crlf);
  g_test_add_func ("/uni/manifest/bad/key-helper", test_key_helper);
  g_test_add_func ("/uni/manifest/bad/key-unreadable", test_key_unreadable);
  g_test_add_func ("/uni/manifest/bound-lists", test_bound_lists);
  g_test_add_func ("/uni/manifest/open-key", test_open_key);
  g_test_add_func ("/uni/manifest/key-apply", test_key_apply);
  g_test_add_func ("/uni/manifest/computed-package", test_computed_package);
  g_test_add_func ("/uni/manifest/new-for-file", test_new_for_file);
  g_test_add_func ("/uni/manifest/edit/table", test_edits);
  g_test_add_func ("/uni/manifest/edit/duplicate-packages", test_duplicate_packages);
  g_test_add_func ("/uni/manifest/edit/remove-library-and-package",
                   test_remove_library_and_package);
  g_test_add_func ("/uni/manifest/edit/default-json", test_edit_default_json);
  g_test_add_func ("/uni/manifest/edit/errors", test_edit_errors);
  g_test_add_func ("/uni/manifest/edit/mutated", test_edit_mutated);
  g_test_add_func ("/uni/manifest/text-edit", test_text_edit);
  g_test_add_func ("/uni/manifest/finalize", test_finalize);

  return g_test_run ();
}
