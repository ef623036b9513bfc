"""The one check for a program a test needs: skip when it is missing, fail when ``CI`` is set.

``pytestmark = needs("tmux")`` (or ``@needs("jq")`` on a test) marks what a test needs; the
root conftest checks the mark before the test runs. Inside a test or fixture, ``need("taplo")``
returns the program's path. On a developer's machine a missing program skips the test with
how to install it; under ``CI=true`` (``.ci/run`` installs everything) it fails, so CI never
passes with a test quietly skipped. Only a missing program skips: a failure of cjmtui's own
code, or of a program that is there, always fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parents[2]
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "headless_shell")


def find_npm_tool(env: str, in_node_modules: str, command: str | None = None) -> str | None:
    """An npm tool: ``$ENV``, else ``.ci/node`` (``.ci/run`` installs them there), else a
    ``node_modules`` beside the repository, else the PATH."""
    for candidate in (
        os.environ.get(env),
        str(REPO / ".ci" / "node" / "node_modules" / in_node_modules),
        str(REPO / "node_modules" / in_node_modules),
        shutil.which(command) if command else None,
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def find_browser() -> str | None:
    """Chromium (or Chrome): ``$CJMTUI_CHROMIUM``, else the first of :data:`BROWSERS` found."""
    explicit = os.environ.get("CJMTUI_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else shutil.which(explicit)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def _sshd() -> str | None:
    """sshd, and the privilege separation folder it insists on (the tests never make it)."""
    if not Path("/run/sshd").is_dir():
        return None
    return shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)


@dataclass(frozen=True)
class Tool:
    find: Callable[[], str | None]
    install: str


def _which(*names: str) -> Callable[[], str | None]:
    return lambda: next((found for name in names if (found := shutil.which(name))), None)


TOOLS: dict[str, Tool] = {
    "tmux": Tool(_which("tmux"), "apt-get install tmux"),
    "ssh": Tool(_which("ssh"), "apt-get install openssh-client"),
    "ssh-keygen": Tool(_which("ssh-keygen"), "apt-get install openssh-client"),
    "sshd": Tool(_sshd, "apt-get install openssh-server; and, as root, mkdir /run/sshd (.ci/run does)"),
    "git": Tool(_which("git"), "apt-get install git"),
    "bash": Tool(_which("bash"), "apt-get install bash"),
    "zsh": Tool(_which("zsh"), "apt-get install zsh"),
    "jq": Tool(_which("jq"), "apt-get install jq"),
    "setsid": Tool(_which("setsid"), "apt-get install util-linux"),
    "cmark-gfm": Tool(_which("cmark-gfm"), "apt-get install cmark-gfm"),
    "pdftotext": Tool(_which("pdftotext"), "apt-get install poppler-utils"),
    "soffice": Tool(_which("soffice", "libreoffice"), "apt-get install libreoffice-calc-nogui"),
    "chromium": Tool(find_browser, "apt-get install chromium, or set CJMTUI_CHROMIUM to a Chrome/Chromium binary"),
    "taplo": Tool(
        lambda: find_npm_tool("CJMTUI_TAPLO", ".bin/taplo", "taplo"), "npm install @taplo/cli (or set CJMTUI_TAPLO)"
    ),
    "mmdc": Tool(
        lambda: find_npm_tool("CJMTUI_MMDC", ".bin/mmdc", "mmdc"),
        "npm install @mermaid-js/mermaid-cli (or set CJMTUI_MMDC)",
    ),
    "axe-core": Tool(
        lambda: find_npm_tool("CJMTUI_AXE", "axe-core/axe.min.js"), "npm install axe-core (or set CJMTUI_AXE)"
    ),
}


def unavailable(what: str, how: str) -> NoReturn:
    """``what`` is not there: a failure under CI, a skip elsewhere (saying ``how`` to get it)."""
    if CI:
        pytest.fail(f"CI is set but {what} is missing ({how}); .ci/run installs it")
    pytest.skip(f"{what} is missing ({how}); under CI=true this test fails instead")


def need(name: str) -> str:
    """The path of the program ``name`` (a key of :data:`TOOLS`), or skip / fail (see above)."""
    tool = TOOLS[name]
    found = tool.find()
    if found is None:
        unavailable(name, tool.install)
    return found


def needs(*names: str) -> pytest.MarkDecorator:
    """A mark: the test needs these programs (checked by the root conftest before it runs)."""
    unknown = [name for name in names if name not in TOOLS]
    assert not unknown, f"no such tool in tests/support/needs.py: {unknown}"
    return pytest.mark.needs(*names)


def check_marks(item: pytest.Item) -> None:
    """For the root conftest: skip or fail ``item`` when a program it ``needs`` is missing."""
    for mark in item.iter_markers("needs"):
        for name in mark.args:
            need(name)
