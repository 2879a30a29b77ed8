"""The visit join at ingest: every event of a visit gets the visit's browser, device, channel, country.

``VisitDimensions(client).join(wires, from_frame=..., user_agent=..., accept_language=...)``
sets ``wire["visit"]`` (``enrichment.visit_record``: ``browser|device|channel|country``) on
each event with a visit id whose visit has a record, in one pipelined round trip per batch:

* A visit's record is the ``enrichment.own_values`` of its **first event with a user
  agent** (every widget event; a merchant server's event with ``user_agent``), stored under
  ``visit_dimensions_key`` for ``VISIT_TTL_S`` after the visit's last event (sliding).
  ``SET NX GET`` makes "first" atomic: two batches of a new visit racing each other (two
  frames of one page) agree on one record.
* Every later event of the visit, from a frame or from the merchant's server, carries that
  record, and the rollup worker counts it under those four values
  (``enrichment.enrich``): a server's ``session``, ``authorization`` or ``order_created``
  without a user agent counts under the browser of the visit's widget events, and the
  visit's later pages keep the channel it arrived by.
* An event whose visit has no record yet and that has no user agent (a server's
  ``session`` sent before the widget loaded) keeps its own values, so it has no browser
  or device, as before the join; it does not start the record.

At ingest because the visit id is here, and the events stream never holds it
(``stream.PRIVATE_FIELDS``). A Redis error is ``StoreUnavailable``: the call is refused
with -32002 and nothing is accepted, as when the append fails.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis

from bff.attribution.keys import visit_dimensions_key
from bff.errors import StoreUnavailable
from bff.monitoring.ingest.enrichment import own_values, visit_record
from bff.store.corruption import corrupt

VISIT_TTL_S = 2 * 3600  # the loader's visit lasts 30 idle minutes; orders of it come soon after


class VisitDimensions:
    """The remembered dimensions of every merchant's visits, on one Redis client."""

    def __init__(self, client: redis.Redis, ttl_s: int = VISIT_TTL_S) -> None:
        self.client = client
        self.ttl_s = ttl_s

    def join(
        self,
        wires: Sequence[dict[str, Any]],
        *,
        from_frame: bool,
        user_agent: str | None,
        accept_language: str | None,
    ) -> None:
        """Set ``visit`` on the wires of visits with a record (starting the records of new ones)."""
        candidates: dict[tuple[str, str], str | None] = {}
        for wire in wires:
            visit = (wire["client_id"], wire["visit_id"]) if "visit_id" in wire else None
            if visit is not None and candidates.get(visit) is None:
                values = own_values(wire, from_frame, user_agent, accept_language)
                candidates[visit] = visit_record(values)
        if not candidates:
            return
        pipe = self.client.pipeline(transaction=False)
        for (client_id, visit_id), record in candidates.items():
            key = visit_dimensions_key(client_id, visit_id)
            if record is None:
                pipe.get(key)
            else:
                pipe.set(key, record, nx=True, get=True, ex=self.ttl_s)
            pipe.expire(key, self.ttl_s)
        try:
            replies = pipe.execute()
        except redis.RedisError as exc:
            raise StoreUnavailable("could not join the visits' dimensions") from exc
        joined: dict[tuple[str, str], str] = {}
        for (visit, record), stored in zip(candidates.items(), replies[::2], strict=True):
            # None stored: ours was set, or none; an unreadable one counts as none (logged).
            text = _stored_text(visit_dimensions_key(*visit), stored)
            found = text if text is not None else record
            if found is not None:
                joined[visit] = found
        for wire in wires:
            found = joined.get((wire["client_id"], wire["visit_id"])) if "visit_id" in wire else None
            if found is not None:
                wire["visit"] = found


def _stored_text(key: str, value: bytes | str | None) -> str | None:
    """The stored record as text; None when there is none or it is not UTF-8 (logged)."""
    if value is None or isinstance(value, str):
        return value
    try:
        return value.decode()
    except UnicodeDecodeError:
        corrupt(key)
        return None
