#!/usr/bin/env bash
# Self-check of the Matrix test harness: installs Synapse (if needed), starts one in a temporary
# directory, and plays through the Client-Server API what the Guichet tests will need: shared-secret
# registration over HTTP (curl + openssl, and Python), register.sh, login, an encrypted direct room,
# invite, join, a message seen by /sync, power levels, kick; no 429 along the way. Stops the server.
# Exits non-zero on any mismatch. About 10 s after the install.
# Usage: bash tests/matrix/selfcheck.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${GUICHET_SYNAPSE_VENV:-$here/.venv}"

bash "$here/install.sh"
work="$(mktemp -d)"
cleanup() {
  bash "$here/synapse.sh" stop "$work" || true
  rm -rf "$work"
}
trap cleanup EXIT

t0=$(date +%s%N)
line="$(bash "$here/synapse.sh" start "$work")"
echo "$line (start took $(( ($(date +%s%N) - t0) / 1000000 )) ms)"
url="$(cat "$work/url")"
secret="$(cat "$work/secret")"
[ "$line" = "synapse listening on $url" ] || { echo "FAIL start printed '$line'" >&2; exit 1; }

# User A through the HTTP shared-secret registration, with curl and openssl (README's recipe).
user=alice pass='alice pass:word'
nonce=$(curl -sf "$url/_synapse/admin/v1/register" | sed -E 's/.*"nonce": *"([^"]*)".*/\1/')
mac=$(printf '%s\0%s\0%s\0%s' "$nonce" "$user" "$pass" notadmin | openssl dgst -sha1 -hmac "$secret" | sed 's/^.*= //')
answer=$(curl -s -H 'Content-Type: application/json' \
  -d "{\"nonce\":\"$nonce\",\"username\":\"$user\",\"password\":\"$pass\",\"admin\":false,\"mac\":\"$mac\"}" \
  "$url/_synapse/admin/v1/register")
case "$answer" in
  *'"user_id":"@alice:localhost"'*'"access_token"'*) echo "ok   register @alice:localhost with curl + openssl" ;;
  *) echo "FAIL register with curl + openssl: $answer" >&2; exit 1 ;;
esac

# User C through register.sh (Synapse's register_new_matrix_user).
got="$(bash "$here/register.sh" "$work" carol 'carol pass' --admin)"
[ "$got" = "@carol:localhost" ] || { echo "FAIL register.sh printed '$got'" >&2; exit 1; }
echo "ok   register.sh carol --admin"

# The rest in Python (the venv's, standard library only): JSON is easier to check there.
"$venv/bin/python" - "$url" "$secret" "$pass" <<'PY'
import hashlib, hmac, json, sys, time, urllib.error, urllib.parse, urllib.request

url, secret, alice_pass = sys.argv[1:4]
fails = 0
txn = 0


def call(method, path, body=None, token=None, expect=200):
    """One request; returns the JSON answer. Any other status than `expect` (a 429 included) fails."""
    req = urllib.request.Request(url + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, raw = r.status, r.read()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read()
    if status != expect:
        raise SystemExit(f"FAIL {method} {path}: HTTP {status} (wanted {expect}): {raw[:300]!r}")
    return json.loads(raw or b"{}")


def check(name, ok, detail=""):
    global fails
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else f": {detail}"))
    fails += 0 if ok else 1


def q(room_id):
    # Room ids must be escaped in paths ('!', and ':' in room versions before 12).
    return urllib.parse.quote(room_id, safe="")


def register(user, password, admin=False):
    """Shared-secret registration: GET a nonce, POST with HMAC-SHA1(nonce\\0user\\0password\\0notadmin)."""
    nonce = call("GET", "/_synapse/admin/v1/register")["nonce"]
    msg = "\0".join([nonce, user, password, "admin" if admin else "notadmin"]).encode()
    mac = hmac.new(secret.encode(), msg, hashlib.sha1).hexdigest()
    return call("POST", "/_synapse/admin/v1/register",
                {"nonce": nonce, "username": user, "password": password, "admin": admin, "mac": mac})


def login(user, password):
    return call("POST", "/_matrix/client/v3/login", {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": user},
        "password": password,
        "initial_device_display_name": "selfcheck",
    })


def send(token, room, content, event_type="m.room.message"):
    global txn
    txn += 1
    return call("PUT", f"/_matrix/client/v3/rooms/{q(room)}/send/{event_type}/t{txn}.{time.time()}",
                content, token)["event_id"]


def sync_until(token, since, pred, timeout=10):
    """Syncs (long-polling 1 s at a time) until pred(answer) is true; returns (answer, next since)."""
    deadline = time.monotonic() + timeout
    while True:
        qs = "?timeout=1000" + (f"&since={urllib.parse.quote(since)}" if since else "")
        r = call("GET", "/_matrix/client/v3/sync" + qs, token=token)
        if pred(r) or time.monotonic() > deadline:
            return r, r["next_batch"]
        since = r["next_batch"]


t = time.monotonic()
r = register("bob", "bob pass")
check("register @bob:localhost with Python's hmac",
      r.get("user_id") == "@bob:localhost" and "access_token" in r, r)
print(f"     (HTTP registration took {time.monotonic() - t:.2f} s)")
B_ID = "@bob:localhost"

# Logins: more than the default burst of rc_login (5) to prove the raised limits hold.
t = time.monotonic()
for _ in range(6):
    a = login("alice", alice_pass)
b = login("bob", "bob pass")
check("login alice x6 and bob (no 429)", a.get("user_id") == "@alice:localhost"
      and b.get("user_id") == B_ID and a.get("access_token") and b.get("device_id"), (a, b))
print(f"     (7 logins took {time.monotonic() - t:.2f} s)")
A, B, A_ID = a["access_token"], b["access_token"], a["user_id"]
check("whoami", call("GET", "/_matrix/client/v3/account/whoami", token=B)["user_id"] == B_ID)

# B's sync position before the invite.
_, b_since = sync_until(B, None, lambda r: True)

room = call("POST", "/_matrix/client/v3/createRoom", {
    "preset": "trusted_private_chat",
    "is_direct": True,
    "invite": [B_ID],
    "initial_state": [{"type": "m.room.encryption", "state_key": "",
                       "content": {"algorithm": "m.megolm.v1.aes-sha2"}}],
}, A)["room_id"]
create = call("GET", f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.create", token=A)
version = create.get("room_version")
print(f"     (room {room}, room version {version})")
check("room id starts with '!'", room.startswith("!"), room)
check("room is encrypted (m.megolm.v1.aes-sha2)",
      call("GET", f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.encryption", token=A)
      .get("algorithm") == "m.megolm.v1.aes-sha2")

r, b_since = sync_until(B, b_since, lambda r: room in r.get("rooms", {}).get("invite", {}))
invite = r.get("rooms", {}).get("invite", {}).get(room, {}).get("invite_state", {}).get("events", [])
me = [e for e in invite if e["type"] == "m.room.member" and e.get("state_key") == B_ID]
check("B's sync shows the invite, marked is_direct",
      bool(me) and me[0]["content"].get("membership") == "invite" and me[0]["content"].get("is_direct") is True,
      invite)

joined = call("POST", f"/_matrix/client/v3/join/{q(room)}", {}, B)
check("B joins", joined.get("room_id") == room, joined)
members = call("GET", f"/_matrix/client/v3/rooms/{q(room)}/joined_members", token=A)["joined"]
check("both are joined", set(members) == {A_ID, B_ID}, members)

event_id = send(A, room, {"msgtype": "m.text", "body": "Bonjour depuis le selfcheck"})


def seen(r):
    evs = r.get("rooms", {}).get("join", {}).get(room, {}).get("timeline", {}).get("events", [])
    return [e for e in evs if e.get("event_id") == event_id]


r, b_since = sync_until(B, b_since, seen)
ev = seen(r)
check("B's sync shows A's message", bool(ev) and ev[0]["sender"] == A_ID
      and ev[0]["type"] in ("m.room.message", "m.room.encrypted")
      and (ev[0]["type"] == "m.room.encrypted" or ev[0]["content"].get("body") == "Bonjour depuis le selfcheck"),
      ev)

# More messages than rc_message's default burst (10): none may meet a 429 (call() fails on one).
t = time.monotonic()
for i in range(25):
    send(B if i % 2 else A, room, {"msgtype": "m.text", "body": f"burst {i}"})
check("25 messages in a row, no 429", True)
print(f"     (25 messages took {time.monotonic() - t:.2f} s)")

# Room version 12 (MSC4289): preset trusted_private_chat makes the invitees additional creators,
# with infinite power, so the room's creator can neither change their power level nor kick them.
check("trusted_private_chat: B is an additional creator",
      create.get("additional_creators") == [B_ID], create)
pl_path = f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.power_levels"
pl = call("GET", pl_path, token=A)
pl.setdefault("users", {})[B_ID] = 50
call("PUT", pl_path, pl, A, expect=400)
call("POST", f"/_matrix/client/v3/rooms/{q(room)}/kick", {"user_id": B_ID}, A, expect=403)
check("trusted_private_chat: A can neither set B's power level (400) nor kick B (403)", True)

# So a room where the bot keeps control: preset private_chat (invitees at level 0), still direct
# and encrypted. There A sets B to 50, then kicks B.
room = call("POST", "/_matrix/client/v3/createRoom", {
    "preset": "private_chat",
    "is_direct": True,
    "invite": [B_ID],
    "initial_state": [{"type": "m.room.encryption", "state_key": "",
                       "content": {"algorithm": "m.megolm.v1.aes-sha2"}}],
}, A)["room_id"]
call("POST", f"/_matrix/client/v3/join/{q(room)}", {}, B)
pl_path = f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.power_levels"
pl = call("GET", pl_path, token=A)
pl.setdefault("users", {})[B_ID] = 50
call("PUT", pl_path, pl, A)
pl_b = call("GET", pl_path, token=B)
check("private_chat: A sets B's power level to 50", pl_b.get("users", {}).get(B_ID) == 50, pl_b)
# In room version 12 the creator is not in "users": creators have infinite power.
print(f"     (power levels users: {pl_b.get('users')})")

call("POST", f"/_matrix/client/v3/rooms/{q(room)}/kick", {"user_id": B_ID, "reason": "selfcheck"}, A)
member = call("GET", f"/_matrix/client/v3/rooms/{q(room)}/state/m.room.member/{urllib.parse.quote(B_ID)}",
              token=A)
check("private_chat: B kicked by A has membership leave", member.get("membership") == "leave", member)
r, b_since = sync_until(B, b_since, lambda r: room in r.get("rooms", {}).get("leave", {}))
left = r.get("rooms", {}).get("leave", {}).get(room, {}).get("timeline", {}).get("events", [])
kick = [e for e in left if e["type"] == "m.room.member" and e.get("state_key") == B_ID]
check("B's sync shows the room under leave, kicked by A",
      bool(kick) and kick[-1]["content"].get("membership") == "leave" and kick[-1]["sender"] == A_ID, left)

sys.exit(1 if fails else 0)
PY

# Nothing in Synapse's log at ERROR or above.
if grep -E -- ' - (ERROR|CRITICAL) - ' "$work/homeserver.log"; then
  echo "FAIL errors in homeserver.log (above)" >&2
  exit 1
fi
bash "$here/synapse.sh" stop "$work"
[ ! -e "$work/synapse.pid" ] || { echo "FAIL stop left synapse.pid" >&2; exit 1; }
bash "$here/synapse.sh" stop "$work"   # idempotent
echo "ok   stop (twice)"
echo "selfcheck: all checks passed"
