"""Hypothesis fuzzing of /rpc (a short run; bench/fuzz_rpc.py runs 100k inputs).

Every generated body gets a JSON-RPC result or error: never a 500, a traceback or a hang.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings

from tests.fuzz.rpc_strategies import bodies, check_response

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))


def test_anonymous_traffic(client) -> None:  # type: ignore[no-untyped-def]
    @SETTINGS
    @given(bodies())
    def run(case: tuple[bytes, str]) -> None:
        body, content_type = case
        response = client.post("/rpc", data=body, content_type=content_type)
        check_response(response.status_code, response.data)

    run()


def test_traffic_with_an_admin_key(app, client) -> None:  # type: ignore[no-untyped-def]
    secret, _ = app.extensions["onsite.api_keys"].create(
        "demo", "merchant_admin", "fuzz", dt.datetime.now(dt.UTC)
    )

    @SETTINGS
    @given(bodies())
    def run(case: tuple[bytes, str]) -> None:
        body, content_type = case
        response = client.post(
            "/rpc", data=body, content_type=content_type, headers={"Authorization": f"Bearer {secret}"}
        )
        check_response(response.status_code, response.data)

    run()


def test_every_registered_method_is_fuzzed(app) -> None:  # type: ignore[no-untyped-def]
    from tests.fuzz.rpc_strategies import METHODS

    registered = set(app.extensions["onsite.jsonrpc"].get_jsonrpc_site().view_funcs) - {"rpc.describe"}
    assert registered <= set(METHODS), registered - set(METHODS)
