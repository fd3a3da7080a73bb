#!/bin/sh
# RABBITMQ_EXTRA_CONF: lines appended to /etc/rabbitmq/rabbitmq.conf (which may be a read-only
# mount), e.g. the loopback listeners of docker-compose.hostnet.yml.
set -e
if [ -n "${RABBITMQ_EXTRA_CONF:-}" ]; then
    generated="$HOME/rabbitmq-generated.conf"
    { cat /etc/rabbitmq/rabbitmq.conf 2>/dev/null || true; printf '\n%s\n' "$RABBITMQ_EXTRA_CONF"; } > "$generated"
    export RABBITMQ_CONFIG_FILE="$generated"
fi
exec "$@"
