"""pyproject.toml lists the packages a wheel ships by hand (the themes folder is mapped into the
package, which rules out plain discovery): every package under src/cjmtui must be in that list,
or an installed cjmtui lacks it while the editable checkout works (issue 25, item 6)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "cjmtui"


def test_every_package_is_shipped() -> None:
    with ROOT.joinpath("pyproject.toml").open("rb") as fh:
        listed = set(tomllib.load(fh)["tool"]["setuptools"]["packages"])
    found = {
        ".".join(("cjmtui", *init.parent.relative_to(PACKAGE).parts))
        for init in PACKAGE.rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    assert {"cjmtui", "cjmtui.core", "cjmtui.ui.screens"} <= found
    missing = sorted(found - listed)
    assert missing == [], f"packages not in [tool.setuptools] packages of pyproject.toml: {missing}"
