"""A verified shopper's consent: the current choice per purpose, and the log of changes.

``ConsentStore.record`` compares the choice with the stored one and, only if it differs,
stores it and appends one record to the shopper's log (capped at ``MAX_LOG`` records), in
one atomic script: a shopper's consent history is data, and an unchanged choice (every
page view re-sends it) writes nothing. Keys are those of ``bff.store.keys`` under the
merchant's hash tag, by ref pseudonym only.
"""

from __future__ import annotations

import json
from typing import Any

import redis

from bff.errors import StoreUnavailable
from bff.store import keys

MAX_LOG = 100

# KEYS: state hash, log list. ARGV: purpose, value, log record, cap. Returns 1 when changed.
_RECORD_IF_CHANGED = """
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('RPUSH', KEYS[2], ARGV[3])
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[4]), -1)
return 1
"""


class ConsentStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client
        self._script: Any = client.register_script(_RECORD_IF_CHANGED)

    def record(
        self, client_id: str, ref_hash: str, purpose: str, granted: bool, entry: dict[str, Any]
    ) -> bool:
        """Store ``granted`` for ``purpose`` and log ``entry`` if the choice changed; True if so."""
        try:
            changed = self._script(
                keys=[keys.consent_state_key(client_id, ref_hash), keys.consent_log_key(client_id, ref_hash)],
                args=[purpose, "1" if granted else "0", json.dumps(entry, sort_keys=True), MAX_LOG],
            )
        except redis.RedisError as exc:
            raise StoreUnavailable("could not record the consent change") from exc
        return bool(changed)
