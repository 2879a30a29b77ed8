"""bff/patterns.py (pure): every shape matches whole strings only."""

from __future__ import annotations

import re

import pytest

from bff import patterns
from bff.auth.dashboard_sessions import TOKEN as SESSION_TOKEN
from bff.auth.users import USERNAME
from bff.monitoring.ingest.event_schema import EVENT_ID, SESSION_ID, UTM
from bff.personalization.profile import REF
from bff.rpc.validation import SESSION_ID as RENDER_SESSION_ID

VALID = [
    (patterns.IDENTIFIER, "demo"),
    (patterns.COUNTRY, "SE"),
    (patterns.CURRENCY, "EUR"),
    (patterns.LOCALE, "en-GB"),
    (patterns.LOCALE_TAG, "zh-Hant-TW"),
    (patterns.INTEREST, "outdoor"),
    (RENDER_SESSION_ID, "s" * 24),
    (EVENT_ID, "00000000-0000-4000-8000-000000000001"),
    (SESSION_ID, "s" * 24),
    (UTM, "newsletter"),
    (USERNAME, "alice"),
    (REF, "shopper-1"),
    (SESSION_TOKEN, "t" * 43),
]


@pytest.mark.parametrize(("pattern", "value"), VALID, ids=lambda x: getattr(x, "pattern", x))
def test_a_trailing_newline_is_not_part_of_any_shape(pattern: re.Pattern[str], value: str) -> None:
    # With ``$``, re.match also matched just before a final newline.
    assert pattern.match(value)
    assert not pattern.match(value + "\n")
