#!/usr/bin/env bash
# A DNS server for the `dns` monitor tests (tests/checks_net.rs): Debian's dnsmasq on
# 127.0.0.1:15353, no upstream, serving the zone peekaping.test with one record of each
# type the monitor asks for. Names in peekaping.test that are not defined get NXDOMAIN.
set -euo pipefail

PORT=15353
DIR=/var/lib/peekaping-ci/dnsmasq
mkdir -p "$DIR"

if ! command -v dnsmasq >/dev/null 2>&1 && [ ! -x /usr/sbin/dnsmasq ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q dnsmasq-base >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q dnsmasq-base >/dev/null; }
fi

# Raw record data (dns-rr) is hex of the wire format:
# CAA  0 issue "letsencrypt.org"
# NS   ns1.peekaping.test.
# SOA  ns1.peekaping.test. hostmaster.peekaping.test. 2024010101 3600 600 86400 300
cat > "$DIR/dnsmasq.conf" <<CONF
port=$PORT
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
no-poll
local=/peekaping.test/
local=/127.in-addr.arpa/
host-record=www.peekaping.test,127.0.0.10,::10
ptr-record=10.0.0.127.in-addr.arpa,www.peekaping.test
cname=alias.peekaping.test,www.peekaping.test
mx-host=peekaping.test,mail.peekaping.test,10
txt-record=peekaping.test,"v=spf1 include:_spf.peekaping.test -all"
srv-host=_http._tcp.peekaping.test,www.peekaping.test,80,0,5
dns-rr=peekaping.test,257,000569737375656C657473656E63727970742E6F7267
dns-rr=peekaping.test,2,036E7331097065656B6170696E67047465737400
dns-rr=peekaping.test,6,036E7331097065656B6170696E670474657374000A686F73746D6173746572097065656B6170696E6704746573740078A3F17500000E1000000258000151800000012C
CONF

listening() { ss -Hlun "sport = :$PORT" 2>/dev/null | grep -q .; }

if [ -f "$DIR/pid" ] && kill -0 "$(cat "$DIR/pid")" 2>/dev/null && listening; then
  # Already running: reload the records in case this script changed them.
  kill "$(cat "$DIR/pid")"
  for _ in $(seq 1 50); do listening || break; sleep 0.1; done
fi
if ! listening; then
  /usr/sbin/dnsmasq --conf-file="$DIR/dnsmasq.conf" --pid-file="$DIR/pid" --log-facility="$DIR/log"
fi
for _ in $(seq 1 50); do
  listening && { echo "dnsmasq: answering on 127.0.0.1:$PORT"; exit 0; }
  sleep 0.1
done
echo "dnsmasq did not start; log:" >&2
cat "$DIR/log" >&2 || true
exit 1
