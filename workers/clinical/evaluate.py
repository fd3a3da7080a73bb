"""Score the rules engine on labelled cases.

    python -m workers.clinical.evaluate FILE.jsonl [--fail-under-recall 1.0] [--min-specificity 0.97]
        [--min-accuracy 0.95] [--quiet]

Each line: {"id", "endpoint", "payload", "expect": {"alert": bool, "severity": "CRITICAL"|"HIGH"|null},
"category"?}. Prints CRITICAL recall (expected CRITICAL alerts that alerted CRITICAL), HIGH recall,
overall alert recall, specificity (expected-silent cases that stayed silent), severity accuracy
(alert decision and severity both right), the misses by category (the case's `category`, else its
task type), false positives by the assertion the case was written for, how often each assertion
discarded a mention, and every miss with its findings. Exit code 0 unless the file cannot be read
(2) or a floor given on the command line is not reached (1).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shared.catalog import PAYLOAD_MODELS

from . import analyze

_ROUTES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^/api/clinico/consulta/?$"), "clinico", "consulta"),
    (re.compile(r"^/api/clinico/internacao/?$"), "clinico", "internacao"),
    (re.compile(r"^/api/clinico/alta/?$"), "clinico", "alta"),
    (re.compile(r"^/api/exames/?$"), "exames", "generico"),
    (re.compile(r"^/api/exames/hemograma/?$"), "exames", "hemograma"),
    (re.compile(r"^/api/exames/imagem/(?P<tipo>[^/]+)/?$"), "exames", "imagem"),
    (re.compile(r"^/api/opme/?$"), "opme", "generico"),
    (re.compile(r"^/api/opme/protese/?$"), "opme", "protese"),
    (re.compile(r"^/api/opme/material/?$"), "opme", "material"),
    (re.compile(r"^/api/ingestao/?$"), "ingestao", "generico"),
    (re.compile(r"^/api/ingestao/pacientes/?$"), "ingestao", "pacientes"),
    (re.compile(r"^/api/ingestao/medicos/?$"), "ingestao", "medicos"),
)


def route(endpoint: str, payload: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(domain, task_type, task payload) for an HTTP endpoint, as the API would publish it."""
    path = endpoint.split("?", 1)[0]
    for pattern, domain, task_type in _ROUTES:
        m = pattern.match(path)
        if m:
            if task_type == "imagem":
                payload = {**payload, "tipo_exame": m.group("tipo")}
            return domain, task_type, payload
    raise ValueError(f"endpoint desconhecido: {endpoint}")


@dataclass
class Outcome:
    case_id: str
    expected_alert: bool
    expected_severity: str | None
    got_alert: bool
    got_severity: str | None
    findings: list[dict[str, Any]]
    error: str | None = None
    category: str = ""
    discarded: list[str] = field(default_factory=list)  # assertion of each discarded mention

    @property
    def correct(self) -> bool:
        return (
            self.error is None
            and self.expected_alert == self.got_alert
            and (
                not self.expected_alert
                or self.expected_severity is None
                or self.expected_severity == self.got_severity
            )
        )


def run_case(case: dict[str, Any]) -> Outcome:
    expect = case.get("expect") or {}
    exp_alert = bool(expect.get("alert"))
    exp_sev = expect.get("severity")
    case_id = str(case.get("id", "?"))
    category = str(case.get("category") or case.get("endpoint", "?").rstrip("/").split("/")[-1])
    try:
        domain, task_type, payload = route(case["endpoint"], case.get("payload") or {})
        model = PAYLOAD_MODELS[(domain, task_type)].model_validate(payload)
        result = analyze(domain, task_type, model)
    except (ValueError, KeyError, ValidationError) as exc:
        return Outcome(
            case_id,
            exp_alert,
            exp_sev,
            False,
            None,
            [],
            error=f"{type(exc).__name__}: {exc}",
            category=category,
        )
    findings = [
        f.model_dump(include={"codigo", "severidade", "trecho", "valor"}, exclude_none=True)
        for f in result.achados
    ]
    discarded = [
        str(m.get("assercao") or m.get("motivo"))
        for m in result.detalhes.get("mencoes_desconsideradas") or []
    ]
    return Outcome(
        case_id,
        exp_alert,
        exp_sev,
        bool(result.achados),
        result.severidade,
        findings,
        category=category,
        discarded=discarded,
    )


def _ratio(num: int, den: int) -> str:
    return f"{num}/{den} = {num / den:.3f}" if den else "n/a (0 casos)"


def report(outcomes: list[Outcome], out: Any = sys.stdout, quiet: bool = False) -> dict[str, float | None]:
    critical = [o for o in outcomes if o.expected_alert and o.expected_severity == "CRITICAL"]
    positives = [o for o in outcomes if o.expected_alert]
    negatives = [o for o in outcomes if not o.expected_alert]
    crit_hits = sum(1 for o in critical if o.got_alert and o.got_severity == "CRITICAL")
    pos_hits = sum(1 for o in positives if o.got_alert)
    neg_hits = sum(1 for o in negatives if not o.got_alert)
    correct = sum(1 for o in outcomes if o.correct)
    high = [o for o in outcomes if o.expected_alert and o.expected_severity == "HIGH"]
    high_hits = sum(1 for o in high if o.got_alert)
    metrics = {
        "recall_critico": crit_hits / len(critical) if critical else None,
        "recall_high": high_hits / len(high) if high else None,
        "recall_alerta": pos_hits / len(positives) if positives else None,
        "especificidade": neg_hits / len(negatives) if negatives else None,
        "acuracia_severidade": correct / len(outcomes) if outcomes else None,
    }
    print(f"casos: {len(outcomes)} ({len(positives)} com alerta esperado, {len(negatives)} sem)", file=out)
    print(f"recall crítico (CRITICAL esperado -> CRITICAL): {_ratio(crit_hits, len(critical))}", file=out)
    print(f"recall HIGH (HIGH esperado -> algum alerta):   {_ratio(high_hits, len(high))}", file=out)
    print(f"recall de alerta (qualquer severidade):        {_ratio(pos_hits, len(positives))}", file=out)
    print(f"especificidade (silêncio esperado mantido):    {_ratio(neg_hits, len(negatives))}", file=out)
    print(f"acurácia (alerta e severidade corretos):       {_ratio(correct, len(outcomes))}", file=out)
    _report_breakdown(outcomes, out)
    misses = [o for o in outcomes if not o.correct]
    if misses:
        print(f"\nerros ({len(misses)}):", file=out)
        for o in misses:
            exp = f"alert={o.expected_alert} severity={o.expected_severity}"
            got = f"alert={o.got_alert} severity={o.got_severity}"
            print(f"- {o.case_id}: esperado {exp}; obtido {got}", file=out)
            if o.error:
                print(f"    erro: {o.error}", file=out)
            if not quiet:
                for f in o.findings:
                    print(f"    achado: {json.dumps(f, ensure_ascii=False)}", file=out)
    else:
        print("\nnenhum erro.", file=out)
    return metrics


def _report_breakdown(outcomes: list[Outcome], out: Any) -> None:
    by_category: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_category.setdefault(o.category, []).append(o)
    print("\npor categoria (corretos/casos; erros):", file=out)
    for cat in sorted(by_category):
        group = by_category[cat]
        wrong = [o.case_id for o in group if not o.correct]
        suffix = f"; erros: {', '.join(wrong)}" if wrong else ""
        print(f"  {cat}: {sum(o.correct for o in group)}/{len(group)}{suffix}", file=out)
    false_pos: dict[str, int] = {}
    for o in outcomes:
        if not o.expected_alert and o.got_alert:
            false_pos[o.category] = false_pos.get(o.category, 0) + 1
    fp_text = ", ".join(f"{k}={v}" for k, v in sorted(false_pos.items())) or "nenhum"
    print(f"falsos positivos por tipo de caso/asserção: {fp_text}", file=out)
    assertions: dict[str, int] = {}
    for o in outcomes:
        for a in o.discarded:
            assertions[a] = assertions.get(a, 0) + 1
    print(
        "menções descartadas por asserção: "
        + (", ".join(f"{k}={v}" for k, v in sorted(assertions.items())) or "nenhuma"),
        file=out,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workers.clinical.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--fail-under-recall",
        type=float,
        default=None,
        help="exit 1 when overall alert recall (and critical recall) is below this value",
    )
    parser.add_argument("--min-specificity", type=float, default=None, help="exit 1 below this specificity")
    parser.add_argument(
        "--min-accuracy", type=float, default=None, help="exit 1 below this severity accuracy"
    )
    parser.add_argument("--quiet", action="store_true", help="do not print the findings of each miss")
    args = parser.parse_args(argv)
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"não foi possível ler {args.file}: {exc}", file=sys.stderr)
        return 2
    outcomes = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            case = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"linha {n}: JSON inválido ({exc}); ignorada", file=sys.stderr)
            continue
        outcomes.append(run_case(case))
    metrics = report(outcomes, quiet=args.quiet)
    if args.fail_under_recall is not None:
        recalls = [r for r in (metrics["recall_alerta"], metrics["recall_critico"]) if r is not None]
        if any(r < args.fail_under_recall for r in recalls):
            print(f"\nrecall abaixo de {args.fail_under_recall}", file=sys.stderr)
            return 1
    for key, floor in (("especificidade", args.min_specificity), ("acuracia_severidade", args.min_accuracy)):
        value = metrics[key]
        if floor is not None and value is not None and value < floor:
            print(f"\n{key} {value:.3f} abaixo de {floor}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
