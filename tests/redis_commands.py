"""The Redis commands the app sent, counted from ``INFO commandstats`` of the tests' real Redis.

Other threads share that Redis: every app's configuration version watch
(``bff/store/config_version_watch.py``) pings, subscribes and reads versions in the
background, so its commands (``WATCH_COMMANDS``) are left out of a count by default, and
a test compares what changed, per command, across the code it measures.
"""

from __future__ import annotations

import redis

WATCH_COMMANDS = frozenset({"info", "mget", "ping", "subscribe", "hello"})


def command_calls(client: redis.Redis) -> dict[str, int]:
    """Calls so far of every command Redis has served (``INFO`` itself included)."""
    stats = client.info("commandstats")
    return {name.removeprefix("cmdstat_"): int(row["calls"]) for name, row in stats.items()}


def calls_since(
    client: redis.Redis, before: dict[str, int], ignore: frozenset[str] = WATCH_COMMANDS
) -> dict[str, int]:
    """Calls per command since ``before`` (a ``command_calls``), without ``ignore``d commands."""
    after = command_calls(client)
    return {k: n - before.get(k, 0) for k, n in after.items() if n != before.get(k, 0) and k not in ignore}


def calls_of(client: redis.Redis, command: str) -> int:
    """Calls so far of one command (lower case, e.g. ``hget``)."""
    return command_calls(client).get(command, 0)
