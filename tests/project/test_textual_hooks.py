"""Every place cjmtui leans on a Textual internal has a test here that fails loudly when the
hook is gone or changed shape (Textual is pinned to a tested range in pyproject.toml; a new
release must pass these before the pin moves). Each workaround lives in its own module of
``cjmtui.ui.textual_fixes`` and says there why it exists; this file only proves its hook is
still there. ``test_textual_privates.py`` keeps Textual's private names out of the rest of ui/.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import textwrap

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.drivers import linux_driver
from textual.notifications import Notifications
from textual.widget import Widget
from textual.widgets import DataTable, Select

from cjmtui.ui import textual_fixes
from cjmtui.ui.textual_fixes import datatable, paste_parser, select, stylesheet, toasts
from cjmtui.ui.widgets.itemtable import ItemTable


def _code_of(function: object) -> str:
    """The fingerprint of a function's code: its syntax tree without docstrings or comments."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))  # type: ignore[arg-type]
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            node.body = body[1:] or [ast.Pass()]  # type: ignore[attr-defined]
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()[:16]


@pytest.mark.parametrize("name", textual_fixes.FIXES)
def test_each_fix_says_why_what_upstream_does_and_when_to_delete_it(name):
    module = importlib.import_module(f"cjmtui.ui.textual_fixes.{name}")
    doc = module.__doc__ or ""
    for part in ("Why", "upstream", "Hooks", "Delete when"):
        assert part in doc, f"textual_fixes/{name}.py's docstring has no {part!r}"


def test_every_module_of_the_package_is_listed_as_a_fix():
    from pathlib import Path

    folder = Path(textual_fixes.__file__).parent
    modules = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    assert modules == set(textual_fixes.FIXES)


# paste_parser ---------------------------------------------------------------------------------


def test_the_linux_driver_still_builds_its_parser_from_the_module_global_we_replace():
    source = inspect.getsource(linux_driver.LinuxDriver)
    assert "XTermParser(" in source, "LinuxDriver no longer builds XTermParser by name: paste_parser has no effect"
    assert hasattr(linux_driver, "XTermParser")
    original = linux_driver.XTermParser
    try:
        textual_fixes.install()
        assert linux_driver.XTermParser is paste_parser.PasteSafeParser
    finally:
        linux_driver.XTermParser = original  # type: ignore[misc]
    # What PasteSafeParser overrides or calls on its base still exists there.
    base = paste_parser.PasteSafeParser.__mro__[1]
    assert base is original, "the driver's parser is no longer the class PasteSafeParser extends"
    assert callable(getattr(base, "feed", None)), "XTermParser.feed is gone"
    assert callable(getattr(base, "tick", None)), "XTermParser.tick is gone (the driver calls it)"
    assert "debug" in inspect.signature(base.__init__).parameters


# stylesheet -----------------------------------------------------------------------------------

# Textual 8.2's Stylesheet.reparse, which SharedParseStylesheet.reparse copies (plus one line).
# When this changes, compare Textual's new reparse with the copy, then update the fingerprint.
TEXTUAL_REPARSE = "7af8ed990689f1f5"


def test_the_stylesheet_internals_the_parse_cache_carries_over_are_still_there():
    sheet = Stylesheet(variables={})
    for name in ("_parse_cache", "_variables", "_invalid_css", "_rules", "_rules_map", "_require_parse", "source"):
        assert hasattr(sheet, name), f"Stylesheet.{name} is gone: textual_fixes/stylesheet.py must be revisited"
    for name in ("add_source", "parse", "set_variables", "reparse"):
        assert callable(getattr(sheet, name, None)), f"Stylesheet.{name} is gone"
    assert {"read_from", "is_default_css", "tie_breaker", "scope"} <= set(
        inspect.signature(Stylesheet.add_source).parameters
    )
    assert "_parse_cache.clear()" in inspect.getsource(Stylesheet.set_variables)
    assert _code_of(Stylesheet.reparse) == TEXTUAL_REPARSE, (
        "Textual's Stylesheet.reparse changed: textual_fixes/stylesheet.py copies it"
    )
    shared = stylesheet.SharedParseStylesheet(variables={"a": "1"})
    shared.set_variables({"a": "1"})
    assert shared._parse_cache is shared._cache_for({"a": "1"}), "the parse cache did not survive set_variables"


# datatable ------------------------------------------------------------------------------------


def test_the_datatable_method_itemtable_overrides_is_still_called_by_datatable():
    assert "_update_dimensions" in vars(DataTable), "DataTable._update_dimensions is gone: the override is dead"
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == ["self", "new_rows"]
    assert "_update_dimensions(" in inspect.getsource(DataTable), "DataTable no longer calls _update_dimensions"
    assert "_update_dimensions" in vars(datatable.FixedRowsDataTable)
    assert issubclass(ItemTable, datatable.FixedRowsDataTable)
    for name in ("_row_label_column_width", "_total_row_height"):
        assert hasattr(DataTable, name), f"DataTable.{name} is gone (FixedRowsDataTable._update_dimensions reads it)"


def test_the_render_caches_an_append_keeps_are_still_keyed_by_the_update_count():
    table: DataTable[str] = DataTable()
    for name in ("_update_count", "_offset_cache", "_line_cache"):
        assert hasattr(table, name), f"DataTable.{name} is gone: FixedRowsDataTable.appending must be revisited"
    assert isinstance(table._update_count, int)
    source = inspect.getsource(DataTable)
    assert "self._update_count += 1" in source, "add_row no longer bumps _update_count"
    assert "self._offset_cache[self._update_count]" in source, "the row offsets are no longer keyed by the count"


def test_what_an_append_without_a_layout_sets_is_still_there():
    """FixedRowsDataTable sets the scrollable size without a layout when the scrollbars stay, and
    keeps the assembled lines on an append: both lean on these."""
    from textual.reactive import Reactive
    from textual.scrollbar import ScrollBar

    assert isinstance(vars(Widget).get("virtual_size"), Reactive), "Widget.virtual_size is no longer a reactive"
    assert hasattr(Widget(), "_container_size"), "Widget._container_size is gone (read by _scrollbars_stay)"
    assert isinstance(vars(ScrollBar).get("window_virtual_size"), Reactive), "ScrollBar.window_virtual_size is gone"
    render_line = inspect.getsource(DataTable._render_line)
    assert "cache_key = (\n            y," in render_line, "DataTable's lines are no longer cached by their place (y)"
    assert "except LookupError:\n            return Strip.blank" in render_line, (
        "a place below the last row is now cached: appending() must forget those lines again"
    )


# select ---------------------------------------------------------------------------------------


def test_select_still_keeps_its_options_where_type_ahead_reads_them():
    choice: Select[str] = Select([("one", "1"), ("two", "2")])
    assert [value for _label, value in choice._options if value is not Select.NULL] == ["1", "2"]
    assert select.select_options(choice) == [("one", "1"), ("two", "2")]


# toasts ---------------------------------------------------------------------------------------


def test_the_notification_internals_the_notices_hook_into_are_still_there():
    for name in ("_on_notify", "_refresh_notifications", "_unnotify"):
        assert name in vars(App), f"App.{name} is gone: textual_fixes/toasts.py must be revisited"
    assert list(inspect.signature(App._unnotify).parameters) == ["self", "notification", "refresh"]
    assert list(inspect.signature(App._on_notify).parameters) == ["self", "event"]
    assert "self._notifications = Notifications()" in inspect.getsource(App.__init__)
    assert hasattr(Notifications, "__iter__") and hasattr(Notifications, "__len__")
    assert "ToastRack" in inspect.getsource(App._refresh_notifications), "the toasts no longer live in a ToastRack"
    assert toasts.ToastRack.__name__ == "ToastRack"


# ui/app.py's on_event (not moved yet: see textual_fixes/__init__.py) --------------------------


def test_the_key_forwarding_quick_capture_uses_is_still_there():
    assert list(inspect.signature(App._check_bindings).parameters) == ["self", "key", "priority"]
    assert inspect.iscoroutinefunction(App._check_bindings)
    assert list(inspect.signature(Widget._forward_event).parameters) == ["self", "event"]
