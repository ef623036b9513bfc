"""Pasted bytes are text: an escape sequence in a paste never becomes key presses."""

from __future__ import annotations

from textual import events

from cjmtui.ui.paste import clean_paste
from cjmtui.ui.textual_fixes.paste_parser import PasteSafeParser


def _feed(*chunks: str) -> list[object]:
    """What the parser makes of ``chunks`` read one after another, then a quiet moment (a paste
    is handed on once what follows its end marker is known not to continue it)."""
    parser = PasteSafeParser(hold=0)
    out: list[object] = []
    for chunk in chunks:
        out += list(parser.feed(chunk))
    out += list(parser.tick())
    return out


def test_a_pasted_end_marker_does_not_end_the_paste():
    """Issue 21 C11: ``x\\e[201~dddd`` pasted with the list focused deleted 4 pains: the pasted
    end marker ended the paste and the rest ran as keys."""
    tokens = _feed("\x1b[200~x\x1b[201~dddd\x1b[201~")
    assert [type(t) for t in tokens] == [events.Paste], tokens
    assert tokens[0].text == "xdddd"
    tokens = _feed("\x1b[200~note\x1b[201~\x1b[21~", "more\x1b[201~", "k")
    assert [t.text for t in tokens if isinstance(t, events.Paste)] == ["notemore"]
    assert [t.key for t in tokens if isinstance(t, events.Key)] == ["k"], "a key typed after the paste was lost"


async def test_a_paste_holding_the_end_marker_never_deletes_or_quits(example_copy):
    """Issue 21 C11, in the app: what the parser makes of such pastes goes to the app as the
    terminal driver sends it. With the list focused nothing is deleted; in quick capture a
    pasted F10 (``\\e[21~``) does not quit and the note's text stays in the entry."""
    from helpers import make_app, wait_for

    app = make_app(example_copy())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("3")
        before = [p.id for p in app.session.pains]
        for token in _feed("\x1b[200~x\x1b[201~dddd\x1b[201~"):
            app.post_message(token)
        await pilot.pause()
        await pilot.pause()
        assert [p.id for p in app.session.pains] == before, "pasted keys deleted pains"
        await pilot.press("a")
        for token in _feed("\x1b[200~note\x1b[201~\x1b[21~\x1b[201~"):
            app.post_message(token)
        await pilot.pause()
        assert await wait_for(pilot, lambda: app.screen.query_one("#capture-input").value == "note")
        assert app.is_running, "a pasted F10 quit the app"


def test_an_escape_sequence_inside_a_paste_stays_in_the_paste():
    tokens = _feed("\x1b[200~osc \x1b]0;pwned\x07 title\x1b[2J\rnext\x1b[201~")
    assert [type(t) for t in tokens] == [events.Paste], tokens
    assert tokens[0].text == "osc  title\nnext"


def test_a_paste_split_across_reads_is_one_paste():
    tokens = _feed("x\x1b[20", "0~one\x1b", "]0;t\x07 two\x1b[2", "01~y")
    keys = [t.key for t in tokens if isinstance(t, events.Key)]
    pastes = [t.text for t in tokens if isinstance(t, events.Paste)]
    assert pastes == ["one two"]
    assert keys == ["x", "y"]


def test_keys_outside_a_paste_are_keys():
    keys = [t.key for t in _feed("ab\r") if isinstance(t, events.Key)]
    assert keys == ["a", "b", "enter"]


def test_clean_paste_keeps_words_lines_and_tabs():
    assert clean_paste("a\tb\r\nc\x07\x00d\x9b31m") == "a\tb\ncd"


async def test_a_multi_line_paste_into_quick_capture_adds_a_note_per_line(example_copy):
    from helpers import make_app, notifications, wait_saved

    app = make_app(example_copy())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("3", "a")
        before = len(app.session.pains)
        entry = app.screen.query_one("#capture-input")
        entry.post_message(events.Paste("first note\n\n second note \r\nthird\x1b]0;x\x07 note"))
        await wait_saved(app, pilot)
        texts = [p.text for p in app.session.pains[before:]]
        assert texts == ["first note", "second note", "third note"]
        assert any("Added 3 notes" in n for n in notifications(app))
        assert entry.value == "" and app.screen.query_one("#capture").display


async def test_a_paste_into_a_form_field_joins_its_lines_and_a_paste_too_long_is_refused(example_copy):
    from textual.widgets import Input

    from cjmtui.ui.screens.form import ItemForm
    from helpers import make_app, notifications

    app = make_app(example_copy())
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("3", "e")
        assert isinstance(app.screen, ItemForm)
        field = app.screen.query_one("#f-text", Input)
        field.value = "typed "
        field.cursor_position = len(field.value)
        field.post_message(events.Paste("first line\r\nsecond \x1b[31mline\n"))
        await pilot.pause()
        assert field.value == "typed first line second line"
        field.post_message(events.Paste("x" * 3000))
        await pilot.pause()
        assert field.value == "typed first line second line", "a paste over the limit changed the field"
        assert any("at most 2000" in n for n in notifications(app)), notifications(app)
        field.select_all()  # as when the field is reached: a paste replaces the whole value, as typing does
        field.post_message(events.Paste("pasted over"))
        await pilot.pause()
        assert field.value == "pasted over"
