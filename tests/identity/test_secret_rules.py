"""The rules of identity secrets (pure): at most two active, rotation keeps the newest previous one."""

from __future__ import annotations

import pytest

from bff.identity import secrets as rules


def ids(records: list[rules.IdentitySecret]) -> list[str]:
    return [r.id for r in rules.active(records)]


def test_create_rotate_revoke() -> None:
    records = rules.create([], "a" * 12, "2026-01-01")
    records = rules.rotate(records, "b" * 12, "2026-01-02")
    assert ids(records) == ["b" * 12, "a" * 12]  # two valid at once
    records = rules.rotate(records, "c" * 12, "2026-01-03")
    assert ids(records) == ["c" * 12, "b" * 12]  # the oldest is rotated out
    assert next(r for r in records if r.id == "a" * 12).revoked_at == "2026-01-03"
    records = rules.revoke(records, "c" * 12, "2026-01-04")
    assert ids(records) == ["b" * 12]


def test_rules_refuse_a_third_active_secret_and_unknown_ids() -> None:
    records = rules.create(rules.create([], "a" * 12, "1"), "b" * 12, "2")
    with pytest.raises(rules.SecretRuleError, match="2 secrets are active"):
        rules.create(records, "c" * 12, "3")
    with pytest.raises(rules.SecretRuleError, match="no active identity secret"):
        rules.revoke(records, "d" * 12, "3")


def test_derived_secrets_differ_by_merchant_id_and_server_key() -> None:
    one = rules.derive_secret(b"k" * 32, "shop", "a" * 12)
    assert one.startswith("osi_") and len(one) == 4 + 43
    assert one == rules.derive_secret(b"k" * 32, "shop", "a" * 12)
    assert len({one, rules.derive_secret(b"k" * 32, "shop2", "a" * 12),
                rules.derive_secret(b"k" * 32, "shop", "b" * 12),
                rules.derive_secret(b"j" * 32, "shop", "a" * 12)}) == 4  # fmt: skip
