#!/usr/bin/env bash
# Runs one test program on its own Xvfb display inside a private D-Bus session.
# Xvfb picks a free display itself (-displayfd), so tests can run in parallel.
set -euo pipefail

if [ -n "${UNISTUDIO_TEST_DISPLAY:-}" ]; then
  export DISPLAY="$UNISTUDIO_TEST_DISPLAY"
  exec dbus-run-session -- "$@"
fi

coproc XVFB { exec Xvfb -displayfd 1 -screen 0 1280x1024x24 -nolisten tcp -noreset 2>/dev/null; }
xvfb_pid=$XVFB_PID
cleanup() { kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; }
trap cleanup EXIT
if ! read -r -t 20 display_number <&"${XVFB[0]}"; then
  echo "run-under-x: Xvfb did not start" >&2
  exit 99
fi
export DISPLAY=":$display_number"
status=0
dbus-run-session -- "$@" || status=$?
exit "$status"
