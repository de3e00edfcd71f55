#!/usr/bin/env bash
# End-to-end tests of `unistudio-cli manifest` and `unistudio-cli flags` (TAP).
# Headless: the real unistudio-cli binary on real files, no display.
set -uo pipefail

: "${UNISTUDIO_CLI_BINARY:?}" "${UNISTUDIO_DATADIR:?}"

cli=$UNISTUDIO_CLI_BINARY
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  # Diagnostics may span lines; TAP wants each one commented.
  printf '%s\n' "$@" | sed 's/^/# /'
}

# Reads JSON on stdin and prints the value of a Python expression over it (`d`).
json() {
  python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}

sha() { sha256sum <"$1" | cut -d' ' -f1; }

echo "1..24"

# The bundled demo, in a folder whose name has spaces and quotes.
demo="$tmp/my 2048 'demo' \"copy\""
cp -r "$UNISTUDIO_DATADIR/demos/2048" "$demo"

out=$("$cli" manifest "$demo" 2>"$tmp/err"); status=$?
if [ $status = 0 ] \
   && [ "$(json 'd["name"], d["entry"], d["era"]' <<<"$out")" = "('www', 'Unikernel.Main', '4.5+')" ]; then
  ok "manifest reads the 2048 demo: www, Unikernel.Main, 4.5+"
else
  not_ok "manifest reads the 2048 demo" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" manifest "$demo" --spans 2>"$tmp/err"); status=$?
if [ $status = 0 ] && [ "$(json 'd["name"]' <<<"$out")" = www ] \
   && [ "$out" != "$("$cli" manifest "$demo")" ]; then
  ok "manifest --spans prints JSON with more in it"
else
  not_ok "manifest --spans" "exit $status" "$out" "$(cat "$tmp/err")"
fi

# 4.5+: the port is a runtime argument; its type and default are in unikernel.ml.
out=$("$cli" manifest "$demo" 2>"$tmp/err"); status=$?
port='[(a["name"], a["type"], a["default"], a["flags"]) for a in d["runtime_args"]]'
if [ $status = 0 ] && [ "$(json "$port" <<<"$out")" = \
     "[('Unikernel.port', 'int', 8080, ['port'])]" ] \
   && [ "$(json 'd["runtime_args"][0]["doc"]' <<<"$out")" = \
        "The TCP port the web server listens on." ]; then
  ok "manifest gives the demo's runtime argument Unikernel.port: int, default 8080, --port"
else
  not_ok "manifest runtime_args of the 2048 demo" "exit $status" "$out" "$(cat "$tmp/err")"
fi

# 4.8+: register_arg inside module K, which config.ml does not name.
k48="$tmp/four eight"
mkdir -p "$k48"
cat >"$k48/config.ml" <<'EOF'
(* mirage >= 4.8.0 & < 4.9.0 *)
open Mirage

let main = main "Unikernel.Main" (stackv4v6 @-> job)
let () = register "hello" [ main $ generic_stackv4v6 default_network ]
EOF
cat >"$k48/unikernel.ml" <<'EOF'
module K = struct
  open Cmdliner

  let port =
    let doc = Arg.info ~doc:"Port to listen on." [ "port"; "p" ] in
    Mirage_runtime.register_arg Arg.(value & opt int 4242 doc)
end

module Main (S : Tcpip.Stack.V4V6) = struct
  let start _stack = Lwt.return (ignore (K.port ()))
end
EOF
out=$("$cli" manifest "$k48" 2>"$tmp/err"); status=$?
if [ $status = 0 ] && [ "$(json "$port" <<<"$out")" = \
     "[('Unikernel.K.port', 'int', 4242, ['port', 'p'])]" ]; then
  ok "manifest reads a 4.8 register_arg in module K: Unikernel.K.port default 4242"
else
  not_ok "manifest on a 4.8 register_arg unikernel" "exit $status" "$out" "$(cat "$tmp/err")"
fi

# No unikernel.ml: the runtime arguments config.ml names are listed, details null.
mkdir -p "$tmp/no module"
cp "$demo/config.ml" "$tmp/no module/config.ml"
out=$("$cli" manifest "$tmp/no module" 2>"$tmp/err"); status=$?
if [ $status = 0 ] && [ "$(json "$port" <<<"$out")" = "[('Unikernel.port', None, None, None)]" ]
then
  ok "without unikernel.ml a runtime argument is listed with null type, default and flags"
else
  not_ok "manifest without unikernel.ml" "exit $status" "$out" "$(cat "$tmp/err")"
fi

# The GlueCon 2016 unikernel, mirage 2.9.
glue="$tmp/glue con 'www' \"2016\""
mkdir -p "$glue"
cat >"$glue/config.ml" <<'EOF'
open Mirage

(* GlueCon 2016: mirage configure --xen --dhcp=true --network=0 --no-opam *)

let port =
  let doc = Key.Arg.info ~doc:"The TCP port the web server listens on." ["port"] in
  Key.(create "port" Arg.(opt int 8080 doc))

let main =
  foreign "Dispatch.Main"
    ~keys:[Key.abstract port]
    ~libraries:["re.str"; "str"]
    ~packages:["re"]
    (console @-> kv_ro @-> http @-> job)

let stack = generic_stackv4 default_console tap0

let fs = generic_kv_ro "htdocs"

let http = http_server (conduit_direct stack)

let () =
  register "www" [
    main $ default_console $ fs $ http
  ]
EOF
cp "$glue/config.ml" "$tmp/original.ml"

out=$("$cli" manifest "$glue" 2>"$tmp/err"); status=$?
summary='d["name"], d["entry"], d["era"], [(k["name"], k["default"]) for k in d["keys"]]'
if [ $status = 0 ] && [ "$(json "$summary" <<<"$out")" = \
     "('www', 'Dispatch.Main', '2.7-2.9', [('port', 8080)])" ]; then
  ok "manifest reads the GlueCon config: www, Dispatch.Main, key port default 8080"
else
  not_ok "manifest reads the GlueCon config" "exit $status" "$out" "$(cat "$tmp/err")"
fi

before=$(sha "$glue/config.ml")
out=$("$cli" manifest "$glue" --set nosuchkey=1 2>"$tmp/err"); status=$?
if [ $status != 0 ] && grep -q nosuchkey "$tmp/err" && [ "$(sha "$glue/config.ml")" = "$before" ]; then
  ok "--set on an unknown key fails, names it, and leaves the file byte-identical"
else
  not_ok "--set nosuchkey=1" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" manifest "$glue" --set port=notanumber 2>"$tmp/err"); status=$?
if [ $status != 0 ] && [ -s "$tmp/err" ] && [ "$(sha "$glue/config.ml")" = "$before" ]; then
  ok "--set with a value of the wrong type fails and leaves the file byte-identical"
else
  not_ok "--set port=notanumber" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" manifest "$glue" --set port=1 --rename web 2>"$tmp/err"); status=$?
if [ $status != 0 ] && [ "$(sha "$glue/config.ml")" = "$before" ]; then
  ok "two edits at once are refused, file untouched"
else
  not_ok "two edits at once" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" manifest "$glue" --set port=80 2>"$tmp/err"); status=$?
hunks=$(diff -U0 "$tmp/original.ml" "$glue/config.ml" | grep -c '^@@')
if [ $status = 0 ] && [ "$hunks" = 1 ] \
   && python3 - "$tmp/original.ml" "$glue/config.ml" <<'EOF'
import sys
old, new = (open(p, 'rb').read() for p in sys.argv[1:])
sys.exit(0 if old.count(b'8080') == 1 and old.replace(b'8080', b'80') == new else 1)
EOF
then
  ok "--set port=80 changes exactly one token: 8080 becomes 80"
else
  not_ok "--set port=80" "exit $status" "$out" "$(cat "$tmp/err")" \
    "$(diff "$tmp/original.ml" "$glue/config.ml")"
fi
if grep -qF "port default 8080 → 80" <<<"$out"; then
  ok "--set says what changed"
else
  not_ok "--set says what changed" "$out"
fi

out=$("$cli" manifest "$glue" 2>/dev/null)
if [ "$(json '[k["default"] for k in d["keys"]]' <<<"$out")" = "[80]" ]; then
  ok "the new default reads back"
else
  not_ok "the new default reads back" "$out"
fi

out=$("$cli" manifest "$glue" --rename web 2>"$tmp/err"); status=$?
if [ $status = 0 ] && [ "$("$cli" manifest "$glue" | json 'd["name"]')" = web ] \
   && grep -q 'register "web"' "$glue/config.ml"; then
  ok "--rename changes the register name"
else
  not_ok "--rename" "exit $status" "$out" "$(cat "$tmp/err")"
fi

before=$(sha "$demo/config.ml")
out=$("$cli" manifest "$demo" --add-package mirage-crypto-rng:1.0.0:2.0.0 2>"$tmp/err"); status=$?
packages='[(p["name"], p["min"], p["max"]) for p in d["packages"] if p["name"] == "mirage-crypto-rng"]'
if [ $status = 0 ] && [ "$("$cli" manifest "$demo" | json "$packages")" = \
     "[('mirage-crypto-rng', '1.0.0', '2.0.0')]" ]; then
  ok "--add-package NAME:MIN:MAX adds a bounded package"
else
  not_ok "--add-package" "exit $status" "$out" "$(cat "$tmp/err")"
fi

added=$(sha "$demo/config.ml")
out=$("$cli" manifest "$demo" --add-package mirage-crypto-rng 2>"$tmp/err"); status=$?
if [ $status != 0 ] && [ -s "$tmp/err" ] && [ "$(sha "$demo/config.ml")" = "$added" ]; then
  ok "--add-package of a listed package fails, file untouched"
else
  not_ok "--add-package twice" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" manifest "$demo" --remove-package mirage-crypto-rng 2>"$tmp/err"); status=$?
if [ $status = 0 ] && [ "$("$cli" manifest "$demo" | json "$packages")" = "[]" ]; then
  ok "--remove-package removes it"
else
  not_ok "--remove-package" "exit $status" "$out" "$(cat "$tmp/err")"
fi

mkdir -p "$tmp/empty"
out=$("$cli" manifest "$tmp/empty" 2>"$tmp/err"); status=$?
if [ $status = 1 ] && grep -qF "No config.ml in “$tmp/empty”" "$tmp/err"; then
  ok "a folder without config.ml: exit 1 and a message"
else
  not_ok "a folder without config.ml" "exit $status" "$out" "$(cat "$tmp/err")"
fi

mkdir -p "$glue/.unistudio"
cat >"$glue/.unistudio/project.ini" <<'EOF'
[Project]
target=xen-arm

[Target xen-arm]
dhcp=true
network=0
no-opam=true
logs=debug
EOF
out=$("$cli" flags "$glue" 2>"$tmp/err"); status=$?
if [ $status = 0 ] && grep -qE '^  --port +int, default 80, from config.ml' <<<"$out" \
   && grep -qE '^  --net +socket\|direct, built-in' <<<"$out" \
   && grep -qE '^  --no-opam +switch, built-in' <<<"$out" \
   && grep -qx '  --network=0' <<<"$out" && grep -q 'xen-arm (selected)' <<<"$out" \
   && grep -q -- '--logs=debug  (not a flag' <<<"$out"; then
  ok "flags lists the configure flags and the selected target's values"
else
  not_ok "flags" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" flags "$demo" --target unix 2>"$tmp/err"); status=$?
if [ $status = 0 ] && grep -qE '^  --net +host\|socket\|ocaml\|direct, built-in' <<<"$out" \
   && ! grep -q -- '--port' <<<"$out" && grep -q 'No values for the target unix' <<<"$out"; then
  ok "flags on the 2048 demo: no --port (a boot argument in 4.5+), no values set"
else
  not_ok "flags on the 2048 demo" "exit $status" "$out" "$(cat "$tmp/err")"
fi

before=$(sha "$glue/config.ml")
out=$("$cli" manifest "$glue" --set port=1 --set port=2 2>"$tmp/err"); status=$?
if [ $status = 1 ] && grep -q 'one edit at a time' "$tmp/err" \
   && [ "$(sha "$glue/config.ml")" = "$before" ]; then
  ok "--set given twice is refused, not half applied; file untouched"
else
  not_ok "--set a=1 --set b=2" "exit $status" "$out" "$(cat "$tmp/err")"
fi

# The default is 80 already: nothing to write, so the mtime stays.
touch -d '2001-02-03 04:05:06' "$glue/config.ml"
mtime=$(stat -c %Y "$glue/config.ml")
out=$("$cli" manifest "$glue" --set port=80 2>"$tmp/err"); status=$?
if [ $status = 0 ] && [ "$(stat -c %Y "$glue/config.ml")" = "$mtime" ] \
   && [ "$(sha "$glue/config.ml")" = "$before" ]; then
  ok "an edit that changes nothing does not write config.ml (mtime kept)"
else
  not_ok "--set to the current default" "exit $status" "$out" "$(cat "$tmp/err")"
fi

out=$("$cli" flags "$glue" 2>"$tmp/err"); status=$?
sed -i 's/^no-opam=true$/no-opam=false/' "$glue/.unistudio/project.ini"
off=$("$cli" flags "$glue" 2>>"$tmp/err"); off_status=$?
if [ $status = 0 ] && grep -qx '  --no-opam' <<<"$out" \
   && [ $off_status = 0 ] && grep -qx '  --no-opam  (off)' <<<"$off" \
   && ! grep -q -- '--no-opam=' <<<"$out$off"; then
  ok "flags prints a switch as --no-opam when on and (off) when off"
else
  not_ok "flags and a switch" "exit $status/$off_status" "$out" "$off" "$(cat "$tmp/err")"
fi

printf '[Target xen-arm]\nnetwork=\xff\xfe0\ndhcp=true\n' >"$glue/.unistudio/project.ini"
out=$("$cli" flags "$glue" --target xen-arm 2>"$tmp/err"); status=$?
if [ $status = 0 ] && grep -qx '  --network  (unreadable: not UTF-8)' <<<"$out" \
   && grep -qx '  --dhcp=true' <<<"$out"; then
  ok "flags survives a value that is not UTF-8 and goes on with the next"
else
  not_ok "flags with a non-UTF-8 value" "exit $status" "$out" "$(cat "$tmp/err")"
fi

printf '[Target unix]\ngateways=10.0.0.1,10.0.0.254\nip=10.0.0.1,10.0.0.2\n' \
  >"$glue/.unistudio/project.ini"
out=$("$cli" flags "$glue" --target unix 2>"$tmp/err"); status=$?
if [ $status = 0 ] && grep -qE '^  --gateways +ipv4_address_list, built-in' <<<"$out" \
   && grep -qx '  --gateways=10.0.0.1,10.0.0.254' <<<"$out" \
   && grep -q -- '--ip=10.0.0.1,10.0.0.2  (invalid' <<<"$out"; then
  ok "2.x --gateways takes a comma-separated list of addresses; --ip takes one"
else
  not_ok "flags and --gateways" "exit $status" "$out" "$(cat "$tmp/err")"
fi

exit "$failed"
