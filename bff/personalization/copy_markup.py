"""The markup a merchant may write in copy: plain text plus a tiny allow-list of inline tags.

``read_markup(text)`` reads one literal run of merchant copy (the text between
placeholders) with the standard library's HTML tokenizer and returns its pieces: text
(already escaped for HTML element content), or the opening or closing of an allowed tag
(``strong``, ``em``, ``b``, ``i``) without attributes. Anything else is a ``MarkupError``
naming what was found, so a campaign with ``<img onerror=...>``, ``<script>``, a comment
or an attribute is refused when it is saved.

Safety does not depend on the tokenizer being right about odd input: the output is built
only from escaped text and the four canonical tags (``<strong>``, never the merchant's own
spelling), so no character the merchant wrote reaches the frame's ``html`` binding
unescaped. Entities (``&amp;``, ``&nbsp;``, ``&#8217;``) are decoded and the text
re-escaped. Only ``&``, ``<`` and ``>`` are escaped: the result is bound as element
content, never inside an attribute, and quotes stay as written (as the old copy did).
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

INLINE_TAGS = ("strong", "em", "b", "i")


@dataclass(frozen=True)
class Text:
    html: str


@dataclass(frozen=True)
class Open:
    tag: str


@dataclass(frozen=True)
class Close:
    tag: str


Piece = Text | Open | Close


@dataclass(frozen=True)
class MarkupError:
    message: str


def escape_text(text: str) -> str:
    """Text -> HTML element content (``&``, ``<``, ``>`` only: see the module docstring)."""
    return html.escape(text, quote=False)


def read_markup(text: str) -> list[Piece] | MarkupError:
    """The pieces of one literal run of copy, or the first thing in it that is not allowed."""
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.error or reader.pieces


def allowed_tags_text() -> str:
    return ", ".join(f"<{tag}>" for tag in INLINE_TAGS)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        # Entities are decoded here (not by the tokenizer) so that a bare '<' in the
        # merchant's text can be told apart from one written as '&lt;'.
        super().__init__(convert_charrefs=False)
        self.pieces: list[Piece] = []
        self.error: MarkupError | None = None

    def _refuse(self, message: str) -> None:
        if self.error is None:
            self.error = MarkupError(message)

    def _text(self, text: str) -> None:
        if not text:
            return
        if self.pieces and isinstance(self.pieces[-1], Text):
            self.pieces[-1] = Text(self.pieces[-1].html + escape_text(text))
        else:
            self.pieces.append(Text(escape_text(text)))

    def handle_data(self, data: str) -> None:
        if "<" in data:
            self._refuse("a '<' that does not start an allowed tag: write &lt; for a less-than sign")
        self._text(data)

    def handle_entityref(self, name: str) -> None:
        self._text(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._text(html.unescape(f"&#{name};"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in INLINE_TAGS:
            self._refuse(f"markup <{tag}> is not allowed; allowed: {allowed_tags_text()}")
        elif attrs:
            self._refuse(f"<{tag}> must not have attributes")
        self.pieces.append(Open(tag))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._refuse(f"self-closing <{tag}/> is not allowed; allowed: {allowed_tags_text()}")

    def handle_endtag(self, tag: str) -> None:
        if tag not in INLINE_TAGS:
            self._refuse(f"markup </{tag}> is not allowed; allowed: {allowed_tags_text()}")
        self.pieces.append(Close(tag))

    def handle_comment(self, data: str) -> None:
        self._refuse("HTML comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        self._refuse("HTML declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        self._refuse("HTML processing instructions are not allowed")

    def unknown_decl(self, data: str) -> None:
        self._refuse("HTML declarations are not allowed")
