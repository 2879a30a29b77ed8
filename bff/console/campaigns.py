"""The console's campaign pages (tab "Campaigns"): list, create, edit, publish, pause, archive.

* ``GET /console/m/<client_id>/campaigns``: every campaign with its status, markets,
  variants and version; a publish/pause/archive button per row.
* ``GET|POST /console/m/<client_id>/campaigns/new`` and ``.../<campaign_id>/edit``: the
  form of ``bff.console.campaign_form`` (no JSON), rendered on the server. A POST with any
  problem (the form's own, or ``parse_campaign``'s mapped by ``form_field_of``) saves
  nothing and shows the form again as typed, each problem beside its field and in a
  summary at the top. Status ``active`` publishes at once (the configuration version
  moves, so renders pick it up); ``paused`` saves without showing it.
* Edits carry the ``version`` they were read at: when someone saved in between, the
  input is kept, a message says so, and saving again replaces their version.
* ``POST /console/m/<client_id>/campaigns/<campaign_id>/status``: ``action`` publish,
  pause or archive.

Every change is audited with the signed-in user as the actor (``bff.campaigns_audit``).
Forms are bounded (``MAX_FORM_PARTS`` fields of at most ``MAX_VALUE_CHARS``, within the
app's body limit): a larger one is a 413 page that says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import abort, current_app, redirect, render_template, request, url_for
from werkzeug.exceptions import RequestEntityTooLarge

from bff.campaigns_audit import audit_campaign_change
from bff.console import bp, section
from bff.console.access import actor, form_checked, merchant_page
from bff.console.campaign_choices import field_label, form_choices, new_form
from bff.console.campaign_form import (
    campaign_from_form,
    form_from_campaign,
    form_values,
    row_count,
)
from bff.console.campaign_problem_fields import form_field_of
from bff.decisions.campaign import CampaignInvalid, parse_campaign
from bff.errors import Conflict, InvalidDocument
from bff.merchants import admin
from bff.personalization.copy_fields import PLACEHOLDERS
from bff.personalization.copy_migration import loadable_copy
from bff.store.campaigns import CampaignRepository

# The largest form for 40 copy languages is about 1,900 fields; werkzeug's default is 1,000.
MAX_FORM_PARTS = 3000
# Far above any text the model accepts (copy: 1,000 characters), so that a long text is a
# problem shown beside its field, and a value beyond this is refused before it is read.
MAX_VALUE_CHARS = 20_000
TOO_LARGE = (
    "This form is larger than the console accepts (too many fields or a value too long); "
    "nothing was saved. Shorten the texts and try again."
)
STATUS_ACTIONS = {"publish": "active", "pause": "paused", "archive": "archived"}
DONE = {"active": "published", "paused": "paused: it is saved but not shown", "archived": "archived"}


def _repository() -> CampaignRepository:
    found: CampaignRepository = current_app.extensions["onsite.campaigns"]
    return found


def _bounded_form(view: Callable[..., Any]) -> Callable[..., Any]:
    """Read a POST's form within ``MAX_FORM_PARTS``; a larger form is a 413 with a plain message."""

    @wraps(view)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if request.method == "POST":
            request.max_form_parts = MAX_FORM_PARTS  # multipart; werkzeug counts no urlencoded fields
            try:
                values = [v for vs in request.form.listvalues() for v in vs]
            except RequestEntityTooLarge:
                values = None
            if (
                values is None
                or len(values) > MAX_FORM_PARTS
                or any(len(v) > MAX_VALUE_CHARS for v in values)
            ):
                abort(413, description=TOO_LARGE)
        return view(*args, **kwargs)

    return bounded


@bp.get("/m/<client_id>/campaigns")
@merchant_page()
def campaigns(client_id: str) -> Any:
    merchant = admin.get(client_id)
    docs = _repository().list(client_id)
    now = dt.datetime.now(dt.UTC)
    return render_template(
        "console/campaigns.html",
        merchant=merchant,
        section="console.campaigns",
        campaigns=docs,
        states={doc["id"]: listed_state(doc, now) for doc in docs},
        saved=request.args.get("saved", ""),
        done=DONE.get(request.args.get("status", ""), ""),
    )


@bp.route("/m/<client_id>/campaigns/new", methods=["GET", "POST"])
@merchant_page()
@_bounded_form
@form_checked
def new_campaign(client_id: str) -> Any:
    merchant = admin.get(client_id)
    if request.method == "GET":
        return _editor(merchant, new_form(merchant), {}, campaign_id=None)
    return _save(merchant, campaign_id=None)


@bp.route("/m/<client_id>/campaigns/<campaign_id>/edit", methods=["GET", "POST"])
@merchant_page()
@_bounded_form
@form_checked
def edit_campaign(client_id: str, campaign_id: str) -> Any:
    merchant = admin.get(client_id)
    if request.method == "GET":
        stored = _repository().get(client_id, campaign_id)
        return _editor(merchant, form_from_campaign(stored, merchant), {}, campaign_id=campaign_id)
    _repository().get(client_id, campaign_id)  # 404 before anything else for an unknown id
    return _save(merchant, campaign_id=campaign_id)


@bp.post("/m/<client_id>/campaigns/<campaign_id>/status")
@merchant_page()
@_bounded_form
@form_checked
def campaign_status(client_id: str, campaign_id: str) -> Any:
    status = STATUS_ACTIONS.get(request.form.get("action", ""))
    if status is None:
        abort(400, description="Choose publish, pause or archive.")
    # Copy in the old template syntax is converted (or dropped) so an old campaign can change status.
    doc, _ = loadable_copy(_repository().get(client_id, campaign_id))
    expected = _version(request.form.get("version", "")) or doc.get("version")
    doc = {**doc, "status": status}
    doc.pop("version", None)
    try:
        stored = _repository().update(client_id, doc, expected_version=expected)
    except Conflict:
        abort(
            409, description="Someone changed this campaign since the list was loaded; reload and try again."
        )
    action = "campaign.archive" if status == "archived" else "campaign.update"
    audit_campaign_change(action, actor(), client_id, stored)
    return redirect(url_for("console.campaigns", client_id=client_id, saved=campaign_id, status=status), 303)


def listed_state(doc: dict[str, Any], now: dt.datetime) -> str:
    """``live``, ``scheduled`` (starts later), ``ended`` (its end passed), ``paused`` or ``archived``.

    The schedule is read on the campaign's own wall clock, as the decision engine reads it.
    """
    status = str(doc.get("status", "active"))
    schedule = doc.get("schedule") if isinstance(doc.get("schedule"), dict) else {}
    if status != "active" or not schedule:
        return status if status != "active" else "live"
    try:
        local = now.astimezone(ZoneInfo(str(schedule.get("timezone", "UTC")))).replace(tzinfo=None)
        start, end = (
            dt.datetime.fromisoformat(schedule[b]) if schedule.get(b) else None for b in ("start", "end")
        )
    except (ValueError, TypeError, OSError, ZoneInfoNotFoundError):
        return "live"  # a stored schedule the model would refuse: the render path skips it anyway
    if start is not None and local < start:
        return "scheduled"
    if end is not None and local >= end:
        return "ended"
    return "live"


def _save(merchant: dict[str, Any], campaign_id: str | None) -> Any:
    client_id = merchant["client_id"]
    values = form_values(request.form, merchant)
    if campaign_id is not None:
        values["id"] = campaign_id  # the id of a stored campaign does not change
    doc, problems = campaign_from_form(values, merchant)
    try:
        parse_campaign(doc)
    except CampaignInvalid as exc:
        _merge(problems, exc.problems)
    expected = _version(values["version"])
    if campaign_id is not None and expected is None:
        problems.setdefault(
            "version", "this form has no version; reload the page and apply your change again"
        )
    if problems:
        return _editor(merchant, values, problems, campaign_id, status=400)
    try:
        if campaign_id is None:
            stored = _repository().create(client_id, doc)
        else:
            stored = _repository().update(client_id, doc, expected_version=expected)
    except InvalidDocument as exc:  # parsed above; kept for a model that grows a check of its own
        _merge(problems, exc.problems)
        return _editor(merchant, values, problems, campaign_id, status=400)
    except Conflict:
        if campaign_id is None:
            problems["id"] = "a campaign with this id exists already: choose another id"
            return _editor(merchant, values, problems, campaign_id, status=409)
        return _stale(merchant, values, campaign_id)
    audit_campaign_change(
        "campaign.create" if campaign_id is None else "campaign.update", actor(), client_id, stored
    )
    status = stored.get("status", "active")
    return redirect(url_for("console.campaigns", client_id=client_id, saved=stored["id"], status=status), 303)


def _stale(merchant: dict[str, Any], values: dict[str, Any], campaign_id: str) -> Any:
    """Someone saved first: keep the input, and let a second save replace their version."""
    current = _repository().get(merchant["client_id"], campaign_id)
    theirs = current.get("version")
    values = {**values, "version": str(theirs)}
    conflict = (
        f"Someone else saved this campaign since you opened it (it is now at version {theirs}). "
        "Your changes are kept below and were not saved: save again to replace their version "
        "with yours, or open their version to start from it."
    )
    return _editor(merchant, values, {}, campaign_id, status=409, conflict=conflict)


def _merge(problems: dict[str, str], found: list[dict[str, str]]) -> None:
    """Add the model's problems under their fields; a field the form itself refused keeps only
    the form's message (the model's would repeat it: a bad number is a missing one)."""
    own = set(problems)
    for problem in found:
        field = form_field_of(problem["path"])
        message = problem["message"] if field else f"{problem['path']}: {problem['message']}"
        if field in own:
            continue
        if field not in problems:
            problems[field] = message
        elif message not in problems[field]:
            problems[field] = f"{problems[field]}; {message}"


def _version(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 10 else None


def _editor(
    merchant: dict[str, Any],
    values: dict[str, Any],
    problems: dict[str, str],
    campaign_id: str | None,
    status: int = 200,
    conflict: str = "",
) -> Any:
    html = render_template(
        "console/campaign_edit.html",
        merchant=merchant,
        section="console.campaigns",
        campaign_id=campaign_id,
        values=values,
        problems=problems,
        labels={name: field_label(name) for name in problems},
        choices=form_choices(values, merchant),
        option_rows=range(row_count(values, "options")),
        variant_rows=range(row_count(values, "variants")),
        placeholders={name: ", ".join(sorted(names)) for name, names in PLACEHOLDERS.items()},
        open_languages={
            name[5:].rpartition("-")[0] for name in [*values, *problems] if name.startswith("copy-")
        },
        conflict=conflict,
        preview_url=(
            url_for("console.preview_draft", client_id=merchant["client_id"])
            if "console.preview_draft" in current_app.view_functions
            else ""
        ),
    )
    return html, status


section("console.campaigns", "Campaigns")
