"""asyncssh, imported once for the package: its import warns about DSA keys, which cjmtui
neither makes nor accepts, and the warning would print over the facilitator's terminal."""

from __future__ import annotations

import warnings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import asyncssh

__all__ = ["asyncssh"]
