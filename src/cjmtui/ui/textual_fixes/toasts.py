"""Notifications: where a new one arrives, where the toasts are placed, and their container.

Why: cjmtui's notices must never pile up over the room's notes nor cover the line being typed
(``ui/notices.py``: a notice of the same kind replaces the one shown, at most three show, and
they move to the top or the bottom of the screen as the focus moves). Textual has no public
hook for either:

- the notifications shown are ``App._notifications``; one is withdrawn with ``App._unnotify``;
  a new one arrives in ``App._on_notify`` (the handler of the private ``Notify`` message);
- the toasts are placed when ``App._refresh_notifications`` mounts the container, a
  ``ToastRack`` from the private module ``textual.widgets._toast`` (not exported by
  ``textual.widgets``), placed by a CSS class set on it.

:class:`NotifyHooks` turns these into two overridable methods (:meth:`~NotifyHooks.before_notify`,
:meth:`~NotifyHooks.before_toasts_refresh`) and three helpers, so ``ui/notices.py`` holds only
the policy.

The upstream behaviour: moving the toasts is documented only as CSS on ``ToastRack``
(https://github.com/Textualize/textual/issues/4473), which does not work without ``dock: none``
(https://github.com/Textualize/textual/issues/6382); nothing limits how many toasts show.

Hooks (tests/project/test_textual_hooks.py): ``App._notifications`` (iterable, sized),
``App._unnotify(notification, refresh=...)``, ``App._on_notify(event)``,
``App._refresh_notifications()`` and ``textual.widgets._toast.ToastRack``.

Delete when: Textual exports ``ToastRack`` (or lets an app place the toasts per screen) and has a
public way to replace or limit notifications.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.app import App
from textual.dom import DOMNode
from textual.notifications import Notification, Notify
from textual.widgets._toast import ToastRack  # not exported by textual.widgets

ReturnType = TypeVar("ReturnType")


class NotifyHooks(App[ReturnType]):
    """An App with public hooks around Textual's private notification handling."""

    def before_notify(self, notification: Notification) -> None:
        """Called with each new notification before Textual shows it."""

    def before_toasts_refresh(self) -> None:
        """Called before Textual (re)mounts and refreshes the toasts."""

    def current_notifications(self) -> list[Notification]:
        """The notifications shown now, oldest first."""
        return list(self._notifications)

    def withdraw_notification(self, notification: Notification) -> None:
        """Take ``notification`` away (the toasts are refreshed with the next one)."""
        self._unnotify(notification, refresh=False)

    def _on_notify(self, event: Notify) -> None:
        self.before_notify(event.notification)
        super()._on_notify(event)

    def _refresh_notifications(self) -> None:
        self.before_toasts_refresh()
        super()._refresh_notifications()


def toast_racks(node: DOMNode) -> list[Any]:
    """The toasts' containers among ``node``'s children (a screen has at most one)."""
    return list(node.query_children(ToastRack))
