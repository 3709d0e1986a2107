#!/usr/bin/env bash
# Bytes a running Peekaping writes to storage, extrapolated to a day (SD-card wear).
#
#   packaging/tools/measure-writes.sh [BINARY] [MONITORS] [SECONDS] [SQLITE_SYNC]
#   defaults:                          target/release/peekaping 100 300 full
#
# Starts the binary on a fresh data directory on disk (not tmpfs: /proc/PID/io write_bytes
# counts what reaches the block layer), registers the admin, creates MONITORS HTTP monitors
# at the shortest interval (20 s) against the server's own /api/v1/health, lets them settle
# for 60 s, then reads write_bytes from /proc/PID/io at the start and end of a SECONDS
# window. The first minute (migrations, first checks, WAL growth) is left out on purpose.
set -euo pipefail

bin=$(realpath "${1:-target/release/peekaping}")
monitors=${2:-100}
seconds=${3:-300}
sync=${4:-full}
dir=$(mktemp -d "${MEASURE_DIR:-/var/tmp}/peekaping-writes.XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/api/v1"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

PEEKAPING_SQLITE_SYNC=$sync "$bin" serve --host 127.0.0.1 --port "$port" --data-dir "$dir" >"$dir.log" 2>&1 &
pid=$!
for _ in $(seq 200); do curl -fsS "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done
token=$(curl -fsS -H 'Content-Type: application/json' -d '{"email":"admin@example.com","password":"Str0ng!pass"}' \
    "$base/auth/register" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["accessToken"])')
for i in $(seq "$monitors"); do
    body=$(printf '{"type":"http","name":"monitor %d","interval":20,"timeout":16,"retry_interval":20,"max_retries":0,"notification_ids":[],"config":"{\\"url\\":\\"%s/health\\"}"}' "$i" "$base")
    curl -fsS -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d "$body" "$base/monitors"
done
sleep 60
read_io() { awk -v k="$1" '$1 == k":" {print $2}' "/proc/$pid/io"; }
w0=$(read_io write_bytes); c0=$(read_io cancelled_write_bytes)
sleep "$seconds"
w1=$(read_io write_bytes); c1=$(read_io cancelled_write_bytes)
written=$(( (w1 - w0) - (c1 - c0) ))
per_day=$(( written * 86400 / seconds ))
echo "monitors=$monitors interval=20s sqlite_sync=$sync window=${seconds}s written=$written bytes"
echo "per day: $per_day bytes = $(( per_day / 1048576 )) MiB; per check: $(( written * 20 / seconds / monitors )) bytes"
echo "data dir after the run: $(du -sh "$dir" | cut -f1)"
rm -f "$dir.log"
