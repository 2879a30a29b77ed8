"""View models: what the frames bind with Knockout, built from a decision (pure apart from Babel).

Placement (badge, strip): ``html``/``text`` (the lead option's copy), ``compact_html``/
``compact_text`` (for narrow containers), ``cta``, ``lead_option``. Interstitial: every
eligible option, lead first, with its dated schedule; all strings are plain text.
Copy is looked up variant -> campaign -> built-in catalogue; merchant copy that cannot be
rendered (a value missing, the result over the cap) falls back to the built-in text, never
to an error or an empty string.
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bff.decisions.campaign import PaymentOption
from bff.decisions.decide import Decision, PlacementContext
from bff.decisions.payment_plans import schedule
from bff.personalization.catalogue import builtin
from bff.personalization.copy import CopyMessage, pick_copy, render_copy
from bff.personalization.merchant_content import Product
from bff.personalization.money import format_apr, format_day, format_money

TAG = re.compile(r"<[^>]*>")
# The copy variables a profile fills (``PersonalTouch``); every other one is the same for all shoppers.
PERSONAL_NAMES = frozenset({"first_name", "place"})


def empty_view_model(context: PlacementContext, reason: str) -> dict[str, Any]:
    """A placement that shows nothing and reserves no space."""
    return empty_result(context.placement_key, context.locale, reason)


def empty_result(placement_key: str, locale: str, reason: str) -> dict[str, Any]:
    """``empty_view_model`` before a context exists (no market for the locale)."""
    return {"kind": "empty", "placement_key": placement_key, "locale": locale, "reason": reason}


@dataclass(frozen=True)
class PersonalTouch:
    """What a consented profile adds; every field may be empty, and then nothing is shown."""

    first_name: str = ""
    place: str = ""
    recommendations: tuple[Product, ...] = ()
    delivery: tuple[str, ...] = ()


def build_view_model(
    context: PlacementContext,
    decision: Decision,
    theme: str,
    today: dt.date,
    view: str = "placement",
    personal: PersonalTouch | None = None,
    shared: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The view model of ``decision`` for ``context``: a placement, an interstitial, or empty.

    With ``personal``, the copy greets by first name (copy may use ``{first_name}``),
    and the interstitial lists recommendations and delivery options. Profile values are
    copy values, never copy source: ``{7*7}`` or ``<b>`` in a name stays literal text.

    ``shared``: the view model of the same arguments without ``personal`` (the cached one,
    ``bff/personalization/view_cache.py``). Its parts that cannot read a personal value
    (the options and their schedules, every text whose candidate copy reads neither
    ``first_name`` nor ``place``) are taken from it instead of being built again; the
    result is the same as without it. It is only read, never changed, and the result
    shares no mutable part of it except the options list, which nobody mutates.
    """
    campaign, variant, lead = decision.campaign, decision.variant, decision.lead_option
    if campaign is None or variant is None or lead is None:
        return empty_view_model(context, decision.reason)
    reuse = shared if personal is not None and shared is not None and shared.get("kind") != "empty" else None
    personal = personal or PersonalTouch()
    texts = _Texts(context.locale, variant.copy, campaign.copy)
    lead_vars = option_variables(lead, context, today) | {
        "first_name": personal.first_name,
        "place": personal.place,
    }

    def text(name: str, reused: Any) -> str:
        if reuse is not None and texts.reads_nothing_personal([name], name):
            return str(reused)
        return texts.text(name, lead_vars)

    greeting = texts.text("greeting", lead_vars) if personal.first_name else ""
    common = {
        "placement_key": context.placement_key,
        "campaign_id": campaign.id,
        "variant": variant.id,
        "locale": context.locale,
        "currency": context.currency,
        "purchase_amount": context.purchase_amount,
        "lead_option": lead.id,
        "theme": theme,
    }
    if view == "interstitial":
        shared_labels = reuse["labels"] if reuse is not None else {}
        return {
            "kind": "interstitial",
            **common,
            "auto_open": decision.auto_open,
            "title": text("title", reuse and reuse["title"]),
            "intro": text("intro", reuse and reuse["intro"]),
            "options": reuse["options"]
            if reuse is not None
            else [_option_view(o, context, today, texts) for o in decision.options],
            "legal": text("legal", reuse and reuse["legal"]),
            "greeting": greeting,
            "recommended_label": texts.text("recommended", lead_vars) if personal.recommendations else "",
            "recommendations": [
                {"sku": p.sku, "name": p.name, "url": p.url} for p in personal.recommendations
            ],
            "delivery_label": texts.text("delivery", lead_vars)
            if personal.delivery and personal.place
            else "",
            "delivery": list(personal.delivery),
            "close_label": text("close", reuse and reuse["close_label"]),
            "labels": {
                name: text(f"label.{name}", shared_labels.get(name))
                for name in ("total", "interest", "schedule")
            },
            "choose_label": text("choose", reuse and reuse["choose_label"]),
        }
    kind = decision.placement_type or "badge"
    body_names, body_builtin = [f"{kind}.{lead.type}", kind], _builtin_body(kind, lead)
    if (
        reuse is not None
        and texts.only_builtin(body_names)
        and texts.reads_nothing_personal(body_names, body_builtin)
    ):
        body, is_builtin = reuse["html"], True
    else:
        body, is_builtin = texts.markup_with_source(body_names, lead_vars, builtin_name=body_builtin)
    if greeting and is_builtin:
        # Merchant copy places ``first_name`` itself; the built-in copy gets the greeting.
        body = f"{html_lib.escape(greeting)} {body}"
    compact_names, compact_builtin = [f"compact.{lead.type}", "compact"], f"compact.{lead.type}"
    if reuse is not None and texts.reads_nothing_personal(compact_names, compact_builtin):
        compact = reuse["compact_html"]
    else:
        compact = texts.markup(compact_names, lead_vars, builtin_name=compact_builtin)
    return {
        "kind": kind,
        **common,
        "html": body,
        "text": plain_text(body),
        "compact_html": compact,
        "compact_text": plain_text(compact),
        "cta": text("cta", reuse and reuse["cta"]),
        "greeting": greeting,
        "installment": {
            "count": len(lead_vars["_payments"]),
            "amount": lead_vars["_regular"],
            "formatted": lead_vars["installment"],
        },
    }


def option_variables(option: PaymentOption, context: PlacementContext, today: dt.date) -> dict[str, Any]:
    """Copy variables of one option for this amount (names starting with ``_`` are raw data)."""
    payments = schedule(option, context.purchase_amount, today)
    regular = payments[-1].amount
    repaid = sum(p.amount for p in payments)

    def money(minor: int) -> str:
        return format_money(minor, context.currency, context.locale)

    return {
        "installments": option.installments or len(payments),
        "installment": money(regular),
        "total": money(context.purchase_amount),
        "days": option.days,
        "months": option.months,
        "monthly": money(regular),
        "apr": format_apr(option.apr, context.locale),
        "repaid": money(repaid),  # the total amount payable (a representative example needs it)
        "_payments": payments,
        "_regular": regular,
        "_repaid": repaid,
    }


def plain_text(markup: Any) -> str:
    """Markup -> text, keeping every character (no-break spaces in money included)."""
    return html_lib.unescape(TAG.sub("", str(markup))) if markup is not None else ""


def _option_view(
    option: PaymentOption, context: PlacementContext, today: dt.date, texts: _Texts
) -> dict[str, Any]:
    variables = option_variables(option, context, today)
    variables["label"] = texts.text(f"label.{option.type}", variables)

    def money(minor: int) -> str:
        return format_money(minor, context.currency, context.locale)

    first_label = texts.text("today", variables)
    return {
        "id": option.id,
        "kind": option.type,
        "label": variables["label"],
        "summary": texts.text(f"summary.{option.type}", variables),
        "apr": option.apr,
        "apr_formatted": texts.text("apr", variables),
        "months": option.months or None,
        "total_formatted": money(variables["_repaid"]),
        "interest_formatted": money(variables["_repaid"] - context.purchase_amount),
        "schedule": [
            {
                "label": first_label if p.due == today else format_day(p.due, context.locale),
                "due": p.due.isoformat(),
                "due_formatted": format_day(p.due, context.locale),
                "amount": p.amount,
                "formatted": money(p.amount),
            }
            for p in variables["_payments"]
        ],
    }


def _builtin_body(kind: str, lead: PaymentOption) -> str:
    return f"badge.{lead.type}" if kind == "badge" else kind


class _Texts:
    """Copy lookup for one locale: variant copy, then campaign copy, then the built-in catalogue."""

    def __init__(self, locale: str, *layers: Mapping[str, Mapping[str, CopyMessage]]) -> None:
        self.locale = locale
        self.layers = [pick_copy(layer, locale) for layer in layers if layer]

    def markup(self, names: list[str], variables: Mapping[str, Any], builtin_name: str) -> str:
        return self.markup_with_source(names, variables, builtin_name)[0]

    def markup_with_source(
        self, names: list[str], variables: Mapping[str, Any], builtin_name: str
    ) -> tuple[str, bool]:
        """The rendered copy and whether it is the built-in text (not the merchant's)."""
        for layer in self.layers:
            for name in names:
                rendered = _render(layer.get(name), variables, self.locale)
                if rendered is not None:
                    return rendered, False
        return _render(builtin(self.locale, builtin_name), variables, self.locale) or "", True

    def text(self, name: str, variables: Mapping[str, Any]) -> str:
        return plain_text(self.markup([name], variables, builtin_name=name))

    def only_builtin(self, names: list[str]) -> bool:
        """True when neither the variant nor the campaign has copy under any of ``names``."""
        return not any(layer.get(name) is not None for layer in self.layers for name in names)

    def reads_nothing_personal(self, names: list[str], builtin_name: str) -> bool:
        """True when no copy that ``markup(names, ..., builtin_name)`` could pick reads a
        personal value: its text is then the same for every shopper."""
        candidates = [layer.get(name) for layer in self.layers for name in names]
        candidates.append(builtin(self.locale, builtin_name))
        return not any(m is not None and m.placeholders & PERSONAL_NAMES for m in candidates)


def _render(message: CopyMessage | None, variables: Mapping[str, Any], locale: str) -> str | None:
    if message is None:
        return None
    rendered = render_copy(message, variables, locale)
    return rendered if rendered is not None and rendered.strip() else None
