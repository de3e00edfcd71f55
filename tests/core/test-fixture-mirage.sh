#!/bin/sh
# test-fixture-mirage.sh — the stand-in mirage (tests/fixtures/mirage) behaves
# per era as ../shared/MIRAGE.md documents, since other tests trust it. TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

set -u

srcdir=${G_TEST_SRCDIR:-$(dirname "$0")/..}
MIRAGE=$(cd "$srcdir/fixtures" && pwd)/mirage
work=$(mktemp -d "${TMPDIR:-/tmp}/fixture-mirage.XXXXXX")
trap 'rm -rf "$work"' EXIT
export NO_COLOR=1
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

# The unix artefact runs.
export UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1
new_project
"$MIRAGE" configure -t unix >/dev/null && make >/dev/null 2>&1
check "4.11.1 dist/www runs" sh -c './dist/www | grep -q "stand-in unikernel www"'

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
