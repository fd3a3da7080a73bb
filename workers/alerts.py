"""HTTP client for the NestJS backend's `POST /api/v1/alerts` (docs/alerts.md).

`AlertClient.deliver` makes a bounded number of attempts inside a bounded time budget and says
what happened: `delivered`, `failed` (the backend refused the alert for good) or `retry_later`
(the backend could not be reached or asked us to come back; the caller parks the alert in the
`alertas` queue, see workers.alert_dispatch). It never sleeps for minutes: long waits belong to
the broker's delay queues, not to a handler thread.

Retries use tenacity: full jitter is its `wait_random_exponential`, the time budget is its
`stop_before_delay` (which refuses a sleep that would overrun the budget instead of noticing
afterwards), and `retry_error_callback` hands back the last attempt as a value, so the loop stays
declarative. The attempt function never raises for HTTP or network trouble; it classifies the
answer into an `_Attempt`, which keeps the retry policy in one place (`_Attempt.kind`).
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
import jwt
import tenacity
from prometheus_client import Counter
from pydantic_core import to_jsonable_python
from tenacity.stop import stop_base

from shared.config import Settings
from workers import observability
from workers.alert_checks import describe, parse_retry_after, startup_warnings
from workers.findings import AlertSpec

log = logging.getLogger(__name__)

ALERTS_PATH = "/api/v1/alerts"
TOKEN_LIFETIME_S = 300
# Renew a cached token this long before it expires, so a token never dies on the wire.
TOKEN_RENEW_MARGIN_S = 60
# Statuses the backend will answer the same way however often we ask (docs/alerts.md).
NOT_RETRIED = frozenset({400, 403, 404, 409, 422})
# 307/308: the backend (or a proxy in front of it) moved; the redirect is never followed, since
# it could point anywhere and would carry the service token, so it is retried and parked like a
# 5xx until the backend answers at BACKEND_URL again (docs/alerts.md).
RETRIED = frozenset({307, 308, 408, 429})

# An attempt never gets less than this, even at the very end of the budget.
MIN_ATTEMPT_TIMEOUT_S = 0.05
MAX_KEY_LENGTH = 200

DeliveryState = Literal["delivered", "failed", "retry_later"]

ALERTS_TOTAL = Counter(
    "worker_alerts",
    "Alerts by final or intermediate outcome (delivered, failed, parked, given_up)",
    ["outcome"],
)
ALERT_REQUESTS_TOTAL = Counter(
    "worker_alert_requests",
    "HTTP requests to the backend's alert endpoint by result (status code, timeout or network_error)",
    ["result"],
)
ALERT_TOKEN_RENEWALS_TOTAL = Counter(
    "worker_alert_token_renewals", "Service tokens minted again after the backend answered 401"
)
for _outcome in ("delivered", "failed", "parked", "given_up"):
    ALERTS_TOTAL.labels(_outcome)


@dataclass(frozen=True)
class DeliveryOutcome:
    state: DeliveryState
    attempts: int
    backend_alert_id: str | None = None
    last_error: str | None = None
    retry_after_s: float | None = None


@dataclass(frozen=True)
class _Attempt:
    kind: Literal["ok", "fatal", "retry"]
    error: str | None = None
    backend_alert_id: str | None = None
    retry_after: float | None = None


class AlertClient:
    """Thread-safe: one pooled `httpx.Client` and one token cache shared by every handler thread."""

    def __init__(
        self,
        settings: Settings,
        *,
        transport: httpx.BaseTransport | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self._url = (settings.backend_url or "").rstrip("/") + ALERTS_PATH
        self._secret = settings.backend_jwt_secret
        self._static_token = settings.backend_service_token
        # Tenants this installation serves (API_KEYS, BROKER_PRODUCERS): the only ones a token is
        # minted or an alert is sent for. Empty: not configured, said at start-up.
        self._tenants = settings.known_tenants
        # Token claims need the wall clock; the cache uses the monotonic clock so a clock jump
        # cannot make us keep a dead token or throw away a good one.
        self._wall_clock = wall_clock
        self._tokens: dict[str, tuple[str, float]] = {}
        self._token_lock = threading.Lock()
        self._closed = threading.Event()
        self._http = httpx.Client(
            timeout=settings.alert_timeout_s,
            limits=httpx.Limits(max_connections=32, max_keepalive_connections=8),
            transport=transport,
            follow_redirects=False,
        )

    # --- configuration ------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return bool(self.settings.backend_url)

    def warn_if_disabled(self, logger: Any) -> bool:
        """Log, once at start-up, why alerts will not reach the backend; True if it warned.
        `logger` may be a stdlib or a structlog logger (the message is preformatted)."""
        return self.warn_if_disabled_settings(self.settings, logger)

    @staticmethod
    def warn_if_disabled_settings(settings: Settings, logger: Any) -> bool:
        """`warn_if_disabled` without building a client."""
        warnings = startup_warnings(settings)
        for warning in warnings:
            logger.warning(warning)
        return bool(warnings)

    def close(self) -> None:
        """Stop retrying (in-flight deliveries end as retry_later at their next step) and release
        the connection pool."""
        self._closed.set()
        self._http.close()

    # --- body and key -------------------------------------------------------------------------

    @staticmethod
    def build_body(
        spec: AlertSpec,
        *,
        patient_id: str,
        task_id: str,
        conversation_id: str | None = None,
        message_id: str | None = None,
    ) -> dict[str, Any]:
        """The backend's CreateAlertDto. Keys we set ourselves win over `spec.context`, so a
        crew cannot relabel who detected the alert or which task it belongs to."""
        context: dict[str, Any] = {}
        extra = to_jsonable_python(spec.context, fallback=str)
        if isinstance(extra, dict):
            context.update(extra)
        context.update(
            {
                "symptoms": [str(s) for s in spec.symptoms],
                "detectedBy": spec.detected_by,
                "confidence": float(spec.confidence),
                "taskId": str(task_id),
            }
        )
        if conversation_id:
            context["conversationId"] = str(conversation_id)
        if message_id:
            context["messageId"] = str(message_id)
        return {
            "patientId": str(patient_id),
            "type": spec.type,
            "severity": spec.severity,
            "message": spec.message,
            "context": context,
        }

    @staticmethod
    def idempotency_key(task_id: str, alert_key: str) -> str:
        key = f"{task_id}:{alert_key}"
        if len(key) <= MAX_KEY_LENGTH:
            return key
        return f"{task_id}:{hashlib.sha256(alert_key.encode()).hexdigest()}"

    # --- tokens -------------------------------------------------------------------------------

    def token_for(self, tenant_id: str, *, fresh: bool = False) -> str | None:
        """The bearer token for a tenant: minted (and cached) when BACKEND_JWT_SECRET is set,
        else the static BACKEND_SERVICE_TOKEN, else None."""
        if not self._secret:
            return self._static_token
        with self._token_lock:
            cached = self._tokens.get(tenant_id)
            if not fresh and cached is not None and cached[1] - time.monotonic() > TOKEN_RENEW_MARGIN_S:
                return cached[0]
            issued = int(self._wall_clock())
            token = jwt.encode(
                {
                    "sub": "ai-service",
                    "tenantId": tenant_id,
                    "roles": ["ADMIN"],
                    "type": "service",
                    "iat": issued,
                    "exp": issued + TOKEN_LIFETIME_S,
                },
                self._secret,
                algorithm="HS256",
            )
            self._tokens[tenant_id] = (token, time.monotonic() + TOKEN_LIFETIME_S)
            return token

    # --- delivery -----------------------------------------------------------------------------

    def deliver(
        self,
        tenant_id: str,
        idempotency_key: str,
        body: dict[str, Any],
        *,
        max_attempts: int | None = None,
        budget_s: float | None = None,
    ) -> DeliveryOutcome:
        if not self.enabled:
            raise RuntimeError("BACKEND_URL is not set; alerts must stay pending, not be delivered")
        if self._tenants and tenant_id not in self._tenants:
            error = (
                f"tenant {tenant_id!r} is not configured here (API_KEYS, BROKER_PRODUCERS); no token minted"
            )
            log.error("alert %s refused: %s", idempotency_key, error)
            return DeliveryOutcome("failed", 0, last_error=error)
        s = self.settings
        attempts_allowed = max_attempts if max_attempts is not None else s.alert_max_attempts
        budget = budget_s if budget_s is not None else s.alert_inline_budget_s
        cap = s.alert_backoff_cap_s
        started = time.monotonic()
        sent = [0]

        def attempt() -> _Attempt:
            if self._closed.is_set():
                return _Attempt("retry", error="alert client closed (worker shutting down)")
            remaining = budget - (time.monotonic() - started)
            timeout = max(MIN_ATTEMPT_TIMEOUT_S, min(s.alert_timeout_s, remaining))
            return self._attempt(tenant_id, idempotency_key, body, timeout, sent)

        jitter = tenacity.wait_random_exponential(multiplier=s.alert_backoff_base_s, max=cap)

        def wait(rs: tenacity.RetryCallState) -> float:
            delay = jitter(rs)
            retry_after = _last(rs).retry_after
            # Retry-After is the server's minimum; jitter may only add to it.
            return max(delay, retry_after) if retry_after is not None else delay

        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_result(lambda a: a.kind == "retry"),
            wait=wait,
            stop=(
                tenacity.stop_after_attempt(attempts_allowed)
                | tenacity.stop_before_delay(budget)
                | _StopOnLongRetryAfter(cap)
                | tenacity.stop_when_event_set(self._closed)
            ),
            sleep=self._sleep,
            retry_error_callback=_last,
            before_sleep=lambda rs: log.info(
                "alert %s: attempt %d failed (%s); retrying in %.2f s",
                idempotency_key,
                rs.attempt_number,
                _last(rs).error,
                rs.upcoming_sleep,
            ),
        )
        result: _Attempt = retrying(attempt)

        if result.kind == "ok":
            return DeliveryOutcome("delivered", sent[0], backend_alert_id=result.backend_alert_id)
        if result.kind == "fatal":
            log.warning("alert %s refused by the backend: %s", idempotency_key, result.error)
            return DeliveryOutcome("failed", sent[0], last_error=result.error)
        log.warning(
            "alert %s not delivered after %d attempt(s) in %.1f s: %s",
            idempotency_key,
            sent[0],
            time.monotonic() - started,
            result.error,
        )
        return DeliveryOutcome(
            "retry_later", sent[0], last_error=result.error, retry_after_s=result.retry_after
        )

    def _sleep(self, seconds: float) -> None:
        # close() cuts a backoff sleep short.
        self._closed.wait(seconds)

    def _post(
        self, tenant_id: str, key: str, body: dict[str, Any], token: str | None, timeout: float
    ) -> httpx.Response:
        headers = {
            "X-Tenant-Id": tenant_id,
            "Idempotency-Key": key,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return observability.alert_post(
            lambda h: self._http.post(self._url, json=body, headers=h, timeout=timeout), headers, self._url
        )

    def _attempt(
        self, tenant_id: str, key: str, body: dict[str, Any], timeout: float, sent: list[int]
    ) -> _Attempt:
        try:
            sent[0] += 1
            resp = self._post(tenant_id, key, body, self.token_for(tenant_id), timeout)
            ALERT_REQUESTS_TOTAL.labels(str(resp.status_code)).inc()
            if resp.status_code == 401 and self._secret:
                # Our cached token may have died early (clock skew, backend restart with a new
                # lifetime): mint a fresh one and ask once more.
                ALERT_TOKEN_RENEWALS_TOTAL.inc()
                log.info("alert %s: backend answered 401; renewing the service token", key)
                sent[0] += 1
                resp = self._post(tenant_id, key, body, self.token_for(tenant_id, fresh=True), timeout)
                ALERT_REQUESTS_TOTAL.labels(str(resp.status_code)).inc()
                if resp.status_code == 401:
                    return _Attempt("fatal", error=f"{describe(resp)} (token renewed once; not retried)")
        except httpx.TimeoutException as exc:
            ALERT_REQUESTS_TOTAL.labels("timeout").inc()
            return _Attempt("retry", error=f"timeout after {timeout:.2f} s ({type(exc).__name__})")
        except httpx.TransportError as exc:
            ALERT_REQUESTS_TOTAL.labels("network_error").inc()
            return _Attempt("retry", error=f"network error: {type(exc).__name__}: {exc}"[:300])
        return self._classify(resp)

    @staticmethod
    def _classify(resp: httpx.Response) -> _Attempt:
        code = resp.status_code
        if 200 <= code < 300:
            backend_id = None
            try:
                data = resp.json()
            except ValueError:
                data = None
            if isinstance(data, dict) and data.get("id") is not None:
                backend_id = str(data["id"])
            return _Attempt("ok", backend_alert_id=backend_id)
        if code in RETRIED or code >= 500:
            error = describe(resp)
            if code in (307, 308):
                target = urlsplit(resp.headers.get("Location", "")).hostname or "the same host"
                error = f"{code} redirect to {target} not followed"
            return _Attempt(
                "retry", error=error, retry_after=parse_retry_after(resp.headers.get("Retry-After"))
            )
        # 400/403/404/409/422 by the spec; any other answer (401 with a static token, 405,
        # 3xx, 413 ...) will not change by asking again either.
        return _Attempt("fatal", error=f"{describe(resp)} (not retried)")


class _StopOnLongRetryAfter(stop_base):
    """A server asking for more than we ever wait inline gets its wish through parking."""

    def __init__(self, cap_s: float) -> None:
        self.cap_s = cap_s

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        retry_after = _last(retry_state).retry_after
        return retry_after is not None and retry_after > self.cap_s


def _last(rs: tenacity.RetryCallState) -> _Attempt:
    assert rs.outcome is not None
    return rs.outcome.result()  # type: ignore[no-any-return]
