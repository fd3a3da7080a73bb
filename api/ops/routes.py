"""The /ops pages and the two buttons. Every read and action is scoped to the viewer's tenant."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import parse_qs, urlencode

import pika.exceptions
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from api.ops import actions
from api.ops.auth import Viewer, get_viewer, same_origin
from api.ops.queries import OpsQueries
from shared import topology
from shared.logs import get_logger
from shared.pii import mask, mask_text
from shared.queue_depths import vhost_depths
from shared.store import STATUSES

log = get_logger("api.ops")
templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.filters["pretty"] = lambda value: json.dumps(value, ensure_ascii=False, indent=2, default=str)
templates.env.filters["mask_text"] = lambda value: mask_text(str(value))

router = APIRouter(prefix="/ops", include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
BROKER_ERRORS = (pika.exceptions.AMQPError, OSError)


def _queries(request: Request) -> OpsQueries:
    return OpsQueries(request.app.state.store)


async def _depths(request: Request) -> list[dict[str, Any]]:
    settings = request.app.state.settings

    async def one(domain: str) -> dict[str, Any]:
        vhost = topology.vhost_for(domain, settings.vhost_prefix)
        try:
            queues = await asyncio.to_thread(vhost_depths, settings, vhost)
            return {"vhost": vhost, "domain": domain, "queues": queues, "error": None}
        except Exception as exc:  # one vhost down must not hide the others
            return {"vhost": vhost, "domain": domain, "queues": {}, "error": repr(exc)[:200]}

    return list(await asyncio.gather(*(one(d) for d in topology.all_domains())))


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
async def index(
    request: Request,
    viewer: ViewerDep,
    status: str | None = None,
    domain: str | None = None,
    task_type: str | None = None,
    notice: str | None = None,
) -> Response:
    queries = _queries(request)
    depths, tasks, alerts, dead = await asyncio.gather(
        _depths(request),
        queries.recent_tasks(viewer.tenant, status=status, domain=domain, task_type=task_type),
        queries.alerts_needing_attention(viewer.tenant),
        queries.recent_tasks(viewer.tenant, status="dead_lettered", limit=20),
    )
    return templates.TemplateResponse(
        request,
        "index.html",
        {
            "viewer": viewer,
            "depths": depths,
            "tasks": tasks,
            "alerts": alerts,
            "dead": dead,
            "filters": {"status": status or "", "domain": domain or "", "task_type": task_type or ""},
            "statuses": STATUSES,
            "domains": topology.DOMAINS,
            "notice": notice,
        },
    )


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
async def task_page(request: Request, task_id: str, viewer: ViewerDep, notice: str | None = None) -> Response:
    task = await _queries(request).task(task_id, viewer.tenant)
    if task is None:
        raise HTTPException(404, detail=f"task {task_id} not found")
    alerts = [
        {**row, "body": mask(row["body"]), "last_error": row["last_error"]} for row in task.pop("alert_rows")
    ]
    return templates.TemplateResponse(
        request,
        "task.html",
        {
            "viewer": viewer,
            "task": task,
            # Personal data never reaches the screen: names, CPF, phones, e-mails are masked.
            "result": mask(task.get("result")),
            # Same policy as the result: free clinical text (queixa, motivo...) stays readable,
            # CPF, phone and e-mail patterns inside it do not.
            "payload": mask(task.get("payload")),
            "alerts": alerts,
            "notice": notice,
        },
    )


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", "replace")
    return {k: v[0] for k, v in parse_qs(body).items()}


def _back(task_id: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/ops/tasks/{task_id}?{urlencode({'notice': notice})}", status_code=303)


@router.post("/tasks/{task_id}/replay", dependencies=[Depends(same_origin)])
async def replay(request: Request, task_id: str, viewer: ViewerDep) -> Response:
    task = await request.app.state.store.aget_task_view(task_id, tenant_id=viewer.tenant)
    if task is None:
        raise HTTPException(404, detail=f"task {task_id} not found")
    if task["status"] != "dead_lettered":
        return _back(task_id, f"not replayed: the task is {task['status']}, not dead_lettered")
    state = request.app.state
    try:
        count = await actions.replay_task(state.settings, state.store, task["domain"], task_id)
    except BROKER_ERRORS as exc:
        return _back(task_id, f"not replayed: RabbitMQ unavailable ({type(exc).__name__}); try again")
    log.info("ops_replay", task_id=task_id, viewer=viewer.label, replayed=count)
    if count == 0:
        return _back(task_id, "not replayed: its message is no longer in eventos.dlq")
    return _back(task_id, "replayed: the task is back in eventos")


@router.post("/tasks/{task_id}/alerts/retry", dependencies=[Depends(same_origin)])
async def retry_alert(request: Request, task_id: str, viewer: ViewerDep) -> Response:
    alert_key = (await _form(request)).get("alert_key", "")
    queries = _queries(request)
    task = await queries.task(task_id, viewer.tenant)
    if task is None:
        raise HTTPException(404, detail=f"task {task_id} not found")
    row = next((a for a in task["alert_rows"] if a["alert_key"] == alert_key), None)
    if row is None:
        raise HTTPException(404, detail="alert not found")
    if row["delivery"] == "failed":
        row = await queries.reopen_alert(task_id, alert_key)
    elif not (row["delivery"] == "pending" and row["parked"]):
        row = None
    if row is None:
        return _back(task_id, "not retried: the alert is neither failed nor parked")
    try:
        await actions.retry_alert(request.app.state.settings, task["domain"], task["tenant_id"], row)
    except BROKER_ERRORS as exc:
        # The alert shows as parked with its Retry button: pressing it again is safe.
        return _back(task_id, f"not retried: RabbitMQ unavailable ({type(exc).__name__}); try again")
    log.info("ops_alert_retry", task_id=task_id, alert_key=alert_key, viewer=viewer.label)
    return _back(task_id, "retry queued: a worker delivers the alert now")
