"""Fixtures of the end-to-end tests: tmux panes (tests/support/tmux.py) and a copy of the example.

Each pane has its own tmux server (``tmux -L <unique socket>``), HOME and XDG folders in the
test's own tmp dir, so tests never share a terminal, a file or a setting (also in parallel).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.needs import need
from support.tmux import EXAMPLE, Pane


@pytest.fixture
def pane(tmp_path: Path) -> Iterator[Pane]:
    """A 100x30 tmux pane of its own (nothing runs in it until ``pane.start``)."""
    need("tmux")
    p = Pane(tmp_path)
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def second_pane(tmp_path: Path) -> Iterator[Pane]:
    """Another pane, with a server, HOME and XDG folders of its own (a second person)."""
    need("tmux")
    other = tmp_path / "second"
    other.mkdir()
    p = Pane(other)
    try:
        yield p
    finally:
        p.close()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A writable copy of the bundled example, alone in a folder of its own."""
    target = tmp_path / "work" / "online-ordering.toml"
    target.parent.mkdir()
    shutil.copyfile(EXAMPLE, target)
    return target
