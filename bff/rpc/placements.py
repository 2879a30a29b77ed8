"""RPC methods of placements: ``placements.render``."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_jsonrpc import JSONRPC

from bff.decisions.decide import PlacementContext, decide
from bff.errors import InvalidParams, ServiceUnavailable, StoreUnavailable, UnknownClient
from bff.personalization.view_model import build_view_model
from bff.rpc import validation as v
from bff.rpc.endpoint import exposed
from bff.store.merchants import MerchantStore


def merchant_store() -> MerchantStore:
    store: MerchantStore = current_app.extensions["onsite.merchants"]
    return store


@exposed
def render(
    client_id: Any = None,
    placement_key: Any = None,
    locale: Any = None,
    purchase_amount: Any = None,
    session_id: Any = None,
    currency: Any = None,
    theme: Any = None,
) -> dict[str, Any]:
    """Return the view model of one placement.

    Params: ``client_id`` (merchant), ``placement_key`` (e.g. ``credit-badge``), ``locale``
    (``en-GB``), ``purchase_amount`` (integer, minor units), ``session_id`` (the loader's),
    optional ``currency`` (ISO 4217; default: the merchant's currency for the locale) and
    ``theme``. No eligible campaign gives ``{"kind": "empty"}``, never an error.
    """
    params = locals()
    client = v.identifier("client_id", v.required(params, "client_id"))
    key = v.identifier("placement_key", v.required(params, "placement_key"))
    tag = v.locale("locale", v.required(params, "locale"))
    amount = v.amount("purchase_amount", v.required(params, "purchase_amount"))
    session = v.session_id("session_id", v.required(params, "session_id"))
    chosen_theme = v.theme("theme", theme) if theme is not None else "default"
    try:
        merchant = merchant_store().get(client)
    except StoreUnavailable as exc:
        raise ServiceUnavailable() from exc
    if merchant is None:
        raise UnknownClient(client)
    code = v.currency("currency", currency) if currency is not None else merchant.currencies.get(tag)
    if code is None:
        raise InvalidParams("currency", f"is required: the merchant has no default currency for locale {tag}")
    context = PlacementContext(client, key, tag, amount, code, session)
    return build_view_model(context, decide(context, merchant), chosen_theme)


def register(jsonrpc: JSONRPC) -> None:
    jsonrpc.register(render, name="placements.render", validate=False)
