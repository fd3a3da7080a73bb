from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.http_limits import capped_http_protocol
from api.main import create_app
from shared.config import Settings
from tests.conftest import make_settings
from tests.support.amqp import purge_all
from tests.support.servers import ServerThread


@dataclass
class Api:
    server: ServerThread
    client: httpx.Client
    settings: Settings

    @property
    def url(self) -> str:
        return self.server.url


def api_settings(tmp_path: Path, broker_url: str, vhost_prefix: str) -> Settings:
    """Settings of the API under test: small body limits so 413 is cheap to provoke."""
    return make_settings(
        tmp_path,
        rabbitmq_url=broker_url,
        vhost_prefix=vhost_prefix,
        max_body_bytes=4096,
        max_body_bytes_ingestao=65536,
    )


@pytest.fixture(scope="module")
def api_module(tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str) -> Iterator[Api]:
    settings = api_settings(tmp_path_factory.mktemp("api"), broker_url, vhost_prefix)
    with (
        # The production protocol (api/server.py): the express lane writes its answers through it.
        ServerThread(create_app(settings), http=capped_http_protocol(settings.max_header_bytes)) as server,
        httpx.Client(base_url=server.url, headers={"Authorization": "Bearer chave-a"}, timeout=15) as client,
    ):
        yield Api(server, client, settings)


@pytest.fixture
def api(api_module: Api) -> Api:
    """The running API with every queue of the test vhosts empty."""
    purge_all(api_module.settings)
    return api_module


def served_asyncapi(api: Api) -> dict[str, Any]:
    """GET /asyncapi.json of the running API."""
    resp = api.client.get("/asyncapi.json")
    assert resp.status_code == 200
    return resp.json()  # type: ignore[no-any-return]
