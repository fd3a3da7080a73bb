"""Which tenant a task message may claim (docs/security.md, tenant verification).

A message in `eventos` can come from the gateway's API or from a producer publishing straight to
the queue, and anybody with write access could claim any tenant. The worker therefore checks:

- a task the store already holds: the message must carry that task's tenant;
- a task the store never issued: the message must come from a broker user the worker can verify.
  RabbitMQ validates the AMQP `user_id` property against the publishing connection's user (a
  mismatch closes the channel), and the transport hands it over as `H_VERIFIED_USER`. The
  gateway's own API user may claim any tenant (the API authenticated the client); a producer in
  `BROKER_PRODUCERS` only its own tenant. Anything else is dead-lettered as `untrusted_tenant`;
- a replay generation header is honoured only when the store issued that generation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from shared import topology
from shared.config import Settings

UNTRUSTED_TENANT = "untrusted_tenant"


@dataclass(frozen=True)
class KnownTask:
    """What the store says about a task: whose it is and the latest generation it issued."""

    tenant_id: str
    generation: int


class TenantVerifier:
    def __init__(self, settings: Settings) -> None:
        self.gateway_user = settings.gateway_broker_user
        self.producers = settings.producer_tenants

    def untrusted(self, claimed: str, headers: Mapping[str, Any], known: KnownTask | None) -> str | None:
        """Why the message may not claim `claimed` (None: it may)."""
        if known is not None:
            if known.tenant_id != claimed:
                return f"the task belongs to another tenant than the one the message claims ({claimed!r})"
            return None
        user = headers.get(topology.H_VERIFIED_USER)
        if not user:
            return (
                "a task the gateway never issued, published without a broker-validated user_id "
                "(onboard the producer: docs/security.md)"
            )
        if user == self.gateway_user:
            return None
        tenant = self.producers.get(str(user))
        if tenant is None:
            return f"broker user {user!r} is not a producer in BROKER_PRODUCERS"
        if tenant != claimed:
            return f"broker user {user!r} may publish for tenant {tenant!r} only, not {claimed!r}"
        return None

    @staticmethod
    def generation(claimed: int, known: KnownTask | None) -> int:
        """The replay generation to run under: the header's only if the store issued it."""
        if claimed and (known is None or claimed > known.generation):
            return 0
        return claimed
