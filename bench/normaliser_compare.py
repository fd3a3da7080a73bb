"""Which Portuguese lexicon backs the normaliser: dev-set figures, CPU per message and RSS of each.

    python bench/normaliser_compare.py [--site DIR] [--hunspell-forms FILE] [--messages 1000]

Each candidate source is turned into the same `workers.clinical.normalise.Dictionary` file
(`bench/.work/lexicon-<option>.tsv.gz`), then a fresh process per option loads it the way a worker
does and reports: the figures of `python -m workers.clinical.evaluate` on every labelled file, the
CPU per 2,000-character message (`bench/clinical_rules.py`'s messages), and the RSS the lexicon
adds to a process that already imported the engine. "none" is the engine with no lexicon at all
(shorthand and symptom typos only, no real-word guard).

Sources (dev-only; the worker ships the generated file, never the source):
- enelvo: the UNITEX-PB inflected lexicon enelvo ships, ranked by its own frequency list;
- hunspell: every form Debian's hunspell-pt-br accepts (`unmunch pt_BR.dic pt_BR.aff`, hyphenated
  clitic forms dropped; give the file with --hunspell-forms) that wordfreq has also seen (the affix
  rules alone over-generate: 16.9 million forms), ranked by wordfreq;
- wordfreq: wordfreq's large Portuguese list, every word it has seen counted as real.
`--site DIR` adds a directory where enelvo/wordfreq are installed (`pip install --target DIR`).
Agent messages (`/api/v1/agent/message`) are scored as a consulta on the message text.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

OPTIONS = ("none", "enelvo", "hunspell", "wordfreq")
# Phonetic spellings and the words they stand for, written for this comparison (not from any set).
PAIRS = [
    ("sintu", "sinto"),
    ("peitu", "peito"),
    ("apertu", "aperto"),
    ("isquerdu", "esquerdo"),
    ("dereitu", "direito"),
    ("cabessa", "cabeca"),
    ("pescosso", "pescoco"),
    ("bracu", "braco"),
    ("xegou", "chegou"),
    ("xorando", "chorando"),
    ("inxadu", "inchado"),
    ("kero", "quero"),
    ("kebrado", "quebrado"),
    ("trabaiu", "trabalho"),
    ("juelhu", "joelho"),
    ("mioro", "melhorou"),
    ("vermeio", "vermelho"),
    ("banhero", "banheiro"),
    ("primero", "primeiro"),
    ("cadera", "cadeira"),
    ("baxo", "baixo"),
    ("dexa", "deixa"),
    ("onti", "ontem"),
    ("homi", "homem"),
    ("minino", "menino"),
    ("minina", "menina"),
    ("dismaiei", "desmaiei"),
    ("vumitandu", "vomitando"),
    ("intupidu", "entupido"),
    ("sintindu", "sentindo"),
    ("debatenu", "debatendo"),
    ("tremenu", "tremendo"),
    ("remediu", "remedio"),
    ("hospitau", "hospital"),
    ("febri", "febri"),
    ("forti", "forte"),
    ("denti", "dente"),
    ("genti", "gente"),
    ("quenti", "quente"),
    ("noiti", "noite"),
    ("tardi", "tarde"),
    ("pressizo", "preciso"),
    ("ezame", "exame"),
    ("rezultado", "resultado"),
    ("conzulta", "consulta"),
    ("faiz", "faz"),
    ("treis", "tres"),
    ("derrepenti", "de repente"),
    ("denovo", "de novo"),
    ("concerteza", "com certeza"),
    ("muitu", "muito"),
    ("doendu", "doendo"),
    ("barriga", "barriga"),
    ("estomagu", "estomago"),
    ("garganta", "garganta"),
    ("respira", "respira"),
    ("sangrandu", "sangrando"),
    ("tonteira", "tonteira"),
    ("formigandu", "formigando"),
    ("cansassu", "cansaco"),
]
FILES = [
    *sorted(Path("/work/shared/data").glob("clinical-dev-cases*.jsonl")),
    *sorted((ROOT / "tests" / "workers" / "clinical" / "data").glob("*.jsonl")),
]


def wordfreq_entries() -> Iterator[tuple[str, float]]:
    import wordfreq

    for word, freq in wordfreq.get_frequency_dict("pt", wordlist="large").items():
        yield word, math.log10(freq * 1e9)


def hunspell_entries(forms: Path) -> Iterator[tuple[str, float]]:
    seen = dict(wordfreq_entries())
    with forms.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            word = line.strip()
            if word in seen:
                yield word, seen.pop(word)


def build(option: str, args: argparse.Namespace) -> Path:
    from workers.clinical.normalise import Dictionary, enelvo_entries

    out = common.WORK / f"lexicon-{option}.tsv.gz"
    entries = {
        "enelvo": enelvo_entries,
        "wordfreq": wordfreq_entries,
        "hunspell": lambda: hunspell_entries(Path(args.hunspell_forms)),
    }[option]()
    Dictionary.build(entries).dump(out)
    return out


def _rss_mb() -> float:
    """Current RSS from /proc (a child's peak RSS would include its parent's, see getrusage(2))."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _texts(path: Path) -> list[str]:
    """Free texts of the well-spelt labelled files: any word rewritten there was probably right."""
    out = []
    for case in _cases(path):
        payload = case["payload"]
        assert isinstance(payload, dict)
        out += [
            v for k, v in payload.items() if k in ("queixa", "motivo", "resumo", "laudo", "resultado_texto")
        ]
    return out


def _cases(path: Path) -> list[dict[str, object]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        if case["endpoint"].startswith("/api/v1/agent/message"):
            msg = case["payload"]["message"]
            case = {
                **case,
                "endpoint": "/api/clinico/consulta/",
                "payload": {"paciente_id": str(uuid.uuid4()), "queixa": msg},
            }
        out.append(case)
    return out


def measure(option: str, lexicon: Path | None, n_messages: int) -> dict[str, object]:
    """In this (fresh) process: load the lexicon as a worker does, then score and time the engine."""
    import io

    from bench.clinical_rules import messages
    from shared.messages import ConsultaPayload
    from workers.clinical import analyze, evaluate, normalise

    rss0 = _rss_mb()
    c0 = time.process_time()
    normalise.use(normalise.Dictionary.load(lexicon) if lexicon else normalise.Dictionary(frozenset(), {}))
    load_cpu = time.process_time() - c0
    rss1 = _rss_mb()
    from workers.clinical.spelling import fix_typos
    from workers.clinical.text import normalise as fold

    right = sum(fix_typos(fold(typed)).text == word for typed, word in PAIRS)
    tidy = [t for path in FILES[:3] if "v3" not in path.name for t in _texts(path)]
    rewritten = sum(len(set(fold(t).text.split()) - set(fix_typos(fold(t)).text.split())) for t in tidy)
    figures = {}
    for path in FILES:
        outcomes = [evaluate.run_case(c) for c in _cases(path)]
        m = evaluate.report(outcomes, out=io.StringIO(), quiet=True)
        figures[
            path.name if path.parent.name == "data" and "shared" in str(path) else f"tests/{path.name}"
        ] = m
    payloads = [
        ConsultaPayload(paciente_id=uuid.uuid4(), queixa=t) for t in messages(n_messages, clinical_share=0.5)
    ]
    for p in payloads[:100]:
        analyze("clinico", "consulta", p)
    cpu = []
    for p in payloads:
        t0 = time.thread_time()
        analyze("clinico", "consulta", p)
        cpu.append((time.thread_time() - t0) * 1000)
    cpu.sort()
    return {
        "option": option,
        "words": len(normalise.default().words),
        "indexed": sum(len(v) for v in normalise.default().index.values()),
        "load_cpu_s": round(load_cpu, 2),
        "pairs_right": f"{right}/{len(PAIRS)}",
        "tidy_words_rewritten": rewritten,
        "rss_before_mb": round(rss0, 1),
        "rss_lexicon_mb": round(rss1 - rss0, 1),
        "cpu_p50_ms": round(statistics.median(cpu), 2),
        "cpu_p99_ms": round(cpu[int(len(cpu) * 0.99) - 1], 2),
        "figures": figures,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", help="extra sys.path entry with enelvo / wordfreq installed")
    parser.add_argument("--hunspell-forms", default="/tmp/e1deb/ptbr_nohyph.txt")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--options", default=",".join(OPTIONS))
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child mode: option=path
    args = parser.parse_args()
    if args.site:
        sys.path.append(args.site)
    if args.measure:
        option, _, path = args.measure.partition("=")
        print(json.dumps(measure(option, Path(path) if path else None, args.messages)))
        return 0
    common.WORK.mkdir(parents=True, exist_ok=True)
    rows = []
    for option in args.options.split(","):
        lexicon = build(option, args) if option != "none" else None
        cmd = [
            sys.executable,
            __file__,
            "--measure",
            f"{option}={lexicon or ''}",
            "--messages",
            str(args.messages),
        ]
        got = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT)
        rows.append(json.loads(got.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    (common.WORK / "normaliser_compare.json").write_text(json.dumps(rows, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
