"""README's GitHub loop run in real bash with real jq, a stand-in ``gh`` logging its arguments
(issue 24, item 4): the labels are created before any issue uses them (``cjmtui`` and every
quadrant label the JSON carries), each title reaches ``gh`` without a raw escape code or a bidi
override, and each issue gets all its labels. Skipped when bash or jq is missing, unless ``CI``
is set."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from cjmtui.core import edit, scoring
from cjmtui.core import model as m
from cjmtui.core.export import export_text
from support.needs import need

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
FAKE_GH = """#!/bin/sh
for a in "$@"; do printf '%s\\037' "$a"; done >> "$GH_LOG"
printf '\\n' >> "$GH_LOG"
"""


def _loop() -> str:
    """The README's loop: the lines after the github export, up to the last ``done``."""
    lines = ROOT.joinpath("README.md").read_text("utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "--format github -o fixes.json" in line)
    end = max(i for i, line in enumerate(lines) if line.strip() == "done" and i < start + 20)
    return "\n".join(line[4:] for line in lines[start + 1 : end + 1])


def test_readmes_gh_loop_creates_labels_first_and_passes_clean_titles(tmp_path: Path) -> None:
    need("bash"), need("jq")
    s = m.Session(session=m.SessionInfo(title="Loop"))
    s, stage = edit.add_item(s, "stages", {"name": "Order"}, actor=None)
    s, process = edit.add_item(s, "processes", {"stage": stage.id, "name": "Take the order"}, actor=None)
    s, _ = edit.add_item(s, "pains", {"stage": stage.id, "text": "slow", "caused_by": [process.id]}, actor=None)
    s, _ = edit.add_item(
        s,
        "solutions",
        {"text": "\x1b[31mred\x07 \u202efix", "targets": [process.id], "effort": 1, "status": "planned"},
        actor=None,
    )
    s, _ = edit.add_item(
        s, "solutions", {"text": "big one", "targets": [process.id], "effort": 5, "status": "doing"}, actor=None
    )
    (tmp_path / "fixes.json").write_text(str(export_text("github", s, scoring.rank(s))), "utf-8")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GH_LOG": str(tmp_path / "gh.log")}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", _loop()], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    calls = [line.split("\x1f")[:-1] for line in (tmp_path / "gh.log").read_text("utf-8").splitlines()]
    labels_made = [c[2] for c in calls if c[:2] == ["label", "create"]]
    issues = [c for c in calls if c[:2] == ["issue", "create"]]
    first_issue = next(i for i, c in enumerate(calls) if c[:2] == ["issue", "create"])
    assert all(c[:2] == ["label", "create"] for c in calls[:first_issue]), "an issue before its labels"
    data = json.loads((tmp_path / "fixes.json").read_text("utf-8"))
    wanted = {label for issue in data for label in issue["labels"]}
    assert set(labels_made) == wanted and "cjmtui" in wanted and len(wanted) >= 3
    assert len(issues) == 2
    for call, issue in zip(issues, data, strict=True):
        title = call[call.index("--title") + 1]
        assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e]", title), title
        assert set(call[call.index("--label") + 1].split(",")) == set(issue["labels"])
    assert issues[0][issues[0].index("--title") + 1] == "␛[31mred␇ fix"
