"""The preview's draft store against real Redis: scope, lifetime, size and count caps."""

from __future__ import annotations

import itertools

import pytest
import redis

from bff.console.drafts import (
    DRAFT_ID,
    MAX_DRAFT_BYTES,
    DraftStore,
    DraftTooLarge,
    draft_index_key,
    draft_key,
)

DOC = {"id": "spring", "placements": ["badge"]}


@pytest.fixture
def store(redis_client: redis.Redis) -> DraftStore:
    """A draft store with a cap of 3 drafts per user and a clock that ticks a second per call."""
    ticks = itertools.count(1_000_000)
    return DraftStore(redis_client, ttl_s=60, max_per_user=3, clock=lambda: float(next(ticks)))


def test_a_draft_comes_back_for_its_user_and_merchant_only(store: DraftStore) -> None:
    draft_id = store.save("ada", "demo", DOC)
    assert DRAFT_ID.match(draft_id)
    assert store.load("ada", "demo", draft_id) == DOC
    assert store.load("bob", "demo", draft_id) is None
    assert store.load("ada", "other-shop", draft_id) is None


def test_drafts_expire_and_reads_slide_their_lifetime(store: DraftStore, redis_client: redis.Redis) -> None:
    draft_id = store.save("ada", "demo", DOC)
    key = draft_key("ada", "demo", draft_id)
    assert 0 < redis_client.ttl(key) <= 60
    redis_client.expire(key, 5)
    store.load("ada", "demo", draft_id)
    assert redis_client.ttl(key) > 5
    redis_client.delete(key)
    assert store.load("ada", "demo", draft_id) is None


def test_the_oldest_draft_is_forgotten_beyond_the_cap(store: DraftStore, redis_client: redis.Redis) -> None:
    ids = [store.save("ada", "demo" if i % 2 else "shop-b", {**DOC, "n": i}) for i in range(5)]
    assert [store.load("ada", "demo" if i % 2 else "shop-b", d) is not None for i, d in enumerate(ids)] == [
        False,
        False,
        True,
        True,
        True,
    ]
    assert redis_client.zcard(draft_index_key("ada")) == 3


def test_a_draft_over_the_size_cap_is_refused(store: DraftStore) -> None:
    with pytest.raises(DraftTooLarge):
        store.save("ada", "demo", {"copy": "x" * MAX_DRAFT_BYTES})


@pytest.mark.parametrize("draft_id", ["", "short", "../../etc", "A" * 23, "A" * 21 + ":"])
def test_malformed_draft_ids_load_nothing(store: DraftStore, draft_id: str) -> None:
    assert store.load("ada", "demo", draft_id) is None


def test_draft_keys_share_one_cluster_slot_apart_from_merchants() -> None:
    assert draft_key("ada", "demo", "A" * 22).startswith("onsite:{drafts}:")
    assert draft_index_key("ada").startswith("onsite:{drafts}:")
