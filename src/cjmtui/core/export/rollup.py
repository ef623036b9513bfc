"""The rollup as people read it: its tables, and its text in each of :data:`ROLLUP_FORMATS`.

:mod:`cjmtui.core.rollup` matches and ranks the root causes across workshops; this module only
says what the outputs show. The command line prints :func:`workshops_view`,
:func:`root_causes_view` and :func:`matches_view` as tables; :func:`rollup_text` renders the
same as Markdown, CSV, JSON or HTML (:mod:`.rollup_html`), user text escaped for each.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import ExportError
from ..rollup import KEPT_APART, REASONS, Member, Rollup, RootCause
from ..safety import md_cell
from ..views import Column, TableView
from ..vocab import plural
from . import ROLLUP_FORMATS
from .markdown import view_table
from .tabular import _csv, dumps_json


def title(result: Rollup) -> str:
    return f"Root causes across {plural(len(result.workshops), 'workshop')}"


def note(result: Rollup) -> str:
    how = "by the same id, or by the same department and process name (case and spacing ignored)"
    if result.mapping is not None:
        how += f", and by the mapping file {Path(result.mapping).name}"
    return (
        f"Processes are matched across the workshops {how}. Score: how much fixing the process "
        "would remove, as cjmtui rank ranks root-cause processes (the weight of the pains it "
        "reaches downstream, more for more stages); a root cause's score and impact are the sums "
        "over the workshops it appears in, so a big workshop weighs more than a small one. "
        "Share: the root cause's part of each workshop's total score, averaged over all "
        f"{plural(len(result.workshops), 'workshop')} (0% where it does not appear), so every "
        "workshop weighs the same; By share ranks by it. Figures are rounded to one decimal."
    )


def _label(result: Rollup, number: int, short: bool) -> str:
    return f"W{number}" if short else result.workshop(number).name


def rounded(value: float) -> str:
    """A score or impact for people: one decimal at most (``191.8``, ``12``)."""
    r = round(float(value), 1)
    return str(int(r)) if r.is_integer() else f"{r:.1f}"


def percent(share: float) -> str:
    """A share for people: ``23%``; ``<1%`` for a small one that is not zero."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"


def in_each(cause: RootCause, result: Rollup, short: bool = False) -> str:
    """Where a root cause appears and its share of that workshop's total score there:
    ``file.toml 23%; other.toml 4%`` (``short``: ``W1 23%; W3 4%``, numbered as in
    :func:`workshops_view`)."""
    return "; ".join(f"{_label(result, a.workshop, short)} {percent(a.share)}" for a in cause.appearances)


def workshops_view(result: Rollup, short: bool = False) -> TableView:
    """The workshops in their order; ``short`` numbers them ``W1``, ``W2``… for the other
    views' ``short`` form (a terminal)."""
    return TableView(
        columns=(
            Column("Workshop" if short else "#", "W" if short else "", numeric=True),
            Column("File"),
            Column("Title"),
            Column("Date"),
            Column("Processes", "Procs", numeric=True),
            Column("Pains", numeric=True),
        ),
        rows=tuple(
            (f"W{w.number}" if short else str(w.number), w.name, w.title, w.date or "–", str(w.processes), str(w.pains))
            for w in result.workshops
        ),
        keys=tuple(w.file for w in result.workshops),
        empty="No workshops.",
    )


def root_causes_view(result: Rollup, short: bool = False) -> TableView:
    """One row per root cause; those that appear in two workshops or more are marked."""
    return TableView(
        columns=(
            Column("#", numeric=True),
            Column("Process"),
            Column("Department", "Dept."),
            Column("Workshops", "Wks", numeric=True),
            Column("Score", numeric=True),
            Column("Impact", numeric=True),
            Column("Share", numeric=True),
            Column("By share", "#share", numeric=True),
            Column("Share of each workshop", "In each"),
        ),
        rows=tuple(
            (
                str(c.rank),
                c.name,
                c.department or "–",
                str(c.workshops),
                rounded(c.score),
                rounded(c.impact),
                percent(c.share),
                str(c.share_rank),
                in_each(c, result, short),
            )
            for c in result.root_causes
        ),
        keys=tuple(str(c.rank) for c in result.root_causes),
        marked=frozenset(i for i, c in enumerate(result.root_causes) if c.workshops > 1),
        empty="No processes in these workshops.",
    )


def matched(result: Rollup) -> list[tuple[RootCause, Member]]:
    """The processes matched to another workshop's (or kept apart by the mapping file), by rank."""
    return [(c, m) for c in result.root_causes for m in c.members if len(c.members) > 1 or KEPT_APART in m.reasons]


def matches_view(result: Rollup, short: bool = False) -> TableView:
    rows = matched(result)
    return TableView(
        columns=(
            Column("Root cause", "#", numeric=True),
            Column("Workshop", "W", numeric=short),  # short: W1, W2… (no need to wrap)
            Column("Process id", "Id"),
            Column("Process"),
            Column("Department", "Dept."),
            Column("Matched by", "Why"),
        ),
        rows=tuple(
            (
                str(c.rank),
                _label(result, m.workshop, short),
                m.process,
                m.name,
                m.department or "–",
                ", ".join(m.reasons) or "–",
            )
            for c, m in rows
        ),
        keys=tuple(f"{m.workshop}:{m.process}" for _c, m in rows),
        empty="No process matched a process of another workshop.",
    )


# ---------------------------------------------------------------------------------------------
# Formats


def _r(x: float) -> float:
    return round(float(x), 3)


def rollup_json_data(result: Rollup) -> dict[str, Any]:
    """The rollup as plain data (floats rounded to 3 decimals).

    ``{"workshops": [{"number", "file", "title", "date", "processes", "pains"}], "mapping",
    "root_causes": [{"rank", "name", "department", "score", "impact", "share", "share_rank",
    "pains_reached", "workshops": [{"workshop", "file", "processes", "score", "impact", "share", "stages_reached",
    "pains_reached"}], "processes": [{"workshop", "file", "id", "name", "department",
    "matched_by"}]}]}``.
    """
    return {
        "workshops": [
            {
                "number": w.number,
                "file": w.file,
                "title": w.title,
                "date": w.date,
                "processes": w.processes,
                "pains": w.pains,
            }
            for w in result.workshops
        ],
        "mapping": result.mapping,
        "root_causes": [_cause_json(c, result) for c in result.root_causes],
    }


def _cause_json(c: RootCause, result: Rollup) -> dict[str, Any]:
    """One root cause of :func:`rollup_json_data`."""
    return {
        "rank": c.rank,
        "name": c.name,
        "department": c.department,
        "score": _r(c.score),
        "impact": _r(c.impact),
        "share": _r(c.share),
        "share_rank": c.share_rank,
        "pains_reached": c.pains_reached,
        "workshops": [
            {
                "workshop": a.workshop,
                "file": result.workshop(a.workshop).file,
                "processes": list(a.processes),
                "score": _r(a.score),
                "impact": _r(a.impact),
                "share": _r(a.share),
                "stages_reached": a.stages_reached,
                "pains_reached": a.pains_reached,
            }
            for a in c.appearances
        ],
        "processes": [
            {
                "workshop": m.workshop,
                "file": result.workshop(m.workshop).file,
                "id": m.process,
                "name": m.name,
                "department": m.department,
                "matched_by": list(m.reasons),
            }
            for m in c.members
        ],
    }


CSV_COLUMNS = (
    "rank",
    "root_cause",
    "department",
    "workshops",
    "total_score",
    "total_impact",
    "share",
    "share_rank",
    "file",
    "workshop_title",
    "process_ids",
    "process_names",
    "score",
    "impact",
    "workshop_share",
    "stages_reached",
    "pains_reached",
    "matched_by",
)


def rollup_csv_rows(result: Rollup) -> list[tuple[object, ...]]:
    """One row per root cause and workshop it appears in (header first: :data:`CSV_COLUMNS`)."""
    rows: list[tuple[object, ...]] = [CSV_COLUMNS]
    for c in result.root_causes:
        for a in c.appearances:
            here = [m for m in c.members if m.workshop == a.workshop]
            reasons = [r for r in REASONS if any(r in m.reasons for m in here)]
            rows.append(
                (
                    c.rank,
                    c.name,
                    c.department,
                    c.workshops,
                    round(c.score, 3),
                    round(c.impact, 3),
                    round(c.share, 3),
                    c.share_rank,
                    result.workshop(a.workshop).name,
                    result.workshop(a.workshop).title,
                    "; ".join(m.process for m in here),
                    "; ".join(m.name for m in here),
                    round(a.score, 3),
                    round(a.impact, 3),
                    round(a.share, 3),
                    a.stages_reached,
                    a.pains_reached,
                    "; ".join(reasons),
                )
            )
    return rows


def rollup_markdown(result: Rollup) -> str:
    lines = [f"# {title(result)}", "", md_cell(note(result)), ""]
    lines += ["## Workshops", "", *view_table(workshops_view(result)), ""]
    lines += ["## Root causes", "", *view_table(root_causes_view(result)), ""]
    lines += ["## Matches", "", *view_table(matches_view(result)), ""]
    return "\n".join(lines)


def rollup_text(fmt: str, result: Rollup) -> str:
    """The rollup as ``md``, ``csv``, ``json`` or ``html`` text (:data:`ROLLUP_FORMATS`; user
    text escaped for each)."""
    if fmt == "md":
        return rollup_markdown(result)
    if fmt == "csv":
        return _csv(rollup_csv_rows(result))
    if fmt == "json":
        return dumps_json(rollup_json_data(result))
    if fmt == "html":
        from .rollup_html import rollup_page  # Jinja2 only when a page is written

        return rollup_page(
            title(result), note(result), workshops_view(result), root_causes_view(result), matches_view(result)
        )
    raise ExportError(f"unknown rollup format {fmt!r}; one of: {', '.join(ROLLUP_FORMATS)}")
