"""Shared fixtures: the real broker (isolated by VHOST_PREFIX), stores on SQLite and PostgreSQL.

Like dramatiq's suite, a broker test is skipped when no broker answers locally, and fails when
CI=true, so a CI run can never pass by skipping the tests that matter.
"""

from __future__ import annotations

import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from shared.telemetry import quiet_third_party_telemetry

# Never let a test reach an outside host through an SDK default, and keep CrewAI quiet.
quiet_third_party_telemetry()
for _var in (
    "OPENAI_API_KEY",
    "LLM_BASE_URL",
    "BACKEND_URL",
    "BACKEND_SERVICE_TOKEN",
    "BACKEND_JWT_SECRET",
    "API_KEYS",
):
    os.environ.pop(_var, None)

from shared.config import Settings  # noqa: E402

IN_CI = os.environ.get("CI", "").lower() == "true"
BROKER_URL = os.environ.get("TEST_RABBITMQ_URL") or os.environ.get(
    "RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/"
)
PG_URL = os.environ.get("TEST_DATABASE_URL_PG", "postgresql://postgres@127.0.0.1:5432/test")


def _tcp_ok(url: str) -> bool:
    parts = urlsplit(url.split(",")[0].strip())
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5672), timeout=1):
            return True
    except OSError:
        return False


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must run)")
    pytest.skip(reason)


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "rabbitmq_url": BROKER_URL,
        "vhost_prefix": "",
        "database_url": f"sqlite:///{tmp_path / 'tasks.db'}",
        "api_keys": "chave-a=hospital_a,chave-b=hospital_b",
        "retry_delays_s": "1,2",
        "alert_retry_delays_s": "1,2",
        "log_format": "console",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type, call-arg]


@pytest.fixture(scope="session")
def broker_url() -> str:
    require(_tcp_ok(BROKER_URL), f"no RabbitMQ answers at {BROKER_URL}")
    return BROKER_URL


@pytest.fixture(scope="session")
def vhost_prefix(broker_url: str) -> Iterator[str]:
    """Provision the four vhosts once per test session under a unique prefix; delete them after."""
    from shared import provision

    prefix = f"t{uuid.uuid4().hex[:8]}_"
    settings = Settings(
        _env_file=None,
        rabbitmq_url=broker_url,
        vhost_prefix=prefix,  # type: ignore[call-arg]
        retry_delays_s="1,2",
        alert_retry_delays_s="1,2",
    )
    provision.provision(settings)
    yield prefix
    try:
        provision.deprovision(settings)
    except Exception as exc:  # clean-up must not hide the real result
        print(f"warning: could not delete test vhosts {prefix}*: {exc}")


@pytest.fixture
def settings(tmp_path: Path, broker_url: str, vhost_prefix: str) -> Settings:
    return make_settings(tmp_path, rabbitmq_url=broker_url, vhost_prefix=vhost_prefix)


@pytest.fixture
def offline_settings(tmp_path: Path) -> Settings:
    """Settings for tests that need no broker."""
    return make_settings(tmp_path)


@pytest.fixture(scope="session")
def pg_url() -> str:
    parts = urlsplit(PG_URL)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=1):
            pass
    except OSError:
        require(False, f"no PostgreSQL answers at {PG_URL}")
    return PG_URL


@contextmanager
def pg_schema(base: str) -> Iterator[str]:
    """The URL of a throwaway schema in the PostgreSQL at `base` (dropped afterwards)."""
    import sqlalchemy as sa

    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty task store on each database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with pg_schema(request.getfixturevalue("pg_url")) as url:
        yield url


@pytest.fixture(scope="session")
def throwaway_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A private RabbitMQ node (with the management plugin) that tests may stop and start."""
    from deploy.local_broker import LocalNode, free_port

    reason = LocalNode.available()
    require(reason is None, f"cannot run a throwaway RabbitMQ node: {reason}")
    # Not under pytest's temporary directory: pytest keeps that private (0700) and the node
    # runs as the rabbitmq user.
    base = Path(tempfile.mkdtemp(prefix="tgw-rabbit-"))
    os.chmod(base, 0o755)  # noqa: S103 - the node runs as the rabbitmq user and must read it
    node = LocalNode(f"tgw{uuid.uuid4().hex[:6]}", base, management_port=free_port())
    node.start()
    yield node
    node.destroy()


def throwaway_settings(node: object, tmp_path: Path, **overrides: object) -> Settings:
    prefix = f"t{uuid.uuid4().hex[:6]}_"
    return make_settings(
        tmp_path,
        rabbitmq_url=node.url,  # type: ignore[attr-defined]
        rabbitmq_management_url=node.management_url,  # type: ignore[attr-defined]
        vhost_prefix=prefix,
        **overrides,
    )
