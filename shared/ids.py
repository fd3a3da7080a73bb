"""Random ids from the kernel's CSPRNG with one system call per 256 of them, and time-ordered
task ids (`uuid7`).

`uuid.uuid4()` and `secrets.token_hex()` call `os.urandom` for every id. Under load on the API's
2-core VM that system call came to about 5 % of the event loop thread's CPU (py-spy, three ids
per accepted task: task id, correlation id, traceparent). Here the same kernel bytes are read
4 KiB at a time and each byte is handed out once, per thread; a forked child starts with an
empty pool, so parent and child never share bytes. The ids have the same form as before.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_CHUNK = 4096


class _Pool(threading.local):
    buf = b""
    pos = 0


_POOL = _Pool()


def _forget() -> None:
    _POOL.buf, _POOL.pos = b"", 0


os.register_at_fork(after_in_child=_forget)


def random_bytes(n: int) -> bytes:
    """`n` (at most 4096) bytes from the CSPRNG, never handed out before."""
    pool = _POOL
    pos = pool.pos
    buf = pool.buf
    if pos + n > len(buf):
        pool.buf = buf = os.urandom(_CHUNK)
        pos = 0
    pool.pos = pos + n
    return buf[pos : pos + n]


def _uuid4_bytes() -> bytearray:
    b = bytearray(random_bytes(16))
    b[6] = (b[6] & 0x0F) | 0x40  # version 4
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 variant
    return b


# What UUID.__init__ ends with, without its argument checks (a third of the time): the two slots
# of CPython's UUID, checked here so that another layout falls back to the constructor.
_PLAIN_UUID = getattr(uuid.UUID, "__slots__", None) == ("int", "is_safe", "__weakref__")
_new = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown


def _from_bytes(b: bytearray) -> uuid.UUID:
    """The UUID of 16 bytes, built without `UUID.__init__`'s checks where the interpreter allows it."""
    if not _PLAIN_UUID:
        return uuid.UUID(bytes=bytes(b))
    value = _new(uuid.UUID)
    _set(value, "int", int.from_bytes(b))
    _set(value, "is_safe", _UNKNOWN)
    return value


def uuid4() -> uuid.UUID:
    """As `uuid.uuid4()`."""
    b = _uuid4_bytes()
    return _from_bytes(b)


def uuid7() -> uuid.UUID:
    """A version 7 UUID (RFC 9562): the Unix time in milliseconds, then 74 random bits.

    New task ids. The task table's primary key is this id as text, and a random (version 4) id
    put every insert on a random page of that index: as the table grew, each group commit wrote
    more pages and the API's rate fell round after round (docs/operations.md, "Seventh
    session"). Ids that grow with time land at the end of the index, a page for many rows. Still
    a UUID of the same form (SPEC §4); the creation time it shows is the task's `created_at`,
    which the status API gives the same client anyway."""
    b = bytearray((time.time_ns() // 1_000_000).to_bytes(6) + random_bytes(10))
    b[6] = (b[6] & 0x0F) | 0x70  # version 7
    b[8] = (b[8] & 0x3F) | 0x80  # RFC 4122 / 9562 variant
    return _from_bytes(b)


def uuid4_hex() -> str:
    """As `uuid.uuid4().hex`, without building the UUID."""
    return _uuid4_bytes().hex()


def token_hex(nbytes: int) -> str:
    """As `secrets.token_hex(nbytes)`."""
    return random_bytes(nbytes).hex()
