"""docs/development.md's recipe "A capture sign", followed to the letter: a sign that names
another item is its character in ``SIGNS``, one entry in ``TARGETS`` and a word in ``HINTS``
(all in ``core/triage.py``). The example is ``%`` as a second sign for a pain's personas (on
keyboards where ``@`` needs AltGr). Nothing else is touched, and the sign is read at the end of
a note, waits on the item when it names nothing yet and is taken when a match is added, and
works in the pains screen's quick capture, whose empty entry shows it (the registries are
monkeypatched, so the real signs are left as they are)."""

from __future__ import annotations

import pytest

from cjmtui.core import triage
from cjmtui.core.edit import add_item
from cjmtui.core.store import load_session
from cjmtui.ui.widgets.capture import QuickCapture
from factories import ROOT
from helpers import SIZE, make_app, type_text

EXAMPLE = ROOT / "sessions" / "online-ordering.toml"


@pytest.fixture
def percent(monkeypatch: pytest.MonkeyPatch) -> None:
    # 1. The character, in SIGNS (the patterns that find signs are made from it).
    monkeypatch.setattr(triage, "SIGNS", triage.SIGNS + "%")
    # 2. (sign, the table of the note) -> (the table it names, the field it sets, a list?).
    monkeypatch.setitem(triage.TARGETS, ("%", "pains"), ("personas", "personas", True))
    # 3. The hint the empty capture entry shows on that screen.
    monkeypatch.setitem(triage.HINTS, "pains", triage.HINTS["pains"] + " %persona")


def test_the_sign_is_read_at_the_end_of_a_note(percent) -> None:
    session = load_session(EXAMPLE).session
    got = triage.parse(session, "pains", "The van's part was wrong%fi!43")
    assert got.text == "The van's part was wrong"
    assert got.fields == {"personas": ["technician"], "severity": 4, "frequency": 3}
    assert got.problems == ()


def test_a_sign_naming_nothing_yet_waits_and_is_taken(percent) -> None:
    session = load_session(EXAMPLE).session
    got = triage.parse(session, "pains", "Nobody told me%ze")
    assert got.text == "Nobody told me" and got.pending == ("%ze",)
    stage = session.stages[0].id
    session, pain = add_item(session, "pains", {**got.fields, "stage": stage, "text": got.text}, actor=None)
    assert pain.pending == ["%ze"]
    said: list[str] = []
    session, zed = triage.add_resolving(session, "personas", {"name": "Zed the reseller"}, actor=None, said=said)
    taken = next(p for p in session.pains if p.id == pain.id)
    assert taken.personas == [zed.id] and taken.pending == []
    assert said == ["%ze on “Nobody told me” now taken"]


def test_without_the_recipe_the_character_is_part_of_the_words() -> None:
    session = load_session(EXAMPLE).session
    got = triage.parse(session, "pains", "Half the parts were missing%fi")
    assert got.text == "Half the parts were missing%fi" and got.fields == {}


async def test_quick_capture_on_the_pains_screen_takes_it(percent, example_copy) -> None:
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "a")
        entry = app.screen.query_one(QuickCapture).query_one("#capture-input")
        assert entry.placeholder.endswith("%persona"), entry.placeholder
        await type_text(pilot, "The van's part was wrong%fi!43")
        await pilot.press("enter", "escape")
        pain = app.session.pains[-1]
        assert pain.text == "The van's part was wrong"
        assert pain.personas == ["technician"] and (pain.severity, pain.frequency) == (4, 3)
