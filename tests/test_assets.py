"""bff/assets.py: the built scripts a page may inline."""

from __future__ import annotations

from pathlib import Path

import pytest

from bff.assets import inline_asset
from bff.errors import ConfigError


def test_inline_asset_is_the_files_exact_text(tmp_path: Path) -> None:
    (tmp_path / "boot-0123456789ab.js").write_bytes("(()=>{/* £ */})();\n".encode())
    assert inline_asset("boot-0123456789ab.js", tmp_path) == "(()=>{/* £ */})();\n"


@pytest.mark.parametrize("text", ['x="</script>"', 'x="</SCRIPT "', "x=1<!--y"])
def test_a_script_that_would_end_its_element_is_a_build_bug(tmp_path: Path, text: str) -> None:
    (tmp_path / "boot.js").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be inlined"):
        inline_asset("boot.js", tmp_path)


def test_a_missing_script_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="npm run build"):
        inline_asset("boot-missing.js", tmp_path)
