"""Running behind reverse proxies: which ``X-Forwarded-*`` headers to believe.

``init_app(app, settings)`` wraps the app in werkzeug's ``ProxyFix`` trusting
``settings.trusted_proxy_hops`` proxies (``ONSITE_TRUSTED_PROXY_HOPS``) for
``X-Forwarded-For``, ``-Proto`` and ``-Host``. Then ``request.remote_addr`` is the address
the outermost trusted proxy saw (the rate limits of ``bff/rate_limits.py`` and the
``/metrics`` address check of ``bff/metrics.py`` use it), and ``request.scheme`` and
``request.host`` are what the client asked for (HSTS is sent for https).

With 0 hops (the default) nothing is wrapped: the peer of the TCP connection is the
client and forwarded headers are ignored, so a client cannot choose its own address.
With N hops, the app must be reachable only through those N proxies, each appending to
``X-Forwarded-For``: ProxyFix counts hops from the right, it does not check who sent
them. gunicorn's ``forwarded_allow_ips`` is a different gate: it decides which peers may
set the scheme (``X-Forwarded-Proto``) for gunicorn itself and never changes
``REMOTE_ADDR`` (docs/security.md, "Behind a proxy").
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from bff.settings import Settings


def init_app(app: Flask, settings: Settings) -> None:
    """Trust ``settings.trusted_proxy_hops`` proxies' forwarded headers; 0 leaves the app as is."""
    hops = settings.trusted_proxy_hops
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
