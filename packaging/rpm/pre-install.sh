# %pre: the peekaping system user exists before the files are laid down.
getent group peekaping >/dev/null || groupadd --system peekaping
getent passwd peekaping >/dev/null || useradd --system --gid peekaping --home-dir /var/lib/peekaping \
    --no-create-home --shell /sbin/nologin --comment "Peekaping uptime monitor" peekaping
exit 0
