"""RPC param validation: each bad value names the param and the reason."""

from __future__ import annotations

from typing import Any

import pytest

from bff.errors import InvalidParams
from bff.rpc import validation as v

BAD = [
    (v.identifier, "x y"),
    (v.identifier, 7),
    (v.identifier, "a" * 65),
    (v.session_id, "short"),
    (v.session_id, "a" * 65),
    (v.locale, "english"),
    (v.locale, "xx-QQ"),
    (v.locale, "en_GB"),
    (v.amount, "9900"),
    (v.amount, 99.5),
    (v.amount, True),
    (v.amount, -1),
    (v.amount, 10**13),
    (v.currency, "eur"),
    (v.currency, "XYZ"),
    (v.theme, "neon"),
]


@pytest.mark.parametrize(("check", "value"), BAD, ids=[f"{c.__name__}-{val!r}"[:40] for c, val in BAD])
def test_bad_values_raise_invalid_params(check: Any, value: Any) -> None:
    with pytest.raises(InvalidParams) as raised:
        check("the_param", value)
    assert raised.value.param == "the_param"
    assert raised.value.code == -32602
    assert "the_param" in raised.value.message


@pytest.mark.parametrize(
    ("check", "value"),
    [
        (v.identifier, "credit-badge"),
        (v.session_id, "0f" * 16),
        (v.locale, "sv-SE"),
        (v.amount, 0),
        (v.currency, "SEK"),
        (v.theme, "dark"),
    ],
)
def test_good_values_pass_through(check: Any, value: Any) -> None:
    assert check("p", value) == value


def test_required() -> None:
    with pytest.raises(InvalidParams, match="'locale' is required"):
        v.required({"locale": None}, "locale")
