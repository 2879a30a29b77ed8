"""The audit record of a campaign change, the same from the admin RPC and the console.

``audit_campaign_change(action, actor, client_id, stored)`` appends ``campaign.create``,
``campaign.update`` or ``campaign.archive`` with the merchant, the
campaign id, its new version and status. Needs an app context. The change is already
stored, so an unreachable audit log is logged, never raised (``record_safely``).
"""

from __future__ import annotations

from typing import Any

from flask import current_app

from bff.audit.log import AuditLog, record_safely


def audit_campaign_change(
    action: str, actor: dict[str, str], client_id: str, stored: dict[str, Any]
) -> dict[str, Any]:
    """Record ``action`` on the stored campaign ``stored`` by ``actor``; returns ``stored``."""
    audit: AuditLog = current_app.extensions["onsite.audit"]
    target = {"merchant": client_id, "campaign_id": stored["id"], "version": stored["version"]}
    record_safely(audit, action, actor, target=target, details={"status": stored.get("status", "active")})
    return stored
