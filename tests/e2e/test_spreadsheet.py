"""The xlsx export read by a real spreadsheet, LibreOffice Calc (headless): every text cell holds
exactly what the room typed (``007``, ``1/2`` and ``TRUE`` stay text; in a CSV LibreOffice made
them a number, a date and a boolean), numbers are numbers, nothing is a formula (issue 14,
item 5).

LibreOffice opens the workbook and saves its own copy; the test reads that copy's cells and
their types. Skipped when ``soffice`` is missing, unless ``CI`` is set (``.ci/run`` installs
``libreoffice-calc-nogui``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from cjmtui.core import edit, scoring
from cjmtui.core import model as m
from cjmtui.core.export import export_text
from cjmtui.core.safety import data_text

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
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
]

pytestmark = pytest.mark.e2e


def _cells(book: zipfile.ZipFile, sheet: int) -> list[list[tuple[str, str]]]:
    """Each row's cells as (type, text): type "s" string, "n" number, "b" boolean, "str" formula."""
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t")))
    root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{sheet}.xml"))
    rows = []
    for row in root.iter(f"{{{NS['x']}}}row"):
        cells = []
        for c in row.findall("x:c", NS):
            kind = c.get("t", "n")
            if c.find("x:f", NS) is not None:
                kind = "formula"
            value = c.find("x:v", NS)
            text = value.text if value is not None and value.text else ""
            if kind == "s":
                text = shared[int(text)]
            elif kind == "inlineStr":
                kind, text = "s", "".join(t.text or "" for t in c.iter(f"{{{NS['x']}}}t"))
            cells.append((kind, text))
        rows.append(cells)
    return rows


def test_libreoffice_keeps_every_text_exactly_and_every_number_a_number(tmp_path: Path) -> None:
    if SOFFICE is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed")
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
        [SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "back"), str(ours)],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    back = tmp_path / "back" / "export.xlsx"
    assert saved.returncode == 0 and back.is_file(), saved.stdout + saved.stderr
    with zipfile.ZipFile(back) as book:
        wins, pains = _cells(book, 1), _cells(book, 2)

    header = [text for _kind, text in pains[0]]
    text_col, severity_col = header.index("text"), header.index("severity")
    expected = [data_text(p.text) for p in s.pains]  # as stored (the model trims outer spaces)
    got = [row[text_col] for row in pains[1:]]
    assert [kind for kind, _ in got] == ["s"] * len(TRICKY), f"a text became another type: {got}"
    assert [re.sub(r"\r\n?", "\n", text) for _, text in got] == expected
    assert all(row[severity_col] == ("n", "3") for row in pains[1:]), "severity is not a number"

    header = [text for _kind, text in wins[0]]
    assert [row[header.index("rank")][0] for row in wins[1:]] == ["n"] * len(TRICKY)
    solutions = sorted(row[header.index("solution")] for row in wins[1:])
    assert solutions == sorted(("s", t) for t in expected), "a solution's text changed"
    assert not [c for row in wins + pains for c in row if c[0] in ("formula", "b", "str")], "a formula or boolean"
