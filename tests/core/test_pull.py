"""Taking in someone else's save (issue 22: a note on every screen within a second, twenty
typing at once). With nothing unsaved, an app reads the file without the save lock, so twenty
apps never queue one behind another's save; with unsaved edits it is a save, under the lock."""

from __future__ import annotations

import threading

from cjmtui.core.lock import exclusive_save
from factories import two_instances, write_note


def _held(path):
    """Another instance's save in progress: the save lock, held until released."""
    got, release = threading.Event(), threading.Event()

    def hold() -> None:
        with exclusive_save(path):
            got.set()
            release.wait(30)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    assert got.wait(10)
    return release, thread


def test_a_pull_with_nothing_unsaved_does_not_wait_for_anothers_save(tmp_path):
    path, ana, ben = two_instances(tmp_path)
    write_note(ana, "Ana's note", "Ana")
    assert ana.save().ok
    release, thread = _held(path)
    try:
        result = ben.pull()  # the old pull was a save: it waited for the lock, then gave up
        assert result.ok and result.merged is not None, result.message
        assert "Ana's note" in [p.text for p in ben.session.pains]
        assert not ben.dirty  # what is on disk exactly: nothing to write back
    finally:
        release.set()
        thread.join()


def test_a_pull_with_unsaved_edits_saves_them_under_the_lock(tmp_path):
    path, ana, ben = two_instances(tmp_path)
    write_note(ana, "Ana's note", "Ana")
    assert ana.save().ok
    write_note(ben, "Ben's note", "Ben")
    release, thread = _held(path)
    try:
        held = ben.pull()
        assert not held.ok  # never written without the lock; Ben's note is kept
        assert "Ben's note" in [p.text for p in ben.session.pains]
    finally:
        release.set()
        thread.join()
    assert ben.pull().ok
    assert not ben.dirty
    assert ana.pull().ok
    assert {"Ana's note", "Ben's note"} <= {p.text for p in ana.session.pains}


def test_a_pull_reports_what_anothers_save_removed(tmp_path):
    _path, ana, ben = two_instances(tmp_path)
    gone = ana.session.pains[0]
    ana.history.apply("delete", ana.session.model_copy(update={"pains": ana.session.pains[1:]}))
    assert ana.save().ok
    result = ben.pull()
    assert result.merged is not None
    assert [(t, item.id) for t, item, _i in result.merged.removed_items] == [("pains", gone.id)]
