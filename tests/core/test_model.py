"""The session model and its TOML form: bounds, references, round trip, git-friendly layout."""

from __future__ import annotations

import difflib
import tomllib

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from pydantic import ValidationError

from cjmtui.core import model as m
from cjmtui.core import tomlio
from cjmtui.core.store import dumps_session, parse_session, session_document
from factories import CORE, NASTY, sessions, stripped_text, workshop

# ---------------------------------------------------------------------------------------------
# Items refuse what a file could not hold or the method does not mean


def test_text_is_stripped_and_blank_text_refused():
    assert m.Pain(id="p", stage="s", text="  on hold  \n").text == "on hold"
    with pytest.raises(ValidationError):
        m.Pain(id="p", stage="s", text=" \t\n ")


@pytest.mark.parametrize(
    "field, value",
    [
        ("severity", 0),
        ("severity", 6),
        ("frequency", "often"),
        ("kind", "meh"),
        ("evidence", "gut feeling"),
        ("text", "x" * (m.MAX_TEXT + 1)),
        ("id", "has space"),
        ("id", "-leading-dash"),
        ("id", "x" * (m.MAX_ID + 1)),
        ("personas", ["a"] * (m.MAX_LIST + 1)),
        ("colour", "red"),
    ],
)
def test_pain_refuses_out_of_bounds_values(field, value):
    data = {"id": "p", "stage": "s", "text": "On hold", field: value}
    with pytest.raises(ValidationError) as info:
        m.Pain(**data)
    assert info.value.errors()[0]["loc"][0] == field


def test_lone_surrogate_refused_by_the_model_not_at_save_time():
    # (pydantic itself refuses some, our validator the rest: either way at the door)
    for cls, data, field in [
        (m.Pain, {"id": "p", "stage": "s", "text": "bad \ud800 text"}, "text"),
        (m.Department, {"id": "d", "name": "ok", "role": "\udfff"}, "role"),
        (m.Persona, {"id": "p", "name": "ok", "goals": ["fine", "\ud83d"]}, "goals"),
        (m.SessionInfo, {"facilitator": "\ud800"}, "facilitator"),
    ]:
        with pytest.raises(ValidationError) as info:
            cls(**data)
        assert info.value.errors()[0]["loc"][0] == field


def test_solution_confidence_and_scoring_weights_bounded():
    with pytest.raises(ValidationError):
        m.Solution(id="s", text="t", confidence=1.5)
    for bad in (
        {"hop_decay": -0.1},
        {"hop_decay": float("nan")},
        {"stage_bonus": float("inf")},
        {"max_hops": -1},
        {"quick_win_max_effort": 0},
    ):
        with pytest.raises(ValidationError):
            m.Scoring(**bad)


def test_items_are_frozen():
    pain = m.Pain(id="p", stage="s", text="t")
    with pytest.raises(ValidationError):
        pain.severity = 5  # type: ignore[misc]


def test_reference_problems_name_table_item_and_field():
    s = workshop()
    assert m.reference_problems(s) == []
    broken = s.model_copy(
        update={
            "pains": [*s.pains, m.Pain(id="lost", stage="nowhere", text="t", caused_by=["ghost"], personas=["nobody"])],
            "processes": [*s.processes, m.Process(id="loop", stage="find", name="L", feeds=["loop"], owner="mars")],
            "solutions": [*s.solutions, s.solutions[0]],
        }
    )
    problems = m.reference_problems(broken)
    assert "pains[lost].stage: unknown stage 'nowhere'" in problems
    assert "pains[lost].caused_by: unknown process 'ghost'" in problems
    assert "pains[lost].personas: unknown persona 'nobody'" in problems
    assert "processes[loop].feeds: a process cannot feed itself" in problems
    assert "processes[loop].owner: unknown department 'mars'" in problems
    assert "solutions[hire-csrs]: duplicate id 'hire-csrs'" in problems


def test_item_label_prefers_name_then_text():
    s = workshop()
    assert m.item_label(s.processes[0]) == "Online catalogue"
    assert m.item_label(s.pains[0]) == "I can't tell which part fits"


# ---------------------------------------------------------------------------------------------
# TOML writer


@pytest.mark.parametrize("value", [*NASTY, "", "plain", "a\x00b", "\\" * 5, '"' * 5])
def test_every_nasty_string_survives_toml(value):
    line = f"k = {tomlio.format_string(value)}\n"
    assert "\n" not in line[:-1], "a value must stay on one line"
    assert tomllib.loads(line)["k"] == value


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",))))
@CORE
def test_format_string_round_trips_any_text(value):
    assert tomllib.loads(f"k = {tomlio.format_string(value)}")["k"] == value


def test_non_finite_float_refused_by_writer():
    with pytest.raises(ValueError):
        tomlio.format_value(float("nan"))


def test_layout_is_fixed_tables_in_file_order_one_block_per_item():
    text = dumps_session(workshop())
    assert text.startswith("schema_version = 1\n\n[session]\n")
    headers = [line for line in text.split("\n") if line.startswith("[")]
    assert headers == (
        ["[session]", "[scoring]"]
        + ["[[departments]]"] * 3
        + ["[[personas]]"] * 2
        + ["[[stages]]"] * 3
        + ["[[pains]]"] * 4
        + ["[[processes]]"] * 3
        + ["[[solutions]]"] * 2
    )
    # Keys in model order, every value on one line; ids readable in the file.
    block = text.split("[[pains]]\n")[1]
    assert block.split("\n")[:3] == ['id = "cant-tell"', 'stage = "find"', 'kind = "pain"']
    assert "emotion = { buyer = -1 }" in text
    assert "owner" not in text.split("[[processes]]")[0].split("[[pains]]")[1]  # None is omitted


# ---------------------------------------------------------------------------------------------
# Round trip and git-friendliness (properties)


@given(sessions())
@CORE
def test_round_trip_is_exact_and_stable(session):
    text = dumps_session(session)
    loaded = parse_session(text)
    assert loaded == session
    assert dumps_session(loaded) == text  # save → load → save changes nothing in git
    # Deterministic: an equal session built separately writes the same bytes.
    rebuilt = m.Session.model_validate(session.model_dump())
    assert dumps_session(rebuilt) == text
    # Any TOML reader sees the same data (not just the one we happen to use).
    assert tomllib.loads(text) == tomlio.loads(text)
    assert tomllib.loads(text)["schema_version"] == m.SCHEMA_VERSION
    assert session_document(loaded) == session_document(session)


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    a, b = before.split("\n"), after.split("\n")
    removed: list[str] = []
    added: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
    return removed, added


@given(sessions(min_stages=1, max_processes=4, max_pains=5, max_solutions=3), st.data())
@CORE
def test_changing_one_pain_text_changes_exactly_one_line(session, data):
    if not session.pains:
        session = session.model_copy(update={"pains": [m.Pain(id="only", stage=session.stages[0].id, text="first")]})
    index = data.draw(st.integers(0, len(session.pains) - 1))
    old = session.pains[index]
    new_text = data.draw(stripped_text(m.MAX_TEXT).filter(lambda t: t != old.text))
    pains = list(session.pains)
    pains[index] = old.model_copy(update={"text": new_text})
    changed = session.model_copy(update={"pains": pains})

    before, after = dumps_session(session), dumps_session(changed)
    removed, added = _changed_lines(before, after)
    assert removed == [f"text = {tomlio.format_string(old.text)}"]
    assert added == [f"text = {tomlio.format_string(new_text)}"]
    # …and that line sits in this pain's block.
    lines = after.split("\n")
    at = lines.index(
        added[0], next(i for i, ln in enumerate(lines) if ln == f'id = "{old.id}"' and lines[i - 1] == "[[pains]]")
    )
    block_start = max(i for i in range(at) if lines[i].startswith("[["))
    assert lines[block_start] == "[[pains]]" and lines[block_start + 1] == f'id = "{old.id}"'
    assert parse_session(after).pains[index].text == new_text


@given(sessions(min_stages=1, max_processes=4, max_pains=5, max_solutions=3))
@CORE
def test_adding_an_item_only_adds_lines(session):
    pain = m.Pain(id="zz-new", stage=session.stages[0].id, text="New pain")
    if any(p.id == pain.id for p in session.pains):
        return
    grown = session.model_copy(update={"pains": [*session.pains, pain]})
    removed, added = _changed_lines(dumps_session(session), dumps_session(grown))
    assert removed == []
    assert "[[pains]]" in added and 'id = "zz-new"' in added


def test_a_number_is_not_a_date():
    import pytest as _pytest

    from cjmtui.core.errors import SessionFileError as _Err
    from cjmtui.core.store import parse_session as _parse

    with _pytest.raises(_Err, match=r"session\.date"):
        _parse('[session]\ntitle = "x"\ndate = 1700000000\n')
    assert str(_parse('[session]\ntitle = "x"\ndate = "2026-11-22"\n').session.date) == "2026-11-22"


@CORE
@given(sessions(), st.data())
def test_checking_one_changed_item_finds_what_checking_the_whole_session_finds(session, data):
    """Issue 13: an edit checks only the item it changed (a full check cost 110 ms per note at
    20,000 pains). In a valid session, that item's problems are all the session's problems."""
    from cjmtui.core.model import REFERENCES, item_reference_problems, reference_problems

    tables = [t for t in ("pains", "processes", "solutions", "stages", "parking") if getattr(session, t)]
    assume(tables and not reference_problems(session))
    table = data.draw(st.sampled_from(tables))
    item = data.draw(st.sampled_from(getattr(session, table)))
    ref = data.draw(st.sampled_from([r for r in REFERENCES if r.table == table]))
    wrong = data.draw(st.sampled_from(["no-such-id", *(x.id for x in session.table(ref.target))]))
    value = {"one": wrong, "list": [wrong], "keys": {wrong: 0}}[ref.shape]
    changed = item.model_copy(update={ref.field: value})
    items = [changed if x is item else x for x in getattr(session, table)]
    after = session.model_copy(update={table: items})
    assert sorted(item_reference_problems(after, table, changed)) == sorted(reference_problems(after))
