"""The version has one home, ``cjmtui.__version__`` (issue 25, item 6): pyproject.toml reads it
(a dynamic version) instead of keeping a second copy that could disagree."""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import cjmtui

ROOT = Path(__file__).resolve().parents[2]


def test_pyproject_reads_the_version_from_the_package() -> None:
    with ROOT.joinpath("pyproject.toml").open("rb") as fh:
        config = tomllib.load(fh)
    assert "version" not in config["project"], "a second copy of the version in pyproject.toml"
    assert "version" in config["project"]["dynamic"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cjmtui.__version__"}


def test_the_one_version_is_a_plain_literal_and_installed_as_such() -> None:
    # setuptools reads the assignment without importing the package: it must stay a literal.
    source = Path(cjmtui.__file__).read_text("utf-8")
    assert re.search(r'^__version__ = "\d+\.\d+\.\d+"$', source, re.MULTILINE)
    assert importlib.metadata.version("cjmtui") == cjmtui.__version__


def test_the_changelog_starts_with_unreleased_then_this_version() -> None:
    headings = re.findall(r"^## \[([^\]]+)\]", ROOT.joinpath("CHANGELOG.md").read_text("utf-8"), re.MULTILINE)
    assert headings[:2] == ["Unreleased", cjmtui.__version__]
