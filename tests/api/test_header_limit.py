"""The request line and headers are capped (MAX_HEADER_BYTES): an 8 MiB header gets 431."""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI

from api.http_limits import capped_http_protocol
from tests.support.servers import ServerThread

LIMIT = 32_768


@pytest.fixture
def url() -> Iterator[str]:
    app = FastAPI()

    @app.get("/eco")
    async def eco() -> dict[str, str]:
        return {"ok": "sim"}

    with ServerThread(app, http=capped_http_protocol(LIMIT)) as server:
        yield server.url


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.split("://", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(request)  # the server may answer and close before taking it all
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
        return b"".join(chunks)


def test_an_8_mib_header_is_refused_with_431_without_reading_it_all(url: str) -> None:
    answer = _raw(url, b"GET /eco HTTP/1.1\r\nHost: x\r\nX-Grande: " + b"a" * (8 * 1024 * 1024) + b"\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_many_small_headers_past_the_cap_are_refused_too(url: str) -> None:
    headers = b"".join(b"X-H%d: %s\r\n" % (i, b"v" * 100) for i in range(400))
    answer = _raw(url, b"GET /eco HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_ordinary_requests_and_keep_alive_are_unaffected(url: str) -> None:
    with httpx.Client(base_url=url) as client:
        for _ in range(3):
            resp = client.get("/eco", headers={"X-Normal": "v" * 8000})
            assert resp.status_code == 200 and resp.json() == {"ok": "sim"}
