#!/usr/bin/env bash
# Fails when libunistudio-core includes or is compiled against GTK, libadwaita,
# GtkSourceView or VTE. Usage: check-core-deps.sh SRC_CORE_DIR BUILD_ROOT
set -euo pipefail
core_dir=$1
build_root=$2
status=0

forbidden_includes='#[[:space:]]*include[[:space:]]*[<"](gtk/|gdk/|gsk/|adwaita\.h|gtksourceview/|vte/)'
if hits=$(grep -rnE "$forbidden_includes" "$core_dir" --include='*.c' --include='*.h'); then
  echo "not ok: src/core includes a GUI header:"
  echo "$hits"
  status=1
fi

db="$build_root/compile_commands.json"
if [ ! -f "$db" ]; then
  echo "compile_commands.json missing in $build_root" >&2
  exit 1
fi
if python3 - "$db" "$core_dir" <<'PY'
import json, os, sys
db, core = sys.argv[1], os.path.realpath(sys.argv[2])
bad = []
seen = 0
for entry in json.load(open(db)):
    path = os.path.realpath(os.path.join(entry["directory"], entry["file"]))
    if not path.startswith(core + os.sep):
        continue
    seen += 1
    cmd = entry.get("command") or " ".join(entry.get("arguments", []))
    for needle in ("gtk-4.0", "libadwaita-1", "gtksourceview-5", "vte-2.91"):
        if needle in cmd:
            bad.append((path, needle))
if seen == 0:
    print("no src/core sources in the compile database")
    sys.exit(1)
for path, needle in bad:
    print(f"{path} is compiled with {needle} on its include path")
sys.exit(1 if bad else 0)
PY
then
  :
else
  status=1
fi
[ "$status" = 0 ] && echo "src/core is free of GTK, libadwaita, GtkSourceView and VTE"
exit "$status"
