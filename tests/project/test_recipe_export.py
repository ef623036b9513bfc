"""docs/development.md's recipe "An export format", followed to the letter: a pure function of
the session and its ranking, and one ``Format`` in ``FORMATS``. Nothing else is touched, and the
command line's ``export --format`` and its help, and the TUI's export dialog, offer the format
and write it (the registry is monkeypatched, so the real list is left as it is)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Select

from cjmtui.core import export
from cjmtui.core.export import FORMATS, Format
from cjmtui.core.model import Session
from cjmtui.core.safety import printable
from cjmtui.core.scoring import Ranking
from cjmtui.ui.screens.dialogs import ExportDialog
from factories import run_main
from helpers import make_app, wait_for


# Step 1 of the recipe: a pure function (session, ranking) -> text, user text made safe.
def export_plain(session: Session, ranking: Ranking) -> str:
    """The ranked solutions, one line each: "1. <text> (score)"."""
    lines = [f"{row.rank}. {printable(row.text)} ({row.score:.1f})" for row in ranking.solutions]
    return "\n".join(lines) + "\n"


# Step 2: one Format in FORMATS.
PLAIN = Format("plain", ".txt", "Plain text: one line per ranked solution", export_plain)


@pytest.fixture
def registered(monkeypatch: pytest.MonkeyPatch) -> Format:
    monkeypatch.setitem(FORMATS, PLAIN.name, PLAIN)
    return PLAIN


def test_the_command_line_offers_and_writes_it(registered, example_copy, capsys, cli_env) -> None:
    path = example_copy()
    code, out, _ = run_main(capsys, "export", "-h")
    assert code == 0 and "  plain" in out and registered.summary in out
    code, out, err = run_main(capsys, "export", str(path), "--format", "plain")
    assert code == 0, err
    assert out.startswith("1. ") and out.count("\n") >= 3
    target = Path("ranked.txt")
    code, _, err = run_main(capsys, "export", str(path), "--format", "plain", "-o", str(target))
    assert code == 0, err
    assert target.read_text("utf-8") == out
    assert export.export_text("plain", *_loaded(path)) == out


def _loaded(path: Path) -> tuple[Session, Ranking]:
    from cjmtui.core.scoring import rank
    from cjmtui.core.store import load_session

    session = load_session(path).session
    return session, rank(session)


async def test_the_export_dialog_offers_and_writes_it(registered, example_copy) -> None:
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("7", "x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        choice = dialog.query_one("#export-format", Select)
        assert "plain" in [value for _label, value in choice._options]
        choice.value = "plain"
        await pilot.pause()
        name = dialog.query_one("#export-name", Input)
        assert name.value.endswith(".txt"), "the file name takes the format's suffix"
        await pilot.press("f2")
        written = path.parent / name.value
        assert await wait_for(pilot, written.exists, timeout=5)
        assert await wait_for(pilot, lambda: written.read_text("utf-8").startswith("1. "), timeout=5)
