"""Who added what, and who may change it (issue 12, first part): a participant who joined with
``cjmtui join FILE --as NAME`` adds items that carry their name, and changes and deletes only
those; the facilitator may change anything. Enforced in the core's edit functions."""

from __future__ import annotations

import pytest

from cjmtui.core.edit import add_item, delete_item, update_item
from cjmtui.core.errors import EditError
from cjmtui.core.store import dumps_session, parse_session
from factories import workshop


def _with_notes():
    s = workshop()
    stage = s.stages[0].id
    s, ana = add_item(s, "pains", {"stage": stage, "text": "Ana's pain"}, actor="Ana")
    s, bo = add_item(s, "pains", {"stage": stage, "text": "Bo's pain"}, actor="Bo")
    s, mine = add_item(s, "pains", {"stage": stage, "text": "The facilitator's pain"}, actor=None)
    return s, ana, bo, mine


def test_a_participants_item_records_their_name_and_keeps_it_in_the_file() -> None:
    s, ana, _bo, mine = _with_notes()
    assert ana.created_by == "Ana" and mine.created_by is None
    text = dumps_session(s)
    assert f'id = "{ana.id}"\ncreated_by = "Ana"\n' in text
    assert parse_session(text) == s


def test_participants_change_and_delete_only_their_own() -> None:
    s, ana, bo, mine = _with_notes()
    s, changed = update_item(s, "pains", ana.id, {"severity": 5}, actor="Ana")
    assert changed.severity == 5 and changed.created_by == "Ana"
    with pytest.raises(EditError, match="Bo's: participants change only their own notes"):
        update_item(s, "pains", bo.id, {"text": "rewritten"}, actor="Ana")
    with pytest.raises(EditError, match="the facilitator's: participants delete only their own notes"):
        delete_item(s, "pains", mine.id, actor="Ana")
    after = delete_item(s, "pains", ana.id, actor="Ana")
    assert [p.id for p in after.pains] == [p.id for p in s.pains if p.id != ana.id]


def test_the_facilitator_may_change_anything_but_not_who_added_it() -> None:
    s, ana, bo, _mine = _with_notes()
    s, changed = update_item(s, "pains", bo.id, {"text": "Bo's pain, clearer"}, actor=None)
    assert changed.created_by == "Bo"
    s = delete_item(s, "pains", ana.id, actor=None)
    with pytest.raises(EditError, match="who added an item cannot be changed"):
        update_item(s, "pains", changed.id, {"created_by": "Ana"}, actor=None)  # (renamed unlinked: a new id)


def test_the_agenda_timer_and_weights_are_the_facilitators() -> None:
    from cjmtui.core.agenda import set_progress, set_timebox
    from cjmtui.core.details import update_settings

    s = workshop()
    for edit in (
        lambda: set_progress(s, "pains", 60, actor="Ana"),
        lambda: set_timebox(s, "pains", 10, actor="Ana"),
        lambda: update_settings(s, {"title": "Ana's workshop"}, actor="Ana"),
    ):
        with pytest.raises(EditError, match="only the facilitator"):
            edit()
    assert set_progress(s, "pains", 60, actor=None).progress.step == "pains"
    assert update_settings(s, {"title": "Renamed"}, actor=None).session.title == "Renamed"
