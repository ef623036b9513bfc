"""The Markdown exports and the GitHub issue bodies in GitHub's own renderer (cmark-gfm with
GitHub's extensions): user text never becomes a link, an image, emphasis or HTML, and every
table row keeps its cells.

Skipped when ``cmark-gfm`` is missing, unless ``CI`` is set (``.ci/run`` installs it).
"""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cjmtui.core import edit, export, scoring, store
from cjmtui.core import model as m
from cjmtui.core.export.trackers import github_issues
from cjmtui.core.future import compare, derive_future
from support.needs import need, needs

pytestmark = [pytest.mark.e2e, needs("cmark-gfm")]

HOSTILE = [
    "see http://evil.example/x now",
    "www.evil.example",
    "write to boss@evil.example",
    "mailto:a@b.example",
    '=HYPERLINK("http://x","y")',
    "<b>bold</b> <img src=x onerror=alert(1)> <script>alert(2)</script>",
    "*EMA* _EMB_ **STA** __STB__ ~~DEL~~ `CODE`",
    "[click](http://x) ![pic](http://y/p.png) <http://z>",
    "| a | b | c |",
    "# heading",
    "- list",
    "1. numbered",
    "a\\|b\\",
    "two\nlines\r\nhere",
]


def _session() -> m.Session:
    s = m.Session(session=m.SessionInfo(title=HOSTILE[7], facilitator=HOSTILE[2]))
    s, _ = edit.add_item(s, "personas", {"id": "p", "name": HOSTILE[0], "goals": [HOSTILE[6]]}, actor=None)
    s, _ = edit.add_item(s, "departments", {"id": "d", "name": HOSTILE[1], "role": HOSTILE[3]}, actor=None)
    for i, text in enumerate(HOSTILE):
        s, _ = edit.add_item(
            s, "stages", {"id": f"s{i}", "name": text, "owners": ["d"], "emotion": {"p": -1}}, actor=None
        )
        s, _ = edit.add_item(
            s, "processes", {"id": f"r{i}", "stage": f"s{i}", "name": text[:200], "owner": "d"}, actor=None
        )
        s, _ = edit.add_item(
            s, "pains", {"id": f"x{i}", "stage": f"s{i}", "text": text, "caused_by": [f"r{i}"]}, actor=None
        )
        s, _ = edit.add_item(
            s, "solutions", {"id": f"f{i}", "text": text, "targets": [f"r{i}"], "status": "done"}, actor=None
        )
        s, _ = edit.add_item(s, "parking", {"id": f"k{i}", "text": text, "stage": f"s{i}"}, actor=None)
    return s


def _outputs(tmp_path: Path) -> dict[str, str]:
    s = _session()
    ranking = scoring.rank(s)
    current = tmp_path / "current.toml"
    store.save_session(current, s)
    future = edit.delete_item(derive_future(s, current), "pains", "x0", actor=None)
    issues = {f"github issue {i}": issue["body"] for i, issue in enumerate(github_issues(s, ranking))}
    assert issues, "the hostile session has fixes to track"
    return {
        **issues,
        "export": export.export_markdown(s, ranking),
        "rank (and the clipboard)": export.ranking_markdown(ranking, s),
        "friction": export.friction_markdown(s),
        "validation": str(export.export_text("validation", s, ranking)),
        "compare": export.comparison_markdown(s, future, compare(s, future), "current.toml", "future.toml"),
        "review": _review(s, future),
    }


def _review(s: m.Session, later: m.Session) -> str:
    import datetime as dt

    from cjmtui.core.export.review import review_markdown
    from cjmtui.core.review import review

    for i, text in enumerate(HOSTILE[:3]):  # overdue and due for review, besides the done fixes
        fields = {"id": f"late{i}", "text": text, "due": "2026-01-01", "review": "2026-01-01"}
        s, _ = edit.add_item(s, "solutions", fields, actor=None)
    # As of today: the done fixes were added done today, so their history says so.
    result = review(s, dt.date.today(), later=later)
    assert result.overdue and result.due_for_review and result.done_since
    return review_markdown(s, result)


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.rows: list[list[int]] = []  # per table: cells per row
        self.cells = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "table":
            self.rows.append([])
        elif tag == "tr":
            self.cells = 0
        elif tag in ("td", "th"):
            self.cells += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "tr":
            self.rows[-1].append(self.cells)


def test_every_markdown_output_renders_user_text_as_text_on_github(tmp_path: Path) -> None:
    cmark = need("cmark-gfm")
    for name, markdown in _outputs(tmp_path).items():
        rendered = subprocess.run(
            [cmark, "-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter"],
            input=markdown,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
        doc = _Html()
        doc.feed(rendered)
        made = set(doc.tags)
        assert not made & {"a", "img", "script", "b", "code", "del", "h1", "ul", "ol"} - _ours(name), (name, made)
        for marker in ("EMA", "EMB", "STA", "STB"):
            assert not re.search(rf"<(em|strong)>{marker}</\1>", rendered), (name, marker)
        assert "&lt;script&gt;" in rendered or "script" not in markdown, name
        assert rendered.count("<h1>") == (1 if "h1" in _ours(name) else 0), f"{name}: a heading from user text"
        for table in doc.rows:
            assert len(set(table)) == 1, f"{name}: rows with different numbers of cells: {table}"


def _ours(name: str) -> set[str]:
    """Elements the exports make themselves (headings, bullet lists), never from user text."""
    if name.startswith("github issue"):
        return {"ul"}  # the list of pains it removes
    if name == "review":
        return {"h1"}
    return {"h1", "ul"} if name in ("export", "compare", "validation") else set()
