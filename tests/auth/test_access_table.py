"""Every RPC method and dashboard route x every role: allowed or denied as bff/auth/roles.py says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
import pytest

from bff.auth.roles import POLICY, PUBLIC, ROLES, allowed
from tests.monitoring.test_dashboard import PASSWORD, csrf_of

WHO = [*ROLES, None]  # None: no key, no login
NOW = dt.datetime.now(dt.UTC)
RPC_PARAMS: dict[str, Any] = {
    "placements.render": {
        "client_id": "demo",
        "placement_key": "credit-badge",
        "locale": "en-GB",
        "purchase_amount": 9900,
        "session_id": "a" * 32,
    },
    "events.track": {"events": [{"id": "00000000-0000-4000-8000-000000000001", "type": "impression"}]},
    "consent.update": {"client_id": "demo", "session_id": "a" * 32, "personalization": False},
    "campaigns.create": {"campaign": {"id": "x"}},
    "campaigns.update": {"campaign": {"id": "x"}},
    "campaigns.get": {"campaign_id": "gb-pay-in-4"},
    "campaigns.list": {},
    "campaigns.archive": {"campaign_id": "nope"},
    "campaigns.preview": {"campaign_id": "gb-pay-in-4", "context": {}},
    "profiles.export": {"customer_ref": "demo-anna"},
    "profiles.erase": {"customer_ref": "nobody"},
    "keys.revoke": {"key_id": "0" * 12},
    "identity.secrets.list": {"client_id": "demo"},
    "identity.secrets.create": {"client_id": "demo"},
    "identity.secrets.rotate": {"client_id": "demo"},
    "identity.secrets.revoke": {"client_id": "demo", "secret_id": "0" * 12},
    "merchants.create": {
        "merchant": {"client_id": "table-shop", "allowed_origins": [], "currencies": {}, "placements": {}}
    },
    "merchants.get": {"client_id": "demo"},
    "merchants.update": {"client_id": "demo", "version": 1, "changes": {"allowed_origins": []}},
    "merchants.list": {},
    "merchants.history": {"client_id": "demo"},
    "merchants.rollback": {"client_id": "demo", "to_version": 1},
    "merchants.disable": {"client_id": "demo"},
    "merchants.enable": {"client_id": "demo"},
    "audit.records": {"limit": 5},
    "audit.verify": {},
    "rpc.describe": {},
}
ROUTES = {
    "route:monitoring.index": ("GET", "/monitoring"),
    "route:monitoring.read_api": ("GET", "/monitoring/api/overview"),
    "route:monitoring.merchant": ("GET", "/monitoring/merchants/demo"),  # scope: test_dashboard_scope.py
    "route:monitoring.acknowledge": ("POST", "/monitoring/api/alerts/" + "0" * 32 + "/ack"),
}


def test_every_rpc_method_has_a_rule(app) -> None:  # type: ignore[no-untyped-def]
    registered = set(app.extensions["onsite.jsonrpc"].get_jsonrpc_site().view_funcs)
    assert registered == {r.removeprefix("rpc:") for r in POLICY if r.startswith("rpc:")}
    assert set(RPC_PARAMS) == registered


def key_for(app, role: str | None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    if role is None:
        return {}
    scope = "demo" if role == "merchant_admin" else "*"
    if role == "analyst":  # analysts have no API keys: their key-less calls are anonymous
        return {}
    secret, _ = app.extensions["onsite.api_keys"].create(scope, role, "table", NOW)
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize("role", WHO, ids=[str(r) for r in WHO])
@pytest.mark.parametrize("method", sorted(RPC_PARAMS))
def test_rpc_method_by_role(app, client, method: str, role: str | None) -> None:  # type: ignore[no-untyped-def]
    headers = key_for(app, role)
    if method == "events.track" and headers:
        headers = {}  # API keys on events.track mean "a merchant server", checked separately
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": RPC_PARAMS[method]}
    answer = client.post("/rpc", json=body, headers=headers).get_json()
    denied = answer.get("error", {}).get("code") == -32003
    expected = allowed(role if headers else None, f"rpc:{method}")
    assert denied is not expected, answer


def session_for(app, role: str | None):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if role is None:
        return client, 302
    user = app.extensions["onsite.users"].create(
        f"u-{role.replace('_', '-')}", role, PASSWORD, NOW, "demo" if role == "merchant_admin" else None
    )
    token = csrf_of(client.get("/monitoring/login").data)
    form = {
        "username": user.username,
        "password": PASSWORD,
        "code": pyotp.TOTP(user.totp_secret).now(),
        "csrf_token": token,
    }
    status = client.post("/monitoring/login", data=form).status_code
    return client, status


@pytest.mark.parametrize("role", WHO, ids=[str(r) for r in WHO])
def test_dashboard_routes_by_role(app, role: str | None) -> None:  # type: ignore[no-untyped-def]
    client, login_status = session_for(app, role)
    can_log_in = role is not None and allowed(role, "route:monitoring.index")
    if role is not None:
        assert login_status == (302 if can_log_in else 403)
    for resource, (verb, path) in ROUTES.items():
        headers = {}
        if verb == "POST" and can_log_in:
            headers["X-CSRF-Token"] = csrf_of(client.get("/monitoring").data)
        response = client.open(path, method=verb, headers=headers)
        permitted = role is not None and can_log_in and allowed(role, resource)
        if permitted:
            assert response.status_code not in (302, 401, 403), (resource, role)
        else:
            assert response.status_code in (302, 401, 403), (resource, role, response.status_code)


def test_policy_mentions_only_known_roles() -> None:
    for roles in POLICY.values():
        assert roles <= {*ROLES, PUBLIC}


CONSOLE_ROUTES = {
    "route:console.index": ("GET", "/console"),
    "route:console.merchant": ("GET", "/console/m/demo"),
    "route:console.merchants.create": ("POST", "/console/merchants"),
    "route:console.users": ("GET", "/console/m/demo/users"),  # more: tests/console/test_users.py
    "route:console.merchants.manage": ("POST", "/console/m/demo/settings/state"),  # enable (a no-op)
}
# More pages of one resource (the table above has one route per resource).
CONSOLE_PAGES = [
    ("route:console.merchant", ("GET", "/console/m/demo/settings")),
    ("route:console.merchant", ("GET", "/console/m/demo/keys")),
    ("route:console.merchant", ("GET", "/console/m/demo/install")),
    ("route:console.users", ("POST", "/console/m/demo/users")),
    ("route:console.merchants.manage", ("POST", "/console/m/demo/settings/rollback")),
]


def test_every_console_and_dashboard_rule_is_in_a_table() -> None:
    tabled = {*ROUTES, *CONSOLE_ROUTES}
    assert {r for r in POLICY if r.startswith("route:")} == tabled


@pytest.mark.parametrize("role", WHO, ids=[str(r) for r in WHO])
def test_console_routes_by_role(app, role: str | None) -> None:  # type: ignore[no-untyped-def]
    from tests.console.conftest import console_login, make_console_user

    client = app.test_client()
    can_log_in = role is not None and allowed(role, "route:console.index")
    if role is not None:
        username, secret = make_console_user(app, role, "demo" if role == "merchant_admin" else None)
        assert console_login(client, username, secret).status_code == (302 if can_log_in else 403)
    for resource, (verb, path) in [*CONSOLE_ROUTES.items(), *CONSOLE_PAGES]:
        data = {"client_id": f"t-{role or 'anon'}".replace("_", "-")}
        if verb == "POST" and can_log_in:
            data["csrf_token"] = csrf_of(client.get("/console/login").data)
        response = client.open(path, method=verb, data=data)
        permitted = can_log_in and allowed(role, resource)
        to_login = response.status_code == 302 and response.location.endswith("/console/login")
        if permitted:  # (a merchant admin's /console redirects to its merchant: not a refusal)
            assert response.status_code not in (401, 403, 404) and not to_login, (resource, role)
        else:
            assert to_login or response.status_code in (401, 403), (resource, role, response.status_code)
