"""Prometheus gauges of the audit log's anchoring, read at scrape time.

``onsite_audit_checkpoint_records``
    Records anchored by the newest correctly signed checkpoint in the checkpoint file.
``onsite_audit_checkpoint_age_seconds``
    Seconds since that checkpoint was written. Both are absent while there is none.
``onsite_audit_records``
    Records in the Redis list now. Fewer than the checkpoint says means records were cut
    off or deleted: alert on ``onsite_audit_records < onsite_audit_checkpoint_records``.

They are computed from the file and Redis when ``/metrics`` is read, not kept by one
process: the file is shared by every worker and the cron job. A failure to read either
is logged once per kind and leaves its gauge out; it never fails the scrape.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import redis
import structlog
from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bff.audit.log import AuditLog

log = structlog.get_logger(__name__)


class CheckpointCollector(Collector):
    """Gauges of ``audit``'s newest checkpoint and current length; ``clock`` gives Unix time."""

    def __init__(self, audit: AuditLog, clock: Callable[[], float] = time.time) -> None:
        self.audit = audit
        self.clock = clock
        self._failed_once: set[str] = set()

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            latest = self.audit.checkpoints.latest()
        except OSError as exc:
            self._log_once("checkpoint_file", exc)
            latest = None
        if latest is not None:
            yield GaugeMetricFamily(
                "onsite_audit_checkpoint_records",
                "Records anchored by the newest signed audit checkpoint",
                value=latest.records,
            )
            yield GaugeMetricFamily(
                "onsite_audit_checkpoint_age_seconds",
                "Seconds since the newest signed audit checkpoint",
                value=max(0.0, self.clock() - latest.at.timestamp()),
            )
        try:
            length = self.audit.length()
        except redis.RedisError as exc:
            self._log_once("redis", exc)
            return
        yield GaugeMetricFamily("onsite_audit_records", "Records in the audit log in Redis", value=length)

    def _log_once(self, kind: str, exc: Exception) -> None:
        if kind not in self._failed_once:
            self._failed_once.add(kind)
            log.warning("audit.metrics_failed", kind=kind, error=type(exc).__name__)


def checkpoint_registry(audit: AuditLog) -> CollectorRegistry:
    """A registry of its own (the default one is per process, this is per app)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(CheckpointCollector(audit))
    return registry
