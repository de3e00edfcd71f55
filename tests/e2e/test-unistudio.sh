#!/usr/bin/env bash
# End-to-end tests of the real unistudio binary on a real X server (TAP).
# Runs under tests/run-under-x.sh: its own Xvfb display and private D-Bus session.
set -uo pipefail

: "${UNISTUDIO_BINARY:?}" "${UNISTUDIO_CLI_BINARY:?}" "${UNISTUDIO_DATADIR:?}" "${UNISTUDIO_APP_ID:?}"

# The stand-in mirage (tests/fixtures, labelled as such) plays the toolchain for builds.
export PATH="${G_TEST_SRCDIR:?}/fixtures:$PATH"

tmp=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

export HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" \
       XDG_CACHE_HOME="$tmp/cache" XDG_STATE_HOME="$tmp/state"
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; shift; for l in "$@"; do echo "# $l"; done; }

# Prints how many top-level windows carry exactly this title.
count_windows() {
  xwininfo -root -tree | grep -cF "\"$1\": (" || true
}

wait_for_window() {
  local title=$1 i
  for i in $(seq 1 300); do
    [ "$(count_windows "$title")" -ge 1 ] && return 0
    sleep 0.1
  done
  return 1
}

echo "1..7"

version=$("$UNISTUDIO_BINARY" --version 2>&1)
if [[ $version == "unistudio "[0-9]* ]]; then ok "--version prints the version"; else not_ok "--version" "$version"; fi

# A copy of the demo in a folder whose name has spaces and quotes.
project="$tmp/my 2048 'demo' \"copy\""
cp -r "$UNISTUDIO_DATADIR/demos/2048" "$project"
title="my 2048 'demo' \"copy\" — Unistudio"

"$UNISTUDIO_BINARY" "$project" >"$tmp/app.log" 2>&1 &
pids+=($!)
if wait_for_window "$title"; then
  ok "unistudio DIR shows a window titled with the project name"
else
  not_ok "unistudio DIR shows a window titled with the project name" "$(cat "$tmp/app.log")" \
    "$(xwininfo -root -tree | grep -F '"' | head -20)"
fi

# A second invocation goes to the running instance over D-Bus and presents the same window.
if timeout 20 "$UNISTUDIO_BINARY" "$project" >"$tmp/second.log" 2>&1; then
  sleep 0.5
  count=$(count_windows "$title")
  if [ "$count" = 1 ]; then ok "opening the same project again reuses its window"
  else not_ok "opening the same project again reuses its window" "windows: $count"; fi
else
  not_ok "second invocation exits" "$(cat "$tmp/second.log")"
fi

# --demo opens a writable copy in the user's data folder; the original stays untouched.
before=$(cd "$UNISTUDIO_DATADIR/demos/2048" && find . -type f -exec sha256sum {} + | sort)
timeout 20 "$UNISTUDIO_BINARY" --demo >"$tmp/demo.log" 2>&1
if wait_for_window "2048 — Unistudio" && [ -f "$XDG_DATA_HOME/unistudio/demos/2048/config.ml" ]; then
  ok "--demo opens a copy of the 2048 demo in the user's data folder"
else
  not_ok "--demo opens a copy of the 2048 demo" "$(cat "$tmp/demo.log" "$tmp/app.log")"
fi
after=$(cd "$UNISTUDIO_DATADIR/demos/2048" && find . -type f -exec sha256sum {} + | sort)
if [ "$before" = "$after" ]; then ok "the installed demo is never modified"
else not_ok "the installed demo is never modified"; fi

info=$("$UNISTUDIO_CLI_BINARY" info "$project" 2>&1)
if grep -qF "my 2048 'demo' \"copy\"" <<<"$info" && grep -qi "not a git repository" <<<"$info"; then
  ok "unistudio-cli info names the project and says it is not a git repository"
else
  not_ok "unistudio-cli info" "$info"
fi

# The build action over D-Bus, as `gapplication action` sends it, builds the project of the
# window in front (the --demo copy) with the stand-in mirage.
rm -rf "$XDG_DATA_HOME/unistudio/demos/2048/dist"
gapplication action "$UNISTUDIO_APP_ID" build >"$tmp/action.log" 2>&1
built=0
for i in $(seq 1 300); do
  [ -x "$XDG_DATA_HOME/unistudio/demos/2048/dist/www" ] && { built=1; break; }
  sleep 0.1
done
if [ "$built" = 1 ]; then ok "gapplication action build builds the project in front"
else not_ok "gapplication action build builds the project in front" "$(cat "$tmp/action.log" "$tmp/app.log")"; fi

exit "$failed"
