"""The README's contract: it opens with two one-line commands, and CI runs the second one."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _commands() -> list[str]:
    lines = ROOT.joinpath("README.md").read_text("utf-8").splitlines()
    body = [line for line in lines[1:] if line.strip()]
    return [line.strip() for line in body[:2]]


def test_readme_opens_with_install_and_open_then_install_and_test():
    run_app, run_tests = _commands()
    assert run_app.startswith("python3 -m venv .venv && ") and "cjmtui sessions/" in run_app
    example = re.search(r"cjmtui (sessions/\S+\.toml)", run_app).group(1)
    assert ROOT.joinpath(example).is_file()
    assert run_tests.startswith("python3 -m venv .venv && ") and '".[test]"' in run_tests
    assert run_tests.rstrip().split("&&")[-1].strip().startswith(".venv/bin/pytest")


def test_ci_runs_the_readme_test_command():
    script = ROOT.joinpath(".ci/run").read_text("utf-8")
    # .ci/run takes the first README line that creates a venv and runs pytest: the second command.
    assert "grep -m1 -E '^ *python3 -m venv .*pytest' README.md" in script
    _, run_tests = _commands()
    first_match = next(
        line.strip()
        for line in ROOT.joinpath("README.md").read_text("utf-8").splitlines()
        if re.match(r"^ *python3 -m venv .*pytest", line)
    )
    assert first_match == run_tests
    assert "exit 1" in script and '"$rc" -eq 5' in script  # no tests collected is a failure


def test_the_export_line_names_every_format_and_dialect():
    """README's `cjmtui export` line is the one hand-written list of formats left: it must match
    the registry (issue 25, item 6)."""
    from cjmtui.core.export import FORMATS
    from cjmtui.core.export.tabular import CSV_DIALECTS

    readme = ROOT.joinpath("README.md").read_text("utf-8")
    line = next(line for line in readme.splitlines() if line.strip().startswith("cjmtui export ") and "# md |" in line)
    formats, dialects = line.split("#", 1)[1].split(", --csv-dialect")
    assert {f.strip() for f in formats.split("|")} == set(FORMATS)
    assert {d.strip() for d in dialects.split("|")} == set(CSV_DIALECTS)
