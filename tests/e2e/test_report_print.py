"""The report printed by Chromium (``--print-to-pdf``), read back with poppler's pdftotext
(issue 24, item 11): neither the bundled session's report nor a small session's (3 stages, 4
pains) prints mostly blank pages. No page but the last may end in its top half (one map row
alone on a page, a chart alone after a forced break); the small one fits in a few pages.

Skipped when Chromium or pdftotext (poppler-utils) is missing, unless ``CI`` is set.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from cjmtui.core import edit, scoring, store
from cjmtui.core import model as m
from cjmtui.core.export import export_text
from support.needs import need

pytestmark = pytest.mark.e2e
REPO = Path(__file__).resolve().parents[2]


def _programs() -> tuple[str, str]:
    return need("chromium"), need("pdftotext")


def small_session() -> m.Session:
    s = m.Session(session=m.SessionInfo(title="Small workshop"))
    s, persona = edit.add_item(s, "personas", {"name": "Buyer"}, actor=None)
    s, dept = edit.add_item(s, "departments", {"name": "Sales"}, actor=None)
    stages = []
    for name in ("Find", "Order", "Receive"):
        s, stage = edit.add_item(s, "stages", {"name": name, "emotion": {persona.id: -1}}, actor=None)
        stages.append(stage)
    s, proc = edit.add_item(
        s, "processes", {"stage": stages[0].id, "name": "Keep the catalogue", "owner": dept.id}, actor=None
    )
    for i in range(4):
        s, _ = edit.add_item(
            s,
            "pains",
            {"stage": stages[i % 3].id, "text": f"Pain number {i} is annoying", "caused_by": [proc.id]},
            actor=None,
        )
    s, _ = edit.add_item(s, "solutions", {"text": "Fix the catalogue", "targets": [proc.id]}, actor=None)
    return s


def _fill(browser: str, pdftotext: str, session: m.Session, folder: Path) -> list[float]:
    """How far down each printed page its content reaches (0-1)."""
    report = folder / "report.html"
    report.write_text(str(export_text("html", session, scoring.rank(session))), "utf-8")
    pdf = folder / "report.pdf"
    printed = subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-pdf-header-footer",
         f"--user-data-dir={folder / 'profile'}", f"--print-to-pdf={pdf}", report.as_uri()],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert pdf.is_file(), printed.stderr[-2000:]
    boxes = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    fills = []
    for _w, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S):
        ends = [float(y) for y in re.findall(r'yMax="([\d.]+)"', body)]
        fills.append(max(ends, default=0.0) / float(height))
    assert fills, "no page printed"
    return fills


@pytest.mark.parametrize("which", ["bundled", "small"])
def test_the_printed_report_has_no_mostly_blank_page(which: str, tmp_path: Path) -> None:
    browser, pdftotext = _programs()
    session = (
        store.load_session(REPO / "sessions" / "online-ordering.toml").session
        if which == "bundled"
        else small_session()
    )
    fills = _fill(browser, pdftotext, session, tmp_path)
    blank = [n for n, fill in enumerate(fills[:-1], 1) if fill < 0.5]
    assert not blank, f"pages {blank} of {len(fills)} end in their top half: {[round(f, 2) for f in fills]}"
    if which == "small":
        assert len(fills) <= 5, f"a 4-pain session prints on {len(fills)} pages"
