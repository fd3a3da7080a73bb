"""Dependency providers: what a request gets from the app (its store and publisher) and from its
headers (its tenant). `api/deps.py` wraps them in `Annotated` aliases for the routes.

They are `async def` although they do no I/O: FastAPI runs a plain `def` dependency (and a class
used as one) in the thread pool, i.e. several thread hand-offs per request, which cost more than
everything else in a POST (measured with bench/api_publish.py and py-spy).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header, HTTPException, Request, status

from api.publisher import Publisher
from shared.store import Store


async def get_store(request: Request) -> Store:
    return request.app.state.store  # type: ignore[no-any-return]


async def get_publisher(request: Request) -> Publisher:
    return request.app.state.publisher  # type: ignore[no-any-return]


_UNAUTHORIZED = HTTPException(
    status_code=status.HTTP_401_UNAUTHORIZED,
    detail="missing or unknown API key: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
    headers={"WWW-Authenticate": "Bearer"},
)


def resolve_tenant(state: Any, authorization: str | None, x_api_key: str | None) -> str | None:
    """The tenant of a request's API key (None: missing or unknown). Shared by `get_tenant` and
    the fast lane (api/fastlane.py)."""
    if state.settings.api_auth == "disabled":
        return "default"
    key = x_api_key
    if key is None and authorization:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer":
            key = value.strip()
    return state.api_keys.get(key) if key else None  # type: ignore[no-any-return]


async def get_tenant(
    request: Request,
    authorization: Annotated[str | None, Header(include_in_schema=False)] = None,
    x_api_key: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> str:
    # app.state directly rather than another dependency: every dependency level costs FastAPI's
    # resolver time on each request (this one runs on every POST and status request).
    tenant = resolve_tenant(request.app.state, authorization, x_api_key)
    if tenant is None:
        raise _UNAUTHORIZED
    return tenant
