"""On-site messaging backend-for-frontend (BFF).

``create_app(config=None)`` is the app factory: ``config`` is a ``Settings`` (tests), a
mapping of environment variables, or None to read ``os.environ``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from flask import Flask

from bff.settings import PROJECT_DIR, Settings


def create_app(config: Settings | Mapping[str, str] | None = None) -> Flask:
    """Build the Flask app: Redis (embedded by default), RPC, frames, demo, CLI."""
    from bff import (
        assets,
        cli,
        console,
        demo,
        frames,
        health,
        index,
        lean_shell,
        logs,
        metrics,
        monitoring,
        proxy,
        rate_limits,
        security_headers,
        store,
    )
    from bff.identity.verifier import IdentityVerifier
    from bff.placement_renderer import PlacementRenderer
    from bff.rpc import endpoint
    from bff.server_key import load_server_key
    from bff.store.background_writes import BackgroundWrites
    from bff.visit_token import VisitTokens

    if isinstance(config, Settings):
        settings = config
        settings.validate()
    else:
        settings = Settings.from_env(os.environ if config is None else config)
    logs.configure_logging(settings.log_level)

    app = Flask(
        __name__,
        static_folder=str(PROJECT_DIR / "static"),
        template_folder=str(PROJECT_DIR / "templates"),
    )
    app.config["TESTING"] = settings.testing
    app.extensions["onsite.settings"] = settings
    app.extensions["onsite.server_key"] = load_server_key(settings)
    store.init_app(app, settings)
    app.extensions["onsite.identity"] = IdentityVerifier(app.extensions["onsite.server_key"])
    app.extensions["onsite.renderer"] = PlacementRenderer(
        app.extensions["onsite.merchants"],
        app.extensions["onsite.sessions"],
        app.extensions["onsite.profiles"],
        app.extensions["onsite.identity"],
        tokens=VisitTokens(app.extensions["onsite.server_key"]),
        writes=BackgroundWrites(),
    )
    demo.seed_demo_merchant(app, settings)

    embedded = app.extensions["onsite.embedded_redis"]
    rate_limits.init_app(app, settings.redis_url or embedded.url)
    security_headers.init_app(app)
    assets.init_app(app)
    endpoint.init_app(app)
    app.register_blueprint(frames.bp)
    lean_shell.init_app(app)
    app.register_blueprint(demo.bp)
    app.register_blueprint(health.bp)
    app.register_blueprint(index.bp)
    cli.init_app(app)
    monitoring.init_app(app)
    console.init_app(app)
    metrics.init_app(app, settings)
    proxy.init_app(app, settings)
    return app
