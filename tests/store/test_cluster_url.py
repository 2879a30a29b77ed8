"""Parsing of ``redis+cluster://`` URLs (pure) and their validation in Settings."""

from __future__ import annotations

import pytest

from bff.errors import ConfigError
from bff.settings import Settings
from bff.store.cluster_url import ClusterAddress, ClusterUrlInvalid, is_cluster_url, parse_cluster_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis+cluster://h1:7000", ClusterAddress((("h1", 7000),))),
        ("redis+cluster://h1:7000,h2:7001,10.0.0.3:7002/",
         ClusterAddress((("h1", 7000), ("h2", 7001), ("10.0.0.3", 7002)))),
        ("rediss+cluster://app:s%40cret@h1:6380", ClusterAddress((("h1", 6380),), "app", "s@cret", True)),
        ("redis+cluster://:pw@h1:1", ClusterAddress((("h1", 1),), None, "pw")),
        ("redis+cluster://[::1]:7000,[fe80::2]:7001", ClusterAddress((("::1", 7000), ("fe80::2", 7001)))),
    ],
)  # fmt: skip
def test_valid_cluster_urls(url: str, expected: ClusterAddress) -> None:
    assert is_cluster_url(url)
    assert parse_cluster_url(url) == expected


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("redis+cluster://h1", "host:port"),
        ("redis+cluster://h1:0", "between 1 and 65535"),
        ("redis+cluster://h1:7000,", "host:port"),
        ("redis+cluster://h1:7000/0", "database"),
        ("redis+cluster://h1:7000?ssl=1", "query"),
        ("redis+cluster://[::1]7000", "[ipv6]:port"),
        ("redis://h1:7000", "must start with"),
    ],
)
def test_invalid_cluster_urls(url: str, reason: str) -> None:
    with pytest.raises(ClusterUrlInvalid, match=reason.replace("[", r"\[").replace("]", r"\]")):
        parse_cluster_url(url)


def test_settings_accept_cluster_urls_and_name_the_problem() -> None:
    assert Settings.from_env({"REDIS_URL": "redis+cluster://a:1,b:2"}).redis_url == "redis+cluster://a:1,b:2"
    with pytest.raises(ConfigError, match="REDIS_URL"):
        Settings.from_env({"REDIS_URL": "redis+cluster://a"})
    assert not is_cluster_url("redis://localhost:6379/0")
