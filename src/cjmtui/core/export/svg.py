"""The report's charts as inline SVG, built in code: the emotion curve and the impact/effort matrix.

Every function returns :class:`markupsafe.Markup`: the SVG is markup we made, and every piece of
user text inside it went through :func:`text` (cleaned, then escaped). Charts carry a ``<title>``
and ``<desc>`` and the report puts a table with the same values next to each one.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from ..model import Session, Stage
from ..safety import printable
from ..scoring import FILL_IN, MAJOR_PROJECT, QUICK_WIN, THANKLESS, RankedSolution, Ranking
from ..vocab import EMOTION_WORDS, fmt_number, plural, signed

QUADRANT_LABELS = {
    QUICK_WIN: "Quick wins",
    MAJOR_PROJECT: "Major projects",
    FILL_IN: "Fill-ins",
    THANKLESS: "Thankless tasks",
}
QUADRANT_COLOUR = {QUICK_WIN: "#17703a", MAJOR_PROJECT: "#1f5a9e", FILL_IN: "#5b6472", THANKLESS: "#a3261c"}
# Persona series: colour, marker shape and dash pattern, so no series is told apart by colour alone.
PERSONA_COLOURS = ("#1f5a9e", "#b3261e", "#17703a", "#7a3c9e", "#9a5700", "#0d6b73", "#4b5563", "#a0306e")
PERSONA_SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "ring")
PERSONA_DASHES = ("", "7 4", "2 3", "10 3 2 3", "4 4", "1 5")

# Characters HTML does not allow in a document (noncharacters); controls are made visible first.
_NONCHARACTERS = re.compile(
    "[\ufdd0-\ufdef" + "".join(f"{chr((p << 16) | 0xFFFE)}{chr((p << 16) | 0xFFFF)}" for p in range(17)) + "]"
)


_LINE_BREAK = re.compile(r"[ \t]*\n[ \t\n]*")


def clean(value: object, *, multiline: bool = False) -> str:
    """User text made safe to put in an HTML document (not yet escaped).

    Control characters and bidi overrides become visible stand-ins (:func:`printable`);
    noncharacters and lone surrogates become U+FFFD. Line breaks are kept when ``multiline``,
    and become ``" / "`` otherwise (as in Markdown; never the terminal's ``⏎`` glyph).
    """
    s = printable("" if value is None else str(value), single_line=False)
    if not multiline and "\n" in s:
        s = _LINE_BREAK.sub(" / ", s.strip())
    return _NONCHARACTERS.sub("\ufffd", s)


def text(value: object, *, multiline: bool = False) -> Markup:
    """User text as HTML (element content or a quoted attribute value): cleaned and escaped."""
    return escape(clean(value, multiline=multiline))


def _n(value: float) -> str:
    """A coordinate for SVG."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


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
        return (
            f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r * 0.85)}" fill="#fff" stroke="{colour}" stroke-width="2.6"/>'
        )
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" {fill}/>'


@dataclass(frozen=True)
class Series:
    """How a persona is drawn: colour, marker shape and dash pattern, by its position."""

    index: int

    @property
    def colour(self) -> str:
        return PERSONA_COLOURS[self.index % len(PERSONA_COLOURS)]

    @property
    def shape(self) -> str:
        return PERSONA_SHAPES[self.index % len(PERSONA_SHAPES)]

    @property
    def dash(self) -> str:
        return PERSONA_DASHES[self.index % len(PERSONA_DASHES)]

    def symbol(self) -> Markup:
        """The marker as a small inline SVG for legends (decorative: the name is next to it)."""
        dash = f' stroke-dasharray="{self.dash}"' if self.dash else ""
        return Markup(
            '<svg class="sym" width="24" height="16" viewBox="0 0 24 16" aria-hidden="true" focusable="false">'
            f'<line x1="1" y1="8" x2="23" y2="8" stroke="{self.colour}" stroke-width="2"{dash}/>'
            f"{_shape(self.shape, 12, 8, 5, self.colour)}</svg>"
        )


def _svg_lines(value: str, width: int, max_lines: int) -> list[str]:
    """Clean text wrapped into at most ``max_lines`` lines of about ``width`` characters."""
    s = clean(value)
    lines = textwrap.wrap(s, max(width, 4), max_lines=max_lines, placeholder="\u2026", break_long_words=True)
    return lines or [s[:width]]


# ---------------------------------------------------------------------------------------------
# The emotion curve

_EMO = {"width": 1000.0, "left": 118.0, "right": 18.0, "top": 22.0, "plot_h": 250.0, "bottom": 64.0}


def _emotion_y(v: int) -> float:
    return _EMO["top"] + (2 - v) * _EMO["plot_h"] / 4


def _emotion_grid(stages: Sequence[Stage], col: float) -> list[str]:
    left, top, plot_h, width, right = _EMO["left"], _EMO["top"], _EMO["plot_h"], _EMO["width"], _EMO["right"]
    step = plot_h / 4
    plot_w = width - left - right
    svg = [
        f'<rect x="{_n(left)}" y="{_n(top)}" width="{_n(plot_w)}" height="{_n(2 * step)}" fill="#f1f8f3"/>',
        f'<rect x="{_n(left)}" y="{_n(top + 2 * step)}" width="{_n(plot_w)}" height="{_n(2 * step)}" fill="#fcf1f0"/>',
    ]
    for v in range(-2, 3):
        y = _emotion_y(v)
        stroke = 'stroke="#465062" stroke-width="1.4"' if v == 0 else 'stroke="#cfd5de" stroke-width="1"'
        svg.append(f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(width - right)}" y2="{_n(y)}" {stroke}/>')
        svg.append(
            f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end" font-size="12">'
            f"{signed(v)} {EMOTION_WORDS[v]}</text>"
        )
    chars = int(col / 6.6)
    for i, st in enumerate(stages):
        x = left + (i + 0.5) * col
        if i:
            svg.append(
                f'<line x1="{_n(left + i * col)}" y1="{_n(top)}" x2="{_n(left + i * col)}" '
                f'y2="{_n(top + plot_h)}" stroke="#e3e7ed" stroke-width="1"/>'
            )
        tspans = "".join(
            f'<tspan x="{_n(x)}" dy="{0 if k == 0 else 14}">{escape(line)}</tspan>'
            for k, line in enumerate(_svg_lines(f"{i + 1}. {st.name}", chars, 3))
        )
        svg.append(
            f'<text y="{_n(top + plot_h + 18)}" text-anchor="middle" font-size="12">'
            f"<title>{text(st.name)}</title>{tspans}</text>"
        )
    return svg


def _emotion_series(session: Session, persona_index: int, k: int, shown: int, col: float) -> list[str]:
    pe = session.personas[persona_index]
    s = Series(persona_index)
    dx = (k - (shown - 1) / 2) * min(14.0, col / (shown + 3))
    points = [
        (i, _EMO["left"] + (i + 0.5) * col + dx, _emotion_y(st.emotion[pe.id]), st.emotion[pe.id])
        for i, st in enumerate(session.stages)
        if pe.id in st.emotion
    ]
    d, prev = [], None
    for i, x, y, _v in points:
        d.append(f"{'L' if prev is not None and i == prev + 1 else 'M'}{_n(x)} {_n(y)}")
        prev = i
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    out = [
        f'<g class="emotion-series" data-persona="{escape(pe.id)}">',
        f'<path d="{" ".join(d)}" fill="none" stroke="{s.colour}" stroke-width="2.4"{dash} '
        'stroke-linejoin="round" stroke-linecap="round"/>',
    ]
    for i, x, y, v in points:
        st = session.stages[i]
        out.append(
            f'<g class="emotion-point" data-persona="{escape(pe.id)}" data-stage="{escape(st.id)}" '
            f'data-value="{v}"><title>{text(pe.name)} at {text(st.name)}: {signed(v)} ({EMOTION_WORDS[v]})'
            f"</title>{_shape(s.shape, x, y, 6, s.colour)}</g>"
        )
    out.append("</g>")
    return out


def emotion_chart(session: Session, personas: Sequence[int]) -> Markup:
    """One line per persona (by index in ``session.personas``) across the stages, -2 … +2."""
    stages = session.stages
    width, left, right = _EMO["width"], _EMO["left"], _EMO["right"]
    height = _EMO["top"] + _EMO["plot_h"] + _EMO["bottom"]
    col = (width - left - right) / len(stages)
    svg = [
        f'<svg class="chart" viewBox="0 0 {_n(width)} {_n(height)}" role="img" '
        'aria-labelledby="emotion-title emotion-desc" fill="#1b2230" xmlns="http://www.w3.org/2000/svg">',
        '<title id="emotion-title">Emotion curve per persona across the stages</title>',
        f'<desc id="emotion-desc">A line chart with one line per persona ({len(personas)}) over '
        f"{len(stages)} stages, from -2 (very negative) to +2 (very positive). The table after the "
        "chart gives the same values.</desc>",
        *_emotion_grid(stages, col),
    ]
    for k, index in enumerate(personas):
        svg += _emotion_series(session, index, k, len(personas), col)
    svg.append("</svg>")
    return Markup("\n".join(svg))


# ---------------------------------------------------------------------------------------------
# The impact / effort matrix


def nice_top(value: float) -> tuple[float, float]:
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


@dataclass(frozen=True)
class _Plot:
    """The matrix's geometry: effort 1–5 across, impact 0–``y_top`` up."""

    y_top: float
    left: float = 78.0
    top: float = 16.0
    plot_w: float = 720.0 - 78.0 - 18.0
    plot_h: float = 380.0

    @property
    def cell(self) -> float:
        return self.plot_w / 5

    def x(self, effort: float) -> float:
        return self.left + (effort - 0.5) * self.cell

    def y(self, impact: float) -> float:
        return self.top + self.plot_h - impact / self.y_top * self.plot_h


def _quadrants(p: _Plot, x_div: float, y_div: float) -> tuple[list[str], list[str]]:
    """The four quadrants' backgrounds, and their labels where there is room."""
    x_end, y_end = p.left + p.plot_w, p.top + p.plot_h
    boxes = (
        (p.left, p.top, x_div, y_div, "#e9f6ee"),
        (x_div, p.top, x_end, y_div, "#edf2fa"),
        (p.left, y_div, x_div, y_end, "#f4f5f7"),
        (x_div, y_div, x_end, y_end, "#fbefee"),
    )
    svg = [
        f'<rect x="{_n(a)}" y="{_n(b)}" width="{_n(c - a)}" height="{_n(d - b)}" fill="{colour}"/>'
        for a, b, c, d, colour in boxes
    ]
    labels = (
        (QUICK_WIN, p.left + 8, p.top + 18, "start", x_div - p.left),
        (MAJOR_PROJECT, x_end - 8, p.top + 18, "end", x_end - x_div),
        (FILL_IN, p.left + 8, y_end - 8, "start", x_div - p.left),
        (THANKLESS, x_end - 8, y_end - 8, "end", x_end - x_div),
    )
    return svg, [
        f'<text class="quadrant-label" x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}" font-size="14" '
        f'font-weight="700" fill="{QUADRANT_COLOUR[q]}">{QUADRANT_LABELS[q]}</text>'
        for q, x, y, anchor, room in labels
        if room > 40
    ]


def _axes(p: _Plot, y_step: float, x_div: float, y_div: float) -> list[str]:
    x_end, y_end = p.left + p.plot_w, p.top + p.plot_h
    svg = []
    tick = 0.0
    while tick <= p.y_top + 1e-9:
        y = p.y(tick)
        svg.append(
            f'<line x1="{_n(p.left)}" y1="{_n(y)}" x2="{_n(x_end)}" y2="{_n(y)}" stroke="#d9dee5" stroke-width="1"/>'
        )
        svg.append(
            f'<text x="{_n(p.left - 8)}" y="{_n(y + 4)}" text-anchor="end" font-size="12">{fmt_number(tick)}</text>'
        )
        tick += y_step
    svg += [
        f'<text x="{_n(p.x(e))}" y="{_n(y_end + 18)}" text-anchor="middle" font-size="12">{e}</text>'
        for e in range(1, 6)
    ]
    dashed = 'stroke="#465062" stroke-width="1.5" stroke-dasharray="6 4"'
    svg += [
        f'<text x="{_n(p.left + p.plot_w / 2)}" y="{_n(y_end + 42)}" text-anchor="middle" font-size="13" '
        'font-weight="700">Effort (1 small \u2026 5 large) \u2192</text>',
        f'<text transform="translate(20 {_n(p.top + p.plot_h / 2)}) rotate(-90)" text-anchor="middle" '
        'font-size="13" font-weight="700">Impact (weighted pain removed) \u2192</text>',
        f'<rect x="{_n(p.left)}" y="{_n(p.top)}" width="{_n(p.plot_w)}" height="{_n(p.plot_h)}" fill="none" '
        'stroke="#465062"/>',
        f'<line x1="{_n(x_div)}" y1="{_n(p.top)}" x2="{_n(x_div)}" y2="{_n(y_end)}" {dashed}/>',
        f'<line x1="{_n(p.left)}" y1="{_n(y_div)}" x2="{_n(x_end)}" y2="{_n(y_div)}" {dashed}/>',
    ]
    return svg


class _Placed:
    """The markers placed so far, in a grid of cells one marker gap wide: a marker closer than
    the gap to a new spot is in that spot's cell or a neighbouring one, so each check looks at a
    few markers, not all of them (a report of 1,000 solutions made 10 million checks, 4 s)."""

    def __init__(self, gap: float) -> None:
        self.gap = gap
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = {}

    def _cell(self, x: float, y: float) -> tuple[int, int]:
        return int(x // self.gap), int(y // self.gap)

    def free(self, x: float, y: float) -> bool:
        cx, cy = self._cell(x, y)
        gap2 = self.gap**2
        return all(
            (x - px) ** 2 + (y - py) ** 2 >= gap2
            for i in (cx - 1, cx, cx + 1)
            for j in (cy - 1, cy, cy + 1)
            for px, py in self.cells.get((i, j), ())
        )

    def add(self, x: float, y: float) -> None:
        self.cells.setdefault(self._cell(x, y), []).append((x, y))


def _place(p: _Plot, bx: float, by: float, placed: _Placed, r: float) -> tuple[float, float]:
    """Where a marker goes: its true place, else the nearest free spot in its effort column."""
    half = p.cell / 2 - r - 2
    for j in range(24):  # rows above and below the true height, nearest first
        y = by - (j + 1) // 2 * (1 if j % 2 else -1) * (2 * r + 2)
        if y < p.top + r - 2 or y > p.top + p.plot_h + 2:
            continue
        for k in range(12):  # then sideways within the effort column
            dx = (k + 1) // 2 * (2 * r + 2) * (1 if k % 2 else -1)
            x = bx + dx
            if abs(dx) <= half and placed.free(x, y):
                return x, y
    return bx, by


def _marker(s: RankedSolution, x: float, y: float, r: float) -> str:
    colour = QUADRANT_COLOUR.get(s.quadrant, "#5b6472")
    return (
        f'<g class="matrix-point" data-solution="{escape(s.id)}" data-rank="{s.rank}" '
        f'data-quadrant="{escape(s.quadrant)}"><title>#{s.rank} {text(s.text)}: impact {fmt_number(s.impact)}, '
        f"effort {s.effort}, {escape(s.quadrant)}</title>"
        f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}" stroke="#fff" stroke-width="1.5"/>'
        f'<text x="{_n(x)}" y="{_n(y + 4)}" text-anchor="middle" font-size="11" font-weight="700" '
        f'fill="#fff">{s.rank}</text></g>'
    )


def matrix_chart(ranking: Ranking, max_effort: int) -> Markup:
    """The ranked solutions by effort and impact, quadrants split at ``max_effort`` and the median."""
    sols = ranking.solutions
    y_top, y_step = nice_top(max(s.impact for s in sols))
    p = _Plot(y_top)
    x_div, y_div = p.x(max_effort + 0.5), p.y(ranking.median_impact)
    boxes, labels = _quadrants(p, x_div, y_div)
    svg = [
        '<svg class="chart" viewBox="0 0 720 452" role="img" aria-labelledby="matrix-title matrix-desc" '
        'fill="#1b2230" xmlns="http://www.w3.org/2000/svg">',
        '<title id="matrix-title">Impact / effort matrix of the solutions</title>',
        f'<desc id="matrix-desc">A scatter chart of {plural(len(sols), "solution")} by effort (1 to 5, across) '
        f"and impact (up). Quick wins are at effort {max_effort} or less with at least the median impact "
        f"({fmt_number(ranking.median_impact)}). Each marker shows the solution\u2019s rank; the table next to "
        "the chart gives the same values.</desc>",
        *boxes,
        *_axes(p, y_step, x_div, y_div),
        *labels,
    ]
    placed = _Placed(2 * 11.0 + 1)
    for s in sorted(sols, key=lambda s: s.rank):
        x, y = _place(p, p.x(s.effort), p.y(s.impact), placed, 11.0)
        placed.add(x, y)
        svg.append(_marker(s, x, y, 11.0))
    svg.append("</svg>")
    return Markup("\n".join(svg))
