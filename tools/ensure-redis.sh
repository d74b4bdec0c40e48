#!/usr/bin/env bash
# Job tests run Celery against Debian's redis-server, started by a fixture on a free port on 127.0.0.1.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "redis-server is missing and this is not root: run 'sudo apt-get install redis-server' (the Celery job tests need it)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
