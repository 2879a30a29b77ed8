"""Hypothesis strategies for hostile JSON-RPC traffic, shared by the test and the benchmark."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

METHODS = [
    "placements.render",
    "events.track",
    "consent.update",
    "campaigns.create",
    "campaigns.update",
    "campaigns.get",
    "campaigns.list",
    "campaigns.archive",
    "campaigns.preview",
    "profiles.export",
    "profiles.erase",
    "nope",
    "",
    "placements.render ",
]
PARAM_NAMES = [
    "client_id",
    "placement_key",
    "locale",
    "purchase_amount",
    "session_id",
    "currency",
    "country",
    "theme",
    "view",
    "page_type",
    "returning",
    "customer_ref",
    "consent",
    "events",
    "campaign",
    "campaign_id",
    "context",
    "version",
    "status",
    "personalization",
    "source",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.sampled_from(["demo", "credit-badge", "en-GB", "GBP", "0" * 32, "x" * 5000, "<script>", "{{7*7}}"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
params = st.one_of(
    st.dictionaries(st.sampled_from(PARAM_NAMES), json_values, max_size=8),
    st.lists(json_values, max_size=6),
    json_values,
)
request_objects = st.fixed_dictionaries(
    {
        "jsonrpc": st.sampled_from(["2.0", "1.0", 2]),
        "method": st.one_of(st.sampled_from(METHODS), json_values),
    },
    optional={"params": params, "id": st.one_of(st.integers(), st.text(max_size=8), st.none(), json_values)},
)


@st.composite
def bodies(draw: Any) -> tuple[bytes, str]:
    """A request body and a content type: valid-ish RPC, batches, garbage bytes, deep nesting."""
    kind = draw(st.sampled_from(["one", "batch", "json", "bytes", "deep", "huge-string", "big-batch"]))
    content_type = draw(
        st.sampled_from(
            ["application/json"] * 6
            + ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", ""]
        )
    )
    if kind == "one":
        body = json.dumps(draw(request_objects)).encode()
    elif kind == "batch":
        body = json.dumps(draw(st.lists(request_objects, max_size=8))).encode()
    elif kind == "json":
        body = json.dumps(draw(json_values)).encode()
    elif kind == "bytes":
        body = draw(st.binary(max_size=200))
    elif kind == "deep":
        depth = draw(st.integers(min_value=500, max_value=100_000))
        body = b"[" * depth + b"]" * depth
    elif kind == "huge-string":
        body = json.dumps(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "placements.render",
                "params": {"client_id": "x" * draw(st.integers(1, 900_000))},
            }
        ).encode()
    else:
        call = {"jsonrpc": "2.0", "method": "events.track", "params": {"events": []}}
        body = json.dumps([call] * draw(st.integers(101, 10_000))).encode()
    return body, content_type


def check_response(status: int, body: bytes) -> None:
    """The contract: a JSON-RPC result or error (HTTP 200), 204 for notifications, 413 too large."""
    assert status in (200, 204, 413), status
    if status == 204:
        assert body == b""
        return
    decoded = json.loads(body)
    for answer in decoded if isinstance(decoded, list) else [decoded]:
        assert answer["jsonrpc"] == "2.0"
        assert ("result" in answer) != ("error" in answer)
        if "error" in answer:
            error = answer["error"]
            assert isinstance(error["code"], int) and isinstance(error["message"], str)
            assert error["code"] != -32000
            # No debugging aids leak: no stack key, no interpreter paths (input may be echoed,
            # so the words themselves can appear; a traceback's 'File "/...", line' cannot).
            assert set(error) <= {"code", "message", "data", "name"}, error
            assert 'File "/' not in json.dumps(error), error
