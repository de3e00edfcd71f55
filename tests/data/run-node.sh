#!/bin/sh
# Runs a Node test; without Node the test is skipped (exit code 77).
command -v node >/dev/null 2>&1 || { echo "1..0 # SKIP node is not installed"; exit 77; }
exec node "$@"
