"""Every snapshot SVG has its text twin beside it, showing the same screen (and no twin is left
without its SVG), so a changed screen can be read in a diff."""

from __future__ import annotations

from pathlib import Path

from support.snapshots import svg_of, svg_text, twin_of

SNAPSHOTS = Path(__file__).parent / "__snapshots__"
TEXTS = Path(__file__).parent / "__text__"
SVGS = sorted(SNAPSHOTS.rglob("*.svg"))


def test_every_svg_has_a_text_twin_with_its_screen():
    assert SVGS, "no snapshots found"
    missing = [svg.name for svg in SVGS if not twin_of(svg).exists()]
    assert not missing, f"no text twin: {missing} (pytest tests/snapshots --snapshot-update writes them)"
    stale = [svg.name for svg in SVGS if twin_of(svg).read_text(encoding="utf-8") != svg_text(svg.read_text())]
    assert not stale, f"the text twin is not the SVG's screen: {stale}"


def test_every_text_twin_has_its_svg():
    orphans = [txt.name for txt in TEXTS.rglob("*.txt") if not svg_of(txt).exists()]
    assert not orphans, f"text twins whose snapshot is gone: {orphans}"
