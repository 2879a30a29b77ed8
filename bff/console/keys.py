"""A merchant's keys page: API keys and identity secrets (tab "Keys & identity").

* ``GET /console/m/<client_id>/keys``: the merchant's API keys (id, label, role, dates:
  never a secret or its digest) and identity secrets (ids, dates, active or not).
* ``POST .../keys/api``: a ``merchant_admin`` key for this merchant with a label. The
  secret is in this response only (200, ``no-store`` like every console page): never in a
  redirect, a URL, the store or the logs. ``POST .../keys/api/revoke``: revoke one.
* ``POST .../keys/identity`` (``action`` create or rotate) and ``.../keys/identity/revoke``:
  ``bff.identity.admin``, the secret shown once in the same way.

Every change is an audit record with the signed-in user as actor (``api_key.create``,
``api_key.revoke`` here, as the CLI writes them; identity secrets: ``bff.identity.admin``).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import current_app, redirect, render_template, request, url_for

from bff.audit.log import record_safely
from bff.console import bp, section
from bff.console.access import actor, form_checked, merchant_page
from bff.errors import Conflict, NotFound
from bff.identity import admin as identity
from bff.merchants import admin
from bff.store.api_keys import ApiKeyStore

MAX_LABEL_CHARS = 100
KEY_ID = re.compile(r"^[0-9a-f]{12}\Z")
SECRET_ID = re.compile(r"^[0-9a-f]{1,64}\Z")
NEW_KEY_ROLE = "merchant_admin"


@bp.get("/m/<client_id>/keys")
@merchant_page()
def keys(client_id: str) -> Any:
    notice = {"revoked": "API key {} revoked.", "ended": "Identity secret {} revoked."}
    for name, text in notice.items():
        found = request.args.get(name, "")
        if SECRET_ID.match(found):
            return _page(client_id, notice=text.format(found))
    return _page(client_id)


@bp.post("/m/<client_id>/keys/api")
@merchant_page()
@form_checked
def create_api_key(client_id: str) -> Any:
    admin.get(client_id)  # 404 for a merchant that went away
    label = request.form.get("label", "").strip()
    if len(label) > MAX_LABEL_CHARS or not label.isprintable():
        problem = f"A label of at most {MAX_LABEL_CHARS} printable characters, e.g. 'shop server'."
        return _page(client_id, problems={"label": [problem]}, label=label[:MAX_LABEL_CHARS], status=400)
    secret, record = _api_keys().create(client_id, NEW_KEY_ROLE, label, dt.datetime.now(dt.UTC))
    record_safely(
        current_app.extensions["onsite.audit"],
        "api_key.create",
        actor(),
        target={"merchant": client_id, "key_id": record.key_id},
        details={"role": record.role, "label": label},
    )
    return _page(client_id, shown={"kind": "API key", "id": record.key_id, "secret": secret})


@bp.post("/m/<client_id>/keys/api/revoke")
@merchant_page()
@form_checked
def revoke_api_key(client_id: str) -> Any:
    key_id = request.form.get("key_id", "")
    valid = KEY_ID.match(key_id) is not None
    revoked = _api_keys().revoke(key_id, dt.datetime.now(dt.UTC), merchant=client_id) if valid else None
    if revoked is None:
        raise NotFound("This merchant has no such API key.")
    record_safely(
        current_app.extensions["onsite.audit"],
        "api_key.revoke",
        actor(),
        target={"merchant": client_id, "key_id": key_id},
    )
    return redirect(url_for("console.keys", client_id=client_id, revoked=key_id), code=303)


@bp.post("/m/<client_id>/keys/identity")
@merchant_page()
@form_checked
def add_identity_secret(client_id: str) -> Any:
    add = identity.rotate_secret if request.form.get("action") == "rotate" else identity.create_secret
    try:
        created = add(client_id, actor())
    except Conflict as exc:
        return _page(client_id, problems={"identity": [exc.message]}, status=409)
    return _page(
        client_id, shown={"kind": "identity secret", "id": created["id"], "secret": created["secret"]}
    )


@bp.post("/m/<client_id>/keys/identity/revoke")
@merchant_page()
@form_checked
def revoke_identity_secret(client_id: str) -> Any:
    secret_id = request.form.get("secret_id", "")
    if not SECRET_ID.match(secret_id):
        raise NotFound("This merchant has no such identity secret.")
    identity.revoke_secret(client_id, secret_id, actor())
    return redirect(url_for("console.keys", client_id=client_id, ended=secret_id), code=303)


def _page(
    client_id: str,
    *,
    shown: dict[str, str] | None = None,
    problems: dict[str, list[str]] | None = None,
    notice: str | None = None,
    label: str = "",
    status: int = 200,
) -> Any:
    html = render_template(
        "console/keys.html",
        merchant=admin.get(client_id),
        section="console.keys",
        api_keys=_api_keys().list(client_id),
        secrets=identity.list_secrets(client_id),
        shown=shown,
        problems=problems or {},
        notice=notice,
        label=label,
        max_label=MAX_LABEL_CHARS,
    )
    return html, status


def _api_keys() -> ApiKeyStore:
    found: ApiKeyStore = current_app.extensions["onsite.api_keys"]
    return found


section("console.keys", "Keys & identity")
