"""Instructions spent inside one function of the clinical engine, counted by callgrind: the share of
a stage (the assertion, the backstop, one check) in `bench/clinical_instructions.py`'s figure.

    MSG_DATA=/work/wt/msgdata PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        --collect-atstart=no --toggle-collect=_operator_call .venv/bin/python \\
        bench/clinical_part_instructions.py ROOT SIZE SHARE N MODULE:NAME [ALSO,...] 2>&1 | grep Collected

MODULE:NAME is the function as its callers look it up: `workers.clinical.mention:Scanner.mention` (a
method), `workers.clinical.mention:figurative` (a function imported into `mention`; ALSO lists other
modules that imported the same function). It is wrapped in `operator.call`, which the engine never
calls, so callgrind counts only inside it; a function that calls itself is counted at its outer call
only if the inner ones are not wrapped (they are: count such a function through its caller). The same
N messages as `bench/clinical_instructions.py` (seed 7), after the same warm-up. Figures:
docs/clinical-engine.md, "clin-assert11".
"""

from __future__ import annotations

import gc
import importlib
import operator
import sys
from collections.abc import Callable
from typing import Any


def _wrap(owner: Any, name: str) -> Callable[..., Any]:
    original = getattr(owner, name)

    def counted(*args: Any, **kwargs: Any) -> Any:
        return operator.call(original, *args, **kwargs)

    setattr(owner, name, counted)
    return original


def main(argv: list[str]) -> int:
    root, size, share, n, part = argv[0], int(argv[1]), float(argv[2]), int(argv[3]), argv[4]
    # the sibling script as a top-level module (this directory is sys.path[0]), so that `bench` is
    # still imported from ROOT, as there
    from clinical_instructions import warmed

    analyze, payloads = warmed(root, size, share, n)
    module_name, name = part.split(":")
    module = importlib.import_module(module_name)
    if "." in name:
        cls, method = name.split(".")
        _wrap(getattr(module, cls), method)
    else:
        original = _wrap(module, name)
        for other in filter(None, (argv[5] if len(argv) > 5 else "").split(",")):
            imported = importlib.import_module(other)
            if getattr(imported, name, None) is original:
                setattr(imported, name, getattr(module, name))
    gc.collect()
    gc.freeze()
    found = sum(len(analyze("clinico", "consulta", p).achados) for p in payloads)
    print(f"{part}: {n} messages of {size} characters, {found} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
