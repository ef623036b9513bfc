"""The xlsx export read by a real spreadsheet, LibreOffice Calc (headless): every text cell holds
exactly what the room typed (``007``, ``1/2`` and ``TRUE`` stay text; in a CSV LibreOffice made
them a number, a date and a boolean), numbers are numbers, nothing is a formula (issue 14,
item 5).

LibreOffice opens the workbook and saves its own copy; the test reads that copy's cells and
their types. Skipped when ``soffice`` is missing, unless ``CI`` is set (``.ci/run`` installs
``libreoffice-calc-nogui``).
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from cjmtui.core import edit, scoring
from cjmtui.core import model as m
from cjmtui.core.export import export_text
from cjmtui.core.safety import data_text
from support.needs import need, needs
from support.xlsx import NS
from support.xlsx import cells as _cells

TRICKY = [
    "007",
    "1/2",
    "TRUE",
    "=1+1",
    '=HYPERLINK("http://x","y")',
    "1e3",
    "50%",
    "2024-01-02",
    "-3",
    "+1",
    "@SUM(A1)",
    "  42  ",
    "first line\nsecond line",
    '<b>&amp;</b> & "quotes"',
    "bell\x07 and escape\x1b[31m",
    "a\ttab inside",
    "typed _x0041_ escape",
    "\u202eevil override \u05e9\u05dc\u05d5\u05dd",
]

pytestmark = [pytest.mark.e2e, needs("soffice")]


def test_libreoffice_keeps_every_text_exactly_and_every_number_a_number(tmp_path: Path) -> None:
    soffice = need("soffice")
    s = m.Session(session=m.SessionInfo(title="Spreadsheet check"))
    s, stage = edit.add_item(s, "stages", {"name": "Order"}, actor=None)
    s, process = edit.add_item(s, "processes", {"stage": stage.id, "name": "Take the order"}, actor=None)
    for text in TRICKY:
        s, _ = edit.add_item(s, "pains", {"stage": stage.id, "text": text, "caused_by": [process.id]}, actor=None)
        s, _ = edit.add_item(s, "solutions", {"text": text, "targets": [process.id]}, actor=None)
    ours = tmp_path / "export.xlsx"
    ours.write_bytes(export_text("xlsx", s, scoring.rank(s)))  # type: ignore[arg-type]

    profile = (tmp_path / "profile").as_uri()
    saved = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "back"), str(ours)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    back = tmp_path / "back" / "export.xlsx"
    assert saved.returncode == 0 and back.is_file(), saved.stdout + saved.stderr
    with zipfile.ZipFile(back) as book:
        wins, pains = _cells(book, 1), _cells(book, 2)

    header = [text for _kind, text in pains[0]]
    text_col, severity_col = header.index("Text"), header.index("Severity")
    expected = [data_text(p.text) for p in s.pains]  # as stored (the model trims outer spaces)
    got = [row[text_col] for row in pains[1:]]
    assert [kind for kind, _ in got] == ["s"] * len(TRICKY), f"a text became another type: {got}"
    assert [re.sub(r"\r\n?", "\n", text) for _, text in got] == expected  # a tab survives (_x0009_)
    assert "a\ttab inside" in expected and "evil override \u05e9\u05dc\u05d5\u05dd" in expected
    assert all(row[severity_col] == ("n", "3") for row in pains[1:]), "severity is not a number"

    header = [text for _kind, text in wins[0]]
    assert [row[header.index("Rank")][0] for row in wins[1:]] == ["n"] * len(TRICKY)
    solutions = sorted(row[header.index("Solution")] for row in wins[1:])
    assert solutions == sorted(("s", t) for t in expected), "a solution's text changed"
    assert not [c for row in wins + pains for c in row if c[0] in ("formula", "b", "str")], "a formula or boolean"


def _styles(book: zipfile.ZipFile) -> list[dict[str, object]]:
    """Each cell style of a workbook: its number format code, bold, wrapped."""
    root = ElementTree.fromstring(book.read("xl/styles.xml"))
    formats = {f.get("numFmtId"): f.get("formatCode", "") for f in root.iter(f"{{{NS['x']}}}numFmt")}
    fonts = []
    for font in root.iterfind("x:fonts/x:font", NS):
        bold = font.find("x:b", NS)
        fonts.append(bold is not None and bold.get("val", "true") != "false")
    out = []
    for xf in root.iterfind("x:cellXfs/x:xf", NS):
        alignment = xf.find("x:alignment", NS)
        out.append(
            {
                "format": formats.get(xf.get("numFmtId"), xf.get("numFmtId", "0")),
                "bold": fonts[int(xf.get("fontId", "0"))],
                "wrap": alignment is not None and alignment.get("wrapText") in ("1", "true"),
            }
        )
    return out


def test_the_workbook_is_for_people(tmp_path: Path) -> None:
    """Bold wrapped header in words, columns as wide as their contents, wrapped text, real date
    cells, owner/status/due/review and the "why" on the quick-wins sheet, no empty text cell
    (issue 24, items 2 and 12), as LibreOffice reads and saves it."""
    soffice = need("soffice")
    from cjmtui.core.store import load_session

    s = load_session(Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml").session
    ours = tmp_path / "people.xlsx"
    ours.write_bytes(export_text("xlsx", s, scoring.rank(s)))  # type: ignore[arg-type]
    with zipfile.ZipFile(ours) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
        assert 'state="frozen"' in sheet and 'ySplit="1"' in sheet  # LibreOffice headless drops views on save
        assert '<t xml:space="preserve"></t>' not in "".join(book.read(n).decode() for n in book.namelist())

    saved = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "back"), str(ours)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    back = tmp_path / "back" / "people.xlsx"
    assert saved.returncode == 0 and back.is_file(), saved.stdout + saved.stderr
    with zipfile.ZipFile(back) as book:
        styles = _styles(book)
        root = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
        wins = _cells(book, 1)
        pains = _cells(book, 2)
    header = [text for _kind, text in wins[0]]
    for name in ("Rank", "Solution", "Why", "Owner", "Status", "Due", "Review", "Stages reached"):
        assert name in header, (name, header)
    top = dict(zip(header, wins[1], strict=False))
    assert top["Why"][1].startswith("impact 119.875"), top["Why"]
    assert top["Owner"] == ("s", "Marketing / e-commerce")
    assert top["Due"] == ("n", "45807")  # 2025-05-30 as a date serial number, not text

    rows = root.find("x:sheetData", NS)
    assert rows is not None
    first, second = rows[0], rows[1]
    assert all(styles[int(c.get("s", "0"))]["bold"] for c in first), "the header row is not bold"
    by_ref = {c.get("r", "")[:-1]: c for c in second}
    solution, due = header.index("Solution"), header.index("Due")
    assert styles[int(by_ref["B"].get("s", "0"))]["wrap"], "the solution's text does not wrap"
    assert "yy" in str(styles[int(by_ref["ABCDEFGHIJKLMNOPQ"[due]].get("s", "0"))]["format"]), "Due is no date"
    widths = {int(c.get("min", "0")): float(c.get("width", "0")) for c in root.iter(f"{{{NS['x']}}}col")}
    assert widths[solution + 1] >= 40 and widths[header.index("Rank") + 1] < 12, widths

    map_header = [text for _kind, text in pains[0]]
    assert "Validated on" in map_header and "Moment of truth" in map_header
    assert not [c for row in wins + pains for c in row if c == ("s", "")], "an empty text cell"
