"""Rules threads take work in batches: large ones from a backlog, one each when little waits and
the handlers are slow, and a trickle grouped behind the running batch when they are fast."""

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


class Blocking:
    """A run() that records each batch and holds it until released."""

    def __init__(self) -> None:
        self.batches: list[list[int]] = []
        self.lock = threading.Lock()
        self.release = threading.Event()

    def __call__(self, batch: list[int]) -> None:
        with self.lock:
            self.batches.append(batch)
        self.release.wait(10)

    def seen(self) -> list[list[int]]:
        with self.lock:
            return list(self.batches)


def test_with_fast_handlers_messages_arriving_during_a_batch_wait_for_it_and_go_together() -> None:
    run = Blocking()
    pool: BatchPool[int] = BatchPool(8, 64, run, name="test", group_wait_s=30)
    pool.min_batch = 16
    pool.put_many([1])
    wait_until(lambda: run.seen() == [[1]], message="the first message's batch running")
    for item in (2, 3, 4):  # a trickle, each arriving on its own while the first batch runs
        pool.put_many([item])
    assert run.seen() == [[1]], "seven idle threads, and none takes a message of the trickle"
    run.release.set()
    wait_until(lambda: len(run.seen()) == 2, message="the next batch")
    pool.shutdown()
    assert run.seen() == [[1], [2, 3, 4]], "one batch, one transaction, for the three"


def test_a_batch_that_runs_long_holds_the_next_messages_back_no_longer_than_the_group_wait() -> None:
    run = Blocking()
    pool: BatchPool[int] = BatchPool(8, 64, run, name="test", group_wait_s=0.05)
    pool.min_batch = 16
    pool.put_many([1])
    wait_until(lambda: run.seen() == [[1]], message="the first batch running")
    pool.put_many([2])
    wait_until(lambda: len(run.seen()) == 2, message="another thread taking the waiting message")
    assert run.seen() == [[1], [2]], "taken while the first batch still runs"
    run.release.set()
    pool.shutdown()


def test_a_full_batch_waiting_starts_another_thread_at_once() -> None:
    run = Blocking()
    pool: BatchPool[int] = BatchPool(8, 64, run, name="test", group_wait_s=30)
    pool.min_batch = 4
    pool.put_many([1])
    wait_until(lambda: run.seen() == [[1]], message="the first batch running")
    pool.put_many([2, 3, 4, 5])
    wait_until(lambda: len(run.seen()) == 2, message="a second thread on the backlog")
    assert run.seen() == [[1], [2, 3, 4, 5]]
    run.release.set()
    pool.shutdown()


def test_slow_handlers_are_never_held_back_for_a_group() -> None:
    run = Blocking()
    pool: BatchPool[int] = BatchPool(4, 64, run, name="test", group_wait_s=30)
    pool.put_many([1])  # min_batch 1: the handlers are slow
    wait_until(lambda: run.seen() == [[1]], message="the first batch running")
    pool.put_many([2])
    wait_until(lambda: len(run.seen()) == 2, message="the second message on another thread")
    run.release.set()
    pool.shutdown()
