#!/usr/bin/env bash
# End-to-end tests of `unistudio-cli plan` and `unistudio-cli build` (TAP).
# Headless: the real unistudio-cli with the stand-in mirage (tests/fixtures) first in PATH.
set -uo pipefail

: "${UNISTUDIO_CLI_BINARY:?}" "${G_TEST_SRCDIR:?}"

cli=$UNISTUDIO_CLI_BINARY
demo_src=$G_TEST_SRCDIR/../data/demos/2048
export PATH="$G_TEST_SRCDIR/fixtures:$PATH"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
  n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift
  printf '%s\n' "$@" | sed 's/^/# /'
}

# The argv of every step, one step per line, arguments joined by "|" (mirage as MIRAGE).
steps() {
  python3 -c '
import json, sys
for step in json.load(sys.stdin):
    argv = ["MIRAGE" if a.endswith("/mirage") else a for a in step["argv"]]
    print(step["name"] + ": " + "|".join(argv))'
}

fresh_demo() {
  rm -rf "$tmp/my demo's \"copy\""
  mkdir -p "$tmp/my demo's \"copy\""
  cp -R "$demo_src/." "$tmp/my demo's \"copy\"/"
  echo "$tmp/my demo's \"copy\""
}

echo "1..12"

expect_plan() {
  local version=$1 target=$2 expected=$3 dir out
  dir=$(fresh_demo)
  if out=$(UNISTUDIO_FAKE_MIRAGE_VERSION=$version "$cli" plan "$dir" --target "$target" 2>&1) \
     && [ "$(printf '%s' "$out" | steps)" = "$expected" ]; then
    ok "plan, mirage $version, $target"
  else
    not_ok "plan, mirage $version, $target" "$out"
  fi
}

expect_plan 2.9.1 unix "configure: MIRAGE|configure|-t|unix
build: make"
expect_plan 2.9.1 xen "configure: MIRAGE|configure|-t|xen
build: make"
expect_plan 3.8.0 unix "configure: MIRAGE|configure|-t|unix
depend: make|depend
build: make"
expect_plan 3.8.0 xen "configure: MIRAGE|configure|-t|xen
depend: make|depend
build: make"
expect_plan 4.4.2 unix "configure: MIRAGE|configure|-t|unix
depend: make|depend
build: make|build"
expect_plan 4.4.2 xen "configure: MIRAGE|configure|-t|xen
depend: make|depend
build: make|build"
expect_plan 4.11.1 unix "configure: MIRAGE|configure|-t|unix
depend: make|depend
build: make|build"
expect_plan 4.11.1 xen "configure: MIRAGE|configure|-t|xen
depend: make|depend
build: make|build"

# Xen ARM needs mirage <= 3.8 on an armv7 build host: refused with the reason.
dir=$(fresh_demo)
out=$(UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1 "$cli" plan "$dir" --target xen-arm 2>&1)
status=$?
if [ $status -eq 2 ] && [ -n "$out" ]; then
  ok "a target the toolchain cannot build exits 2 with the reason"
else
  not_ok "a target the toolchain cannot build exits 2 with the reason" "status $status" "$out"
fi

dir=$(fresh_demo)
out=$(UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1 "$cli" build "$dir" --target unix 2>&1)
status=$?
if [ $status -eq 0 ] && [ -x "$dir/dist/www" ] && grep -q '^== configure$' <<<"$out" \
   && grep -q '^== build$' <<<"$out"; then
  ok "build succeeds and leaves dist/www"
else
  not_ok "build succeeds and leaves dist/www" "status $status" "$out"
fi

printf 'let start () =\n  this_does_not_exist ()\n' >"$dir/unikernel.ml"
out=$(UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1 "$cli" build "$dir" --target unix 2>&1)
status=$?
if [ $status -ne 0 ] && grep -q 'Error: Unbound value this_does_not_exist' <<<"$out" \
   && grep -q '^== configure (skipped: ' <<<"$out"; then
  ok "a broken build fails with the OCaml error in the output"
else
  not_ok "a broken build fails with the OCaml error in the output" "status $status" "$out"
fi

# SIGTERM to the CLI stops the step it runs, although the step leads a session of its own.
dir=$(fresh_demo)
mkdir -p "$tmp/slow-bin"
cat >"$tmp/slow-bin/mirage" <<EOF
#!/bin/sh
if [ "\$1" = configure ]; then
  echo \$\$ >"$tmp/step.pid"
  exec sleep 100
fi
exec "$G_TEST_SRCDIR/fixtures/mirage" "\$@"
EOF
chmod +x "$tmp/slow-bin/mirage"
rm -f "$tmp/step.pid"
PATH="$tmp/slow-bin:$PATH" UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1 \
  "$cli" build "$dir" --target unix >"$tmp/term.out" 2>&1 &
cli_pid=$!
for _ in $(seq 100); do [ -s "$tmp/step.pid" ] && break; sleep 0.1; done
step_pid=$(cat "$tmp/step.pid" 2>/dev/null)
kill -TERM "$cli_pid"
wait "$cli_pid"
status=$?
for _ in $(seq 50); do kill -0 "$step_pid" 2>/dev/null || break; sleep 0.1; done
if [ -n "$step_pid" ] && ! kill -0 "$step_pid" 2>/dev/null && [ $status -ne 0 ]; then
  ok "SIGTERM to the CLI stops the running step"
else
  [ -n "$step_pid" ] && kill -KILL "$step_pid" 2>/dev/null
  not_ok "SIGTERM to the CLI stops the running step" "status $status, step pid '$step_pid'" \
    "$(cat "$tmp/term.out")"
fi

exit $failed
