"""Issue 21 C9, C10 in the core: a form's edit made against the values it opened with, applied
to the item as it is now (someone else may have saved meanwhile), and items brought back."""

from __future__ import annotations

from cjmtui.core import edit
from cjmtui.core.edit import FieldClash, rebase_edit, restore_item
from cjmtui.core.model import find
from factories import workshop


def test_a_stale_edit_applies_its_own_changes_keeps_theirs_and_reports_clashes():
    opened = {"text": "old", "severity": 3, "frequency": 2, "evidence": "anecdote"}
    current = {"text": "theirs", "severity": 5, "frequency": 2, "evidence": "anecdote"}
    yours = {"text": "yours", "severity": 3, "frequency": 4, "evidence": "anecdote"}
    changes, clashes = rebase_edit(opened, current, yours)
    assert changes == {"frequency": 4}  # severity: only they changed it, theirs stays
    assert clashes == [FieldClash("text", "theirs", "yours")]
    assert rebase_edit(opened, {**current, "text": "yours"}, yours)[1] == [], "the same value is no clash"


def test_an_edit_of_a_deleted_item_returns_every_field_to_bring_it_back():
    yours = {"id": "p", "text": "yours"}
    assert rebase_edit({"id": "p", "text": "old"}, None, yours) == (yours, [])


def test_a_deleted_stage_comes_back_under_its_id_with_its_gone_links_dropped():
    s0 = workshop()
    stage = next(s for s in s0.stages if s.owners)
    session = edit.delete_item(s0, "stages", stage.id, actor=None)
    for owner in stage.owners:
        session = edit.delete_item(session, "departments", owner, actor=None)
    index = [s.id for s in s0.stages].index(stage.id)
    back, item = restore_item(session, "stages", stage, index, actor=None)
    assert [s.id for s in back.stages] == [s.id for s in s0.stages]
    assert item.owners == [] and find(back, "stages", stage.id).name == stage.name
