"""The interstitial frame shell: same protections and caching as the placement shell."""

from __future__ import annotations

from bff.assets import STATIC_DIR, manifest
from bff.security_headers import csp_hash


def test_interstitial_shell_has_strict_csp_etag_and_its_own_styles(client, settings) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/frame/interstitial?client_id=demo")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-eval" not in csp and "unsafe-inline" not in csp
    assert f"frame-ancestors {settings.demo_origin}" in csp
    html = response.get_data(as_text=True)
    assert manifest()["frame.js"] in html
    assert manifest()["interstitial.css"] in html
    assert 'data-view="interstitial"' in html
    assert (
        'role="dialog"' in html and 'aria-modal="true"' in html and 'aria-labelledby="onsite-title"' in html
    )
    assert " style=" not in html and "<script>" not in html
    again = client.get(
        "/frame/interstitial?client_id=demo", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_interstitial_shell_rejects_unknown_clients(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/frame/interstitial?client_id=nobody").status_code == 404
    assert client.get("/frame/interstitial?client_id=%3Cscript%3E").status_code == 404
    assert client.get("/frame/interstitial").status_code == 404


def test_placement_shell_is_the_placement_view(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/frame/placement?client_id=demo")
    html = response.get_data(as_text=True)
    assert 'data-view="placement"' in html
    # Its stylesheet is inline (nothing to fetch before the first paint), allowed by its hash.
    css = (STATIC_DIR / manifest()["frame.css"]).read_text(encoding="utf-8")
    assert f"<style>{css}</style>" in html
    assert f"style-src 'self' 'sha256-{csp_hash(css)}';" in response.headers["Content-Security-Policy"]
    assert " style=" not in html
