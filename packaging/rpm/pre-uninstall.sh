# %preun: $1 is 0 when the package is erased (not upgraded).
if [ "$1" -eq 0 ] && [ -d /run/systemd/system ]; then
    systemctl disable --now peekaping.service >/dev/null 2>&1 || true
fi
exit 0
