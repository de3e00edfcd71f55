#!/usr/bin/env bash
# End-to-end tests of `unistudio-cli run` and `unistudio-cli plan --run` (TAP).
# Headless: the real unistudio-cli with the stand-in mirage (tests/fixtures) first in PATH; its
# unix artefact is a small real web server for the project's htdocs. Every project gets a port
# the kernel picked, never 8080, since tests run in parallel.
set -uo pipefail

: "${UNISTUDIO_CLI_BINARY:?}" "${G_TEST_SRCDIR:?}"

cli=$UNISTUDIO_CLI_BINARY
demo_src=$G_TEST_SRCDIR/../data/demos/2048
export PATH="$G_TEST_SRCDIR/fixtures:$PATH"
export UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1
tmp=$(mktemp -d)
cli_pid=
listener_pid=

# The CLI's unikernel dies with it (it gets SIGTERM when its parent dies); what a failed
# test left behind for one of our projects is found by the folder in its environment.
cleanup() {
  [ -n "$cli_pid" ] && kill -KILL "$cli_pid" 2>/dev/null
  [ -n "$listener_pid" ] && kill -KILL "$listener_pid" 2>/dev/null
  wait 2>/dev/null
  for pid in $(unikernel_pids "$tmp/"); do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  printf '%s\n' "$@" | sed 's/^/# /'
}

# Processes whose UNISTUDIO_RUN_PROJECT starts with $1: the unikernels run for that folder.
unikernel_pids() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    if { tr '\0' '\n' <"$environ"; } 2>/dev/null | grep -qF "UNISTUDIO_RUN_PROJECT=$1"; then
      echo "$pid"
    fi
  done
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])'
}

port_answers() {
  python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)' \
    "$1" 2>/dev/null
}

# GET $1 into $2; fails unless the answer is a 200.
http_get() {
  python3 - "$1" "$2" <<'EOF'
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    if r.status != 200:
        sys.exit("status %d" % r.status)
    open(sys.argv[2], "wb").write(r.read())
EOF
}

# A copy of the demo in a folder whose name has spaces and quotes, on port $2.
fresh_demo() {
  local dir="$tmp/$1 my demo's \"copy\""
  rm -rf "$dir"
  mkdir -p "$dir/.unistudio"
  cp -R "$demo_src/." "$dir/"
  printf '[Project]\ntarget=unix\n\n[Target unix]\nboot.port=%s\n' "$2" \
    >"$dir/.unistudio/project.ini"
  echo "$dir"
}

# Starts `unistudio-cli run "$1"` in the background, its output in $tmp/run.out and run.err.
start_run() {
  "$cli" run "$1" >"$tmp/run.out" 2>"$tmp/run.err" &
  cli_pid=$!
}

# Until the CLI prints that the unikernel answers, or exits; bounded.
wait_for_answer() {
  local i
  for i in $(seq 1 600); do
    grep -q 'answers at' "$tmp/run.out" && return 0
    kill -0 "$cli_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Sends signal $1 to the CLI and waits for it; its exit status in $cli_status.
stop_cli() {
  kill "-$1" "$cli_pid"
  wait "$cli_pid"
  cli_status=$?
  cli_pid=
}

run_output() { printf '%s\n' "-- stdout:" "$(cat "$tmp/run.out")" "-- stderr:" "$(cat "$tmp/run.err")"; }

# Prints "NAME skipped|pending" for each step, then the run step's port, url, needs-root,
# dropped, argv and project folder in its environment.
plan_summary() {
  python3 -c '
import json, sys
steps = json.load(sys.stdin)
for step in steps:
    print(step["name"], "skipped" if step["skip"] else "pending")
run = steps[-1]
print("port", run["port"])
print("url", run["url"])
print("needs-root", run["needs-root"])
print("dropped", run["dropped"])
print("argv", "|".join(run["argv"]))
print("env", run["env"].get("UNISTUDIO_RUN_PROJECT"))'
}

echo "1..14"

# -- the first run: builds, serves, stops on Ctrl+C --------------------------------------

port=$(free_port)
dir=$(fresh_demo first "$port")
start_run "$dir"
if wait_for_answer; then
  answered=1
else
  answered=0
fi
url=$(sed -n 's/^The unikernel answers at \(http:[^ ]*\) — press Ctrl+C to stop it\.$/\1/p' \
  "$tmp/run.out")
if [ "$answered" = 1 ] && [ "$url" = "http://localhost:$port/" ]; then
  ok "run prints the URL once the unikernel answers"
else
  not_ok "run prints the URL once the unikernel answers" "url '$url', port $port" "$(run_output)"
fi

if grep -q '^== configure$' "$tmp/run.out" && grep -q '^== depend$' "$tmp/run.out" \
   && grep -q '^== build$' "$tmp/run.out"; then
  ok "run configured, locked and built first"
else
  not_ok "run configured, locked and built first" "$(run_output)"
fi

rm -f "$tmp/page"
if [ "$answered" = 1 ] && http_get "$url" "$tmp/page" 2>"$tmp/get.err" \
   && cmp -s "$tmp/page" "$demo_src/htdocs/index.html"; then
  ok "the URL serves the demo's index.html"
else
  not_ok "the URL serves the demo's index.html" "$(cat "$tmp/get.err" 2>/dev/null)" \
    "$(head -c 300 "$tmp/page" 2>/dev/null)"
fi

unikernels=$(unikernel_pids "$dir")
if [ "$answered" = 1 ]; then
  stop_cli INT
else
  stop_cli KILL
fi
if [ "$cli_status" = 130 ] && grep -q 'The unikernel was stopped\.' "$tmp/run.err"; then
  ok "Ctrl+C stops it: exit status 130 and \"stopped\" on stderr"
else
  not_ok "Ctrl+C stops it: exit status 130 and \"stopped\" on stderr" "status $cli_status" \
    "$(run_output)"
fi

left=$(unikernel_pids "$dir")
if [ -n "$unikernels" ] && [ -z "$left" ] && ! port_answers "$port"; then
  ok "no process is left and the port is free again"
else
  not_ok "no process is left and the port is free again" \
    "unikernels while it ran: '$unikernels', left: '$left'"
fi

# -- the second run: nothing to build ---------------------------------------------------

"$cli" plan "$dir" --run >"$tmp/plan.json" 2>"$tmp/plan.err"
summary=$(plan_summary <"$tmp/plan.json" 2>&1)
expected="configure skipped
depend skipped
build skipped
run pending
port $port
url http://localhost:$port/
needs-root None
dropped []
argv ./dist/www|--port=$port
env $dir"
if [ "$summary" = "$expected" ]; then
  ok "plan --run: configure, depend and build up to date; the run step's port and URL"
else
  not_ok "plan --run: configure, depend and build up to date; the run step's port and URL" \
    "$summary" "$(cat "$tmp/plan.err")"
fi

build_skip=$(python3 -c 'import json, sys; print([s for s in json.load(sys.stdin)
                                                   if s["name"] == "build"][0]["skip"])' \
             <"$tmp/plan.json" 2>&1)
if grep -q '^up to date: .*dist/www' <<<"$build_skip"; then
  ok "plan --run: the build is up to date because of dist/www"
else
  not_ok "plan --run: the build is up to date because of dist/www" "$build_skip"
fi

start_run "$dir"
wait_for_answer
answered=$?
if [ $answered -eq 0 ]; then stop_cli TERM; else stop_cli KILL; fi
if [ $answered -eq 0 ] && grep -q '^== build (skipped: ' "$tmp/run.out" \
   && [ "$cli_status" = 130 ] && [ -z "$(unikernel_pids "$dir")" ]; then
  ok "a second run starts without building; SIGTERM stops it like Ctrl+C"
else
  not_ok "a second run starts without building; SIGTERM stops it like Ctrl+C" \
    "status $cli_status" "$(run_output)"
fi

# -- the unikernel ends while it serves: the CLI ends with its status --------------------

start_run "$dir"
wait_for_answer
answered=$?
unikernels=$(unikernel_pids "$dir")
if [ $answered -eq 0 ] && [ -n "$unikernels" ]; then
  kill -TERM $unikernels
  wait "$cli_pid"
  cli_status=$?
else
  stop_cli KILL
fi
cli_pid=
if [ $answered -eq 0 ] && [ "$cli_status" = 143 ] \
   && grep -q 'The unikernel exited with status 143\.' "$tmp/run.err"; then
  ok "a unikernel killed while it serves: the CLI exits with its status, 128 + SIGTERM"
else
  not_ok "a unikernel killed while it serves: the CLI exits with its status, 128 + SIGTERM" \
    "status $cli_status, unikernels '$unikernels'" "$(run_output)"
fi

# -- the port is taken by a stranger ----------------------------------------------------

port=$(free_port)
dir=$(fresh_demo taken "$port")
python3 - "$port" >"$tmp/listener.out" <<'EOF' &
import socket, sys, time
s = socket.socket(socket.AF_INET6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", int(sys.argv[1])))
s.listen()
print("listening", flush=True)
time.sleep(600)
EOF
listener_pid=$!
for _ in $(seq 1 100); do grep -q listening "$tmp/listener.out" && break; sleep 0.1; done
"$cli" run "$dir" >"$tmp/run.out" 2>"$tmp/run.err"
cli_status=$?
if [ "$cli_status" -ne 0 ] && grep -q "$port" "$tmp/run.err" && grep -q 'python3' "$tmp/run.err" \
   && ! grep -q 'answers at' "$tmp/run.out"; then
  ok "a port in use fails, naming the port and the process that listens"
else
  not_ok "a port in use fails, naming the port and the process that listens" \
    "status $cli_status, port $port" "$(run_output)"
fi
left=$(unikernel_pids "$dir")
if [ -z "$left" ] && ! grep -q '^== run$' "$tmp/run.out"; then
  ok "nothing was started on a port in use"
else
  not_ok "nothing was started on a port in use" "left: '$left'" "$(run_output)"
fi
kill -KILL "$listener_pid" 2>/dev/null
wait "$listener_pid" 2>/dev/null
listener_pid=

# -- the unikernel fails at start -------------------------------------------------------

port=$(free_port)
dir=$(fresh_demo failing "$port")
python3 - "$dir/unikernel.ml" <<'EOF'
import sys
path = sys.argv[1]
text = open(path).read()
start = text.index("  let start ")
open(path, "w").write(text[:start] + '  let start _store _http _port = failwith "boom"\nend\n')
EOF
"$cli" run "$dir" >"$tmp/run.out" 2>"$tmp/run.err"
cli_status=$?
if [ "$cli_status" -ne 0 ] && grep -q 'status 2' "$tmp/run.err" \
   && grep -qF 'Failure("boom")' "$tmp/run.out" && ! grep -q 'answers at' "$tmp/run.out"; then
  ok "a unikernel that exits at start: its status on stderr, its error in the output"
else
  not_ok "a unikernel that exits at start: its status on stderr, its error in the output" \
    "status $cli_status" "$(run_output)"
fi

# -- settings Run cannot follow ----------------------------------------------------------

# A boot argument the unikernel does not take is named, not silently lost; the rest runs.
port=$(free_port)
dir=$(fresh_demo dropped "$port")
printf 'boot.colour=blue\n' >>"$dir/.unistudio/project.ini"
start_run "$dir"
if wait_for_answer && grep -qF 'Not passed to the unikernel: boot.colour' "$tmp/run.err"; then
  ok "a boot argument the unikernel does not take is named on stderr"
else
  not_ok "a boot argument the unikernel does not take is named on stderr" "$(run_output)"
fi
kill -INT "$cli_pid" 2>/dev/null
wait "$cli_pid" 2>/dev/null
cli_pid=

# The direct stack needs root, and the command's terminal cannot take sudo's password: as an
# ordinary user, Run says so before building anything.
port=$(free_port)
dir=$(fresh_demo unprivileged "$port")
printf 'net=direct\n' >>"$dir/.unistudio/project.ini"
chmod -R a+rwX "$tmp"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  setpriv --reuid=nobody --regid=nogroup --clear-groups --reset-env \
    env PATH="$PATH" UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1 HOME="$tmp" \
    "$cli" run "$dir" >"$tmp/run.out" 2>"$tmp/run.err"
  cli_status=$?
  if [ "$cli_status" = 2 ] && grep -qF 'needs root: the direct network stack opens a tap device' \
       "$tmp/run.err" && [ ! -e "$dir/Makefile" ]; then
    ok "as an ordinary user, the direct stack is refused before building, saying why"
  else
    not_ok "as an ordinary user, the direct stack is refused before building" \
      "status $cli_status" "$(run_output)"
  fi
else
  ok "# SKIP needs root and setpriv to play an ordinary user"
fi

exit $failed
