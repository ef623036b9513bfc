"""The Mermaid journey export (issue 14, item 4): its shape, its scores, and user text as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cjmtui.core import edit, scoring
from cjmtui.core import model as m
from cjmtui.core.export import export_text
from cjmtui.core.export.mermaid import mermaid_text, satisfaction
from cjmtui.core.store import load_session

EXAMPLE = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"
TASK = re.compile(r"^      (?P<text>[^:;#%\n]+): (?P<score>[1-5]): (?P<actors>[^:;#%\n]+)$")


def test_one_section_per_stage_and_a_task_per_pain_and_gain() -> None:
    session = load_session(EXAMPLE).session
    lines = export_text("mermaid", session, scoring.rank(session)).splitlines()
    assert lines[0] == "journey" and lines[1] == "    title Online ordering — current state"
    sections = [line.removeprefix("    section ") for line in lines if line.startswith("    section ")]
    assert sections == [mermaid_text(s.name) for s in session.stages]
    assert "Returns ＆ reorder" in sections  # "&" would be read as the start of an HTML entity
    tasks = [TASK.match(line) for line in lines if line.startswith("      ")]
    assert all(tasks), [line for line in lines if line.startswith("      ") and not TASK.match(line)]
    assert len(tasks) == len(session.pains)
    first = tasks[0]
    assert first is not None and first["actors"] == "Small-business buyer, Field technician"


@pytest.mark.parametrize(
    ("emotions", "kind", "score"),
    [
        ([-2], "pain", 1),
        ([-1, -2], "pain", 2),
        ([0], "pain", 3),
        ([2], "pain", 3),
        ([], "pain", 2),
        ([2], "gain", 5),
        ([1], "gain", 4),
        ([-2], "gain", 3),
        ([], "gain", 4),
    ],
)
def test_the_score_comes_from_the_actors_emotion(emotions, kind, score) -> None:
    assert satisfaction(emotions, kind) == score


@pytest.mark.parametrize(
    "hostile",
    [
        "a: 5: Everyone",
        "end; section Evil",
        "%% comment",
        "#quot; #35;",
        "<b>x</b> & <br>",
        "section Evil",
        "Title here",
        "two\nlines",
    ],
)
def test_user_text_is_never_mermaid_syntax(hostile: str) -> None:
    text = mermaid_text(hostile)
    assert not set(text) & set(":;#%<>&\n")
    assert not re.match(r"(?i)(title|section|journey)\b", text)
    s = m.Session(session=m.SessionInfo(title=hostile[:200]))
    s, stage = edit.add_item(s, "stages", {"name": hostile}, actor=None)
    s, _ = edit.add_item(s, "pains", {"stage": stage.id, "text": hostile}, actor=None)
    out = export_text("mermaid", s, scoring.rank(s))
    assert out.count("\n    section ") == 1 and len([x for x in out.splitlines() if TASK.match(x)]) == 1, out
