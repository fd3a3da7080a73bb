from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SubmitDep
from api.fastlane import TaskRoute
from api.routes.common import POST_KW, add_status_route
from shared.catalog import route
from shared.messages import AltaPayload, ConsultaPayload, InternacaoPayload

DOMAIN = "clinico"
router = APIRouter(prefix=f"/api/{DOMAIN}", tags=["clinico (fluxo_clinico)"], route_class=TaskRoute)


@router.post(route(DOMAIN, "consulta"), **POST_KW, summary="Consulta: queixa e sinais vitais para triagem")
async def consulta(body: ConsultaPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "consulta", body)


@router.post(route(DOMAIN, "internacao"), **POST_KW, summary="Internação")
async def internacao(body: InternacaoPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "internacao", body)


@router.post(route(DOMAIN, "alta"), **POST_KW, summary="Alta hospitalar")
async def alta(body: AltaPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "alta", body)


add_status_route(router, DOMAIN)
