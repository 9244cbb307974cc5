#!/usr/bin/env bash
# Registers an account on a homeserver started by synapse.sh, with Synapse's own
# register_new_matrix_user and the shared secret in DIR/secret. About 1 s each (a Python start):
# tests that make many accounts should use the HTTP API directly (README.md, "Registering over HTTP").
# Prints the new user's id (@USER:localhost) on stdout.
# Usage: bash tests/matrix/register.sh DIR USER PASSWORD [--admin]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${GUICHET_SYNAPSE_VENV:-$here/.venv}"
if [ $# -lt 3 ] || [ $# -gt 4 ] || { [ $# -eq 4 ] && [ "$4" != "--admin" ]; }; then
  echo "usage: register.sh DIR USER PASSWORD [--admin]" >&2
  exit 2
fi
dir="$1" user="$2" password="$3" admin="--no-admin"
[ $# -eq 4 ] && admin="--admin"
[ -s "$dir/url" ] && [ -s "$dir/secret" ] || { echo "register.sh: no DIR/url or DIR/secret in $dir: start it with synapse.sh start $dir" >&2; exit 1; }
# stdin from /dev/null: the tool prompts for whatever is missing, and must never wait on a test.
# Its chatter ("Sending registration request... Success!") is dropped; on failure its last line
# (the error, not the whole traceback) goes to stderr.
if ! out="$("$venv/bin/register_new_matrix_user" -k "$(cat "$dir/secret")" -u "$user" -p "$password" \
    "$admin" "$(cat "$dir/url")" </dev/null 2>&1)"; then
  echo "register.sh: could not register $user on $(cat "$dir/url"): $(tail -n 1 <<<"$out")" >&2
  exit 1
fi
echo "@$user:localhost"
