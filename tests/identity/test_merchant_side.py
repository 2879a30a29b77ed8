"""The merchant's side: secrets from the CLI and the admin RPC (audited, never stored), and the
documented Python and Node examples signing tokens that greet the shopper."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.rpc.test_placements_render import params

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
GREETING = "Hi Anna! Buy now, pay £99.00 in 30 days"


def cli(app: Any, *args: str) -> Any:
    return app.test_cli_runner().invoke(args=["identity", *args])


def greets(rpc: Any, token: str) -> bool:
    result = rpc("placements.render", params(consent={"personalization": True}, customer_token=token))
    return bool(result["result"]["text"] == GREETING)


@pytest.mark.parametrize(
    "command",
    [
        [sys.executable, str(EXAMPLES / "customer_token.py")],
        [shutil.which("node") or "node", str(EXAMPLES / "customer_token.mjs")],
    ],
    ids=["python", "node"],
)
def test_the_documented_examples_sign_tokens_that_greet(app, rpc, command) -> None:  # type: ignore[no-untyped-def]
    cli(app, "revoke", "--client", "demo", app.extensions["onsite.identity_secrets"].list("demo")[0].id)
    created = cli(app, "create", "--client", "demo")
    assert created.exit_code == 0, created.output
    secret = created.output.strip().splitlines()[-1]
    env = {**os.environ, "ONSITE_IDENTITY_SECRET": secret}
    signed = subprocess.run(
        [*command, "demo", "demo-anna"], env=env, capture_output=True, text=True, timeout=30, check=True
    )
    token = signed.stdout.strip()
    assert greets(rpc, token)
    cli(app, "rotate", "--client", "demo")
    cli(app, "rotate", "--client", "demo")
    assert not greets(rpc, token)  # rotated out


def test_cli_lists_rotates_and_revokes_and_refuses_a_third_active(app) -> None:  # type: ignore[no-untyped-def]
    first = app.extensions["onsite.identity_secrets"].list("demo")[0].id
    assert cli(app, "create", "--client", "demo").exit_code == 0
    refused = cli(app, "create", "--client", "demo")
    assert refused.exit_code == 1 and "2 secrets are active already" in refused.output
    listed = cli(app, "list", "--client", "demo").output
    assert listed.count("active") == 2 and first in listed
    assert cli(app, "revoke", "--client", "demo", first).exit_code == 0
    assert "revoked" in cli(app, "list", "--client", "demo").output
    unknown = cli(app, "list", "--client", "nobody")
    assert unknown.exit_code == 1 and "No merchant 'nobody'" in unknown.output


def test_rpc_changes_are_audited_and_no_secret_reaches_redis_or_the_audit_log(
    app, admin_rpc, redis_client
) -> None:  # type: ignore[no-untyped-def]
    created = admin_rpc("identity.secrets.rotate", {})["result"]
    assert created["secret"].startswith("osi_")
    listed = admin_rpc("identity.secrets.list", {})["result"]["secrets"]
    assert next(s["id"] for s in listed if s["active"]) == created["id"]
    assert all("secret" not in s for s in listed)
    dump = b"".join(redis_client.dump(k) or b"" for k in redis_client.keys("*"))
    assert created["secret"].encode() not in dump and created["secret"][4:].encode() not in dump
    actions = [r["action"] for r in app.extensions["onsite.audit"].records()]
    assert "identity_secret.rotate" in actions


def test_rpc_scopes_and_errors(app, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    other = admin_rpc("identity.secrets.list", {"client_id": "other-shop"})["error"]
    assert other["code"] == -32003  # a merchant admin manages only its own merchant
    bad = admin_rpc("identity.secrets.revoke", {"secret_id": "../x"})["error"]
    assert bad["code"] == -32602 and bad["data"]["param"] == "secret_id"
    unknown = admin_rpc("identity.secrets.revoke", {"secret_id": "0" * 12})["error"]
    assert unknown["code"] == -32004
    admin_key, _ = app.extensions["onsite.api_keys"].create("*", "admin", "t", dt.datetime.now(dt.UTC))
    needs_client = admin_rpc("identity.secrets.list", {}, key=admin_key)["error"]
    assert needs_client["code"] == -32602 and needs_client["data"]["param"] == "client_id"
    assert admin_rpc("identity.secrets.list", {"client_id": "demo"}, key=admin_key)["result"]["secrets"]
    assert admin_rpc("identity.secrets.list", {}, key=None)["error"]["code"] == -32003
