"""The partition of a merchant, the partition count from outside, the fair share (pure)."""

from __future__ import annotations

import pytest

from bff.monitoring.partitions import MAX_PARTITIONS, checked_count, claim_order, fair_share, partition_of


def test_one_partition_is_the_layout_before_partitions() -> None:
    assert {partition_of(f"m{i}", 1) for i in range(100)} == {0}


def test_merchants_spread_over_every_partition_and_always_the_same_one() -> None:
    merchants = [f"merchant-{i}" for i in range(400)]
    spread = [partition_of(m, 4) for m in merchants]
    assert set(spread) == {0, 1, 2, 3}
    assert min(spread.count(p) for p in range(4)) > 60  # about 100 each
    assert spread == [partition_of(m, 4) for m in merchants]
    assert partition_of("demo", 4) == 3594706848 % 4  # CRC-32, not the salted hash()


@pytest.mark.parametrize("raw", ["0", "65", "-1", "two", "", b"1.5"])
def test_a_bad_count_is_refused_with_a_sentence(raw: object) -> None:
    with pytest.raises(ValueError, match="partition count"):
        checked_count(raw)


@pytest.mark.parametrize(("raw", "count"), [("1", 1), (b"4", 4), (MAX_PARTITIONS, MAX_PARTITIONS)])
def test_a_good_count_is_read(raw: object, count: int) -> None:
    assert checked_count(raw) == count


@pytest.mark.parametrize(
    ("count", "workers", "share"),
    [(4, 1, 4), (4, 2, 2), (4, 3, 2), (4, 4, 1), (4, 9, 1), (1, 0, 1), (5, 2, 3)],
)
def test_the_fair_share_leaves_no_partition_without_an_owner(count: int, workers: int, share: int) -> None:
    assert fair_share(count, workers) == share
    assert share * max(1, workers) >= count


def test_workers_start_claiming_at_different_partitions() -> None:
    orders = [claim_order(f"host-{i}", 4) for i in range(8)]
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)
    assert len({order[0] for order in orders}) > 1
