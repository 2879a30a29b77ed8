"""The attribution fields of ``validate_event`` and the stream's wire form (pure: no server)."""

from __future__ import annotations

from typing import Any

from bff.monitoring.ingest.event_schema import Rejection, validate_event
from bff.monitoring.ingest.stream import PRIVATE_FIELDS

NOW = 1_700_000_000_000


def validate(raw: dict[str, Any], merchant: str | None = None) -> dict[str, Any] | Rejection:
    return validate_event(raw, index=0, now_ms=NOW, merchant=merchant)


def frame(**fields: object) -> dict[str, Any]:
    base = {"id": "e" * 16, "type": "click", "ts": NOW, "client_id": "demo", "placement_key": "credit-badge"}
    return base | {"session_id": "v" * 32} | fields


def test_a_frame_event_keeps_campaign_variant_and_its_visit() -> None:
    wire = validate(frame(campaign_id="uk-pay-in-3", variant="B"))
    assert isinstance(wire, dict)
    assert (wire["campaign_id"], wire["variant"], wire["visit_id"]) == ("uk-pay-in-3", "B", "v" * 32)
    assert PRIVATE_FIELDS == ("visit_id",)


def test_a_client_order_needs_its_visit_order_id_and_value() -> None:
    order = {"id": "o" * 16, "type": "order_created", "ts": NOW, "client_id": "demo", "source": "client"}
    full = order | {"visit_id": "v1", "order_id": "A:1", "amount": 100, "currency": "EUR"}
    wire = validate(full)
    assert isinstance(wire, dict) and wire["source"] == "client" and wire["order_id"] == "A:1"
    for missing in ("visit_id", "order_id", "amount", "currency"):
        rejection = validate({k: v for k, v in full.items() if k != missing})
        assert isinstance(rejection, Rejection) and rejection.reason.startswith(missing), rejection


def test_a_server_order_is_marked_server_and_cannot_claim_to_be_a_client() -> None:
    order = {"id": "o" * 16, "type": "order_created", "ts": NOW}
    wire = validate(order, "demo")
    assert isinstance(wire, dict) and wire["source"] == "server" and "order_id" not in wire
    rejection = validate(order | {"source": "client"}, "demo")
    assert isinstance(rejection, Rejection) and "source must be 'server'" in rejection.reason
