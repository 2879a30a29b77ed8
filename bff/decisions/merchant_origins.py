"""The origin rule of a merchant's ``allowed_origins`` (pure).

An allowed origin is an exact serialized origin, as a browser writes ``location.origin``:
``scheme://host[:port]``, lower case, default ports dropped, no path, no trailing slash
(``bff.origins.normalize_origin``). It is compared with the frame's parent origin by string
equality, so:

* ``https://www.shop.example`` and ``https://shop.example`` are different origins: list
  both when the shop answers on both (``www_twin`` gives the other one; the CLI's
  ``--with-www`` adds it).
* No wildcards (``https://*.shop.example``): each origin is listed.
* ``https`` only, except ``http`` for ``localhost``, ``127.0.0.1`` and ``[::1]`` (local
  development and the demo shop): a badge on a plain-http shop would run on a page anyone
  on the path can rewrite.
* Hosts are ASCII: an internationalized name is written in its punycode form
  (``https://xn--bcher-kva.example``), which is what browsers serialize.

``origin_problem`` is the strict check of a stored document (the message says how to write
it); ``origin_from_input`` is the lenient reading of what an operator types (trailing slash,
upper case, default port, Unicode host), which then must pass the strict check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from bff.origins import normalize_origin

HOST = re.compile(r"^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)\Z")
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]"})
WWW = "www."


def origin_problem(value: object) -> str | None:
    """Why ``value`` may not be an allowed origin, or None when it may."""
    if not isinstance(value, str):
        return f"expected a string, got {type(value).__name__}"
    if "*" in value:
        return "wildcards are not allowed: list every origin (scheme://host[:port])"
    normalized = normalize_origin(value)
    if normalized is None:
        return "must be an origin like 'https://shop.example' (scheme://host[:port], no path)"
    if not normalized.isascii():
        ascii_form = _ascii_origin(normalized)
        hint = f": write it as {ascii_form!r}" if ascii_form else ""
        return f"the host must be in its ASCII (punycode) form{hint}"
    scheme, _, rest = normalized.partition("://")
    if not HOST.match(_host(rest)):
        return "must be an origin like 'https://shop.example' (host: letters, digits, '-' and '.')"
    if normalized != value:
        return f"must be written exactly as browsers serialize it: {normalized!r}"
    if scheme == "http" and _host(rest) not in LOOPBACK_HOSTS:
        return "http is allowed only for localhost, 127.0.0.1 and [::1]: use https"
    return None


def origin_from_input(text: str) -> str:
    """The allowed origin an operator meant by ``text``; ``ValueError`` saying why not.

    Accepts what the strict rule would only correct: surrounding spaces, upper case, a
    trailing slash, a default port, a Unicode host. Refuses paths, queries, wildcards and
    plain http off loopback.
    """
    value = text.strip()
    if "*" in value:
        raise ValueError(f"{value!r}: wildcards are not allowed, list every origin")
    if "://" not in value:
        raise ValueError(f"{value!r} is not an origin: write the scheme too, e.g. 'https://{value}'")
    normalized = normalize_origin(value)
    if normalized is None:
        raise ValueError(
            f"{value!r} is not an origin: only scheme://host[:port], no path, query or user name"
        )
    origin = normalized if normalized.isascii() else _ascii_origin(normalized)
    if origin is None:
        raise ValueError(f"{value!r}: the host is not a valid internationalized domain name")
    problem = origin_problem(origin)
    if problem is not None:
        raise ValueError(f"{value!r}: {problem}")
    return origin


def origin_of_page(url: str) -> str:
    """The allowed-origin form of the origin of a page's ``url`` (any path and query);
    ``ValueError`` saying why there is none (as ``origin_from_input``)."""
    value = url.strip()
    if "://" not in value:
        raise ValueError(f"{value!r} is not a URL: write it whole, e.g. 'https://{value}'")
    try:
        parts = urlsplit(value)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a URL") from exc
    if parts.username is not None or parts.password is not None:
        raise ValueError(f"{value!r}: leave out the user name and password")
    return origin_from_input(f"{parts.scheme}://{parts.netloc}")


def www_twin(origin: str) -> str | None:
    """The same origin with ``www.`` added or removed; None for loopback hosts and IP addresses."""
    scheme, _, rest = origin.partition("://")
    host = _host(rest)
    if host in LOOPBACK_HOSTS or host.startswith("[") or host.replace(".", "").isdigit():
        return None
    twin = rest[len(WWW) :] if rest.startswith(WWW) else WWW + rest
    return f"{scheme}://{twin}"


def with_www_twins(origins: Iterable[str]) -> list[str]:
    """``origins`` and, after each, its ``www.`` twin (unless listed already or loopback)."""
    result: list[str] = []
    for origin in origins:
        twin = www_twin(origin)
        result.extend(o for o in (origin, twin) if o is not None and o not in result)
    return result


def _host(rest: str) -> str:
    """The host of ``host[:port]`` (an IPv6 literal keeps its brackets)."""
    if rest.startswith("["):
        return rest[: rest.index("]") + 1]
    return rest.partition(":")[0]


def _ascii_origin(origin: str) -> str | None:
    """``origin`` with its host in IDNA (punycode) form, or None when it has no such form."""
    scheme, _, rest = origin.partition("://")
    host, sep, port = rest.partition(":")
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    return f"{scheme}://{ascii_host}{sep}{port}"
