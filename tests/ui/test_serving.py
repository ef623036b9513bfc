"""The facilitator's app under ``cjmtui serve`` (issue 22): the top bar shows the room code and
who is connected (from the server's own connections); F1 shows how to join, the code, the host
key's fingerprint and who is in since when."""

from __future__ import annotations

import time

from helpers import make_app, screen_text


class FakeServing:
    code = "otter-maple-quill"
    fingerprint = "SHA256:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    join_line = "ssh -p 2222 NAME@workshop-host"

    def __init__(self) -> None:
        self.people: list[tuple[str, float, bool]] = []

    def connected(self) -> list[tuple[str, float, bool]]:
        return list(self.people)


async def test_the_top_bar_and_f1_say_how_to_join_and_who_is_connected(example_copy):
    serving = FakeServing()
    app = make_app(example_copy(), serving=serving)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert "code otter-maple-quill" in app.status_extra and "here: 0" in app.status_extra
        assert any("ssh -p 2222 NAME@workshop-host" in n[2] for n in app.shown_notifications)
        serving.people = [("Ana", time.time(), False), ("Ben", time.time(), True)]
        app.room.tick()
        assert "here: 2 · code otter-maple-quill" in app.status_extra
        assert app.status_extra.endswith("Ana, Ben (stalled)")
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        for wanted in ("ssh -p 2222 NAME@workshop-host", "otter-maple-quill", "SHA256:abcdef", "Connected (2)"):
            assert wanted in text, wanted


async def test_without_serve_nothing_is_said_about_ssh(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert "Room code" not in screen_text(app) and "code " not in app.status_extra


async def test_the_detail_panel_says_who_wrote_a_note(example_copy):
    from cjmtui.core.edit import add_item
    from cjmtui.core.store import load_session, save_session

    path = example_copy()
    loaded = load_session(path)
    stage = loaded.session.stages[0].id
    session, _ = add_item(loaded.session, "pains", {"stage": stage, "text": "Ana's pain [b]x[/b]"}, actor="Ana")
    save_session(path, session, expected=loaded.fingerprint)
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("down")  # the second pain of the first stage: Ana's
        await pilot.pause()
        text = screen_text(app)
        assert "Ana's pain [b]x[/b]  — Ana" in text, text


async def test_at_80_columns_the_facilitators_bar_keeps_who_is_here_and_the_code(example_copy):
    serving = FakeServing()
    serving.people = [("Ana", time.time(), False), ("Ben", time.time(), False), ("Cleo", time.time(), False)]
    app = make_app(example_copy(), serving=serving)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        app.room.tick()
        await pilot.pause()
        top = screen_text(app).splitlines()[0]
        assert "here: 3" in top and "code otter" in top, top
