"""The Celery side of the benchmarks. Runs ONLY in bench/.work/celery-venv (Celery is not a
dependency of the project); imports nothing from the project.

Configuration comes from the environment:
    BENCH_BROKER_URL   amqp URL including the vhost (a vhost of the benchmark's prefix)
    BENCH_QUEUE        the quorum queue (not `eventos`, so the gateway's queue stays clean)
    BENCH_STATS_FILE   worker: JSON written once BENCH_EXPECTED tasks have run
    BENCH_EXPECTED     worker: how many tasks to expect

    python celery_bench.py send N WARMUP ARGS_JSON_FILE   time app.send_task() in-process
    celery -A celery_bench worker --pool threads ...       the worker (no-op task `bench.noop`)

Quorum queues: RabbitMQ refuses global QoS on them. Celery >= 5.5 detects quorum queues among
`task_queues` (`worker_detect_quorum_queues`, on by default, set explicitly here) and then uses
per-consumer prefetch; it also declares its native delayed-delivery topology so ETA/countdown
tasks work without holding messages unacked (that needs a topic exchange, used here).
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from celery import Celery, signals
from kombu import Exchange, Queue

BROKER = os.environ.get("BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
QUEUE = os.environ.get("BENCH_QUEUE", "celery_bench")

app = Celery("celery_bench", broker=BROKER)
app.conf.update(
    broker_transport_options={"confirm_publish": True},
    broker_connection_retry_on_startup=True,
    task_queues=[
        Queue(
            QUEUE,
            Exchange(QUEUE, type="topic"),
            routing_key=QUEUE,
            queue_arguments={"x-queue-type": "quorum"},
            durable=True,
        ),
    ],
    task_default_queue=QUEUE,
    task_default_exchange=QUEUE,
    task_default_exchange_type="topic",
    task_default_routing_key=QUEUE,
    task_create_missing_queues=False,
    worker_detect_quorum_queues=True,
    task_ignore_result=True,
    # Ack after the task body, like our worker acks after the status is stored (issue 9).
    task_acks_late=os.environ.get("BENCH_ACKS_LATE", "1") == "1",
    result_backend=None,
    task_serializer="json",
    accept_content=["json"],
    worker_hijack_root_logger=False,
    worker_prefetch_multiplier=int(os.environ.get("BENCH_PREFETCH_MULTIPLIER", "4")),  # 4: Celery's default
)


# --- worker-side timing: a counter under a lock, written to a file once ---------------------------
# Counted in the task body, not with task_prerun/task_postrun: in this Celery version those signals
# were not sent for every task run by the threads pool (about 2 in 3 here), so they cannot tell
# when the last task ran. A lock and an int per task cost a few microseconds.

_lock = threading.Lock()
_state: dict[str, float | int | None] = {"ready": None, "first": None, "last": None, "count": 0}
_expected = int(os.environ.get("BENCH_EXPECTED", "0") or 0)
_stats_file = os.environ.get("BENCH_STATS_FILE")


@app.task(name="bench.noop")
def noop(*args: object, **kwargs: object) -> None:
    now = time.time()
    with _lock:
        if _state["first"] is None:
            _state["first"] = now
        _state["count"] = int(_state["count"] or 0) + 1
        done = _state["count"] == _expected
        if done:
            _state["last"] = time.time()
    if done and _stats_file:
        tmp = _stats_file + ".tmp"
        with open(tmp, "w") as fh:
            json.dump(_state, fh)
        os.replace(tmp, _stats_file)


@signals.worker_ready.connect
def _ready(**_kw: object) -> None:
    _state["ready"] = time.time()


# --- in-process send_task timing ---------------------------------------------------------------


def send(n: int, warmup: int, args_file: str) -> dict[str, float]:
    with open(args_file) as fh:
        payload = json.load(fh)
    for _ in range(warmup):  # connection, channel, confirm mode, queue declaration
        app.send_task("bench.noop", args=[payload])
    started = time.perf_counter()
    for _ in range(n):
        app.send_task("bench.noop", args=[payload])
    seconds = time.perf_counter() - started
    return {"n": n, "warmup": warmup, "seconds": seconds, "rate": n / seconds}


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "send":
        n, warmup, args_file = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
        print("BENCH_JSON " + json.dumps(send(n, warmup, args_file)), flush=True)
    else:
        raise SystemExit(__doc__)
