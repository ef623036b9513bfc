"""The terminal the app runs on, and the keys already on their way from it.

:func:`settle` lets every key already typed land before the app saves and leaves (F10, a
signal); :func:`terminal_lost` notices a terminal that hung up without a SIGHUP; the watchdog
puts a live terminal back as :func:`terminal_modes` found it (:func:`restore_terminal`). Used by
the app, by saving (:mod:`cjmtui.ui.autosave`) and by :func:`cjmtui.ui.main.run`.
"""

from __future__ import annotations

import asyncio
import os
import select
import time
from typing import Any, Protocol

from textual.screen import Screen


class Screens(Protocol):
    """What :func:`settle` reads of the app: its screens."""

    @property
    def screen_stack(self) -> list[Screen[Any]]: ...


async def settle(app: Screens, longest: float = 2.0) -> None:
    """Let every message already on its way land (a note whose Enter came just before F10 or
    a signal is still travelling from the entry to the session): wait until no screen or
    widget has one queued, at most ``longest`` seconds."""
    deadline = time.monotonic() + longest
    quiet = 0
    while quiet < 3 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
        nodes = [node for screen in app.screen_stack for node in (screen, *screen.walk_children())]
        quiet = quiet + 1 if all(node.message_queue_size == 0 for node in nodes) else 0


def terminal_lost(fd: int = 0) -> bool:
    """Whether the terminal on ``fd`` hung up: it is no longer a terminal, or it reports
    ``POLLHUP``/``POLLERR`` (its other side is gone)."""
    try:
        if not os.isatty(fd):
            return True
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return any(events & (select.POLLHUP | select.POLLERR | select.POLLNVAL) for _fd, events in poller.poll(0))
    except (OSError, ValueError):
        return True


def terminal_modes(fd: int = 0) -> list[object] | None:
    """The terminal's modes (``termios``) as they are before the app takes it over."""
    try:
        import termios

        return list(termios.tcgetattr(fd)) if os.isatty(fd) else None
    except (ImportError, OSError, ValueError):
        return None


def restore_terminal(modes: list[object] | None, fd: int = 0) -> None:
    """Put a live terminal back as :func:`terminal_modes` found it, without Textual (the
    watchdog's last step, from a thread): leave the alternate screen, mouse and paste modes off,
    cursor shown, the old modes. A terminal that hung up is left alone."""
    if modes is None or terminal_lost(fd):
        return
    try:
        import termios

        os.write(fd, b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?1049l\x1b[?25h")
        termios.tcsetattr(fd, termios.TCSANOW, modes)  # type: ignore[arg-type]
    except (ImportError, OSError, ValueError, TypeError):
        pass
