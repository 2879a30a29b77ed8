"""A returning visit's render in Chromium sends its visit token and the BFF answers it without
reading the visit's state from Redis (INFO commandstats of the live server's real Redis)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from playwright.sync_api import Page, Request, expect

from bff.store.embedded import EmbeddedRedis
from e2e.conftest import LiveServer
from e2e.test_consistent_messaging import US_VARIANTS, badge_text
from tests.redis_commands import calls_of

pytestmark = pytest.mark.e2e


@pytest.fixture
def live_client(live_redis: EmbeddedRedis) -> Iterator[redis.Redis]:
    """A client of the live server's Redis."""
    client = redis.Redis.from_url(live_redis.url)
    yield client
    client.close()


def record_render_requests(page: Page) -> list[dict[str, Any]]:
    """The params of every placements.render the frames send."""
    sent: list[dict[str, Any]] = []

    def on_request(request: Request) -> None:
        if request.url.endswith("/rpc") and request.method == "POST":
            body = request.post_data_json
            if isinstance(body, dict) and body.get("method") == "placements.render":
                sent.append(body["params"])

    page.on("request", on_request)
    return sent


def test_second_render_of_a_visit_reads_no_sticky_state(
    page: Page, live_server: LiveServer, live_client: redis.Redis
) -> None:
    sent = record_render_requests(page)
    page.goto(f"{live_server.demo_url}?market=en-US")
    badge = badge_text(page, "#badge")
    expect(badge).to_have_text(re.compile(r"\$"))
    variant = next(v for v, text in US_VARIANTS.items() if text in badge.inner_text())
    first_renders = len(sent)
    # The first renders came with the frame shells (their URL asked for them), with their tokens.
    assert first_renders == 0, sent

    getex_before = calls_of(live_client, "getex")
    page.get_by_label("Walnut").check()  # a new price: the frames render again
    expect(badge).to_contain_text("$299.00" if variant == "lead-pay-later" else "$74.75")
    expect(badge).to_contain_text(US_VARIANTS[variant])
    again = sent[first_renders:]
    assert again, "the new price reached no server"
    assert all(p.get("visit_token", "").startswith("v1.") for p in again), "the shell's token was not kept"
    assert calls_of(live_client, "getex") == getex_before, "a render read the visit's state"
