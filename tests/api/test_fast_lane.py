"""The fast lane (api/fastlane.py) and the express lane (api/express.py) answer every request
exactly as FastAPI's own handling does.

Two servers run side by side on the same broker vhosts and settings, one with the fast lane and one
without; every request below goes to both and the answers (status, body, every header and its
order) and published messages must match. The fast server runs the production HTTP protocol and
has learned every task path first, so each request to a task path meets the express lane.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from api.http_limits import capped_http_protocol
from api.main import create_app
from shared.config import Settings
from shared.store import StoreUnavailable
from tests.api.conftest import Api, api_settings
from tests.support.amqp import purge_all, take_all
from tests.support.samples import BY_PATH, ENDPOINTS, set_path
from tests.support.servers import ServerThread

pytestmark = pytest.mark.broker

AUTH = {"Authorization": "Bearer chave-a"}
# Fields that differ between two accepted requests by nature.
VOLATILE = {"task_id", "status_url", "created_at", "correlation_id"}


@dataclass
class Pair:
    fast: Api
    plain: Api
    settings: Settings


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory, broker_url: str, vhost_prefix: str) -> Iterator[Pair]:
    settings = api_settings(tmp_path_factory.mktemp("fastlane"), broker_url, vhost_prefix)
    fast_app, plain_app = create_app(settings), create_app(settings, fast_lane=False)
    assert fast_app.fast_lane is not None and plain_app.fast_lane is None
    with (
        ServerThread(fast_app, http=capped_http_protocol(settings.max_header_bytes)) as fast_server,
        ServerThread(plain_app, http=capped_http_protocol(settings.max_header_bytes)) as plain_server,
        httpx.Client(base_url=fast_server.url, timeout=15) as fast_client,
        httpx.Client(base_url=plain_server.url, timeout=15) as plain_client,
    ):
        # One valid request per task path through the whole stack: the express lane learns it.
        for ep in ENDPOINTS:
            assert fast_client.post(ep.path, json=ep.payload(), headers=AUTH).status_code == 202
        assert fast_app.express is not None
        # Not a path with path parameters (/api/exames/imagem/{tipo_exame}): those stay on the fast lane.
        assert set(fast_app.express.routes) == {ep.path for ep in ENDPOINTS} & fast_app.fast_lane.served_paths
        purge_all(settings)
        yield Pair(
            Api(fast_server, fast_client, settings), Api(plain_server, plain_client, settings), settings
        )


def _strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: "<volatile>" if k in VOLATILE else _strip(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _answer(resp: httpx.Response) -> dict[str, Any]:
    try:
        body: Any = _strip(resp.json())
    except ValueError:
        body = resp.text
    # Every header in order; the date and the task's own URL differ by nature.
    headers = [
        (name, "<volatile>" if name in (b"date", b"location") else value) for name, value in resp.headers.raw
    ]
    return {"status": resp.status_code, "body": body, "headers": headers}


def _published(settings: Settings, domain: str) -> list[dict[str, Any]]:
    out = []
    for props, raw in take_all(settings, domain):
        out.append(
            {
                "envelope": _strip(json.loads(raw)),
                "props": {
                    "content_type": props.content_type,
                    "delivery_mode": props.delivery_mode,
                    "type": props.type,
                    # A new trace id per request when the client sends none.
                    "headers": {k: v for k, v in (props.headers or {}).items() if k != "traceparent"},
                },
            }
        )
    return out


Request = Callable[[httpx.Client], httpx.Response]


def _post(path: str, body: Any = None, *, content: bytes | None = None, **headers: str) -> Request:
    def send(client: httpx.Client) -> httpx.Response:
        if content is not None:
            return client.post(path, content=content, headers={**AUTH, **headers})
        return client.post(path, json=body, headers={**AUTH, **headers})

    return send


def _cases() -> dict[str, tuple[str, Request]]:
    consulta = BY_PATH["/api/clinico/consulta/"]
    cases: dict[str, tuple[str, Request]] = {}
    for ep in ENDPOINTS:
        cases[f"valid {ep.path}"] = (ep.domain, _post(ep.path, ep.payload(), **{"X-Correlation-ID": "c-1"}))
        broken = ep.payload()
        del broken[ep.required]
        cases[f"missing field {ep.path}"] = (ep.domain, _post(ep.path, broken))
        cases[f"wrong type {ep.path}"] = (ep.domain, _post(ep.path, set_path(ep.payload(), *ep.wrong_type)))
        cases[f"out of range {ep.path}"] = (
            ep.domain,
            _post(ep.path, set_path(ep.payload(), *ep.out_of_range)),
        )
        cases[f"unknown field {ep.path}"] = (ep.domain, _post(ep.path, {**ep.payload(), "campo_x": 1}))
    body = consulta.payload()
    raw = json.dumps(body).encode()
    cases.update(
        {
            "no key": ("clinico", lambda c: c.post(consulta.path, json=body)),
            "unknown key": (
                "clinico",
                lambda c: c.post(consulta.path, json=body, headers={"X-API-Key": "nope"}),
            ),
            "key in X-API-Key": (
                "clinico",
                lambda c: c.post(consulta.path, json=body, headers={"X-API-Key": "chave-b"}),
            ),
            "not json": (
                "clinico",
                _post(consulta.path, content=b"{not json", **{"Content-Type": "application/json"}),
            ),
            "json array": ("clinico", _post(consulta.path, [body])),
            "text/plain body": (
                "clinico",
                _post(consulta.path, content=raw, **{"Content-Type": "text/plain"}),
            ),
            "json with charset": (
                "clinico",
                _post(consulta.path, content=raw, **{"Content-Type": "application/json; charset=utf-8"}),
            ),
            "empty Idempotency-Key": ("clinico", _post(consulta.path, body, **{"Idempotency-Key": ""})),
            "Idempotency-Key too long": (
                "clinico",
                _post(consulta.path, body, **{"Idempotency-Key": "k" * 256}),
            ),
            "correlation id too long": (
                "clinico",
                _post(consulta.path, body, **{"X-Correlation-ID": "c" * 201}),
            ),
            "body over the limit": (
                "clinico",
                _post(consulta.path, {**body, "queixa": "dor " * 2000}),
            ),
            "unknown tipo_exame": (
                "exames",
                _post("/api/exames/imagem/ultrassom-4d", BY_PATH["/api/exames/imagem/tomografia"].payload()),
            ),
            "no trailing slash": ("clinico", _post("/api/clinico/consulta", body)),
            "unknown path": ("clinico", _post("/api/clinico/nada/", body)),
        }
    )
    return cases


CASES = _cases()


@pytest.mark.parametrize("name", list(CASES))
def test_fast_lane_answers_and_publishes_like_fastapi(pair: Pair, name: str) -> None:
    domain, send = CASES[name]
    purge_all(pair.settings)

    fast = _answer(send(pair.fast.client))
    fast_messages = _published(pair.settings, domain)
    plain = _answer(send(pair.plain.client))
    plain_messages = _published(pair.settings, domain)

    assert fast == plain
    assert fast_messages == plain_messages
    assert len(fast_messages) == (1 if fast["status"] == 202 else 0)


def test_idempotent_replay_and_conflict_match_fastapi(pair: Pair) -> None:
    ep = ENDPOINTS[0]
    answers = {}
    for name, api in (("fast", pair.fast), ("plain", pair.plain)):
        key = {"Idempotency-Key": f"chave-idem-{name}"}
        first = api.client.post(ep.path, json=ep.payload(), headers={**AUTH, **key})
        replay = api.client.post(ep.path, json=ep.payload(), headers={**AUTH, **key})
        other = api.client.post(ep.path, json={**ep.payload(), "queixa": "outra"}, headers={**AUTH, **key})
        assert first.json()["task_id"] == replay.json()["task_id"]
        answers[name] = [_answer(r) for r in (first, replay, other)]
    assert answers["fast"] == answers["plain"]
    assert [a["status"] for a in answers["fast"]] == [202, 200, 409]


@pytest.mark.parametrize(
    "error", [RuntimeError("boom"), StoreUnavailable("database is locked")], ids=["unhandled", "handled"]
)
def test_an_error_in_the_endpoint_is_answered_like_fastapi(
    pair: Pair, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    # A handled error goes through the app's exception handlers (503 with Retry-After), any other
    # through ServerErrorMiddleware (500), on the express lane as through the whole stack.
    async def failing(_row: Any) -> Any:
        raise error

    ep = ENDPOINTS[0]
    purge_all(pair.settings)
    answers = []
    for api in (pair.fast, pair.plain):
        monkeypatch.setattr(api.server.config.app.state.store, "acreate_task", failing)
        answers.append(_answer(api.client.post(ep.path, json=ep.payload(), headers=AUTH)))
    assert answers[0] == answers[1]
    assert answers[0]["status"] == (503 if isinstance(error, StoreUnavailable) else 500)
    assert _published(pair.settings, ep.domain) == []


def test_fast_lane_covers_every_task_endpoint(pair: Pair) -> None:
    # A new POST route that the fast lane cannot serve still works (through FastAPI), but slower;
    # this keeps the hot path honest about which routes it takes.
    lane = pair.fast.server.config.app.fast_lane
    served = set(lane.served_paths)
    openapi = pair.fast.client.get("/openapi.json").json()
    posts = {path for path, ops in openapi["paths"].items() if "post" in ops}
    # The agent route waits for the worker's reply: its time goes there, not to FastAPI.
    assert served == posts - {"/api/v1/agent/message"}


def test_rate_limited_answer_matches_fastapi(tmp_path_factory, broker_url: str, vhost_prefix: str) -> None:
    # Each app with its own limit file: the same requests meet the same bucket state.
    tmp = tmp_path_factory.mktemp("fastlane-rate")
    base = api_settings(tmp, broker_url, vhost_prefix)
    apps = {
        name: create_app(
            base.model_copy(
                update={"tenant_rate_limits": "hospital_b=1/m", "rate_limit_file": str(tmp / name)}
            ),
            fast_lane=name == "fast",
        )
        for name in ("fast", "plain")
    }
    ep = ENDPOINTS[0]
    answers = {}
    for name, app in apps.items():
        with ServerThread(app) as server, httpx.Client(base_url=server.url, timeout=15) as client:
            key_b = {"X-API-Key": "chave-b"}
            sent = [client.post(ep.path, json=ep.payload(), headers=key_b) for _ in range(2)]
            sent.append(client.post(ep.path, json={"queixa": ""}, headers=key_b))  # invalid, and over
            sent.append(client.post(ep.path, json=ep.payload(), headers=AUTH))  # hospital_a: no limit
            answers[name] = [_answer(r) for r in sent]
    assert answers["fast"] == answers["plain"]
    assert [a["status"] for a in answers["fast"]] == [202, 429, 429, 202]
