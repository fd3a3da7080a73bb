"""Set-up steps behind `make run` and `make test` (plain Python, standard library only).

python deploy/dev_setup.py broker    make sure a RabbitMQ answers at RABBITMQ_URL; if none does
                                     and rabbitmq-server is installed, start a private node
                                     under .run/ and write .run/broker.env for the next steps
python deploy/dev_setup.py api-key   with no API_KEYS anywhere, generate a local key into .env
python deploy/dev_setup.py browser   make sure Debian's chromium is installed (browser tests)
python deploy/dev_setup.py wrk       make sure Debian's wrk is installed (the API bench's load generator)

Missing system packages (rabbitmq-server, chromium, wrk) are installed from the distribution's own
packages (apt-get) when this runs as root or with passwordless sudo, after saying so; otherwise the
one command to run is printed. DEV_SETUP_NO_INSTALL=1 turns the installing off.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.local_broker import LocalNode, port_open  # noqa: E402

RUN_DIR = ROOT / ".run"
BROKER_ENV = RUN_DIR / "broker.env"
DOTENV = ROOT / ".env"
DEFAULT_URL = "amqp://guest:guest@localhost:5672/"


def _dotenv_value(name: str) -> str | None:
    if not DOTENV.exists():
        return None
    for line in DOTENV.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key.strip() == name:
            return value.strip().strip('"').strip("'")
    return None


def _setting(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name) or _dotenv_value(name) or default


def _privilege_prefix() -> list[str] | None:
    """[] as root, ["sudo", "-n"] with passwordless sudo, None when we cannot install."""
    if os.environ.get("DEV_SETUP_NO_INSTALL"):
        return None
    if os.geteuid() == 0:
        return []
    if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
        return ["sudo", "-n"]
    return None


def apt_install(packages: list[str], why: str) -> bool:
    """Install distribution packages when allowed; False (after printing the command) otherwise."""
    command = f"sudo apt-get install -y {' '.join(packages)}"
    prefix = _privilege_prefix()
    if prefix is None or shutil.which("apt-get") is None:
        print(f"{why}. Install it with:\n\n    {command}\n", file=sys.stderr)
        return False
    how = "as root" if not prefix else "with passwordless sudo"
    print(f"{why}: installing {' '.join(packages)} from the distribution's packages ({how}, apt-get)...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *packages]):
        if subprocess.run([*prefix, *step], env=env).returncode != 0:
            print(f"`{' '.join(step)}` failed; run `{command}` yourself.", file=sys.stderr)
            return False
    return True


def ensure_browser() -> int:
    if shutil.which("chromium"):
        print(f"chromium: {shutil.which('chromium')}")
        return 0
    return 0 if apt_install(["chromium"], "The browser tests need Debian's chromium") else 1


def ensure_wrk() -> int:
    # Without wrk, bench/api_publish.py falls back to an aiohttp load generator that takes about half
    # a core from the API on a 2-core box, so its figures are not comparable (bench/RESULTS.md).
    if shutil.which("wrk"):
        print(f"wrk: {shutil.which('wrk')}")
        return 0
    return 0 if apt_install(["wrk"], "The API bench's load generator is Debian's wrk") else 1


def ensure_broker() -> int:
    url = _setting("RABBITMQ_URL", DEFAULT_URL) or DEFAULT_URL
    nodes = [u.strip() for u in url.split(",") if u.strip()]
    for node in nodes:
        parts = urlsplit(node)
        if port_open(parts.hostname or "localhost", parts.port or 5672):
            if BROKER_ENV.exists():
                BROKER_ENV.unlink()
            print(f"RabbitMQ answers at {parts.hostname}:{parts.port or 5672}")
            return 0

    first = urlsplit(nodes[0])
    local_host = (first.hostname or "localhost") in ("localhost", "127.0.0.1", "::1")
    reason = LocalNode.available()
    missing = bool(local_host and reason and shutil.which("rabbitmq-server") is None)
    if missing and apt_install(
        ["rabbitmq-server"], f"No RabbitMQ answers at {url} and rabbitmq-server is missing"
    ):
        # The package may have started the system service (where there is an init system).
        if port_open(first.hostname or "localhost", first.port or 5672, timeout=2):
            print(f"RabbitMQ answers at {first.hostname}:{first.port or 5672}")
            return 0
        reason = LocalNode.available()
    if not local_host or reason:
        why = f" ({reason})" if reason else ""
        print(
            f"No RabbitMQ answers at {url}{why}.\n"
            "Install one: `sudo apt-get install rabbitmq-server` (then run this again), "
            "or start it in Docker: `docker compose up -d rabbitmq`.",
            file=sys.stderr,
        )
        return 1
    port = first.port or 5672
    node = LocalNode("gateway", RUN_DIR / "rabbitmq", amqp_port=port, dist_port=port + 20000)
    node.start()
    RUN_DIR.mkdir(exist_ok=True)
    BROKER_ENV.write_text(f"RABBITMQ_NODENAME={node.node}\n")
    print(
        f"Started a private RabbitMQ node {node.node} on 127.0.0.1:{port} (data in .run/rabbitmq; "
        f"stop it with `python deploy/local_broker.py stop --name gateway --dir .run/rabbitmq`)"
    )
    return 0


# The broker users compose's provision step creates (docs/security.md); their dev defaults in
# docker-compose.yml are for a trial only, so `make env` writes random ones.
BROKER_PASSWORDS = ("RABBITMQ_API_PASSWORD", "RABBITMQ_WORKER_PASSWORD", "RABBITMQ_OPS_PASSWORD")


def ensure_broker_passwords() -> None:
    missing = [name for name in BROKER_PASSWORDS if not (os.environ.get(name) or _dotenv_value(name))]
    if missing:
        with DOTENV.open("a") as fh:
            fh.write("\n# broker users' passwords, generated by `make env`\n")
            fh.writelines(f"{name}={secrets.token_urlsafe(24)}\n" for name in missing)


def ensure_api_key() -> int:
    ensure_broker_passwords()
    if os.environ.get("API_KEYS") or _dotenv_value("API_KEYS"):
        keys = os.environ.get("API_KEYS") or _dotenv_value("API_KEYS") or ""
        print(f"API keys configured ({len([k for k in keys.split(',') if k.strip()])} key(s)).")
        return 0
    key = "local-" + secrets.token_urlsafe(24)
    with DOTENV.open("a") as fh:
        fh.write(f"\n# generated on first `make run` or `make env`\nAPI_KEYS={key}=local\n")
    print(
        f"Generated a local API key (tenant 'local') into .env:\n\n    {key}\n\n"
        f"Use it as: curl -H 'Authorization: Bearer {key}' ..."
    )
    return 0


def main(argv: list[str]) -> int:
    steps = {"broker": ensure_broker, "api-key": ensure_api_key, "browser": ensure_browser, "wrk": ensure_wrk}
    if len(argv) != 1 or argv[0] not in steps:
        print(__doc__, file=sys.stderr)
        return 2
    return steps[argv[0]]()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
