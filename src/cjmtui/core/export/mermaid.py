"""The journey as a Mermaid ``journey`` diagram, which GitHub, GitLab, Notion and Obsidian draw.

One ``section`` per stage, in journey order; each pain and gain of the stage is a task, with the
personas it affects as actors (every persona when it names none; "Customer" when the session
has none) and a satisfaction score from 1 to 5 taken from those personas' emotion at the stage:

    emotion  -2  -1   0  +1  +2
    score     1   2   3   4   5

averaged over the actors who rated the stage and rounded, then at most 3 for a pain and at least
3 for a gain (a pain never reads as a good moment, nor a gain as a bad one); when none of the
actors rated the stage, a pain scores 2 and a gain 4. (Mermaid's score is how the step feels,
which is what the room's emotion rating says.)

The room's words are shown literally, never read as Mermaid: the characters Mermaid's journey
syntax gives a meaning to — ``:`` (field separator), ``;`` (statement end), ``#`` (entity
codes), ``%`` (``%%`` comments), ``<``, ``>`` and ``&`` (HTML in labels) — become their
full-width look-alikes (``：``, ``；``, ``＃``, ``％``, ``＜``, ``＞``, ``＆``), line breaks become
`` / ``, and a text starting with a keyword (``title``, ``section``…) starts with an invisible
word joiner. A stage or a pain at a moment of truth starts with ``★``.
A test renders a hostile session with mermaid-cli (``tests/e2e/test_mermaid.py``).
"""

from __future__ import annotations

import math
import re

from ..model import Session
from ..safety import printable
from ..scoring import Ranking

LOOKALIKE = str.maketrans({":": "：", ";": "；", "#": "＃", "%": "％", "<": "＜", ">": "＞", "&": "＆"})
KEYWORDS = re.compile(r"(?i)^(title|section|journey|acctitle|accdescr)\b")
WORD_JOINER = "\u2060"
PAIN_SCORE, GAIN_SCORE = 2, 4
MOMENT = "★ "  # before a stage (section) or a pain (task) at a moment of truth


def mermaid_text(text: object) -> str:
    """User text as one Mermaid label: literal, on one line, never syntax."""
    line = " / ".join(part.strip() for part in str(text).splitlines() if part.strip()) or "—"
    line = printable(line).translate(LOOKALIKE)
    return WORD_JOINER + line if KEYWORDS.match(line) else line


def satisfaction(emotions: list[int], kind: str) -> int:
    """1–5 from the actors' emotions (-2…+2) at the stage (see the module's description)."""
    if not emotions:
        return PAIN_SCORE if kind == "pain" else GAIN_SCORE
    score = max(1, min(5, math.floor(sum(emotions) / len(emotions) + 0.5) + 3))  # halves round up
    return min(score, 3) if kind == "pain" else max(score, 3)


def export_mermaid(session: Session, ranking: Ranking | None = None) -> str:
    lines = ["journey", f"    title {mermaid_text(session.session.title)}"]
    names = {p.id: p.name for p in session.personas}
    for stage in session.stages:
        pains = [p for p in session.pains if p.stage == stage.id]
        mark = MOMENT if stage.moment else ""
        lines.append(f"    section {mark}{mermaid_text(stage.name)}")
        if not pains:
            lines.append(f"      {mermaid_text('(no pains or gains yet)')}: 3: Customer")
        for pain in pains:
            actors = [a for a in pain.personas if a in names] or list(names)
            rated = [stage.emotion[a] for a in actors if a in stage.emotion]
            who = ", ".join(mermaid_text(names[a]).replace(",", "，") for a in actors) or "Customer"
            mark = MOMENT if pain.moment and not stage.moment else ""
            lines.append(f"      {mark}{mermaid_text(pain.text)}: {satisfaction(rated, pain.kind)}: {who}")
    return "\n".join(lines) + "\n"
