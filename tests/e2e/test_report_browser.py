"""The HTML report in a real browser: headless Chromium, driven over the DevTools protocol.

One Chromium per module, spoken to over ``--remote-debugging-pipe`` (fd 3 in, fd 4 out,
NUL-terminated JSON) with the standard library only. For each bundled example the report must
load with no console error, no exception and no network request besides the file itself, draw
the expected number of chart markers, and produce a screenshot and a PDF print (kept in
``tmp_path``, never in the repository).

Chromium comes from Debian's ``chromium`` package (``/usr/bin/chromium``); ``CJMTUI_CHROMIUM``
names another binary. Without a browser the tests skip, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from cjmtui.core import model as m
from cjmtui.core import scoring, store
from cjmtui.core.export.html import export_html
from support.needs import need

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((REPO / "sessions").glob("*.toml"))
TIMEOUT = 30.0


def _above_9(fd: int) -> int:
    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class CDP:
    """A tiny Chrome DevTools Protocol client over the debugging pipe."""

    def __init__(self, exe: str, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # Move the child's ends above fd 9, so putting them on fds 3 and 4 cannot clobber them.
        to_child_r, from_child_w = _above_9(to_child_r), _above_9(from_child_w)
        args = [
            exe,
            "--headless",
            "--remote-debugging-pipe",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            f"--user-data-dir={profile}",
            "about:blank",
        ]
        # The browser reads commands on fd 3 and writes replies on fd 4.
        script = f'exec "$@" 3<&{to_child_r} 4>&{from_child_w} {to_child_r}<&- {from_child_w}>&-'
        self.proc = subprocess.Popen(
            [shutil.which("bash") or "/bin/bash", "-c", script, "bash", *args],
            pass_fds=(to_child_r, from_child_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(to_child_r)
        os.close(from_child_w)
        self._next = 0
        self._inbox: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.events: list[dict[str, Any]] = []
        self._stderr: list[bytes] = []
        threading.Thread(target=self._read, daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_child, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                self._inbox.put(None)
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                self._inbox.put(json.loads(raw))

    def _drain_stderr(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._stderr.append(line)

    @property
    def stderr(self) -> str:
        return b"".join(self._stderr).decode("utf-8", "replace")

    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("Chromium did not answer in time")
        try:
            msg = self._inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError("Chromium did not answer in time") from None
        if msg is None:
            raise RuntimeError(f"Chromium closed the pipe; its stderr:\n{self.stderr[-3000:]}")
        return msg

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session is not None:
            msg["sessionId"] = session
        os.write(self._to_child, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._receive(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method: str, session: str) -> dict[str, Any]:
        for ev in self.events:
            if ev.get("method") == method and ev.get("sessionId") == session:
                return ev
        deadline = time.monotonic() + TIMEOUT
        while True:
            msg = self._receive(deadline)
            if "method" in msg:
                self.events.append(msg)
                if msg["method"] == method and msg.get("sessionId") == session:
                    return msg

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        for fd in (self._to_child, self._from_child):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    exe = need("chromium")
    cdp = CDP(exe, tmp_path_factory.mktemp("chromium-profile"))
    try:
        cdp.send("Browser.getVersion")
    except Exception:
        cdp.close()
        raise
    yield cdp
    cdp.close()


class Page:
    """One tab with the runtime, log, network and page domains on; records what happens."""

    def __init__(self, cdp: CDP) -> None:
        self.cdp = cdp
        self.target = cdp.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = cdp.send("Target.attachToTarget", {"targetId": self.target, "flatten": True})["sessionId"]
        self.mark = len(cdp.events)
        for domain in ("Runtime", "Log", "Network", "Page"):
            self.call(f"{domain}.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1400, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.cdp.send(method, params, self.session)

    def open(self, url: str) -> None:
        self.mark = len(self.cdp.events)
        self.call("Page.navigate", {"url": url})
        self.cdp.wait_for("Page.loadEventFired", self.session)
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            raise AssertionError(f"evaluate failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def events(self, *methods: str) -> list[dict[str, Any]]:
        return [
            ev
            for ev in self.cdp.events[self.mark :]
            if ev.get("sessionId") == self.session and ev.get("method") in methods
        ]

    def console_errors(self) -> list[str]:
        errors = []
        for ev in self.events("Runtime.consoleAPICalled"):
            if ev["params"]["type"] in ("error", "assert"):
                errors.append(json.dumps(ev["params"]["args"])[:500])
        for ev in self.events("Runtime.exceptionThrown"):
            details = ev["params"]["exceptionDetails"]
            errors.append(str(details.get("exception", {}).get("description") or details.get("text"))[:500])
        for ev in self.events("Log.entryAdded"):
            entry = ev["params"]["entry"]
            if entry["level"] == "error":
                errors.append(f"{entry['source']}: {entry['text']} {entry.get('url', '')}")
        return errors

    def requests(self) -> list[str]:
        return [ev["params"]["request"]["url"] for ev in self.events("Network.requestWillBeSent")]

    def close(self) -> None:
        self.cdp.send("Target.closeTarget", {"targetId": self.target})


def _render(tmp_path: Path, session: m.Session, name: str = "report") -> Path:
    path = tmp_path / f"{name}.html"
    path.write_text(export_html(session, scoring.rank(session)), encoding="utf-8")
    return path


def _no_external_references(html_text: str) -> None:
    assert not re.search(r"""(?:src|href|xlink:href)\s*=\s*["']?\s*(?:https?:)?//""", html_text, re.I)
    assert not re.search(r"url\(\s*['\"]?\s*(?:https?:)?//", html_text, re.I)
    assert not re.search(r"@import", html_text, re.I)
    assert not re.search(r"<link\b", html_text, re.I)
    assert not re.search(r"<script\b", html_text, re.I)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_report_in_chromium(browser: CDP, tmp_path: Path, example: Path) -> None:
    session = store.load_session(example).session
    report = _render(tmp_path, session, example.stem)
    _no_external_references(report.read_text(encoding="utf-8"))

    page = Page(browser)
    try:
        page.open(report.as_uri())
        counts = page.evaluate(
            """({
              emotion: document.querySelectorAll('#emotion svg .emotion-point').length,
              series: document.querySelectorAll('#emotion svg .emotion-series').length,
              matrix: document.querySelectorAll('#matrix svg .matrix-point').length,
              quadrants: document.querySelectorAll('#matrix svg .quadrant-label').length,
              stages: document.querySelectorAll('#map thead th[id^="stage-"]').length,
              sections: [...document.querySelectorAll('main > section[id], body header[id]')].map(e => e.id),
              scripts: document.scripts.length,
              resources: performance.getEntriesByType('resource').length,
              title: document.title,
              width: document.documentElement.scrollWidth,
              overflowing: [...document.querySelectorAll('td, th, p, li')]
                 .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible'
                          && !e.closest('.map-scroll')).length,
            })"""
        )
        expected_points = sum(1 for st in session.stages for pe in session.personas if pe.id in st.emotion)
        personas_with_emotion = sum(1 for pe in session.personas if any(pe.id in st.emotion for st in session.stages))
        assert counts["emotion"] == expected_points > 0
        assert counts["series"] == personas_with_emotion
        assert counts["matrix"] == len(session.solutions) > 0
        assert counts["quadrants"] == 4
        assert counts["stages"] == len(session.stages)
        for section in ("session", "personas", "map", "emotion", "matrix", "quick-wins", "root-causes", "friction"):
            assert section in counts["sections"]
        assert counts["scripts"] == 0
        assert counts["resources"] == 0
        assert counts["width"] <= 1400, "the page scrolls sideways at 1400 px"
        assert counts["overflowing"] == 0

        shot = base64.b64decode(page.call("Page.captureScreenshot", {"format": "png"})["data"])
        png = tmp_path / f"{example.stem}.png"
        png.write_bytes(shot)
        assert shot.startswith(b"\x89PNG\r\n\x1a\n") and len(shot) > 10_000

        pdf = base64.b64decode(
            page.call(
                "Page.printToPDF",
                {
                    "printBackground": True,
                    "preferCSSPageSize": True,
                    "displayHeaderFooter": False,
                },
            )["data"]
        )
        out = tmp_path / f"{example.stem}.pdf"
        out.write_bytes(pdf)
        assert pdf.startswith(b"%PDF-")
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert pages >= 3, f"{pages} PDF pages"
        # Landscape: every page's media box is wider than tall.
        boxes = [tuple(float(v) for v in b) for b in re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)]
        assert boxes and all(w > h for w, h in boxes), boxes

        assert page.console_errors() == []
        others = [u for u in page.requests() if u != report.as_uri()]
        assert others == [], f"network requests: {others}"
    finally:
        page.close()


def test_hostile_report_runs_nothing(browser: CDP, tmp_path: Path) -> None:
    evil = "<script>alert(1)</script>\"'><img src=x onerror=alert(2)></svg></title>]]>"
    session = m.Session(
        session=m.SessionInfo(title=evil, facilitator=evil),
        departments=[m.Department(id="d", name=evil)],
        personas=[m.Persona(id="p", name=evil, description=evil)],
        stages=[
            m.Stage(id="s", name=evil, touchpoints=[evil], owners=["d"], emotion={"p": -1}),
            m.Stage(id="t", name="\u202eRTL \u05e9\u05dc\u05d5\u05dd \U0001f600", emotion={"p": 1}),
        ],
        pains=[m.Pain(id="x", stage="s", text=evil, caused_by=["q"])],
        processes=[m.Process(id="q", stage="s", name=evil, owner="d", systems=[evil])],
        solutions=[m.Solution(id="f", text=evil, targets=["q"])],
    )
    report = _render(tmp_path, session)
    page = Page(browser)
    try:
        page.open(report.as_uri())
        found = page.evaluate(
            """({scripts: document.scripts.length, imgs: document.images.length,
                 text: document.body.innerText.includes('<script>alert(1)</script>'),
                 points: document.querySelectorAll('#emotion svg .emotion-point').length,
                 markers: document.querySelectorAll('#matrix svg .matrix-point').length})"""
        )
        assert found == {"scripts": 0, "imgs": 0, "text": True, "points": 2, "markers": 1}
        assert page.events("Page.javascriptDialogOpening") == []
        assert page.console_errors() == []
        assert [u for u in page.requests() if u != report.as_uri()] == []
    finally:
        page.close()


def test_the_checks_see_errors_and_requests(browser: CDP, tmp_path: Path) -> None:
    """The harness is not blind: a script error and an outside request are both reported."""
    page_path = tmp_path / "bad.html"
    page_path.write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head><body>'
        '<img src="http://127.0.0.1:9/x.png" alt=""><script>console.error("boom"); missing();</script></body></html>',
        encoding="utf-8",
    )
    page = Page(browser)
    try:
        page.open(page_path.as_uri())
        errors = page.console_errors()
        assert any("boom" in e for e in errors) and any("missing" in e for e in errors)
        assert "http://127.0.0.1:9/x.png" in page.requests()
    finally:
        page.close()


# ---------------------------------------------------------------------------------------------
# Accessibility: axe-core, the engine browsers' own accessibility checkers use


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_report_has_no_serious_accessibility_violation(browser: CDP, tmp_path: Path, example: Path) -> None:
    """Issue 14: axe reported ``scrollable-region-focusable`` (serious) on the map's scrolling
    region, and could not decide the colour contrast of 105 nodes. The report's CSP forbids
    scripts, so axe is injected through the DevTools protocol; screen and print styles both;
    every HTML text's contrast decided (a window wide enough that the map clips nothing) and
    every SVG text's measured against what is drawn under it."""
    axe = Path(need("axe-core"))  # axe.min.js
    session = store.load_session(example).session
    report = _render(tmp_path, session, example.stem)
    page = Page(browser)
    try:
        # A narrow window, where the journey map scrolls sideways inside its region.
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 800, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )
        page.open(report.as_uri())
        page.evaluate(axe.read_text(encoding="utf-8") + "\n;true")
        for media in ("screen", "print"):
            page.call("Emulation.setEmulatedMedia", {"media": media})
            results = page.evaluate(AXE_RUN)
            assert results["violations"] == [], f"{media}: {results['violations']}"
        # Wide enough that nothing is clipped by the map's scrolling, so axe can decide every
        # HTML text's contrast; what it still cannot decide is SVG text (its background is
        # drawn, not styled) and decorative glyphs, which are checked below.
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 3000, "height": 1400, "deviceScaleFactor": 1, "mobile": False},
        )
        for media in ("screen", "print"):
            page.call("Emulation.setEmulatedMedia", {"media": media})
            results = page.evaluate(AXE_RUN)
            assert results["violations"] == [], f"{media}, wide: {results['violations']}"
            undecided = {why for why in results["undecided"] if why.split(" ", 1)[0] not in AXE_CANNOT}
            assert undecided == set(), f"{media}: axe could not decide the contrast of {sorted(undecided)[:10]}"
            low = page.evaluate(SVG_CONTRAST)
            assert low == [], f"{media}: SVG text below WCAG AA contrast: {low}"
    finally:
        page.close()


# What axe leaves undecided by design: text in SVG (drawn over shapes: "imgNode", "bgOverlap"),
# one- or two-character labels ("shortTextContent") and symbol glyphs ("nonBmp", the decorative
# aria-hidden pips). The SVG text is measured by SVG_CONTRAST instead.
AXE_CANNOT = {"imgNode", "bgOverlap", "shortTextContent", "nonBmp"}
AXE_RUN = (
    "axe.run(document, {resultTypes: ['violations', 'incomplete']}).then(r => ({"
    " violations: r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
    "   .map(v => v.id + ': ' + v.nodes.length + ' ' + v.nodes.slice(0, 2).map(n => n.target).join(' ')),"
    " undecided: (r.incomplete.find(i => i.id === 'color-contrast') || {nodes: []}).nodes"
    "   .map(n => ((n.any[0] && n.any[0].data && n.any[0].data.messageKey) || '?') + ' ' + n.target.join(' '))"
    "}))"
)
# WCAG 2 contrast of every SVG text against what is drawn under it (svg_contrast.js).
SVG_CONTRAST = (Path(__file__).with_name("svg_contrast.js")).read_text(encoding="utf-8")


def test_table_headings_never_break_inside_a_word(browser: CDP, tmp_path: Path) -> None:
    """Issue 10: in a narrow window the report's headings broke mid-word ("Quadran t", "Statu s")."""
    session = store.load_session(EXAMPLES[0]).session
    report = _render(tmp_path, session)
    page = Page(browser)
    try:
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": 700, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
        )
        page.open(report.as_uri())
        broken = page.evaluate(
            """[...document.querySelectorAll('thead th')].flatMap(th => {
                 const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
                 const out = [];
                 for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                   for (const m of node.textContent.matchAll(/[^\\s\\-]+/g)) {
                     const range = document.createRange();
                     range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                     const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                     if (tops.size > 1) out.push(m[0]);
                   }
                 }
                 return out;
               })"""
        )
        assert broken == [], f"headings broken inside a word: {broken}"
    finally:
        page.close()


def test_rollup_page_in_chromium(browser: CDP, tmp_path: Path) -> None:
    """``cjmtui rollup --format html`` of the bundled workshops: loads with no error, no request, no
    script; the recurring root causes are marked; a hostile process name shows as typed."""
    from cjmtui.core import rollup
    from cjmtui.core.export.rollup import rollup_text

    result = rollup.rollup_files([str(p) for p in EXAMPLES])
    hostile = store.load_session(EXAMPLES[0]).session
    hostile = hostile.model_copy(
        update={"processes": [p.model_copy(update={"name": "<script>alert(1)</script>"}) for p in hostile.processes]}
    )
    pages = {
        "bundled": rollup_text("html", result),
        "hostile": rollup_text("html", rollup.rollup_sessions([("evil.toml", hostile)])),
    }
    for name, text in pages.items():
        _no_external_references(text)
        path = tmp_path / f"rollup-{name}.html"
        path.write_text(text, encoding="utf-8")
        page = Page(browser)
        try:
            page.open(path.as_uri())
            seen = page.evaluate(
                """({
                  sections: [...document.querySelectorAll('main > section[id]')].map(e => e.id),
                  recurring: document.querySelectorAll('#root-causes tr.recurring').length,
                  rows: document.querySelectorAll('#root-causes tbody tr').length,
                  first: document.querySelector('#root-causes tbody tr td:nth-child(2)').textContent,
                  scripts: document.scripts.length,
                  width: document.documentElement.scrollWidth,
                })"""
            )
            assert page.console_errors() == []
            assert page.requests() == [path.as_uri()]
            assert seen["sections"] == ["workshops", "root-causes", "matches"]
            assert seen["scripts"] == 0 and seen["width"] <= 1400
            if name == "bundled":
                assert seen["rows"] == len(result.root_causes)
                assert seen["recurring"] == sum(c.workshops > 1 for c in result.root_causes) >= 2
                assert seen["first"] == result.root_causes[0].name
            else:
                assert seen["first"] == "<script>alert(1)</script>"
        finally:
            page.close()
