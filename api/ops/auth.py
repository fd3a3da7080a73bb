"""Who is using /ops: an API key (the key's tenant) or a person from `OPS_USERS` (HTTP Basic).

`OPS_USERS=user:bcrypt-hash[:tenant],...`: a user with a tenant sees only that tenant's tasks; a
user without one is an operator of the whole installation. Hashes come from
`python -m api.ops.hash_password`.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import bcrypt
from fastapi import HTTPException, Request, status

from api.deps import resolve_tenant


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
        # bcrypt runs even for an unknown user would be nicer for timing; an unknown name is
        # already visible from the 401 either way, the password is what must not leak.
        if user is None or not bcrypt.checkpw(password.encode(), user.password_hash):
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
