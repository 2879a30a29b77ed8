"""One incoming event: validation and the compact wire form stored in the stream (pure).

``validate_event(raw, now_ms=..., merchant=...)`` returns the wire dict of a valid event or
a ``Rejection`` with a reason a developer understands. ``merchant`` is the client id an
API key authenticated, or None for events sent by our frames (anonymous notifications).

Event types and who may send them:

* frames (no API key): ``impression``, ``view``, ``click``, ``interstitial_open``;
  ``client_id``, ``placement_key`` and ``session_id`` are required.
* merchant servers (API key): ``session``, ``authorization`` (``outcome`` ``success`` or
  ``failure`` and ``payment_method`` required), ``order_created``, and the frame types.
  ``client_id`` may be omitted; when present it must be the key's merchant.
* the loader on an order confirmation page (no API key): ``order_created`` with
  ``source: "client"``, ``client_id``, ``visit_id``, ``order_id``, ``amount`` and ``currency``.

Frame events may name the message shown, ``campaign_id`` and ``variant`` (optional, for
older frames). An order may carry ``order_id`` (1-64 of ``[A-Za-z0-9_.:-]``, the merchant's
own, which deduplicates it; with it ``amount`` and ``currency`` are required) and
``visit_id`` (the loader's visit id). The wire form of an order gets ``source``
(``server`` or ``client``). The visit id of an event (``session_id`` of a frame event,
``visit_id`` of an order or an authorization, ``visit_id`` or else ``session_id`` of a
server session) is in the wire form as ``visit_id``, for attribution (docs/attribution.md)
and the visit join of dimensions (``visit_dimensions``); the stream drops it
(``stream.PRIVATE_FIELDS``). A server joins its events to the widget's by sending the
loader's visit id (``Onsite.push(['getVisit', cb])``).

Every event needs an ``id`` (8-64 letters, digits, ``_.:-``; a UUID in practice) and a
``ts`` in ms since the epoch, at most ``MAX_AGE_MS`` old and ``MAX_FUTURE_MS`` ahead of
the server clock: the window in which duplicates are guaranteed to be recognised.

Only what the rollups need is kept: no session id, no path of the page (personal data
can hide in URLs), just the page's host for the channel classification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bff.patterns import COUNTRY, CURRENCY, IDENTIFIER, LOCALE_TAG

FRAME_TYPES = ("impression", "view", "click", "interstitial_open")
SERVER_TYPES = ("session", "authorization", "order_created")
EVENT_TYPES = FRAME_TYPES + SERVER_TYPES
OUTCOMES = ("success", "failure")
ORDER_SOURCES = ("server", "client")
MAX_AGE_MS = 60 * 60 * 1000
MAX_FUTURE_MS = 5 * 60 * 1000
MAX_AMOUNT = 10**12

EVENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{7,63}\Z")
SESSION_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}\Z")
ORDER_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}\Z")
SESSION_ID_TEXT = "1-64 letters, digits, '_', '.', ':' or '-'"
IDENTIFIER_TEXT = "1-64 letters, digits, '_', '.' or '-'"
UTM = re.compile(r"^[A-Za-z0-9 _.+-]{1,64}\Z")
MAX_USER_AGENT = 512


@dataclass(frozen=True)
class Rejection:
    """An event that was not accepted: its position in the batch, its id if any, why."""

    index: int
    id: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"index": self.index, "id": self.id, "reason": self.reason}


class _Invalid(Exception):
    pass


def validate_event(raw: Any, *, index: int, now_ms: int, merchant: str | None) -> dict[str, Any] | Rejection:
    """The wire form of a valid event, or a ``Rejection`` naming the field and the reason."""
    event_id = raw.get("id") if isinstance(raw, dict) else None
    shown_id = event_id if isinstance(event_id, str) and EVENT_ID.match(event_id) else None
    try:
        return _validate(raw, now_ms, merchant)
    except _Invalid as exc:
        return Rejection(index, shown_id, str(exc))


def _validate(raw: Any, now_ms: int, merchant: str | None) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _Invalid("an event must be a JSON object")
    wire: dict[str, Any] = {}
    wire["id"] = _match(raw, "id", EVENT_ID, "8-64 letters, digits, '_', '.', ':' or '-' (a UUID)")
    kind = raw.get("type")
    if kind not in EVENT_TYPES:
        raise _Invalid(f"type must be one of {', '.join(EVENT_TYPES)}")
    client_order = kind == "order_created" and merchant is None and raw.get("source") == "client"
    if kind in SERVER_TYPES and merchant is None and not client_order:
        raise _Invalid(
            f"type {kind!r} is sent by the merchant's server with its API key"
            + (" (or by the loader with source 'client')" if kind == "order_created" else "")
        )
    wire["type"] = kind
    wire["client_id"] = _client_id(raw, merchant)
    wire["ts"] = _timestamp(raw.get("ts"), now_ms)
    if kind in FRAME_TYPES and merchant is None:
        wire["placement_key"] = _match(raw, "placement_key", IDENTIFIER, IDENTIFIER_TEXT)
        wire["visit_id"] = _match(raw, "session_id", SESSION_ID, SESSION_ID_TEXT)
    if kind in FRAME_TYPES:
        _message_fields(raw, wire)
    if kind == "order_created":
        _order_fields(raw, wire, client_order)
    if kind == "session":
        wire["visit_id"] = _match(raw, "session_id", SESSION_ID, SESSION_ID_TEXT)
    if kind in ("session", "authorization") and raw.get("visit_id") is not None:
        wire["visit_id"] = _match(raw, "visit_id", SESSION_ID, SESSION_ID_TEXT + " (Onsite getVisit)")
    if kind == "authorization":
        outcome = raw.get("outcome")
        if outcome not in OUTCOMES:
            raise _Invalid("outcome must be 'success' or 'failure' for an authorization")
        wire["outcome"] = outcome
        wire["payment_method"] = _match(
            raw, "payment_method", IDENTIFIER, "1-64 letters, digits, '_', '.' or '-'"
        )
    _optional_fields(raw, wire)
    return wire


def _message_fields(raw: dict[str, Any], wire: dict[str, Any]) -> None:
    """The message shown (optional: frames before attribution did not send it)."""
    for name in ("campaign_id", "variant"):
        if raw.get(name) is not None:
            wire[name] = _match(raw, name, IDENTIFIER, IDENTIFIER_TEXT)
    if "visit_id" not in wire and raw.get("session_id") is not None:
        wire["visit_id"] = _match(raw, "session_id", SESSION_ID, SESSION_ID_TEXT)


def _order_fields(raw: dict[str, Any], wire: dict[str, Any], client_order: bool) -> None:
    """An order's source, and its id, visit and value (required from the loader)."""
    source = raw.get("source")
    if not client_order and source not in (None, "server"):
        raise _Invalid("source must be 'server' (or left out) for an order sent with an API key")
    wire["source"] = "client" if client_order else "server"
    if client_order or raw.get("visit_id") is not None:
        wire["visit_id"] = _match(raw, "visit_id", SESSION_ID, SESSION_ID_TEXT + " (Onsite getVisit)")
    if client_order or raw.get("order_id") is not None:
        wire["order_id"] = _match(raw, "order_id", ORDER_ID, "1-64 letters, digits, '_', '.', ':' or '-'")
        for name in ("amount", "currency"):
            if raw.get(name) is None:
                raise _Invalid(f"{name} is required for an order with an order_id")


def _optional_fields(raw: dict[str, Any], wire: dict[str, Any]) -> None:
    if "payment_method" not in wire and raw.get("payment_method") is not None:
        wire["payment_method"] = _match(
            raw, "payment_method", IDENTIFIER, "1-64 letters, digits, '_', '.' or '-'"
        )
    amount = raw.get("amount")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 <= amount <= MAX_AMOUNT:
            raise _Invalid(f"amount must be an integer in minor units between 0 and {MAX_AMOUNT}")
        wire["amount"] = amount
    if raw.get("currency") is not None:
        wire["currency"] = _match(raw, "currency", CURRENCY, "an ISO 4217 code such as 'EUR'")
    if raw.get("locale") is not None:
        wire["locale"] = _match(raw, "locale", LOCALE_TAG, "a BCP 47 tag such as 'en-GB'")
    if raw.get("country") is not None:
        wire["country"] = _match(raw, "country", COUNTRY, "an ISO 3166 alpha-2 code such as 'SE'")
    for name in ("page_url", "referrer"):
        if raw.get(name) is not None:
            host = _url_host(raw[name])
            if host is None:
                raise _Invalid(f"{name} must be an http(s) URL")
            wire[f"{name}_host"] = host
    for name in ("utm_source", "utm_medium"):
        if raw.get(name) is not None:
            wire[name] = _match(raw, name, UTM, "1-64 letters, digits, spaces or '_.+-'").lower()
        elif isinstance(raw.get("page_url"), str):
            found = _query_value(raw["page_url"], name)
            if found is not None and UTM.match(found):
                wire[name] = found.lower()
    user_agent = raw.get("user_agent")
    if user_agent is not None:
        if not isinstance(user_agent, str) or not user_agent.isprintable():
            raise _Invalid("user_agent must be a printable string")
        wire["user_agent"] = user_agent[:MAX_USER_AGENT]


def _client_id(raw: dict[str, Any], merchant: str | None) -> str:
    value = raw.get("client_id")
    if merchant is not None:
        if value is not None and value != merchant:
            raise _Invalid("client_id must be the merchant of the API key (or be left out)")
        return merchant
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise _Invalid("client_id is required: 1-64 letters, digits, '_', '.' or '-'")
    return value


def _timestamp(value: Any, now_ms: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Invalid("ts must be an integer: milliseconds since the Unix epoch")
    if value < now_ms - MAX_AGE_MS:
        raise _Invalid(f"ts is more than {MAX_AGE_MS // 60000} minutes old")
    if value > now_ms + MAX_FUTURE_MS:
        raise _Invalid(f"ts is more than {MAX_FUTURE_MS // 60000} minutes in the future")
    return value


def _match(raw: dict[str, Any], name: str, pattern: re.Pattern[str], what: str) -> str:
    value = raw.get(name)
    if value is None:
        raise _Invalid(f"{name} is required: {what}")
    if not isinstance(value, str) or not pattern.match(value):
        raise _Invalid(f"{name} must be {what}")
    return value


def _query_value(url: str, name: str) -> str | None:
    """A UTM parameter left in ``page_url``'s query (the loader normally strips the query)."""
    try:
        values = parse_qs(urlsplit(url).query).get(name)
    except ValueError:
        return None
    return values[0] if values else None


def _url_host(value: Any) -> str | None:
    if not isinstance(value, str) or len(value) > 2048:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname
