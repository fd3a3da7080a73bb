"""Who is using /ops: an API key (the key's tenant) or a person from `OPS_USERS` (HTTP Basic).

`OPS_USERS=user:bcrypt-hash[:tenant],...`: a user with a tenant sees only that tenant's tasks; a
user without one is an operator of the whole installation. Hashes come from
`python -m api.ops.hash_password`.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import time
from dataclasses import dataclass

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


async def _password_ok(user: OpsUser, password: str) -> bool:
    key = hashlib.sha256(b"\0".join([user.name.encode(), password.encode(), user.password_hash])).hexdigest()
    now = time.monotonic()
    if _verified.get(key, 0.0) > now:
        return True
    # Off the event loop: task POSTs must not wait behind a password check.
    if not await asyncio.to_thread(bcrypt.checkpw, password.encode(), user.password_hash):
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


async def get_viewer(request: Request) -> Viewer:
    state = request.app.state
    authorization = request.headers.get("authorization")
    scheme, _, value = (authorization or "").partition(" ")
    if scheme.lower() == "basic":
        try:
            name, _, password = base64.b64decode(value.strip()).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            raise _unauthorized() from None
        user = state.ops_users.get(name)
        if user is None or not await _password_ok(user, password):
            raise _unauthorized()
        return Viewer(f"user {name}", user.tenant)
    tenant = resolve_tenant(state, authorization, request.headers.get("x-api-key"))
    if tenant is None:
        raise _unauthorized()
    return Viewer(f"API key of {tenant}", tenant)


def same_origin(request: Request) -> None:
    """Refuse a button press posted from another site (the browser sends Basic credentials
    along with any request to this origin)."""
    origin = request.headers.get("origin")
    if origin is None or origin == "null":
        referer = request.headers.get("referer")
        if referer is None:
            return  # not a browser form post (curl); the credentials were checked already
        origin = referer
    host = request.headers.get("host", "")
    if origin.split("://", 1)[-1].split("/", 1)[0] != host:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail="cross-site request refused")
