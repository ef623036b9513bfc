"""docs/development.md stays true (issue 25, item 4): its module map names every module under
src/cjmtui and nothing that is gone, and each test a recipe says follows it exists. Generic on
purpose: when modules move, the map is what has to change, not this test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "cjmtui"
DOC = ROOT / "docs" / "development.md"


def _section(title: str) -> str:
    text = DOC.read_text("utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def _modules() -> set[str]:
    return {p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}


def test_the_module_map_names_every_module() -> None:
    named = set(re.findall(r"`([\w/]+\.py)`", _section("Module map")))
    modules = _modules()
    assert {"core/model.py", "ui/app.py", "cli/__init__.py"} <= modules, "the walk found the package"
    missing = sorted(modules - named)
    assert missing == [], f"modules not in docs/development.md's module map: {missing}"


def test_every_module_the_map_names_exists() -> None:
    named = set(re.findall(r"^\| `([\w/]+\.py)` \|", _section("Module map"), re.MULTILINE))
    assert len(named) >= 50
    gone = sorted(named - _modules())
    assert gone == [], f"docs/development.md's module map names modules that are not there: {gone}"


def test_each_recipe_is_followed_by_a_test_that_exists() -> None:
    recipes = _section("Recipes")
    for title in ("A screen", "A field", "An export format", "A capture sign"):
        assert f"\n### {title}\n" in recipes, title
    named = re.findall(r"`(tests/[\w/]+\.py)`", recipes)
    assert len([n for n in named if "recipe" in n]) >= 3
    for path in named:
        assert ROOT.joinpath(path).is_file(), f"{path} named in docs/development.md does not exist"
