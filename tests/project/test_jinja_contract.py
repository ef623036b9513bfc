"""The import contract "Only the HTML report imports Jinja2" names no module by hand (issue 25,
item 6): it covers every module by wildcard, so a module added tomorrow is checked too. Proved
on a copy of the package: as it is, the contract is kept; a new core module importing Jinja2 or
MarkupSafe, or any module importing the report directly (not through the lazy FORMATS entry),
breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import tomli_w

ROOT = Path(__file__).resolve().parents[2]
NAME = "Only the HTML report imports Jinja2 (so start-up never pays for it)"
LINT = Path(sys.executable).with_name("lint-imports")


def _config() -> dict[str, object]:
    with ROOT.joinpath("pyproject.toml").open("rb") as fh:
        linter = tomllib.load(fh)["tool"]["importlinter"]
    (contract,) = [c for c in linter["contracts"] if c["name"] == NAME]
    return {"tool": {"importlinter": {**linter, "contracts": [contract]}}}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of src/cjmtui and a pyproject.toml holding only this contract."""
    if not LINT.exists():
        pytest.fail(f"{LINT} is missing: pip install '.[lint]'")
    shutil.copytree(ROOT / "src" / "cjmtui", tmp_path / "src" / "cjmtui", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "pyproject.toml").write_text(tomli_w.dumps(_config()), "utf-8")
    return tmp_path


def _lint(copy: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo"], cwd=copy, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_contract_is_written_with_wildcards_only() -> None:
    (contract,) = _config()["tool"]["importlinter"]["contracts"]  # type: ignore[index]
    assert all(m == "cjmtui" or m.endswith(".**") for m in contract["source_modules"])


def test_the_package_as_it_is_keeps_the_contract(copy: Path) -> None:
    result = _lint(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{NAME} KEPT" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("core/probe.py", "import jinja2\n"),  # a new core module
        ("core/export/probe.py", "from markupsafe import Markup\n"),  # a new exporter
        ("ui/probe.py", "from cjmtui.core.export.html import export_html\n"),  # the report, not lazily
        ("cli/probe.py", "def later():\n    from cjmtui.core.export import svg\n"),  # inside a function too
    ],
)
def test_a_new_module_that_pulls_jinja2_in_breaks_it(copy: Path, module: str, line: str) -> None:
    copy.joinpath("src", "cjmtui", module).write_text(line, "utf-8")
    result = _lint(copy)
    assert result.returncode == 1, result.stdout + result.stderr
    probe = "cjmtui." + module.removesuffix(".py").replace("/", ".")
    assert f"{probe} is not allowed to import" in result.stdout
