# %post: $1 is 1 on install, 2 or more on upgrade.
mkdir -p /var/lib/peekaping
chown peekaping:peekaping /var/lib/peekaping
chmod 0750 /var/lib/peekaping
chown root:peekaping /etc/peekaping/peekaping.toml 2>/dev/null || true
sysctl -q -p /usr/lib/sysctl.d/60-peekaping-ping.conf >/dev/null 2>&1 || true
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
    if [ "$1" -eq 1 ]; then
        systemctl enable --now peekaping.service >/dev/null 2>&1 || true
    else
        systemctl try-restart peekaping.service >/dev/null 2>&1 || true
    fi
fi
exit 0
