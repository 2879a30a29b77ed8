"""Account lockout (bff/auth/lockout.py): failures per username in 15 minutes, locks until unlocked."""

from __future__ import annotations

from bff.auth.lockout import LOCKED_PREFIX, WINDOW_S, LoginLockout

T0 = 1_800_000_000.0


def test_the_failure_that_reaches_the_threshold_locks_the_account(redis_client) -> None:  # type: ignore[no-untyped-def]
    lockout = LoginLockout(redis_client, 3)
    assert [lockout.record_failure("ops", T0 + i) for i in range(2)] == [1, 2]
    assert not lockout.is_locked("ops")
    assert lockout.record_failure("ops", T0 + 2) == 3
    assert lockout.is_locked("ops")
    assert not lockout.is_locked("ana")


def test_a_lock_does_not_expire(redis_client) -> None:  # type: ignore[no-untyped-def]
    lockout = LoginLockout(redis_client, 1)
    lockout.record_failure("ops", T0)
    assert redis_client.ttl(LOCKED_PREFIX + "ops") == -1


def test_failures_older_than_the_window_do_not_count(redis_client) -> None:  # type: ignore[no-untyped-def]
    lockout = LoginLockout(redis_client, 3)
    lockout.record_failure("ops", T0)
    lockout.record_failure("ops", T0 + 1)
    assert lockout.record_failure("ops", T0 + WINDOW_S + 0.5) == 2  # the first one fell out
    assert not lockout.is_locked("ops")


def test_clear_failures_starts_the_count_again(redis_client) -> None:  # type: ignore[no-untyped-def]
    lockout = LoginLockout(redis_client, 3)
    lockout.record_failure("ops", T0)
    lockout.record_failure("ops", T0 + 1)
    lockout.clear_failures("ops")
    assert lockout.record_failure("ops", T0 + 2) == 1


def test_unlock_lifts_the_lock_and_forgets_the_failures(redis_client) -> None:  # type: ignore[no-untyped-def]
    lockout = LoginLockout(redis_client, 2)
    lockout.record_failure("ops", T0)
    lockout.record_failure("ops", T0 + 1)
    assert lockout.unlock("ops") is True
    assert not lockout.is_locked("ops")
    assert lockout.record_failure("ops", T0 + 2) == 1
    assert lockout.unlock("ops") is False  # not locked (its one failure is forgotten all the same)
