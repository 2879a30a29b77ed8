"""Frame shells, the loader, static bundles and the demo page."""

from __future__ import annotations

import re

from bff.assets import manifest


def test_frame_shell_has_strict_csp_and_etag(client, settings) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/frame/placement?client_id=demo")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert f"frame-ancestors {settings.demo_origin}" in csp
    assert response.headers["ETag"]
    assert manifest()["frame.js"] in response.get_data(as_text=True)
    again = client.get("/frame/placement?client_id=demo", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_frame_shells_send_renders_to_rpc_and_events_and_consent_to_collect(client) -> None:  # type: ignore[no-untyped-def]
    for view in ("placement", "interstitial"):
        response = client.get(f"/frame/{view}?client_id=demo")
        html = response.get_data(as_text=True)
        assert 'data-rpc-url="/rpc"' in html and 'data-collect-url="/rpc/collect"' in html, view
        # Same origin, so the frame's connect-src 'self' allows both.
        assert "connect-src 'self'" in response.headers["Content-Security-Policy"]


def test_frame_shell_escapes_and_rejects_unknown_clients(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/frame/placement?client_id=nobody").status_code == 404
    assert client.get("/frame/placement?client_id=%3Cscript%3E").status_code == 404


def test_loader_is_served_with_a_short_cache(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/onsite.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith(("public, max-age=300", "max-age=300"))


def test_hashed_bundles_are_immutable(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(f"/static/{manifest()['frame.js']}")
    assert response.status_code == 200
    assert "immutable" in response.headers["Cache-Control"]


def test_demo_is_redirected_to_the_demo_origin(client, settings) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/demo", base_url=settings.public_origin)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{settings.demo_origin}/demo"


def test_demo_page_shows_the_snippet_and_loads_the_loader_cross_origin(client, settings) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/demo", base_url=settings.demo_origin)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'src="{settings.public_origin}/onsite.js"' in html
    assert "&lt;script async" in html
    assert re.search(r'<onsite-placement[^>]*data-purchase-amount="9900"', html)
    assert f"frame-src {settings.public_origin}" in response.headers["Content-Security-Policy"]


def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_frame_check_says_why_a_page_gets_no_frames(client, settings) -> None:  # type: ignore[no-untyped-def]
    def check(client_id: str, origin: str) -> str:
        response = client.get("/frame/check.js", query_string={"client_id": client_id, "origin": origin})
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert "no-store" in response.headers["Cache-Control"]
        found = re.search(r'setAttribute\("data-onsite-cause","(\w+)"\)', response.get_data(as_text=True))
        assert found
        return found.group(1)

    assert check("demo", settings.demo_origin) == "ok"
    assert check("demo", "https://elsewhere.example") == "origin_not_allowed"
    assert check("demo", "null") == "origin_not_allowed"
    assert check("nobody", settings.demo_origin) == "unknown_client"
    assert check("<script>", settings.demo_origin) == "unknown_client"


def test_debug_overlay_is_served_like_the_loader(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/onsite-debug.js")
    assert response.status_code == 200
    assert response.headers["Cache-Control"].startswith(("public, max-age=300", "max-age=300"))
