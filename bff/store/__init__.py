"""Redis access: connection (embedded or REDIS_URL), key schema, and one store per concept."""

from __future__ import annotations

from flask import Flask

from bff.settings import Settings


def init_app(app: Flask, settings: Settings) -> None:
    """Connect to Redis and attach the stores to ``app.extensions`` (``onsite.<name>``)."""
    from bff.audit.log import audit_log_for
    from bff.auth.dashboard_sessions import DashboardSessionStore
    from bff.auth.lockout import LoginLockout
    from bff.auth.users import UserStore
    from bff.store import connection
    from bff.store.aof_rewrites import AofRewrites
    from bff.store.api_keys import ApiKeyStore
    from bff.store.campaigns import CampaignRepository
    from bff.store.consent import ConsentStore
    from bff.store.identity_secrets import IdentitySecretStore
    from bff.store.merchant_config import MerchantConfigStore
    from bff.store.profiles import ProfileStore
    from bff.store.session_decisions import SessionDecisionStore

    connection.init_app(app, settings)
    client = connection.get_redis_of(app)
    app.extensions["onsite.merchants"] = MerchantConfigStore(client)
    # The ref pseudonym's key (server secret, never in Redis) names every shopper's keys.
    pseudonym_key = app.extensions["onsite.server_key"].derive("ref-pseudonym")
    app.extensions["onsite.sessions"] = SessionDecisionStore(client, pseudonym_key)
    app.extensions["onsite.campaigns"] = CampaignRepository(client)
    app.extensions["onsite.api_keys"] = ApiKeyStore(client)
    app.extensions["onsite.profiles"] = ProfileStore(client, pseudonym_key, settings.profile_bucket_bits)
    app.extensions["onsite.aof_rewrites"] = AofRewrites(client, settings.erasure_rewrite_s)
    app.extensions["onsite.audit"] = audit_log_for(client, app.extensions["onsite.server_key"], settings)
    app.extensions["onsite.users"] = UserStore(client)
    app.extensions["onsite.dashboard_sessions"] = DashboardSessionStore(
        client,
        app.extensions["onsite.server_key"].derive("dashboard-session"),
        settings.session_idle_s,
        settings.session_absolute_s,
    )
    app.extensions["onsite.login_lockout"] = LoginLockout(client, settings.login_lockout_failures)
    app.extensions["onsite.identity_secrets"] = IdentitySecretStore(client)
    app.extensions["onsite.consent"] = ConsentStore(client)
