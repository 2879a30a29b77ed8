"""Settings: built from a mapping, validated with a message naming the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from bff.errors import ConfigError
from bff.origins import normalize_origin
from bff.settings import Settings


def test_from_env_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.redis_url is None
    assert settings.public_origin == "http://127.0.0.1:5000"
    assert settings.demo_origin != settings.public_origin


def test_from_env_reads_every_variable(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "REDIS_URL": "redis://localhost:6380/1",
            "VAR_DIR": str(tmp_path),
            "ONSITE_PUBLIC_ORIGIN": "https://onsite.example",
            "ONSITE_DEMO_ORIGIN": "https://shop.example:8443",
            "ONSITE_LOG_LEVEL": "DEBUG",
        }
    )
    assert settings.redis_url == "redis://localhost:6380/1"
    assert settings.var_dir == tmp_path
    assert settings.public_origin == "https://onsite.example"
    assert settings.demo_origin == "https://shop.example:8443"
    assert settings.log_level == "debug"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"ONSITE_PUBLIC_ORIGIN": "https://onsite.example/"}, "PUBLIC_ORIGIN"),
        ({"ONSITE_DEMO_ORIGIN": "shop.example"}, "DEMO_ORIGIN"),
        ({"ONSITE_LOG_LEVEL": "loud"}, "ONSITE_LOG_LEVEL"),
        ({"REDIS_URL": "http://localhost"}, "REDIS_URL"),
    ],
)
def test_invalid_settings_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(environ)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://shop.example", "https://shop.example"),
        ("https://shop.example:443", "https://shop.example"),
        ("http://127.0.0.1:5000", "http://127.0.0.1:5000"),
        ("https://shop.example/path", None),
        ("ftp://shop.example", None),
        ("https://user@shop.example", None),
        ("https://shop.example:99999", None),
    ],
)
def test_normalize_origin(value: str, expected: str | None) -> None:
    assert normalize_origin(value) == expected
