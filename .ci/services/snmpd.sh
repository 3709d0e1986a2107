#!/usr/bin/env bash
# Net-SNMP's snmpd on 127.0.0.1:1161/udp with a private configuration: read-only
# community "peekaping" (v1 and v2c) over the system group (sysDescr, sysUpTime, …), for
# the `snmp` monitor's tests. Idempotent; leaves any system snmpd on 161 alone.
set -euo pipefail

dir=/var/lib/peekaping-ci/snmpd
conf="$dir/snmpd.conf"
pidfile="$dir/snmpd.pid"

if ! command -v snmpd >/dev/null 2>&1 || ! command -v snmpget >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq snmpd snmp >/dev/null
fi

mkdir -p "$dir"
cat >"$conf.new" <<'CONF'
agentAddress udp:127.0.0.1:1161
rocommunity peekaping 127.0.0.1 .1.3.6.1.2.1.1
sysLocation peekaping-ci
sysContact ci@localhost
sysDescr peekaping-ci snmpd
CONF
if ! cmp -s "$conf.new" "$conf" 2>/dev/null; then
  mv "$conf.new" "$conf"
  # A running agent with an older configuration is replaced.
  if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; sleep 0.5; fi
else
  rm -f "$conf.new"
fi

answers() {
  snmpget -v2c -c peekaping -t 1 -r 0 -Oqv 127.0.0.1:1161 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1
}

if ! answers; then
  # -C: only this file (no /etc/snmp/snmpd.conf); -Lf: log to a file; no MIB loading needed.
  MIBS= snmpd -C -c "$conf" -p "$pidfile" -Lf "$dir/snmpd.log" -M /dev/null || true
  for _ in $(seq 1 40); do answers && break; sleep 0.25; done
fi
if answers; then
  echo "snmpd: answers on 127.0.0.1:1161 (community peekaping)"
else
  echo "snmpd: no answer on 127.0.0.1:1161; log:" >&2
  tail -20 "$dir/snmpd.log" >&2 || true
  exit 1
fi
