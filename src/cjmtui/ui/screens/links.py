"""The link picker: tick which items are linked (causes, handoffs, targets), from either side."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from ..text import plain
from ..widgets.checklist import CheckList


class LinkPicker(ModalScreen[set[str] | None]):
    """Returns the ticked ids, or None when cancelled. Type to filter; space ticks."""

    BINDINGS = [
        Binding("f2,ctrl+s", "apply", "Apply", id="links.apply", priority=True),
        Binding("escape", "cancel", "Cancel", id="links.cancel"),
        Binding("down", "to_list", "List", show=False),
    ]

    def __init__(self, title: str, candidates: list[tuple[str, Text]], selected: set[str]) -> None:
        super().__init__()
        self.title_text = title
        self.candidates = candidates
        self.selected = set(selected)

    def compose(self) -> ComposeResult:
        with Vertical(id="links"):
            yield Static(plain(self.title_text), classes="form-title")
            yield Input(placeholder="type to filter", id="links-filter", compact=True)
            yield CheckList(self.candidates, self.selected, id="links-list")
            yield Static(Text("space ticks · type in the filter box to narrow · F2 applies · Esc cancels", style="dim"))
            with Horizontal(classes="form-buttons"):
                yield Button("Apply (F2)", variant="primary", id="apply")
                yield Button("Cancel (Esc)", id="cancel")

    @property
    def checklist(self) -> CheckList:
        return self.query_one("#links-list", CheckList)

    def on_mount(self) -> None:
        self.checklist.focus()

    @on(Input.Changed, "#links-filter")
    def _filter(self, event: Input.Changed) -> None:
        q = event.value.casefold().strip()
        self.checklist.show_only(item_id for item_id, prompt in self.candidates if not q or q in prompt.plain.casefold())

    @on(Input.Submitted, "#links-filter")
    def _to_list(self) -> None:
        self.checklist.focus()

    def action_to_list(self) -> None:
        self.checklist.focus()

    def action_apply(self) -> None:
        self.dismiss(set(self.checklist.selected))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        self.action_apply()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()
