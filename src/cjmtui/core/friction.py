"""Where complaints cluster and where handoffs multiply (seed 001: "Determine bottlenecks",
"Identify friction & risk"): figures per stage, pure functions over a session."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Session
from .scoring import Graph


@dataclass(frozen=True)
class StageFriction:
    stage: str
    name: str
    pains: int  # pains (not gains) at this stage
    pain_weight: int  # sum of severity × frequency of those pains
    departments: int  # departments involved: the stage's owners and its processes' owners
    handoffs: int  # feeds from this stage's processes to a process owned by another department
    top_process: str | None  # the process of this stage with the most downstream reach
    top_reach: int  # how many pains that process reaches (through its handoffs)


def stage_friction(session: Session, persona: str | None = None) -> list[StageFriction]:
    """One row per stage, in journey order."""
    owner = {p.id: p.owner for p in session.processes}
    graph = Graph(session, persona)
    rows = []
    for stage in session.stages:
        pains = [
            p for p in session.pains
            if p.stage == stage.id and p.kind == "pain" and (persona is None or not p.personas or persona in p.personas)
        ]
        procs = [p for p in session.processes if p.stage == stage.id]
        depts = set(stage.owners) | {p.owner for p in procs if p.owner}
        handoffs = sum(
            1 for p in procs for nxt in p.feeds if owner.get(nxt) is not None and owner.get(nxt) != p.owner
        )
        top, top_reach = None, 0
        for proc in procs:
            reached = len(graph.reach([proc.id])[2])
            if reached > top_reach:
                top, top_reach = proc.id, reached
        rows.append(
            StageFriction(
                stage=stage.id,
                name=stage.name,
                pains=len(pains),
                pain_weight=sum(p.severity * p.frequency for p in pains),
                departments=len(depts),
                handoffs=handoffs,
                top_process=top,
                top_reach=top_reach,
            )
        )
    return rows
