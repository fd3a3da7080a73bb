"""Pieces of an agent-route stack that tests start and stop one by one: the API in a server
thread and the fluxo_clinico worker as a real `python -m workers` process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from api.main import create_app
from shared.config import Settings
from tests.conftest import make_settings
from tests.support.fake_nestjs import FakeNestJS
from tests.support.servers import ServerThread
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
AUTH = {"Authorization": "Bearer chave-a"}


@contextmanager
def clinico_worker(settings: Settings, log: Path, **env: str) -> Iterator[subprocess.Popen[bytes]]:
    log.touch()
    seen = log.read_text().count('"event": "consuming"')
    proc = subprocess.Popen(
        [sys.executable, "-m", "workers", "--vhost", "fluxo_clinico", "--concurrency", "4"],
        cwd=ROOT,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RABBITMQ_URL": settings.rabbitmq_url,
            "VHOST_PREFIX": settings.vhost_prefix,
            "DATABASE_URL": settings.database_url,
            "ALERT_RETRY_DELAYS_S": "1,2",
            "RETRY_DELAYS_S": "1,2",
            "LOG_FORMAT": "json",
            **env,
        },
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(
            lambda: log.read_text().count('"event": "consuming"') > seen,
            timeout=90,
            message="the fluxo_clinico worker consuming",
        )
        yield proc
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(90)


@contextmanager
def api(settings: Settings) -> Iterator[tuple[ServerThread, httpx.Client]]:
    with (
        ServerThread(create_app(settings)) as server,
        httpx.Client(base_url=server.url, headers=AUTH, timeout=30) as client,
    ):
        yield server, client


SECRET = "segredo-de-teste-com-32-bytes-ou-mais!!"
QUESTION = {"role": "agent", "content": "Entendi. Você está com falta de ar?"}


def message(text: str, **extra: Any) -> dict[str, Any]:
    return {
        "patientId": str(uuid.uuid4()),
        "message": text,
        "conversationId": str(uuid.uuid4()),
        "messageId": str(uuid.uuid4()),
        **extra,
    }


def agent_settings(tmp: Path, broker_url: str, prefix: str, nestjs: FakeNestJS, **kw: Any) -> Settings:
    return make_settings(tmp, rabbitmq_url=broker_url, vhost_prefix=prefix, backend_url=nestjs.url, **kw)


def worker_env(nestjs: FakeNestJS, **env: str) -> dict[str, str]:
    return {"BACKEND_URL": nestjs.url, "BACKEND_JWT_SECRET": SECRET, **env}
