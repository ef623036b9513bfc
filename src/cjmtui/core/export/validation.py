"""``cjmtui export --format validation``: the checklist a facilitator takes to customers.

Every pain resting on an anecdote or an assumption that nobody has validated or refuted yet
(:func:`cjmtui.core.validation.to_validate`), the one the ranking leans on most first: its words,
stage, personas, what each ranked solution would lose if it is not real, and room to write down
what the customers said. Markdown; every piece of user text through
:func:`~cjmtui.core.safety.md_cell`.
"""

from __future__ import annotations

from ..model import Session
from ..safety import md_cell
from ..scoring import Ranking, moment_stages
from ..validation import AtStake, to_validate, top_stakes
from ..views import MOMENT_MARK, VALIDATION_EMPTY, Names
from ..vocab import fmt_number, plural


def _stake(stake: AtStake, texts: dict[str, str]) -> str:
    text = texts.get(stake.solution)
    if text is None:  # each solution's words are escaped once, however many pains it reaches
        text = texts[stake.solution] = md_cell(stake.text)
    return f"solution #{stake.rank} «{text}» loses {stake.share:.0%} of its score"


def export_validation(session: Session, ranking: Ranking) -> str:
    names = Names(session)
    moments = moment_stages(session)
    items = to_validate(session, ranking)
    texts: dict[str, str] = {}
    lines = [f"# Validate with customers — {md_cell(session.session.title)}", ""]
    if ranking.persona is not None:
        lines += [f"Ranked for persona: **{md_cell(names.persona(ranking.persona))}**", ""]
    if not items:
        lines += [VALIDATION_EMPTY, ""]
        return "\n".join(lines)
    lines += [
        f"{plural(len(items), 'pain')} rest on an anecdote or an assumption nobody has checked with "
        "customers yet. The ranking leans on the first ones most: ask about them first. Record each "
        "outcome in the session (the pain's form, or the key c on the pains screen): a refuted pain stops "
        "counting in the ranking.",
        "",
    ]
    for i, item in enumerate(items, 1):
        pain = item.pain
        moment = f" {MOMENT_MARK} moment of truth" if pain.moment or pain.stage in moments else ""
        who = "; ".join(md_cell(names.persona(p)) for p in pain.personas) or "every persona"
        lines += [
            f"## {i}. «{md_cell(pain.text)}»",
            "",
            f"- **Stage:** {md_cell(names.stage(pain.stage))}{moment}",
            f"- **Personas:** {who}",
            f"- **Evidence:** {pain.evidence} · severity {pain.severity} × frequency {pain.frequency}",
        ]
        if item.stakes:
            lines.append(f"- **If this pain is not real** (score at stake: {fmt_number(item.at_stake)}):")
            shown, rest = top_stakes(item.stakes)
            lines += [f"  - {_stake(s, texts)}" for s in shown]
            if rest:
                lines.append(f"  - {md_cell(rest)}")
        else:
            lines.append("- **If this pain is not real:** no ranked solution loses score")
        lines += [
            "- **Outcome:** ☐ validated ☐ refuted    **Date:** ____________",
            "- **Note:** ______________________________________________",
            "",
        ]
    return "\n".join(lines)
