"""docs/development.md's recipe "A screen", followed to the letter: one ``ScreenSpec`` in
``SCREENS`` and one module in ``cjmtui/ui/screens/`` with a ``WorkshopScreen`` subclass whose
``MODE`` names the entry. Nothing else is touched, and the screen's key shows it with its title
and question, it follows every edit (the one ``apply`` → ``version`` loop), and the palette's
"Go to screen" and the help (F1) offer it.

The key and the app's modes are made from ``SCREENS`` when the app is imported, so the recipe
runs in a fresh interpreter that adds the entry first, as the real registry would be, with the
module in a temporary folder added to the package's path."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from factories import ROOT

MODULE = '''
"""o Journal: what the room has said so far, counted (the recipe's example screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from .base import WorkshopScreen


class JournalScreen(WorkshopScreen):
    MODE = "journal"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="journal-scroll"):
            yield Static("", id="journal")

    def focus_main(self) -> None:
        self.query_one("#journal-scroll").focus()

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.focus_main()

    def refresh_view(self) -> None:
        s = self.session
        counts = f"{len(s.pains)} pains, {len(s.processes)} processes, {len(s.solutions)} solutions"
        self.query_one("#journal", Static).update(counts)
'''

SCRIPT = """
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, {tests!r})
import cjmtui.ui.screens as screens

screens.__path__.append({folder!r})  # the module's folder (in the recipe: this package)
screens.SCREENS["journal"] = screens.ScreenSpec(
    "o", "journal", "Journal", "o Journal", "What has the room said so far?", "journal", "JournalScreen"
)

from helpers import make_app, screen_text  # imports the app: after the entry, as in real code
from cjmtui.ui.commands import CjmCommands


async def main():
    app = make_app(Path({session!r}))
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("o")
        assert type(app.screen).__name__ == "JournalScreen", type(app.screen)
        text = screen_text(app)
        assert "o Journal" in text and "What has the room said so far?" in text, text
        pains = len(app.session.pains)
        assert f"{{pains}} pains," in text, text
        app.add("pains", {{"stage": app.stage_id, "text": "The parcel came without a note"}})
        await pilot.pause()
        assert f"{{pains + 1}} pains," in screen_text(app), "the screen did not follow the edit"
        hits = [hit.text async for hit in CjmCommands(app.screen).search("go to screen journal")]
        assert "Go to screen o Journal" in hits, hits
        await pilot.press("1")
        assert type(app.screen).__name__ == "PersonasScreen", "a key typed on the screen went elsewhere"
        await pilot.press("o", "f1")
        rows = getattr(app.screen, "rows", [])
        assert any(keys == "o" and "Journal" in what for keys, what, _where in rows), rows
    print("recipe followed")


asyncio.run(main())
"""


def test_a_screen_is_one_registry_entry_and_one_module(tmp_path: Path, example_copy) -> None:
    folder = tmp_path / "screens"
    folder.mkdir()
    folder.joinpath("journal.py").write_text(textwrap.dedent(MODULE), "utf-8")
    script = SCRIPT.format(tests=str(ROOT / "tests"), folder=str(folder), session=str(example_copy()))
    result = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert result.stdout.strip().endswith("recipe followed")
