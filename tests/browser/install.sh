#!/usr/bin/env bash
# Installs the browser test's Node dependency: playwright-core 1.65.1 exactly, as package-lock.json
# pins it, to drive Debian's Chromium (Playwright's own browser download does not work here, and is
# not wanted: the test uses /usr/bin/chromium). Does nothing when node_modules already matches the
# lock file. Fails when Node.js, npm or Chromium is missing, saying how to get them.
# Usage: bash tests/browser/install.sh
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "tests/browser: Node.js (20 or later) and npm are needed for the browser test" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "tests/browser: /usr/bin/chromium is missing: install Debian's Chromium with" >&2
  echo "  apt-get install -y chromium    (or run bash tests/run, which does it as root)" >&2
  exit 1
fi
# npm ci writes node_modules/.package-lock.json: newer than package-lock.json means up to date.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
