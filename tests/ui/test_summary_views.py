"""The summary's views as widgets (ui/widgets/summary/): each takes its container's styles, is
bound to what the screen shows, and is built only while it is the view shown."""

from __future__ import annotations

from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, Static

from cjmtui.ui.screens.summary import VIEWS
from cjmtui.ui.widgets.summary.view import SummaryView
from helpers import SIZE, make_app, static_text


async def test_each_view_is_a_widget_with_its_containers_styles_built_only_when_shown(example_copy):
    app = make_app(example_copy())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("7")
        views = {view.id: view for view in app.screen.query_one(ContentSwitcher).children}
        assert sorted(views) == sorted(VIEWS)
        assert all(isinstance(view, SummaryView) for view in views.values())
        for view in views.values():
            # Textual's CSS follows a widget's first base only: the container must be that base.
            assert isinstance(view, Vertical | VerticalScroll)
            container = "VerticalScroll" if isinstance(view, VerticalScroll) else "Vertical"
            assert container in view._css_type_names, type(view).__name__
        assert app.screen.shown is not None
        assert all(view.shown is app.screen.shown for view in views.values()), "every view is bound"
        assert static_text(app.screen.query_one("#matrix-chart", Static)) == "", "built only when shown"
        await pilot.press("v")
        assert app.screen.query_one(ContentSwitcher).current == "matrix"
        assert "impact ▲" in static_text(app.screen.query_one("#matrix-chart", Static))
        assert app.focused is views["matrix"]
