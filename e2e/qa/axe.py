"""axe-core (npm) injected into one document and run there: its serious and critical
violations that persist. Used by the QA matrix (widget frames) and the console's suite."""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from e2e.qa.browser_tab import Scope

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING_IMPACTS = ("serious", "critical")
AXE_RECHECK_S = 0.5
# One document at a time (iframes: false): a widget frame is checked as a document of its
# own, and a console page without its preview frames (the QA matrix checks the frames).
RUN_AXE = """() => axe.run(document, {resultTypes: ['violations'], iframes: false}).then((r) =>
  r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))})))"""


@cache
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run npm ci (axe-core is a devDependency)")
    return AXE.read_text(encoding="utf-8")


def axe_violations(scope: Scope) -> list[dict[str, Any]]:
    """Serious and critical axe violations of the document in ``scope`` that persist.

    A violation counts when a second run, half a second later, finds it again: a user
    meets the settled page. WebKit once reported a colour contrast failure on the dialog's
    intro that no later run, and no other engine, reproduced (a frame not composited yet);
    such a transient finding is printed, not failed on.
    """
    if not scope.evaluate("() => typeof axe === 'object'"):
        scope.evaluate("() => {\n" + axe_source() + "\nreturn typeof axe;\n}")
    first = _blocking(scope.evaluate(RUN_AXE))
    if not first:
        return []
    time.sleep(AXE_RECHECK_S)
    first_ids = {v["id"] for v in first}
    persistent = [v for v in _blocking(scope.evaluate(RUN_AXE)) if v["id"] in first_ids]
    transient = sorted(first_ids - {v["id"] for v in persistent})
    if transient:
        print(f"{scope.description}: transient axe findings, gone on a second run: {transient}")
    return persistent


def _blocking(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["impact"] in BLOCKING_IMPACTS]
