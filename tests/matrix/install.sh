#!/usr/bin/env bash
# Installs Synapse (the Matrix homeserver of the Matrix tests) into a virtual environment:
# tests/matrix/.venv, or $GUICHET_SYNAPSE_VENV. The version is the one pinned in requirements.txt.
# Does nothing (in about a second) when the venv already has that version.
# Usage: bash tests/matrix/install.sh      ($PYTHON picks the interpreter; default python3, 3.10+)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${GUICHET_SYNAPSE_VENV:-$here/.venv}"
py="${PYTHON:-python3}"
want="$(sed -n 's/^matrix-synapse==\([^ ;#]*\).*/\1/p' "$here/requirements.txt")"
[ -n "$want" ] || { echo "tests/matrix/install.sh: no 'matrix-synapse==VERSION' line in requirements.txt" >&2; exit 1; }

installed() {  # the matrix-synapse version in the venv, or nothing
  "$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))' 2>/dev/null || true
}
[ "$(installed)" = "$want" ] && exit 0

command -v "$py" >/dev/null || { echo "tests/matrix/install.sh: $py not found (Python 3.10 or later is needed)" >&2; exit 1; }

# A venv whose interpreter no longer runs (e.g. the Python it was made from was removed) is rebuilt.
if [ -e "$venv/pyvenv.cfg" ] && ! "$venv/bin/python" -c '' 2>/dev/null; then
  echo "tests/matrix/install.sh: $venv is broken, making it again" >&2
  rm -rf "$venv"
fi

if [ ! -x "$venv/bin/python" ]; then
  # Debian's python3 ships venv/ensurepip separately, in python3-venv.
  if ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "tests/matrix/install.sh: installing python3-venv" >&2
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
    else
      echo "tests/matrix/install.sh: $py has no venv module: install python3-venv (or run as root)" >&2
      exit 1
    fi
  fi
  "$py" -m venv "$venv" || { echo "tests/matrix/install.sh: could not create the venv $venv" >&2; exit 1; }
fi

echo "tests/matrix/install.sh: installing matrix-synapse $want into $venv (about a minute)" >&2
if ! "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt"; then
  echo "tests/matrix/install.sh: pip could not install matrix-synapse $want" >&2
  exit 1
fi
got="$(installed)"
[ "$got" = "$want" ] || { echo "tests/matrix/install.sh: wanted matrix-synapse $want, the venv has '${got:-none}'" >&2; exit 1; }
