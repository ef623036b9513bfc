"""How long the soak tests run: short by default, their full length with ``CJMTUI_SOAK=full``.

A soak test repeats something with a fixed budget (kills, rounds, seconds of typing) to find what
happens only now and then. The full budgets (what CI runs: ``.ci/run`` exports
``CJMTUI_SOAK=full``) took 43% of the suite; a developer's run uses the short ones, which still
exercise every path. Every soak test takes its budget from :func:`soak`, nowhere else.
"""

from __future__ import annotations

import os
from typing import TypeVar

T = TypeVar("T", int, float)

FULL = os.environ.get("CJMTUI_SOAK", "").strip().lower() == "full"


def soak(short: T, full: T) -> T:
    """``full`` under ``CJMTUI_SOAK=full``, else ``short``."""
    return full if FULL else short
