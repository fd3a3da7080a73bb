"""AlertClient against a NestJS stand-in over real loopback HTTP (docs/alerts.md)."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from prometheus_client import REGISTRY

from tests.conftest import make_settings
from tests.support.fake_nestjs import ALERT_TYPES, SEVERITIES, FakeNestJS
from workers.alerts import TOKEN_LIFETIME_S, AlertClient, parse_retry_after
from workers.findings import AlertSpec

SECRET = "segredo-compartilhado-de-teste-com-32-bytes-ou-mais"
STATIC_TOKEN = "token-de-servico-estatico"
TENANT = "hospital_a"

MakeClient = Callable[..., AlertClient]


def a_spec(**overrides: Any) -> AlertSpec:
    values: dict[str, Any] = {
        "alert_key": "regras:0123456789abcdef",
        "severity": "CRITICAL",
        "message": "Paciente relata falta de ar intensa",
        "symptoms": ["dispneia"],
        "detected_by": "rules_engine",
        "confidence": 0.9,
        "context": {"findings": [{"codigo": "dispneia", "descricao": "Dispneia", "severidade": "CRITICAL"}]},
    }
    values.update(overrides)
    return AlertSpec(**values)


@pytest.fixture
def nestjs() -> Iterator[FakeNestJS]:
    with FakeNestJS(jwt_secret=SECRET, static_token=STATIC_TOKEN) as fake:
        yield fake


@pytest.fixture
def make_client(tmp_path: Path, nestjs: FakeNestJS) -> Iterator[MakeClient]:
    clients: list[AlertClient] = []

    def make(**overrides: Any) -> AlertClient:
        wall_clock = overrides.pop("wall_clock", time.time)
        values: dict[str, Any] = {
            "backend_url": nestjs.url,
            "backend_jwt_secret": SECRET,
            "alert_timeout_s": 0.5,
            "alert_backoff_base_s": 0.01,
            "alert_backoff_cap_s": 0.05,
            "alert_max_attempts": 4,
            "alert_inline_budget_s": 5.0,
        }
        values.update(overrides)
        client = AlertClient(make_settings(tmp_path, **values), wall_clock=wall_clock)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def send(
    client: AlertClient,
    *,
    patient_id: str | None = None,
    key: str | None = None,
    body: dict[str, Any] | None = None,
    **kwargs: Any,
):
    task_id = str(uuid.uuid4())
    if body is None:
        body = client.build_body(a_spec(), patient_id=patient_id or str(uuid.uuid4()), task_id=task_id)
    return client.deliver(TENANT, key or client.idempotency_key(task_id, "regras:x"), body, **kwargs)


# --- success, body, headers, tokens -----------------------------------------------------------


def test_a_201_answer_is_delivered_with_the_backend_alert_id(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    outcome = send(make_client(), key="tarefa-1:regras:a")

    assert outcome.state == "delivered"
    assert outcome.attempts == 1
    assert outcome.last_error is None
    assert outcome.backend_alert_id == nestjs.alerts["tarefa-1:regras:a"]["id"]
    assert nestjs.statuses() == [201]


def test_the_body_is_exactly_the_create_alert_dto(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    client = make_client()
    patient, task, conversation, message = (str(uuid.uuid4()) for _ in range(4))
    spec = a_spec(
        context={
            "findings": [{"codigo": "dispneia"}],
            "taskId": "forged",
            "detectedBy": "forged",
            "medidoEm": datetime(2024, 5, 1, tzinfo=UTC),
        }
    )
    body = client.build_body(
        spec, patient_id=patient, task_id=task, conversation_id=conversation, message_id=message
    )

    assert client.deliver(TENANT, f"{task}:{spec.alert_key}", body).state == "delivered"

    sent = nestjs.requests[0].body
    assert set(sent) == {"patientId", "type", "severity", "message", "context"}
    assert uuid.UUID(sent["patientId"]) == uuid.UUID(patient)
    assert sent["type"] in ALERT_TYPES and sent["type"] == "CRITICAL_SYMPTOM"
    assert sent["severity"] in SEVERITIES and sent["severity"] == "CRITICAL"
    assert sent["message"] == "Paciente relata falta de ar intensa"
    ctx = sent["context"]
    assert ctx["symptoms"] == ["dispneia"]
    assert ctx["detectedBy"] == "rules_engine"
    assert ctx["confidence"] == 0.9
    assert ctx["taskId"] == task
    assert ctx["conversationId"] == conversation
    assert ctx["messageId"] == message
    assert ctx["findings"] == [{"codigo": "dispneia"}]
    assert ctx["medidoEm"] == "2024-05-01T00:00:00Z"
    json.dumps(body)  # what the store keeps must be plain JSON


def test_optional_conversation_and_message_ids_are_left_out_when_unknown() -> None:
    body = AlertClient.build_body(a_spec(detected_by="ai_agent"), patient_id=str(uuid.uuid4()), task_id="t1")

    assert "conversationId" not in body["context"]
    assert "messageId" not in body["context"]
    assert body["context"]["detectedBy"] == "ai_agent"


def test_the_idempotency_key_is_stable_per_task_and_finding_and_bounded() -> None:
    key = AlertClient.idempotency_key("t1", "regras:abc")

    assert key == AlertClient.idempotency_key("t1", "regras:abc")
    assert key != AlertClient.idempotency_key("t1", "crew:abc")
    assert key != AlertClient.idempotency_key("t2", "regras:abc")
    long_key = AlertClient.idempotency_key(str(uuid.uuid4()), "x" * 500)
    assert len(long_key) <= 200
    assert long_key != AlertClient.idempotency_key(long_key.split(":")[0], "y" * 500)


def test_every_request_carries_bearer_tenant_and_idempotency_headers(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    send(make_client(), key="tarefa-2:regras:a")

    headers = nestjs.requests[0].headers
    assert headers["authorization"].startswith("Bearer ")
    assert headers["x-tenant-id"] == TENANT
    assert headers["idempotency-key"] == "tarefa-2:regras:a"
    assert headers["content-type"] == "application/json"


def test_the_minted_service_token_verifies_and_has_the_specified_claims(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    send(make_client())

    claims = jwt.decode(nestjs.requests[0].token or "", SECRET, algorithms=["HS256"])
    assert claims["sub"] == "ai-service"
    assert claims["tenantId"] == TENANT
    assert claims["roles"] == ["ADMIN"]
    assert claims["type"] == "service"
    assert claims["exp"] - claims["iat"] == TOKEN_LIFETIME_S
    assert abs(claims["iat"] - time.time()) < 5


def test_tokens_are_cached_per_tenant(make_client: MakeClient) -> None:
    client = make_client()

    assert client.token_for("hospital_a") == client.token_for("hospital_a")
    other = jwt.decode(client.token_for("hospital_b") or "", SECRET, algorithms=["HS256"])
    assert other["tenantId"] == "hospital_b"


def test_the_static_service_token_is_used_when_no_secret_is_configured(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    outcome = send(make_client(backend_jwt_secret=None, backend_service_token=STATIC_TOKEN))

    assert outcome.state == "delivered"
    assert nestjs.requests[0].token == STATIC_TOKEN


def test_a_401_with_an_expired_cached_token_renews_it_once_and_delivers(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    # The wall clock was ten minutes behind when the token was minted (a VM resumed, NTP had
    # not caught up): the cached token looks fresh to us but is expired for the backend.
    clock = [time.time() - 600]
    client = make_client(wall_clock=lambda: clock[0])
    stale = client.token_for(TENANT)
    clock[0] = time.time()
    renewals_before = REGISTRY.get_sample_value("worker_alert_token_renewals_total") or 0.0

    outcome = send(client)

    assert outcome.state == "delivered"
    assert nestjs.statuses() == [401, 201]
    assert nestjs.requests[0].token == stale
    assert nestjs.requests[1].token != stale
    assert (REGISTRY.get_sample_value("worker_alert_token_renewals_total") or 0.0) - renewals_before == 1
    assert client.token_for(TENANT) == nestjs.requests[1].token


def test_a_401_for_a_static_token_fails_without_retrying(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    outcome = send(make_client(backend_jwt_secret=None, backend_service_token="revogado"))

    assert outcome.state == "failed"
    assert outcome.last_error is not None and outcome.last_error.startswith("401")
    assert len(nestjs.requests) == 1


def test_a_401_even_with_a_fresh_token_fails_after_one_renewal(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.jwt_secret = "o-backend-trocou-o-segredo-e-nao-avisou-ninguem"

    outcome = send(make_client())

    assert outcome.state == "failed"
    assert nestjs.statuses() == [401, 401]
    assert "renewed once" in (outcome.last_error or "")


# --- retried answers --------------------------------------------------------------------------


def test_500_and_503_are_retried_until_the_backend_accepts(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.retry_after = None
    nestjs.fail_next("500", "503")

    outcome = send(make_client())

    assert outcome.state == "delivered"
    assert outcome.attempts == 3
    assert nestjs.statuses() == [500, 503, 201]


def test_408_is_retried(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    nestjs.fail_next(408)

    assert send(make_client()).state == "delivered"
    assert nestjs.statuses() == [408, 201]


def test_a_429_waits_at_least_retry_after_seconds(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    nestjs.retry_after = "1"
    nestjs.fail_next("429")
    client = make_client(alert_backoff_cap_s=2.0)

    outcome = send(client)

    assert outcome.state == "delivered"
    first, second = nestjs.requests
    assert second.at - first.at >= 1.0


def test_retry_after_as_an_http_date_is_honoured() -> None:
    now = datetime(2025, 1, 1, 12, 0, 0, tzinfo=UTC)

    assert parse_retry_after(format_datetime(now + timedelta(seconds=7), usegmt=True), now=now) == 7.0
    assert parse_retry_after(format_datetime(now - timedelta(seconds=7), usegmt=True), now=now) == 0.0
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("amanhã") is None
    assert parse_retry_after(None) is None


def test_a_retry_after_longer_than_the_backoff_cap_hands_the_alert_back_for_parking(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.retry_after = "120"
    nestjs.mode = "503"
    started = time.monotonic()

    outcome = send(make_client(alert_backoff_cap_s=1.0))

    assert outcome.state == "retry_later"
    assert outcome.retry_after_s == 120.0
    assert len(nestjs.requests) == 1
    # It hands the 120 s back to the caller instead of sleeping it (margin for a busy machine).
    assert time.monotonic() - started < 3.0


def test_a_hanging_backend_times_out_and_is_retried(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    nestjs.fail_next("hang")
    started = time.monotonic()

    outcome = send(make_client(alert_timeout_s=0.3))

    assert outcome.state == "delivered"
    assert outcome.attempts == 2
    assert time.monotonic() - started >= 0.3
    assert nestjs.requests[0].answered_by == "hang"


def test_a_response_lost_after_the_backend_created_the_alert_does_not_duplicate_it(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.fail_next("error_after_create")

    outcome = send(make_client(), key="tarefa-3:regras:a")

    assert outcome.state == "delivered"
    assert nestjs.statuses() == [500, 201]
    assert nestjs.created_count == 1
    assert outcome.backend_alert_id == nestjs.alerts["tarefa-3:regras:a"]["id"]


# --- answers that are never retried -----------------------------------------------------------


@pytest.mark.parametrize("status", [400, 403, 404, 409, 422])
def test_permanent_refusals_fail_after_exactly_one_request(
    make_client: MakeClient, nestjs: FakeNestJS, status: int
) -> None:
    nestjs.fail_next(status)

    outcome = send(make_client())

    assert outcome.state == "failed"
    assert outcome.attempts == 1
    assert outcome.last_error is not None
    assert outcome.last_error.startswith(str(status)) and "not retried" in outcome.last_error
    assert len(nestjs.requests) == 1


def test_an_unknown_patient_fails_with_the_backends_reason(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    patient = str(uuid.uuid4())
    nestjs.unknown_patients.add(patient)

    outcome = send(make_client(), patient_id=patient)

    assert outcome.state == "failed"
    assert outcome.last_error == f"404 Not Found: Patient {patient} not found (not retried)"
    assert len(nestjs.requests) == 1


def test_a_body_the_dto_rejects_fails_with_the_validation_messages(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    body = AlertClient.build_body(a_spec(), patient_id="nao-e-uuid", task_id="t1")
    body["origem"] = "regras"

    outcome = send(make_client(), body=body)

    assert outcome.state == "failed"
    assert "property origem should not exist" in (outcome.last_error or "")
    assert "patientId must be a UUID" in (outcome.last_error or "")
    assert len(nestjs.requests) == 1


# --- bounds -----------------------------------------------------------------------------------


def test_exhausted_attempts_hand_the_alert_back_for_parking(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.retry_after = None
    nestjs.mode = "503"

    outcome = send(make_client(alert_max_attempts=3))

    assert outcome.state == "retry_later"
    assert outcome.attempts == 3
    assert (outcome.last_error or "").startswith("503 Service Unavailable")
    assert len(nestjs.requests) == 3


def test_an_unreachable_backend_is_retried_then_handed_back(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    client = make_client(alert_max_attempts=3)
    nestjs.mode = "down"

    outcome = send(client)

    assert outcome.state == "retry_later"
    assert outcome.attempts == 3
    assert "network error" in (outcome.last_error or "")


def test_the_inline_time_budget_bounds_a_delivery(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    nestjs.mode = "hang"
    client = make_client(alert_timeout_s=0.4, alert_inline_budget_s=1.0, alert_max_attempts=50)
    started = time.monotonic()

    outcome = send(client)

    elapsed = time.monotonic() - started
    assert outcome.state == "retry_later"
    # Bounded by the 1 s budget, not by 50 attempts of 0.4 s (margin for a busy machine).
    assert elapsed <= 1.0 + 1.0
    assert 2 <= outcome.attempts <= 3
    assert "timeout" in (outcome.last_error or "")


def test_a_closed_client_stops_retrying_at_once(make_client: MakeClient, nestjs: FakeNestJS) -> None:
    client = make_client()
    client.close()

    outcome = send(client)

    assert outcome.state == "retry_later"
    assert nestjs.requests == []


# --- configuration ----------------------------------------------------------------------------


def test_without_backend_url_the_client_is_disabled_and_says_so_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    client = AlertClient(make_settings(tmp_path))
    logger = logging.getLogger("test.alerts")

    with caplog.at_level(logging.WARNING, logger="test.alerts"):
        assert client.warn_if_disabled(logger) is True

    assert client.enabled is False
    assert [r.levelno for r in caplog.records] == [logging.WARNING]
    assert "BACKEND_URL" in caplog.records[0].getMessage()
    with pytest.raises(RuntimeError):
        client.deliver(TENANT, "k", {})
    client.close()


def test_a_backend_without_any_credentials_is_warned_about(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, backend_url="http://127.0.0.1:9")

    with caplog.at_level(logging.WARNING, logger="test.alerts"):
        assert AlertClient.warn_if_disabled_settings(settings, logging.getLogger("test.alerts"))

    assert "BACKEND_JWT_SECRET" in caplog.records[0].getMessage()


def test_a_configured_client_has_nothing_to_warn_about(
    make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        assert make_client().warn_if_disabled(logging.getLogger("test.alerts")) is False
    assert caplog.records == []


def test_concurrent_deliveries_from_many_threads_each_arrive_once(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    from concurrent.futures import ThreadPoolExecutor

    client = make_client()
    keys = [f"tarefa-{i}:regras:a" for i in range(40)]
    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(lambda k: send(client, key=k), keys))

    assert {o.state for o in outcomes} == {"delivered"}
    assert sorted(nestjs.alerts) == sorted(keys)


# --- the stand-in itself: it must refuse what the real backend refuses --------------------------


def _post(fake: FakeNestJS, body: Any, **headers: str) -> httpx.Response:
    token = jwt.encode(
        {
            "sub": "ai-service",
            "tenantId": TENANT,
            "roles": ["ADMIN"],
            "type": "service",
            "exp": int(time.time()) + 60,
        },
        SECRET,
        algorithm="HS256",
    )
    base = {"Authorization": f"Bearer {token}", "X-Tenant-Id": TENANT}
    base.update(headers)
    return httpx.post(f"{fake.url}/api/v1/alerts", json=body, headers=base, timeout=5)


def _valid_body() -> dict[str, Any]:
    return {
        "patientId": str(uuid.uuid4()),
        "type": "CRITICAL_SYMPTOM",
        "severity": "HIGH",
        "message": "febre alta",
        "context": {"symptoms": ["febre"]},
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"extra": 1}, "property extra should not exist"),
        ({"type": "URGENTE"}, "type must be one of the following values"),
        ({"severity": "SEVERE"}, "severity must be one of the following values"),
        ({"patientId": "123"}, "patientId must be a UUID"),
        ({"message": 42}, "message must be a string"),
        ({"context": ["febre"]}, "context must be an object"),
    ],
)
def test_the_stand_in_validates_like_class_validator(
    nestjs: FakeNestJS, change: dict[str, Any], expected: str
) -> None:
    resp = _post(nestjs, {**_valid_body(), **change})

    assert resp.status_code == 400
    messages = resp.json()["message"]
    assert isinstance(messages, list)
    assert any(m.startswith(expected) for m in messages)


def test_the_stand_in_requires_every_dto_field(nestjs: FakeNestJS) -> None:
    body = _valid_body()
    del body["message"]

    resp = _post(nestjs, body)

    assert resp.status_code == 400
    assert "message should not be empty" in resp.json()["message"]


def test_the_stand_in_enforces_tenant_roles_and_expiry(nestjs: FakeNestJS) -> None:
    assert _post(nestjs, _valid_body(), **{"X-Tenant-Id": "hospital_b"}).status_code == 403
    enfermeiro = jwt.encode(
        {"tenantId": TENANT, "roles": ["NURSE"], "exp": int(time.time()) + 60}, SECRET, algorithm="HS256"
    )
    assert _post(nestjs, _valid_body(), Authorization=f"Bearer {enfermeiro}").status_code == 403
    expired = jwt.encode(
        {"tenantId": TENANT, "roles": ["ADMIN"], "exp": int(time.time()) - 5}, SECRET, algorithm="HS256"
    )
    assert _post(nestjs, _valid_body(), Authorization=f"Bearer {expired}").status_code == 401
    assert _post(nestjs, _valid_body(), Authorization="Bearer lixo").status_code == 401
    assert nestjs.alerts == {}


def test_the_stand_in_replays_an_idempotency_key(nestjs: FakeNestJS) -> None:
    body = _valid_body()
    first = _post(nestjs, body, **{"Idempotency-Key": "k1"})
    second = _post(nestjs, body, **{"Idempotency-Key": "k1"})

    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert nestjs.created_count == 1
    assert _post(nestjs, _valid_body(), **{"Idempotency-Key": "k1"}).status_code == 409


def test_the_stand_in_goes_down_and_comes_back_on_the_same_port(nestjs: FakeNestJS) -> None:
    nestjs.mode = "down"
    with pytest.raises(httpx.ConnectError):
        _post(nestjs, _valid_body())
    nestjs.mode = "ok"

    assert _post(nestjs, _valid_body()).status_code == 201


def test_a_307_or_308_is_retried_at_backend_url_and_the_redirect_is_never_followed(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.fail_next(307, 308)

    outcome = send(make_client())

    assert outcome.state == "delivered" and outcome.attempts == 3
    assert nestjs.statuses() == [307, 308, 201]
    assert {r.path for r in nestjs.requests} == {"/api/v1/alerts"}  # every attempt to BACKEND_URL


def test_a_backend_that_keeps_redirecting_hands_the_alert_back_for_parking(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    nestjs.fail_next(*([307] * 4))

    outcome = send(make_client())

    assert outcome.state == "retry_later"
    assert outcome.last_error is not None and "not followed" in outcome.last_error


def test_no_token_is_minted_and_nothing_sent_for_a_tenant_not_configured(
    make_client: MakeClient, nestjs: FakeNestJS
) -> None:
    client = make_client()

    outcome = client.deliver("tenant-evil", "k-evil", {"patientId": str(uuid.uuid4())})

    assert outcome.state == "failed" and outcome.attempts == 0
    assert "not configured" in (outcome.last_error or "")
    assert nestjs.requests == [] and "tenant-evil" not in client._tokens


def test_a_plain_http_backend_on_another_host_is_warned_about_at_start_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(
        tmp_path, backend_url="http://backend.hospital.example", backend_jwt_secret=SECRET
    )

    with caplog.at_level(logging.WARNING, logger="test.alerts"):
        assert AlertClient.warn_if_disabled_settings(settings, logging.getLogger("test.alerts"))

    assert "plain http" in caplog.records[0].getMessage()
    https = make_settings(tmp_path, backend_url="https://backend.hospital.example", backend_jwt_secret=SECRET)
    assert not AlertClient.warn_if_disabled_settings(https, logging.getLogger("test.alerts"))
