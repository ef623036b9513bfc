"""Ranking upstream quick wins: pure functions over a session, no UI.

The model (README, "How quick wins are ranked"), every weight read from ``[scoring]``:

- a pain's weight is ``severity × frequency``; gains are not scored;
- a solution *reaches* every pain caused by one of its target processes (0 hops) or by a
  process downstream of a target through ``feeds`` (n hops, shortest path, at most
  ``max_hops``); a reached pain contributes ``weight × hop_decay^hops``, once;
- ``impact`` is the sum of contributions, ``stages_reached`` the number of distinct stages
  among the reached pains;
- ``score = impact × (1 + stage_bonus × (stages_reached − 1)) × confidence / effort``;
  nothing reached scores 0;
- quadrant: high impact is ``impact > 0`` and ``impact ≥`` the median impact of the session's
  solutions; low effort is ``effort ≤ quick_win_max_effort``;
- votes (the ``votes`` recorded on a solution plus the participants' dots) are their own column;
  ``vote_weight`` (default 0: no effect) multiplies the score by ``1 + vote_weight × votes``.

The same reach ranks the processes themselves as root causes (confidence 1, no effort).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median

from .model import Pain, Session

QUICK_WIN = "quick win"
MAJOR_PROJECT = "major project"
FILL_IN = "fill-in"
THANKLESS = "thankless"
QUADRANTS = (QUICK_WIN, MAJOR_PROJECT, FILL_IN, THANKLESS)


@dataclass(frozen=True)
class Reached:
    pain: str
    stage: str
    hops: int
    weight: int
    contribution: float


@dataclass(frozen=True)
class RankedSolution:
    rank: int
    id: str
    text: str
    score: float
    impact: float
    effort: int
    confidence: float
    stages_reached: int
    quadrant: str
    status: str
    votes: int
    reached: tuple[Reached, ...] = field(default=())


@dataclass(frozen=True)
class RankedProcess:
    rank: int
    id: str
    name: str
    owner: str | None
    stage: str
    score: float
    impact: float
    stages_reached: int
    reached: tuple[Reached, ...] = field(default=())


@dataclass(frozen=True)
class Ranking:
    solutions: tuple[RankedSolution, ...]
    processes: tuple[RankedProcess, ...]
    median_impact: float
    persona: str | None = None


class Graph:
    """The session's cause graph, indexed once for any number of reach queries."""

    def __init__(self, session: Session, persona: str | None = None) -> None:
        self.session = session
        self.scoring = session.scoring
        self.feeds: dict[str, list[str]] = {p.id: p.feeds for p in session.processes}
        self.causes: dict[str, list[Pain]] = {p.id: [] for p in session.processes}
        for pain in session.pains:
            if pain.kind != "pain":
                continue
            if persona is not None and pain.personas and persona not in pain.personas:
                continue
            for proc in pain.caused_by:
                bucket = self.causes.get(proc)
                if bucket is not None:
                    bucket.append(pain)
        self._order = {p.id: i for i, p in enumerate(session.pains)}

    def distances(self, sources: Iterable[str]) -> dict[str, int]:
        """Shortest hop count from any source to each process downstream (BFS; cycles are fine)."""
        max_hops = self.scoring.max_hops
        dist: dict[str, int] = {}
        queue: deque[str] = deque()
        for s in sources:
            if s in self.feeds and s not in dist:
                dist[s] = 0
                queue.append(s)
        while queue:
            node = queue.popleft()
            d = dist[node]
            if d >= max_hops:
                continue
            for nxt in self.feeds[node]:
                if nxt not in dist:
                    dist[nxt] = d + 1
                    queue.append(nxt)
        return dist

    def reach(self, sources: Iterable[str]) -> tuple[float, int, tuple[Reached, ...]]:
        """(impact, stages_reached, breakdown) for fixing the ``sources`` processes."""
        decay = self.scoring.hop_decay
        best: dict[str, tuple[int, Pain]] = {}
        for proc, hops in self.distances(sources).items():
            for pain in self.causes[proc]:
                seen = best.get(pain.id)
                if seen is None or hops < seen[0]:
                    best[pain.id] = (hops, pain)
        if not best:
            return 0.0, 0, ()
        reached = []
        for hops, pain in best.values():
            w = pain.severity * pain.frequency
            contribution = w * decay**hops
            if contribution > 0:  # hop_decay = 0 credits only the target's own pains
                reached.append(Reached(pain.id, pain.stage, hops, w, contribution))
        if not reached:
            return 0.0, 0, ()
        # Biggest contribution first, then journey order: the "why this rank" reading order.
        reached.sort(key=lambda r: (-r.contribution, r.hops, self._order[r.pain]))
        impact = sum(r.contribution for r in reached)
        stages = len({r.stage for r in reached})
        return impact, stages, tuple(reached)

    def stage_multiplier(self, stages_reached: int) -> float:
        if stages_reached <= 0:
            return 0.0
        return 1.0 + self.scoring.stage_bonus * (stages_reached - 1)


def quadrant(impact: float, effort: int, median_impact: float, max_effort: int) -> str:
    high_impact = impact > 0 and impact >= median_impact
    low_effort = effort <= max_effort
    if high_impact:
        return QUICK_WIN if low_effort else MAJOR_PROJECT
    return FILL_IN if low_effort else THANKLESS


def rank(session: Session, persona: str | None = None) -> Ranking:
    """Rank every solution and every process. Ties break by impact, effort, then file order."""
    graph = Graph(session, persona)
    dots: dict[str, int] = {}
    for person in session.participants:
        for sol_id, n in person.solution_votes.items():
            dots[sol_id] = dots.get(sol_id, 0) + n
    vote_weight = session.scoring.vote_weight
    rows = []
    votes: dict[str, int] = {}
    for order, sol in enumerate(session.solutions):
        impact, stages, reached = graph.reach(sol.targets)
        votes[sol.id] = sol.votes + dots.get(sol.id, 0)
        score = impact * graph.stage_multiplier(stages) * sol.confidence / sol.effort if reached else 0.0
        score *= 1.0 + vote_weight * votes[sol.id]
        rows.append((sol, order, impact, stages, reached, score))
    impacts = [r[2] for r in rows]
    med = float(median(impacts)) if impacts else 0.0
    max_effort = session.scoring.quick_win_max_effort
    rows.sort(key=lambda r: (-r[5], -r[2], r[0].effort, r[1]))
    solutions = tuple(
        RankedSolution(
            rank=i + 1,
            id=sol.id,
            text=sol.text,
            score=score,
            impact=impact,
            effort=sol.effort,
            confidence=sol.confidence,
            stages_reached=stages,
            quadrant=quadrant(impact, sol.effort, med, max_effort),
            status=sol.status,
            votes=votes[sol.id],
            reached=reached,
        )
        for i, (sol, _order, impact, stages, reached, score) in enumerate(rows)
    )
    procs = []
    for order, proc in enumerate(session.processes):
        impact, stages, reached = graph.reach([proc.id])
        procs.append((proc, order, impact, stages, reached, impact * graph.stage_multiplier(stages)))
    procs.sort(key=lambda r: (-r[5], -r[2], r[1]))
    processes = tuple(
        RankedProcess(
            rank=i + 1,
            id=proc.id,
            name=proc.name,
            owner=proc.owner,
            stage=proc.stage,
            score=score,
            impact=impact,
            stages_reached=stages,
            reached=reached,
        )
        for i, (proc, _order, impact, stages, reached, score) in enumerate(procs)
    )
    return Ranking(solutions, processes, med, persona)
