"""Exporting a session and its ranking: the one list of formats, and writing a file.

:data:`FORMATS` is the one home of the export formats: the command line's ``export --format``,
the TUI's export dialog and :func:`export_text` all read it. Each format is a pure function of
the session and its ranking returning text; :func:`write_export` writes it atomically.

- ``md`` (:mod:`.markdown`): the workshop write-up for people who were not in the room;
- ``html`` (:mod:`.html`): the journey map report, one self-contained printable file;
- ``csv`` and ``csv-map`` (:mod:`.tabular`): the ranking table, and the map one row per pain;
- ``xlsx`` (:mod:`.xlsx`): both as a workbook of typed cells (text stays text in a spreadsheet);
- ``json`` (:mod:`.tabular`): the ranking plus the whole session, for tools;
- ``jira`` and ``github`` (:mod:`.trackers`): the fixes the room chose, as tracker issues;
- ``mermaid`` (:mod:`.mermaid`): the journey as a Mermaid ``journey`` diagram;
- ``validation`` (:mod:`.validation`): the checklist of unverified pains to take to customers.

User text is escaped for the format it goes into (:mod:`cjmtui.core.safety`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .. import store
from ..atomic import write_atomic
from ..errors import ExportError
from ..files import typed_target
from ..model import Session
from ..scoring import Ranking
from .markdown import comparison_markdown, export_markdown, friction_markdown, ranking_markdown, view_table
from .mermaid import export_mermaid
from .tabular import (
    CSV_COLUMNS,
    CSV_MAP_COLUMNS,
    FRICTION_COLUMNS,
    comparison_json_data,
    dumps_json,
    export_csv,
    export_csv_map,
    export_friction_csv,
    export_json,
    friction_json_data,
    parking_json_data,
    ranking_json_data,
    top_of,
)
from .trackers import export_github, export_jira_csv
from .validation import export_validation
from .xlsx import export_xlsx


def _html(session: Session, ranking: Ranking) -> str:
    from .html import export_html  # Jinja2 is imported only when a report is written

    return export_html(session, ranking)


@dataclass(frozen=True)
class Format:
    name: str
    suffix: str  # the file name's ending, with its dot
    summary: str  # one line for people choosing a format
    render: Callable[[Session, Ranking], str | bytes]  # bytes for a binary file (xlsx)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("md", ".md", "Markdown: the write-up (quick wins, why, the map)", export_markdown),
        Format("html", ".html", "HTML: the journey map report, one file that prints", _html),
        Format("csv", ".csv", "CSV: the ranking table, for tools", export_csv),
        Format("csv-map", ".csv", "CSV: the map, one row per pain or gain", lambda s, _r: export_csv_map(s)),
        Format("xlsx", ".xlsx", "Spreadsheet: quick wins and map, text kept exactly", export_xlsx),
        Format("json", ".json", "JSON: the ranking and the whole session, for tools", export_json),
        Format("jira", ".csv", "Jira CSV import: the chosen fixes as issues", export_jira_csv),
        Format("github", ".json", "GitHub issues: title, body, labels for gh", export_github),
        Format("mermaid", ".mmd", "Mermaid journey diagram (GitHub, GitLab, Notion)", export_mermaid),
        Format("validation", ".md", "Validation checklist: the unverified pains to check", export_validation),
    )
}


# ``cjmtui rollup --format``: the root causes across workshops (:mod:`.rollup`), as text; the
# command line adds "table", its own terminal tables.
ROLLUP_FORMATS: tuple[str, ...] = ("md", "csv", "json", "html")


def export_text(fmt: str, session: Session, ranking: Ranking) -> str | bytes:
    """The session and its ranking in the format called ``fmt`` (a key of :data:`FORMATS`):
    text, or bytes for a binary format (xlsx)."""
    try:
        format_ = FORMATS[fmt]
    except KeyError:
        raise ExportError(f"unknown format {fmt!r}; one of: {', '.join(FORMATS)}") from None
    return format_.render(session, ranking)


def export_target(folder: Path, typed: str, fmt: str) -> Path:
    """Where an export typed as ``typed`` in ``folder`` goes: :func:`cjmtui.core.files.typed_target`
    with the format's ending."""
    return typed_target(folder, typed, FORMATS[fmt].suffix)


def write_export(text: str | bytes, path: Path) -> Path:
    """Write ``text`` (UTF-8; bytes as they are) to ``path`` atomically. Returns ``path``.

    A cjmtui session at ``path`` is never replaced (:class:`ExportError`); any other regular
    file is, keeping the previous version as ``NAME.bak`` (as the store does). Only a regular
    file is ever replaced: a device or a pipe at ``path`` (or where a link there leads) is
    written to as it is (a pipe nobody reads is refused), anything else is refused.

    Raises :class:`~cjmtui.core.errors.SaveError` (nothing written) when it cannot.
    """
    path = Path(path)
    if store.is_session_file(path):
        raise ExportError(f"{path}: is a cjmtui session; an export never replaces one (choose another output file)")
    # An existing file is replaced keeping the previous version as NAME.bak, as a save does.
    existing = os.path.isfile(path)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    write_atomic(path, data, backup=existing, stream=True)
    return path


__all__ = [
    "CSV_COLUMNS",
    "CSV_MAP_COLUMNS",
    "FORMATS",
    "FRICTION_COLUMNS",
    "ROLLUP_FORMATS",
    "Format",
    "comparison_json_data",
    "comparison_markdown",
    "dumps_json",
    "export_csv",
    "export_csv_map",
    "export_friction_csv",
    "export_json",
    "export_markdown",
    "export_target",
    "export_text",
    "friction_json_data",
    "friction_markdown",
    "parking_json_data",
    "ranking_json_data",
    "ranking_markdown",
    "top_of",
    "view_table",
    "write_export",
]
