"""Input an attacker would send gets a clear 4xx, never a 500, and nothing reaches the queue."""

from __future__ import annotations

import pytest

from shared import topology
from tests.api.conftest import Api
from tests.support.amqp import count
from tests.support.samples import PACIENTE

pytestmark = pytest.mark.broker


@pytest.mark.parametrize("bad", ["\u0000", "\u001b[31m", "\u0007", "\u000b", "\u007f", "\u0085"])
def test_nul_and_other_control_characters_in_text_are_a_422(api: Api, bad: str) -> None:
    resp = api.client.post(
        "/api/clinico/consulta/", json={"paciente_id": PACIENTE, "queixa": f"dor no peito{bad} forte"}
    )
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["body", "queixa"]
    assert count(api.settings, "clinico", topology.EVENTS_QUEUE) == 0


def test_control_characters_in_an_ingestion_record_are_a_422(api: Api) -> None:
    registro = {"nome": "Maria\u0000", "cpf": "52998224725", "data_nascimento": "1970-05-20"}
    resp = api.client.post("/api/ingestao/pacientes/", json={"registros": [registro]})
    assert resp.status_code == 422


def test_tabs_and_newlines_stay_legal(api: Api) -> None:
    resp = api.client.post(
        "/api/clinico/consulta/", json={"paciente_id": PACIENTE, "queixa": "dor no peito\n\tdesde ontem\r\n"}
    )
    assert resp.status_code == 202


@pytest.mark.parametrize(
    ("path", "raw"),
    [
        (
            "/api/clinico/consulta/",
            '{"paciente_id": "%s", "queixa": "febre", "sinais_vitais": {"temperatura_c": 1e999}}',
        ),
        ("/api/clinico/consulta/", '{"paciente_id": "%s", "queixa": "dor \\ud800"}'),
        ("/api/exames/hemograma/", '{"paciente_id": "%s", "resultados": {"hemoglobina_g_dl": -1e999}}'),
        ("/api/exames/", '{"paciente_id": "%s", "tipo_exame": "bioquimica", "resultados": {"k\\udfff": 1}}'),
    ],
)
def test_infinite_numbers_and_lone_surrogates_are_a_readable_422(api: Api, path: str, raw: str) -> None:
    resp = api.client.post(
        path, content=(raw % PACIENTE).encode(), headers={"Content-Type": "application/json"}
    )
    assert resp.status_code == 422
    detail = resp.json()["detail"]
    assert detail and all({"type", "loc", "msg"} <= set(error) for error in detail)


def test_a_forged_host_header_is_never_echoed(api: Api) -> None:
    resp = api.client.post(
        "/api/clinico/consulta/",
        json={"paciente_id": PACIENTE, "queixa": "tosse"},
        headers={"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"},
    )
    assert resp.status_code == 202
    assert "attacker.example" not in resp.headers["Location"]
    assert "attacker.example" not in resp.json()["status_url"]
    assert resp.headers["Location"] == resp.json()["status_url"]
    assert resp.headers["Location"].startswith("/api/clinico/status/")


def test_a_correlation_id_too_long_for_amqp_in_utf8_is_a_422_and_nothing_is_stored_or_sent(api: Api) -> None:
    # 150 latin-1 bytes pass the 200-character limit but are 300 bytes in UTF-8, more than the
    # AMQP correlation_id property holds.
    header = ("é" * 150).encode("latin-1")
    resp = api.client.post(
        "/api/clinico/consulta/",
        json={"paciente_id": PACIENTE, "queixa": "febre"},
        headers={"X-Correlation-ID": header, "Idempotency-Key": "corr-too-long"},
    )
    assert resp.status_code == 422
    assert resp.json()["detail"][0]["loc"] == ["header", "x-correlation-id"]
    assert count(api.settings, "clinico", topology.EVENTS_QUEUE) == 0
    again = api.client.post(
        "/api/clinico/consulta/",
        json={"paciente_id": PACIENTE, "queixa": "febre"},
        headers={"X-Correlation-ID": ("é" * 100).encode("latin-1"), "Idempotency-Key": "corr-too-long"},
    )
    assert again.status_code == 202  # the key was never bound to a stored task


def test_a_non_ascii_correlation_id_that_fits_is_accepted(api: Api) -> None:
    resp = api.client.post(
        "/api/clinico/consulta/",
        json={"paciente_id": PACIENTE, "queixa": "febre"},
        headers={"X-Correlation-ID": ("é" * 120).encode("latin-1")},
    )
    assert resp.status_code == 202
