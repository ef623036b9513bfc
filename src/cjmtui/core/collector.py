"""Pausing Python's cyclic garbage collector while a session is built or ranked.

Loading a session and ranking it make tens of thousands of objects (items, index sets, ranked
rows) with no reference cycles among them: each either lives on as the result or is freed by
its reference count. The collector's passes meanwhile find nothing, but a full pass walks every
object alive, so a bigger session pays more per object: loading and ranking 10× the data took
11.6× and 13.5× as long with it on, 11.3× and 10.9× with it paused (``bench/core.py``).

:func:`paused` is safe across threads (a save thread may load while another ranks): the
collector is switched off by the first to enter and switched back on by the last to leave, and
only if it was on to begin with.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
