"""The full edit form for any item: every field, validated by the core, errors beside the field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static, TextArea
from textual.widgets.input import Selection

from ...core.edit import FieldClash, ItemError, rebase_edit, validate_item
from ...core.errors import EditError
from ...core.model import EVIDENCE, JOURNEYS, KINDS, MAX_TEXT, PHASES, STATES, STATUSES, Record, Session, item_label
from ...core.vocab import EMOTION_WORDS, SINGULAR, emotion_label
from ..paste import LineInput
from ..text import clip, plain
from ..widgets.checklist import CheckList
from ..widgets.choice import TypeSelect
from .dialogs import Dialog


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str  # text | long | lines | int | float | choice | ref | refs | emotion | bool | date
    choices: tuple[str, ...] = ()
    table: str = ""  # for ref/refs
    optional: bool = False
    help: str = ""
    blank: Any = None  # what an optional choice left blank stands for


RATING = ("1", "2", "3", "4", "5")

FORMS: dict[str, list[Field]] = {
    "departments": [
        Field("name", "Name", "text"),
        Field("role", "Role", "text", help="What this function does for the customer"),
    ],
    "personas": [
        Field("name", "Name", "text"),
        Field("description", "Description", "long"),
        Field("goals", "Goals", "lines", help="separate with ;"),
        Field("needs", "Needs", "lines", help="separate with ;"),
        Field("frustrations", "Frustrations", "lines", help="separate with ;"),
    ],
    "stages": [
        Field("name", "Stage", "text"),
        Field("phase", "Phase", "choice", PHASES, optional=True),
        Field("customer_goal", "Customer goal", "text", help="What the customer is trying to do here"),
        Field("touchpoints", "Touchpoints", "lines", help="separate with ;"),
        Field("channels", "Channels", "lines", help="separate with ;"),
        Field("owners", "Owning departments", "refs", table="departments"),
        Field("emotion", "Emotion per persona", "emotion", table="personas"),
        Field("moment", "Moment of truth", "bool", help="its pains count as at a moment of truth"),
    ],
    "pains": [
        Field("text", "In the customer's words", "text"),
        Field("kind", "Pain or gain", "choice", KINDS),
        Field("stage", "Stage", "ref", table="stages"),
        Field("severity", "Severity (1–5)", "choice", RATING),
        Field("frequency", "Frequency (1–5)", "choice", RATING),
        Field("evidence", "Evidence", "choice", EVIDENCE),
        Field("personas", "Personas (none = everyone)", "refs", table="personas"),
        Field("caused_by", "Caused by (internal processes)", "refs", table="processes"),
        Field("moment", "Moment of truth", "bool", help="also true of every pain at a moment-of-truth stage"),
        Field(
            "validation",
            "Checked with customers",
            "choice",
            ("validated", "refuted"),
            optional=True,
            blank="",
            help="refuted: no longer counts in the ranking",
        ),
        Field("validated_on", "Checked on (YYYY-MM-DD)", "date"),
        Field("validation_note", "What customers said", "text"),
    ],
    "processes": [
        Field("name", "Internal process", "text"),
        Field("stage", "Runs in parallel to stage", "ref", table="stages"),
        Field("owner", "Owner department", "ref", table="departments", optional=True),
        Field("systems", "Systems", "lines", help="separate with ;"),
        Field("feeds", "Hands work to (downstream)", "refs", table="processes"),
    ],
    "parking": [
        Field("text", "Parked point", "text"),
        Field("stage", "Came up at stage", "ref", table="stages", optional=True),
        Field("status", "Status", "choice", ("open", "closed", "converted"), help="c converts it, x closes it"),
    ],
    # Not a table: the session's own details and the ranking's weights (one form).
    "settings": [
        Field("title", "Title", "text"),
        Field("journey", "Journey", "choice", JOURNEYS),
        Field("state", "State", "choice", STATES),
        Field("facilitator", "Facilitator", "text"),
        Field("date", "Date (YYYY-MM-DD)", "text"),
        Field("vote_budget", "Dots per participant", "int", help="per kind: solutions, pains"),
        Field("hop_decay", "Hop decay (0–1)", "float", help="share of a pain credited per handoff upstream"),
        Field("stage_bonus", "Stage bonus", "float", help="extra per additional stage reached"),
        Field("quick_win_max_effort", "Quick win: effort at most", "choice", RATING),
        Field("max_hops", "Handoffs credited at most", "int"),
        Field("vote_weight", "Vote weight", "float", help="0: votes are only a column"),
        Field("moment_weight", "Moment-of-truth weight", "float", help="× a pain's weight at a moment of truth"),
        Field("severity_floor", "Severity floor", "bool", help="severity 5 never outweighed by severity ≤ 2"),
    ],
    "solutions": [
        Field("text", "Solution", "text"),
        Field("targets", "Changes these processes", "refs", table="processes"),
        Field("effort", "Effort (1–5)", "choice", RATING),
        Field("confidence", "Confidence (0–1)", "float"),
        Field("owner", "Owner department", "ref", table="departments", optional=True),
        Field("status", "Status", "choice", STATUSES),
        Field("votes", "Votes", "int"),
        Field("due", "Due (YYYY-MM-DD)", "date", help="when the fix should be done; empty: no date"),
        Field("review", "Review on (YYYY-MM-DD)", "date", help="when to look at it again; empty: no date"),
    ],
}

PENDING = Field(
    "pending",
    "Signs waiting",
    "lines",
    help="capture signs that name nothing yet (separate with ;): taken when a match is added; clear to drop",
)

EMOTIONS = tuple((emotion_label(value), value) for value in sorted(EMOTION_WORDS))


class ItemForm(Dialog):
    """Edits ``values`` for one item of ``table``; returns the new values, or None if cancelled.

    ``validate`` is called with the values on submit; it raises :class:`EditError` (or
    :class:`ItemError` with per-field messages) to keep the form open with the errors shown.
    """

    def __init__(
        self,
        table: str,
        values: dict[str, Any],
        session: Session,
        title: str,
        validate: Callable[[dict[str, Any]], object],
        *,
        current: Callable[[], Record | None] | None = None,
    ) -> None:
        """``current``, for an item's form: the item as it is now (None: deleted meanwhile), so a
        submit applies only what this form changed and asks about a field someone else changed
        meanwhile (:func:`~cjmtui.core.edit.rebase_edit`); the form then returns only the
        changes. ``values`` are the item's fields as it opened."""
        super().__init__()
        self.table = table
        self.values = values
        self.session = session
        self.form_title = title
        self.validate = validate
        self.current = current
        self.fields = FORMS[table]
        self.opened: dict[str, Any] | None = None  # the fields as the form first showed them
        self.keep: Callable[[dict[str, Any]], object] | None = None  # applies a result (on exit)

        if values.get("pending"):  # capture signs waiting for their item: shown, and can be cleared
            self.fields = [*self.fields, PENDING]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form"):
            yield Static(plain(self.form_title), classes="form-title")
            for field in self.fields:
                widgets = self._widgets(field)
                label = Label(field.label, classes="field-label")
                if field.help:
                    label.tooltip = field.help
                if field.kind in ("refs", "emotion", "long"):
                    yield Label(
                        f"{field.label}  ({field.help})" if field.help else field.label, classes="field-label block"
                    )
                    yield from widgets
                else:
                    yield Horizontal(label, *widgets, classes="field-row")
                yield Static("", id=f"err-{field.name}", classes="field-error")
            yield Static("", id="err-item", classes="field-error")
            with Horizontal(classes="form-buttons"):
                yield Button("Save (F2)", variant="primary", id="ok")
                yield Button("Cancel (Esc)", id="cancel")

    def _widgets(self, field: Field) -> list[Widget]:
        value = self.values.get(field.name)
        wid = f"f-{field.name}"
        if field.kind in ("bool", "choice", "ref"):
            return [self._select(field, value, wid)]
        if field.kind in ("text", "date"):
            return [
                LineInput(
                    value="" if value is None else str(value),
                    id=wid,
                    compact=True,
                    max_length=MAX_TEXT,
                )
            ]
        if field.kind == "date":
            return [
                LineInput(value="" if value is None else str(value), id=wid, compact=True, placeholder="YYYY-MM-DD")
            ]
        if field.kind == "long":
            area = TextArea(value or "", id=wid, soft_wrap=True, show_line_numbers=False, compact=True)
            return [area]
        if field.kind == "lines":
            return [
                LineInput(value="; ".join(value or []), id=wid, compact=True, placeholder="separate with ;", sep="; ")
            ]
        if field.kind in ("int", "float"):
            kind: Literal["number", "integer"] = "number" if field.kind == "float" else "integer"
            return [Input(value="" if value is None else str(value), id=wid, type=kind, compact=True)]
        if field.kind == "refs":
            entries = [
                (i.id, self._ref_prompt(field.table, i))
                for i in getattr(self.session, field.table)
                if not (field.name == "feeds" and i.id == self.values.get("id"))
            ]
            return [CheckList(entries, value or [], id=wid, classes="refs")]
        if field.kind == "emotion":
            return self._emotion_widgets(value or {})
        raise ValueError(field.kind)

    def _select(self, field: Field, value: Any, wid: str) -> TypeSelect:
        """A dropdown: no or yes, one of the field's choices, or one item of its table."""
        if field.kind == "bool":
            return TypeSelect(
                [(Text("no"), False), (Text("yes"), True)],
                value=bool(value),
                allow_blank=False,
                id=wid,
                compact=True,
            )
        if field.kind == "choice":
            options = [(Text(c), c) for c in field.choices]
            current = "" if value is None else str(value)
            return TypeSelect(
                options,
                value=current if current in field.choices else Select.NULL,
                allow_blank=field.optional,
                id=wid,
                prompt="—",
                compact=True,
            )
        items = getattr(self.session, field.table)
        refs = [(plain(clip(item_label(i), 60)), i.id) for i in items]
        ids = {i.id for i in items}
        return TypeSelect(
            refs,
            value=value if value in ids else Select.NULL,
            allow_blank=True,
            id=wid,
            prompt="—",
            compact=True,
        )

    def _emotion_widgets(self, emotion: dict[str, int]) -> list[Widget]:
        """One choice per persona: how they feel at this stage, from -2 to +2, or not set."""
        widgets: list[Widget] = []
        for persona in self.session.personas:
            rating = emotion.get(persona.id)
            choice = TypeSelect(
                [(Text(label), v) for label, v in EMOTIONS],
                value=rating if rating is not None else Select.NULL,
                allow_blank=True,
                id=f"emo-{persona.id}",
                prompt="not set",
                compact=True,
            )
            label = Label(plain(clip(persona.name, 24)), classes="emotion-label")
            widgets.append(Horizontal(label, choice, classes="emotion-row"))
        return widgets or [Label("(add personas on screen 1 to rate emotion per persona)")]

    def _ref_prompt(self, table: str, item: Record) -> Text:
        label = clip(item_label(item), 36)
        stage = getattr(item, "stage", None)
        if stage and table in ("processes", "pains"):
            st = next((s for s in self.session.stages if s.id == stage), None)
            if st is not None:
                return Text.assemble(plain(label), (f"  @ {clip(st.name, 14)}", "dim"))
        return plain(label)

    def on_mount(self) -> None:
        # Text fields show their beginning (a long note scrolled to its end reads as nonsense).
        for entry in self.query(Input):
            entry.cursor_position = 0
        first = self.query(f"#f-{self.fields[0].name}")
        if first:
            first.first().focus()
        self.opened = self.collect()

    @property
    def changed(self) -> bool:
        """Whether anything was typed or chosen since the form opened."""
        return self.opened is not None and self.collect() != self.opened

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """Every text field alike: reaching it selects its whole value, so typing replaces it
        (and Esc or undo gives it back); the cursor sits at the start so the words still read."""
        widget = event.widget
        if isinstance(widget, Input):
            widget.selection = Selection(len(widget.value), 0)
        elif isinstance(widget, TextArea):
            widget.select_all()

    def collect(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in self.fields:
            wid = f"#f-{field.name}"
            if field.kind == "text":
                out[field.name] = self.query_one(wid, Input).value
            elif field.kind == "date":
                out[field.name] = self.query_one(wid, Input).value.strip() or None
            elif field.kind == "bool":
                out[field.name] = self.query_one(wid, Select).value is True
            elif field.kind == "long":
                out[field.name] = self.query_one(wid, TextArea).text
            elif field.kind == "lines":
                raw = self.query_one(wid, Input).value
                out[field.name] = [part.strip() for part in raw.split(";") if part.strip()]
            elif field.kind in ("int", "float"):
                raw = self.query_one(wid, Input).value.strip()
                out[field.name] = _number(raw, int if field.kind == "int" else float)
            elif field.kind in ("choice", "ref"):
                value = self.query_one(wid, Select).value
                if value is Select.NULL:
                    out[field.name] = field.blank
                elif field.choices == RATING:
                    out[field.name] = int(str(value))
                else:
                    out[field.name] = value
            elif field.kind == "refs":
                out[field.name] = self.query_one(wid, CheckList).selected
            elif field.kind == "emotion":
                emotion = {}
                for persona in self.session.personas:
                    value = self.query_one(f"#emo-{persona.id}", Select).value
                    if value is not Select.NULL:
                        emotion[persona.id] = value
                out[field.name] = emotion
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        for widget in self.query(".field-error").results(Static):
            widget.update("")
            widget.display = False
        known = {f.name for f in self.fields}
        for field, message in errors.items():
            target = field if field in known else "item"
            error = self.query_one(f"#err-{target}", Static)
            error.update(Text(f"⚠ {message}", style="bold"))
            error.display = True
        first = next((f for f in errors if f in known), None)
        if first:
            self.query_one(f"#err-{first}").scroll_visible()

    def action_submit(self) -> None:
        values = self.collect()
        try:
            self.validate(values)
        except ItemError as exc:
            self.show_errors(exc.errors)
            return
        except EditError as exc:
            self.show_errors({exc.field or "item": exc.message})
            return
        changes, clashes = self._rebased(values)
        if not clashes:
            self.dismiss(changes)
            return
        self._ask(changes, clashes)

    def _rebased(self, values: dict[str, Any]) -> tuple[dict[str, Any], list[FieldClash]]:
        """What to apply to the item as it is now, and the fields someone else changed too."""
        if self.current is None:
            return values, []
        try:
            yours = validate_item(self.table, {**self.values, **values}).model_dump()
        except EditError:
            return values, []  # the edit is checked again when applied, and refused there
        now = self.current()
        return rebase_edit(self.values, now.model_dump() if now is not None else None, yours)

    def _ask(self, changes: dict[str, Any], clashes: list[FieldClash]) -> None:
        """Someone else saved a field this form changes too: theirs / yours, one field at a
        time (t or y), before the form closes. Escape goes back to the form."""
        from .dialogs import Choice

        clash, rest = clashes[0], clashes[1:]
        label = next((f.label for f in self.fields if f.name == clash.field), clash.field)
        message = (
            f"Someone else changed “{label}” while this form was open.\n\n"
            f"theirs: {_shown(clash.theirs)}\n"
            f"yours:  {_shown(clash.yours)}"
        )
        answers = [("t", "Keep theirs", "theirs"), ("y", "Use yours", "yours")]

        def chosen(answer: str | None) -> None:
            if answer is None:
                return  # back to the form, nothing applied
            picked = dict(changes)
            if answer == "yours":
                picked[clash.field] = clash.yours
            if rest:
                self._ask(picked, rest)
            else:
                self.dismiss(picked)

        self.app.push_screen(Choice(f"Changed meanwhile: {label}", message, answers), chosen)

    def keep_typed(self) -> str:
        """On the way out (F10, a signal): what was typed here is applied, not dropped.
        Returns what happened, in words ("" when nothing was changed)."""
        if not self.changed or self.keep is None:
            return ""
        values = self.collect()
        try:
            self.validate(values)
        except EditError as exc:
            typed = "; ".join(f"{k} = {_shown(v)}" for k, v in values.items() if v != (self.opened or {}).get(k))
            return f"{self.form_title}: your changes could not be kept ({exc.message}). You had typed: {typed}"
        changes, clashes = self._rebased(values)
        changes.update({c.field: c.yours for c in clashes})  # no one to ask: the later save's value
        self.keep(changes)
        return f"{self.form_title}: your changes were saved."


def _shown(value: Any, limit: int = 200) -> str:
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = "—" if value in (None, "") else str(value)
    return clip(text, limit)


def _number(raw: str, kind: type) -> Any:
    """The typed number, or the raw text (the core then says what is wrong with it)."""
    if not raw:
        return 0 if kind is int else raw
    try:
        return kind(raw)
    except ValueError:
        return raw


def form_title(table: str, item_id: str | None, label: str = "") -> str:
    what = SINGULAR[table]
    return f"New {what}" if item_id is None else f"Edit {what}: {clip(label, 50)}"
