"""The /ops pages: home (health at a glance), queues, tasks, a task's page, and the task page's
two buttons. Every read and action is scoped to the viewer's tenant; broker depths, shared by
all tenants, only reach a viewer with the global role (docs/operations.md, "Who sees what")."""

from __future__ import annotations

import asyncio
from typing import Annotated
from urllib.parse import parse_qs, urlencode

import pika.exceptions
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.ops import actions
from api.ops.auth import Viewer, get_viewer, same_origin
from api.ops.broker import HEALTH_QUEUES, all_vhosts
from api.ops.health import HealthQueries
from api.ops.home import home_context
from api.ops.queries import OpsQueries
from api.ops.templating import rows, templates
from shared import topology
from shared.logs import get_logger
from shared.pii import mask
from shared.store import STATUSES

log = get_logger("api.ops")

router = APIRouter(prefix="/ops", include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
BROKER_ERRORS = (pika.exceptions.AMQPError, OSError)


def is_global(viewer: Viewer) -> bool:
    """The global role: an OPS_USERS entry without a tenant (see api/ops/auth.py)."""
    return viewer.tenant is None


def queries(request: Request) -> OpsQueries:
    return OpsQueries(request.app.state.store)


def render(request: Request, name: str, viewer: Viewer, **context: object) -> Response:
    return templates.TemplateResponse(
        request, name, {"viewer": viewer, "is_global": is_global(viewer), **context}
    )


@router.get("", response_class=HTMLResponse)
@router.get("/", response_class=HTMLResponse)
async def home(request: Request, viewer: ViewerDep, notice: str | None = None) -> Response:
    settings = request.app.state.settings
    snapshot, broker, alerts = await asyncio.gather(
        HealthQueries(request.app.state.store).snapshot(viewer.tenant),
        all_vhosts(settings, HEALTH_QUEUES),
        queries(request).alerts_needing_attention(viewer.tenant),
    )
    context = home_context(snapshot, broker, show_depths=is_global(viewer), llm=settings.llm_enabled)
    return render(request, "home.html", viewer, alerts=rows(alerts), notice=notice, **context)


@router.get("/queues", response_class=HTMLResponse)
async def queues_page(request: Request, viewer: ViewerDep) -> Response:
    broker = await all_vhosts(request.app.state.settings) if is_global(viewer) else {}
    return render(request, "queues.html", viewer, broker=list(broker.values()))


@router.get("/tasks", response_class=HTMLResponse)
async def tasks_page(
    request: Request,
    viewer: ViewerDep,
    status: str | None = None,
    domain: str | None = None,
    task_type: str | None = None,
) -> Response:
    tasks = await queries(request).recent_tasks(
        viewer.tenant, status=status, domain=domain, task_type=task_type
    )
    return render(
        request,
        "tasks.html",
        viewer,
        tasks=rows(tasks),
        filters={"status": status or "", "domain": domain or "", "task_type": task_type or ""},
        statuses=STATUSES,
        domains=topology.DOMAINS,
    )


@router.get("/tasks/{task_id}", response_class=HTMLResponse)
async def task_page(request: Request, task_id: str, viewer: ViewerDep, notice: str | None = None) -> Response:
    task = await queries(request).task(task_id, viewer.tenant)
    if task is None:
        raise HTTPException(404, detail=f"task {task_id} not found")
    alerts = [{**row, "body": mask(row["body"])} for row in task.pop("alert_rows")]
    return render(
        request,
        "task.html",
        viewer,
        task=task,
        # Personal data never reaches the screen: names, CPF, phones, e-mails are masked.
        result=mask(task.get("result")),
        # Same policy as the result: free clinical text (queixa, motivo...) stays readable,
        # CPF, phone and e-mail patterns inside it do not.
        payload=mask(task.get("payload")),
        alerts=alerts,
        notice=notice,
    )


async def form(request: Request) -> dict[str, list[str]]:
    body = (await request.body()).decode("utf-8", "replace")
    return parse_qs(body)


def back(task_id: str, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/ops/tasks/{task_id}?{urlencode({'notice': notice})}", status_code=303)


@router.post("/tasks/{task_id}/replay", dependencies=[Depends(same_origin)])
async def replay(request: Request, task_id: str, viewer: ViewerDep) -> Response:
    task = await request.app.state.store.aget_task_view(task_id, tenant_id=viewer.tenant)
    if task is None:
        raise HTTPException(404, detail=f"task {task_id} not found")
    if task["status"] != "dead_lettered":
        return back(task_id, f"not replayed: the task is {task['status']}, not dead_lettered")
    state = request.app.state
    try:
        count = await actions.replay_tasks(state.settings, state.store, task["domain"], {task_id})
    except BROKER_ERRORS as exc:
        return back(task_id, f"not replayed: RabbitMQ unavailable ({type(exc).__name__}); try again")
    log.info("ops_replay", task_id=task_id, viewer=viewer.label, replayed=count)
    if count == 0:
        return back(task_id, "not replayed: its message is no longer in eventos.dlq")
    return back(task_id, "replayed: the task is back in eventos")


@router.post("/tasks/{task_id}/alerts/retry", dependencies=[Depends(same_origin)])
async def retry_alert(request: Request, task_id: str, viewer: ViewerDep) -> Response:
    alert_key = (await form(request)).get("alert_key", [""])[0]
    ops = queries(request)
    task = await ops.task(task_id, viewer.tenant)
    if task is None:
        raise HTTPException(404, detail=f"task {task_id} not found")
    row = next((a for a in task["alert_rows"] if a["alert_key"] == alert_key), None)
    if row is None:
        raise HTTPException(404, detail="alert not found")
    if row["delivery"] == "failed":
        row = await ops.reopen_alert(task_id, alert_key)
    elif not (row["delivery"] == "pending" and row["parked"]):
        row = None
    if row is None:
        return back(task_id, "not retried: the alert is neither failed nor parked")
    try:
        await actions.retry_alert(request.app.state.settings, task["domain"], task["tenant_id"], row)
    except BROKER_ERRORS as exc:
        # The alert shows as parked with its Retry button: pressing it again is safe.
        return back(task_id, f"not retried: RabbitMQ unavailable ({type(exc).__name__}); try again")
    log.info("ops_alert_retry", task_id=task_id, alert_key=alert_key, viewer=viewer.label)
    return back(task_id, "retry queued: a worker delivers the alert now")
