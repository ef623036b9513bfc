"""Triage while capturing: signs at the end of a note set its fields; nothing typed is ever lost."""

from __future__ import annotations

from hypothesis import given

from cjmtui.core.triage import parse
from factories import CORE, online, raw_text


def test_a_pain_with_severity_frequency_persona_and_cause() -> None:
    s = online()
    t = parse(s, "pains", "The form forgot my address !43@field#order")
    assert t.text == "The form forgot my address" and not t.problems
    assert t.fields == {"severity": 4, "frequency": 3, "personas": ["technician"], "caused_by": ["order-form"]}


def test_processes_solutions_and_stages_take_their_own_signs() -> None:
    s = online()
    assert parse(s, "processes", "Check stock @ware>pick").fields == {"owner": "warehouse", "feeds": ["fulfilment"]}
    assert parse(s, "solutions", "PO field required #order!28").fields == {
        "targets": ["order-form"],
        "effort": 2,
        "confidence": 0.8,
    }
    assert parse(s, "solutions", "Sure thing #order!30").fields["confidence"] == 1.0
    assert parse(s, "stages", "Compare offers /con@sales").fields == {"phase": "consideration", "owners": ["sales"]}


def test_a_sign_that_does_not_resolve_keeps_the_note_as_typed() -> None:
    s = online()
    t = parse(s, "pains", "Call me at home @nobody")
    assert t.text == "Call me at home @nobody" and t.fields == {} and "@nobody" in t.problems[0]
    assert parse(s, "pains", "It broke again!").text == "It broke again!"  # an exclamation is no sign
    assert parse(s, "pains", "!43").text == "!43"  # a note is never only signs
    assert parse(s, "pains", "Severity !9").problems  # out of range: kept, and said
    assert parse(s, "parking", "Ask finance @sales").text == "Ask finance @sales"  # no signs off the map


@CORE
@given(raw_text(6))
def test_no_note_loses_its_words(note: str) -> None:
    s = online()
    for table in ("pains", "processes", "solutions", "stages"):
        t = parse(s, table, note)
        if t.fields:
            assert note.strip().startswith(t.text) and t.text
        else:
            assert t.text == note.strip()
