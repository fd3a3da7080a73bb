"""`make run`/`make test` on a bare box: a missing broker or browser is installed from the
distribution's packages when allowed (after saying so), else the one command is printed."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.support.servers import free_port

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "deploy"))
import dev_setup


@pytest.fixture
def bare_box(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No broker on the configured port, no rabbitmq-server or chromium on PATH, and an `apt-get`
    that only records what it was asked to do."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt = bin_dir / "apt-get"
    apt.write_text(f'#!/bin/sh\necho "$@" >> {tmp_path / "apt.log"}\n')
    apt.chmod(apt.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("RABBITMQ_URL", f"amqp://guest:guest@127.0.0.1:{free_port()}/")
    monkeypatch.setattr(dev_setup, "DOTENV", tmp_path / ".env")
    monkeypatch.setattr(
        dev_setup.LocalNode, "available", staticmethod(lambda: "rabbitmq-server is not installed")
    )
    return tmp_path


def test_without_privileges_the_one_install_command_is_printed(bare_box: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DEV_SETUP_NO_INSTALL", "1")
    assert dev_setup.ensure_broker() == 1
    assert dev_setup.ensure_browser() == 1
    assert dev_setup.ensure_wrk() == 1
    err = capsys.readouterr().err
    assert "sudo apt-get install -y rabbitmq-server" in err
    assert "sudo apt-get install -y chromium" in err
    assert "sudo apt-get install -y wrk" in err
    assert not (bare_box / "apt.log").exists()


@pytest.mark.skipif(os.geteuid() != 0, reason="installing needs root (or passwordless sudo)")
def test_as_root_it_says_so_then_installs_from_the_distribution(bare_box: Path, monkeypatch, capsys) -> None:
    monkeypatch.delenv("DEV_SETUP_NO_INSTALL", raising=False)
    dev_setup.ensure_broker()  # the fake apt-get installs nothing, so no node starts afterwards
    dev_setup.ensure_browser()
    dev_setup.ensure_wrk()
    out = capsys.readouterr().out
    assert "installing rabbitmq-server from the distribution's packages (as root, apt-get)" in out
    assert "installing chromium" in out
    assert "installing wrk" in out
    assert (bare_box / "apt.log").read_text().splitlines() == [
        "update -qq",
        "install -y -qq rabbitmq-server",
        "update -qq",
        "install -y -qq chromium",
        "update -qq",
        "install -y -qq wrk",
    ]
