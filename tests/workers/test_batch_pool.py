"""Rules threads take work in batches: large ones from a backlog, one each when little waits."""

from __future__ import annotations

import threading

from tests.support.wait import wait_until
from workers.batch_pool import BatchPool


def test_a_few_slow_messages_spread_one_per_thread() -> None:
    release = threading.Event()
    batches: list[list[int]] = []
    lock = threading.Lock()

    def run(batch: list[int]) -> None:
        with lock:
            batches.append(batch)
        release.wait(10)

    pool: BatchPool[int] = BatchPool(4, 64, run, name="test")
    pool.put_many([1, 2, 3, 4])
    wait_until(lambda: len(batches) == 4, message="four threads each holding one message")
    release.set()
    pool.shutdown()
    assert sorted(len(b) for b in batches) == [1, 1, 1, 1]


def test_a_backlog_goes_in_large_batches_and_every_item_runs_once() -> None:
    seen: list[int] = []
    sizes: list[int] = []
    lock = threading.Lock()
    gate = threading.Event()

    def run(batch: list[int]) -> None:
        gate.wait(10)
        with lock:
            seen.extend(batch)
            sizes.append(len(batch))

    pool: BatchPool[int] = BatchPool(2, 64, run, name="test")
    pool.put_many(list(range(1000)))
    gate.set()
    pool.shutdown()  # finishes what is queued
    assert sorted(seen) == list(range(1000))
    assert max(sizes) == 64 and len(sizes) < 1000 / 10


def test_with_fast_handlers_a_thread_takes_up_to_the_minimum_batch_rather_than_a_fair_share() -> None:
    gate = threading.Event()
    sizes: list[int] = []
    lock = threading.Lock()

    def run(batch: list[int]) -> None:
        gate.wait(10)
        with lock:
            sizes.append(len(batch))

    pool: BatchPool[int] = BatchPool(8, 64, run, name="test")
    pool.min_batch = 16
    pool.put_many(list(range(20)))  # a fair share would be 3 for each of 8 threads
    wait_until(lambda: not pool._q, message="the 20 taken")
    gate.set()
    pool.shutdown()
    assert sorted(sizes) == [4, 16]
