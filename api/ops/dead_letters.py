"""/ops/dead-letters: dead-lettered tasks with their reason, bulk replay of a filtered selection
(after a confirmation page), and the messages in eventos.dlq that never became a task row (not
JSON, no task id), inspected raw and masked, and replayed (docs/operations.md, "Dead letters").

A raw message's tenant cannot be known, so that part is for viewers with the global role only.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.ops import actions
from api.ops.auth import Viewer, get_viewer, same_origin
from api.ops.routes import BROKER_ERRORS, form, is_global, queries, render
from api.ops.templating import rows
from shared import topology
from shared.logs import get_logger
from shared.pii import mask, mask_text
from shared.replay import DeadLetter

log = get_logger("api.ops")
# Included into the /ops router (api/ops/__init__.py), which adds its prefix.
router = APIRouter(prefix="/dead-letters", include_in_schema=False)
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
PEEK_LIMIT = 100
LIST: dict[str, Any] = {"limit": 100, "newest_by": "updated_at"}
PREVIEW_BYTES = 120


def reason_of(error: str | None) -> str:
    head, sep, _ = (error or "").partition(":")
    return head if sep and head.replace("_", "").isalnum() else "unknown"


def here(notice: str, **filters: str) -> RedirectResponse:
    query = urlencode({"notice": notice, **{k: v for k, v in filters.items() if v}})
    return RedirectResponse(f"/ops/dead-letters?{query}", status_code=303)


def masked_body(message: DeadLetter) -> tuple[str, bool]:
    """The body as an operator may see it, and whether it is JSON."""
    try:
        return json.dumps(mask(json.loads(message.body)), ensure_ascii=False, indent=2), True
    except ValueError:
        return mask_text(message.body.decode("utf-8", "replace")), False


async def orphans(request: Request) -> list[dict[str, Any]]:
    """Dead letters at the head of each eventos.dlq that have no task row."""
    settings = request.app.state.settings

    async def one(domain: str) -> list[DeadLetter]:
        try:
            return await actions.peek_dead_letters(settings, domain, PEEK_LIMIT)
        except BROKER_ERRORS:
            return []

    domains = topology.all_domains()
    peeked = dict(zip(domains, await asyncio.gather(*(one(d) for d in domains)), strict=True))
    ids = [m.task_id for found in peeked.values() for m in found if m.task_id]
    known = await queries(request).known(ids)
    rows = []
    for domain, found in peeked.items():
        for m in found:
            if m.task_id in known:
                continue
            body, is_json = masked_body(m)
            rows.append(
                {
                    "domain": domain,
                    "vhost": topology.vhost_for(domain, settings.vhost_prefix),
                    "message": m,
                    "is_json": is_json,
                    "preview": body[:PREVIEW_BYTES],
                    "size": len(m.body),
                }
            )
    return rows


@router.get("", response_class=HTMLResponse)
async def dead_letters(
    request: Request,
    viewer: ViewerDep,
    domain: str = "",
    task_type: str = "",
    reason: str = "",
    notice: str | None = None,
) -> Response:
    ops = queries(request)
    common: dict[str, Any] = {"status": "dead_lettered", "domain": domain, "task_type": task_type, **LIST}
    everything, shown = await asyncio.gather(
        ops.recent_tasks(viewer.tenant, **common), ops.recent_tasks(viewer.tenant, reason=reason, **common)
    )
    for row in shown:
        row["reason"] = reason_of(row["error"])
    shown_rows = rows(shown)
    raw = await orphans(request) if is_global(viewer) else []
    return render(
        request,
        "dead_letters.html",
        viewer,
        tasks=shown_rows,
        reasons=sorted({reason_of(r["error"]) for r in everything} | ({reason} if reason else set())),
        filters={"domain": domain, "task_type": task_type, "reason": reason},
        domains=topology.DOMAINS,
        raw=raw,
        notice=notice,
    )


@router.post("/confirm", response_class=HTMLResponse, dependencies=[Depends(same_origin)])
async def confirm(request: Request, viewer: ViewerDep) -> Response:
    """The selection, listed for a last look before anything moves."""
    data = await form(request)
    ids = data.get("task_id", [])
    filters = {k: data.get(k, [""])[0] for k in ("domain", "task_type", "reason")}
    if not ids:
        return here("nothing replayed: no task was selected", **filters)
    selected = await queries(request).dead_lettered(viewer.tenant, ids)
    return render(request, "confirm_replay.html", viewer, selected=sorted(selected.items()), filters=filters)


@router.post("/replay", dependencies=[Depends(same_origin)])
async def replay_selected(request: Request, viewer: ViewerDep) -> Response:
    data = await form(request)
    filters = {k: data.get(k, [""])[0] for k in ("domain", "task_type", "reason")}
    selected = await queries(request).dead_lettered(viewer.tenant, data.get("task_id", []))
    by_domain: dict[str, set[str]] = {}
    for task_id, domain in selected.items():
        by_domain.setdefault(domain, set()).add(task_id)
    state = request.app.state
    moved = 0
    try:
        for domain, ids in by_domain.items():
            moved += await actions.replay_tasks(state.settings, state.store, domain, ids)
    except BROKER_ERRORS as exc:
        return here(f"replayed {moved}, then RabbitMQ became unavailable ({type(exc).__name__}); try again")
    log.info("ops_bulk_replay", viewer=viewer.label, selected=len(selected), replayed=moved)
    missing = len(selected) - moved
    note = f"replayed {moved} task(s): they are back in eventos"
    if missing:
        note += f"; {missing} had no message left in eventos.dlq"
    return here(note, **filters)


def _global_only(viewer: Viewer) -> None:
    if not is_global(viewer):
        # A raw dead letter's tenant is unknown: it could be anyone's.
        raise HTTPException(404, detail="not found")


@router.get("/raw/{domain}/{fingerprint}", response_class=HTMLResponse)
async def inspect_raw(request: Request, domain: str, fingerprint: str, viewer: ViewerDep) -> Response:
    _global_only(viewer)
    if domain not in topology.DOMAINS:
        raise HTTPException(404, detail="unknown domain")
    found = await actions.peek_dead_letters(request.app.state.settings, domain, PEEK_LIMIT)
    message = next((m for m in found if m.fingerprint == fingerprint), None)
    if message is None:
        raise HTTPException(404, detail="this message is no longer in eventos.dlq")
    body, is_json = masked_body(message)
    headers = {
        k: mask_text(v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
        for k, v in message.headers.items()
    }
    return render(
        request,
        "raw_dead_letter.html",
        viewer,
        domain=domain,
        vhost=topology.vhost_for(domain, request.app.state.settings.vhost_prefix),
        message=message,
        body=body,
        is_json=is_json,
        headers=headers,
    )


@router.post("/raw/{domain}/{fingerprint}/replay", dependencies=[Depends(same_origin)])
async def replay_raw(request: Request, domain: str, fingerprint: str, viewer: ViewerDep) -> Response:
    _global_only(viewer)
    if domain not in topology.DOMAINS:
        raise HTTPException(404, detail="unknown domain")
    state = request.app.state
    try:
        moved = await actions.replay_raw(state.settings, state.store, domain, {fingerprint})
    except BROKER_ERRORS as exc:
        return here(f"not replayed: RabbitMQ unavailable ({type(exc).__name__}); try again")
    log.info("ops_raw_replay", viewer=viewer.label, domain=domain, fingerprint=fingerprint, replayed=moved)
    if moved == 0:
        return here("not replayed: the message is no longer in eventos.dlq")
    return here(f"replayed {moved} raw message(s) to eventos; the worker judges it again")
