"""The render path of one placement: read (one pipeline), decide (pure), write back, build the view.

Redis round trips: one pipeline reads the configuration version and the visit's sticky
state (plus the day's auto-open count for interstitials). The configuration itself comes
from the in-process cache unless its version moved. A second round trip writes the
state only when it changed. When Redis fails mid-way, a cached configuration still
renders (without stickiness) rather than failing the placement.

Personal data: a shopper's profile is read only for a customer token that verifies
against the merchant's active identity secrets of the configuration just loaded (so a
revoked secret is refused from the next render on), with consent in the request; the
profile is then used only if it records the shopper's consent too. That read is one
more round trip, for verified shoppers only. An unsigned ``customer_ref`` is ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import redis
import structlog

from bff.decisions.decide import PlacementContext, ShopperProfile, decide
from bff.errors import ServiceUnavailable, StoreUnavailable, UnknownClient
from bff.identity.tokens import Rejected
from bff.identity.verifier import IdentityVerifier
from bff.personalization.brand import with_brand
from bff.personalization.merchant_content import delivery_options, recommend
from bff.personalization.profile import Profile
from bff.personalization.view_cache import ViewCache, view_key
from bff.personalization.view_model import PersonalTouch, build_view_model, empty_result
from bff.store import keys
from bff.store.merchant_config import MerchantConfig, MerchantConfigStore
from bff.store.profiles import ProfileStore
from bff.store.session_decisions import SessionDecisionStore, SessionState

log = structlog.get_logger(__name__)

PERSONALIZATION = "personalization"
NO_MARKET = "no_market_for_locale"


@dataclass(frozen=True)
class RenderRequest:
    """Validated params of ``placements.render``."""

    client_id: str
    placement_key: str
    locale: str
    purchase_amount: int
    session_id: str
    currency: str | None = None
    country: str | None = None
    theme: str = "default"
    view: str = "placement"
    page_type: str = "product"
    returning: bool = False
    device: str = "desktop"
    customer_token: str | None = None
    consent: bool = False

    @property
    def wants_profile(self) -> bool:
        """Only a consented shopper with a token is ever checked (and, if verified, read)."""
        return self.consent and self.customer_token is not None


class PlacementRenderer:
    """Renders placements; ``clock`` returns an aware UTC datetime (tests pass their own)."""

    def __init__(
        self,
        configs: MerchantConfigStore,
        sessions: SessionDecisionStore,
        profiles: ProfileStore,
        identity: IdentityVerifier,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        views: ViewCache | None = None,
    ) -> None:
        self.configs = configs
        self.sessions = sessions
        self.profiles = profiles
        self.identity = identity
        self.clock = clock
        self.views = views or ViewCache()

    def render(self, request: RenderRequest) -> dict[str, Any]:
        """The view model of one placement (shared when not personalized: do not mutate it)."""
        now = self.clock()
        today = now.date().isoformat()
        config, state, day_count = self._read(request, today)
        merchant = config.merchant
        currency = request.currency or merchant.currencies.get(request.locale)
        if currency is None:
            # The merchant does not sell in this locale's market: nothing to show (and no
            # token checked, no profile read), and the widget tells the merchant why.
            return empty_result(request.placement_key, request.locale, NO_MARKET)
        customer_ref = self._verified_ref(request, config, now) if request.wants_profile else None
        profile = self._consented_profile(request.client_id, customer_ref) if customer_ref else None
        context = PlacementContext(
            client_id=request.client_id,
            placement_key=request.placement_key,
            placement_type=merchant.placements.get(request.placement_key),
            locale=request.locale,
            country=request.country or merchant.countries.get(request.locale) or _region(request.locale),
            currency=currency,
            purchase_amount=request.purchase_amount,
            session_id=request.session_id,
            device=request.device,
            page_type=request.page_type,
            returning=request.returning,
            auto_opens_session=state.auto_opens if state else 0,
            auto_opens_day=day_count,
        )
        shopper = (
            ShopperProfile(profile.interests, profile.preferred_payment_method or None) if profile else None
        )
        decision = decide(context, shopper, config.campaigns, state.picks if state else (), now)
        if state is not None:
            self._write_back(request, state, decision.picks, decision.auto_open, today, customer_ref)
        today_date = now.date()
        if profile is not None:
            personal = _personal_touch(profile, config)
            view = build_view_model(context, decision, request.theme, today_date, request.view, personal)
            return with_brand(view, merchant.brand)
        return self.views.get(
            view_key(config.version, context, decision, request.theme, today_date, request.view),
            lambda: with_brand(
                build_view_model(context, decision, request.theme, today_date, request.view), merchant.brand
            ),
        )

    def _read(self, request: RenderRequest, today: str) -> tuple[MerchantConfig, SessionState | None, int]:
        """Configuration, sticky state (None when Redis failed) and today's auto-open count:
        one pipeline, one round trip."""
        try:
            with self.configs.client.pipeline(transaction=False) as pipe:
                pipe.get(keys.config_version_key(request.client_id))
                self.sessions.queue_read(pipe, request.client_id, request.session_id)
                self.sessions.queue_day_count(pipe, request.client_id, request.session_id, today)
                raw_version, raw_state, raw_day = pipe.execute()
            config = self.configs.load(request.client_id, int(raw_version or 0))
            state: SessionState | None = SessionState.from_json(raw_state)
            day_count = int(raw_day or 0)
        except (redis.RedisError, StoreUnavailable) as exc:
            log.warning("render.store_unavailable", error=type(exc).__name__)
            config, state, day_count = self.configs.cached(request.client_id), None, 0
            if config is None:
                raise ServiceUnavailable() from exc
        if config is None or config.merchant.disabled:
            # A disabled merchant is answered as an unknown one: nothing renders, and the
            # answer does not tell a page that the id exists (docs/merchants.md).
            raise UnknownClient(request.client_id)
        return config, state, day_count

    def _verified_ref(self, request: RenderRequest, config: MerchantConfig, now: dt.datetime) -> str | None:
        """The customer ref of a token that verifies now against the merchant's active secrets."""
        assert request.customer_token is not None
        verdict = self.identity.verify(
            request.customer_token, request.client_id, config.identity_secret_ids, now.timestamp()
        )
        if isinstance(verdict, Rejected):
            # No token and no ref in the log: only why it was refused.
            log.debug("render.token_rejected", client_id=request.client_id, reason=verdict.reason)
            return None
        return verdict.customer_ref

    def _consented_profile(self, client_id: str, customer_ref: str) -> Profile | None:
        """The stored profile, if it records the shopper's consent to personalization."""
        try:
            profile = self.profiles.get(client_id, customer_ref)
        except StoreUnavailable as exc:
            log.warning("render.profile_unavailable", error=type(exc).__name__)
            return None
        return profile if profile is not None and PERSONALIZATION in profile.consent else None

    def _write_back(
        self,
        request: RenderRequest,
        state: SessionState,
        picks: tuple[Any, ...],
        auto_open: bool,
        today: str,
        customer_ref: str | None,
    ) -> None:
        identify = customer_ref is not None and not state.identified
        new_state = replace(
            state,
            picks=picks,
            auto_opens=state.auto_opens + (1 if auto_open else 0),
            identified=state.identified or identify,
        )
        if new_state == state:
            return
        try:
            self.sessions.write(
                request.client_id,
                request.session_id,
                new_state,
                (request.session_id, today) if auto_open else None,
                customer_ref if identify else None,
            )
        except redis.RedisError as exc:
            # Stickiness is best effort: the shopper still gets this render.
            log.warning("render.session_write_failed", error=type(exc).__name__)


def _personal_touch(profile: Profile, config: MerchantConfig) -> PersonalTouch:
    """Greeting, recommendations and delivery options from a consented profile."""
    return PersonalTouch(
        first_name=profile.first_name,
        place=profile.city or profile.country,
        recommendations=tuple(recommend(config.catalogue, profile.interests)),
        delivery=tuple(delivery_options(config.delivery, profile.country, profile.city)),
    )


def _region(locale: str) -> str | None:
    parts = locale.split("-")
    return parts[-1] if len(parts) > 1 and len(parts[-1]) == 2 else None
