#!/usr/bin/env bash
# Redis on 127.0.0.1:6379 without a password, for the `redis` monitor's tests.
# Idempotent: installs if missing, starts if down, waits.
set -euo pipefail

answers() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! command -v redis-server >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

if ! answers; then
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save '' --appendonly no
  for _ in $(seq 1 40); do answers && break; sleep 0.25; done
fi
answers || { echo "redis: 6379 does not answer" >&2; exit 1; }
echo "redis: answers on 127.0.0.1:6379"
