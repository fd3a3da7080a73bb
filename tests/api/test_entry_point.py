"""`python -m api` as operators run it: one process, or API_WORKERS processes on one port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.samples import ENDPOINTS
from tests.support.servers import free_port
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("workers", [1, 2])
def test_python_m_api_serves_and_stops_cleanly(
    workers: int, broker_url: str, vhost_prefix: str, tmp_path: Path
) -> None:
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "RABBITMQ_URL": broker_url,
        "VHOST_PREFIX": vhost_prefix,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tasks.db'}",
        "API_KEYS": "k=hospital_a",
        "API_PORT": str(port),
        "API_WORKERS": str(workers),
        "LOG_FORMAT": "json",
    }
    log = tmp_path / "api.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "api"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    try:
        base = f"http://127.0.0.1:{port}"

        def ready() -> bool:
            try:
                return httpx.get(f"{base}/health/ready", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        # Generous: API_WORKERS processes import the whole stack at once, slow on a loaded 2-core box.
        wait_until(ready, timeout=90, message="the API to answer")
        ep = ENDPOINTS[0]
        with httpx.Client(base_url=base, headers={"Authorization": "Bearer k"}, timeout=10) as client:
            ids = {client.post(ep.path, json=ep.payload()).json()["task_id"] for _ in range(20)}
            assert len(ids) == 20
            # Every process answers for every task: they share the store.
            assert all(client.get(f"/api/clinico/status/{i}").status_code == 200 for i in ids)
        if workers > 1:
            # The first process can answer before its siblings finish starting up.
            wait_until(
                lambda: log.read_text().count('"event": "api_started"') == workers,
                timeout=90,
                message=f"all {workers} API processes to start",
            )
    finally:
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(30)
    # uvicorn re-raises the SIGTERM it handled once shutdown is complete (exit by signal, the Unix
    # convention); the multi-process parent reports a clean stop as 0.
    assert code in (0, -signal.SIGTERM), log.read_text()[-2000:]
    assert "Application shutdown complete" in log.read_text()


def test_api_refuses_to_start_without_keys(tmp_path: Path) -> None:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "API_KEYS": "",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'tasks.db'}",
    }
    proc = subprocess.run(
        [sys.executable, "-m", "api"],
        cwd=tmp_path,
        env={**env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode != 0
    assert "API_KEYS" in proc.stderr
