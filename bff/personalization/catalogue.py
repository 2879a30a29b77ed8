"""Built-in copy per language: used when a campaign has no copy for a text, or its copy fails.

The texts live in ``bff/data/copy/<language>.json``, one file per language::

    {"language": "de", "review": "shipped", "note": "...", "texts": {"cta": "Mehr erfahren", ...}}

They are in the merchant copy format (``copy.py``, docs/copy.md), loaded and compiled once,
at import, with the same placeholder rules as a campaign's copy (``copy_fields.py``):
``installments``, ``installment`` (one regular payment), ``total``, ``days``, ``months``,
``monthly``, ``apr``, ``label`` (the option's name), ``first_name``, ``place``.

Every language has exactly the texts of ``"en"``, and every text compiles; a file that
breaks either rule stops the import with a ``DataError`` naming the file and the text.

A market whose wording or legal line differs from its language's has a regional file,
``<language>-<REGION>.json`` (``pt-BR``, ``es-MX``, ``en-GB``): the same shape, with only
the texts that differ (a subset of ``en``'s names); the other texts come from the
language. ``builtin(locale, name)`` reads the locale's region first, then its language.
``review`` says where a language's texts stand (docs/copy.md lists them):

- ``shipped``: in the catalogue before issue 14;
- ``machine-drafted``: drafted without a native speaker; a native reviewer must approve
  the language (above all its legal line) before a merchant launches in it.

French copy keeps its typographic spaces unbreakable: a no-break space before ``%`` (as
Babel formats percentages) and a narrow one before ``!``. The files write these as
``\\u00a0`` and ``\\u202f`` so a reviewer can see them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from bff.errors import DataError
from bff.personalization.copy import CopyError, CopyMessage
from bff.personalization.copy_fields import compile_copy_text

COPY_DIR = Path(__file__).resolve().parent.parent / "data" / "copy"
REVIEW_STATES = ("shipped", "machine-drafted")
REGION = re.compile(r"^[A-Z]{2}\Z")
# Tags whose language has no copy of its own but a close relative that shoppers read:
# Babel's "no" is Norwegian Bokmål.
ALIASES = {"no": "nb"}


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DataError(f"built-in copy {path.name}: {exc}") from exc
    if not isinstance(doc, dict):
        raise DataError(f"built-in copy {path.name}: must be a JSON object")
    return doc


def _texts(path: Path, doc: dict[str, Any]) -> dict[str, str]:
    problems = []
    if doc.get("language") != path.stem:
        problems.append(f"language must be {path.stem!r}, the file's name")
    if doc.get("review") not in REVIEW_STATES:
        problems.append(f"review must be one of {', '.join(REVIEW_STATES)}")
    texts = doc.get("texts")
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        problems.append("texts must map names to strings")
    if problems:
        raise DataError(f"built-in copy {path.name}: {'; '.join(problems)}")
    return dict(texts)  # type: ignore[arg-type]


def load_catalogue(directory: Path) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The texts and the review state of every language in ``directory`` (regional files
    apart: ``load_regions``).

    Raises ``DataError`` when a file is malformed or a language's texts are not exactly
    those of ``en``.
    """
    catalogue: dict[str, dict[str, str]] = {}
    review: dict[str, str] = {}
    for path in sorted(directory.glob("*.json")):
        if "-" in path.stem:
            continue
        doc = _read(path)
        catalogue[path.stem] = _texts(path, doc)
        review[path.stem] = doc["review"]
    if "en" not in catalogue:
        raise DataError(f"built-in copy: {directory} has no en.json")
    expected = catalogue["en"].keys()
    for language, texts in catalogue.items():
        missing, extra = sorted(expected - texts.keys()), sorted(texts.keys() - expected)
        if missing or extra:
            raise DataError(
                f"built-in copy {language}.json: texts must be those of en.json;"
                f" missing {missing or 'none'}, unknown {extra or 'none'}"
            )
    return catalogue, review


def load_regions(
    directory: Path, catalogue: dict[str, dict[str, str]]
) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The texts and review state of every regional file (``pt-BR.json``): some of ``en``'s
    texts, for a language that has a file; ``DataError`` otherwise."""
    regions: dict[str, dict[str, str]] = {}
    review: dict[str, str] = {}
    for path in sorted(directory.glob("*-*.json")):
        doc = _read(path)
        texts = _texts(path, doc)
        language, _, region = path.stem.partition("-")
        extra = sorted(texts.keys() - catalogue["en"].keys())
        if language not in catalogue or not REGION.match(region) or extra or not texts:
            raise DataError(
                f"built-in copy {path.name}: a regional file needs {language}.json, a region"
                f" like GB, and some of en.json's texts only (unknown: {extra or 'none'})"
            )
        regions[path.stem] = texts
        review[path.stem] = doc["review"]
    return regions, review


def _compiled(language: str, name: str, source: str) -> CopyMessage:
    message = compile_copy_text(name, source)
    if isinstance(message, CopyError):
        raise DataError(f"built-in copy {language}.{name}: {message.message}")
    return message


def compile_catalogue(catalogue: dict[str, dict[str, str]]) -> dict[str, dict[str, CopyMessage]]:
    """Every text compiled; ``DataError`` names the first that does not compile."""
    return {
        language: {name: _compiled(language, name, source) for name, source in texts.items()}
        for language, texts in catalogue.items()
    }


CATALOGUE, REVIEW = load_catalogue(COPY_DIR)
COMPILED = compile_catalogue(CATALOGUE)
REGIONS, REGION_REVIEW = load_regions(COPY_DIR, CATALOGUE)
COMPILED_REGIONS = compile_catalogue(REGIONS)


def copy_language(locale: str) -> str:
    """The catalogue language that ``locale`` reads: its language, an alias of it, or ``en``."""
    language = locale.split("-", 1)[0].lower()
    language = ALIASES.get(language, language)
    return language if language in COMPILED else "en"


def copy_region(locale: str) -> str | None:
    """The regional file ``locale`` reads first (``pt-BR`` for ``pt-BR``), if there is one."""
    language, _, rest = locale.partition("-")
    region = rest.rpartition("-")[2].upper()
    key = f"{ALIASES.get(language.lower(), language.lower())}-{region}"
    return key if region and key in COMPILED_REGIONS else None


def builtin(locale: str, name: str) -> CopyMessage:
    """The built-in text ``name`` for ``locale``: its region's, its language's, or English."""
    region = copy_region(locale)
    found = COMPILED_REGIONS[region].get(name) if region else None
    return found or COMPILED[copy_language(locale)].get(name) or COMPILED["en"][name]
