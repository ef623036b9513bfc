"""Keys handed to quick capture in the order they were typed, wherever the focus is.

Why: Textual hands each key to the widget focused when the key is read, through that widget's
own message queue. When the focus leaves the capture entry and comes back in the middle of a
note (a resize storm moves it), the letters typed meanwhile travel another way and the Enter
behind them overtakes them: a note split in two. ``ui/typed.py`` puts every typed key into the
entry's own queue, in key order, and to do that it needs two Textual internals: ``App._check_bindings``
(does a priority binding, such as F10, take this key?) and ``Widget._forward_event`` (queue an
event on a widget as if it had been sent there).

The upstream behaviour: keys are dispatched to the focused widget at read time; there is no
public way to forward a key to a widget's queue or to ask whether a binding would take it.
No upstream issue was found for keys reordered across a focus change.

Hooks (tests/project/test_textual_hooks.py): ``App._check_bindings(key, priority)`` is a
coroutine returning whether a binding ran; ``Widget._forward_event(event)`` queues the event.

Delete when: Textual keeps key order across focus changes, or offers public forwarding.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widget import Widget


async def priority_binding_ran(app: App[Any], key: str) -> bool:
    """Whether a priority binding of ``app`` (F10 …) took ``key`` (and ran)."""
    return await app._check_bindings(key, priority=True)  # the Textual internal: see above


def forward_key(widget: Widget, event: events.Key) -> None:
    """Queue ``event`` on ``widget`` as if it had been typed there."""
    widget._forward_event(event)  # the Textual internal: see above
