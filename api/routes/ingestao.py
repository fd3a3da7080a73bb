from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SubmitDep
from api.fastlane import TaskRoute
from api.routes.common import POST_KW, add_status_route
from shared.catalog import route
from shared.messages import IngestaoGenericaPayload, IngestaoMedicosPayload, IngestaoPacientesPayload

DOMAIN = "ingestao"
router = APIRouter(prefix=f"/api/{DOMAIN}", tags=["ingestao (ingestao_dados)"], route_class=TaskRoute)


@router.post(route(DOMAIN, "generico"), **POST_KW, summary="Ingestão genérica")
async def generico(body: IngestaoGenericaPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "generico", body)


@router.post(route(DOMAIN, "pacientes"), **POST_KW, summary="Ingestão de pacientes (1–10000 registros)")
async def pacientes(body: IngestaoPacientesPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "pacientes", body)


@router.post(route(DOMAIN, "medicos"), **POST_KW, summary="Ingestão de médicos (1–10000 registros)")
async def medicos(body: IngestaoMedicosPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "medicos", body)


add_status_route(router, DOMAIN)
