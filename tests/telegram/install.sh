#!/usr/bin/env bash
# Installs the Telegram Bot API emulator's Node dependencies: telegram-test-api 4.2.1 exactly, as
# package-lock.json pins it. Does nothing when node_modules already matches the lock file.
# Usage: bash tests/telegram/install.sh
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "tests/telegram: Node.js (18 or later) and npm are needed for the Telegram tests" >&2
  exit 1
fi
# npm ci writes node_modules/.package-lock.json: newer than package-lock.json means up to date.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
