"""The console home page's content: one row per vhost with its state, the alert delivery state,
and the two charts, from the store (tenant-scoped) and the broker (depths for global operators
only: a queue holds every tenant's messages)."""

from __future__ import annotations

from typing import Any

from api.ops.broker import VhostQueues
from api.ops.charts import Chart, Series, line_chart
from api.ops.health import WINDOW_MIN, Snapshot
from api.ops.verdict import alert_verdict, vhost_verdict
from shared import topology

ACCEPTED = Series("accepted", [], "#4f81c7", width=5.0)
COMPLETED = Series("completed", [], "#17643a", "6 3")
FAILED = Series("failed or dead-lettered", [], "#a3161b", "2 3")


def _depth(v: VhostQueues, queue: str, unacked: bool = False) -> int | None:
    stats = (v.queues or {}).get(queue)
    if stats is None:
        return None
    return stats.unacked if unacked else stats.messages


def vhost_rows(
    snapshot: Snapshot, broker: dict[str, VhostQueues], *, show_depths: bool, llm: bool
) -> list[dict]:
    rows = []
    for domain, figures in snapshot.domains.items():
        v = broker[domain]
        verdict = vhost_verdict(figures, v.queues, v.error, llm_enabled=llm, now=snapshot.at)
        if show_depths:
            events = (v.queues or {}).get(topology.EVENTS_QUEUE)
            ready: int | None = events.ready if events is not None else None
            unacked = events.unacked if events is not None else None
            llm_waiting = _depth(v, topology.LLM_QUEUE)
            dead = _depth(v, topology.DLQ_QUEUE)
        else:
            counts = figures.counts
            ready = counts.get("queued", 0) + counts.get("retrying", 0)
            unacked = counts.get("processing", 0)
            llm_waiting = None
            dead = counts.get("dead_lettered", 0)
        rows.append(
            {
                "domain": domain,
                "vhost": v.vhost,
                "verdict": verdict,
                "ready": ready,
                "unacked": unacked,
                "llm_waiting": llm_waiting,
                "dead": dead,
                "parked": figures.parked_alerts,
                "rules_consumers": v.consumers(topology.EVENTS_QUEUE),
                "llm_consumers": v.consumers(topology.LLM_QUEUE),
                "rate_in": figures.per_second(figures.accepted),
                "rate_out": figures.per_second(figures.completed),
                "p95_s": figures.p95_s,
                "p95_sample": figures.p95_sample,
                "last_completed": figures.last_completed,
                "error": v.error,
            }
        )
    return rows


def _total(snapshot: Snapshot, attr: str) -> list[float | None]:
    return [float(sum(getattr(f, attr)[i] for f in snapshot.domains.values())) for i in range(WINDOW_MIN)]


def charts(snapshot: Snapshot) -> list[Chart]:
    accepted, completed, failed = (_total(snapshot, a) for a in ("accepted", "completed", "failed"))
    tasks = line_chart(
        "chart-tasks",
        "Tasks per minute, last hour",
        snapshot.minutes,
        [
            Series(ACCEPTED.name, accepted, ACCEPTED.colour, ACCEPTED.dash, ACCEPTED.width),
            Series(COMPLETED.name, completed, COMPLETED.colour, COMPLETED.dash),
            Series(FAILED.name, failed, FAILED.colour, FAILED.dash),
        ],
        "tasks/min",
        f"In the last hour: {sum(v or 0 for v in accepted):.0f} accepted, "
        f"{sum(v or 0 for v in completed):.0f} completed, {sum(v or 0 for v in failed):.0f} failed or "
        "dead-lettered.",
    )
    alerts = snapshot.alerts
    p95 = alerts.p95_s
    latency = line_chart(
        "chart-alert-latency",
        "Alert delivery latency (p95 per minute), last hour",
        snapshot.minutes,
        [Series("p95 seconds from finding to backend 2xx", alerts.p95_by_minute, "#6b2c91")],
        "seconds",
        f"{alerts.delivered_last_hour} alert(s) delivered in the last hour"
        + (f"; p95 {p95:.1f} s." if p95 is not None else "; no delivery to measure."),
    )
    return [tasks, latency]


def home_context(
    snapshot: Snapshot, broker: dict[str, VhostQueues], *, show_depths: bool, llm: bool
) -> dict[str, Any]:
    rows = vhost_rows(snapshot, broker, show_depths=show_depths, llm=llm)
    alert = alert_verdict(snapshot.alerts)
    states = [r["verdict"].state for r in rows] + [alert.state]
    overall = "red" if "red" in states else "amber" if "amber" in states else "green"
    problems = [(r["vhost"], r["verdict"]) for r in rows if r["verdict"].state != "green"]
    if alert.state != "green":
        problems.append(("alert delivery", alert))
    return {
        "problems": problems,
        "llm_enabled": llm,
        "snapshot": snapshot,
        "rows": rows,
        "alert_verdict": alert,
        "alert_figures": snapshot.alerts,
        "overall": overall,
        "charts": charts(snapshot),
        "show_depths": show_depths,
    }
