"""Closed dropdowns take typing as native ones do: a whole prefix, never a value nobody typed."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Select

from cjmtui.core.vocab import emotion_label
from cjmtui.ui.screens.form import FORMS, ItemForm
from cjmtui.ui.widgets import choice
from cjmtui.ui.widgets.choice import TypeSelect, select_options
from helpers import SIZE, make_app, on_disk, wait_saved


def _typed(value) -> str:
    """What a facilitator types for ``value``: ``-1``, ``0``, ``+2``, ``4``, ``dec``…"""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return emotion_label(value).split()[0]
    return str(value)


def _pausing_clock(monkeypatch) -> list[float]:
    """The dropdowns' clock, moved on by the test (never the wall clock)."""
    now = [1000.0]
    monkeypatch.setattr(choice.TypeSelect, "clock", staticmethod(lambda: now[0]))
    return now


async def test_select_options_hook_reads_textual_internal():
    """cjmtui reads Textual's ``Select._options`` in one place (textual_fixes.select.select_options): this
    fails when Textual renames or reshapes it."""

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield TypeSelect([(Text("alpha"), "a"), (Text("beta"), "b")], allow_blank=True, id="s")

    async with One().run_test() as pilot:
        select = pilot.app.query_one("#s", TypeSelect)
        assert hasattr(select, "_options")
        assert select_options(select) == [("alpha", "a"), ("beta", "b")]


async def test_every_value_of_every_emotion_typed_into_a_closed_field(example_copy, monkeypatch):
    """Typing ``-1`` into a closed emotion field gave -2; ``-2`` on -2 gave -1 (issue 23)."""
    later = _pausing_clock(monkeypatch)
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        personas = [p.id for p in app.session.personas]
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, ItemForm)
        for persona in personas:
            field = form.query_one(f"#emo-{persona}", TypeSelect)
            field.focus()
            for start in (None, -2, -1, 0, 1, 2):
                for want in (-2, -1, 0, 1, 2):
                    field.value = Select.NULL if start is None else start
                    later[0] += 5  # a pause: a new prefix
                    await pilot.press(*_typed(want))
                    assert field.value == want, f"typed {_typed(want)!r} on {start}: got {field.value}"
        await pilot.press("f2")
        stage = next(s for s in app.session.stages if s.id == app.screen.table.current_id)
        assert stage.emotion == dict.fromkeys(personas, 2)
        await wait_saved(app, pilot)
        assert next(s for s in on_disk(path).stages if s.id == stage.id).emotion == dict.fromkeys(personas, 2)


async def test_every_rating_and_choice_typed_in_the_pain_and_solution_forms(example_copy, monkeypatch):
    later = _pausing_clock(monkeypatch)
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        for screen, table in (("3", "pains"), ("5", "solutions"), ("2", "stages")):
            await pilot.press(screen)
            for field in FORMS[table]:
                if field.kind != "choice" and field.kind != "bool":
                    continue
                values = (False, True) if field.kind == "bool" else field.choices
                await pilot.press("e")
                form = app.screen
                select = form.query_one(f"#f-{field.name}", TypeSelect)
                select.focus()
                for want in values:
                    later[0] += 5
                    await pilot.press(*_typed(want))
                    assert select.value == want, f"{table}.{field.name}: typed {_typed(want)!r}, got {select.value!r}"
                await pilot.press("escape")


async def test_a_key_that_matches_nothing_keeps_the_value_and_flashes(example_copy, monkeypatch):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "e")
        select = app.screen.query_one("#f-severity", TypeSelect)
        select.focus()
        await pilot.pause()
        await pilot.press("4")
        assert select.value == "4"
        await pilot.press("x")
        assert select.value == "4", "a key that matches nothing changed the value"
        assert select.has_class("-no-match")
        # After a pause, typing starts a new prefix (the clock is the widget's, not the test's).
        now = [1000.0]
        monkeypatch.setattr(choice.TypeSelect, "clock", staticmethod(lambda: now[0]))
        await pilot.press("2")
        now[0] += 5
        await pilot.press("5")
        assert select.value == "5"


async def test_export_format_typed_while_closed(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7", "x")
        await pilot.pause()
        select = app.screen.query("#export-format").first(TypeSelect)
        names = [value for _label, value in select_options(select)]
        for name in names:
            await pilot.press("tab", "shift+tab", *name)  # away and back: a new prefix
            assert select.value == name, f"typed {name!r}, got {select.value!r}"


async def test_a_focused_dropdown_shows_focus_in_every_theme(example_copy):
    """Reversed survives the 16-colour and no-colour themes; a background tint does not."""
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2", "e")
        form = app.screen
        select = form.query_one("#f-phase", TypeSelect)
        select.focus()
        for theme in ("cjm-dark", "cjm-light", "cjm-contrast", "cjm-terminal"):  # cjm-terminal: 16 colours
            app.theme = theme
            await pilot.pause()
            shown = select.query_one("SelectCurrent")
            assert shown.styles.text_style.reverse, f"{theme}: a focused dropdown looks like the others"
            other = form.query_one("#f-name")
            other.focus()
            await pilot.pause()
            assert not shown.styles.text_style.reverse, f"{theme}: a dropdown without focus looks focused"
            select.focus()
            await pilot.pause()
