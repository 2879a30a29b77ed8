"""A merchant's brand as the frames apply it: CSS custom properties, a font, a logo.

``brand_style(brand)`` is the ``brand`` member of a render result, or None when the
merchant set no brand: ``{"vars": {...}, "font": "inter"|"system", "logo_url": str|None}``.
``vars`` uses the frames' own custom properties (widget/frame/applyThemeVars.js accepts the
same names and re-checks every value): the primary colour is ``--onsite-accent``, the text
colour ``--onsite-fg``, the background ``--onsite-bg``, the corner radius ``--onsite-radius``.
The frame applies the colours to its light theme only (a dark page keeps readable
contrast); the radius and the font to every theme. Theme variables the merchant's page sets
in CSS (read by the loader) win over the console's brand: the page is the later word.

``with_brand(result, brand)`` returns the render result with its ``brand`` member (a new
dict; empty results carry none: nothing is drawn).
"""

from __future__ import annotations

from typing import Any

from bff.decisions.merchant import Brand

COLOR_VARS = {
    "primary_color": "--onsite-accent",
    "text_color": "--onsite-fg",
    "background_color": "--onsite-bg",
}


def brand_style(brand: Brand | None) -> dict[str, Any] | None:
    """The frames' view of ``brand`` (see the module contract)."""
    if brand is None:
        return None
    variables = {
        name: value for field, name in COLOR_VARS.items() if (value := getattr(brand, field)) is not None
    }
    if brand.corner_radius is not None:
        variables["--onsite-radius"] = f"{brand.corner_radius}px"
    return {"vars": variables, "font": brand.font or "inter", "logo_url": brand.logo_url}


def with_brand(result: dict[str, Any], brand: Brand | None) -> dict[str, Any]:
    """``result`` plus its ``brand`` member (unchanged when empty or without a brand)."""
    style = brand_style(brand)
    if style is None or result.get("kind") == "empty":
        return result
    return {**result, "brand": style}
