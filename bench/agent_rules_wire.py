#!/usr/bin/env python3
"""The rules stage's round trips to PostgreSQL per agent message, counted at the socket.

    strace -f -e trace=sendto,recvfrom,openat -o /tmp/wire.log \\
        .venv/bin/python bench/agent_rules_wire.py --batch 8 --messages 400
    awk '/WIRE_START/{on=1} /WIRE_END/{on=0} on && /recvfrom\\(/{r++} on && /sendto\\(/{s++}
        END{print r/400, "round trips,", s/400, "sends per message"}' /tmp/wire.log

Runs `RulesStage.process_many` in-process on the agent mix of bench/agent_rules_cpu.py in batches
of `--batch` and marks the measured part with two failed `open()`s of `WIRE_START` / `WIRE_END`
(under bench/.work), so that the strace log can be cut to it. Each `recvfrom` is one wait for the
server's answer. Prints the CPU per message (`time.process_time()`, slowed by strace) and that of
the PostgreSQL backends serving the store's connections (from /proc, so on the same host).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import agent_rules_cpu
from bench.common import WORK


def backend_cpu(pids: list[int]) -> float:
    """Seconds of CPU (user + system) the processes `pids` have used."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--messages", type=int, default=400)
    p.add_argument("--pg-url", default="postgresql://postgres@127.0.0.1:5432/test")
    args = p.parse_args()
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from bench.worker_drain import pg_schema
    from shared.config import Settings
    from shared.logs import configure_logging
    from workers import clinical
    from workers.registry import load_handlers

    configure_logging(Settings(_env_file=None, log_level="WARNING"), "bench")  # type: ignore[call-arg]
    load_handlers()
    clinical.warm_up()
    with pg_schema(args.pg_url) as url, agent_rules_cpu.rules_stage(url) as (stage, store):
        warm = agent_rules_cpu.envelopes(store, 50)
        bodies = agent_rules_cpu.envelopes(store, args.messages)
        stage.process_many([(b, {}) for b in warm])
        time.sleep(0.3)  # the writer thread's last commit, before the mark
        with contextlib.suppress(OSError):
            open(WORK / "WIRE_START")  # noqa: SIM115 - a marker in the strace log
        backends = [c.connection.driver_connection.info.backend_pid for c in store._held]
        pg_before = backend_cpu(backends)
        started = time.process_time()
        for i in range(0, len(bodies), args.batch):
            outcomes = stage.process_many([(b, {}) for b in bodies[i : i + args.batch]])
            assert all(getattr(o, "reply", None) for o in outcomes), outcomes
        cpu = (time.process_time() - started) / len(bodies) * 1000
        pg_cpu = (backend_cpu(backends) - pg_before) / len(bodies) * 1000
        with contextlib.suppress(OSError):
            open(WORK / "WIRE_END")  # noqa: SIM115
    print(f"batch {args.batch}: {cpu:.3f} ms CPU per message, PostgreSQL backends {pg_cpu:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
