#!/usr/bin/env bash
# MariaDB on 127.0.0.1:3306, root without password, database `test`, for the `mysql`
# monitor's tests. Idempotent: installs if missing, starts if down, waits.
set -euo pipefail

answers() { (exec 3<>/dev/tcp/127.0.0.1/3306) 2>/dev/null; }

if ! command -v mariadbd >/dev/null 2>&1 && ! command -v mysqld >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mariadb-server >/dev/null
fi

if ! answers; then
  service mariadb start || service mysql start
  for _ in $(seq 1 80); do answers && break; sleep 0.25; done
fi
answers || { echo "mariadb: 3306 does not answer" >&2; exit 1; }
# Root over TCP without a password (Debian's default is unix_socket auth for root).
if ! mysql -h 127.0.0.1 -uroot -e 'select 1' >/dev/null 2>&1; then
  mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD(''); FLUSH PRIVILEGES;"
fi
mysql -h 127.0.0.1 -uroot -e 'CREATE DATABASE IF NOT EXISTS test'
echo "mariadb: answers on 127.0.0.1:3306 (database test)"
