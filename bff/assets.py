"""Built widget bundles: the esbuild manifest and the cache policy of ``static/``."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, Response, request

from bff.errors import ConfigError
from bff.settings import PROJECT_DIR

STATIC_DIR = PROJECT_DIR / "static"
HASHED_NAME = re.compile(r"-[0-9a-f]{12}\.(js|css|woff2)\Z")
IMMUTABLE_MAX_AGE_S = 365 * 24 * 3600
MUTABLE_MAX_AGE_S = 300


@lru_cache(maxsize=4)
def manifest(static_dir: Path = STATIC_DIR) -> dict[str, str]:
    """Logical name -> built file name, e.g. ``{'frame.js': 'frame-AB12CD34.js'}``."""
    path = static_dir / "manifest.json"
    try:
        data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} is missing or invalid: run 'npm run build'") from exc
    return data


@lru_cache(maxsize=8)
def inline_asset(filename: str, static_dir: Path = STATIC_DIR) -> str:
    """The exact text of the built script or stylesheet ``static/<filename>``, for a page to
    inline (its CSP allows it by the hash of exactly this text).

    Read once per process and file name (a new build has new hashed names, as the manifest
    does). ``ConfigError`` when missing, or when the text contains ``</script``, ``</style``
    or ``<!--`` (in any case): each would end or derail the ``<script>`` or ``<style>``
    element early, a build bug.
    """
    path = static_dir / filename
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{path} is missing or unreadable: run 'npm run build'") from exc
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ConfigError(f"{path} contains '</script', '</style' or '<!--': it cannot be inlined")
    return text


def bundle_urls(name: str) -> dict[str, str]:
    """``{<name>_js, <name>_css}``: the URLs of a staff page's hashed script and stylesheet
    (``dashboard``, ``console``) from the manifest, as its templates name them."""
    files = manifest()
    return {f"{name}_{kind}": f"/static/{files.get(f'{name}.{kind}', '')}" for kind in ("js", "css")}


def max_age_for(filename: str) -> int:
    """Content-hashed files never change, so they are cached for a year; the rest briefly."""
    return IMMUTABLE_MAX_AGE_S if HASHED_NAME.search(filename) else MUTABLE_MAX_AGE_S


def init_app(app: Flask) -> None:
    """Content-hashed bundles under ``/static`` are sent as ``immutable`` for a year."""

    @app.after_request
    def cache_static(response: Response) -> Response:
        if request.path.startswith("/static/") and response.status_code == 200:
            max_age = max_age_for(request.path)
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = max_age
            if max_age == IMMUTABLE_MAX_AGE_S:
                response.cache_control.immutable = True
        return response
