"""Every place cjmtui leans on a Textual internal has a test here that fails loudly when the
hook is gone or changed shape (Textual is pinned to a tested range in pyproject.toml; a new
release must pass these before the pin moves). Each workaround says why it exists in its own
module; this file only proves its hook is still there.

- ``ui/paste.py``: the Linux driver builds its input parser from the module global
  ``XTermParser``; cjmtui puts :class:`~cjmtui.ui.paste.PasteSafeParser` there so a pasted
  escape sequence (even a pasted end marker) never becomes keys. If the driver stopped reading
  that global, pastes would silently be parsed as keys again.
- ``ui/stylesheet.py``: keeps parsed CSS across ``Stylesheet.reparse`` by carrying the
  stylesheet's private parse cache over (start-up and first visits of screens).
- ``ui/widgets/itemtable.py``: overrides ``DataTable._update_dimensions`` (no measuring of each
  new cell: seconds for a big list).
- ``ui/widgets/choice.py``: reads ``Select._options`` (type-ahead on a closed dropdown); its own
  test is ``tests/ui/test_choice.py``.
"""

from __future__ import annotations

import inspect

from textual.css.stylesheet import Stylesheet
from textual.drivers import linux_driver
from textual.widgets import DataTable, Select

from cjmtui.ui import paste
from cjmtui.ui.widgets.itemtable import ItemTable


def test_the_linux_driver_still_builds_its_parser_from_the_module_global_we_replace():
    source = inspect.getsource(linux_driver.LinuxDriver)
    assert "XTermParser(" in source, "LinuxDriver no longer builds XTermParser by name: ui/paste.py has no effect"
    assert hasattr(linux_driver, "XTermParser")
    original = linux_driver.XTermParser
    try:
        paste.install()
        assert linux_driver.XTermParser is paste.PasteSafeParser
    finally:
        linux_driver.XTermParser = original  # type: ignore[misc]
    # What PasteSafeParser overrides or calls on its base still exists there.
    base = paste.PasteSafeParser.__mro__[1]
    assert callable(getattr(base, "feed", None)), "XTermParser.feed is gone"
    assert callable(getattr(base, "tick", None)), "XTermParser.tick is gone (the driver calls it)"
    assert "debug" in inspect.signature(base.__init__).parameters


def test_the_stylesheet_internals_the_parse_cache_carries_over_are_still_there():
    sheet = Stylesheet(variables={})
    for name in ("_parse_cache", "_variables", "_invalid_css", "_rules", "_rules_map", "_require_parse", "source"):
        assert hasattr(sheet, name), f"Stylesheet.{name} is gone: ui/stylesheet.py must be revisited"
    for name in ("add_source", "parse", "set_variables", "reparse"):
        assert callable(getattr(sheet, name, None)), f"Stylesheet.{name} is gone"
    assert {"read_from", "is_default_css", "tie_breaker", "scope"} <= set(
        inspect.signature(Stylesheet.add_source).parameters
    )


def test_the_datatable_method_itemtable_overrides_is_still_called_by_datatable():
    assert "_update_dimensions" in vars(DataTable), "DataTable._update_dimensions is gone: ItemTable's override is dead"
    assert list(inspect.signature(DataTable._update_dimensions).parameters) == ["self", "new_rows"]
    assert "_update_dimensions(" in inspect.getsource(DataTable), "DataTable no longer calls _update_dimensions"
    assert "_update_dimensions" in vars(ItemTable)
    for name in ("_row_label_column_width", "_total_row_height"):
        assert hasattr(DataTable, name), f"DataTable.{name} is gone (ItemTable._update_dimensions reads it)"


def test_select_still_keeps_its_options_where_type_ahead_reads_them():
    select: Select[str] = Select([("one", "1"), ("two", "2")])
    assert [value for _label, value in select._options if value is not Select.NULL] == ["1", "2"]
