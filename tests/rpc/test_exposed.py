"""bff/rpc/exposed.py: the method wrapper, importable without the endpoint (no import cycle)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from flask_jsonrpc.exceptions import JSONRPCError

from bff.errors import StoreUnavailable
from bff.rpc.exposed import exposed


def test_method_modules_do_not_import_the_endpoint() -> None:
    # The endpoint imports the method modules to register them; they must not import it back.
    code = (
        "import sys\n"
        "import bff.rpc.admin, bff.rpc.campaigns, bff.rpc.events, bff.rpc.placements, bff.rpc.profiles\n"
        "print('bff.rpc.endpoint' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_store_outage_is_service_unavailable() -> None:
    @exposed
    def method() -> None:
        raise StoreUnavailable("redis timed out")

    with pytest.raises(JSONRPCError) as caught:
        method()
    assert caught.value.code == -32002
    assert "redis" not in str(caught.value.jsonrpc_format)
