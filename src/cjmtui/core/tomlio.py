"""Reading and writing session TOML.

Reading uses the fastest TOML parser available (tomli's compiled build when installed, else
the standard library's ``tomllib``; both parse the same language). Writing is done here, not
by a general-purpose writer, so that the layout is fixed: tables in file order, one
``[[table]]`` block per item, keys in model order, every value on one line. Changing one note
changes only that note's line in a ``git diff``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

try:  # pragma: no cover - which branch runs depends on what is installed
    import tomli as _toml  # compiled (mypyc) wheels: about 3x faster than tomllib
except ImportError:  # pragma: no cover
    import tomllib as _toml  # type: ignore[no-redef]

TOMLDecodeError = _toml.TOMLDecodeError
PARSER = _toml.__name__


def loads(text: str) -> dict[str, Any]:
    return _toml.loads(text)


_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


# Exactly the characters format_string escapes (the _ESCAPES keys are all in this class).
_NEEDS_ESCAPE = re.compile(r'[\x00-\x1f"\\\x7f]')
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def format_string(value: str) -> str:
    if _NEEDS_ESCAPE.search(value) is None:  # one C-level scan, not a Python call per character
        return f'"{value}"'
    out = []
    for ch in value:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return format_string(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot store {value!r}")
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        inner = ", ".join(f"{format_key(k)} = {format_value(v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(format_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def format_key(key: str) -> str:
    if _BARE_KEY.fullmatch(key):
        return key
    return format_string(key)


def _pairs(table: Mapping[str, Any]) -> Iterable[str]:
    for key, value in table.items():
        if value is None:
            continue
        yield f"{format_key(key)} = {format_value(value)}\n"


def dumps_document(
    scalars: Mapping[str, Any],
    tables: Iterable[tuple[str, Mapping[str, Any]]],
    arrays: Iterable[tuple[str, Iterable[Mapping[str, Any]]]],
) -> str:
    """Write top-level ``scalars``, then each ``[table]``, then each ``[[array]]`` of items."""
    parts: list[str] = list(_pairs(scalars))
    for name, table in tables:
        parts.append(f"\n[{name}]\n")
        parts.extend(_pairs(table))
    for name, items in arrays:
        parts.extend(dumps_item(name, item) for item in items)
    return "".join(parts)


def dumps_item(name: str, item: Mapping[str, Any]) -> str:
    """One ``[[name]]`` block: its header and its key = value lines."""
    return f"\n[[{name}]]\n" + "".join(_pairs(item))
