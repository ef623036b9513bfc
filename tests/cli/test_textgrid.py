"""The command line's plain tables: they fit the terminal, lose no text, and style only a terminal."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjmtui.cli.textgrid import Console, Table, Text, cell_width, use_styles, wrap

WORDS = st.text(alphabet=st.sampled_from("ab xyz-é漢字🙂\u0301"), min_size=0, max_size=120)


@given(WORDS, st.integers(min_value=1, max_value=40))
def test_wrapped_lines_fit_and_keep_every_character_but_the_break_spaces(text: str, width: int) -> None:
    pieces = wrap(text, width)
    for start, end in pieces:
        piece = text[start:end]
        # A single character wider than the column (an emoji in a 1-cell column) is the only overflow.
        assert cell_width(piece) <= width or len(piece) == 1
    kept = "".join(text[s:e] for s, e in pieces)
    assert kept.replace(" ", "") == text.replace(" ", "")


def test_wide_characters_count_two_cells_and_combining_marks_none() -> None:
    assert cell_width("漢字") == 4
    assert cell_width("e\u0301") == 1
    assert cell_width("🙂") == 2


@given(st.lists(st.tuples(WORDS, WORDS), min_size=1, max_size=6), st.integers(min_value=50, max_value=160))
def test_a_table_fits_the_width_when_its_columns_can(rows: list[tuple[str, str]], width: int) -> None:
    table = Table(title=Text("Title"))
    table.add_column("#", justify="right")
    table.add_column("Solution", ratio=2, min_width=16)
    table.add_column("Stage", ratio=1)
    table.add_column("Score", justify="right")
    for i, (a, b) in enumerate(rows):
        table.add_row(Text(str(i + 1)), Text(a), Text(b), Text("12.5"))
    lines = table.lines(width, styled=False)
    assert all(cell_width(line) <= width for line in lines), lines
    # Every character of every cell is printed (wrapping drops only the spaces it breaks at).
    printed = "".join(lines[3:]).replace(" ", "")
    assert len(printed) == sum(len(str(i + 1)) + len((a + b).replace(" ", "")) + 4 for i, (a, b) in enumerate(rows))


def test_numbers_are_right_aligned_under_their_header() -> None:
    table = Table()
    table.add_column("Name")
    table.add_column("Score", justify="right")
    table.add_row(Text("a"), Text("7"))
    table.add_row(Text("b"), Text("1234.5"))
    lines = table.lines(80, styled=False)
    assert lines[0] == "Name   Score"
    assert lines[2].endswith("      7") and lines[3].endswith(" 1234.5")


def test_styles_only_on_a_terminal_or_when_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert not use_styles(io.StringIO())
    assert use_styles(Tty())
    monkeypatch.setenv("TERM", "dumb")
    assert not use_styles(Tty())
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert use_styles(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not use_styles(Tty())

    out = Tty()
    monkeypatch.delenv("NO_COLOR")
    Console(out).print(Text("Quick wins", "bold") + Text(" — a title"))
    assert out.getvalue() == "\x1b[1mQuick wins\x1b[0m — a title\n"
