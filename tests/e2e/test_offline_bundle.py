"""The offline install (issue 14, item 7): ``python -m cjmtui.bundle`` builds one file; on a
machine with no package index, ``python3 cjmtui-offline.pyz TARGET`` installs a working cjmtui.

Building needs a package index (pip download). The test is skipped only when pip cannot reach
one (a probe downloads one small wheel first), unless ``CI`` is set; once the index is there, a
build that fails is a failure of ours.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from cjmtui.bundle import PLATFORMS, PYTHONS
from support.needs import unavailable

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def _index_reachable(folder: Path) -> bool:
    """Can pip download from its package index here (one small pure-Python wheel)?"""
    wheel = f"tomli-w=={version('tomli-w')}"
    probe = subprocess.run(
        [sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:", "-d", str(folder), wheel],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return probe.returncode == 0


def test_the_bundle_installs_and_runs_with_the_package_index_off(tmp_path: Path) -> None:
    if not _index_reachable(tmp_path / "probe"):
        unavailable(
            "a package index pip can reach", "the bundle downloads its wheels; check the network or PIP_INDEX_URL"
        )
    bundle = tmp_path / "cjmtui-offline.pyz"
    built = subprocess.run(
        [sys.executable, "-m", "cjmtui.bundle", "-o", str(bundle), "--project", str(ROOT)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, "the offline bundle could not be built:\n" + built.stderr[-3000:]
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
    assert "__main__.py" in names
    for python in PYTHONS:  # the compiled dependency, for every platform and Python it covers
        tag = "cp" + python.replace(".", "")
        for platform in PLATFORMS:
            arch = platform.split("_", 1)[1]
            assert any(n.startswith("wheels/pydantic_core-") and f"-{tag}-" in n and arch in n for n in names), (
                f"no pydantic-core wheel for Python {python} on {arch}"
            )

    # The machine without PyPI: a bare environment, the index off, the interpreter itself.
    target = tmp_path / "installed"
    python = getattr(sys, "_base_executable", sys.executable)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_NO_INDEX": "1", "LANG": "C.UTF-8"}
    installed = subprocess.run([python, str(bundle), str(target)], capture_output=True, text=True, timeout=600, env=env)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    cjmtui = target / "bin" / "cjmtui"
    assert re.search(rf"cjmtui [\d.]+ installed: {re.escape(str(cjmtui))}", installed.stdout), installed.stdout
    version = subprocess.run([str(cjmtui), "--version"], capture_output=True, text=True, env=env, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("cjmtui "), version.stderr
    valid = subprocess.run(
        [str(cjmtui), "validate", str(ROOT / "sessions" / "online-ordering.toml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert valid.returncode == 0 and valid.stdout.startswith("ok: 7 stages"), valid.stdout + valid.stderr
