"""The shapes of identifiers shared by every validator (campaigns, merchants, profiles, events, RPC).

One definition each, so a campaign, an event and an RPC call agree on what a merchant id,
a country or a locale looks like.

Each pattern ends in ``\\Z``, not ``$``: with ``re.match``, ``$`` also matches just before a
trailing newline, so ``"demo\\n"`` passed for ``demo`` (a different Redis key and an
injected line in anything that prints it).
"""

from __future__ import annotations

import re

# Merchant, campaign, variant, placement and product ids: 1-64 of letters, digits, _ . -
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}\Z")
COUNTRY = re.compile(r"^[A-Z]{2}\Z")  # ISO 3166-1 alpha-2
CURRENCY = re.compile(r"^[A-Z]{3}\Z")  # ISO 4217
# A language, optionally with a region: "en", "de-DE" (how campaigns and profiles name markets).
LOCALE = re.compile(r"^[a-z]{2,3}(-[A-Z]{2})?\Z")
# A BCP 47 tag as pages send it: language, optional script, optional region ("zh-Hant-TW", "es-419").
LOCALE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?\Z")
INTEREST = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}\Z")  # a shopper interest or catalogue tag
