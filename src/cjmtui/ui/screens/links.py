"""The link picker: tick which items are linked (causes, handoffs, targets), from either side."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static

from ...core.model import Record, Session, item_label
from ..text import clip, plain
from ..widgets.checklist import CheckList, TypeToFilterList
from .dialogs import Dialog


def link_label(session: Session, item: Record) -> Text:
    """A candidate as the picker lists it: its words, then the stage it belongs to."""
    stage_id = getattr(item, "stage", "")
    stage = next((s.name for s in session.stages if s.id == stage_id), stage_id)
    return plain(f"{clip(item_label(item), 36)}  @ {clip(stage, 14)}")


def link_search(session: Session, item: Record) -> str:
    """What the picker's filter searches: the candidate's whole words (the list shows only their
    first 36 characters) and its stage's whole name."""
    stage_id = getattr(item, "stage", "")
    stage = next((s.name for s in session.stages if s.id == stage_id), stage_id)
    return f"{item_label(item)} @ {stage}".casefold()


class LinkPicker(Dialog):
    """Returns the ticked ids, or None when cancelled. Type to filter; space ticks."""

    BINDINGS = [
        Binding("down", "to_list", "List", show=False),
    ]

    def __init__(
        self,
        title: str,
        candidates: list[tuple[str, Text]],
        selected: set[str],
        search: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.candidates = candidates
        # The whole text each candidate is found by (its prompt may be cut short).
        self.search = {item_id: (search or {}).get(item_id, prompt.plain.casefold()) for item_id, prompt in candidates}
        self.selected = set(selected)

    def compose(self) -> ComposeResult:
        with Vertical(id="links"):
            yield Static(plain(self.title_text), classes="form-title")
            yield Input(placeholder="type to filter", id="links-filter", compact=True)
            yield TypeToFilterList(self.candidates, self.selected, id="links-list")
            yield Static("", id="links-none", classes="field-error")
            yield Static(Text("type to filter · ↑↓ · space ticks · Enter or F2 applies · Esc cancels", style="dim"))
            with Horizontal(classes="form-buttons"):
                yield Button("Apply (F2)", variant="primary", id="ok")
                yield Button("Cancel (Esc)", id="cancel")

    @property
    def checklist(self) -> CheckList:
        return self.query_one("#links-list", CheckList)

    def on_mount(self) -> None:
        self.query_one("#links-none", Static).display = False
        self.checklist.focus()
        self.checklist.set_class(self.app.size.height < 30, "-short")

    def on_resize(self, event: events.Resize) -> None:
        self.checklist.set_class(event.size.height < 30, "-short")

    @on(Input.Changed, "#links-filter")
    def _filter(self, event: Input.Changed) -> None:
        words = event.value.casefold().split()
        shown = [item_id for item_id, text in self.search.items() if all(w in text for w in words)]
        self.checklist.show_only(shown)
        none = self.query_one("#links-none", Static)
        none.update(plain(f"no match for “{event.value.strip()}”: Backspace to widen") if not shown else "")
        none.display = not shown

    @on(Input.Submitted, "#links-filter")
    def _to_list(self, event: Input.Submitted) -> None:
        event.stop()  # Enter in the filter box goes to the list; F2 applies
        self.checklist.focus()

    def on_key(self, event: events.Key) -> None:
        """Letters typed while the list has the focus filter it at once (the list keeps the focus,
        so Space ticks the first match right away); Backspace takes one back."""
        if not self.checklist.has_focus:
            return
        box = self.query_one("#links-filter", Input)
        if event.is_printable and event.character and event.character != " ":
            box.value += event.character
        elif event.key == "backspace" and box.value:
            box.value = box.value[:-1]
        else:
            return
        event.stop()
        event.prevent_default()

    @on(OptionList.OptionSelected, "#links-list")
    def _option_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_submit()

    def action_to_list(self) -> None:
        self.checklist.focus()

    def action_submit(self) -> None:
        self.dismiss(set(self.checklist.selected))
