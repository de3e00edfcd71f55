#!/bin/sh
# test-fixture-xl.sh — the stand-in xl (tests/fixtures/xl) prints what Xen's
# xl prints and keeps its domains as xl would, since the board tests trust
# it. Run directly, as root (xl's condition) and as nobody. TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

srcdir=${G_TEST_SRCDIR:-$(dirname "$0")/..}
XL=$(cd "$srcdir/fixtures" && pwd)/xl
MIRAGE=$(cd "$srcdir/fixtures" && pwd)/mirage
work=$(mktemp -d "${TMPDIR:-/tmp}/fixture-xl.XXXXXX")
# The consoles this test leaves attached, all ended on the way out.
pids=
trap 'for started in $pids; do kill "$started" 2>/dev/null; done; rm -rf "$work"' EXIT
trap 'exit 143' TERM INT
export NO_COLOR=1
# python3 in PATH may be a launcher script (pyenv's shim costs a tenth of a
# second per start): put the interpreter it launches first.
mkdir "$work/bin" &&
  ln -s "$(python3 -c 'import sys; print(sys.executable)')" "$work/bin/python3" &&
  PATH=$work/bin:$PATH
unset UNISTUDIO_FAKE_XEN_VERSION UNISTUDIO_FAKE_XL_MACHINE UNISTUDIO_FAKE_XL_HOST \
  UNISTUDIO_FAKE_XL_IP UNISTUDIO_FAKE_XL_BRIDGES UNISTUDIO_FAKE_XL_NO_XEN \
  UNISTUDIO_FAKE_MIRAGE_VERSION MAKEFLAGS MFLAGS
export UNISTUDIO_FAKE_XL_STATE="$work/state"

n=0
failed=0
ok () { n=$((n + 1)); echo "ok $n - $1"; }
not_ok () { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
skip () { n=$((n + 1)); echo "ok $n # SKIP $1"; }
check () { desc=$1; shift; if "$@" >/dev/null 2>&1; then ok "$desc"; else not_ok "$desc"; fi; }
# expect DESC PATTERN VALUE: VALUE matches the glob PATTERN.
# shellcheck disable=SC2254
expect () { case $3 in $2) ok "$1" ;; *) not_ok "$1 (got: $3)" ;; esac; }
# has_line TEXT LINE: one of TEXT's lines is LINE.
has_line () { printf '%s\n' "$1" | grep -qxF -- "$2"; }
# lacks_line TEXT PATTERN: no line of TEXT matches the extended regex.
lacks_line () { ! printf '%s\n' "$1" | grep -qE -- "$2"; }
# run ARGV...: $out (stdout), $errs (stderr), $status.
run () { out=$("$@" 2>"$work/stderr"); status=$?; errs=$(cat "$work/stderr"); }
# as_nobody ARGV...: runs ARGV as user nobody.
as_nobody () { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# row NAME ID MEM VCPUS STATE TIME: xl's row, printed as xl_info.c prints it.
row () { printf '%-40s %5d %5d %5d     %s  %8.1f' "$@"; }
# time_of NAME: the Time(s) column of NAME's row in $out.
time_of () { printf '%s\n' "$out" | awk -v name="$1" '$1 == name { print $NF }'; }
HEADER=$(printf 'Name                                        ID   Mem VCPUs\tState\tTime(s)')

# A helper for what a shell cannot do without racing:
#   wait-line FILE TEXT PID   waits (bounded) until a line of FILE contains
#                             TEXT while PID lives
#   pty ARGV...               runs ARGV on a terminal; once its console shows
#                             a lease, types Ctrl+C then Ctrl+]; prints its
#                             exit status (negative: the signal) and whether
#                             the terminal is back in canonical mode
cat > "$work/helper.py" <<'EOF'
import os, select, subprocess, sys, termios, time

def alive(pid):
    try:
        with open("/proc/%s/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False

command, args = sys.argv[1], sys.argv[2:]
if command == "wait-line":
    path, text, pid = args
    for _ in range(600):
        with open(path, errors="replace") as f:
            if text in f.read():
                sys.exit(0)
        if not alive(pid):
            sys.exit("the process exited")
        time.sleep(0.05)
    sys.exit("never printed %r" % text)
elif command == "pty":
    master, slave = os.openpty()
    process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                               start_new_session=True)
    seen = b""
    deadline = time.monotonic() + 30
    while b"Lease obtained" not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            seen += os.read(master, 4096)
    os.write(master, b"\x03")
    os.write(master, b"\x1d")
    try:
        status = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        status = "still attached"
    canonical = termios.tcgetattr(slave)[3] & termios.ICANON
    print("%s %s" % (status, "canonical" if canonical else "raw"))
EOF
helper () { python3 "$work/helper.py" "$@"; }

# -- not root: libxc cannot open the privileged interface ---------------------

if [ "$(id -u)" -ne 0 ]; then
  run "$XL" list
elif command -v setpriv >/dev/null; then
  run as_nobody "$XL" list
else
  status=skip
fi
if [ "$status" = skip ]; then
  skip "not root: no setpriv"
else
  expect "not root: exits 1" 1 "$status"
  check "not root (4.4): libxc's complaint" has_line "$errs" \
    "xc: error: Could not obtain handle on privileged command interface (13 = Permission denied): Internal error"
  check "not root (4.4): libxl's" has_line "$errs" \
    "libxl: error: libxl.c:96:libxl_ctx_alloc: cannot open libxc handle: Permission denied"
  check "not root: cannot init xl context" has_line "$errs" "cannot init xl context"
  check "not root: nothing on stdout" test -z "$out"
  if [ "$(id -u)" -ne 0 ]; then
    run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" info
  else
    run as_nobody env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" info
  fi
  check "not root (4.17): xencall's complaint" has_line "$errs" \
    "xencall: error: Could not obtain handle on privileged command interface: Permission denied"
  expect "not root (4.17): exits 1" 1 "$status"
fi
run env UNISTUDIO_FAKE_XL_NO_XEN=1 "$XL" list
expect "no Xen: exits 1" 1 "$status"
check "no Xen: no such device file" has_line "$errs" \
  "libxl: error: libxl.c:96:libxl_ctx_alloc: cannot open libxc handle: No such file or directory"

if [ "$(id -u)" -ne 0 ]; then
  skip "everything else needs root, as xl does"
  echo "1..$n"
  exit $failed
fi

# -- xl info, xl list ---------------------------------------------------------

run "$XL"
expect "no subcommand: exits 1" 1 "$status"
check "no subcommand: usage" sh -c 'printf "%s\n" "$1" | grep -q "^Usage xl"' _ "$out"
run "$XL" frobnicate
check "unknown subcommand: xl's words" has_line "$errs" "command not implemented"

run "$XL" info
expect "info exits 0" 0 "$status"
check "info: xen_version 4.4.0 by default" has_line "$out" "xen_version            : 4.4.0"
check "info: xen_extra" has_line "$out" "xen_extra              : .0"
check "info: machine armv7l" has_line "$out" "machine                : armv7l"
check "info: host" has_line "$out" "host                   : cubieboard2"
check "info: nr_cpus 2" has_line "$out" "nr_cpus                : 2"
check "info: total_memory 1024" has_line "$out" "total_memory           : 1024"
check "info: dom0's 512 taken" has_line "$out" "free_memory            : 512"
check "info: empty virt_caps as xl prints it" has_line "$out" "virt_caps              :"
check "info: no build_id before 4.7" lacks_line "$out" "^build_id"
check "info: every line is key : value" test "$(printf '%s\n' "$out" | grep -cvE '^[a-z_]+ +:( |$)')" -eq 0
check "state folder made" test -d "$work/state/domains"
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 UNISTUDIO_FAKE_XL_MACHINE=x86_64 "$XL" info
check "4.17 x86_64: xen_version" has_line "$out" "xen_version            : 4.17.3"
check "4.17 x86_64: credit2" has_line "$out" "xen_scheduler          : credit2"
check "4.17 x86_64: build_id" sh -c 'printf "%s\n" "$1" | grep -qE "^build_id +: [0-9a-f]+$"' _ "$out"
check "4.17 x86_64: 8 GiB" has_line "$out" "total_memory           : 8192"
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" info free_memory
expect "4.17: info NAME prints the value alone" 512 "$out"

run "$XL" list
expect "list exits 0" 0 "$status"
expect "list: the header, tabs and all" "$HEADER" "$(printf '%s\n' "$out" | sed -n 1p)"
t=$(time_of Domain-0)
expect "list: Domain-0 as xl formats it" "$(row Domain-0 0 512 2 r----- "$t")" \
  "$(printf '%s\n' "$out" | sed -n 2p)"
expect "list: Domain-0 alone" 2 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
# dom0 "booted" 100 s earlier: its CPU time follows the clock.
before=$t
python3 -c 'import sys, time; open(sys.argv[1], "w").write("%f\n" % (time.time() - 100))' \
  "$work/state/booted"
run "$XL" list
check "list: CPU time grows with the clock" \
  python3 -c 'import sys; sys.exit(float(sys.argv[2]) < float(sys.argv[1]) + 20)' "$before" \
  "$(time_of Domain-0)"
run "$XL" list -l
check "list -l: JSON" python3 -c 'import json, sys; assert json.loads(sys.argv[1]) == []' "$out"
run "$XL" list -v
expect "list -v: not played, said so" 2 "$status"
run "$XL" list Domain-0
check "list Domain-0: one row" test "$(printf '%s\n' "$out" | wc -l)" -eq 2
run "$XL" list www
expect "list of an unknown domain exits 2 (4.4)" 2 "$status"
check "list of an unknown domain: xl's words" has_line "$errs" \
  "www is an invalid domain identifier (rc=-6)"
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" list www
expect "list of an unknown domain exits 1 (4.17)" 1 "$status"

# -- create -c with the stand-in mirage's Xen artefacts ------------------------

proj="$work/p"
mkdir "$proj" && cd "$proj" || exit 1
cat > config.ml <<'EOF'
open Mirage
let stack = generic_stackv4 default_network
let main = foreign "Unikernel.Main" (stackv4 @-> job)
let () = register "www" [ main $ stack ]
EOF
printf 'let start _ = Lwt.return ()\n' > unikernel.ml
"$MIRAGE" configure -t xen >/dev/null 2>&1 && make >/dev/null 2>&1
check "mirage stand-in built dist/www.xen and dist/www.xl" test -f dist/www.xen -a -f dist/www.xl

# A relative kernel is opened from the current folder, as libxl does.
run "$XL" create dist/www.xl
expect "relative kernel from elsewhere: exits 3" 3 "$status"
check "relative kernel from elsewhere: Parsing config first" has_line "$errs" \
  "Parsing config from dist/www.xl"
check "relative kernel from elsewhere: libxc's panic" has_line "$errs" \
  "xc: error: panic: xc_dom_core.c:185: failed to open file: No such file or directory: Internal error"
check "relative kernel from elsewhere: libxl's" has_line "$errs" \
  "libxl: error: libxl_dom.c:377:libxl__build_pv: xc_dom_kernel_file failed: No such file or directory"
run "$XL" list
check "no domain left by a failed create" test "$(printf '%s\n' "$out" | wc -l)" -eq 2

cd dist || exit 1
run sh -c 'printf "\035" | "$1" create -c www.xl' _ "$XL"
expect "create -c, Ctrl+] detaches: exits 0" 0 "$status"
check "create -c: Parsing config from on stderr" has_line "$errs" "Parsing config from www.xl"
check "create -c: the console shows the 4.x lease" sh -c \
  'printf "%s\n" "$1" | grep -qE "^[0-9-]+T[0-9:]+-00:00: \[INFO\] \[dhcp_client_lwt\] Lease obtained! IP: 192\.168\.1\.50, routers: 192\.168\.1\.1$"' _ "$out"
console_log=$out
# The failed create took an id: Xen made the domain, then destroyed it.
id=$("$XL" domid www)
run "$XL" list
check "list shows www after create" has_line "$out" "$(row www "$id" 256 1 -b---- "$(time_of www)")"
check "list: Domain-0 first" sh -c 'printf "%s\n" "$1" | sed -n 2p | grep -q "^Domain-0 "' _ "$out"
run "$XL" info
check "info: www's 256 MiB taken" has_line "$out" "free_memory            : 256"
run "$XL" list www
expect "list www: header and its row" 2 "$(printf '%s\n' "$out" | wc -l | tr -d ' ')"
run "$XL" list "$id"
check "list ID: by domain id" sh -c 'printf "%s\n" "$1" | grep -q "^www "' _ "$out"
expect "domid www: the id after the failed create's" 2 "$id"
run "$XL" list -l
check "list -l: www's config" python3 -c '
import json, sys
(d,) = json.loads(sys.argv[1])
assert d["domid"] == 2 and d["config"]["c_info"]["name"] == "www"
assert d["config"]["b_info"]["target_memkb"] == 256 * 1024
assert d["config"]["nics"][0]["bridge"] == "br0"' "$out"

run "$XL" console www </dev/null
expect "console: the end of stdin detaches, exits 0" 0 "$status"
check "console: the log again" test "$console_log" = "$out"
run sh -c 'printf "ignored\035" | "$1" console "$2"' _ "$XL" "$id"
expect "console by id, Ctrl+] detaches" 0 "$status"

run "$XL" create www.xl
expect "duplicate name: exits 3" 3 "$status"
check "duplicate name: libxl's words" has_line "$errs" \
  'libxl: error: libxl.c:374:libxl__domain_rename: domain with name "www" already exists.'
check "duplicate name: cannot make domain" has_line "$errs" \
  "libxl: error: libxl_create.c:713:initiate_domain_create: cannot make domain: -6"
run "$XL" list
expect "duplicate name: still one www" 1 "$(printf '%s\n' "$out" | grep -c '^www ')"

# On a terminal, like xenconsole: raw input, Ctrl+C goes to the guest.
result=$(helper pty "$XL" console www)
expect "terminal: Ctrl+C stays with the guest, Ctrl+] detaches" "0 canonical" "$result"

# SIGTERM ends an attached console, not the domain.
mkfifo "$work/fifo"
exec 3<>"$work/fifo"
"$XL" console www <"$work/fifo" >"$work/console.out" 2>&1 &
pid=$!; pids="$pids $pid"
check "attached console printed the lease" helper wait-line "$work/console.out" "Lease obtained!" "$pid"
kill -TERM "$pid"; wait "$pid" 2>/dev/null; status=$?
expect "SIGTERM ends the console" 143 "$status"
run "$XL" list www
expect "the domain outlives its console" 0 "$status"

# The console ends by itself when its domain does.
timeout 30 "$XL" console www <"$work/fifo" >"$work/console.out" 2>&1 &
pid=$!; pids="$pids $pid"
check "second console attached" helper wait-line "$work/console.out" "Lease obtained!" "$pid"
run "$XL" destroy www
expect "destroy exits 0" 0 "$status"
check "destroy says nothing" test -z "$out$errs"
wait "$pid"; status=$?
expect "the console leaves with its domain" 0 "$status"
run "$XL" list
check "destroy: www gone" lacks_line "$out" "^www "
run "$XL" destroy www
expect "destroy unknown: exits 2 (4.4)" 2 "$status"
check "destroy unknown: xl's words" has_line "$errs" "www is an invalid domain identifier (rc=-6)"
run "$XL" destroy 0
expect "destroy Domain-0 refused (4.4)" 255 "$status"
check "destroy Domain-0: xl's words" has_line "$errs" "Cannot destroy privileged domain 0."
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" destroy Domain-0
check "destroy Domain-0 (4.17): xl's words" has_line "$errs" \
  "Not destroying domain 0; use -f to force."

# Without -c xl returns once the domain runs; ids are never reused.
run "$XL" create -q www.xl
expect "create without -c exits 0" 0 "$status"
check "create -q: no Parsing line, no console" test -z "$out$errs"
run "$XL" domid www
check "a new domain id, never a reused one" test "$out" -gt "$id"
id=$out
run "$XL" pause www
run "$XL" list www
check "pause: --p---" sh -c 'printf "%s\n" "$1" | grep -qE "^www +$2 +256 +1 +--p--- "' _ "$out" "$id"
run "$XL" unpause www
run "$XL" list www
check "unpause: -b----" sh -c 'printf "%s\n" "$1" | grep -qE "^www +$2 +256 +1 +-b---- "' _ "$out" "$id"
run "$XL" shutdown www
expect "shutdown exits 0" 0 "$status"
check "shutdown: xl's words" has_line "$errs" "Shutting down domain $id"
run "$XL" list
check "shutdown: the unikernel went away" lacks_line "$out" "^www "
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" create www.xl extra=oops
expect "create with key=value: values are quoted as in the file" 1 "$status"
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" create www.xl 'extra="oops"'
expect "4.17 create with key=value arguments" 0 "$status"
run env UNISTUDIO_FAKE_XEN_VERSION=4.17.3 "$XL" create www.xl
check "4.17 duplicate: the domain's prefix" sh -c \
  'printf "%s\n" "$1" | grep -qE "^libxl: error: libxl_domain.c:[0-9]+:libxl__domain_rename: Domain [0-9]+:domain with name \"www\" already exists\.$"' _ "$errs"
run "$XL" list -l www
check "list -l www: its cmdline from extra=" python3 -c '
import json, sys
(d,) = json.loads(sys.argv[1])
assert d["config"]["b_info"]["type.pv"]["cmdline"] == "oops"' "$out"
"$XL" destroy www

# -- the eras of the console, crashes, configs -------------------------------

cd "$work" || exit 1
echo "stand-in xen kernel for old (not a real image) by mirage 2.9.1" > old.xen
printf "name = 'old'\nkernel = '%s/old.xen'\nvif = [ 'bridge=xenbr0' ]\n" "$work" > old.xl
run sh -c 'printf "\035" | UNISTUDIO_FAKE_XL_IP=10.0.0.9 "$1" create -c old.xl' _ "$XL"
check "2.x kernel: 2.x DHCP line, address from UNISTUDIO_FAKE_XL_IP" has_line "$out" \
  "DHCP offer received and bound to 10.0.0.9 nm 255.255.255.0 gw [10.0.0.1]"
check "2.x kernel: memory defaults to 32 MiB" sh -c '"$1" list old | grep -qE "^old +[0-9]+ +32 "' _ "$XL"
"$XL" destroy old
echo "stand-in xen kernel for mid by mirage 3.8.0" > mid.xen
printf "name = 'mid'\nkernel = 'mid.xen'\nvif = [ 'bridge=br0' ]\n" > mid.xl
run sh -c 'printf "\035" | "$1" create -c mid.xl' _ "$XL"
check "3.x kernel: 3.x log line" sh -c 'printf "%s\n" "$1" | grep -qE "^[0-9-]+ [0-9:]+ -00:00: INF \[dhcp_client_lwt\] Lease obtained! IP: 192\.168\.1\.50, routers: 192\.168\.1\.1$"' _ "$out"
"$XL" destroy mid
printf "name = 'quiet'\nkernel = 'mid.xen'\n" > quiet.xl
run sh -c 'printf "\035" | "$1" create -c quiet.xl' _ "$XL"
check "no vif: no lease" lacks_line "$out" "Lease|DHCP"
"$XL" destroy quiet

printf 'stand-in xen kernel for boom\nstand-in crash: no "start"\n' > boom.xen
printf "name = 'boom'\nkernel = 'boom.xen'\non_crash = 'preserve'\n" > boom.xl
run sh -c 'printf "\035" | "$1" create -c boom.xl' _ "$XL"
check "crash: OCaml's fatal error on the console" has_line "$out" \
  'Fatal error: exception Failure("no \"start\"")'
run "$XL" list boom
check "crash, on_crash=preserve: ---sc-" sh -c 'printf "%s\n" "$1" | grep -qE "^boom +[0-9]+ +32 +1 +---sc- "' _ "$out"
"$XL" destroy boom
printf "name = 'boom'\nkernel = 'boom.xen'\n" > boom.xl
run sh -c '"$1" create boom.xl' _ "$XL"
run "$XL" list boom
expect "crash, default on_crash=destroy: gone" 2 "$status"

printf "name = 'big'\nkernel = 'mid.xen'\nmemory = 600\n" > big.xl
run "$XL" create big.xl
expect "more memory than is free: exits 3" 3 "$status"
check "more memory than is free: libxc's words" sh -c \
  'printf "%s\n" "$1" | grep -q "xc_dom_boot_mem_init: can.t allocate low memory for domain: Out of memory"' _ "$errs"
run env UNISTUDIO_FAKE_XL_BRIDGES="xenbr0" "$XL" create mid.xl
expect "a bridge dom0 lacks: exits 3" 3 "$status"
check "a bridge dom0 lacks: vif-bridge's words" has_line "$errs" \
  "libxl: error: libxl_device.c:1127:device_hotplug_child_death_cb: script: Could not find bridge device br0"
run env UNISTUDIO_FAKE_XL_BRIDGES="br0 xenbr0" "$XL" create mid.xl
expect "a bridge dom0 has" 0 "$status"
"$XL" destroy mid

run "$XL" create nothing.xl
expect "missing config: exits 3" 3 "$status"
check "missing config: xl's words" has_line "$errs" \
  "Failed to read config file: nothing.xl: No such file or directory"
printf "name = 'x'\nkernel = 'mid.xen'\nmemory = (256)\n" > python.xl
run "$XL" create python.xl
expect "lexical error: exits 1" 1 "$status"
check "lexical error: where" has_line "$errs" "python.xl:3: config parsing error near \`(256)': lexical error"
check "lexical error: then xl" has_line "$errs" "Failed to parse config: Invalid argument"
printf "name = 'x'\nkernel = 'mid.xen' memory = 256\n" > syntax.xl
run "$XL" create syntax.xl
expect "syntax error: exits 1" 1 "$status"
check "syntax error: where" has_line "$errs" "syntax.xl:2: config parsing error near \`memory': syntax error"
printf "kernel = 'mid.xen'\n" > noname.xl
run "$XL" create noname.xl
check "no name: xl's words" has_line "$errs" "Domain name must be specified."
# libxlu's grammar: lists over lines, `;`, comments, a last line without newline.
printf "# a comment\nname = \"semi\"; memory = 0x40\nvif = [\n  'bridge=br0',\n  'bridge=xenbr0',\n]\nkernel = 'mid.xen'" > grammar.xl
run "$XL" create grammar.xl
expect "grammar: accepted" 0 "$status"
run "$XL" list -l semi
check "grammar: two vifs, hex memory" python3 -c '
import json, sys
(d,) = json.loads(sys.argv[1])
assert [n["bridge"] for n in d["config"]["nics"]] == ["br0", "xenbr0"]
assert d["config"]["b_info"]["max_memkb"] == 64 * 1024' "$out"
"$XL" destroy semi

# -- hostile names ----------------------------------------------------------

odd="$work/it's a \"dir\" \$(x)"
mkdir "$odd" && cp mid.xen "$odd/k \$HOME.xen"
printf 'name = "my \\"www\\" it'"'"'s"\nkernel = "%s/k $HOME.xen"\nvif = [ '"'"'bridge=br0'"'"' ]\n' \
  "$(printf '%s' "$odd" | sed 's/["\\]/\\&/g')" > "$odd/-www.xl"
run sh -c 'printf "\035" | "$1" create -c -- "$2"' _ "$XL" "$odd/-www.xl"
expect "a config named -www.xl in an odd folder, after --" 0 "$status"
check "odd names: Parsing config names it" has_line "$errs" "Parsing config from $odd/-www.xl"
check "odd names: the console" sh -c 'printf "%s\n" "$1" | grep -q "Lease obtained"' _ "$out"
run "$XL" list "my \"www\" it's"
expect "a name with quotes and spaces, listed" 0 "$status"
check "a name with quotes and spaces: its row" sh -c 'printf "%s\n" "$1" | grep -qF "my \"www\" it'"'"'s "' _ "$out"
cp "$odd/-www.xl" "$work/a=b.xl"
run "$XL" create "$work/a=b.xl"
expect "a config named a=b.xl is a key=value to xl" 6 "$status"
"$XL" destroy "my \"www\" it's"
run "$XL" create -f "$work/a=b.xl"
expect "... and a file with -f" 0 "$status"
"$XL" destroy "my \"www\" it's"

# -- the default state folder -------------------------------------------------

mkdir "$work/home"
run env -u UNISTUDIO_FAKE_XL_STATE HOME="$work/home" "$XL" list
check "state defaults to ~/.cache/unistudio-fake-xl" test -d "$work/home/.cache/unistudio-fake-xl/domains"

echo "1..$n"
exit $failed
