"""The campaign form of the console: form fields <-> the campaign JSON document. Pure: no Flask.

``campaign_from_form(form, merchant) -> (doc, problems)`` reads a submitted form (a werkzeug
``MultiDict`` or a plain dict of ``str`` / ``list[str]``) into the document
``bff.decisions.campaign.parse_campaign`` accepts, plus the problems of the *form itself*
keyed by field name (``{"amount_min": "must be a number like 30 or 30.00"}``); the model's
own checks are left to ``parse_campaign``, whose paths
``bff.console.campaign_problem_fields.form_field_of(path)`` maps back to a field. It never
raises, whatever the input, and does no parsing of copy (cheap enough
for the live preview to call on every keystroke). ``doc`` never carries ``version``: the
form's hidden ``version`` field is the caller's expected version.

What the selects offer, the defaults of a new form and the fields' labels are in
``bff.console.campaign_choices``; amounts in major units in ``bff.console.major_units``.

``form_from_campaign(doc, merchant) -> values`` gives the form's values for a stored
campaign, and ``form_values(form, merchant)`` the values of a submission as typed (to show
it again with its problems). ``values`` is flat: field name -> ``str``, or ``list[str]``
for a checkbox group; every row field is present (empty rows too), copy only when set.
Round trip: ``campaign_from_form(form_from_campaign(doc))`` gives ``doc`` back for every
document the form can express (all the demo campaigns; a missing ``status`` comes back as
its default ``"active"``); ``form_from_campaign(campaign_from_form(values))`` gives
``values`` back once they are normalised (amounts as ``30`` or ``30.50``).

Not expressible (lost on a save from the form): an interest containing a comma, explicit
``null`` bounds, empty ``audience``/variant ``copy`` objects, members the model ignores.

Field names (the templates, the preview script and the e2e tests rely on them):

* ``id`` (slug), ``name``, ``status`` (``active`` = publish, ``paused``; ``archived`` kept),
  ``version`` (hidden; not part of the document);
* checkbox groups ``placements``, ``countries``, ``locales`` (a locale or a language from
  the merchant's markets), ``devices``, ``page_types``; ``shopper`` (any/new/returning),
  ``interests`` (comma-separated);
* ``currency``, ``amount_min``, ``amount_max`` (major units: ``30``, ``30.00``, ``30,5``);
* ``timezone``, ``start``, ``end`` (datetime-local, ``2026-12-01T00:00``), ``priority``,
  ``cap_per_session``, ``cap_per_day`` (both empty: no frequency cap);
* payment option rows ``options-<n>-id`` (empty: derived, e.g. ``pay_in_4``), ``-type``,
  ``-term`` (payments, days or months by type), ``-apr``, ``-min``, ``-max`` (major units);
* variant rows ``variants-<n>-id``, ``-weight``, ``-lead`` (an option id or empty), and
  ``variants-<n>-copy-<language>-<text>`` (``VARIANT_COPY_NAMES`` plus any it has);
* campaign copy ``copy-<language>-<text>`` for every text of ``COPY_NAMES``
  (``copy-en-title``, ``copy-de-AT-badge.pay_in_n``); empty means the built-in text.

Rows are numbered from 0; a row whose fields are all empty (its type aside) is ignored,
and ``form_values`` renumbers the rest from 0, so problem paths (``variants[1].weight``)
and field names (``variants-1-weight``) share their index. Group problems that name no
single field map to the ``GROUPS`` ids (``options``, ``variants``, ``copy``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from bff.console.major_units import major_units, minor_units
from bff.decisions.campaign import OPTION_TYPES
from bff.patterns import LOCALE
from bff.personalization.copy_fields import PLACEHOLDERS

SCALARS = (
    "id",
    "name",
    "status",
    "version",
    "currency",
    "amount_min",
    "amount_max",
    "timezone",
    "start",
    "end",
    "priority",
    "cap_per_session",
    "cap_per_day",
    "shopper",
    "interests",
)
CHECKBOXES = ("placements", "countries", "locales", "devices", "page_types")
OPTION_FIELDS = ("id", "type", "term", "apr", "min", "max")
VARIANT_FIELDS = ("id", "weight", "lead")
GROUPS = ("options", "variants", "copy")
COPY_NAMES = tuple(PLACEHOLDERS)
VARIANT_COPY_NAMES = ("badge", "strip")
TERMS = {"pay_in_n": "installments", "pay_later": "days", "financing": "months"}
MAX_NAME_CHARS = 200
MAX_ROWS = 50  # rows of each kind read from a form; more are ignored
ROW_FIELD = re.compile(r"^(options|variants)-(\d{1,4})-(.+)\Z")
_INTEGER = re.compile(r"^-?\d{1,9}\Z")
_PERCENT = re.compile(r"^\d{1,3}(?:[.,]\d{1,4})?\Z")
_SPACES = re.compile(r"[\s\u00a0\u202f_']+")


class FormData(Protocol):
    """What a submitted form offers: werkzeug's ``MultiDict`` (a plain dict is read too)."""

    def __iter__(self) -> Any: ...

    def getlist(self, key: str) -> list[Any]: ...


Problems = dict[str, str]


def campaign_from_form(
    form: FormData | Mapping[str, Any], merchant: dict[str, Any]
) -> tuple[dict[str, Any], Problems]:
    """The campaign document of a submitted form and the form's own problems (see module)."""
    return _document(form_values(form, merchant))


def form_values(form: FormData | Mapping[str, Any], merchant: dict[str, Any]) -> dict[str, Any]:
    """A submission's values as typed, rows without empty ones renumbered from 0, plus empty rows."""
    read = _reader(form)
    values: dict[str, Any] = {name: next(iter(read(name)), "").strip() for name in SCALARS}
    for name in CHECKBOXES:
        values[name] = list(dict.fromkeys(v.strip() for v in read(name) if v.strip()))
    rows: dict[str, dict[int, dict[str, str]]] = {"options": {}, "variants": {}}
    for key in _keys(form):
        match = ROW_FIELD.match(key)
        if match and int(match[2]) < MAX_ROWS:
            kind, index, member = match[1], int(match[2]), match[3]
            if member in (OPTION_FIELDS if kind == "options" else VARIANT_FIELDS) or _copy_key(member):
                value = read(key)
                rows[kind].setdefault(index, {})[member] = value[0] if value else ""
        elif _copy_key(key) and read(key) and read(key)[0].strip():
            values[key] = read(key)[0]
    options = [
        r
        for _, r in sorted(rows["options"].items())
        if any(r.get(f, "").strip() for f in OPTION_FIELDS[2:]) or r.get("id", "").strip()
    ]
    variants = [r for _, r in sorted(rows["variants"].items()) if any(v.strip() for v in r.values())]
    _put_rows(values, "options", options, OPTION_FIELDS, len(options) + 2)
    _put_rows(values, "variants", variants, VARIANT_FIELDS, max(2, len(variants) + 1))
    return values


def form_from_campaign(doc: dict[str, Any], merchant: dict[str, Any]) -> dict[str, Any]:
    """The form's values for the campaign ``doc`` (a stored one: its ``version`` goes to the hidden field)."""
    amount = _dict(doc.get("amount"))
    currency = str(amount.get("currency", ""))
    schedule, audience, cap = (
        _dict(doc.get("schedule")),
        _dict(doc.get("audience")),
        _dict(doc.get("frequency_cap")),
    )
    markets = _dict(doc.get("markets"))
    values: dict[str, Any] = {
        "id": str(doc.get("id", "")),
        "name": str(doc.get("name", "")),
        "status": str(doc.get("status", "active")),
        "version": _text(doc.get("version")),
        "currency": currency,
        "amount_min": major_units(amount.get("min"), currency),
        "amount_max": major_units(amount.get("max"), currency),
        "timezone": str(schedule.get("timezone", "UTC")),
        "start": _text(schedule.get("start")),
        "end": _text(schedule.get("end")),
        "priority": _text(doc.get("priority", 0)),
        "cap_per_session": _text(cap.get("per_session")),
        "cap_per_day": _text(cap.get("per_day")),
        "shopper": str(audience.get("shopper", "any")),
        "interests": ", ".join(str(i) for i in _list(audience.get("interests"))),
        "placements": [str(p) for p in _list(doc.get("placements"))],
        "countries": [str(c) for c in _list(markets.get("countries"))],
        "locales": [str(c) for c in _list(markets.get("locales"))],
        "devices": [str(d) for d in _list(audience.get("devices"))],
        "page_types": [str(d) for d in _list(audience.get("page_types"))],
    }
    options = [_option_row(_dict(o), currency) for o in _list(doc.get("payment_options"))]
    variants = []
    for variant in map(_dict, _list(doc.get("variants"))):
        row = {
            "id": _text(variant.get("id")),
            "weight": _text(variant.get("weight")),
            "lead": _text(variant.get("lead_option")),
        }
        row.update({f"copy-{key}": text for key, text in _copy_entries(variant.get("copy"))})
        variants.append(row)
    values.update({f"copy-{key}": text for key, text in _copy_entries(doc.get("copy"))})
    _put_rows(values, "options", options, OPTION_FIELDS, len(options) + 2)
    _put_rows(values, "variants", variants, VARIANT_FIELDS, max(2, len(variants) + 1))
    return values


def row_count(values: Mapping[str, Any], kind: str) -> int:
    """How many ``kind`` rows (``options``, ``variants``) ``values`` has."""
    indexes = [int(m[2]) for key in values if (m := ROW_FIELD.match(key)) and m[1] == kind]
    return max(indexes, default=-1) + 1


def _document(values: dict[str, Any]) -> tuple[dict[str, Any], Problems]:
    problems: Problems = {}
    currency = values["currency"]
    doc: dict[str, Any] = {"id": values["id"], "status": values["status"] or "active"}
    if values["name"]:
        doc["name"] = values["name"]
        if len(values["name"]) > MAX_NAME_CHARS:
            problems["name"] = f"must be at most {MAX_NAME_CHARS} characters"
    doc["placements"] = values["placements"]
    markets = {name: values[name] for name in ("countries", "locales") if values[name]}
    if markets:
        doc["markets"] = markets
    doc["amount"] = {"currency": currency}
    for bound in ("min", "max"):
        minor = _minor(values[f"amount_{bound}"], currency, f"amount_{bound}", problems)
        if minor is not None:
            doc["amount"][bound] = minor
    doc["schedule"] = {"timezone": values["timezone"] or "UTC"}
    for bound in ("start", "end"):
        if values[bound]:
            doc["schedule"][bound] = values[bound]
    audience: dict[str, Any] = {}
    interests = [i.strip() for i in values["interests"].split(",") if i.strip()]
    if interests:
        audience["interests"] = interests
    if values["shopper"] not in ("", "any"):
        audience["shopper"] = values["shopper"]
    for name in ("devices", "page_types"):
        if values[name]:
            audience[name] = values[name]
    if audience:
        doc["audience"] = audience
    doc["priority"] = _integer(values["priority"] or "0", "priority", problems)
    cap = {
        name: _integer(values[f"cap_{name}"], f"cap_{name}", problems)
        for name in ("per_session", "per_day")
        if values[f"cap_{name}"]
    }
    if cap:
        doc["frequency_cap"] = cap
    doc["payment_options"] = [
        _option(values, i, currency, problems)
        for i in range(row_count(values, "options"))
        if not _empty(values, "options", i)
    ]
    variants = [
        _variant(values, i, problems)
        for i in range(row_count(values, "variants"))
        if not _empty(values, "variants", i)
    ]
    if variants:
        doc["variants"] = variants
    doc["copy"] = _copy_of(values, "copy-")
    return doc, problems


def _option(values: dict[str, Any], i: int, currency: str, problems: Problems) -> dict[str, Any]:
    field = f"options-{i}-"
    kind = values[f"{field}type"].strip() or OPTION_TYPES[0]
    term = values[f"{field}term"].strip()
    option: dict[str, Any] = {"id": values[f"{field}id"].strip(), "type": kind}
    if term and kind in TERMS:
        option[TERMS[kind]] = _integer(term, f"{field}term", problems)
    if not option["id"]:
        option["id"] = {"pay_in_n": "pay_in_", "pay_later": "pay_later_", "financing": "financing_"}.get(
            kind, "option_"
        ) + (term if _INTEGER.match(term) else str(i + 1))
    apr = _SPACES.sub("", values[f"{field}apr"])
    if apr:
        if _PERCENT.match(apr):
            number = apr.replace(",", ".")
            option["apr"] = float(number) if "." in number else int(number)
        else:
            problems[f"{field}apr"] = "must be a percentage like 19.9 (no % sign)"
    for bound in ("min", "max"):
        minor = _minor(values[f"{field}{bound}"], currency, f"{field}{bound}", problems)
        if minor is not None:
            option[bound] = minor
    return option


def _variant(values: dict[str, Any], i: int, problems: Problems) -> dict[str, Any]:
    field = f"variants-{i}-"
    variant: dict[str, Any] = {"id": values[f"{field}id"].strip()}
    if values[f"{field}weight"].strip():
        variant["weight"] = _integer(values[f"{field}weight"], f"{field}weight", problems)
    if values[f"{field}lead"].strip():
        variant["lead_option"] = values[f"{field}lead"].strip()
    copy = _copy_of(values, f"{field}copy-")
    if copy:
        variant["copy"] = copy
    return variant


def _copy_of(values: dict[str, Any], prefix: str) -> dict[str, dict[str, str]]:
    copy: dict[str, dict[str, str]] = {}
    for key, text in values.items():
        if key.startswith(prefix) and isinstance(text, str) and text.strip():
            language, _, name = key[len(prefix) :].rpartition("-")
            copy.setdefault(language, {})[name] = text
    return copy


def _empty(values: dict[str, Any], kind: str, i: int) -> bool:
    prefix = f"{kind}-{i}-"
    return not any(
        isinstance(v, str) and v.strip()
        for k, v in values.items()
        if k.startswith(prefix) and k != f"{prefix}type"
    )


def _minor(text: str, currency: str, field: str, problems: Problems) -> int | None:
    minor, problem = minor_units(text, currency)
    if problem:
        problems[field] = problem
    return minor


def _integer(text: str, field: str, problems: Problems) -> int | None:
    cleaned = _SPACES.sub("", text)
    if _INTEGER.match(cleaned):
        return int(cleaned)
    problems[field] = "must be a whole number like 10"
    return None


def _option_row(option: dict[str, Any], currency: str) -> dict[str, str]:
    kind = _text(option.get("type"))
    return {
        "id": _text(option.get("id")),
        "type": kind,
        "term": _text(option.get(TERMS.get(kind, ""))),
        "apr": _text(option.get("apr")),
        "min": major_units(option.get("min"), currency),
        "max": major_units(option.get("max"), currency),
    }


def _copy_entries(copy: Any) -> Iterable[tuple[str, str]]:
    for language, texts in _dict(copy).items():
        for name, text in _dict(texts).items():
            if isinstance(text, str) and text.strip():
                yield f"{language}-{name}", text


def _put_rows(
    values: dict[str, Any], kind: str, rows: list[dict[str, str]], fields: tuple[str, ...], count: int
) -> None:
    for i in range(count):
        row = rows[i] if i < len(rows) else {}
        for name in fields:
            values[f"{kind}-{i}-{name}"] = row.get(name, "")
        for name, text in row.items():
            if name.startswith("copy-") and text.strip():
                values[f"{kind}-{i}-{name}"] = text


def _copy_key(member: str) -> bool:
    """Whether ``member`` is ``copy-<language>-<text name>``."""
    if not member.startswith("copy-"):
        return False
    language, _, name = member[5:].rpartition("-")
    return bool(LOCALE.match(language)) and name in PLACEHOLDERS


def _reader(form: Any) -> Any:
    getlist = getattr(form, "getlist", None)

    def read(name: str) -> list[str]:
        if callable(getlist):
            raw = getlist(name)
        else:
            value = form.get(name) if isinstance(form, Mapping) else None
            raw = value if isinstance(value, list) else [] if value is None else [value]
        return [v if isinstance(v, str) else str(v) for v in raw]

    return read


def _keys(form: Any) -> list[str]:
    try:
        return [k for k in form if isinstance(k, str)]
    except TypeError:
        return []


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
