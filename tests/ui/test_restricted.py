"""The participant's app as ``cjmtui serve`` starts it (``join --restricted``, issue 22): every
key on every screen and every palette command is tried, and no file appears or changes outside
the session's own files; the facilitator's keys and the commands that write files are gone."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from textual.css.query import NoMatches

from cjmtui.ui.commands import PALETTE_ONLY
from cjmtui.ui.restricted import RESTRICTED_ACTIONS, RESTRICTED_COMMANDS, RESTRICTED_SCREEN_ACTIONS
from cjmtui.ui.screens import SCREENS
from helpers import make_app

# Keys not pressed in the walk: leaving (the walk would end) and help's own toggles.
NOT_PRESSED = {"quit", "help", "command_palette"}


def _files(*folders: Path) -> dict[str, str]:
    out = {}
    for folder in folders:
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(root, name)
                try:
                    out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
                except OSError:
                    out[str(path)] = "?"
    return out


def _own(session: Path, name: str) -> bool:
    """The session's own files: itself, its backup, lock, save lock, heartbeats, temp files."""
    path = Path(name)
    return (
        path == session
        or path.parent == session.parent / f".{session.name}.here"
        or path.parent.name.endswith(".here")
        or (path.parent == session.parent and session.stem in path.name)
    )


def _outside(before: dict[str, str], after: dict[str, str], session: Path) -> list[str]:
    changed = {k for k in after if before.get(k) != after[k]} | (set(before) - set(after))
    return sorted(k for k in changed if not _own(session, k))


async def test_every_key_and_palette_command_of_the_restricted_app_stays_in_the_session(
    example_copy, tmp_path, isolated_user_dirs
):
    session = example_copy()
    (tmp_path / "sessions").mkdir()
    app = make_app(session, actor="Ana", restricted=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        baseline = _files(tmp_path, isolated_user_dirs)
        tried: set[str] = set()
        for mode in SCREENS:
            await app.switch_mode(mode)
            await pilot.pause()
            screen = app.screen
            bindings = [(key, active) for key, active in screen.active_bindings.items() if active.enabled]
            for key, active in bindings:
                action = active.binding.action.split("(")[0]
                assert action not in RESTRICTED_ACTIONS, f"{key} ({action}) is a restricted key"
                assert not (active.node is screen and action in RESTRICTED_SCREEN_ACTIONS), f"{key} reorders"
                if action in NOT_PRESSED or key in tried:
                    continue
                tried.add(f"{mode}:{key}")
                await pilot.press(key)
                await pilot.pause()
                for _ in range(3):
                    if app.screen is screen:
                        break
                    await pilot.press("escape")
                    await pilot.pause()
                if app.current_mode != mode:
                    await app.switch_mode(mode)
                    await pilot.pause()
            commands = list(app.get_system_commands(app.screen))
            titles = {c.title for c in commands}
            assert not titles & RESTRICTED_COMMANDS, titles
            restricted_palette = {t for t, _h, action in PALETTE_ONLY if action in RESTRICTED_ACTIONS}
            assert not titles & restricted_palette, titles & restricted_palette
            # The palette lists every key too (walked above as keys); here, the commands without one.
            keyed = {c.title for c in commands if " · key " in str(c.help)}
            for title in sorted(titles - keyed - {"Quit"}):
                if app.current_mode != mode:
                    await app.switch_mode(mode)
                    await pilot.pause()
                command = next((c for c in app.get_system_commands(app.screen) if c.title == title), None)
                if command is None:
                    continue
                tried.add(f"{mode}:palette:{title}")
                try:
                    result = command.callback()
                    if hasattr(result, "__await__"):
                        await result
                except NoMatches:  # a command for a widget this screen does not show now
                    pass
                await pilot.pause(0.15)  # Textual's screenshot command waits 0.1 s
                for _ in range(3):
                    if app.screen.is_modal:
                        await pilot.press("escape")
                        await pilot.pause()
        for action in sorted(RESTRICTED_ACTIONS):  # even asked for by name, nothing happens
            assert await app.run_action(action) is False
        await pilot.pause(0.3)
        outside = _outside(baseline, _files(tmp_path, isolated_user_dirs), session)
        assert outside == []
        assert len(tried) > 40


async def test_the_facilitators_app_keeps_every_key(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Screenshot", "Save as…", "Export ranked quick wins…", "Open another session"} <= titles
        assert app.check_action("timer", ()) is True


async def test_a_participant_who_joined_without_restriction_is_not_restricted(example_copy):
    app = make_app(example_copy(), actor="Ana")
    async with app.run_test(size=(120, 36)):
        assert not app.restricted
