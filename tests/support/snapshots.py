"""The text twin of a screen snapshot: the characters of each row of the SVG, as plain text.

A snapshot SVG cannot be read in a diff. Beside each ``NAME.svg`` the snapshot tests keep
``NAME.txt``: the same screen as lines of text (colours and styles left out), made from the SVG
itself, so the two always show the same screen. A changed screen then shows as a changed line
of text in review, and a failing snapshot test prints the text diff.
"""

from __future__ import annotations

import difflib
import html
import re
from pathlib import Path

from rich.cells import cell_len

CHAR_WIDTH = 12.2  # Rich's export_svg: 0.61 of a 20px font
LINE_HEIGHT = 24.4  # and 1.22 of it
_SCREEN = re.compile(
    r'<clipPath id="terminal(?:-\d+)?-clip-terminal">\s*<rect x="0" y="0" width="[\d.]+" height="([\d.]+)"'
)
_TEXT = re.compile(
    r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
    r'clip-path="url\(#terminal(?:-\d+)?-line-(\d+)\)">([^<]*)</text>'
)


def svg_text(svg: str) -> str:
    """The screen in a Rich/Textual SVG screenshot, one line of text per terminal row (trailing
    spaces dropped; wide characters take their two columns)."""
    screen = _SCREEN.search(svg)
    assert screen, "not a Rich SVG screenshot (no clip-terminal rectangle)"
    rows = round(float(screen.group(1)) / LINE_HEIGHT)
    pieces: list[list[tuple[int, str]]] = [[] for _ in range(rows)]
    for x, row, text in _TEXT.findall(svg):
        pieces[int(row)].append((round(float(x) / CHAR_WIDTH), html.unescape(text)))
    lines = []
    for row_pieces in pieces:
        line, width = "", 0
        for column, text in sorted(row_pieces):
            if column > width:
                line += " " * (column - width)
                width = column
            line += text
            width += cell_len(text)
        lines.append(line.replace("\xa0", " ").rstrip())
    return "\n".join(lines) + "\n"


def twin_of(svg: Path) -> Path:
    """Where the text twin of ``svg`` is kept: ``__text__/FILE/NAME.txt`` beside syrupy's
    ``__snapshots__/FILE/NAME.svg`` (not in syrupy's folder: its ``--snapshot-update`` deletes
    every file there that it did not write)."""
    return svg.parents[2] / "__text__" / svg.parent.name / f"{svg.stem}.txt"


def svg_of(twin: Path) -> Path:
    """The snapshot whose text ``twin`` is (the inverse of :func:`twin_of`)."""
    return twin.parents[2] / "__snapshots__" / twin.parent.name / f"{twin.stem}.svg"


def text_diff(expected: str, actual: str, name: str) -> str:
    """A unified diff of two screens' text, for a failing snapshot test."""
    return "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            f"{name} (snapshot)",
            f"{name} (this run)",
        )
    )
