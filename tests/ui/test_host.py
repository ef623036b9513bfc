"""The app's controllers need only what :class:`cjmtui.ui.host.Host` names: each runs, and is
tested, on a stand-in without the app (issue 25, item 2). Background work is a daemon thread
behind a Textual worker (:mod:`cjmtui.ui.background`)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from cjmtui.core.model import Session
from cjmtui.core.scoring import rank
from cjmtui.core.store import load_session
from cjmtui.ui.background import in_thread
from cjmtui.ui.exports import Exports
from cjmtui.ui.rankings import Rankings
from cjmtui.ui.room import Room
from factories import FakeClock


class StandIn:
    """As much of a Host as these controllers read: a session, nobody voting, no lens."""

    actor: str | None = None
    restricted = False
    serving = None
    voter: str | None = None
    persona_lens: str | None = None
    status_extra = ""
    has_session = True

    def __init__(self, session: Session) -> None:
        self.session = session
        self.workspace = None
        self.told: list[str] = []
        self.clipboard = ""

    def notify(self, message: str, **_options: Any) -> None:
        self.told.append(message)

    def copy_to_clipboard(self, text: str) -> None:
        self.clipboard = text


@pytest.fixture
def stand_in(example_copy) -> StandIn:
    return StandIn(load_session(example_copy()).session)


def test_the_room_runs_its_agenda_on_a_stand_in(stand_in: StandIn) -> None:
    clock = FakeClock()
    room = Room(stand_in, clock)
    room.load_step(1)
    room.timer.start()
    clock.now += 90
    status = room.status()
    assert room.step == "stages"
    assert "(paused)" not in status
    stand_in.actor = "Ana"
    assert not room.facilitating()
    assert stand_in.told == ["Only the facilitator runs the agenda and its timer."]


def test_rankings_and_the_copy_run_on_a_stand_in(stand_in: StandIn) -> None:
    rankings = Rankings(stand_in)
    ranking = rankings.of(stand_in.session, None)
    assert ranking == rank(stand_in.session)
    assert rankings.get(stand_in.session, None) is ranking  # worked out once
    Exports(stand_in, rankings).copy_ranking()
    assert stand_in.clipboard.startswith("**Quick wins — ")
    assert stand_in.told == [f"Copied the ranked list ({len(ranking.solutions)} solutions) as Markdown."]


def test_an_export_is_written_and_told_without_the_app(stand_in: StandIn, tmp_path: Path) -> None:
    from cjmtui.ui.screens.dialogs import ExportChoice

    exports = Exports(stand_in, Rankings(stand_in))
    target = tmp_path / "quick-wins.md"
    told = exports.write(ExportChoice("md", target, False), stand_in.session, None)
    assert target.is_file()
    assert told == (f"Wrote {target}", {"title": "Exported", "timeout": 10})
    exports.tell(told)
    assert stand_in.told == [f"Wrote {target}"]


async def test_background_work_runs_in_a_daemon_thread_and_hands_back_its_result_or_error() -> None:
    seen: list[threading.Thread] = []

    def work(x: int) -> int:
        seen.append(threading.current_thread())
        return x * 2

    assert await in_thread(work, 21, name="cjmtui-test") == 42
    assert seen[0].name == "cjmtui-test" and seen[0].daemon
    assert seen[0] is not threading.main_thread()

    def broken() -> None:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        await in_thread(broken, name="cjmtui-test")
