"""3 Pain points: what the customer experiences at each stage, in their own words."""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.binding import Binding

from ....core.model import Department, Pain, Process, Session, Stage, get
from ....core.scoring import moment_stages, pain_weight
from ....core.validation import next_validation, validation_changes
from ....core.views import MOMENT_MARK
from ....core.vocab import fmt_number
from ...text import clip, plain
from ...widgets.itemtable import Cell
from .shared import StagedScreen, VotingScreen, field_line, marked, memo, names

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
        moments = memo((session.stages,), "moments", lambda: dict.fromkeys(moment_stages(session)))
        text = marked(item.moment or item.stage in moments, item.text)
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
                field_line("Affects", who),
                *(
                    [
                        field_line(
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
