"""Work that must not hold the screen: saves, the first save's warm-up, exports.

Each runs as a Textual worker of the app (``app.workers``, in a named group: ``autosave``,
``warm-save``, ``export``; a big session's ranking is the ``warm-ranking`` group of
:mod:`~cjmtui.ui.rankings`), so a test waits for it with ``await app.workers.wait_for_complete()``
instead of polling, and the app's shutdown cancels what is still waiting.

The work itself runs in a daemon thread of its own (:func:`in_thread`), not in the event loop's
executor that ``run_worker(thread=True)`` uses: Python joins that executor's threads before
``App.run`` returns, so an export of a big session still being written when the room leaves would
hold the exit, and the last save after it (:func:`cjmtui.ui.main.leave`), until it ended. A
daemon thread is left behind instead, as before workers: an export writes atomically (nothing
partial is left), and a save still running is waited for by the exit's own save and by the
watchdog, both through the workspace's lock (docs/reliability.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from textual.worker import Worker

    from .host import Host

T = TypeVar("T")


async def in_thread(fn: Callable[..., T], *args: Any, name: str) -> T:
    """``fn(*args)`` in a daemon thread called ``name``; the event loop goes on meanwhile."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[T] = loop.create_future()

    def hand_back(result: T | None, error: Exception | None) -> None:
        if done.done():  # the worker awaiting it was cancelled: the app is leaving
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            result = fn(*args)
        except Exception as exc:
            outcome: tuple[T | None, Exception | None] = (None, exc)
        else:
            outcome = (result, None)
        with contextlib.suppress(RuntimeError):  # the event loop has closed: the app has gone
            loop.call_soon_threadsafe(hand_back, *outcome)

    threading.Thread(target=run, name=name, daemon=True).start()
    return await done


def run_in_thread(
    host: Host,
    fn: Callable[..., T],
    *args: Any,
    name: str,
    group: str,
    then: Callable[[T], object] | None = None,
) -> Worker[None]:
    """A worker of ``host`` (in ``group``) that runs ``fn(*args)`` in a daemon thread called
    ``name``, then ``then(result)`` on the event loop. An exception is the worker's error (in
    Textual's log), never the app's end: the notes stay in memory and the app goes on."""

    async def work() -> None:
        result = await in_thread(fn, *args, name=name)
        if then is not None:
            then(result)

    return host.run_worker(work, name=name, group=group, exit_on_error=False)
