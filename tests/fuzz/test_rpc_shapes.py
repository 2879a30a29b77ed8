"""Every hostile shape in every param of every method, deterministically (the fuzz draws a sample).

A 200,000-character string (JSON-escaped at 6 bytes a character in a reply) is planted in
each member of each method's valid params and in every param name, with an admin key so
the admin methods get past authorization. Each answer must meet ``check_response``: strict
JSON, HTTP 200, no traceback, bounded size (errors quote input in short excerpts only).
"""

from __future__ import annotations

import json
from typing import Any

from tests.fuzz.rpc_strategies import PARAM_NAMES, VALID_PARAMS, _paths, _plant, check_response

HUGE = "é" * 200_000


def planted(method: str, path: str, value: Any) -> bytes:
    params = json.loads(json.dumps(VALID_PARAMS[method]))
    _plant(params, path, value)
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params}
    return json.dumps(body, ensure_ascii=False).encode()


def test_a_huge_string_in_any_param_is_never_echoed_whole(client, api_key) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {api_key}"}
    sent = 0
    for method in sorted(VALID_PARAMS):
        for path in sorted(_paths(VALID_PARAMS[method]) | set(PARAM_NAMES)):
            response = client.post(
                "/rpc", data=planted(method, path, HUGE), content_type="application/json", headers=headers
            )
            check_response(response.status_code, response.data)
            assert response.status_code == 200 and len(response.data) < 16 * 1024, (method, path)
            sent += 1
    assert sent > 150
