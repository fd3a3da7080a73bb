"""api/deadlines.py: PUBLISH_TIMEOUT_S through one timer per 50 ms of deadlines behaves as the
`asyncio.timeout` it replaces: a confirm still pending at its deadline is a `TimeoutError` (a
503), never sooner than the timeout; a confirm in time is its result; a cancelled request stays
cancelled; settled confirms are not kept."""

from __future__ import annotations

import asyncio

import pytest
import uvloop

from api.deadlines import GRAIN_S, Deadlines, within


@pytest.fixture(params=["asyncio", "uvloop"])
def run(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    return asyncio.run if request.param == "asyncio" else uvloop.run


def test_a_confirm_not_in_time_is_a_timeout_never_before_the_timeout(run) -> None:  # type: ignore[no-untyped-def]
    async def late() -> None:
        loop = asyncio.get_running_loop()
        deadlines = Deadlines(loop)
        fut: asyncio.Future[str] = loop.create_future()
        started = loop.time()
        with pytest.raises(TimeoutError):
            await within(deadlines, fut, 0.12)
        waited = loop.time() - started
        assert 0.12 - 0.002 <= waited <= 0.12 + GRAIN_S + 0.1  # libuv counts whole milliseconds
        assert fut.cancelled()  # as asyncio.timeout leaves the awaited future
        assert deadlines.pending() == 0

    run(late())


def test_a_confirm_in_time_is_its_result_and_is_not_kept(run) -> None:  # type: ignore[no-untyped-def]
    async def in_time() -> None:
        loop = asyncio.get_running_loop()
        deadlines = Deadlines(loop)
        futures = [loop.create_future() for _ in range(3)]
        waits = [asyncio.ensure_future(within(deadlines, f, 5)) for f in futures]
        await asyncio.sleep(0)
        assert deadlines.pending() == 3
        futures[0].set_result("ack")
        futures[1].set_exception(ValueError("nack"))
        assert await waits[0] == "ack"
        with pytest.raises(ValueError, match="nack"):
            await waits[1]
        assert deadlines.pending() == 1  # settled futures leave their grain at once
        futures[2].set_result("ack")
        await waits[2]
        assert deadlines.pending() == 0

    run(in_time())


def test_the_request_cancelled_stays_cancelled(run) -> None:  # type: ignore[no-untyped-def]
    async def cancelled() -> None:
        loop = asyncio.get_running_loop()
        deadlines = Deadlines(loop)
        fut: asyncio.Future[str] = loop.create_future()
        task = asyncio.ensure_future(within(deadlines, fut, 5))
        await asyncio.sleep(0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert deadlines.pending() == 0
        # Cancelled in the same pass as its deadline passes: still a cancellation.
        fut2: asyncio.Future[str] = loop.create_future()
        task2 = asyncio.ensure_future(within(deadlines, fut2, 0.01))
        await asyncio.sleep(0)
        deadlines._expire(next(iter(deadlines._grains)))
        task2.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task2

    run(cancelled())
