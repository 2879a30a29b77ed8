"""GDPR erasure erases: every key of the shopper, then the erased values on disk (AOF rewrite);
the audit record names the shopper by a pseudonym only the server key can compute.

These tests run on a redis-server of their own (AOF on, as embedded), so that its data
directory holds nothing but what they wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from bff.personalization.profile import Profile
from bff.settings import Settings
from bff.store.aof_rewrites import AofRewrites
from bff.store.embedded import EmbeddedRedis
from tests.rpc.test_placements_render import params

TODAY = dt.datetime.now(dt.UTC).date()
ERASED = Profile(
    "gdpr-erased", "Quillonette", "en-GB", "GB", "Vrazhdebnovo", "ZQ7 4XW", ("home",), "pay_later",
    frozenset({"personalization"}), TODAY,
)  # fmt: skip
KEPT = Profile(
    "gdpr-kept", "Marigoldina", "en-GB", "GB", "Tollerbury", "KP3 9QV", (), "",
    frozenset({"personalization"}), TODAY,
)  # fmt: skip
PERSONAL = (b"Quillonette", b"Vrazhdebnovo", b"ZQ7 4XW")
VISITS = ("e" * 32, "f" * 32)
CONSENT = {"personalization": True}


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[EmbeddedRedis]:
    """A redis-server of this test's own, with AOF on, in a fresh directory."""
    server = EmbeddedRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def settings(own_redis: EmbeddedRedis, tmp_path: Path) -> Settings:
    """Settings on that server, rewriting the AOF after every erasure (no batching)."""
    return Settings(
        redis_url=own_redis.url,
        var_dir=tmp_path / "var",
        testing=True,
        log_level="warning",
        erasure_rewrite_s=0,
    )


@pytest.fixture
def raw(own_redis: EmbeddedRedis) -> Iterator[redis.Redis]:
    """A plain client on that server."""
    client = redis.Redis.from_url(own_redis.url)
    yield client
    client.close()


def found_on_disk(directory: Path, needles: tuple[bytes, ...]) -> set[bytes]:
    """Which of ``needles`` occur in any file under ``directory``."""
    found = set()
    for path in directory.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found |= {n for n in needles if n in data}
    return found


def aof_files(server: EmbeddedRedis) -> set[str]:
    """Names of the base and incr files of the multi-part AOF (not its manifest)."""
    return {p.name for p in (server.var_dir / "appendonlydir").iterdir() if not p.name.endswith(".manifest")}


def shopper_with_visits(app, rpc, token_for) -> None:  # type: ignore[no-untyped-def]
    """Load the two profiles; the erased shopper consents and is identified in two visits, the
    first of which auto-opens the interstitial (a day counter)."""
    app.extensions["onsite.profiles"].save_many("demo", [ERASED, KEPT])
    token = token_for(ERASED.customer_ref)
    sheet = rpc(
        "placements.render",
        params(customer_token=token, consent=CONSENT, session_id=VISITS[0], placement_key="learn-more",
               view="interstitial"),
    )["result"]  # fmt: skip
    assert sheet["auto_open"] is True and sheet["greeting"] == "Hi Quillonette!"
    badge = rpc("placements.render", params(customer_token=token, consent=CONSENT, session_id=VISITS[1]))
    assert badge["result"]["text"].startswith("Hi Quillonette!")
    consent = {"client_id": "demo", "session_id": VISITS[1], "personalization": True, "customer_token": token}
    rpc("consent.update", consent)


def test_erasure_leaves_no_erased_value_on_disk(  # type: ignore[no-untyped-def]
    app, rpc, admin_rpc, token_for, own_redis: EmbeddedRedis, raw: redis.Redis
) -> None:
    shopper_with_visits(app, rpc, token_for)
    exported = admin_rpc("profiles.export", {"customer_ref": ERASED.customer_ref})["result"]
    assert exported["sessions"][VISITS[0]]["auto_open_counters"] == {TODAY.isoformat(): 1}
    assert sorted(exported["sessions"]) == list(VISITS)
    assert found_on_disk(own_redis.var_dir, PERSONAL) == set(PERSONAL)
    old_files = aof_files(own_redis)

    # Slow the rewrite down (per key) so that the disk can be read while it runs, and keep the
    # new base file uncompressed so that grep sees every value it holds (KEPT shows it does).
    raw.config_set("rdbcompression", "no")
    raw.config_set("rdb-key-save-delay", 2_000_000 // max(1, raw.dbsize()))  # about 2 s in all
    erased = admin_rpc("profiles.erase", {"customer_ref": ERASED.customer_ref})["result"]
    assert erased["aof_rewrite"] == "started"
    assert erased["removed"] == {"profile": 1, "consent_log": 1, "consent_state": 1, "sessions": 2,
                                 "decisions": 2, "auto_open_counters": 1}  # fmt: skip
    # Deleted in memory, yet still on disk until the rewrite completes: without it, this stays.
    assert found_on_disk(own_redis.var_dir, PERSONAL) == set(PERSONAL)
    raw.config_set("rdb-key-save-delay", 0)

    assert AofRewrites(raw, 0).wait_until_rewritten(timeout_s=60)
    assert found_on_disk(own_redis.var_dir, PERSONAL) == set()
    assert found_on_disk(own_redis.var_dir, (b"Marigoldina", b"Tollerbury")) == {
        b"Marigoldina",
        b"Tollerbury",
    }
    assert old_files and not old_files & aof_files(own_redis)  # the old base and incr files are gone
    # (Only the consent rate limit's one-minute window still names a visit, not the shopper.)
    assert not [k for k in raw.keys("onsite:*") if any(v.encode() in k for v in VISITS)]
    after = admin_rpc("profiles.export", {"customer_ref": ERASED.customer_ref})["result"]
    assert (after["profile"], after["sessions"], after["consent_state"]) == (None, {}, None)


def test_the_audit_record_names_the_shopper_by_a_server_keyed_pseudonym(app, admin_rpc) -> None:  # type: ignore[no-untyped-def]
    admin_rpc("profiles.erase", {"customer_ref": "demo-anna"})
    record = next(
        r for r in reversed(list(app.extensions["onsite.audit"].records())) if r["action"] == "profile.erase"
    )
    pseudonym = record["target"]["ref_hash"]
    assert pseudonym == app.extensions["onsite.profiles"].ref_hash("demo", "demo-anna")
    # Before, anyone knowing the public client id could confirm a guessed ref:
    client_id_keyed = hashlib.blake2b(b"demo-anna", digest_size=12, key=b"demo").hexdigest()
    assert pseudonym != client_id_keyed
    assert "demo-anna" not in json.dumps(record)
    assert record["details"]["aof_rewrite"] == "started"


def test_a_redis_that_refuses_rewrites_still_erases(  # type: ignore[no-untyped-def]
    settings: Settings, own_redis: EmbeddedRedis, raw: redis.Redis
) -> None:
    from bff import create_app

    raw.acl_setuser(
        "managed",
        enabled=True,
        passwords=["+pw"],
        keys=["*"],
        channels=["*"],
        commands=["+@all", "-bgrewriteaof"],
    )
    app = create_app(settings.replace(redis_url=f"unix://managed:pw@{own_redis.socket_path}"))
    app.extensions["onsite.profiles"].save_many("demo", [ERASED])
    with app.app_context():
        from bff.audit.log import actor_cli
        from bff.gdpr import erase_shopper

        erased: dict[str, Any] = erase_shopper("demo", ERASED.customer_ref, actor_cli())
    assert erased["aof_rewrite"] == "refused" and erased["removed"]["profile"] == 1
    assert app.extensions["onsite.profiles"].get("demo", ERASED.customer_ref) is None
    compact = app.test_cli_runner().invoke(args=["profiles", "compact"])
    # From cron, a refusal is a failure the operator hears of.
    assert compact.exit_code == 1 and "AOF rewrite: refused" in compact.output
