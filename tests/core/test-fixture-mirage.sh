#!/bin/sh
# test-fixture-mirage.sh — the stand-in mirage (tests/fixtures/mirage) behaves
# per era as ../shared/MIRAGE.md documents, since other tests trust it. TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

srcdir=${G_TEST_SRCDIR:-$(dirname "$0")/..}
MIRAGE=$(cd "$srcdir/fixtures" && pwd)/mirage
work=$(mktemp -d "${TMPDIR:-/tmp}/fixture-mirage.XXXXXX")
# The unikernels this test starts, all ended on the way out.
pids=
trap 'for started in $pids; do kill "$started" 2>/dev/null; done; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
export NO_COLOR=1
# python3 in PATH may be a launcher script (pyenv's shim costs a tenth of a
# second per start, and this test starts the stand-in some 150 times): put
# the interpreter it launches first.
mkdir "$work/bin" &&
  ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$work/bin/python3" &&
  PATH=$work/bin:$PATH
unset UNISTUDIO_FAKE_MIRAGE_V_PREFIX MAKEFLAGS MFLAGS

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
check () { desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi; }

# A project like the GlueCon demo: a key, a network stack, a kv_ro.
new_project () {
  rm -rf "$work/p" && mkdir "$work/p" && cd "$work/p" || exit 1
  cat > config.ml <<'EOF'
open Mirage
(* register "not-this-one" *)
let port = Key.create "port" Key.Arg.(opt int 8080 (info ~doc:"Listen on [port]." ["port"]))
let stack = generic_stackv4 default_network
let data = generic_kv_ro "htdocs"
let main = foreign ~keys:[Key.abstract port] "Unikernel.Main" (console @-> kv_ro @-> job)
let () = register "www" [ main $ default_console $ data ]
EOF
  printf 'let start c =\n  Lwt.return ()\n' > unikernel.ml
}

# version, target flag, expected artefacts after make (space-separated)
for row in \
  "2.5.0|--unix|mir-www" \
  "2.9.1|--xen|mir-www.xen www.xl www.xl.in" \
  "2.9.1|-t unix|mir-www" \
  "3.8.0|-t xen|www.xen www.xl www.xl.in" \
  "3.8.0|-t hvt|www.hvt" \
  "4.4.2|-t unix|dist/www" \
  "4.11.1|-t xen|dist/www.xen dist/www.xl" \
  "4.11.1|-t unikraft-firecracker|dist/www.fc"
do
  version=${row%%|*}; rest=${row#*|}; flag=${rest%%|*}; files=${rest#*|}
  export UNISTUDIO_FAKE_MIRAGE_VERSION=$version
  new_project
  extra=; case $version in 2.*) extra=--no-opam ;; esac
  # shellcheck disable=SC2086
  check "$version configure $flag $extra" "$MIRAGE" configure $flag $extra
  check "$version $flag wrote a Makefile" test -f Makefile
  case $version in
    4.*) check "$version wrote mirage/main.ml" test -f mirage/main.ml
         check "$version make depend pulls duniverse/" make depend
         check "$version duniverse/ exists" test -d duniverse ;;
    3.*) check "$version make depend" make depend ;;
    *)   check "$version wrote main.ml" test -f main.ml ;;
  esac
  check "$version make" make
  for f in $files; do
    check "$version $flag left $f" test -f "$f"
  done
  check "$version clean" "$MIRAGE" clean
  check "$version clean removed the Makefile" test ! -e Makefile
done

# The unix artefact is a web server that serves the crunched files, with the
# boot arguments of the real unikernel. A helper (real sockets, real HTTP):
#   ports N                    prints N free TCP ports
#   requests [HOST:]PORT PID REQ...
#                              waits until PORT accepts on HOST (default
#                              127.0.0.1) while PID lives (bounded), then for
#                              each REQ (METHOD:PATH) prints "METHOD PATH
#                              STATUS|CONTENT-TYPE" and saves the body in
#                              body.I (I from 1)
#   refused HOST PORT          exits 0 if nothing listens on HOST:PORT
#   sigint PORT ARGV...        starts ARGV, waits for PORT, sends SIGINT,
#                              prints the exit status (negative: the signal)
cat > "$work/fetch.py" <<'EOF'
import os, signal, socket, subprocess, sys, time, urllib.error, urllib.request

def alive(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

def wait(host, port, pid):
    for _ in range(300):
        try:
            socket.create_connection((host, port), 1).close()
            return
        except OSError:
            if not alive(pid):
                sys.exit("the unikernel exited")
            time.sleep(0.05)
    sys.exit("port %d never answered" % port)

command, args = sys.argv[1], sys.argv[2:]
if command == "ports":
    sockets = [socket.socket() for _ in range(int(args[0]))]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    print(" ".join(str(s.getsockname()[1]) for s in sockets))
elif command == "requests":
    host, _, port = args[0].rpartition(":")
    host = host or "127.0.0.1"
    wait(host, int(port), args[1])
    for i, spec in enumerate(args[2:], 1):
        method, _, path = spec.partition(":")
        request = urllib.request.Request("http://%s:%s%s" % (host, port, path), method=method,
                                         data=b"x=1" if method == "POST" else None)
        try:
            response = urllib.request.urlopen(request, timeout=10)
        except urllib.error.HTTPError as error:
            response = error
        with open(os.path.join(os.path.dirname(sys.argv[0]), "body.%d" % i), "wb") as f:
            f.write(response.read())
        print("%s %s %d|%s" % (method, path, response.code, response.headers.get("content-type", "")))
elif command == "refused":
    try:
        socket.create_connection((args[0], int(args[1])), 5).close()
        sys.exit("%s:%s answers" % (args[0], args[1]))
    except ConnectionRefusedError:
        pass
elif command == "sigint":
    process = subprocess.Popen(args[1:], stdout=subprocess.DEVNULL)
    try:
        wait("127.0.0.1", int(args[0]), process.pid)
        process.send_signal(signal.SIGINT)
        print(process.wait(timeout=10))
    finally:
        process.kill()
EOF
fetch () { python3 "$work/fetch.py" "$@"; }
# expect DESC PATTERN VALUE: VALUE matches the glob PATTERN.
# shellcheck disable=SC2254
expect () { case $3 in $2) ok "$1" ;; *) not_ok "$1 (got: $3)" ;; esac; }
# has_line TEXT LINE: one of TEXT's lines is LINE.
has_line () { printf '%s\n' "$1" | grep -qxF -- "$2"; }
# logged LINE FILE: a line of FILE is LINE after a 3.x or 4.x log stamp.
logged () {
  awk -v want="$1" '{ n = length($0) - length(want)
    if (n > 0 && substr($0, n + 1) == want && substr($0, 1, n) ~ /^[0-9-]+[T ][0-9:]+ ?-00:00: (\[INFO\]|INF) $/) found = 1 }
    END { exit !found }' "$2"
}
# The Ith line of $results.
result () { printf '%s\n' "$results" | sed -n "${1}p"; }
# start ARGV...: in the background, output in $work/out and $work/err; sets $pid.
start () { "$@" >"$work/out" 2>"$work/err" & pid=$!; pids="$pids $pid"; }
# finish: ends $pid with SIGTERM, sets $status.
finish () { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; status=$?; }
# next_port: the next of the free ports, in $port.
free_ports="$(fetch ports 24) "
next_port () { port=${free_ports%% *}; free_ports=${free_ports#* }; }

demo=${UNISTUDIO_DATADIR:-$srcdir/../data}/demos/2048
# A key-era config that crunches the demo's htdocs.
keys_project () {
  new_project
  sed -i 's/generic_kv_ro "htdocs"/crunch "htdocs"/' config.ml
  cp -R "$demo/htdocs" htdocs
}

# serves DESC HTDOCS [REQ...]: the started $pid answers on $host:$port: /
# with HTDOCS/index.html, /game.js as javascript, /nope 404, then REQs in
# $results.
host=127.0.0.1
serves () {
  label=$1 htdocs=$2; shift 2
  if results=$(fetch requests "$host:$port" "$pid" GET:/ GET:/game.js GET:/nope "$@" 2>&1); then
    ok "$label answers on $host:$port"
  else
    not_ok "$label answers on $host:$port ($results; $(cat "$work/err"))"
  fi
  expect "$label / is index.html" "GET / 200|text/html*" "$(result 1)"
  check "$label / has index.html's bytes" cmp "$work/body.1" "$htdocs/index.html"
  expect "$label /game.js is javascript" "GET /game.js 200|*javascript*" "$(result 2)"
  expect "$label /nope is 404" "GET /nope 404|*" "$(result 3)"
}

# unknown_option DESC ARTEFACT: cmdliner's error and status for --foo.
unknown_option () {
  out=$("$2" --foo 2>&1); status=$?
  expect "$1 --foo exits 124" 124 "$status"
  check "$1 --foo says so" has_line "$out" "www: unknown option '--foo'."
  check "$1 --foo shows the usage" has_line "$out" "Usage: www [OPTION]…"
}

# fails_to_start DESC ARTEFACT: with `start` a failwith, an OCaml fatal error.
fails_to_start () {
  printf 'let start _c _kv\n    _http =\n  failwith "no \\"start\\""\n' > unikernel.ml
  make build >/dev/null 2>&1
  "$2" >"$work/out" 2>"$work/err"; status=$?
  expect "$1 failing start exits 2" 2 "$status"
  check "$1 failing start: OCaml's fatal error" \
    grep -qxF 'Fatal error: exception Failure("no \"start\"")' "$work/err"
  check "$1 failing start: boot log first" test -s "$work/out"
}

# 4.11.1: the demo, in a folder whose name has spaces and quotes; --port=N.
export UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1
proj="$work/my \"2048\" 's demo"
cp -R "$demo" "$proj" && cd "$proj" || exit 1
"$MIRAGE" configure -t unix >/dev/null && make >/dev/null 2>&1
check "4.11.1 demo: dist/www is executable" test -x dist/www
check "4.11.1 demo: dist/www says it is a stand-in" sh -c 'head -n 3 dist/www | grep -q "TEST STAND-IN"'
next_port
mv htdocs "$work/htdocs"  # crunched: the artefact no longer needs them
start ./dist/www --port="$port"
serves "4.11.1 demo:" "$work/htdocs" HEAD:/ POST:/
expect "4.11.1 demo: HEAD / is 200" "HEAD / 200|text/html*" "$(result 4)"
check "4.11.1 demo: HEAD / has no body" test ! -s "$work/body.4"
expect "4.11.1 demo: POST is 405" "POST / 405|*" "$(result 5)"
./dist/www --port="$port" >/dev/null 2>"$work/err2"; status=$?
expect "4.11.1 demo: port in use exits 2" 2 "$status"
check "4.11.1 demo: port in use is EADDRINUSE" \
  grep -qxF 'Fatal error: exception Unix.Unix_error(Unix.EADDRINUSE, "bind", "")' "$work/err2"
finish
expect "4.11.1 demo: SIGTERM ends it" 143 "$status"
check "4.11.1 demo: boot log names the port" grep -q "listening on $port/TCP" "$work/out"
check "4.11.1 demo: access log" grep -q "GET /game.js 200" "$work/out"
mv "$work/htdocs" htdocs
expect "4.11.1 demo: --port N, SIGINT ends it" -2 "$(fetch sigint "$port" ./dist/www --port "$port")"
out=$(./dist/www --port=abc 2>&1); status=$?
expect "4.11.1 demo: --port=abc exits 124" 124 "$status"
check "4.11.1 demo: --port=abc says so" \
  has_line "$out" "www: option '--port': invalid value 'abc', expected an integer"
unknown_option "4.11.1 demo:" ./dist/www
fails_to_start "4.11.1 demo:" ./dist/www

# The direct stack opens a tap device: root only. As root it serves.
cp "$demo/unikernel.ml" unikernel.ml
"$MIRAGE" configure -t unix --net direct >/dev/null && make build >/dev/null 2>&1
chmod 755 "$work" "$proj" "$proj/dist"
if [ "$(id -u)" -ne 0 ]; then
  ./dist/www >/dev/null 2>"$work/err"; status=$?
elif command -v setpriv >/dev/null; then
  setpriv --reuid=65534 --regid=65534 --clear-groups ./dist/www >/dev/null 2>"$work/err"; status=$?
else
  status=skip
fi
if [ "$status" = skip ]; then
  n=$((n + 1)); echo "ok $n # SKIP direct stack unprivileged: no setpriv"
else
  expect "4.11.1 direct stack unprivileged exits 2" 2 "$status"
  check "4.11.1 direct stack unprivileged: tap0 not permitted" \
    grep -qF 'Fatal error: exception Failure("net_unix: tap0: Operation not permitted")' "$work/err"
fi
# The stand-in's choices for what Run relies on (see its header): the direct
# stack says on its console which address it took; by DHCP it pretends to
# lease 127.0.0.2; it serves on a loopback address it took, else on every
# address.
if [ "$(id -u)" -eq 0 ]; then
  next_port
  start ./dist/www --port="$port"
  host=127.0.0.2
  serves "4.11.1 direct stack, no --ipv4 (DHCP):" htdocs
  host=127.0.0.1
  check "4.11.1 direct stack, DHCP: not on 127.0.0.1" fetch refused 127.0.0.1 "$port"
  finish
  check "4.11.1 direct stack, DHCP: the lease line names 127.0.0.2" \
    grep -qE '^[-0-9T:]+: \[INFO\] \[dhcp_client_lwt\] Lease obtained! IP: 127\.0\.0\.2, routers: ' \
    "$work/out"

  next_port
  start ./dist/www --port="$port" --ipv4=127.0.0.5/8
  host=127.0.0.5
  serves "4.11.1 direct stack, --ipv4=127.0.0.5/8:" htdocs
  host=127.0.0.1
  check "4.11.1 direct stack, static: not on 127.0.0.1" fetch refused 127.0.0.1 "$port"
  finish
  check "4.11.1 direct stack, static: says its address" \
    grep -qF '[ipv4] ip: 127.0.0.5, netmask: 255.0.0.0, ' "$work/out"
  check "4.11.1 direct stack, static: leases nothing" \
    sh -c "! grep -q 'Lease obtained' '$work/out'"

  # mirage's own boot arguments of the direct stack, as uni-launch.c passes them.
  next_port
  start ./dist/www --port="$port" --ipv4=127.0.0.5/8 --ipv4-gateway=127.0.0.1 '-l*:debug' \
    --delay=0 --interface=tap1 --ipv6=fd00::5/64 --ipv6-gateway=fd00::1 \
    --accept-router-advertisements=false --ipv4-only=false --ipv6-only=false
  host=127.0.0.5
  serves "4.11.1 direct stack, mirage's boot arguments:" htdocs
  host=127.0.0.1
  finish
  check "4.11.1 direct stack: --interface names the tap device" \
    grep -qF '[netif] plugging into tap1' "$work/out"
  check "4.11.1 direct stack: --ipv4-gateway is the gateway" \
    grep -qF '[ipv4] ip: 127.0.0.5, netmask: 255.0.0.0, gateway: 127.0.0.1' "$work/out"

  # --no-dhcp: mirage's default address, which is not this computer's.
  "$MIRAGE" configure -t unix --net direct --no-dhcp >/dev/null && make build >/dev/null 2>&1
  next_port
  start ./dist/www --port="$port"
  serves "4.11.1 direct stack, --no-dhcp: on every address" htdocs
  finish
  check "4.11.1 direct stack, --no-dhcp: says 10.0.0.2" \
    grep -qF '[ipv4] ip: 10.0.0.2, netmask: 255.255.255.0, ' "$work/out"
  "$MIRAGE" configure -t unix --net direct >/dev/null && make build >/dev/null 2>&1
fi
out=$(./dist/www --ipv4=127.0.0.5 2>&1); status=$?
expect "4.11.1 direct stack: --ipv4 without a prefix length exits 124" 124 "$status"
check "4.11.1 direct stack: --ipv4 without a prefix length says so" has_line "$out" \
  "www: option '--ipv4': invalid value '127.0.0.5', expected an IPv4 prefix (address/length)"

# The socket stack binds the address --ipv4 gives; it has no tap device.
"$MIRAGE" configure -t unix --net socket >/dev/null && make build >/dev/null 2>&1
next_port
start ./dist/www --port="$port" --ipv4=127.0.0.3/8 --ipv6-only=false
host=127.0.0.3
serves "4.11.1 socket stack, --ipv4=127.0.0.3/8:" htdocs
host=127.0.0.1
check "4.11.1 socket stack, --ipv4: not on 127.0.0.1" fetch refused 127.0.0.1 "$port"
finish
check "4.11.1 socket stack: no address line" sh -c "! grep -qE 'ip: |Lease' '$work/out'"
out=$(./dist/www --interface=tap0 2>&1); status=$?
expect "4.11.1 socket stack: --interface exits 124" 124 "$status"
check "4.11.1 socket stack: --interface is unknown" has_line "$out" \
  "www: unknown option '--interface'."

# 4.4.2: keys; the value given to configure is the default; --port N overrides.
export UNISTUDIO_FAKE_MIRAGE_VERSION=4.4.2
keys_project
next_port
"$MIRAGE" configure -t unix --port="$port" >/dev/null && make >/dev/null 2>&1
start ./dist/www
serves "4.4.2 keys:" htdocs
finish
next_port
start ./dist/www --port "$port"
serves "4.4.2 keys, --port N:" htdocs
finish
unknown_option "4.4.2 keys:" ./dist/www
fails_to_start "4.4.2 keys:" ./dist/www

# 2.9.0: keys, mir-www.
export UNISTUDIO_FAKE_MIRAGE_VERSION=2.9.0
keys_project
next_port
"$MIRAGE" configure --unix --no-opam --net socket --port "$port" >/dev/null && make >/dev/null 2>&1
start ./mir-www
serves "2.9.0 keys:" htdocs
finish
unknown_option "2.9.0 keys:" ./mir-www
fails_to_start "2.9.0 keys:" ./mir-www

# 2.5.0: PORT from the environment of configure.
export UNISTUDIO_FAKE_MIRAGE_VERSION=2.5.0
keys_project
next_port
PORT=$port "$MIRAGE" configure --unix --no-opam >/dev/null && make >/dev/null 2>&1
start ./mir-www
serves "2.5.0 PORT at configure:" htdocs
finish

# The direct stack of the other eras, as root: the address it took, said in
# the era's format (2.x as mirage-tcpip 2.x, 3.x/4.x through Logs), served
# there when it is a loopback address, else on every address.
# version|environment of configure|configure flags|console line|served on
if [ "$(id -u)" -eq 0 ]; then
  for row in \
    "2.5.0|NET=direct DHCP=1|--unix --no-opam|DHCP offer received and bound to 127.0.0.2 nm 255.0.0.0 gw [127.0.0.1]|127.0.0.2" \
    "2.5.0|NET=direct|--unix --no-opam|Manager: Interface to 10.0.0.2 nm 255.255.255.0 gw [10.0.0.1]|127.0.0.1" \
    "2.9.1||--unix --no-opam --net direct --dhcp true|DHCP offer received and bound to 127.0.0.2 nm 255.0.0.0 gw [127.0.0.1]|127.0.0.2" \
    "2.9.1||-t unix --no-opam --ip 127.0.0.6 --netmask 255.0.0.0 --gateways 127.0.0.1|Manager: Interface to 127.0.0.6 nm 255.0.0.0 gw [127.0.0.1]|127.0.0.6" \
    "3.8.0||-t unix --net direct --ipv4 127.0.0.7/8|[ipv4] ip: 127.0.0.7, netmask: 255.0.0.0, gateway: 10.0.0.1|127.0.0.7" \
    "3.8.0||-t unix --dhcp true|[dhcp_client_lwt] Lease obtained! IP: 127.0.0.2, routers: 127.0.0.1|127.0.0.2" \
    "4.4.2||-t unix --net direct --dhcp true|[dhcp_client_lwt] Lease obtained! IP: 127.0.0.2, routers: 127.0.0.1|127.0.0.2" \
    "4.4.2||-t unix --net direct|[ipv4] ip: 10.0.0.2, netmask: 255.255.255.0, gateway: 10.0.0.1|127.0.0.1"
  do
    set -f; IFS='|'
    # shellcheck disable=SC2086
    set -- $row
    unset IFS; set +f
    version=$1 envs=$2 flags=$3 line=$4 host=$5
    export UNISTUDIO_FAKE_MIRAGE_VERSION=$version
    keys_project
    next_port
    case $version in 2.[0-6].*) key= ;; *) key="--port $port" ;; esac
    # shellcheck disable=SC2086
    env PORT="$port" $envs "$MIRAGE" configure $flags $key >/dev/null 2>&1 && make >/dev/null 2>&1
    what="$version direct stack,${envs:+ $envs} $flags:"
    start "./$(ls mir-www www dist/www 2>/dev/null | head -n 1)"
    serves "$what" htdocs
    finish
    case $version in
      2.*) check "$what says $line" grep -qxF "$line" "$work/out" ;;
      *) check "$what logs $line" logged "$line" "$work/out" ;;
    esac
  done
  host=127.0.0.1
fi

# .xl contents per era.
for row in "2.9.1|builder = 'linux'|kernel = '/" "3.8.0|type = 'pv'|kernel = '/" \
           "4.11.1|type = 'pvh'|kernel = 'www.xen'"; do
  version=${row%%|*}; rest=${row#*|}; kind=${rest%%|*}; kernel=${rest#*|}
  export UNISTUDIO_FAKE_MIRAGE_VERSION=$version
  new_project
  case $version in 2.*) t=--xen ;; *) t="-t xen" ;; esac
  # shellcheck disable=SC2086
  "$MIRAGE" configure $t --net direct >/dev/null 2>&1 && make >/dev/null 2>&1
  xl=www.xl; [ -f dist/www.xl ] && xl=dist/www.xl
  check "$version .xl has $kind" grep -qF "$kind" "$xl"
  check "$version .xl has $kernel" grep -qF "$kernel" "$xl"
  check "$version .xl has a vif on br0" grep -qF "vif = [ 'bridge=br0' ]" "$xl"
  check "$version .xl has memory and on_crash" \
    sh -c "grep -q '^memory = 256' $xl && grep -q \"^on_crash = 'preserve'\" $xl"
done

# Versions, with and without the v of a git tag.
check "--version prints 4.11.1 by default" \
  sh -c "env -u UNISTUDIO_FAKE_MIRAGE_VERSION '$MIRAGE' --version | grep -qx 4.11.1"
check "--version prints v4.4.2 with the prefix" \
  sh -c "UNISTUDIO_FAKE_MIRAGE_VERSION=4.4.2 UNISTUDIO_FAKE_MIRAGE_V_PREFIX=1 '$MIRAGE' --version | grep -qx v4.4.2"

# Usage errors: cmdliner's message and exit 124.
usage_error () {
  version=$1; shift
  new_project
  out=$(UNISTUDIO_FAKE_MIRAGE_VERSION=$version "$MIRAGE" configure "$@" 2>&1)
  status=$?
  flag=$(printf '%s\n' "$@" | grep -- '^-' | tail -n 1 | cut -d= -f1)
  if [ $status -eq 124 ] && printf '%s\n' "$out" | grep -qF "mirage: unknown option '$flag'."; then
    ok "$version configure $* is a usage error"
  else
    not_ok "$version configure $* is a usage error (exit $status: $out)"
  fi
}
usage_error 3.8.0 --unix
usage_error 4.11.1 -t xen --xen
usage_error 4.11.1 -t unix --dhcp true
usage_error 4.4.2 -t unix --no-dhcp
usage_error 2.5.0 --unix --net socket
usage_error 4.11.1 -t unix --no-opam
usage_error 4.11.1 -t unix --nonexistent-key 3

# A flag the config does not declare (no network stack here) is unknown.
new_project
sed -i '/stack/d' config.ml
out=$("$MIRAGE" configure -t unix --net socket 2>&1); status=$?
check "no stack: --net is unknown (exit 124)" test "$status" -eq 124
new_project
check "with a stack: --net, --no-dhcp and the key's --port exist" \
  "$MIRAGE" configure -t unix --net socket --no-dhcp --port 80 --kv_ro crunch
check "an unknown target is a usage error" \
  sh -c "'$MIRAGE' configure -t nonsense; test \$? -eq 124"
check "hvt is ukvm before 3.2" \
  sh -c "UNISTUDIO_FAKE_MIRAGE_VERSION=3.1.0 '$MIRAGE' configure -t ukvm"
check "spt does not exist in 3.5" \
  sh -c "UNISTUDIO_FAKE_MIRAGE_VERSION=3.5.0 '$MIRAGE' configure -t spt; test \$? -eq 124"

# Missing config.ml.
rm -rf "$work/empty" && mkdir "$work/empty" && cd "$work/empty" || exit 1
out=$("$MIRAGE" configure -t unix 2>&1); status=$?
check "4.x: missing config.ml exits 1" test "$status" -eq 1
check "4.x: missing config.ml says so" sh -c "printf '%s' \"\$1\" | grep -qx 'mirage: \[ERROR\] configuration file config.ml missing'" _ "$out"
out=$(UNISTUDIO_FAKE_MIRAGE_VERSION=3.8.0 "$MIRAGE" configure -t unix 2>&1)
check "3.x: missing config.ml says so" sh -c "printf '%s' \"\$1\" | grep -q 'configuration file config.ml missing'" _ "$out"

# The 4.x success line.
new_project
out=$("$MIRAGE" configure -t unix 2>&1)
check "4.x prints the success line" sh -c "printf '%s' \"\$1\" | grep -qF \"Successfully configured the unikernel. Now run 'make'\"" _ "$out"

# A failing build: real-format compiler errors at the real line and columns.
broken_build () {
  version=$1
  export UNISTUDIO_FAKE_MIRAGE_VERSION=$version
  new_project
  printf 'let start c =\n  let x = 1 in\n    this_does_not_exist ()\n' > unikernel.ml
  case $version in 2.*) t=--unix ;; *) t="-t unix" ;; esac
  # shellcheck disable=SC2086
  "$MIRAGE" configure $t >/dev/null 2>&1
  case $version in 2.*) ;; *) make depend >/dev/null 2>&1 ;; esac
  out=$(make build 2>&1); status=$?
  check "$version broken build fails" test "$status" -ne 0
  check "$version File/line/characters" sh -c "printf '%s\n' \"\$1\" | grep -qx 'File \"unikernel.ml\", line 3, characters 4-23:'" _ "$out"
  check "$version Error line" sh -c "printf '%s\n' \"\$1\" | grep -qx 'Error: Unbound value this_does_not_exist'" _ "$out"
  check "$version make's error line" sh -c "printf '%s\n' \"\$1\" | grep -qE '^make: \*\*\* \[Makefile:[0-9]+: build\] Error [0-9]+'" _ "$out"
  check "$version no artefact" test ! -e mir-www -a ! -e www -a ! -e dist/www
  case $version in
    2.*) check "$version ocamlbuild's lines" sh -c "printf '%s\n' \"\$1\" | grep -q '^Compilation unsuccessful after building 4 targets'" _ "$out" ;;
  esac
}
broken_build 2.9.1
broken_build 3.8.0
broken_build 4.11.1
cd "$work/p" || exit 1
check "4.x: excerpt with carets" sh -c "make build 2>&1 | grep -qx '        \^\^\^\^\^\^\^\^\^\^\^\^\^\^\^\^\^\^\^'"
check "colours unless NO_COLOR" sh -c "env -u NO_COLOR TERM=xterm make build 2>&1 | grep -q \"\$(printf '\\033')\\[1;31mError\""

echo "1..$n"
exit $failed
