"""The placement shell's first render: ``placements.render`` answered inside the shell itself.

The loader puts the first render's params into the shell URL's query
(``/frame/placement?client_id=X&render=<JSON object>``), so the frame shows its badge
without a round trip to ``/rpc``. The render is the RPC's own code
(``bff.rpc.placements.render_placement``), so the shell carries exactly what
``placements.render`` would answer for the same params.

Contract of ``first_render``: ``{"params": <the object as received>, "result": <the
render>}``, or None when there is nothing to embed. It never raises for bad input and logs
nothing (a refusal is not an incident; the render path logs its own internal errors, by
type only). Refused, with None:

* no value, or one longer than ``MAX_RENDER_CHARS`` characters;
* not strict JSON (``bff.rpc.envelope.parse_body``: no ``NaN``, ``Infinity``, ``1e400``),
  or not a JSON object;
* a key outside ``ALLOWED_KEYS``: a customer token must never travel in a URL, and
  ``visit_token``, ``customer_ref``, ``view`` and ``returning`` are not the loader's to
  send here;
* a ``client_id`` other than the shell's;
* whatever the RPC refuses (invalid params, an unknown client, the store down): the
  ``exposed`` wrapper turns every failure into a ``JSONRPCError``.

What the RPC answers with a result (an ``empty`` one included) is embedded as it is.
"""

from __future__ import annotations

import inspect
from typing import Any

from flask_jsonrpc.exceptions import JSONRPCError

from bff.placement_renderer import PlacementRenderer
from bff.rpc.envelope import BodyInvalid, parse_body
from bff.rpc.placements import render, render_placement

MAX_RENDER_CHARS = 2048
ALLOWED_KEYS = frozenset(
    {
        "client_id",
        "placement_key",
        "locale",
        "purchase_amount",
        "session_id",
        "currency",
        "theme",
        "page_type",
        "country",
        "consent",
    }
)
# Every parameter of the registered method, as the RPC binds them (absent ones are None).
RENDER_PARAM_NAMES = tuple(inspect.signature(render).parameters)


def first_render(
    raw: str | None, client_id: str, renderer: PlacementRenderer, user_agent: str
) -> dict[str, Any] | None:
    """The first render of the shell of ``client_id`` from the query's ``raw`` JSON, or None."""
    params = render_params(raw, client_id)
    if params is None:
        return None
    by_name = {name: params.get(name) for name in RENDER_PARAM_NAMES}
    try:
        result: dict[str, Any] = render_placement(renderer, user_agent, by_name)
    except JSONRPCError:
        return None
    return {"params": params, "result": result}


def render_params(raw: str | None, client_id: str) -> dict[str, Any] | None:
    """The params object of ``raw`` when its shape may be rendered for ``client_id`` (pure)."""
    if raw is None or len(raw) > MAX_RENDER_CHARS:
        return None
    try:
        params = parse_body(raw)
    except BodyInvalid:
        return None
    if not isinstance(params, dict) or not params.keys() <= ALLOWED_KEYS:
        return None
    if params.get("client_id") != client_id:
        return None
    return params
