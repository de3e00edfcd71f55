#!/usr/bin/env bash
# End-to-end test of Run (TAP): the real unistudio binary on a real X server and a private
# D-Bus session (tests/run-under-x.sh). The run action arrives over D-Bus as
# `gapplication action` sends it; the unikernel is the stand-in mirage's unix artefact, a
# small real web server for the demo's htdocs; the page opens through the desktop's own
# mechanism: a .desktop handler for x-scheme-handler/http in a temporary XDG_DATA_HOME,
# made the default in mimeapps.list, that writes down the URL it was given.
set -uo pipefail

: "${UNISTUDIO_BINARY:?}" "${UNISTUDIO_DATADIR:?}" "${UNISTUDIO_APP_ID:?}"

export PATH="${G_TEST_SRCDIR:?}/fixtures:$PATH"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  # Whatever a failed test left serving for our project.
  for pid in $(unikernel_pids); do kill -9 "$pid" 2>/dev/null; done
  rm -rf "$tmp"
}
trap cleanup EXIT

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state"
mkdir -p "$HOME" "$XDG_DATA_HOME/applications" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" \
         "$XDG_STATE_HOME"

cat >"$tmp/browser" <<EOF
#!/bin/sh
printf '%s\n' "\$1" >>"$tmp/opened"
EOF
chmod +x "$tmp/browser"
cat >"$XDG_DATA_HOME/applications/test-browser.desktop" <<EOF
[Desktop Entry]
Type=Application
Name=Test Browser
Exec="$tmp/browser" %u
MimeType=x-scheme-handler/http;
EOF
printf '[Default Applications]\nx-scheme-handler/http=test-browser.desktop\n' \
  >"$XDG_CONFIG_HOME/mimeapps.list"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# A copy of the demo in a folder whose name has spaces and quotes.
project="$tmp/my 2048 'demo' \"run\""
cp -r "$UNISTUDIO_DATADIR/demos/2048" "$project"
title="my 2048 'demo' \"run\" — Unistudio"

port_is_free() {
  python3 - "$1" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

# The demo's own port, 8080, as a user would get it; another only if this machine uses 8080.
port=8080
if ! port_is_free "$port"; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("", 0)); print(s.getsockname()[1])')
  mkdir -p "$project/.unistudio"
  printf '[Target unix]\nboot.port=%s\n' "$port" >"$project/.unistudio/project.ini"
  echo "# port 8080 is taken on this machine: the project runs on $port"
fi
url="http://localhost:$port/"

# GET / on the port; prints the body, fails while nothing answers.
get_page() {
  python3 - "$port" <<'EOF'
import sys, urllib.request
with urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=2) as r:
    sys.stdout.buffer.write(r.read())
EOF
}

wait_for_page() {
  local i
  for i in $(seq 1 600); do
    get_page >"$tmp/page" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

port_closed() {
  ! python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
    "$port" 2>/dev/null
}

wait_for_port_closed() {
  local i
  for i in $(seq 1 150); do
    port_closed && return 0
    sleep 0.1
  done
  return 1
}

# The processes Unistudio started for this project: they carry its folder in their environment.
unikernel_pids() {
  local environ pid
  for environ in /proc/[0-9]*/environ; do
    pid=${environ#/proc/}
    pid=${pid%/environ}
    if tr '\0' '\n' <"$environ" 2>/dev/null | grep -qxF "UNISTUDIO_RUN_PROJECT=$project"; then
      echo "$pid"
    fi
  done
}

count_windows() {
  xwininfo -root -tree | grep -cF "\"$1\": (" || true
}

wait_for_window() {
  local i
  for i in $(seq 1 300); do
    [ "$(count_windows "$1")" -ge 1 ] && return 0
    sleep 0.1
  done
  return 1
}

wait_for_opened() {
  local i
  for i in $(seq 1 100); do
    [ "$(grep -c . "$tmp/opened" 2>/dev/null)" -ge "$1" ] && return 0
    sleep 0.1
  done
  return 1
}

echo "1..9"

"$UNISTUDIO_BINARY" "$project" >"$tmp/app.log" 2>&1 &
app=$!
pids+=("$app")
wait_for_window "$title" || echo "# no window titled $title"

# The window may still be finding mirage: the action waits for it, as Build does.
gapplication action "$UNISTUDIO_APP_ID" run >"$tmp/action.log" 2>&1
if wait_for_page && cmp -s "$tmp/page" "$project/htdocs/index.html"; then
  ok "the run action over D-Bus builds and starts the unikernel, which serves the 2048 page"
else
  not_ok "the run action serves the 2048 page" "$(cat "$tmp/action.log" "$tmp/app.log")"
fi

if wait_for_opened 1 && [ "$(head -n 1 "$tmp/opened")" = "$url" ]; then
  ok "the desktop's http handler was given $url"
else
  not_ok "the desktop's http handler was given $url" "opened: $(cat "$tmp/opened" 2>/dev/null)"
fi

first=$(unikernel_pids)
if [ -n "$first" ] && [ -x "$project/dist/www" ]; then
  ok "the unikernel runs from the project folder with its folder in its environment"
else
  not_ok "the unikernel carries UNISTUDIO_RUN_PROJECT" "pids: $first"
fi

# Run while running restarts it: another process, serving again.
gapplication action "$UNISTUDIO_APP_ID" run >>"$tmp/action.log" 2>&1
restarted=0
for i in $(seq 1 300); do
  now=$(unikernel_pids)
  if [ -n "$now" ] && [ "$now" != "$first" ] && get_page >"$tmp/page" 2>/dev/null; then
    restarted=1
    break
  fi
  sleep 0.1
done
if [ "$restarted" = 1 ] && ! kill -0 $first 2>/dev/null; then
  ok "Run while running restarts the unikernel"
else
  not_ok "Run while running restarts the unikernel" "before: $first, now: $(unikernel_pids)" \
    "$(tail -n 20 "$tmp/app.log")"
fi

gapplication action "$UNISTUDIO_APP_ID" stop >>"$tmp/action.log" 2>&1
if wait_for_port_closed && [ -z "$(unikernel_pids)" ]; then
  ok "the stop action ends the unikernel and frees the port"
else
  not_ok "the stop action ends the unikernel" "left: $(unikernel_pids)"
fi

# Quitting with a unikernel running ends it too.
gapplication action "$UNISTUDIO_APP_ID" run >>"$tmp/action.log" 2>&1
wait_for_page || echo "# the second run did not serve"
gapplication action "$UNISTUDIO_APP_ID" quit >>"$tmp/action.log" 2>&1
quit=0
for i in $(seq 1 150); do
  kill -0 "$app" 2>/dev/null || { quit=1; break; }
  sleep 0.1
done
if [ "$quit" = 1 ] && wait_for_port_closed && [ -z "$(unikernel_pids)" ]; then
  ok "quitting Unistudio ends the unikernel it started"
else
  not_ok "quitting Unistudio ends the unikernel" "app quit: $quit, left: $(unikernel_pids)" \
    "$(tail -n 20 "$tmp/app.log")"
fi

# `unistudio DIR --run`: straight to the page, without a build (it is up to date).
"$UNISTUDIO_BINARY" "$project" --run >"$tmp/app2.log" 2>&1 &
pids+=($!)
if wait_for_page && cmp -s "$tmp/page" "$project/htdocs/index.html" && wait_for_opened 3; then
  ok "unistudio DIR --run starts the unikernel and opens the page"
else
  not_ok "unistudio DIR --run" "$(cat "$tmp/app2.log")" "opened: $(cat "$tmp/opened" 2>/dev/null)"
fi

if [ "$(sort -u "$tmp/opened")" = "$url" ]; then
  ok "every run opened exactly $url"
else
  not_ok "every run opened exactly $url" "$(cat "$tmp/opened")"
fi

# Until it is stopped, it serves: the app's Run did not end with the page opening.
if get_page >/dev/null 2>&1 && [ -n "$(unikernel_pids)" ]; then
  ok "the unikernel started with --run keeps serving"
else
  not_ok "the unikernel started with --run keeps serving" "$(cat "$tmp/app2.log")"
fi

exit "$failed"
