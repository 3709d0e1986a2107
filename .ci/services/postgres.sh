#!/usr/bin/env bash
# PostgreSQL on 127.0.0.1:5432 with trust auth for local TCP and a `test` database, for the
# `postgres` monitor's tests. Idempotent: installs if missing, starts if down, waits.
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

if ! answers; then
  version=$(ls /etc/postgresql | sort -V | tail -1)
  hba=/etc/postgresql/$version/main/pg_hba.conf
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  fi
  pg_ctlcluster "$version" main start || service postgresql start
  for _ in $(seq 1 80); do answers && break; sleep 0.25; done
fi
answers || { echo "postgres: 5432 does not answer" >&2; exit 1; }
for _ in $(seq 1 40); do psql -h 127.0.0.1 -U postgres -Atc 'select 1' >/dev/null 2>&1 && break; sleep 0.25; done
if ! psql -h 127.0.0.1 -U postgres -Atc "select 1 from pg_database where datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -c 'create database test' >/dev/null
fi
echo "postgres: answers on 127.0.0.1:5432 (database test)"
