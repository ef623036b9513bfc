"""The key bar at the bottom: this screen's keys and the app's, on one line of text.

Textual's Footer builds a widget per key and rebuilds them all whenever the bindings change
(every screen switch, every focus change); with some twenty keys that was a third of start-up
and most of each screen switch. This bar is one Static redrawn from ``active_bindings``. Every
key is also listed in the help screen (F1), with its tooltip text.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ..text import show


class KeyBar(Static):
    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._changed)
        self.call_after_refresh(self.show_keys)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _changed(self, _screen: object) -> None:
        if self.is_attached:
            self.show_keys()

    def show_keys(self) -> None:
        app = self.app
        entries: list[tuple[str, str]] = []
        groups: dict[str, int] = {}
        seen: set[tuple[str, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not active.enabled or not binding.description:
                continue
            display = app.get_key_display(binding)
            if binding.group is not None:
                name = binding.group.description
                if name in groups:
                    keys, desc = entries[groups[name]]
                    if display not in keys:
                        entries[groups[name]] = (keys + display, desc)
                    continue
                groups[name] = len(entries)
                entries.append((display, name))
                continue
            if (binding.action, binding.description) in seen:
                continue
            seen.add((binding.action, binding.description))
            entries.append((display, binding.description))
        # Help and Quit first: on a narrow terminal the end of the bar is cut, and those two must
        # always be visible (help lists everything else).
        first = [e for e in entries if e[1] in ("Help", "Quit")]
        entries = first + [e for e in entries if e not in first]
        text = Text(no_wrap=True, overflow="ellipsis")
        for keys, desc in entries:
            text.append(f" {keys} ", style="bold reverse")
            text.append(f"{desc} ")
        if app.ENABLE_COMMAND_PALETTE:
            text.append(" ^p ", style="bold reverse")
            text.append("palette")
        show(self, text, layout=False)  # one line high, across the screen (app.tcss)
