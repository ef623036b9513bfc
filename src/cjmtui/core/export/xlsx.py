"""The ranking and the map as a spreadsheet workbook (.xlsx) whose cells are typed.

CSV has no types: a spreadsheet opening it guesses, and a pain that reads ``007``, ``1/2`` or
``TRUE`` became a number, a date and a boolean in LibreOffice. In this workbook every text is
a string cell and every number a number cell, so what the room typed is what the cell holds,
and no text is ever a formula (a string cell is not evaluated: no ``'`` guard is needed).

Two sheets for people: "Quick wins" (:data:`WIN_COLUMNS`: the rank, the fix, why it ranks
there, its figures, then owner, status, due and review to track it) and "Map" (the columns of
:data:`~.tabular.CSV_MAP_COLUMNS`). Each has a bold header row in words ("Stages reached"),
frozen, columns as wide as their contents (up to a limit, longer text wraps), text cells
wrapped and aligned to the top, and real date cells (shown ``yyyy-mm-dd``) for dates. An empty
value is no cell at all, never an empty string.

A tab inside a cell: LibreOffice drops a tab written as is, and reads the escape ``_x0009_``
that Office Open XML defines for it, so tabs are written that way (Excel reads it too);
``tests/e2e/test_spreadsheet.py`` checks it.

The file is the smallest valid Office Open XML package (inline strings, a small style sheet);
``tests/e2e/test_spreadsheet.py`` reads it back in LibreOffice. No dependency: the standard
library's zipfile and XML escaping.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence

from ..explain import explain_solution
from ..model import Session
from ..safety import data_text
from ..scoring import Ranking
from ..views import Names
from .tabular import _round, map_rows


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (``xml.sax.saxutils.escape`` without its import of
    ``urllib``, 10 ms at every start: this module is imported with the export formats)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


SHEETS = ("Quick wins", "Map")
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
WIN_COLUMNS = (
    "rank",
    "solution",
    "why",
    "quadrant",
    "score",
    "impact",
    "effort",
    "confidence",
    "stages_reached",
    "votes",
    "unverified",
    "owner",
    "status",
    "due",
    "review",
    "reached_pains",
    "id",
)
MAX_WIDTH = 60  # characters; a longer text wraps
MIN_WIDTH = 6
EPOCH = dt.date(1899, 12, 30)  # day 0 of a spreadsheet's date serial numbers (1900 system)

# Cell styles (indexes into cellXfs): header, text, number, date.
HEADER, TEXT, NUMBER, DATE = 1, 2, 3, 4
_STYLES = _XML + (
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment wrapText="1" vertical="top"/></xf>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top"/></xf>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">'
    '<alignment vertical="top"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

_PKG = "http://schemas.openxmlformats.org/package/2006"
_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"

_CONTENT_TYPES = (
    _XML + f'<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OFFICE}.sheet.main+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OFFICE}.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = f'<Override PartName="/xl/worksheets/sheet{{n}}.xml" ContentType="{_OFFICE}.worksheet+xml"/>'
_ROOT_RELS = (
    _XML + f'<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = _XML + f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOC}"><sheets>{{sheets}}</sheets></workbook>'
_WORKBOOK_RELS = _XML + f'<Relationships xmlns="{_PKG}/relationships">{{rels}}</Relationships>'
_STYLES_REL = f'<Relationship Id="rIdStyles" Type="{_DOC}/styles" Target="styles.xml"/>'
_SHEET_REL = f'<Relationship Id="rId{{n}}" Type="{_DOC}/worksheet" Target="worksheets/sheet{{n}}.xml"/>'
_WORKSHEET = (
    _XML + f'<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
    '<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>{rows}</sheetData></worksheet>'
)


def _column(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_XML_ESCAPES = re.compile(r"_x[0-9A-Fa-f]{4}_")


def _xml_text(text: str) -> str:
    """A cell's text for a ``<t>``: controls made visible, line breaks as ``\\n``, a tab as
    ``_x0009_`` (which LibreOffice keeps; a literal ``_x0041_`` typed by someone is escaped as
    ``_x005F_x0041_``, so it stays that text), XML-escaped."""
    text = data_text(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _XML_ESCAPES.sub(lambda m: "_x005F" + m.group(), text).replace("\t", "_x0009_")
    return escape(text)


def _cell(ref: str, value: object, style: int = 0) -> str:
    if value is None or value == "":
        return ""  # no cell: an empty string cell is not an empty cell to a spreadsheet
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - EPOCH).days}</v></c>'
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f'<c r="{ref}" s="{style or NUMBER}"><v>{value!r}</v></c>'
    text = _xml_text(str(value))
    return f'<c r="{ref}" s="{style or TEXT}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def heading(column: str) -> str:
    """A column's name for people: ``stages_reached`` → ``Stages reached``."""
    return column.replace("_", " ").capitalize()


def _width(value: object) -> int:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, float):
        return len(f"{value:g}")
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet(rows: Sequence[Sequence[object]]) -> str:
    widths: list[int] = []
    out = []
    for r, row in enumerate(rows, 1):
        if r == 1:
            row = [heading(str(v)) for v in row]
        for c, value in enumerate(row):
            if c == len(widths):
                widths.append(MIN_WIDTH)
            widths[c] = max(widths[c], _width(value) + 2)
        cells = "".join(_cell(f"{_column(c)}{r}", v, HEADER if r == 1 else 0) for c, v in enumerate(row))
        out.append(f'<row r="{r}">{cells}</row>')
    cols = "".join(
        f'<col min="{c}" max="{c}" width="{min(w, MAX_WIDTH)}" customWidth="1"/>' for c, w in enumerate(widths, 1)
    )
    return _WORKSHEET.format(rows="".join(out), cols=cols)


def win_rows(session: Session, ranking: Ranking) -> list[Sequence[object]]:
    """The "Quick wins" sheet's rows (header first, :data:`WIN_COLUMNS`): each ranked solution
    with why it ranks there, then what a review tracks (owner, status, due, review dates)."""
    names = Names(session)
    solutions = {s.id: s for s in session.solutions}
    rows: list[Sequence[object]] = [WIN_COLUMNS]
    for row in ranking.solutions:
        sol = solutions.get(row.id)
        owner = sol.owner if sol else None
        rows.append(
            (
                row.rank,
                row.text,
                explain_solution(row, session.scoring).text(),
                row.quadrant,
                _round(row.score),
                _round(row.impact),
                row.effort,
                _round(row.confidence),
                row.stages_reached,
                row.votes,
                _round(row.unverified),
                names.department(owner) if owner else None,
                row.status,
                sol.due if sol else None,
                sol.review if sol else None,
                "; ".join(f"{names.pain(r.pain)} ({names.stage(r.stage)})" for r in row.reached) or None,
                row.id,
            )
        )
    return rows


def _map_sheet_rows(session: Session) -> list[Sequence[object]]:
    """The map's rows with real dates (``validated_on``) instead of ISO text."""
    rows = map_rows(session)
    at = list(rows[0]).index("validated_on")
    dates = {p.id: p.validated_on for p in session.pains}
    return [rows[0], *(tuple(dates.get(str(r[0])) if i == at else v for i, v in enumerate(r)) for r in rows[1:])]


def export_xlsx(session: Session, ranking: Ranking) -> bytes:
    """The workbook (see the module's description), as the bytes of an .xlsx file."""
    sheets = [win_rows(session, ranking), _map_sheet_rows(session)]
    buffer = io.BytesIO()
    numbers = range(1, len(sheets) + 1)
    named = zip(numbers, SHEETS, strict=True)
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in numbers)),
        "_rels/.rels": _ROOT_RELS,
        "xl/workbook.xml": _WORKBOOK.format(
            sheets="".join(f'<sheet name="{escape(name)}" sheetId="{n}" r:id="rId{n}"/>' for n, name in named)
        ),
        "xl/_rels/workbook.xml.rels": _WORKBOOK_RELS.format(
            rels="".join(_SHEET_REL.format(n=n) for n in numbers) + _STYLES_REL
        ),
        "xl/styles.xml": _STYLES,
        **{f"xl/worksheets/sheet{n}.xml": _sheet(rows) for n, rows in zip(numbers, sheets, strict=True)},
    }
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():
            book.writestr(name, xml)
    return buffer.getvalue()
