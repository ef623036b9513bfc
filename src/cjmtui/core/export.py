"""Exporting a session and its ranking: Markdown for people, CSV for spreadsheets, JSON for tools.

Every exporter is a pure function returning text; :func:`write_export` writes it atomically.
User text is escaped for the format it goes into (:mod:`cjmtui.core.safety`): Markdown never
renders markup, links or HTML from a note, a CSV cell never runs as a formula, and JSON is
always valid and safe to print in a terminal.

Formats
-------
- :func:`export_markdown`: the workshop write-up: header, ranked quick wins (with their votes)
  and "why this rank", ranked root-cause processes, friction by stage, the full map stage by
  stage, then the open items of the parking lot.
- :func:`export_csv`: the ranking table only (one row per solution, RFC 4180, CRLF line ends)
  so it opens as a single valid table; :func:`export_csv_map` is the map (one row per pain/gain,
  with its votes and its stage's friction figures, then one row per open parked item).
- :func:`export_json`: :func:`ranking_json_data` plus ``"friction"`` (per stage),
  ``"parking"`` (the open parked items) and ``"session"``, the whole session as stored (dates
  as ISO strings).
- :func:`ranking_markdown`: the ranked list alone (for the clipboard).
- :func:`friction_markdown`, :func:`export_friction_csv`, :func:`friction_json_data`: friction
  per stage alone; :func:`comparison_markdown`, :func:`comparison_json_data`: a current state
  compared with its future state (``cjmtui friction`` and ``cjmtui compare``).
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
from .friction import StageFriction, stage_friction
from .future import Comparison
from .model import ParkingItem, Session
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
    "votes",
    "stage_pains",
    "stage_pain_weight",
    "stage_departments",
    "stage_handoffs",
)
FRICTION_COLUMNS = (
    "stage",
    "name",
    "pains",
    "pain_weight",
    "departments",
    "handoffs",
    "top_process",
    "top_process_name",
    "top_reach",
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


def pain_votes(session: Session) -> dict[str, int]:
    """The participants' dots on each pain (and gain), by id (what ``edit.total_votes`` counts)."""
    dots: dict[str, int] = {}
    for person in session.participants:
        for pain_id, n in person.pain_votes.items():
            dots[pain_id] = dots.get(pain_id, 0) + n
    return dots


def solution_votes(session: Session) -> dict[str, int]:
    """Votes on each solution: its own ``votes`` plus the participants' dots (``RankedSolution.votes``)."""
    dots = {s.id: s.votes for s in session.solutions}
    for person in session.participants:
        for sol_id, n in person.solution_votes.items():
            dots[sol_id] = dots.get(sol_id, 0) + n
    return dots


def open_parking(session: Session) -> list[ParkingItem]:
    """The parked items still to deal with (status ``"open"``), in file order."""
    return [p for p in session.parking if p.status == "open"]


def _friction_json(row: StageFriction, names: _Names) -> dict[str, Any]:
    return {
        "stage": row.stage,
        "name": row.name,
        "pains": row.pains,
        "pain_weight": row.pain_weight,
        "departments": row.departments,
        "handoffs": row.handoffs,
        "top_process": row.top_process,
        "top_process_name": names.process(row.top_process) if row.top_process else None,
        "top_reach": row.top_reach,
    }


def friction_json_data(session: Session, persona: str | None = None) -> list[dict[str, Any]]:
    """Friction per stage as plain data: one dict per stage (:data:`FRICTION_COLUMNS`), in journey order."""
    names = _Names(session)
    return [_friction_json(row, names) for row in stage_friction(session, persona)]


def parking_json_data(session: Session) -> list[dict[str, Any]]:
    """The open parked items: ``{"id", "text", "stage", "stage_name"}`` (stage and name ``None`` when unset)."""
    names = _Names(session)
    return [
        {"id": p.id, "text": p.text, "stage": p.stage, "stage_name": names.stage(p.stage) if p.stage else None}
        for p in open_parking(session)
    ]


def export_json(session: Session, ranking: Ranking) -> str:
    """The ranking data plus ``"friction"`` (per stage, for the ranking's persona),
    ``"parking"`` (the open parked items) and ``"session"``: the whole session as stored
    (dates as ISO strings)."""
    data = ranking_json_data(ranking, session)
    data["friction"] = friction_json_data(session, ranking.persona)
    data["parking"] = parking_json_data(session)
    data["session"] = store.session_document(session)
    return dumps_json(data)


def comparison_json_data(current: Session, future: Session, result: Comparison) -> dict[str, Any]:
    """A comparison (:func:`cjmtui.core.future.compare`) as plain data, with the words for every id.

    ``{"removed": [{"id", "text", "stage", "stage_name"}], "added": [...], "emotion": [{"stage",
    "stage_name", "persona", "persona_name", "before", "after"}], "meant_to_remove": [{"id",
    "text", "status", "pains": [{"id", "text", "stage", "stage_name"}]}]}``; ``before`` and
    ``after`` are ``None`` where a persona had no rating.
    """
    now = {p.id: p for p in current.pains}
    later = {p.id: p for p in future.pains}
    stages = {s.id: s.name for s in [*current.stages, *future.stages]}
    solutions = {s.id: s for s in future.solutions}

    def pain(pains: dict[str, Any], pain_id: str) -> dict[str, Any]:
        p = pains[pain_id]
        return {"id": p.id, "text": p.text, "stage": p.stage, "stage_name": stages.get(p.stage, p.stage)}

    return {
        "removed": [pain(now, pid) for pid in result.removed],
        "added": [pain(later, pid) for pid in result.added],
        "emotion": [
            {
                "stage": ch.stage,
                "stage_name": ch.stage_name,
                "persona": ch.persona,
                "persona_name": ch.persona_name,
                "before": ch.before,
                "after": ch.after,
            }
            for ch in result.emotion
        ],
        "meant_to_remove": [
            {
                "id": sol_id,
                "text": solutions[sol_id].text,
                "status": solutions[sol_id].status,
                "pains": [pain(now, pid) for pid in pains],
            }
            for sol_id, pains in result.meant_to_remove
        ],
    }


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
    """The map as one CSV table: one row per pain or gain, in stage order, then one row per
    open parked item (``kind`` ``"parked"``, its stage when it has one).

    Columns: :data:`CSV_MAP_COLUMNS`; ``stage``, ``personas`` and ``caused_by`` are names
    (personas and processes joined by ``"; "``); ``votes`` is the participants' dots on the
    pain; the ``stage_*`` columns are the friction figures of the row's stage
    (:func:`~cjmtui.core.friction.stage_friction`: pains, their weight, departments involved,
    handoffs to another department), repeated on each row of that stage.
    """
    names = _Names(session)
    friction = {row.stage: row for row in stage_friction(session)}
    dots = pain_votes(session)
    rows: list[Sequence[object]] = [CSV_MAP_COLUMNS]
    for pain in _pains_in_stage_order(session):
        f = friction[pain.stage]
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
                dots.get(pain.id, 0),
                f.pains,
                f.pain_weight,
                f.departments,
                f.handoffs,
            )
        )
    for parked in open_parking(session):
        f = friction.get(parked.stage or "")
        rows.append(
            (
                parked.id,
                names.stage(parked.stage) if parked.stage else "",
                "parked",
                parked.text,
                None, None, None, None, None, None, None,
                *((f.pains, f.pain_weight, f.departments, f.handoffs) if f else (None, None, None, None)),
            )
        )
    return _csv(rows)


def export_friction_csv(session: Session, persona: str | None = None) -> str:
    """Friction per stage as one CSV table: :data:`FRICTION_COLUMNS`, one row per stage."""
    rows: list[Sequence[object]] = [FRICTION_COLUMNS]
    for row in friction_json_data(session, persona):
        rows.append(tuple(row[c] for c in FRICTION_COLUMNS))
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
        ("#", "Solution", "Score", "Impact", "Effort", "Stages", "Quadrant", "Votes"),
        "rlrrrrlr",
        (
            (
                s.rank,
                md_cell(s.text),
                fmt_number(s.score),
                fmt_number(s.impact),
                s.effort,
                s.stages_reached,
                md_cell(s.quadrant),
                s.votes,
            )
            for s in ranking.solutions
        ),
    )


def _friction_table(rows: Sequence[StageFriction], names: _Names) -> list[str]:
    if not rows:
        return ["No stages yet."]
    return _md_table(
        ("#", "Stage", "Pains", "Pain weight", "Departments", "Handoffs", "Most downstream reach"),
        "rlrrrrl",
        (
            (
                i,
                md_cell(r.name),
                r.pains,
                r.pain_weight,
                r.departments,
                r.handoffs,
                f"{md_cell(names.process(r.top_process))} ({r.top_reach} {'pain' if r.top_reach == 1 else 'pains'})" if r.top_process else "—",
            )
            for i, r in enumerate(rows, 1)
        ),
    )


FRICTION_NOTE = (
    "Pains and their weight (severity × frequency) at each stage, the departments involved (the "
    "stage's owners and its processes' owners), the handoffs from its processes to a process of "
    "another department, and its process whose fix reaches the most pains downstream."
)


def friction_markdown(session: Session, persona: str | None = None) -> str:
    """Friction per stage alone, as a short Markdown block."""
    names = _Names(session)
    lines = [f"**Friction by stage — {md_cell(session.session.title)}**", ""]
    if persona is not None:
        lines += [f"For persona: **{md_cell(names.persona(persona))}**", ""]
    lines += _friction_table(stage_friction(session, persona), names)
    return "\n".join(lines) + "\n"


def _parking_lines(session: Session, names: _Names) -> list[str]:
    items = open_parking(session)
    if not items:
        return ["Nothing open in the parking lot."]
    return [
        f"- {md_cell(p.text)}" + (f" (stage: {md_cell(names.stage(p.stage))})" if p.stage else "")
        for p in items
    ]


def _emotion(value: int | None) -> str:
    return "—" if value is None else _signed(value)


def comparison_markdown(
    current: Session, future: Session, result: Comparison, current_name: str = "", future_name: str = ""
) -> str:
    """A current state compared with its future state, as Markdown (``cjmtui compare --format md``)."""
    data = comparison_json_data(current, future, result)
    lines = [f"# Current vs future state — {md_cell(future.session.title)}", ""]
    if current_name or future_name:
        lines += [f"Current state: {md_cell(current_name)}; future state: {md_cell(future_name)}", ""]

    def pain_rows(pains: list[dict[str, Any]]) -> list[str]:
        if not pains:
            return ["None."]
        return _md_table(("Pain", "Stage"), "ll",
                         ((md_cell(p["text"]), md_cell(p["stage_name"])) for p in pains))

    lines += [f"## Pains removed ({len(data['removed'])})", "", *pain_rows(data["removed"]), ""]
    lines += [f"## Pains added ({len(data['added'])})", "", *pain_rows(data["added"]), ""]
    lines += [f"## Emotion changes ({len(data['emotion'])})", ""]
    if data["emotion"]:
        lines += _md_table(
            ("Stage", "Persona", "Before", "After"),
            "llrr",
            ((md_cell(c["stage_name"]), md_cell(c["persona_name"]), _emotion(c["before"]), _emotion(c["after"]))
             for c in data["emotion"]),
        )
    else:
        lines.append("None.")
    lines += ["", "## Solutions done or under way, and the removed pains they were meant to remove", ""]
    if data["meant_to_remove"]:
        lines += _md_table(
            ("Solution", "Status", "Removed pains it reaches"),
            "lll",
            (
                (md_cell(m["text"]), m["status"],
                 "; ".join(md_cell(p["text"]) for p in m["pains"]) or "none of the removed pains")
                for m in data["meant_to_remove"]
            ),
        )
    else:
        lines.append("No solution is done or under way.")
    lines.append("")
    return "\n".join(lines)


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
    pain_dots = pain_votes(session)
    solution_dots = solution_votes(session)
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
        f"quick win at effort ≤ {sc.quick_win_max_effort}, at most {sc.max_hops} hops, "
        f"vote weight {fmt_number(sc.vote_weight)}"
    )
    if session.participants:
        lines.append(
            f"- **Dot voting:** {len(session.participants)} participants, "
            f"{info.vote_budget} dots each on solutions and on pains"
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
            votes = (
                f" × votes factor {fmt_number(1 + sc.vote_weight * s.votes)} ({s.votes} votes)"
                if sc.vote_weight and s.votes
                else ""
            )
            lines.append(
                f"**{s.rank}. {md_cell(s.text)}** — score {fmt_number(s.score)} = impact {fmt_number(s.impact)}"
                f" × stage factor {fmt_number(1 + sc.stage_bonus * (s.stages_reached - 1)) if s.stages_reached else 0}"
                f" × confidence {fmt_number(s.confidence)} ÷ effort {s.effort}{votes}"
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

    # Friction ---------------------------------------------------------------------------------
    lines += ["## Friction by stage", "", FRICTION_NOTE, ""]
    lines += _friction_table(stage_friction(session, ranking.persona), names)
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
                ("Kind", "Text", "Severity × frequency", "Evidence", "Personas", "Caused by", "Votes"),
                "llrlllr",
                (
                    (
                        p.kind,
                        md_cell(p.text),
                        f"{p.severity} × {p.frequency} = {p.weight}",
                        p.evidence,
                        "; ".join(md_cell(names.persona(x)) for x in p.personas),
                        "; ".join(md_cell(names.process(x)) for x in p.caused_by),
                        pain_dots.get(p.id, 0),
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
                    solution_dots[so.id],
                )
                for so in session.solutions
            ),
        )
    else:
        lines.append("No solutions yet.")
    lines.append("")

    # Parking lot ------------------------------------------------------------------------------
    lines += ["## Parking lot (open)", ""]
    lines += _parking_lines(session, names)
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
