"""The copy texts a campaign may set, and the placeholders each of them may use.

The names are the ones ``view_model`` looks up; the placeholders are exactly the variables
it passes for that text, so a text that compiles here always finds its values at render
time (``tests/personalization/test_copy_fields.py`` checks this against the view model).

- Texts about the lead option (badge, strip, compact, the interstitial's headings):
  the option's variables, plus ``first_name`` and ``place`` from a consented profile
  (empty without one).
- Texts drawn once per option in the interstitial (``label.*``, ``summary.*``, ``apr``,
  ``today``): that option's variables, plus ``label`` (the option's rendered label),
  except in ``label.*`` itself. No personal data.
"""

from __future__ import annotations

from typing import Any

from bff.errors import quoted
from bff.personalization.copy import CopyError, CopyMessage, compile_copy

# The same as bff.decisions.campaign.OPTION_TYPES (a test keeps them equal; importing it
# here would be circular, since campaign parsing compiles copy with this module).
OPTION_TYPES = ("pay_in_n", "pay_later", "financing")
OPTION_VARIABLES = frozenset(
    {"installments", "installment", "total", "days", "months", "monthly", "apr", "repaid"}
)
SHOPPER_VARIABLES = frozenset({"first_name", "place"})
NUMBERS = frozenset({"installments", "days", "months"})

_LEAD_NAMES = (
    *(
        f"{kind}{suffix}"
        for kind in ("badge", "strip", "compact")
        for suffix in ("", *(f".{t}" for t in OPTION_TYPES))
    ),
    "cta",
    "title",
    "intro",
    "legal",
    "greeting",
    "recommended",
    "delivery",
    "close",
    "choose",
    "label.total",
    "label.interest",
    "label.schedule",
)
_OPTION_NAMES = (*(f"summary.{t}" for t in OPTION_TYPES), "apr", "today")

PLACEHOLDERS: dict[str, frozenset[str]] = {
    **{name: OPTION_VARIABLES | SHOPPER_VARIABLES for name in _LEAD_NAMES},
    **{f"label.{t}": OPTION_VARIABLES for t in OPTION_TYPES},
    **{name: OPTION_VARIABLES | {"label"} for name in _OPTION_NAMES},
}


def compile_copy_text(name: str, source: Any) -> CopyMessage | CopyError:
    """Compile the campaign text ``name``; a ``CopyError`` for an unknown name or a bad source."""
    placeholders = PLACEHOLDERS.get(name)
    if placeholders is None:
        return CopyError(
            (f"unknown text name {quoted(name)}; known: badge, strip, cta, title, ... (docs/copy.md)",)
        )
    if not isinstance(source, str) or not source.strip():
        return CopyError(("must be a non-empty string",))
    return compile_copy(source, placeholders, NUMBERS & placeholders)
