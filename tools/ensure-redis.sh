#!/usr/bin/env bash
# The Redis tests (shared translation cache, Celery jobs) start Debian's redis-server on a free port on 127.0.0.1.
# Idempotent: does nothing when redis-server is already installed.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "redis-server is missing and this is not root: run 'sudo apt-get install redis-server' (the Redis cache and Celery job tests need it)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends redis-server >/dev/null
# The tests start their own servers; the distribution's service on port 6379 is not needed.
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now redis-server >/dev/null 2>&1 || true; fi
