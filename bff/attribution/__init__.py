"""Attribution: which messages earned an order (docs/attribution.md).

* ``rule``: the pure rule (no I/O, no clock), tested as data.
* ``keys``: the Redis keys, under the merchant's hash tag.
* ``store``: touches per visit, orders deduplicated by order id, attributed counts.
* ``ingest``: what ``events.track`` records of an accepted batch.
"""
