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
``ONSITE_LOG_LEVEL``
    ``debug``, ``info`` (default), ``warning`` or ``error``.
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
    testing: bool = False

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
        if self.redis_url is not None and urlsplit(self.redis_url).scheme not in ("redis", "rediss", "unix"):
            raise ConfigError("REDIS_URL must start with redis://, rediss:// or unix://")
