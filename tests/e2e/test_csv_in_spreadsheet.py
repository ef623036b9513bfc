"""``--csv-dialect excel-de`` and ``excel-en`` read by a real spreadsheet, LibreOffice Calc
(headless), with a German and an English locale (issue 24, item 1): the impact 119.875 is the
number 119.875 (not 119875), UTF-8 text arrives intact (the byte order mark), and data-like text
(``007``, ``2024-01-02``, ``1e5``, ``TRUE``, ``50%``, ``1/2``) stays text because every text
cell is quoted and the import keeps quoted fields as text.

LibreOffice's import dialog reads the byte order mark and sets UTF-8; a headless conversion
takes the dialog's choices as filter options (separator, quote, UTF-8, first line, no column
types, the locale, "quoted field as text", "detect special numbers"). Skipped when ``soffice``
is missing, unless ``CI`` is set.
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from cjmtui.cli import main
from cjmtui.core import edit, store
from support.needs import need, needs
from support.xlsx import cells as _cells

pytestmark = [pytest.mark.e2e, needs("soffice")]
ROOT = Path(__file__).resolve().parents[2]
DATA_LIKE = ["007", "2024-01-02", "1e5", "TRUE", "50%", "1/2", "Müller & Söhne – naïve 日本語 שלום"]
# (dialect, field separator as a character code, LibreOffice language id)
LOCALES = [("excel-de", 59, 1031), ("excel-en", 44, 1033)]


@pytest.mark.parametrize(("dialect", "separator", "language"), LOCALES)
def test_a_spreadsheet_in_a_locale_reads_numbers_text_and_data_like_text_right(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], dialect: str, separator: int, language: int
) -> None:
    soffice = need("soffice")
    s = store.load_session(ROOT / "sessions" / "online-ordering.toml").session
    stage = s.stages[0].id
    for text in DATA_LIKE:
        s, _ = edit.add_item(s, "pains", {"stage": stage, "text": text}, actor=None)
    session = tmp_path / "s.toml"
    store.save_session(session, s)
    for fmt in ("csv", "csv-map"):
        out = tmp_path / f"{fmt}.csv"
        assert main(["export", str(session), "--format", fmt, "--csv-dialect", dialect, "-o", str(out)]) == 0
        assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    capsys.readouterr()

    options = f"CSV:{separator},34,76,1,,{language},true,true"
    done = subprocess.run(
        [soffice, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
         f"--infilter={options}", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "back"),
         str(tmp_path / "csv.csv"), str(tmp_path / "csv-map.csv")],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    with zipfile.ZipFile(tmp_path / "back" / "csv.xlsx") as book:
        ranking = _cells(book, 1)
    with zipfile.ZipFile(tmp_path / "back" / "csv-map.xlsx") as book:
        pains = _cells(book, 1)

    header = [text for _kind, text in ranking[0]]
    assert header[0] == "rank", "the byte order mark or the separator was not understood"
    top = dict(zip(header, ranking[1], strict=True))
    assert top["impact"] == ("n", "119.875") and top["score"] == ("n", "191.8") and top["rank"] == ("n", "1")
    assert top["confidence"] == ("n", "0.8") and top["quadrant"] == ("s", "quick win")

    header = [text for _kind, text in pains[0]]
    text_col, severity_col = header.index("text"), header.index("severity")
    texts = [row[text_col] for row in pains[1:] if len(row) > text_col]
    for text in DATA_LIKE:
        assert ("s", text) in texts, f"{text!r} did not arrive as that text: {[t for t in texts if t[1] in text]}"
    first = pains[1]
    assert first[severity_col][0] == "n", "severity is not a number"
    assert not [c for row in ranking + pains for c in row if c[0] in ("formula", "b", "str")], "a formula or boolean"
