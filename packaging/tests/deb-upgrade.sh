#!/usr/bin/env bash
# The .deb installs, serves, upgrades with its data and config, and purges clean.
#
#   packaging/tests/deb-upgrade.sh OLD.deb NEW.deb
#
# Both packages must hold the same binary built from this tree; NEW.deb carries a higher
# version. Needs root and dpkg; systemd need not run: the test starts the unit's ExecStart
# itself as the unit's user. It refuses to run where peekaping is already installed or a
# `peekaping` user exists, so it never touches a real installation. Takes under a minute.
set -euo pipefail

old_deb=$(realpath "$1")
new_deb=$(realpath "$2")
unit=/usr/lib/systemd/system/peekaping.service
conf=/etc/peekaping/peekaping.toml
data=/var/lib/peekaping
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/api/v1"
log=$(mktemp /tmp/peekaping-pkgtest.XXXXXX)
pid=""
installed_by_us=0

fail() { echo "FAIL: $*" >&2; echo "--- server log:" >&2; tail -n 40 "$log" >&2 || true; exit 1; }
step() { echo "== $*"; }

[ "$(id -u)" = 0 ] || { echo "deb-upgrade.sh needs root (dpkg -i)"; exit 1; }
if dpkg-query -W -f='${Status}' peekaping 2>/dev/null | grep -q 'install ok'; then
    echo "peekaping is installed on this machine: not touching it"; exit 1
fi
if getent passwd peekaping >/dev/null; then
    echo "a peekaping user exists on this machine: not touching it"; exit 1
fi

stop_server() {
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    pid=""
}

cleanup() {
    stop_server
    if [ "$installed_by_us" = 1 ] && dpkg-query -W peekaping >/dev/null 2>&1; then
        dpkg --purge peekaping >/dev/null 2>&1 || true
    fi
    rm -f "$log"
}
trap cleanup EXIT

# Starts what the unit starts, as the unit's user, in the unit's working directory.
start_server() {
    local exec user
    exec=$(sed -n 's/^ExecStart=//p' "$unit")
    user=$(sed -n 's/^User=//p' "$unit")
    if [ -z "$exec" ] || [ "$user" != peekaping ]; then fail "unit has no ExecStart or runs as '$user'"; fi
    # The port is the one thing changed: a test must not take 8383 from a running instance.
    # shellcheck disable=SC2086 # ExecStart is a command line to split
    (cd "$data" && exec runuser -u "$user" -- env PEEKAPING_HOST=127.0.0.1 PEEKAPING_PORT="$port" $exec) >>"$log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do
        curl -sS --fail-with-body "$base/health" >/dev/null 2>&1 && return 0
        kill -0 "$pid" 2>/dev/null || fail "server exited at start"
        sleep 0.1
    done
    fail "server did not answer /api/v1/health within 30 s"
}

json_field() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

# api METHOD PATH [JSON] [TOKEN]: prints the body; fails the test, showing it, on a non-2xx.
api() {
    local out code
    out=$(mktemp)
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
        ${4:+-H "Authorization: Bearer $4"} ${3:+--data "$3"} "$base$2") || true
    case "$code" in 2??) cat "$out"; rm -f "$out" ;; *) fail "$1 $2 answered $code: $(cat "$out")" ;; esac
}

step "install $(basename "$old_deb")"
installed_by_us=1
DEBIAN_FRONTEND=noninteractive dpkg -i "$old_deb" >/dev/null
getent passwd peekaping >/dev/null || fail "postinst did not create the peekaping user"
[ "$(stat -c %U "$data")" = peekaping ] || fail "$data is not owned by peekaping"
[ "$(stat -c %U:%G:%a "$conf")" = root:peekaping:640 ] || fail "$conf is $(stat -c %U:%G:%a "$conf")"
[ -f /usr/lib/sysctl.d/60-peekaping-ping.conf ] || fail "sysctl drop-in missing"
grep -qx "$conf" /var/lib/dpkg/info/peekaping.conffiles || fail "$conf is not a conffile"
if command -v systemd-analyze >/dev/null; then
    # Offline check of the installed unit: syntax, directives, the ExecStart binary.
    out=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify: $out"
    [ -z "$out" ] || fail "systemd-analyze verify: $out"
fi

step "serve as the unit does, create a monitor"
start_server
/usr/bin/peekaping healthcheck --port "$port" >/dev/null || fail "peekaping healthcheck failed"
creds='{"email":"admin@example.com","password":"Str0ng!pass"}'
token=$(api POST /auth/register "$creds" | json_field '["data"]["accessToken"]')
monitor='{"type":"http","name":"survives-upgrade","interval":60,"timeout":30,"retry_interval":60,"max_retries":0,"notification_ids":[],"config":"{\"url\":\"http://127.0.0.1:9/\"}"}'
id=$(api POST /monitors "$monitor" "$token" | json_field '["data"]["id"]')
[ -n "$id" ] || fail "no monitor id"
[ "$(stat -c %U "$data/peekaping.db")" = peekaping ] || fail "the database is not owned by peekaping"
stop_server

step "edit the config, go back one schema version (as an older release would have left it)"
echo "# local edit kept across upgrades" >>"$conf"
runuser -u peekaping -- /usr/bin/peekaping --config "$conf" migrate down >/dev/null
from=$(runuser -u peekaping -- /usr/bin/peekaping --config "$conf" migrate status | sed -n 's/^schema version //p')

step "upgrade to $(basename "$new_deb")"
DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold "$new_deb" >/dev/null
new_version=$(dpkg-deb -f "$new_deb" Version)
[ "$(dpkg-query -W -f='${Version}' peekaping)" = "$new_version" ] || fail "installed version is not $new_version"
grep -q "local edit kept across upgrades" "$conf" || fail "the upgrade replaced the edited config"

step "serve again: the monitor is still there, a snapshot was taken before migrating"
start_server
token=$(api POST /auth/login "$creds" | json_field '["data"]["accessToken"]')
name=$(api GET "/monitors/$id" "" "$token" | json_field '["data"]["name"]')
[ "$name" = survives-upgrade ] || fail "monitor $id is '$name' after the upgrade"
to=$(printf '%04d' $((from + 1)))
snap="$data/backups/pre-migrate-$(printf '%04d' "$from")-$to.db"
[ -f "$snap" ] || fail "no snapshot $snap"
[ "$(stat -c %U "$snap")" = peekaping ] || fail "$snap is not owned by peekaping"
stop_server

step "purge"
dpkg --purge peekaping >/dev/null
installed_by_us=0
[ ! -e "$data" ] || fail "$data survived the purge"
[ ! -e /etc/peekaping ] || fail "/etc/peekaping survived the purge"
! getent passwd peekaping >/dev/null || fail "the peekaping user survived the purge"
echo "OK: install, serve, upgrade with data and config kept, purge"
