"""bff/first_render.py without a server: which query values are rendered, and how."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bff.errors import StoreUnavailable
from bff.first_render import ALLOWED_KEYS, MAX_RENDER_CHARS, RENDER_PARAM_NAMES, first_render, render_params

SESSION = "0123456789abcdef0123456789abcdef"
PARAMS = {
    "client_id": "demo",
    "placement_key": "credit-badge",
    "locale": "en-GB",
    "purchase_amount": 9900,
    "session_id": SESSION,
    "currency": "GBP",
    "consent": {"personalization": False},
}


class RecordingRenderer:
    """A renderer that answers a fixed view and keeps the requests it was given."""

    def __init__(self, fail: Exception | None = None) -> None:
        self.requests: list[Any] = []
        self.fail = fail

    def render(self, request: Any) -> dict[str, Any]:
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        return {"kind": "badge", "text": "rendered"}


def raw(**changes: Any) -> str:
    return json.dumps({k: v for k, v in (PARAMS | changes).items() if v is not None})


REFUSED = {
    "absent": None,
    "empty": "",
    "not_json": "{client_id: demo}",
    "nan": raw()[:-1] + ', "theme": NaN}',
    "infinity": raw()[:-1] + ', "purchase_amount": Infinity}',
    "overflowing_number": raw()[:-1] + ', "theme": 1e400}',
    "array": json.dumps([PARAMS]),
    "string": json.dumps("demo"),
    "too_long": raw(theme="x" * MAX_RENDER_CHARS),
    "unknown_key": raw(colour="red"),
    "customer_token": raw(customer_token="v1.token"),
    "visit_token": raw(visit_token="v1.token"),
    "customer_ref": raw(customer_ref="jane@example.com"),
    "view": raw(view="interstitial"),
    "returning": raw(returning=True),
    "other_client": raw(client_id="other"),
    "no_client": raw(client_id=None),
}


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_refused_values_render_nothing(value: str | None) -> None:
    renderer = RecordingRenderer()
    assert render_params(value, "demo") is None
    assert first_render(value, "demo", renderer, "Mozilla/5.0") is None  # type: ignore[arg-type]
    assert renderer.requests == []


def test_a_value_of_the_longest_length_is_read() -> None:
    base = raw(theme="")
    padded = base.replace('"theme": ""', '"theme": ""' + " " * (MAX_RENDER_CHARS - len(base)))
    assert len(padded) == MAX_RENDER_CHARS
    assert render_params(padded, "demo") == PARAMS | {"theme": ""}


def test_renders_every_param_by_name_as_the_rpc_does() -> None:
    renderer = RecordingRenderer()
    found = first_render(raw(), "demo", renderer, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)")  # type: ignore[arg-type]
    assert found == {"params": PARAMS, "result": {"kind": "badge", "text": "rendered"}}
    (request,) = renderer.requests
    assert (request.client_id, request.placement_key, request.locale) == ("demo", "credit-badge", "en-GB")
    assert (request.purchase_amount, request.session_id, request.currency) == (9900, SESSION, "GBP")
    assert request.customer_token is None and request.visit_token is None
    assert request.device == "mobile"


def test_allowed_keys_are_params_of_the_rpc_and_leave_out_tokens_and_refs() -> None:
    assert ALLOWED_KEYS.issubset(RENDER_PARAM_NAMES)
    assert set(RENDER_PARAM_NAMES) - ALLOWED_KEYS == {
        "customer_token",
        "visit_token",
        "customer_ref",
        "view",
        "returning",
    }


@pytest.mark.parametrize(
    "changes",
    [
        {"purchase_amount": -1},
        {"purchase_amount": "9900"},
        {"purchase_amount": 99.5},
        {"placement_key": "</script><script>alert(1)</script>"},
        {"locale": "</script><script>alert(1)</script>"},
        {"session_id": "x"},
        {"consent": True},
        {"placement_key": None},
    ],
)
def test_params_the_rpc_refuses_render_nothing(changes: dict[str, Any]) -> None:
    renderer = RecordingRenderer()
    assert first_render(raw(**changes), "demo", renderer, "") is None  # type: ignore[arg-type]
    assert renderer.requests == []


@pytest.mark.parametrize("error", [StoreUnavailable("down"), RuntimeError("boom")])
def test_a_failing_render_renders_nothing(error: Exception) -> None:
    assert first_render(raw(), "demo", RecordingRenderer(fail=error), "") is None  # type: ignore[arg-type]
