"""placements.render reads a profile only for a verified customer token (Redis reads counted)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import jwt

from bff.demo import customer_token
from bff.identity import tokens
from bff.personalization.profile import parse_profile_row
from tests.redis_commands import calls_of
from tests.rpc.test_placements_render import params

CONSENT = {"personalization": True}
GENERIC = "Pay in 4 interest-free payments of £24.75"
GREETING = "Hi Anna! Buy now, pay £99.00 in 30 days"
# Profile reads are HGETs of a bucket hash (calls_of(..., "hget")): nothing else in a render uses HGET.


def render_text(rpc: Any, **overrides: Any) -> str:
    return str(rpc("placements.render", params(consent=CONSENT, **overrides))["result"]["text"])


def active_secret(app: Any) -> tuple[str, str]:
    record = next(r for r in app.extensions["onsite.identity_secrets"].list("demo") if r.active)
    return record.id, app.extensions["onsite.identity"].secret("demo", record.id)


def test_a_valid_token_greets_and_reads_the_profile_once(rpc, redis_client, token_for) -> None:  # type: ignore[no-untyped-def]
    rpc("placements.render", params())  # warm the configuration cache
    redis_client.config_resetstat()
    assert render_text(rpc, customer_token=token_for("demo-anna"), session_id="1" * 32) == GREETING
    assert calls_of(redis_client, "hget") == 1


def test_refused_tokens_never_read_a_profile(app, rpc, redis_client, token_for) -> None:  # type: ignore[no-untyped-def]
    secret_id, secret = active_secret(app)
    now = int(time.time())
    forged = {
        "unsigned ref (the old way)": {"customer_ref": "demo-anna"},
        "signed with a guessed secret": {
            "customer_token": tokens.sign("osi_" + "A" * 43, "demo", "demo-anna", now)
        },
        "signature of another token spliced on": {
            "customer_token": tokens.sign(secret, "demo", "demo-lars", now).rsplit(".", 1)[0]
            + "."
            + token_for("demo-anna").rsplit(".", 1)[1]
        },
        "expired an hour ago": {"customer_token": tokens.sign(secret, "demo", "demo-anna", now - 7200, 3600)},
        "issued for another merchant": {
            "customer_token": tokens.sign(secret, "other-shop", "demo-anna", now)
        },
        "algorithm none": {
            "customer_token": jwt.encode(
                {"sub": "demo-anna", "aud": "demo", "exp": now + 60}, None, algorithm="none"
            )
        },
        "not a token": {"customer_token": "demo-anna"},
    }
    rpc("placements.render", params())
    redis_client.config_resetstat()
    for session, (name, extra) in enumerate(forged.items()):
        text = render_text(rpc, session_id=f"{session:032x}", **extra)
        assert text == GENERIC, name
    assert calls_of(redis_client, "hget") == 0
    assert secret_id  # the demo merchant has a secret: the refusals are not for want of one


def test_another_merchants_valid_token_never_reads_a_profile(app, rpc, redis_client) -> None:  # type: ignore[no-untyped-def]
    from bff.demo import ensure_identity_secret

    doc = {"client_id": "other-shop", "name": "Other", "allowed_origins": [], "currencies": {"en-GB": "GBP"},
           "placements": {"credit-badge": "badge"}}  # fmt: skip
    app.extensions["onsite.merchants"].save_merchant(doc)
    ensure_identity_secret(app, "other-shop")
    theirs = customer_token(app, "other-shop", "demo-anna")
    rpc("placements.render", params())
    redis_client.config_resetstat()
    assert render_text(rpc, customer_token=theirs) == GENERIC
    assert calls_of(redis_client, "hget") == 0


def test_a_token_replayed_after_rotation_and_revocation_is_refused(
    app, admin_rpc, rpc, redis_client, token_for
) -> None:  # type: ignore[no-untyped-def]
    old = token_for("demo-anna")
    rotated = admin_rpc("identity.secrets.rotate", {})["result"]
    assert render_text(rpc, customer_token=old, session_id="a" * 32) == GREETING  # two valid at once
    new = token_for("demo-anna")
    assert jwt.get_unverified_header(new)["kid"] == rotated["id"]
    admin_rpc("identity.secrets.rotate", {})  # the first secret is rotated out
    redis_client.config_resetstat()
    assert render_text(rpc, customer_token=old, session_id="b" * 32) == GENERIC
    assert calls_of(redis_client, "hget") == 0
    admin_rpc("identity.secrets.revoke", {"secret_id": rotated["id"]})
    redis_client.config_resetstat()
    assert render_text(rpc, customer_token=new, session_id="c" * 32) == GENERIC
    assert calls_of(redis_client, "hget") == 0
    assert render_text(rpc, customer_token=token_for("demo-anna"), session_id="d" * 32) == GREETING


def test_the_stored_profiles_consent_is_required_too(app, rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    row = {"customer_ref": "no-consent", "first_name": "Nora", "consent": {"personalization": False}}
    profile, problems = parse_profile_row(row, dt.date.today())
    assert profile is not None and not problems
    app.extensions["onsite.profiles"].save_many("demo", [profile])
    sheet = rpc("placements.render", params(consent=CONSENT, view="interstitial",
                                            customer_token=token_for("no-consent")))["result"]  # fmt: skip
    assert "Nora" not in str(sheet) and sheet["greeting"] == ""


def test_without_consent_in_the_request_a_valid_token_reads_nothing(rpc, redis_client, token_for) -> None:  # type: ignore[no-untyped-def]
    rpc("placements.render", params())
    redis_client.config_resetstat()
    for consent in (None, {"personalization": False}):
        result = rpc("placements.render", params(consent=consent, customer_token=token_for("demo-anna")))
        assert result["result"]["text"] == GENERIC
    assert calls_of(redis_client, "hget") == 0


def test_token_param_shape_errors_are_clear(rpc) -> None:  # type: ignore[no-untyped-def]
    for bad in (42, "", "x" * 5000):
        error = rpc("placements.render", params(customer_token=bad))["error"]
        assert error["code"] == -32602 and error["data"]["param"] == "customer_token"
