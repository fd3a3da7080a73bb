"""Geometry of the console's small line charts; `templates/_chart.html` draws them as inline SVG
(server-rendered, no script, no CDN).

Each series has its own colour *and* dash pattern and is named in a legend, and each chart
carries a text summary (`<title>`, `aria-label`), so it reads without colour and with a screen
reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

WIDTH, HEIGHT = 560, 160
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 26


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float | None]
    colour: str  # dark enough for 3:1 against white (WCAG non-text contrast)
    dash: str = ""
    # Wider lines are drawn first, so a series that equals another still shows around it.
    width: float = 2.0


@dataclass
class Tick:
    x: float
    y: float
    label: str
    utc: datetime | None = None


@dataclass
class Line:
    series: Series
    runs: list[str] = field(default_factory=list)  # polyline point lists
    dots: list[tuple[float, float]] = field(default_factory=list)  # isolated points


@dataclass
class Chart:
    chart_id: str
    title: str
    unit: str
    summary: str
    lines: list[Line]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT


def nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000):
        if value <= step:
            return float(step)
    return value


def _number(value: float) -> str:
    return f"{value:g}" if value < 10 else f"{value:.0f}"


def line_chart(
    chart_id: str, title: str, minutes: list[datetime], series: list[Series], unit: str, summary: str
) -> Chart:
    top = nice_max(max((v for s in series for v in s.values if v is not None), default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(minutes) - 1, 1)

    def x(i: int) -> float:
        return round(LEFT + plot_w * i / n, 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    lines = []
    for s in sorted(series, key=lambda s: -s.width):
        line = Line(s)
        run: list[tuple[float, float]] = []
        for i, v in enumerate([*s.values, None]):
            if v is not None:
                run.append((x(i), y(v)))
                continue
            if len(run) == 1:
                line.dots.append(run[0])
            elif run:
                line.runs.append(" ".join(f"{px},{py}" for px, py in run))
            run = []
        lines.append(line)
    y_ticks = [Tick(LEFT - 4, y(top * f), _number(top * f)) for f in (0.0, 0.5, 1.0)]
    x_ticks = [
        Tick(x(i), HEIGHT - 8, f"{minutes[i]:%H:%M}", minutes[i])
        for i in sorted({0, len(minutes) // 2, len(minutes) - 1})
        if 0 <= i < len(minutes)
    ]
    return Chart(chart_id, title, unit, summary, lines, y_ticks, x_ticks)
