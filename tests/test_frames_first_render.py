"""The placement shell with ``render``: it carries its first render, privately (real Redis)."""

from __future__ import annotations

import base64
import hashlib
import json
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote

import pytest
import redis

from bff.assets import STATIC_DIR, manifest
from bff.errors import StoreUnavailable
from bff.store import keys
from bff.store.merchant_config import MerchantConfigStore
from tests.test_first_render import PARAMS, SESSION

COMPARED = ("kind", "html", "text", "campaign_id", "variant")
HOSTILE = "</script><script>alert(1)</script>"


class Scripts(HTMLParser):
    """The document's script elements: ``(attributes, text)`` in order."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[dict[str, str | None], str]] = []
        self._open: dict[str, str | None] | None = None
        self._text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self._open, self._text = dict(attrs), []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            self.found.append((self._open, "".join(self._text)))
            self._open = None


def shell_url(value: Any, client_id: str = "demo") -> str:
    raw = value if isinstance(value, str) else json.dumps(value)
    return f"/frame/placement?client_id={client_id}&render={quote(raw, safe='')}"


def embedded(html: str) -> dict[str, Any] | None:
    """The ``#onsite-first-render`` JSON of a shell, or None."""
    found = [text for attrs, text in Scripts(html).found if attrs.get("id") == "onsite-first-render"]
    assert len(found) <= 1
    return json.loads(found[0]) if found else None


def inline_scripts(html: str) -> list[str]:
    """The texts of the scripts the browser would run inline (no src, no data type)."""
    return [text for attrs, text in Scripts(html).found if "src" not in attrs and "type" not in attrs]


def boot_text() -> str:
    return (STATIC_DIR / manifest()["boot.js"]).read_text(encoding="utf-8")


def sha256_source(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def shell(client, value: Any, **kwargs: Any):  # type: ignore[no-untyped-def]
    """GET the shell with ``render=value``; the visit's state written behind it has landed."""
    response = client.get(shell_url(value), **kwargs)
    assert client.application.extensions["onsite.renderer"].writes.drain()
    return response


def assert_private_shell_without_render(response) -> None:  # type: ignore[no-untyped-def]
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-view="placement"' in html and manifest()["frame.js"] in html
    # The boot script is in every placement shell: with nothing to paint, it paints nothing.
    assert embedded(html) is None and len(inline_scripts(html)) == 1
    assert "Traceback" not in html
    assert_private(response)


def assert_private(response) -> None:  # type: ignore[no-untyped-def]
    assert response.cache_control.private and response.cache_control.no_store
    assert not response.cache_control.public and response.cache_control.max_age is None
    assert "ETag" not in response.headers
    assert response.headers["Referrer-Policy"] == "strict-origin"


@pytest.mark.parametrize("locale", ["en-GB", "en-US"])  # en-US: an experiment, sticky per visit
def test_shell_embeds_what_the_rpc_answers_for_the_same_params(client, rpc, locale: str) -> None:  # type: ignore[no-untyped-def]
    variants = set()
    for n in range(8):
        params = PARAMS | {"locale": locale, "currency": None, "session_id": f"{n:032x}"}
        params = {k: v for k, v in params.items() if v is not None}
        response = shell(client, params)
        assert response.status_code == 200
        first = embedded(response.get_data(as_text=True))
        assert first is not None
        assert first["params"] == params
        answer = rpc("placements.render", params)["result"]
        assert first["result"]["kind"] == "badge"
        assert {k: first["result"].get(k) for k in COMPARED} == {k: answer.get(k) for k in COMPARED}
        variants.add(first["result"].get("variant"))
    if locale == "en-US":
        assert variants == {"lead-pay-in-4", "lead-pay-later"}  # both arms, each kept by the RPC


def test_inline_boot_script_is_allowed_by_its_hash_only(client) -> None:  # type: ignore[no-untyped-def]
    response = shell(client, PARAMS)
    html = response.get_data(as_text=True)
    (script,) = inline_scripts(html)
    assert script == boot_text()  # byte for byte the built file
    csp = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' {sha256_source(script)};" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    # The JSON comes first, then the boot script, just before </body>.
    assert html.index('id="onsite-first-render"') < html.index(f"<script>{script}</script>")
    assert html.rstrip().endswith(f"<script>{script}</script>\n</body>\n</html>")
    # The public shell carries the same script (it paints the frame's cached render) and no render.
    public = client.get("/frame/placement?client_id=demo")
    assert public.headers["Content-Security-Policy"] == csp
    assert inline_scripts(public.get_data(as_text=True)) == [script]
    assert embedded(public.get_data(as_text=True)) is None


def test_shell_with_render_is_private_and_sends_no_referrer_path(client) -> None:  # type: ignore[no-untyped-def]
    response = shell(client, PARAMS, headers={"If-None-Match": "*"})
    assert response.status_code == 200  # never a 304: nothing to revalidate
    assert_private(response)


def test_shell_without_render_stays_public(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/frame/placement?client_id=demo")
    assert response.cache_control.public and response.cache_control.max_age == 300
    assert not response.cache_control.no_store and not response.cache_control.private
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    again = client.get("/frame/placement?client_id=demo", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


REFUSED = {
    "not_json": "{client_id: demo}",
    "empty": "",
    "nan": json.dumps(PARAMS)[:-1] + ', "theme": NaN}',
    "overflowing_amount": json.dumps(PARAMS).replace("9900", "1e400"),
    "array": [PARAMS],
    "too_long": PARAMS | {"theme": "x" * 2048},
    "unknown_key": PARAMS | {"colour": "red"},
    "customer_token": PARAMS | {"customer_token": "v1.abc.def"},
    "visit_token": PARAMS | {"visit_token": "v1.abc.def"},
    "other_client": PARAMS | {"client_id": "other"},
    "negative_amount": PARAMS | {"purchase_amount": -1},
    "amount_as_string": PARAMS | {"purchase_amount": "9900"},
    "hostile_placement_key": PARAMS | {"placement_key": HOSTILE},
    "hostile_locale": PARAMS | {"locale": HOSTILE},
}


@pytest.mark.parametrize("value", REFUSED.values(), ids=REFUSED.keys())
def test_refused_renders_give_the_shell_without_a_first_render(client, value: Any) -> None:  # type: ignore[no-untyped-def]
    response = shell(client, value)
    assert_private_shell_without_render(response)
    assert "alert(1)" not in response.get_data(as_text=True)


def test_unknown_placement_key_embeds_the_rpcs_empty_result(client, rpc) -> None:  # type: ignore[no-untyped-def]
    params = PARAMS | {"placement_key": "no-such-key"}
    first = embedded(shell(client, params).get_data(as_text=True))
    assert first is not None
    assert first["result"] == rpc("placements.render", params)["result"]
    assert first["result"]["kind"] == "empty"


def test_hostile_values_that_render_are_embedded_escaped(client) -> None:  # type: ignore[no-untyped-def]
    params = PARAMS | {"consent": {"personalization": False, "note": HOSTILE}}  # the RPC ignores extra keys
    response = shell(client, params)
    html = response.get_data(as_text=True)
    first = embedded(html)
    assert first is not None and first["params"] == params  # the same value, read back
    assert HOSTILE not in html and "alert(1)" in html  # there, escaped
    scripts = Scripts(html).found
    assert [attrs.get("id") or attrs.get("src") or "inline" for attrs, _ in scripts] == [
        f"/static/{manifest()['frame.js']}",
        "onsite-first-render",
        "inline",
    ]
    assert html.count("<script") == 3


def test_unknown_or_disabled_merchants_404_with_render(client, redis_client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(shell_url(PARAMS | {"client_id": "nobody"}, "nobody")).status_code == 404
    store = MerchantConfigStore(redis_client)
    doc = json.loads(redis_client.get(keys.merchant_key("demo")))
    store.documents.save({**doc, "disabled": True}, {"kind": "system", "id": "test"}, "2026-12-06T00:00:00Z")
    assert client.get(shell_url(PARAMS)).status_code == 404


def test_store_down_for_an_unseen_merchant_is_503(app, client) -> None:  # type: ignore[no-untyped-def]
    store = app.extensions["onsite.merchants"]
    store.client = redis.Redis(unix_socket_path="/nonexistent/redis.sock", socket_timeout=0.1)
    store._cache.clear()
    assert client.get(shell_url(PARAMS)).status_code == 503


def test_store_down_for_a_cached_merchant_embeds_what_the_rpc_answers(app, client, rpc) -> None:  # type: ignore[no-untyped-def]
    assert embedded(shell(client, PARAMS).get_data(as_text=True)) is not None  # the merchant cached
    app.extensions["onsite.merchants"].client = redis.Redis(
        unix_socket_path="/nonexistent/redis.sock", socket_timeout=0.1
    )
    params = PARAMS | {"session_id": "f" * 32}
    response = shell(client, params)
    assert response.status_code == 200
    assert_private(response)
    first = embedded(response.get_data(as_text=True))
    answer = rpc("placements.render", params)["result"]  # a cached configuration still renders
    assert first is not None
    assert {k: first["result"].get(k) for k in COMPARED} == {k: answer.get(k) for k in COMPARED}


@pytest.mark.parametrize("error", [StoreUnavailable("down"), RuntimeError("boom")])
def test_a_failing_render_gives_the_shell_without_a_first_render(app, client, monkeypatch, error) -> None:  # type: ignore[no-untyped-def]
    # Only the render fails (the merchant lookup answered): simulated, as Redis going away
    # after the lookup still renders from the configuration the lookup cached.
    def failing(_: Any) -> None:
        raise error

    monkeypatch.setattr(app.extensions["onsite.renderer"], "render", failing)
    response = shell(client, PARAMS)
    assert_private_shell_without_render(response)
    assert "boom" not in response.get_data(as_text=True)


def test_logs_never_hold_the_session_id(app, client, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level("DEBUG")
    shell(client, PARAMS)
    for value in REFUSED.values():
        shell(client, value)  # all but the non-JSON ones hold SESSION

    def failing(_: Any) -> None:
        raise RuntimeError(f"boom for {SESSION}")

    monkeypatch.setattr(app.extensions["onsite.renderer"], "render", failing)
    shell(client, PARAMS)
    logs = "\n".join(record.getMessage() for record in caplog.records)
    assert "rpc.internal_error" in logs  # the failing render was logged, by type
    assert SESSION not in logs
