from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SubmitDep
from api.fastlane import TaskRoute
from api.routes.common import POST_KW, add_status_route
from shared.catalog import route
from shared.messages import OpmeMaterialPayload, OpmePayload, OpmeProtesePayload

DOMAIN = "opme"
router = APIRouter(prefix=f"/api/{DOMAIN}", tags=["opme (fluxo_opme)"], route_class=TaskRoute)


@router.post(route(DOMAIN, "generico"), **POST_KW, summary="Solicitação de OPME")
async def generico(body: OpmePayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "generico", body)


@router.post(route(DOMAIN, "protese"), **POST_KW, summary="Solicitação de prótese")
async def protese(body: OpmeProtesePayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "protese", body)


@router.post(route(DOMAIN, "material"), **POST_KW, summary="Solicitação de material especial")
async def material(body: OpmeMaterialPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "material", body)


add_status_route(router, DOMAIN)
