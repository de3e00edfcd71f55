#!/usr/bin/env bash
# End-to-end tests of `unistudio-cli board status|deploy|start|stop` (TAP), against a real
# OpenSSH server on 127.0.0.1 (its own host key, one authorized key, a port of its own) whose
# sessions find the stand-in xl (tests/fixtures) first in PATH. The script runs in a mount
# namespace of its own with a temp folder mounted over the login's home, so what is deployed
# never lands in the real home (OpenSSH takes the home from /etc/passwd, not $HOME).
set -uo pipefail

: "${UNISTUDIO_CLI_BINARY:?}" "${G_TEST_SRCDIR:?}"

if [ -z "${UNISTUDIO_BOARD_E2E_NAMESPACE:-}" ]; then
  if [ "$(id -u)" != 0 ] || [ ! -x /usr/sbin/sshd ] || ! command -v unshare >/dev/null \
     || ! unshare -m true 2>/dev/null; then
    echo "1..0 # SKIP needs root, a mount namespace and OpenSSH's sshd"
    exit 0
  fi
  exec env UNISTUDIO_BOARD_E2E_NAMESPACE=1 unshare -m --propagation private "$0" "$@"
fi

cli=$UNISTUDIO_CLI_BINARY
fixtures=$(cd "$G_TEST_SRCDIR/fixtures" && pwd)
demo_src=$G_TEST_SRCDIR/../data/demos/2048
export PATH="$fixtures:$PATH"
export UNISTUDIO_FAKE_MIRAGE_VERSION=4.11.1
lease_ip=10.0.0.88
tmp=$(mktemp -d)
sshd_pid=
cli_pid=

cleanup() {
  [ -n "$cli_pid" ] && kill -KILL "$cli_pid" 2>/dev/null
  [ -n "$sshd_pid" ] && kill -TERM "$sshd_pid" 2>/dev/null
  wait 2>/dev/null
  umount "$home" 2>/dev/null
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

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits (bounded) until $1 succeeds.
wait_for() {
  local i
  for i in $(seq 1 600); do
    if eval "$1"; then return 0; fi
    sleep 0.1
  done
  return 1
}

# -- the board: a private home, keys, sshd --------------------------------------------------

home=$(getent passwd "$(id -un)" | cut -d: -f6)
mkdir -p "$tmp/home" "$tmp/xl-state" /run/sshd
mount --bind "$tmp/home" "$home"

ssh-keygen -q -t ed25519 -N '' -C host -f "$tmp/host_key"
ssh-keygen -q -t ed25519 -N '' -C client -f "$tmp/client_key"
ssh-keygen -q -t ed25519 -N '' -C stranger -f "$tmp/stranger_key"
cp "$tmp/client_key.pub" "$tmp/authorized_keys"
port=$(free_port)
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$tmp/host_key.pub")" >"$tmp/known_hosts"
cat >"$tmp/sshd_config" <<EOF
ListenAddress 127.0.0.1:$port
AddressFamily inet
HostKey $tmp/host_key
PidFile none
UsePAM no
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $tmp/authorized_keys
PermitUserEnvironment no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 100
Subsystem sftp internal-sftp
SetEnv PATH=$fixtures:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin UNISTUDIO_FAKE_XL_STATE=$tmp/xl-state UNISTUDIO_FAKE_XL_IP=$lease_ip
EOF
/usr/sbin/sshd -D -e -f "$tmp/sshd_config" 2>"$tmp/sshd.log" &
sshd_pid=$!
if ! wait_for "python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", $port), 1)' 2>/dev/null"; then
  echo "1..0 # SKIP sshd did not start: $(tail -n 3 "$tmp/sshd.log")"
  exit 0
fi

echo "1..11"

user=$(id -un)
base_args=(--host 127.0.0.1 --port "$port" --user "$user" --board xen-host --sudo no
           --ssh-option IdentitiesOnly=yes --ssh-option "UserKnownHostsFile=$tmp/known_hosts"
           --ssh-option GlobalKnownHostsFile=/dev/null --ssh-option StrictHostKeyChecking=yes)
board_args=("${base_args[@]}" --ssh-option "IdentityFile=$tmp/client_key")

# The demo under a folder name a shell would misread.
project="$tmp/my \"demo\" it's \$HOME"
mkdir -p "$project"
cp -R "$demo_src/." "$project/"

# -- status -------------------------------------------------------------------------------

out=$("$cli" board status "$project" "${board_args[@]}" 2>&1)
status=$?
if [ $status -eq 0 ] && grep -q '^Reachable: yes' <<<"$out" \
   && grep -q '^  Domain-0 (id 0, [0-9]* MiB): running' <<<"$out" && grep -q '^Xen: ' <<<"$out"; then
  ok "status: reachable, Xen and Domain-0 with its state in words"
else
  not_ok "status" "exit $status" "$out"
fi

# -- deploy -------------------------------------------------------------------------------

out=$("$cli" board deploy "$project" "${board_args[@]}" 2>&1)
status=$?
remote="$home/unistudio/$(basename "$project")"
# xl's strings escape a quote with a backslash.
if [ $status -eq 0 ] && grep -q "^Copying 1/2: www.xen to $remote\$" <<<"$out" \
   && grep -q "^  kernel: $remote/www.xen\$" <<<"$out" \
   && cmp -s "$project/dist/www.xen" "$remote/www.xen" \
   && grep -qF "kernel = '${remote//\'/\\\'}/www.xen'" "$remote/www.xl" 2>/dev/null; then
  ok "deploy: built, copied under the hostile name, .xl rewritten to the absolute kernel path"
else
  not_ok "deploy" "exit $status" "$out" "$(cat "$remote/www.xl" 2>&1)"
fi

# -- start: the console streams, the address is printed, Ctrl+C detaches ---------------------

"$cli" board start "$project" "${board_args[@]}" >"$tmp/start.out" 2>&1 &
cli_pid=$!
if wait_for "grep -q 'The unikernel answers at http://$lease_ip:8080/' '$tmp/start.out'"; then
  ok "start: the console's lease gives the address"
else
  not_ok "start: address" "$(cat "$tmp/start.out")"
fi
kill -INT "$cli_pid"
wait "$cli_pid"
status=$?
cli_pid=
if [ $status -eq 0 ] && grep -q 'Detached' "$tmp/start.out"; then
  ok "start: Ctrl+C detaches"
else
  not_ok "start: detach" "exit $status" "$(cat "$tmp/start.out")"
fi

out=$("$cli" board status "$project" "${board_args[@]}" 2>&1)
if grep -q '^  www (id [0-9]*, [0-9]* MiB): ' <<<"$out"; then
  ok "status: the unikernel's domain is listed after start"
else
  not_ok "status after start" "$out"
fi

out=$("$cli" board start "$project" "${board_args[@]}" 2>&1)
status=$?
if [ $status -eq 1 ] && grep -q 'the domain www exists on the board already' <<<"$out"; then
  ok "start again: the domain exists, said so"
else
  not_ok "start again" "exit $status" "$out"
fi

"$cli" board start "$project" "${board_args[@]}" --replace >"$tmp/replace.out" 2>&1 &
cli_pid=$!
if wait_for "grep -q 'The unikernel answers at http://$lease_ip:8080/' '$tmp/replace.out'"; then
  ok "start --replace: the old domain destroyed, the new one answers"
else
  not_ok "start --replace" "$(cat "$tmp/replace.out")"
fi
kill -INT "$cli_pid"
wait "$cli_pid"
cli_pid=

# -- stop -----------------------------------------------------------------------------------

out=$("$cli" board stop "$project" "${board_args[@]}" 2>&1)
status=$?
after=$("$cli" board status "$project" "${board_args[@]}" 2>&1)
if [ $status -eq 0 ] && grep -q '^Destroyed www\.$' <<<"$out" && ! grep -q '^  www ' <<<"$after"; then
  ok "stop: the domain is destroyed"
else
  not_ok "stop" "exit $status" "$out" "$after"
fi

# -- failures ---------------------------------------------------------------------------------

wrong_port=$(free_port)
out=$("$cli" board status "$project" "${board_args[@]}" --port "$wrong_port" 2>&1)
status=$?
if [ $status -eq 1 ] && grep -q '^Reachable: no' <<<"$out" && grep -qi 'refused' <<<"$out"; then
  ok "a wrong port: refused, said so"
else
  not_ok "wrong port" "exit $status" "$out"
fi

out=$("$cli" board deploy "$project" "${base_args[@]}" \
      --ssh-option "IdentityFile=$tmp/stranger_key" 2>&1)
status=$?
if [ $status -eq 1 ] && grep -q '^Error: ' <<<"$out" && grep -qi 'key\|permission\|auth' <<<"$out"; then
  ok "a wrong key: the login is refused, said so"
else
  not_ok "wrong key" "exit $status" "$out"
fi

# The Cubieboard2's target, Xen ARM, is built on armv7 only: said before anything is copied.
out=$("$cli" board deploy "$project" "${base_args[@]}" --board cubieboard2 2>&1)
status=$?
if [ $status -eq 2 ] && grep -q '^Error: .*armv7' <<<"$out"; then
  ok "deploy for xen-arm off armv7: the toolchain's reason"
else
  not_ok "xen-arm off armv7" "exit $status" "$out"
fi

exit $failed
