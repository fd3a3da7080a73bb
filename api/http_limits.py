"""A cap on the request line and headers (`MAX_HEADER_BYTES`), enforced while they are parsed.

uvicorn's httptools protocol has no such limit: an 8 MiB header was read, kept in memory and
handed to the app. This subclass counts what arrives before the end of the headers and answers
431 (Request Header Fields Too Large) as soon as it passes the cap, without reading the rest;
nothing past the cap is ever buffered beyond one network read.

The same protocol lets the express lane (api/express.py) write an answer's head and body with one
socket write: uvicorn writes them separately, one `send` system call each, about a tenth of the
API's CPU per accepted task. The connection's transport is wrapped (`HeadHoldingTransport`) and
the request's scope carries it under `HOLD_HEAD`: the express lane calls it
right before sending a response head whose body follows at once, and the held head goes out with
that body. The bytes on the wire are the same; a close flushes anything held first.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

HOLD_HEAD = "gateway.hold_head"


class HeadersTooLarge(Exception):
    pass


class HeadHoldingTransport:
    """A connection's transport that can hold one write until the next one (see the module
    docstring); everything else is the transport's own."""

    __slots__ = ("_held", "_holding", "_transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._holding = False
        self._held: bytes | None = None

    def hold_next_write(self) -> None:
        self._holding = True

    def release(self) -> None:
        """Stop holding: write what is held now (after a head that was not followed)."""
        self._holding = False
        held, self._held = self._held, None
        if held is not None:
            self._transport.write(held)

    def write(self, data: bytes) -> None:
        if self._holding:
            self._holding = False
            self._held = data
            return
        held = self._held
        if held is not None:
            self._held = None
            data = held + data
        self._transport.write(data)

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def close(self) -> None:
        self.release()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def capped_http_protocol(max_header_bytes: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with the cap (pass it as `uvicorn.Config(http=...)`)."""

    class CappedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._in_headers = True
            self._fed = 0  # bytes fed to the parser while the headers were incomplete
            self._exact = 0  # request line + header bytes as parsed
            self._too_large = False

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self.transport = HeadHoldingTransport(transport)  # type: ignore[assignment]

        def data_received(self, data: bytes) -> None:
            if self._in_headers:
                self._fed += len(data)
            super().data_received(data)
            if self._in_headers and self._fed > max_header_bytes and not self._too_large:
                self._reject()

        def on_url(self, url: bytes) -> None:
            self._count(len(url))
            super().on_url(url)

        def on_header(self, name: bytes, value: bytes) -> None:
            self._count(len(name) + len(value) + 4)
            super().on_header(name, value)

        def on_headers_complete(self) -> None:
            self._in_headers = False
            super().on_headers_complete()
            self.scope[HOLD_HEAD] = self.transport  # type: ignore[literal-required]

        def on_message_complete(self) -> None:
            super().on_message_complete()
            self._in_headers, self._fed, self._exact = True, 0, 0

        def _count(self, n: int) -> None:
            self._exact += n
            if self._exact > max_header_bytes:
                self._too_large = True
                raise HeadersTooLarge  # the parser stops; uvicorn calls send_400_response

        def send_400_response(self, msg: str) -> None:
            if self._too_large:
                self._reject()
            else:
                super().send_400_response(msg)

        def _reject(self) -> None:
            self._too_large = True
            if self.transport.is_closing():
                return
            body = f"request line and headers larger than {max_header_bytes} bytes".encode()
            self.transport.write(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
                b"content-type: text/plain; charset=utf-8\r\n"
                b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
            )
            self.transport.close()

    return CappedHttpToolsProtocol
