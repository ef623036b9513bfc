"""The Markdown exports: the workshop write-up for people who were not in the room, the ranked
list for the clipboard, friction per stage, and a current state compared with its future state.

Every piece of user text goes through :func:`~cjmtui.core.safety.md_cell`: a note never renders
as markup, a link or HTML, and never breaks a table row. Tables are GitHub-flavoured Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..explain import explain_solution, why_rows
from ..future import Comparison
from ..model import Pain, Session
from ..safety import md_cell
from ..scoring import Ranking, Reached
from ..views import FRICTION_NOTE, MOMENT_MARK, Names, TableView, friction_view, open_parking
from ..vocab import emotion_value, fmt_number, plural, signed
from ..voting import pain_votes, solution_votes
from .tabular import comparison_json_data, top_of


def _row(cells: Iterable[object]) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def _md_table(header: Sequence[str], align: str, rows: Iterable[Sequence[object]]) -> list[str]:
    """A GFM table; ``align`` has one letter per column: ``l`` or ``r``."""
    delim = ["---:" if a == "r" else "---" for a in align]
    return [_row(header), _row(delim), *(_row(r) for r in rows)]


def view_table(view: TableView) -> list[str]:
    """A :class:`~cjmtui.core.views.TableView` as a GFM table, every cell escaped."""
    if not view.rows:
        return [view.empty]
    return _md_table([c.title for c in view.columns], view.align, ([md_cell(c) for c in row] for row in view.rows))


def _solutions_table(ranking: Ranking) -> list[str]:
    if not ranking.solutions:
        return ["No solutions yet."]
    return _md_table(
        ("#", "Solution", "Score", "Impact", "Effort", "Stages", "Quadrant", "Votes", "Unverified"),
        "rlrrrrlrr",
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
                f"{s.unverified:.0%}",
            )
            for s in ranking.solutions
        ),
    )


def friction_markdown(session: Session, persona: str | None = None) -> str:
    """Friction per stage alone, as a short Markdown block."""
    names = Names(session)
    lines = [f"**Friction by stage — {md_cell(session.session.title)}**", ""]
    if persona is not None:
        lines += [f"For persona: **{md_cell(names.persona(persona))}**", ""]
    lines += view_table(friction_view(session, persona))
    return "\n".join(lines) + "\n"


def _parking_lines(session: Session, names: Names) -> list[str]:
    items = open_parking(session)
    if not items:
        return ["Nothing open in the parking lot."]
    return [f"- {md_cell(p.text)}" + (f" (stage: {md_cell(names.stage(p.stage))})" if p.stage else "") for p in items]


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
        return _md_table(("Pain", "Stage"), "ll", ((md_cell(p["text"]), md_cell(p["stage_name"])) for p in pains))

    lines += [f"## Pains removed ({len(data['removed'])})", "", *pain_rows(data["removed"]), ""]
    lines += [f"## Pains added ({len(data['added'])})", "", *pain_rows(data["added"]), ""]
    lines += [f"## Emotion changes ({len(data['emotion'])})", ""]
    if data["emotion"]:
        lines += _md_table(
            ("Stage", "Persona", "Before", "After"),
            "llrr",
            (
                (
                    md_cell(c["stage_name"]),
                    md_cell(c["persona_name"]),
                    emotion_value(c["before"]),
                    emotion_value(c["after"]),
                )
                for c in data["emotion"]
            ),
        )
    else:
        lines.append("None.")
    lines += ["", "## Solutions done or under way, and the removed pains they were meant to remove", ""]
    if data["meant_to_remove"]:
        lines += _md_table(
            ("Solution", "Status", "Removed pains it reaches"),
            "lll",
            (
                (
                    md_cell(m["text"]),
                    m["status"],
                    "; ".join(md_cell(p["text"]) for p in m["pains"]) or "none of the removed pains",
                )
                for m in data["meant_to_remove"]
            ),
        )
    else:
        lines.append("No solution is done or under way.")
    lines.append("")
    return "\n".join(lines)


def _why_table(reached: Sequence[Reached], names: Names) -> list[str]:
    return _md_table(
        ("Pain", "Stage", "Weight", "Hops", "Contribution"),
        "llrrr",
        (
            (
                md_cell(names.pains.get(r.pain, r.pain)),
                md_cell(names.stage(r.stage)),
                fmt_number(r.weight),
                r.hops,
                fmt_number(r.contribution),
            )
            for r in reached
        ),
    )


def _persona_line(ranking: Ranking, names: Names) -> str | None:
    if ranking.persona is None:
        return None
    return f"Ranked for persona: **{md_cell(names.persona(ranking.persona))}**"


def ranking_markdown(ranking: Ranking, session: Session, top: int | None = None) -> str:
    """The ranked quick wins alone, as a short Markdown block (for the clipboard)."""
    ranking = top_of(ranking, top)
    names = Names(session)
    lines = [f"**Quick wins — {md_cell(session.session.title)}**", ""]
    persona = _persona_line(ranking, names)
    if persona:
        lines += [persona, ""]
    lines += _solutions_table(ranking)
    return "\n".join(lines) + "\n"


def _header(session: Session, ranking: Ranking, names: Names) -> list[str]:
    info = session.session
    sc = session.scoring
    lines: list[str] = [f"# {md_cell(info.title)}", ""]
    lines.append(f"- **Journey:** {md_cell(info.journey)} ({md_cell(info.state)} state)")
    if info.facilitator:
        lines.append(f"- **Facilitator:** {md_cell(info.facilitator)}")
    if info.date is not None:
        lines.append(f"- **Date:** {info.date.isoformat()}")
    lines.append(
        f"- **Map:** {plural(len(session.stages), 'stage')}, "
        f"{plural(sum(p.kind == 'pain' for p in session.pains), 'pain')}, "
        f"{plural(sum(p.kind == 'gain' for p in session.pains), 'gain')}, "
        f"{plural(len(session.processes), 'process', 'processes')}, {plural(len(session.solutions), 'solution')}"
    )
    lines.append(
        f"- **Scoring:** hop decay {fmt_number(sc.hop_decay)}, stage bonus {fmt_number(sc.stage_bonus)}, "
        f"quick win at effort ≤ {sc.quick_win_max_effort}, at most {sc.max_hops} hops, "
        f"vote weight {fmt_number(sc.vote_weight)}"
        + (f", moment-of-truth weight {fmt_number(sc.moment_weight)}" if sc.moment_weight != 1 else "")
        + (", severity floor on" if sc.severity_floor else "")
    )
    if session.participants:
        lines.append(
            f"- **Dot voting:** {plural(len(session.participants), 'participant')}, "
            f"{info.vote_budget} dots each on solutions and on pains"
        )
    persona = _persona_line(ranking, names)
    if persona:
        lines.append(f"- {persona}")
    return [*lines, ""]


def _quick_wins(session: Session, ranking: Ranking, names: Names) -> list[str]:
    lines = ["## Quick wins, ranked", "", *_solutions_table(ranking), ""]
    if not ranking.solutions:
        return lines
    lines += ["### Why this rank", ""]
    for s in ranking.solutions:
        why = explain_solution(s, session.scoring).text()
        lines += [f"**{s.rank}. {md_cell(s.text)}** — {md_cell(why)}", ""]
        if not s.reached:
            lines.append("Reaches no pain yet: link it to the processes it changes.")
        else:
            shown, rest = why_rows(s.reached)
            lines += _why_table(shown, names)
            if rest:
                lines += ["", f"{md_cell(rest)}: cjmtui rank --format json --why lists every one."]
        lines.append("")
    return lines


def _root_causes(ranking: Ranking, names: Names) -> list[str]:
    lines = ["## Root-cause processes, ranked", ""]
    if not ranking.processes:
        return [*lines, "No processes yet.", ""]
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
    return [*lines, ""]


def _people(session: Session) -> list[str]:
    lines: list[str] = []
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
    return lines


def _joined(values: Iterable[str]) -> str:
    return "; ".join(md_cell(v) for v in values)


def _evidence(pain: Pain) -> str:
    """``anecdote``, ``anecdote, refuted 2026-11-20: note`` (what customers said, when checked)."""
    if not pain.validation:
        return pain.evidence
    when = f" {pain.validated_on.isoformat()}" if pain.validated_on else ""
    note = f": {md_cell(pain.validation_note)}" if pain.validation_note else ""
    return f"{pain.evidence}, {pain.validation}{when}{note}"


def _stage(session: Session, index: int, names: Names, pain_dots: dict[str, int]) -> list[str]:
    st = session.stages[index - 1]
    moment = f" {MOMENT_MARK} moment of truth" if st.moment else ""
    lines = [f"### Stage {index}: {md_cell(st.name)}{moment}", ""]
    facts = (
        ("Phase", md_cell(st.phase)),
        ("Customer goal", md_cell(st.customer_goal)),
        ("Touchpoints", _joined(st.touchpoints)),
        ("Channels", _joined(st.channels)),
        ("Owners", _joined(names.department(o) for o in st.owners)),
        ("Emotion", "; ".join(f"{md_cell(names.persona(pid))} {signed(v)}" for pid, v in st.emotion.items())),
    )
    lines += [f"- **{label}:** {value}" for label, value in facts if value]
    lines.append("")
    pains = [p for p in session.pains if p.stage == st.id]
    if pains:
        lines += [
            "**Pains and gains**"
            + (f" ({MOMENT_MARK}: at a moment of truth)" if any(p.moment or st.moment for p in pains) else ""),
            "",
        ]
        lines += _md_table(
            ("Kind", "Text", "Severity × frequency", "Evidence", "Personas", "Caused by", "Votes"),
            "llrlllr",
            (
                (
                    p.kind + (f" {MOMENT_MARK}" if p.moment or st.moment else ""),
                    md_cell(p.text),
                    f"{p.severity} × {p.frequency} = {p.weight}" if p.kind == "pain" else "— (not scored)",
                    _evidence(p),
                    _joined(names.persona(x) for x in p.personas) or "everyone",
                    _joined(names.process(x) for x in p.caused_by),
                    pain_dots.get(p.id, 0),
                )
                for p in pains
            ),
        )
        lines.append("")
    procs = [p for p in session.processes if p.stage == st.id]
    if procs:
        lines += ["**Processes**", ""]
        lines += _md_table(
            ("Process", "Owner", "Systems", "Feeds"),
            "llll",
            (
                (
                    md_cell(p.name),
                    md_cell(names.department(p.owner)) if p.owner else "",
                    _joined(p.systems),
                    _joined(names.process(x) for x in p.feeds),
                )
                for p in procs
            ),
        )
        lines.append("")
    return lines


def _solutions(session: Session, names: Names) -> list[str]:
    lines = ["### Solutions", ""]
    if not session.solutions:
        return [*lines, "No solutions yet.", ""]
    votes = solution_votes(session)
    lines += _md_table(
        ("Solution", "Changes", "Effort", "Confidence", "Owner", "Status", "Votes"),
        "llrrllr",
        (
            (
                md_cell(so.text),
                _joined(names.process(x) for x in so.targets),
                so.effort,
                fmt_number(so.confidence),
                md_cell(names.department(so.owner)) if so.owner else "",
                so.status,
                votes[so.id],
            )
            for so in session.solutions
        ),
    )
    return [*lines, ""]


def export_markdown(session: Session, ranking: Ranking) -> str:
    """The workshop write-up: header, ranked quick wins with why, root causes, friction, the
    full map stage by stage, then the open items of the parking lot."""
    names = Names(session)
    pain_dots = pain_votes(session)
    lines = _header(session, ranking, names)
    lines += _quick_wins(session, ranking, names)
    lines += _root_causes(ranking, names)
    lines += ["## Friction by stage", "", FRICTION_NOTE, "", *view_table(friction_view(session, ranking.persona)), ""]
    lines += ["## The map", "", *_people(session)]
    if not session.stages:
        lines += ["No stages yet.", ""]
    for index in range(1, len(session.stages) + 1):
        lines += _stage(session, index, names, pain_dots)
    lines += _solutions(session, names)
    lines += ["## Parking lot (open)", "", *_parking_lines(session, names), ""]
    return "\n".join(lines)
