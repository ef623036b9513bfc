"""A list of ticks that reads the same in colour, in 16 colours and with NO_COLOR: ``[x]`` / ``[ ]``."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class CheckList(OptionList):
    """Space (or Enter, or x) ticks the highlighted entry. ``selected`` keeps the list's order."""

    BINDINGS = [
        Binding("space,enter,x", "tick", "Tick", id="checklist.tick"),
    ]

    class Toggled(Message):
        def __init__(self, checklist: CheckList, value: str, on: bool) -> None:
            self.checklist = checklist
            self.value = value
            self.on = on
            super().__init__()

    def __init__(
        self,
        entries: Iterable[tuple[str, Text]],
        selected: Iterable[str] = (),
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self._entries = list(entries)
        self._labels = dict(self._entries)
        self._on = set(selected)
        super().__init__(*[self._option(value) for value, _ in self._entries], id=id, classes=classes)

    def _prompt(self, value: str) -> Text:
        mark = "[x] " if value in self._on else "[ ] "
        text = Text.assemble((mark, "bold"), self._labels[value])
        text.no_wrap = True
        text.overflow = "ellipsis"
        return text

    def _option(self, value: str) -> Option:
        return Option(self._prompt(value), id=value)

    @property
    def selected(self) -> list[str]:
        return [value for value, _ in self._entries if value in self._on]

    def show_only(self, values: Iterable[str]) -> None:
        """Filter the visible entries (ticks of hidden entries are kept); the first is highlighted."""
        keep = set(values)
        self.set_options([self._option(v) for v, _ in self._entries if v in keep])
        if self.option_count:
            self.highlighted = 0

    def action_tick(self) -> None:
        option = self.highlighted_option
        if option is None or option.id is None:
            return
        value = option.id
        on = value not in self._on
        if on:
            self._on.add(value)
        else:
            self._on.discard(value)
        self.replace_option_prompt(value, self._prompt(value))
        self.post_message(self.Toggled(self, value, on))


class TypeToFilterList(CheckList, inherit_bindings=False):
    """A CheckList whose letters are for its filter: only Space ticks, Enter is for the dialog."""

    BINDINGS = [*OptionList.BINDINGS, Binding("space", "tick", "Tick", id="checklist.tick")]
