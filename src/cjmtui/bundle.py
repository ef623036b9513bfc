"""Build ``cjmtui-offline.pyz``: one file that installs cjmtui where pip cannot reach PyPI.

Run from a checkout, with network::

    python -m cjmtui.bundle -o cjmtui-offline.pyz          # Linux x86_64 and aarch64, Python 3.11-3.13
    python -m cjmtui.bundle -o cjmtui-offline.pyz --here   # only this machine's platform and Python

Copy the file to the locked-down machine and run it with ``python3``; nothing else is needed
(no PyPI, no ``python3-venv`` package, no compiler)::

    python3 cjmtui-offline.pyz                 # installs into ~/.local/share/cjmtui/venv
    python3 cjmtui-offline.pyz /opt/cjmtui     # or where you say

The file is a zip application: an installer (``__main__.py``) and the wheels of cjmtui, of every
dependency for each target platform (pydantic-core, MarkupSafe and tomli are compiled, so one
wheel per platform and Python version; the rest are pure Python) and of pip itself. The
installer makes a virtual environment without ``ensurepip`` and installs from those wheels with
the package index off. Run over an earlier install it upgrades (``pip install --upgrade``) and
says from which version to which. A platform not in the bundle gets pip's own message naming
the wheel it could not find; a Python without the ``venv`` module gets one line saying so.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import tomllib
import zipfile
from pathlib import Path

PLATFORMS = ("manylinux2014_x86_64", "manylinux2014_aarch64")
PYTHONS = ("3.11", "3.12", "3.13")

INSTALLER = '''\
"""Install or upgrade cjmtui from the wheels in this file, with no package index (see cjmtui.bundle)."""
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

VERSION_OF = "import importlib.metadata as m\\ntry: print(m.version('cjmtui'))\\nexcept m.PackageNotFoundError: pass"


def _installed(python):
    """The cjmtui version installed in the environment of ``python``, or None."""
    if not python.exists():
        return None
    done = subprocess.run([str(python), "-c", VERSION_OF], capture_output=True, text=True)
    return done.stdout.strip() or None


def main() -> int:
    if sys.version_info < (3, 11):
        print("cjmtui needs Python 3.11 or newer; this is " + sys.version.split()[0], file=sys.stderr)
        return 1
    try:
        import venv
    except ImportError:
        print("this Python has no venv module: install it (Debian, Ubuntu: apt install python3-venv) "
              "or run the bundle with another Python 3.11+", file=sys.stderr)
        return 1
    default = Path.home() / ".local" / "share" / "cjmtui" / "venv"
    target = Path(sys.argv[1]).expanduser() if len(sys.argv) > 1 else default
    bin_dir = target / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    with zipfile.ZipFile(os.path.dirname(os.path.abspath(__file__))) as bundle, tempfile.TemporaryDirectory() as tmp:
        for name in bundle.namelist():
            if name.startswith("wheels/") and name.endswith(".whl"):
                (Path(tmp) / Path(name).name).write_bytes(bundle.read(name))
        pip = next(Path(tmp).glob("pip-*.whl"))
        ours = next(Path(tmp).glob("cjmtui-*.whl")).name.split("-")[1]
        before = _installed(python)
        try:
            venv.create(target, with_pip=False, clear=False)  # no ensurepip needed
        except (OSError, subprocess.CalledProcessError) as exc:
            print("cannot make the environment " + str(target) + ": " + str(exc), file=sys.stderr)
            return 1
        env = {**os.environ, "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        done = subprocess.run(
            [str(python), str(pip / "pip"), "install", "--no-index", "--find-links", tmp, "--quiet",
             "--upgrade", f"cjmtui[serve]=={ours}"],
            env=env,
        )
        if done.returncode != 0:
            print("cjmtui could not be installed from this bundle (see pip's message above)", file=sys.stderr)
            return done.returncode
    after = _installed(python) or ours
    if before is None:
        print("cjmtui " + after + " installed: " + str(bin_dir / "cjmtui"))
    elif before == after:
        print("cjmtui " + after + " was already installed: " + str(bin_dir / "cjmtui"))
    else:
        print("cjmtui upgraded from " + before + " to " + after + ": " + str(bin_dir / "cjmtui"))
    print("run it with that path, or add " + str(bin_dir) + " to your PATH")
    return 0


if __name__ == "__main__":
    sys.exit(main())
'''


def _pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True)


def dependencies(project: Path) -> list[str]:
    """cjmtui's dependencies and its ``serve`` extra's (asyncssh: ``cjmtui serve`` works offline too)."""
    with open(project / "pyproject.toml", "rb") as fh:
        meta = tomllib.load(fh)["project"]
    return [*meta["dependencies"], *meta.get("optional-dependencies", {}).get("serve", [])]


def build(out: Path, project: Path, *, here: bool = False) -> Path:
    """Write the bundle to ``out``; returns it. Needs pip and network (PyPI)."""
    with tempfile.TemporaryDirectory() as tmp:
        wheels = Path(tmp)
        _pip("wheel", "--quiet", "--no-deps", "--wheel-dir", str(wheels), str(project))
        wanted = [*dependencies(project), "pip"]
        if here:
            _pip("download", "--quiet", "--only-binary=:all:", "--dest", str(wheels), *wanted)
        else:
            for python in PYTHONS:
                for platform in PLATFORMS:  # one at a time: given several, pip takes one wheel for any
                    _pip(
                        "download", "--quiet", "--only-binary=:all:", "--implementation", "cp",
                        "--python-version", python, "--platform", platform, "--dest", str(wheels), *wanted,
                    )  # fmt: skip
        return pack(out, wheels)


def pack(out: Path, wheels: Path) -> Path:
    """Write the bundle ``out`` from the installer and the ``*.whl`` files in ``wheels``
    (cjmtui's, its dependencies' and pip's); returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    with open(partial, "wb") as fh:
        fh.write(b"#!/usr/bin/env python3\n")
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED) as bundle:
            bundle.writestr("__main__.py", INSTALLER)
            for wheel in sorted(wheels.glob("*.whl")):
                bundle.write(wheel, f"wheels/{wheel.name}")
    partial.chmod(0o755)
    partial.replace(out)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m cjmtui.bundle", description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", default="cjmtui-offline.pyz", help="the bundle to write")
    ap.add_argument("--project", default=".", help="the cjmtui checkout (default: here)")
    ap.add_argument("--here", action="store_true", help="only this machine's platform and Python")
    args = ap.parse_args(argv)
    path = build(Path(args.output), Path(args.project), here=args.here)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
