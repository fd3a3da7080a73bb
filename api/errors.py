"""The API's exception handlers: a broker or store that cannot take a task is a 503 with
`Retry-After`, never a 500; a body FastAPI cannot decode is the same 422 as a JSON syntax error
(docs/api-contract.md)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
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
        return await request_validation_exception_handler(request, RequestValidationError([error]))
    return await http_exception_handler(request, exc)


async def store_unavailable(_request: Request, exc: StoreUnavailable) -> JSONResponse:
    log.warning("store_unavailable", error=str(exc))
    return JSONResponse(
        {"detail": "task store unavailable, task not accepted"},
        status_code=503,
        headers={"Retry-After": "5"},
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(BrokerUnavailable, broker_unavailable)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, http_error)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, store_unavailable)  # type: ignore[arg-type]
