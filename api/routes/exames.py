from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from api.deps import SubmitDep
from api.fastlane import TaskRoute
from api.routes.common import POST_KW, add_status_route
from shared.catalog import route
from shared.messages import ExameGenericoPayload, HemogramaPayload, ImagemRequest, TipoExameImagem

DOMAIN = "exames"
router = APIRouter(prefix=f"/api/{DOMAIN}", tags=["exames (fluxo_exames)"], route_class=TaskRoute)


@router.post(
    route(DOMAIN, "generico"), **POST_KW, summary="Exame genérico: laudo em texto e/ou resultados numéricos"
)
async def generico(body: ExameGenericoPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "generico", body)


@router.post(route(DOMAIN, "hemograma"), **POST_KW, summary="Hemograma")
async def hemograma(body: HemogramaPayload, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "hemograma", body)


@router.post(route(DOMAIN, "imagem"), **POST_KW, summary="Laudo de exame de imagem")
async def imagem(tipo_exame: TipoExameImagem, body: ImagemRequest, submit: SubmitDep) -> JSONResponse:
    return await submit(DOMAIN, "imagem", body, extra={"tipo_exame": tipo_exame.value})


add_status_route(router, DOMAIN)
