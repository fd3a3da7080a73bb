"""Every task type's handler: the result shape, where each part came from, and its alerts."""

from __future__ import annotations

import uuid
from concurrent.futures import Future
from typing import Any

import pytest

from shared.catalog import PAYLOAD_MODELS
from shared.config import Settings
from shared.messages import Envelope
from tests.support.samples import ENDPOINTS
from workers import registry
from workers.context import TaskContext, TaskInfo
from workers.findings import AlertSpec
from workers.registry import load_handlers

load_handlers()


class Recorder:
    def __init__(self) -> None:
        self.alerts: list[tuple[AlertSpec, str, str | None, str | None]] = []

    def __call__(self, spec: AlertSpec, task: TaskInfo) -> Future[str]:
        assert task.patient_id
        self.alerts.append((spec, task.patient_id, task.conversation_id, task.message_id))
        fut: Future[str] = Future()
        fut.set_result("pending")
        return fut


def run(
    domain: str, task_type: str, payload: dict[str, Any], settings: Settings
) -> tuple[dict[str, Any], Recorder]:
    model = PAYLOAD_MODELS[(domain, task_type)]
    env = Envelope(domain=domain, task_type=task_type, tenant_id="t", payload=payload)
    rec = Recorder()
    import structlog

    ctx = TaskContext(envelope=env, settings=settings, attempt=1, log=structlog.get_logger(), emit=rec)
    h = registry.get_handler(domain, task_type)
    return h.fn(ctx, model.model_validate(payload)), rec


@pytest.mark.parametrize("ep", ENDPOINTS, ids=[e.path for e in ENDPOINTS])
def test_every_task_type_returns_the_documented_result_shape(ep, offline_settings: Settings) -> None:
    result, rec = run(ep.domain, ep.task_type, {**ep.payload(), **ep.extra_payload}, offline_settings)

    assert {
        "task_type",
        "modo",
        "severidade",
        "alerta",
        "resumo",
        "achados",
        "origem_dos_achados",
        "motor_regras",
        "analise_ia",
    } <= set(result)
    assert result["modo"] == "regras"
    assert result["analise_ia"] is None, "no LLM configured: the result says so"
    assert "LLM não configurado" in result["observacao"]
    assert result["motor_regras"]["versao"]
    assert isinstance(result["motor_regras"]["latencia_ms"], int)
    assert isinstance(result["motor_regras"]["detalhes"], dict)
    assert all(f["origem"] == "regras" for f in result["achados"])
    assert result["alerta"] == bool(rec.alerts)


def test_chest_pain_consulta_emits_one_critical_rules_alert_with_conversation_ids(
    offline_settings: Settings,
) -> None:
    patient = str(uuid.uuid4())
    result, rec = run(
        "clinico",
        "consulta",
        {
            "paciente_id": patient,
            "queixa": "Estou com uma dor no peito forte e falta de ar",
            "paciente_nome": "Maria Souza",
            "conversa_id": "conv-1",
            "mensagem_id": "msg-9",
        },
        offline_settings,
    )

    assert result["severidade"] == "CRITICAL" and result["alerta"] is True
    assert set(result["origem_dos_achados"]) == {"regras"}
    [(spec, pid, conv, msg)] = rec.alerts
    assert (pid, conv, msg) == (patient, "conv-1", "msg-9")
    assert spec.severity == "CRITICAL" and spec.detected_by == "rules_engine"
    assert {"dor_toracica", "dispneia"} <= set(spec.symptoms)
    assert "Maria" not in spec.message


def test_hemograma_with_critical_haemoglobin_alerts_with_the_value(offline_settings: Settings) -> None:
    result, rec = run(
        "exames",
        "hemograma",
        {"paciente_id": str(uuid.uuid4()), "sexo": "F", "resultados": {"hemoglobina_g_dl": 5.9}},
        offline_settings,
    )
    [(spec, *_)] = rec.alerts
    assert spec.severity == "CRITICAL" and spec.type == "CRITICAL_SYMPTOM"
    assert any(f.get("valor") == 5.9 for f in spec.context["findings"])
    assert result["motor_regras"]["detalhes"]["analitos"][0]["loinc"] == "718-7"


def test_opme_and_ingestion_never_alert_and_expose_their_verdicts(offline_settings: Settings) -> None:
    opme = next(e for e in ENDPOINTS if e.path == "/api/opme/protese/")
    result, rec = run("opme", "protese", opme.payload(), offline_settings)
    assert result["parecer"] in ("apto", "pendente", "inconsistente") and rec.alerts == []
    result, rec = run(
        "ingestao",
        "pacientes",
        {
            "registros": [
                {"nome": "ana lima", "cpf": "529.982.247-25", "data_nascimento": "01/02/1980"},
                {"nome": "Bia", "cpf": "111.111.111-11", "data_nascimento": "1980-01-01"},
            ]
        },
        offline_settings,
    )
    assert result["contagens"] == {"total": 2, "validos": 1, "invalidos": 1, "duplicados": 0}
    assert rec.alerts == []


def test_an_agent_message_is_read_against_its_conversation_once_and_the_reply_says_how(
    offline_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The handler's reading (`read_as`) and the analysis's are one: the answer "sim, bastante" to
    # "Você está com falta de ar?" is read once, as dyspnoea, and the reply says so
    # (docs/agent-message.md, "Sixth session").
    from workers.clinical import mensagem as clinical_mensagem

    reads: list[str] = []
    real_read = clinical_mensagem.read

    def counting_read(message: str, history: Any) -> Any:
        reads.append(message)
        return real_read(message, history)

    monkeypatch.setattr(clinical_mensagem, "read", counting_read)
    clinical_mensagem._reading.cache_clear()
    message = f"sim, bastante ({uuid.uuid4().hex[:6]})"
    result, rec = run(
        "clinico",
        "mensagem",
        {
            "patientId": str(uuid.uuid4()),
            "message": message,
            "conversationHistory": [{"role": "agent", "content": "Você está com falta de ar?"}],
        },
        offline_settings,
    )

    assert reads == [message]
    assert result["resposta"]["structuredData"]["readAs"].startswith("estou com falta de ar")
    assert "dispneia" in result["resposta"]["criticalSymptoms"]
    assert len(rec.alerts) == 1
