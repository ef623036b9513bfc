"""A table of workshop items (one row per item, keyed by its id), markup-safe.

Its columns have fixed widths and its rows one line, so it is a
:class:`~cjmtui.ui.textual_fixes.datatable.FixedRowsDataTable` (no measuring of each new cell).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets.data_table import RowDoesNotExist

from ..textual_fixes.datatable import FixedRowsDataTable

Cell = Text | str | int | float
Column = tuple[str, int | None] | tuple[str, int | None, int]


def _one_line(cell: Cell) -> Text:
    if isinstance(cell, Text):  # a row's own Text (made for the row): set in place, no copy
        cell.no_wrap = True
        cell.overflow = "ellipsis"
        return cell
    return Text(str(cell), no_wrap=True, overflow="ellipsis")


class ItemTable(FixedRowsDataTable[Cell]):
    DEFAULT_CSS = ""
    # A list's Home and End go to its first and last item (DataTable scrolls sideways instead,
    # leaving the highlight where it was: "End, then d" deleted the first row).
    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        """``columns``: (label, width) or (label, width, drop). A width is the most a column
        takes: a column whose cells are narrower (or empty) takes only what they need and gives
        the rest away. A width of None takes the room the others leave; the first such column
        (the item's own words) gets it first, up to its longest cell. When the terminal is too
        narrow for those words, columns with a ``drop`` rank (what the detail panel also shows)
        make way, highest rank first."""
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._columns_spec: list[tuple[str, int | None, int]] = [
            (c[0], c[1], c[2] if len(c) > 2 else 0) for c in columns
        ]
        self._widths: list[int | None] = []
        self._natural = [cell_len(label) for label, _, _ in self._columns_spec]
        self._lines: list[tuple[str, list[Text]]] = []

    def on_mount(self) -> None:
        # Tables span the screen: fit to the terminal now, so the first resize rebuilds nothing.
        self._add_columns(self._fit(self.size.width or self.app.size.width or 80))

    def _layout(self, width: int, hidden: set[int]) -> list[int | None]:
        spec, natural = self._columns_spec, self._natural
        widths: list[int | None] = [
            None if i in hidden else (min(w, natural[i]) if w is not None else 0) for i, (_, w, _) in enumerate(spec)
        ]
        flex = [i for i, (_, w, _) in enumerate(spec) if w is None and i not in hidden]
        if not flex:
            return widths
        shown = [w for w in widths if w is not None]
        # DataTable pads each cell by one on both sides; keep a cell for the scrollbar.
        room = width - sum(shown) - 2 * len(shown) - 2
        first, others = flex[0], flex[1:]
        # The other free columns keep enough to be recognised (their heading, at most 13) ...
        for i in others:
            widths[i] = min(natural[i], max(6, min(13, cell_len(spec[i][0]))))
        # ... the first gets what it needs, then they share what is left up to their longest cell.
        rest = sum(widths[i] or 0 for i in others)
        widths[first] = max(12, min(natural[first], room - rest))
        spare = room - rest - (widths[first] or 0)
        for i in others:
            more = max(0, min(spare, natural[i] - (widths[i] or 0)))
            widths[i] = (widths[i] or 0) + more
            spare -= more
        widths[first] = (widths[first] or 0) + max(0, spare)
        return widths

    def _fit(self, width: int) -> list[int | None]:
        hidden: set[int] = set()
        widths = self._layout(width, hidden)
        first = next((i for i, (_, w, _) in enumerate(self._columns_spec) if w is None), None)
        if first is None:
            return widths
        want = min(self._natural[first], max(30, int(width * 0.4)))
        droppable = sorted((-d, i) for i, (_, _, d) in enumerate(self._columns_spec) if d)
        for _, i in droppable:
            if (widths[first] or 0) >= want:
                break
            hidden.add(i)
            widths = self._layout(width, hidden)
        return widths

    def _add_columns(self, widths: list[int | None]) -> None:
        self._widths = widths
        for (label, _, _), width in zip(self._columns_spec, widths, strict=True):
            if width is not None:
                self.add_column(label, width=width, key=label)

    def _refit(self) -> bool:
        """Fit the columns to the width and the cells; True when they changed (rows then cleared)."""
        widths = self._fit(self.size.width or self.app.size.width or 80)
        if widths == self._widths:
            return False
        self.clear(columns=True)
        self._add_columns(widths)
        return True

    def on_resize(self) -> None:
        keep, row = self.current_id, self.cursor_row
        if self._refit():
            self._add_lines(keep, row)

    def _add_lines(self, keep: str | None, old_row: int = 0, start: int = 0) -> None:
        shown = [i for i, w in enumerate(self._widths) if w is not None]
        every = len(shown) == len(self._widths)
        for key, cells in self._lines[start:]:
            self.add_row(*(cells if every else [cells[i] for i in shown]), key=key)
        if not self.row_count:
            return
        target = old_row
        if keep is not None:
            try:
                target = self.get_row_index(keep)
            except RowDoesNotExist:
                pass
        self.move_cursor(row=max(0, min(target, self.row_count - 1)), animate=False)

    def _append_lines(self, keep: str | None, old_row: int, start: int) -> None:
        """Add the lines from ``start`` on at the end, keeping the rendering of the rows already
        drawn (each captured note used to draw every visible cell again: see
        :meth:`~cjmtui.ui.textual_fixes.datatable.FixedRowsDataTable.appending`)."""
        with self.appending():
            self._add_lines(keep, old_row, start=start)

    @property
    def current_id(self) -> str | None:
        if not self.row_count:
            return None
        try:
            key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:
            return None
        return key.value

    def set_rows(self, rows: Iterable[tuple[str, Sequence[Cell]]], select: str | None = None) -> None:
        """Replace every row; keep the cursor on ``select`` (or the current item) when it is still there."""
        keep = select or self.current_id
        old_row = self.cursor_row
        before = self._lines
        self._lines = lines = [(key, [_one_line(c) for c in cells]) for key, cells in rows]
        natural = [cell_len(label) for label, _, _ in self._columns_spec]
        for _, cells in lines:
            for i, cell in enumerate(cells):
                if cell.cell_len > natural[i]:
                    natural[i] = cell.cell_len
        self._natural = natural
        if self._refit():
            self._add_lines(keep, old_row)
        elif self.row_count == len(before) and len(lines) > len(before) and lines[: len(before)] == before:
            # Notes captured one after another: only the new rows are added, so the rows already
            # drawn keep their rendering (clearing re-rendered every visible row per note).
            self._append_lines(keep, old_row, len(before))
        else:
            self.clear()
            self._add_lines(keep, old_row)

    def neighbour(self, item_id: str, delta: int) -> str | None:
        """The id of the row ``delta`` rows away from ``item_id`` in this table's order."""
        try:
            index = self.get_row_index(item_id)
        except RowDoesNotExist:
            return None
        target = index + delta
        if not 0 <= target < self.row_count:
            return None
        key, _ = self.coordinate_to_cell_key(Coordinate(target, 0))
        return key.value
