"""Which minutes, hours and days a time range reads, and which hours and days are due (pure).

Retention (``RETENTION_S``): minutes are kept 8 days, as long as detection needs them (the
detector compares with the same minute one week ago and the spans up to 75 minutes before
it); hours 35 days (the edges of a month's range); days 400 (13 months of funnel history).

``plan_range`` covers a range of minutes with the coarsest pieces available: whole UTC days
that are rolled up, then whole hours that are rolled up, minutes for the rest. An edge older
than a resolution's retention is widened to the enclosing hour (or day), and ``RangePlan``
says which minutes it covers in the end. ``due_hours`` and ``due_days`` list what the roll-up
step (``rollups/hours.py``) may do next.
"""

from __future__ import annotations

from dataclasses import dataclass

MINUTE_MS = 60_000
HOUR_MINUTES = 60
DAY_MINUTES = 24 * HOUR_MINUTES
DAY_S = 86_400
RETENTION_S = {"m": 8 * DAY_S, "h": 35 * DAY_S, "d": 400 * DAY_S}
# a first roll-up starts this many whole days back (minutes older than that may be gone)
FIRST_ROLLUP_DAYS = 7


@dataclass(frozen=True)
class RangePlan:
    """The pieces that cover minutes ``first_minute`` to ``last_minute`` (inclusive):
    minute numbers, hour numbers (``minute // 60``) and day numbers (``minute // 1440``)."""

    first_minute: int
    last_minute: int
    minutes: tuple[int, ...]
    hours: tuple[int, ...]
    days: tuple[int, ...]


def plan_range(
    first_minute: int, last_minute: int, *, now_minute: int, hours_before: int, days_before: int
) -> RangePlan:
    """Cover ``first_minute..last_minute`` with days, hours and minutes.

    ``hours_before``/``days_before``: the first hour and day not rolled up yet (everything
    before them is). Raises ``ValueError`` for an empty range.
    """
    if last_minute < first_minute:
        raise ValueError("the range must not end before it starts")
    first, last = _widen(first_minute, last_minute, now_minute)
    minutes: list[int] = []
    hours: list[int] = []
    days: list[int] = []
    cursor = first
    while cursor <= last:
        if _whole(cursor, DAY_MINUTES, last, days_before):
            days.append(cursor // DAY_MINUTES)
            cursor += DAY_MINUTES
        elif _whole(cursor, HOUR_MINUTES, last, hours_before):
            hours.append(cursor // HOUR_MINUTES)
            cursor += HOUR_MINUTES
        else:
            minutes.append(cursor)
            cursor += 1
    return RangePlan(first, last, tuple(minutes), tuple(hours), tuple(days))


def _whole(cursor: int, size: int, last: int, rolled_before: int) -> bool:
    """Whether a rolled-up period of ``size`` minutes starts at ``cursor`` and ends by ``last``."""
    return cursor % size == 0 and cursor + size - 1 <= last and cursor // size < rolled_before


def _widen(first: int, last: int, now_minute: int) -> tuple[int, int]:
    for resolution, size in (("m", HOUR_MINUTES), ("h", DAY_MINUTES)):
        oldest = now_minute - RETENTION_S[resolution] // 60
        if first < oldest:
            first -= first % size
        if last < oldest:
            last += size - 1 - last % size
    return first, last


def due_hours(next_hour: int | None, watermark_ms: int, limit: int) -> list[int]:
    """Up to ``limit`` hours to roll up next: from ``next_hour`` (``None``: never rolled up,
    start ``FIRST_ROLLUP_DAYS`` whole days back) to the last hour the watermark has passed."""
    last = watermark_ms // (HOUR_MINUTES * MINUTE_MS) - 1
    if next_hour is None:
        next_hour = (last // 24 - FIRST_ROLLUP_DAYS) * 24
    return list(range(next_hour, min(last, next_hour + limit - 1) + 1))


def due_days(next_day: int | None, next_hour: int, limit: int) -> list[int]:
    """Up to ``limit`` days to roll up next: those whose 24 hours are all rolled up
    (``next_hour``: the first hour not rolled up; ``next_day`` ``None``: start with the
    first day the hours cover, as ``due_hours`` began)."""
    last = next_hour // 24 - 1
    if next_day is None:
        next_day = last - FIRST_ROLLUP_DAYS
    return list(range(next_day, min(last, next_day + limit - 1) + 1))
