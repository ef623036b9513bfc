"""Small dialogs: export, save as, a file changed on disk, quitting with unsaved notes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from ...core.errors import ExportError
from ...core.export import FORMATS
from ..text import plain
from ..widgets.choice import TypeSelect


class Dialog(ModalScreen[Any]):
    """What every dialog shares: F2 (or ctrl+s, or Enter in a field, or the #ok button) submits,
    Escape (or the #cancel button) cancels. Subclasses write :meth:`action_submit`."""

    BINDINGS = [
        Binding("f2,ctrl+s", "submit", "OK", id="dialog.submit", priority=True),
        Binding("escape", "cancel", "Cancel", id="dialog.cancel"),
    ]

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#ok")
    def _ok(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


@dataclass(frozen=True)
class ExportChoice:
    format: str
    path: Path
    use_lens: bool  # rank for the persona lens (False: for every persona)


class ExportDialog(Dialog):
    """Ask for a format and a file name; say (and let the user turn off) the persona lens; ask
    before replacing a file. A refused name keeps the dialog open with its choices."""

    def __init__(self, folder: Path, stem: str, lens: str | None, target: Callable[[str, str], Path]) -> None:
        """``lens``: the persona the lens shows, if any; ``target(format, name)`` is where the
        file goes, or raises :class:`ExportError` saying why not."""
        super().__init__()
        self.folder = folder
        self.stem = stem
        self.lens = lens
        self.target = target
        self.formats = tuple(FORMATS.values())
        self._confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                "Export the ranked quick wins and the map (html: a one-file report that prints)", classes="form-title"
            )
            yield Label("Format")
            yield TypeSelect(
                [(Text(f"{f.name} — {f.summary}", no_wrap=True, overflow="ellipsis"), f.name) for f in self.formats],
                value=self.formats[0].name,
                allow_blank=False,
                id="export-format",
                compact=True,
            )
            yield Label("File name (in the session's folder), or a path")
            yield Input(value=f"{self.stem}{self.formats[0].suffix}", id="export-name", compact=True)
            yield Static(plain(str(self.folder)), classes="dim")
            if self.lens is not None:
                yield Checkbox(plain(f"Only what affects {self.lens} (the persona lens)"), True, id="export-lens")
            yield Static("", id="export-error", classes="field-error")
            with Horizontal(classes="form-buttons"):
                yield Button("Export (F2)", variant="primary", id="ok")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#export-format", Select).focus()  # Enter here opens the list, never writes

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        name = self.query_one("#export-name", Input)
        stem = name.value.rsplit(".", 1)[0] if "." in name.value else name.value
        name.value = f"{stem or self.stem}{FORMATS[str(event.value)].suffix}"

    @on(Input.Changed, "#export-name")
    def _renamed(self) -> None:
        self._confirmed = None

    def show_error(self, message: str) -> None:
        self.query_one("#export-error", Static).update(plain(f"⚠ {message}"))

    def action_submit(self) -> None:
        fmt = str(self.query_one("#export-format", Select).value)
        try:
            path = self.target(fmt, self.query_one("#export-name", Input).value.strip())
        except ExportError as exc:
            self.show_error(str(exc))  # the dialog stays, with the format and the name as chosen
            return
        if path.exists() and path != self._confirmed:
            self._confirmed = path
            self.show_error(f"{path.name} exists: F2 again replaces it, or change the name")
            return
        lens = self.query("#export-lens").results(Checkbox)
        self.dismiss(ExportChoice(fmt, path, any(box.value for box in lens)))


class AskName(Dialog):
    """Ask for one line of text (a file name, a participant's name, minutes)."""

    def __init__(self, title: str, value: str) -> None:
        super().__init__()
        self.title_text = title
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_text), classes="form-title")
            yield Input(value=self.value, id="ask-name")
            yield Static("", id="ask-error", classes="field-error")
            with Horizontal(classes="form-buttons"):
                yield Button("OK (Enter)", variant="primary", id="ok")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_submit(self) -> None:
        value = self.query_one(Input).value.strip()
        if value:
            self.dismiss(value)


class Choice(ModalScreen[str | None]):
    """A question with a few answers, each with its own key."""

    def __init__(
        self,
        title: str,
        message: str,
        answers: list[tuple[str, str, str]],
        *,
        described: dict[str, str] | None = None,
    ) -> None:
        """``answers`` is ``[(key, label, value)]``; Escape answers None. With ``described``
        (value → one line) the answers are a list, one per line, each saying what it gives."""
        super().__init__()
        self.title_text = title
        self.message = message
        self.answers = answers
        self.described = described

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.title_text), classes="form-title")
            if self.message:
                yield Static(plain(self.message))
            if self.described is not None:
                with Vertical(classes="answer-list"):
                    for key, label, value in self.answers:
                        line = Text.assemble((f"{key} ", "bold"), (label, "bold"))
                        if self.described.get(value):
                            line.append(f" — {self.described[value]}")
                        yield Button(line, id=f"answer-{value}", classes="answer")
                return
            with Horizontal(classes="form-buttons"):
                for key, label, value in self.answers:
                    yield Button(f"{label} ({key})", id=f"answer-{value}")

    def on_mount(self) -> None:
        self.query(Button).first().focus()

    def on_key(self, event: events.Key) -> None:
        for key, _label, value in self.answers:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return
        if event.key == "escape":
            event.stop()
            self.dismiss(None)
        elif event.key in ("up", "down") and self.described is not None:
            event.stop()
            self.focus_previous(Button) if event.key == "up" else self.focus_next(Button)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("answer-") or None)


class Reading(ModalScreen[None]):
    """A long text to read whole, scrolled with the arrows and Page keys; Esc or Enter closes."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close", id="reading.close")]

    def __init__(self, title: str, text: Text) -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="reading", classes="dialog"):
            yield Static(plain(self.title_text), classes="form-title")
            yield Static(self.text)
            yield Static(Text("↑↓ PgUp PgDn scroll · Esc closes", style="dim"))

    def on_mount(self) -> None:
        self.query_one("#reading").focus()

    def action_close(self) -> None:
        self.dismiss(None)
