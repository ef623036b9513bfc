"""Wrong room codes, per address: each one is answered late, and too many in a minute shut the
address out for a minute (its right code too), so a code cannot be guessed by trying."""

from __future__ import annotations

import time
from collections.abc import Callable

WRONG_CODE_DELAY = 1.0  # seconds before a wrong code is answered
MAX_FAILURES = 5  # wrong codes from one address within WINDOW …
WINDOW = 60.0  # … shut it out until the oldest of them is WINDOW seconds old


class Guard:
    def __init__(
        self, *, max_failures: int = MAX_FAILURES, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._failures: dict[str, list[float]] = {}

    def _recent(self, address: str) -> list[float]:
        now = self.clock()
        recent = [t for t in self._failures.get(address, []) if now - t < self.window]
        if recent:
            self._failures[address] = recent
        else:
            self._failures.pop(address, None)
        return recent

    def blocked(self, address: str) -> bool:
        """Whether ``address`` made too many wrong tries lately (refused without asking)."""
        return len(self._recent(address)) >= self.max_failures

    def failed(self, address: str) -> None:
        self._recent(address)
        self._failures.setdefault(address, []).append(self.clock())
