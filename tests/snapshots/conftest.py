"""Every screen snapshot has a text twin (``__text__/FILE/NAME.txt`` for ``__snapshots__/FILE/NAME.svg``)

``snap_compare`` here wraps pytest-textual-snapshot's: the SVG is compared as before, and the
screen's text too. ``--snapshot-update`` writes both; a failing test shows what changed as a
text diff (the SVG report, ``snapshot_report.html``, still shows the colours).
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import pytest_textual_snapshot

from support.snapshots import svg_text, text_diff, twin_of

SNAPSHOTS = Path(__file__).parent / "__snapshots__"


def snapshot_svg(node: pytest.Item) -> Path:
    """Where syrupy keeps the SVG of the test ``node`` (one file per test, named after it)."""
    return SNAPSHOTS / Path(str(node.path)).stem / f"{node.name}.svg"


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool], request: pytest.FixtureRequest) -> Callable[..., bool]:
    def compare(app: Any, **kwargs: Any) -> bool:
        matched = snap_compare(app, **kwargs)
        # The plugin keeps this run's screenshot for its report: its text is this run's screen.
        report = pytest_textual_snapshot.node_to_report_path(request.node)
        actual = svg_text(pickle.loads(report.read_bytes())[2])
        svg = snapshot_svg(request.node)
        twin = twin_of(svg)
        if request.config.option.update_snapshots:
            twin.write_text(actual, encoding="utf-8")
            return matched
        if not twin.exists():
            pytest.fail(f"{twin.name} is missing: run pytest tests/snapshots --snapshot-update")
        expected = twin.read_text(encoding="utf-8")
        if not matched:
            diff = text_diff(expected, actual, svg.stem) or "(the same text: only colours or styles changed)\n"
            pytest.fail(f"the screen is not {svg.name} (see snapshot_report.html); its text:\n{diff}")
        assert actual == expected, f"{twin.name} is not the text of {svg.name}: run with --snapshot-update"
        return matched

    return compare
