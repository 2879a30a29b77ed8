"""The lean dispatch of a placement shell with a first render answers byte for byte like the view.

Two apps on two databases of the same real redis-server, seeded alike: one with the lean
layers (the default), one with ``rpc_lean_render=False``. Every request goes to both, in
the same order, so sticky state evolves identically; status, headers and body bytes must
match, and the lean app must not have run the Flask view for the requests it may take.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from bff.store.embedded import EmbeddedRedis
from tests.rpc.test_lean_render import make_twin_apps

BASE = {"client_id": "demo", "placement_key": "credit-badge", "locale": "en-GB", "purchase_amount": 9900}


def shell(params: Any = None, raw: str | None = None, client_id: str = "demo") -> str:
    value = raw if raw is not None else quote(json.dumps(params))
    return f"/frame/placement?client_id={client_id}&render={value}"


def session(n: int) -> str:
    return f"{n:032x}"


LEAN_CASES = [
    ("a first render", shell({**BASE, "session_id": session(1)})),
    ("the same visit again (sticky)", shell({**BASE, "session_id": session(1), "purchase_amount": 12000})),
    ("every allowed key", shell({**BASE, "session_id": session(2), "currency": "GBP", "country": "GB",
                                 "theme": "dark", "page_type": "cart",
                                 "consent": {"personalization": True}})),
    ("unknown placement: empty", shell({**BASE, "placement_key": "nowhere", "session_id": session(3)})),
    ("refused: not JSON", shell(raw="%7B")),
    ("refused: a customer token", shell({**BASE, "session_id": session(4), "customer_token": "x.y"})),
    ("refused: another client", shell({**BASE, "client_id": "other", "session_id": session(5)})),
    ("refused: a bad amount", shell({**BASE, "session_id": session(6), "purchase_amount": -1})),
    ("refused: too long", shell({**BASE, "session_id": session(7), "theme": "x" * 3000})),
    ("refused: empty", shell(raw="")),
    ("hostile placement key", shell({**BASE, "placement_key": "</script><script>alert(1)</script>",
                                     "session_id": session(8)})),
    ("invalid UTF-8 escapes", shell(raw="%FF%FE")),
    ("the first of two values", shell({**BASE, "session_id": session(9)}) + "&render=%7B&client_id=other"),
]  # fmt: skip

FLASK_CASES = [
    ("no render", "/frame/placement?client_id=demo"),
    ("unknown client", shell({**BASE, "client_id": "nobody", "session_id": session(20)}, client_id="nobody")),
    ("not an identifier", shell({**BASE, "session_id": session(21)}, client_id="de%20mo")),
    ("no client", "/frame/placement?render=%7B%7D"),
]


@pytest.fixture
def twin_apps(redis_server: EmbeddedRedis, tmp_path: Path):  # type: ignore[no-untyped-def]
    """(lean app, Flask-only app): see make_twin_apps."""
    return make_twin_apps(redis_server.url, tmp_path, (3, 4))


def view_calls(app: Any) -> list[str]:
    """Records each run of the Flask view of the placement shell in ``app``."""
    seen: list[str] = []
    view = app.view_functions["frames.placement_frame"]

    def counting() -> Any:
        seen.append("view")
        return view()

    app.view_functions["frames.placement_frame"] = counting
    return seen


def assert_same(name: str, lean: Any, flask: Any) -> None:
    assert lean.status_code == flask.status_code, name
    assert sorted(lean.headers.items()) == sorted(flask.headers.items()), name
    assert lean.get_data() == flask.get_data(), name


def test_lean_shells_match_the_view_byte_for_byte(twin_apps) -> None:  # type: ignore[no-untyped-def]
    lean_app, flask_app = twin_apps
    lean_views, flask_views = view_calls(lean_app), view_calls(flask_app)
    for app in twin_apps:  # the merchant's configuration read once, as a worker has it
        assert app.test_client().get("/frame/placement?client_id=demo").status_code == 200
    lean_views.clear()
    embedded = 0
    for name, url in LEAN_CASES:
        headers = {"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)"}
        lean = lean_app.test_client().get(url, headers=headers)
        assert lean_views == [], f"{name}: the lean app ran the view"
        flask = flask_app.test_client().get(url, headers=headers)
        assert_same(name, lean, flask)
        assert lean.status_code == 200 and lean.headers["Cache-Control"] == "private, no-store", name
        embedded += 'id="onsite-first-render"' in lean.get_data(as_text=True)
    assert embedded == 5, "the cases cover shells with a render and shells without"
    for name, url in FLASK_CASES:
        lean = lean_app.test_client().get(url)
        assert lean_views == ["view"], f"{name}: the lean app did not leave it to the view"
        lean_views.clear()
        assert_same(name, lean, flask_app.test_client().get(url))
    assert len(flask_views) == len(LEAN_CASES) + len(FLASK_CASES) + 1


def test_a_merchant_not_known_current_goes_to_the_view(twin_apps) -> None:  # type: ignore[no-untyped-def]
    lean_app, _ = twin_apps
    lean_views = view_calls(lean_app)
    lean_app.extensions["onsite.merchants"].fresh = lambda client_id: None  # as on a cold worker
    response = lean_app.test_client().get(shell({**BASE, "session_id": session(30)}))
    assert response.status_code == 200 and lean_views == ["view"]
    assert 'id="onsite-first-render"' in response.get_data(as_text=True)
