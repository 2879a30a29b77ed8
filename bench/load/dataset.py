"""The load benchmark's data: 50 merchants x 20 campaigns, 1M profiles, and a request mix.

``load(client, profiles, var_dir)`` fills a Redis (through the app's own stores, so keys
and encodings are the production ones, and profiles under the ref pseudonym key that app
processes with ``VAR_DIR=var_dir`` use); ``write_requests(path, n, profiles, var_dir)`` writes the wrk
request file (see render.lua for the format). The mix, per request:

* merchant: Zipf-like weights (a few big shops, a long tail);
* placement: 70% product badge, 15% top strip, 10% cart badge, 5% interstitial view;
* locale: the merchant's four markets (en-GB, de-DE, sv-SE, en-US), page type (70%
  product, 20% cart, 10% checkout), returning-shopper flag (30%);
* amount (minor units, 5-3,000 in the market's currency): on a product page, the price of
  one of the merchant's 200 products (Zipf-like popularity), since every shopper on a
  product page sees its one price; on cart and checkout pages, any basket total;
* identity: 50% signed in with a customer token (a JWT the merchant's server signs with
  the merchant's identity secret, as a real shop does; 90% of them with a stored,
  consented profile, so the render is personalized), 15% with a customer ref alone (which
  the BFF never trusts: no profile is read), 35% anonymous;
* session: 25% new visits (no sticky state yet), 75% back to a visit of the same merchant
  and market opened earlier in the run (render.lua keeps recent visits per merchant/market);
* User-Agent: 60% mobile (iOS, Android), 40% desktop (Chrome, Firefox, Safari).
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import redis

from bff.identity import secrets as identity_secrets
from bff.identity import tokens as customer_tokens
from bff.identity.secrets import IdentitySecret
from bff.identity.verifier import PURPOSE as IDENTITY_PURPOSE
from bff.personalization.profile import Profile
from bff.server_key import load_server_key
from bff.settings import PACKAGE_DIR, Settings
from bff.store.campaigns import CampaignRepository
from bff.store.identity_secrets import IdentitySecretStore
from bff.store.merchant_config import MerchantConfigStore
from bff.store.profiles import ProfileStore

MERCHANTS = 50
CAMPAIGNS_PER_MERCHANT = 20
PROFILE_BUCKET_BITS = 20  # the app's default, so the app reads what we wrote
PRODUCTS_PER_MERCHANT = 200
SESSION_MARK = "S" * 32  # where render.lua puts the session id
MARKETS = [("en-GB", "GB", "GBP"), ("de-DE", "DE", "EUR"), ("sv-SE", "SE", "SEK"), ("en-US", "US", "USD")]
PLACEMENTS = {
    "credit-badge": "badge",
    "top-strip": "strip",
    "cart-badge": "badge",
    "learn-more": "interstitial",
}
INTERESTS = ["home", "garden", "kitchen", "textiles", "lighting", "outdoor", "kids", "furniture"]
FIRST = ["Anna", "Lars", "Sofia", "Mateo", "Élodie", "Jan", "Aisha", "Noah", "Mia", "Oskar", "Zofia", "Liam"]
CITIES = {"GB": "London", "DE": "Berlin", "SE": "Stockholm", "US": "Chicago"}
USER_AGENTS = [
    (0.35, "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Version/17.4 Mobile/15E148 Safari/604.1"),
    (0.25, "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0.0.0 Mobile Safari/537.36"),
    (0.25, "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0.0.0 Safari/537.36"),
    (0.10, "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0"),
    (0.05, "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
           "Version/17.4 Safari/605.1.15"),
]  # fmt: skip


def merchant_id(i: int) -> str:
    return f"m{i:02d}"


def profiles_per_merchant(total: int) -> int:
    return total // MERCHANTS


def merchant_doc(i: int) -> dict[str, Any]:
    return {
        "client_id": merchant_id(i),
        "name": f"Load test shop {i}",
        "allowed_origins": [f"https://shop{i}.example"],
        "currencies": {locale: currency for locale, _, currency in MARKETS},
        "placements": PLACEMENTS,
    }


def campaign_doc(merchant: int, n: int) -> dict[str, Any]:
    """20 campaigns per merchant: 5 per market, different ranges, audiences, priorities, variants."""
    _, country, currency = MARKETS[n % len(MARKETS)]
    scale = 10 if currency == "SEK" else 1
    audience: dict[str, Any] = {}
    if n % 5 == 1:
        audience["interests"] = [INTERESTS[(merchant + n) % len(INTERESTS)], INTERESTS[n % len(INTERESTS)]]
    if n % 5 == 2:
        audience["devices"] = ["mobile"]
    if n % 5 == 3:
        audience["shopper"] = "returning"
    if n % 5 == 4:
        audience["page_types"] = ["cart", "checkout"]
    return {
        "id": f"c{n:02d}",
        "name": f"Campaign {n} of shop {merchant}",
        "status": "active" if n != 19 else "paused",
        "placements": ["badge", "strip", "interstitial"] if n % 2 == 0 else ["badge"],
        "markets": {"countries": [country]},
        "amount": {"currency": currency, "min": (1000 + 500 * (n % 3)) * scale, "max": 300_000 * scale},
        "schedule": {"timezone": "Europe/Berlin", "start": "2026-01-01T00:00"},
        "audience": audience,
        "priority": (n * 7 + merchant) % 10,
        "frequency_cap": {"per_session": 1, "per_day": 2},
        "variants": [
            {"id": "a", "weight": 50, "lead_option": "pay_in_4"},
            {"id": "b", "weight": 50, "lead_option": "pay_in_30"},
        ],
        "payment_options": [
            {"id": "pay_in_4", "type": "pay_in_n", "installments": 4, "min": 1000 * scale,
             "max": 150_000 * scale},
            {"id": "pay_in_30", "type": "pay_later", "days": 30, "max": 100_000 * scale},
            {"id": "financing_12", "type": "financing", "months": 12, "apr": 19.9, "min": 20_000 * scale},
        ],
        "copy": {"en": {"badge": f"Shop {merchant}: pay in {{installments}} payments of "
                                 "<strong>{installment}</strong>"}},
    }  # fmt: skip


def profile_rows(total: int, seed: int = 1) -> Iterator[tuple[str, Profile]]:
    rng = random.Random(seed)
    today = dt.date(2026, 11, 25)
    per = profiles_per_merchant(total)
    for m in range(MERCHANTS):
        for k in range(per):
            locale, country, _ = MARKETS[k % len(MARKETS)]
            yield (
                merchant_id(m),
                Profile(
                    customer_ref=f"cust-{m:02d}-{k:07d}",
                    first_name=FIRST[k % len(FIRST)],
                    locale=locale,
                    country=country,
                    city=CITIES[country],
                    postcode=f"{rng.randrange(10000, 99999)}",
                    interests=tuple(rng.sample(INTERESTS, rng.randrange(0, 4))),
                    preferred_payment_method=["", "pay_in_n", "pay_later", "financing"][k % 4],
                    consent=frozenset({"personalization"}),
                    updated_at=today,
                ),
            )


def pseudonym_key(var_dir: Path) -> bytes:
    """The ref pseudonym key of the app processes that run with ``VAR_DIR=var_dir`` (and no
    ``ONSITE_SECRET_KEY``): they share the secret generated into that directory."""
    return load_server_key(Settings(var_dir=var_dir, testing=True)).derive("ref-pseudonym")


IDENTITY_SECRET_ID = "0000000000a1"
SECRET_DATE = "2026-01-01T00:00:00Z"
TOKEN_LIFETIME_S = 20 * 3600  # under the verifier's 24 h cap; a run lasts minutes


def identity_secrets_of(var_dir: Path) -> dict[str, str]:
    """Each merchant's identity secret as app processes with ``VAR_DIR=var_dir`` derive it."""
    server_key = load_server_key(Settings(var_dir=var_dir, testing=True))
    identity_key = server_key.derive(IDENTITY_PURPOSE)
    return {
        merchant_id(m): identity_secrets.derive_secret(identity_key, merchant_id(m), IDENTITY_SECRET_ID)
        for m in range(MERCHANTS)
    }


def _with_bench_secret(records: Sequence[IdentitySecret]) -> list[IdentitySecret]:
    return identity_secrets.create(records, IDENTITY_SECRET_ID, SECRET_DATE)


def load(client: redis.Redis, profiles: int, var_dir: Path) -> None:
    """Store merchants, campaigns, catalogue, delivery and ``profiles`` profiles, the profiles
    findable by app processes with ``VAR_DIR=var_dir``."""
    configs = MerchantConfigStore(client)
    campaigns = CampaignRepository(client)
    catalogue = json.loads((PACKAGE_DIR / "data" / "demo_catalogue.json").read_text(encoding="utf-8"))
    delivery = json.loads((PACKAGE_DIR / "data" / "demo_delivery.json").read_text(encoding="utf-8"))
    for m in range(MERCHANTS):
        configs.save_merchant(merchant_doc(m))
        configs.save_catalogue(merchant_id(m), catalogue)
        configs.save_delivery(merchant_id(m), delivery)
        for n in range(CAMPAIGNS_PER_MERCHANT):
            campaigns.create(merchant_id(m), campaign_doc(m, n))
    secrets = IdentitySecretStore(client)
    for m in range(MERCHANTS):
        secrets.change(merchant_id(m), _with_bench_secret)
    store = ProfileStore(client, pseudonym_key(var_dir), PROFILE_BUCKET_BITS)
    batch: dict[str, list[Profile]] = {}
    for client_id, profile in profile_rows(profiles):
        batch.setdefault(client_id, []).append(profile)
        if len(batch[client_id]) >= 5000:
            store.save_many(client_id, batch.pop(client_id), batch=5000)
    for client_id, rest in batch.items():
        store.save_many(client_id, rest, batch=5000)


def write_requests(path: Path, count: int, profiles: int, var_dir: Path, seed: int = 7) -> None:
    """Write ``count`` request lines for render.lua (see the module docstring for the mix);
    customer tokens are signed with the secrets app processes with ``VAR_DIR=var_dir`` derive."""
    rng = random.Random(seed)
    signing = identity_secrets_of(var_dir)
    now_s = int(dt.datetime.now(dt.UTC).timestamp())
    weights = [1 / (rank + 1) ** 0.8 for rank in range(MERCHANTS)]
    agents = [ua for _, ua in USER_AGENTS]
    agent_weights = [w for w, _ in USER_AGENTS]
    per = profiles_per_merchant(profiles)
    keys = list(PLACEMENTS)
    prices = [[rng.randrange(500, 300_000) for _ in range(PRODUCTS_PER_MERCHANT)] for _ in range(MERCHANTS)]
    popularity = [1 / (rank + 1) for rank in range(PRODUCTS_PER_MERCHANT)]
    with path.open("w", encoding="utf-8") as out:
        for _ in range(count):
            m = rng.choices(range(MERCHANTS), weights)[0]
            key = rng.choices(keys, [70, 15, 10, 5])[0]
            locale, _, currency = MARKETS[rng.randrange(len(MARKETS))]
            scale = 10 if currency == "SEK" else 1
            page_type = rng.choices(["product", "cart", "checkout"], [70, 20, 10])[0]
            amount = (
                rng.choices(prices[m], popularity)[0]
                if page_type == "product"
                else rng.randrange(500, 300_000)
            )
            params: dict[str, Any] = {
                "client_id": merchant_id(m),
                "placement_key": key,
                "locale": locale,
                "purchase_amount": amount * scale,
                "session_id": SESSION_MARK,
                "page_type": page_type,
                "returning": rng.random() < 0.3,
            }
            if key == "learn-more":
                params["view"] = "interstitial"
            who = rng.random()
            if who < 0.50:
                known = rng.random() < 0.9
                ref = f"cust-{m:02d}-{rng.randrange(per):07d}" if known else f"new-{rng.randrange(10**9)}"
                client_id = params["client_id"]
                params["customer_token"] = customer_tokens.sign(
                    signing[client_id], client_id, ref, now_s, TOKEN_LIFETIME_S, IDENTITY_SECRET_ID
                )
                params["consent"] = {"personalization": True}
            elif who < 0.65:
                params["customer_ref"] = f"cust-{m:02d}-{rng.randrange(per):07d}"
                params["consent"] = {"personalization": False}
            body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "placements.render", "params": params},
                              ensure_ascii=False, separators=(",", ":"))  # fmt: skip
            before, after = body.split(SESSION_MARK)
            kind = "new" if rng.random() < 0.25 else "back"
            ua = rng.choices(agents, agent_weights)[0]
            visit = f"{params['client_id']}/{locale}"  # a visit stays on one shop and one market
            out.write(f"{kind}\t{ua}\t{visit}\t{before}\t{after}\n")


if __name__ == "__main__":
    # python -m bench.load.dataset REDIS_URL [PROFILES]: seed a Redis for bench/gate --url.
    import sys

    load(redis.Redis.from_url(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 20_000)
