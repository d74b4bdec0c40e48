#!/usr/bin/env bash
# The accessibility tests inject axe-core (npm, pinned in tools/axe/package-lock.json) into the pages they check.
# Installed once into .cache/axe with `npm ci` (exact versions and integrity hashes from the lock file).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=.cache/axe
if [ -f "$TARGET/node_modules/axe-core/axe.min.js" ] && cmp -s tools/axe/package-lock.json "$TARGET/package-lock.json"; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: install Debian's npm (apt-get install npm); the accessibility tests need axe-core" >&2
  exit 1
fi
mkdir -p "$TARGET"
cp tools/axe/package.json tools/axe/package-lock.json "$TARGET/"
npm ci --prefix "$TARGET" --ignore-scripts --no-audit --no-fund --loglevel=error
