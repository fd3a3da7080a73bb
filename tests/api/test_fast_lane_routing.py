"""The fast lane is a route handler, not a bypass: middleware, router-level dependencies and
dependency_overrides apply to task POSTs as to any other route."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi import Depends, HTTPException

from api.main import create_app
from api.providers import get_tenant
from api.routes import clinico
from tests.api.conftest import api_settings
from tests.support.samples import BY_PATH
from tests.support.servers import ServerThread

pytestmark = pytest.mark.broker

CONSULTA = BY_PATH["/api/clinico/consulta/"]


def _too_many() -> None:
    raise HTTPException(429, detail="slow down")


def test_a_router_level_dependency_runs_for_a_plainly_valid_task_post(
    tmp_path: Path, broker_url: str, vhost_prefix: str
) -> None:
    app = create_app(api_settings(tmp_path, broker_url, vhost_prefix))
    app.include_router(clinico.router, prefix="/limited", dependencies=[Depends(_too_many)])
    with ServerThread(app) as server:
        resp = httpx.post(
            f"{server.url}/limited{CONSULTA.path}", json=CONSULTA.payload(), headers={"X-API-Key": "chave-a"}
        )
        plain = httpx.post(
            f"{server.url}{CONSULTA.path}", json=CONSULTA.payload(), headers={"X-API-Key": "chave-a"}
        )
    assert resp.status_code == 429
    assert plain.status_code == 202


def test_dependency_overrides_apply_to_task_posts(tmp_path: Path, broker_url: str, vhost_prefix: str) -> None:
    app = create_app(api_settings(tmp_path, broker_url, vhost_prefix))

    async def everyone_is_hospital_b() -> str:
        return "hospital_b"

    app.dependency_overrides[get_tenant] = everyone_is_hospital_b
    with ServerThread(app) as server, httpx.Client(base_url=server.url) as client:
        accepted = client.post(CONSULTA.path, json=CONSULTA.payload())  # no key at all
        assert accepted.status_code == 202
        status = client.get(accepted.json()["status_url"])
    assert status.status_code == 200
