"""Hostile text in a session (markup, terminal escapes) shows literally on every screen and never acts."""

from __future__ import annotations

from pathlib import Path

from cjmtui.core.details import update_info
from cjmtui.core.edit import add_item
from cjmtui.core.store import load_session, save_session
from cjmtui.ui.screens.form import ItemForm
from cjmtui.ui.widgets.topbar import TopBar
from helpers import SIZE, make_app, notifications, rendered_segments, screen_text, static_text, table_texts

CLICK = "[@click=app.quit]x[/]"
BAD_CLOSE = "[/bad]"
OSC_TITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"
TITLE = "[b]Bold[/b] [@click=app.quit]t[/] workshop"
HOSTILE_PAINS = [CLICK, BAD_CLOSE, OSC_TITLE, CLEAR]


def hostile_session(example: Path, target: Path) -> Path:
    session = load_session(example).session
    session = update_info(session, {"title": TITLE}, actor=None)
    session, proc = add_item(session, "processes", {"stage": "search", "name": "[/] process [red]x"}, actor=None)
    for n, text in enumerate(HOSTILE_PAINS):
        session, _ = add_item(
            session,
            "pains",
            {"id": f"hostile-{n}", "stage": "search", "text": text, "caused_by": [proc.id]},
            actor=None,
        )
    session, _ = add_item(
        session,
        "solutions",
        {"text": "[@click=app.quit]fix[/] it", "targets": [proc.id], "effort": 1, "confidence": 0.9},
        actor=None,
    )
    session, _ = add_item(session, "personas", {"name": "\x1b[31mRed persona"}, actor=None)
    session, _ = add_item(session, "departments", {"name": "[link=x]d[/link]"}, actor=None)
    session, _ = add_item(session, "stages", {"name": "[/stage] \x1b[5m blink"}, actor=None)
    save_session(target, session)
    return target


def assert_inert(app, where: str) -> None:
    """Nothing on screen would reach the terminal as an escape, and no user text became a click action."""
    for segment in rendered_segments(app):
        assert "\x1b" not in segment.text and "\x07" not in segment.text, f"{where}: raw control char"
        meta = segment.style.meta if segment.style is not None else {}
        assert "app.quit" not in str(meta.get("@click", "")), f"{where}: user text became a click action"
    assert app.is_running, f"{where}: the app stopped"


async def test_hostile_text_is_shown_literally_on_every_screen(example_copy):
    path = hostile_session(example_copy(), example_copy().parent / "hostile.toml")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.is_running
        top = str(app.screen.query_one(TopBar).render())
        assert TITLE in top, f"the title is not shown literally: {top!r}"

        rows = table_texts(app.screen.table)
        for literal in (CLICK, BAD_CLOSE, "␛]0;pwned␇", "␛[2J"):
            assert any(literal in r for r in rows), f"{literal!r} not in the pains table"
        text = screen_text(app)
        for literal in (CLICK, BAD_CLOSE, "␛]0;pwned␇", "␛[2J", "[/] process [red]x"):
            assert literal in text, f"{literal!r} not visible on screen 3"
        assert_inert(app, "screen 3")

        for key in "12345678":
            await pilot.press(key)
            assert app.is_running, f"the app stopped on screen {key}"
            assert_inert(app, f"screen {key}")
            text = screen_text(app)
            if key == "1":
                assert "␛[31mRed persona" in text
            elif key == "2":
                assert "[/stage] ␛[5m blink" in text
            elif key == "5":
                assert "[@click=app.quit]fix[/] it" in text
            elif key == "8":
                assert "[link=x]d[/link]" in text
            elif key == "7":
                ranked = app.screen.query_one("#ranked")
                index = next(i for i, r in enumerate(table_texts(ranked)) if "[@click=app.quit]fix[/] it" in r)
                await pilot.press(*["down"] * index)
                why = static_text(app.screen.query_one("#why"))
                assert CLICK in why and BAD_CLOSE in why and "␛[2J" in why, why
                assert_inert(app, "summary with the hostile solution highlighted")
            elif key == "6":
                await pilot.press("down")
                detail = static_text(app.screen.query_one("#map-detail"))
                assert f"Pain: {CLICK}" in detail, detail
                assert "caused upstream by: [/] process [red]x" in detail, detail
                await pilot.press("down", "down")
                assert "Pain: ␛]0;pwned␇" in static_text(app.screen.query_one("#map-detail"))
                assert_inert(app, "map with an escape highlighted")
        assert TITLE in str(app.screen.query_one(TopBar).render())

        # Forms and notifications show the text literally too.
        await pilot.press("3", "down", "down")
        assert app.screen.table.current_id == "hostile-1"
        await pilot.press("e")
        assert isinstance(app.screen, ItemForm)
        assert f"Edit pain: {BAD_CLOSE}" in screen_text(app)
        assert_inert(app, "the edit form")
        await pilot.press("escape", "d")
        assert app.is_running
        assert any(BAD_CLOSE in n for n in notifications(app)), notifications(app)
        assert_inert(app, "after a delete notification")
        await pilot.press("u")
        assert any(p.text == BAD_CLOSE for p in app.session.pains)
