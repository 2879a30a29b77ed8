"""The Slack message of an alert: Block Kit JSON (pure).

``alert_message(alert, event, dashboard_url, chart_url)`` returns the webhook payload:
a header (raised, moved or resolved), what changed and where (the root cause's dimension
values), observed vs expected with the p-value for each metric, the number of related
series grouped under it, the chart image and a button to the dashboard. ``text`` is the
plain fallback Slack shows in notifications.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bff.monitoring.metrics import LABELS, is_rate

MAX_EVIDENCE = 5


def alert_message(alert: dict[str, Any], event: str, dashboard_url: str, chart_url: str) -> dict[str, Any]:
    """The webhook payload of ``event`` (``raised``, ``moved`` or ``resolved``) for ``alert``.

    ``moved``: an open alert now covers a wider root (``AlertStore.move``); the message
    says so and names what it was raised as, so a reader sees one incident, not two.
    """
    resolved = event == "resolved"
    headline = alert["evidence"][0] if alert["evidence"] else None
    what = _what(headline) if headline else "unusual activity"
    prefix = "Resolved" if resolved else "Widened" if event == "moved" else "Anomaly"
    title = f"{prefix}: {what} ({alert['title']})"
    where = (
        ", ".join(f"*{k.replace('_', ' ')}*: {v}" for k, v in alert["dimensions"].items()) or "*all traffic*"
    )
    lines = [f"• {_evidence_line(f)}" for f in alert["evidence"][:MAX_EVIDENCE]]
    when = _clock(alert["resolved_ms"] if resolved else alert["raised_ms"])
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": title[:150], "emoji": False}},
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Where*\n{where}"},
                {"type": "mrkdwn", "text": f"*{'Resolved' if resolved else 'Raised'} at*\n{when} UTC"},
            ],
        },
        {"type": "section", "text": {"type": "mrkdwn", "text": "\n".join(lines) or "no detail"}},
    ]
    if event == "moved" and alert.get("moved_from"):
        was = alert["moved_from"][-1]
        raised = _clock(alert["raised_ms"])
        text = f"Raised as {was['title']} at {raised} UTC; the same incident now covers this wider scope"
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": text}]})
    if alert.get("related_count"):
        blocks.append(
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": f"{alert['related_count']} related series grouped under this root cause",
                    }
                ],
            }
        )
    blocks.append({"type": "image", "image_url": chart_url, "alt_text": f"{what}: today vs yesterday"})
    blocks.append(
        {
            "type": "actions",
            "elements": [
                {
                    "type": "button",
                    "text": {"type": "plain_text", "text": "Open in dashboard"},
                    "url": dashboard_url,
                }
            ],
        }
    )
    return {"text": title, "blocks": blocks}


def _what(finding: dict[str, Any]) -> str:
    direction = "drop" if finding["direction"] == "down" else "spike"
    return f"{LABELS.get(finding['metric'], finding['metric'])} {direction}"


def _evidence_line(finding: dict[str, Any]) -> str:
    label = LABELS.get(finding["metric"], finding["metric"])
    span = str(finding.get("span") or "")
    if span == "drift":
        label = f"{label} in the last minutes, against the hour before (slow drift)"
    elif span.endswith("m"):
        label = f"{label} over the last {span[:-1]} min"
    elif span.endswith("s"):
        label = f"{label} in the last {span[:-1]} s"
    if is_rate(finding["metric"]):
        observed, expected = f"{finding['observed']:.1%}", f"{finding['expected']:.1%}"
    else:
        observed, expected = f"{finding['observed']:g}", f"{finding['expected']:.1f}"
    versus = f"vs {finding['baseline']}, p = {finding['p_value']:.2g}"
    return f"{label}: observed *{observed}* vs expected {expected} ({versus})"


def _clock(ms: int | None) -> str:
    if ms is None:
        return "?"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")
