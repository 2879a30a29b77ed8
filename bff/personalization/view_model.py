"""The view model of one placement: what the frame binds with Knockout."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from bff.decisions.decide import Decision, PlacementContext
from bff.personalization.copy import pick_copy, render_copy
from bff.personalization.money import format_money, split_installments

TAG = re.compile(r"<[^>]*>")

GENERIC_COPY = {
    "badge": "Pay in {{ installments }} interest-free payments of <strong>{{ installment }}</strong>",
    "strip": "Pay later in {{ installments }} interest-free payments",
    "cta": "Learn more",
}


def empty_view_model(context: PlacementContext) -> dict[str, Any]:
    """A placement that shows nothing and reserves no space."""
    return {"kind": "empty", "placement_key": context.placement_key, "locale": context.locale}


def build_view_model(context: PlacementContext, decision: Decision | None, theme: str) -> dict[str, Any]:
    """Render the decision's copy for the context into a JSON-ready view model.

    ``html`` is autoescaped markup from the sandboxed template; ``text`` is the same copy
    as plain text (for aria-labels). A broken merchant template falls back to generic copy.
    """
    if decision is None:
        return empty_view_model(context)
    campaign = decision.campaign
    payments = split_installments(context.purchase_amount, campaign.installments)
    installment = format_money(payments[-1], context.currency, context.locale)
    variables = {
        "installments": campaign.installments,
        "installment": installment,
        "total": format_money(context.purchase_amount, context.currency, context.locale),
    }
    texts = pick_copy(campaign.copy, context.locale)
    kind = decision.placement_type
    html = _render(texts.get(kind), variables) or _render(GENERIC_COPY[kind], variables)
    cta = _render(texts.get("cta"), variables) or _render(GENERIC_COPY["cta"], variables)
    return {
        "kind": kind,
        "placement_key": context.placement_key,
        "campaign_id": campaign.id,
        "variant": decision.variant,
        "html": str(html),
        "text": plain_text(html),
        "cta": plain_text(cta),
        "locale": context.locale,
        "currency": context.currency,
        "purchase_amount": context.purchase_amount,
        "installment": {"count": campaign.installments, "amount": payments[-1], "formatted": installment},
        "theme": theme,
    }


def plain_text(markup: Any) -> str:
    """Markup -> text, keeping every character (no-break spaces in money included)."""
    return html_lib.unescape(TAG.sub("", str(markup))) if markup is not None else ""


def _render(source: str | None, variables: dict[str, Any]) -> Any:
    if not source:
        return None
    rendered = render_copy(source, variables)
    return rendered if rendered and rendered.strip() else None
