"""Redis access: connection (embedded or REDIS_URL), key schema, and one store per concept."""

from __future__ import annotations

from flask import Flask

from bff.settings import Settings


def init_app(app: Flask, settings: Settings) -> None:
    """Connect to Redis and attach the stores to ``app.extensions`` (``onsite.<name>``)."""
    from bff.audit.log import AuditLog
    from bff.auth.users import UserStore
    from bff.store import connection
    from bff.store.api_keys import ApiKeyStore
    from bff.store.campaigns import CampaignRepository
    from bff.store.merchant_config import MerchantConfigStore
    from bff.store.profiles import ProfileStore
    from bff.store.session_decisions import SessionDecisionStore

    connection.init_app(app, settings)
    client = connection.get_redis_of(app)
    app.extensions["onsite.merchants"] = MerchantConfigStore(client)
    app.extensions["onsite.sessions"] = SessionDecisionStore(client)
    app.extensions["onsite.campaigns"] = CampaignRepository(client)
    app.extensions["onsite.api_keys"] = ApiKeyStore(client)
    app.extensions["onsite.profiles"] = ProfileStore(client, settings.profile_bucket_bits)
    app.extensions["onsite.audit"] = AuditLog(client)
    app.extensions["onsite.users"] = UserStore(client)
