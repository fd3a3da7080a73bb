from __future__ import annotations

import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import bcrypt
import httpx
import pytest

from shared.config import Settings
from tests.conftest import require
from tests.integration.conftest import running_stack, start_workers
from tests.support.fake_nestjs import FakeNestJS
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "artefacts" / "browser"


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's chromium driven by Playwright (no browser download: deploy/dev_setup.py browser).
    Module scope: while Playwright's sync API is active its event loop counts as running in the
    main thread, and a later test calling asyncio.run() would fail."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "playwright is not installed (make dev-venv)")
    executable = shutil.which("chromium")
    require(executable is not None, "chromium is not installed (python deploy/dev_setup.py browser)")
    with sync_playwright() as pw:
        # --no-sandbox: CI runs as root, where chromium refuses its sandbox.
        b = pw.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        path = ARTEFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


PASSWORD = "senha-da-coordenacao"


@dataclass
class Stack:
    client: httpx.Client
    settings: Settings
    nestjs: FakeNestJS
    tmp: Path
    # The fluxo_opme worker runs apart from the others so a test can stop it (test_health_browser).
    opme_worker: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return str(self.client.base_url).rstrip("/")

    def start_opme_worker(self) -> None:
        log = self.tmp / "opme-worker.log"
        log.touch()
        seen = log.read_text().count('"event": "consuming"')
        self.opme_worker = start_workers(self.settings, log, ("opme",), **WORKER_ENV)
        wait_until(
            lambda: log.read_text().count('"event": "consuming"') > seen,
            timeout=90,
            message="the fluxo_opme worker consuming",
        )

    def stop_opme_worker(self) -> None:
        if self.opme_worker is not None:
            self.opme_worker.send_signal(signal.SIGTERM)
            self.opme_worker.wait(60)
            self.opme_worker = None


WORKER_ENV = {
    "BACKEND_SERVICE_TOKEN": "token-de-servico",
    "WORKER_EXTRA_HANDLERS": "tests.support.scripted_handlers",
    "WORKER_MAX_RETRIES": "0",
    # A parked alert waits long enough for the button to be what delivers it.
    "ALERT_RETRY_DELAYS_S": "600",
    "ALERT_MAX_ATTEMPTS": "1",
    "ALERT_INLINE_BUDGET_S": "1",
    "ALERT_TIMEOUT_S": "1",
}


@pytest.fixture(scope="package")
def stack(tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str) -> Iterator[Stack]:
    """The API, `python -m workers` for three vhosts and one more for fluxo_opme, the fake NestJS
    backend; people log in as `operador` (global role) or `ana` (tenant hospital_a)."""
    tmp = tmp_path_factory.mktemp("ops")
    nestjs = FakeNestJS(static_token="token-de-servico").start()
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()
    WORKER_ENV["BACKEND_URL"] = nestjs.url
    try:
        with running_stack(
            tmp,
            broker_url,
            vhost_prefix,
            vhosts=("clinico", "exames", "ingestao"),
            api_settings={"ops_users": f"ana:{hashed}:hospital_a,operador:{hashed}"},
            **WORKER_ENV,
        ) as (client, settings):
            s = Stack(client, settings, nestjs, tmp)
            s.start_opme_worker()
            try:
                yield s
            finally:
                s.stop_opme_worker()
    finally:
        nestjs.stop()


def block_outside(context, base: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Abort every request to another host (the console must need nothing from outside)."""
    host = urlsplit(base).netloc
    blocked: list[str] = []

    def route(r):  # type: ignore[no-untyped-def]
        if urlsplit(r.request.url).netloc == host or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    return blocked


def open_page(browser, stack: Stack, *, key: str | None = None, user: str | None = None, **options):  # type: ignore[no-untyped-def]
    """A page logged in with an API key or as an OPS_USERS person."""
    if user is not None:
        options["http_credentials"] = {"username": user, "password": PASSWORD}
    if key is not None:
        options["extra_http_headers"] = {"X-API-Key": key}
    context = browser.new_context(**options)
    block_outside(context, stack.url)
    return context.new_page()
