"""What the alert client's configuration means for delivery, said once at start-up (docs/alerts.md)."""

from __future__ import annotations

from urllib.parse import urlsplit

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
