"""Ranking upstream quick wins: pure functions over a session, no UI.

The model (README, "How quick wins are ranked"), every weight read from ``[scoring]``:

- a pain's weight is ``severity × frequency``; gains and refuted pains are not scored; with
  ``severity_floor`` on, a pain weighs at least :func:`severity_floor` of its severity; a pain at
  a moment of truth (its own mark or its stage's) weighs ``moment_weight`` times as much;
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
Each solution also carries ``unverified``: the share of its impact that rests on pains whose
evidence is an anecdote or an assumption nobody has validated with customers yet.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, reduce
from itertools import chain
from operator import or_
from statistics import median
from typing import NamedTuple

from . import collector
from .model import Pain, Scoring, Session
from .voting import solution_votes

QUICK_WIN = "quick win"
MAJOR_PROJECT = "major project"
FILL_IN = "fill-in"
THANKLESS = "thankless"
QUADRANTS = (QUICK_WIN, MAJOR_PROJECT, FILL_IN, THANKLESS)


class Reached(NamedTuple):
    """One pain a solution (or a process) reaches: the "why this rank" of a ranked row."""

    pain: str
    stage: str
    hops: int
    weight: float  # the pain's scored weight (pain_weight): an int unless a moment weight applies
    contribution: float


@dataclass(frozen=True)
class _Lazy:
    """A ranked row's breakdown, computed the first time someone reads ``reached``."""

    graph: Graph | None = field(default=None, repr=False, compare=False)
    sources: tuple[str, ...] = field(default=(), repr=False, compare=False)

    @cached_property
    def reached(self) -> tuple[Reached, ...]:
        return self.graph.reach(self.sources)[2] if self.graph is not None else ()


@dataclass(frozen=True)
class RankedSolution(_Lazy):
    rank: int = 0
    id: str = ""
    text: str = ""
    score: float = 0.0
    impact: float = 0.0
    effort: int = 1
    confidence: float = 0.0
    stages_reached: int = 0
    pains_reached: int = 0
    quadrant: str = FILL_IN
    status: str = "idea"
    votes: int = 0
    unverified: float = 0.0  # share (0–1) of the impact resting on unvalidated anecdotes and assumptions


@dataclass(frozen=True)
class RankedProcess(_Lazy):
    rank: int = 0
    id: str = ""
    name: str = ""
    owner: str | None = None
    stage: str = ""
    score: float = 0.0
    impact: float = 0.0
    stages_reached: int = 0
    pains_reached: int = 0


@dataclass(frozen=True)
class Ranking:
    solutions: tuple[RankedSolution, ...]
    processes: tuple[RankedProcess, ...]
    median_impact: float
    persona: str | None = None


def severity_floor(severity: int) -> int:
    """The least a pain of ``severity`` weighs when ``[scoring] severity_floor`` is on.

    In the spirit of AIAG-VDA's Action Priority (severity first): a pain is never outweighed by
    a pain three or more severity steps below it, whatever the frequencies. The heaviest pain of
    severity ``s − 3`` or less weighs ``(s − 3) × 5``, so the floor is one more: severity 5 weighs
    at least 11 (> 2 × 5), severity 4 at least 6 (> 1 × 5); severities 1–3 have no floor.
    """
    return 5 * (severity - 3) + 1 if severity > 3 else 0


def moment_stages(session: Session) -> frozenset[str]:
    """The ids of the stages marked as moments of truth."""
    return frozenset(s.id for s in session.stages if s.moment)


def at_moment(pain: Pain, moments: frozenset[str]) -> bool:
    """Whether ``pain`` is at a moment of truth: its own mark, or its stage's (``moments``)."""
    return pain.moment or pain.stage in moments


def is_scored(pain: Pain) -> bool:
    """Pains count in the ranking; gains and pains refuted by customers do not."""
    return pain.kind == "pain" and pain.validation != "refuted"


def pain_weight(pain: Pain, scoring: Scoring, moments: frozenset[str] = frozenset()) -> float:
    """A pain's weight in the ranking: ``severity × frequency``, raised to its severity's floor
    when ``severity_floor`` is on, times ``moment_weight`` at a moment of truth."""
    weight = pain.severity * pain.frequency
    if scoring.severity_floor:
        weight = max(weight, severity_floor(pain.severity))
    if scoring.moment_weight != 1 and at_moment(pain, moments):
        return weight * scoring.moment_weight
    return weight


class Graph:
    """The session's cause graph, indexed once for any number of reach queries."""

    def __init__(self, session: Session, persona: str | None = None) -> None:
        self.session = session
        self.scoring = session.scoring
        self.feeds: dict[str, list[str]] = {p.id: p.feeds for p in session.processes}
        self.causes: dict[str, list[Pain]] = {p.id: [] for p in session.processes}
        # The scored pains by index, for the set-based summary (no object per pain and query).
        # Each pain's weight is a complex number: the real part is its weight, the imaginary part
        # the same weight if it rests on unverified evidence, else 0, so that one C-level sum
        # gives a reach's impact and its unverified part together.
        self._weights: list[complex] = []
        self.weight_of: dict[str, float] = {}  # scored weight per pain id
        moments = moment_stages(session)
        caused: dict[str, list[int]] = {p.id: [] for p in session.processes}
        stage_bit = {stage.id: 1 << i for i, stage in enumerate(session.stages)}
        # The stages of the pains each process causes, one bit per stage: the stages a reach
        # touches are the union over the processes it reaches.
        self._stage_mask: dict[str, int] = dict.fromkeys(self.causes, 0)
        for pain in session.pains:
            if not is_scored(pain):
                continue
            if not pain.affects(persona):
                continue
            index = len(self._weights)
            weight = pain_weight(pain, self.scoring, moments)
            self.weight_of[pain.id] = weight
            self._weights.append(complex(weight, weight if pain.unverified else 0))
            for proc in pain.caused_by:
                bucket = self.causes.get(proc)
                if bucket is not None:
                    bucket.append(pain)
                    caused[proc].append(index)
                    self._stage_mask[proc] |= stage_bit.setdefault(pain.stage, 1 << len(stage_bit))
        self._caused: dict[str, frozenset[int]] = {k: frozenset(v) for k, v in caused.items()}
        self._order = {p.id: i for i, p in enumerate(session.pains)}
        self._summaries: dict[frozenset[str], tuple[float, int, int, float]] = {}

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

    def levels(self, sources: Iterable[str]) -> list[set[str]]:
        """The processes at 0, 1, 2, … hops downstream of ``sources`` (a BFS a frontier at a time)."""
        feeds = self.feeds
        frontier = {s for s in sources if s in feeds}
        seen = set(frontier)
        out = [frontier] if frontier else []
        for _ in range(self.scoring.max_hops):
            frontier = {n for node in frontier for n in feeds[node]} - seen
            if not frontier:
                break
            seen |= frontier
            out.append(frontier)
        return out

    def summary(self, sources: Iterable[str]) -> tuple[float, int, int]:
        """(impact, stages_reached, pains_reached) of fixing ``sources``, without the breakdown.

        The same numbers as :meth:`reach`, computed a hop level at a time with set operations,
        and remembered per set of sources (many solutions target the same processes).
        """
        impact, stages, counted, _ = self._summary(sources)
        return impact, stages, counted

    def unverified(self, sources: Iterable[str]) -> float:
        """The part of the impact of fixing ``sources`` that rests on pains whose evidence is an
        anecdote or an assumption not yet validated (same sum as the impact, other weights)."""
        return self._summary(sources)[3]

    def summary_with_unverified(self, sources: Iterable[str]) -> tuple[float, int, int, float]:
        """:meth:`summary` and :meth:`unverified` in one walk."""
        return self._summary(sources)

    def _summary(self, sources: Iterable[str]) -> tuple[float, int, int, float]:
        key = frozenset(sources)
        cached = self._summaries.get(key)
        if cached is not None:
            return cached
        decay = self.scoring.hop_decay
        weights, caused = self._weights, self._caused
        # A pain whose credit would be 0 is not reached (as in reach()): with hop_decay = 0 only
        # the target's own pains count, and a tiny decay can underflow to 0 a few hops away.
        levels = [level for hops, level in enumerate(self.levels(key)) if decay**hops > 0]
        seen: set[int] = set()
        total = 0j
        for hops, level in enumerate(levels):
            new = set().union(*map(caused.__getitem__, level))
            new -= seen
            if new:
                seen |= new
                total += decay**hops * sum(map(weights.__getitem__, new))
        stages = reduce(or_, map(self._stage_mask.__getitem__, chain.from_iterable(levels)), 0)
        result = (total.real, stages.bit_count(), len(seen), total.imag)
        self._summaries[key] = result
        return result

    def reach(self, sources: Iterable[str]) -> tuple[float, int, tuple[Reached, ...]]:
        """(impact, stages_reached, breakdown) for fixing the ``sources`` processes."""
        decay = self.scoring.hop_decay
        best: dict[str, tuple[int, Pain]] = {}
        # distances() is a BFS: hops never decrease in its order, so a pain's first sighting
        # is along its shortest path.
        for proc, hops in self.distances(sources).items():
            for pain in self.causes[proc]:
                if pain.id not in best:
                    best[pain.id] = (hops, pain)
        keyed = []
        for hops, pain in best.values():
            w = self.weight_of[pain.id]
            contribution = w * decay**hops
            if contribution > 0:  # hop_decay = 0 credits only the target's own pains
                keyed.append(
                    (-contribution, hops, self._order[pain.id], Reached(pain.id, pain.stage, hops, w, contribution))
                )
        if not keyed:
            return 0.0, 0, ()
        # Biggest contribution first, then nearest, then journey order: the "why this rank" order.
        keyed.sort(key=lambda k: k[:3])
        reached = tuple(k[3] for k in keyed)
        impact = sum(r.contribution for r in reached)
        stages = len({r.stage for r in reached})
        return impact, stages, reached


def stage_factor(scoring: Scoring, stages_reached: int) -> float:
    """The stage bonus: ``1 + stage_bonus × (stages − 1)``; nothing reached gives 0."""
    if stages_reached <= 0:
        return 0.0
    return 1.0 + scoring.stage_bonus * (stages_reached - 1)


def vote_factor(scoring: Scoring, votes: int) -> float:
    """``1 + vote_weight × votes`` (1 when votes carry no weight)."""
    return 1.0 + scoring.vote_weight * votes


def process_reach(graph: Graph, processes: Iterable[str]) -> tuple[float, float, int, int]:
    """(score, impact, stages_reached, pains_reached) of ``processes`` as a root cause: the
    figures of the process ranking (confidence 1, no effort), for one process or for several
    counted together (each reached pain once, as for a solution that targets them all)."""
    impact, stages, count = graph.summary(processes)
    return impact * stage_factor(graph.scoring, stages), impact, stages, count


def quadrant(impact: float, effort: int, median_impact: float, max_effort: int) -> str:
    high_impact = impact > 0 and impact >= median_impact
    low_effort = effort <= max_effort
    if high_impact:
        return QUICK_WIN if low_effort else MAJOR_PROJECT
    return FILL_IN if low_effort else THANKLESS


@collector.paused()
def rank(session: Session, persona: str | None = None) -> Ranking:
    """Rank every solution and every process. Ties break by impact, effort, then file order."""
    graph = Graph(session, persona)
    votes = solution_votes(session)
    sc = session.scoring
    rows = []
    for order, sol in enumerate(session.solutions):
        impact, stages, count, unverified_impact = graph.summary_with_unverified(sol.targets)
        score = impact * stage_factor(sc, stages) * sol.confidence / sol.effort if count else 0.0
        score *= vote_factor(sc, votes[sol.id])
        unverified = unverified_impact / impact if impact > 0 else 0.0
        rows.append((sol, order, impact, stages, count, score, unverified))
    impacts = [r[2] for r in rows]
    med = float(median(impacts)) if impacts else 0.0
    max_effort = sc.quick_win_max_effort
    rows.sort(key=lambda r: (-r[5], -r[2], r[0].effort, r[1]))
    solutions = tuple(
        RankedSolution(
            graph=graph,
            sources=tuple(sol.targets),
            rank=i + 1,
            id=sol.id,
            text=sol.text,
            score=score,
            impact=impact,
            effort=sol.effort,
            confidence=sol.confidence,
            stages_reached=stages,
            pains_reached=count,
            quadrant=quadrant(impact, sol.effort, med, max_effort),
            status=sol.status,
            votes=votes[sol.id],
            unverified=unverified,
        )
        for i, (sol, _order, impact, stages, count, score, unverified) in enumerate(rows)
    )
    procs = []
    for order, proc in enumerate(session.processes):
        score, impact, stages, count = process_reach(graph, [proc.id])
        procs.append((proc, order, impact, stages, count, score))
    procs.sort(key=lambda r: (-r[5], -r[2], r[1]))
    processes = tuple(
        RankedProcess(
            graph=graph,
            sources=(proc.id,),
            rank=i + 1,
            id=proc.id,
            name=proc.name,
            owner=proc.owner,
            stage=proc.stage,
            score=score,
            impact=impact,
            stages_reached=stages,
            pains_reached=count,
        )
        for i, (proc, _order, impact, stages, count, score) in enumerate(procs)
    )
    return Ranking(solutions, processes, med, persona)
