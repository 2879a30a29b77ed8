"""Collecting validation problems by field path, so that every problem is reported at once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Problems:
    """An ordered list of ``(path, message)``; checks add to it and return a usable default."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def add(self, path: str, message: str) -> None:
        self.items.append((path or "document", message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def as_dicts(self) -> list[dict[str, str]]:
        return [{"path": path, "message": message} for path, message in self.items]

    def text(self) -> str:
        return "; ".join(f"{path}: {message}" for path, message in self.items)

    def typed(self, value: Any, kind: type | tuple[type, ...], path: str, default: T) -> Any:
        """``value`` if it has type ``kind`` (``bool`` never counts as ``int``), else ``default``."""
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds):
            return value
        names = " or ".join(k.__name__ for k in kinds)
        self.add(path, f"expected {_json_name(names)}, got {_json_name(type(value).__name__)}")
        return default

    def field(
        self,
        doc: Any,
        name: str,
        kind: type | tuple[type, ...],
        path: str,
        default: T,
        *,
        required: bool = True,
    ) -> Any:
        """The typed member ``name`` of the object ``doc``; a missing required member is a problem."""
        where = f"{path}.{name}" if path else name
        if not isinstance(doc, dict):
            return default
        if name not in doc or doc[name] is None:
            if required:
                self.add(where, "is required")
            return default
        return self.typed(doc[name], kind, where, default)

    def check(self, ok: bool, path: str, message: str) -> bool:
        if not ok:
            self.add(path, message)
        return ok

    def each(self, items: list[Any], path: str, parse: Callable[[Any, str], T | None]) -> list[T]:
        """Parse every item of a list, keeping those that parsed."""
        parsed = (parse(item, f"{path}[{i}]") for i, item in enumerate(items))
        return [p for p in parsed if p is not None]


def _json_name(python_names: str) -> str:
    names = {
        "dict": "object",
        "list": "array",
        "str": "string",
        "int": "integer",
        "float": "number",
        "bool": "boolean",
        "NoneType": "null",
    }
    return " or ".join(names.get(n, n) for n in python_names.split(" or "))
