"""The offline bundle's installer run by real pip with no package index (issue 24, item 8):
a newer bundle over an older install upgrades it and says from which version to which; the same
bundle again says it was already installed; a Python without the ``venv`` module gets one line,
no traceback.

The bundles here hold stand-in cjmtui wheels (versions 1.0 and 2.0, made by the test) and the
pip wheel that ships with this Python (``ensurepip``), so no network is needed; the full bundle
is built and installed by ``test_offline_bundle.py``.
"""

from __future__ import annotations

import ensurepip
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cjmtui.bundle import pack
from support.needs import unavailable

pytestmark = pytest.mark.e2e
PYTHON = getattr(sys, "_base_executable", sys.executable)


def _pip_wheel() -> Path:
    wheels = sorted((Path(ensurepip.__file__).parent / "_bundled").glob("pip-*.whl"))
    if not wheels:
        unavailable("a pip wheel in ensurepip/_bundled", "a distribution's python3 without ensurepip: use python.org's")
    return wheels[-1]


def _fake_cjmtui(folder: Path, version: str) -> Path:
    """A pure-Python wheel named cjmtui whose ``cjmtui`` command prints its version."""
    info = f"cjmtui-{version}.dist-info"
    files = {
        "cjmtui/__init__.py": f"def main():\n    print('cjmtui {version}')\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: cjmtui\nVersion: {version}\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": "[console_scripts]\ncjmtui = cjmtui:main\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{name},,\n" for name in [*files, f"{info}/RECORD"])
    wheel = folder / f"cjmtui-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, text)
    return wheel


def _bundle(tmp_path: Path, version: str) -> Path:
    wheels = tmp_path / f"wheels-{version}"
    wheels.mkdir()
    _fake_cjmtui(wheels, version)
    (wheels / _pip_wheel().name).write_bytes(_pip_wheel().read_bytes())
    return pack(tmp_path / f"cjmtui-{version}.pyz", wheels)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PIP_NO_INDEX": "1", "LANG": "C.UTF-8", **extra}


def test_a_newer_bundle_upgrades_and_says_from_which_version_to_which(tmp_path: Path) -> None:
    old, new = _bundle(tmp_path, "1.0"), _bundle(tmp_path, "2.0")
    target = tmp_path / "venv"
    cjmtui = target / "bin" / "cjmtui"

    def install(bundle: Path) -> str:
        done = subprocess.run(
            [PYTHON, str(bundle), str(target)], capture_output=True, text=True, timeout=600, env=_env(tmp_path)
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    assert f"cjmtui 1.0 installed: {cjmtui}" in install(old)
    assert subprocess.run([str(cjmtui)], capture_output=True, text=True).stdout == "cjmtui 1.0\n"
    assert f"cjmtui upgraded from 1.0 to 2.0: {cjmtui}" in install(new)
    assert subprocess.run([str(cjmtui)], capture_output=True, text=True).stdout == "cjmtui 2.0\n"
    assert f"cjmtui 2.0 was already installed: {cjmtui}" in install(new)


def test_a_python_without_venv_gets_one_line(tmp_path: Path) -> None:
    bundle = _bundle(tmp_path, "1.0")
    shadow = tmp_path / "no-venv" / "venv"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ModuleNotFoundError(\"No module named 'venv'\", name='venv')\n")
    done = subprocess.run(
        [PYTHON, str(bundle), str(tmp_path / "target")],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path, PYTHONPATH=str(shadow.parent)),
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "no venv module" in done.stderr and "python3-venv" in done.stderr
    assert not (tmp_path / "target").exists()
