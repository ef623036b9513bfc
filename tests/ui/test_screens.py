"""Moving around: screen keys, stage keys, the map, the summary, help and the command palette."""

from __future__ import annotations

import re
from functools import partial

from textual.command import CommandPalette
from textual.widgets import ContentSwitcher, Input, Static

from cjmtui.core.explain import explain_process
from cjmtui.core.export import ranking_markdown
from cjmtui.core.scoring import rank
from cjmtui.ui.commands import CjmCommands
from cjmtui.ui.screens.dialogs import ExportDialog
from cjmtui.ui.screens.help import HelpScreen
from cjmtui.ui.screens.lists.departments import DepartmentsScreen
from cjmtui.ui.screens.lists.pains import PainsScreen
from cjmtui.ui.screens.lists.personas import PersonasScreen
from cjmtui.ui.screens.lists.processes import ProcessesScreen
from cjmtui.ui.screens.lists.solutions import SolutionsScreen
from cjmtui.ui.screens.lists.stages import StagesScreen
from cjmtui.ui.screens.map import MapScreen
from cjmtui.ui.screens.summary import VIEWS, SummaryScreen
from cjmtui.ui.widgets.topbar import TopBar
from helpers import SIZE, make_app, notifications, screen_text, static_text, table_texts, type_text, wait_for

SCREEN_KEYS = [
    ("1", PersonasScreen, "1 Persona"),
    ("2", StagesScreen, "2 Stages"),
    ("3", PainsScreen, "3 Pain points"),
    ("4", ProcessesScreen, "4 Internal processes"),
    ("5", SolutionsScreen, "5 Solutions"),
    ("6", MapScreen, "6 Map"),
    ("7", SummaryScreen, "7 Summary"),
    ("8", DepartmentsScreen, "8 Departments"),
]


def _top_bar(app) -> str:
    return str(app.screen.query_one(TopBar).render())


def _stage_bar(app) -> str:
    return static_text(app.screen.query_one("#stagebar", Static))


async def test_number_keys_switch_screens(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        for key, cls, title in [*SCREEN_KEYS, SCREEN_KEYS[0]]:  # and back to a screen seen before
            await pilot.press(key)
            assert type(app.screen) is cls, f"key {key} showed {type(app.screen).__name__}, not {cls.__name__}"
            assert title in _top_bar(app), f"the top bar does not say {title!r} after key {key}"
            assert title in screen_text(app)


async def test_brackets_change_the_stage_on_pains_and_processes(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        assert type(app.screen) is PainsScreen
        assert "Stage 1/7: Search for the part online" in _stage_bar(app)
        await pilot.press("right_square_bracket")
        assert "Stage 2/7: Find the right part" in _stage_bar(app)
        rows = table_texts(app.screen.table)
        assert len(rows) == 4 and "I can't tell whether this part fits" in rows[0], rows
        await pilot.press("left_square_bracket", "left_square_bracket")  # stops at the first stage
        assert "Stage 1/7: Search for the part online" in _stage_bar(app)
        assert app.stage_id == "search"

        await pilot.press("4")
        assert "Stage 1/7: Search for the part online" in _stage_bar(app)
        assert [r.split(" | ")[0] for r in table_texts(app.screen.table)] == [
            "Publish product feeds to search & marketplaces"
        ]
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert "Stage 3/7: Place order" in _stage_bar(app)
        assert [r.split(" | ")[0] for r in table_texts(app.screen.table)] == [
            "Run the online order form & checkout",
            "Set up trade accounts & contract prices",
        ]
        await pilot.press(*["right_square_bracket"] * 6)  # stops at the last stage
        assert "Stage 7/7: Returns & reorder" in _stage_bar(app)

        await pilot.press("3")  # the stage is shared between the screens
        assert "Stage 7/7: Returns & reorder" in _stage_bar(app)
        assert any("My refund took five weeks" in r for r in table_texts(app.screen.table))


async def test_map_arrows_move_highlight_and_detail_names_the_upstream_cause(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("6")
        assert type(app.screen) is MapScreen
        detail = app.screen.query_one("#map-detail", Static)

        text = static_text(detail)
        assert "Pain: I searched the part number off my old unit" in text
        assert re.search(r"caused upstream by: .*Publish product feeds", text), text
        assert "► − 9 I searched the" in screen_text(app), "the highlighted pain is not marked ►"

        await pilot.press("down")
        text = static_text(detail)
        assert "Process: Publish product feeds to search & marketplaces" in text
        assert "causes downstream: I searched the part number" in text
        assert "receives work from: Maintain the online catalogue" in text

        await pilot.press("right", "up")
        text = static_text(detail)
        assert "Pain: I can't tell whether this part fits my machine." in text
        assert "caused upstream by: Maintain the online catalogue & product data" in text
        assert "fixed by: Fix the online catalogue and order form" in text
        lines = screen_text(app)
        assert "► −25 I can't tell" in lines, lines
        assert "▲" in lines, "the upstream cause is not marked ▲ on the map"
        assert app.screen.query_one("#map").current == ("pains", "cant-tell-fit")


async def test_summary_ranking_breakdown_views_export_and_copy(example_copy, monkeypatch):
    path = example_copy()
    app = make_app(path)
    copied: list[str] = []
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        assert type(app.screen) is SummaryScreen
        ranked = app.screen.query_one("#ranked")
        assert ranked.ordered_rows[0].key.value == "fix-catalogue"
        first = table_texts(ranked)[0]
        assert first.startswith("1 | Fix the online catalogue"), first
        assert "quick win" in first
        why = static_text(app.screen.query_one("#why", Static))
        assert why.startswith(f"#1 {rank(app.session).solutions[0].text}\nWhy:"), why
        for pain in ("I can't tell whether this part fits", "The wrong part arrived", "The form let me submit"):
            assert pain in why, f"the breakdown does not list the reached pain {pain!r}"

        await pilot.press("down")  # the breakdown follows the highlight
        why = static_text(app.screen.query_one("#why", Static))
        assert why.startswith("#2 ") and "The confirmation doesn't say when it will ship" in why

        # y copies the ranked list as Markdown.
        await pilot.press("y")
        assert len(copied) == 1, "y did not copy"
        assert copied[0] == ranking_markdown(rank(app.session), app.session)
        lines = copied[0].splitlines()
        header = next(i for i, line in enumerate(lines) if line.startswith("| #"))
        assert "Solution" in lines[header] and set(lines[header + 1]) <= set("|-: ")
        assert lines[header + 2].startswith("| 1 | Fix the online catalogue")
        assert any("Copied" in n for n in notifications(app))

        # x exports into the session's folder and says where.
        await pilot.press("x")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog), "x did not open the export dialog"
        assert dialog.query_one("#export-name", Input).value == "online-ordering-quick-wins.md"
        await pilot.press("f2")
        assert not isinstance(app.screen, ExportDialog)
        written = path.parent / "online-ordering-quick-wins.md"
        # Written in a thread (a big report takes seconds): the screen says so, then where.
        assert any("Writing online-ordering-quick-wins.md" in n for n in notifications(app))
        assert await wait_for(pilot, lambda: any(str(written) in n for n in notifications(app)))
        assert written.is_file(), "no Markdown export in the session folder"
        text = written.read_text("utf-8")
        assert "Fix the online catalogue and order form" in text and "| 1 |" in text
        assert any(str(written) in n for n in notifications(app)), notifications(app)

        # v: ranking → matrix → root causes.
        switcher = app.screen.query_one(ContentSwitcher)
        await pilot.press("v")
        assert switcher.current == "matrix"
        chart = static_text(app.screen.query_one("#matrix-chart", Static))
        assert "QUICK WIN" in chart and "effort" in chart
        assert "Impact / effort matrix" in screen_text(app)

        await pilot.press("v")
        assert switcher.current == "causes"
        causes = app.screen.query_one("#rootcauses")
        top = rank(app.session).processes[0]
        assert causes.ordered_rows[0].key.value == top.id
        assert table_texts(causes)[0].startswith(f"1 | {top.name}")
        assert static_text(app.screen.query_one("#cause-why", Static)).startswith(
            f"#1 {top.name}\nFixing it: {explain_process(top, app.session.scoring).text()}"
        )
        assert "Root-cause processes" in screen_text(app)
        assert VIEWS[:3] == ("ranking", "matrix", "causes")


async def test_help_lists_the_keys_and_closes(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen), "? did not open help"
        # Each row: keys, "what — the binding's tooltip", where. Index by the short description.
        rows = {(desc.split(" — ")[0], where): keys for keys, desc, where in app.screen.rows}
        assert "a" in rows[("Add", "this screen")].split(" / ")
        assert "l" in rows[("Causes", "this screen")].split(" / ")
        assert "u" in rows[("Undo", "everywhere")].split(" / ")
        assert any("10" in k for k in rows[("Quit", "everywhere")].split(" / "))
        text = screen_text(app)
        assert "Keys" in text
        assert "Who is the customer?" in text
        assert "Add" in text
        await pilot.press("escape")
        assert type(app.screen) is PainsScreen


async def test_palette_goes_to_a_stage(example_copy, monkeypatch):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        # The provider finds the item by name.
        provider = CjmCommands(app.screen)
        hits = [hit async for hit in provider.search("go to stage Delivery")]
        assert any(hit.text == "Go to stage Delivery" for hit in hits), [h.text for h in hits]

        went: list[tuple[str, str]] = []
        go_to = app.go_to

        def spy(table: str, item_id: str) -> None:
            went.append((table, item_id))
            go_to(table, item_id)

        monkeypatch.setattr(app, "go_to", spy)

        app.action_command_palette()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "go to stage Delivery")
        assert await wait_for(pilot, lambda: "Go to stage Delivery" in screen_text(app)), screen_text(app)
        await pilot.press("enter")
        # Issue 23: the pains (or processes) of that stage stay on screen; only the stage changes.
        assert await wait_for(pilot, lambda: app.stage_id == "delivery"), app.stage_id
        assert type(app.screen) is PainsScreen, "the palette left the pains screen for the stages screen"
        assert went == [("stages", "delivery")], went


async def test_summary_why_shows_every_factor_of_the_score(example_copy):
    """Issue 9: with vote_weight = 1 the why line said "= 575.4" while its factors made 191.8."""
    from cjmtui.core.details import update_scoring
    from cjmtui.core.vocab import fmt_number

    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.apply("weights", partial(update_scoring, actor=None), {"vote_weight": 1.0})
        await pilot.press("7")
        await pilot.pause()
        top = rank(app.session).solutions[0]
        why = static_text(app.screen.query_one("#why", Static))
        assert f"× votes ×{1 + top.votes} ({top.votes} votes)" in why, why
        assert f"stage bonus ×4 (reaches {top.stages_reached} stages)" in why, why
        assert why.splitlines()[0] == f"#1 {top.text}", "the why panel does not start with the solution's own words"
        assert why.splitlines()[1].endswith(f"= {fmt_number(top.score)}"), why
        assert f"Quadrant: {top.quadrant}: impact {fmt_number(top.impact)} ≥ median" in why, why


async def test_a_200_character_pain_can_be_read_whole_at_80x24(example_copy):
    """Issue 10: at 80×24 the pain's words were cut to about 23 characters, with no way to read them."""
    from cjmtui.core.edit import add_item

    long = "I had to read out my whole order twice " + "and then again to a second person " * 4 + "— the end."
    assert len(long) >= 170
    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        stage = app.session.stages[0].id
        app.apply("add", partial(add_item, actor=None), "pains", {"stage": stage, "text": long}, show="pains")
        await pilot.press("3")
        await pilot.pause()
        shown = " ".join(line.strip() for line in screen_text(app).splitlines())
        assert long in shown, screen_text(app)


async def test_the_export_dialog_asks_before_replacing_shows_the_lens_and_keeps_its_choices(example_copy):
    """Issue 10: x Enter exported Markdown at once over an existing file; the persona lens
    filtered the export unannounced; a path typed as the name closed the dialog with an error."""
    from textual.widgets import Checkbox, Select

    path = example_copy()
    existing = path.parent / "online-ordering-quick-wins.md"
    existing.write_text("keep me", "utf-8")
    app = make_app(path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("L", "7", "x")  # lens: the first persona
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        await pilot.press("enter")  # on the format list: opens it, writes nothing
        await pilot.press("escape")
        assert existing.read_text("utf-8") == "keep me"
        lens = dialog.query_one("#export-lens", Checkbox)
        assert lens.value and "Small-business buyer" in str(lens.label)
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        name = dialog.query_one("#export-name", Input)
        name.value = "sub\x1bdir/x.csv"
        await pilot.press("f2")
        assert app.screen is dialog, "an error closed the dialog"
        assert dialog.query_one("#export-format", Select).value == "csv"
        name.value = "online-ordering-quick-wins.md"
        dialog.query_one("#export-format", Select).value = "md"
        await pilot.pause()
        await pilot.press("f2")
        assert app.screen is dialog and existing.read_text("utf-8") == "keep me", "replaced without asking"
        lens.value = False
        await pilot.press("f2")  # the second F2 replaces
        assert app.screen is not dialog
        assert await wait_for(pilot, lambda: existing.read_text("utf-8") != "keep me")
        text = existing.read_text("utf-8")
        assert "Quick wins, ranked" in text and "Ranked for persona" not in text


async def test_the_maps_whole_cascade_can_be_read_at_80x24(example_copy):
    """Issue 10: the highlighted item's cascade was cut mid-sentence at 80x24."""
    from cjmtui.core.causes import related
    from cjmtui.ui.screens.dialogs import Reading

    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("6", "right", "down", "down", "down", "down", "down")  # a process of stage 2
        ref = app.screen.map.current
        assert ref is not None and ref[0] == "processes"
        await pilot.press("enter")
        assert isinstance(app.screen, Reading)
        downstream = [p.text for p in app.session.pains if ("pains", p.id) in related(app.session, *ref).downstream]
        assert len(downstream) > 5
        shown = " ".join(line.strip() for line in screen_text(app).splitlines())
        for _ in range(20):  # scroll through it all
            await pilot.press("pagedown")
            shown += " " + " ".join(line.strip() for line in screen_text(app).splitlines())
        for text in downstream:
            assert text.split()[0] in shown and text.split()[-1] in shown, text
        await pilot.press("escape")
        assert not isinstance(app.screen, Reading)


async def test_the_screen_stays_live_while_an_export_is_written(example_copy, monkeypatch):
    """A big session's report takes seconds to write: it is written in a thread."""
    import threading

    from cjmtui.core import export

    release = threading.Event()
    real = export.export_text

    def slow(fmt, session, ranking):
        assert release.wait(5), "never released"
        return real(fmt, session, ranking)

    monkeypatch.setattr(export, "export_text", slow)
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", "x")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("f2")
        await pilot.press("3")  # while the report is being written, keys still work
        assert app.screen.MODE == "pains"
        written = path.parent / "online-ordering-quick-wins.md"
        assert not written.exists()
        release.set()
        await app.workers.wait_for_complete()  # the export is a worker (group "export")
        assert written.is_file()
        assert any(str(written) in n for n in notifications(app))


async def test_help_reads_whole_lines_at_80_by_24(example_copy):
    """Issue 23: F1 help wrapped mid-phrase at 80×24 ("— screen" / "1")."""
    from cjmtui.ui.screens.help import METHOD, TRIAGE

    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        help_box = app.screen.query_one("#help")
        room = help_box.scrollable_content_region.width
        for line in (METHOD + "\n" + TRIAGE).splitlines():
            assert len(line) <= room, f"wraps at {room} columns: {line!r}"
