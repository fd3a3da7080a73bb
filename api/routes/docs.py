"""Swagger UI served from files shipped in a wheel (hospital networks often have no internet
access), and the AsyncAPI document of the queues (docs/operations.md)."""

from __future__ import annotations

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from api.asyncapi import build_asyncapi
from shared.config import Settings

router = APIRouter(include_in_schema=False)


@router.get("/asyncapi.json")
async def asyncapi(request: Request) -> JSONResponse:
    return JSONResponse(request.app.state.asyncapi_document)


@router.get("/docs")
async def docs(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}/openapi.json",
        title="Clinical task gateway - Swagger UI",
        swagger_js_url=f"{root}/static/docs/swagger-ui-bundle.js",
        swagger_css_url=f"{root}/static/docs/swagger-ui.css",
        swagger_favicon_url=f"{root}/static/docs/favicon.png",
        oauth2_redirect_url="/docs/oauth2-redirect",
    )


@router.get("/docs/oauth2-redirect")
async def docs_redirect() -> HTMLResponse:
    return get_swagger_ui_oauth2_redirect_html()


def install(app: FastAPI, settings: Settings) -> None:
    """The routes, the AsyncAPI document (built once, from the settings' vhosts) and the static
    files of Swagger UI."""
    app.state.asyncapi_document = build_asyncapi(settings)
    app.include_router(router)
    app.mount("/static/docs", StaticFiles(directory=fastapi_offline.core._STATIC_PATH), name="docs-static")
