"""CI runs with the exact versions of .ci/constraints.txt, inside the ranges users get."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / ".ci" / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"not an exact pin: {line!r}"
            pins[canonicalize_name(name)] = version
    return pins


def test_every_requirement_of_the_package_and_its_test_and_lint_extras_is_pinned_inside_its_range():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    wanted += project["optional-dependencies"]["lint"]
    pins = _pins()
    assert "cjmtui" not in pins
    for line in wanted:
        requirement = Requirement(line)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not in .ci/constraints.txt"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} is outside {requirement}"


def test_ci_exports_the_constraints_and_the_full_soak_before_readmes_test_command():
    run = (ROOT / ".ci" / "run").read_text()
    export = run.index('export PIP_CONSTRAINT="$PWD/.ci/constraints.txt"')
    soak = run.index("export CJMTUI_SOAK=full")
    command = run.index('bash -c "$test_cmd"')
    assert export < command and soak < command
    readme = (ROOT / "README.md").read_text()
    assert len(re.findall(r"^ *python3 -m venv .*pytest", readme, flags=re.MULTILINE)) == 1
