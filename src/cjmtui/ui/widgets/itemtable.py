"""A table of workshop items (one row per item, keyed by its id), markup-safe."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable
from textual.widgets.data_table import RowDoesNotExist

Cell = Text | str | int | float


def _one_line(cell: Cell) -> Text:
    text = cell.copy() if isinstance(cell, Text) else Text(str(cell))
    text.no_wrap = True
    text.overflow = "ellipsis"
    return text


class ItemTable(DataTable[Cell]):
    DEFAULT_CSS = ""
    # A list's Home and End go to its first and last item (DataTable scrolls sideways instead,
    # leaving the highlight where it was: "End, then d" deleted the first row).
    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    def __init__(self, columns: Sequence[tuple[str, int | None]], *, id: str | None = None) -> None:
        """``columns``: (label, width); a width of None takes the room the others leave."""
        super().__init__(cursor_type="row", zebra_stripes=True, id=id)
        self._columns_spec = columns
        self._widths: list[int] = []

    def on_mount(self) -> None:
        # Tables span the screen: fit to the terminal now, so the first resize rebuilds nothing.
        self._add_columns(self._fit(self.size.width or self.app.size.width or 80))

    def _fit(self, width: int) -> list[int]:
        fixed = sum(w for _, w in self._columns_spec if w is not None)
        flex = [i for i, (_, w) in enumerate(self._columns_spec) if w is None]
        # DataTable pads each cell by one on both sides; keep a cell for the scrollbar.
        room = width - fixed - 2 * len(self._columns_spec) - 2
        share = max(12, room // len(flex)) if flex else 0
        return [w if w is not None else share for _, w in self._columns_spec]

    def _add_columns(self, widths: list[int]) -> None:
        self._widths = widths
        for (label, _), width in zip(self._columns_spec, widths, strict=True):
            self.add_column(label, width=width, key=label)

    def on_resize(self) -> None:
        widths = self._fit(self.size.width)
        if widths != self._widths and self.row_count >= 0:
            rows = [(str(row.key.value), self.get_row(row.key)) for row in self.ordered_rows]
            keep = self.current_id
            self.clear(columns=True)
            self._add_columns(widths)
            self.set_rows(rows, select=keep)

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
        self.clear()
        for key, cells in rows:
            self.add_row(*[_one_line(c) for c in cells], key=key)
        if not self.row_count:
            return
        target = old_row
        if keep is not None:
            try:
                target = self.get_row_index(keep)
            except RowDoesNotExist:
                pass
        self.move_cursor(row=max(0, min(target, self.row_count - 1)), animate=False)

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
