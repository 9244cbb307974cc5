#!/usr/bin/env bash
# Starts or stops a throw-away Synapse homeserver for the Matrix tests, on 127.0.0.1 only.
#
#   synapse.sh start DIR [--watch PID]
#       Writes DIR/homeserver.yaml (and its log config), makes the signing key on the first start,
#       starts Synapse in the background and waits until GET /health answers OK (60 s at most).
#       Prints exactly one line on stdout:  synapse listening on http://127.0.0.1:PORT
#       Files: DIR/url (that URL), DIR/secret (registration_shared_secret), DIR/synapse.pid,
#       DIR/homeserver.log (Synapse's log, WARNING and up), DIR/synapse.out (its stdout/stderr).
#       Starting again on a DIR that was stopped keeps the database, the secret and, when it is
#       still free, the port: a test can restart the homeserver under a running bot.
#       --watch PID: stop Synapse as soon as process PID is gone (e.g. the test binary, whose
#       statics are never dropped, or one killed by a timeout).
#   synapse.sh stop DIR
#       SIGTERM, then SIGKILL after 10 s. Does nothing when it is not running.
#
# Needs tests/matrix/install.sh to have run (same $GUICHET_SYNAPSE_VENV, if set).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${GUICHET_SYNAPSE_VENV:-$here/.venv}"
py="$venv/bin/python"

die() { echo "synapse.sh: $*" >&2; exit 1; }
usage() { die "usage: synapse.sh start DIR [--watch PID] | synapse.sh stop DIR"; }

# Whether process $1 is a live Synapse: pids get reused, and a zombie has an empty cmdline.
alive() { grep -qs synapse.app.homeserver "/proc/$1/cmdline"; }

# The pid in DIR/synapse.pid, if that process is still our Synapse.
running_pid() {
  local pid
  pid="$(cat "$1/synapse.pid" 2>/dev/null)" || return 1
  [ -n "$pid" ] && alive "$pid" && echo "$pid"
}

stop() {
  local dir="$1" pid
  if pid="$(running_pid "$dir")"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      echo "synapse.sh: Synapse ($pid) ignored SIGTERM for 10 s, killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$dir/synapse.pid"
}

# A free TCP port on 127.0.0.1 (the kernel's pick for port 0). Prefers $1 when it is free.
free_port() {
  "$py" - "${1:-0}" <<'PY'
import socket, sys
for port in (int(sys.argv[1]), 0):
    s = socket.socket()
    # As Synapse (Twisted) does: a port of ours in TIME_WAIT after a stop counts as free.
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        continue
    print(s.getsockname()[1])
    break
PY
}

write_config() {  # DIR PORT SECRET
  local dir="$1" port="$2" secret="$3"
  # Python logging config: one file, WARNING and up, so the log stays short and readable.
  cat >"$dir/log.config" <<EOF
version: 1
formatters:
  precise:
    format: '%(asctime)s - %(name)s - %(lineno)d - %(levelname)s - %(message)s'
handlers:
  file:
    class: logging.FileHandler
    formatter: precise
    filename: $dir/homeserver.log
    encoding: utf8
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
EOF
  # Every rc_* limit of Synapse 1.163 (synapse/config/ratelimiting.py), raised so that no test meets a
  # 429: the defaults allow e.g. 5 logins then one every 5 min, 10 rooms then one a minute, and
  # 0.2 messages/s. rc_federation is left out: there is no federation listener.
  local rc='{per_second: 10000, burst_count: 100000}'
  cat >"$dir/homeserver.yaml" <<EOF
# Written by tests/matrix/synapse.sh for one test run: not for any real use.
server_name: localhost
public_baseurl: http://127.0.0.1:$port/
report_stats: false

listeners:
  # One plain-HTTP listener on loopback. "client" also serves /_synapse/admin (shared-secret
  # registration) and media; /health is on every listener.
  - port: $port
    bind_addresses: ['127.0.0.1']
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false

database:
  name: sqlite3
  args:
    database: $dir/homeserver.db
media_store_path: $dir/media_store
signing_key_path: $dir/localhost.signing.key
log_config: $dir/log.config

# Accounts only through the shared secret (register.sh or /_synapse/admin/v1/register).
# macaroon_secret_key falls back to this secret.
registration_shared_secret: "$secret"
enable_registration: false
# bcrypt's minimum cost: a registration or login takes ~0.03 s instead of ~0.3 s (default 12).
bcrypt_rounds: 4

# Nothing leaves the machine: no key servers (matrix.org is the default), no presence, no stats.
trusted_key_servers: []
suppress_key_server_warning: true
presence:
  enabled: false

rc_message: $rc
rc_registration: $rc
rc_registration_token_validity: $rc
rc_login:
  address: $rc
  account: $rc
  failed_attempts: $rc
rc_admin_redaction: $rc
rc_joins:
  local: $rc
  remote: $rc
rc_joins_per_room: $rc
rc_key_requests: $rc
rc_3pid_validation: $rc
rc_invites:
  per_room: $rc
  per_user: $rc
  per_issuer: $rc
rc_third_party_invite: $rc
rc_media_create: $rc
rc_presence:
  per_user: $rc
rc_delayed_event_mgmt: $rc
rc_room_creation: $rc
rc_reports: $rc
rc_user_directory: $rc
rc_profile: $rc
EOF
}

# Waits until GET URL/health says OK, while PID lives. Exit 0: up; 1: Synapse died; 2: timed out.
wait_health() {  # URL PID TIMEOUT
  "$py" - "$@" <<'PY'
import os, sys, time, urllib.request
url, pid, timeout = sys.argv[1] + "/health", int(sys.argv[2]), float(sys.argv[3])
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            if r.status == 200 and r.read().strip() == b"OK":
                sys.exit(0)
    except OSError:
        pass
    try:
        os.kill(pid, 0)
        # A zombie (exited, not yet reaped by the shell) still answers kill 0.
        with open(f"/proc/{pid}/stat") as f:
            if f.read().rsplit(")", 1)[1].split()[0] == "Z":
                sys.exit(1)
    except OSError:
        sys.exit(1)
    time.sleep(0.1)
sys.exit(2)
PY
}

start() {
  local dir="$1" watch="${2:-}"
  [ -x "$py" ] && "$py" -c 'import synapse' 2>/dev/null ||
    die "Synapse is not installed in $venv: run tests/matrix/install.sh first"
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  if pid="$(running_pid "$dir")"; then die "Synapse already runs in $dir (pid $pid)"; fi

  # Keep the secret (and the port, below) of an earlier start on this DIR.
  [ -s "$dir/secret" ] || "$py" -c 'import secrets; print(secrets.token_hex(32))' >"$dir/secret"
  local secret old_port="" port url pid status
  secret="$(cat "$dir/secret")"
  [ -s "$dir/url" ] && old_port="$(sed -n 's|^http://127\.0\.0\.1:\([0-9]*\)$|\1|p' "$dir/url")"

  # The port is free when we look but could be taken before Synapse binds it: try three times.
  for attempt in 1 2 3; do
    port="$(free_port "$old_port")"
    url="http://127.0.0.1:$port"
    write_config "$dir" "$port" "$secret"
    : >"$dir/synapse.out"
    if [ ! -s "$dir/localhost.signing.key" ]; then
      "$py" -m synapse.app.homeserver -c "$dir/homeserver.yaml" --generate-keys >>"$dir/synapse.out" 2>&1 ||
        { tail -n 20 "$dir/synapse.out" >&2; die "could not generate the signing key"; }
    fi
    # No inherited stdio: Synapse outlives this script without holding the caller's pipes (so a
    # Rust Command::output() on this script returns as soon as the URL is printed).
    (cd "$dir" && exec "$py" -m synapse.app.homeserver -c "$dir/homeserver.yaml" \
      </dev/null >>"$dir/synapse.out" 2>&1) &
    pid=$!
    echo "$pid" >"$dir/synapse.pid"
    status=0
    wait_health "$url" "$pid" 60 || status=$?
    [ "$status" = 0 ] && break
    if [ "$status" = 1 ] && [ "$attempt" -lt 3 ] && grep -qs 'Address already in use' "$dir/synapse.out"; then
      old_port=""
      continue
    fi
    stop "$dir"
    echo "--- tail of $dir/homeserver.log and synapse.out ---" >&2
    tail -n 30 "$dir/homeserver.log" "$dir/synapse.out" >&2 2>/dev/null || true
    if [ "$status" = 2 ]; then die "Synapse did not answer $url/health within 60 s"; fi
    die "Synapse exited before answering on $url"
  done

  echo "$url" >"$dir/url"
  if [ -n "$watch" ]; then
    # Watchdog, in the background like Synapse: stops it when the watched process is gone. It quits
    # once this Synapse is gone, and never touches a later one started in the same DIR.
    bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
             [ "$(cat "$4/synapse.pid" 2>/dev/null)" = "$2" ] && exec bash "$3" stop "$4"' \
      watchdog "$watch" "$pid" "$here/synapse.sh" "$dir" </dev/null >/dev/null 2>&1 &
  fi
  echo "synapse listening on $url"
}

[ $# -ge 2 ] || usage
case "$1" in
  start)
    watch=""
    if [ $# -eq 4 ] && [ "$3" = "--watch" ]; then watch="$4"; elif [ $# -ne 2 ]; then usage; fi
    [ -z "$watch" ] || kill -0 "$watch" 2>/dev/null || die "--watch: no process $watch"
    start "$2" "$watch"
    ;;
  stop)
    [ $# -eq 2 ] || usage
    [ -d "$2" ] || exit 0
    stop "$2"
    ;;
  *) usage ;;
esac
