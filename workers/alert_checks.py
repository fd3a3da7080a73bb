"""How the alert client reads its configuration (the start-up warnings) and the backend's answers
(`Retry-After`, error details); docs/alerts.md."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from shared.config import Settings

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def startup_warnings(settings: Settings) -> list[str]:
    """Why alerts will not reach the backend, or not safely; empty when all is well."""
    if not settings.backend_url:
        return [
            "BACKEND_URL is not set: alerts are recorded as pending in the task store and not sent "
            "to the backend"
        ]
    warnings = []
    parts = urlsplit(settings.backend_url)
    if parts.scheme == "http" and (parts.hostname or "") not in LOOPBACK_HOSTS:
        warnings.append(
            f"BACKEND_URL is plain http to {parts.hostname}: service tokens and patient alerts cross "
            "the network unencrypted; use https"
        )
    if not settings.backend_jwt_secret and not settings.backend_service_token:
        warnings.insert(
            0,
            "neither BACKEND_JWT_SECRET nor BACKEND_SERVICE_TOKEN is set: the backend at "
            f"{settings.backend_url} will refuse alerts with 401",
        )
    if not settings.known_tenants:
        warnings.append(
            "neither API_KEYS nor BROKER_PRODUCERS names a tenant: the worker cannot tell configured "
            "tenants from others and sends alerts for any tenant it verified"
        )
    return warnings


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta-seconds or HTTP-date); None if absent
    or unreadable."""
    if value is None or not value.strip():
        return None
    raw = value.strip()
    try:
        seconds = float(raw)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def error_detail(resp: httpx.Response) -> str:
    try:
        data = resp.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("message"):
        msg = data["message"]
        detail = "; ".join(str(m) for m in msg) if isinstance(msg, list) else str(msg)
    else:
        detail = resp.text.strip()
    return detail[:300] if detail else ""


def describe(resp: httpx.Response) -> str:
    detail = error_detail(resp)
    head = f"{resp.status_code} {resp.reason_phrase}".strip()
    return f"{head}: {detail}" if detail else head
