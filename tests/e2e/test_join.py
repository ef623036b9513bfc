"""Two people on one session in two real terminals (issue 12, first part): the facilitator with
``cjmtui FILE`` and a participant with ``cjmtui join FILE --as Ana``. Ana's note shows on the
facilitator's screen, carrying her name in the file; Ana cannot delete the facilitator's pain;
the facilitator sees that Ana is here."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjmtui.core.store import load_session
from support.needs import needs
from support.tmux import CAPTURE_HINT, TITLES, Pane, cjmtui_command

pytestmark = [pytest.mark.e2e, needs("tmux")]


def test_a_participants_note_reaches_the_facilitator_and_others_notes_stay(
    pane: Pane, second_pane: Pane, example: Path
) -> None:
    before = load_session(example).session
    first = before.pains[0]
    pane.start([*cjmtui_command(), str(example)])  # the facilitator
    pane.wait_for(TITLES["3"], first.text[:30])
    second_pane.start([*cjmtui_command(), "join", str(example), "--as", "Ana"])
    second_pane.wait_for(TITLES["3"], "as Ana")

    second_pane.keys("d")  # the facilitator's first pain: refused, and said so
    second_pane.wait_for("Not changed", "only their own")
    second_pane.keys("a")
    second_pane.wait_for(CAPTURE_HINT)
    note = "Ana: the form lost my order twice"
    second_pane.type(note)
    second_pane.wait_for(note)
    second_pane.keys("Enter")
    second_pane.wait_for(r"saved \d\d:\d\d:\d\d", regex=True)

    pane.wait_for(note[:40], timeout=10)  # merged into the facilitator's screen by itself
    pane.wait_for("here: facilitator, Ana", timeout=10)  # and the facilitator sees who is here
    for p in (second_pane, pane):
        p.keys("Escape", "F10")
        assert p.wait_exit() == 0
    after = load_session(example).session
    assert [p.id for p in after.pains if p.id == first.id], "the facilitator's pain was deleted"
    (added,) = [p for p in after.pains if p.text == note]
    assert added.created_by == "Ana"
