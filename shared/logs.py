"""Logging set-up shared by the API and the workers: structlog on top of the standard library.

`LOG_FORMAT=json` (default) writes one JSON object per line for log shippers; `console` is for
people. Standard-library loggers (uvicorn, pika, sqlalchemy) go through the same renderer.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

from shared.config import Settings
from shared.pii import FREE_TEXT_KEYS, MASK, NAME_KEYS, mask, mask_text

_configured = False


# Fields our own code fills with ids and names of things, never with personal data.
_SAFE_KEYS = frozenset(
    {
        "task_id",
        "task_ids",  # a worker's one line per batch (tasks_completed)
        "correlation_id",
        "tenant",
        "vhost",
        "task_type",
        "service",
        "level",
        "logger",
        "timestamp",
    }
)
# CPF and phone numbers need digits, e-mail addresses an @: most strings are left alone cheaply.
_MAYBE_PERSONAL = re.compile(r"[\d@]")


def mask_personal_data(
    _logger: Any, _method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """A safety net under the logging rule of docs/operations.md (no CPF, phone, e-mail, name or
    free clinical text in logs):
    code logs ids, not payloads, but an exception message or a library's log line may quote
    one. Names and free-text fields are masked whole, CPF/phone/e-mail patterns everywhere.
    About 2 us for a typical line (a worker writes two per task)."""
    for key, value in event_dict.items():
        if key in _SAFE_KEYS:
            continue
        if isinstance(value, str):
            lowered = key.lower()
            if lowered in NAME_KEYS or lowered in FREE_TEXT_KEYS:
                event_dict[key] = MASK if value else value
            elif _MAYBE_PERSONAL.search(value):
                event_dict[key] = mask_text(value)
        elif isinstance(value, dict | list):
            event_dict[key] = mask(value, free_text=True, key=key)
    return event_dict


def mask_exception(
    _logger: Any, _method: str, event_dict: structlog.types.EventDict
) -> structlog.types.EventDict:
    """The same safety net for the traceback, which exists only once `format_exc_info` has run
    (after `mask_personal_data`): an exception's text may quote a CPF, a phone or an e-mail."""
    for key in ("exception", "traceback", "error"):
        value = event_dict.get(key)
        if isinstance(value, str) and _MAYBE_PERSONAL.search(value):
            event_dict[key] = mask_text(value)
    return event_dict


def configure_logging(settings: Settings, service: str) -> None:
    global _configured
    renderer: structlog.types.Processor
    if settings.log_format == "console":
        renderer = structlog.dev.ConsoleRenderer(colors=False)
    else:
        renderer = structlog.processors.JSONRenderer()
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        mask_personal_data,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            mask_exception,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    # pika logs every frame-level event at INFO; only its problems matter to operators.
    for noisy in ("pika", "aiormq", "aio_pika", "httpx", "httpcore", "LiteLLM", "openai"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    structlog.contextvars.bind_contextvars(service=service)
    _configured = True


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.get_logger(name)  # type: ignore[no-any-return]
