"""Pasted text is text: never keystrokes, never terminal commands.

What a paste means to cjmtui: :func:`clean_paste` removes escape sequences and control
characters from it, and the widgets decide what it is (quick capture: a note per line;
:class:`LineInput`: one line). That a bracketed paste reaches the app whole, as one ``Paste``
event, even when it holds escape sequences, is the work of the paste-safe input parser in
:mod:`cjmtui.ui.textual_fixes.paste_parser` (a Textual workaround).
"""

from __future__ import annotations

import re
from typing import Any

from textual import events
from textual.widgets import Input

# CSI (ESC [ … final), OSC/DCS/APC/PM/SOS strings (ended by BEL or ESC \), any other ESC x.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?|\x9b[0-?]*[ -/]*[@-~]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_paste(text: str) -> str:
    """Pasted text without escape sequences or control characters (line breaks and tabs kept,
    ``\\r\\n`` and ``\\r`` made ``\\n``)."""
    text = _ESCAPES.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROLS.sub("", text)


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
