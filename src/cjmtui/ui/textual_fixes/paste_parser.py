"""The Linux driver's input parser, replaced: a bracketed paste is taken whole, never as keys.

Why: Textual's input parser (``textual._xterm_parser.XTermParser``, 8.2) reads an escape
character inside a bracketed paste as the start of a key sequence. ``osc \x1b]0;pwned\x07
title`` pasted into quick capture ended the paste at the ESC and sent the rest as key presses
(the BEL closed the entry; the next Enter opened a form). A pasted end marker (``x\x1b[201~dd``)
ends Textual's paste early in the same way, and what follows runs as commands. Pasted text
must be text: this is a safety fix, not a nicety.

The upstream behaviour: bracketed paste arrived in Textual with
https://github.com/Textualize/textual/issues/564 (the parser collects the keys between the
markers, so an ESC among them still starts a key sequence). No upstream issue about escapes
inside a paste was found (searched Textual's issues for "bracketed paste escape").

How: :class:`PasteSafeParser` takes every bracketed paste whole, between its start and end
markers, before Textual's key parser sees any of it, and hands it on as one ``Paste`` event
with escape sequences and control characters removed (:func:`cjmtui.ui.paste.clean_paste`).
:func:`install_paste_parser` makes Textual's Linux driver build it: the driver builds its parser
from the module global ``XTermParser`` (``textual.drivers.linux_driver``), which is replaced.

Hooks (tests/project/test_textual_hooks.py): ``linux_driver.XTermParser`` is still the name the
driver calls; ``XTermParser.feed``/``tick`` and its ``debug`` argument still exist.

Delete when: Textual's parser takes a bracketed paste verbatim up to the real end marker (and
lets an app choose the parser without replacing a module global). Then keep ``clean_paste``
in the widgets, drop this module, and run tests/ui/test_paste.py against Textual's parser.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from textual import events
from textual._xterm_parser import XTermParser  # the Textual internal this module replaces
from textual.message import Message

from ..paste import clean_paste

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"

HOLD_AFTER_PASTE = 0.05  # seconds: what follows a paste's end marker waits this long to be keys


class PasteSafeParser(XTermParser):
    """Textual's parser, with bracketed pastes taken whole before it parses keys.

    A pasted text may itself hold the end marker (``x\\e[201~dddd``): the terminal then sends
    ``START x END dddd END``, and the first END is not the end of the paste. So a paste is
    handed on only when the input after its end marker is known not to continue it: a start
    marker, or :data:`HOLD_AFTER_PASTE` seconds with no further end marker (:meth:`tick`). Up
    to the last end marker before then, everything is text, never keys.
    """

    def __init__(self, debug: bool = False, hold: float = HOLD_AFTER_PASTE) -> None:
        super().__init__(debug)
        self._pasting = False
        self._pasted: list[str] = []
        self._carry = ""
        self.hold = hold
        self._ended_at: float | None = None  # a paste's end marker came: it may not be the end
        self._held = ""  # what came after it, not yet known to be keys or more of the paste

    def feed(self, data: str) -> Iterable[Message]:
        if not data:  # end of input
            yield from self._hand_on()
            yield from super().feed(data)
            return
        data, self._carry = self._carry + data, ""
        while data:
            if self._pasting:
                end = data.find(PASTE_END)
                if end < 0:
                    keep = _partial_marker(data, PASTE_END)
                    self._pasted.append(data[: len(data) - keep])
                    self._carry = data[len(data) - keep :]
                    return
                self._pasted.append(data[:end])
                data = data[end + len(PASTE_END) :]
                self._pasting = False
                self._ended_at = time.monotonic()
                continue
            if self._ended_at is not None:
                data, self._held = self._held + data, ""
                end, start = data.find(PASTE_END), data.find(PASTE_START)
                if end >= 0 and (start < 0 or end < start):  # that end marker was pasted text
                    self._pasted.append(data[:end])
                    data = data[end + len(PASTE_END) :]
                    self._ended_at = time.monotonic()
                    continue
                if start < 0:
                    self._held = data  # keys, or more of the paste still on its way
                    return
                self._held = data[:start]  # a new paste: the one before has ended
                yield from self._hand_on()
                data = data[start:]
                continue
            start = data.find(PASTE_START)
            if start < 0:
                keep = _partial_marker(data, PASTE_START)
                self._carry = data[len(data) - keep :] if keep else ""
                if len(data) > keep:
                    yield from super().feed(data[: len(data) - keep])
                return
            if start:
                yield from super().feed(data[:start])
            data = data[start + len(PASTE_START) :]
            self._pasting = True

    def tick(self) -> Iterable[Message]:
        if self._ended_at is not None and time.monotonic() - self._ended_at >= self.hold:
            yield from self._hand_on()
        yield from super().tick()

    def _hand_on(self) -> Iterable[Message]:
        """The paste has ended: hand it on, then what came after it as keys."""
        if self._ended_at is None:
            return
        self._ended_at = None
        text = clean_paste("".join(self._pasted))
        self._pasted.clear()
        yield events.Paste(text)
        held, self._held = self._held, ""
        if held:
            yield from self.feed(held)


def _partial_marker(data: str, marker: str) -> int:
    """How many characters at the end of ``data`` could begin ``marker`` (a bare ESC does not
    count: it is the Escape key until more arrives, and the key parser times it out)."""
    for size in range(len(marker) - 1, 1, -1):
        if data.endswith(marker[:size]):
            return size
    return 0


def install_paste_parser() -> None:
    """Make Textual's Linux driver read input with :class:`PasteSafeParser` (a module global
    the driver reads when it starts its input thread)."""
    from textual.drivers import linux_driver

    setattr(linux_driver, "XTermParser", PasteSafeParser)  # noqa: B010 - a module global, on purpose
