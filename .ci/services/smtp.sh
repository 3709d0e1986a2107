#!/usr/bin/env bash
# SMTP servers for the `smtp` monitor tests (tests/checks_net.rs) and the smtp notification
# provider (tests/notifications.rs): aiosmtpd (PyPI) in a virtualenv, with a certificate
# for 127.0.0.1/localhost signed by a CA made here:
#   127.0.0.1:12525  plain SMTP offering STARTTLS (not required)
#   127.0.0.1:12465  SMTPS (TLS from the first byte)
#   127.0.0.1:12587  plain SMTP delivering every mail into the maildir $DIR/maildir
# The CA certificate is $DIR/ca.pem (the tests trust it through the monitor's `ca` key).
set -euo pipefail

DIR=/var/lib/peekaping-ci/smtp
VENV=$DIR/venv
mkdir -p "$DIR"

if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q aiosmtpd==1.4.6
fi

if [ ! -s "$DIR/cert.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Peekaping CI SMTP CA" \
    -keyout "$DIR/ca.key" -out "$DIR/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$DIR/key.pem" -out "$DIR/cert.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' > "$DIR/ext.cnf"
  openssl x509 -req -in "$DIR/cert.csr" -CA "$DIR/ca.pem" -CAkey "$DIR/ca.key" -CAcreateserial \
    -days 3650 -extfile "$DIR/ext.cnf" -out "$DIR/cert.pem" 2>/dev/null
fi

listening() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

start() { # name port args...
  local name=$1 port=$2; shift 2
  if listening "$port"; then return 0; fi
  setsid nohup "$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Sink "$@" \
    >"$DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$DIR/$name.pid"
}

start starttls 12525 --tlscert "$DIR/cert.pem" --tlskey "$DIR/key.pem" --no-requiretls
start smtps 12465 --smtpscert "$DIR/cert.pem" --smtpskey "$DIR/key.pem"
mkdir -p "$DIR/maildir/tmp" "$DIR/maildir/new" "$DIR/maildir/cur"
if ! listening 12587; then
  setsid nohup "$VENV/bin/python" -m aiosmtpd -n -l "127.0.0.1:12587" -c aiosmtpd.handlers.Mailbox "$DIR/maildir" \
    >"$DIR/maildir.log" 2>&1 < /dev/null &
  echo $! > "$DIR/maildir.pid"
fi

for _ in $(seq 1 100); do
  if listening 12525 && listening 12465 && listening 12587; then
    echo "smtp: aiosmtpd on 127.0.0.1:12525 (STARTTLS), 127.0.0.1:12465 (SMTPS), 127.0.0.1:12587 (maildir)"
    exit 0
  fi
  sleep 0.1
done
echo "aiosmtpd did not start; logs:" >&2
cat "$DIR"/*.log >&2 || true
exit 1
