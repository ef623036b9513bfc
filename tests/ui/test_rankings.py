"""A big session's ranking is worked out ahead, once it is quiet, and the summary shows it at once."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from cjmtui.core.scoring import rank
from cjmtui.ui import rankings
from helpers import SIZE, make_app, send_keys, static_text, type_text, wait_for


@pytest.fixture
def every_session_is_big(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rankings, "RANK_IN_BACKGROUND", 0)
    monkeypatch.setattr(rankings, "WARM_AFTER", 0.05)


async def test_a_quiet_big_session_is_ranked_ahead_and_the_summary_shows_it_at_once(
    example_copy, every_session_is_big
) -> None:
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.rankings.get(app.session, None) is not None)
        ahead = app.rankings.get(app.session, None)
        assert ahead is not None and ahead == rank(app.session)
        await pilot.press("7")
        # No "ranking…" wait: the ranking worked out ahead is the one shown, on the first frame.
        assert app.screen.ranking is ahead
        assert "ranking…" not in static_text(app.screen.query_one("#summary-view-title", Static))
        table = app.screen.query_one("#ranked")
        assert [row.key.value for row in table.ordered_rows] == [s.id for s in ahead.solutions]


async def test_an_edit_makes_a_new_ranking_once_the_room_is_quiet_again(
    example_copy, every_session_is_big, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.rankings.get(app.session, None) is not None)
        monkeypatch.setattr(rankings, "WARM_AFTER", 1.0)  # typing goes on: nothing is ranked meanwhile
        before = app.session
        await send_keys(pilot, "5", "a")  # solutions: quick capture
        await type_text(pilot, "Call back every customer within the hour")
        await pilot.press("enter")
        assert app.session is not before
        # Kept only for the version it was worked out for: never shown for the new one.
        assert app.rankings.get(app.session, None) is None
        assert await wait_for(pilot, lambda: app.rankings.get(app.session, None) is not None, timeout=3)
        assert app.rankings.get(app.session, None) == rank(app.session)


async def test_a_small_session_is_not_ranked_ahead(example_copy) -> None:
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(rankings.WARM_AFTER + 0.3)
        assert app.rankings.get(app.session, None) is None
        await pilot.press("7")  # ranked when shown, in a few milliseconds
        assert app.screen.ranking == rank(app.session)


async def test_the_lists_index_the_cause_graph_once_per_version(example_copy, monkeypatch) -> None:
    """The solutions' detail shows the highlighted fix's reach: indexing a 20,000-pain session on
    every highlight took about 100 ms a key."""
    built = []
    real = rankings.Graph

    def counting(*args, **kwargs):
        built.append(args[1:])
        return real(*args, **kwargs)

    monkeypatch.setattr(rankings, "Graph", counting)
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await send_keys(pilot, "5", "down", "down", "down", "up")
        assert len(built) == 1
        top = rank(app.session).solutions
        row = {s.id: s for s in top}[app.screen.current_item().id]
        detail = static_text(app.screen.query_one("#detail", Static))
        assert f"Reaches {row.pains_reached} pains in {row.stages_reached} stages" in detail
        await send_keys(pilot, "4", "down")  # the processes' detail: the same index, without the lens
        assert len(built) == 1
        await send_keys(pilot, "5", "a")
        await type_text(pilot, "Call back within the hour")
        await pilot.press("enter", "escape", "down")
        assert len(built) == 2, "a new version is indexed again"


async def test_a_big_sessions_lists_use_the_graph_of_the_ranking_worked_out_ahead(
    example_copy, every_session_is_big, monkeypatch
) -> None:
    built = []
    real = rankings.Graph
    monkeypatch.setattr(rankings, "Graph", lambda *a, **k: built.append(a) or real(*a, **k))
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        assert await wait_for(pilot, lambda: app.rankings.get(app.session, None) is not None)
        await send_keys(pilot, "5", "down", "down")
        assert built == []
        assert "Reaches " in static_text(app.screen.query_one("#detail", Static))


async def test_the_summary_and_the_warm_up_rank_a_big_session_once(example_copy, every_session_is_big, monkeypatch):
    ranked = []
    real = rankings.rank
    monkeypatch.setattr(rankings, "rank", lambda *a, **k: ranked.append(a) or real(*a, **k))
    monkeypatch.setattr(rankings, "WARM_OPENED", 0.3)
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")  # before the warm-up: the summary asks, and waits for that ranking
        assert await wait_for(pilot, lambda: app.screen.ranking is not None)
        await pilot.pause(0.5)  # the warm-up's turn comes: it finds the ranking made
        assert len(ranked) == 1
        assert app.screen.ranking == rank(app.session)
