"""The committed bundles in static/ are exactly what a fresh build of widget/ produces."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from bff.assets import STATIC_DIR
from bff.settings import PROJECT_DIR

BUILD_TIMEOUT_S = 120


def test_committed_bundles_equal_a_fresh_build(tmp_path: Path) -> None:
    subprocess.run(
        ["node", "widget/build.mjs", "--outdir", str(tmp_path)],
        cwd=PROJECT_DIR,
        check=True,
        timeout=BUILD_TIMEOUT_S,
        capture_output=True,
    )
    fresh = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    committed = json.loads((STATIC_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert fresh == committed, "static/ is stale: run 'npm run build' and commit static/"
    for name in ["manifest.json", *fresh.values()]:
        assert (tmp_path / name).read_bytes() == (STATIC_DIR / name).read_bytes(), name
