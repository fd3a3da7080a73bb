"""422 answers that can render any input, and database data errors that never become a 500.

FastAPI's own handler echoes each error's `input` with `jsonable_encoder`, then the response
fails to serialise what JSON cannot carry: `1e999` parses to infinity (JSON has no such number)
and a lone surrogate (`"\\ud800"`) cannot be encoded as UTF-8, so the client got a 500 for a bad
request. Here every echoed value is made representable first: non-finite numbers become their
name ("Infinity"), strings keep their characters with unencodable ones escaped (`\\ud800`), and
anything else is shown by its `repr`.
"""

from __future__ import annotations

import math
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from shared.logs import get_logger

log = get_logger("api.invalid_input")


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
