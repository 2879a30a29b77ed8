"""Validation of RPC params (pure): each check returns the clean value or raises ``InvalidParams``.

Messages say which param is wrong and why, in words a merchant's developer understands.
"""

from __future__ import annotations

import re
from typing import Any

from bff.errors import InvalidParams
from bff.patterns import IDENTIFIER, LOCALE_TAG
from bff.personalization.money import is_known_currency, parse_locale

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}\Z")
THEMES = ("default", "dark", "custom")
MAX_AMOUNT = 10**12


def required(params: dict[str, Any], name: str) -> Any:
    """The value of ``name``; missing or null is an error."""
    value = params.get(name)
    if value is None:
        raise InvalidParams(name, "is required")
    return value


def identifier(name: str, value: Any) -> str:
    if not isinstance(value, str) or not IDENTIFIER.match(value):
        raise InvalidParams(name, "must be 1-64 letters, digits, '_', '.' or '-'")
    return value


def session_id(name: str, value: Any) -> str:
    if not isinstance(value, str) or not SESSION_ID.match(value):
        raise InvalidParams(
            name, "must be 16-64 letters, digits, '_' or '-' (the loader's random session id)"
        )
    return value


def locale(name: str, value: Any) -> str:
    if not isinstance(value, str) or not LOCALE_TAG.match(value) or parse_locale(value) is None:
        raise InvalidParams(name, "must be a known BCP 47 locale tag such as 'en-GB' or 'sv-SE'")
    return value


def amount(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidParams(name, "must be an integer amount in minor units, e.g. 9900 for 99.00")
    if not 0 <= value <= MAX_AMOUNT:
        raise InvalidParams(name, f"must be between 0 and {MAX_AMOUNT} minor units")
    return value


def currency(name: str, value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value) or not is_known_currency(value):
        raise InvalidParams(name, "must be an ISO 4217 currency code such as 'EUR'")
    return value


def theme(name: str, value: Any) -> str:
    return choice(name, value, THEMES)


def country(name: str, value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{2}", value):
        raise InvalidParams(name, "must be an ISO 3166 alpha-2 country code such as 'SE'")
    return value


def choice(name: str, value: Any, options: tuple[str, ...]) -> str:
    if value not in options:
        raise InvalidParams(name, f"must be one of {', '.join(options)}")
    return str(value)


def boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidParams(name, "must be true or false")
    return value


def customer_ref(name: str, value: Any) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z0-9_.:@+=-]{1,128}", value):
        raise InvalidParams(
            name, "must be the merchant's opaque customer id or hash: 1-128 letters, digits or _.:@+=-"
        )
    return value


def consent(name: str, value: Any) -> bool:
    """``{"personalization": true|false}`` -> the personalization flag."""
    if not isinstance(value, dict) or not isinstance(value.get("personalization"), bool):
        raise InvalidParams(name, 'must be an object like {"personalization": true}')
    return bool(value["personalization"])
