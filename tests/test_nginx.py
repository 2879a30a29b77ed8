"""docker/nginx.conf: the front proxy that gives public writes their own gunicorn pool.

It parses (``nginx -t``, with the compose host names replaced by loopback addresses, which
nginx resolves when it loads; skipped where bin/setup did not install nginx) and routes
``/rpc/collect`` alone, limited per client address, to the collect pool.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from bench.load.servers import local_nginx_conf, nginx_command
from bff.settings import PROJECT_DIR

SHIPPED = (PROJECT_DIR / "docker" / "nginx.conf").read_text(encoding="utf-8")


def test_the_shipped_config_parses(tmp_path: Path) -> None:
    # Fails, not skips, without nginx: bin/setup installs it, so its absence is a setup bug.
    assert shutil.which("nginx") is not None, "nginx is missing: run bin/setup (Debian: nginx-light)"
    conf = tmp_path / "nginx.conf"
    conf.write_text(local_nginx_conf(tmp_path, 8080, "127.0.0.1:8001", "127.0.0.1:8002"), encoding="utf-8")
    result = subprocess.run(nginx_command(tmp_path, conf, "-t"), capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr


def location(path: str) -> str:
    match = re.search(r"location = " + re.escape(path) + r" \{(.*?)\n        \}", SHIPPED, re.S)
    assert match is not None, path
    return match.group(1)


def test_collect_goes_to_its_own_pool_limited_per_address_and_the_rest_to_the_render_pool() -> None:
    collect = location("/rpc/collect")
    assert "proxy_pass http://collect_pool;" in collect
    assert re.search(r"limit_req zone=collect_per_address\b", collect)
    assert "limit_req_zone $binary_remote_addr zone=collect_per_address" in SHIPPED
    assert "proxy_pass http://render_pool;" in SHIPPED.split("location / {", 1)[1]
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in SHIPPED  # docs/security.md
    assert "return 404;" in location("/metrics")
