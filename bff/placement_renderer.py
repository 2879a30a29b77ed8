"""The render path of one placement: read (one pipeline), decide (pure), write back, build the view.

Redis round trips: one pipeline reads the configuration version and the visit's sticky
state (plus the day's auto-open count). The configuration itself comes from the
in-process cache unless its version moved. A second round trip writes the state only
when it changed. When Redis fails mid-way, a cached configuration still renders
(without stickiness, unless a visit token carries it) rather than failing the placement.

Visit tokens (``bff.visit_token``): a showing render's result carries ``visit_token``,
the visit's state signed for this visit and configuration version. A render that sends
back a valid one for the current version reads neither the state nor the day's count:
its pipeline holds the version alone. The token is trusted only for renders it cannot
change: not for placements of type ``interstitial`` (their frequency caps count in
Redis, and an older token of the same visit could be replayed to reset them), and when
the decision would store something new (a new pick, an identification), the state is
read from Redis and the decision made again, so a token never changes what is stored.
A token that is missing, malformed, forged, expired, signed for another visit or
merchant, with an unknown key id, or from another configuration version is ignored.

The write-back of a state that only gained a pick goes to ``BackgroundWrites`` when one
is given: the reply does not wait for it. Safe because the reply's token carries the
same state, so the visit's next renders do not depend on the write having landed; when
it fails (logged), the visit's picks are recomputed after the token expires, and picks
are a stable hash of the visit, so they come out the same unless the campaigns changed.
Writes that count an auto-open (a frequency cap) or index an identified visit (GDPR
export and erasure) stay synchronous.

Personal data: a shopper's profile is read only for a customer token that verifies
against the merchant's active identity secrets of the configuration just loaded (so a
revoked secret is refused from the next render on), with consent in the request; the
profile is then used only if it records the shopper's consent too. When the configuration
is known current (its version pushed), the token is verified before the read and the
profile joins the read pipeline; otherwise the profile is one more round trip, after the
configuration is loaded. Verified shoppers only either way. An unsigned ``customer_ref``
is ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import redis
import structlog

from bff.decisions.decide import Decision, PlacementContext, ShopperProfile, decide
from bff.decisions.merchant import Merchant
from bff.errors import ServiceUnavailable, StoreUnavailable, UnknownClient
from bff.identity.tokens import Rejected
from bff.identity.verifier import IdentityVerifier
from bff.personalization.brand import with_brand
from bff.personalization.merchant_content import delivery_options, recommend
from bff.personalization.profile import Profile
from bff.personalization.view_cache import ViewCache, view_key
from bff.personalization.view_model import PersonalTouch, build_view_model, empty_result
from bff.store import keys
from bff.store.background_writes import BackgroundWrites
from bff.store.merchant_config import MerchantConfig, MerchantConfigStore
from bff.store.profiles import ProfileStore
from bff.store.session_decisions import SessionDecisionStore, SessionState
from bff.visit_token import VisitClaims, VisitTokens

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
    visit_token: str | None = None

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
        tokens: VisitTokens | None = None,
        writes: BackgroundWrites | None = None,
    ) -> None:
        self.configs = configs
        self.sessions = sessions
        self.profiles = profiles
        self.identity = identity
        self.clock = clock
        self.views = views or ViewCache()
        self.tokens = tokens
        self.writes = writes

    def render(self, request: RenderRequest) -> dict[str, Any]:
        """The view model of one placement (shared when not personalized: do not mutate it)."""
        now = self.clock()
        today = now.date().isoformat()
        claims = self._claims(request, now)
        fresh = self.configs.fresh(request.client_id)
        # With the configuration known current, the customer token is verified before the
        # read, so the profile joins the read pipeline (one round trip instead of two).
        early_ref = self._early_ref(request, fresh, now)
        config, state, day_count, trusted, raw_profile = self._read(request, today, claims, fresh, early_ref)
        merchant = config.merchant
        currency = _currency(request, merchant)
        if currency is None:
            # The merchant does not sell in this locale's market: nothing to show (and no
            # token checked, no profile read), and the widget tells the merchant why.
            return empty_result(request.placement_key, request.locale, NO_MARKET)
        if early_ref is not None:
            customer_ref = early_ref or None
            profile = _consented(self.profiles.decode(early_ref, raw_profile)) if early_ref else None
        else:
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
        if trusted and state is not None and _next_state(state, decision, customer_ref) != state:
            # The token may only spare reads: what is stored changes from Redis's state.
            trusted = False
            state, day_count = self._read_state(request, today)
            context = replace(
                context, auto_opens_session=state.auto_opens if state else 0, auto_opens_day=day_count
            )
            decision = decide(context, shopper, config.campaigns, state.picks if state else (), now)
        token = None
        if state is not None:
            new_state = _next_state(state, decision, customer_ref)
            if not trusted:
                self._write_back(request, state, new_state, decision.auto_open, today, customer_ref)
            token = request.visit_token if trusted else self._issue(request, new_state, config, now)
        today_date = now.date()
        # The view model without a personal touch, cached; a personalized one is built from
        # it (its parts that read no personal value are reused: build_view_model's ``shared``).
        shared = self.views.get(
            view_key(config.version, context, decision, request.theme, today_date, request.view),
            lambda: with_brand(
                build_view_model(context, decision, request.theme, today_date, request.view), merchant.brand
            ),
            observe=profile is None,
        )
        if profile is not None:
            personal = _personal_touch(profile, config)
            view = build_view_model(
                context, decision, request.theme, today_date, request.view, personal, shared
            )
            return _with_token(with_brand(view, merchant.brand), token)
        return _with_token(shared, token)

    def _claims(self, request: RenderRequest, now: dt.datetime) -> VisitClaims | None:
        """The request's visit token's claims, when it verifies for this visit (else None)."""
        if self.tokens is None or request.visit_token is None:
            return None
        verdict = self.tokens.verify(
            request.visit_token, request.client_id, request.session_id, now.timestamp()
        )
        if isinstance(verdict, VisitClaims):
            return verdict
        # The reason only: the token is a bearer of the visit's state, never logged.
        log.debug("render.visit_token_ignored", reason=verdict.reason)
        return None

    def _issue(
        self, request: RenderRequest, state: SessionState, config: MerchantConfig, now: dt.datetime
    ) -> str | None:
        if self.tokens is None:
            return None
        return self.tokens.issue(
            request.client_id, request.session_id, state, config.version, now.timestamp()
        )

    def _early_ref(
        self, request: RenderRequest, fresh: MerchantConfig | None, now: dt.datetime
    ) -> str | None:
        """The verified customer ref when it can be known before the read: ``None`` when not
        checked yet (no token, no fresh configuration, or no market for the locale), else the
        ref, or ``""`` when the token was checked and refused."""
        if fresh is None or not request.wants_profile:
            return None
        if _currency(request, fresh.merchant) is None:
            return None
        return self._verified_ref(request, fresh, now) or ""

    def _read(
        self,
        request: RenderRequest,
        today: str,
        claims: VisitClaims | None,
        fresh: MerchantConfig | None,
        profile_ref: str | None,
    ) -> tuple[MerchantConfig, SessionState | None, int, bool, bytes | None]:
        """Configuration, sticky state (None when Redis failed), today's auto-open count,
        whether the state came from the visit token, and the stored profile of
        ``profile_ref`` (when one is given): one pipeline, one round trip (two when a token
        that looked usable turns out not to be)."""
        skip_state = claims is not None and self._may_trust(
            request, claims, self.configs.cached(request.client_id)
        )
        # The configuration's version is read only when it is not known fresh (pushed by
        # pub/sub, bff/store/config_version_watch.py); a pipeline left empty costs no round trip.
        try:
            read_at = self.configs.version_read_started()
            with self.configs.client.pipeline(transaction=False) as pipe:
                if fresh is None:
                    pipe.get(keys.config_version_key(request.client_id))
                if not skip_state:
                    self.sessions.queue_read(pipe, request.client_id, request.session_id)
                    self.sessions.queue_day_count(pipe, request.client_id, request.session_id, today)
                if profile_ref:
                    self.profiles.queue_read(pipe, request.client_id, profile_ref)
                replies = pipe.execute()
            config = fresh or self.configs.load(request.client_id, int(replies.pop(0) or 0), read_at)
        except (redis.RedisError, StoreUnavailable) as exc:
            log.warning("render.store_unavailable", error=type(exc).__name__)
            config = self.configs.cached(request.client_id)
            if config is None:
                raise ServiceUnavailable() from exc
            # Redis is away: a valid token still keeps the visit's messages consistent.
            trusted = claims is not None and self._may_trust(request, claims, config)
            state = claims.state if trusted and claims else None
            return self._checked(request, config), state, 0, trusted, None
        config = self._checked(request, config)
        raw_profile = replies.pop() if profile_ref else None
        if not skip_state:
            return config, SessionState.from_json(replies[0]), int(replies[1] or 0), False, raw_profile
        if claims is not None and self._may_trust(request, claims, config):
            return config, claims.state, 0, True, raw_profile
        state, day_count = self._read_state(request, today)
        return config, state, day_count, False, raw_profile

    def _may_trust(self, request: RenderRequest, claims: VisitClaims, config: MerchantConfig | None) -> bool:
        """A verified token stands for Redis's state at its configuration version, for a
        placement without frequency caps."""
        return (
            config is not None
            and claims.version == config.version
            and config.merchant.placements.get(request.placement_key) != "interstitial"
        )

    def _read_state(self, request: RenderRequest, today: str) -> tuple[SessionState | None, int]:
        """The visit's state and today's auto-open count alone (None, 0 when Redis failed)."""
        try:
            with self.configs.client.pipeline(transaction=False) as pipe:
                self.sessions.queue_read(pipe, request.client_id, request.session_id)
                self.sessions.queue_day_count(pipe, request.client_id, request.session_id, today)
                raw_state, raw_day = pipe.execute()
        except redis.RedisError as exc:
            log.warning("render.store_unavailable", error=type(exc).__name__)
            return None, 0
        return SessionState.from_json(raw_state), int(raw_day or 0)

    @staticmethod
    def _checked(request: RenderRequest, config: MerchantConfig | None) -> MerchantConfig:
        if config is None or config.merchant.disabled:
            # A disabled merchant is answered as an unknown one: nothing renders, and the
            # answer does not tell a page that the id exists (docs/merchants.md).
            raise UnknownClient(request.client_id)
        return config

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
            return _consented(self.profiles.get(client_id, customer_ref))
        except StoreUnavailable as exc:
            log.warning("render.profile_unavailable", error=type(exc).__name__)
            return None

    def _write_back(
        self,
        request: RenderRequest,
        state: SessionState,
        new_state: SessionState,
        auto_open: bool,
        today: str,
        customer_ref: str | None,
    ) -> None:
        if new_state == state:
            return
        identify = new_state.identified and not state.identified

        def write() -> None:
            self.sessions.write(
                request.client_id,
                request.session_id,
                new_state,
                (request.session_id, today) if auto_open else None,
                customer_ref if identify else None,
            )

        if self.writes is not None and not auto_open and not identify:
            self.writes.submit(write)
            return
        try:
            write()
        except redis.RedisError as exc:
            # Stickiness is best effort: the shopper still gets this render.
            log.warning("render.session_write_failed", error=type(exc).__name__)


def _currency(request: RenderRequest, merchant: Merchant) -> str | None:
    """The render's currency: the request's, else the merchant's for its locale (None: no market)."""
    return request.currency or merchant.currencies.get(request.locale)


def _consented(profile: Profile | None) -> Profile | None:
    """``profile`` if it records the shopper's consent to personalization, else None."""
    return profile if profile is not None and PERSONALIZATION in profile.consent else None


def _next_state(state: SessionState, decision: Decision, customer_ref: str | None) -> SessionState:
    """The visit's state after ``decision`` (equal to ``state`` when nothing is to be stored)."""
    return replace(
        state,
        picks=decision.picks,
        auto_opens=state.auto_opens + (1 if decision.auto_open else 0),
        identified=state.identified or customer_ref is not None,
    )


def _with_token(view: dict[str, Any], token: str | None) -> dict[str, Any]:
    """The view with the visit token, for results that show something (a copy: views are shared)."""
    if token is None or view.get("kind") == "empty":
        return view
    return {**view, "visit_token": token}


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
