"""The serving settings: metrics directory and token, readiness merchants, the lean-render switch,
and whether gunicorn's workers each listen on a socket of their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from bff.errors import ConfigError
from bff.server_boot import wants_reuse_port
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


@pytest.mark.parametrize(
    ("environ", "migrate", "wanted"),
    [
        ({}, "1\n", True),  # the kernel moves a stopping worker's queued connections
        ({}, "0\n", False),
        ({}, None, False),  # no such setting (an older kernel)
        ({}, "\xff", False),
        ({"ONSITE_REUSE_PORT": "0"}, "1\n", False),
        ({"ONSITE_REUSE_PORT": " 1 "}, "0\n", True),
        ({"ONSITE_REUSE_PORT": ""}, "1\n", True),
    ],
)
def test_reuse_port_follows_the_kernel_unless_told(
    tmp_path: Path, environ: dict[str, str], migrate: str | None, wanted: bool
) -> None:
    setting = tmp_path / "tcp_migrate_req"
    if migrate is not None:
        setting.write_bytes(migrate.encode("latin-1"))
    assert wants_reuse_port(environ, setting) is wanted


def test_a_bad_reuse_port_value_refuses_to_start(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        wants_reuse_port({"ONSITE_REUSE_PORT": "yes"}, tmp_path / "missing")
    assert exit_info.value.code == 1
    assert "ONSITE_REUSE_PORT must be 1 or 0, not 'yes'" in capsys.readouterr().err
