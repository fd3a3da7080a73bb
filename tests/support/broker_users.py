"""A fresh set of vhosts provisioned with the three least-privileged service users."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from shared import provision
from shared.config import Settings
from tests.conftest import make_settings


def user_url(admin_url: str, user: str, password: str) -> str:
    parts = urlsplit(admin_url)
    netloc = f"{user}:{password}@{parts.hostname}:{parts.port or 5672}"
    return urlunsplit((parts.scheme, netloc, "/", "", ""))


@contextmanager
def provisioned_with_users(tmp: Path, broker_url: str, **overrides: object) -> Iterator[Settings]:
    """Settings (admin in RABBITMQ_URL) for a new prefix whose api, worker and ops users exist;
    everything is deleted afterwards."""
    prefix = f"u{uuid.uuid4().hex[:8]}_"
    urls = {
        f"rabbitmq_{role}_url": user_url(broker_url, f"{prefix}{role}", secrets.token_urlsafe(12))
        for role in ("api", "worker", "ops")
    }
    settings = make_settings(tmp, rabbitmq_url=broker_url, vhost_prefix=prefix, **urls, **overrides)
    provision.provision(settings)
    try:
        yield settings
    finally:
        provision.deprovision(settings)
