"""Hypothesis strategies for hostile JSON-RPC traffic, shared by the test and the benchmark.

``bodies()`` draws a body and a content type; ``check_response`` is the contract every
answer must meet, whatever was sent (docs/security.md, "JSON-RPC edge cases").
"""

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
    "keys.revoke",
    "audit.records",
    "audit.verify",
    "identity.secrets.list",
    "identity.secrets.create",
    "identity.secrets.rotate",
    "identity.secrets.revoke",
    "merchants.create",
    "merchants.get",
    "merchants.update",
    "merchants.list",
    "merchants.history",
    "merchants.rollback",
    "merchants.disable",
    "merchants.enable",
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
    "key_id",
    "customer_token",
    "secret_id",
    "merchant",
    "changes",
    "to_version",
]
# Valid params per method, into which the shape kinds below plant one hostile value.
VALID_PARAMS: dict[str, dict[str, Any]] = {
    "placements.render": {
        "client_id": "demo",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": 9900,
        "session_id": "s" * 24,
        "currency": "GBP",
        "country": "GB",
        "consent": {"personalization": True},
        "customer_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLWFubmEifQ.c2ln",
    },
    "consent.update": {
        "client_id": "demo",
        "session_id": "s" * 24,
        "personalization": True,
        "customer_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJkZW1vLWFubmEifQ.c2ln",
    },
    "identity.secrets.revoke": {"secret_id": "0" * 12},
    "events.track": {
        "events": [
            {
                "id": "00000000-0000-4000-8000-000000000001",
                "type": "impression",
                "client_id": "demo",
                "placement_key": "credit-badge",
                "session_id": "s" * 24,
                "ts": 0,
                "page_url": "http://localhost:5000/demo",
            }
        ]
    },
    "campaigns.create": {
        "campaign": {
            "id": "fuzz",
            "placements": ["badge"],
            "schedule": {"timezone": "Europe/Stockholm", "start": "2026-01-01T00:00"},
            "variants": [{"id": "a", "weight": 1, "copy": {"en": {"headline": "Hi"}}}],
        }
    },
    "campaigns.get": {"campaign_id": "gb-pay-in-4"},
    "campaigns.preview": {"context": {"locale": "en-GB", "purchase_amount": 9900}, "campaign_id": "x"},
    "profiles.export": {"customer_ref": "shopper-1"},
    "profiles.erase": {"customer_ref": "shopper-1"},
    "merchants.get": {"client_id": "demo"},
    "merchants.history": {"client_id": "demo"},
    "merchants.update": {
        "client_id": "demo",
        "version": 1,
        "changes": {
            "allowed_origins": ["https://shop.example", "https://www.shop.example"],
            "markets": [{"country": "GB", "locale": "en-GB", "currency": "GBP"}],
            "brand": {
                "primary_color": "#112233",
                "logo_url": "https://shop.example/logo.png",
                "font": "inter",
            },
        },
    },
}
NON_FINITE = [b"NaN", b"Infinity", b"-Infinity", b"1e400", b"-1e999"]
# Error objects quote input only in short excerpts; results may list up to 500 rejections.
MAX_ERROR_BYTES = 8 * 1024
MAX_ANSWER_BYTES = 256 * 1024
MAX_ID_CHARS = 64

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
    kind = draw(
        st.sampled_from(
            [
                *("one", "batch", "json", "bytes", "deep", "huge-string", "big-batch"),
                *("deep-id", "deep-param", "non-finite", "huge-param", "huge-id", "newline", "timezone"),
            ]
        )
    )
    content_type = draw(
        st.sampled_from(
            ["application/json"] * 6
            + ["text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin-1", ""]
            + ["application/x-" + "y" * 5000]
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
    elif kind == "big-batch":
        call = {"jsonrpc": "2.0", "method": "events.track", "params": {"events": []}}
        body = json.dumps([call] * draw(st.integers(101, 10_000))).encode()
    else:
        body = draw(shapes(kind))
    return body, content_type


@st.composite
def shapes(draw: Any, kind: str) -> bytes:
    """One call with a valid envelope and params, and one hostile value planted in it."""
    method = draw(st.sampled_from(sorted(VALID_PARAMS)))
    params = json.loads(json.dumps(VALID_PARAMS[method]))
    request_id: bytes = b"1"
    if kind == "deep-id":
        depth = draw(st.integers(min_value=900, max_value=1_100))
        opener = draw(st.sampled_from([b"[", b'{"a":']))
        closer = b"]" if opener == b"[" else b"}"
        request_id = opener * depth + b"1" + closer * depth
    elif kind == "huge-id":
        request_id = json.dumps(draw(huge_strings())).encode()
    elif kind == "newline":
        # A valid identifier with a trailing newline (``$`` used to accept it).
        name, value = draw(st.sampled_from(sorted(_strings(params))))
        _plant(params, name, value + draw(st.sampled_from(["\n", "\r\n", "\n\n"])))
    elif kind == "timezone":
        params = json.loads(json.dumps(VALID_PARAMS["campaigns.create"]))
        method = "campaigns.create"
        zone = draw(
            st.sampled_from(["x" * draw(st.integers(200, 5_000)), "Europe", "a/" * 200, "../x", "\x00"])
        )
        params["campaign"]["schedule"]["timezone"] = zone
    else:
        name = draw(st.sampled_from(sorted(_paths(params)) + PARAM_NAMES))
        marker = '"__HOSTILE__"'
        _plant(params, name, "__HOSTILE__")
        encoded = json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})
        if kind == "deep-param":
            depth = draw(st.integers(min_value=900, max_value=1_100))
            value = "[" * depth + "1" + "]" * depth
        elif kind == "non-finite":
            value = draw(st.sampled_from(NON_FINITE)).decode()
        else:
            value = json.dumps(draw(huge_strings()), ensure_ascii=draw(st.booleans()))
        return encoded.replace(marker, value, 1).encode()
    body = json.dumps({"jsonrpc": "2.0", "id": "@ID@", "method": method, "params": params}).encode()
    return body.replace(b'"@ID@"', request_id, 1)


def huge_strings() -> Any:
    """Strings of up to 900,000 characters: ASCII, and characters JSON escapes at 6 bytes."""
    return st.builds(
        lambda char, size: char * size,
        st.sampled_from(["x", "\u00e9", "\u2028", "\u0001", "\\", "<"]),
        st.integers(min_value=65, max_value=900_000),
    )


def _paths(params: dict[str, Any], prefix: str = "") -> set[str]:
    """Every member path in ``params`` (``campaign.schedule.timezone``), lists by index."""
    found: set[str] = set()
    items = params.items() if isinstance(params, dict) else enumerate(params)
    for key, value in items:
        path = f"{prefix}{key}"
        found.add(path)
        if isinstance(value, dict | list):
            found |= _paths(value, path + ".")  # type: ignore[arg-type]
    return found


def _strings(params: dict[str, Any]) -> set[tuple[str, str]]:
    """(path, value) of every string member of ``params``."""
    found = set()
    for path in _paths(params):
        value = _get(params, path)
        if isinstance(value, str):
            found.add((path, value))
    return found


def _get(params: Any, path: str) -> Any:
    for part in path.split("."):
        params = params[int(part)] if isinstance(params, list) else params[part]
    return params


def _plant(params: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = _get(params, ".".join(parents)) if parents else params
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


def check_response(status: int, body: bytes) -> None:
    """The contract: a JSON-RPC result or error (HTTP 200), 204 for notifications, 413 too large.

    Every body parses with a strict JSON parser (no NaN or Infinity), is never an HTML page,
    echoes an id only if it is a short string, a number or null, and each answer is
    bounded in size: errors quote input in short excerpts only.
    """
    assert status in (200, 204, 413), status
    if status == 204:
        assert body == b""
        return
    assert not body.lstrip().startswith(b"<"), body[:200]
    decoded = json.loads(body, parse_constant=_refuse)
    for answer in decoded if isinstance(decoded, list) else [decoded]:
        assert answer["jsonrpc"] == "2.0"
        assert ("result" in answer) != ("error" in answer)
        assert _is_valid_id(answer["id"]), str(answer["id"])[:200]
        assert len(json.dumps(answer)) <= MAX_ANSWER_BYTES
        if "error" in answer:
            error = answer["error"]
            assert isinstance(error["code"], int) and isinstance(error["message"], str)
            assert error["code"] != -32000
            # No debugging aids leak: no stack key, no interpreter paths (input may be echoed,
            # so the words themselves can appear; a traceback's 'File "/...", line' cannot).
            assert set(error) <= {"code", "message", "data", "name"}, error
            encoded = json.dumps(error)
            assert 'File "/' not in encoded and "Traceback" not in encoded, error
            assert len(encoded) <= MAX_ERROR_BYTES, encoded[:500]


def _is_valid_id(value: Any) -> bool:
    if isinstance(value, str):
        return len(value) <= MAX_ID_CHARS
    return value is None or (isinstance(value, int | float) and not isinstance(value, bool))


def _refuse(constant: str) -> Any:
    raise AssertionError(f"the reply holds {constant}, which strict JSON parsers reject")
