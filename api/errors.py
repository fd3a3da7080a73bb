"""The API's exception handlers: a broker or store that cannot take a task is a 503 with
`Retry-After`, never a 500; a body FastAPI cannot decode is the same 422 as a JSON syntax error
(docs/api-contract.md).

The 422 renders any input (docs/security.md). FastAPI's own handler echoes each error's `input`,
and the response then failed to serialise what JSON cannot carry: `1e999` parses to infinity and a
lone surrogate (`"\ud800"`) cannot be encoded as UTF-8, so a bad request got a 500. Here every
echoed value is made representable first. A database data error (PostgreSQL refuses `\u0000` in
JSONB) is a 422 too, and any other database error a 503; neither is logged with its message."""

from __future__ import annotations

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.publisher import BrokerUnavailable
from shared.logs import get_logger
from shared.store import StoreUnavailable

log = get_logger("api")

UNPARSABLE_BODY = "There was an error parsing the body"  # FastAPI's 400 detail


async def broker_unavailable(_request: Request, exc: BrokerUnavailable) -> JSONResponse:
    log.warning("broker_unavailable", reason=exc.reason)
    return JSONResponse(
        {"detail": f"broker unavailable, task not accepted: {exc.reason}"},
        status_code=503,
        headers={"Retry-After": str(exc.retry_after_s)},
    )


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    # FastAPI answers 400 when a JSON body cannot even be decoded (not UTF-8, nested too
    # deep); it is the same client error as a JSON syntax error, which FastAPI makes a 422.
    if exc.status_code == 400 and exc.detail == UNPARSABLE_BODY:
        error = {
            "type": "json_invalid",
            "loc": ("body",),
            "msg": "JSON decode error",
            "input": {},
            "ctx": {"error": "the body is not UTF-8 encoded JSON"},
        }
        return await invalid_input(request, RequestValidationError([error]))
    return await http_exception_handler(request, exc)


async def store_unavailable(_request: Request, exc: StoreUnavailable) -> JSONResponse:
    log.warning("store_unavailable", error=str(exc))
    return JSONResponse(
        {"detail": "task store unavailable, task not accepted"},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def representable(value: Any, depth: int = 0) -> Any:
    if depth > 20:
        return "…"
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return (
            value
            if math.isfinite(value)
            else ("NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity"))
        )
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, bytes):
        return value.decode("utf-8", "backslashreplace")
    if isinstance(value, dict):
        return {str(representable(k, depth + 1)): representable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [representable(v, depth + 1) for v in value]
    return representable(repr(value), depth + 1)


def validation_errors(errors: Any) -> list[Any]:
    out = representable(list(errors))
    assert isinstance(out, list)
    return out


async def invalid_input(_request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's shape (`{"detail": [{type, loc, msg, input, ctx?}]}`) for any input."""
    return JSONResponse({"detail": validation_errors(exc.errors())}, status_code=422)


async def database_error(_request: Request, exc: sa_exc.DBAPIError) -> JSONResponse:
    """A database error is a 422 when the request held a value the store cannot keep (PostgreSQL
    refuses NUL in text and `\\u0000` in JSONB) and a 503 otherwise; never a 500. Only the error
    class and SQLSTATE are logged: the driver's message quotes the offending data (its DETAIL and
    CONTEXT lines), and that is patient data."""
    orig = exc.orig if exc.orig is not None else exc
    log.warning("database_error", error=type(orig).__name__, sqlstate=getattr(orig, "sqlstate", None))
    if isinstance(exc, sa_exc.DataError):
        error = {
            "type": "value_error",
            "loc": ["body"],
            "msg": "the request holds a value the task store cannot keep (for example a NUL character)",
            "input": None,
        }
        return JSONResponse({"detail": [error]}, status_code=422)
    return JSONResponse(
        {"detail": "task store error, task not accepted"}, status_code=503, headers={"Retry-After": "5"}
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, invalid_input)  # type: ignore[arg-type]
    app.add_exception_handler(sa_exc.DBAPIError, database_error)  # type: ignore[arg-type]
    app.add_exception_handler(BrokerUnavailable, broker_unavailable)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, store_unavailable)  # type: ignore[arg-type]
