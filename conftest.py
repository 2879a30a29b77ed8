"""Fixtures shared by tests/ and e2e/: one real redis-server per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bff.store.embedded import EmbeddedRedis


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """A real redis-server on a unix socket, started once and stopped at the end."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
