"""Start-up runs without the cyclic garbage collector, and it is always turned on again."""

from __future__ import annotations

import gc
import sys

import pytest

import cjmtui.__main__ as entry
import cjmtui.cli as cli
from cjmtui.cli import commands
from helpers import SIZE, make_app


@pytest.fixture
def collector_restored():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()


async def test_the_tui_turns_the_collector_on_once_its_first_screen_is_drawn(example_copy, collector_restored):
    gc.disable()  # as the `cjmtui` command starts (cjmtui/__main__.py)
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert gc.isenabled()


def test_a_command_runs_with_the_collector_on(monkeypatch, capsys, example_copy, collector_restored):
    seen = []
    real = commands.cmd_validate

    def validate(args):
        seen.append(gc.isenabled())
        return real(args)

    monkeypatch.setitem(cli.HANDLERS, "validate", validate)
    monkeypatch.setattr(sys, "argv", ["cjmtui", "validate", str(example_copy())])
    assert entry.main() == 0
    assert seen == [True]
    assert gc.isenabled()
    assert capsys.readouterr().out.startswith("ok: ")


def test_the_collector_is_on_again_when_start_up_fails(monkeypatch, capsys, collector_restored):
    monkeypatch.setattr(sys, "argv", ["cjmtui", "--no-such-option"])
    assert entry.main() == 2
    assert gc.isenabled()


async def test_a_new_session_opens_on_the_screen_of_the_agenda_step_the_top_bar_names(tmp_path):
    """Issue 23: a session opened at the start of the agenda showed another screen than the
    step the top bar named ("Persona")."""
    import datetime as dt

    from cjmtui.core.store import save_session
    from cjmtui.core.templates import new_session

    path = tmp_path / "new.toml"
    save_session(path, new_session("New workshop", "empty", date=dt.date(2026, 1, 5)))
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Persona" in app.status_extra
        assert type(app.screen).__name__ == "PersonasScreen"
