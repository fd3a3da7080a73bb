"""Score the rules engine on labelled cases.

    python -m workers.clinical.evaluate FILE.jsonl [--only clinico.mensagem] [--fail-under-recall 1.0]
        [--min-specificity 0.97] [--min-accuracy 0.95] [--quiet]

Each line: {"id", "endpoint", "payload", "expect": {"alert": bool, "severity": "CRITICAL"|"HIGH"|null},
"category"?}. The endpoint is routed as the API routes it (the paths of `shared/catalog.py`), and
the payload analysed as the worker analyses that task type, `/api/v1/agent/message` included
(conversation history and patient context: `workers.clinical.mensagem`). Prints CRITICAL recall
(expected CRITICAL alerts that alerted CRITICAL), HIGH recall, overall alert recall, specificity
(expected-silent cases that stayed silent), severity accuracy (alert decision and severity both
right); the same by category (the case's `category`, else its task type) and by task type; how
often each assertion discarded a mention; and every miss and false alarm with its findings. Exit
code 0 unless the file cannot be read (2) or a floor given on the command line is not reached (1).
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

from shared.catalog import TASKS, TaskKind, kind
from shared.messages import AgentMessagePayload

from . import analyze


def _route_pattern(path: str) -> re.Pattern[str]:
    """`/api/exames/imagem/{tipo_exame}` → a regex with a named group per placeholder; a trailing
    slash is optional, as in the API."""
    parts = re.split(r"\{(\w+)\}", path.rstrip("/"))
    regex = "".join(f"(?P<{part}>[^/]+)" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    return re.compile(f"^{regex}/?$")


_ROUTES: tuple[tuple[re.Pattern[str], TaskKind], ...] = tuple((_route_pattern(t.route), t) for t in TASKS)


def route(endpoint: str, payload: dict[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(domain, task_type, task payload) for an HTTP endpoint, as the API would publish it: a path
    parameter (`tipo_exame`) joins the payload."""
    path = endpoint.split("?", 1)[0]
    for pattern, task in _ROUTES:
        m = pattern.match(path)
        if m:
            return task.domain, task.task_type, {**payload, **m.groupdict()}
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
    task_type: str = "?"  # "domain.task_type"
    read_as: str | None = None  # an agent message as the rules read it, when that differs

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
    outcome = Outcome(
        str(case.get("id", "?")),
        bool(expect.get("alert")),
        expect.get("severity"),
        False,
        None,
        [],
        category=str(case.get("category") or case.get("endpoint", "?").rstrip("/").split("/")[-1]),
    )
    try:
        domain, task_type, payload = route(case["endpoint"], case.get("payload") or {})
        outcome.task_type = f"{domain}.{task_type}"
        model = kind(domain, task_type).payload_model.model_validate(payload)
        result = analyze(domain, task_type, model)
    except (ValueError, KeyError, ValidationError) as exc:
        outcome.error = f"{type(exc).__name__}: {exc}"
        return outcome
    outcome.got_alert = bool(result.achados)
    outcome.got_severity = result.severidade
    outcome.findings = [
        f.model_dump(include={"codigo", "severidade", "trecho", "valor"}, exclude_none=True)
        for f in result.achados
    ]
    outcome.discarded = [
        str(m.get("assercao") or m.get("motivo"))
        for m in result.detalhes.get("mencoes_desconsideradas") or []
    ]
    read_as = result.detalhes.get("lida_como")
    if isinstance(model, AgentMessagePayload) and read_as != model.message:
        outcome.read_as = read_as
    return outcome


def _ratio(num: int, den: int) -> str:
    return f"{num}/{den} = {num / den:.3f}" if den else "n/a (0 casos)"


@dataclass
class Scores:
    """The figures of one group of outcomes (the whole file, a category or a task type)."""

    critical: tuple[int, int]  # (CRITICAL expected and alerted CRITICAL, CRITICAL expected)
    high: tuple[int, int]  # (HIGH expected and alerted, HIGH expected)
    alert: tuple[int, int]  # (alert expected and alerted, alert expected)
    specificity: tuple[int, int]  # (silence expected and kept, silence expected)
    accuracy: tuple[int, int]

    @classmethod
    def of(cls, outcomes: list[Outcome]) -> Scores:
        def count(group: list[Outcome], hit: Any) -> tuple[int, int]:
            return sum(1 for o in group if hit(o)), len(group)

        positives = [o for o in outcomes if o.expected_alert]
        return cls(
            critical=count(
                [o for o in positives if o.expected_severity == "CRITICAL"],
                lambda o: o.got_alert and o.got_severity == "CRITICAL",
            ),
            high=count([o for o in positives if o.expected_severity == "HIGH"], lambda o: o.got_alert),
            alert=count(positives, lambda o: o.got_alert),
            specificity=count([o for o in outcomes if not o.expected_alert], lambda o: not o.got_alert),
            accuracy=count(outcomes, lambda o: o.correct),
        )

    @staticmethod
    def value(pair: tuple[int, int]) -> float | None:
        return pair[0] / pair[1] if pair[1] else None

    def short(self) -> str:
        def cell(pair: tuple[int, int]) -> str:
            return f"{pair[0]}/{pair[1]}" if pair[1] else "-"

        return (
            f"CRITICAL {cell(self.critical):>6}  HIGH {cell(self.high):>5}  "
            f"especificidade {cell(self.specificity):>6}  corretos {cell(self.accuracy):>7}"
        )


def _is_miss(o: Outcome) -> bool:
    return o.expected_alert and not o.correct


def _is_false_alarm(o: Outcome) -> bool:
    return not o.expected_alert and (o.got_alert or o.error is not None)


def report(outcomes: list[Outcome], out: Any = sys.stdout, quiet: bool = False) -> dict[str, float | None]:
    scores = Scores.of(outcomes)
    metrics = {
        "recall_critico": Scores.value(scores.critical),
        "recall_high": Scores.value(scores.high),
        "recall_alerta": Scores.value(scores.alert),
        "especificidade": Scores.value(scores.specificity),
        "acuracia_severidade": Scores.value(scores.accuracy),
    }
    positives, negatives = scores.alert[1], scores.specificity[1]
    print(f"casos: {len(outcomes)} ({positives} com alerta esperado, {negatives} sem)", file=out)
    print(f"recall crítico (CRITICAL esperado -> CRITICAL): {_ratio(*scores.critical)}", file=out)
    print(f"recall HIGH (HIGH esperado -> algum alerta):   {_ratio(*scores.high)}", file=out)
    print(f"recall de alerta (qualquer severidade):        {_ratio(*scores.alert)}", file=out)
    print(f"especificidade (silêncio esperado mantido):    {_ratio(*scores.specificity)}", file=out)
    print(f"acurácia (alerta e severidade corretos):       {_ratio(*scores.accuracy)}", file=out)
    _report_groups("por categoria", outcomes, lambda o: o.category, out)
    _report_groups("por tipo de tarefa", outcomes, lambda o: o.task_type, out)
    _report_discarded(outcomes, out)
    lists = (("alertas perdidos ou de severidade errada", _is_miss), ("falsos alarmes", _is_false_alarm))
    for title, pick in lists:
        wrong = [o for o in outcomes if pick(o)]
        print(f"\n{title} ({len(wrong)}):" if wrong else f"\n{title}: nenhum.", file=out)
        for o in wrong:
            _print_case(o, out, quiet)
    return metrics


def _print_case(o: Outcome, out: Any, quiet: bool) -> None:
    exp = f"alert={o.expected_alert} severity={o.expected_severity}"
    got = f"alert={o.got_alert} severity={o.got_severity}"
    print(f"- {o.case_id} [{o.category}]: esperado {exp}; obtido {got}", file=out)
    if o.error:
        print(f"    erro: {o.error}", file=out)
    if quiet:
        return
    if o.read_as:
        print(f"    lida como: {o.read_as}", file=out)
    for f in o.findings:
        print(f"    achado: {json.dumps(f, ensure_ascii=False)}", file=out)


def _report_groups(title: str, outcomes: list[Outcome], key: Any, out: Any) -> None:
    groups: dict[str, list[Outcome]] = {}
    for o in outcomes:
        groups.setdefault(key(o), []).append(o)
    print(f"\n{title} (acertos/casos):", file=out)
    width = max(len(k) for k in groups) if groups else 0
    for name in sorted(groups):
        group = groups[name]
        misses = [o.case_id for o in group if _is_miss(o)]
        false_alarms = [o.case_id for o in group if _is_false_alarm(o)]
        line = f"  {name:<{width}}  {Scores.of(group).short()}"
        if misses:
            line += f"; perdidos: {', '.join(misses)}"
        if false_alarms:
            line += f"; falsos alarmes: {', '.join(false_alarms)}"
        print(line, file=out)


def _report_discarded(outcomes: list[Outcome], out: Any) -> None:
    assertions: dict[str, int] = {}
    for o in outcomes:
        for a in o.discarded:
            assertions[a] = assertions.get(a, 0) + 1
    print(
        "\nmenções descartadas por asserção: "
        + (", ".join(f"{k}={v}" for k, v in sorted(assertions.items())) or "nenhuma"),
        file=out,
    )


def load(path: Path) -> list[dict[str, Any]]:
    """The cases of a JSONL file (blank lines skipped; an invalid line is reported and skipped).
    Raises OSError when the file cannot be read."""
    cases = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            cases.append(json.loads(line))
        except json.JSONDecodeError as exc:
            print(f"linha {n}: JSON inválido ({exc}); ignorada", file=sys.stderr)
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m workers.clinical.evaluate", description=__doc__.split("\n")[0]
    )
    parser.add_argument("file", type=Path)
    parser.add_argument(
        "--only",
        metavar="DOMAIN.TASK_TYPE",
        default=None,
        help="score only the cases of this task type (e.g. clinico.mensagem for the agent's cases)",
    )
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
        cases = load(args.file)
    except OSError as exc:
        print(f"não foi possível ler {args.file}: {exc}", file=sys.stderr)
        return 2
    outcomes = [run_case(case) for case in cases]
    if args.only:
        outcomes = [o for o in outcomes if o.task_type == args.only]
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
