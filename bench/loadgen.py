"""Fallback HTTP load generator (used only when `wrk` is not installed): N concurrent clients on
one asyncio loop (uvloop when available) with aiohttp, each POSTing the same body in a loop.

    python bench/loadgen.py URL BODY_FILE API_KEY CONNECTIONS SECONDS

Prints one line `BENCH_JSON {...}` shaped like the wrk script's output (latencies in µs).
It costs noticeably more CPU than wrk, and shares the machine's cores with the server.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections import Counter


async def run(url: str, body: bytes, key: str, connections: int, seconds: float) -> dict[str, object]:
    import aiohttp

    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    errors = 0
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}
    stop_at = time.perf_counter() + seconds

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            t0 = time.perf_counter()
            try:
                async with session.post(url, data=body, headers=headers) as resp:
                    await resp.read()
                    statuses[resp.status] += 1
            except Exception:
                errors += 1
                continue
            latencies.append(time.perf_counter() - t0)

    conn = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(connections)))
        duration = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        if not latencies:
            return 0.0
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1e6

    return {
        "requests": sum(statuses.values()),
        "duration_us": duration * 1e6,
        "statuses": {str(k): v for k, v in statuses.items()},
        "errors": {"connect": 0, "read": errors, "write": 0, "timeout": 0},
        "latency_us": {
            "p50": pct(50),
            "p90": pct(90),
            "p99": pct(99),
            "p999": pct(99.9),
            "max": latencies[-1] * 1e6 if latencies else 0.0,
            "mean": sum(latencies) / len(latencies) * 1e6 if latencies else 0.0,
        },
    }


def main() -> None:
    url, body_file, key, connections, seconds = sys.argv[1:6]
    with open(body_file, "rb") as fh:
        body = fh.read()
    coro = run(url, body, key, int(connections), float(seconds))
    try:
        import uvloop

        result = uvloop.run(coro)
    except ImportError:
        result = asyncio.run(coro)
    print("BENCH_JSON " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
