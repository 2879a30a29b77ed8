"""A shopper's consent choice from the page (``consent.update``), kept for verified shoppers only.

Contract of ``record_choice``: the choice is stored only when the customer token verifies
against the merchant's active identity secrets (nobody can write consent in another
shopper's name); an unchanged choice writes nothing; a change is logged in the shopper's
consent history (data, exported and erased with the shopper, never an audit record) and
copied into the stored profile's consent flag, which the render path checks. Callers
apply the rate limits first. Needs an app context.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from flask import current_app

from bff.errors import UnknownClient
from bff.identity.tokens import Rejected
from bff.identity.verifier import IdentityVerifier
from bff.store.consent import ConsentStore
from bff.store.merchant_config import MerchantConfigStore
from bff.store.profiles import ProfileStore

PURPOSE = "personalization"


def record_choice(
    client_id: str, session_id: str, granted: bool, token: str | None, source: str, now: dt.datetime
) -> dict[str, Any]:
    """``{"recorded": bool, "verified": bool, "personalization": granted}``."""
    answer = {"recorded": False, "verified": False, "personalization": granted}
    configs: MerchantConfigStore = current_app.extensions["onsite.merchants"]
    config = configs.load(client_id)
    if config is None:
        raise UnknownClient(client_id)
    if token is None:
        return answer
    identity: IdentityVerifier = current_app.extensions["onsite.identity"]
    verdict = identity.verify(token, client_id, config.identity_secret_ids, now.timestamp())
    if isinstance(verdict, Rejected):
        return answer
    profiles: ProfileStore = current_app.extensions["onsite.profiles"]
    consents: ConsentStore = current_app.extensions["onsite.consent"]
    entry = {
        PURPOSE: granted,
        "source": source,
        "session_id": session_id,
        "at": now.isoformat(timespec="seconds"),
    }
    ref = verdict.customer_ref
    changed = consents.record(client_id, profiles.ref_hash(client_id, ref), PURPOSE, granted, entry)
    if changed:
        _copy_into_profile(profiles, client_id, ref, granted)
    return answer | {"recorded": changed, "verified": True}


def _copy_into_profile(profiles: ProfileStore, client_id: str, ref: str, granted: bool) -> None:
    """Set the profile's personalization flag to the shopper's latest choice."""
    profile = profiles.get(client_id, ref)
    if profile is None or (PURPOSE in profile.consent) == granted:
        return
    flags = profile.consent | {PURPOSE} if granted else profile.consent - {PURPOSE}
    profiles.save_many(client_id, [dataclasses.replace(profile, consent=frozenset(flags))])
