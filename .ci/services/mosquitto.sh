#!/usr/bin/env bash
# Mosquitto on 127.0.0.1:1883 (anonymous), for the `mqtt` monitor's tests. Idempotent.
set -euo pipefail

if ! command -v mosquitto >/dev/null 2>&1 || ! command -v mosquitto_pub >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto mosquitto-clients >/dev/null
fi

answers() { (exec 3<>/dev/tcp/127.0.0.1/1883) 2>/dev/null; }

if ! answers; then
  conf=/etc/mosquitto/mosquitto.conf
  if ! grep -q '^listener 1883' "$conf" 2>/dev/null; then
    mkdir -p /etc/mosquitto
    printf 'listener 1883 127.0.0.1\nallow_anonymous true\n' >>"$conf"
  fi
  mkdir -p /run/mosquitto /var/lib/mosquitto /var/log/mosquitto
  chown mosquitto /run/mosquitto /var/lib/mosquitto /var/log/mosquitto 2>/dev/null || true
  mosquitto -d -c "$conf"
  for _ in $(seq 1 40); do answers && break; sleep 0.25; done
fi
answers || { echo "mosquitto: 1883 does not answer" >&2; exit 1; }
echo "mosquitto: answers on 127.0.0.1:1883"
