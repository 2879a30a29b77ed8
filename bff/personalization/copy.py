"""Merchant-authored copy, rendered by a sandboxed, autoescaping Jinja2 environment.

Templates are trusted for their markup (a merchant may write ``<strong>``), never for
code: the sandbox blocks attribute access to internals, and every variable is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import TemplateError, Undefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup

_environment = ImmutableSandboxedEnvironment(autoescape=True, undefined=Undefined)


@lru_cache(maxsize=1024)
def _compile(source: str) -> Any:
    return _environment.from_string(source)


def render_copy(source: str, variables: Mapping[str, Any]) -> Markup | None:
    """Render ``source`` with ``variables``; None when the template is broken.

    A missing variable renders as empty text; a syntax or sandbox error returns None so
    that the caller can fall back to generic copy instead of failing the render.
    """
    try:
        # The sandboxed, autoescaping environment produced this markup: safe by construction.
        return Markup(_compile(source).render(**variables))  # noqa: S704
    except TemplateError:
        return None


def pick_copy(copy: Mapping[str, Mapping[str, str]], locale: str) -> Mapping[str, str]:
    """The copy for ``locale``: the exact tag, else its language, else nothing.

    There is deliberately no fallback to another language: the built-in catalogue in the
    shopper's language is better than a merchant's text in the wrong one.
    """
    language = locale.split("-", 1)[0]
    return copy.get(locale) or copy.get(language) or {}
