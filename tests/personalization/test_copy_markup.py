"""Markup in copy: escaped text and four canonical inline tags, anything else refused by name."""

from __future__ import annotations

import pytest

from bff.personalization.copy_markup import Close, MarkupError, Open, Text, read_markup


def test_text_and_allowed_tags_become_pieces() -> None:
    assert read_markup("Pay <STRONG >now</strong> & save") == [
        Text("Pay "),
        Open("strong"),
        Text("now"),
        Close("strong"),
        Text(" &amp; save"),
    ]


def test_entities_are_decoded_then_escaped_so_no_raw_markup_survives() -> None:
    pieces = read_markup("&lt;img src=x onerror=alert(1)&gt; &#60;b&#62;")
    assert isinstance(pieces, list)
    assert "".join(p.html for p in pieces if isinstance(p, Text)) == (
        "&lt;img src=x onerror=alert(1)&gt; &lt;b&gt;"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<svg onload=alert(1)>", "markup <svg> is not allowed"),
        ("<strong onclick=x>", "<strong> must not have attributes"),
        ("</div>", "markup </div> is not allowed"),
        ("<![CDATA[x]]>", "HTML declarations are not allowed"),
        ("<?php ?>", "HTML processing instructions are not allowed"),
        ("1 < 2", "write &lt; for a less-than sign"),
    ],
)
def test_anything_else_is_refused_by_name(text: str, message: str) -> None:
    error = read_markup(text)
    assert isinstance(error, MarkupError)
    assert message in error.message
