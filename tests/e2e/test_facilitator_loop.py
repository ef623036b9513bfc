"""The facilitator's loop at 80×24 in a real terminal (issue 10): the picker's keys, reopening
where you were, and a 200-character pain read whole without opening a form."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cjmtui.core.edit import add_item
from cjmtui.core.store import load_session, save_session
from cjmtui.core.templates import new_session
from support.needs import need
from support.tmux import EXAMPLE, TITLES, Pane, cjmtui_command

LONG_PAIN = (
    "I had to read out my whole order to someone on the phone because the web form lost it twice, "
    "and then the confirmation e-mail still showed the wrong delivery address and no date at all, "
    "so I rang again."
)


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Pane]:
    """A pane the size most SSH sessions have: 80×24."""
    need("tmux")
    pane = Pane(tmp_path, width=80, height=24)
    try:
        yield pane
    finally:
        pane.close()


def test_picker_ignores_keys_that_need_a_session_then_creates_one(small: Pane, tmp_path: Path) -> None:
    """`cjmtui --dir DIR`, then 1–0, t T N p L: the app ended with an AssertionError traceback."""
    folder = tmp_path / "sessions"
    folder.mkdir()
    small.start([*cjmtui_command(), "--dir", str(folder)])
    bar = small.wait_for("No sessions here yet").splitlines()[-1]
    assert "Screens" not in bar and "Timer" not in bar, bar
    for key in [*"1234567890", "t", "T", "N", "p", "L"]:
        small.keys(key)
    small.wait_for("No sessions here yet")
    assert not small.dead(), small.screen()
    assert "Traceback" not in small.screen()

    small.keys("n")
    small.wait_for("Title of the new session")
    small.type("Motor claims")
    small.keys("Enter")
    text = small.wait_for("Start from a template", "nothing prefilled")
    key = re.search(r"(\d) empty", text)
    assert key, text
    small.keys(key.group(1))
    text = small.wait_for("What kind of journey?")
    small.keys(re.search(r"(\d) service", text).group(1))  # type: ignore[union-attr]
    # Nothing mapped yet: the screen of the agenda step the top bar names, Persona (issue 23).
    small.wait_for("Motor claims", TITLES["1"])
    small.keys("F10")
    assert small.wait_exit() == 0
    session = load_session(folder / "Motor-claims.toml").session
    assert session.session.journey == "service" and session.departments == []


def test_reopening_returns_to_the_screen_the_stage_and_the_agenda_step(small: Pane, tmp_path: Path) -> None:
    """Quitting on the map during the agenda's second step used to reopen on Pain points, stage
    1, step 1, the timer reset."""
    path = tmp_path / "work" / "online-ordering.toml"
    path.parent.mkdir()
    shutil.copyfile(EXAMPLE, path)
    small.start([*cjmtui_command(), str(path)])
    small.wait_for(TITLES["3"])
    small.keys("N")  # the agenda's second step: Stages, on the stages screen, its timer running
    small.wait_for(TITLES["2"])
    small.wait_for(r"Stages 19:5\d", regex=True)
    small.keys("t")  # pause: the spent time is what must survive
    spent = small.wait_for(r"Stages (19:\d\d) \(paused\)", regex=True)
    remaining = re.search(r"Stages (19:\d\d) \(paused\)", spent).group(1)  # type: ignore[union-attr]
    small.keys("3", "]", "]")  # pains of the third stage
    small.wait_for("Stage 3/7")
    small.keys("6")
    small.wait_for(TITLES["6"])
    small.keys("F10")
    assert small.wait_exit() == 0

    small.close()
    again = Pane(tmp_path / "again", width=80, height=24)
    again.home = small.home  # the same user: the same remembered place
    again.env.update({k: v for k, v in small.env.items() if k == "HOME" or k.startswith("XDG_")})
    try:
        again.start([*cjmtui_command(), str(path)])
        text = again.wait_for(TITLES["6"], f"Stages {remaining} (paused)")
        assert "Persona" not in text.splitlines()[0], text
        again.keys("3")
        again.wait_for(TITLES["3"], "Stage 3/7")
        again.keys("F10")
        assert again.wait_exit() == 0
    finally:
        again.close()


def test_a_200_character_pain_is_read_whole_at_80x24(small: Pane, tmp_path: Path) -> None:
    assert len(LONG_PAIN) >= 200
    session = new_session("Long words", "blank")
    session, stage = add_item(session, "stages", {"name": "Place the order"}, actor=None)
    session, _ = add_item(session, "pains", {"stage": stage.id, "text": LONG_PAIN}, actor=None)
    path = tmp_path / "long.toml"
    save_session(path, session)
    small.start([*cjmtui_command(), str(path)])
    text = small.wait_for(TITLES["3"], "so I rang again.")
    words = " ".join(text.split())
    assert LONG_PAIN in words, text
    small.keys("F10")
    assert small.wait_exit() == 0
