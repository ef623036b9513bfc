"""What every workshop screen shares: the top bar, the method's question, quick capture, footer."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from ...core.edit import delete_item, move_to
from ...core.links import count_links
from ...core.model import Record, Session, Stage, find, get, item_label
from ...core.triage import HINTS
from ...core.triage import parse as triage
from ...core.vocab import SINGULAR, plural
from ..restricted import RESTRICTED_ACTIONS, RESTRICTED_SCREEN_ACTIONS
from ..text import clip, plain, show
from ..widgets.capture import CaptureInput, QuickCapture
from ..widgets.itemtable import Cell, Column, ItemTable
from ..widgets.keybar import KeyBar
from ..widgets.topbar import TopBar
from . import SCREENS

if TYPE_CHECKING:
    from ..workshop import Workshop

MIN_WIDTH = 60
MIN_HEIGHT = 16


class WorkshopScreen(Screen[None]):
    """A screen of the workshop. Subclasses fill :meth:`compose_body` and :meth:`refresh_view`.

    ``MODE`` names its entry in :data:`cjmtui.ui.screens.SCREENS` (title, question, key).
    """

    MODE: ClassVar[str] = ""
    CAPTURE_AT_STAGE: ClassVar[bool] = False  # quick capture adds at the current stage

    def compose(self) -> ComposeResult:
        spec = SCREENS[self.MODE]
        yield TopBar(spec.title, id="topbar")
        yield Static(Text(spec.question), classes="question")
        with Vertical(id="body"):
            yield from self.compose_body()
        yield QuickCapture(id="capture")
        yield Static(
            f"Terminal too small: cjmtui needs at least {MIN_WIDTH}×{MIN_HEIGHT}.",
            classes="too-small",
        )
        yield KeyBar(id="keybar")

    def compose_body(self) -> ComposeResult:
        yield from ()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A restricted participant's app (``cjmtui serve``) has none of the app's restricted
        actions here either (reordering, copying): :data:`cjmtui.ui.restricted.RESTRICTED_ACTIONS`."""
        restricted = RESTRICTED_ACTIONS | RESTRICTED_SCREEN_ACTIONS
        return not (getattr(self.app, "restricted", False) and action in restricted)

    @property
    def cjm(self) -> Workshop:
        """The app, as the screens see it (:class:`~cjmtui.ui.workshop.Workshop`)."""
        return cast("Workshop", self.app)

    @property
    def session(self) -> Session:
        return self.cjm.session

    def on_mount(self) -> None:
        self.query_one(QuickCapture).display = False
        self._shown_version: object = -1
        for state in ("version", "stage_id", "persona_lens", "voter"):
            self.watch(self.app, state, self._version_changed, init=False)
        self.watch(self.app, "voter", self.refresh_bindings, init=False)
        self._capture_mode = "item"

    def on_screen_resume(self) -> None:
        self._fit(self.size.width, self.size.height)
        self.cjm.room.show_status()  # the bar says whether this screen is the agenda's step
        if self._shown_version != self._view_key():
            self._show_session()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width, event.size.height)

    def _fit(self, width: int, height: int) -> None:
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")

    def _view_key(self) -> object:
        return (self.cjm.version, self.cjm.stage_id, self.cjm.persona_lens, self.cjm.voter, self.cjm.wanted)

    def _version_changed(self, *_: object) -> None:
        if self.is_current:
            self._show_session()
        else:
            self._shown_version = -1

    def _show_session(self) -> None:
        if self.cjm.autosave.exiting:
            return  # leaving (a signal, F10): no screen is built any more, the save goes first
        self.refresh_view()
        self._shown_version = self._view_key()

    def refresh_view(self) -> None:
        """Show the current session (called after every change while this screen is shown)."""

    # Quick capture ------------------------------------------------------------------------

    def capture_label(self) -> str | None:
        """What quick capture adds here (None: this screen captures nothing)."""
        return None

    def capture(self, text: str) -> None:
        """Add one captured note."""

    def capture_hint(self) -> str:
        """The triage signs this screen's notes take (shown in the empty entry)."""
        return ""

    def triaged(self, table: str, note: str, *, signs_only: bool = False) -> tuple[str, dict[str, Any]]:
        """The note's text and what its trailing signs set (:mod:`cjmtui.core.triage`). A sign
        that does not resolve is kept on the item as pending (never in its words), and said."""
        result = triage(self.session, table, note, signs_only=signs_only)
        said = [*result.notes]
        if result.problems:
            said.append("Waiting on the item: " + "; ".join(result.problems))
        if said:
            self.notify("\n".join(said), severity="warning" if result.problems else "information")
        return result.text, result.fields

    def action_capture(self) -> None:
        label = self.capture_label()
        if label is None:
            self.notify("Nothing to capture on this screen: press 1–5 for a screen that does.")
            return
        self._capture_mode = "item"
        self._remember_stage()
        self.query_one(QuickCapture).open(label, self.capture_hint())

    def _remember_stage(self) -> None:
        """The stage the entry's label names: a note typed there stays there."""
        stage = get(self.session, Stage, self.cjm.stage_id)
        self._capture_at = (stage, self.session.stages.index(stage)) if stage is not None else None

    def _keep_stage(self) -> None:
        """Someone else deleted the stage the entry names while a note was being typed there: the
        stage comes back (the merge's rule: a note at a deleted stage keeps its stage) and the
        person is told, rather than the note going silently under another stage."""
        at = getattr(self, "_capture_at", None)
        if at is None or not (self.CAPTURE_AT_STAGE or self._capture_mode == "park"):
            return
        stage, index = at
        if find(self.cjm.workspace.session if self.cjm.workspace else self.session, "stages", stage.id) is None:
            from ...core.edit import restore_item

            if (
                self.cjm.apply(
                    "bring back stage",
                    partial(restore_item, actor=self.cjm.actor, for_note=True),
                    "stages",
                    stage,
                    index,
                )
                is None
            ):
                return
            self.notify(
                f"Stage “{clip(stage.name, 40)}” was deleted by someone else meanwhile: it is back, "
                "with your note (u takes the stage away again).",
                title="Stage brought back",
                severity="warning",
                timeout=10,
            )
        self.cjm.stage_id = stage.id

    def park_label(self) -> str:
        stage = get(self.session, Stage, self.cjm.stage_id)
        return f"Park (off-topic) @ {clip(stage.name, 20)}:" if stage else "Park (off-topic):"

    def action_park(self) -> None:
        """Capture off-topic points to the parking lot, from any screen, with the current stage."""
        self._capture_mode = "park"
        self._remember_stage()
        self.query_one(QuickCapture).open(self.park_label())

    @on(QuickCapture.Captured)
    def _captured(self, event: QuickCapture.Captured) -> None:
        label: str | None
        self._keep_stage()
        if self._capture_mode == "park":
            self.cjm.add_parked(event.text)
            label = self.park_label()
        else:
            self.capture(event.text)
            label = self.capture_label()
        if label is not None:
            self.query_one("#capture-label", Static).update(plain(label))
        self._remember_stage()

    @on(QuickCapture.StepStage)
    def _capture_step(self, event: QuickCapture.StepStage) -> None:
        """ctrl+↓/↑ (or alt+↓/↑) in the entry: the next or previous stage, the entry kept open."""
        event.stop()
        self.cjm.step_stage(event.delta)
        self._remember_stage()  # the entry now names this stage: a note typed next stays here
        label = self.park_label() if self._capture_mode == "park" else self.capture_label()
        if label is not None:
            self.query_one("#capture-label", Static).update(plain(label))

    def on_key(self, event: events.Key) -> None:
        """Keys typed in the same burst as ``a`` belong to the entry, not to the table.

        Opening the entry moves the focus only after the keys already queued are handled; without
        this, "a" then "dog" would delete (d) the highlighted pain instead of capturing "dog".
        """
        capture = self.query_one(QuickCapture)
        if not capture.is_open:
            # Open the entry here, in key order, rather than by the binding (which runs only once
            # the key reaches the app, after the keys behind it have gone to the table).
            if event.key in ("a", "p") and not isinstance(self.focused, Input):
                event.stop()
                event.prevent_default()
                self.action_capture() if event.key == "a" else self.action_park()
            return
        entry = capture.query_one(CaptureInput)
        if entry.has_focus:
            return
        if event.is_printable and event.character:
            entry.insert_text_at_cursor(event.character)
        elif event.key == "enter":
            entry.post_message(CaptureInput.Entered(entry.value))
            entry.value = ""
        elif event.key == "backspace":
            entry.value = entry.value[:-1]
        else:
            return
        event.stop()
        event.prevent_default()

    def flush_capture(self) -> str:
        """Keep a note that was typed but not yet entered (the link dropped mid-sentence, F10):
        it is added as Enter would add it. Returns its text ("" when there was none)."""
        capture = self.query_one(QuickCapture)
        entry = capture.query_one(Input)
        text = entry.value.strip()
        if capture.is_open and text:
            entry.value = ""
            self._keep_stage()
            if self._capture_mode == "park":
                self.cjm.add_parked(text)
            else:
                self.capture(text)
            return text
        return ""

    @on(QuickCapture.Closed)
    def _capture_closed(self) -> None:
        self.focus_main()

    def focus_main(self) -> None:
        for table in self.query(ItemTable):
            table.focus()
            return


R = TypeVar("R", bound=Record)


def deleted_with(before: Session, after: Session, table: str, item_id: str) -> str:
    """What else a delete took or unlinked, in words: ", its 2 pains and 4 links"."""
    gone = {t: len(before.table(t)) - len(after.table(t)) for t in SINGULAR if t != table}
    parts = [plural(n, SINGULAR[t], "processes" if t == "processes" else None) for t, n in gone.items() if n > 0]
    links = count_links(before, table, item_id) - sum(gone.values())  # a cascaded item held one link
    if links > 0:
        parts.append(plural(links, "link"))
    if not parts:
        return ""
    return ", its " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


class ItemsScreen(WorkshopScreen, Generic[R]):
    """A list of one kind of item (``R``, in table ``TABLE``), with add, edit, delete, reorder,
    all by keyboard."""

    TABLE: ClassVar[str] = ""
    FULL_TEXT_IN_DETAIL: ClassVar[bool] = True  # the detail panel starts with the item's words
    COLUMNS: ClassVar[list[Column]] = []

    BINDINGS = [
        Binding("a", "capture", "Add", id="item.capture", tooltip="Quick capture: type a note, Enter, repeat"),
        Binding("e", "edit", "Edit", id="item.edit", tooltip="Edit every field of the highlighted item"),
        Binding("n", "new", "New…", id="item.new", tooltip="Add an item with the full form", show=False),
        Binding("d,delete", "delete", "Del", id="item.delete", tooltip="Delete (u undoes)"),
        Binding("K,shift+up", "move(-1)", "Move up", id="item.move_up", show=False),
        Binding("J,shift+down", "move(1)", "Move down", id="item.move_down", show=False),
    ]

    def compose_body(self) -> ComposeResult:
        yield ItemTable(self.COLUMNS, id="items")
        yield Static("", id="detail", classes="detail")

    @property
    def table(self) -> ItemTable:
        return self.query_one("#items", ItemTable)

    def visible_items(self, session: Session) -> list[R]:
        return cast("list[R]", session.table(self.TABLE))

    def row_cells(self, item: R, session: Session) -> list[Cell]:
        return [plain(item_label(item))]

    def detail(self, item: R, session: Session) -> Text:
        return Text()

    def refresh_view(self, select: str | None = None) -> None:
        session = self.session
        select = select or self.cjm.take_wanted(self.TABLE)
        rows = [(item.id, self.row_cells(item, session)) for item in self.visible_items(session)]
        self.table.set_rows(rows, select=select)
        self._show_detail()

    def _show_detail(self) -> None:
        item = self.current_item()
        detail = self.query_one("#detail", Static)
        if item is None:
            show(detail, Text(self.empty_hint(), style="italic"))
        else:
            parts = [self.detail(item, self.session)]
            if self.FULL_TEXT_IN_DETAIL:
                # The whole of the highlighted item's words, however narrow the table's column, and
                # who wrote it (a participant who joined: created_by; nothing for the facilitator's).
                label = plain(item_label(item), "bold")
                if item.created_by:
                    label.append_text(plain(f"  — {item.created_by}", "italic"))
                parts.insert(0, label)
            elif item.created_by:
                parts.append(plain(f"written by {item.created_by}", "italic"))
            waiting = getattr(item, "pending", None)
            if waiting:  # capture signs naming something not there yet: taken when it is
                parts.append(
                    Text.assemble(
                        ("Waiting for: ", "bold"),
                        plain(" ".join(waiting)),
                        (" (taken when a match is added; e to edit)", "dim"),
                    )
                )
            show(detail, Text("\n").join(parts))

    def capture_hint(self) -> str:
        return HINTS.get(self.TABLE, "")

    def empty_hint(self) -> str:
        return f"No {SINGULAR[self.TABLE]} yet: press a to add one."

    @on(DataTable.RowHighlighted, "#items")
    def _highlighted(self) -> None:
        self._show_detail()

    @on(DataTable.RowSelected, "#items")
    def _selected(self) -> None:
        self.action_edit()

    def highlighted_item(self) -> tuple[str, str] | None:
        """(table, id) of the highlighted item: where this user was (:mod:`cjmtui.ui.place`)."""
        item_id = self.table.current_id
        return (self.TABLE, item_id) if item_id else None

    def current_item(self) -> R | None:
        item_id = self.table.current_id
        return cast("R | None", find(self.session, self.TABLE, item_id) if item_id else None)

    def select(self, item_id: str) -> None:
        self.refresh_view(select=item_id)

    # Actions --------------------------------------------------------------------------------

    def new_item_defaults(self) -> dict[str, Any] | None:
        return {}

    def action_new(self) -> None:
        defaults = self.new_item_defaults()
        if defaults is None:
            return
        self.cjm.open_form(self.TABLE, None, defaults)

    def action_edit(self) -> None:
        item = self.current_item()
        if item is None:
            self.notify("Nothing highlighted to edit.")
            return
        actor = self.cjm.actor
        if actor is not None and item.created_by != actor:
            self.propose(item)
            return
        self.cjm.open_form(self.TABLE, item.id)

    def propose(self, item: R) -> None:
        """A participant's e on another's note: propose a change, for the facilitator's parking lot."""
        from ...core.live import propose
        from .dialogs import AskName

        label = clip(item_label(item), 40)
        whose = f"{item.created_by}'s" if item.created_by else "the facilitator's"

        def proposed(text: str | None) -> None:
            if text and self.cjm.apply(
                "propose a change", partial(propose, actor=self.cjm.actor), self.TABLE, item.id, text
            ):
                self.notify("Proposed: the facilitator sees it in the parking lot (0).", timeout=3)

        self.app.push_screen(AskName(f"“{label}” is {whose}: propose a change (to the parking lot)", ""), proposed)

    def action_delete(self) -> None:
        item = self.current_item()
        if item is None:
            return
        label = clip(item_label(item), 40)
        before = self.session
        delete = partial(delete_item, actor=self.cjm.actor)
        if self.cjm.apply(f"delete {SINGULAR[self.TABLE]} “{label}”", delete, self.TABLE, item.id):
            self.notify(f"Deleted “{label}”{deleted_with(before, self.session, self.TABLE, item.id)}. u undoes it.")

    def action_move(self, delta: int) -> None:
        item = self.current_item()
        if item is None:
            return
        other = self.table.neighbour(item.id, delta)
        if other is None:
            return
        move = partial(move_to, actor=self.cjm.actor)
        if self.cjm.apply(f"move {SINGULAR[self.TABLE]}", move, self.TABLE, item.id, other):
            self.refresh_view(select=item.id)
