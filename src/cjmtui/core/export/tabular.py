"""Exports for tools: CSV for spreadsheets (RFC 4180, CRLF line ends, every cell made safe
from formulas by :func:`~cjmtui.core.safety.csv_cell`) and JSON (always valid, safe to print).

- :func:`export_csv`: the ranking table only (one row per solution) so it opens as one valid
  table; :func:`export_csv_map` is the map (one row per pain/gain, with its votes and its
  stage's friction figures, then one row per open parked item).
- :func:`export_json`: :func:`ranking_json_data` plus ``"friction"`` (per stage), ``"parking"``
  (the open parked items) and ``"session"``, the whole session as stored (dates as ISO strings).
- :func:`export_friction_csv`, :func:`friction_json_data`: friction per stage alone;
  :func:`comparison_json_data`: a current state compared with its future state.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .. import store
from ..errors import ExportError
from ..friction import StageFriction, stage_friction
from ..future import Comparison
from ..model import ParkingItem, Session
from ..safety import csv_cell
from ..scoring import RankedProcess, RankedSolution, Ranking, Reached, at_moment, moment_stages
from ..views import Names, open_parking, pains_in_stage_order
from ..voting import pain_votes

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
    "unverified",
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
    "moment_of_truth",
    "validation",
    "validated_on",
    "validation_note",
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


def top_of(ranking: Ranking, top: int | None) -> Ranking:
    """The first ``top`` solutions and processes of ``ranking`` (all of them when ``top`` is None)."""
    if top is None:
        return ranking
    if top < 0:
        raise ExportError(f"top must be 0 or more, not {top}")
    return replace(ranking, solutions=ranking.solutions[:top], processes=ranking.processes[:top])


# ---------------------------------------------------------------------------------------------
# JSON

_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot export a {type(value).__name__} as JSON")


def dumps_json(data: Any, indent: int | None = None) -> str:
    """``data`` as JSON (UTF-8 text), always valid and safe to print in a terminal.

    Compact by default, which keeps Python's C encoder (``indent`` switches to the pure-Python
    one: about ten times slower on a big ranking). ``json`` already escapes C0 controls; DEL, C1
    controls, line/paragraph separators and bidi controls are escaped too (``\\u009b``), so the
    text never acts in a terminal. JSON is the one output that keeps the data exact: a bidi
    override stays in the data (escaped, so a JSON reader gets it back), where every output for
    people removes it (:func:`~cjmtui.core.safety.strip_bidi`).
    """
    try:
        text = json.dumps(
            data,
            ensure_ascii=False,
            indent=indent,
            separators=None if indent else (",", ":"),
            allow_nan=False,
            default=_json_default,
        )
    except (TypeError, ValueError) as exc:
        raise ExportError(f"cannot export as JSON: {exc}") from None
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _reached_json(reached: Iterable[Reached], seen: dict[str, set[str]]) -> list[dict[str, Any]]:
    out = []
    for r in reached:
        seen["pains"].add(r.pain)
        seen["stages"].add(r.stage)
        out.append(
            {
                "pain": r.pain,
                "stage": r.stage,
                "hops": r.hops,
                "weight": r.weight if isinstance(r.weight, int) else _round(r.weight),
                "contribution": _round(r.contribution),
            }
        )
    return out


def _solution_json(s: RankedSolution, seen: dict[str, set[str]] | None) -> dict[str, Any]:
    row = {
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
        "unverified": _round(s.unverified),
    }
    if seen is not None:
        row["reached"] = _reached_json(s.reached, seen)
    return row


def _process_json(p: RankedProcess, names: Names, seen: dict[str, set[str]] | None) -> dict[str, Any]:
    row = {
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
    }
    if seen is not None:
        row["reached"] = _reached_json(p.reached, seen)
    return row


def ranking_json_data(
    ranking: Ranking, session: Session, top: int | None = None, *, why: bool = True
) -> dict[str, Any]:
    """The ranking as plain data (the JSON contract; floats rounded to 3 decimals).

    ``{"solutions": [{"rank", "id", "text", "score", "impact", "effort", "stages_reached",
    "quadrant", "confidence", "status", "votes", "unverified", "reached"}], "processes": [{"rank", "id",
    "name", "owner", "stage", "score", "impact", "stages_reached", "owner_name", "stage_name",
    "reached"}], "persona": ..., "median_impact": ..., "names": {"pains": {id: text}, "stages":
    {id: name}}}``. With ``why`` (the default) every row has ``"reached"``: the pains its fix
    reaches, ``[{"pain", "stage", "hops", "weight", "contribution"}]``, biggest first, and
    ``"names"`` gives the words of each pain and stage named there, once (a breakdown repeating
    them ran to 85 MB for 2,000 pains). Without ``why`` there is neither.
    """
    ranking = top_of(ranking, top)
    names = Names(session)
    seen: dict[str, set[str]] | None = {"pains": set(), "stages": set()} if why else None
    data: dict[str, Any] = {
        "solutions": [_solution_json(s, seen) for s in ranking.solutions],
        "processes": [_process_json(p, names, seen) for p in ranking.processes],
        "persona": ranking.persona,
        "median_impact": _round(ranking.median_impact),
    }
    if seen is not None:
        data["names"] = {
            "pains": {p.id: p.text for p in session.pains if p.id in seen["pains"]},
            "stages": {s.id: s.name for s in session.stages if s.id in seen["stages"]},
        }
    return data


def _friction_json(row: StageFriction, names: Names) -> dict[str, Any]:
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
    names = Names(session)
    return [_friction_json(row, names) for row in stage_friction(session, persona)]


def parking_json_data(session: Session) -> list[dict[str, Any]]:
    """The open parked items: ``{"id", "text", "stage", "stage_name"}`` (stage and name ``None`` when unset)."""
    names = Names(session)
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


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV is written: for tools (RFC 4180) or for a spreadsheet in a locale."""

    name: str
    delimiter: str
    decimal: str  # the decimal separator of numbers
    bom: bool  # a UTF-8 byte order mark first, which spreadsheets read as "this is UTF-8"
    quote_text: bool  # every text cell quoted, numbers not: "quoted field as text" keeps text text
    summary: str


CSV_DIALECTS: dict[str, CsvDialect] = {
    d.name: d
    for d in (
        CsvDialect("tools", ",", ".", False, False, "RFC 4180 for tools: comma, decimal point, no BOM (the default)"),
        CsvDialect(
            "excel-en", ",", ".", True, True, "a spreadsheet in an English locale: UTF-8 BOM, comma, decimal point"
        ),
        CsvDialect(
            "excel-de",
            ";",
            ",",
            True,
            True,
            "a spreadsheet in a German (most European) locale: UTF-8 BOM, semicolon, decimal comma",
        ),
    )
}
TOOLS = CSV_DIALECTS["tools"]


def csv_dialect(name: str | None) -> CsvDialect:
    """The dialect called ``name`` (``None``: for tools); :class:`ExportError` for an unknown one."""
    try:
        return CSV_DIALECTS[name or "tools"]
    except KeyError:
        raise ExportError(f"unknown CSV dialect {name!r}; one of: {', '.join(CSV_DIALECTS)}") from None


def _plain_number(value: float, decimal: str) -> str:
    text = str(value)
    if "e" in text or "E" in text:  # 1e-05: no spreadsheet in every locale reads that
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal)


def _spreadsheet_cell(value: object, dialect: CsvDialect) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _plain_number(value, dialect.decimal)
    text = csv_cell(value)  # the formula guard and visible controls, as for tools
    return '"' + text.replace('"', '""') + '"' if text else ""


def _csv(rows: Iterable[Sequence[object]], dialect: CsvDialect = TOOLS) -> str:
    if dialect.quote_text:
        lines = (dialect.delimiter.join(_spreadsheet_cell(v, dialect) for v in row) for row in rows)
        return ("\ufeff" if dialect.bom else "") + "".join(line + "\r\n" for line in lines)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", delimiter=dialect.delimiter)
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" if dialect.bom else "") + out.getvalue()


def _reached_pains(reached: Iterable[Reached]) -> str:
    return ";".join(f"{r.pain}@{r.stage}/{r.hops}" for r in reached)


def ranking_rows(ranking: Ranking) -> list[Sequence[object]]:
    """The ranking table's rows (header first, :data:`CSV_COLUMNS`), values as they are."""
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
                _round(s.unverified),
            )
        )
    return rows


def export_csv(session: Session, ranking: Ranking, dialect: CsvDialect = TOOLS) -> str:
    """The ranking as one CSV table: a header, then one row per ranked solution.

    Columns: :data:`CSV_COLUMNS`. ``reached_pains`` lists ``pain-id@stage-id/hops`` joined by
    ``;``; ``unverified`` is the share (0–1) of the impact resting on anecdotes and assumptions
    not yet validated with customers. Every cell goes through :func:`~cjmtui.core.safety.csv_cell`. The map itself is
    :func:`export_csv_map` (a second table would make this file invalid CSV). ``dialect`` is
    :data:`CSV_DIALECTS`' ``tools`` by default; ``excel-en``/``excel-de`` write for a spreadsheet.
    """
    return _csv(ranking_rows(ranking), dialect)


def export_csv_map(session: Session, dialect: CsvDialect = TOOLS) -> str:
    """The map as one CSV table (:func:`map_rows`), in ``dialect`` (see :func:`export_csv`)."""
    return _csv(map_rows(session), dialect)


def map_rows(session: Session) -> list[Sequence[object]]:
    """The map's rows (header first): one row per pain or gain, in stage order, then one row per
    open parked item (``kind`` ``"parked"``, its stage when it has one).

    Columns: :data:`CSV_MAP_COLUMNS`; ``stage``, ``personas`` and ``caused_by`` are names
    (personas and processes joined by ``"; "``); ``votes`` is the participants' dots on the
    pain; the ``stage_*`` columns are the friction figures of the row's stage
    (:func:`~cjmtui.core.friction.stage_friction`: pains, their weight, departments involved,
    handoffs to another department), repeated on each row of that stage; ``moment_of_truth`` is
    ``yes`` for a pain at a moment of truth (its own mark or its stage's), then the pain's
    ``validation`` outcome, ``validated_on`` and ``validation_note``.
    """
    names = Names(session)
    friction = {row.stage: row for row in stage_friction(session)}
    dots = pain_votes(session)
    moments = moment_stages(session)
    rows: list[Sequence[object]] = [CSV_MAP_COLUMNS]
    for pain in pains_in_stage_order(session):
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
                "yes" if at_moment(pain, moments) else "",
                pain.validation,
                pain.validated_on.isoformat() if pain.validated_on else "",
                pain.validation_note,
            )
        )
    rows += [_parked_row(parked, names, friction.get(parked.stage or "")) for parked in open_parking(session)]
    return rows


def _parked_row(parked: ParkingItem, names: Names, at: StageFriction | None) -> tuple[object, ...]:
    """An open parked item's row of the map (:func:`map_rows`): its words, its stage's friction."""
    return (
        parked.id,
        names.stage(parked.stage) if parked.stage else "",
        "parked",
        parked.text,
        None,
        None,
        None,
        None,
        None,
        None,
        None,
        *((at.pains, at.pain_weight, at.departments, at.handoffs) if at else (None, None, None, None)),
        None,
        None,
        None,
        None,
    )


def export_friction_csv(session: Session, persona: str | None = None) -> str:
    """Friction per stage as one CSV table: :data:`FRICTION_COLUMNS`, one row per stage."""
    rows: list[Sequence[object]] = [FRICTION_COLUMNS]
    for row in friction_json_data(session, persona):
        rows.append(tuple(row[c] for c in FRICTION_COLUMNS))
    return _csv(rows)
