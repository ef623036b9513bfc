"""Never lose a note, with real faults: two installed cjmtui on one file in two tmux panes typing
in turn, and a hostile bracketed paste through tmux (``paste-buffer -p``)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cjmtui.core.store import load_session
from support.files import texts
from support.needs import need, needs
from support.soak import soak
from support.tmux import CAPTURE_HINT, TITLES, Pane, cjmtui_command

pytestmark = [pytest.mark.e2e, needs("tmux")]


def _open_on_pains(p: Pane, path: Path) -> None:
    p.start([*cjmtui_command(), str(path)])
    p.wait_for(TITLES["3"])
    p.keys("3")
    p.wait_for(TITLES["3"])
    p.open_capture()


def _saved(p: Pane) -> None:
    p.wait_for(r"saved \d\d:\d\d:\d\d", regex=True)


def test_two_instances_typing_in_turn_keep_every_note(pane: Pane, second_pane: Pane, example: Path) -> None:
    """Issue 11: the second instance's save used to stop with a dialog whose Reload took the next
    Enter, dropping its notes. Now both save through the merge and every note is on disk."""
    before = texts(example)
    _open_on_pains(pane, example)
    _open_on_pains(second_pane, example)
    written = []
    # Typing in turn for a while (a minute in a full soak: tests/support/soak.py), bounded in rounds too.
    deadline = time.monotonic() + soak(10, 60)
    round_no = 0
    while round_no < 4 or (round_no < soak(20, 150) and time.monotonic() < deadline):
        round_no += 1
        for name, p in (("A", pane), ("B", second_pane)):
            note = f"note {round_no} typed in {name}"
            p.type(note)
            p.keys("Enter")
            p.wait_for(CAPTURE_HINT)
            written.append(note)
            _saved(p)
    for p in (pane, second_pane):
        assert "cannot be merged" not in p.screen() and "changed on disk" not in p.screen()
        p.keys("Escape")
        p.keys("F10")
        assert p.wait_exit() == 0
    on_disk = texts(example)
    assert on_disk[: len(before)] == before, "notes that were there before were lost"
    missing = [n for n in written if n not in on_disk]
    assert missing == [], f"lost {len(missing)} of {len(written)} notes: {missing}"


def test_an_escape_sequence_in_a_paste_never_becomes_keys(pane: Pane, example: Path) -> None:
    """Issue 11: the BEL in ``osc \\x1b]0;pwned\\x07 title`` closed quick capture and the rest of
    the paste ran as keys (the next Enter opened a form and changed a pain)."""
    before = load_session(example).session
    _open_on_pains(pane, example)
    pane.tmux("set-buffer", "-b", "hostile", "osc \x1b]0;pwned\x07 title\nsecond \x1b[2Jline")
    pane.tmux("paste-buffer", "-p", "-b", "hostile", "-t", "e2e")
    pane.wait_for("Added 2 notes")
    pane.wait_for(CAPTURE_HINT)  # the entry is still open, and empty
    _saved(pane)
    pane.keys("Escape")
    pane.keys("F10")
    assert pane.wait_exit() == 0
    after = load_session(example).session
    assert [p.text for p in after.pains[len(before.pains) :]] == ["osc  title", "second line"]
    assert after.pains[: len(before.pains)] == before.pains, "a pasted key changed an existing pain"


def test_a_pasted_end_marker_never_turns_the_rest_of_the_paste_into_keys(pane: Pane, example: Path) -> None:
    """Issue 21 C11: with the list focused, a paste of ``x\\e[201~dddd`` deleted 4 pains; in
    quick capture, ``note\\e[201~\\e[21~`` quit the app (F10) and dropped the note."""
    before = load_session(example).session
    pane.start([*cjmtui_command(), str(example)])
    pane.wait_for(TITLES["3"])
    pane.keys("3")
    pane.wait_for(TITLES["3"])
    pane.tmux("set-buffer", "-b", "marker", "x\x1b[201~dddd")
    pane.tmux("paste-buffer", "-p", "-b", "marker", "-t", "e2e")
    pane.open_capture()
    pane.tmux("set-buffer", "-b", "quit", "note\x1b[201~\x1b[21~")
    pane.tmux("paste-buffer", "-p", "-b", "quit", "-t", "e2e")
    deadline = time.monotonic() + 10
    while CAPTURE_HINT in pane.screen() and time.monotonic() < deadline:  # the paste lands in the entry
        time.sleep(0.05)
    assert "EXITED" not in pane.screen(), "a pasted F10 ended the app"
    pane.keys("Enter")
    pane.wait_for(CAPTURE_HINT)
    _saved(pane)
    pane.keys("Escape")
    pane.keys("F10")
    assert pane.wait_exit() == 0
    after = load_session(example).session
    assert after.pains[: len(before.pains)] == before.pains, "pasted keys deleted or changed pains"
    assert [p.text for p in after.pains[len(before.pains) :]] == ["note"]


def test_f10_with_a_half_typed_note_keeps_it_and_says_so(pane: Pane, example: Path) -> None:
    """Issue 21 C8: F10 with a note typed in quick capture but not entered quit and dropped it."""
    _open_on_pains(pane, example)
    pane.type("typed but never entered")
    pane.wait_for("typed but never entered")
    pane.keys("F10")
    assert pane.wait_exit() == 0
    assert "half-typed note" in pane.screen()  # the exit message, on the terminal
    assert "typed but never entered" in texts(example)


def test_the_screen_comes_back_after_a_suspend(pane: Pane, example: Path) -> None:
    """Issue 11: after SIGTSTP and SIGCONT the screen stayed blank until a key was pressed (and
    that key then acted unseen)."""
    import os
    import signal

    pane.start([*cjmtui_command(), str(example)])
    pane.wait_for(TITLES["3"])
    pid = pane.pid()
    os.kill(pid, signal.SIGTSTP)
    deadline = time.monotonic() + 10
    while TITLES["3"] in pane.screen() and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(pid, signal.SIGCONT)
    pane.wait_for(TITLES["3"], "In the customer's words", timeout=10)
    pane.keys("F10")
    assert pane.wait_exit() == 0


def test_a_process_without_a_controlling_terminal_saves_and_leaves_when_its_pane_closes(
    pane: Pane, example: Path
) -> None:
    """Issue 11: started with ``setsid`` (no SIGHUP reaches it), cjmtui spun at 100% CPU after its
    pane closed, holding the lock. Now it notices the hung-up terminal, saves and exits."""
    import subprocess

    setsid = need("setsid")
    pane.start([setsid, "--wait", *cjmtui_command(), str(example)], wrap=False)
    pane.wait_for(TITLES["3"])
    pane.keys("3", "a")
    pane.wait_for(CAPTURE_HINT)
    pane.type("typed just before the pane closed")
    pane.keys("Enter")
    pane.wait_for(CAPTURE_HINT, "typed just before the pane closed")

    def running() -> bool:
        """A cjmtui process on this session (not tmux or setsid, whose command lines name it too)."""
        found = subprocess.run(["pgrep", "-f", str(example)], capture_output=True, text=True).stdout.split()
        names = [Path(f"/proc/{pid}/comm").read_text().strip() for pid in found if Path(f"/proc/{pid}/comm").exists()]
        return any(not name.startswith(("tmux", "setsid", "sh")) for name in names)

    assert running()
    pane.tmux("new-window", "-d", "-t", "e2e", "sleep 60")  # the server stays for the fixture's close
    pane.tmux("kill-pane", "-t", "e2e:0")
    deadline = time.monotonic() + 10
    while running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not running(), "cjmtui kept running after its terminal went away"
    assert "typed just before the pane closed" in texts(example)
