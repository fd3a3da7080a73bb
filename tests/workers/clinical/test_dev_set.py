"""The labelled dev set (34 cases): every case must match, through `analyze` and through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workers.clinical.evaluate import Scores, route, run_case

DEV_SET = Path(__file__).parent / "data" / "clinical-dev-cases.jsonl"
REPO = Path(__file__).resolve().parents[3]
CASES = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_dev_case_alerts_exactly_when_expected_with_the_expected_severity(case: dict) -> None:
    outcome = run_case(case)
    assert outcome.error is None
    assert outcome.got_alert == case["expect"]["alert"], outcome.findings
    assert outcome.got_severity == case["expect"]["severity"], outcome.findings


def _evaluate(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workers.clinical.evaluate", str(path), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_evaluate_cli_reports_full_recall_and_specificity_on_the_dev_set() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workers.clinical.evaluate", str(DEV_SET), "--fail-under-recall", "1.0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "recall crítico (CRITICAL esperado -> CRITICAL): 19/19 = 1.000" in proc.stdout
    assert "especificidade (silêncio esperado mantido):    11/11 = 1.000" in proc.stdout
    assert "acurácia (alerta e severidade corretos):       34/34 = 1.000" in proc.stdout
    assert "alertas perdidos ou de severidade errada: nenhum." in proc.stdout
    assert "falsos alarmes: nenhum." in proc.stdout


def test_evaluate_cli_lists_misses_and_fails_under_the_recall_floor(tmp_path: Path) -> None:
    wrong = dict(CASES[3], id="rotulo-trocado", expect={"alert": False, "severity": None})
    silent = dict(CASES[16], id="silencio-esperado-alerta", expect={"alert": True, "severity": "CRITICAL"})
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in (wrong, silent)) + "\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "workers.clinical.evaluate", str(path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0
    assert (
        "- rotulo-trocado [consulta]: esperado alert=False severity=None; obtido alert=True severity=CRITICAL"
        in proc.stdout
    )
    assert '"codigo": "dispneia"' in proc.stdout
    assert "- silencio-esperado-alerta [consulta]:" in proc.stdout
    assert "falsos alarmes (1):" in proc.stdout
    failing = subprocess.run(
        [sys.executable, "-m", "workers.clinical.evaluate", str(path), "--fail-under-recall", "1.0"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert failing.returncode == 1


def test_evaluate_cli_exits_2_when_the_file_cannot_be_read(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "workers.clinical.evaluate", str(tmp_path / "nope.jsonl")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2


@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("/api/clinico/consulta/", ("clinico", "consulta")),
        ("/api/clinico/internacao/", ("clinico", "internacao")),
        ("/api/clinico/alta/", ("clinico", "alta")),
        ("/api/exames/", ("exames", "generico")),
        ("/api/exames/hemograma/", ("exames", "hemograma")),
        ("/api/exames/imagem/tomografia", ("exames", "imagem")),
        ("/api/opme/", ("opme", "generico")),
        ("/api/opme/protese/", ("opme", "protese")),
        ("/api/opme/material/", ("opme", "material")),
        ("/api/ingestao/", ("ingestao", "generico")),
        ("/api/ingestao/pacientes/", ("ingestao", "pacientes")),
        ("/api/ingestao/medicos/", ("ingestao", "medicos")),
        ("/api/v1/agent/message", ("clinico", "mensagem")),
    ],
)
def test_every_endpoint_maps_to_its_domain_and_task_type(endpoint: str, expected: tuple[str, str]) -> None:
    domain, task_type, _ = route(endpoint, {})
    assert (domain, task_type) == expected


def test_imaging_endpoint_puts_the_exam_type_from_the_path_into_the_payload() -> None:
    _, _, payload = route("/api/exames/imagem/raio_x", {"laudo": "x"})
    assert payload == {"laudo": "x", "tipo_exame": "raio_x"}


def test_every_task_type_of_the_catalog_has_a_route_the_evaluator_knows() -> None:
    from shared.catalog import TASKS

    for task in TASKS:
        path = task.route.replace("{tipo_exame}", "raio_x")
        assert route(path, {})[:2] == (task.domain, task.task_type)


def _agent_case(case_id: str, message: str, history: list[dict], expect: dict, **ctx: object) -> dict:
    return {
        "id": case_id,
        "endpoint": "/api/v1/agent/message",
        "category": "conversation",
        "payload": {
            "patientId": "8f14e45f-ceea-467f-a0e6-5b3a3c1f3c11",
            "message": message,
            "conversationHistory": history,
            "patientContext": {"age": 60, "sex": "F", **ctx},
        },
        "expect": expect,
    }


def test_an_agent_case_is_read_against_the_agents_last_question_as_the_worker_reads_it() -> None:
    question = [{"role": "agent", "content": "A senhora está com falta de ar?"}]
    yes = run_case(_agent_case("sim", "sim, bastante", question, {"alert": True, "severity": "CRITICAL"}))
    assert (yes.got_alert, yes.got_severity, yes.task_type) == (True, "CRITICAL", "clinico.mensagem")
    assert yes.read_as is not None and "falta de ar" in yes.read_as
    no = run_case(_agent_case("nao", "não", question, {"alert": False, "severity": None}))
    assert (no.got_alert, no.correct) == (False, True)


def test_an_agent_case_uses_the_patients_oncology_treatment_from_the_patient_context() -> None:
    text = "medi agora e deu febre de 38,3"
    plain = run_case(_agent_case("sem-onco", text, [], {"alert": False, "severity": None}))
    onco = run_case(
        _agent_case("onco", text, [], {"alert": True, "severity": "CRITICAL"}, oncologyTreatment=True)
    )
    assert plain.got_severity != "CRITICAL"
    assert (onco.got_alert, onco.got_severity) == (True, "CRITICAL")


def test_evaluate_cli_reports_each_category_and_can_score_the_agent_cases_on_their_own(
    tmp_path: Path,
) -> None:
    question = [{"role": "agent", "content": "Você está com falta de ar?"}]
    cases = [
        _agent_case("a1", "sim", question, {"alert": True, "severity": "CRITICAL"}),
        _agent_case("a2", "não", question, {"alert": False, "severity": None}),
        dict(CASES[3], id="c1", category="outra"),
    ]
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    proc = _evaluate(path)
    assert proc.returncode == 0, proc.stderr
    assert "conversation  CRITICAL    1/1  HIGH     -  especificidade    1/1  corretos     2/2" in proc.stdout
    assert "por tipo de tarefa (acertos/casos):" in proc.stdout
    assert "clinico.mensagem  CRITICAL    1/1" in proc.stdout
    only = _evaluate(path, "--only", "clinico.mensagem")
    assert "casos: 2 (1 com alerta esperado, 1 sem)" in only.stdout


# --- the harder v2 set and our own paraphrases: the floors the issue fixes --------------------------

LABELLED = {
    name: Path(__file__).parent / "data" / name
    for name in (
        "clinical-dev-cases-v2.jsonl",  # 105 harder cases (lay phrasing, experiencer, resolved, idioms)
        "paraphrases.jsonl",  # ours, written from the categories before tuning
        "paraphrases-2.jsonl",  # ours, written after the first round and scored before the second
        "paraphrases-3.jsonl",  # ours, probes of every endpoint written after the second round
        "paraphrases-4.jsonl",  # ours, the modes behind the s2a/s2b misses (recall), with near-misses
        "paraphrases-5.jsonl",  # clin-spec: the false-alarm modes of s2a/s2b, each with near misses
        "paraphrases-6.jsonl",  # clin-s2c: the modes behind the s2c misses and false alarms, with near misses
        "paraphrases-7.jsonl",  # clin-recall: the modes behind the s3a/s3b misses, with near misses
        "paraphrases-8.jsonl",  # clin-spec: the false-alarm modes of s3a/s3b, with near misses
        "paraphrases-9.jsonl",  # s3c-recall: the modes behind the s3c misses and known gaps, near misses
        "paraphrases-10.jsonl",  # s3c-spec: the false-alarm modes of s3c, with near misses that alert
        "paraphrases-11.jsonl",  # s3de-recall: the modes behind the s3d/s3e misses, as compositional rules
        "paraphrases-12.jsonl",  # s3de-spec: the false-alarm modes of s3d/s3e, with near misses that alert
        "paraphrases-13.jsonl",  # clin4-recall: the modes behind the s4a/s4b misses, with near misses
        "paraphrases-14.jsonl",  # clin4-spec: the false-alarm modes of s4a/s4b, with near misses that alert
        "paraphrases-15.jsonl",  # s4c-recall: the modes of the s4c misses, with near misses
        "paraphrases-16.jsonl",  # s4c-spec: the false-alarm modes of s4c, with near misses that alert
        "paraphrases-17.jsonl",  # engine-bugs: verb negation over a comma, falta + air word, foreign subject
        "paraphrases-18.jsonl",  # s4de-recall: the root causes of the s4d/s4e misses, with near misses
        "paraphrases-19.jsonl",  # s4de-spec: the false-alarm modes of s4d/s4e, with near misses that alert
        "paraphrases-20.jsonl",  # last-bugs: another complaint's ending, a chest cue's gap across "mas"
        "paraphrases-21.jsonl",  # s5-recall: diminutives, "não" + verb over a comma, lay signs by root cause
        "paraphrases-22.jsonl",  # s5-spec-time: time, resolution, negation put last, hypotheses (s5a/s5b)
        "paraphrases-23.jsonl",  # s5-spec-who: a thing as subject, clefts, diminutives, improvement answers
        "paraphrases-24.jsonl",  # engine-robust: flips of bench/clinical_metamorphic.py, with near misses
        "paraphrases-25.jsonl",  # robust-voice: sentence ends of dictated messages, with near misses
        "paraphrases-26.jsonl",  # robust-other: metamorphic flips outside voice, with near misses
        "paraphrases-27.jsonl",  # lead: a "foi" dating another noun, an event placed "na família"
        "paraphrases-28.jsonl",  # held-recall: s5c/s5d/s5e misses by root cause, with near misses
        "paraphrases-29.jsonl",  # held-spec: over with a treatment, a weekday-dated episode, a later reading
        "paraphrases-30.jsonl",  # s6-recall: s6a/s6b misses by root cause, with near misses
        "paraphrases-31.jsonl",  # s6-spec-who: another's episode beside "eu tô bem"/"eu não", a long-past one
        "paraphrases-32.jsonl",  # s6-spec-what: jokes, crazes, lessons' topics, "também não" lists (s6a)
        "paraphrases-33.jsonl",  # robust-voice2: dictated run-ons (questions, later readings, late denials)
        "paraphrases-34.jsonl",  # held-recall2: s6c/s6d/s6e misses by root cause, with near misses
        "paraphrases-35.jsonl",  # held-spec-who2: warn-if lists, no longer felt for a while, asked and denied
        "paraphrases-36.jsonl",  # held-spec-what2: spoken verbs/kin, denials put last, idioms, born-so signs
        "paraphrases-38.jsonl",  # s7-recall-context: plans, hedged yeses, buried or asked readings
        "paraphrases-40.jsonl",  # s7-spec-when: dated then fine, "nenhum(a)" put after, leaflets, "if"
        "paraphrases-41.jsonl",  # s7-spec-who: others' and idioms' false alarms of s7a-f, with near misses
        "paraphrases-42.jsonl",  # high8: HIGH findings and fever grading told in lay words, with near misses
        "paraphrases-43.jsonl",  # spec8: s8a-f false alarms by mechanism ("if" clauses, dated then fine)
    )
}


@pytest.mark.parametrize("name", sorted(LABELLED))
def test_labelled_set_meets_recall_specificity_and_severity_floors(name: str) -> None:
    proc = _evaluate(
        LABELLED[name], "--fail-under-recall", "1.0", "--min-specificity", "0.97", "--min-accuracy", "0.95"
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "recall crítico (CRITICAL esperado -> CRITICAL):" in proc.stdout
    assert "por categoria (acertos/casos):" in proc.stdout


def _cases(name: str) -> list[dict]:
    return [json.loads(x) for x in LABELLED[name].read_text(encoding="utf-8").splitlines() if x.strip()]


PARAPHRASES = [
    case
    for name in (
        "paraphrases.jsonl",
        "paraphrases-2.jsonl",
        "paraphrases-3.jsonl",
        "paraphrases-4.jsonl",
        "paraphrases-5.jsonl",
        "paraphrases-6.jsonl",
        "paraphrases-7.jsonl",
        "paraphrases-8.jsonl",
        "paraphrases-9.jsonl",
        "paraphrases-10.jsonl",
        "paraphrases-11.jsonl",
        "paraphrases-12.jsonl",
        "paraphrases-13.jsonl",
        "paraphrases-14.jsonl",
        "paraphrases-15.jsonl",
        "paraphrases-16.jsonl",
        "paraphrases-17.jsonl",
        "paraphrases-18.jsonl",
        "paraphrases-19.jsonl",
        "paraphrases-20.jsonl",
        "paraphrases-21.jsonl",
        "paraphrases-22.jsonl",
        "paraphrases-23.jsonl",
        "paraphrases-24.jsonl",
        "paraphrases-25.jsonl",
        "paraphrases-26.jsonl",
        "paraphrases-27.jsonl",
        "paraphrases-28.jsonl",
        "paraphrases-29.jsonl",
        "paraphrases-30.jsonl",
        "paraphrases-31.jsonl",
        "paraphrases-32.jsonl",
        "paraphrases-33.jsonl",
        "paraphrases-34.jsonl",
        "paraphrases-35.jsonl",
        "paraphrases-36.jsonl",
        "paraphrases-38.jsonl",
        "paraphrases-40.jsonl",
        "paraphrases-41.jsonl",
        "paraphrases-42.jsonl",
        "paraphrases-43.jsonl",
    )
    for case in _cases(name)
]


def test_paraphrases_cover_every_assertion_and_critical_family() -> None:
    by_category: dict[str, int] = {}
    for case in PARAPHRASES:
        by_category[case["category"]] = by_category.get(case["category"], 0) + 1
    for assertion in ("negado", "resolvido", "hipotetico", "outra_pessoa", "figurado", "pseudo_negacao"):
        assert by_category.get(assertion, 0) >= 10, (assertion, by_category.get(assertion))
    for family in ("dispneia", "dor_toracica", "sangramento", "convulsao", "sincope", "confusao", "avc"):
        assert by_category.get(family, 0) >= 5, family
    for family in ("anafilaxia", "suicidio", "febre_alta", "febre_oncologica", "laudo_critico"):
        assert by_category.get(family, 0) >= 5, family


@pytest.mark.parametrize("case", PARAPHRASES, ids=[c["id"] for c in PARAPHRASES])
def test_paraphrase_alerts_exactly_when_expected(case: dict) -> None:
    outcome = run_case(case)
    assert outcome.error is None
    assert (outcome.got_alert, outcome.got_severity) == (
        case["expect"]["alert"],
        case["expect"]["severity"],
    ), outcome.findings


# --- the v3 set (issue 16's targets) and the opening blind set, with their floors ------------------

# (CRITICAL recall, HIGH recall, specificity). v3's are the issue's targets; the opening blind set
# scored 0.686 / 0.684 / 0.865 on first sight (docs/clinical-engine.md), these floors are what the
# rules reach now that its misses were fixed as general rules. The closing blind set scored
# 0.660 / 0.476 / 0.831 on first sight; its floors are what the general rules added after it reach.
# The third blind set scored 0.926 / 0.850 / 0.918 on first sight (after the closing-set rules).
FLOORS = {
    "clinical-dev-cases-v3.jsonl": (1.0, 0.95, 0.97),
    "blind-opening.jsonl": (0.98, 1.0, 0.98),
    "blind-closing.jsonl": (1.0, 1.0, 1.0),
    # blind-s4b loses one silence to the backstop's stretches (docs/clinical-engine.md, "Statistical
    # backstop"): a denial list read out of its context. blind-final lost one too (a neighbour's stroke)
    # until stretches were read only in messages that already score 0.3 ("backstop9").
    "blind-final.jsonl": (1.0, 1.0, 1.0),
    # Second session's opening sets (docs/first-sight/session2-*.md): first sight 0.880 / 0.800 / 0.971
    # and 0.896 / 0.727 / 0.859; their misses and false alarms were then fixed by general rules.
    "blind-s2a.jsonl": (1.0, 1.0, 1.0),
    "blind-s2b.jsonl": (1.0, 1.0, 1.0),
    # The session's closing set: first sight 0.918 / 0.900 / 0.915 (docs/first-sight/session2-s2c-closing.md),
    # then its misses and false alarms fixed by general rules (paraphrases-6).
    "blind-s2c.jsonl": (1.0, 1.0, 1.0),
    # Third session's opening sets (docs/first-sight/session3-*.md): first sight 0.812 / 0.600 / 0.875
    # and 0.833 / 0.800 / 0.833; their misses fixed by general rules (clin-recall, paraphrases-7),
    # their false alarms by general rules (clin-spec, paraphrases-8).
    "blind-s3a.jsonl": (1.0, 1.0, 1.0),
    "blind-s3b.jsonl": (1.0, 1.0, 1.0),
    # The session's closing set: first sight 0.917 / 1.000 / 0.887 on 524ce5b
    # (docs/first-sight/session3-s3c-closing.md); its misses and false alarms then fixed by
    # general rules (s3c-recall, paraphrases-9; s3c-spec, paraphrases-10).
    "blind-s3c.jsonl": (1.0, 1.0, 1.0),
    # Two more sets written after every engine change had landed, scored on 44918e3 at first sight
    # (docs/first-sight/session3-s3d.md, -s3e.md), then fixed by general rules (s3de-recall,
    # paraphrases-11; s3de-spec, paraphrases-12).
    "blind-s3d.jsonl": (1.0, 1.0, 1.0),
    "blind-s3e.jsonl": (1.0, 1.0, 0.98),
    # Fourth session's opening sets (docs/first-sight/session4-*.md), floors at their first sight:
    # 0.896 / 0.800 / 0.944 and 0.872 / 0.818 / 0.903; their misses then fixed by general rules
    # (clin4-recall, paraphrases-13), their false alarms by general rules (clin4-spec, paraphrases-14).
    "blind-s4a.jsonl": (1.0, 1.0, 1.0),
    "blind-s4b.jsonl": (1.0, 1.0, 0.986),
    # The session's closing set: first sight 0.958 / 0.900 / 0.861 on f0b1139
    # (docs/first-sight/session4-s4c-closing.md); its misses then fixed by general rules (s4c-recall,
    # paraphrases-15), its false alarms by general rules (s4c-spec, paraphrases-16): specificity 72/72.
    "blind-s4c.jsonl": (1.0, 1.0, 1.0),
    # Two sets written at the session's start and held back until every engine change had landed,
    # scored on 7fb72a3 at first sight (docs/first-sight/session4-s4d.md, -s4e.md): 0.900 / 1.000 / 0.814
    # and 0.938 / 0.909 / 0.873; their misses then fixed by root cause (engine-bugs, s4de-recall,
    # paraphrases-17/18), and the false alarms of general causes (s4de-spec, paraphrases-19).
    "blind-s4d.jsonl": (1.0, 1.0, 0.9),
    "blind-s4e.jsonl": (1.0, 1.0, 0.943),
    # Fifth session's opening sets (docs/first-sight/session5-*.md), floors at their first sight on
    # 786e3bc: 0.854 / 0.909 / 0.831 and 0.875 / 0.900 / 0.847; their misses then fixed by root cause
    # (s5-recall, paraphrases-21), their false alarms of time, resolution, negation put last and
    # hypotheses (s5-spec-time, paraphrases-22) and of who or what the complaint belongs to
    # (s5-spec-who, paraphrases-23) by root cause.
    "blind-s5a.jsonl": (1.0, 1.0, 1.0),
    "blind-s5b.jsonl": (1.0, 1.0, 1.0),
    "paraphrases-21.jsonl": (1.0, 1.0, 1.0),
    # s5-spec-time's own sentences (26 written before tuning, 25 after), all right.
    "paraphrases-22.jsonl": (1.0, 1.0, 1.0),
    # s5-spec-who's own sentences, 36 of them written before (20) or right after (16) the fixes and
    # scored before any tuning, with the known false alarms of the fourth session.
    "paraphrases-23.jsonl": (1.0, 1.0, 1.0),
    # engine-robust's flips of meaning-preserving rewrites (bench/clinical_metamorphic.py), each
    # root cause with its near misses: every case right.
    "paraphrases-24.jsonl": (1.0, 1.0, 1.0),
    # robust-voice: sentence ends of dictated messages; robust-other: the other flips (both 1.0).
    "paraphrases-25.jsonl": (1.0, 1.0, 1.0),
    "paraphrases-26.jsonl": (1.0, 1.0, 1.0),
    # the lead's two regressions found on the held-out s5c/s5e after scoring them: every case right
    "paraphrases-27.jsonl": (1.0, 1.0, 1.0),
    # held-recall: the held-back sets' misses by root cause (vocatives, effortful breath, regional words,
    # chemo regimens, wrong beliefs of cure, a symptom pointed at then named, unnamed meters)
    "paraphrases-28.jsonl": (1.0, 1.0, 1.0),
    # Fifth session's three held-back sets (docs/first-sight/session5-s5c-closing.md, -s5d.md, -s5e.md),
    # scored at first sight on the final engine c0649b2: 0.938 / 0.900 / 0.833, 0.857 / 1.000 / 0.901
    # and 0.958 / 0.900 / 0.861; floors at those figures after the two regressions they showed were
    # fixed (paraphrases-27: s5c HIGH 10/10, s5e specificity 63/72).
    # held-recall: every miss of the three fixed by cause (paraphrases-28): CRITICAL and HIGH recall 1.0;
    # held-spec: ten of their false alarms fixed by cause (paraphrases-29): specificity 63/72, 67/71, 66/72.
    # s6-spec-what: "40 graus na sombra", a phone's "convulsão" (s5c-094, -098) and a "também não"
    # list (s5d-036), the known limits of the fifth session: 65/72 and 68/71.
    "blind-s5c.jsonl": (1.0, 1.0, 0.902),
    "blind-s5d.jsonl": (1.0, 1.0, 0.957),
    "blind-s5e.jsonl": (1.0, 1.0, 0.916),
    # held-spec's own sentences: 17 that must stay silent, 19 near misses that must alert, all right
    "paraphrases-29.jsonl": (1.0, 1.0, 1.0),
    # s6-spec-who's own sentences: 26 that must alert, 27 that must stay silent, all right
    "paraphrases-31.jsonl": (1.0, 1.0, 1.0),
    # Sixth session's opening sets (docs/first-sight/session6-*.md), floors at their first sight on
    # 7a1e828: 0.979 / 0.900 / 0.806 and 0.938 / 0.700 / 0.903.
    # s6-recall: every miss of both fixed by cause (paraphrases-30): CRITICAL and HIGH recall 1.0;
    # s6-spec-who: their false alarms of other people and the past fixed by cause (paraphrases-31);
    # s6-spec-what: eight of s6a's fixed by cause (jokes, a craze, a lesson's topics, a "também não"
    # list; paraphrases-32).
    "blind-s6a.jsonl": (1.0, 1.0, 1.0),
    "blind-s6b.jsonl": (1.0, 1.0, 1.0),
    # s6-recall's own sentences: 29 that must alert, 21 near misses that must stay silent, all right
    "paraphrases-30.jsonl": (1.0, 1.0, 1.0),
    "paraphrases-32.jsonl": (1.0, 1.0, 1.0),
    # robust-voice2: dictated run-ons, 23 written before tuning (15/23 on 13bce57) and 9 after, all right
    "paraphrases-33.jsonl": (1.0, 1.0, 1.0),
    # held-spec-who2: 21 written before tuning (10/21 on 6c58ac3) and 17 after, all right
    "paraphrases-35.jsonl": (1.0, 1.0, 1.0),
    # Sixth session's three held-back sets (docs/first-sight/session6-s6c-closing.md, -s6d.md, -s6e.md),
    # scored at first sight on the final engine 72f1b52: 0.939 / 1.000 / 0.845, 0.958 / 1.000 / 0.875
    # and 0.938 / 0.800 / 0.903.
    # held-recall2 fixed all ten of their misses by cause (paraphrases-34): CRITICAL and HIGH recall 1.000
    # on each; held-spec-who2 (others' episodes, the past, warn-if lists, asked and denied) raised their
    # specificity, and held-spec-what2 (paraphrases-36) by what is said and how it is spelt.
    "blind-s6c.jsonl": (1.0, 1.0, 1.0),
    "blind-s6d.jsonl": (1.0, 1.0, 0.972),
    "blind-s6e.jsonl": (1.0, 1.0, 1.0),
    "paraphrases-34.jsonl": (1.0, 1.0, 1.0),
    # held-spec-what2's own sentences: 20 that must stay silent, 14 near misses that must alert (14 of the
    # first 18 silent ones alerted on main 7402006; spoken-verb and "painhu" ones came after the first fix)
    "paraphrases-36.jsonl": (1.0, 1.0, 1.0),
    # Seventh session's six opening sets (docs/first-sight/session7-s7a.md ... -s7f.md), at first sight on
    # main 2577564; after this round's five rule branches (s7-recall-lay, s7-recall-context, robust-phonetic,
    # s7-spec-when, s7-spec-who) they stand at the figures below (docs/clinical-engine.md, "Seventh session").
    "blind-s7a.jsonl": (1.0, 1.0, 0.986),
    "blind-s7b.jsonl": (1.0, 1.0, 1.0),
    "blind-s7c.jsonl": (1.0, 1.0, 0.986),
    "blind-s7d.jsonl": (1.0, 1.0, 0.971),
    "blind-s7e.jsonl": (0.979, 1.0, 0.986),
    "blind-s7f.jsonl": (1.0, 1.0, 1.0),
    # s7-recall-lay: lay confusion, stroke and breathlessness; 36 written before any fix (6/18 CRITICAL,
    # 16/18 silent on 70978cd), 12 after. Three silent near misses still alert (an old stroke's weakness
    # "desde o AVC de 2010", a numb leg "já passou", "não me reconheceu de máscara"): floors, not PARAPHRASES.
    "paraphrases-37.jsonl": (1.0, 1.0, 0.875),
    # robust-phonetic: spoken spellings ("passô", "tivé", "vomitano", "vorta"), 28 written before tuning
    # (19/28 on 70978cd); 27/28 now, the one left another's stroke ("o derrame foi do meu cunhado"), a
    # who-question of s7-spec-who's kind, so the set is held by its floor, not case by case.
    "paraphrases-39.jsonl": (1.0, 1.0, 0.928),
    # s7-recall-context's own sentences: 39 written before tuning (10/22 alerts, 14/17 silences on 70978cd)
    # and 13 after the first fixes (8/10 of the first ten), all right
    "paraphrases-38.jsonl": (1.0, 1.0, 1.0),
    # s7-spec-when: 15 false alarms of when and whether fixed by cause (paraphrases-40).
    # s7-spec-when's own sentences: 36 written before any change (16/16 alerts, 6/20 silences on
    # 2577564) and 18 after the first fix, all right
    "paraphrases-40.jsonl": (1.0, 1.0, 1.0),
    # s7-spec-who's own sentences: 21 silent (3/21 on main 70978cd), 23 alerting near misses, all right
    "paraphrases-41.jsonl": (1.0, 1.0, 1.0),
    # spec8's own sentences: 36 written before any change (12/12 alerts, 17/24 silences on main 70d11dc)
    # and 4 HIGH near misses after; all right after the rules by mechanism (docs/clinical-engine.md,
    # "### spec8")
    "paraphrases-43.jsonl": (1.0, 1.0, 1.0),
    # Seventh session's two held-back sets (docs/first-sight/session7-s7g-closing.md, -s7h.md), at first
    # sight on the final engine b139bfd, the same figures as on the starting engine: left for the next
    # round to fix by cause.
    # high8 (paraphrases-42): HIGH told in lay words and fever graded by its latest reading: s7g-106,
    # s7h-055 (pain scores another clause took), s7h-061 (a series' latest reading), s7h-099 ("não é
    # modo de dizer") now caught by the rules: s7g HIGH 11/11, s7h CRITICAL 48/48 and HIGH 10/10.
    "blind-s7g.jsonl": (0.914, 1.0, 0.972),
    "blind-s7h.jsonl": (1.0, 1.0, 0.986),
    # Eighth session's six opening sets (docs/first-sight/session8-s8a.md ... -s8f.md). At first sight on
    # the rules alone (main 3059d81): 272/290 CRITICAL, 53/60 HIGH, 365/430 silent; with the statistical
    # backstop trained without them (docs/clinical-engine.md, "Statistical backstop"): 285/290, 53/60,
    # 397/430. The floors are what the engine reaches with the backstop retrained on them as well.
    # spec8 raised the specificity floors (s8a 68->70/72, s8b 68->70, s8c 64->69/70, s8d 69->70,
    # s8e 69->71, s8f 65->69; s7h 70->71, s3d 70->72): 18 false alarms fixed by mechanism, no alert lost.
    # high8: their seven HIGH misses (53/60) fixed by mechanism (stools told as water and counted,
    # nothing staying down in any person, a pain score another clause took): HIGH 60/60.
    "blind-s8a.jsonl": (1.0, 1.0, 0.972),
    "blind-s8b.jsonl": (0.979, 1.0, 0.972),
    "blind-s8c.jsonl": (1.0, 1.0, 0.985),
    "blind-s8d.jsonl": (0.979, 1.0, 0.972),
    "blind-s8e.jsonl": (1.0, 1.0, 0.986),
    "blind-s8f.jsonl": (1.0, 1.0, 0.958),
    # high8's own sentences: 41 written before any change (33/41 on main 70d11dc: HIGH 15/22, CRITICAL
    # 8/8, silent 10/11) and 10 after the fixes; all 51 right.
    "paraphrases-42.jsonl": (1.0, 1.0, 1.0),
    # Eighth session's five held-back sets (docs/first-sight/session8-s8g-closing.md, -s8h ... -s8k.md), at
    # first sight on the final engine 0105cc1 (rules + backstop, which had never seen them): s8g 46/48,
    # 6/10, 69/72; s8h 45/48, 10/10, 70/72; s8i 48/48, 9/10, 63/72; s8j 47/48, 10/11, 65/71; s8k 47/48,
    # 8/10, 66/72. Floors: the same engine with the backstop retrained on them; their misses are left
    # for the next round to fix by cause.
    "blind-s8g.jsonl": (1.0, 0.6, 0.958),
    "blind-s8h.jsonl": (0.979, 1.0, 0.972),
    "blind-s8i.jsonl": (1.0, 0.9, 0.916),
    "blind-s8j.jsonl": (0.979, 0.909, 0.943),
    "blind-s8k.jsonl": (1.0, 0.8, 0.916),
    # Ninth session's three opening sets (docs/first-sight/session9-s9a.md ... -s9c.md), at first sight
    # on the starting engine 3a3f2da: rules alone 139/144 CRITICAL, 31/32 HIGH, 206/214 silent; with the
    # backstop as shipped (it had never seen them) 144/144, 31/32, 207/214.
    "blind-s9a.jsonl": (1.0, 1.0, 0.942),
    "blind-s9b.jsonl": (1.0, 1.0, 0.986),
    "blind-s9c.jsonl": (1.0, 0.9, 0.972),
    # Ninth session's three held-back sets (docs/first-sight/session9-s9g-closing.md, -s9h.md, -s9i.md),
    # at first sight on the final engine 9fee186, whose backstop had never seen them: s9g 47/47, 12/12,
    # 69/71; s9h 49/49, 10/10, 69/71; s9i 49/49, 9/10, 69/71 (rules alone: 139/145, 31/32, 202/213).
    "blind-s9g.jsonl": (1.0, 1.0, 0.971),
    "blind-s9h.jsonl": (1.0, 1.0, 0.971),
    # rules9 then fixed two s9i cases by mechanism ("já foi simbora"; a pain score that "pulou pra 9").
    "blind-s9i.jsonl": (1.0, 1.0, 0.985),
    # Tenth session's three opening sets (docs/first-sight/session10-s10a.md ... -s10c.md), at first sight
    # on the starting engine 975b3b2: rules alone 138/144 CRITICAL, 28/31 HIGH, 204/215 silent; with the
    # backstop as shipped (it had never seen them) 143/144, 28/31, 212/215.
    # rules10 then fixed six of their seven misses by mechanism (test_s10_mechanisms); the seventh
    # (s10c-057) is the backstop's escalation.
    "blind-s10a.jsonl": (1.0, 1.0, 1.0),
    "blind-s10b.jsonl": (1.0, 1.0, 1.0),
    "blind-s10c.jsonl": (1.0, 1.0, 0.986),
    # Tenth session's three held-back sets (docs/first-sight/session10-s10g-closing.md, -s10h.md,
    # -s10i.md), at first sight on the final engine c58cf78, whose backstop had never seen them: s10g
    # 47/48, 10/10, 71/72; s10h 48/48, 9/10, 70/72; s10i 48/48, 7/10, 69/72 (the starting engine gave
    # the same). Their misses are left for the next round to fix by cause.
    # held10 (eleventh session) then fixed ten of their eleven misses by mechanism
    # (test_s10_held_mechanisms); s10g-036 ("fiquei sem ar com aquele gol ... kkkk") is left.
    "blind-s10g.jsonl": (1.0, 1.0, 0.986),
    "blind-s10h.jsonl": (1.0, 1.0, 1.0),
    "blind-s10i.jsonl": (1.0, 1.0, 1.0),
    # Eleventh session's three opening sets (docs/first-sight/session11-s11a.md ... -s11c.md), at first
    # sight on the starting engine 7fd6ed5: rules alone 139/146 CRITICAL, 29/30 HIGH, 204/214 silent;
    # with the backstop as shipped (it had never seen them) 145/146, 29/30, 207/214.
    # rules11 then fixed eight of their nine misses by mechanism (test_s11_mechanisms); the ninth
    # (s11c-127) is the backstop's escalation of an errand.
    "blind-s11a.jsonl": (1.0, 1.0, 1.0),
    "blind-s11b.jsonl": (1.0, 1.0, 1.0),
    "blind-s11c.jsonl": (1.0, 1.0, 0.986),
    # Eleventh session's three held-back sets (docs/first-sight/session11-s11g-closing.md, -s11h.md,
    # -s11i.md), at first sight on the final engine d8082c8, whose backstop had never seen them: s11g
    # 49/49, 9/10, 69/71; s11h 49/49, 11/11, 64/70; s11i 47/48, 11/11, 68/71 (the starting engine gave
    # the same). s11i-063 (a farewell with affairs in order) was then fixed by mechanism; the rest are
    # left for the next round to fix by cause.
    "blind-s11g.jsonl": (1.0, 0.9, 0.971),
    "blind-s11h.jsonl": (1.0, 1.0, 0.914),
    "blind-s11i.jsonl": (1.0, 1.0, 0.957),
}


def _scores(name: str, only: str | None = None) -> Scores:
    path = Path(__file__).parent / "data" / name
    outcomes = [run_case(json.loads(x)) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return Scores.of([o for o in outcomes if only is None or o.task_type == only])


@pytest.mark.parametrize(
    ("name", "only"), [(n, None) for n in FLOORS] + [("clinical-dev-cases-v3.jsonl", "clinico.mensagem")]
)
def test_the_new_sets_meet_their_recall_and_specificity_floors(name: str, only: str | None) -> None:
    critical, high, specificity = FLOORS[name]
    scores = _scores(name, only)
    assert Scores.value(scores.critical) >= critical, scores
    assert Scores.value(scores.high) >= high, scores
    assert Scores.value(scores.specificity) >= specificity, scores
    if only:  # the 71 agent-message cases on their own
        assert scores.accuracy[1] == 71
