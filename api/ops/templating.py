"""The console's Jinja2 environment and its filters (times with their timezone, masking)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape

from api.ops.verdict import ALERT_RULES, STATE_WORDS, VHOST_RULES
from shared.pii import mask_text

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _utc(value: datetime | str) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _iso(utc: datetime) -> str:
    return utc.strftime("%Y-%m-%dT%H:%M:%SZ")


def when(value: datetime | str | None) -> Markup:
    """A `<time>` in UTC, named as such; a small script on each page rewrites the text in the
    operator's timezone and keeps UTC in the tooltip (base.html). Built by hand: the text is
    digits and separators only, and Markup.format costs more than the rest of a row."""
    if value is None or value == "":
        return Markup("")
    utc = _utc(value)
    iso, text = _iso(utc), f"{utc:%Y-%m-%d %H:%M:%S} UTC"
    return Markup(f'<time class="utc-time" datetime="{iso}" data-utc="{iso}" title="{text}">{text}</time>')  # noqa: S704


def ago(value: datetime | None, now: datetime) -> Markup:
    """ "5 s ago", with the time itself (local and UTC) on hover."""
    if value is None:
        return Markup("never")
    utc = _utc(value)
    seconds = max(0.0, (now - utc).total_seconds())
    if seconds < 90:
        text = f"{seconds:.0f} s ago"
    elif seconds < 2 * 3600:
        text = f"{seconds / 60:.0f} min ago"
    elif seconds < 2 * 86400:
        text = f"{seconds / 3600:.0f} h ago"
    else:
        text = f"{seconds / 86400:.0f} days ago"
    iso, title = _iso(utc), f"{utc:%Y-%m-%d %H:%M:%S} UTC"
    return Markup(  # noqa: S704 - digits, separators and fixed words only
        f'<time class="ago" datetime="{iso}" data-utc="{iso}" title="{title}">{text}</time>'
    )


def seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


def rate(value: float) -> str:
    return "0" if value == 0 else f"{value:.2f}" if value < 10 else f"{value:.0f}"


def number(value: int | None) -> str:
    return "—" if value is None else f"{value:,}".replace(",", " ")


def rows(items: list[dict[str, Any]]) -> list[SimpleNamespace]:
    """Table rows as objects: Jinja reads `row.x` with getattr first, and on a dict that raises
    (and is caught) for every cell, which was most of a 100-row page's time."""
    return [SimpleNamespace(**item) for item in items]


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)


templates.env.filters.update(
    pretty=pretty,
    mask_text=lambda value: mask_text(str(value)),
    when=when,
    seconds=seconds,
    rate=rate,
    number=number,
)
templates.env.globals.update(
    ago=ago, VHOST_RULES=VHOST_RULES, ALERT_RULES=ALERT_RULES, STATE_WORDS=STATE_WORDS, escape=escape
)
