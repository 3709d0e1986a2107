#!/usr/bin/env bash
# A MongoDB wire-compatible server on 127.0.0.1:27017 for the `mongodb` monitor's tests:
# nx-27017 from PyPI (SPEC §11), in a virtualenv under /opt/nx-27017, in-memory data.
# Idempotent: installs if missing, starts if 27017 does not answer, waits until it does.
set -euo pipefail

venv=${NX_27017_VENV:-/opt/nx-27017}
pin=nx-27017==0.8.1

answers() { (exec 3<>/dev/tcp/127.0.0.1/27017) 2>/dev/null; }

if answers; then
  echo "mongo: answers on 127.0.0.1:27017"
  exit 0
fi

if [ ! -x "$venv/bin/nx-27017" ]; then
  if ! python3 -m venv --help >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
  fi
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "$pin"
fi

mkdir -p /var/log/nx-27017
nohup "$venv/bin/nx-27017" --data-dir memory --host 127.0.0.1 -p 27017 >/var/log/nx-27017/server.log 2>&1 &
for _ in $(seq 1 80); do answers && break; sleep 0.25; done
answers || { echo "mongo: 27017 does not answer; see /var/log/nx-27017/server.log" >&2; exit 1; }
echo "mongo: answers on 127.0.0.1:27017"
