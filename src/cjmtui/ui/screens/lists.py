"""The screens that follow the method's questions: personas, stages, pains, processes, solutions."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...core.edit import convert_parked
from ...core.links import LINK_OF_TABLE
from ...core.model import (
    Department,
    Pain,
    ParkingItem,
    Persona,
    Process,
    Session,
    Solution,
    Stage,
    get,
    item_label,
)
from ...core.scoring import moment_stages, pain_weight
from ...core.triage import merge
from ...core.validation import next_validation, validation_changes
from ...core.views import MOMENT_MARK
from ...core.vocab import EMOTION_FACES, SINGULAR, fmt_number, initials, plural, signed
from ...core.voting import vote_totals, voter_dots
from ..text import clip, plain, show
from ..widgets.capture import QuickCapture
from ..widgets.itemtable import Cell
from .base import ItemsScreen

S = TypeVar("S", Pain, Process)  # items that belong to a stage
V = TypeVar("V", Pain, Solution)  # items that take dots
STAGE_GROUP = Binding.Group("Stage", compact=True)
VOTE_GROUP = Binding.Group("Dots", compact=True)


# What a list's rows look up, built once per version of what it is built from. Tables are
# never changed in place (an edit makes a new list for the table it changes, and keeps the
# others), so a lookup stays valid while the lists it read are the same objects: adding a pain
# does not rebuild the names of 5,000 processes, and a list of 10,000 rows costs 10,000 lookups.
_MEMO: dict[str, tuple[tuple[object, ...], dict[str, Any]]] = {}


def _memo(sources: tuple[object, ...], key: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    hit = _MEMO.get(key)
    if hit is None or len(hit[0]) != len(sources) or any(a is not b for a, b in zip(hit[0], sources, strict=True)):
        hit = _MEMO[key] = (sources, build())
    return hit[1]


def names(session: Session, table: str, ids: list[str], width: int = 60) -> str:
    items = session.table(table)
    known = _memo((items,), "labels:" + table, lambda: {i.id: item_label(i) for i in items})
    labels = [known.get(item_id, item_id) for item_id in ids]
    return clip(", ".join(labels), width) if labels else "—"


def status_history(item: Solution, shown: int = 3) -> str:
    """``"planned 2025-03-12 (Le Hua) → doing 2025-03-19 (Le Hua)"``: the latest changes, or the
    status alone when none was recorded."""
    steps = [f"{h.status} {h.on.isoformat()}" + (f" ({h.by})" if h.by else "") for h in item.history[-shown:]]
    if not steps:
        return f"{item.status} (no change recorded)"
    earlier = len(item.history) - shown
    return (f"… {earlier} earlier → " if earlier > 0 else "") + " → ".join(steps)


def _marked(moment: bool, words: str) -> Text:
    """The item's words, after ★ when it is (or its stage is) a moment of truth."""
    text = plain(words)
    return Text.assemble((f"{MOMENT_MARK} ", "bold"), text) if moment else text


# The evidence column: how we know, and what customers said when asked.
EVIDENCE_SHOWN = {"validated": "{} ✓", "refuted": "✗ refuted"}
VALIDATION_SAID = {
    "validated": "Validated with customers.",
    "refuted": "Refuted by customers: it no longer counts in the ranking.",
    "": "Not checked with customers yet.",
}


def _checked(item: Pain) -> Text:
    when = f" on {item.validated_on.isoformat()}" if item.validated_on else ""
    said = "no longer counts in the ranking" if item.validation == "refuted" else "checked with customers"
    out = Text.assemble((f"{item.validation.capitalize()}{when}", "bold"), f" ({said})")
    if item.validation_note:
        out.append(": ")
        out.append_text(plain(item.validation_note))
    return out


def _scored(item: Pain, session: Session) -> str:
    """How the ranking weighs the pain when that is not ``severity × frequency``."""
    if item.validation == "refuted":
        return " (refuted: not scored)"
    scored = pain_weight(item, session.scoring, moment_stages(session))
    return f", scored {fmt_number(scored)}" if scored != item.weight else ""


def _line(label: str, value: str) -> Text:
    return Text.assemble((f"{label}: ", "bold"), plain(value))


class PersonasScreen(ItemsScreen[Persona]):
    MODE = "personas"
    TABLE = "personas"
    COLUMNS = [("Persona", 24), ("Description", None), ("Goals", 5), ("Needs", 5), ("Frust.", 6)]

    def row_cells(self, item: Persona, session: Session) -> list[Cell]:
        return [
            plain(item.name),
            plain(item.description),
            str(len(item.goals)),
            str(len(item.needs)),
            str(len(item.frustrations)),
        ]

    def detail(self, item: Persona, session: Session) -> Text:
        return Text("\n").join(
            [
                _line("Description", item.description or "—"),
                _line("Goals", "; ".join(item.goals) or "—"),
                _line("Needs", "; ".join(item.needs) or "—"),
                _line("Frustrations", "; ".join(item.frustrations) or "—"),
            ]
        )

    def capture_label(self) -> str:
        return "New persona:"

    def capture(self, text: str) -> None:
        self.cjm.add("personas", {"name": text})


class DepartmentsScreen(ItemsScreen[Department]):
    MODE = "departments"
    TABLE = "departments"
    COLUMNS = [("Department", 26), ("Role", None)]

    def row_cells(self, item: Department, session: Session) -> list[Cell]:
        return [plain(item.name), plain(item.role)]

    def detail(self, item: Department, session: Session) -> Text:
        stages = [s.name for s in session.stages if item.id in s.owners]
        procs = [p.name for p in session.processes if p.owner == item.id]
        return Text("\n").join(
            [_line("Owns stages", ", ".join(stages) or "—"), _line("Owns processes", ", ".join(procs) or "—")]
        )

    def capture_label(self) -> str:
        return "New department:"

    def capture(self, text: str) -> None:
        self.cjm.add("departments", {"name": text})


class StagesScreen(ItemsScreen[Stage]):
    MODE = "stages"
    TABLE = "stages"
    COLUMNS = [("#", 2), ("Stage", None), ("Phase", 13), ("Customer goal", None, 1), ("Owners", 16), ("Emotion", 14)]
    BINDINGS = [
        Binding("K,shift+up", "move(-1)", "Move up", id="stage.move_up", key_display="K"),
        Binding("J,shift+down", "move(1)", "Move down", id="stage.move_down", key_display="J"),
        Binding(
            "m",
            "toggle_moment",
            "Moment ★",
            id="stage.moment",
            tooltip="Mark the stage as a moment of truth, or unmark it",
            show=False,
        ),
    ]

    def row_cells(self, item: Stage, session: Session) -> list[Cell]:
        index = session.stages.index(item) + 1
        tags = dict(zip((p.id for p in session.personas), initials([p.name for p in session.personas]), strict=True))
        # Which face is whose: "S· P☹ F☹☹" (the detail panel names each persona in full).
        faces = " ".join(
            tags[p.id] + EMOTION_FACES[item.emotion[p.id]] for p in session.personas if p.id in item.emotion
        )
        return [
            str(index),
            _marked(item.moment, item.name),
            item.phase or "—",
            plain(item.customer_goal),
            plain(names(session, "departments", item.owners, 18)),
            faces or "—",
        ]

    def detail(self, item: Stage, session: Session) -> Text:
        tags = dict(zip((p.id for p in session.personas), initials([p.name for p in session.personas]), strict=True))
        emotions = ", ".join(
            f"{tags[p.id]} {p.name} {signed(item.emotion[p.id])}" for p in session.personas if p.id in item.emotion
        )
        pains = sum(1 for p in session.pains if p.stage == item.id and p.kind == "pain")
        gains = sum(1 for p in session.pains if p.stage == item.id and p.kind == "gain")
        procs = sum(1 for p in session.processes if p.stage == item.id)
        return Text("\n").join(
            [
                *(
                    [Text(f"{MOMENT_MARK} A moment of truth: its pains weigh more (ranking weights, S)")]
                    if item.moment
                    else []
                ),
                _line("Customer goal", item.customer_goal or "—"),
                _line("Touchpoints", ", ".join(item.touchpoints) or "—"),
                _line("Channels", ", ".join(item.channels) or "—"),
                _line("Emotion", emotions or "—"),
                Text(f"{pains} pains, {gains} gains, {procs} internal processes"),
            ]
        )

    def capture_label(self) -> str:
        return "New stage:"

    def capture(self, text: str) -> None:
        name, fields = self.triaged("stages", text, signs_only=True)
        if not name:  # only signs ("~t-1b2"): they go on the highlighted stage
            stage = self.current_item()
            if stage is None:
                self.notify("Add a stage first: its name, then its signs.", severity="warning")
            elif fields:
                self.cjm.update("stages", stage.id, merge(stage, fields))
            return
        item = self.cjm.add("stages", {**fields, "name": name})
        if isinstance(item, Stage) and self.cjm.stage_id is None:
            self.cjm.stage_id = item.id

    def action_toggle_moment(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.update("stages", item.id, {"moment": not item.moment})

    def on_data_table_row_highlighted(self) -> None:
        # Moving the highlight picks the current stage; capturing new stages does not (the room
        # then walks the journey from where it was, usually the first step).
        if self.query_one(QuickCapture).is_open:
            return
        item = self.current_item()
        if item is not None:
            self.cjm.stage_id = item.id


class StagedScreen(ItemsScreen[S]):
    """Items that belong to one stage at a time; [ and ] change the stage."""

    BINDINGS = [
        Binding(
            "left_square_bracket", "stage(-1)", "Previous stage", id="stage.prev", key_display="[", group=STAGE_GROUP
        ),
        Binding("right_square_bracket", "stage(1)", "Next stage", id="stage.next", key_display="]", group=STAGE_GROUP),
        Binding("l", "links", "Causes", id="item.links", tooltip="Link the processes that cause the pains"),
    ]

    def compose_body(self) -> ComposeResult:
        yield Static("", id="stagebar", classes="stagebar")
        yield from super().compose_body()

    def stage(self) -> Stage | None:
        return get(self.session, Stage, self.cjm.stage_id)

    def visible_items(self, session: Session) -> list[S]:
        stage_id = self.cjm.stage_id
        return [item for item in getattr(session, self.TABLE) if item.stage == stage_id]

    def refresh_view(self, select: str | None = None) -> None:
        self.cjm.ensure_stage()
        stages = self.session.stages
        stage = self.stage()
        bar = self.query_one("#stagebar", Static)
        if stage is None:
            show(bar, Text("No stages yet: press 2 and add the first step of the journey.", style="italic"))
        else:
            index = stages.index(stage) + 1
            head = f"Stage {index}/{len(stages)}: "
            phase = f"  ({stage.phase})" if stage.phase else ""
            # The keys' brackets stay in view: a long stage name gives way (the list shows it whole).
            room = max(12, (self.size.width or self.app.size.width) - 2 - len(head) - len(phase) - 10)
            show(
                bar,
                Text.assemble(
                    ("◀ [  ", "dim"),
                    (head, "bold"),
                    plain(clip(stage.name, room), "bold"),
                    (phase, "dim"),
                    ("  ] ▶", "dim"),
                ),
            )
        super().refresh_view(select)

    def action_stage(self, delta: int) -> None:
        self.cjm.step_stage(delta)

    def action_links(self) -> None:
        item = self.current_item()
        if item is None:
            self.notify("Highlight an item first.")
            return
        self.cjm.open_links(LINK_OF_TABLE[self.TABLE], item.id)

    def new_item_defaults(self) -> dict[str, Any] | None:
        if self.stage() is None:
            self.notify("Add a stage first (press 2).", severity="warning")
            return None
        return {"stage": self.cjm.stage_id}


class VotingScreen(ItemsScreen[V]):
    """Dot voting on this screen's items: v asks who votes; + and - put and take back their dots."""

    VOTE_BINDINGS = [
        Binding("v", "voting", "Vote", id="vote.start", tooltip="Dot voting: type who is voting, then + and -"),
        Binding("plus,equals_sign", "vote(1)", "Add dot", id="vote.add", key_display="+", group=VOTE_GROUP),
        Binding("minus", "vote(-1)", "Take back", id="vote.remove", key_display="-", group=VOTE_GROUP),
        Binding("escape", "end_voting", "End voting", id="vote.end"),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("vote", "end_voting"):
            return self.cjm.voter is not None
        return super().check_action(action, parameters)

    def action_voting(self) -> None:
        self.cjm.room.start_voting(self.TABLE)

    def action_vote(self, delta: int) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.room.vote(item.id, delta)

    def action_end_voting(self) -> None:
        self.cjm.room.stop_voting()
        self.notify("Voting ended.")

    def dots_cell(self, session: Session, item_id: str) -> Text:
        """Total dots, and the current voter's own as ● marks (readable without colour)."""
        mine = voter_dots(session, self.cjm.voter, self.TABLE, item_id) if self.cjm.voter else 0
        sources = (session.participants, session.solutions if self.TABLE == "solutions" else ())
        totals = _memo(sources, "votes:" + self.TABLE, lambda: vote_totals(session, self.TABLE))
        return Text.assemble(str(totals.get(item_id, 0)), (" " + "●" * mine if mine else "", "bold"))


class PainsScreen(VotingScreen[Pain], StagedScreen[Pain]):
    MODE = "pains"
    TABLE = "pains"
    CAPTURE_AT_STAGE = True
    COLUMNS = [
        ("", 1),
        ("In the customer's words", None),
        ("Sev", 3),
        ("Freq", 4),
        ("Evidence", 10, 1),
        ("Caused by", 18),
        ("Dots", 4),
    ]
    BINDINGS = [
        Binding("g", "toggle_kind", "Pain/gain", id="pain.kind", tooltip="Turn a pain into a gain or back", show=False),
        Binding(
            "m",
            "toggle_moment",
            "Moment ★",
            id="pain.moment",
            tooltip="Mark the pain as at a moment of truth, or unmark it",
            show=False,
        ),
        Binding(
            "c",
            "cycle_validation",
            "Checked",
            id="pain.validation",
            tooltip="Checked with customers: not yet → validated → refuted (not scored) → not yet",
            show=False,
        ),
        *VotingScreen.VOTE_BINDINGS,
    ]

    def row_cells(self, item: Pain, session: Session) -> list[Cell]:
        if item.validation == "refuted":
            mark = Text("✗", style="bold")
        else:
            mark = Text("−", style="bold red") if item.kind == "pain" else Text("+", style="bold green")
        moments = _memo((session.stages,), "moments", lambda: dict.fromkeys(moment_stages(session)))
        text = _marked(item.moment or item.stage in moments, item.text)
        if item.validation == "refuted":
            text.stylize("dim")
        return [
            mark,
            text,
            str(item.severity) if item.kind == "pain" else "—",  # a gain is not scored
            str(item.frequency) if item.kind == "pain" else "—",
            EVIDENCE_SHOWN.get(item.validation, "{}").format(item.evidence),
            plain(names(session, "processes", item.caused_by, 200)),
            self.dots_cell(session, item.id),
        ]

    def detail(self, item: Pain, session: Session) -> Text:
        who = names(session, "personas", item.personas) if item.personas else "every persona"
        causes = []
        for proc_id in item.caused_by:
            proc = get(session, Process, proc_id)
            if proc is not None:
                owner = get(session, Department, proc.owner)
                causes.append(f"{proc.name} ({owner.name if owner else 'no owner'})")
        stage = get(session, Stage, item.stage)
        at_moment = item.moment or (stage is not None and stage.moment)
        return Text("\n").join(
            [
                *([Text(f"{MOMENT_MARK} At a moment of truth")] if at_moment else []),
                *([_checked(item)] if item.validation else []),
                _line("Affects", who),
                *(
                    [
                        _line(
                            "Why (caused by)",
                            "; ".join(causes) or "— press l to link the internal process that causes it",
                        )
                    ]
                    if item.kind == "pain" or causes
                    else []
                ),
                Text(
                    f"weight {item.severity}×{item.frequency} = {item.weight}{_scored(item, session)}"
                    f"  ·  evidence: {item.evidence}"
                    if item.kind == "pain"
                    else f"a gain (not scored)  ·  evidence: {item.evidence}"
                ),
            ]
        )

    def capture_label(self) -> str | None:
        stage = self.stage()
        return f"New pain @ {clip(stage.name, 24)}:" if stage else "New pain (add a stage first):"

    def capture(self, text: str) -> None:
        if self.stage() is None:
            self.notify("Add a stage first (press 2).", severity="warning")
            return
        words, fields = self.triaged("pains", text)
        if self.cjm.persona_lens and "personas" not in fields:
            fields["personas"] = [self.cjm.persona_lens]
        self.cjm.add("pains", {**fields, "stage": self.cjm.stage_id, "text": words})

    def action_toggle_moment(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.update("pains", item.id, {"moment": not item.moment})

    def action_cycle_validation(self) -> None:
        item = self.current_item()
        if item is not None:
            changes = validation_changes(next_validation(item.validation), dt.date.today())
            if self.cjm.update("pains", item.id, changes) is not None:
                self.notify(VALIDATION_SAID[changes["validation"]])

    def action_toggle_kind(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.update("pains", item.id, {"kind": "gain" if item.kind == "pain" else "pain"})

    def visible_items(self, session: Session) -> list[Pain]:
        items = super().visible_items(session)
        return [p for p in items if p.affects(self.cjm.persona_lens)]


class ProcessesScreen(StagedScreen[Process]):
    MODE = "processes"
    TABLE = "processes"
    CAPTURE_AT_STAGE = True
    COLUMNS = [("Internal process", None), ("Owner", 16), ("Systems", 12, 1), ("Hands off to", None), ("Causes", 6)]
    BINDINGS = [
        Binding(
            "f", "feeds", "Handoffs", id="process.feeds", tooltip="Pick the downstream processes this one hands work to"
        ),
    ]

    def row_cells(self, item: Process, session: Session) -> list[Cell]:
        pains = session.pains
        counts = _memo((pains,), "causes", lambda: Counter(c for p in pains for c in set(p.caused_by)))
        causes = counts.get(item.id, 0)
        return [
            plain(item.name),
            plain(names(session, "departments", [item.owner] if item.owner else [], 16)),
            plain(clip(", ".join(item.systems), 12) or "—"),
            plain(names(session, "processes", item.feeds, 200)),
            str(causes),
        ]

    def detail(self, item: Process, session: Session) -> Text:
        causes = [p.text for p in session.pains if item.id in p.caused_by]
        fed_by = [p.name for p in session.processes if item.id in p.feeds]
        impact, stages, reached = self.cjm.rankings.graph(session, None).summary([item.id])
        return Text("\n").join(
            [
                _line("Causes", "; ".join(causes) or "— press l to link the pains it causes"),
                _line("Systems", ", ".join(item.systems) or "—"),
                _line("Receives work from", ", ".join(fed_by) or "—"),
                _line("Hands work to", names(session, "processes", item.feeds)),
                Text(
                    f"Fixing it would reach {plural(reached, 'pain')} in {plural(stages, 'stage')} "
                    f"(impact {fmt_number(impact)})"
                ),
            ]
        )

    def capture_label(self) -> str | None:
        stage = self.stage()
        return f"New process @ {clip(stage.name, 24)}:" if stage else "New process (add a stage first):"

    def capture(self, text: str) -> None:
        if self.stage() is None:
            self.notify("Add a stage first (press 2).", severity="warning")
            return
        name, fields = self.triaged("processes", text)
        if "owner" not in fields:  # a new process is owned by its stage's owner, until said otherwise
            stage = self.stage()
            if stage is not None and stage.owners:
                fields["owner"] = stage.owners[0]
        self.cjm.add("processes", {**fields, "stage": self.cjm.stage_id, "name": name})

    def action_feeds(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.open_links("feeds", item.id)


class SolutionsScreen(VotingScreen[Solution]):
    MODE = "solutions"
    TABLE = "solutions"
    # At 80 columns the status makes way (the detail panel says it): effort and confidence are
    # what the room rates, and both stay in view.
    COLUMNS = [("Solution", None), ("Changes process", 20), ("Eff", 3), ("Conf", 4), ("Status", 8, 1), ("Votes", 5)]
    BINDINGS = [
        Binding("l", "links", "Targets", id="solution.targets", tooltip="Pick the processes this solution changes"),
        *VotingScreen.VOTE_BINDINGS,
    ]

    def row_cells(self, item: Solution, session: Session) -> list[Cell]:
        return [
            plain(item.text),
            plain(names(session, "processes", item.targets, 200)),
            str(item.effort),
            f"{item.confidence:.1f}",
            item.status,
            self.dots_cell(session, item.id),
        ]

    def detail(self, item: Solution, session: Session) -> Text:
        impact, stages, reached = self.cjm.rankings.graph(session, self.cjm.persona_lens).summary(item.targets)
        owner = get(session, Department, item.owner)
        due = item.due.isoformat() if item.due else "—"
        review = item.review.isoformat() if item.review else "—"
        return Text("\n").join(
            [
                _line("Changes", names(session, "processes", item.targets, 200)),
                _line("Owner", f"{owner.name if owner else '—'} · due {due} · review {review}"),
                Text(
                    f"Reaches {plural(reached, 'pain')} in {plural(stages, 'stage')} · "
                    f"impact {fmt_number(impact)} · effort {item.effort} · confidence {item.confidence:.0%}"
                ),
                _line("Status", status_history(item)),
            ]
        )

    def capture_label(self) -> str:
        return "New solution:"

    def capture(self, text: str) -> None:
        words, fields = self.triaged("solutions", text)
        self.cjm.add("solutions", {**fields, "text": words})

    def action_links(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.open_links("targets", item.id)


class ParkingScreen(ItemsScreen[ParkingItem]):
    MODE = "parking"
    FULL_TEXT_IN_DETAIL = False  # its detail is the parked point's text already
    TABLE = "parking"
    COLUMNS = [("Status", 9), ("Parked point", None), ("Came up at stage", 22)]
    BINDINGS = [
        Binding(
            "c", "convert", "Convert", id="parking.convert", tooltip="Turn it into a pain, a process or a solution"
        ),
        Binding("x", "close", "Close/reopen", id="parking.close"),
    ]

    def row_cells(self, item: ParkingItem, session: Session) -> list[Cell]:
        stage = get(session, Stage, item.stage)
        return [
            Text(item.status, style="bold" if item.status == "open" else "dim"),
            plain(item.text),
            plain(stage.name if stage else "—"),
        ]

    def detail(self, item: ParkingItem, session: Session) -> Text:
        return Text.assemble(plain(item.text), ("\nc: convert · x: close or reopen · d: delete", "dim"))

    def empty_hint(self) -> str:
        return "Nothing parked. Press p on any screen to park an off-topic point."

    def capture_label(self) -> str:
        return self.park_label()

    def capture(self, text: str) -> None:
        self.cjm.add_parked(text)

    def action_close(self) -> None:
        item = self.current_item()
        if item is not None:
            self.cjm.update("parking", item.id, {"status": "open" if item.status != "open" else "closed"})

    def action_convert(self) -> None:
        from .dialogs import Choice

        item = self.current_item()
        if item is None:
            return
        if item.status == "converted":
            self.notify("Already converted.")
            return

        def chosen(table: str | None) -> None:
            if not table:
                return
            result = self.cjm.apply(
                f"convert parked point to {table}",
                partial(convert_parked, actor=self.cjm.actor),
                item.id,
                table,
                self.cjm.stage_id,
            )
            if result is not None:
                self.notify(f"Converted to a {SINGULAR[table]}.")

        self.app.push_screen(
            Choice(
                "Turn this parked point into…",
                item.text,
                [("1", "a pain", "pains"), ("2", "a process", "processes"), ("3", "a solution", "solutions")],
            ),
            chosen,
        )
