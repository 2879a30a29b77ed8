"""Shopper profiles: the model, row validation, and a compact binary codec.

A packed profile is typically 40-60 bytes, small enough for Redis to keep the bucket
hashes that hold them in its listpack encoding (see ``store/profiles.py``).

Layout (version 1)::

    u8 version | u8 consent flags | u16 updated (days since 2020-01-01) | u8 payment method
    then six strings, each u8 length + UTF-8:
    first_name, locale, country, city, postcode, interests (joined by ",")
"""

from __future__ import annotations

import datetime as dt
import re
import struct
from dataclasses import dataclass, field
from typing import Any

from bff.decisions.problems import Problems
from bff.patterns import COUNTRY, INTEREST, LOCALE

VERSION = 1
EPOCH = dt.date(2020, 1, 1)
HEADER = struct.Struct(">BBHB")
PAYMENT_METHODS = ("", "pay_in_n", "pay_later", "financing", "card", "bank_transfer")
CONSENT_FLAGS = ("personalization", "marketing")
MAX_TEXT = 64
MAX_INTERESTS = 12
REF = re.compile(r"^[A-Za-z0-9_.:@+=-]{1,128}\Z")


@dataclass(frozen=True)
class Profile:
    """What we hold about one shopper of one merchant. ``customer_ref`` is never packed."""

    customer_ref: str
    first_name: str = ""
    locale: str = ""
    country: str = ""
    city: str = ""
    postcode: str = ""
    interests: tuple[str, ...] = ()
    preferred_payment_method: str = ""
    consent: frozenset[str] = field(default_factory=frozenset)
    updated_at: dt.date = EPOCH

    def to_export(self) -> dict[str, Any]:
        """Everything in the profile, as plain JSON (for a GDPR export)."""
        return {
            "customer_ref": self.customer_ref,
            "first_name": self.first_name,
            "locale": self.locale,
            "country": self.country,
            "city": self.city,
            "postcode": self.postcode,
            "interests": list(self.interests),
            "preferred_payment_method": self.preferred_payment_method,
            "consent": {flag: flag in self.consent for flag in CONSENT_FLAGS},
            "updated_at": self.updated_at.isoformat(),
        }


def pack(profile: Profile) -> bytes:
    """Encode a validated profile (without its ref, which is the hash field's name)."""
    flags = sum(1 << i for i, name in enumerate(CONSENT_FLAGS) if name in profile.consent)
    days = max(0, min(65535, (profile.updated_at - EPOCH).days))
    out = bytearray(
        HEADER.pack(VERSION, flags, days, PAYMENT_METHODS.index(profile.preferred_payment_method))
    )
    for text in (
        profile.first_name,
        profile.locale,
        profile.country,
        profile.city,
        profile.postcode,
        ",".join(profile.interests),
    ):
        raw = text.encode("utf-8")[:255]
        out.append(len(raw))
        out += raw
    return bytes(out)


def unpack(customer_ref: str, data: bytes) -> Profile | None:
    """Decode ``pack`` output; None for data in an unknown format."""
    if len(data) < HEADER.size or data[0] != VERSION:
        return None
    _, flags, days, method = HEADER.unpack_from(data)
    texts, offset = [], HEADER.size
    for _ in range(6):
        if offset >= len(data):
            return None
        size = data[offset]
        texts.append(data[offset + 1 : offset + 1 + size].decode("utf-8", errors="replace"))
        offset += 1 + size
    first_name, locale, country, city, postcode, interests = texts
    return Profile(
        customer_ref=customer_ref,
        first_name=first_name,
        locale=locale,
        country=country,
        city=city,
        postcode=postcode,
        interests=tuple(i for i in interests.split(",") if i),
        preferred_payment_method=PAYMENT_METHODS[method] if method < len(PAYMENT_METHODS) else "",
        consent=frozenset(name for i, name in enumerate(CONSENT_FLAGS) if flags & (1 << i)),
        updated_at=EPOCH + dt.timedelta(days=days),
    )


def parse_profile_row(row: Any, today: dt.date) -> tuple[Profile | None, list[dict[str, str]]]:
    """Validate one input row (a JSON object or a CSV dict); return the profile or every problem."""
    p = Problems()
    if not isinstance(row, dict):
        p.add("", "a profile must be an object")
        return None, p.as_dicts()
    ref = p.field(row, "customer_ref", str, "", "")
    p.check(
        bool(REF.match(ref)),
        "customer_ref",
        "must be 1-128 letters, digits or _.:@+=- (an opaque id or hash)",
    )
    texts = {name: _text(p, row, name) for name in ("first_name", "city", "postcode")}
    locale = _text(p, row, "locale")
    p.check(not locale or bool(LOCALE.match(locale)), "locale", "must look like 'sv-SE'")
    country = _text(p, row, "country")
    p.check(not country or bool(COUNTRY.match(country)), "country", "must be an ISO 3166 code like 'SE'")
    interests = _list(p, row.get("interests"))
    method = _text(p, row, "preferred_payment_method")
    p.check(
        method in PAYMENT_METHODS,
        "preferred_payment_method",
        f"must be one of {', '.join(PAYMENT_METHODS[1:])}",
    )
    consent = _consent(p, row.get("consent"))
    if p:
        return None, p.as_dicts()
    profile = Profile(
        ref,
        texts["first_name"],
        locale,
        country,
        texts["city"],
        texts["postcode"],
        interests,
        method,
        consent,
        today,
    )
    return profile, []


def _text(p: Problems, row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        p.add(name, "must be a string")
        return ""
    value = value.strip()
    p.check(len(value) <= MAX_TEXT, name, f"must be at most {MAX_TEXT} characters")
    p.check(not any(ord(c) < 32 for c in value), name, "must not contain control characters")
    return value


def _list(p: Problems, value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = value.split("|") if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and INTEREST.match(i) for i in items):
        p.add("interests", "must be a list of lowercase tags like 'garden' (CSV: separated by '|')")
        return ()
    p.check(len(items) <= MAX_INTERESTS, "interests", f"at most {MAX_INTERESTS} interests")
    return tuple(dict.fromkeys(items))


def _consent(p: Problems, value: Any) -> frozenset[str]:
    if value is None or value == "":
        return frozenset()
    if isinstance(value, str):  # CSV: "personalization|marketing"
        flags = [f for f in value.split("|") if f]
    elif isinstance(value, dict):
        flags = [name for name, granted in value.items() if granted is True]
        p.check(all(isinstance(v, bool) for v in value.values()), "consent", "values must be true or false")
    else:
        p.add("consent", 'must be an object like {"personalization": true}')
        return frozenset()
    unknown = [f for f in flags if f not in CONSENT_FLAGS]
    p.check(not unknown, "consent", f"unknown flags {unknown}; known: {', '.join(CONSENT_FLAGS)}")
    return frozenset(f for f in flags if f in CONSENT_FLAGS)
