"""Fixtures shared by tests/ and e2e/: one real redis-server per test session; the QA run's report."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bff.store.embedded import EmbeddedRedis
from e2e.qa.run_record import RunRecord


def pytest_configure(config: pytest.Config) -> None:
    """The QA matrix's run-wide report (e2e/qa/run_record.py): registered here, in the one
    conftest every run loads first, so that xdist's controller has it too."""
    config.pluginmanager.register(RunRecord(config), "qa-run-record")


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    """A real redis-server on a unix socket, started once and stopped at the end."""
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()
