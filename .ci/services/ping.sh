#!/usr/bin/env bash
# ICMP for the `ping` monitor tests (tests/checks_net.rs):
# - unprivileged datagram ICMP sockets for every group, as systemd's defaults would set
#   (the same setting the README documents for installs);
# - a loopback address that never answers ping, for the timeout path: an nftables rule
#   drops echo requests to 127.66.66.66 on input, so they are sent and silently lost
#   (dropping on output would fail the send instead). Traffic stays on lo.
set -euo pipefail

sysctl -q -w net.ipv4.ping_group_range="0 2147483647"

if ! command -v nft >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q nftables >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nftables >/dev/null; }
fi

# Our own table, replaced whole on every run (idempotent, touches no other rules).
nft delete table inet peekaping_ci 2>/dev/null || true
nft -f - <<'NFT'
table inet peekaping_ci {
  chain input {
    type filter hook input priority 0; policy accept;
    iif "lo" ip daddr 127.66.66.66 icmp type echo-request drop
  }
}
NFT

echo "ping: ping_group_range=$(sysctl -n net.ipv4.ping_group_range | tr '\t' ' '), 127.66.66.66 drops echo requests"
