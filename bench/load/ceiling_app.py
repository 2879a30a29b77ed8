"""The framework ceiling: a bare Flask app that parses the same JSON body and answers JSON.

Served by the same gunicorn.conf.py as the real app, so the difference between the two is
what the render path itself costs (validation, Redis, decision, copy, serialization).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request


def create_app() -> Flask:
    app = Flask(__name__)

    @app.post("/rpc")
    def rpc() -> dict[str, Any]:
        body = request.get_json()
        return {"jsonrpc": "2.0", "id": body.get("id"), "result": {"kind": "empty", "reason": "ceiling"}}

    @app.get("/readyz")
    def readyz() -> dict[str, str]:
        return {"status": "ready"}

    return app
