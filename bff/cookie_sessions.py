"""Flask's signed cookie sessions, opened only for requests that carry the session cookie.

Only the monitoring dashboard uses sessions. Flask's default interface derives a signing
serializer (an HMAC key) for every request, the render RPC included, before it even looks
for a cookie: 15-25 µs per request on the slower development machine, 3-6 µs without it
(docs/serving.md).

Contract: a request without the session cookie gets a new, empty session without that
work; a request with it is verified exactly as Flask does (a bad signature gives an empty
session); a session that is modified is signed and saved exactly as Flask does. Without a
secret key, Flask's null session is used, as before.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface


class LazyCookieSessionInterface(SecureCookieSessionInterface):
    """``SecureCookieSessionInterface`` that skips the serializer when there is no cookie."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)


def init_app(app: Flask) -> None:
    """Use the lazy interface for every request of ``app``."""
    app.session_interface = LazyCookieSessionInterface()
