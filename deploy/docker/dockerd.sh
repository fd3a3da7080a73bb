#!/usr/bin/env bash
# A private Docker daemon for `make test-compose` (docs/docker.md): its own data root, exec root,
# pid file and socket under DIR, no bridge and no iptables rules (every container uses the host's
# network), so it never touches another dockerd or the machine's firewall.
#
#   deploy/docker/dockerd.sh start DIR    start it (idempotent), print DOCKER_HOST=unix://DIR/docker.sock
#   deploy/docker/dockerd.sh stop DIR     stop the daemon whose pid is in DIR/docker.pid
set -euo pipefail
cmd="${1:?start|stop}"
dir="$(mkdir -p "${2:?DIR}" && cd "$2" && pwd)"
sock="$dir/docker.sock"
pidfile="$dir/docker.pid"

running() { [ -s "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
start)
    if ! running; then
        # The exec root holds containerd's socket: the path must stay short (unix socket limit).
        exec_root="$(mktemp -d /tmp/tgw-dockerd.XXXXXX)"
        echo "$exec_root" > "$dir/exec-root"
        dockerd --iptables=false --ip-masq=false --bridge=none \
            --data-root "$dir/data" --exec-root "$exec_root" --pidfile "$pidfile" \
            --host "unix://$sock" >"$dir/dockerd.log" 2>&1 &
        deadline=$((SECONDS + 60))
        until DOCKER_HOST="unix://$sock" docker version >/dev/null 2>&1; do
            if [ $SECONDS -ge $deadline ]; then
                echo "dockerd did not answer within 60 s; last lines of $dir/dockerd.log:" >&2
                tail -20 "$dir/dockerd.log" >&2
                exit 1
            fi
            sleep 0.5
        done
    fi
    echo "DOCKER_HOST=unix://$sock"
    ;;
stop)
    if running; then
        pid="$(cat "$pidfile")"
        kill -TERM "$pid"
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        if kill -0 "$pid" 2>/dev/null; then
            echo "dockerd $pid still running after 30 s; killing it" >&2
            kill -KILL "$pid" 2>/dev/null || true
        fi
    fi
    if [ -s "$dir/exec-root" ]; then
        exec_root="$(cat "$dir/exec-root")"
        # dockerd leaves its network namespace bind-mounted there.
        awk -v root="$exec_root/" 'index($2, root) == 1 { print $2 }' /proc/mounts | sort -r \
            | while read -r mnt; do umount -l "$mnt" || true; done
        rm -rf "$exec_root" "$dir/exec-root"
    fi
    ;;
*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
