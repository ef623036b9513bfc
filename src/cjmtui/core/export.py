"""Exporting a session and its ranking: Markdown for people, CSV for spreadsheets, JSON for tools.

Every exporter is a pure function returning text; :func:`write_export` writes it atomically.
User text is escaped for the format it goes into (:mod:`cjmtui.core.safety`): Markdown never
renders markup, links or HTML from a note, a CSV cell never runs as a formula, and JSON is
always valid and safe to print in a terminal.

Formats
-------
- :func:`export_markdown`: the workshop write-up: header, ranked quick wins with "why this
  rank", ranked root-cause processes, then the full map stage by stage.
- :func:`export_csv`: the ranking table only (one row per solution, RFC 4180, CRLF line ends)
  so it opens as a single valid table; :func:`export_csv_map` is the map (one row per pain/gain).
- :func:`export_json`: :func:`ranking_json_data` plus ``"session"``, the whole session as
  stored (dates as ISO strings).
- :func:`ranking_markdown`: the ranked list alone (for the clipboard).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import store
from .errors import ExportError
from .model import Session
from .safety import csv_cell, md_cell
from .scoring import Ranking, RankedProcess, RankedSolution, Reached

CSV_COLUMNS = (
    "rank",
    "id",
    "solution",
    "score",
    "impact",
    "effort",
    "confidence",
    "stages_reached",
    "quadrant",
    "status",
    "votes",
    "reached_pains",
)
CSV_MAP_COLUMNS = (
    "id",
    "stage",
    "kind",
    "text",
    "severity",
    "frequency",
    "weight",
    "evidence",
    "personas",
    "caused_by",
)


def _round(value: float) -> float:
    return round(float(value), 3)


def fmt_number(value: float) -> str:
    """A score or impact for people: at most 3 decimals, no trailing zeros (``9``, ``12.5``)."""
    r = _round(value)
    if r == 0:
        return "0"
    return str(int(r)) if r.is_integer() else f"{r:.3f}".rstrip("0").rstrip(".")


def top_of(ranking: Ranking, top: int | None) -> Ranking:
    """The first ``top`` solutions and processes of ``ranking`` (all of them when ``top`` is None)."""
    if top is None:
        return ranking
    if top < 0:
        raise ExportError(f"top must be 0 or more, not {top}")
    return replace(ranking, solutions=ranking.solutions[:top], processes=ranking.processes[:top])


class _Names:
    """Ids to the words people know them by."""

    def __init__(self, session: Session) -> None:
        self.stages = {s.id: s.name for s in session.stages}
        self.pains = {p.id: p.text for p in session.pains}
        self.processes = {p.id: p.name for p in session.processes}
        self.departments = {d.id: d.name for d in session.departments}
        self.personas = {p.id: p.name for p in session.personas}

    def stage(self, stage_id: str | None) -> str:
        return self.stages.get(stage_id or "", stage_id or "")

    def department(self, dept_id: str | None) -> str:
        return self.departments.get(dept_id or "", dept_id or "")

    def process(self, proc_id: str) -> str:
        return self.processes.get(proc_id, proc_id)

    def persona(self, persona_id: str | None) -> str:
        return self.personas.get(persona_id or "", persona_id or "")


# ---------------------------------------------------------------------------------------------
# JSON

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot export a {type(value).__name__} as JSON")


def dumps_json(data: Any) -> str:
    """``data`` as indented JSON (UTF-8 text), always valid and safe to print in a terminal.

    ``json`` already escapes C0 controls; DEL, C1 controls, line/paragraph separators and
    bidi controls are escaped too (``\\u009b``), so the text never acts in a terminal.
    """
    try:
        text = json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False, default=_json_default)
    except (TypeError, ValueError) as exc:
        raise ExportError(f"cannot export as JSON: {exc}") from None
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _reached_json(reached: Iterable[Reached], names: _Names) -> list[dict[str, Any]]:
    return [
        {
            "pain": r.pain,
            "stage": r.stage,
            "hops": r.hops,
            "contribution": _round(r.contribution),
            "weight": r.weight,
            "pain_text": names.pains.get(r.pain, r.pain),
            "stage_name": names.stage(r.stage),
        }
        for r in reached
    ]


def _solution_json(s: RankedSolution, names: _Names) -> dict[str, Any]:
    return {
        "rank": s.rank,
        "id": s.id,
        "text": s.text,
        "score": _round(s.score),
        "impact": _round(s.impact),
        "effort": s.effort,
        "stages_reached": s.stages_reached,
        "quadrant": s.quadrant,
        "confidence": _round(s.confidence),
        "status": s.status,
        "votes": s.votes,
        "reached": _reached_json(s.reached, names),
    }


def _process_json(p: RankedProcess, names: _Names) -> dict[str, Any]:
    return {
        "rank": p.rank,
        "id": p.id,
        "name": p.name,
        "owner": p.owner,
        "stage": p.stage,
        "score": _round(p.score),
        "impact": _round(p.impact),
        "stages_reached": p.stages_reached,
        "owner_name": names.department(p.owner) if p.owner else None,
        "stage_name": names.stage(p.stage),
        "reached": _reached_json(p.reached, names),
    }


def ranking_json_data(ranking: Ranking, session: Session, top: int | None = None) -> dict[str, Any]:
    """The ranking as plain data (the JSON contract; floats rounded to 3 decimals).

    ``{"solutions": [{"rank", "id", "text", "score", "impact", "effort", "stages_reached",
    "quadrant", "confidence", "status", "votes", "reached": [{"pain", "stage", "hops",
    "contribution", ...}]}], "processes": [{"rank", "id", "name", "owner", "stage", "score",
    "impact", "stages_reached", "reached": [...]}], "persona": ..., "median_impact": ...}``
    """
    ranking = top_of(ranking, top)
    names = _Names(session)
    return {
        "solutions": [_solution_json(s, names) for s in ranking.solutions],
        "processes": [_process_json(p, names) for p in ranking.processes],
        "persona": ranking.persona,
        "median_impact": _round(ranking.median_impact),
    }


def export_json(session: Session, ranking: Ranking) -> str:
    """The ranking data plus ``"session"``: the whole session as stored (dates as ISO strings)."""
    data = ranking_json_data(ranking, session)
    data["session"] = store.session_document(session)
    return dumps_json(data)


# ---------------------------------------------------------------------------------------------
# CSV


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def _reached_pains(reached: Iterable[Reached]) -> str:
    return ";".join(f"{r.pain}@{r.stage}/{r.hops}" for r in reached)


def export_csv(session: Session, ranking: Ranking) -> str:
    """The ranking as one CSV table: a header, then one row per ranked solution.

    Columns: :data:`CSV_COLUMNS`. ``reached_pains`` lists ``pain-id@stage-id/hops`` joined by
    ``;``. Every cell goes through :func:`~cjmtui.core.safety.csv_cell`. The map itself is
    :func:`export_csv_map` (a second table would make this file invalid CSV).
    """
    rows: list[Sequence[object]] = [CSV_COLUMNS]
    for s in ranking.solutions:
        rows.append(
            (
                s.rank,
                s.id,
                s.text,
                _round(s.score),
                _round(s.impact),
                s.effort,
                _round(s.confidence),
                s.stages_reached,
                s.quadrant,
                s.status,
                s.votes,
                _reached_pains(s.reached),
            )
        )
    return _csv(rows)


def export_csv_map(session: Session) -> str:
    """The map as one CSV table: one row per pain or gain, in stage order.

    Columns: :data:`CSV_MAP_COLUMNS`; ``stage``, ``personas`` and ``caused_by`` are names
    (personas and processes joined by ``"; "``).
    """
    names = _Names(session)
    rows: list[Sequence[object]] = [CSV_MAP_COLUMNS]
    for pain in _pains_in_stage_order(session):
        rows.append(
            (
                pain.id,
                names.stage(pain.stage),
                pain.kind,
                pain.text,
                pain.severity,
                pain.frequency,
                pain.weight,
                pain.evidence,
                "; ".join(names.persona(p) for p in pain.personas),
                "; ".join(names.process(p) for p in pain.caused_by),
            )
        )
    return _csv(rows)


def _pains_in_stage_order(session: Session) -> list[Any]:
    order = {s.id: i for i, s in enumerate(session.stages)}
    return sorted(session.pains, key=lambda p: order.get(p.stage, len(order)))  # stable: file order within


# ---------------------------------------------------------------------------------------------
# Markdown


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _md_table(header: Sequence[str], align: str, rows: Iterable[Sequence[object]]) -> list[str]:
    """A GFM table; ``align`` has one letter per column: ``l`` or ``r``."""
    delim = ["---:" if a == "r" else "---" for a in align]
    return [_row(header), _row(delim), *(_row(r) for r in rows)]


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else str(value)


def _solutions_table(ranking: Ranking) -> list[str]:
    if not ranking.solutions:
        return ["No solutions yet."]
    return _md_table(
        ("#", "Solution", "Score", "Impact", "Effort", "Stages", "Quadrant"),
        "rlrrrrl",
        (
            (
                s.rank,
                md_cell(s.text),
                fmt_number(s.score),
                fmt_number(s.impact),
                s.effort,
                s.stages_reached,
                md_cell(s.quadrant),
            )
            for s in ranking.solutions
        ),
    )


def _why_table(reached: Sequence[Reached], names: _Names) -> list[str]:
    return _md_table(
        ("Pain", "Stage", "Weight", "Hops", "Contribution"),
        "llrrr",
        (
            (
                md_cell(names.pains.get(r.pain, r.pain)),
                md_cell(names.stage(r.stage)),
                r.weight,
                r.hops,
                fmt_number(r.contribution),
            )
            for r in reached
        ),
    )


def _persona_line(ranking: Ranking, names: _Names) -> str | None:
    if ranking.persona is None:
        return None
    return f"Ranked for persona: **{md_cell(names.persona(ranking.persona))}**"


def ranking_markdown(ranking: Ranking, session: Session, top: int | None = None) -> str:
    """The ranked quick wins alone, as a short Markdown block (for the clipboard)."""
    ranking = top_of(ranking, top)
    names = _Names(session)
    lines = [f"**Quick wins — {md_cell(session.session.title)}**", ""]
    persona = _persona_line(ranking, names)
    if persona:
        lines += [persona, ""]
    lines += _solutions_table(ranking)
    return "\n".join(lines) + "\n"


def export_markdown(session: Session, ranking: Ranking) -> str:
    """The workshop write-up: header, ranked quick wins with why, root causes, the full map."""
    names = _Names(session)
    info = session.session
    sc = session.scoring
    lines: list[str] = [f"# {md_cell(info.title)}", ""]
    lines.append(f"- **Journey:** {md_cell(info.journey)} ({md_cell(info.state)} state)")
    if info.facilitator:
        lines.append(f"- **Facilitator:** {md_cell(info.facilitator)}")
    if info.date is not None:
        lines.append(f"- **Date:** {info.date.isoformat()}")
    lines.append(
        f"- **Map:** {len(session.stages)} stages, "
        f"{sum(p.kind == 'pain' for p in session.pains)} pains, "
        f"{sum(p.kind == 'gain' for p in session.pains)} gains, "
        f"{len(session.processes)} processes, {len(session.solutions)} solutions"
    )
    lines.append(
        f"- **Scoring:** hop decay {fmt_number(sc.hop_decay)}, stage bonus {fmt_number(sc.stage_bonus)}, "
        f"quick win at effort ≤ {sc.quick_win_max_effort}, at most {sc.max_hops} hops"
    )
    persona = _persona_line(ranking, names)
    if persona:
        lines.append(f"- {persona}")
    lines.append("")

    # Ranked quick wins ------------------------------------------------------------------------
    lines += ["## Quick wins, ranked", ""]
    lines += _solutions_table(ranking)
    lines.append("")
    if ranking.solutions:
        lines += ["### Why this rank", ""]
        for s in ranking.solutions:
            lines.append(
                f"**{s.rank}. {md_cell(s.text)}** — score {fmt_number(s.score)} = impact {fmt_number(s.impact)}"
                f" × stage factor {fmt_number(1 + sc.stage_bonus * (s.stages_reached - 1)) if s.stages_reached else 0}"
                f" × confidence {fmt_number(s.confidence)} ÷ effort {s.effort}"
            )
            lines.append("")
            if s.reached:
                lines += _why_table(s.reached, names)
            else:
                lines.append("Reaches no pain yet: link it to the processes it changes.")
            lines.append("")

    # Root causes ------------------------------------------------------------------------------
    lines += ["## Root-cause processes, ranked", ""]
    if ranking.processes:
        lines += _md_table(
            ("#", "Process", "Owner", "Stage", "Score", "Impact", "Stages"),
            "rlllrrr",
            (
                (
                    p.rank,
                    md_cell(p.name),
                    md_cell(names.department(p.owner)) if p.owner else "",
                    md_cell(names.stage(p.stage)),
                    fmt_number(p.score),
                    fmt_number(p.impact),
                    p.stages_reached,
                )
                for p in ranking.processes
            ),
        )
    else:
        lines.append("No processes yet.")
    lines.append("")

    # The map ----------------------------------------------------------------------------------
    lines += ["## The map", ""]
    if session.personas:
        lines += ["### Personas", ""]
        for pe in session.personas:
            desc = f": {md_cell(pe.description)}" if pe.description else ""
            lines.append(f"- **{md_cell(pe.name)}**{desc}")
            for label, values in (("Goals", pe.goals), ("Needs", pe.needs), ("Frustrations", pe.frustrations)):
                if values:
                    lines.append(f"  - {label}: " + "; ".join(md_cell(v) for v in values))
        lines.append("")
    if session.departments:
        lines += ["### Departments", ""]
        for d in session.departments:
            role = f": {md_cell(d.role)}" if d.role else ""
            lines.append(f"- **{md_cell(d.name)}**{role}")
        lines.append("")
    if not session.stages:
        lines += ["No stages yet.", ""]
    for i, st in enumerate(session.stages, 1):
        lines += [f"### Stage {i}: {md_cell(st.name)}", ""]
        if st.phase:
            lines.append(f"- **Phase:** {md_cell(st.phase)}")
        if st.customer_goal:
            lines.append(f"- **Customer goal:** {md_cell(st.customer_goal)}")
        if st.touchpoints:
            lines.append("- **Touchpoints:** " + "; ".join(md_cell(t) for t in st.touchpoints))
        if st.channels:
            lines.append("- **Channels:** " + "; ".join(md_cell(c) for c in st.channels))
        if st.owners:
            lines.append("- **Owners:** " + "; ".join(md_cell(names.department(o)) for o in st.owners))
        if st.emotion:
            lines.append(
                "- **Emotion:** "
                + "; ".join(f"{md_cell(names.persona(pid))} {_signed(v)}" for pid, v in st.emotion.items())
            )
        lines.append("")
        pains = [p for p in session.pains if p.stage == st.id]
        if pains:
            lines.append("**Pains and gains**")
            lines.append("")
            lines += _md_table(
                ("Kind", "Text", "Severity × frequency", "Evidence", "Personas", "Caused by"),
                "llrlll",
                (
                    (
                        p.kind,
                        md_cell(p.text),
                        f"{p.severity} × {p.frequency} = {p.weight}",
                        p.evidence,
                        "; ".join(md_cell(names.persona(x)) for x in p.personas),
                        "; ".join(md_cell(names.process(x)) for x in p.caused_by),
                    )
                    for p in pains
                ),
            )
            lines.append("")
        procs = [p for p in session.processes if p.stage == st.id]
        if procs:
            lines.append("**Processes**")
            lines.append("")
            lines += _md_table(
                ("Process", "Owner", "Systems", "Feeds"),
                "llll",
                (
                    (
                        md_cell(p.name),
                        md_cell(names.department(p.owner)) if p.owner else "",
                        "; ".join(md_cell(x) for x in p.systems),
                        "; ".join(md_cell(names.process(x)) for x in p.feeds),
                    )
                    for p in procs
                ),
            )
            lines.append("")

    lines += ["### Solutions", ""]
    if session.solutions:
        lines += _md_table(
            ("Solution", "Changes", "Effort", "Confidence", "Owner", "Status", "Votes"),
            "llrrllr",
            (
                (
                    md_cell(so.text),
                    "; ".join(md_cell(names.process(x)) for x in so.targets),
                    so.effort,
                    fmt_number(so.confidence),
                    md_cell(names.department(so.owner)) if so.owner else "",
                    so.status,
                    so.votes,
                )
                for so in session.solutions
            ),
        )
    else:
        lines.append("No solutions yet.")
    lines.append("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Writing


def write_export(text: str, path: Path) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically, without a backup. Returns ``path``.

    Raises :class:`~cjmtui.core.errors.SaveError` (nothing written) when it cannot.
    """
    path = Path(path)
    store.write_atomic(path, text.encode("utf-8"), backup=False)
    return path
