"""Running the API: `python -m api` starts one process, or `API_WORKERS` processes sharing the
port through SO_REUSEPORT, each with its own app (broker connections, store writer)."""

from __future__ import annotations

import os
import socket
import sys
from typing import Any

from api.http_limits import capped_http_protocol
from api.main import ConfigurationError, create_app
from shared.collector import quiet_collector
from shared.config import get_settings
from shared.logs import configure_logging


def tune_runtime() -> None:
    """CPython settings for the API process, measured with bench/api_publish.py (64 clients):

    - Garbage collector: with the default threshold (700) a request or two triggered a collection,
      about 1.2 s of every 8 s went to it, and each full collection walked every object of the
      app (~100k) in 80-100 ms, stalling every request in flight (p99 120 ms). The objects built
      at start-up live as long as the process, so they are frozen out of the collector, and young
      collections run less often: GC time fell to under 0.1 s per 8 s, p99 to about 50 ms.
    - Switch interval: the store's writer thread hands the GIL back to the event loop around
      each SQLite call and must get it again from a busy loop; 0.5 ms instead of 5 ms keeps that
      wait short (lower store latency under load).
    """
    quiet_collector()
    sys.setswitchinterval(0.0005)


def _listening_socket(host: str, port: int) -> socket.socket:
    # SO_REUSEPORT: every API process has its own listening socket on the same port and the
    # kernel spreads new connections across them evenly. (A shared socket, uvicorn's --workers,
    # lets the busiest process accept most connections: measured 46 of 64 on one process.)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def serve(index: int = 0) -> None:
    """One API process: its own app (broker connections, store writer) on a SO_REUSEPORT socket."""
    import uvicorn

    settings = get_settings()
    configure_logging(settings, "api" if settings.api_workers == 1 else f"api-{index}")
    try:
        app = create_app(settings)
    except ConfigurationError as exc:
        raise SystemExit(f"error: {exc}") from None
    tune_runtime()
    config = uvicorn.Config(
        app,
        log_config=None,
        proxy_headers=True,
        access_log=False,
        loop="uvloop",
        # httptools with a cap on the request line and headers (MAX_HEADER_BYTES → 431).
        http=capped_http_protocol(settings.max_header_bytes),
    )
    sock = _listening_socket(settings.api_host, settings.api_port)
    uvicorn.Server(config).run(sockets=[sock])


def main() -> None:
    """`python -m api`: one process, or `API_WORKERS` processes sharing the port."""
    import multiprocessing as mp
    import signal

    settings = get_settings()
    if settings.api_workers == 1:
        serve()
        return
    try:
        create_app(settings)  # fail fast on configuration errors, before starting anything
    except ConfigurationError as exc:
        raise SystemExit(f"error: {exc}") from None
    ctx = mp.get_context("spawn")
    procs = [ctx.Process(target=serve, args=(i,), name=f"api-{i}") for i in range(settings.api_workers)]
    for proc in procs:
        proc.start()

    def stop(signum: int, _frame: Any) -> None:
        for proc in procs:
            if proc.is_alive() and proc.pid:
                os.kill(proc.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # Whichever process ends, stop them all: a half-running API should not look healthy.
    while all(proc.is_alive() for proc in procs):
        procs[0].join(0.5)
    stop(signal.SIGTERM, None)
    for proc in procs:
        proc.join(30)
    codes = {proc.exitcode for proc in procs}
    raise SystemExit(0 if codes <= {0, -signal.SIGTERM} else 1)
