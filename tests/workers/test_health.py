"""The worker healthcheck (`python -m workers.health`) and a metrics port shared by several workers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from shared.config import Settings
from tests.support.servers import free_port
from tests.support.wait import wait_until
from workers import health

ROOT = Path(__file__).resolve().parents[2]


class StandInConsumer:
    """What the heartbeat reads from a VhostConsumer: consuming = connected and the connection open."""

    def __init__(self) -> None:
        self.connected = threading.Event()
        self.connection_open = False

    def consume(self) -> None:
        self.connection_open = True
        self.connected.set()

    def lose_connection(self) -> None:
        self.connection_open = False
        self.connected.clear()


def check(directory: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKER_HEALTH_DIR": str(directory)}
    return subprocess.run(
        [sys.executable, "-m", "workers.health"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def health_settings(tmp_path: Path) -> Settings:
    return Settings(_env_file=None, worker_health_dir=str(tmp_path / "health"))


def test_the_check_fails_until_every_vhost_process_consumes_and_again_when_one_loses_its_broker(
    health_settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "health"
    assert check(directory).returncode == 1, "no supervisor yet"
    health.expect(health_settings, ["fluxo_clinico.all", "fluxo_exames.all"])
    clinico, exames = StandInConsumer(), StandInConsumer()
    beats = [
        health.Heartbeat(directory / "fluxo_clinico.all", clinico, interval_s=0.05),
        health.Heartbeat(directory / "fluxo_exames.all", exames, interval_s=0.05),
    ]
    for beat in beats:
        beat._thread.start()
    try:
        clinico.consume()
        wait_until(lambda: (directory / "fluxo_clinico.all").exists(), timeout=5)
        result = check(directory)
        assert result.returncode == 1 and "fluxo_exames.all: not consuming" in result.stderr

        exames.consume()
        wait_until(lambda: (directory / "fluxo_exames.all").exists(), timeout=5)
        assert check(directory).returncode == 0

        exames.lose_connection()
        wait_until(lambda: not (directory / "fluxo_exames.all").exists(), timeout=5)
        assert check(directory).returncode == 1
    finally:
        for beat in beats:
            beat.stop()
    assert not (directory / "fluxo_clinico.all").exists(), "a stopped worker leaves no heartbeat behind"


def test_a_hung_process_whose_heartbeat_went_stale_is_unhealthy(
    health_settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "health"
    health.expect(health_settings, ["fluxo_opme.rules"])
    beat = directory / "fluxo_opme.rules"
    beat.touch()
    assert health.problems(directory) == []
    old = time.time() - health.STALE_AFTER_S - 1
    os.utime(beat, (old, old))
    assert health.problems(directory) == [
        f"fluxo_opme.rules: no heartbeat for {health.STALE_AFTER_S + 1:.0f} s"
    ]


def test_a_restarted_supervisor_does_not_count_the_previous_runs_heartbeats(
    health_settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "health"
    health.expect(health_settings, ["fluxo_clinico.all"])
    (directory / "fluxo_clinico.all").touch()
    health.expect(health_settings, ["fluxo_clinico.all"])
    assert health.problems(directory) == ["fluxo_clinico.all: not consuming"]


def test_a_second_worker_on_the_same_metrics_port_warns_and_carries_on() -> None:
    port = free_port()
    assert health.serve_metrics(port) is True
    assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).status_code == 200
    assert health.serve_metrics(port) is False, "the port is taken: no exception, no crash loop"
    with socket.create_connection(("127.0.0.1", port), timeout=5):
        pass  # the first worker's endpoint still answers
