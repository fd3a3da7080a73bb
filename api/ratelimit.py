"""Per-tenant token buckets shared by every API process on the host (`TENANT_RATE_LIMITS`).

`API_WORKERS` processes share one port (SO_REUSEPORT) and the kernel spreads connections across
them, so a bucket per process would let a tenant through N times its rate. The buckets live in a
small file instead (on tmpfs, /dev/shm, when there is one), mapped into every process and
updated under an exclusive `flock`: a few microseconds per request, no round trip to the task
store (whose single writer thread batches the task inserts and would make every POST wait
behind a rate check), no extra service. Processes on other hosts have their own file: the limit
is per API host.

File layout: a header (magic, layout digest) then one slot per tenant (tokens, last refill on
CLOCK_MONOTONIC, which all processes of one boot share). The slots follow the sorted tenant list;
a process started with another layout (other keys or limits) resets the file instead of
misreading it.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import mmap
import os
import struct
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException, status

_MAGIC = b"TGWRL001"
_HEADER = struct.Struct("<8s32s")
_SLOT = struct.Struct("<dd")


@dataclass(frozen=True)
class Rate:
    """`count` requests per `period_s`; a bucket holds at most `count` tokens (the burst)."""

    count: float
    period_s: float

    @property
    def per_second(self) -> float:
        return self.count / self.period_s


_PERIODS = {"s": 1.0, "m": 60.0, "h": 3600.0}


def parse_limits(raw: str | None) -> dict[str, Rate]:
    """`tenant_a=200/s,*=100/s` → {"tenant_a": Rate(200, 1), "*": Rate(100, 1)}."""
    limits: dict[str, Rate] = {}
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        tenant, sep, spec = item.partition("=")
        count, slash, unit = spec.strip().partition("/")
        try:
            value = float(count)
        except ValueError:
            value = -1.0
        unit = unit.strip()
        if not sep or not tenant.strip() or not slash or unit not in _PERIODS or not value > 0:
            raise ValueError(
                f"TENANT_RATE_LIMITS entries must look like tenant=N/s (or /m, /h; tenant * for "
                f"every other tenant) with N > 0, got {item!r}"
            )
        limits[tenant.strip()] = Rate(value, _PERIODS[unit])
    return limits


def default_state_path(port: int) -> str:
    # A fixed name in a shared directory: the uid keeps users apart, and the file is opened
    # with O_NOFOLLOW and mode 0600 so nobody else can plant or read it.
    shm = "/dev/shm"  # noqa: S108
    base = shm if os.path.isdir(shm) else tempfile.gettempdir()
    return os.path.join(base, f"clinical-gateway-ratelimit-{os.getuid()}-{port}")


class RateLimiter:
    def __init__(self, limits: dict[str, Rate], tenants: Iterable[str], path: str) -> None:
        default = limits.get("*")
        self.rates: dict[str, Rate] = {}
        for tenant in sorted(set(tenants) | (set(limits) - {"*"})):
            rate = limits.get(tenant, default)
            if rate is not None:
                self.rates[tenant] = rate
        self.slots = {tenant: i for i, tenant in enumerate(self.rates)}
        layout = repr(sorted((t, r.count, r.period_s) for t, r in self.rates.items())).encode()
        self.digest = hashlib.sha256(layout).digest()
        self.path = path
        self.fd = -1
        self.map: mmap.mmap | None = None
        if self.rates:
            self._open()

    def _open(self) -> None:
        size = _HEADER.size + _SLOT.size * len(self.rates)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        with self._locked():
            if os.fstat(self.fd).st_size < size:
                os.ftruncate(self.fd, size)
            self.map = mmap.mmap(self.fd, size)
            magic, digest = _HEADER.unpack_from(self.map, 0)
            if magic != _MAGIC or digest != self.digest:
                now = time.monotonic()
                for tenant, slot in self.slots.items():
                    _SLOT.pack_into(self.map, self._offset(slot), self.rates[tenant].count, now)
                _HEADER.pack_into(self.map, 0, _MAGIC, self.digest)

    @contextlib.contextmanager
    def _locked(self):  # type: ignore[no-untyped-def]
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)

    @staticmethod
    def _offset(slot: int) -> int:
        return _HEADER.size + slot * _SLOT.size

    def acquire(self, tenant: str) -> float:
        """Take a token: 0.0 when the request may go ahead, else the seconds until one is due."""
        rate = self.rates.get(tenant)
        if rate is None or self.map is None:
            return 0.0
        offset = self._offset(self.slots[tenant])
        # flock/unflock inline rather than through _locked(): this runs on every task POST.
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        try:
            tokens, stamp = _SLOT.unpack_from(self.map, offset)
            now = time.monotonic()
            # A stamp from the future: a file left over from before a reboot.
            elapsed = max(0.0, now - stamp)
            tokens = min(rate.count, tokens + elapsed * rate.per_second)
            if tokens >= 1.0:
                _SLOT.pack_into(self.map, offset, tokens - 1.0, now)
                return 0.0
            _SLOT.pack_into(self.map, offset, tokens, now)
        finally:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
        return (1.0 - tokens) / rate.per_second

    def close(self) -> None:
        if self.map is not None:
            self.map.close()
            self.map = None
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1


def retry_after(wait_s: float) -> str:
    return str(max(1, math.ceil(wait_s)))


def check_rate(state: Any, tenant: str) -> None:
    """429 with Retry-After when the tenant is over TENANT_RATE_LIMITS. Shared
    by `api.submit.get_submitter` and the fast lane."""
    wait = state.rate_limiter.acquire(tenant)
    if wait:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"tenant {tenant} is over its rate limit (TENANT_RATE_LIMITS)",
            headers={"Retry-After": retry_after(wait)},
        )
