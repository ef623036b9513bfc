"""Where complaints cluster and where handoffs multiply (seed 001: "Determine bottlenecks",
"Identify friction & risk"): figures per stage, pure functions over a session."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Process, Session
from .scoring import Graph, is_scored


@dataclass(frozen=True)
class StageFriction:
    stage: str
    name: str
    pains: int  # pains (not gains) at this stage; with a persona lens, that persona's
    pain_weight: int  # sum of severity × frequency of those pains
    departments: int  # departments involved: the stage's owners and its processes' owners
    handoffs: int  # feeds from this stage's processes to a process owned by another department
    top_process: str | None  # the process of this stage with the most downstream reach
    top_reach: int  # how many pains that process reaches (through its handoffs)
    department_ids: tuple[str, ...] = ()  # which departments, each once, stage owners first
    handoff_links: tuple[tuple[str, str], ...] = ()  # which handoffs: (from process, to process)


def stage_friction(session: Session, persona: str | None = None) -> list[StageFriction]:
    """One row per stage, in journey order.

    - ``pains``/``pain_weight``: the pains (``kind == "pain"``, not refuted) at the stage and the sum of their
      ``severity × frequency``; with ``persona``, only that persona's (and those naming nobody);
    - ``departments``: the stage's owners, then the owners of the processes running at it (an
      unowned process adds none), each once;
    - ``handoffs``: every ``feeds`` link, in file order, from a process of this stage to a process
      owned by another department than the feeding process's (an unowned target crosses no known
      line; a feed from an unowned process to an owned one does);
    - ``top_process``: the process of this stage whose fixing reaches the most pains downstream.
    """
    owner = {p.id: p.owner for p in session.processes}
    graph = Graph(session, persona)
    counts: dict[str, list[int]] = {s.id: [0, 0] for s in session.stages}
    for pain in session.pains:
        if not is_scored(pain) or not pain.affects(persona):
            continue
        figures = counts.get(pain.stage)
        if figures is not None:
            figures[0] += 1
            figures[1] += pain.severity * pain.frequency
    procs_at: dict[str, list[Process]] = {s.id: [] for s in session.stages}
    for proc in session.processes:
        procs_at.setdefault(proc.stage, []).append(proc)
    rows = []
    for stage in session.stages:
        procs = procs_at[stage.id]
        depts = dict.fromkeys(stage.owners)
        links = []
        for proc in procs:
            if proc.owner is not None:
                depts.setdefault(proc.owner)
            for nxt in proc.feeds:
                other = owner.get(nxt)
                if other is not None and other != proc.owner:
                    links.append((proc.id, nxt))
        top, top_reach = None, 0
        for proc in procs:
            reached = graph.summary([proc.id])[2]
            if reached > top_reach:
                top, top_reach = proc.id, reached
        rows.append(
            StageFriction(
                stage=stage.id,
                name=stage.name,
                pains=counts[stage.id][0],
                pain_weight=counts[stage.id][1],
                departments=len(depts),
                handoffs=len(links),
                top_process=top,
                top_reach=top_reach,
                department_ids=tuple(depts),
                handoff_links=tuple(links),
            )
        )
    return rows
