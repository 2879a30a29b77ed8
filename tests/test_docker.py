"""docker/: no Docker engine runs here, so check what can be checked without one.

compose.yaml parses and wires what docs/serving.md describes (production, with the server
secret required); the Dockerfile is multi-stage, builds the bundles with the same npm
commands as bin/setup, installs the pinned Python packages, and runs the production server
(gunicorn with the repo's config; bff/granian_server.py is shipped too) as a non-root user.
"""

from __future__ import annotations

import json
import re
import shlex

import yaml

from bff.settings import PROJECT_DIR

DOCKER = PROJECT_DIR / "docker"


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = (DOCKER / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in (raw.strip() for raw in text.splitlines())
        if line and not line.startswith("#")
    ]


def test_compose_runs_the_bff_the_monitoring_worker_and_redis_with_aof() -> None:
    services = compose()["services"]
    assert {"bff", "monitor", "redis"} <= set(services)
    redis_command = services["redis"]["command"]
    assert redis_command[redis_command.index("--appendonly") + 1] == "yes"
    assert any(volume.endswith(":/data") for volume in services["redis"]["volumes"])
    assert "redis-data" in compose()["volumes"]
    assert services["bff"]["command"] == ["gunicorn", "-c", "gunicorn.conf.py", "bff:create_app()"]
    assert services["monitor"]["command"][:5] == ["flask", "--app", "bff", "monitor", "run"]
    for name, service in services.items():
        assert service["healthcheck"]["test"][0] == "CMD", name
        if name not in ("redis", "proxy"):
            assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0", name
            assert service["depends_on"]["redis"]["condition"] == "service_healthy", name
            assert service["build"] == {"context": "..", "dockerfile": "docker/Dockerfile"}, name
    assert "/readyz" in " ".join(services["bff"]["healthcheck"]["test"])


def test_the_proxy_is_the_only_way_in_and_sends_public_writes_to_their_own_pool() -> None:
    services = compose()["services"]
    published = [name for name, service in services.items() if service.get("ports")]
    assert published == ["proxy"]
    assert "./nginx.conf:/etc/nginx/nginx.conf:ro" in services["proxy"]["volumes"]
    assert (DOCKER / "nginx.conf").exists()  # parsed by tests/test_nginx.py
    for pool in ("bff", "collect"):
        assert services[pool]["environment"]["ONSITE_TRUSTED_PROXY_HOPS"] == "1", pool
        assert services["proxy"]["depends_on"][pool]["condition"] == "service_healthy", pool
    assert services["collect"]["command"] == services["bff"]["command"]
    assert services["collect"]["cpu_shares"] < 1024  # below the render pool's default weight


def test_the_gunicorn_pools_spread_connections_over_their_workers() -> None:
    """gunicorn.conf.py turns reuse_port on where queued connections migrate (bff/server_boot.py)."""
    for pool in ("bff", "collect"):
        assert compose()["services"][pool]["sysctls"] == {"net.ipv4.tcp_migrate_req": 1}, pool


def test_every_app_service_runs_in_production_and_requires_the_secret_key() -> None:
    for name, service in compose()["services"].items():
        if name in ("redis", "proxy"):
            continue
        environment = service["environment"]
        assert environment["ONSITE_ENV"] == "production", name
        # ${VAR:?message}: compose itself refuses to start without it (no empty default).
        assert re.fullmatch(r"\$\{ONSITE_SECRET_KEY:\?[^}]+\}", environment["ONSITE_SECRET_KEY"]), name


def test_the_healthcheck_snippets_are_valid_python() -> None:
    for name, service in compose()["services"].items():
        test = service["healthcheck"]["test"]
        if test[1] == "python":
            compile(test[3], f"{name} healthcheck", "exec")


def test_dockerfile_builds_bundles_like_bin_setup_and_runs_gunicorn_as_non_root() -> None:
    steps = dockerfile_instructions()
    stages = [args for op, args in steps if op == "FROM"]
    assert len(stages) == 2 and stages[0].startswith("node:") and " AS bundles" in stages[0]
    assert re.match(r"python:3\.11-slim", stages[1])
    runs = [args for op, args in steps if op == "RUN"]
    setup = (PROJECT_DIR / "bin" / "setup").read_text(encoding="utf-8")
    assert "npm ci" in setup and "npm run --silent build" in setup
    assert any(r.startswith("npm ci") for r in runs) and any(r.startswith("npm run build") for r in runs)
    assert "build" in json.loads((PROJECT_DIR / "package.json").read_text(encoding="utf-8"))["scripts"]
    assert any("pip install" in r and "-e ." in r for r in runs)  # the pins of pyproject.toml, like bin/setup
    copies = [args for op, args in steps if op == "COPY"]
    for needed in (
        "pyproject.toml",
        "bff/",
        "templates/",
        "gunicorn.conf.py",
        "widget/",
        "package-lock.json",
    ):
        assert any(needed in c for c in copies), needed
    assert any(c.startswith("--from=bundles") and "static/" in c for c in copies)
    user = [args for op, args in steps if op == "USER"]
    assert user == ["onsite"]
    ops = [op for op, _ in steps]
    assert ops.index("USER") < ops.index("CMD")
    cmd = json.loads(next(args for op, args in steps if op == "CMD"))
    assert cmd == ["gunicorn", "-c", "gunicorn.conf.py", "bff:create_app()"]
    env = " ".join(args for op, args in steps if op == "ENV")
    assert "ONSITE_BIND=0.0.0.0:8000" in env  # bff/server_boot.py's bind_address
    for path in (
        "package.json",
        "package-lock.json",
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "gunicorn.conf.py",
    ):
        assert (PROJECT_DIR / path).exists(), path
    assert shlex.split(next(args for op, args in steps if op == "EXPOSE")) == ["8000"]
