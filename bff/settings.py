"""Configuration: the one place that reads the environment.

``Settings.from_env(os.environ)`` builds the configuration from a mapping;
tests build their own ``Settings(...)`` directly and never touch ``os.environ``.

Environment variables (all optional):

``REDIS_URL``
    ``redis://``, ``rediss://`` or ``unix://`` URL of an existing Redis server.
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
``ONSITE_LOG_LEVEL``
    ``debug``, ``info`` (default), ``warning`` or ``error``.
``SLACK_WEBHOOK_URL``
    Slack incoming webhook that monitoring alerts are posted to. Unset: alerts are kept
    and shown on the dashboard, and each delivery is recorded as ``not_configured``.
``ONSITE_MONITORING_PASSWORD``
    Password of the monitoring dashboard (``/monitoring``), at least 12 characters.
    Unset: the dashboard refuses every login.
``ONSITE_SECRET_KEY``
    Key that signs session cookies (the dashboard login). Unset: a random key per
    process, so logins do not survive a restart; set it when running several processes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from bff.errors import ConfigError
from bff.origins import normalize_origin

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
DEFAULT_DEMO_DATA = PACKAGE_DIR / "data" / "demo_merchant.json"
DEFAULT_DEMO_CAMPAIGNS = PACKAGE_DIR / "data" / "demo_campaigns.json"
LOG_LEVELS = ("debug", "info", "warning", "error")


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
    testing: bool = False
    slack_webhook_url: str | None = None
    monitoring_password: str | None = dataclasses.field(default=None, repr=False)
    secret_key: str | None = dataclasses.field(default=None, repr=False)

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
            slack_webhook_url=environ.get("SLACK_WEBHOOK_URL") or None,
            monitoring_password=environ.get("ONSITE_MONITORING_PASSWORD") or None,
            secret_key=environ.get("ONSITE_SECRET_KEY") or None,
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
        if not 4 <= self.profile_bucket_bits <= 26:
            raise ConfigError("ONSITE_PROFILE_BUCKET_BITS must be between 4 and 26")
        if self.redis_url is not None and urlsplit(self.redis_url).scheme not in ("redis", "rediss", "unix"):
            raise ConfigError("REDIS_URL must start with redis://, rediss:// or unix://")
        if self.slack_webhook_url is not None and urlsplit(self.slack_webhook_url).scheme not in (
            "http",
            "https",
        ):
            raise ConfigError("SLACK_WEBHOOK_URL must be an http(s) URL")
        if self.monitoring_password is not None and len(self.monitoring_password) < 12:
            raise ConfigError("ONSITE_MONITORING_PASSWORD must be at least 12 characters")


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    raw = environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer; got {raw!r}") from None
