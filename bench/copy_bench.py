"""Merchant copy: the compiled message format against the sandboxed Jinja2 path it replaced.

Per render of one text (µs), median of 7 runs, side by side with the ratio: the demo
campaign's strip copy, the built-in badge copy, and a plural (Jinja: ``{% if %}``). The
old path is rebuilt here as it was (an ``ImmutableSandboxedEnvironment`` with autoescape,
templates cached by source, ``Markup(template.render(**variables))``). Also per compile
(the new format compiles once per configuration version, Jinja once per process), and
the hostile loop that used to stall renders: what a render of it cost then (with smaller
ranges than the 10,000 x 10,000 of the report) and what refusing it at save costs now.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

from bff.personalization.copy import CopyMessage, render_copy
from bff.personalization.copy_fields import compile_copy_text

RUNS = 7
CALLS = 20_000
VARIABLES = {
    "installments": 4,
    "installment": "£24.75",
    "total": "£99.00",
    "days": 30,
    "months": 12,
    "monthly": "£8.25",
    "apr": "19.9%",
    "first_name": "",
    "place": "",
}
TEXTS = [  # (label, text name, current format, Jinja as before)
    (
        "demo strip",
        "strip",
        "Shop now, pay later: {installments} interest-free payments with no fees",
        "Shop now, pay later: {{ installments }} interest-free payments with no fees",
    ),
    (
        "built-in badge",
        "badge",
        "Pay in {installments} interest-free payments of <strong>{installment}</strong>",
        "Pay in {{ installments }} interest-free payments of <strong>{{ installment }}</strong>",
    ),
    (
        "plural",
        "badge",
        "{installments, plural, one {# payment} other {# payments}} of <strong>{installment}</strong>",
        "{{ installments }} {% if installments == 1 %}payment{% else %}payments{% endif %} "
        "of <strong>{{ installment }}</strong>",
    ),
]
LOOPS = "{% for i in range(N) %}{% for j in range(N) %}{% endfor %}{% endfor %}"

_environment = ImmutableSandboxedEnvironment(autoescape=True)


@lru_cache(maxsize=1024)
def _jinja_template(source: str) -> Any:
    return _environment.from_string(source)


def jinja_render(source: str, variables: dict[str, Any]) -> str:
    """The old ``render_copy``: cached compile, sandboxed autoescaped render."""
    return str(Markup(_jinja_template(source).render(**variables)))


def compiled(name: str, source: str) -> CopyMessage:
    message = compile_copy_text(name, source)
    assert isinstance(message, CopyMessage), message
    return message


def per_call_us(fn: Callable[[], object], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - start) / calls * 1e6


def median_us(fn: Callable[[], object], calls: int = CALLS) -> float:
    fn()  # warm caches (Jinja's template cache, Babel's plural rules)
    return statistics.median(per_call_us(fn, calls) for _ in range(RUNS))


def main() -> None:
    print(f"render one text, median of {RUNS} runs x {CALLS} calls")
    print(f"  {'text':<16}{'message format':>16}{'Jinja (before)':>16}{'ratio':>8}")
    for label, name, current, jinja in TEXTS:
        message = compiled(name, current)
        assert render_copy(message, VARIABLES, "en-GB") == jinja_render(jinja, VARIABLES), label
        new = median_us(lambda message=message: render_copy(message, VARIABLES, "en-GB"))
        old = median_us(lambda jinja=jinja: jinja_render(jinja, VARIABLES))
        print(f"  {label:<16}{new:>13.2f} µs{old:>13.2f} µs{old / new:>7.1f}x")

    print(f"\ncompile one text (uncached), median of {RUNS} runs x 500 calls")
    label, name, current, jinja = TEXTS[1]
    new = median_us(lambda: compile_copy_text(name, current), 500)
    old = median_us(lambda: _environment.from_string(jinja), 500)
    print(f"  {label:<16}{new:>13.1f} µs{old:>13.1f} µs{old / new:>7.1f}x")

    print("\nthe nested loop template of the report (N = 10000)")
    for n in (100, 300, 1000):
        source = LOOPS.replace("N", str(n))
        start = time.perf_counter()
        jinja_render(source, VARIABLES)
        print(f"  before: one render with N = {n:>4}: {(time.perf_counter() - start) * 1e3:9.1f} ms")
    source = LOOPS.replace("N", "10000")
    refused = median_us(lambda: compile_copy_text("badge", source), 500)
    print(f"  now: refused when saved, N = 10000: {refused:9.1f} µs; never rendered")


if __name__ == "__main__":
    main()
