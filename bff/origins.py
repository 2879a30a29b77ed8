"""Web origins: parsing and normalization (pure)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit


def normalize_origin(value: str) -> str | None:
    """Return ``value`` as a serialized origin (``scheme://host[:port]``), or None if it is not one.

    Default ports are dropped, as browsers do when they serialize ``location.origin``.
    """
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        return None
    default_port = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme}://{host}{suffix}"


_HOST = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\Z")


def origin_of_url(value: str) -> str | None:
    """The origin of an http(s) URL with any path and query (``https://cdn.example/a/l.svg`` ->
    ``https://cdn.example``), or None. Only DNS-style hosts pass, so the result is safe to put
    in a header such as a CSP source list."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.match(host) or parts.username:
        return None
    default_port = {"http": 80, "https": 443}[parts.scheme]
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme}://{host}{suffix}"
