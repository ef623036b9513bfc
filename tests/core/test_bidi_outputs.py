"""Bidi controls in every output the same way (issue 24, items 3 and 4): overrides and
embeddings (U+202A–U+202E) and unbalanced isolates are removed, never shown as ``\\u202e`` text;
right-to-left letters and balanced isolates stay; a GitHub issue title carries no raw escape."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile

import pytest

from cjmtui.core import edit, scoring
from cjmtui.core import model as m
from cjmtui.core.export import FORMATS, export_text
from cjmtui.core.safety import data_text, printable, strip_bidi

HEBREW = "שלום עולם"
ARABIC = "مرحبا"
DANGEROUS = re.compile("[\u202a-\u202e]")


def _session() -> m.Session:
    s = m.Session(session=m.SessionInfo(title=f"Bidi {HEBREW}"))
    s, stage = edit.add_item(s, "stages", {"name": f"\u202eOrder {ARABIC}"}, actor=None)
    s, process = edit.add_item(s, "processes", {"stage": stage.id, "name": "Take \u2067the\u2069 order"}, actor=None)
    s, _ = edit.add_item(
        s,
        "pains",
        {"stage": stage.id, "text": f"{HEBREW} \u202efdp.exe\u202c \u2066left", "caused_by": [process.id]},
        actor=None,
    )
    s, _ = edit.add_item(
        s,
        "solutions",
        {"text": f"\x1b[31mred\x07 {ARABIC} \u202eevil", "targets": [process.id], "status": "planned"},
        actor=None,
    )
    return s


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\u202eb\u202cc", "abc"),
        ("\u202a\u202b\u202c\u202d\u202e", ""),
        ("x\u2067y\u2069z", "x\u2067y\u2069z"),  # balanced: kept
        ("x\u2067y", "xy"),  # never closed
        ("x\u2069y", "xy"),  # never opened
        ("\u2066a\u2067b\u2069", "a\u2067b\u2069"),  # the inner one is balanced
        ("\u2066a\nb\u2069", "a\nb"),  # a paragraph ends an isolate
        (f"{HEBREW} {ARABIC} \u200f", f"{HEBREW} {ARABIC} \u200f"),  # letters and marks stay
    ],
)
def test_strip_bidi(raw: str, clean: str) -> None:
    assert strip_bidi(raw) == clean
    assert printable(raw, single_line=False) == clean
    assert data_text(raw) == clean


def _texts(fmt: str, out: str | bytes) -> str:
    if isinstance(out, bytes):
        with zipfile.ZipFile(io.BytesIO(out)) as book:
            return "".join(book.read(n).decode() for n in book.namelist())
    if fmt == "github":
        return json.dumps(json.loads(out), ensure_ascii=False)  # what `jq -r` gives
    return out


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "json"])
def test_every_output_for_people_removes_overrides_and_keeps_rtl_letters(fmt: str) -> None:
    s = _session()
    text = _texts(fmt, export_text(fmt, s, scoring.rank(s)))
    assert not DANGEROUS.search(text), fmt
    assert "\\u202e" not in text.lower() and "\\u202c" not in text.lower(), fmt
    assert HEBREW in text or ARABIC in text, fmt  # each shows some of the texts


def test_json_keeps_the_data_exact() -> None:
    s = _session()
    data = json.loads(export_text("json", s, scoring.rank(s)))
    assert data["session"]["pains"][0]["text"] == s.pains[0].text


def test_github_titles_and_jira_summaries_carry_no_raw_escape() -> None:
    s = _session()
    ranking = scoring.rank(s)
    issues = json.loads(export_text("github", s, ranking))
    assert issues[0]["title"] == f"␛[31mred␇ {ARABIC} evil"
    rows = list(csv.reader(io.StringIO(str(export_text("jira", s, ranking)), newline="")))
    summary = rows[2][rows[0].index("Summary")]  # after the header and the workshop's epic
    assert "\x1b" not in summary and "\x07" not in summary and "\u202e" not in summary
    assert ARABIC in summary
