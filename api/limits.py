"""Request body size limit as pure ASGI middleware.

It answers 413 from the Content-Length header before handing the request to the app, and also
counts the bytes of chunked bodies, so a client cannot stream past the limit. Ingestion
endpoints take bulk batches and have their own, larger limit (`MAX_BODY_BYTES_INGESTAO`).

Before answering it reads and discards what the client is still sending, up to a bound
(`DRAIN_MAX_BYTES`, `DRAIN_TIMEOUT_S`): a client that writes its whole body before reading
(urllib, requests) would otherwise hit a closed socket, and the kernel answers data arriving on
a closed socket with a reset, which can destroy the 413 before the client reads it (13
of 40 urllib uploads in the report that found it). A client that asked `Expect: 100-continue` has sent nothing
and waits for the answer, so nothing is drained for it; nor when the declared body is so large
that draining it would cost more than the answer is worth.
"""

from __future__ import annotations

import asyncio
import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DRAIN_MAX_BYTES = 16 * 1024 * 1024
DRAIN_TIMEOUT_S = 10.0


class BodyTooLarge(HTTPException):
    # An HTTPException so that FastAPI, which turns unexpected errors while reading a body into
    # 400, lets it through to its handler as the 413 it is.
    def __init__(self, limit: int) -> None:
        super().__init__(status_code=413, detail=f"request body larger than {limit} bytes")


def body_limit_for(path: str, default_limit: int, ingestion_limit: int) -> int:
    return ingestion_limit if path.startswith("/api/ingestao") else default_limit


class BodySizeLimit:
    def __init__(self, app: ASGIApp, default_limit: int, ingestion_limit: int) -> None:
        self.app = app
        self.default_limit = default_limit
        self.ingestion_limit = ingestion_limit

    def limit_for(self, path: str) -> int:
        return body_limit_for(path, self.default_limit, self.ingestion_limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope["path"])
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = 0
                if declared > limit:
                    if declared <= DRAIN_MAX_BYTES:
                        await _drain(scope, receive)
                    await self._reject(send, limit)
                    return
                # The HTTP server delivers no more than the declared length, so a body within
                # the limit needs no counting (this path is every ordinary request).
                await self.app(scope, receive, send)
                return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except BodyTooLarge:
            if not response_started:
                await _drain(scope, receive, already=received)
                await self._reject(send, limit)

    @staticmethod
    async def _reject(send: Send, limit: int) -> None:
        body = json.dumps({"detail": f"request body larger than {limit} bytes"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


async def _drain(scope: Scope, receive: Receive, already: int = 0) -> None:
    """Read and drop the rest of the body, within DRAIN_MAX_BYTES and DRAIN_TIMEOUT_S."""
    if any(name == b"expect" and value.lower() == b"100-continue" for name, value in scope["headers"]):
        return
    drained = already
    try:
        async with asyncio.timeout(DRAIN_TIMEOUT_S):
            while drained <= DRAIN_MAX_BYTES:
                message = await receive()
                if message["type"] != "http.request":
                    return
                drained += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
    except TimeoutError:
        return
