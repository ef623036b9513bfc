"""An xlsx workbook's cells, read as Excel and openpyxl read them (for the spreadsheet tests)."""

from __future__ import annotations

import re
import zipfile
from xml.etree import ElementTree

NS = {"x": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _unescape(text: str) -> str:
    """Office Open XML's ``_xHHHH_`` escapes decoded, as Excel and openpyxl read them."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), text)


def cells(book: zipfile.ZipFile, sheet: int) -> list[list[tuple[str, str]]]:
    """Each row's cells as (type, text): type "s" string, "n" number, "b" boolean, "str" formula."""
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml")).findall("x:si", NS):
            shared.append(_unescape("".join(t.text or "" for t in si.iter(f"{{{NS['x']}}}t"))))
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
                kind, text = "s", _unescape("".join(t.text or "" for t in c.iter(f"{{{NS['x']}}}t")))
            cells.append((kind, text))
        rows.append(cells)
    return rows
