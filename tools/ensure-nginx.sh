#!/usr/bin/env bash
# The proxy tests (tests/test_proxy.py) run Debian's nginx in front of gunicorn, as docker-compose.yml does.
set -euo pipefail
if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  echo "nginx is missing and this is not root: run 'sudo apt-get install nginx-light' (the proxy tests will fail)" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx-light >/dev/null 2>&1 \
  || apt-get install -y -qq --no-install-recommends nginx >/dev/null
# The package starts a system nginx on port 80; the tests start their own on free ports and need none.
if command -v invoke-rc.d >/dev/null 2>&1; then invoke-rc.d nginx stop >/dev/null 2>&1 || true; fi
