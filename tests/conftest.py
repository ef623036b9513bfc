"""Shared fixtures. Every test runs with its own config, data and sessions folders, so a
developer's own settings, themes and sessions never leak into (or get touched by) the tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.needs import check_marks

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "sessions"


@pytest.fixture(autouse=True)
def isolated_user_dirs(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.delenv("CJMTUI_SESSIONS", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return home


@pytest.fixture
def example_copy(tmp_path):
    """A writable copy of a bundled example: ``example_copy("online-ordering")`` → its path."""

    def copy(name: str = "online-ordering") -> Path:
        target = tmp_path / f"{name}.toml"
        shutil.copyfile(EXAMPLES / f"{name}.toml", target)
        return target

    return copy


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """For tests of the command line: run in a fresh folder (never the repository's sessions/),
    with tables wide enough for every column."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CJMTUI_SESSIONS", raising=False)
    monkeypatch.setenv("COLUMNS", "250")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """``needs("tmux")`` marks (tests/support/needs.py): skip, or fail under CI, when missing."""
    check_marks(item)
