"""RPC methods of placements: ``placements.render``."""

from __future__ import annotations

from typing import Any

from flask import current_app, request
from flask_jsonrpc import JSONRPC

from bff.decisions.campaign import PAGE_TYPES
from bff.errors import InvalidParams
from bff.identity.tokens import MAX_TOKEN_CHARS
from bff.personalization.device import device_class
from bff.placement_renderer import PlacementRenderer, RenderRequest
from bff.rpc import validation as v
from bff.rpc.exposed import exposed
from bff.visit_token import MAX_TOKEN_CHARS as MAX_VISIT

VIEWS = ("placement", "interstitial")


def renderer() -> PlacementRenderer:
    found: PlacementRenderer = current_app.extensions["onsite.renderer"]
    return found


def render(
    client_id: Any = None,
    placement_key: Any = None,
    locale: Any = None,
    purchase_amount: Any = None,
    session_id: Any = None,
    currency: Any = None,
    country: Any = None,
    theme: Any = None,
    view: Any = None,
    page_type: Any = None,
    returning: Any = None,
    customer_ref: Any = None,
    consent: Any = None,
    customer_token: Any = None,
    visit_token: Any = None,
) -> dict[str, Any]:
    """Return the view model of one placement.

    Required: ``client_id``, ``placement_key`` (e.g. ``credit-badge``), ``locale``
    (``en-GB``), ``purchase_amount`` (integer, minor units), ``session_id`` (the loader's).
    Optional: ``currency`` (ISO 4217; default: the merchant's currency for the locale),
    ``country`` (ISO 3166; default: the locale's region), ``theme``, ``view``
    (``placement`` or ``interstitial``), ``page_type``, ``returning`` (bool),
    ``customer_token`` (a token the merchant's server signed for the shopper, see
    docs/identity.md) and ``consent`` (``{"personalization": bool}``). The profile is read
    only with ``consent.personalization`` true and a token that verifies, and used only if
    it records the shopper's consent too. ``customer_ref`` is still accepted from older
    loaders but never read: a ref anyone can name proves nothing. ``visit_token``: the
    ``visit_token`` of this visit's previous result (bff/visit_token.py); one that is not
    a string of at most ``MAX_TOKEN_CHARS`` characters, or does not verify, is ignored
    as if missing (the visit's state is then read from Redis), never an error.
    No eligible campaign gives ``{"kind": "empty", "reason": ...}``, never an error.
    """
    result: dict[str, Any] = render_placement(renderer(), request.headers.get("User-Agent", ""), locals())
    return result


@exposed
def render_placement(found: PlacementRenderer, user_agent: str, params: dict[str, Any]) -> dict[str, Any]:
    """``render``'s work, given its renderer, the caller's User-Agent and its params by name.

    Apart from Flask's request so that the lean dispatch (``bff/rpc/lean_render.py``),
    which answers renders in front of Flask, calls the very same code.
    """
    currency, country, theme = params["currency"], params["country"], params["theme"]
    view, page_type, returning = params["view"], params["page_type"], params["returning"]
    customer_token, consent, visit_token = params["customer_token"], params["consent"], params["visit_token"]
    validated = RenderRequest(
        client_id=v.identifier("client_id", v.required(params, "client_id")),
        placement_key=v.identifier("placement_key", v.required(params, "placement_key")),
        locale=v.locale("locale", v.required(params, "locale")),
        purchase_amount=v.amount("purchase_amount", v.required(params, "purchase_amount")),
        session_id=v.session_id("session_id", v.required(params, "session_id")),
        currency=v.currency("currency", currency) if currency is not None else None,
        country=v.country("country", country) if country is not None else None,
        theme=v.theme("theme", theme) if theme is not None else "default",
        view=v.choice("view", view, VIEWS) if view is not None else "placement",
        page_type=v.choice("page_type", page_type, PAGE_TYPES) if page_type is not None else "product",
        returning=v.boolean("returning", returning) if returning is not None else False,
        device=device_class(user_agent),
        customer_token=token("customer_token", customer_token) if customer_token is not None else None,
        consent=v.consent("consent", consent) if consent is not None else False,
        visit_token=visit_token if isinstance(visit_token, str) and len(visit_token) <= MAX_VISIT else None,
    )
    if params["customer_ref"] is not None:
        v.customer_ref("customer_ref", params["customer_ref"])  # validated as before, then ignored
    return found.render(validated)


def token(name: str, value: Any) -> str:
    """A customer token's outer shape: a string of bounded length (verified by the renderer)."""
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_TOKEN_CHARS:
        raise InvalidParams(
            name, f"must be the token your server signed (a string of 1-{MAX_TOKEN_CHARS} characters)"
        )
    return value


def register(jsonrpc: JSONRPC) -> None:
    jsonrpc.register(render, name="placements.render", validate=False)
