"""Validating with customers: which unverified pains the ranking leans on, and how much.

A pain whose evidence is an anecdote or an assumption, and that nobody has validated or refuted
with customers yet (:attr:`~cjmtui.core.model.Pain.unverified`), is a bet. :func:`to_validate`
lists those bets, the one the ranking leans on most first, with what each solution would lose
if the pain turned out not to be real (refuted, so no longer scored).

The loss is worked out from each ranked solution's breakdown (:attr:`RankedSolution.reached`),
not by ranking again without each pain: taking a reached pain away takes its contribution off
the impact and, when it was the only reached pain of its stage, one stage off the stage bonus;
confidence, effort and votes stay as they are. So the score without the pain is
``score × (impact − contribution) × bonus(stages') ÷ (impact × bonus(stages))`` — exactly the
score a new ranking would give (a property test checks this), for the price of one pass over
the breakdowns.

Pure functions; no UI.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .model import Pain, Scoring, Session
from .scoring import Ranking, stage_factor
from .vocab import fmt_number, plural


@dataclass(frozen=True)
class AtStake:
    """What one solution loses if a pain is not real."""

    solution: str  # the solution's id
    text: str
    rank: int
    score: float  # its score now
    lost: float  # the score it would lose

    @property
    def share(self) -> float:
        """The share (0–1) of its score that would go."""
        return self.lost / self.score if self.score > 0 else 0.0


@dataclass(frozen=True)
class ToValidate:
    """An unverified pain, and the solutions whose score rests on it (in ranking order)."""

    pain: Pain
    stakes: tuple[AtStake, ...]

    @property
    def at_stake(self) -> float:
        """The score, summed over every solution, that would go if the pain is not real."""
        return sum(s.lost for s in self.stakes)


def score_without(
    score: float, impact: float, stages: int, contribution: float, last_of_stage: bool, scoring: Scoring
) -> float:
    """The score of a solution once one reached pain (``contribution``) is taken away."""
    impact_after = impact - contribution
    stages_after = stages - 1 if last_of_stage else stages
    before = impact * stage_factor(scoring, stages)
    if before <= 0 or impact_after <= 1e-12 or stages_after <= 0:
        return 0.0
    return score * impact_after * stage_factor(scoring, stages_after) / before


def to_validate(session: Session, ranking: Ranking) -> list[ToValidate]:
    """Every unverified pain (an anecdote or assumption not yet validated or refuted; gains
    excluded; for a ranking through a persona lens, only the pains that persona feels), the one
    whose loss would take the most score off the ranking first, then in journey order. Each
    lists the solutions that would lose score, in ranking order."""
    candidates = {p.id: p for p in session.pains if p.kind == "pain" and p.unverified and p.affects(ranking.persona)}
    stakes: dict[str, list[AtStake]] = {pid: [] for pid in candidates}
    if candidates:
        for row in ranking.solutions:
            if row.score <= 0 or not row.reached:
                continue
            per_stage: dict[str, int] = {}
            for r in row.reached:
                per_stage[r.stage] = per_stage.get(r.stage, 0) + 1
            for r in row.reached:
                if r.pain not in candidates:
                    continue
                after = score_without(
                    row.score, row.impact, row.stages_reached, r.contribution, per_stage[r.stage] == 1, session.scoring
                )
                lost = row.score - after
                if lost > 0:
                    stakes[r.pain].append(AtStake(row.id, row.text, row.rank, row.score, lost))
    stage_order = {s.id: i for i, s in enumerate(session.stages)}
    file_order = {p.id: i for i, p in enumerate(session.pains)}
    out = [ToValidate(pain, tuple(sorted(stakes[pid], key=lambda s: s.rank))) for pid, pain in candidates.items()]
    out.sort(key=lambda t: (-t.at_stake, stage_order.get(t.pain.stage, len(stage_order)), file_order[t.pain.id]))
    return out


# The solutions a pain's "if this pain is not real" lists, top-ranked first (the checklist and the
# summary's validate view): in a big session one pain is reached by a hundred solutions, and the
# checklist of 2,000 pains listed 103,000 of them (12 MB).
STAKE_ROWS = 10


def top_stakes(stakes: tuple[AtStake, ...]) -> tuple[tuple[AtStake, ...], str | None]:
    """The first :data:`STAKE_ROWS` stakes and, when some are left out, the line that says how
    many more solutions lose score and how much together."""
    rest = stakes[STAKE_ROWS:]
    if not rest:
        return stakes, None
    together = fmt_number(sum(s.lost for s in rest))
    return stakes[:STAKE_ROWS], f"… and {plural(len(rest), 'more solution')} lose score (together {together})"


def stake_sentence(stake: AtStake) -> str:
    """``solution #1 «Fix the catalogue» loses 40% of its score``."""
    return f"solution #{stake.rank} «{stake.text}» loses {stake.share:.0%} of its score"


def next_validation(current: str) -> str:
    """The outcome one key press further: not checked → validated → refuted → not checked."""
    order = ("", "validated", "refuted")
    return order[(order.index(current) + 1) % len(order)] if current in order else ""


def validation_changes(outcome: str, today: dt.date) -> dict[str, Any]:
    """The changes that record ``outcome`` for a pain: the outcome, dated ``today``; back to
    "not checked" clears the date (the note stays: what was said is still worth reading)."""
    return {"validation": outcome, "validated_on": today if outcome else None}
