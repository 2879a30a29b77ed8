"""Merchant copy: a logic-less message format, compiled once when a campaign is parsed.

The syntax is ICU MessageFormat, read by the ``pyicumessageformat`` parser (docs/copy.md):
``{name}`` placeholders, ``{count, plural, one {# payment} other {# payments}}`` with
CLDR plural categories from Babel for the shopper's locale (``=N`` matches exactly), and
``{x, select, a {...} other {...}}``. There are no loops, expressions, filters or
attribute access, so a render visits every part of a message at most once: its cost is
linear in the source, which is capped.

Contracts:

- ``compile_copy`` refuses, as a ``CopyError`` naming every problem: a source over
  ``MAX_SOURCE_CHARS`` (checked before parsing), control characters, a syntax error,
  plural/select nested deeper than ``MAX_NESTING``, more than ``MAX_PLACEHOLDERS``
  placeholders (``#`` included, in all branches), a placeholder outside the allowed names,
  a plural over a name that is not a number, and markup outside ``copy_markup``'s
  allow-list or unbalanced tags. Together with the source cap this bounds a render to a
  few dozen appends (tens of microseconds), whatever the text.
- ``render_copy`` returns HTML for the frame's ``html`` binding: merchant text escaped and
  only the allowed inline tags, every value escaped (personal values like ``first_name``
  included: ``<script>`` and ``{`` in a value are text). It returns None instead of a
  result over ``MAX_RENDERED_CHARS`` or when a value is missing or of the wrong type, so
  the caller falls back to the built-in copy: merchant copy never fails a render.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, TypeVar

from babel import Locale, UnknownLocaleError
from markupsafe import escape
from pyicumessageformat import Parser

from bff.errors import quoted
from bff.personalization.copy_markup import Close, MarkupError, Open, Text, read_markup

MAX_SOURCE_CHARS = 1000
MAX_RENDERED_CHARS = 2000
MAX_NESTING = 2
MAX_PLACEHOLDERS = 20
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
OLD_SYNTAX = (
    "uses the old template syntax: write {name}, not {{ name }}; no loops or expressions (docs/copy.md)"
)

# depth counts sub-message levels: MAX_NESTING plurals/selects inside one another.
_parser = Parser({"maximum_depth": MAX_NESTING + 1, "allow_tags": False, "require_other": True})

T = TypeVar("T")
K = TypeVar("K", int, str)
PluralRule = Callable[[int], str]


@dataclass(frozen=True)
class CopyError:
    """Why a copy source was refused: one human sentence per problem."""

    messages: tuple[str, ...]

    @property
    def message(self) -> str:
        return "; ".join(self.messages)


class _Output:
    """Rendered parts with a running length, refusing anything past ``MAX_RENDERED_CHARS``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str) -> bool:
        self.length += len(text)
        self.parts.append(text)
        return self.length <= MAX_RENDERED_CHARS


@dataclass(frozen=True)
class Literal:
    """Merchant text and allowed tags, escaped when the message was compiled."""

    html: str

    def render(self, out: _Output, variables: Mapping[str, Any], plural: PluralRule) -> bool:
        return out.add(self.html)


@dataclass(frozen=True)
class Value:
    """``{name}``: the variable's text, always escaped."""

    name: str

    def render(self, out: _Output, variables: Mapping[str, Any], plural: PluralRule) -> bool:
        return self.name in variables and out.add(str(escape(variables[self.name])))


@dataclass(frozen=True)
class Plural:
    """``{name, plural, =N {...} one {...} other {...}}``; ``#`` inside is a ``Value``."""

    name: str
    exact: tuple[tuple[int, tuple[Node, ...]], ...]
    categories: tuple[tuple[str, tuple[Node, ...]], ...]

    def render(self, out: _Output, variables: Mapping[str, Any], plural: PluralRule) -> bool:
        number = variables.get(self.name)
        if not isinstance(number, int) or isinstance(number, bool):
            return False
        branch = _branch(self.exact, number)
        if branch is None:
            branch = _branch(self.categories, plural(number))
        if branch is None:
            branch = _branch(self.categories, "other")
        return branch is not None and _render_nodes(branch, out, variables, plural)


@dataclass(frozen=True)
class Select:
    """``{name, select, a {...} other {...}}``, matched against the value's text."""

    name: str
    cases: tuple[tuple[str, tuple[Node, ...]], ...]

    def render(self, out: _Output, variables: Mapping[str, Any], plural: PluralRule) -> bool:
        if self.name not in variables:
            return False
        branch = _branch(self.cases, str(variables[self.name]))
        if branch is None:
            branch = _branch(self.cases, "other")
        return branch is not None and _render_nodes(branch, out, variables, plural)


Node = Literal | Value | Plural | Select


@dataclass(frozen=True)
class CopyMessage:
    """A compiled copy text: its source (for messages) and the nodes a render walks."""

    source: str
    nodes: tuple[Node, ...]

    @cached_property
    def placeholders(self) -> frozenset[str]:
        """Every name the message reads, in any branch (computed once: renders ask it)."""
        return frozenset(_names(self.nodes))


def compile_copy(
    source: str, placeholders: frozenset[str], numbers: frozenset[str]
) -> CopyMessage | CopyError:
    """Compile ``source``, allowing the names in ``placeholders`` (plural only over ``numbers``)."""
    if len(source) > MAX_SOURCE_CHARS:
        return CopyError((f"is {len(source)} characters long; at most {MAX_SOURCE_CHARS} are allowed",))
    if any((ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) < 0xA0 for c in source):
        return CopyError(("must not contain control characters",))
    try:
        ast = _parser.parse(source)
    except SyntaxError as exc:
        return CopyError((_syntax_message(source, str(exc)),))
    compiler = _Compiler(placeholders, numbers)
    nodes = compiler.message(ast)
    unknown = sorted(compiler.unknown)
    if unknown:
        listed = ", ".join(f"{{{name}}}" for name in unknown)
        compiler.problems.insert(
            0,
            f"unknown placeholder{'s' if len(unknown) > 1 else ''} {listed}; "
            f"allowed: {', '.join(sorted(placeholders))}",
        )
    if compiler.count > MAX_PLACEHOLDERS:
        compiler.problems.append(
            f"has {compiler.count} placeholders (# included); at most {MAX_PLACEHOLDERS} are allowed"
        )
    if compiler.problems:
        return CopyError(tuple(dict.fromkeys(compiler.problems)))
    return CopyMessage(source, nodes)


def render_copy(message: CopyMessage, variables: Mapping[str, Any], locale: str) -> str | None:
    """The HTML of ``message`` for ``locale``; None when it cannot be rendered within the caps."""
    out = _Output()
    if not _render_nodes(message.nodes, out, variables, plural_rule(locale)):
        return None
    return "".join(out.parts)


def pick_copy(copy: Mapping[str, Mapping[str, T]], locale: str) -> Mapping[str, T]:
    """The copy for ``locale``: the exact tag, else its language, else nothing.

    There is deliberately no fallback to another language: the built-in catalogue in the
    shopper's language is better than a merchant's text in the wrong one.
    """
    language = locale.split("-", 1)[0]
    return copy.get(locale) or copy.get(language) or {}


@lru_cache(maxsize=256)
def plural_rule(locale: str) -> PluralRule:
    """CLDR plural categories of ``locale`` (Babel); ``other`` for every number if Babel has none."""
    try:
        rule: PluralRule = Locale.parse(locale, sep="-").plural_form
    except (UnknownLocaleError, ValueError, TypeError):
        return _always_other
    return rule


def _always_other(number: int) -> str:
    return "other"


def _branch(branches: tuple[tuple[K, tuple[Node, ...]], ...], key: K) -> tuple[Node, ...] | None:
    # A linear search: a message has a handful of branches, fewer than a dict costs to build.
    return next((nodes for k, nodes in branches if k == key), None)


def _render_nodes(
    nodes: tuple[Node, ...], out: _Output, variables: Mapping[str, Any], plural: PluralRule
) -> bool:
    return all(node.render(out, variables, plural) for node in nodes)


def _names(nodes: tuple[Node, ...]) -> Iterator[str]:
    for node in nodes:
        if isinstance(node, Literal):
            continue
        yield node.name
        if isinstance(node, Plural):
            for _, branch in (*node.exact, *node.categories):
                yield from _names(branch)
        elif isinstance(node, Select):
            for _, branch in node.cases:
                yield from _names(branch)


def _syntax_message(source: str, detail: str) -> str:
    if detail.startswith("Too much recursion"):
        return f"plural and select may be nested at most {MAX_NESTING} deep"
    # "{{" is also a sub-message that starts with a placeholder ("other {{days} days}"):
    # only when the parser stopped at the second brace is it the old "{{ name }}".
    if "{%" in source or "{#" in source or ("{{" in source and 'found "{"' in detail):
        return OLD_SYNTAX
    return f"syntax error: {detail}"


class _Compiler:
    """Parser AST -> nodes, collecting every problem instead of stopping at the first."""

    def __init__(self, placeholders: frozenset[str], numbers: frozenset[str]) -> None:
        self.placeholders = placeholders
        self.numbers = numbers
        self.unknown: set[str] = set()
        self.problems: list[str] = []
        self.count = 0  # placeholders, "#" included, in every branch

    def message(self, ast: list[Any]) -> tuple[Node, ...]:
        nodes: list[Node] = []
        open_tags: list[str] = []
        for item in ast:
            if isinstance(item, str):
                self._text(item, nodes, open_tags)
            else:
                node = self._placeholder(item)
                if node is not None:
                    nodes.append(node)
        for tag in reversed(open_tags):
            self.problems.append(f"<{tag}> is not closed (inside the same plural or select branch)")
        return _merged(nodes)

    def _text(self, text: str, nodes: list[Node], open_tags: list[str]) -> None:
        pieces = read_markup(text)
        if isinstance(pieces, MarkupError):
            self.problems.append(pieces.message)
            return
        for piece in pieces:
            if isinstance(piece, Text):
                nodes.append(Literal(piece.html))
            elif isinstance(piece, Open):
                open_tags.append(piece.tag)
                nodes.append(Literal(f"<{piece.tag}>"))
            elif isinstance(piece, Close):
                if not open_tags or open_tags[-1] != piece.tag:
                    self.problems.append(f"</{piece.tag}> does not close an open <{piece.tag}>")
                    continue
                open_tags.pop()
                nodes.append(Literal(f"</{piece.tag}>"))

    def _placeholder(self, item: dict[str, Any]) -> Node | None:
        name, kind = item["name"], item.get("type")
        self.count += 1
        if name not in self.placeholders:
            self.unknown.add(name)
            return None
        if item.get("hash") or kind is None:
            return Value(name)
        if kind == "plural":
            return self._plural(name, item)
        if kind == "select":
            cases = tuple((key, self.message(branch)) for key, branch in item["options"].items())
            return Select(name, cases)
        self.problems.append(f"{{{name}, {kind}}} is not supported: use {{{name}}}, plural or select")
        return None

    def _plural(self, name: str, item: dict[str, Any]) -> Node | None:
        if name not in self.numbers:
            self.problems.append(
                f"plural needs a number: {{{name}}} is text; numbers: {', '.join(sorted(self.numbers))}"
            )
            return None
        if item.get("offset"):
            self.problems.append(f"{{{name}, plural, offset:...}} is not supported")
        exact, categories = [], []
        for key, branch in item["options"].items():
            nodes = self.message(branch)
            if key.startswith("=") and key[1:].isascii() and key[1:].isdigit():
                exact.append((int(key[1:]), nodes))
            elif key in PLURAL_CATEGORIES:
                categories.append((key, nodes))
            else:
                self.problems.append(
                    f"plural key {quoted(key)} is not one of {', '.join(PLURAL_CATEGORIES)} or =N (e.g. =0)"
                )
        return Plural(name, tuple(exact), tuple(categories))


def _merged(nodes: list[Node]) -> tuple[Node, ...]:
    """Adjacent literals joined, so that a render appends as few parts as possible."""
    merged: list[Node] = []
    for node in nodes:
        if merged and isinstance(node, Literal) and isinstance(merged[-1], Literal):
            merged[-1] = Literal(merged[-1].html + node.html)
        else:
            merged.append(node)
    return tuple(merged)
