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

/* The same, pinned to a mirage that still has `--dhcp` (up to 4.10), or to
 * one with `--no-dhcp` (4.11 on).
 */
#define CONFIG_4_10 "(* mirage >= 4.5.0 & < 4.11.0 *)\n" CONFIG_4_5
#define CONFIG_4_11 "(* mirage >= 4.11.0 & < 4.12.0 *)\n" CONFIG_4_5

/* mirage 4.5+ without a log reporter: no -l/--logs. */
#define CONFIG_NO_REPORTER \
  "open Mirage\n" \
  "let port = runtime_arg ~pos:__POS__ \"Unikernel.port\"\n" \
  "let main =\n" \
  "  main \"Unikernel.Main\" ~runtime_args:[ port ] (http @-> job)\n" \
  "let stack = generic_stackv4v6 default_network\n" \
  "let () =\n" \
  "  register ~reporter:no_reporter \"www\"\n" \
  "    [ main $ cohttp_server (conduit_direct ~tls:false stack) ]\n"

/* Only a comment names no_reporter: the reporter is there. */
#define CONFIG_REPORTER_COMMENT \
  "(* Logs stay on; ~reporter:no_reporter would turn them off. *)\n" CONFIG_4_5

#define CONFIG_4_5_NO_NETWORK \
  "open Mirage\n" \
  "let main = main \"Unikernel.Hello\" (time @-> job)\n" \
  "let () = register \"hello\" [ main $ default_time ]\n"

/* mirage 3.x and 4.0–4.4: the address is the configure flag --ipv4. */
#define CONFIG_3 \
  "open Mirage\n" \
  "let main =\n" \
  "  foreign ~packages:[ package \"cohttp-mirage\" ] \"Unikernel.Main\" (stackv4 @-> job)\n" \
  "let () = register \"www\" [ main $ generic_stackv4 default_network ]\n"

#define CONFIG_4_0 "(* mirage >= 4.4.1 & < 4.5.0 *)\n" CONFIG_3

/* mirage 2.0–2.6 with the default static address only. */
#define CONFIG_2_ENV_DEFAULT_IPV4 \
  "open Mirage\n" \
  "let net =\n" \
  "  try match Sys.getenv \"NET\" with\n" \
  "    | \"socket\" -> `Socket\n" \
  "    | _ -> `Direct\n" \
  "  with Not_found -> `Direct\n" \
  "let stack console =\n" \
  "  match net with\n" \
  "  | `Direct -> direct_stackv4_with_default_ipv4 console tap0\n" \
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
  const char *address;
  const char *url;
} LaunchCase;

static const LaunchCase launch_cases[] = {
  { "demo", DEMO, DEMO, NULL, "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "demo-no-target-group", DEMO, DEMO, "", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "demo-boot-port", DEMO, DEMO, "boot.port=9090\n", "dist/www",
    9090, "--port, set for this target", "--port=9090", "", FALSE,
    "./dist/www|--port=9090", "./dist/www|--port=9090",
    "127.0.0.1", "http://localhost:9090/" },
  { "demo-boot-port-blank", DEMO, DEMO, "boot.port=   \n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "demo-net-socket", DEMO, DEMO, "net=socket\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "demo-net-direct", DEMO, DEMO, "net=direct\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    NULL, NULL },
  { "demo-net-ocaml", DEMO, DEMO, "net=ocaml\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    NULL, NULL },
  { "demo-dhcp", DEMO, DEMO, "dhcp=true\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    NULL, NULL },
  { "demo-dhcp-socket", DEMO, DEMO, "dhcp=true\nnet=socket\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "demo-port-80", DEMO, DEMO, "boot.port=80\n", "dist/www",
    80, "--port, set for this target", "--port=80", "", TRUE,
    "sudo|--|./dist/www|--port=80", "./dist/www|--port=80",
    "127.0.0.1", "http://localhost:80/" },
  { "demo-port-1024", DEMO, DEMO, "boot.port=1024\n", "dist/www",
    1024, "--port, set for this target", "--port=1024", "", FALSE,
    "./dist/www|--port=1024", "./dist/www|--port=1024",
    "127.0.0.1", "http://localhost:1024/" },
  { "demo-undeclared", DEMO, DEMO, "boot.foo=1\nboot.port=9090\n", "dist/www",
    9090, "--port, set for this target", "--port=9090",
    "boot.foo (not a runtime argument of this unikernel)", FALSE,
    "./dist/www|--port=9090", "./dist/www|--port=9090",
    "127.0.0.1", "http://localhost:9090/" },
  { "demo-configure-flags-not-passed", DEMO, DEMO, "dhcp=false\nenv=host\nport=9999\n",
    "dist/www",
    8080, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "demo-no-unikernel-ml", DEMO, NULL, "boot.port=9090\n", "dist/www",
    8080, "Unistudio’s default", "", "boot.port (not a runtime argument of this unikernel)",
    FALSE, "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "boot-args-in-file-order", CONFIG_4_5, UNIKERNEL_4_5,
    "boot.greeting=-v --help\nboot.port=9191\n", "dist/www",
    9191, "--port, set for this target", "--greeting=-v --help|--port=9191", "", FALSE,
    "./dist/www|--greeting=-v --help|--port=9191", "./dist/www|--greeting=-v --help|--port=9191",
    "127.0.0.1", "http://localhost:9191/" },
  { "short-flag", CONFIG_4_5, UNIKERNEL_4_5, "boot.p=9192\n", "dist/www",
    9192, "--port, set for this target", "-p9192", "", FALSE,
    "./dist/www|-p9192", "./dist/www|-p9192",
    "127.0.0.1", "http://localhost:9192/" },
  { "same-argument-twice", CONFIG_4_5, UNIKERNEL_4_5, "boot.port=9193\nboot.p=9194\n", "dist/www",
    9193, "--port, set for this target", "--port=9193",
    "boot.p (the same argument as boot.port, already given)", FALSE,
    "./dist/www|--port=9193", "./dist/www|--port=9193",
    "127.0.0.1", "http://localhost:9193/" },
  { "declared-but-not-listed", CONFIG_4_5, UNIKERNEL_4_5, "boot.unlisted=y\n", "dist/www",
    8443, "default of --port in unikernel.ml", "",
    "boot.unlisted (not a runtime argument of this unikernel)", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8443/" },
  { "default-expression", CONFIG_4_5, UNIKERNEL_EXPRESSION, NULL, "dist/www",
    8080, "is not a port number", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:8080/" },
  { "http-port", CONFIG_4_5, UNIKERNEL_HTTP_PORT, NULL, "dist/www",
    4433, "default of --http-port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:4433/" },
  { "registered-4-8", CONFIG_4_8, UNIKERNEL_4_8, "boot.port=9001\n", "dist/www",
    9001, "--port, set for this target", "--port=9001", "", FALSE,
    "./dist/www|--port=9001", "./dist/www|--port=9001",
    "127.0.0.1", "http://localhost:9001/" },
  { "registered-4-8-default", CONFIG_4_8, UNIKERNEL_4_8, NULL, "dist/www",
    9000, "default of --port in unikernel.ml", "", "", FALSE,
    "./dist/www", "./dist/www",
    "127.0.0.1", "http://localhost:9000/" },
  { "keys-socket", CONFIG_2_KEYS, NULL, "net=socket\n", "mir-www",
    8080, "default of key port in config.ml", "", "", FALSE,
    "./mir-www", "./mir-www",
    "127.0.0.1", "http://localhost:8080/" },
  { "keys-port-setting", CONFIG_2_KEYS, NULL, "net=socket\nport=8081\n", "mir-www",
    8081, "--port, set for this target", "", "", FALSE,
    "./mir-www", "./mir-www",
    "127.0.0.1", "http://localhost:8081/" },
  /* 2.7–2.9 take the socket stack only when asked: tap0 by default. */
  { "keys-default-stack", CONFIG_2_KEYS, NULL, "port=8081\n", "mir-www",
    8081, "--port, set for this target", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www",
    "10.0.0.2", "http://10.0.0.2:8081/" },
  { "keys-boot-setting", CONFIG_2_KEYS, NULL, "net=socket\nboot.port=9090\n", "mir-www",
    8080, "default of key port in config.ml", "",
    "boot.port (not a runtime argument of this unikernel)", FALSE,
    "./mir-www", "./mir-www",
    "127.0.0.1", "http://localhost:8080/" },
  { "keys-run-stage", CONFIG_2_KEYS_RUN, NULL, "net=socket\nport=8081\n", "mir-www",
    8080, "default of key port in config.ml", "", "", FALSE,
    "./mir-www", "./mir-www",
    "127.0.0.1", "http://localhost:8080/" },
  { "env-direct-default", CONFIG_2_ENV, NULL, NULL, "mir-www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www",
    NULL, NULL },
  { "env-socket", CONFIG_2_ENV, NULL, "NET=socket\n", "mir-www",
    8080, "Unistudio’s default", "", "", FALSE,
    "./mir-www", "./mir-www",
    "127.0.0.1", "http://localhost:8080/" },
  { "no-network", CONFIG_NO_NETWORK, NULL, "net=direct\n", "hello",
    8080, "Unistudio’s default", "", "", FALSE,
    "./hello", "./hello",
    "127.0.0.1", "http://localhost:8080/" },
  { "absolute-artefact", CONFIG_NO_NETWORK, NULL, NULL, "/opt/www/hello",
    8080, "Unistudio’s default", "", "", FALSE,
    "/opt/www/hello", "/opt/www/hello",
    "127.0.0.1", "http://localhost:8080/" },
  /* The direct stack answers at its own address, never on this computer. */
  { "direct-boot-ipv4", DEMO, DEMO, "net=direct\nboot.ipv4=10.0.0.5/24\n", "dist/www",
    8080, "default of --port in unikernel.ml", "--ipv4=10.0.0.5/24", "", TRUE,
    "sudo|--|./dist/www|--ipv4=10.0.0.5/24", "./dist/www|--ipv4=10.0.0.5/24",
    "10.0.0.5", "http://10.0.0.5:8080/" },
  { "direct-no-dhcp", DEMO, DEMO, "net=direct\nno-dhcp=true\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    "10.0.0.2", "http://10.0.0.2:8080/" },
  { "direct-no-dhcp-false", DEMO, DEMO, "net=direct\nno-dhcp=false\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    NULL, NULL },
  { "direct-dhcp-false", DEMO, DEMO, "net=direct\ndhcp=false\n", "dist/www",
    8080, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    "10.0.0.2", "http://10.0.0.2:8080/" },
  { "direct-pin-before-4-11", CONFIG_4_10, UNIKERNEL_4_5, "net=direct\n", "dist/www",
    8443, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    "10.0.0.2", "http://10.0.0.2:8443/" },
  { "direct-pin-from-4-11", CONFIG_4_11, UNIKERNEL_4_5, "net=direct\n", "dist/www",
    8443, "default of --port in unikernel.ml", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    NULL, NULL },
  { "direct-pin-from-4-11-boot-ipv4", CONFIG_4_11, UNIKERNEL_4_5,
    "net=direct\nboot.ipv4=192.168.5.9/24\n", "dist/www",
    8443, "default of --port in unikernel.ml", "--ipv4=192.168.5.9/24", "", TRUE,
    "sudo|--|./dist/www|--ipv4=192.168.5.9/24", "./dist/www|--ipv4=192.168.5.9/24",
    "192.168.5.9", "http://192.168.5.9:8443/" },
  /* The DHCP client takes no --ipv4: not passed, so not checked either. */
  { "direct-dhcp-drops-ipv4", DEMO, DEMO,
    "dhcp=true\nboot.ipv4=not an address\nboot.ipv4-gateway=10.0.0.1\nboot.ipv6=fd00::5/64\n",
    "dist/www",
    8080, "default of --port in unikernel.ml", "--ipv6=fd00::5/64",
    "boot.ipv4 (not taken by the network stack of this target)|"
    "boot.ipv4-gateway (not taken by the network stack of this target)", TRUE,
    "sudo|--|./dist/www|--ipv6=fd00::5/64", "./dist/www|--ipv6=fd00::5/64",
    NULL, NULL },
  { "direct-stack-arguments", DEMO, DEMO,
    "net=direct\nboot.interface=tap1\nboot.ipv4-gateway=10.0.0.1\n"
    "boot.accept-router-advertisements=false\nboot.ipv4-only=true\nboot.ipv6-only=false\n"
    "boot.ipv6-gateway=fd00::1\n", "dist/www",
    8080, "default of --port in unikernel.ml",
    "--interface=tap1|--ipv4-gateway=10.0.0.1|--accept-router-advertisements=false|"
    "--ipv4-only=true|--ipv6-only=false|--ipv6-gateway=fd00::1", "", TRUE,
    "sudo|--|./dist/www|--interface=tap1|--ipv4-gateway=10.0.0.1|"
    "--accept-router-advertisements=false|--ipv4-only=true|--ipv6-only=false|"
    "--ipv6-gateway=fd00::1",
    "./dist/www|--interface=tap1|--ipv4-gateway=10.0.0.1|--accept-router-advertisements=false|"
    "--ipv4-only=true|--ipv6-only=false|--ipv6-gateway=fd00::1",
    NULL, NULL },
  { "socket-drops-direct-arguments", DEMO, DEMO,
    "boot.interface=tap1\nboot.ipv4-gateway=10.0.0.1\nboot.ipv6=fd00::1/64\n"
    "boot.accept-router-advertisements=false\n", "dist/www",
    8080, "default of --port in unikernel.ml", "--ipv6=fd00::1/64",
    "boot.interface (not taken by the network stack of this target)|"
    "boot.ipv4-gateway (not taken by the network stack of this target)|"
    "boot.accept-router-advertisements (not taken by the network stack of this target)", FALSE,
    "./dist/www|--ipv6=fd00::1/64", "./dist/www|--ipv6=fd00::1/64",
    "127.0.0.1", "http://localhost:8080/" },
  /* The socket stack listens on the address --ipv4 gives. */
  { "socket-boot-ipv4", DEMO, DEMO, "boot.ipv4=127.0.0.2/8\n", "dist/www",
    8080, "default of --port in unikernel.ml", "--ipv4=127.0.0.2/8", "", FALSE,
    "./dist/www|--ipv4=127.0.0.2/8", "./dist/www|--ipv4=127.0.0.2/8",
    "127.0.0.2", "http://127.0.0.2:8080/" },
  { "socket-boot-ipv4-any", DEMO, DEMO, "boot.ipv4=0.0.0.0/0\n", "dist/www",
    8080, "default of --port in unikernel.ml", "--ipv4=0.0.0.0/0", "", FALSE,
    "./dist/www|--ipv4=0.0.0.0/0", "./dist/www|--ipv4=0.0.0.0/0",
    "127.0.0.1", "http://localhost:8080/" },
  { "logs-and-delay", DEMO, DEMO, "boot.l=*:debug\nboot.logs=info\nboot.delay=2\n", "dist/www",
    8080, "default of --port in unikernel.ml", "-l*:debug|--delay=2",
    "boot.logs (the same argument as boot.l, already given)", FALSE,
    "./dist/www|-l*:debug|--delay=2", "./dist/www|-l*:debug|--delay=2",
    "127.0.0.1", "http://localhost:8080/" },
  { "logs-without-reporter", CONFIG_NO_REPORTER, UNIKERNEL_4_5,
    "boot.logs=debug\nboot.delay=1\n", "dist/www",
    8443, "default of --port in unikernel.ml", "--delay=1",
    "boot.logs (not a runtime argument of this unikernel)", FALSE,
    "./dist/www|--delay=1", "./dist/www|--delay=1",
    "127.0.0.1", "http://localhost:8443/" },
  { "logs-reporter-in-comment", CONFIG_REPORTER_COMMENT, UNIKERNEL_4_5, "boot.logs=debug\n",
    "dist/www",
    8443, "default of --port in unikernel.ml", "--logs=debug", "", FALSE,
    "./dist/www|--logs=debug", "./dist/www|--logs=debug",
    "127.0.0.1", "http://localhost:8443/" },
  { "no-network-4-5", CONFIG_4_5_NO_NETWORK, NULL, "boot.ipv4=10.0.0.5/24\nboot.delay=1\n",
    "dist/hello",
    8080, "Unistudio’s default", "--delay=1",
    "boot.ipv4 (this unikernel has no network stack)", FALSE,
    "./dist/hello|--delay=1", "./dist/hello|--delay=1",
    "127.0.0.1", "http://localhost:8080/" },
  { "keys-ip", CONFIG_2_KEYS, NULL, "ip=10.0.0.7\n", "mir-www",
    8080, "default of key port in config.ml", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www",
    "10.0.0.7", "http://10.0.0.7:8080/" },
  { "keys-dhcp", CONFIG_2_KEYS, NULL, "dhcp=true\nip=10.0.0.7\n", "mir-www",
    8080, "default of key port in config.ml", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www",
    NULL, NULL },
  { "keys-mirage-arguments-not-passed", CONFIG_2_KEYS, NULL, "net=socket\nboot.logs=debug\n",
    "mir-www",
    8080, "default of key port in config.ml", "",
    "boot.logs (not a runtime argument of this unikernel)", FALSE,
    "./mir-www", "./mir-www",
    "127.0.0.1", "http://localhost:8080/" },
  { "env-default-ipv4", CONFIG_2_ENV_DEFAULT_IPV4, NULL, NULL, "mir-www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./mir-www", "./mir-www",
    "10.0.0.2", "http://10.0.0.2:8080/" },
  { "three-ipv4", CONFIG_3, NULL, "net=direct\nipv4=10.0.0.9/24\n", "www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./www", "./www",
    "10.0.0.9", "http://10.0.0.9:8080/" },
  { "three-default", CONFIG_3, NULL, "net=direct\n", "www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./www", "./www",
    "10.0.0.2", "http://10.0.0.2:8080/" },
  { "three-dhcp", CONFIG_3, NULL, "dhcp=true\nipv4=10.0.0.9/24\n", "www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./www", "./www",
    NULL, NULL },
  { "four-zero-ipv4", CONFIG_4_0, NULL, "net=direct\nipv4=192.168.7.2/24\n", "dist/www",
    8080, "Unistudio’s default", "", "", TRUE,
    "sudo|--|./dist/www", "./dist/www",
    "192.168.7.2", "http://192.168.7.2:8080/" },
};

/* A bad value for a setting. */
typedef struct
{
  const char *name;
  const char *value;
} InvalidCase;

/* Each bad boot.ipv4: mirage's converter wants an address and a prefix length. */
static const InvalidCase invalid_ipv4_cases[] = {
  { "no-prefix", "10.0.0.5" },
  { "prefix-too-long", "10.0.0.5/33" },
  { "three-parts", "10.0.0/24" },
  { "word", "ten/24" },
  { "ipv6", "fd00::5/64" },
  { "signed-prefix", "10.0.0.5/+24" },
  { "empty-prefix", "10.0.0.5/" },
  { "octet-too-big", "10.0.0.256/24" },
};

/* Each bad boot.port of the demo, with the value the message must name. */
static const InvalidCase invalid_cases[] = {
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

  g_assert_cmpstr (launch->address, ==, c->address);
  url = uni_launch_dup_url (launch);
  g_assert_cmpstr (url, ==, c->url);

  /* The launch keeps nothing of the manifest. */
  g_clear_pointer (&launch, uni_launch_free);
  g_assert_finalize_object (g_steal_pointer (&manifest));
}

/* A bad @value in @group (the unix target's lines) stops the launch: the
 * message names the value, the @setting, the file, and what a good value
 * looks like (@example).
 */
static void
assert_invalid_setting (const char *group,
                        const char *value,
                        const char *setting,
                        const char *example)
{
  g_autoptr(UniManifest) manifest = make_manifest (DEMO);
  g_autoptr(GPtrArray) decls = make_decls (DEMO);
  g_autoptr(UniProjectSettings) settings = make_settings (group);
  g_autoptr(GError) error = NULL;
  g_autofree char *quoted = g_strdup_printf ("“%s”", value);
  UniLaunch *launch;

  launch = uni_launch_new (manifest, decls, settings, "unix", &error);
  g_assert_null (launch);
  g_assert_error (error, UNI_BUILD_ERROR, UNI_BUILD_ERROR_INVALID_SETTING);

  g_assert_nonnull (strstr (error->message, quoted));
  g_assert_nonnull (strstr (error->message, setting));
  g_assert_nonnull (strstr (error->message, ".unistudio/project.ini"));
  g_assert_nonnull (strstr (error->message, example));
}

static void
test_invalid_port (gconstpointer data)
{
  const InvalidCase *c = data;
  g_autofree char *group = g_strdup_printf ("boot.greeting=x\nboot.port=%s\n", c->value);

  assert_invalid_setting (group, c->value, "boot.port", "1 to 65535");
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

/* Whatever stack takes --ipv4 gets it checked before the unikernel starts. */
static void
test_invalid_ipv4 (gconstpointer data)
{
  const InvalidCase *c = data;
  g_autofree char *group = g_strdup_printf ("net=direct\nboot.ipv4=%s\n", c->value);

  assert_invalid_setting (group, c->value, "boot.ipv4", "10.0.0.5/24");
}

typedef struct
{
  const char *name;
  const char *line;
  const char *address;
} AddressLineCase;

static const AddressLineCase address_line_cases[] = {
  { "2-dhcp", "DHCP offer received and bound to 192.168.1.42 nm 255.255.255.0 gw [192.168.1.1]",
    "192.168.1.42" },
  { "2-static", "Manager: Interface to 10.0.0.2 nm 255.255.255.0 gw [10.0.0.1]", "10.0.0.2" },
  { "3-lease", "2016-05-24 10:11:12 -00:00: INF [dhcp_client_lwt] Lease obtained! IP: 10.0.0.5, "
    "routers: 10.0.0.1", "10.0.0.5" },
  { "4-lease", "2025-01-01T12:00:00-00:00: [INFO] [dhcp_client_lwt] Lease obtained! IP: "
    "172.16.0.9, routers: 172.16.0.1", "172.16.0.9" },
  { "extra-spaces", "DHCP offer received and bound to   10.1.2.3 nm 255.0.0.0", "10.1.2.3" },
  { "other-line", "2025-01-01T12:00:00-00:00: [INFO] [application] listening on port 8080", NULL },
  { "routers-only", "[dhcp_client_lwt] routers: 10.0.0.1", NULL },
  { "empty", "", NULL },
  { "marker-only", "DHCP offer received and bound to", NULL },
  { "octet-too-big", "[dhcp_client_lwt] Lease obtained! IP: 300.1.1.1, routers: 10.0.0.1", NULL },
  { "three-parts", "[dhcp_client_lwt] Lease obtained! IP: 10.0.0, routers: 10.0.0.1", NULL },
  { "five-parts", "Manager: Interface to 10.0.0.2.7 nm 255.255.255.0", NULL },
  { "any", "[dhcp_client_lwt] Lease obtained! IP: 0.0.0.0, routers: 10.0.0.1", NULL },
  { "ipv6", "[dhcp_client_lwt] Lease obtained! IP: fe80::1, routers: fe80::2", NULL },
};

static void
test_find_address (gconstpointer data)
{
  const AddressLineCase *c = data;
  g_autofree char *address = uni_launch_find_address (c->line);

  g_assert_cmpstr (address, ==, c->address);
}

/* Once the console gives the address, the URL follows it. */
static void
test_url_for_address (void)
{
  static const struct
  {
    const char *address;
    const char *url;
  } cases[] = {
    { "127.0.0.1", "http://localhost:9090/" },
    { "10.0.0.5", "http://10.0.0.5:9090/" },
    { "127.0.0.2", "http://127.0.0.2:9090/" },
    { "fd00::5", "http://[fd00::5]:9090/" },
  };
  g_autoptr(UniManifest) manifest = make_manifest (DEMO);
  g_autoptr(GPtrArray) decls = make_decls (DEMO);
  g_autoptr(UniProjectSettings) settings = make_settings ("dhcp=true\nboot.port=9090\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(UniLaunch) launch = NULL;
  g_autofree char *url = NULL;

  launch = uni_launch_new (manifest, decls, settings, "unix", &error);
  g_assert_no_error (error);
  g_assert_null (launch->address);
  g_assert_null (uni_launch_dup_url (launch));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *with_address = uni_launch_dup_url_for_address (launch, cases[i].address);

      g_assert_cmpstr (with_address, ==, cases[i].url);
    }

  /* What the console reports is what the URL says. */
  launch->address = uni_launch_find_address ("[dhcp_client_lwt] Lease obtained! IP: 10.0.0.77, "
                                             "routers: 10.0.0.1");
  url = uni_launch_dup_url (launch);
  g_assert_cmpstr (url, ==, "http://10.0.0.77:9090/");
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

  UNI_TEST_ADD_CASES ("/uni/launch/decide", launch_cases, test_launch);
  UNI_TEST_ADD_CASES ("/uni/launch/invalid-port", invalid_cases, test_invalid_port);
  g_test_add_func ("/uni/launch/invalid-port/key", test_invalid_key_port);
  UNI_TEST_ADD_CASES ("/uni/launch/invalid-ipv4", invalid_ipv4_cases, test_invalid_ipv4);
  UNI_TEST_ADD_CASES ("/uni/launch/find-address", address_line_cases, test_find_address);
  g_test_add_func ("/uni/launch/url-for-address", test_url_for_address);
  g_test_add_func ("/uni/launch/root-reasons", test_root_reasons);
  g_test_add_func ("/uni/launch/other-target", test_other_target);
  g_test_add_func ("/uni/launch/is-boot-key", test_is_boot_key);

  return g_test_run ();
}
