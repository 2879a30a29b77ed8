"""The serving settings: metrics directory and token, readiness merchants, the lean-render switch."""

from __future__ import annotations

from pathlib import Path

import pytest

from bff.errors import ConfigError
from bff.settings import Settings


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.metrics_dir is None and settings.metrics_token is None
    assert settings.ready_merchants == ("demo",)
    assert settings.rpc_lean_render is True


def test_values_from_the_environment(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
            "ONSITE_METRICS_TOKEN": "s" * 16,
            "ONSITE_READY_MERCHANTS": " m01, m02 ,,",
            "ONSITE_RPC_LEAN_RENDER": "0",
        }
    )
    assert settings.metrics_dir == tmp_path and settings.metrics_token == "s" * 16
    assert settings.ready_merchants == ("m01", "m02")
    assert settings.rpc_lean_render is False
    assert "s" * 16 not in repr(settings)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"PROMETHEUS_MULTIPROC_DIR": "/nonexistent/metrics"}, "PROMETHEUS_MULTIPROC_DIR"),
        ({"ONSITE_METRICS_TOKEN": "short"}, "ONSITE_METRICS_TOKEN"),
        ({"ONSITE_RPC_LEAN_RENDER": "maybe"}, "ONSITE_RPC_LEAN_RENDER"),
    ],
)
def test_invalid_values_name_the_variable(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(environ)
