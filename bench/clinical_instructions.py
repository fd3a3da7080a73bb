"""Instructions the clinical rules execute on N generated messages, counted by callgrind: a figure
that other work on a shared machine does not move (CPU time does), for comparing two engines.

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null --collect-atstart=no \\
        --toggle-collect=functools_reduce .venv/bin/python bench/clinical_instructions.py ROOT SIZE SHARE N \\
        2>&1 | grep Collected

ROOT is the checkout whose engine is counted; SIZE, SHARE and N are `bench/clinical_rules.py`'s
message size, clinical share and count (seed 7). Only the analysis of the N messages, run inside
`functools.reduce`, is counted: imports and a warm-up of 50 other messages are not. Two checkouts
whose labelled files differ generate different messages: set MSG_DATA to one data directory
(`tests/workers/clinical/data` of either) to count both on the same messages. Figures and their use:
docs/clinical-engine.md, "Tenth session".
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any


def warmed(root: str, size: int, share: float, n: int) -> tuple[Callable[..., Any], list[Any]]:
    """ROOT's `analyze` after a warm-up of 50 messages (seed 11), and the N messages to count (seed
    7) as consulta payloads; shared with `bench/clinical_part_instructions.py`."""
    sys.path.insert(0, root)
    import bench.clinical_rules as rules
    from shared.messages import ConsultaPayload
    from workers.clinical import analyze

    if os.environ.get("MSG_DATA"):
        rules.DATA = Path(os.environ["MSG_DATA"])
    ids = [uuid.UUID(int=i + 1) for i in range(n + 50)]
    payloads = [
        ConsultaPayload(paciente_id=ids[i], queixa=m) for i, m in enumerate(rules.messages(n, size, 7, share))
    ]
    for i, m in enumerate(rules.messages(50, size, 11, share)):
        analyze("clinico", "consulta", ConsultaPayload(paciente_id=ids[n + i], queixa=m))
    return analyze, payloads


def main(argv: list[str]) -> int:
    root, size, share, n = argv[0], int(argv[1]), float(argv[2]), int(argv[3])
    analyze, payloads = warmed(root, size, share, n)
    gc.collect()
    gc.freeze()
    found = functools.reduce(lambda acc, p: acc + len(analyze("clinico", "consulta", p).achados), payloads, 0)
    print(f"{n} messages of {size} characters, {found} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
