"""A merchant's settings page: name, origins, markets, placements, brand, orders; history and state.

* ``GET /console/m/<client_id>/settings``: the form (``bff.console.merchant_form``) with
  the document's values, and the version history (newest first).
* ``POST`` the same URL: one ``merchants.admin.update`` of the version the form was read
  at (its hidden ``version``). Problems, the form's own or the document's, are shown next
  to their field and nothing is saved (400); a save on top of a newer version is refused
  with the user's input kept (409); success redirects back (303) with "Saved as version N".
  A merchant admin's save may change only ``MERCHANT_ADMIN_FIELDS`` (all the form has).
* ``POST .../settings/state`` and ``POST .../settings/rollback`` (admins only,
  ``route:console.merchants.manage``): disable or enable the merchant, or save an earlier
  version's content as a new version. A merchant admin sees the history read-only.
"""

from __future__ import annotations

from typing import Any

from flask import redirect, render_template, request, url_for

from bff.console import bp, section
from bff.console.access import actor, form_checked, merchant_page, session
from bff.console.merchant_form import (
    FORM,
    SettingsForm,
    problems_by_field,
    read_settings_form,
    settings_form_of,
)
from bff.decisions.campaign import PLACEMENT_TYPES
from bff.decisions.merchant import FONTS, MAX_CORNER_RADIUS, WINDOW_DAYS
from bff.errors import Conflict, InvalidDocument, InvalidParams, Unauthorized
from bff.merchants import admin
from bff.merchants.changes import MERCHANT_ADMIN_FIELDS, changed_fields

MANAGE = "route:console.merchants.manage"


@bp.route("/m/<client_id>/settings", methods=["GET", "POST"])
@merchant_page()
@form_checked
def settings(client_id: str) -> Any:
    merchant = admin.get(client_id)
    if request.method == "GET":
        return _page(merchant, settings_form_of(merchant), merchant["version"])
    form = read_settings_form(request.form)
    version = _int(request.form.get("version", ""))
    if version is None:
        form.refuse(FORM, "This form has no version; reload the page.")
    if form.problems or version is None:
        return _page(merchant, form, version or merchant["version"], status=400)
    allowed = None if session().role == "admin" else MERCHANT_ADMIN_FIELDS
    try:
        stored = admin.update(client_id, version, form.changes, actor(), allowed)
    except InvalidDocument as exc:
        form.problems = problems_by_field(form, exc.problems)
        return _page(merchant, form, version, status=400)
    except Conflict:
        now = admin.get(client_id)["version"]
        stale = (
            f"Someone else saved this merchant since you opened the page (version {now}): "
            "reload to see their changes."
        )
        return _page(merchant, form, version, status=409, stale=stale)
    except (InvalidParams, Unauthorized) as exc:
        form.refuse(FORM, exc.message)
        return _page(merchant, form, version, status=400)
    unchanged = stored["version"] == merchant["version"]
    target = url_for("console.settings", client_id=client_id, saved=stored["version"], same=int(unchanged))
    return redirect(target, code=303)


@bp.post("/m/<client_id>/settings/state")
@merchant_page(MANAGE)
@form_checked
def merchant_state(client_id: str) -> Any:
    disabled = request.form.get("disabled") == "1"
    stored = admin.set_disabled(client_id, disabled, actor())
    return redirect(url_for("console.settings", client_id=client_id, saved=stored["version"]), code=303)


@bp.post("/m/<client_id>/settings/rollback")
@merchant_page(MANAGE)
@form_checked
def rollback(client_id: str) -> Any:
    to_version = _int(request.form.get("to_version", ""))
    if to_version is None:
        raise InvalidParams("to_version", "must be a version number from the history")
    stored = admin.rollback(client_id, to_version, actor())
    return redirect(url_for("console.settings", client_id=client_id, saved=stored["version"]), code=303)


def _page(
    merchant: dict[str, Any], form: SettingsForm, version: int, status: int = 200, stale: str | None = None
) -> Any:
    saved = _int(request.args.get("saved", "")) if request.method == "GET" else None
    html = render_template(
        "console/settings.html",
        merchant=merchant,
        section="console.settings",
        form=form,
        problems=form.problems,
        version=version,
        stale=stale,
        saved=saved,
        unchanged=request.args.get("same") == "1",
        history=_history(merchant["client_id"]),
        manages=session().role == "admin",
        placement_types=PLACEMENT_TYPES,
        fonts=FONTS,
        max_radius=MAX_CORNER_RADIUS,
        window_days=WINDOW_DAYS,
    )
    return html, status


def _history(client_id: str) -> list[dict[str, Any]]:
    """The kept versions, newest first, each with the fields it changed from the one before."""
    versions = admin.history(client_id)
    for newer, older in zip(versions, [*versions[1:], None], strict=True):
        newer["fields"] = changed_fields(older["document"] if older else None, newer["document"])
    return versions


def _int(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 16 else None


section("console.settings", "Settings")
