"""Campaign copy stored in the old Jinja syntax, converted to the current format where that is exact.

Until docs/copy.md, merchant copy was a Jinja template. A text is taken for the old syntax
only when it does not compile in the current format and contains ``{{``, ``{%`` or
``{#``: a Jinja variable reference never compiles in the current format, while ``{{``
alone can be valid there (``other {{days} days}``), so the current format is tried
first. ``jinja_to_copy`` converts a text whose only template constructs are plain
variable references (``{{ name }}``), keeping every other character as it rendered, and
returns None for anything else (loops, conditions, filters, expressions, comments): those
are not guessed at.

- ``convert_legacy_copy(doc)`` is for documents being imported: old texts that convert
  are converted; the rest are left as written so that validation refuses them with their
  path.
- ``loadable_copy(doc)`` is for documents already stored: the same conversion, then any
  text that still does not compile is removed and reported, so that one old text falls
  back to the built-in copy instead of taking its whole campaign off the site.

Pure: documents in, documents out; the caller logs what was removed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from copy import deepcopy
from typing import Any

from bff.personalization.copy import CopyError
from bff.personalization.copy_fields import compile_copy_text

JINJA_MARKERS = ("{{", "{%", "{#")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_QUOTED_RUN = re.compile(r"[{}][{}']*")


def jinja_to_copy(source: str) -> str | None:
    """``Pay {{ total }} in '{{days}}' days`` -> ``Pay {total} in ''{days}'' days``; None if not exact."""
    out: list[str] = []
    i = 0
    while True:
        starts = [at for at in (source.find(marker, i) for marker in JINJA_MARKERS) if at >= 0]
        if not starts:
            out.append(_literal(source[i:]))
            return "".join(out)
        at = min(starts)
        out.append(_literal(source[i:at]))
        end = source.find("}}", at + 2) if source.startswith("{{", at) else -1
        name = source[at + 2 : end].strip() if end >= 0 else ""
        if not _NAME.fullmatch(name):
            return None
        out.append(f"{{{name}}}")
        i = end + 2


def convert_legacy_copy(doc: Any) -> tuple[Any, list[str]]:
    """A copy of ``doc`` with every convertible old-syntax text converted, and their paths."""
    doc = deepcopy(doc)
    converted = []
    for path, texts, name in _texts(doc):
        new = _converted(name, texts[name])
        if new is not None:
            texts[name] = new
            converted.append(path)
    return doc, converted


def loadable_copy(doc: Any) -> tuple[Any, list[tuple[str, str]]]:
    """``convert_legacy_copy``, then every text that does not compile removed: ``(path, reason)``."""
    doc, _ = convert_legacy_copy(doc)
    removed = []
    for path, texts, name in _texts(doc):
        compiled = compile_copy_text(name, texts[name])
        if isinstance(compiled, CopyError):
            del texts[name]
            removed.append((path, compiled.message))
    return doc, removed


def _converted(name: str, text: Any) -> str | None:
    if not isinstance(text, str) or not any(marker in text for marker in JINJA_MARKERS):
        return None
    if not isinstance(compile_copy_text(name, text), CopyError):
        return None  # already the current format
    return jinja_to_copy(text)


def _literal(text: str) -> str:
    """``text`` quoted so that the copy format reads it back unchanged (apostrophes, braces)."""
    # A quoted run takes in the apostrophes that follow its braces: inside quotes "''" is an
    # apostrophe, so a closing quote followed by an escaped one would read as more text.
    out, last = [], 0
    for run in _QUOTED_RUN.finditer(text):
        out += [text[last : run.start()].replace("'", "''"), "'", run.group().replace("'", "''"), "'"]
        last = run.end()
    out.append(text[last:].replace("'", "''"))
    return "".join(out)


def _texts(doc: Any) -> Iterator[tuple[str, dict[str, Any], str]]:
    """``(path, texts, name)`` of every copy text of a campaign and its variants.

    The list is taken first, so the caller may delete ``texts[name]`` while iterating.
    """
    if not isinstance(doc, dict):
        return
    layers = [("copy", doc.get("copy"))]
    variants = doc.get("variants")
    if isinstance(variants, list):
        layers += [
            (f"variants[{i}].copy", v.get("copy")) for i, v in enumerate(variants) if isinstance(v, dict)
        ]
    found = [
        (f"{path}.{language}.{name}", texts, name)
        for path, copy in layers
        if isinstance(copy, dict)
        for language, texts in copy.items()
        if isinstance(texts, dict)
        for name in texts
    ]
    yield from found
