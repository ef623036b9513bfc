"""docs/reliability.md names the test behind each promise: every named test must exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_test_named_in_the_reliability_doc_exists():
    doc = ROOT.joinpath("docs", "reliability.md").read_text("utf-8")
    current = None
    missing = []
    named = 0
    for match in re.finditer(r"`(tests/[\w/]+\.py)?(?:::)?(test_\w+)?(?:\[[^\]]*\])?`", doc):
        path, name = match.group(1), match.group(2)
        if path:
            current = ROOT / path
            assert current.is_file(), f"{path} named in docs/reliability.md does not exist"
        if name:
            named += 1
            assert current is not None
            source = current.read_text("utf-8")
            if not re.search(rf"def {name}\b", source):
                missing.append(f"{current.relative_to(ROOT)}::{name}")
    assert named >= 30, "the doc names the test behind every promise"
    assert missing == [], f"tests named in docs/reliability.md but not found: {missing}"
