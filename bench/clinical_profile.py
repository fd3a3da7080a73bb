"""Mean CPU time of `workers.clinical.analyze` per message, optionally with a cProfile table: the
quick look a speed change starts from (the figures that count are `bench/clinical_rules.py`'s).

    python bench/clinical_profile.py SIZE SHARE N [tottime|cumulative]

SIZE characters per message, SHARE of its sentences from the labelled texts, N messages (the
generator of `bench/clinical_rules.py`, seed 7), after a warm-up of 100. Run it from the checkout
whose engine you measure, and run the other checkout right after it.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))

from bench.clinical_rules import messages
from shared.messages import ConsultaPayload
from workers.clinical import analyze


def main(argv: list[str]) -> int:
    size, share, n = int(argv[0]), float(argv[1]), int(argv[2])
    payloads = [ConsultaPayload(paciente_id=uuid.uuid4(), queixa=m) for m in messages(n, size, 7, share)]
    for p in payloads[:100]:
        analyze("clinico", "consulta", p)
    start = time.thread_time()
    for p in payloads:
        analyze("clinico", "consulta", p)
    print("mean CPU ms per message:", round((time.thread_time() - start) / n * 1000, 3))
    if len(argv) > 3:
        profile = cProfile.Profile()
        profile.enable()
        for p in payloads:
            analyze("clinico", "consulta", p)
        profile.disable()
        pstats.Stats(profile).sort_stats(argv[3]).print_stats(45)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
