"""Which minutes, hours and days a range reads; which hours and days are due (pure)."""

from __future__ import annotations

import pytest

from bff.monitoring.rollups.ranges import DAY_MINUTES, MINUTE_MS, due_days, due_hours, plan_range

DAY = 20_000  # a UTC day number
D0 = DAY * DAY_MINUTES  # its first minute
NOW = D0 + 40 * DAY_MINUTES + 123  # well after it


def covered(plan) -> list[int]:  # type: ignore[no-untyped-def]
    minutes = list(plan.minutes)
    minutes += [m for h in plan.hours for m in range(h * 60, h * 60 + 60)]
    minutes += [m for d in plan.days for m in range(d * DAY_MINUTES, (d + 1) * DAY_MINUTES)]
    return sorted(minutes)


def test_a_month_reads_whole_days_and_only_the_edges_finer() -> None:
    first, last = D0 + 10 * 60 + 17, D0 + 30 * DAY_MINUTES + 5 * 60 + 42
    plan = plan_range(first, last, now_minute=last + 1, hours_before=10**9, days_before=10**9)
    # the first edge is 30 days back: its minutes are gone, so its hour is read whole
    assert plan.first_minute == D0 + 10 * 60 and plan.last_minute == last
    assert covered(plan) == list(range(plan.first_minute, last + 1))
    assert len(plan.days) == 29 and len(plan.hours) == 14 + 5 and len(plan.minutes) == 43


def test_a_recent_range_reads_minutes_at_both_edges() -> None:
    first, last = NOW - 3 * DAY_MINUTES - 77, NOW
    plan = plan_range(first, last, now_minute=NOW, hours_before=10**9, days_before=10**9)
    assert covered(plan) == list(range(first, last + 1))
    assert len(plan.days) == 2 and 0 < len(plan.minutes) < 120


def test_what_is_not_rolled_up_yet_is_read_from_minutes() -> None:
    first, last = D0, D0 + 2 * DAY_MINUTES - 1
    hours_before = (D0 + DAY_MINUTES + 120) // 60  # two hours of the second day rolled up
    plan = plan_range(first, last, now_minute=last, hours_before=hours_before, days_before=DAY + 1)
    assert plan.days == (DAY,)
    assert plan.hours == (hours_before - 2, hours_before - 1)
    assert len(plan.minutes) == DAY_MINUTES - 120
    assert covered(plan) == list(range(first, last + 1))


def test_edges_older_than_the_minutes_are_widened_to_hours_and_days() -> None:
    first, last = D0 + 10 * 60 + 17, D0 + 3 * DAY_MINUTES + 7
    plan = plan_range(first, last, now_minute=NOW, hours_before=10**9, days_before=10**9)
    # 40 days back: beyond the hours' 35 days too, so the first day is read whole; the last
    # edge is 37 days back: its day is read whole as well
    assert plan.first_minute == D0 and plan.last_minute == D0 + 4 * DAY_MINUTES - 1
    assert plan.minutes == () and plan.hours == () and len(plan.days) == 4


def test_a_short_recent_range_reads_minutes() -> None:
    plan = plan_range(NOW - 14, NOW, now_minute=NOW, hours_before=10**9, days_before=10**9)
    assert plan.minutes == tuple(range(NOW - 14, NOW + 1)) and plan.hours == () and plan.days == ()


def test_an_empty_range_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        plan_range(NOW, NOW - 1, now_minute=NOW, hours_before=0, days_before=0)


def test_hours_are_due_once_the_watermark_has_passed_them() -> None:
    hour = D0 // 60 + 5
    watermark = (hour + 3) * 60 * MINUTE_MS + 10  # hours up to hour + 2 complete
    assert due_hours(hour, watermark, limit=10) == [hour, hour + 1, hour + 2]
    assert due_hours(hour, watermark, limit=2) == [hour, hour + 1]
    assert due_hours(hour + 3, watermark, limit=10) == []
    first = due_hours(None, watermark, limit=10**6)
    assert first[0] == (DAY - 7) * 24 and first[-1] == hour + 2


def test_a_day_is_due_once_its_24_hours_are_rolled_up() -> None:
    assert due_days(DAY, (DAY + 1) * 24 - 1, limit=5) == []
    assert due_days(DAY, (DAY + 1) * 24, limit=5) == [DAY]
    assert due_days(DAY, (DAY + 3) * 24 + 2, limit=2) == [DAY, DAY + 1]
    assert due_days(None, (DAY + 1) * 24, limit=100)[-1] == DAY
