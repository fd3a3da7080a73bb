"""Open-loop HTTP clients for bench/agent_message.py: message i is sent at `start + i / rate`
whatever happened to the ones before, each its own request, latency from its scheduled time.

Two clients with the same contract:

- `raw` (default): uvloop, one `asyncio.Protocol` per keep-alive connection, the requests'
  bytes (request line, headers, body) built before the clock starts, a response read by its
  `Content-Length`. A request waits for no other: when every open connection has a request in
  flight a new one is opened, up to `max_connections`; past that the request waits for the first
  connection free, and its latency still counts from its scheduled time (a stall shows, it is not
  hidden by the client slowing down). No pipelining: one request per connection at a time.
- `aiohttp`: the client the bench used before, kept to compare (its CPU per request on this box
  is about twice the raw client's; docs/agent-message.md, "tenth session").

The load generator shares the machine with what it measures, so what it costs is measured too:
`cpu_s` is the CPU time of the thread that runs the loop over the load phase
(`time.thread_time`, so the fake backend's thread in the same process is not counted). The
replies are returned raw and read after that window.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from typing import Any, cast
from urllib.parse import urlsplit

TIMEOUT_S = 30.0


class _Conn(asyncio.Protocol):
    """One keep-alive connection with at most one request in flight."""

    def __init__(self, client: _Raw) -> None:
        self.client = client
        self.transport: asyncio.Transport | None = None
        self.buf = bytearray()
        self.need = -1  # bytes of the whole response once its headers are read
        self.body_at = 0
        self.status = 0
        self.job: tuple[int, float] | None = None  # (message index, scheduled time)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def send(self, index: int, due: float) -> None:
        assert self.transport is not None
        self.job = (index, due)
        self.transport.write(self.client.requests[index])

    def data_received(self, data: bytes) -> None:
        buf = self.buf
        buf += data
        if self.need < 0:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).lower()
            self.status = int(head[9:12])
            at = head.find(b"\ncontent-length:")
            if at < 0:  # the API always sends one; a chunked reply would be misread
                self._fail("NoContentLength")
                return
            stop = head.find(b"\r", at + 1)
            self.body_at = end + 4
            self.need = self.body_at + int(head[at + 16 : stop if stop > 0 else None])
        if len(buf) < self.need:
            return
        body = bytes(buf[self.body_at : self.need])
        del buf[: self.need]
        self.need = -1
        job, self.job = self.job, None
        if job is not None:
            self.client.done(self, job, self.status, body)

    def _fail(self, why: str) -> None:
        job, self.job = self.job, None
        if self.transport is not None:
            self.transport.close()
        if job is not None:
            self.client.failed(self, job, why)

    def connection_lost(self, exc: Exception | None) -> None:
        self.client.lost(self)
        job, self.job = self.job, None
        if job is not None:
            self.client.failed(self, job, type(exc).__name__ if exc else "ConnectionClosed")


class _Raw:
    def __init__(self, url: str, headers: dict[str, str], bodies: list[bytes], max_connections: int) -> None:
        parts = urlsplit(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        head = f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n" + "".join(
            f"{k}: {v}\r\n" for k, v in headers.items()
        )
        self.requests = [f"{head}Content-Length: {len(b)}\r\n\r\n".encode() + b for b in bodies]
        self.max_connections = max_connections
        self.idle: list[_Conn] = []
        self.open = 0  # connections open or opening
        self.backlog: deque[tuple[int, float]] = deque()
        self.latencies: list[float] = []
        self.statuses: Counter[int | str] = Counter()
        self.replies: list[tuple[int, bytes]] = []  # (message index, body) of each 200
        self.outstanding = 0
        self.all_done: asyncio.Future[None] | None = None
        self.peak = 0

    def dispatch(self, index: int, due: float) -> None:
        self.outstanding += 1
        if self.idle:
            self.idle.pop().send(index, due)
        elif self.open < self.max_connections:
            self.open += 1
            self.peak = max(self.peak, self.open)
            asyncio.get_running_loop().create_task(self._connect(index, due))
        else:
            self.backlog.append((index, due))

    async def _connect(self, index: int, due: float) -> None:
        loop = asyncio.get_running_loop()
        try:
            _, conn = await loop.create_connection(lambda: _Conn(self), self.host, self.port)
        except Exception as exc:
            self.open -= 1
            self._finish(type(exc).__name__)
            return
        conn.send(index, due)

    def done(self, conn: _Conn, job: tuple[int, float], status: int, body: bytes) -> None:
        index, due = job
        self.statuses[status] += 1
        if status == 200:
            self.latencies.append(time.perf_counter() - due)
            self.replies.append((index, body))
        self._next(conn)
        self._finish(None)

    def failed(self, conn: _Conn, job: tuple[int, float], why: str) -> None:
        self.statuses[why] += 1
        self._finish(None)

    def lost(self, conn: _Conn) -> None:
        self.open -= 1
        if conn in self.idle:
            self.idle.remove(conn)
        if self.backlog and self.open < self.max_connections:
            index, due = self.backlog.popleft()
            self.outstanding -= 1
            self.dispatch(index, due)

    def _next(self, conn: _Conn) -> None:
        if self.backlog:
            conn.send(*self.backlog.popleft())
        else:
            self.idle.append(conn)

    def _finish(self, why: str | None) -> None:
        if why is not None:
            self.statuses[why] += 1
        self.outstanding -= 1
        if self.outstanding == 0 and self.all_done is not None and not self.all_done.done():
            self.all_done.set_result(None)

    async def run(self, rate: float) -> float:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        for i in range(len(self.requests)):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            self.dispatch(i, due)
        self.all_done = loop.create_future()
        if self.outstanding == 0:
            self.all_done.set_result(None)
        try:
            await asyncio.wait_for(self.all_done, TIMEOUT_S)
        except TimeoutError:
            self.statuses["Timeout"] += self.outstanding
        return started


async def _raw(
    url: str, headers: dict[str, str], bodies: list[bytes], rate: float, max_conn: int
) -> dict[str, Any]:
    client = _Raw(url, headers, bodies, max_conn)
    cpu0 = time.thread_time()
    started = await client.run(rate)
    cpu = time.thread_time() - cpu0
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": cpu,
        "latencies": client.latencies,
        "statuses": client.statuses,
        "replies": client.replies,
        "connections": client.peak,
    }


async def _aiohttp(
    url: str, headers: dict[str, str], bodies: list[bytes], rate: float, max_conn: int
) -> dict[str, Any]:
    import aiohttp

    latencies: list[float] = []
    statuses: Counter[int | str] = Counter()
    replies: list[tuple[int, bytes]] = []

    async def send(session: aiohttp.ClientSession, index: int, due: float) -> None:
        try:
            async with session.post(url, data=bodies[index], headers=headers) as resp:
                data = await resp.read()
                statuses[resp.status] += 1
                if resp.status == 200:
                    latencies.append(time.perf_counter() - due)
                    replies.append((index, data))
        except Exception as exc:
            statuses[type(exc).__name__] += 1

    conn = aiohttp.TCPConnector(limit=max_conn)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    async with aiohttp.ClientSession(connector=conn, timeout=timeout) as session:
        started = time.perf_counter()
        cpu0 = time.thread_time()
        pending = []
        for i in range(len(bodies)):
            due = started + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            pending.append(asyncio.create_task(send(session, i, due)))
        await asyncio.gather(*pending)
        cpu = time.thread_time() - cpu0
    return {
        "seconds": time.perf_counter() - started,
        "cpu_s": cpu,
        "latencies": latencies,
        "statuses": statuses,
        "replies": replies,
        "connections": None,
    }


def run(
    client: str, url: str, headers: dict[str, str], bodies: list[bytes], rate: float, max_connections: int
) -> dict[str, Any]:
    """The load phase with the named client (`raw` or `aiohttp`); raw replies, read by the caller."""
    if client == "raw":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(_raw(url, headers, bodies, rate, max_connections))
    return asyncio.run(_aiohttp(url, headers, bodies, rate, max_connections))
