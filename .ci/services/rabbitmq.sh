#!/usr/bin/env bash
# RabbitMQ on 127.0.0.1:5672 (guest/guest) with the management plugin on 15672, which the
# `rabbitmq` monitor's tests query (api/health/checks/alarms/). Idempotent.
set -euo pipefail

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rabbitmq-server >/dev/null
fi

# Keep the management listener on loopback (read when the node boots).
conf=/etc/rabbitmq/rabbitmq.conf
mkdir -p /etc/rabbitmq
if ! grep -q '^management.tcp.ip' "$conf" 2>/dev/null; then
  echo 'management.tcp.ip = 127.0.0.1' >>"$conf"
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! answers 5672; then
  rabbitmq-server -detached
  for _ in $(seq 1 120); do answers 5672 && break; sleep 0.5; done
fi
answers 5672 || { echo "rabbitmq: 5672 does not answer" >&2; exit 1; }

# Enabling a plugin needs the node to be up; it is a no-op when already enabled.
rabbitmq-plugins enable --quiet rabbitmq_management >/dev/null

for _ in $(seq 1 120); do
  if curl -fsS -u guest:guest -o /dev/null http://127.0.0.1:15672/api/health/checks/alarms/ 2>/dev/null; then
    echo "rabbitmq: management API answers on 127.0.0.1:15672"
    exit 0
  fi
  sleep 0.5
done
echo "rabbitmq: the management API did not answer on 15672 within 60 s" >&2
exit 1
