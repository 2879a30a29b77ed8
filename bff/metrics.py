"""Prometheus metrics at ``/metrics``, in multiprocess mode under gunicorn.

Series (all prefixed ``onsite_``):

``http_requests_total{route, status}`` and ``http_request_seconds{route}``
    Every HTTP request, by URL rule (bounded: ``unmatched`` for 404s). Request rate is
    ``rate(onsite_http_requests_total[1m])``.
``rpc_calls_total{method, outcome}`` and ``rpc_call_seconds{method}``
    Every JSON-RPC call (batches count each call) by registered method (``unknown``
    otherwise), outcome ``ok`` or ``error``; the time is the method's dispatch, JSON
    parsing and serialization excluded (those are in the HTTP histogram).
``merchant_config_cache_total{result}``
    Render-path lookups of the merchant configuration: ``hit`` (served from the
    in-process cache) or ``miss`` (read and parsed from Redis). Hit ratio:
    ``rate(...{result="hit"}) / rate(...)``.
``view_cache_total{result}``
    Render-path lookups of a shopper-independent view model (``bff/personalization/
    view_cache.py``): ``hit`` or ``miss``; personalized renders are not counted.
``decisions_total{merchant, campaign, variant}`` and ``empty_placements_total{merchant, reason}``
    What the render path showed.
``audit_checkpoint_records``, ``audit_checkpoint_age_seconds`` and ``audit_records``
    The audit log's newest signed checkpoint and its length in Redis, read from the
    checkpoint file and Redis at scrape time (``bff/audit/checkpoint_metrics.py``).

Multiprocess mode: when ``PROMETHEUS_MULTIPROC_DIR`` is set in the environment before
this module is imported (``gunicorn.conf.py`` does it, and clears the directory at
start-up), every worker writes its values to files there and ``/metrics`` sums them.
Without it (the dev server, tests), ``/metrics`` serves this process's registry.

Who may read ``/metrics``: with ``ONSITE_METRICS_TOKEN`` set, requests carrying
``Authorization: Bearer <token>``; without it, only clients on loopback or private
addresses (a scraper inside the deployment's network). Others get 404.

Instrumentation never breaks the request it measures: a failure to record is logged once
per kind and swallowed.
"""

from __future__ import annotations

import hmac
import ipaddress
import time
from typing import Any

import structlog
from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from bff.audit.checkpoint_metrics import checkpoint_registry
from bff.placement_renderer import PlacementRenderer, RenderRequest
from bff.settings import Settings

log = structlog.get_logger(__name__)

# Render latencies sit around 0.5-5 ms; the tail up to the 50 ms budget needs resolution too.
LATENCY_BUCKETS = (0.0005, 0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.02, 0.05, 0.1, 0.25, 1.0)

HTTP_REQUESTS = Counter("onsite_http_requests", "HTTP requests by URL rule and status", ["route", "status"])
HTTP_SECONDS = Histogram(
    "onsite_http_request_seconds", "HTTP request time in the app", ["route"], buckets=LATENCY_BUCKETS
)
RPC_CALLS = Counter("onsite_rpc_calls", "JSON-RPC calls by method and outcome", ["method", "outcome"])
RPC_SECONDS = Histogram(
    "onsite_rpc_call_seconds", "JSON-RPC method dispatch time", ["method"], buckets=LATENCY_BUCKETS
)
CONFIG_CACHE = Counter(
    "onsite_merchant_config_cache", "Render-path merchant configuration lookups", ["result"]
)
VIEW_CACHE = Counter("onsite_view_cache", "Render-path view model cache lookups", ["result"])
DECISIONS = Counter(
    "onsite_decisions", "Placements rendered with a campaign", ["merchant", "campaign", "variant"]
)
EMPTY_PLACEMENTS = Counter("onsite_empty_placements", "Placements rendered empty", ["merchant", "reason"])

_failed_once: set[str] = set()
# labels() costs a few µs (key building, a lock), so children are kept. Label values are
# bounded: routes, registered methods, and merchants' configured campaigns and variants.
_children: dict[tuple[object, ...], Any] = {}


def _child(metric: Any, *labels: str) -> Any:
    key = (metric, *labels)
    child = _children.get(key)
    if child is None:
        child = _children[key] = metric.labels(*labels)
    return child


def init_app(app: Flask, settings: Settings) -> None:
    """Time every request, count render decisions and cache hits, and mount ``/metrics``."""
    app.before_request(_start_timer)
    app.after_request(_record_request)
    renderer: PlacementRenderer = app.extensions["onsite.renderer"]
    app.extensions["onsite.renderer"] = InstrumentedRenderer(renderer)
    app.extensions["onsite.metrics_settings"] = settings
    app.extensions["onsite.audit_metrics"] = checkpoint_registry(app.extensions["onsite.audit"])
    app.add_url_rule("/metrics", "metrics", metrics_view, methods=["GET"])


class InstrumentedRenderer(PlacementRenderer):
    """The same renderer, counting what it shows and whether the configuration came from cache."""

    def __init__(self, inner: PlacementRenderer) -> None:
        super().__init__(
            inner.configs,
            inner.sessions,
            inner.profiles,
            inner.identity,
            inner.clock,
            inner.views,
            inner.tokens,
            inner.writes,
        )
        self.views.observe = _observe_view_cache

    def render(self, request: RenderRequest) -> dict[str, Any]:
        before = self.configs.cached(request.client_id)
        result = super().render(request)
        try:
            after = self.configs.cached(request.client_id)
            _child(CONFIG_CACHE, "hit" if before is not None and after is before else "miss").inc()
            if result.get("kind") == "empty":
                _child(EMPTY_PLACEMENTS, request.client_id, str(result.get("reason", ""))).inc()
            else:
                campaign, variant = str(result.get("campaign_id", "")), str(result.get("variant", ""))
                _child(DECISIONS, request.client_id, campaign, variant).inc()
        except Exception as exc:  # noqa: BLE001 - metrics must never fail a render
            _log_failure("decision", exc)
        return result


def _observe_view_cache(hit: bool) -> None:
    try:
        _child(VIEW_CACHE, "hit" if hit else "miss").inc()
    except Exception as exc:  # noqa: BLE001 - metrics must never fail a render
        _log_failure("view_cache", exc)


def observe_rpc(method: str, seconds: float, ok: bool) -> None:
    """Record one JSON-RPC call; ``method`` must be a registered name (bounded labels)."""
    try:
        _child(RPC_CALLS, method, "ok" if ok else "error").inc()
        _child(RPC_SECONDS, method).observe(seconds)
    except Exception as exc:  # noqa: BLE001 - metrics must never fail a call
        _log_failure("rpc", exc)


def _start_timer() -> None:
    g.onsite_started = time.perf_counter()


def _record_request(response: Response) -> Response:
    started = g.pop("onsite_started", None)
    route = request.url_rule.rule if request.url_rule is not None else "unmatched"
    observe_http(route, response.status_code, None if started is None else time.perf_counter() - started)
    return response


def observe_http(route: str, status: int, seconds: float | None) -> None:
    """Record one HTTP request; ``route`` must be a URL rule or ``unmatched`` (bounded labels)."""
    try:
        _child(HTTP_REQUESTS, route, str(status)).inc()
        if seconds is not None:
            _child(HTTP_SECONDS, route).observe(seconds)
    except Exception as exc:  # noqa: BLE001 - metrics must never fail a request
        _log_failure("http", exc)


def metrics_view() -> Response:
    """The Prometheus text exposition (all workers' values in multiprocess mode)."""
    settings: Settings = current_app.extensions["onsite.metrics_settings"]
    if not _may_read(settings):
        abort(404)
    if settings.metrics_dir is not None:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=str(settings.metrics_dir))  # type: ignore[no-untyped-call]
        body = generate_latest(registry)
    else:
        body = generate_latest()
    body += generate_latest(current_app.extensions["onsite.audit_metrics"])
    return Response(body, mimetype=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


def _may_read(settings: Settings) -> bool:
    if settings.metrics_token is not None:
        sent = request.headers.get("Authorization", "")
        return hmac.compare_digest(sent.encode(), f"Bearer {settings.metrics_token}".encode())
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return address.is_loopback or address.is_private


def _log_failure(kind: str, exc: Exception) -> None:
    if kind not in _failed_once:
        _failed_once.add(kind)
        log.warning("metrics.record_failed", kind=kind, error=type(exc).__name__)
