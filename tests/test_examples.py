"""The example files the README's operating commands name load as they are (exit code 0)."""

from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def test_example_campaigns_import_cleanly(app) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(
        args=["campaigns", "import", str(EXAMPLES / "campaigns.json"), "--client", "demo"]
    )
    assert result.exit_code == 0, result.output
    assert "ok    [0] gb-spring-pay-in-4" in result.output
    stored = {c["id"]: c for c in app.extensions["onsite.campaigns"].list("demo")}
    assert stored["gb-spring-pay-in-4"]["amount"] == {"currency": "GBP", "min": 3000, "max": 150000}


@pytest.mark.parametrize(("name", "loaded"), [("profiles.jsonl", 3), ("profiles.csv", 2)])
def test_example_profiles_load_cleanly(app, name: str, loaded: int) -> None:  # type: ignore[no-untyped-def]
    result = app.test_cli_runner().invoke(args=["profiles", "load", str(EXAMPLES / name), "--client", "demo"])
    assert result.exit_code == 0, result.output
    assert f"{loaded} profiles loaded, 0 rows rejected" in result.output


def test_example_profile_fields_arrive(app) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    runner.invoke(args=["profiles", "load", str(EXAMPLES / "profiles.jsonl"), "--client", "demo"])
    profile = app.extensions["onsite.profiles"].get("demo", "c-10453")
    assert (profile.first_name, profile.country, profile.interests) == ("Björn", "SE", ("outdoor",))
    assert profile.consent == frozenset({"personalization"})


def test_root_of_the_demo_origin_is_the_shop(app) -> None:  # type: ignore[no-untyped-def]
    settings = app.extensions["onsite.settings"]
    response = app.test_client().get("/", base_url=settings.demo_origin)
    assert response.status_code == 302 and response.headers["Location"] == "/demo"


def test_root_of_the_public_origin_lists_what_the_server_offers(app) -> None:  # type: ignore[no-untyped-def]
    settings = app.extensions["onsite.settings"]
    response = app.test_client().get("/", base_url=settings.public_origin)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'href="{settings.demo_origin}/demo"' in page
    assert 'href="/console' in page and 'href="/monitoring' in page
    assert "script-src" not in response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
