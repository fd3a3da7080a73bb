"""What the console asks RabbitMQ: per vhost the depth and consumers of each queue."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from shared import topology
from shared.config import Settings
from shared.queue_depths import QueueStats, vhost_queue_stats


@dataclass(frozen=True)
class VhostQueues:
    domain: str
    vhost: str
    queues: dict[str, QueueStats] | None
    error: str | None = None

    def consumers(self, queue: str) -> int | None:
        stats = (self.queues or {}).get(queue)
        return stats.consumers if stats is not None else None


# What the home page needs; the Queues page reads every queue.
HEALTH_QUEUES = [topology.EVENTS_QUEUE, topology.LLM_QUEUE, topology.DLQ_QUEUE]


async def all_vhosts(settings: Settings, names: list[str] | None = None) -> dict[str, VhostQueues]:
    async def one(domain: str) -> VhostQueues:
        vhost = topology.vhost_for(domain, settings.vhost_prefix)
        try:
            stats = await asyncio.to_thread(vhost_queue_stats, settings, vhost, 3.0, names)
            return VhostQueues(domain, vhost, stats)
        except Exception as exc:  # one vhost down must not hide the others
            return VhostQueues(domain, vhost, None, f"{type(exc).__name__}: {str(exc)[:160]}")

    found = await asyncio.gather(*(one(d) for d in topology.all_domains()))
    return {v.domain: v for v in found}
