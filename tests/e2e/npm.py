"""Where the npm tools the end-to-end tests use are: ``$ENV``, else ``.ci/node`` (``.ci/run``
installs them there), else a ``node_modules`` beside the repository, else the PATH."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def find_npm_tool(env: str, in_node_modules: str, command: str | None = None) -> str | None:
    for candidate in (
        os.environ.get(env),
        str(REPO / ".ci" / "node" / "node_modules" / in_node_modules),
        str(REPO / "node_modules" / in_node_modules),
        shutil.which(command) if command else None,
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None
