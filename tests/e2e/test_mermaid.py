"""The Mermaid journey export drawn by Mermaid itself (mermaid-cli in the system Chromium), for a
session whose every text is hostile: it renders, every stage is a section, and no user text
became markup (issue 14, item 4).

Skipped when mermaid-cli or Chromium is missing, unless ``CI`` is set (``.ci/run`` installs
npm's ``@mermaid-js/mermaid-cli`` and Debian's ``chromium``).
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from xml.etree import ElementTree

import pytest

from cjmtui.core import edit, scoring
from cjmtui.core import model as m
from cjmtui.core.export import export_text
from cjmtui.core.export.mermaid import mermaid_text
from support.needs import need

HOSTILE = [
    "Order: placed; paid #1",
    "%% not a comment",
    "section Evil: 5: Mallory",
    "<b>bold</b> <img src=x onerror=alert(1)> &amp; #quot;",
    "title Takeover",
    "two\nlines",
]

pytestmark = pytest.mark.e2e


def test_a_hostile_journey_renders_with_every_stage_and_no_markup(tmp_path: Path) -> None:
    mmdc, chromium = need("mmdc"), need("chromium")
    s = m.Session(session=m.SessionInfo(title=HOSTILE[0]))
    s, persona = edit.add_item(s, "personas", {"name": HOSTILE[2]}, actor=None)
    for i, text in enumerate(HOSTILE):  # every other stage, and the pains of the others, moments of truth
        s, stage = edit.add_item(
            s, "stages", {"name": text, "emotion": {persona.id: -1}, "moment": i % 2 == 0}, actor=None
        )
        s, _ = edit.add_item(s, "pains", {"stage": stage.id, "text": text, "moment": i % 2 == 1}, actor=None)
        s, _ = edit.add_item(s, "pains", {"stage": stage.id, "text": "a gain: " + text, "kind": "gain"}, actor=None)
    source = tmp_path / "journey.mmd"
    source.write_text(export_text("mermaid", s, scoring.rank(s)), encoding="utf-8")
    config = tmp_path / "puppeteer.json"
    config.write_text(json.dumps({"executablePath": chromium, "args": ["--no-sandbox", "--disable-gpu"]}))
    out = tmp_path / "journey.svg"
    result = subprocess.run(
        [mmdc, "-p", str(config), "-i", str(source), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
    )
    assert result.returncode == 0 and out.is_file(), result.stdout + result.stderr
    svg = out.read_text("utf-8")
    root = ElementTree.fromstring(svg)
    words = " ".join(" ".join(e.itertext()) for e in root.iter())
    squeezed = " ".join(words.split())
    for text in HOSTILE:
        assert " ".join(mermaid_text(text).split()) in squeezed, f"stage {text!r} is not drawn"
    assert "★" in squeezed, "no moment of truth is marked"
    tags = {e.tag.rsplit("}", 1)[-1] for e in root.iter()}
    assert not tags & {"script", "img", "b"}, f"user text became markup: {tags}"
    assert not [e for e in root.iter() if any(a.lower().startswith("on") for a in e.attrib)], "an event handler"
