"""Slack Block Kit message and PNG chart of an alert (pure)."""

from __future__ import annotations

import io

from PIL import Image

from bff.monitoring.alerts.slack_blocks import alert_message
from bff.monitoring.dashboard.chart import render_chart

ALERT = {
    "id": "ab" * 16,
    "root": "merchant=acme|browser=Firefox",
    "title": "merchant acme, browser Firefox",
    "dimensions": {"merchant": "acme", "browser": "Firefox"},
    "raised_ms": 1_700_000_000_000,
    "resolved_ms": 1_700_000_600_000,
    "related_count": 4,
    "evidence": [
        {
            "metric": "conversion",
            "direction": "down",
            "observed": 0.02,
            "expected": 0.11,
            "p_value": 3e-9,
            "baseline": "yesterday",
        },
        {
            "metric": "order_created",
            "direction": "down",
            "observed": 3,
            "expected": 21.5,
            "p_value": 1e-6,
            "baseline": "yesterday",
        },
    ],
}


def test_a_raised_alert_says_what_where_how_much_and_links_chart_and_dashboard() -> None:
    message = alert_message(
        ALERT, "raised", "https://bff.example/monitoring#alert=x", "https://bff.example/c.png"
    )
    assert (
        message["text"]
        == "Anomaly: conversion rate (orders per session) drop (merchant acme, browser Firefox)"
    )
    kinds = [b["type"] for b in message["blocks"]]
    assert kinds == ["header", "section", "section", "context", "image", "actions"]
    fields = message["blocks"][1]["fields"]
    assert (
        "*merchant*: acme, *browser*: Firefox" in fields[0]["text"]
        and "2023-11-14 22:13:20" in fields[1]["text"]
    )
    detail = message["blocks"][2]["text"]["text"]
    assert "observed *2.0%* vs expected 11.0% (vs yesterday, p = 3e-09)" in detail
    assert "orders: observed *3* vs expected 21.5" in detail
    assert message["blocks"][4]["image_url"] == "https://bff.example/c.png"
    assert message["blocks"][5]["elements"][0]["url"] == "https://bff.example/monitoring#alert=x"


def test_window_and_drift_evidence_say_their_span() -> None:
    spans = [{**ALERT["evidence"][1], "span": "15m"}, {**ALERT["evidence"][1], "span": "drift"}]  # type: ignore[dict-item]
    detail = alert_message({**ALERT, "evidence": spans}, "raised", "u", "c")["blocks"][2]["text"]["text"]
    assert "orders over the last 15 min: observed *3*" in detail
    assert "orders in the last minutes, against the hour before (slow drift): observed *3*" in detail


def test_a_resolved_alert_says_so_with_the_resolve_time() -> None:
    message = alert_message(ALERT, "resolved", "u", "c")
    assert message["text"].startswith("Resolved: ") and "2023-11-14 22:23:20" in str(message["blocks"][1])


def test_the_chart_is_a_png_of_the_expected_size_with_both_series_drawn() -> None:
    today = [float(v) for v in range(60)] + [None] * 30
    yesterday = [float(v) for v in range(90)]
    png = render_chart("acme: sessions per minute", 1_700_000_000_000, today, yesterday)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", (720, 300))
    colors = {color for _, color in image.convert("RGB").getcolors(1_000_000)}  # type: ignore[union-attr]
    assert (37, 99, 235) in colors and (156, 163, 175) in colors


def test_an_empty_chart_still_renders() -> None:
    assert render_chart("nothing", 0, [], [])[:4] == b"\x89PNG"
