"""Roles and what each may do: the access policy as data (checked by a table test).

* ``admin``: everything operational (dashboard, acknowledging alerts, audit log, keys, merchants).
* ``merchant_admin``: one merchant's campaigns, profiles (GDPR), API keys, name, origins,
  markets, placements and brand, by API key or in the console; its own merchant's
  dashboard (funnel, experiments, trends, anomalies).
* ``analyst``: read-only dashboards (every merchant).
* ``auditor``: the audit log only.

Public resources (the widget's own traffic) need no role at all.
"""

from __future__ import annotations

ROLES = ("admin", "merchant_admin", "analyst", "auditor")
PUBLIC = "public"

POLICY: dict[str, frozenset[str]] = {
    # JSON-RPC methods (API keys)
    "rpc:placements.render": frozenset({PUBLIC}),
    "rpc:events.track": frozenset({PUBLIC}),
    "rpc:consent.update": frozenset({PUBLIC}),
    "rpc:rpc.describe": frozenset({PUBLIC}),  # flask-jsonrpc's service description: the API is public
    "rpc:campaigns.create": frozenset({"merchant_admin"}),
    "rpc:campaigns.update": frozenset({"merchant_admin"}),
    "rpc:campaigns.get": frozenset({"merchant_admin"}),
    "rpc:campaigns.list": frozenset({"merchant_admin"}),
    "rpc:campaigns.archive": frozenset({"merchant_admin"}),
    "rpc:campaigns.preview": frozenset({"merchant_admin"}),
    "rpc:profiles.export": frozenset({"merchant_admin"}),
    "rpc:profiles.erase": frozenset({"merchant_admin"}),
    "rpc:keys.revoke": frozenset({"merchant_admin", "admin"}),
    "rpc:identity.secrets.list": frozenset({"merchant_admin", "admin"}),
    "rpc:identity.secrets.create": frozenset({"merchant_admin", "admin"}),
    "rpc:identity.secrets.rotate": frozenset({"merchant_admin", "admin"}),
    "rpc:identity.secrets.revoke": frozenset({"merchant_admin", "admin"}),
    # merchant_admin: own merchant only, and update only MERCHANT_ADMIN_FIELDS (name, origins,
    # markets, placements, brand)
    # (bff/rpc/merchants.py checks the scope and the fields)
    "rpc:merchants.create": frozenset({"admin"}),
    "rpc:merchants.get": frozenset({"merchant_admin", "admin"}),
    "rpc:merchants.update": frozenset({"merchant_admin", "admin"}),
    "rpc:merchants.list": frozenset({"admin"}),
    "rpc:merchants.history": frozenset({"merchant_admin", "admin"}),
    "rpc:merchants.rollback": frozenset({"admin"}),
    "rpc:merchants.disable": frozenset({"admin"}),
    "rpc:merchants.enable": frozenset({"admin"}),
    "rpc:audit.records": frozenset({"auditor", "admin"}),
    "rpc:audit.verify": frozenset({"auditor", "admin"}),
    # Dashboard routes (logged-in users; a merchant_admin sees only its own merchant,
    # bff/monitoring/dashboard/scope.py checks the scope)
    "route:monitoring.index": frozenset({"admin", "analyst", "merchant_admin"}),
    "route:monitoring.read_api": frozenset({"admin", "analyst", "merchant_admin"}),
    "route:monitoring.merchant": frozenset({"admin", "analyst", "merchant_admin"}),
    "route:monitoring.acknowledge": frozenset({"admin"}),
    # Console pages (logged-in users; a merchant_admin sees only its own merchant,
    # bff/console/access.py checks the scope)
    "route:console.index": frozenset({"admin", "merchant_admin"}),
    "route:console.merchant": frozenset({"admin", "merchant_admin"}),
    "route:console.merchants.create": frozenset({"admin"}),
    "route:console.users": frozenset({"admin"}),
    "route:console.merchants.manage": frozenset({"admin"}),  # disable, enable, roll back
}


def allowed(role: str | None, resource: str) -> bool:
    """Whether ``role`` (None: anonymous) may use ``resource``; unknown resources are denied."""
    permitted = POLICY.get(resource)
    if permitted is None:
        return False
    return PUBLIC in permitted or (role is not None and role in permitted)
