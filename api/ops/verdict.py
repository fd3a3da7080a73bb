"""Green, amber or red for each vhost and for alert delivery, with the reasons in words.

The rules are data (VHOST_RULES, ALERT_RULES): the home page prints them as they are applied,
so what an operator reads is what decides the colour (docs/operations.md, "Home page").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from api.ops.health import AlertFigures, DomainFigures
from shared import topology
from shared.queue_depths import QueueStats

QUEUED_AMBER_S = 60
QUEUED_RED_S = 300
BACKLOG_AMBER = 1000

VHOST_RULES = {
    "red": [
        "RabbitMQ does not answer for the vhost",
        f"no worker consumes {topology.EVENTS_QUEUE} (the rules stage is down)",
        f"a task has waited in queued for more than {QUEUED_RED_S // 60} minutes",
    ],
    "amber": [
        f"a task has waited in queued for more than {QUEUED_AMBER_S} seconds",
        f"more than {BACKLOG_AMBER} messages ready in {topology.EVENTS_QUEUE}",
        f"an LLM is configured and no worker consumes {topology.LLM_QUEUE} (the LLM stage is down)",
        "a task was dead-lettered in the last hour",
        "an alert of the vhost is parked, waiting for a delayed retry",
    ],
    "green": [
        "none of the above: workers consume, nothing waits long, nothing dead-lettered in the last hour"
    ],
}
ALERT_RULES = {
    "red": ["an alert failed for good in the last hour (the nurse has not been told: retry it below)"],
    "amber": ["an alert is parked, waiting for a delayed retry", "an alert failed for good earlier"],
    "green": ["every alert was delivered or is being delivered now"],
}
STATE_WORDS = {"green": "Healthy", "amber": "Needs attention", "red": "Failing"}


@dataclass
class Verdict:
    state: str = "green"
    reasons: list[str] = field(default_factory=list)

    def add(self, state: str, reason: str) -> None:
        order = ("green", "amber", "red")
        if order.index(state) > order.index(self.state):
            self.state = state
        self.reasons.append(reason)

    @property
    def words(self) -> str:
        return STATE_WORDS[self.state]


def _ago(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds >= 120 else f"{seconds:.0f} s"


def vhost_verdict(
    figures: DomainFigures,
    queues: dict[str, QueueStats] | None,
    broker_error: str | None,
    *,
    llm_enabled: bool,
    now: datetime,
) -> Verdict:
    verdict = Verdict()
    if broker_error is not None or queues is None:
        verdict.add("red", "RabbitMQ does not answer for this vhost")
    else:
        events = queues.get(topology.EVENTS_QUEUE)
        if events is None or events.consumers == 0:
            verdict.add("red", f"no worker consumes {topology.EVENTS_QUEUE}")
        elif events.ready > BACKLOG_AMBER:
            verdict.add("amber", f"{events.ready} messages ready in {topology.EVENTS_QUEUE}")
        llm = queues.get(topology.LLM_QUEUE)
        if llm_enabled and (llm is None or llm.consumers == 0):
            verdict.add("amber", f"no worker consumes {topology.LLM_QUEUE}")
    if figures.oldest_queued is not None:
        waited = (now - figures.oldest_queued).total_seconds()
        if waited > QUEUED_RED_S:
            verdict.add("red", f"a task has waited {_ago(waited)} in queued")
        elif waited > QUEUED_AMBER_S:
            verdict.add("amber", f"a task has waited {_ago(waited)} in queued")
    dead = sum(figures.failed)
    if dead:
        verdict.add("amber", f"{dead} task(s) failed or dead-lettered in the last hour")
    if figures.parked_alerts:
        verdict.add("amber", f"{figures.parked_alerts} alert(s) parked")
    if not verdict.reasons:
        verdict.reasons.append("workers consume, nothing waits long, nothing dead-lettered in the last hour")
    return verdict


def alert_verdict(figures: AlertFigures) -> Verdict:
    verdict = Verdict()
    if figures.failed_last_hour:
        verdict.add("red", f"{figures.failed_last_hour} alert(s) failed for good in the last hour")
    if figures.parked:
        verdict.add("amber", f"{figures.parked} alert(s) parked, waiting for a delayed retry")
    earlier = figures.failed - figures.failed_last_hour
    if earlier:
        verdict.add("amber", f"{earlier} alert(s) failed for good earlier")
    if not verdict.reasons:
        verdict.reasons.append("every alert was delivered or is being delivered now")
    return verdict
