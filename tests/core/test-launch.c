/* test-launch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "uni-build-environment.h"
#include "uni-launch.h"
#include "uni-runtime-args.h"
#include "uni-test-util.h"

/* Stands for the bundled demo's own file in a case. */
#define DEMO "<demo>"

/* mirage 4.5+, written as the demo is, with more runtime arguments. */
#define CONFIG_4_5 \
  "open Mirage\n" \
  "let port = runtime_arg ~pos:__POS__ \"Unikernel.port\"\n" \
  "let greeting = runtime_arg ~pos:__POS__ \"Unikernel.greeting\"\n" \
  "let main =\n" \
  "  main \"Unikernel.Main\" ~runtime_args:[ port; greeting ] (http @-> job)\n" \
  "let stack = generic_stackv4v6 default_network\n" \
  "let () = register \"www\" [ main $ cohttp_server (conduit_direct ~tls:false stack) ]\n"

#define UNIKERNEL_4_5 \
  "let port =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"The port.\" [ \"port\"; \"p\" ] in\n" \
  "  Cmdliner.Arg.(value & opt int 8443 doc)\n" \
  "let greeting =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"Said first.\" [ \"greeting\" ] in\n" \
  "  Cmdliner.Arg.(value & opt string \"hello\" doc)\n" \
  "let unlisted =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"Not in config.ml.\" [ \"unlisted\" ] in\n" \
  "  Cmdliner.Arg.(value & opt string \"x\" doc)\n" \
  "module Main (H : Cohttp_mirage.Server.S) = struct\n" \
  "  let start _http = Lwt.return_unit\n" \
  "end\n"

/* The default is computed, which Unistudio does not evaluate. */
#define UNIKERNEL_EXPRESSION \
  "let port =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"The port.\" [ \"port\" ] in\n" \
  "  Cmdliner.Arg.(value & opt int (8000 + 80) doc)\n" \
  "let greeting =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"Said first.\" [ \"greeting\" ] in\n" \
  "  Cmdliner.Arg.(value & opt string \"hello\" doc)\n"

#define UNIKERNEL_HTTP_PORT \
  "let port =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"The port.\" [ \"http-port\" ] in\n" \
  "  Cmdliner.Arg.(value & opt int 4_433 doc)\n" \
  "let greeting =\n" \
  "  let doc = Cmdliner.Arg.info ~doc:\"Said first.\" [ \"greeting\" ] in\n" \
  "  Cmdliner.Arg.(value & opt string \"hello\" doc)\n"

/* mirage 4.8+: the module registers its arguments; config.ml names none. */
#define CONFIG_4_8 \
  "(* mirage >= 4.8.0 *)\n" \
  "open Mirage\n" \
  "let main = main \"Unikernel\" (stackv4v6 @-> job)\n" \
  "let () = register \"www\" [ main $ generic_stackv4v6 default_network ]\n"

#define UNIKERNEL_4_8 \
  "open Cmdliner\n" \
  "let port =\n" \
  "  let doc = Arg.info ~doc:\"The port.\" [ \"port\" ] in\n" \
  "  Mirage_runtime.register_arg Arg.(value & opt int 9000 doc)\n" \
  "let start _stack = Lwt.return_unit\n"

/* mirage 2.7–2.9, as the GlueCon demo: the port is a key. */
#define CONFIG_2_KEYS \
  "open Mirage\n" \
  "let port =\n" \
  "  let doc = Key.Arg.info ~doc:\"The port.\" [\"port\"] in\n" \
  "  Key.create \"port\" Key.Arg.(opt int 8080 doc)\n" \
  "let main =\n" \
  "  foreign ~keys:[Key.abstract port] ~libraries:[\"mirage-http\"] ~packages:[\"mirage-http\"]\n" \
  "    \"Dispatch.Main\" (console @-> kv_ro @-> http @-> job)\n" \
  "let stack = generic_stackv4 default_console tap0\n" \
  "let server = http_server (conduit_direct stack)\n" \
  "let () = register \"www\" [ main $ default_console $ crunch \"htdocs\" $ server ]\n"

/* A key read at boot only: `mirage configure` never sees its setting. */
#define CONFIG_2_KEYS_RUN \
  "open Mirage\n" \
  "let port =\n" \
  "  let doc = Key.Arg.info ~doc:\"The port.\" [\"port\"] in\n" \
  "  Key.create \"port\" Key.Arg.(opt ~stage:`Run int 8080 doc)\n" \
  "let main =\n" \
  "  foreign ~keys:[Key.abstract port] ~packages:[\"mirage-http\"]\n" \
  "    \"Dispatch.Main\" (console @-> http @-> job)\n" \
  "let stack = generic_stackv4 default_console tap0\n" \
  "let () = register \"www\" [ main $ default_console $ http_server (conduit_direct stack) ]\n"

/* mirage 2.0–2.6: the network stack comes from an environment variable. */
#define CONFIG_2_ENV \
  "open Mirage\n" \
  "let net =\n" \
  "  try match Sys.getenv \"NET\" with\n" \
  "    | \"direct\" -> `Direct\n" \
  "    | \"socket\" -> `Socket\n" \
  "    | _ -> `Direct\n" \
  "  with Not_found -> `Direct\n" \
  "let stack console =\n" \
  "  match net with\n" \
  "  | `Direct -> direct_stackv4_with_dhcp console tap0\n" \
  "  | `Socket -> socket_stackv4 console [Ipaddr.V4.any]\n" \
  "let main = foreign \"Dispatch.Main\" (console @-> stackv4 @-> job)\n" \
  "let () =\n" \
  "  add_to_opam_packages [\"mirage-http\"];\n" \
  "  register \"www\" [ main $ default_console $ stack default_console ]\n"

#define CONFIG_NO_NETWORK \
  "open Mirage\n" \
  "let main = foreign \"Unikernel.Main\" (console @-> job)\n" \
  "let () = register \"hello\" [ main $ default_console ]\n"

typedef struct
{
  const char *name;
  const char *config;
  const char *unikernel;
  /* The lines of the unix target's group, NULL for no settings at all */
  const char *target_group;
  const char *artefact;
  /* Expected; lists are joined with '|' */
  guint       port;
  const char *origin;
  const char *boot_args;
  const char *dropped;
  gboolean    needs_root;
  const char *argv_user;
  const char *argv_root;
} LaunchCase;

static const LaunchCase launch_cases[] = {
  { "demo", DEMO, DEMO, NULL, "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "demo-no-target-group", DEMO, DEMO, "", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "demo-boot-port", DEMO, DEMO, "boot.port=9090\n", "dist/www",
    9090, "--port, set for this target", "--port=9090", "", FALSE,
    "./dist/www|--port=9090", "./dist/www|--port=9090" },
  { "demo-boot-port-blank", DEMO, DEMO, "boot.port=   \n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "demo-net-socket", DEMO, DEMO, "net=socket\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "demo-net-direct", DEMO, DEMO, "net=direct\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www" },
  { "demo-net-ocaml", DEMO, DEMO, "net=ocaml\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www" },
  { "demo-dhcp", DEMO, DEMO, "dhcp=true\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www" },
  { "demo-dhcp-socket", DEMO, DEMO, "dhcp=true\nnet=socket\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "demo-port-80", DEMO, DEMO, "boot.port=80\n", "dist/www",
    80, "--port, set for this target", "--port=80", "", TRUE,
    "sudo|--|./dist/www|--port=80", "./dist/www|--port=80" },
  { "demo-port-1024", DEMO, DEMO, "boot.port=1024\n", "dist/www",
    1024, "--port, set for this target", "--port=1024", "", FALSE,
    "./dist/www|--port=1024", "./dist/www|--port=1024" },
  { "demo-undeclared", DEMO, DEMO, "boot.foo=1\nboot.port=9090\n", "dist/www",
    9090, "--port, set for this target", "--port=9090",
    "boot.foo (not a runtime argument of this unikernel)", FALSE,
    "./dist/www|--port=9090", "./dist/www|--port=9090" },
  { "demo-configure-flags-not-passed", DEMO, DEMO, "dhcp=false\nenv=host\nport=9999\n",
    "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "demo-no-unikernel-ml", DEMO, NULL, "boot.port=9090\n", "dist/www",
    8080, "Unistudio’s default", "", "boot.port (not a runtime argument of this unikernel)",
    FALSE, "./dist/www", "./dist/www" },
  { "boot-args-in-file-order", CONFIG_4_5, UNIKERNEL_4_5,
    "boot.greeting=-v --help\nboot.port=9191\n", "dist/www",
    9191, "--port, set for this target", "--greeting=-v --help|--port=9191", "", FALSE,
    "./dist/www|--greeting=-v --help|--port=9191", "./dist/www|--greeting=-v --help|--port=9191" },
  { "short-flag", CONFIG_4_5, UNIKERNEL_4_5, "boot.p=9192\n", "dist/www",
    9192, "--port, set for this target", "-p9192", "", FALSE,
    "./dist/www|-p9192", "./dist/www|-p9192" },
  { "same-argument-twice", CONFIG_4_5, UNIKERNEL_4_5, "boot.port=9193\nboot.p=9194\n", "dist/www",
    9193, "--port, set for this target", "--port=9193",
    "boot.p (the same argument as boot.port, already given)", FALSE,
    "./dist/www|--port=9193", "./dist/www|--port=9193" },
  { "declared-but-not-listed", CONFIG_4_5, UNIKERNEL_4_5, "boot.unlisted=y\n", "dist/www",
    8443, "default of --port in unikernel.ml", "",
    "boot.unlisted (not a runtime argument of this unikernel)", FALSE,
    "./dist/www", "./dist/www" },
  { "default-expression", CONFIG_4_5, UNIKERNEL_EXPRESSION, NULL, "dist/www",
    8080, "is not a port number", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "http-port", CONFIG_4_5, UNIKERNEL_HTTP_PORT, NULL, "dist/www",
    4433, "default of --http-port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "registered-4-8", CONFIG_4_8, UNIKERNEL_4_8, "boot.port=9001\n", "dist/www",
    9001, "--port, set for this target", "--port=9001", "", FALSE,
    "./dist/www|--port=9001", "./dist/www|--port=9001" },
  { "registered-4-8-default", CONFIG_4_8, UNIKERNEL_4_8, NULL, "dist/www",
    9000, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www" },
  { "keys-socket", CONFIG_2_KEYS, NULL, "net=socket\n", "mir-www",
    8080, "default of key port in config.ml", "", "", FALSE,
    "./mir-www", "./mir-www" },
  { "keys-port-setting", CONFIG_2_KEYS, NULL, "net=socket\nport=8081\n", "mir-www",
    8081, "--port, set for this target", "", "", FALSE,
    "./mir-www", "./mir-www" },
  /* 2.7–2.9 take the socket stack only when asked: tap0 by default. */
  { "keys-default-stack", CONFIG_2_KEYS, NULL, "port=8081\n", "mir-www",
    8081, "--port, set for this target", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www" },
  { "keys-boot-setting", CONFIG_2_KEYS, NULL, "net=socket\nboot.port=9090\n", "mir-www",
    8080, "default of key port in config.ml", "",
    "boot.port (not a runtime argument of this unikernel)", FALSE,
    "./mir-www", "./mir-www" },
  { "keys-run-stage", CONFIG_2_KEYS_RUN, NULL, "net=socket\nport=8081\n", "mir-www",
    8080, "default of key port in config.ml", "", "", FALSE,
    "./mir-www", "./mir-www" },
  { "env-direct-default", CONFIG_2_ENV, NULL, NULL, "mir-www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www" },
  { "env-socket", CONFIG_2_ENV, NULL, "NET=socket\n", "mir-www",
    8080, "Unistudio’s default", "", "", FALSE,
    "./mir-www", "./mir-www" },
  { "no-network", CONFIG_NO_NETWORK, NULL, "net=direct\n", "hello",
    8080, "Unistudio’s default", "", "", FALSE,
    "./hello", "./hello" },
  { "absolute-artefact", CONFIG_NO_NETWORK, NULL, NULL, "/opt/www/hello",
    8080, "Unistudio’s default", "", "", FALSE,
    "/opt/www/hello", "/opt/www/hello" },
};

/* Each bad boot.port of the demo, with the value the message must name. */
static const struct
{
  const char *name;
  const char *value;
} invalid_cases[] = {
  { "negative", "-1" },
  { "word", "abc" },
  { "too-big", "70000" },
  { "zero", "0" },
  { "fraction", "80.5" },
  { "signed", "+80" },
};

static char *
read_demo_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "demos", "2048",
                                                 name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static UniManifest *
make_manifest (const char *config)
{
  g_autofree char *demo = NULL;

  if (g_strcmp0 (config, DEMO) == 0)
    config = demo = read_demo_file ("config.ml");

  return uni_manifest_new (config, -1);
}

static GPtrArray *
make_decls (const char *unikernel)
{
  g_autofree char *demo = NULL;

  if (unikernel == NULL)
    return NULL;
  if (g_strcmp0 (unikernel, DEMO) == 0)
    unikernel = demo = read_demo_file ("unikernel.ml");

  return uni_runtime_args_read (unikernel, strlen (unikernel));
}

/* Settings loaded from a real project.ini; an empty group is written as a
 * file with the group and nothing in it.
 */
static UniProjectSettings *
make_settings (const char *target_group)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(UniProjectSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ini = NULL;

  if (target_group == NULL)
    return NULL;

  dir = uni_test_make_tempdir ("project");
  ini = g_strconcat ("[Project]\ntarget=unix\n\n[Target unix]\n", target_group,
                     "\n[Target xen]\nboot.port=1\nnet=direct\n", NULL);
  uni_test_write_file (dir, UNI_PROJECT_SETTINGS_PATH, ini);

  settings = uni_project_settings_new (dir);
  g_assert_true (uni_project_settings_load (settings, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&settings);
}

static void
assert_strv (char       **strv,
             const char  *expected)
{
  g_autofree char *joined = NULL;

  g_assert_nonnull (strv);
  joined = g_strjoinv ("|", strv);
  g_assert_cmpstr (joined, ==, expected);
}

static void
test_launch (gconstpointer data)
{
  const LaunchCase *c = data;
  g_autoptr(UniManifest) manifest = make_manifest (c->config);
  g_autoptr(GPtrArray) decls = make_decls (c->unikernel);
  g_autoptr(UniProjectSettings) settings = make_settings (c->target_group);
  g_autoptr(UniLaunch) launch = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv_user = NULL;
  g_auto(GStrv) argv_root = NULL;
  g_autofree char *url = NULL;

  launch = uni_launch_new (manifest, decls, settings, "unix", &error);
  g_assert_no_error (error);
  g_assert_nonnull (launch);

  g_assert_cmpuint (launch->port, ==, c->port);
  g_assert_nonnull (launch->port_origin);
  if (strstr (launch->port_origin, c->origin) == NULL)
    g_error ("origin “%s” does not say “%s”", launch->port_origin, c->origin);
  assert_strv (launch->boot_args, c->boot_args);
  assert_strv (launch->dropped, c->dropped);

  if (c->needs_root)
    g_assert_nonnull (launch->root_reason);
  else
    g_assert_null (launch->root_reason);

  argv_user = uni_launch_dup_argv (launch, c->artefact, FALSE);
  argv_root = uni_launch_dup_argv (launch, c->artefact, TRUE);
  assert_strv (argv_user, c->argv_user);
  assert_strv (argv_root, c->argv_root);

  url = uni_launch_dup_url (launch);
  g_assert_true (g_str_has_prefix (url, "http://localhost:"));
  g_assert_cmpuint (g_ascii_strtoull (url + strlen ("http://localhost:"), NULL, 10), ==, c->port);
  g_assert_true (g_str_has_suffix (url, "/"));

  /* The launch keeps nothing of the manifest. */
  g_clear_pointer (&launch, uni_launch_free);
  g_assert_finalize_object (g_steal_pointer (&manifest));
}

static void
test_invalid_port (gconstpointer data)
{
  const char *value = data;
  g_autoptr(UniManifest) manifest = make_manifest (DEMO);
  g_autoptr(GPtrArray) decls = make_decls (DEMO);
  g_autofree char *group = g_strdup_printf ("boot.greeting=x\nboot.port=%s\n", value);
  g_autoptr(UniProjectSettings) settings = make_settings (group);
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", value);
  UniLaunch *launch;

  launch = uni_launch_new (manifest, decls, settings, "unix", &error);
  g_assert_null (launch);
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_INVALID_SETTING);

  /* The value, the setting, the file, and what to do. */
  g_assert_nonnull (strstr (error->message, quoted));
  g_assert_nonnull (strstr (error->message, "boot.port"));
  g_assert_nonnull (strstr (error->message, ".unistudio/project.ini"));
  g_assert_nonnull (strstr (error->message, "1 to 65535"));
}

static void
test_invalid_key_port (void)
{
  g_autoptr(UniManifest) manifest = uni_manifest_new (CONFIG_2_KEYS, -1);
  g_autoptr(UniProjectSettings) settings = make_settings ("port=http\n");
  g_autoptr(GError) error = NULL;
  UniLaunch *launch;

  launch = uni_launch_new (manifest, NULL, settings, "unix", &error);
  g_assert_null (launch);
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_INVALID_SETTING);
  g_assert_nonnull (strstr (error->message, "“http”"));
  g_assert_nonnull (strstr (error->message, "setting port "));
}

/* Both reasons are named when both hold: the user sees why sudo asks. */
static void
test_root_reasons (void)
{
  g_autoptr(UniManifest) manifest = make_manifest (DEMO);
  g_autoptr(GPtrArray) decls = make_decls (DEMO);
  g_autoptr(UniProjectSettings) settings = make_settings ("net=direct\nboot.port=80\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(UniLaunch) launch = NULL;

  launch = uni_launch_new (manifest, decls, settings, "unix", &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (launch->root_reason, "tap device"));
  g_assert_nonnull (strstr (launch->root_reason, "port 80 is below 1024"));
}

/* The settings of another target never leak into this one's launch. */
static void
test_other_target (void)
{
  g_autoptr(UniManifest) manifest = make_manifest (DEMO);
  g_autoptr(GPtrArray) decls = make_decls (DEMO);
  g_autoptr(UniProjectSettings) settings = make_settings ("boot.port=9090\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(UniLaunch) launch = NULL;

  launch = uni_launch_new (manifest, decls, settings, "macosx", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (launch->port, ==, 8080);
  g_assert_cmpuint (g_strv_length (launch->boot_args), ==, 0);
  g_assert_null (launch->root_reason);
}

static void
test_is_boot_key (void)
{
  g_assert_true (uni_launch_is_boot_key ("boot.port"));
  g_assert_true (uni_launch_is_boot_key ("boot."));
  g_assert_false (uni_launch_is_boot_key ("port"));
  g_assert_false (uni_launch_is_boot_key ("Boot.port"));
  g_assert_false (uni_launch_is_boot_key ("reboot.port"));
  g_assert_false (uni_launch_is_boot_key (""));
}

int
main (int    argc,
      char **argv)
{
  uni_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (launch_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uni/launch/decide/%s", launch_cases[i].name);

      g_test_add_data_func (path, &launch_cases[i], test_launch);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/uni/launch/invalid-port/%s",
                                               invalid_cases[i].name);

      g_test_add_data_func (path, invalid_cases[i].value, test_invalid_port);
    }
  g_test_add_func ("/uni/launch/invalid-port/key", test_invalid_key_port);
  g_test_add_func ("/uni/launch/root-reasons", test_root_reasons);
  g_test_add_func ("/uni/launch/other-target", test_other_target);
  g_test_add_func ("/uni/launch/is-boot-key", test_is_boot_key);

  return g_test_run ();
}
