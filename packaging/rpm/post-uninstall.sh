# %postun: RPM has no purge; the data in /var/lib/peekaping and the user stay on erase
# (remove them by hand: rm -rf /var/lib/peekaping; userdel peekaping).
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
fi
exit 0
