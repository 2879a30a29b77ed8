"""Real-time monitoring: events -> per-minute rollups -> anomaly detection -> alerts + dashboard.

``init_app(app)`` mounts the dashboard (``/monitoring``) and the ``flask monitor`` commands.
The ``events.track`` RPC method lives in ``bff/rpc/events.py``. See README.md here for which
modules are pure, and ``docs/monitoring.md`` for the design.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the dashboard blueprint and the ``monitor`` CLI group."""
    from bff.monitoring.cli import init_app as init_cli
    from bff.monitoring.dashboard.views import init_app as init_dashboard

    init_dashboard(app)
    init_cli(app)
