"""Pasted text is text: never keystrokes, never terminal commands.

Textual's input parser (8.2) reads an escape character inside a bracketed paste as the start of
a key sequence: ``osc \\x1b]0;pwned\\x07 title`` pasted into quick capture ended the paste at the
ESC and sent the rest as key presses (the BEL closed the entry; the next Enter opened a form).
:class:`PasteSafeParser` takes every bracketed paste whole, between its start and end markers,
before the key parser sees any of it, and hands it on as one ``Paste`` event with escape
sequences and control characters removed (:func:`clean_paste`). :func:`install` makes Textual's
Linux driver use it. The widgets then decide what a paste means (quick capture: a note per line).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from typing import Any

from textual import events
from textual._xterm_parser import XTermParser
from textual.message import Message
from textual.widgets import Input

PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"

# CSI (ESC [ … final), OSC/DCS/APC/PM/SOS strings (ended by BEL or ESC \), any other ESC x.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_paste(text: str) -> str:
    """Pasted text without escape sequences or control characters (line breaks and tabs kept,
    ``\\r\\n`` and ``\\r`` made ``\\n``)."""
    text = _ESCAPES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


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


def install() -> None:
    """Make Textual's Linux driver read input with :class:`PasteSafeParser`."""
    from textual.drivers import linux_driver

    setattr(linux_driver, "XTermParser", PasteSafeParser)  # noqa: B010 - a module global, on purpose


class LineInput(Input):
    """A one-line field that takes a paste whole: its lines joined with spaces (``sep`` for a
    list field), and a paste that would not fit refused with the limit, leaving what is typed."""

    def __init__(self, *args: Any, sep: str = " ", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sep = sep

    def on_paste(self, event: events.Paste) -> None:
        lines = [line.strip() for line in clean_paste(event.text).split("\n") if line.strip()]
        text = self.sep.join(lines)
        event.prevent_default()
        event.stop()
        start, end = sorted(self.selection)  # a paste replaces the selection, as typing does
        if self.max_length and len(self.value) - (end - start) + len(text) > self.max_length:
            self.notify(
                f"Not pasted: {len(text)} characters would not fit; this field holds at most {self.max_length}.",
                severity="warning",
            )
            return
        self.replace(text, start, end)
