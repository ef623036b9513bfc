"""Plain terminal tables for the command line: styled text, columns that fit the width.

The command line prints a handful of small tables and exits, so it does not import Rich for
them: Rich's import and first render cost about 55 ms of the 400 a whole ``cjmtui rank`` took.
This is the part of Rich's ``Table`` the commands use: a bold title, a caption, a header with a
rule under it, right-aligned numbers, and text columns that share the terminal's width by ratio
and wrap at spaces (folding a word longer than the column). Widths are counted in
terminal cells (wide characters take two, combining marks none).

Styles (bold, italic, green) are written as SGR escapes only on a terminal (or with
``FORCE_COLOR``), never with ``NO_COLOR`` or ``TERM=dumb``; user text must already be made
printable (:func:`cjmtui.core.safety.printable`): this module never adds an escape of its own
inside it.
"""

from __future__ import annotations

import os
import shutil
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import TextIO

_SGR = {"bold": "1", "italic": "3", "green": "32"}
GAP = "  "  # between columns


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide and full-width characters 2, combining marks 0."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


class Text:
    """Text made of spans, each with a style ("" or words from ``bold italic green``)."""

    __slots__ = ("spans",)

    def __init__(self, text: str = "", style: str = "") -> None:
        self.spans: list[tuple[str, str]] = [(text, style)] if text else []

    def __add__(self, other: Text) -> Text:
        out = Text()
        out.spans = self.spans + other.spans
        return out

    @property
    def plain(self) -> str:
        return "".join(t for t, _ in self.spans)

    def render(self, styled: bool, start: int = 0, end: int | None = None) -> str:
        """The characters ``start:end`` of the plain text, with their styles when ``styled``."""
        end = len(self.plain) if end is None else end
        out: list[str] = []
        pos = 0
        for text, style in self.spans:
            begin, pos = pos, pos + len(text)  # this span's place in the plain text
            lo, hi = max(start, begin), min(end, pos)
            if lo >= hi:
                continue
            piece = text[lo - begin : hi - begin]
            codes = ";".join(_SGR[w] for w in style.split() if w in _SGR) if styled else ""
            out.append(f"\x1b[{codes}m{piece}\x1b[0m" if codes else piece)
        return "".join(out)


def wrap(text: str, width: int) -> list[tuple[int, int]]:
    """Lines of ``text`` at most ``width`` cells wide, as (start, end) offsets: broken at spaces
    (which are dropped at the break), a word wider than ``width`` folded."""
    width = max(1, width)
    if cell_width(text) <= width:
        return [(0, len(text))]
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        while start < n and text[start] == " " and lines:  # no leading space on a new line
            start += 1
        if start >= n:
            break
        used, i, last_space = 0, start, -1
        while i < n:
            w = cell_width(text[i])
            if used + w > width:
                break
            if text[i] == " ":
                last_space = i
            used += w
            i += 1
        if i >= n:
            lines.append((start, n))
            break
        if text[i] == " ":  # the break falls on a space: cut there
            lines.append((start, i))
            start = i + 1
        elif last_space > start:
            lines.append((start, last_space))
            start = last_space + 1
        else:  # one word wider than the column: fold it
            i = max(i, start + 1)
            lines.append((start, i))
            start = i
    return lines or [(0, 0)]


@dataclass
class Column:
    header: str
    justify: str = "left"
    ratio: int | None = None  # a text column that shares the width left over; None: as wide as its cells
    min_width: int | None = None
    max_width: int | None = None


@dataclass
class Table:
    title: Text | None = None
    caption: Text | None = None
    columns: list[Column] = field(default_factory=list)
    rows: list[list[Text]] = field(default_factory=list)

    def add_column(
        self,
        header: str,
        *,
        justify: str = "left",
        ratio: int | None = None,
        min_width: int | None = None,
        max_width: int | None = None,
    ) -> None:
        self.columns.append(Column(header, justify, ratio, min_width, max_width))

    def add_row(self, *cells: Text) -> None:
        self.rows.append(list(cells))

    def widths(self, total: int) -> list[int]:
        """Each column's width: fixed columns as wide as their widest cell, the rest share what
        is left by ratio; a text column never narrower than its ``min_width`` (or its header)."""
        natural = []
        for i, col in enumerate(self.columns):
            w = max([cell_width(col.header)] + [cell_width(row[i].plain) for row in self.rows if i < len(row)])
            natural.append(min(w, col.max_width) if col.max_width else w)
        flexible = [i for i, col in enumerate(self.columns) if col.ratio]
        widths = list(natural)
        fixed = sum(w for i, w in enumerate(natural) if i not in flexible)
        available = total - len(GAP) * (len(self.columns) - 1) - fixed
        if sum(natural[i] for i in flexible) <= available:
            return widths
        remaining = list(flexible)
        while remaining:  # columns narrower than their share keep their width; the rest share
            ratios = {i: self.columns[i].ratio or 1 for i in remaining}
            share = {i: available * ratios[i] / sum(ratios.values()) for i in remaining}
            fits = [i for i in remaining if natural[i] <= share[i]]
            if not fits:
                for i in remaining:
                    floor = self.columns[i].min_width or cell_width(self.columns[i].header)
                    widths[i] = max(floor, int(share[i]))
                break
            for i in fits:
                available -= natural[i]
                remaining.remove(i)
        return widths

    def lines(self, total: int, styled: bool) -> list[str]:
        widths = self.widths(total)
        out: list[str] = []
        if self.title is not None:
            out.append(self.title.render(styled))
        header = [Text(col.header, "bold") for col in self.columns]
        out += self._row(header, widths, styled)
        out.append(GAP.join("─" * w for w in widths))
        for row in self.rows:
            out += self._row(row, widths, styled)
        if self.caption is not None:
            out.append(self.caption.render(styled))
        return out

    def _row(self, cells: list[Text], widths: list[int], styled: bool) -> list[str]:
        wrapped = [wrap(cell.plain, w) for cell, w in zip(cells, widths, strict=False)]
        height = max(len(w) for w in wrapped) if wrapped else 1
        lines = []
        for n in range(height):
            parts = []
            for cell, pieces, width, col in zip(cells, wrapped, widths, self.columns, strict=False):
                if n < len(pieces):
                    start, end = pieces[n]
                    text = cell.render(styled, start, end)
                    pad = " " * max(0, width - cell_width(cell.plain[start:end]))
                    parts.append(pad + text if col.justify == "right" else text + pad)
                else:
                    parts.append(" " * width)
            lines.append(GAP.join(parts).rstrip())
        return lines


def use_styles(stream: TextIO) -> bool:
    """Whether to write styles to ``stream``: a terminal, or ``FORCE_COLOR``; never with
    ``NO_COLOR`` or ``TERM=dumb`` (as Rich decides)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    if os.environ.get("TERM", "") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Console:
    """Prints text and tables to standard output, as wide as the terminal (or ``COLUMNS``; 80
    when the output is not a terminal)."""

    def __init__(self, file: TextIO | None = None) -> None:
        self.file = file if file is not None else sys.stdout
        self.width = shutil.get_terminal_size((80, 24)).columns if self.file is sys.stdout else 80
        self.styled = use_styles(self.file)

    def print(self, item: Text | Table | None = None) -> None:
        if item is None:
            self.file.write("\n")
        elif isinstance(item, Table):
            self.file.write("".join(line + "\n" for line in item.lines(self.width, self.styled)))
        else:
            self.file.write(item.render(self.styled) + "\n")
