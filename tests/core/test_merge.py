"""Two people on one session: the three-way merge by item id never loses a note."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cjmtui.core import details, edit, links
from cjmtui.core.errors import EditError
from cjmtui.core.merge import merge
from cjmtui.core.model import TABLES, Session, reference_problems
from cjmtui.core.store import dumps_session, parse_session
from factories import CORE, raw_text, sessions, workshop

TEXT = raw_text(2)


@st.composite
def edited(draw, session: Session, steps: int = 6) -> Session:
    """``session`` after a few random edits through the core API (what a second editor does)."""
    for _ in range(draw(st.integers(0, steps))):
        table = draw(st.sampled_from(list(TABLES)))
        items = session.table(table)
        pick = draw(st.sampled_from(items)).id if items else "none"
        kind = draw(st.sampled_from(["add", "update", "delete", "move", "link"]))
        text = draw(TEXT)
        try:
            if kind == "add":
                fields = {"name": text or "x", "text": text or "x"}
                if table in ("pains", "processes") and session.stages:
                    fields["stage"] = draw(st.sampled_from(session.stages)).id
                fields = {k: v for k, v in fields.items() if k in TABLES[table].model_fields}
                session = edit.add_item(session, table, fields, actor=None)[0]
            elif kind == "update":
                field = "name" if "name" in TABLES[table].model_fields else "text"
                if field in TABLES[table].model_fields:
                    session = edit.update_item(session, table, pick, {field: text or "y"}, actor=None)[0]
            elif kind == "delete":
                session = edit.delete_item(session, table, pick, actor=None)
            elif kind == "move":
                session = edit.move_item(session, table, pick, draw(st.integers(-2, 2)), actor=None)
            elif session.pains and session.processes:
                pain = draw(st.sampled_from(session.pains)).id
                session = links.link_cause(session, pain, draw(st.sampled_from(session.processes)).id, actor=None)
        except EditError:
            continue
    return session


@st.composite
def three_sessions(draw):
    base = draw(sessions(max_pains=5, max_processes=4, max_solutions=3))
    return base, draw(edited(base)), draw(edited(base))


def _ids(session: Session) -> dict[str, set[str]]:
    return {t: {x.id for x in session.table(t)} for t in TABLES}


@CORE
@given(three_sessions())
def test_merging_with_an_unchanged_side_gives_the_other_side(sides):
    base, ours, theirs = sides
    assert merge(base, ours, base).session == ours
    assert merge(base, base, theirs).session == theirs


@CORE
@given(three_sessions())
def test_no_item_added_on_either_side_is_lost(sides):
    base, ours, theirs = sides
    result = merge(base, ours, theirs)
    merged = result.session
    assert reference_problems(merged) == []
    assert parse_session(dumps_session(merged)) == merged
    renamed = {(t, old): new for t, old, new in result.renamed}
    before, got = _ids(base), _ids(merged)
    for side, label in ((ours, "ours"), (theirs, "theirs")):
        for table in TABLES:
            for item in side.table(table):
                if item.id in before[table]:
                    continue
                new_id = renamed.get((table, item.id), item.id) if side is theirs else item.id
                assert new_id in got[table], f"{label} added {table}[{item.id}] and the merge lost it"


@CORE
@given(three_sessions())
def test_merging_is_deterministic(sides):
    base, ours, theirs = sides
    assert merge(base, ours, theirs) == merge(base, ours, theirs)


def test_each_side_keeps_its_own_notes_and_the_other_ones():
    base = workshop()
    stage = base.stages[0].id
    ours = edit.add_item(base, "pains", {"stage": stage, "text": "I waited an hour"}, actor=None)[0]
    theirs = edit.add_item(base, "pains", {"stage": stage, "text": "Nobody called back"}, actor=None)[0]
    merged = merge(base, ours, theirs).session
    texts = [p.text for p in merged.pains]
    assert "I waited an hour" in texts and "Nobody called back" in texts


def test_the_same_id_added_on_both_sides_keeps_both_items():
    base = workshop()
    stage = base.stages[0].id
    ours = edit.add_item(base, "pains", {"id": "late", "stage": stage, "text": "Late, said Ann"}, actor=None)[0]
    theirs = edit.add_item(base, "pains", {"id": "late", "stage": stage, "text": "Late, said Bob"}, actor=None)[0]
    result = merge(base, ours, theirs)
    texts = {p.text for p in result.session.pains}
    assert {"Late, said Ann", "Late, said Bob"} <= texts
    assert result.renamed == (("pains", "late", "late-2"),)


def test_the_same_field_changed_on_both_sides_keeps_ours_and_reports_theirs():
    base = workshop()
    pain = base.pains[0]
    ours = edit.update_item(base, "pains", pain.id, {"text": "ours"}, actor=None)[0]
    theirs = edit.update_item(base, "pains", pain.id, {"text": "theirs", "severity": 1}, actor=None)[0]
    result = merge(base, ours, theirs)
    merged = next(p for p in result.session.pains if p.id == pain.id)
    assert (merged.text, merged.severity) == ("ours", 1)  # their other change is taken
    assert [(r.field, r.ours, r.theirs) for r in result.replaced] == [("text", "ours", "theirs")]
    recovered = next(p for p in result.theirs_first.pains if p.id == pain.id)
    assert recovered.text == "theirs"


def test_a_deletion_against_an_edit_keeps_the_edited_item():
    base = workshop()
    pain = base.pains[0]
    ours = edit.update_item(base, "pains", pain.id, {"text": "edited"}, actor=None)[0]
    theirs = edit.delete_item(base, "pains", pain.id, actor=None)
    merged = merge(base, ours, theirs).session
    assert any(p.id == pain.id and p.text == "edited" for p in merged.pains)


def test_a_note_added_at_a_stage_the_other_side_deleted_keeps_its_stage():
    base = workshop()
    stage = base.stages[-1].id
    ours = edit.add_item(base, "pains", {"stage": stage, "text": "added here"}, actor=None)[0]
    theirs = edit.delete_item(base, "stages", stage, actor=None)
    merged = merge(base, ours, theirs).session
    assert any(p.text == "added here" and p.stage == stage for p in merged.pains)
    assert any(s.id == stage for s in merged.stages)
    assert reference_problems(merged) == []


def test_links_added_on_both_sides_are_all_kept():
    base = workshop()
    pain = base.pains[0]
    procs = [p.id for p in base.processes if p.id not in pain.caused_by][:2]
    assert len(procs) == 2
    ours = links.link_cause(base, pain.id, procs[0], True, actor=None)
    theirs = links.link_cause(base, pain.id, procs[1], True, actor=None)
    merged = next(p for p in merge(base, ours, theirs).session.pains if p.id == pain.id)
    assert set(procs) <= set(merged.caused_by)


def _two_workspaces(tmp_path):
    from cjmtui.core.store import save_session
    from cjmtui.core.workspace import Workspace

    path = tmp_path / "s.toml"
    save_session(path, workshop())
    return path, Workspace.open(path), Workspace.open(path)


def _add_pain(ws, text):
    stage = ws.session.stages[0].id
    ws.history.apply("add", edit.add_item(ws.session, "pains", {"stage": stage, "text": text}, actor=None)[0])


def test_two_instances_saving_in_turn_keep_every_note(tmp_path):
    """Issue 11: B's save used to be refused and its next Enter pressed Reload, dropping B's notes."""
    from cjmtui.core.store import load_session

    path, a, b = _two_workspaces(tmp_path)
    _add_pain(a, "note typed in A")
    assert a.save().ok
    _add_pain(b, "note typed in B")
    result = b.save()
    assert result.ok and result.merged is not None and not result.conflict
    on_disk = {p.text for p in load_session(path).session.pains}
    assert {"note typed in A", "note typed in B"} <= on_disk
    assert {"note typed in A", "note typed in B"} <= {p.text for p in b.session.pains}
    assert not b.dirty
    assert b.history.undo() == "add"  # B's own note: the merge is not an undo step (issue 21 D15)
    # A picks up B's note on its next save (nothing of its own to write: the file is not rewritten).
    mtime = path.stat().st_mtime_ns
    assert a.save().ok
    assert "note typed in B" in {p.text for p in a.session.pains}
    assert path.stat().st_mtime_ns == mtime


def test_a_field_both_changed_keeps_the_saver_and_their_value_is_one_undo_back(tmp_path):
    _path, a, b = _two_workspaces(tmp_path)
    pain = a.session.pains[0].id
    a.history.apply("edit", edit.update_item(a.session, "pains", pain, {"text": "A's words"}, actor=None)[0])
    assert a.save().ok
    b.history.apply("edit", edit.update_item(b.session, "pains", pain, {"text": "B's words"}, actor=None)[0])
    result = b.save()
    assert result.merged is not None
    assert [(r.ours, r.theirs) for r in result.merged.replaced] == [("B's words", "A's words")]
    assert next(p.text for p in b.session.pains if p.id == pain) == "B's words"
    b.history.undo()
    assert next(p.text for p in b.session.pains if p.id == pain) == "A's words"


def test_a_file_that_cannot_be_read_stops_the_save_and_keeps_the_notes(tmp_path):
    path, a, _b = _two_workspaces(tmp_path)
    _add_pain(a, "kept in memory")
    path.write_text("this is [not toml", encoding="utf-8")
    result = a.save()
    assert not result.ok and result.conflict
    assert path.read_text(encoding="utf-8") == "this is [not toml"
    assert "kept in memory" in {p.text for p in a.session.pains} and a.dirty


def test_a_failed_write_after_a_merge_never_makes_their_notes_look_deleted(tmp_path, monkeypatch):
    """B merges A's note in, then its write fails (a full disk): B must still hold A's note, or
    its next save would read A's note as deleted by B and drop it."""
    from cjmtui.core import workspace as workspace_module
    from cjmtui.core.errors import SaveError
    from cjmtui.core.store import load_session

    path, a, b = _two_workspaces(tmp_path)
    _add_pain(a, "note typed in A")
    assert a.save().ok
    _add_pain(b, "note typed in B")
    real = workspace_module.save_session

    def full(*args, **kwargs):
        raise SaveError("no space left")

    monkeypatch.setattr(workspace_module, "save_session", full)
    assert not b.save().ok
    assert "note typed in A" in {p.text for p in b.session.pains}, "the merge was not kept in memory"
    monkeypatch.setattr(workspace_module, "save_session", real)
    assert b.save().ok
    assert {"note typed in A", "note typed in B"} <= {p.text for p in load_session(path).session.pains}


def test_an_edit_made_while_a_merge_runs_keeps_both(tmp_path):
    """The UI edits under the history's lock: an edit never replaces a merge that just landed."""
    import threading

    from cjmtui.core.store import load_session

    path, a, b = _two_workspaces(tmp_path)
    for i in range(30):
        _add_pain(a, f"A {i}")
        assert a.save().ok
        worker = threading.Thread(target=b.save)
        worker.start()
        with b.history.lock:
            stage = b.session.stages[0].id
            b.history.apply("add", edit.add_item(b.session, "pains", {"stage": stage, "text": f"B {i}"}, actor=None)[0])
        worker.join()
    assert b.save().ok and a.save().ok
    texts = {p.text for p in load_session(path).session.pains}
    assert {f"A {i}" for i in range(30)} | {f"B {i}" for i in range(30)} <= texts


def test_status_changes_made_on_both_sides_keep_both_history_entries(monkeypatch):
    import datetime as dt

    base = workshop()
    base = details.update_info(base, {"facilitator": "Ana"}, actor=None)
    monkeypatch.setattr(edit, "today", lambda: dt.date(2026, 12, 1))
    ours = edit.update_item(base, "solutions", "fix-catalogue", {"status": "doing"}, actor=None)[0]
    monkeypatch.setattr(edit, "today", lambda: dt.date(2026, 11, 30))
    theirs = edit.update_item(base, "solutions", "hire-csrs", {"status": "dropped"}, actor=None)[0]
    theirs = edit.update_item(theirs, "solutions", "fix-catalogue", {"status": "planned"}, actor=None)[0]
    result = merge(base, ours, theirs)
    fix = next(s for s in result.session.solutions if s.id == "fix-catalogue")
    # Both changes are in its history, in date order; the status is ours (and theirs is reported).
    assert [(h.status, h.on.isoformat(), h.by) for h in fix.history] == [
        ("planned", "2026-11-30", "Ana"),
        ("doing", "2026-12-01", "Ana"),
    ]
    assert fix.status == "doing"
    assert [r.field for r in result.replaced] == ["status"]
    hire = next(s for s in result.session.solutions if s.id == "hire-csrs")
    assert hire.status == "dropped" and [h.status for h in hire.history] == ["dropped"]
    # And the merge writes a file that loads back the same.
    assert parse_session(dumps_session(result.session)) == result.session


def test_two_sides_that_each_add_ana_keep_one_ana_within_her_budget():
    """Issue 21, item 17: two instances each add participant "Ana" (one as "ana", the file as
    "ANA") and put dots on: the merge keeps one Ana (matched by name, case-folded) whose dots
    stay within the budget, the saver's first, and reports the dots that did not fit."""
    from cjmtui.core.voting import cast_vote, ensure_participant

    base = workshop()
    base = base.model_copy(update={"session": base.session.model_copy(update={"vote_budget": 3})})
    for text in ("Call back within a day", "Show stock at order time"):
        base = edit.add_item(base, "solutions", {"text": text}, actor=None)[0]
    solutions = [s.id for s in base.solutions]

    ours, ana = ensure_participant(base, "Ana", actor=None)
    ours = cast_vote(ours, ana.id, "solutions", solutions[0], 2, actor=None)
    theirs, their_ana = ensure_participant(base, "ANA", actor=None)
    theirs = cast_vote(theirs, their_ana.id, "solutions", solutions[1], 2, actor=None)
    theirs = cast_vote(theirs, their_ana.id, "solutions", solutions[2], 1, actor=None)

    result = merge(base, ours, theirs)
    anas = [p for p in result.session.participants if p.name.casefold() == "ana"]
    assert len(anas) == 1, [(p.id, p.name) for p in result.session.participants]
    votes = anas[0].solution_votes
    assert sum(votes.values()) == 3  # her budget, no more
    assert votes[solutions[0]] == 2  # the saver's dots first
    assert any(r.table == "participants" for r in result.replaced), "the dots that did not fit are reported"
    assert reference_problems(result.session) == []
