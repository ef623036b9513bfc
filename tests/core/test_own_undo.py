"""Issue 21 D15: undo undoes only this person's own edits. Edits saved by someone else and
merged in are not undo steps: undo never deletes another person's notes, nor ends the silent
writing the facilitator started; undoing a step made before a merge takes back only that step."""

from __future__ import annotations

from cjmtui.core import edit, undo
from cjmtui.core.live import start_silent_writing
from cjmtui.core.model import find
from cjmtui.core.store import load_session, save_session
from cjmtui.core.workspace import Workspace
from factories import workshop


def _room(tmp_path):
    """The facilitator's instance and a participant's (Bo's) on one file."""
    path = tmp_path / "s.toml"
    save_session(path, workshop())
    return path, Workspace.open(path), Workspace.open(path)


def _note(ws, text, actor=None):
    stage = ws.session.stages[0].id
    session = edit.add_item(ws.session, "pains", {"stage": stage, "text": text}, actor=actor)[0]
    ws.history.apply("add pain", session)


def _texts(session):
    return {p.text for p in session.pains}


def test_undo_never_takes_back_notes_someone_else_saved(tmp_path):
    """B pulled A's two notes in a merge, then pressed u twice: "Undid: merge edits saved by
    someone else", and A's notes were deleted from the file."""
    path, a, b = _room(tmp_path)
    _note(a, "A's first")
    _note(a, "A's second")
    assert a.save().ok
    _note(b, "B's own", actor="Bo")
    assert b.save().ok  # merges A's notes in
    assert {"A's first", "A's second", "B's own"} <= _texts(b.session)
    assert b.history.undo() == "add pain"  # B's own note, not the merge
    assert b.history.undo() is None, "undo walked back into someone else's save"
    assert {"A's first", "A's second"} <= _texts(b.session)
    assert "B's own" not in _texts(b.session)
    assert b.save().ok
    assert {"A's first", "A's second"} <= _texts(load_session(path).session)
    assert b.history.redo() == "add pain"
    assert {"A's first", "A's second", "B's own"} <= _texts(b.session)


def test_a_participants_undo_never_ends_silent_writing_for_the_room(tmp_path):
    path, facilitator, bo = _room(tmp_path)
    facilitator.history.apply("start silent writing", start_silent_writing(facilitator.session, actor=None))
    _note(facilitator, "facilitator's note")
    assert facilitator.save().ok
    assert bo.save().ok  # Bo's instance takes in the facilitator's W and note
    assert bo.session.progress.silent
    _note(bo, "Bo's note", actor="Bo")
    assert bo.history.undo() == "add pain"
    assert bo.history.undo() is None
    assert bo.session.progress.silent, "a participant's u ended silent writing for the room"
    assert "facilitator's note" in _texts(bo.session)
    assert bo.save().ok
    on_disk = load_session(path).session
    assert on_disk.progress.silent and "facilitator's note" in _texts(on_disk)


def test_undoing_a_step_made_before_a_merge_takes_back_only_that_step(tmp_path):
    """Undo re-applies the step's inverse on the session as it is now, by item and field."""
    _path, a, b = _room(tmp_path)
    pain = b.session.pains[0].id
    b.history.apply("edit", edit.update_item(b.session, "pains", pain, {"severity": 1}, actor=None)[0])
    assert b.save().ok
    a.history.apply("edit", edit.update_item(a.session, "pains", pain, {"text": "A rewrote it"}, actor=None)[0])
    _note(a, "A's note")
    assert a.save().ok
    assert b.save().ok  # B takes A's edits in
    assert b.history.undo() == "edit"
    after = find(b.session, "pains", pain)
    assert after.severity == workshop().pains[0].severity, "B's own edit was not undone"
    assert after.text == "A rewrote it", "undo restored an old snapshot over A's edit"
    assert "A's note" in _texts(b.session)


def test_edits_taken_in_keep_the_persons_redo():
    history = undo.History(workshop())
    s0 = history.session
    history.apply("add", edit.add_item(s0, "pains", {"stage": s0.stages[0].id, "text": "mine"}, actor=None)[0])
    history.undo()
    theirs = edit.add_item(history.session, "pains", {"stage": s0.stages[0].id, "text": "theirs"}, actor=None)[0]
    history.absorb(theirs)
    assert history.redo() == "add"
    assert {"mine", "theirs"} <= _texts(history.session)


def test_the_person_whose_saved_words_a_later_save_replaced_is_told_too(tmp_path):
    """C14: in a true conflict only the saver was told; the one whose text was replaced was not."""
    _path, a, b = _room(tmp_path)
    pain = a.session.pains[0].id
    a.history.apply("edit", edit.update_item(a.session, "pains", pain, {"text": "A's words"}, actor=None)[0])
    assert a.save().ok
    b.history.apply("edit", edit.update_item(b.session, "pains", pain, {"text": "B's words"}, actor=None)[0])
    assert [r.theirs for r in b.save().merged.replaced] == ["A's words"]  # B, the saver, is told
    result = a.save()  # A takes B's save in
    assert [(r.field, r.ours, r.theirs) for r in result.overwritten] == [("text", "A's words", "B's words")]
    assert find(a.session, "pains", pain).text == "B's words"
    assert a.save().overwritten == (), "told twice"


def test_undoing_a_delete_after_a_merge_brings_everything_back_in_place_and_keeps_theirs():
    """Undo of a stage deletion made before someone else's note was taken in: the stage, its
    pains and processes come back where they were, and their note stays."""
    s0 = workshop()
    history = undo.History(s0)
    gone = s0.stages[1].id
    history.apply("delete stage", edit.delete_item(s0, "stages", gone, actor=None))
    stage = s0.stages[0].id
    history.absorb(edit.add_item(history.session, "pains", {"stage": stage, "text": "theirs"}, actor=None)[0])
    assert history.undo() == "delete stage"
    now = history.session
    assert [s.id for s in now.stages] == [s.id for s in s0.stages]
    assert [p.id for p in now.pains if p.text != "theirs"] == [p.id for p in s0.pains]
    assert [p.id for p in now.processes] == [p.id for p in s0.processes]
    assert "theirs" in _texts(now)
    assert history.redo() == "delete stage"
    assert find(history.session, "stages", gone) is None and "theirs" in _texts(history.session)
