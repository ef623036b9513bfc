"""The journey map report: one self-contained HTML file that people read, share and print.

:func:`export_html` works out what the report says (plain text, numbers, ids) and renders
``templates/report.html.j2`` with Jinja2, autoescaping every value: user text can only ever be
text. Before it is escaped, every value is cleaned (:func:`clean`: control characters made
visible, characters HTML does not allow replaced). The only markup that does not come from the
template is the charts, built in code by :mod:`.svg`, and a few table cells built here with
``Markup.format`` (which escapes what it formats).

The file needs nothing else to be read: no network request, no font, no script (a
Content-Security-Policy forbids them all). Its stylesheet (``templates/report.css``) lays the
page out for a screen and for print. Jinja2 is imported only when a report is written.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ... import __version__
from ..explain import explain_solution, why_rows
from ..friction import StageFriction, stage_friction
from ..model import Session, Solution, Stage
from ..scoring import FILL_IN, MAJOR_PROJECT, QUICK_WIN, THANKLESS, RankedProcess, Ranking, Reached, moment_stages
from ..views import Names, open_parking
from ..vocab import EMOTION_WORDS, SEVERITY_WORDS, fmt_number, plural, signed
from .svg import Series, clean, emotion_chart, matrix_chart, text

__all__ = ["StageFriction", "clean", "export_html", "stage_friction", "text"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
MAX_MAP_COLUMNS = 8  # stages per map table; a longer journey is split into balanced parts
QUADRANT_CLASS = {QUICK_WIN: "q-win", MAJOR_PROJECT: "q-major", FILL_IN: "q-fill", THANKLESS: "q-thankless"}
TEMPLATES = Path(__file__).with_name("templates")

Columns = list[tuple[str, str]]  # (heading, css class)


def _finalize(value: object) -> object:
    """Every value a template prints: user text cleaned before autoescape; markup as it is."""
    if isinstance(value, Markup) or not isinstance(value, str):
        return value
    return clean(value)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["lines"] = lambda value: text(value, multiline=True)  # keeps line breaks
    env.globals.update(signed=signed, plural=plural, severity_words=SEVERITY_WORDS, quadrant_class=QUADRANT_CLASS)
    return env


def _cell(template: str, *values: object) -> Markup:
    """A table cell with a little markup; every value is cleaned, then escaped by ``format``."""
    return Markup(template).format(
        *(v if isinstance(v, Markup) or not isinstance(v, str) else clean(v) for v in values)
    )


def _chip(quadrant: str) -> Markup:
    return _cell('<span class="chip {}">{}</span>', QUADRANT_CLASS.get(quadrant, ""), quadrant)


def _stage_ref(names: Names, stage_id: str) -> Markup:
    return _cell("{}. <bdi>{}</bdi>", names.stage_no.get(stage_id, ""), names.stage(stage_id))


# ---------------------------------------------------------------------------------------------
# What each section says


def _facts(session: Session, ranking: Ranking, names: Names) -> list[tuple[str, str, bool]]:
    """(label, value, is user text) for the header."""
    info = session.session
    pains = sum(p.kind == "pain" for p in session.pains)
    facts = [
        ("Journey", info.journey, False),
        ("State", info.state, False),
        ("Date", info.date.isoformat() if info.date is not None else "not set", False),
        ("Facilitator", info.facilitator or "not set", bool(info.facilitator)),
        ("Personas", str(len(session.personas)), False),
        ("Stages", str(len(session.stages)), False),
        ("Pains / gains", f"{pains} / {len(session.pains) - pains}", False),
        ("Processes", str(len(session.processes)), False),
        ("Solutions", str(len(session.solutions)), False),
    ]
    if ranking.persona is not None:
        facts.append(("Ranked for persona", names.persona(ranking.persona), True))
    return facts


def _toc(session: Session) -> list[tuple[str, str]]:
    toc = [
        ("personas", "Personas"),
        ("map", "Journey map"),
        ("emotion", "Emotion curve"),
        ("matrix", "Impact / effort"),
        ("quick-wins", "Quick wins"),
        ("root-causes", "Root causes"),
        ("friction", "Friction by stage"),
    ]
    return [*toc, ("parking", "Parking lot")] if open_parking(session) else toc


def chunks(items: Sequence[Stage], size: int) -> list[Sequence[Stage]]:
    """``items`` in balanced parts of at most ``size`` (9 stages → 5 + 4, not 8 + 1)."""
    if not items:
        return []
    parts = math.ceil(len(items) / size)
    base, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _map(session: Session, ranking: Ranking) -> dict[str, Any]:
    """The map's parts (columns of stages) and what each lane holds at each stage."""
    order = {s.id: i + 1 for i, s in enumerate(session.stages)}
    parts = chunks(session.stages, MAX_MAP_COLUMNS)
    map_parts = [
        {
            "stages": part,
            "min_width": f"{8.5 + 10.5 * len(part):g}",
            "where": f" (stages {order[part[0].id]}\u2013{order[part[-1].id]} of {len(order)})"
            if len(parts) > 1
            else "",
        }
        for part in parts
    ]
    ranked = {s.id: s for s in ranking.solutions}
    proc_stage = {p.id: p.stage for p in session.processes}
    sols = sorted(session.solutions, key=lambda so: ranked[so.id].rank if so.id in ranked else len(ranked) + 1)
    sols_at: dict[str, list[Solution]] = {}
    for so in sols:
        for st in dict.fromkeys(proc_stage[t] for t in so.targets if t in proc_stage):
            sols_at.setdefault(st, []).append(so)
    procs_at: dict[str, list[Any]] = {}
    for proc in session.processes:
        procs_at.setdefault(proc.stage, []).append(proc)
    pains_at = {
        st.id: sorted(
            (p for p in session.pains if p.stage == st.id), key=lambda p: (p.kind != "pain", -p.weight)
        )  # pains by weight, then gains
        for st in session.stages
    }
    return {
        "map_parts": map_parts,
        "ranked": ranked,
        "sols_at": sols_at,
        "procs_at": procs_at,
        "pains_at": pains_at,
        "root_rank": {p.id: p.rank for p in ranking.processes},
        "owner_of": {p.id: p.owner for p in session.processes},
        "moments": moment_stages(session),
        "loose": [so for so in sols if not any(t in proc_stage for t in so.targets)],
    }


def _emotion(session: Session, series: dict[str, Series]) -> dict[str, Any]:
    shown = [i for i, pe in enumerate(session.personas) if any(pe.id in st.emotion for st in session.stages)]
    if not session.stages or not shown:
        return {"chart": None}
    personas = [session.personas[i] for i in shown]
    columns = [
        ("#", "num"),
        ("Stage", "name"),
        *((_cell("{}<bdi>{}</bdi>", series[pe.id].symbol(), pe.name), "") for pe in personas),
    ]
    rows = []
    for i, st in enumerate(session.stages, 1):
        values = [st.emotion.get(pe.id) for pe in personas]
        rows.append(
            [
                str(i),
                st.name,
                *(
                    _cell('{} <span class="meta">{}</span>', signed(v), EMOTION_WORDS[v]) if v is not None else "\u2013"
                    for v in values
                ),
            ]
        )
    return {"chart": emotion_chart(session, shown), "personas": personas, "columns": columns, "rows": rows}


def _matrix(ranking: Ranking) -> dict[str, Any]:
    columns = [("#", "num"), ("Solution", ""), ("Impact", "num"), ("Effort", "num"), ("Quadrant", "")]
    rows = [
        [
            str(s.rank),
            _cell('<span dir="auto">{}</span>', s.text),
            fmt_number(s.impact),
            str(s.effort),
            _chip(s.quadrant),
        ]
        for s in ranking.solutions
    ]
    return {"columns": columns, "rows": rows}


REACHED_COLUMNS: Columns = [
    ("Pain (customer\u2019s words)", ""),
    ("Stage", "name"),
    ("Weight", "num"),
    ("Hops", "num"),
    ("Contribution", "num"),
]


def _reached_rows(reached: Sequence[Reached], names: Names) -> list[list[object]]:
    return [
        [
            _cell('<span dir="auto">{}</span>', names.pain(r.pain)),
            _stage_ref(names, r.stage),
            fmt_number(r.weight),
            str(r.hops),
            fmt_number(r.contribution),
        ]
        for r in reached
    ]


def _quick_wins(session: Session, ranking: Ranking, names: Names) -> dict[str, Any]:
    columns = [
        ("#", "num"),
        ("Solution", ""),
        ("Quadrant", ""),
        ("Score", "num"),
        ("Impact", "num"),
        ("Effort", "num"),
        ("Confidence", "num"),
        ("Stages", "num"),
        ("Status", ""),
        ("Votes", "num"),
        ("Unverified", "num"),
    ]
    rows = [
        [
            str(s.rank),
            _cell('<a href="#why-{}" dir="auto">{}</a>', s.id, s.text),
            _chip(s.quadrant),
            fmt_number(s.score),
            fmt_number(s.impact),
            str(s.effort),
            fmt_number(s.confidence),
            str(s.stages_reached),
            _cell('<span class="nowrap">{}</span>', s.status),
            str(s.votes),
            f"{s.unverified:.0%}",
        ]
        for s in ranking.solutions
    ]
    why = [
        {
            "row": s,
            "explanation": explain_solution(s, session.scoring).text(),
            "stages": list(dict.fromkeys(r.stage for r in s.reached)),
            "reached": _reached_rows(shown, names),
            "rest": rest,
        }
        for s in ranking.solutions
        for shown, rest in [why_rows(s.reached)]
    ]
    return {"columns": columns, "rows": rows, "why": why}


def _downstream(p: RankedProcess) -> str:
    down = [r for r in p.reached if r.hops > 0]
    if not down:
        return "\u2013"
    hops = sorted({r.hops for r in down})
    span = f"{hops[0]}\u2013{hops[-1]} hops" if len(hops) > 1 else plural(hops[0], "hop")
    return (
        f"{plural(len(down), 'pain')} at {plural(len({r.stage for r in down}), 'stage')} ({span}), "
        f"contribution {fmt_number(sum(r.contribution for r in down))}"
    )


def _root_causes(ranking: Ranking, names: Names) -> dict[str, Any]:
    columns = [
        ("#", "num"),
        ("Process", "name"),
        ("Owner", "name"),
        ("Stage", "name"),
        ("Score", "num"),
        ("Impact", "num"),
        ("Stages", "num"),
        ("Pains it causes itself", ""),
        ("Pains downstream, through handoffs", ""),
    ]
    rows = []
    for p in ranking.processes:
        causes = Markup("").join(
            _cell(
                '<li><span dir="auto">{}</span> <span class="meta">(weight {})</span></li>',
                names.pain(r.pain),
                fmt_number(r.weight),
            )
            for r in p.reached
            if r.hops == 0
        )
        rows.append(
            [
                str(p.rank),
                _cell('<span dir="auto">{}</span>', p.name),
                _cell("<bdi>{}</bdi>", names.department(p.owner)) if p.owner else "\u2013",
                _stage_ref(names, p.stage),
                fmt_number(p.score),
                fmt_number(p.impact),
                str(p.stages_reached),
                _cell('<ul class="plain">{}</ul>', causes) if causes else "\u2013",
                _downstream(p),
            ]
        )
    return {"columns": columns, "rows": rows}


def _friction(session: Session, names: Names, persona: str | None) -> dict[str, Any]:
    figures = stage_friction(session, persona)
    heaviest = max((f.pain_weight for f in figures), default=0) or 1
    owner = {p.id: p.owner for p in session.processes}

    def who(proc_id: str) -> str:
        dept = owner.get(proc_id)
        return names.department(dept) if dept else "no owner"

    rows = []
    for f in figures:
        handoffs = Markup("").join(
            _cell(
                '<li><bdi>{}</bdi> \u2192 <bdi>{}</bdi> <span class="handoff">(<bdi>{}</bdi> \u2192 <bdi>{}</bdi>)'
                "</span></li>",
                names.process(a),
                names.process(b),
                who(a),
                who(b),
            )
            for a, b in f.handoff_links
        )
        depts = Markup(", ").join(_cell("<bdi>{}</bdi>", names.department(d)) for d in f.department_ids)
        rows.append(
            [
                str(names.stage_no.get(f.stage, "")),
                f.name,
                str(f.pains),
                _cell(
                    '<span class="bar" style="width:{}em" aria-hidden="true"></span>{}',
                    f"{f.pain_weight / heaviest * 5:.2f}",
                    f.pain_weight,
                ),
                _cell('{} <span class="meta">({})</span>', f.departments, depts) if depts else str(f.departments),
                _cell('{}<ul class="plain meta">{}</ul>', f.handoffs, handoffs) if handoffs else str(f.handoffs),
            ]
        )
    columns = [
        ("#", "num"),
        ("Stage", ""),
        ("Pains", "num"),
        ("Pain weight", "num"),
        ("Departments involved", ""),
        ("Handoffs crossing departments", ""),
    ]
    return {"columns": columns, "rows": rows}


# ---------------------------------------------------------------------------------------------
# The report


def export_html(session: Session, ranking: Ranking) -> str:
    """The journey map report of ``session`` ranked as ``ranking``: one HTML5 document as text.

    Self-contained (inline CSS, inline SVG, no script, no external reference) and printable.
    Section ids: ``session``, ``personas``, ``map``, ``emotion``, ``matrix``, ``quick-wins``,
    ``root-causes``, ``friction`` and ``parking`` (only when parking-lot items are open). The
    emotion chart has one ``.emotion-point`` per (stage, persona) emotion recorded; the matrix
    one ``.matrix-point`` per ranked solution.
    """
    names = Names(session)
    series = {pe.id: Series(i) for i, pe in enumerate(session.personas)}
    context = {
        "csp": CSP,
        "version": __version__,
        "session": session,
        "info": session.session,
        "ranking": ranking,
        "names": names,
        "series": series,
        "facts": _facts(session, ranking, names),
        "toc": _toc(session),
        **_map(session, ranking),
        "emotion": _emotion(session, series),
        "matrix": _matrix(ranking),
        "matrix_chart": matrix_chart(ranking, session.scoring.quick_win_max_effort) if ranking.solutions else "",
        "quick_wins": _quick_wins(session, ranking, names),
        "reached_columns": REACHED_COLUMNS,
        "root_causes": _root_causes(ranking, names),
        "friction": _friction(session, names, ranking.persona),
        "parking": open_parking(session),
    }
    return _environment().get_template("report.html.j2").render(context)
