"""Themes: the bundled four, the chosen theme remembered, a broken user theme reported without a crash."""

from __future__ import annotations

import os
from pathlib import Path

from cjmtui.core.settings import load_settings, settings_path
from helpers import SIZE, make_app, notifications, wait_for

BUNDLED = {"cjm-dark", "cjm-light", "cjm-contrast", "cjm-terminal"}


def _config() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "cjmtui"


async def test_bundled_themes_and_the_chosen_theme_is_remembered(example_copy):
    path = example_copy()
    assert not settings_path().exists()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert set(app.available_themes) >= BUNDLED, sorted(app.available_themes)
        assert app.theme == "cjm-dark"
        background = app.screen.styles.background
        app.theme = "cjm-light"
        await pilot.pause()
        assert app.current_theme.name == "cjm-light"
        assert app.screen.styles.background != background, "the screen did not change colour"
        # Parsed CSS is kept per theme (ui/stylesheet.py): back to the first theme, its colours
        # come back, and a screen shown for the first time now has them too.
        app.theme = "cjm-dark"
        await pilot.pause()
        assert app.screen.styles.background == background
        await pilot.press("7")
        await pilot.pause()
        assert app.screen.styles.background == background
        app.theme = "cjm-light"
        await pilot.pause()
    assert settings_path().is_relative_to(_config())
    assert load_settings().get("theme") == "cjm-light", settings_path().read_text("utf-8")

    again = make_app(path)
    assert again.theme == "cjm-light"
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.current_theme.name == "cjm-light"
        again.theme = "cjm-contrast"
        await pilot.pause()
    assert load_settings().get("theme") == "cjm-contrast"


async def test_broken_user_theme_is_reported_and_does_not_crash(example_copy):
    themes = _config() / "themes"
    themes.mkdir(parents=True)
    (themes / "bad.toml").write_text('name = "bad"\nprimary = "not-a-colour"\n', "utf-8")
    (themes / "broken-syntax.toml").write_text('name = "oops\nprimary = [\n', "utf-8")
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "#884400"\ndark = true\n', "utf-8")
    settings_path().write_text('theme = "bad"\n', "utf-8")  # the theme chosen last time is now broken

    app = make_app(example_copy())
    assert any("bad.toml" in e for e in app.theme_errors), app.theme_errors
    assert any("broken-syntax.toml" in e for e in app.theme_errors), app.theme_errors
    async with app.run_test(size=SIZE) as pilot:
        assert app.is_running
        assert app.theme == "cjm-dark", "a broken remembered theme should fall back to the default"
        assert "mine" in app.available_themes and set(app.available_themes) >= BUNDLED
        assert await wait_for(pilot, lambda: any("bad.toml" in n for n in notifications(app)))
        assert any("bad.toml" in n for n in notifications(app, "warning"))
        assert any("broken-syntax.toml" in n for n in notifications(app))
        await pilot.press("2")  # still works
        assert type(app.screen).__name__ == "StagesScreen"
