"""A cap on the request line and headers (`MAX_HEADER_BYTES`), enforced while they are parsed.

uvicorn's httptools protocol has no such limit: an 8 MiB header was read, kept in memory and
handed to the app. This subclass counts what arrives before the end of the headers and answers
431 (Request Header Fields Too Large) as soon as it passes the cap, without reading the rest;
nothing past the cap is ever buffered beyond one network read.
"""

from __future__ import annotations

from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class HeadersTooLarge(Exception):
    pass


def capped_http_protocol(max_header_bytes: int) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with the cap (pass it as `uvicorn.Config(http=...)`)."""

    class CappedHttpToolsProtocol(HttpToolsProtocol):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._in_headers = True
            self._fed = 0  # bytes fed to the parser while the headers were incomplete
            self._exact = 0  # request line + header bytes as parsed
            self._too_large = False

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
