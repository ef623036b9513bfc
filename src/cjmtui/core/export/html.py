"""The journey map report: one self-contained HTML file that people read, share and print.

:func:`export_html` returns the whole report as text: the session header, the personas, the
journey map grid (stages as columns, one lane per kind of item), the emotion curve per persona
and the impact/effort matrix (inline SVG, each with a data table as its text equivalent), the
ranked quick wins with why, the ranked root-cause processes, per-stage friction figures
(:func:`stage_friction`) and the open parking-lot items when the session has any.

The file needs nothing else to be read: no network request, no font, no script (a
Content-Security-Policy forbids them all, so even a mistake here could not load or run
anything). The inline stylesheet lays the page out for a screen and for print: landscape
pages, the map split into whole rows with its header repeated on every page, long words
wrapped instead of cut off.

User text is untrusted (anyone in the room typed it, or it came in a session file someone
sent): every piece goes through :func:`text`, which makes control characters visible
(:func:`cjmtui.core.safety.printable`), replaces characters HTML does not allow, and escapes
``& < > " '`` — in element content, attributes and SVG ``<title>``/``<text>`` alike.

Pure functions, no I/O; no textual.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any

from ... import __version__
from ..friction import StageFriction, stage_friction
from ..model import Process, Session, Stage
from ..safety import printable
from ..scoring import FILL_IN, MAJOR_PROJECT, QUICK_WIN, THANKLESS, RankedSolution, Ranking, Reached
from ..vocab import fmt_number

__all__ = ["StageFriction", "export_html", "stage_friction", "text"]

# ---------------------------------------------------------------------------------------------
# Escaping

# Characters HTML does not allow in a document (noncharacters); controls are made visible first.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef" + "".join(f"{chr((plane << 16) | 0xFFFE)}{chr((plane << 16) | 0xFFFF)}" for plane in range(17)) + "]"
)


def clean(value: object, *, multiline: bool = False) -> str:
    """User text made safe to put in an HTML document (not yet escaped).

    Control characters and bidi overrides become visible stand-ins (:func:`printable`);
    noncharacters and lone surrogates become U+FFFD. Line breaks are kept when ``multiline``,
    shown as ``⏎`` otherwise.
    """
    s = printable("" if value is None else str(value), single_line=not multiline)
    return _NONCHARACTERS.sub("\ufffd", s)


def text(value: object, *, multiline: bool = False) -> str:
    """User text as HTML (element content or a quoted attribute value): cleaned and escaped."""
    return html.escape(clean(value, multiline=multiline), quote=True)


_t = text


def _bdi(value: object) -> str:
    """Inline user text, isolated so right-to-left text cannot reorder what surrounds it."""
    return f"<bdi>{_t(value)}</bdi>"


def _a(value: object) -> str:
    """An attribute value (ids, numbers, class names we made): escaped all the same."""
    return html.escape(str(value), quote=True)


def _n(value: float) -> str:
    """A coordinate for SVG."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


# ---------------------------------------------------------------------------------------------
# Words and colours

SEVERITY_WORDS = {1: "minor", 2: "low", 3: "moderate", 4: "high", 5: "severe"}
EMOTION_WORDS = {-2: "very negative", -1: "negative", 0: "neutral", 1: "positive", 2: "very positive"}
QUADRANT_LABELS = {
    QUICK_WIN: "Quick wins",
    MAJOR_PROJECT: "Major projects",
    FILL_IN: "Fill-ins",
    THANKLESS: "Thankless tasks",
}
QUADRANT_CLASS = {QUICK_WIN: "q-win", MAJOR_PROJECT: "q-major", FILL_IN: "q-fill", THANKLESS: "q-thankless"}
QUADRANT_COLOUR = {QUICK_WIN: "#17703a", MAJOR_PROJECT: "#1f5a9e", FILL_IN: "#5b6472", THANKLESS: "#a3261c"}
# Persona series: colour, marker shape and dash pattern, so no series is told apart by colour alone.
PERSONA_COLOURS = ("#1f5a9e", "#b3261e", "#17703a", "#7a3c9e", "#9a5700", "#0d6b73", "#4b5563", "#a0306e")
PERSONA_SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "ring")
PERSONA_DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 5")

MAX_MAP_COLUMNS = 8  # stages per map table; a longer journey is split into balanced parts


DOT = " \u00b7 "


def _signed(value: int) -> str:
    return f"+{value}" if value > 0 else ("\u2212" + str(-value) if value < 0 else "0")


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


# ---------------------------------------------------------------------------------------------
# Stylesheet

CSS = """
:root{--ink:#1b2230;--muted:#465062;--line:#cfd5de;--soft:#f3f5f8;--head:#e8ecf2;--accent:#1f5a9e}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;color-scheme:light}
body{margin:0;background:#fff;color:var(--ink);
 font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans","DejaVu Sans",Arial,sans-serif}
.page{max-width:1600px;margin:0 auto;padding:28px 36px 48px}
h1{font-size:1.95rem;line-height:1.2;margin:.1rem 0 .3rem}
h2{font-size:1.35rem;line-height:1.25;margin:2.4rem 0 .7rem;padding-bottom:.3rem;border-bottom:2px solid var(--ink)}
h3{font-size:1.05rem;margin:1.2rem 0 .35rem}
h1,h2,h3,h4,p,li,dd,dt,th,td,caption,figcaption,text,.card,.item{overflow-wrap:anywhere}
p{margin:.3rem 0 .6rem}
a{color:var(--accent)}
.kicker{margin:0;color:var(--muted);font-size:.8rem;font-weight:600;letter-spacing:.08em;text-transform:uppercase}
.lead{color:var(--muted);max-width:75ch}
.note{color:var(--muted);font-size:.88rem}
.meta{color:var(--muted);font-size:.9em}
.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem 1.2rem;margin:1rem 0 0;padding:.8rem 1rem;
 background:var(--soft);border:1px solid var(--line);border-radius:6px}
.facts div{min-width:0}
.facts dt{font-size:.72rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.facts dd{margin:0;font-weight:600}
nav.toc{margin:1rem 0 0;font-size:.9rem}
nav.toc ol{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;margin:0;padding:0;list-style:none}
table{border-collapse:collapse;width:100%;margin:.3rem 0 1rem}
caption{caption-side:top;text-align:left;font-weight:700;padding:.2rem 0 .4rem}
th,td{border:1px solid var(--line);padding:.35rem .5rem;vertical-align:top;text-align:left}
thead th{background:var(--head)}
tbody th{background:var(--soft)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.nowrap{white-space:nowrap;overflow-wrap:normal}
th.name,td.name{min-width:7.5em}
ul.plain{margin:0;padding:0;list-style:none}
ul.plain li+li{margin-top:.25rem}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:.8rem}
.card{border:1px solid var(--line);border-radius:6px;padding:.7rem .85rem;background:#fff;break-inside:avoid}
.card h3{margin:0 0 .3rem;display:flex;gap:.4rem;align-items:center}
.card h4{margin:.5rem 0 .1rem;font-size:.72rem;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.card ul{margin:0;padding-left:1.1rem}
.desc{white-space:pre-line}
.sym{flex:none;vertical-align:-2px}
.legend{display:flex;flex-wrap:wrap;gap:.35rem 1rem;margin:.4rem 0;padding:0;list-style:none;font-size:.85rem}
.legend li{display:flex;gap:.35rem;align-items:center}
/* the map */
.map-scroll{overflow-x:auto;margin:0 0 1rem}
table.map{table-layout:fixed;font-size:.84rem;margin:0}
table.map col.lane{width:8.5rem}
table.map thead th{vertical-align:bottom}
table.map thead th.corner{background:#fff;border-top-color:#fff;border-left-color:#fff}
.stage-no{display:inline-block;min-width:1.5em;padding:0 .3em;margin-right:.25em;border-radius:3px;background:var(--ink);color:#fff;
 font-size:.85em;text-align:center}
.stage-name{font-weight:700}
.phase{display:block;font-weight:400;font-size:.88em;color:var(--muted);text-transform:capitalize}
table.map tbody th{font-size:.88em;text-transform:uppercase;letter-spacing:.02em;color:var(--muted)}
.item{border:1px solid var(--line);border-radius:4px;padding:.25em .4em;margin:0 0 .35em;background:#fff;break-inside:avoid}
.item:last-child{margin-bottom:0}
.badge{font-size:.8em;font-weight:700;letter-spacing:.03em;text-transform:uppercase}
.pain{border-left-width:5px}
.pain .words{margin:.1rem 0;white-space:pre-line}
.pain .words::before{content:"\\201C"}
.pain .words::after{content:"\\201D"}
.sev-5{background:#fde9e7;border-color:#a3261c}.sev-5 .badge{color:#7f1d15}
.sev-4{background:#fdeee4;border-color:#b9461a}.sev-4 .badge{color:#8a3210}
.sev-3{background:#fff5df;border-color:#a86400}.sev-3 .badge{color:#7a4600}
.sev-2{background:#f8f7e8;border-color:#8a8300}.sev-2 .badge{color:#595400}
.sev-1{background:#f4f5f7;border-color:#7b8494}.sev-1 .badge{color:#465062}
.gain{background:#e8f6ed;border-color:#17703a}.gain .badge{color:#125c2f}
.pips{letter-spacing:-.05em;font-size:.8em;white-space:nowrap}
.proc{background:#f2f6fc;border-left:4px solid var(--accent)}
.proc-name{font-weight:600}
.handoff{color:#6b2f8c}
ul.feeds{margin:0;padding:0;list-style:none}
.sol{border-left:4px solid #5b6472}
.sol.q-win{border-left-color:#17703a;background:#edf8f1}
.sol.q-major{border-left-color:#1f5a9e}
.sol.q-thankless{border-left-color:#a3261c}
.chip{display:inline-block;padding:0 .35em;border-radius:3px;font-size:.8em;font-weight:700;white-space:nowrap;border:1px solid currentColor}
.q-win .chip,.chip.q-win{color:#125c2f;background:#e0f3e7}
.chip.q-major{color:#1a4c86;background:#e6eef9}
.chip.q-fill{color:#3d4450;background:#eef0f3}
.chip.q-thankless{color:#8a2018;background:#fbeceb}
.emo{display:grid;grid-template-columns:auto 1.7em minmax(0,1fr);gap:.3em;align-items:baseline;margin:0 0 .2em}
.emo .v{font-weight:700;font-variant-numeric:tabular-nums;text-align:right}
.emo-neg .v{color:#9b2318}.emo-pos .v{color:#17703a}.emo-zero .v{color:var(--muted)}
/* charts */
figure{margin:.5rem 0 1.2rem;break-inside:avoid}
figcaption{font-weight:700;margin:0 0 .3rem}
.chart{display:block;width:100%;height:auto;max-height:30rem;border:1px solid var(--line);border-radius:6px;background:#fff}
.chart text{font-family:inherit}
.two{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.2rem;align-items:start}
.why{border:1px solid var(--line);border-radius:6px;padding:.6rem .85rem;margin:0 0 .8rem}
.why h3{margin:0 0 .2rem}
.why table{margin:.4rem 0 0;font-size:.88rem}
.rank{display:inline-block;min-width:1.8em;padding:0 .3em;border-radius:4px;background:var(--ink);color:#fff;text-align:center;margin-right:.3rem}
.bar{display:inline-block;height:.6em;background:#a3261c;border-radius:2px;vertical-align:middle;margin-right:.4rem}
footer{margin-top:2.5rem;padding-top:.6rem;border-top:1px solid var(--line);color:var(--muted);font-size:.8rem}
@media (max-width:900px){.two{grid-template-columns:1fr}.page{padding:16px}}
@page{size:landscape;margin:11mm 10mm}
@media print{
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 body{font-size:9pt}
 th,td{padding:.2em .4em}
 .page{max-width:none;padding:0}
 nav.toc{display:none}
 a{color:inherit;text-decoration:none}
 h2{margin-top:1.2rem;break-after:avoid}
 h3,caption,figcaption{break-after:avoid}
 #map,#emotion,#quick-wins,#root-causes{break-before:page}
 .cards{grid-template-columns:repeat(auto-fit,minmax(17em,1fr))}
 .map-scroll{overflow:visible}
 table.map{min-width:0!important;font-size:7.6pt}
 table.map col.lane{width:25mm}
 thead{display:table-header-group}
 tr,th,td,.item,.card,figure{break-inside:avoid}
 /* lanes of cards may be taller than a page: they break between cards, never inside one */
 tr.lane-pains,tr.lane-processes,tr.lane-solutions,tr.lane-pains>*,tr.lane-processes>*,tr.lane-solutions>*{break-inside:auto}
 .why h3,.why p{break-after:avoid}
 .chart{max-height:98mm}
 .matrix-data,.why table,.emotion-data{font-size:.9em}
 .two{grid-template-columns:minmax(0,3fr) minmax(0,2fr)}
}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


# ---------------------------------------------------------------------------------------------
# Small pieces


class _Names:
    def __init__(self, session: Session) -> None:
        self.stages = {s.id: s.name for s in session.stages}
        self.pains = {p.id: p.text for p in session.pains}
        self.processes = {p.id: p for p in session.processes}
        self.departments = {d.id: d.name for d in session.departments}
        self.personas = {p.id: p.name for p in session.personas}
        self.stage_no = {s.id: i + 1 for i, s in enumerate(session.stages)}

    def dept(self, dept_id: str | None) -> str:
        return self.departments.get(dept_id or "", dept_id or "")

    def process(self, proc_id: str) -> str:
        p = self.processes.get(proc_id)
        return p.name if p is not None else proc_id


def _table(
    caption: str,
    header: Sequence[tuple[str, str]],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    row_header: int | None = None,
) -> str:
    """A data table; ``header`` is ``(html, css class)`` per column; cells are ready HTML.

    The cell at index ``row_header`` of each row, if given, is its row header (``<th scope="row">``).
    """
    out = [f'<table class="{_a(cls)}">' if cls else "<table>", f"<caption>{caption}</caption>", "<thead><tr>"]
    out += [f'<th scope="col" class="{_a(c)}">{h}</th>' if c else f'<th scope="col">{h}</th>' for h, c in header]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for i, cell in enumerate(row):
            c = header[i][1] if i < len(header) else ""
            attr = f' class="{_a(c)}"' if c else ""
            if i == row_header:
                out.append(f'<th scope="row"{attr}>{cell}</th>')
            else:
                out.append(f"<td{attr}>{cell}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _shape(shape: str, x: float, y: float, r: float, colour: str) -> str:
    """An SVG marker of ``shape`` centred on (x, y)."""
    fill = f'fill="{colour}" stroke="#fff" stroke-width="1.2"'
    if shape == "square":
        s = r * 0.9
        return f'<rect x="{_n(x - s)}" y="{_n(y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" {fill}/>'
    if shape in ("triangle", "triangle-down"):
        k = 1 if shape == "triangle" else -1
        pts = [(x, y - k * r * 1.15), (x + r * 1.1, y + k * r * 0.8), (x - r * 1.1, y + k * r * 0.8)]
        return f'<polygon points="{" ".join(f"{_n(a)},{_n(b)}" for a, b in pts)}" {fill}/>'
    if shape == "diamond":
        d = r * 1.25
        pts = [(x, y - d), (x + d, y), (x, y + d), (x - d, y)]
        return f'<polygon points="{" ".join(f"{_n(a)},{_n(b)}" for a, b in pts)}" {fill}/>'
    if shape == "ring":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r * 0.85)}" fill="#fff" stroke="{colour}" stroke-width="2.6"/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {fill}/>'


class _Series:
    """How a persona is drawn: colour, marker shape and dash pattern by its position."""

    def __init__(self, index: int) -> None:
        self.colour = PERSONA_COLOURS[index % len(PERSONA_COLOURS)]
        self.shape = PERSONA_SHAPES[index % len(PERSONA_SHAPES)]
        self.dash = PERSONA_DASHES[index % len(PERSONA_DASHES)]

    def symbol(self) -> str:
        """The marker as a small inline SVG for legends (decorative: the name is next to it)."""
        line = (
            f'<line x1="1" y1="8" x2="23" y2="8" stroke="{self.colour}" stroke-width="2"'
            + (f' stroke-dasharray="{self.dash}"' if self.dash else "")
            + "/>"
        )
        return (
            '<svg class="sym" width="24" height="16" viewBox="0 0 24 16" aria-hidden="true" focusable="false">'
            + line
            + _shape(self.shape, 12, 8, 5, self.colour)
            + "</svg>"
        )


def _svg_lines(value: str, width: int, max_lines: int) -> list[str]:
    """Clean text wrapped into at most ``max_lines`` lines of about ``width`` characters."""
    s = clean(value)
    lines = textwrap.wrap(s, max(width, 4), max_lines=max_lines, placeholder="\u2026", break_long_words=True)
    return lines or [s[:width]]


# ---------------------------------------------------------------------------------------------
# Sections


def _header(session: Session, ranking: Ranking, names: _Names) -> str:
    info = session.session
    pains = sum(p.kind == "pain" for p in session.pains)
    gains = len(session.pains) - pains
    facts = [
        ("Journey", _t(info.journey)),
        ("State", _t(info.state)),
        ("Date", _t(info.date.isoformat()) if info.date is not None else "not set"),
        ("Facilitator", _bdi(info.facilitator) if info.facilitator else "not set"),
        ("Personas", str(len(session.personas))),
        ("Stages", str(len(session.stages))),
        ("Pains / gains", f"{pains} / {gains}"),
        ("Processes", str(len(session.processes))),
        ("Solutions", str(len(session.solutions))),
    ]
    if ranking.persona is not None:
        facts.append(("Ranked for persona", _bdi(names.personas.get(ranking.persona, ranking.persona))))
    out = [
        '<header id="session">',
        '<p class="kicker">Level 1 customer journey map</p>',
        f"<h1>{_bdi(info.title)}</h1>",
        '<dl class="facts">',
        *(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts),
        "</dl>",
    ]
    toc = [
        ("personas", "Personas"),
        ("map", "Journey map"),
        ("emotion", "Emotion curve"),
        ("matrix", "Impact / effort"),
        ("quick-wins", "Quick wins"),
        ("root-causes", "Root causes"),
        ("friction", "Friction by stage"),
    ]
    if _open_parking(session):
        toc.append(("parking", "Parking lot"))
    out.append('<nav class="toc" aria-label="Contents"><ol>')
    out += [f'<li><a href="#{k}">{v}</a></li>' for k, v in toc]
    out.append("</ol></nav></header>")
    return "\n".join(out)


def _personas(session: Session) -> str:
    out = ['<section id="personas" aria-labelledby="personas-h">', '<h2 id="personas-h">Personas</h2>']
    if not session.personas:
        out.append('<p class="note">No personas yet.</p></section>')
        return "\n".join(out)
    out.append('<div class="cards">')
    for i, pe in enumerate(session.personas):
        card = [f'<article class="card" id="persona-{_a(pe.id)}">', f"<h3>{_Series(i).symbol()}{_bdi(pe.name)}</h3>"]
        if pe.description:
            card.append(f'<p class="desc" dir="auto">{_t(pe.description, multiline=True)}</p>')
        for label, items in (("Goals", pe.goals), ("Needs", pe.needs), ("Frustrations", pe.frustrations)):
            if items:
                card.append(f"<h4>{label}</h4><ul>" + "".join(f'<li dir="auto">{_t(x)}</li>' for x in items) + "</ul>")
        card.append("</article>")
        out.append("".join(card))
    out.append("</div></section>")
    return "\n".join(out)


def _chunks(items: Sequence[Stage], size: int) -> list[Sequence[Stage]]:
    """``items`` in balanced parts of at most ``size`` (9 stages → 5 + 4, not 8 + 1)."""
    if not items:
        return []
    parts = math.ceil(len(items) / size)
    base, extra = divmod(len(items), parts)
    out, start = [], 0
    for i in range(parts):
        end = start + base + (1 if i < extra else 0)
        out.append(items[start:end])
        start = end
    return out


def _pain_item(pain: Any, names: _Names) -> str:
    if pain.kind == "gain":
        cls, badge = "gain", "Gain"
    else:
        word = SEVERITY_WORDS.get(pain.severity, "")
        cls, badge = f"sev-{pain.severity}", f"Pain \u00b7 severity {pain.severity} ({word})"
    pips = "\u25cf" * pain.severity + "\u25cb" * (5 - pain.severity)
    meta = [f"frequency {pain.frequency}", f"weight {pain.weight}" if pain.kind == "pain" else "", _t(pain.evidence)]
    meta = [x for x in meta if x]
    if pain.personas:
        meta.append("for " + ", ".join(_bdi(names.personas.get(x, x)) for x in pain.personas))
    pips_html = f' <span class="pips" aria-hidden="true">{pips}</span>' if pain.kind == "pain" else ""
    out = [
        f'<div class="item pain {cls}" id="pain-{_a(pain.id)}">',
        f'<span class="badge">{badge}</span>{pips_html}',
        f'<p class="words" dir="auto">{_t(pain.text, multiline=True)}</p>',
        '<div class="meta">' + DOT.join(meta) + "</div>",
    ]
    if pain.caused_by:
        out.append('<div class="meta">Caused by: ' + "; ".join(_bdi(names.process(x)) for x in pain.caused_by) + "</div>")
    out.append("</div>")
    return "".join(out)


def _process_item(proc: Process, names: _Names, root_rank: dict[str, int]) -> str:
    out = [f'<div class="item proc" id="proc-{_a(proc.id)}">', f'<div class="proc-name" dir="auto">{_t(proc.name)}</div>']
    owner = _bdi(names.dept(proc.owner)) if proc.owner else "no owner yet"
    rank = f" \u00b7 root cause #{root_rank[proc.id]}" if proc.id in root_rank else ""
    out.append(f'<div class="meta">Owner: {owner}{rank}</div>')
    if proc.systems:
        out.append('<div class="meta">Systems: ' + ", ".join(_bdi(s) for s in proc.systems) + "</div>")
    if proc.feeds:
        parts = []
        for nxt in proc.feeds:
            target = names.processes.get(nxt)
            piece = "\u2192 " + _bdi(names.process(nxt))
            if target is not None and target.owner and target.owner != proc.owner:
                piece += f' <span class="handoff">(handoff to {_bdi(names.dept(target.owner))})</span>'
            parts.append(f"<li>{piece}</li>")
        out.append('<div class="meta">Feeds:<ul class="feeds">' + "".join(parts) + "</ul></div>")
    out.append("</div>")
    return "".join(out)


def _solution_item(sol: Any, ranked: RankedSolution | None) -> str:
    cls = QUADRANT_CLASS.get(ranked.quadrant, "") if ranked else ""
    rank = f'<span class="rank">#{ranked.rank}</span>' if ranked else ""
    chip = f'<span class="chip {cls}">{_t(ranked.quadrant)}</span> ' if ranked else ""
    return (
        f'<div class="item sol {cls}">{rank}<span dir="auto">{_t(sol.text)}</span>'
        f'<div class="meta">{chip}effort {sol.effort} \u00b7 {_t(sol.status)}</div></div>'
    )


def _emotion_item(series: _Series, name: str, value: int) -> str:
    cls = "emo-neg" if value < 0 else "emo-pos" if value > 0 else "emo-zero"
    return (
        f'<div class="emo {cls}">{series.symbol()}<span class="v">{_signed(value)}</span>'
        f"<span>{_bdi(name)}</span></div>"
    )


def _map(session: Session, ranking: Ranking, names: _Names) -> str:
    out = ['<section id="map" aria-labelledby="map-h">', '<h2 id="map-h">Journey map</h2>']
    if not session.stages:
        out.append('<p class="note">No stages yet.</p></section>')
        return "\n".join(out)
    out.append(
        '<p class="lead">Stages run left to right. Pains are in the customer\u2019s own words, marked with their '
        "severity (1 minor \u2026 5 severe); the internal processes behind them are listed underneath, with "
        "their owners and the handoffs (\u2192) that feed later steps.</p>"
    )
    series = {pe.id: _Series(i) for i, pe in enumerate(session.personas)}
    ranked = {s.id: s for s in ranking.solutions}
    root_rank = {p.id: p.rank for p in ranking.processes}
    proc_stage = {p.id: p.stage for p in session.processes}
    order = {s.id: i for i, s in enumerate(session.stages)}
    sols = sorted(
        session.solutions,
        key=lambda so: (ranked[so.id].rank if so.id in ranked else len(ranked) + 1),
    )
    sols_at: dict[str, list[Any]] = {}
    for so in sols:
        for st in dict.fromkeys(proc_stage[t] for t in so.targets if t in proc_stage):
            sols_at.setdefault(st, []).append(so)

    def pains_of(stage_id: str) -> list[Any]:
        items = [p for p in session.pains if p.stage == stage_id]
        return sorted(items, key=lambda p: (p.kind != "pain", -p.weight))  # pains by weight, then gains

    parts = _chunks(session.stages, MAX_MAP_COLUMNS)
    for n, part in enumerate(parts, 1):
        first, last = order[part[0].id] + 1, order[part[-1].id] + 1
        where = f" (stages {first}\u2013{last} of {len(session.stages)})" if len(parts) > 1 else ""
        min_width = 8.5 + 10.5 * len(part)
        out.append('<div class="map-scroll">')
        out.append(f'<table class="map" style="min-width:{min_width:g}rem">')
        out.append(f"<caption>The journey{where}</caption>")
        out.append('<colgroup><col class="lane">' + '<col class="stage">' * len(part) + "</colgroup>")
        out.append('<thead><tr><th scope="col" class="corner"><span class="meta">Stage</span></th>')
        for st in part:
            phase = f'<span class="phase">{_t(st.phase)}</span>' if st.phase else ""
            out.append(
                f'<th scope="col" id="stage-{_a(st.id)}"><span class="stage-no">{order[st.id] + 1}</span>'
                f'<span class="stage-name" dir="auto">{_t(st.name)}</span>{phase}</th>'
            )
        out.append("</tr></thead><tbody>")

        def lane(label: str, cells: Iterable[str], cls: str = "") -> None:
            attr = f' class="{_a(cls)}"' if cls else ""
            out.append(f'<tr{attr}><th scope="row">{label}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")

        lane("Customer goal", (f'<span dir="auto">{_t(st.customer_goal)}</span>' for st in part), "lane-goal")
        lane(
            "Touchpoints",
            (
                ('<ul class="plain">' + "".join(f'<li dir="auto">{_t(x)}</li>' for x in st.touchpoints) + "</ul>")
                + (
                    '<div class="meta">Channels: ' + ", ".join(_bdi(c) for c in st.channels) + "</div>"
                    if st.channels
                    else ""
                )
                for st in part
            ),
            "lane-touchpoints",
        )
        lane(
            "Emotion",
            (
                "".join(
                    _emotion_item(series[pid], names.personas.get(pid, pid), st.emotion[pid])
                    for pid in (pe.id for pe in session.personas)
                    if pid in st.emotion
                )
                for st in part
            ),
            "lane-emotion",
        )
        lane("Pains &amp; gains", ("".join(_pain_item(p, names) for p in pains_of(st.id)) for st in part), "lane-pains")
        lane(
            "Stage owners",
            ('<ul class="plain">' + "".join(f"<li>{_bdi(names.dept(o))}</li>" for o in st.owners) + "</ul>" for st in part),
            "lane-owners",
        )
        lane(
            "Internal processes",
            (
                "".join(_process_item(p, names, root_rank) for p in session.processes if p.stage == st.id)
                for st in part
            ),
            "lane-processes",
        )
        lane(
            "Solutions",
            ("".join(_solution_item(so, ranked.get(so.id)) for so in sols_at.get(st.id, ())) for st in part),
            "lane-solutions",
        )
        out.append("</tbody></table></div>")
    loose = [so for so in sols if not any(t in proc_stage for t in so.targets)]
    if loose:
        out.append(
            '<p class="note">Solutions that change no process yet (so they sit at no stage): '
            + "; ".join(_bdi(so.text) for so in loose)
            + "</p>"
        )
    out.append("</section>")
    return "\n".join(out)


def _emotion(session: Session, names: _Names) -> str:
    out = ['<section id="emotion" aria-labelledby="emotion-h">', '<h2 id="emotion-h">Emotion curve</h2>']
    stages = session.stages
    personas = [pe for pe in session.personas if any(pe.id in st.emotion for st in stages)]
    if not stages or not personas:
        out.append('<p class="note">No emotions recorded yet.</p></section>')
        return "\n".join(out)
    width, left, right, top, plot_h, bottom = 1000.0, 118.0, 18.0, 22.0, 250.0, 64.0
    plot_w = width - left - right
    height = top + plot_h + bottom
    col = plot_w / len(stages)
    step = plot_h / 4

    def y_of(v: int) -> float:
        return top + (2 - v) * step

    svg = [
        f'<svg class="chart" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        'aria-labelledby="emotion-title emotion-desc" fill="#1b2230" xmlns="http://www.w3.org/2000/svg">',
        '<title id="emotion-title">Emotion curve per persona across the stages</title>',
        f'<desc id="emotion-desc">A line chart with one line per persona ({len(personas)}) over '
        f"{len(stages)} stages, from \u22122 (very negative) to +2 (very positive). The table after the "
        "chart gives the same values.</desc>",
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(plot_w)}" height="{_n(2 * step)}" fill="#f1f8f3"/>',
        f'<rect x="{_n(left)}" y="{_n(top + 2 * step)}" width="{_n(plot_w)}" height="{_n(2 * step)}" fill="#fcf1f0"/>',
    ]
    for v in range(-2, 3):
        y = y_of(v)
        stroke = 'stroke="#465062" stroke-width="1.4"' if v == 0 else 'stroke="#cfd5de" stroke-width="1"'
        svg.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}" {stroke}/>')
        svg.append(
            f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end" font-size="12">'
            f"{_signed(v)} {EMOTION_WORDS[v]}</text>"
        )
    chars = int(col / 6.6)
    for i, st in enumerate(stages):
        x = left + (i + 0.5) * col
        if i:
            svg.append(f'<line x1="{_n(left + i * col)}" y1="{_n(top)}" x2="{_n(left + i * col)}" '
                       f'y2="{_n(top + plot_h)}" stroke="#e3e7ed" stroke-width="1"/>')
        lines = _svg_lines(f"{i + 1}. {st.name}", chars, 3)
        tspans = "".join(
            f'<tspan x="{_n(x)}" dy="{0 if k == 0 else 14}">{html.escape(line, quote=True)}</tspan>'
            for k, line in enumerate(lines)
        )
        svg.append(f'<text y="{_n(top + plot_h + 18)}" text-anchor="middle" font-size="12">'
                   f"<title>{_t(st.name)}</title>{tspans}</text>")
    all_series = {pe.id: _Series(i) for i, pe in enumerate(session.personas)}
    spread = min(14.0, col / (len(personas) + 3))
    for k, pe in enumerate(personas):
        s = all_series[pe.id]
        dx = (k - (len(personas) - 1) / 2) * spread
        points = [
            (i, left + (i + 0.5) * col + dx, y_of(st.emotion[pe.id]), st.emotion[pe.id])
            for i, st in enumerate(stages)
            if pe.id in st.emotion
        ]
        d, prev = [], None
        for i, x, y, _v in points:
            d.append(f"{'L' if prev is not None and i == prev + 1 else 'M'}{_n(x)} {_n(y)}")
            prev = i
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        svg.append(f'<g class="emotion-series" data-persona="{_a(pe.id)}">')
        svg.append(f'<path d="{" ".join(d)}" fill="none" stroke="{s.colour}" stroke-width="2.4"{dash} '
                   'stroke-linejoin="round" stroke-linecap="round"/>')
        for i, x, y, v in points:
            st = stages[i]
            svg.append(
                f'<g class="emotion-point" data-persona="{_a(pe.id)}" data-stage="{_a(st.id)}" data-value="{v}">'
                f"<title>{_t(pe.name)} at {_t(st.name)}: {_signed(v)} ({EMOTION_WORDS[v]})</title>"
                f"{_shape(s.shape, x, y, 6, s.colour)}</g>"
            )
        svg.append("</g>")
    svg.append("</svg>")
    legend = "".join(f"<li>{all_series[pe.id].symbol()}{_bdi(pe.name)}</li>" for pe in personas)
    out.append('<figure aria-labelledby="emotion-cap">')
    out.append('<figcaption id="emotion-cap">How each persona feels at each stage</figcaption>')
    out.append(f'<ul class="legend" aria-label="Personas">{legend}</ul>')
    out.append("\n".join(svg))
    out.append("</figure>")
    # Stages down, personas across: a long journey grows the table downwards, not off the page.
    header = [("#", "num"), ("Stage", "name"), *((all_series[pe.id].symbol() + _bdi(pe.name), "") for pe in personas)]
    rows = []
    for i, st in enumerate(stages):
        cells = [str(i + 1), _t(st.name)]
        for pe in personas:
            v = st.emotion.get(pe.id)
            cells.append(f"{_signed(v)} <span class=\"meta\">{EMOTION_WORDS[v]}</span>" if v is not None else "\u2013")
        rows.append(cells)
    out.append(_table("Emotion by stage and persona (\u22122 very negative \u2026 +2 very positive)",
                      header, rows, cls="emotion-data", row_header=1))
    out.append("</section>")
    return "\n".join(out)


def _nice_top(value: float) -> tuple[float, float]:
    """(top of the axis, tick step) for values from 0 to ``value``."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 5
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if raw <= m * mag)
    top = step * math.ceil(value / step)
    if top - value < step * 0.2:
        top += step
    return top, step


def _matrix(session: Session, ranking: Ranking) -> str:
    out = ['<section id="matrix" aria-labelledby="matrix-h">', '<h2 id="matrix-h">Impact / effort matrix</h2>']
    sols = ranking.solutions
    if not sols:
        out.append('<p class="note">No solutions yet.</p></section>')
        return "\n".join(out)
    max_effort = session.scoring.quick_win_max_effort
    width, left, right, top, plot_h, bottom = 720.0, 78.0, 18.0, 16.0, 380.0, 56.0
    plot_w = width - left - right
    height = top + plot_h + bottom
    y_top, y_step = _nice_top(max(s.impact for s in sols))
    cell = plot_w / 5

    def x_of(effort: float) -> float:
        return left + (effort - 0.5) * cell

    def y_of(impact: float) -> float:
        return top + plot_h - impact / y_top * plot_h

    x_div = x_of(max_effort + 0.5)
    y_div = y_of(ranking.median_impact)
    x_end, y_end = left + plot_w, top + plot_h
    svg = [
        f'<svg class="chart" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        'aria-labelledby="matrix-title matrix-desc" fill="#1b2230" xmlns="http://www.w3.org/2000/svg">',
        '<title id="matrix-title">Impact / effort matrix of the solutions</title>',
        f'<desc id="matrix-desc">A scatter chart of {_plural(len(sols), "solution")} by effort (1 to 5, across) '
        f"and impact (up). Quick wins are at effort {max_effort} or less with at least the median impact "
        f"({fmt_number(ranking.median_impact)}). Each marker shows the solution\u2019s rank; the table next to the "
        "chart gives the same values.</desc>",
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(x_div - left)}" height="{_n(y_div - top)}" fill="#e9f6ee"/>',
        f'<rect x="{_n(x_div)}" y="{_n(top)}" width="{_n(x_end - x_div)}" height="{_n(y_div - top)}" fill="#edf2fa"/>',
        f'<rect x="{_n(left)}" y="{_n(y_div)}" width="{_n(x_div - left)}" height="{_n(y_end - y_div)}" fill="#f4f5f7"/>',
        f'<rect x="{_n(x_div)}" y="{_n(y_div)}" width="{_n(x_end - x_div)}" height="{_n(y_end - y_div)}" fill="#fbefee"/>',
    ]
    tick = 0.0
    while tick <= y_top + 1e-9:
        y = y_of(tick)
        svg.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(x_end)}" y2="{_n(y)}" stroke="#d9dee5" stroke-width="1"/>')
        svg.append(f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end" font-size="12">{fmt_number(tick)}</text>')
        tick += y_step
    for e in range(1, 6):
        svg.append(f'<text x="{_n(x_of(e))}" y="{_n(y_end + 18)}" text-anchor="middle" font-size="12">{e}</text>')
    svg.append(f'<text x="{_n(left + plot_w / 2)}" y="{_n(y_end + 42)}" text-anchor="middle" font-size="13" '
               'font-weight="700">Effort (1 small \u2026 5 large) \u2192</text>')
    svg.append(f'<text transform="translate(20 {_n(top + plot_h / 2)}) rotate(-90)" text-anchor="middle" '
               'font-size="13" font-weight="700">Impact (weighted pain removed) \u2192</text>')
    svg.append(f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(plot_w)}" height="{_n(plot_h)}" fill="none" stroke="#465062"/>')
    svg.append(f'<line x1="{_n(x_div)}" y1="{_n(top)}" x2="{_n(x_div)}" y2="{_n(y_end)}" stroke="#465062" '
               'stroke-width="1.5" stroke-dasharray="6 4"/>')
    svg.append(f'<line x1="{_n(left)}" y1="{_n(y_div)}" x2="{_n(x_end)}" y2="{_n(y_div)}" stroke="#465062" '
               'stroke-width="1.5" stroke-dasharray="6 4"/>')
    labels = [
        (QUICK_WIN, left + 8, top + 18, "start", x_div - left),
        (MAJOR_PROJECT, x_end - 8, top + 18, "end", x_end - x_div),
        (FILL_IN, left + 8, y_end - 8, "start", x_div - left),
        (THANKLESS, x_end - 8, y_end - 8, "end", x_end - x_div),
    ]
    for q, x, y, anchor, room in labels:
        if room > 40:
            svg.append(f'<text class="quadrant-label" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="14" '
                       f'font-weight="700" fill="{QUADRANT_COLOUR[q]}">{QUADRANT_LABELS[q]}</text>')
    r = 11.0
    placed: list[tuple[float, float]] = []
    half = cell / 2 - r - 2
    for s in sorted(sols, key=lambda s: s.rank):
        bx, by = x_of(s.effort), y_of(s.impact)
        x, y = bx, by
        found = False
        for j in range(0, 24):  # rows above and below the true height, nearest first
            lift = (j + 1) // 2 * (1 if j % 2 else -1)
            y = by - lift * (2 * r + 2)
            if y < top + r - 2 or y > y_end + 2:
                continue
            for k in range(0, 12):  # then sideways within the effort column
                dx = (k + 1) // 2 * (2 * r + 2) * (1 if k % 2 else -1)
                if abs(dx) > half:
                    continue
                x = bx + dx
                if all((x - px) ** 2 + (y - py) ** 2 >= (2 * r + 1) ** 2 for px, py in placed):
                    found = True
                    break
            if found:
                break
        if not found:
            x, y = bx, by
        placed.append((x, y))
        colour = QUADRANT_COLOUR.get(s.quadrant, "#5b6472")
        svg.append(
            f'<g class="matrix-point" data-solution="{_a(s.id)}" data-rank="{s.rank}" data-quadrant="{_a(s.quadrant)}">'
            f"<title>#{s.rank} {_t(s.text)}: impact {fmt_number(s.impact)}, effort {s.effort}, {_t(s.quadrant)}</title>"
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
            f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="middle" font-size="11" font-weight="700" '
            f'fill="#fff">{s.rank}</text></g>'
        )
    svg.append("</svg>")
    rows = [
        [
            str(s.rank),
            f'<span dir="auto">{_t(s.text)}</span>',
            fmt_number(s.impact),
            str(s.effort),
            f'<span class="chip {QUADRANT_CLASS.get(s.quadrant, "")}">{_t(s.quadrant)}</span>',
        ]
        for s in sols
    ]
    table = _table(
        "The matrix as a table",
        [("#", "num"), ("Solution", ""), ("Impact", "num"), ("Effort", "num"), ("Quadrant", "")],
        rows,
        cls="matrix-data",
    )
    out.append('<div class="two"><figure aria-labelledby="matrix-cap">')
    out.append('<figcaption id="matrix-cap">Where each solution falls: impact against effort</figcaption>')
    out.append("\n".join(svg))
    out.append(f"</figure><div>{table}</div></div></section>")
    return "\n".join(out)


def _reached_table(reached: Sequence[Reached], names: _Names, caption: str) -> str:
    rows = [
        [
            f'<span dir="auto">{_t(names.pains.get(r.pain, r.pain))}</span>',
            f"{names.stage_no.get(r.stage, '')}. {_bdi(names.stages.get(r.stage, r.stage))}",
            str(r.weight),
            str(r.hops),
            fmt_number(r.contribution),
        ]
        for r in reached
    ]
    return _table(
        caption,
        [("Pain (customer\u2019s words)", ""), ("Stage", "name"), ("Weight", "num"), ("Hops", "num"), ("Contribution", "num")],
        rows,
        cls="reached",
    )


def _quick_wins(ranking: Ranking, names: _Names) -> str:
    out = ['<section id="quick-wins" aria-labelledby="quick-wins-h">', '<h2 id="quick-wins-h">Quick wins, ranked</h2>']
    sols = ranking.solutions
    if not sols:
        out.append('<p class="note">No solutions yet.</p></section>')
        return "\n".join(out)
    out.append(
        '<p class="lead">A solution scores for every pain its processes cause, directly (0 hops) or through the '
        "handoffs downstream (fewer points per hop), more when it reaches several stages, less for more effort "
        "or less confidence.</p>"
    )
    rows = [
        [
            str(s.rank),
            f'<a href="#why-{_a(s.id)}" dir="auto">{_t(s.text)}</a>',
            f'<span class="chip {QUADRANT_CLASS.get(s.quadrant, "")}">{_t(s.quadrant)}</span>',
            fmt_number(s.score),
            fmt_number(s.impact),
            str(s.effort),
            fmt_number(s.confidence),
            str(s.stages_reached),
            f'<span class="nowrap">{_t(s.status)}</span>',
            str(s.votes),
        ]
        for s in sols
    ]
    out.append(
        _table(
            "Ranked solutions",
            [("#", "num"), ("Solution", ""), ("Quadrant", ""), ("Score", "num"), ("Impact", "num"), ("Effort", "num"),
             ("Confidence", "num"), ("Stages", "num"), ("Status", ""), ("Votes", "num")],
            rows,
            cls="ranked-solutions",
        )
    )
    out.append("<h3>Why this rank</h3>")
    for s in sols:
        stages = list(dict.fromkeys(r.stage for r in s.reached))
        out.append(f'<article class="why" id="why-{_a(s.id)}">')
        out.append(f'<h3><span class="rank">#{s.rank}</span><span dir="auto">{_t(s.text)}</span></h3>')
        out.append(
            f'<p class="meta"><span class="chip {QUADRANT_CLASS.get(s.quadrant, "")}">{_t(s.quadrant)}</span> '
            f"score {fmt_number(s.score)} \u00b7 impact {fmt_number(s.impact)} \u00b7 "
            f"{_plural(s.stages_reached, 'stage')} reached \u00b7 confidence {fmt_number(s.confidence)} \u00b7 "
            f"effort {s.effort} \u00b7 {_plural(s.votes, 'vote')}</p>"
        )
        if s.reached:
            out.append(
                '<p class="meta">Stages reached: '
                + "; ".join(f"{names.stage_no.get(x, '')}. {_bdi(names.stages.get(x, x))}" for x in stages)
                + "</p>"
            )
            out.append(_reached_table(s.reached, names, f"Pains reached ({len(s.reached)})"))
        else:
            out.append('<p class="note">Reaches no pain yet: link it to the processes it changes.</p>')
        out.append("</article>")
    out.append("</section>")
    return "\n".join(out)


def _root_causes(ranking: Ranking, names: _Names) -> str:
    out = ['<section id="root-causes" aria-labelledby="root-causes-h">',
           '<h2 id="root-causes-h">Root-cause processes, ranked</h2>']
    procs = ranking.processes
    if not procs:
        out.append('<p class="note">No processes yet.</p></section>')
        return "\n".join(out)
    out.append(
        '<p class="lead">The internal processes whose fixing would remove the most pain: the pains each one '
        "causes itself, and those it causes further down the journey through the handoffs it feeds.</p>"
    )
    rows = []
    for p in procs:
        direct = [r for r in p.reached if r.hops == 0]
        down = [r for r in p.reached if r.hops > 0]
        causes = "".join(
            f'<li><span dir="auto">{_t(names.pains.get(r.pain, r.pain))}</span> '
            f'<span class="meta">(weight {r.weight})</span></li>'
            for r in direct
        )
        if down:
            hops = sorted({r.hops for r in down})
            span = f"{hops[0]}\u2013{hops[-1]} hops" if len(hops) > 1 else _plural(hops[0], "hop")
            stages = len({r.stage for r in down})
            downstream = (
                f"{_plural(len(down), 'pain')} at {_plural(stages, 'stage')} ({span}), "
                f"contribution {fmt_number(sum(r.contribution for r in down))}"
            )
        else:
            downstream = "\u2013"
        rows.append(
            [
                str(p.rank),
                f'<span dir="auto">{_t(p.name)}</span>',
                _bdi(names.dept(p.owner)) if p.owner else "\u2013",
                f"{names.stage_no.get(p.stage, '')}. {_bdi(names.stages.get(p.stage, p.stage))}",
                fmt_number(p.score),
                fmt_number(p.impact),
                str(p.stages_reached),
                f'<ul class="plain">{causes}</ul>' if causes else "\u2013",
                downstream,
            ]
        )
    out.append(
        _table(
            "Ranked root-cause processes",
            [("#", "num"), ("Process", "name"), ("Owner", "name"), ("Stage", "name"), ("Score", "num"), ("Impact", "num"),
             ("Stages", "num"), ("Pains it causes itself", ""), ("Pains downstream, through handoffs", "")],
            rows,
            cls="ranked-processes",
            row_header=1,
        )
    )
    out.append("</section>")
    return "\n".join(out)


def _friction(session: Session, names: _Names, persona: str | None) -> str:
    out = ['<section id="friction" aria-labelledby="friction-h">', '<h2 id="friction-h">Friction by stage</h2>']
    figures = stage_friction(session, persona)
    if not figures:
        out.append('<p class="note">No stages yet.</p></section>')
        return "\n".join(out)
    out.append(
        '<p class="lead">Pain weight is the sum of severity \u00d7 frequency of the stage\u2019s pains. '
        "Departments are the stage\u2019s owners and the owners of its processes; a handoff crosses departments "
        "when a process of this stage feeds a process another department owns.</p>"
    )
    if persona is not None:
        out.append(f'<p class="note">Pains counted for persona {_bdi(names.personas.get(persona, persona))} '
                   "(and pains that name no persona).</p>")
    heaviest = max((f.pain_weight for f in figures), default=0) or 1
    owner = {p.id: p.owner for p in session.processes}

    def who(proc_id: str) -> str:
        dept = owner.get(proc_id)
        return _bdi(names.dept(dept)) if dept else "no owner"

    rows = []
    for f in figures:
        handoffs = "".join(
            f"<li>{_bdi(names.process(a))} \u2192 {_bdi(names.process(b))} "
            f'<span class="handoff">({who(a)} \u2192 {who(b)})</span></li>'
            for a, b in f.handoff_links
        )
        bar = f'<span class="bar" style="width:{f.pain_weight / heaviest * 5:.2f}em" aria-hidden="true"></span>'
        rows.append(
            [
                str(names.stage_no.get(f.stage, "")),
                _t(f.name),
                str(f.pains),
                f"{bar}{f.pain_weight}",
                f"{f.departments}"
                + (
                    ' <span class="meta">(' + ", ".join(_bdi(names.dept(d)) for d in f.department_ids) + ")</span>"
                    if f.department_ids
                    else ""
                ),
                f"{f.handoffs}" + (f'<ul class="plain meta">{handoffs}</ul>' if handoffs else ""),
            ]
        )
    out.append(
        _table(
            "Friction figures per stage",
            [("#", "num"), ("Stage", ""), ("Pains", "num"), ("Pain weight", "num"), ("Departments involved", ""),
             ("Handoffs crossing departments", "")],
            rows,
            cls="friction-data",
            row_header=1,
        )
    )
    out.append("</section>")
    return "\n".join(out)


def _get(item: Any, name: str, default: Any = None) -> Any:
    if isinstance(item, dict):
        return item.get(name, default)
    return getattr(item, name, default)


def _open_parking(session: Any) -> list[Any]:
    """The parking-lot items still open (none when the session has no parking lot)."""
    parking = getattr(session, "parking", None)
    if not parking:
        return []
    try:
        return [it for it in parking if _get(it, "status", "open") == "open"]
    except TypeError:
        return []


def _parking(session: Session, names: _Names) -> str:
    items = _open_parking(session)
    if not items:
        return ""
    out = ['<section id="parking" aria-labelledby="parking-h">', '<h2 id="parking-h">Parking lot (open)</h2>',
           '<ul class="parking">']
    for it in items:
        words = _get(it, "text") or _get(it, "note") or _get(it, "id") or ""
        stage = _get(it, "stage")
        where = (
            f' <span class="meta">(came up at {names.stage_no.get(stage, "")}. {_bdi(names.stages.get(stage, stage))})</span>'
            if stage
            else ""
        )
        out.append(f'<li><span dir="auto">{_t(words, multiline=True)}</span>{where}</li>')
    out.append("</ul></section>")
    return "\n".join(out)


# ---------------------------------------------------------------------------------------------
# The report


def export_html(session: Session, ranking: Ranking) -> str:
    """The journey map report of ``session`` ranked as ``ranking``: one HTML5 document as text.

    Self-contained (inline CSS, inline SVG, no script, no external reference) and printable.
    Section ids: ``session``, ``personas``, ``map``, ``emotion``, ``matrix``, ``quick-wins``,
    ``root-causes``, ``friction`` and ``parking`` (only when parking-lot items are open). The
    emotion chart has one ``.emotion-point`` per (stage, persona) emotion recorded; the matrix
    one ``.matrix-point`` per ranked solution.
    """
    names = _Names(session)
    title = f"{clean(session.session.title)} \u2014 journey map report"
    body = [
        _header(session, ranking, names),
        "<main>",
        _personas(session),
        _map(session, ranking, names),
        _emotion(session, names),
        _matrix(session, ranking),
        _quick_wins(ranking, names),
        _root_causes(ranking, names),
        _friction(session, names, ranking.persona),
        _parking(session, names),
        "</main>",
        f'<footer><p>Made with cjmtui {_a(__version__)}: a Level 1 customer journey map. Pains are quoted in the '
        "customer\u2019s own words; scores follow the session\u2019s scoring settings.</p></footer>",
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_a(CSP)}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light">\n'
        f'<meta name="generator" content="cjmtui {_a(__version__)}">\n'
        f"<title>{html.escape(title, quote=True)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n<div class=\"page\">\n"
        + "\n".join(b for b in body if b)
        + "\n</div>\n</body>\n</html>\n"
    )
