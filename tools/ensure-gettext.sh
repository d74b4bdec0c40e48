#!/usr/bin/env bash
# File tests check translated .po files with Debian's `msgfmt -c` (gettext).
set -euo pipefail
if command -v msgfmt >/dev/null; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "msgfmt is missing and this is not root: run 'sudo apt-get install gettext' (the .po tests need it)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends gettext >/dev/null
