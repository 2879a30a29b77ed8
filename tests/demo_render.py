"""The JSON-RPC call that renders the demo merchant's badge: shared by tests that need any render."""

from __future__ import annotations

from typing import Any

from tests.rpc.test_placements_render import params


def demo_render_call(session_id: str, request_id: int = 1) -> dict[str, Any]:
    """A ``placements.render`` request for the demo badge at £99.00 (``params``) in ``session_id``."""
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "placements.render",
        "params": params(session_id=session_id),
    }
