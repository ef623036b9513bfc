"""The HTML report: structure, escaping of hostile text, charts, friction figures, the CLI.

Parsed with the standard library's ``html.parser``: every user text must come out as text
(never an element or an attribute), the document must stay balanced, every section must be
there, and the charts must have one marker per data point.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from cjmtui import cli
from cjmtui.core import model as m
from cjmtui.core import scoring, store
from cjmtui.core.export.html import StageFriction, clean, export_html, stage_friction, text

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "sessions").glob("*.toml"))

SECTIONS = ("session", "personas", "map", "emotion", "matrix", "quick-wins", "root-causes", "friction")
VOID = {"meta", "br", "col", "img", "input", "hr", "link", "wbr", "source", "area", "base", "embed", "param", "track"}
# Self-closed SVG elements (``<circle .../>``) are reported as start+end by html.parser.
ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "div",
    "header",
    "nav",
    "ol",
    "ul",
    "li",
    "a",
    "main",
    "section",
    "h1",
    "h2",
    "h3",
    "h4",
    "p",
    "dl",
    "dt",
    "dd",
    "span",
    "bdi",
    "article",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "footer",
    "svg",
    "desc",
    "rect",
    "line",
    "text",
    "tspan",
    "g",
    "path",
    "circle",
    "polygon",
}

EVIL = [
    "<script>alert(1)</script>",
    "\"'><img src=x onerror=alert(2)>",
    "]]></svg></title></textarea><!-- -->",
    "&amp; &lt;b&gt; &#x3c;i>",
    "ctrl\x00\x01\x07\x08\x0b\x0c\x1b[31mred\x7f\x85\x9b end",
    "\u202eevil override\u202c \u2066iso\u2069",
    "שלום עולם مرحبا",
    "emoji 😀 👩‍👩‍👧 🇫🇷",
    "nonchar \ufffe \uffff \U0001fffe",
    "line one\nline two\r\nthree\u2028four",
    "javascript:alert(3)",
    "x" * 300,
]


class Doc(HTMLParser):
    """Collects tags, attributes, ids, classes and text; checks that elements nest."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment: {data!r}")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction: {data!r}")

    # helpers
    def all(self, tag: str | None = None, cls: str | None = None) -> list[dict[str, Any]]:
        out = []
        for t, a in self.tags:
            if tag is not None and t != tag:
                continue
            if cls is not None and cls not in (a.get("class") or "").split():
                continue
            out.append(a)
        return out

    @property
    def body_text(self) -> str:
        return "".join(self.text)


def parse(html_text: str) -> Doc:
    doc = Doc()
    doc.feed(html_text)
    doc.close()
    assert doc.problems == []
    assert doc.stack == [], f"unclosed: {doc.stack}"
    return doc


def hostile_session(evil: list[str] = EVIL) -> m.Session:
    def pick(i: int) -> str:
        return evil[i % len(evil)]

    return m.Session(
        session=m.SessionInfo(title=pick(0), facilitator=pick(1), journey="buying", date=dt.date(2025, 1, 2)),
        departments=[m.Department(id=f"d{i}", name=pick(i), role=pick(i + 1)) for i in range(3)],
        personas=[
            m.Persona(
                id=f"p{i}",
                name=pick(i + 2),
                description=pick(i + 3),
                goals=[pick(i)],
                needs=[pick(i + 1)],
                frustrations=[pick(i + 4)],
            )
            for i in range(3)
        ],
        stages=[
            m.Stage(
                id=f"s{i}",
                name=pick(i),
                customer_goal=pick(i + 5),
                touchpoints=[pick(i), pick(i + 1)],
                channels=[pick(i + 2)],
                owners=[f"d{i % 3}"],
                # p2 has no emotion at s1: points = stages × personas with emotion, minus the gap
                emotion={f"p{k}": (i + k) % 5 - 2 for k in range(3) if not (k == 2 and i == 1)},
            )
            for i in range(4)
        ],
        pains=[
            m.Pain(
                id=f"x{i}",
                stage=f"s{i % 4}",
                kind="gain" if i == 5 else "pain",
                text=pick(i),
                severity=i % 5 + 1,
                frequency=(i + 2) % 5 + 1,
                personas=[f"p{i % 3}"],
                caused_by=[f"q{i % 5}"],
            )
            for i in range(len(evil))
        ],
        processes=[
            m.Process(
                id=f"q{i}",
                stage=f"s{i % 4}",
                name=pick(i + 6),
                owner=f"d{i % 3}" if i != 4 else None,
                systems=[pick(i)],
                feeds=[f"q{(i + 1) % 5}"],
            )
            for i in range(5)
        ],
        solutions=[
            m.Solution(
                id=f"f{i}",
                text=pick(i),
                targets=[f"q{i % 5}"] if i != 6 else [],
                effort=i % 5 + 1,
                confidence=0.5,
                owner=f"d{i % 3}",
                votes=i,
            )
            for i in range(7)
        ],
    )


def render(session: m.Session) -> str:
    return export_html(session, scoring.rank(session))


# ---------------------------------------------------------------------------------------------
# Hostile text


def test_hostile_text_is_text_never_markup() -> None:
    session = hostile_session()
    out = render(session)
    doc = parse(out)

    tags = {t for t, _ in doc.tags}
    assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
    assert not doc.all("script") and not doc.all("img") and not doc.all("textarea") and not doc.all("link")
    assert len(doc.all("style")) == 1 and len(doc.all("svg", "chart")) == 2
    for tag, attrs in doc.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            assert name in {
                "class",
                "id",
                "href",
                "lang",
                "charset",
                "http-equiv",
                "content",
                "name",
                "style",
                "dir",
                "scope",
                "role",
                "tabindex",
                "aria-labelledby",
                "aria-label",
                "aria-hidden",
                "focusable",
                "viewbox",
                "xmlns",
                "width",
                "height",
                "x",
                "y",
                "x1",
                "x2",
                "y1",
                "y2",
                "dy",
                "cx",
                "cy",
                "r",
                "d",
                "points",
                "fill",
                "stroke",
                "stroke-width",
                "stroke-dasharray",
                "stroke-linejoin",
                "stroke-linecap",
                "text-anchor",
                "font-size",
                "font-weight",
                "transform",
                "data-persona",
                "data-stage",
                "data-value",
                "data-solution",
                "data-rank",
                "data-quadrant",
            }, (tag, name)
            if name == "href":
                assert value is not None and value.startswith("#"), value
            if name == "style":
                assert value is not None and re.fullmatch(r"(min-width:[\d.]+rem|width:[\d.]+em)", value), value

    body = doc.body_text
    # The script tag and the attribute breakout show up literally, as text.
    assert "<script>alert(1)</script>" in body
    assert "\"'><img src=x onerror=alert(2)>" in body
    assert "]]></svg></title></textarea><!-- -->" in body
    assert "&amp; &lt;b&gt; &#x3c;i>" in body  # entities typed by a user stay as typed
    assert "שלום עולם مرحبا" in body and "👩‍👩‍👧" in body and "🇫🇷" in body
    assert "javascript:alert(3)" in body and "x" * 300 in body
    # Controls become visible stand-ins, bidi overrides are removed (a balanced isolate stays, as
    # in every output: issue 24, item 3); nothing invalid reaches the file.
    assert "ctrl␀␁␇␈" in body and "␛[31mred␡" in body and "\\x85" in body and "\\x9b" in body
    assert "evil override \u2066iso\u2069" in body and "\\u202e" not in out
    assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\ufffe\uffff\U0001fffe]", out)
    assert "\ufffd" in body  # the noncharacters, replaced

    # The <title> of the document and the SVG titles carry the hostile title as text too.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; — journey map report</title>" in out


def test_sections_and_ids() -> None:
    session = hostile_session()
    doc = parse(render(session))
    ids = [a["id"] for _, a in doc.tags if "id" in a]
    assert len(ids) == len(set(ids)), "duplicate ids"
    for section in SECTIONS:
        assert section in ids
    assert "parking" not in ids  # no parking lot items: no section
    # Every internal link points at an id that exists.
    for a in doc.all("a"):
        assert a["href"][1:] in ids
    html_tag = doc.all("html")[0]
    assert html_tag["lang"] == "en"
    assert doc.all("meta")[0] == {"charset": "utf-8"}


def test_chart_markers_match_the_data() -> None:
    session = hostile_session()
    doc = parse(render(session))
    expected = sum(1 for st in session.stages for pe in session.personas if pe.id in st.emotion)
    assert expected == 4 * 3 - 1
    assert len(doc.all("g", "emotion-point")) == expected
    assert len(doc.all("g", "emotion-series")) == 3
    assert len(doc.all("g", "matrix-point")) == len(session.solutions)
    ranks = sorted(int(a["data-rank"]) for a in doc.all("g", "matrix-point"))
    assert ranks == list(range(1, len(session.solutions) + 1))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_have_everything(example: Path) -> None:
    session = store.load_session(example).session
    ranking = scoring.rank(session)
    out = export_html(session, ranking)
    doc = parse(out)
    ids = {a["id"] for _, a in doc.tags if "id" in a}
    assert set(SECTIONS) <= ids
    # The grid: one column header per stage, a row header per lane, a caption.
    heads = [a for a in doc.all("th") if a.get("id", "").startswith("stage-")]
    assert len(heads) == len(session.stages) and all(a["scope"] == "col" for a in heads)
    assert all(a.get("scope") in ("col", "row") for a in doc.all("th"))
    assert len(doc.all("caption")) == len(doc.all("table"))
    lanes = {a["class"] for a in doc.all("tr") if a.get("class", "").startswith("lane-")}
    assert lanes == {
        "lane-goal",
        "lane-touchpoints",
        "lane-emotion",
        "lane-pains",
        "lane-owners",
        "lane-processes",
        "lane-solutions",
    }
    # Every pain and gain is on the map, labelled with its severity in words (not colour alone).
    pains = doc.all("div", "pain")
    assert len(pains) == len(session.pains)
    for p in session.pains:
        if p.kind == "pain":
            assert f"severity {p.severity} (" in out
    # The charts: role="img", a title and a description, and a data table after them.
    for svg in doc.all("svg", "chart"):
        assert svg["role"] == "img" and len(svg["aria-labelledby"].split()) == 2
    expected = sum(1 for st in session.stages for pe in session.personas if pe.id in st.emotion)
    assert len(doc.all("g", "emotion-point")) == expected
    assert len(doc.all("g", "matrix-point")) == len(session.solutions)
    assert len(doc.all("text", "quadrant-label")) == 4
    assert doc.all("table", "emotion-data") and doc.all("table", "matrix-data")
    # Quick wins: every solution ranked, each with its breakdown of reached pains.
    assert len(doc.all("article", "why")) == len(ranking.solutions)
    assert len(doc.all("table", "reached")) == sum(1 for s in ranking.solutions if s.reached)

    # Root causes, friction and the emotion table: one row (with its row header) per process or stage.
    def rows_of(section: str) -> int:
        part = out[out.index(f'<section id="{section}"') :]
        return part[: part.index("</section>")].count('<th scope="row"')

    assert rows_of("root-causes") == len(session.processes)
    assert rows_of("friction") == len(session.stages)
    assert rows_of("emotion") == len(session.stages)
    # Self-contained: nothing to fetch, nothing to run.
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", out)
    assert "<script" not in out and "<link" not in out and "@import" not in out and "url(" not in out
    assert "default-src 'none'" in doc.all("meta")[1]["content"]


def test_print_stylesheet() -> None:
    out = render(hostile_session())
    css = out[out.index("<style>") : out.index("</style>")]
    assert "@page{size:landscape" in css
    assert "@media print" in css
    assert "thead{display:table-header-group}" in css
    assert "break-inside:avoid" in css
    assert "overflow-wrap:anywhere" in css


def test_persona_ranking_is_named_in_the_header() -> None:
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    out = export_html(session, scoring.rank(session, "procurement"))
    assert "Ranked for persona</dt><dd><bdi>Procurement officer</bdi>" in out


def test_empty_session() -> None:
    doc = parse(render(m.Session()))
    ids = {a["id"] for _, a in doc.tags if "id" in a}
    assert set(SECTIONS) <= ids
    assert not doc.all("svg", "chart")
    assert "No stages yet." in doc.body_text and "No solutions yet." in doc.body_text


def test_text_helper() -> None:
    assert text("<a href=\"x\">'&'</a>") == "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;"
    assert clean("a\x1bb\nc") == "a␛b / c"  # no ⏎ glyph in a report (issue 24, item 12)
    assert clean("a \r\n\n b\u2028c") == "a / b / c"
    assert clean("a\nb", multiline=True) == "a\nb"
    assert clean("\ufdd0\U0010ffff") == "\ufffd\ufffd"


# ---------------------------------------------------------------------------------------------
# Parking lot


def _with_parking(session: m.Session, *items: m.ParkingItem) -> m.Session:
    return session.model_copy(update={"parking": list(items)})


def test_open_parking_items_are_listed() -> None:
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    session = _with_parking(
        session,
        m.ParkingItem(id="a", text="<b>Ask finance</b> about credit limits", stage="order-confirmation"),
        m.ParkingItem(id="b", text="closed one", status="closed"),
        m.ParkingItem(id="c", text="converted one", status="converted"),
        m.ParkingItem(id="d", text="no stage, still open"),
    )
    out = export_html(session, scoring.rank(session))
    doc = parse(out)
    assert any(a.get("id") == "parking" for _, a in doc.tags)
    section = out[out.index('<section id="parking"') :]
    section = section[: section.index("</section>")]
    assert "&lt;b&gt;Ask finance&lt;/b&gt; about credit limits" in section
    assert "Order confirmation" in section and "no stage, still open" in section
    assert "closed one" not in section and "converted one" not in section
    assert '<a href="#parking">' in out


def test_parking_lot_of_the_model() -> None:
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    item = m.ParkingItem
    session = session.model_copy(
        update={
            "parking": [
                item(id="a", text="Open question about <returns>", stage="returns"),
                item(id="b", text="Closed question", status="closed"),
            ]
        }
    )
    out = export_html(session, scoring.rank(session))
    parse(out)
    section = out[out.index('<section id="parking"') :]
    assert "Open question about &lt;returns&gt;" in section and "Returns &amp; reorder" in section
    assert "Closed question" not in section


def test_no_open_parking_items_no_section() -> None:
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    session = _with_parking(session, m.ParkingItem(id="b", text="done", status="closed"))
    out = export_html(session, scoring.rank(session))
    assert 'id="parking"' not in out and "#parking" not in out


# ---------------------------------------------------------------------------------------------
# Stage friction


def test_stage_friction_of_the_example() -> None:
    session = store.load_session(REPO / "sessions" / "online-ordering.toml").session
    figures = {f.stage: f for f in stage_friction(session)}
    assert list(figures) == [s.id for s in session.stages]
    f = figures["order-confirmation"]
    assert (f.pains, f.pain_weight) == (2, 5 * 2 + 3 * 4)
    assert f.department_ids == ("order-mgmt", "finance", "it")
    assert f.handoff_links == (
        ("order-entry", "credit-check"),
        ("order-entry", "fulfilment"),
        ("order-entry", "call-handling"),
        ("credit-check", "fulfilment"),  # credit-check → invoicing stays within finance
        ("confirmation-email", "call-handling"),
    )
    assert (f.departments, f.handoffs) == (3, 5)
    g = figures["find-product"]  # one gain there: not counted
    assert (g.pains, g.pain_weight) == (3, 25 + 12 + 12)


def test_stage_friction_rules() -> None:
    session = m.Session(
        departments=[m.Department(id="a", name="A"), m.Department(id="b", name="B")],
        stages=[m.Stage(id="s", name="S", owners=["b"]), m.Stage(id="t", name="T")],
        pains=[
            m.Pain(id="p1", stage="s", text="x", severity=5, frequency=4),
            m.Pain(id="g1", stage="s", kind="gain", text="y", severity=5, frequency=5),
        ],
        processes=[
            m.Process(id="q1", stage="s", name="Q1", owner="a", feeds=["q2", "q3", "q4"]),
            m.Process(id="q2", stage="s", name="Q2", owner="a"),  # same department: no handoff
            m.Process(id="q3", stage="t", name="Q3", owner="b"),  # another stage, another department
            m.Process(id="q4", stage="t", name="Q4"),  # unowned target: crosses no known line
            m.Process(id="q5", stage="t", name="Q5", feeds=["q1", "q4"]),  # unowned source → A: crosses
        ],
    )
    s, t = stage_friction(session)
    assert isinstance(s, StageFriction)
    assert (s.stage, s.pains, s.pain_weight, s.department_ids, s.handoff_links) == (
        "s",
        1,
        20,
        ("b", "a"),
        (("q1", "q3"),),
    )
    assert (s.departments, s.handoffs) == (2, 1)
    assert (t.stage, t.pains, t.pain_weight, t.department_ids, t.handoff_links) == ("t", 0, 0, ("b",), (("q5", "q1"),))
    assert stage_friction(m.Session()) == []


def test_stage_friction_for_a_persona() -> None:
    session = m.Session(
        personas=[m.Persona(id="a", name="A"), m.Persona(id="b", name="B")],
        stages=[m.Stage(id="s", name="S")],
        pains=[
            m.Pain(id="p1", stage="s", text="x", severity=5, frequency=4, personas=["a"]),
            m.Pain(id="p2", stage="s", text="y", severity=2, frequency=2, personas=["b"]),
            m.Pain(id="p3", stage="s", text="z", severity=1, frequency=3),  # names no persona: everyone's
        ],
    )
    assert [(f.pains, f.pain_weight) for f in stage_friction(session)] == [(3, 27)]
    assert [(f.pains, f.pain_weight) for f in stage_friction(session, "a")] == [(2, 23)]
    assert [(f.pains, f.pain_weight) for f in stage_friction(session, "b")] == [(2, 7)]


def test_cli_export_html(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.html"
    code = cli.main(["export", str(REPO / "sessions" / "online-ordering.toml"), "--format", "html", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    written = out.read_text(encoding="utf-8")
    assert written.startswith("<!DOCTYPE html>") and written.endswith("</html>\n")
    parse(written)


def test_cli_export_html_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evil.toml"
    store.save_session(path, hostile_session(EVIL[:3]))
    code = cli.main(["export", str(path), "--format", "html", "--persona", "p1"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    doc = parse(captured.out)
    assert not doc.all("script")
    assert "<script>alert(1)</script>" in doc.body_text


def test_line_breaks_in_the_report_are_never_a_glyph() -> None:
    """A multi-line note reads "first / second" in every single-line place of the report, and no
    ``⏎`` (the terminal's stand-in) is printed anywhere (issue 24, item 12)."""
    from cjmtui.core import edit

    s = m.Session(session=m.SessionInfo(title="Two\nlines"))
    s, stage = edit.add_item(s, "stages", {"name": "Order\nonline"}, actor=None)
    s, process = edit.add_item(s, "processes", {"stage": stage.id, "name": "Take\r\nthe order"}, actor=None)
    s, _ = edit.add_item(
        s, "pains", {"stage": stage.id, "text": "first\nsecond", "caused_by": [process.id]}, actor=None
    )
    s, _ = edit.add_item(s, "solutions", {"text": "fix\nit", "targets": [process.id]}, actor=None)
    out = render(s)
    assert "⏎" not in out
    assert "Order / online" in out and "fix / it" in out
