"""What the list screens share: the lookups their rows make once per version, the stage
and voting bases (:class:`StagedScreen`, :class:`VotingScreen`), and a detail line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ....core.links import LINK_OF_TABLE
from ....core.model import Pain, Process, Session, Solution, Stage, get, item_label
from ....core.views import MOMENT_MARK
from ....core.voting import vote_totals, voter_dots
from ...text import clip, plain, show
from ..base import ItemsScreen

S = TypeVar("S", Pain, Process)  # items that belong to a stage
V = TypeVar("V", Pain, Solution)  # items that take dots
STAGE_GROUP = Binding.Group("Stage", compact=True)
VOTE_GROUP = Binding.Group("Dots", compact=True)


# What a list's rows look up, built once per version of what it is built from. Tables are
# never changed in place (an edit makes a new list for the table it changes, and keeps the
# others), so a lookup stays valid while the lists it read are the same objects: adding a pain
# does not rebuild the names of 5,000 processes, and a list of 10,000 rows costs 10,000 lookups.
_MEMO: dict[str, tuple[tuple[object, ...], dict[str, Any]]] = {}


def memo(sources: tuple[object, ...], key: str, build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    hit = _MEMO.get(key)
    if hit is None or len(hit[0]) != len(sources) or any(a is not b for a, b in zip(hit[0], sources, strict=True)):
        hit = _MEMO[key] = (sources, build())
    return hit[1]


def names(session: Session, table: str, ids: list[str], width: int = 60) -> str:
    items = session.table(table)
    known = memo((items,), "labels:" + table, lambda: {i.id: item_label(i) for i in items})
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


def marked(moment: bool, words: str) -> Text:
    """The item's words, after ★ when it is (or its stage is) a moment of truth."""
    text = plain(words)
    return Text.assemble((f"{MOMENT_MARK} ", "bold"), text) if moment else text


def field_line(label: str, value: str) -> Text:
    return Text.assemble((f"{label}: ", "bold"), plain(value))


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
            show(
                bar, Text("No stages yet: press 2 and add the first step of the journey.", style="italic"), layout=False
            )
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
                layout=False,  # one line high (.stagebar)
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
        totals = memo(sources, "votes:" + self.TABLE, lambda: vote_totals(session, self.TABLE))
        return Text.assemble(str(totals.get(item_id, 0)), (" " + "●" * mine if mine else "", "bold"))
