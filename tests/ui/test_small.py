"""Tiny terminals and resize storms: no crash, and a clear "too small" notice instead of a broken layout."""

from __future__ import annotations

import pytest

from helpers import make_app, screen_text, type_text

MIN_W, MIN_H = 60, 16  # what the screens promise to fit


def _too_small(app) -> bool:
    return app.screen.has_class("-too-small")


@pytest.mark.parametrize("size", [(20, 5), (1, 1)], ids=["20x5", "1x1"])
async def test_tiny_terminal_shows_the_notice_and_keeps_working(example_copy, size):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        assert app.is_running
        assert _too_small(app), f"no -too-small class at {size}"
        if size == (20, 5):
            assert "Terminal too small" in screen_text(app), screen_text(app)
        # Keys still work behind the notice.
        await pilot.press("a")
        await type_text(pilot, "tiny note")
        await pilot.press("enter", "escape")
        assert any(p.text == "tiny note" for p in app.session.pains)
        await pilot.press("6" if size == (20, 5) else "2")
        assert app.is_running
        assert type(app.screen).__name__ == ("MapScreen" if size == (20, 5) else "StagesScreen")
        assert _too_small(app), "a screen first shown in a tiny terminal lacks the notice"


async def test_resize_burst(example_copy):
    app = make_app(example_copy())
    sizes = [(20, 5), (1, 1), (200, 60), (59, 40), (300, 15), (1, 1), (5, 300)]
    async with app.run_test(size=(100, 32)) as pilot:
        for key in ("3", "6"):  # a table screen and the map
            await pilot.press(key)
            for width, height in sizes:
                app.post_message(_resize(width, height))  # no pause: a burst, as a window manager sends
            await pilot.resize_terminal(59, 16)
            await pilot.pause()
            assert app.is_running, f"crashed in a resize burst on screen {key}"
            assert app.size == (59, 16)
            assert _too_small(app), f"59x16 is too narrow but screen {key} has no notice"
            await pilot.resize_terminal(MIN_W, MIN_H)
            await pilot.pause()
            assert not _too_small(app), f"60x16 fits but screen {key} still shows the notice"
            assert "Terminal too small" not in screen_text(app)
        await pilot.resize_terminal(100, 32)
        await pilot.press("3")
        assert not _too_small(app), "a screen shown again after resizing kept a stale notice"
        assert "Terminal too small" not in screen_text(app)


def _resize(width: int, height: int):
    from textual.events import Resize
    from textual.geometry import Size

    size = Size(width, height)
    return Resize(size, size)


async def test_the_solutions_list_keeps_confidence_at_80_by_24(example_copy):
    """Issue 23: at 80×24 the solutions list dropped its confidence column."""
    from helpers import table_texts

    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("5")
        await pilot.pause()
        table = app.screen.query_one("#items")
        labels = [str(c.label) for c in table.columns.values()]
        assert "Conf" in labels and "Eff" in labels, labels
        assert table_texts(table)


def test_matrix_labels_never_overlap():
    """Issue 23: #2, #3 and #4 were drawn on top of each other."""
    import re
    from types import SimpleNamespace

    from cjmtui.ui.widgets.summary.matrix import draw_matrix

    placed = [(1, 1), (5, 1), (6, 1), (7, 1), (2, 2), (3, 3), (4, 3)]
    solutions = [SimpleNamespace(rank=r, effort=e, impact=10.0) for r, e in placed]
    ranking = SimpleNamespace(solutions=solutions, median_impact=10.0)
    for width in (30, 40, 76):
        chart = draw_matrix(ranking, 2, width=width, height=12).plain  # type: ignore[arg-type]
        grid = chart.split("▶ effort")[0]
        labels = re.findall(r"[\d,+]+", grid)
        assert "1,5,6+" in labels and "2" in labels, (width, labels, chart)
        assert "3,4" in labels, (width, labels, chart)


async def test_the_friction_view_keeps_its_last_column_at_80_by_24(example_copy):
    """Issue 23: the friction view's last column ("Most downstream…") was cut at 80×24."""
    from helpers import screen_lines

    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7", "v", "v", "v")
        await pilot.pause()
        header = next(line for line in screen_lines(app) if "Handoffs" in line)
        assert "Reaches most" in header, header
        rows = [line for line in screen_lines(app) if "Find the right part" in line]
        assert rows and "Maintain" in rows[0], rows


async def test_the_summarys_why_rows_fit_one_line_each_at_80_by_24(example_copy):
    """Issue 23: the summary's "why" rows wrapped mid-phrase at 80×24 and were cut."""
    from helpers import screen_lines

    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("7")
        await pilot.pause()
        rows = [line for line in screen_lines(app) if "×0.5^" in line]
        assert rows, screen_lines(app)
        for row in rows:
            assert row.rstrip(" ▁▂▃▄▅▆▇█").endswith(("hop", "hops", "unchecked")), f"a why row wraps: {row!r}"
