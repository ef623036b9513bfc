"""DataTable for lists of one-line rows in fixed-width columns: no measuring, cheap appends.

Why, three times:

1. ``DataTable._update_dimensions`` (called after rows are added) measures every new cell with
   Rich to widen auto-width columns and size auto-height rows: about 0.2 ms a cell, two seconds
   for a list of 10,000 notes. cjmtui's tables give every column its width and every row one
   line, so the measuring changes nothing. :meth:`FixedRowsDataTable._update_dimensions`
   computes the scrollable size from the columns' widths and the row count alone.
2. Setting ``virtual_size`` (a reactive with ``layout=True``) lays out the whole screen and draws
   every widget on it again: with twenty people writing, each note arrived at each screen with a
   full redraw. When only the number of rows changed and the scrollbars stay as they are (the
   usual case: a note added to a list that already scrolls, or to one that still fits), the
   table sets it without a layout and redraws itself and its scrollbar only.
3. DataTable keys its render caches by a counter (``_update_count``) that every ``add_row``
   bumps, so each note captured drew every visible cell again (~85 ms for a 120×40 list, felt as
   the first key after Enter). Rows added at the end change no cell above them:
   :meth:`FixedRowsDataTable.appending` puts the counter back, forgets only the row offsets
   (``_offset_cache``), and draws only the new rows: the assembled lines (``_line_cache``) are
   cached by their place, and a place below the last row was drawn blank without being cached.

The upstream behaviour: DataTable's speed with many rows or cells has been worked on upstream
(https://github.com/Textualize/textual/issues/4737, https://github.com/Textualize/textual/pull/5959
cached row renderables) but every ``add_row`` still measures its cells and invalidates every
cached line. No upstream option turns either off.

Hooks (tests/project/test_textual_hooks.py): ``DataTable._update_dimensions(self, new_rows)``
is still defined and called by DataTable; ``Widget.virtual_size`` is a reactive that lays out
(``layout=True``), ``_container_size`` and the scrollbars' ``window_virtual_size`` exist;
``_row_label_column_width``, ``_total_row_height``,
``_update_count``, ``_offset_cache`` and ``_line_cache`` still exist.

Delete when: DataTable skips measuring columns of fixed width (rows of fixed height), grows its
scrollable size without a layout of the screen, and keeps its cached lines when rows are only
appended. Measure with ``bench/tui.py`` (big list, capture) and ``bench/serve.py`` (a note on
twenty screens) before deleting any of the three.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

CellType = TypeVar("CellType")


class FixedRowsDataTable(DataTable[CellType]):
    """A DataTable whose columns all have a width and whose rows are all one line high."""

    _appended = False  # rows were added by appending(), which redrew them

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """The scrollable size, without measuring the cells (see the module's docstring)."""
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        size = Size(width + self._row_label_column_width, self._total_row_height + header)
        appended, self._appended = self._appended, False
        if self._scrollbars_stay(size):
            self.set_reactive(Widget.virtual_size, size)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = size.height
            if not appended:  # (appending() has redrawn the rows it added)
                self.refresh()
        else:
            self.virtual_size = size

    def _scrollbars_stay(self, size: Size) -> bool:
        """Whether ``size`` as the scrollable size keeps the scrollbars as they are: the same
        width, no horizontal scrollbar, and the vertical one shown before and after (or neither)."""
        old = self.virtual_size
        if not self.is_mounted or not self._container_size or size.width != old.width or size == old:
            return False
        if self.show_horizontal_scrollbar or self.styles.overflow_y != "auto":
            return False
        return (size.height > self._container_size.height) == self.show_vertical_scrollbar

    @contextmanager
    def appending(self) -> Iterator[None]:
        """Rows added at the end inside this block keep the rendering of the rows above them."""
        count = self._update_count
        first = self.row_count
        yield
        self._update_count = count
        self._offset_cache.clear()
        # The assembled lines are cached by their place (y): those above are as they were, and a
        # place below the last row was drawn blank without being cached. Only the new rows are
        # drawn, when they are in view.
        for index in range(first, self.row_count):
            self.refresh_row(index)
        self._appended = self.row_count > first
