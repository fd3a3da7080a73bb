"""SCORE_CHANGE, SYMPTOM_WORSENING and episode decisions, without I/O (workers.conversation_alerts)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from workers.clinical.worsening import intensities, worsening_cues
from workers.conversation_alerts import (
    Current,
    Prior,
    episode_decision,
    episode_items,
    narrow,
    score_change,
    worsening,
)
from workers.findings import Finding, alert_from_findings


def current(
    text: str = "",
    *,
    pain: float | None = None,
    temp: float | None = None,
    critical: tuple[str, ...] = (),
    message_id: str = "m-now",
) -> Current:
    return Current(
        message_id=message_id,
        pain=pain,
        temperature_c=temp,
        intensities=intensities(text),
        cues=worsening_cues(text),
        critical_codes=frozenset(critical),
        findings=[],
    )


# --- SCORE_CHANGE ----------------------------------------------------------------------------------


def test_a_pain_score_going_from_3_to_8_is_a_high_score_change_with_both_values_and_message_ids() -> None:
    spec = score_change(current(pain=8), [Prior("m-earlier", pain=3)])

    assert spec is not None
    assert (spec.type, spec.severity) == ("SCORE_CHANGE", "HIGH")
    assert spec.context["previousScore"] == 3 and spec.context["currentScore"] == 8
    assert spec.context["previousMessageId"] == "m-earlier"
    assert spec.context["currentMessageId"] == "m-now"


def test_a_rise_of_three_to_a_score_below_7_is_medium() -> None:
    spec = score_change(current(pain=6), [Prior("m1", pain=3)])
    assert spec is not None and spec.severity == "MEDIUM"


@pytest.mark.parametrize(("before", "now"), [(3, 5), (8, 6), (5, 5)])
def test_a_rise_of_less_than_three_or_a_fall_is_no_score_change(before: float, now: float) -> None:
    assert score_change(current(pain=now), [Prior("m1", pain=before)]) is None


def test_the_score_is_compared_with_the_last_earlier_one_not_the_lowest() -> None:
    priors = [Prior("m2", pain=6), Prior("m1", pain=2)]  # newest first
    assert score_change(current(pain=8), priors) is None


def test_no_earlier_score_means_no_score_change() -> None:
    assert score_change(current(pain=9), [Prior("m1", intensities={"dor": 2})]) is None


# --- SYMPTOM_WORSENING -----------------------------------------------------------------------------


def test_saying_a_symptom_got_worse_raises_symptom_worsening_high() -> None:
    spec = worsening(current("a tosse está cada vez pior"), [], None)

    assert spec is not None
    assert (spec.type, spec.severity, spec.symptoms) == ("SYMPTOM_WORSENING", "HIGH", ["tosse"])
    assert spec.context["findings"][0]["motivo"] == "relato_de_piora"


def test_a_bare_piorou_muito_is_about_the_symptom_the_conversation_was_about() -> None:
    spec = worsening(current("piorou muito"), [], "dor")
    assert spec is not None and spec.symptoms == ["dor"]


def test_a_symptom_stated_earlier_and_now_stronger_is_worsening() -> None:
    spec = worsening(current("a tosse está muito forte"), [Prior("m1", intensities={"tosse": 1})], None)

    assert spec is not None and spec.symptoms == ["tosse"]
    assert spec.context["findings"][0]["nivelAnterior"] == 1
    assert spec.context["findings"][0]["mensagemAnterior"] == "m1"


def test_a_temperature_higher_than_before_is_worsening_of_fever() -> None:
    spec = worsening(current(temp=38.6), [Prior("m1", temperature_c=37.5)], None)
    assert spec is not None and spec.symptoms == ["febre"]


def test_a_symptom_the_engine_rates_critical_now_raises_no_worsening() -> None:
    now = current("a falta de ar piorou muito", critical=("dispneia",))
    assert worsening(now, [Prior("m1", intensities={"falta_de_ar": 1})], None) is None
    fever = current(temp=39.5, critical=("febre_alta",))
    assert worsening(fever, [Prior("m1", temperature_c=38.0)], None) is None


def test_the_same_strength_as_before_is_not_worsening() -> None:
    assert worsening(current("tosse muito forte"), [Prior("m1", intensities={"tosse": 3})], None) is None


# --- episodes --------------------------------------------------------------------------------------

NOW = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)


def episode(severity: str = "HIGH", task_id: str = "t1", minutes_ago: float = 10) -> dict[str, Any]:
    return {"severity": severity, "task_id": task_id, "alerted_at": NOW - timedelta(minutes=minutes_ago)}


@pytest.mark.parametrize(
    ("row", "severity", "expected"),
    [
        (None, "HIGH", "open"),
        (episode(), "HIGH", "join"),
        (episode("CRITICAL"), "HIGH", "join"),
        (episode("HIGH"), "CRITICAL", "escalate"),
        (episode(minutes_ago=61), "HIGH", "open"),
        (episode(task_id="t2"), "HIGH", "same_task"),
    ],
)
def test_an_episode_opens_joins_escalates_or_lets_the_same_task_through(
    row: dict[str, Any] | None, severity: str, expected: str
) -> None:
    assert episode_decision(row, severity, "t2", NOW, 3600) == expected


def test_each_finding_of_an_alert_is_its_own_episode_with_its_own_severity() -> None:
    spec = alert_from_findings(
        [
            Finding(codigo="dispneia", descricao="Dispneia", severidade="CRITICAL"),
            Finding(codigo="dor_intensa", descricao="Dor intensa", severidade="HIGH"),
        ],
        origem="regras",
        message="m",
    )
    assert spec is not None
    assert episode_items(spec) == [
        ("CRITICAL_SYMPTOM:dispneia", "CRITICAL"),
        ("CRITICAL_SYMPTOM:dor_intensa", "HIGH"),
    ]

    only_pain = narrow(spec, ["CRITICAL_SYMPTOM:dor_intensa"])
    assert only_pain.symptoms == ["dor_intensa"] and only_pain.severity == "HIGH"
    assert [f["codigo"] for f in only_pain.context["findings"]] == ["dor_intensa"]
    assert only_pain.alert_key != spec.alert_key
    assert narrow(spec, [k for k, _ in episode_items(spec)]) == spec
