"""Configuration: the one place that reads the environment.

``Settings.from_env(os.environ)`` builds the configuration from a mapping;
tests build their own ``Settings(...)`` directly and never touch ``os.environ``.

Environment variables (all optional):

``REDIS_URL``
    ``redis://``, ``rediss://`` or ``unix://`` URL of an existing Redis server, or a Redis
    Cluster as ``redis+cluster://host1:port1,host2:port2,...`` (``rediss+cluster://`` for
    TLS; the nodes are startup nodes, see ``bff/store/cluster_url.py``).
    Unset: the app starts and owns a private ``redis-server`` under ``VAR_DIR``.
``VAR_DIR``
    Directory for runtime state (embedded Redis socket, AOF files). Default ``./var``.
``ONSITE_PUBLIC_ORIGIN``
    The origin frames and the loader are served from, e.g. ``https://onsite.example``.
    Default ``http://127.0.0.1:5000``.
``ONSITE_DEMO_ORIGIN``
    The origin of the demo shop, which must differ from the public origin so the demo
    exercises the real cross-origin path. Default ``http://localhost:5000``.
``ONSITE_DEMO_DATA``
    Path of the demo merchant file. Default: the one shipped in ``bff/data``.
``ONSITE_DEMO_CAMPAIGNS``
    Path of the demo merchant's campaigns (a JSON array). Default: ``bff/data``.
``ONSITE_PROFILE_BUCKET_BITS``
    Profiles are spread over 2**bits Redis hashes (default 20: about 100 profiles per
    hash at 100M profiles). Changing it needs a reload of the profiles.
``ONSITE_EVENTS_RATE_PER_IP`` / ``ONSITE_EVENTS_RATE_PER_KEY`` / ``ONSITE_LOGIN_RATE``
    Rate limits in the ``limits`` notation (``50/second``, ``10/minute``): events sent with
    ``events.track`` (each event counts, not each call) per client address and per API
    key, and dashboard logins per address.
``ONSITE_LOG_LEVEL``
    ``debug``, ``info`` (default), ``warning`` or ``error``.
``SLACK_WEBHOOK_URL``
    Slack incoming webhook that monitoring alerts are posted to. Unset: alerts are kept
    and shown on the dashboard, and each delivery is recorded as ``not_configured``.
``ONSITE_ENV``
    ``development`` (default) or ``production``. ``gunicorn.conf.py`` defaults it to
    ``production``. Production refuses to start without ``ONSITE_SECRET_KEY``.
``ONSITE_SECRET_KEY``
    The server secret, at least 32 bytes (``python3 -c 'import secrets; print(secrets.token_hex(32))'``).
    Every server-side key is derived from it (``bff/server_key.py``): the audit chain's
    HMAC key, the shopper-ref pseudonym key, the merchants' identity secrets, the
    dashboard session ids. Redis never holds it. Unset in development: one is generated
    once into ``VAR_DIR/secret.key`` (mode 0600) with a warning; in production: refused.
``ONSITE_TRUSTED_PROXY_HOPS``
    Number of reverse proxies in front of the app whose ``X-Forwarded-For`` /
    ``X-Forwarded-Proto`` / ``X-Forwarded-Host`` are trusted (werkzeug's ProxyFix).
    Default 0: the peer address is the client, and forwarded headers are ignored.
``ONSITE_CONSENT_RATE_PER_IP`` / ``ONSITE_CONSENT_RATE_PER_SESSION``
    Rate limits of the public ``consent.update`` (default ``30/minute`` and ``10/minute``).
``ONSITE_SESSION_IDLE_S`` / ``ONSITE_SESSION_ABSOLUTE_S``
    Dashboard sessions end after this much inactivity (default 1800) and this long after
    the login in any case (default 43200).
``ONSITE_LOGIN_LOCKOUT_FAILURES``
    Failed logins of one account (from any address, within 15 minutes) that lock it until
    an admin unlocks it (default 10).
``ONSITE_ERASURE_REWRITE_S``
    After a profile erasure Redis is asked to rewrite its append-only file, at most once
    per this many seconds (default 3600; 0: after every erasure), so that erased values
    leave the disk within it plus 30 s and one rewrite (docs/security.md, "Erasure").
``ONSITE_AUDIT_CHECKPOINT_S``
    An audit append also writes a signed checkpoint to ``VAR_DIR/audit-checkpoints.jsonl``
    when the process's last one is this many seconds old (default 60; docs/security.md).
``PROMETHEUS_MULTIPROC_DIR``
    Directory where each gunicorn worker writes its Prometheus values (set and cleared by
    ``gunicorn.conf.py``); ``/metrics`` sums them. Unset: one process's own metrics.
``ONSITE_METRICS_TOKEN``
    Bearer token (at least 16 characters) that ``/metrics`` requires. Unset: ``/metrics``
    answers only clients on loopback or private addresses.
``ONSITE_READY_MERCHANTS``
    Comma-separated client ids whose configuration and campaigns must load for ``/readyz``
    to answer 200 (loading them also warms the worker's cache). Default ``demo``.
``ONSITE_RPC_LEAN_RENDER``
    ``1`` (default) serves single ``placements.render`` calls, and placement shells asked
    for their first render, through lean dispatches in front of Flask with the same wire
    format (see ``docs/serving.md``); ``0`` sends them through flask-jsonrpc and the view.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from limits import parse as parse_limit

from bff.errors import ConfigError
from bff.origins import normalize_origin

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_DEMO_DATA = PACKAGE_DIR / "data" / "demo_merchant.json"
DEFAULT_DEMO_CAMPAIGNS = PACKAGE_DIR / "data" / "demo_campaigns.json"
LOG_LEVELS = ("debug", "info", "warning", "error")
ENVIRONMENTS = ("development", "production")
MIN_SECRET_BYTES = 32


@dataclasses.dataclass(frozen=True)
class Settings:
    """Immutable application configuration.

    Every field has a safe default for local development; ``validate()`` is run by
    ``from_env`` and by ``create_app``, and raises ``ConfigError`` naming the bad field.
    """

    redis_url: str | None = None
    var_dir: Path = PROJECT_DIR / "var"
    public_origin: str = "http://127.0.0.1:5000"
    demo_origin: str = "http://localhost:5000"
    demo_data: Path = DEFAULT_DEMO_DATA
    demo_campaigns: Path = DEFAULT_DEMO_CAMPAIGNS
    log_level: str = "info"
    redis_timeout_s: float = 0.25
    profile_bucket_bits: int = 20
    events_rate_per_ip: str = "50/second"
    events_rate_per_key: str = "2000/second"
    login_rate: str = "10/minute"
    testing: bool = False
    slack_webhook_url: str | None = None
    secret_key: str | None = dataclasses.field(default=None, repr=False)
    metrics_dir: Path | None = None
    metrics_token: str | None = dataclasses.field(default=None, repr=False)
    rpc_lean_render: bool = True
    ready_merchants: tuple[str, ...] = ("demo",)
    environment: str = "development"
    trusted_proxy_hops: int = 0
    consent_rate_per_ip: str = "30/minute"
    consent_rate_per_session: str = "10/minute"
    session_idle_s: int = 1800
    session_absolute_s: int = 43200
    login_lockout_failures: int = 10
    erasure_rewrite_s: int = 3600
    audit_checkpoint_s: int = 60

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Build settings from an environment mapping (``os.environ`` in production)."""
        defaults = cls()
        settings = cls(
            redis_url=environ.get("REDIS_URL") or None,
            var_dir=Path(environ.get("VAR_DIR") or defaults.var_dir),
            public_origin=environ.get("ONSITE_PUBLIC_ORIGIN", defaults.public_origin),
            demo_origin=environ.get("ONSITE_DEMO_ORIGIN", defaults.demo_origin),
            demo_data=Path(environ.get("ONSITE_DEMO_DATA") or defaults.demo_data),
            demo_campaigns=Path(environ.get("ONSITE_DEMO_CAMPAIGNS") or defaults.demo_campaigns),
            log_level=environ.get("ONSITE_LOG_LEVEL", defaults.log_level).lower(),
            profile_bucket_bits=_int(environ, "ONSITE_PROFILE_BUCKET_BITS", defaults.profile_bucket_bits),
            events_rate_per_ip=environ.get("ONSITE_EVENTS_RATE_PER_IP", defaults.events_rate_per_ip),
            events_rate_per_key=environ.get("ONSITE_EVENTS_RATE_PER_KEY", defaults.events_rate_per_key),
            login_rate=environ.get("ONSITE_LOGIN_RATE", defaults.login_rate),
            slack_webhook_url=environ.get("SLACK_WEBHOOK_URL") or None,
            secret_key=environ.get("ONSITE_SECRET_KEY") or None,
            metrics_dir=Path(environ["PROMETHEUS_MULTIPROC_DIR"])
            if environ.get("PROMETHEUS_MULTIPROC_DIR")
            else None,
            metrics_token=environ.get("ONSITE_METRICS_TOKEN") or None,
            rpc_lean_render=_flag(environ, "ONSITE_RPC_LEAN_RENDER", defaults.rpc_lean_render),
            ready_merchants=tuple(
                m.strip() for m in environ.get("ONSITE_READY_MERCHANTS", "demo").split(",") if m.strip()
            ),
            environment=environ.get("ONSITE_ENV", defaults.environment).strip().lower(),
            trusted_proxy_hops=_int(environ, "ONSITE_TRUSTED_PROXY_HOPS", defaults.trusted_proxy_hops),
            consent_rate_per_ip=environ.get("ONSITE_CONSENT_RATE_PER_IP", defaults.consent_rate_per_ip),
            consent_rate_per_session=environ.get(
                "ONSITE_CONSENT_RATE_PER_SESSION", defaults.consent_rate_per_session
            ),
            session_idle_s=_int(environ, "ONSITE_SESSION_IDLE_S", defaults.session_idle_s),
            session_absolute_s=_int(environ, "ONSITE_SESSION_ABSOLUTE_S", defaults.session_absolute_s),
            login_lockout_failures=_int(
                environ, "ONSITE_LOGIN_LOCKOUT_FAILURES", defaults.login_lockout_failures
            ),
            erasure_rewrite_s=_int(environ, "ONSITE_ERASURE_REWRITE_S", defaults.erasure_rewrite_s),
            audit_checkpoint_s=_int(environ, "ONSITE_AUDIT_CHECKPOINT_S", defaults.audit_checkpoint_s),
        )
        settings.validate()
        return settings

    def replace(self, **changes: object) -> Settings:
        """Return a copy with ``changes`` applied (handy in tests)."""
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]

    def validate(self) -> None:
        """Raise ``ConfigError`` for the first invalid field."""
        for name in ("public_origin", "demo_origin"):
            value = getattr(self, name)
            if normalize_origin(value) != value:
                raise ConfigError(
                    f"{name.upper()} must be an origin like 'https://shop.example' "
                    f"(scheme, host and optional port, no path); got {value!r}"
                )
        if self.log_level not in LOG_LEVELS:
            raise ConfigError(
                f"ONSITE_LOG_LEVEL must be one of {', '.join(LOG_LEVELS)}; got {self.log_level!r}"
            )
        if self.environment not in ENVIRONMENTS:
            raise ConfigError(
                f"ONSITE_ENV must be one of {', '.join(ENVIRONMENTS)}; got {self.environment!r}"
            )
        if self.secret_key is not None and len(self.secret_key.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(f"ONSITE_SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes")
        if self.environment == "production" and self.secret_key is None:
            raise ConfigError(
                "ONSITE_SECRET_KEY is required in production (ONSITE_ENV=production): at least "
                f"{MIN_SECRET_BYTES} bytes, e.g. python3 -c 'import secrets; print(secrets.token_hex(32))'"
            )
        if not 0 <= self.trusted_proxy_hops <= 5:
            raise ConfigError("ONSITE_TRUSTED_PROXY_HOPS must be between 0 and 5")
        for name in ("session_idle_s", "session_absolute_s", "login_lockout_failures", "audit_checkpoint_s"):
            if getattr(self, name) < 1:
                raise ConfigError(f"ONSITE_{name.upper()} must be a positive integer")
        if self.erasure_rewrite_s < 0:
            raise ConfigError("ONSITE_ERASURE_REWRITE_S must be 0 or more")
        for name in (
            "events_rate_per_ip",
            "events_rate_per_key",
            "login_rate",
            "consent_rate_per_ip",
            "consent_rate_per_session",
        ):
            try:
                parse_limit(getattr(self, name))
            except ValueError:
                raise ConfigError(f"ONSITE_{name.upper()} must look like '50/second'") from None
        if not 4 <= self.profile_bucket_bits <= 26:
            raise ConfigError("ONSITE_PROFILE_BUCKET_BITS must be between 4 and 26")
        # Imported here: bff.store imports this module.
        from bff.store.cluster_url import ClusterUrlInvalid, is_cluster_url, parse_cluster_url

        url = self.redis_url
        if url is not None and is_cluster_url(url):
            try:
                parse_cluster_url(url)
            except ClusterUrlInvalid as exc:
                raise ConfigError(f"REDIS_URL (a cluster URL) {exc}") from None
        elif url is not None and urlsplit(url).scheme not in ("redis", "rediss", "unix"):
            raise ConfigError("REDIS_URL must start with redis://, rediss://, unix:// or redis+cluster://")
        if self.slack_webhook_url is not None and urlsplit(self.slack_webhook_url).scheme not in (
            "http",
            "https",
        ):
            raise ConfigError("SLACK_WEBHOOK_URL must be an http(s) URL")
        if self.metrics_dir is not None and not self.metrics_dir.is_dir():
            raise ConfigError(
                f"PROMETHEUS_MULTIPROC_DIR must be an existing directory; got {self.metrics_dir}"
            )
        if self.metrics_token is not None and len(self.metrics_token) < 16:
            raise ConfigError("ONSITE_METRICS_TOKEN must be at least 16 characters")


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    raw = (environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw not in ("0", "1", "true", "false", "yes", "no"):
        raise ConfigError(f"{name} must be 1 or 0; got {raw!r}")
    return raw in ("1", "true", "yes")


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer; got {raw!r}") from None
