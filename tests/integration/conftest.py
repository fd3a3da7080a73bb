from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from api.main import create_app
from shared.config import Settings
from tests.conftest import make_settings
from tests.support.amqp import purge_all
from tests.support.servers import ServerThread
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def running_stack(
    tmp: Path,
    broker_url: str,
    prefix: str,
    purge: bool = True,
    vhosts: tuple[str, ...] = (),
    api_settings: dict[str, object] | None = None,
    **worker_env: str,
) -> Iterator[tuple[httpx.Client, Settings]]:
    """The API (in a server thread, `api_settings` added to its settings) and `python -m workers`
    (a real process) on the test vhosts (all four, or only `vhosts`). `purge=False` keeps what
    the queues hold (a restart)."""
    settings = make_settings(tmp, rabbitmq_url=broker_url, vhost_prefix=prefix, **(api_settings or {}))
    if purge:
        purge_all(settings)
    log = tmp / "workers.log"
    log.touch()
    seen = log.read_text().count('"event": "consuming"')  # earlier runs of the same system
    workers = start_workers(settings, log, vhosts, **worker_env)
    try:
        wait_until(
            lambda: log.read_text().count('"event": "consuming"') >= seen + (len(vhosts) or 4),
            timeout=90,
            message="the vhost workers consuming",
        )
        with (
            ServerThread(create_app(settings)) as api,
            httpx.Client(base_url=api.url, headers={"Authorization": "Bearer chave-a"}, timeout=15) as client,
        ):
            yield client, settings
    finally:
        workers.send_signal(signal.SIGTERM)
        code = workers.wait(90)
    assert code == 0, "the supervisor exits 0 on SIGTERM"


def start_workers(
    settings: Settings, log: Path, vhosts: tuple[str, ...] = (), **worker_env: str
) -> subprocess.Popen:
    """`python -m workers` on the test vhosts (all four, or only `vhosts`), logging to `log`."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "RABBITMQ_URL": settings.rabbitmq_url,
        "VHOST_PREFIX": settings.vhost_prefix,
        "DATABASE_URL": settings.database_url,
        "ALERT_RETRY_DELAYS_S": "1,2",
        "RETRY_DELAYS_S": "1,2",
        "LOG_FORMAT": "json",
        **worker_env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "workers", "--concurrency", "4", *(a for v in vhosts for a in ("--vhost", v))],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
