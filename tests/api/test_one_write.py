"""The production HTTP protocol writes an express-lane answer's head and body with one socket write
(api/http_limits.py, `HeadHoldingTransport`), and never loses or reorders a byte."""

from __future__ import annotations

from typing import Any

from api.http_limits import HeadHoldingTransport


class FakeTransport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return ("127.0.0.1", 8000) if name == "sockname" else default


def test_a_held_head_goes_out_with_the_next_write() -> None:
    raw = FakeTransport()
    transport = HeadHoldingTransport(raw)  # type: ignore[arg-type]
    transport.hold_next_write()
    transport.write(b"HTTP/1.1 202 Accepted\r\n\r\n")
    assert raw.writes == []
    transport.write(b'{"task_id": "t"}')
    assert raw.writes == [b'HTTP/1.1 202 Accepted\r\n\r\n{"task_id": "t"}']
    transport.release()  # nothing held: nothing written
    transport.write(b"next")
    assert raw.writes[1:] == [b"next"]


def test_writes_are_not_held_unless_asked() -> None:
    raw = FakeTransport()
    transport = HeadHoldingTransport(raw)  # type: ignore[arg-type]
    transport.write(b"a")
    transport.write(b"b")
    assert raw.writes == [b"a", b"b"]


def test_release_and_close_write_what_is_held_first() -> None:
    raw = FakeTransport()
    transport = HeadHoldingTransport(raw)  # type: ignore[arg-type]
    transport.hold_next_write()
    transport.write(b"head")
    transport.release()
    assert raw.writes == [b"head"]
    transport.hold_next_write()
    transport.write(b"head 2")
    transport.close()
    assert raw.writes == [b"head", b"head 2"] and raw.closed and transport.is_closing()


def test_the_rest_is_the_transport_s_own() -> None:
    raw = FakeTransport()
    transport = HeadHoldingTransport(raw)  # type: ignore[arg-type]
    assert transport.get_extra_info("sockname") == ("127.0.0.1", 8000)
