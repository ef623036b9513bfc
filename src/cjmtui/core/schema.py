"""The session file format as a JSON Schema, generated from the model.

Editors built on taplo (VS Code's Even Better TOML, Helix, Zed) validate and complete a TOML
file against a JSON Schema named on its first line::

    #:schema ./session.schema.json

``cjmtui schema`` prints this schema; ``docs/session.schema.json`` is it, checked in (a test
keeps the two equal); new sessions get the directive and the schema file beside them, and a
save keeps a file's directive. The schema checks each field's type, range and allowed values
and refuses unknown keys; what one item says about another (ids that must exist, no duplicate
ids) is for ``cjmtui validate``.
"""

from __future__ import annotations

import json
from typing import Any

from .model import Session
from .values import FIRST_YEAR, LAST_YEAR

SCHEMA_FILE = "session.schema.json"
DIRECTIVE = "#:schema "


YEAR = f"(?:{FIRST_YEAR // 100}[0-9]{{2}}|{LAST_YEAR // 1000}[0-9]{{3}})"  # 1900-2999, as the app
DATE_PATTERN = f"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}$"
MIDNIGHT_PATTERN = f"^{YEAR}-[0-9]{{2}}-[0-9]{{2}}T00:00(?::00(?:\\.0+)?)?$"


def _dates(node: Any) -> Any:
    """Every ``"format": "date"`` of the model's schema as the app reads dates: years 1900 to
    2999, and a local date-time at midnight is that date (taplo gives both to the schema as text)."""
    if isinstance(node, list):
        return [_dates(n) for n in node]
    if not isinstance(node, dict):
        return node
    if node.get("format") == "date" and node.get("type") == "string":
        return {"anyOf": [{**node, "pattern": DATE_PATTERN}, {"type": "string", "pattern": MIDNIGHT_PATTERN}]}
    return {k: _dates(v) for k, v in node.items()}


def session_schema() -> dict[str, Any]:
    """The model's JSON Schema, with dates as the app reads them (:func:`_dates`). What the two
    still cannot agree on by construction (checks between items) is listed in
    docs/session-format.md; ``tests/e2e/test_taplo.py`` checks taplo and ``cjmtui validate`` agree."""
    schema = _dates(Session.model_json_schema(mode="validation"))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "cjmtui session file",
        "description": "One customer journey mapping workshop (docs/session-format.md).",
        **{k: v for k, v in schema.items() if k != "title"},
    }


def schema_text() -> str:
    return json.dumps(session_schema(), indent=2, ensure_ascii=False) + "\n"


def directive_line(first_line: bytes | str) -> str:
    """``first_line`` when it is a ``#:schema`` directive (with its newline), else ``""``."""
    line = first_line.decode("utf-8", "replace") if isinstance(first_line, bytes) else first_line
    line = line.split("\n", 1)[0].rstrip("\r")
    if line.startswith(DIRECTIVE) and line.isprintable() and len(line) <= 1000:
        return line + "\n"
    return ""
