"""Who is using /ops: an API key (the key's tenant) or a person from `OPS_USERS` (HTTP Basic).

`OPS_USERS=user:bcrypt-hash[:tenant],...`: a user with a tenant sees only that tenant's tasks; a
user without one is an operator of the whole installation. Hashes come from
`python -m api.ops.hash_password`. Logins resist abuse (docs/operations.md): bcrypt in its own
one-thread pool, failed logins limited per user and per client, unknown users cost the same.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import math
import time
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

import bcrypt
from fastapi import HTTPException, Request, status

from api.providers import resolve_tenant


@dataclass(frozen=True)
class OpsUser:
    name: str
    password_hash: bytes
    tenant: str | None


@dataclass(frozen=True)
class Viewer:
    """The person or client behind a request; `tenant` None sees every tenant."""

    label: str
    tenant: str | None


def parse_ops_users(raw: str | None) -> dict[str, OpsUser]:
    users: dict[str, OpsUser] = {}
    for item in (raw or "").split(","):
        item = item.strip()
        if not item:
            continue
        parts = item.split(":")
        if len(parts) not in (2, 3) or not parts[0] or not parts[1].startswith("$2"):
            raise ValueError("OPS_USERS entries are user:bcrypt-hash or user:bcrypt-hash:tenant")
        users[parts[0]] = OpsUser(parts[0], parts[1].encode(), parts[2] if len(parts) == 3 else None)
    return users


# A browser sends the Basic credentials with every page and button. bcrypt is deliberately slow
# (~0.2 s), so a verified password is remembered for a while, keyed by a hash of user, password
# and stored hash (a changed OPS_USERS entry or password never matches an old key).
_VERIFIED_FOR_S = 300.0
_verified: dict[str, float] = {}

# bcrypt runs in its own pool of one thread, never in the thread pool the store and the request
# path share: a flood of logins then queues behind itself (docs/operations.md). At most
# _MAX_PENDING checks wait for it; more get 429 at once instead of piling up.
_BCRYPT_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ops-bcrypt")
_MAX_PENDING = 8
# Failed logins allowed per user name and per client address within the window; then 429.
FAILURE_WINDOW_S = 300.0
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20
# A refused login waits this long before its 429: a sleeping coroutine costs nothing, and a
# flooding client that waits for its answers slows down to one attempt per second per connection.
TARPIT_S = 1.0


class LoginGuard:
    """Failed-login counts per user and per client (sliding window) and the bcrypt queue."""

    def __init__(self) -> None:
        self.failures: dict[str, deque[float]] = defaultdict(deque)
        self.pending = 0

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= now - FAILURE_WINDOW_S:
            times.popleft()
        return times

    def retry_after(self, user: str, client: str) -> int | None:
        """Seconds until this user and client may try again; None when they may now."""
        now = time.monotonic()
        waits = []
        for key, limit in (
            (f"user:{user}", MAX_FAILURES_PER_USER),
            (f"client:{client}", MAX_FAILURES_PER_CLIENT),
        ):
            times = self._recent(key, now)
            if len(times) >= limit:
                waits.append(times[len(times) - limit] + FAILURE_WINDOW_S - now)
        if not waits:
            return None
        return max(1, math.ceil(max(waits)))

    def failed(self, user: str, client: str) -> None:
        now = time.monotonic()
        if len(self.failures) > 10_000:  # a flood of invented names must not grow this forever
            self.failures.clear()
        for key in (f"user:{user}", f"client:{client}"):
            self._recent(key, now).append(now)


@lru_cache(maxsize=8)
def _dummy_hash(cost: bytes) -> bytes:
    """A hash of the same cost as the configured ones, checked for unknown users so that a wrong
    user name costs what a wrong password does (no user enumeration by timing)."""
    return bcrypt.hashpw(b"unknown user", cost)


def _salt_of(users: dict[str, OpsUser]) -> bytes:
    for user in users.values():
        return user.password_hash[:29]  # $2b$NN$ + 22 salt characters
    return bcrypt.gensalt()


async def _password_ok(guard: LoginGuard, stored: bytes, key_parts: list[bytes], password: str) -> bool:
    key = hashlib.sha256(b"\0".join([*key_parts, password.encode(), stored])).hexdigest()
    now = time.monotonic()
    if _verified.get(key, 0.0) > now:
        return True
    if guard.pending >= _MAX_PENDING:
        await asyncio.sleep(TARPIT_S)
        raise _too_many(1)
    guard.pending += 1
    try:
        loop = asyncio.get_running_loop()
        ok = await loop.run_in_executor(_BCRYPT_POOL, bcrypt.checkpw, password.encode(), stored)
    finally:
        guard.pending -= 1
    if not ok:
        return False
    if len(_verified) > 1000:
        _verified.clear()
    _verified[key] = now + _VERIFIED_FOR_S
    return True


def _unauthorized() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED,
        detail="send an API key (Authorization: Bearer / X-API-Key) or log in as an OPS_USERS user",
        headers={"WWW-Authenticate": 'Basic realm="ops", charset="UTF-8"'},
    )


def _too_many(retry_after: int) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        detail="too many failed logins; try again later",
        headers={"Retry-After": str(retry_after)},
    )


def _guard(state: Any) -> LoginGuard:
    guard = getattr(state, "ops_login_guard", None)
    if guard is None:
        guard = state.ops_login_guard = LoginGuard()
    return guard


async def _basic_login(request: Request, value: str) -> Viewer:
    try:
        name, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
    except (ValueError, UnicodeDecodeError):
        raise _unauthorized() from None
    users: dict[str, OpsUser] = request.app.state.ops_users
    guard = _guard(request.app.state)
    client = request.client.host if request.client else "unknown"
    if (wait := guard.retry_after(name, client)) is not None:
        await asyncio.sleep(TARPIT_S)
        raise _too_many(wait)
    user = users.get(name)
    stored = user.password_hash if user is not None else _dummy_hash(_salt_of(users))
    ok = await _password_ok(guard, stored, [name.encode()], password)
    if user is None or not ok:
        guard.failed(name, client)
        raise _unauthorized()
    return Viewer(f"user {name}", user.tenant)


async def get_viewer(request: Request) -> Viewer:
    authorization = request.headers.get("authorization")
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "basic":
        return await _basic_login(request, value)
    tenant = resolve_tenant(request.app.state, authorization, request.headers.get("x-api-key"))
    if tenant is None:
        raise _unauthorized()
    return Viewer(f"API key of {tenant}", tenant)


def same_origin(request: Request) -> None:
    """Refuse a state-changing request a browser sent from another site: the browser attaches
    Basic credentials to any request to this origin. `Sec-Fetch-Site` (every current browser)
    settles it; otherwise `Origin`, where `null` (a sandboxed or no-referrer page) is refused
    too; a request with neither header is not from a browser form (curl) and its credentials
    were checked already."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        raise _cross_site()
    origin = request.headers.get("origin")
    if origin is None:
        origin = request.headers.get("referer")
        if origin is None:
            return
    if origin == "null":
        raise _cross_site()
    allowed = {request.headers.get("host", "")}
    public = request.app.state.settings.public_base_url
    if public:
        allowed.add(urlsplit(public).netloc)
    if urlsplit(origin).netloc not in allowed:
        raise _cross_site()


def _cross_site() -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail="cross-site request refused")
