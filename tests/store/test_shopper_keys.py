"""The table of a shopper's keys (pure): which keys one visit has, and how exports decode them."""

from __future__ import annotations

from bff.store import keys
from bff.store.shopper_keys import COUNT, JSON, JSON_LIST, SHOPPER_KEYS, TEXT_HASH, visit_keys


def test_a_visit_has_its_decisions_and_one_counter_per_day() -> None:
    found = [
        (entry.name, day, key) for entry, day, key in visit_keys("demo", "s1", ("2026-11-24", "2026-11-25"))
    ]
    assert found == [
        ("decisions", None, keys.session_key("demo", "s1")),
        ("auto_open_counters", "2026-11-24", keys.auto_open_day_key("demo", "s1", "2026-11-24")),
        ("auto_open_counters", "2026-11-25", keys.auto_open_day_key("demo", "s1", "2026-11-25")),
    ]


def test_the_shopper_keys_include_the_consent_state() -> None:
    assert [(e.name, e.key("demo", "ab12")) for e in SHOPPER_KEYS] == [
        ("consent_log", keys.consent_log_key("demo", "ab12")),
        ("consent_state", keys.consent_state_key("demo", "ab12")),
    ]


def test_readers_decode_replies_and_missing_keys() -> None:
    assert JSON.decode(b'{"picks": []}') == {"picks": []} and JSON.decode(None) is None
    assert JSON_LIST.decode([b"1", b'{"a": 2}']) == [1, {"a": 2}] and JSON_LIST.decode([]) == []
    assert TEXT_HASH.decode({b"personalization": b"1"}) == {"personalization": "1"}
    assert TEXT_HASH.decode({}) is None
    assert COUNT.decode(b"3") == 3 and COUNT.decode(None) is None
