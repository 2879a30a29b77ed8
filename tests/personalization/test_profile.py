"""Profiles: row validation with field paths, and the compact codec."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from bff.personalization.profile import Profile, pack, parse_profile_row, unpack

TODAY = dt.date(2026, 11, 25)
ROW = {
    "customer_ref": "c-123",
    "first_name": "Åsa",
    "locale": "sv-SE",
    "country": "SE",
    "city": "Göteborg",
    "postcode": "41101",
    "interests": ["home", "garden"],
    "preferred_payment_method": "pay_later",
    "consent": {"personalization": True, "marketing": False},
}


def test_round_trip_is_exact_and_compact() -> None:
    profile, problems = parse_profile_row(ROW, TODAY)
    assert problems == [] and profile is not None
    data = pack(profile)
    assert len(data) < 64  # fits Redis's default listpack value limit
    assert unpack("c-123", data) == profile
    assert b"c-123" not in data  # the ref is the hash field, never the value


def test_minimal_row() -> None:
    profile, _ = parse_profile_row({"customer_ref": "x"}, TODAY)
    assert profile == Profile("x", updated_at=TODAY)
    assert unpack("x", pack(profile)) == profile  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"customer_ref": "has space"}, "customer_ref"),
        ({"customer_ref": None}, "customer_ref"),
        ({"first_name": 5}, "first_name"),
        ({"first_name": "x" * 65}, "first_name"),
        ({"first_name": "Bad\x00name"}, "first_name"),
        ({"locale": "swedish"}, "locale"),
        ({"country": "Sweden"}, "country"),
        ({"interests": ["Home Decor"]}, "interests"),
        ({"interests": "garden"}, None),
        ({"preferred_payment_method": "cash"}, "preferred_payment_method"),
        ({"consent": {"personalisation": True}}, "consent"),
        ({"consent": {"personalization": "yes"}}, "consent"),
    ],
)
def test_each_bad_field_is_named(change: dict[str, Any], path: str | None) -> None:
    profile, problems = parse_profile_row({**ROW, **change}, TODAY)
    if path is None:
        assert profile is not None  # a CSV-style "a|b" string is accepted
    else:
        assert profile is None
        assert path in [p["path"] for p in problems]


def test_csv_style_values() -> None:
    row = {**ROW, "interests": "home|garden", "consent": "personalization"}
    profile, _ = parse_profile_row(row, TODAY)
    assert profile is not None and profile.interests == ("home", "garden")
    assert profile.consent == frozenset({"personalization"})


def test_unknown_format_is_none() -> None:
    assert unpack("x", b"\x09garbage") is None
    assert unpack("x", b"") is None
