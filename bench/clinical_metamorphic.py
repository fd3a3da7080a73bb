"""Metamorphic check of the clinical rules: rewrite every labelled message in ways that keep its
meaning, and list the cases whose outcome (alert yes/no and severity) flips.

    python bench/clinical_metamorphic.py [--only TRANSFORM ...] [--show N] [--all-sets] [--json]

A rule that is right does not change its decision when the message is typed as a voice note, ends
with a thank-you, spells a number in words or says "num" for "não". Every case of
`tests/workers/clinical/data/*.jsonl` and the shared dev sets (one per distinct text; the opening
blind sets of the current session, `blind-s5*`, are left out unless `--all-sets`, so they still
measure what the fixes generalise to) is analysed as typed and after each transform below; the
free text is the consult's `queixa` or the agent message's `message` (conversation history and
the other payload fields stay as they are). Reported per transform: the cases it changed, the
flips (alert decision or severity differs from the untransformed text), how many of those flips
broke a case that was right, and the first `--show` flips with the codes gained or lost, grouped
by that change so that flips of one cause sit together. It is a dev tool, not a test: it compares
the engine with itself, never with the labels (a wrong label does not hide a flip).

Transforms (`TRANSFORMS`):
- voice_flat: lowercase, all punctuation gone (a decimal "38,5" and a pair "18/11" stay);
- voice_ai / voice_e: the same, with each sentence end read aloud as " aí " / " e ";
- tail_receita / tail_exame / tail_obrigada: a neutral closing clause appended;
- greeting: "bom dia doutora, " prepended;
- num_words: whole numbers 2–99 in digits written in words ("39" → "trinta e nove");
- num_digits: number words written as digits ("cinco" → "5");
- decimal_dot: "38,5" → "38.5";
- phon_vowels: unstressed final -o/-e spelt -u/-i ("peito" → "peitu", "forte" → "forti");
- phon_short: "não" → "num", "você" → "vc", "está" → "tá", "estou" → "tô";
- phon_n: "não" → "n";
- phon_spoken: spoken Brazilian Portuguese as typed ("passou" → "passô", "tiver" → "tivé",
  "vomitando" → "vomitano", "volta" → "vorta", "de" → "di", "ontem" → "onti"; `bench/metamorphic_spoken.py`);
- diminutive: body parts and people with -inho/-inha ("barriga" → "barriguinha"; never "dorzinha",
  "febrinha", which say the complaint is mild);
- relative: one relative for another of the same gender ("mãe" ↔ "vó", "pai" ↔ "avô", "filho" ↔ "neto").

Runs in about half a minute on two processes.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.metamorphic_spoken import phon_spoken  # noqa: E402

# --- transforms -------------------------------------------------------------------------------

_PUNCT = re.compile(r"(?<!\d)[,/](?!\d)|(?<=\d)[,/](?!\d)|(?<!\d)[,/](?=\d)|[.;:!?()\"“”…—–\-]+")
_END = re.compile(r"(?<!\d)[.!?…]+(?:\s+|$)|\n+")
_SPACES = re.compile(r"\s+")


def _flat(text: str) -> str:
    """Lowercase, punctuation gone except inside a number ("38,5", "18/11", "18x11")."""
    out = _PUNCT.sub(" ", text.lower())
    return _SPACES.sub(" ", out).strip()


def _voice(joiner: str) -> Callable[[str], str]:
    def transform(text: str) -> str:
        body = _END.sub(f" {joiner} ", text.strip().rstrip(".!?… \n"))
        return _flat(body)

    return transform


def _tail(clause: str) -> Callable[[str], str]:
    def transform(text: str) -> str:
        body = text.rstrip()
        if body.endswith("?"):
            return f"{body} {clause[2:].capitalize()}."
        return body.rstrip(".!… ") + clause

    return transform


def _greeting(text: str) -> str:
    body = text.lstrip()
    return "bom dia doutora, " + (body[:1].lower() + body[1:] if body[:2].isalpha() else body)


_UNITS = ["zero", "um", "dois", "três", "quatro", "cinco", "seis", "sete", "oito", "nove"]
_TEENS = [
    "dez",
    "onze",
    "doze",
    "treze",
    "catorze",
    "quinze",
    "dezesseis",
    "dezessete",
    "dezoito",
    "dezenove",
]
_TENS = ["_", "_", "vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"]


def _in_words(n: int) -> str:
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, unit = divmod(n, 10)
    return _TENS[tens] + (f" e {_UNITS[unit]}" if unit else "")


_WHOLE = re.compile(r"(?<![\d,./x:])\b(\d{1,2})\b(?![\d,./x:h%]|\s*(?:mg|ml|kg|cm|mm|h\b|x\b))", re.I)


def _num_words(text: str) -> str:
    return _WHOLE.sub(lambda m: _in_words(int(m.group(1))) if int(m.group(1)) >= 2 else m.group(1), text)


_WORD_VALUES = {w: i for i, w in enumerate(_UNITS) if i >= 2} | {w: 10 + i for i, w in enumerate(_TEENS)}
_WORD_VALUES |= {w: 10 * i for i, w in enumerate(_TENS) if i >= 2} | {"tres": 3, "duas": 2}
_NUM_WORD = "|".join(sorted(_WORD_VALUES, key=len, reverse=True))
# a whole number only: never part of a longer one ("trinta e oito e meio", "dois mil e dezenove")
_WORD_RUN = re.compile(
    rf"(?<!\be\s)(?<!\bmil\s)\b({_NUM_WORD})(?:\s+e\s+({_NUM_WORD}))?\b"
    rf"(?!\s+(?:e\s+(?:{_NUM_WORD}|mei|um|uma)\b|mil\b|virgula\b|vírgula\b|ponto\b))",
    re.I,
)


def _num_digits(text: str) -> str:
    def digits(m: re.Match[str]) -> str:
        first = _WORD_VALUES[m.group(1).lower()]
        second = _WORD_VALUES[m.group(2).lower()] if m.group(2) else 0
        if m.group(2) and not (first >= 20 and first % 10 == 0 and second < 10):
            return m.group(0)
        return str(first + second)

    return _WORD_RUN.sub(digits, text)


def _decimal_dot(text: str) -> str:
    return re.sub(r"\b(\d{2}),(\d)\b", r"\1.\2", text)


_KEEP_FINAL = frozenset(
    [
        "que",
        "se",
        "de",
        "me",
        "te",
        "lhe",
        "do",
        "no",
        "pro",
        "dele",
        "dela",
        "desse",
        "disso",
        "isso",
        "esse",
        "este",
        "isto",
        "aquele",
        "aquilo",
        "ontem",
        "como",
        "quando",
        "onde",
        "tanto",
        "muito",
        "pouco",
        "tudo",
        "todo",
        "nada",
        "algo",
        "nunca",
        "sempre",
        "tarde",
        "noite",
        "hoje",
        "agora",
        "sozinho",
        "sozinha",
        "pode",
        "sente",
        "parece",
    ]
)
_FINAL_VOWEL = re.compile(r"\b([a-zçãõáéíóúâêô]*[a-zç])([oe])\b")
_ACCENTED_LAST = re.compile(r"[áéíóúâêô][^aeiouáéíóúâêôãõ]*[oe]$")


def _phon_vowels(text: str) -> str:
    from workers.clinical.normalise import fold, is_word

    def respell(m: re.Match[str]) -> str:
        word = m.group(0)
        if len(word) < 4 or word.lower() in _KEEP_FINAL or word.isupper():
            return word
        if not re.search(r"[aeiouáéíóúâêôãõ]", m.group(1)):
            return word
        respelt = m.group(1) + ("u" if m.group(2) == "o" else "i")
        # a respelling that is another real word ("reconhece" -> "reconheci") changes the meaning
        return word if is_word(fold(respelt)) else respelt

    return _FINAL_VOWEL.sub(respell, text)


def _swap_words(table: dict[str, str]) -> Callable[[str], str]:
    pattern = re.compile(
        r"\b(" + "|".join(sorted(map(re.escape, table), key=len, reverse=True)) + r")\b", re.I
    )

    def transform(text: str) -> str:
        def swap(m: re.Match[str]) -> str:
            new = table[m.group(0).lower()]
            return new.capitalize() if m.group(0)[0].isupper() else new

        return pattern.sub(swap, text)

    return transform


_SHORT = {"não": "num", "você": "vc", "está": "tá", "estou": "tô", "estava": "tava"}
_N = {"não": "n"}
_DIMINUTIVE = {
    "barriga": "barriguinha",
    "peito": "peitinho",
    "cabeça": "cabecinha",
    "braço": "bracinho",
    "perna": "perninha",
    "mão": "mãozinha",
    "olho": "olhinho",
    "olhos": "olhinhos",
    "boca": "boquinha",
    "pé": "pezinho",
    "filho": "filhinho",
    "filha": "filhinha",
    "mãe": "mãezinha",
    "pai": "paizinho",
    "vó": "vozinha",
    "avó": "vovozinha",
    "neto": "netinho",
    "neta": "netinha",
    "nenê": "nenezinho",
    "bebê": "bebezinho",
    "menino": "menininho",
    "menina": "menininha",
}
_RELATIVE = {
    "mãe": "vó",
    "vó": "mãe",
    "avó": "mãe",
    "pai": "avô",
    "avô": "pai",
    "filho": "neto",
    "neto": "filho",
    "filha": "neta",
    "neta": "filha",
}

TRANSFORMS: dict[str, Callable[[str], str]] = {
    "voice_flat": _flat,
    "voice_ai": _voice("aí"),
    "voice_e": _voice("e"),
    "tail_receita": _tail(", to aqui so pra renovar a receita"),
    "tail_exame": _tail(", queria saber do exame"),
    "tail_obrigada": _tail(", obrigada"),
    "greeting": _greeting,
    "num_words": _num_words,
    "num_digits": _num_digits,
    "decimal_dot": _decimal_dot,
    "phon_vowels": _phon_vowels,
    "phon_short": _swap_words(_SHORT),
    "phon_n": _swap_words(_N),
    "phon_spoken": phon_spoken,
    "diminutive": _swap_words(_DIMINUTIVE),
    "relative": _swap_words(_RELATIVE),
}

# --- cases ------------------------------------------------------------------------------------


def _text_field(case: dict[str, Any]) -> str | None:
    endpoint = case.get("endpoint", "")
    if endpoint.startswith("/api/clinico/consulta"):
        return "queixa"
    if endpoint.startswith("/api/v1/agent/message"):
        return "message"
    return None


def load_cases(all_sets: bool) -> list[dict[str, Any]]:
    files = sorted((ROOT / "tests" / "workers" / "clinical" / "data").glob("*.jsonl"))
    if SHARED_DATA.is_dir():
        files += sorted(SHARED_DATA.glob("clinical-dev-cases*.jsonl"))
    seen: set[str] = set()
    cases = []
    for path in files:
        if not all_sets and path.name.startswith("blind-s5"):
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            case = json.loads(line)
            field = _text_field(case)
            text = (case.get("payload") or {}).get(field) if field else None
            if not isinstance(text, str) or not text.strip():
                continue
            key = json.dumps(case["payload"], sort_keys=True, ensure_ascii=False)
            if key in seen:
                continue
            seen.add(key)
            cases.append(case)
    return cases


def _outcome(case: dict[str, Any]) -> tuple[bool, str | None, tuple[str, ...]]:
    from workers.clinical.evaluate import run_case

    out = run_case(case)
    codes = tuple(sorted({f["codigo"] for f in out.findings}))
    return out.got_alert, out.got_severity, codes


def _check(args: tuple[dict[str, Any], list[str]]) -> list[dict[str, Any]]:
    """Every transform of one case: the transformed text and outcome where the transform changed it."""
    case, names = args
    field = _text_field(case)
    assert field is not None
    text = case["payload"][field]
    base = _outcome(case)
    expect = case.get("expect") or {}
    right = base[0] == bool(expect.get("alert")) and (not base[0] or base[1] == expect.get("severity"))
    rows = []
    for name in names:
        new_text = TRANSFORMS[name](text)
        if new_text == text:
            continue
        variant = dict(case, payload={**case["payload"], field: new_text})
        got = _outcome(variant)
        rows.append(
            {
                "id": case.get("id", "?"),
                "transform": name,
                "text": text,
                "new_text": new_text,
                "before": base,
                "after": got,
                "flip": got[:2] != base[:2],
                "was_right": right,
            }
        )
    return rows


def _change(row: dict[str, Any]) -> str:
    lost = sorted(set(row["before"][2]) - set(row["after"][2]))
    gained = sorted(set(row["after"][2]) - set(row["before"][2]))
    return " ".join([*(f"-{c}" for c in lost), *(f"+{c}" for c in gained)]) or "severity"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only", nargs="*", choices=sorted(TRANSFORMS), help="transforms to run (default: all)"
    )
    parser.add_argument("--show", type=int, default=8, help="flips listed per transform")
    parser.add_argument("--all-sets", action="store_true", help="include the current session's blind sets")
    parser.add_argument("--json", action="store_true", help="print every flip as a JSON line instead")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    names = args.only or list(TRANSFORMS)
    cases = load_cases(args.all_sets)
    jobs = [(case, names) for case in cases]
    with ProcessPoolExecutor(args.workers) as pool:
        rows = [row for chunk in pool.map(_check, jobs, chunksize=64) for row in chunk]
    flips = [r for r in rows if r["flip"]]
    if args.json:
        for r in flips:
            print(json.dumps(r, ensure_ascii=False))
        return 0
    changed = Counter(r["transform"] for r in rows)
    flipped = Counter(r["transform"] for r in flips)
    broke = Counter(r["transform"] for r in flips if r["was_right"])
    print(f"cases: {len(cases)}")
    print(f"{'transform':<14} {'changed':>7} {'flips':>6} {'broke':>6}")
    for name in names:
        print(f"{name:<14} {changed[name]:>7} {flipped[name]:>6} {broke[name]:>6}")
    print(f"{'total':<14} {sum(changed.values()):>7} {len(flips):>6} {sum(broke.values()):>6}")
    by_transform: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in flips:
        by_transform[r["transform"]].append(r)
    for name in names:
        group = by_transform.get(name)
        if not group:
            continue
        print(f"\n## {name}: {len(group)} flips")
        causes = Counter(_change(r) for r in group)
        print("   by change: " + ", ".join(f"{c} ×{n}" for c, n in causes.most_common(8)))
        for r in sorted(group, key=lambda r: -causes[_change(r)])[: args.show]:
            b, a = r["before"], r["after"]
            print(f"- {r['id']} [{_change(r)}] {b[1] or 'silent'} -> {a[1] or 'silent'}")
            print(f"    {r['text'][:160]!r}")
            print(f"    {r['new_text'][:160]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
