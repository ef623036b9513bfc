"""Link pickers: the causes of a pain, the pains a process causes, handoffs, solution targets."""

from __future__ import annotations

from textual.widgets import OptionList

from cjmtui.core.model import find
from cjmtui.ui.screens.links import LinkPicker
from helpers import SIZE, make_app, on_disk, table_texts, wait_saved


def _picker(app) -> tuple[LinkPicker, OptionList]:
    screen = app.screen
    assert isinstance(screen, LinkPicker), f"expected the link picker, got {type(screen).__name__}"
    lst = screen.query_one("#links-list", OptionList)  # a CheckList (or a SelectionList)
    assert lst.has_focus, "the list of candidates does not have the focus"
    return screen, lst


def _value(option) -> str:
    value = getattr(option, "value", None)
    return value if value is not None else option.id


def _values(lst: OptionList) -> list[str]:
    return [_value(lst.get_option_at_index(i)) for i in range(lst.option_count)]


def _highlighted(lst: OptionList) -> str:
    return _value(lst.get_option_at_index(lst.highlighted))


async def _tick(pilot, lst: OptionList, item_id: str) -> None:
    """Move the highlight to ``item_id`` with the arrow keys and press space."""
    target = _values(lst).index(item_id)
    if lst.highlighted is None:
        await pilot.press("down")
    current = lst.highlighted or 0
    keys = ["down"] * (target - current) if target >= current else ["up"] * (current - target)
    await pilot.press(*keys)
    assert _highlighted(lst) == item_id
    before = item_id in lst.selected
    await pilot.press("space")
    assert (item_id in lst.selected) != before, f"space did not toggle {item_id}"


async def test_pain_causes_linked_from_screen_3(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.table.current_id == "search-no-results"
        assert find(app.session, "pains", "search-no-results").caused_by == ["search-feed"]
        await pilot.press("l")
        _screen, lst = _picker(app)
        assert set(lst.selected) == {"search-feed"}, "the picker does not show the current causes ticked"
        await _tick(pilot, lst, "web-platform")
        await _tick(pilot, lst, "search-feed")
        await pilot.press("f2")
        assert not isinstance(app.screen, LinkPicker)
        assert find(app.session, "pains", "search-no-results").caused_by == ["web-platform"]
        assert any("Run the web shop platform" in r for r in table_texts(app.screen.table))
        await wait_saved(app, pilot)
        assert find(on_disk(path), "pains", "search-no-results").caused_by == ["web-platform"]

        await pilot.press("u")  # one link edit is one undo step
        assert find(app.session, "pains", "search-no-results").caused_by == ["search-feed"]

        await pilot.press("l")
        _screen, lst = _picker(app)
        await _tick(pilot, lst, "catalogue")
        await pilot.press("escape")  # cancel: nothing changes
        assert not isinstance(app.screen, LinkPicker)
        assert find(app.session, "pains", "search-no-results").caused_by == ["search-feed"]
        await wait_saved(app, pilot)
        assert find(on_disk(path), "pains", "search-no-results").caused_by == ["search-feed"]


async def test_process_links_the_pains_it_causes_and_its_handoffs(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        assert app.screen.table.current_id == "search-feed"

        # l: which pains does this process cause?
        await pilot.press("l")
        _screen, lst = _picker(app)
        assert set(lst.selected) == {"search-no-results"}
        await _tick(pilot, lst, "search-no-results")
        await _tick(pilot, lst, "cant-tell-fit")
        await pilot.press("f2")
        session = app.session
        assert find(session, "pains", "search-no-results").caused_by == []
        assert find(session, "pains", "cant-tell-fit").caused_by == ["catalogue", "search-feed"]
        assert {p.id for p in session.pains if "search-feed" in p.caused_by} == {"cant-tell-fit"}

        # f: which processes does it hand work to?
        assert find(session, "processes", "search-feed").feeds == []
        await pilot.press("f")
        _screen, lst = _picker(app)
        assert "search-feed" not in _values(lst), "a process is offered as its own handoff"
        await _tick(pilot, lst, "order-form")
        await pilot.press("f2")
        assert find(app.session, "processes", "search-feed").feeds == ["order-form"]
        assert any("Run the online order form" in r for r in table_texts(app.screen.table))

        await wait_saved(app, pilot)
        disk = on_disk(path)
        assert find(disk, "pains", "search-no-results").caused_by == []
        assert find(disk, "pains", "cant-tell-fit").caused_by == ["catalogue", "search-feed"]
        assert find(disk, "processes", "search-feed").feeds == ["order-form"]


async def test_solution_targets_linked_from_screen_5(example_copy):
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        assert app.screen.table.current_id == "fix-catalogue"
        await pilot.press("l")
        _screen, lst = _picker(app)
        assert set(lst.selected) == {"catalogue", "order-form"}
        await _tick(pilot, lst, "web-platform")
        await _tick(pilot, lst, "catalogue")
        await pilot.press("f2")
        assert find(app.session, "solutions", "fix-catalogue").targets == ["web-platform", "order-form"]
        row = next(r for r in table_texts(app.screen.table) if r.startswith("Fix the online catalogue"))
        assert "Run the web shop platform" in row
        await wait_saved(app, pilot)
        assert find(on_disk(path), "solutions", "fix-catalogue").targets == ["web-platform", "order-form"]


async def test_typing_filters_at_once_and_space_ticks_the_first_match(example_copy):
    """Issue 10: the picker said "type to filter" but typed letters went nowhere; after filtering
    nothing was highlighted and Space ticked nothing."""
    path = example_copy()
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        _screen, lst = _picker(app)
        await pilot.press(*"ERP")
        assert app.screen.query_one("#links-filter").value == "ERP"
        shown = _values(lst)
        assert shown and all("erp" in str(lst.get_option(v).prompt).lower() for v in shown), shown
        assert lst.highlighted == 0
        await pilot.press("space")
        assert shown[0] in lst.selected
        await pilot.press("backspace", "backspace", "backspace")
        assert len(_values(lst)) > len(shown), "backspace did not widen the filter again"
        await pilot.press("enter")  # Enter applies
        assert not isinstance(app.screen, LinkPicker)
        assert shown[0] in find(app.session, "pains", "search-no-results").caused_by


async def test_the_filter_searches_whole_names_and_says_no_match(example_copy):
    """Issue 23: only the first 36 characters were searched, and nothing said so."""
    app = make_app(example_copy())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("l")
        screen, lst = _picker(app)
        # "Answer calls & emails, fix order problems": "problems" lies past the 36th character.
        await pilot.press(*"problems")
        assert _values(lst) == ["call-handling"], _values(lst)
        await pilot.press("space", "f2")
        assert "call-handling" in find(app.session, "pains", "search-no-results").caused_by
        await pilot.press("l")
        screen, lst = _picker(app)
        await pilot.press(*"zzz")
        assert _values(lst) == []
        none = screen.query_one("#links-none")
        assert none.display and "no match" in str(none.render())
