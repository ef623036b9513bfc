"""The ranking and the map as a spreadsheet workbook (.xlsx) whose cells are typed.

CSV has no types: a spreadsheet opening it guesses, and a pain that reads ``007``, ``1/2`` or
``TRUE`` became a number, a date and a boolean in LibreOffice. In this workbook every text is
a string cell and every number a number cell, so what the room typed is what the cell holds,
and no text is ever a formula (a string cell is not evaluated: no ``'`` guard is needed).

Two sheets: "Quick wins" (:data:`~.tabular.CSV_COLUMNS`) and "Map"
(:data:`~.tabular.CSV_MAP_COLUMNS`), each with its header row frozen. The file is the smallest
valid Office Open XML package (inline strings, no shared strings or styles beyond the frozen
header); ``tests/e2e/test_spreadsheet.py`` reads it back in LibreOffice. No dependency: the
standard library's zipfile and XML escaping.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from ..model import Session
from ..safety import data_text
from ..scoring import Ranking
from .tabular import map_rows, ranking_rows


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (``xml.sax.saxutils.escape`` without its import of
    ``urllib``, 10 ms at every start: this module is imported with the export formats)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SHEETS = ("Quick wins", "Map")

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = (
    _XML + f'<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = f'<Override PartName="/xl/worksheets/sheet{{n}}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>{{sheets}}</sheets></workbook>'
_WORKBOOK_RELS = _XML + f'<Relationships xmlns="{_PKG}/relationships">{{rels}}</Relationships>'
_SHEET_REL = f'<Relationship Id="rId{{n}}" Type="{_DOC}/worksheet" Target="worksheets/sheet{{n}}.xml"/>'
_WORKSHEET = (
    _XML + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    "<sheetData>{rows}</sheetData></worksheet>"
)


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _cell(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(data_text(str(value)).replace("\r\n", "\n").replace("\r", "\n"))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def _sheet(rows: Sequence[Sequence[object]]) -> str:
    out = []
    for r, row in enumerate(rows, 1):
        cells = "".join(_cell(f"{_column(c)}{r}", v) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    return _WORKSHEET.format(rows="".join(out))


def export_xlsx(session: Session, ranking: Ranking) -> bytes:
    """The workbook (see the module's description), as the bytes of an .xlsx file."""
    sheets = [ranking_rows(ranking), map_rows(session)]
    buffer = io.BytesIO()
    numbers = range(1, len(sheets) + 1)
    named = zip(numbers, SHEETS, strict=True)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK.format(
            sheets="".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in named)
        ),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(rels="".join(_SHEET_REL.format(n=n) for n in numbers)),
        **{f"xl/worksheets/sheet{n}.xml": _sheet(rows) for n, rows in zip(numbers, sheets, strict=True)},
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():
            book.writestr(name, xml)
    return buffer.getvalue()
