"""Web origins: parsing and normalization (pure)."""

from __future__ import annotations

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
