"""Where a campaign problem shows on the console's form (pure).

``parse_campaign`` reports problems by document path (``variants[1].weight``,
``amount.min``); the form's fields are named as ``bff.console.campaign_form`` lists them
(``variants-1-weight``, ``amount_min``). ``form_field_of`` maps the first to the second so
each problem is shown next to its field.
"""

from __future__ import annotations

import re

from bff.console.campaign_form import OPTION_FIELDS, VARIANT_FIELDS


def form_field_of(problem_path: str) -> str:
    """The form field (or ``GROUPS`` id) that shows the ``parse_campaign`` problem at ``problem_path``.

    ``""`` for a path the form has no place for (shown in the summary only).
    """
    row = re.match(r"^(payment_options|variants)\[(\d+)\](?:\.([a-z_]+))?(?:\.(.*))?\Z", problem_path)
    if row:
        kind, index, member, rest = row[1], row[2], row[3] or "", row[4]
        if kind == "payment_options":
            member = {"installments": "term", "days": "term", "months": "term", "": "min"}.get(member, member)
            return f"options-{index}-{member}" if member in OPTION_FIELDS else "options"
        if member == "copy":
            language, _, name = (rest or "").partition(".")
            return f"variants-{index}-copy-{language}-{name}" if name else f"variants-{index}-id"
        member = {"lead_option": "lead", "": "id"}.get(member, member)
        return f"variants-{index}-{member}" if member in VARIANT_FIELDS else "variants"
    path = re.sub(r"\[\d+\]\Z", "", problem_path)  # placements[2] -> placements
    fixed = {
        "id": "id",
        "name": "name",
        "status": "status",
        "placements": "placements",
        "markets": "countries",
        "markets.countries": "countries",
        "markets.locales": "locales",
        "amount": "amount_min",
        "amount.currency": "currency",
        "amount.min": "amount_min",
        "amount.max": "amount_max",
        "schedule": "start",
        "schedule.timezone": "timezone",
        "schedule.start": "start",
        "schedule.end": "end",
        "audience": "shopper",
        "audience.shopper": "shopper",
        "audience.interests": "interests",
        "audience.devices": "devices",
        "audience.page_types": "page_types",
        "priority": "priority",
        "frequency_cap": "cap_per_session",
        "frequency_cap.per_session": "cap_per_session",
        "frequency_cap.per_day": "cap_per_day",
        "payment_options": "options",
        "variants": "variants",
        "copy": "copy",
        "version": "version",
    }
    if path in fixed:
        return fixed[path]
    if problem_path.startswith("copy."):
        language, _, name = problem_path[5:].partition(".")
        return f"copy-{language}-{name}" if name else "copy"
    return ""
