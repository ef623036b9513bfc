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


def test_a_sign_that_does_not_resolve_waits_on_the_item_never_in_its_words() -> None:
    """Issue 23: ``@ci>book`` before "Book…" existed kept the whole text as the name and dropped
    the valid ``@ci`` too. Valid signs are taken; the others wait on the item."""
    s = online()
    t = parse(s, "pains", "Call me at home @nobody")
    assert t.text == "Call me at home" and t.fields == {"pending": ["@nobody"]} and "@nobody" in t.problems[0]
    t = parse(s, "processes", "Register the claim @ware>book")
    assert t.text == "Register the claim"
    assert t.fields == {"owner": "warehouse", "pending": [">book"]} and t.pending == (">book",)
    assert parse(s, "pains", "It broke again!").text == "It broke again!"  # an exclamation is no sign
    assert parse(s, "pains", "!43").text == "!43"  # a note is never only signs
    assert parse(s, "pains", "Severity !9").problems  # out of range: said, and kept on the item
    assert parse(s, "pains", "Severity !9").text == "Severity"
    assert parse(s, "parking", "Ask finance @sales").text == "Ask finance @sales"  # no signs off the map


def test_a_waiting_sign_is_taken_when_the_item_it_names_is_added() -> None:
    from cjmtui.core.triage import add_resolving

    s = online()
    stage = s.stages[0].id
    fields = parse(s, "processes", "Register the claim @ware>book").fields
    said: list[str] = []
    s, first = add_resolving(
        s, "processes", {**fields, "stage": stage, "name": "Register the claim"}, actor=None, said=said
    )
    assert first.pending == [">book"] and first.feeds == [] and not said
    s, book = add_resolving(
        s, "processes", {"stage": stage, "name": "Book and brief the assessor"}, actor=None, said=said
    )
    again = next(p for p in s.processes if p.id == first.id)
    assert again.feeds == [book.id] and again.pending == [] and again.owner == "warehouse"
    assert said and ">book" in said[0]


def test_filler_words_never_match_and_an_ambiguous_sign_says_what_it_took() -> None:
    from cjmtui.core.edit import add_item

    s = online()
    s, _ = add_item(
        s, "processes", {"stage": s.stages[0].id, "name": "Record property and cover details at sale"}, actor=None
    )
    s, _ = add_item(s, "processes", {"stage": s.stages[0].id, "name": "Assess the damage"}, actor=None)
    t = parse(s, "pains", "Nobody came #as")
    assert t.fields["caused_by"] == ["assess-the-damage"], "#as matched the filler word 'at'? " + str(t)
    t = parse(s, "pains", "Took long #a")
    took = next(p for p in s.processes if p.id == t.fields["caused_by"][0])
    assert took.name != "Record property and cover details at sale"  # "and", "at" are no words to match
    t = parse(s, "pains", "Which one #or")
    assert t.notes and "took" in t.notes[0] and "names it alone" in t.notes[0]


def test_two_swapped_letters_find_the_one_item_they_mean() -> None:
    s = online()
    t = parse(s, "processes", "Check stock @wrae")
    assert t.fields == {"owner": "warehouse"} and t.notes and "read as" in t.notes[0]


def test_a_gain_and_a_stages_emotions_by_sign() -> None:
    s = online()
    t = parse(s, "pains", "+The driver called ahead @field")
    assert t.text == "The driver called ahead" and t.fields == {"kind": "gain", "personas": ["technician"]}
    assert parse(s, "pains", "+44 numbers fail").fields == {}  # a number is no gain sign
    t = parse(s, "stages", "Compare offers /con~f-2s1")
    assert t.fields["emotion"] == {"technician": -2, "small-business": 1}, t
    only = parse(s, "stages", "~f+2", signs_only=True)
    assert only.text == "" and only.fields == {"emotion": {"technician": 2}}
    assert parse(s, "stages", "Bad ~f3").problems  # out of range


@CORE
@given(raw_text(6))
def test_no_note_loses_its_words(note: str) -> None:
    s = online()
    for table in ("pains", "processes", "solutions", "stages"):
        t = parse(s, table, note)
        body = note[1:].strip() if t.fields.get("kind") == "gain" else note.strip()
        if set(t.fields) - {"kind"}:
            assert body.startswith(t.text) and t.text
        else:
            assert t.text == body
