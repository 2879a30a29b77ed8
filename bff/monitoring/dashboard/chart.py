"""The PNG chart of an alert: today vs the same window yesterday (pure; Pillow, in memory).

``render_chart(title, start_minute_ms, today, yesterday)`` draws two per-minute series
(``None`` for minutes without data) on a 720 x 300 canvas with a light grid, y-axis
labels, time labels in UTC every quarter of the window and a legend, and returns PNG bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

from PIL import Image, ImageDraw, ImageFont

from bff.monitoring.dashboard.axis import nice_ceiling

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 40, 36
TODAY, YESTERDAY = (37, 99, 235), (156, 163, 175)
INK, GRID = (17, 24, 39), (229, 231, 235)


def render_chart(
    title: str, start_minute_ms: int, today: Sequence[float | None], yesterday: Sequence[float | None]
) -> bytes:
    """PNG bytes of the two series over the same minutes (see the module docstring)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=12)
    draw.text((LEFT, 12), title[:90], fill=INK, font=ImageFont.load_default(size=14))
    values = [v for v in (*today, *yesterday) if v is not None]
    top = nice_ceiling(max(values, default=0.0))
    points = max(len(today), len(yesterday), 2)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(index: int, value: float) -> tuple[float, float]:
        return LEFT + plot_w * index / (points - 1), TOP + plot_h * (1 - value / top)

    for step in range(5):
        value = top * step / 4
        y = xy(0, value)[1]
        draw.line([(LEFT, y), (WIDTH - RIGHT, y)], fill=GRID)
        draw.text((4, y - 7), _short(value), fill=INK, font=font)
    for step in range(5):
        index = round((points - 1) * step / 4)
        x = xy(index, 0)[0]
        label = datetime.fromtimestamp((start_minute_ms + index * 60_000) / 1000, UTC).strftime("%H:%M")
        draw.text((x - 14, HEIGHT - BOTTOM + 8), label, fill=INK, font=font)
    for series, color, width in ((yesterday, YESTERDAY, 2), (today, TODAY, 3)):
        _polyline(draw, [xy(i, v) if v is not None else None for i, v in enumerate(series)], color, width)
    for offset, (name, color) in enumerate((("today", TODAY), ("yesterday", YESTERDAY))):
        x = WIDTH - RIGHT - 170 + offset * 90
        draw.line([(x, 20), (x + 18, 20)], fill=color, width=3)
        draw.text((x + 22, 13), name, fill=INK, font=font)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _polyline(
    draw: ImageDraw.ImageDraw,
    points: list[tuple[float, float] | None],
    color: tuple[int, int, int],
    width: int,
) -> None:
    run: list[tuple[float, float]] = []
    for point in [*points, None]:
        if point is None:
            if len(run) > 1:
                draw.line(run, fill=color, width=width, joint="curve")
            run = []
        else:
            run.append(point)


def _short(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}" if value >= 1 or value == 0 else f"{value:.2f}"
