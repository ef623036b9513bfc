"""Notifications that show text literally and never pile up over the room's notes."""

from __future__ import annotations

import contextlib
from typing import Any

from textual.notifications import Notification

from ..core.safety import printable
from .textual_fixes.toasts import NotifyHooks, toast_racks

MAX_TOASTS = 3


class Notices(NotifyHooks[int]):
    """The app's notifications: literal text (paths and notes may hold markup or escapes),
    a notice of the same kind replacing the one shown, at most :data:`MAX_TOASTS` at once."""

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: Any = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Every notification shows its text literally: paths and notes may hold markup or escapes."""
        super().notify(
            printable(str(message), single_line=False),
            title=printable(title),
            severity=severity,
            timeout=timeout,
            markup=False,
        )

    def before_notify(self, notification: Notification) -> None:
        """Rapid deletes must not stack toasts over the room's notes: a notice of the same kind
        (severity and first word, "Deleted …") replaces the one shown, and at most three show."""
        kind = (notification.severity, notification.message.split(" ", 1)[0])
        for old in self.current_notifications():
            if (old.severity, old.message.split(" ", 1)[0]) == kind:
                self.withdraw_notification(old)
        while len(current := self.current_notifications()) >= MAX_TOASTS:
            self.withdraw_notification(current[0])

    def before_toasts_refresh(self) -> None:
        """The notices placed first (also on a new screen, such as a form)."""
        with contextlib.suppress(Exception):  # no screen yet: nothing to place
            self.place_notices()

    def place_notices(self) -> None:
        """Notices never cover the line being typed: they show at the top right (the capture
        entry is at the bottom), or at the bottom right while the focus is in the top half (a
        form's first field)."""
        screen = self.screen
        focused = screen.focused
        top = focused is not None and focused.region.y < max(1, screen.size.height // 2)
        for rack in toast_racks(screen):
            rack.set_class(top, "-below")
