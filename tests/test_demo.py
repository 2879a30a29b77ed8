"""The demo seed: its campaigns are saved like any other, so bad copy stops the start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bff import create_app
from bff.errors import InvalidDocument
from bff.settings import DEFAULT_DEMO_CAMPAIGNS, Settings


def test_demo_campaigns_with_bad_copy_are_refused(settings: Settings, tmp_path: Path) -> None:
    docs = json.loads(DEFAULT_DEMO_CAMPAIGNS.read_text(encoding="utf-8"))
    docs[0]["id"] = "seeded-with-bad-copy"
    docs[0]["copy"] = {"en": {"strip": "Shop now: {{ installments }} payments, {foo}"}}
    file = tmp_path / "campaigns.json"
    file.write_text(json.dumps(docs[:1]), encoding="utf-8")
    with pytest.raises(InvalidDocument) as raised:
        create_app(settings.replace(demo_campaigns=file))
    assert [p["path"] for p in raised.value.problems] == ["copy.en.strip"]
    assert raised.value.problems[0]["message"].startswith("uses the old template syntax")
