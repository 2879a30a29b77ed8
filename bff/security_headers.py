"""Response headers: the frame CSP and the headers every response carries."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable

from flask import Flask, Response, request


def frame_csp(
    allowed_ancestors: Iterable[str],
    image_origins: Iterable[str] = (),
    script_hashes: Iterable[str] = (),
    style_hashes: Iterable[str] = (),
) -> str:
    """The strict CSP of our frames: own scripts and styles only, no eval, no inline code
    but the scripts and style elements whose hashes are given.

    ``frame-ancestors`` lists the merchant's allowed origins, so no other site can embed
    the frame; with no origins it is ``'none'``. ``image_origins`` adds origins images may
    come from (the merchant's logo, an https origin the merchant document was checked for).
    ``script_hashes`` and ``style_hashes`` (``csp_hash`` of each) are inline scripts and
    ``<style>`` elements of our own the page may use, byte for byte; never
    ``'unsafe-inline'`` (style attributes stay forbidden; the frames set styles through the
    CSSOM).
    """
    ancestors = " ".join(allowed_ancestors) or "'none'"
    images = " ".join(["'self'", "data:", *image_origins])
    scripts = " ".join(["'self'", *(f"'sha256-{digest}'" for digest in script_hashes)])
    styles = " ".join(["'self'", *(f"'sha256-{digest}'" for digest in style_hashes)])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {scripts}",
            f"style-src {styles}",
            "connect-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {ancestors}",
        ]
    )


def csp_hash(text: str) -> str:
    """The base64 SHA-256 of an inline script's or style's exact text (UTF-8), as CSP
    ``'sha256-...'`` names it."""
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


# Responses that set no policy of their own (JSON, scripts, health checks) get the
# strictest one: they are never documents, so they may load and embed nothing.
DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"


BASELINE_HEADERS = (
    ("Content-Security-Policy", DEFAULT_CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Cross-Origin-Resource-Policy", "cross-origin"),
)


def baseline_headers(secure: bool) -> list[tuple[str, str]]:
    """The headers every response carries unless it sets its own; HSTS only over TLS."""
    return [*BASELINE_HEADERS, ("Strict-Transport-Security", HSTS)] if secure else list(BASELINE_HEADERS)


def with_baseline(headers: list[tuple[str, str]], secure: bool) -> list[tuple[str, str]]:
    """``headers`` followed by each baseline header they do not set themselves: what the
    after-request hook below does to a Flask response, for the lean WSGI layers in front."""
    present = {name.lower() for name, _ in headers}
    return [
        *headers,
        *((name, value) for name, value in baseline_headers(secure) if name.lower() not in present),
    ]


def init_app(app: Flask) -> None:
    """Add the baseline headers to every response: CSP, nosniff, referrer policy, and HSTS
    when the request came over TLS (directly, or via a proxy gunicorn trusts through
    ``forwarded_allow_ips``, which sets the WSGI scheme)."""

    @app.after_request
    def add_baseline_headers(response: Response) -> Response:
        for name, value in baseline_headers(request.is_secure):
            response.headers.setdefault(name, value)
        return response
