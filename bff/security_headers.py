"""Response headers: the frame CSP and the headers every response carries."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, Response, request


def frame_csp(allowed_ancestors: Iterable[str], image_origins: Iterable[str] = ()) -> str:
    """The strict CSP of our frames: own scripts and styles only, no eval, no inline code.

    ``frame-ancestors`` lists the merchant's allowed origins, so no other site can embed
    the frame; with no origins it is ``'none'``. ``image_origins`` adds origins images may
    come from (the merchant's logo, an https origin the merchant document was checked for).
    """
    ancestors = " ".join(allowed_ancestors) or "'none'"
    images = " ".join(["'self'", "data:", *image_origins])
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            f"img-src {images}",
            "font-src 'self'",
            "base-uri 'none'",
            "form-action 'none'",
            f"frame-ancestors {ancestors}",
        ]
    )


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


def init_app(app: Flask) -> None:
    """Add the baseline headers to every response: CSP, nosniff, referrer policy, and HSTS
    when the request came over TLS (directly, or via a proxy gunicorn trusts through
    ``forwarded_allow_ips``, which sets the WSGI scheme)."""

    @app.after_request
    def add_baseline_headers(response: Response) -> Response:
        for name, value in baseline_headers(request.is_secure):
            response.headers.setdefault(name, value)
        return response
