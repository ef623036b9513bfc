"""Exports (Markdown, CSV, JSON) and the safety helpers behind them.

Hostile text (spreadsheet formulas, Markdown/HTML/Rich markup, terminal escapes, bidi
overrides, line breaks) must come out literal: never a formula, never markup, never an escape
sequence, and every table keeps its shape.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

import factories
from cjmtui.core import edit, links, scoring, store
from cjmtui.core import model as m
from cjmtui.core.errors import ExportError, SaveError
from cjmtui.core.explain import explain_solution
from cjmtui.core.export import (
    CSV_COLUMNS,
    CSV_MAP_COLUMNS,
    dumps_json,
    export_csv,
    export_csv_map,
    export_json,
    export_markdown,
    ranking_json_data,
    ranking_markdown,
    top_of,
    write_export,
)
from cjmtui.core.safety import (
    csv_cell,
    data_text,
    md_cell,
    printable,
    safe_filename,
    safe_output_path,
)

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "sessions").glob("*.toml"))

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-2",
    "@x",
    "|pipe|",
    "first line\nsecond | line\r\nthird",
    "[bold]x[/]",
    "[@click=app.quit]x[/]",
    "<script>alert(1)</script>",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
    "*em* _u_ `code` ~~s~~ # h $x$ \\ [link](http://e.x) ![i](x.png)",
    "1. list",
    "safe \u202eevil\u202c end",
    "\x9b31mC1 \x7f DEL",
    "שלום 日本語 😀",
]
FORMULA = ("=", "+", "-", "@")


def hostile_session() -> m.Session:
    """Every kind of item, every text hostile, linked so every solution reaches pains."""
    s = m.Session(
        session=m.SessionInfo(title="[bold]Evil[/] \x1b[31m| title", facilitator="=1+1", date=dt.date(2024, 5, 6))
    )
    s, _ = edit.add_item(s, "departments", {"id": "d1", "name": "[red]Dept[/] | <b>", "role": "=role"}, actor=None)
    s, _ = edit.add_item(s, "personas", {"id": "p1", "name": "\x1b[2JPersona|x", "goals": ["=g"]}, actor=None)
    s, _ = edit.add_item(
        s,
        "stages",
        {
            "id": "s1",
            "name": "<i>Stage one</i>",
            "phase": "awareness",
            "customer_goal": "goal\nwith | pipe",
            "touchpoints": ["-t", "@t"],
            "owners": ["d1"],
            "emotion": {"p1": -2},
        },
        actor=None,
    )
    s, _ = edit.add_item(s, "stages", {"id": "s2", "name": "# Stage two |", "emotion": {"p1": 1}}, actor=None)
    for i, text in enumerate(HOSTILE):
        stage = "s1" if i % 2 == 0 else "s2"
        s, _ = edit.add_item(
            s, "processes", {"id": f"pr{i}", "stage": stage, "name": text, "owner": "d1", "systems": [text]}, actor=None
        )
    for i in range(len(HOSTILE) - 1):
        s = links.link_feed(s, f"pr{i}", f"pr{i + 1}", actor=None)
    for i, text in enumerate(HOSTILE):
        s, _ = edit.add_item(
            s,
            "pains",
            {
                "id": f"pa{i}",
                "stage": "s1" if i % 3 else "s2",
                "text": text,
                "severity": 1 + i % 5,
                "frequency": 5 - i % 5,
                "personas": ["p1"],
                "caused_by": [f"pr{i}"],
                "kind": "gain" if i == 3 else "pain",
            },
            actor=None,
        )
        s, _ = edit.add_item(
            s,
            "solutions",
            {
                "id": f"so{i}",
                "text": text,
                "targets": [f"pr{i}"],
                "effort": 1 + i % 5,
                "confidence": 0.5 + (i % 3) / 10,
                "owner": "d1",
                "votes": i,
            },
            actor=None,
        )
    return s


@pytest.fixture
def hostile() -> tuple[m.Session, scoring.Ranking]:
    s = hostile_session()
    return s, scoring.rank(s)


# ---------------------------------------------------------------------------------------------
# Markdown helpers


def split_cells(line: str) -> list[str]:
    """Split a GFM table row on unescaped pipes (a pipe after an even run of backslashes)."""
    cells, cur, i = [], "", 0
    while i < len(line):
        ch = line[i]
        if ch == "\\" and i + 1 < len(line):
            cur += line[i : i + 2]
            i += 2
            continue
        if ch == "|":
            cells.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    cells.append(cur)
    assert cells[0].strip() == "" and cells[-1].strip() == "", line
    return cells[1:-1]


def tables(markdown: str) -> list[list[str]]:
    out, cur = [], []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            out.append(cur)
            cur = []
    if cur:
        out.append(cur)
    return out


def render(markdown: str) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(markdown)


def assert_safe_markdown(text: str) -> None:
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text and "\u202e" not in text
    for table in tables(text):
        width = len(split_cells(table[0]))
        assert re.fullmatch(r"\|( ---:? \|)+", table[1]), table[1]
        for row in table:
            assert len(split_cells(row)) == width, row
    html = render(text)
    # No HTML, link, image, code or emphasis ever comes from user text.
    assert "<script" not in html and "<i>" not in html and "<b>" not in html
    assert "<a " not in html and "<img" not in html and "<code>" not in html and "<em>" not in html
    assert "<s>" not in html and "<del>" not in html and "<h4" not in html
    # Our own tables render as tables with the same number of cells per row.
    for tbl in re.findall(r"<table>.*?</table>", html, re.S):
        counts = {len(re.findall(r"<t[hd][ >]", row)) for row in re.findall(r"<tr>.*?</tr>", tbl, re.S)}
        assert len(counts) == 1, tbl


# ---------------------------------------------------------------------------------------------
# safety.printable


@pytest.mark.parametrize(
    ("raw", "single", "multi"),
    [
        ("plain text", "plain text", "plain text"),
        ("\x1b]0;pwned\x07", "␛]0;pwned␇", "␛]0;pwned␇"),
        ("\x1b[2J", "␛[2J", "␛[2J"),
        ("a\nb", "a⏎ b", "a\nb"),
        ("a\r\nb\rc", "a⏎ b⏎ c", "a\nb\nc"),
        ("a\tb", "a b", "a b"),
        ("\x00\x08\x7f", "␀␈␡", "␀␈␡"),
        ("\x9b31m\x85", "\\x9b31m\\x85", "\\x9b31m\\x85"),
        ("a\u202eb\u2066c\u2069", "ab\u2066c\u2069", "ab\u2066c\u2069"),  # a balanced isolate stays
        ("\u202dx\u202c \u2067y \u2069\u2069z", "x \u2067y \u2069z", "x \u2067y \u2069z"),
        ("x\u2028y", "x⏎ y", "x\ny"),
        (
            "שלום مرحبا 日本語 😀 e\u0301 \u200f",
            "שלום مرحبا 日本語 😀 e\u0301 \u200f",
            "שלום مرحبا 日本語 😀 e\u0301 \u200f",
        ),
        ("[bold]x[/]", "[bold]x[/]", "[bold]x[/]"),
        ("\ud800x", "\ufffdx", "\ufffdx"),
    ],
)
def test_printable(raw: str, single: str, multi: str) -> None:
    assert printable(raw) == single
    assert printable(raw, single_line=False) == multi


def test_printable_leaves_no_control_character() -> None:
    everything = "".join(chr(c) for c in range(0x00, 0x100)) + "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    for single in (True, False):
        out = printable(everything, single_line=single)
        allowed = {"\n"} if not single else set()
        bad = [c for c in out if (ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F) and c not in allowed]
        assert bad == []
        assert not set(out) & set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067")
        assert out.endswith("\u2068\u2069")  # the one balanced isolate stays
    assert printable(123) == "123"  # type: ignore[arg-type]


def test_data_text_keeps_tabs_and_line_breaks() -> None:
    assert data_text("a\tb\nc\r\nd\x1b") == "a\tb\nc\r\nd␛"


# ---------------------------------------------------------------------------------------------
# safety.csv_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@x", "'@x"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\x00x", "'␀x"),
        ("  =1+1", "'  =1+1"),
        ("a=b", "a=b"),
        ("x\x1b[2J", "x␛[2J"),
        ("line\nbreak", "line\nbreak"),
        ("", ""),
        (None, ""),
        (-2, "-2"),
        (1.5, "1.5"),
        (3, "3"),
    ],
)
def test_csv_cell(value: object, expected: str) -> None:
    assert csv_cell(value) == expected


# ---------------------------------------------------------------------------------------------
# safety.md_cell


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("|pipe|", "\\|pipe\\|"),
        ("a\nb\r\n\nc", "a / b / c"),
        ("[bold]x[/]", "\\[bold\\]x\\[/\\]"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b", "a & b"),  # read as typed (issue 23): no entity where none is needed
        ("&amp; &#38;", "&amp;amp; &amp;\\#38;"),
        ("back\\slash", "back\\\\slash"),
        ("*em* _u_ `c`", "\\*em\\* \\_u\\_ \\`c\\`"),
        ("- item", "\\- item"),
        ("+ item", "\\+ item"),
        ("12. item", "12\\. item"),
        ("# h", "\\# h"),
        ("\x1b[2J", "␛\\[2J"),
        ("日本語 שלום", "日本語 שלום"),
    ],
)
def test_md_cell(raw: str, expected: str) -> None:
    assert md_cell(raw) == expected


@pytest.mark.parametrize("raw", HOSTILE)
def test_md_cell_renders_literally(raw: str) -> None:
    row = f"| a | {md_cell(raw)} | b |"
    assert len(split_cells(row)) == 3
    html = render(f"| x | y | z |\n| --- | --- | --- |\n{row}\n")
    cells = re.findall(r"<td>(.*?)</td>", html, re.S)
    assert len(cells) == 3
    shown = cells[1].replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    expected = printable(re.sub(r"\s*(\r\n|\n)\s*", " / ", raw))
    assert shown == expected


# ---------------------------------------------------------------------------------------------
# safety.safe_filename / safe_output_path


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Onboarding / Q3", "Onboarding-Q3.toml"),
        ("../../x", "x.toml"),
        ("/tmp/x", "tmp-x.toml"),
        ("a\x00b", "a-b.toml"),
        ("..", "session.toml"),
        ("   ", "session.toml"),
        (".hidden", "hidden.toml"),
        ("-rf", "rf.toml"),
        ("plan.toml", "plan.toml"),
        ("Kundenreise Übergabe", "Kundenreise-Übergabe.toml"),
        ("CON", "CON-session.toml"),
        ("C:\\Windows\\x", "C-Windows-x.toml"),
        ("\x1b[2J", "2J.toml"),
    ],
)
def test_safe_filename_derived(name: str, expected: str) -> None:
    assert safe_filename(name, suffix=".toml") == expected


def test_safe_filename_derived_is_bounded() -> None:
    out = safe_filename("x" * 500, suffix=".md")
    assert out == "x" * 80 + ".md"
    assert safe_filename("report", suffix="md") == "report.md"


@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "a/b", "a\\b", "a\x00b", "..", ".", "", "  ", "x\x1b"])
def test_safe_filename_strict_refuses(name: str) -> None:
    with pytest.raises(ExportError):
        safe_filename(name, suffix=".md", strict=True)


def test_safe_filename_strict_accepts_plain_names() -> None:
    assert safe_filename("report", suffix=".md", strict=True) == "report.md"
    assert safe_filename("report.md", suffix=".md", strict=True) == "report.md"
    assert safe_filename("Q3 review (final)", suffix=".csv", strict=True) == "Q3 review (final).csv"


@pytest.mark.parametrize("name", ["../../x", "/tmp/x", "a/b", "a\\b", "a\x00b", "..", ".", "", "C:x"])
def test_safe_output_path_refuses(tmp_path: Path, name: str) -> None:
    with pytest.raises(ExportError):
        safe_output_path(tmp_path, name)


def test_safe_output_path_symlinks(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    outside = tmp_path / "outside.md"
    outside.write_text("keep me")
    (folder / "evil.md").symlink_to(outside)
    (folder / "dangling.md").symlink_to(tmp_path / "nowhere.md")
    (folder / "inside.md").write_text("old")
    (folder / "alias.md").symlink_to(folder / "inside.md")
    (folder / "sub").mkdir()
    with pytest.raises(ExportError, match="outside"):
        safe_output_path(folder, "evil.md")
    with pytest.raises(ExportError, match="outside"):
        safe_output_path(folder, "dangling.md")
    with pytest.raises(ExportError, match="folder"):
        safe_output_path(folder, "sub")
    assert safe_output_path(folder, "alias.md") == folder / "alias.md"
    assert safe_output_path(folder, "new.md") == folder / "new.md"
    assert safe_output_path(folder, "inside.md") == folder / "inside.md"
    assert outside.read_text() == "keep me"


# ---------------------------------------------------------------------------------------------
# CSV


def test_csv_hostile(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, ranking = hostile
    text = export_csv(session, ranking)
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text and "\x9b" not in text
    assert text.endswith("\r\n")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 1 + len(session.solutions)
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    by_id = {r[1]: r for r in rows[1:]}
    for i, raw in enumerate(HOSTILE):
        cell = by_id[f"so{i}"][2]
        assert cell == csv_cell(raw)
        assert not cell.startswith(FORMULA)  # nothing a spreadsheet runs
        if raw.startswith(FORMULA):
            assert cell == "'" + raw
    assert [int(r[0]) for r in rows[1:]] == list(range(1, len(rows)))
    for r in rows[1:]:
        for cell in r:
            assert not cell.startswith((*FORMULA, "\t", "\r"))


def test_csv_values(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, ranking = hostile
    rows = list(csv.DictReader(io.StringIO(export_csv(session, ranking), newline="")))
    for row, s in zip(rows, ranking.solutions, strict=True):
        assert row["id"] == s.id
        assert float(row["score"]) == round(s.score, 3)
        assert float(row["impact"]) == round(s.impact, 3)
        assert row["quadrant"] == s.quadrant
        assert row["reached_pains"] == ";".join(f"{r.pain}@{r.stage}/{r.hops}" for r in s.reached)


def test_csv_map_hostile(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, _ = hostile
    text = export_csv_map(session)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == list(CSV_MAP_COLUMNS)
    assert len(rows) == 1 + len(session.pains)
    assert all(len(r) == len(CSV_MAP_COLUMNS) for r in rows)
    assert "\x1b" not in text
    for r in rows[1:]:
        for cell in r:
            assert not cell.startswith(FORMULA)
    # Stage order: every s1 pain before every s2 pain.
    stages = [r[1] for r in rows[1:]]
    assert stages == sorted(stages, key=lambda name: 0 if name == "<i>Stage one</i>" else 1)


def test_csv_empty_session() -> None:
    s = m.Session()
    assert export_csv(s, scoring.rank(s)) == ",".join(CSV_COLUMNS) + "\r\n"
    assert export_csv_map(s) == ",".join(CSV_MAP_COLUMNS) + "\r\n"


# ---------------------------------------------------------------------------------------------
# JSON


def test_json_contract(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, ranking = hostile
    data = json.loads(export_json(session, ranking))
    sol_keys = {
        "rank",
        "id",
        "text",
        "score",
        "impact",
        "effort",
        "stages_reached",
        "quadrant",
        "reached",
        "confidence",
        "status",
        "votes",
    }
    proc_keys = {"rank", "id", "name", "owner", "stage", "score", "impact", "stages_reached", "reached"}
    reach_keys = {"pain", "stage", "hops", "contribution"}
    assert len(data["solutions"]) == len(session.solutions)
    assert len(data["processes"]) == len(session.processes)
    for item, s in zip(data["solutions"], ranking.solutions, strict=True):
        assert sol_keys <= item.keys()
        assert item["text"] == s.text  # data is exact, not escaped
        assert item["score"] == round(s.score, 3)
        for r in item["reached"]:
            assert reach_keys <= r.keys()
            assert r["contribution"] == round(r["contribution"], 3)
    for item in data["processes"]:
        assert proc_keys <= item.keys()
    assert data["session"]["session"]["date"] == "2024-05-06"
    assert data["session"]["pains"][0]["text"] == HOSTILE[0]
    assert store.session_from_data(data["session"], "json") == session  # the whole session round-trips


def test_json_is_terminal_safe(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, ranking = hostile
    text = export_json(session, ranking)
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]", text)
    assert "\\u001b" in text and "\\u009b" in text and "\\u202e" in text
    assert "日本語" in text  # not ASCII-escaped
    texts = {s["text"] for s in json.loads(text)["solutions"]}
    assert texts == set(HOSTILE)


def test_ranking_json_top_and_persona(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, _ = hostile
    ranking = scoring.rank(session, "p1")
    data = ranking_json_data(ranking, session, top=3)
    assert [s["rank"] for s in data["solutions"]] == [1, 2, 3]
    assert len(data["processes"]) == 3
    assert data["persona"] == "p1"
    assert "session" not in data
    with pytest.raises(ExportError):
        top_of(ranking, -1)


def test_dumps_json_refuses_nan() -> None:
    with pytest.raises(ExportError):
        dumps_json({"x": float("nan")})


# ---------------------------------------------------------------------------------------------
# Markdown


def test_markdown_hostile(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, ranking = hostile
    text = export_markdown(session, ranking)
    assert_safe_markdown(text)
    assert text.startswith("# \\[bold\\]Evil\\[/\\] ␛\\[31m\\| title\n")
    assert "## Quick wins, ranked" in text and "### Why this rank" in text
    assert "## Root-cause processes, ranked" in text and "## The map" in text
    # One row per solution in the ranked table, in rank order.
    ranked = tables(text)[0]
    assert split_cells(ranked[0])[1].strip() == "Solution"
    assert len(ranked) == 2 + len(session.solutions)
    assert [int(split_cells(r)[0]) for r in ranked[2:]] == list(range(1, len(session.solutions) + 1))
    # Each stage of the map, in order, with its pains, processes, emotion.
    assert text.index("### Stage 1: &lt;i&gt;Stage one&lt;/i&gt;") < text.index("### Stage 2: \\# Stage two \\|")
    assert "- **Emotion:** ␛\\[2JPersona\\|x -2" in text
    assert "- **Touchpoints:** \\-t; @t" in text
    assert "- **Customer goal:** goal / with \\| pipe" in text


def test_markdown_why_this_rank_matches_ranking() -> None:
    session = factories.workshop()
    ranking = scoring.rank(session)
    text = export_markdown(session, ranking)
    assert_safe_markdown(text)
    top = ranking.solutions[0]
    assert f"**1. {md_cell(top.text)}** — {md_cell(explain_solution(top, session.scoring).text())}" in text
    why = text[text.index("### Why this rank") : text.index("## Root-cause")]
    for r in top.reached:
        pain = m.find(session, "pains", r.pain)
        assert md_cell(pain.text) in why  # type: ignore[union-attr]
    assert "| Pain | Stage | Weight | Hops | Contribution |" in why
    assert "- **Facilitator:**" not in text  # empty fields are left out


def test_ranking_markdown(hostile: tuple[m.Session, scoring.Ranking]) -> None:
    session, ranking = hostile
    text = ranking_markdown(ranking, session, top=4)
    assert_safe_markdown(text)
    (table,) = tables(text)
    assert len(table) == 2 + 4
    assert "## " not in text and "Why this rank" not in text
    persona = ranking_markdown(scoring.rank(session, "p1"), session)
    assert "Ranked for persona: **␛\\[2JPersona\\|x**" in persona


def test_markdown_empty_session() -> None:
    s = m.Session()
    text = export_markdown(s, scoring.rank(s))
    assert "No solutions yet." in text and "No stages yet." in text
    assert_safe_markdown(text)
    assert "No solutions yet." in ranking_markdown(scoring.rank(s), s)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_export(path: Path) -> None:
    session = store.load_session(path).session
    ranking = scoring.rank(session)
    assert_safe_markdown(export_markdown(session, ranking))
    rows = list(csv.reader(io.StringIO(export_csv(session, ranking), newline="")))
    assert len(rows) == 1 + len(session.solutions)
    data = json.loads(export_json(session, ranking))
    assert store.session_from_data(data["session"], path.name) == session


def test_exports_of_random_sessions() -> None:
    from hypothesis import given

    @factories.CORE
    @given(factories.sessions())
    def check(session: m.Session) -> None:
        ranking = scoring.rank(session)
        assert_safe_markdown(export_markdown(session, ranking))
        assert_safe_markdown(ranking_markdown(ranking, session))
        for text, width in (
            (export_csv(session, ranking), len(CSV_COLUMNS)),
            (export_csv_map(session), len(CSV_MAP_COLUMNS)),
        ):
            rows = list(csv.reader(io.StringIO(text, newline="")))
            assert all(len(r) == width for r in rows)
            assert all(not c.startswith(FORMULA) for r in rows[1:] for c in r[1:] if not _number(c))
        data = json.loads(export_json(session, ranking))
        assert store.session_from_data(data["session"], "json") == session

    check()


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# write_export


def test_write_export(tmp_path: Path) -> None:
    path = tmp_path / "out.md"
    assert write_export("hello ✓\n", path) == path
    assert path.read_bytes() == "hello ✓\n".encode()
    write_export("again\n", path)
    assert path.read_text("utf-8") == "again\n"
    # no temp file; the export it replaced is kept as out.md.bak (issue 21, item 13)
    assert sorted(os.listdir(tmp_path)) == ["out.md", "out.md.bak"]
    assert (tmp_path / "out.md.bak").read_bytes() == "hello ✓\n".encode()


def test_write_export_failure_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(SaveError):
        write_export("x", tmp_path / "missing" / "out.md")
    (tmp_path / "dir.md").mkdir()
    with pytest.raises(SaveError):
        write_export("x", tmp_path / "dir.md")
    assert sorted(os.listdir(tmp_path)) == ["dir.md"]


# ---------------------------------------------------------------------------------------------
# Long breakdowns: the write-up, the report and the checklist list the biggest rows and say
# what the rest add up to (a 2,000-pain write-up listed 213,000 rows, 23 MB)


def test_the_write_up_and_the_report_list_the_biggest_contributions_and_sum_the_rest(monkeypatch) -> None:
    from cjmtui.core import explain
    from cjmtui.core.export import export_text
    from cjmtui.core.vocab import fmt_number

    monkeypatch.setattr(explain, "WHY_ROWS", 3)
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    ranking = scoring.rank(session)
    top = ranking.solutions[0]
    assert top.pains_reached > 3
    rest = top.reached[3:]
    note = f"… and {len(rest)} smaller contributions (together {fmt_number(sum(r.contribution for r in rest))})"

    md = export_text("md", session, ranking)
    why = md.split("### Why this rank")[1].split("**2. ")[0]
    assert len(tables(why)) == 1 and len(tables(why)[0]) == 3 + 2  # header, rule, 3 rows
    assert note in why and "cjmtui rank --format json --why" in why
    assert_safe_markdown(md)

    html = export_text("html", session, ranking)
    article = html.split(f'id="why-{top.id}"')[1].split("</article>")[0]
    assert article.count("<tr") == 3 + 1  # the header row and 3 pains
    assert f"Pains reached ({top.pains_reached})" in article and note in article


def test_the_checklist_lists_the_top_ranked_solutions_at_stake_and_sums_the_rest(monkeypatch) -> None:
    from cjmtui.core import validation
    from cjmtui.core.export import export_text

    monkeypatch.setattr(validation, "STAKE_ROWS", 1)
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    ranking = scoring.rank(session)
    items = validation.to_validate(session, ranking)
    item = next(i for i in items if len(i.stakes) > 1)
    text = export_text("validation", session, ranking)
    section = text.split(f"«{item.pain.text}»")[1].split("\n## ")[0]
    assert section.count("  - solution #") == 1
    assert f"… and {len(item.stakes) - 1} more solution" in section


def test_the_write_up_reads_as_plain_text() -> None:
    """Issue 23: "Sales &amp; Underwriting", "1 gains", "1 participants", an empty Personas cell
    for a pain that affects everyone, and "3 × 3 = 9" on a gain."""
    s = m.Session(session=m.SessionInfo(title="Claims"))
    s, dept = edit.add_item(s, "departments", {"name": "Sales & Underwriting"}, actor=None)
    s, stage = edit.add_item(s, "stages", {"name": "Report the loss", "owners": [dept.id]}, actor=None)
    s, _pain = edit.add_item(s, "pains", {"stage": stage.id, "text": "Nobody calls back", "severity": 4}, actor=None)
    s, _gain = edit.add_item(s, "pains", {"stage": stage.id, "text": "Kind agent", "kind": "gain"}, actor=None)
    s, _who = edit.add_item(s, "participants", {"name": "Ana"}, actor=None)
    text = export_markdown(s, scoring.rank(s))
    assert "Sales & Underwriting" in text and "&amp;" not in text
    assert "1 gain," in text and "1 gains" not in text and "1 pain," in text and "1 stage," in text
    assert "1 participant," in text and "1 participants" not in text
    pain_row = next(line for line in text.splitlines() if "Nobody calls back" in line)
    gain_row = next(line for line in text.splitlines() if "Kind agent" in line)
    assert "| everyone |" in pain_row, pain_row
    assert "×" not in gain_row and "= 9" not in gain_row, gain_row
