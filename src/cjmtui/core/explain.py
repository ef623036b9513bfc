"""Why a solution (or a process) ranks where it does: the one explanation of a score.

:func:`explain_solution` and :func:`explain_process` return every factor of the score, in the
order the formula multiplies them (README, "How quick wins are ranked"), ending in the score.
The TUI, the command line, the Markdown export and the HTML report all print what they return
(:meth:`Explanation.text`), so the "why" people read can never drift from the number ranked.

Pure functions over :mod:`cjmtui.core.scoring`'s rows; no UI.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .model import Scoring
from .scoring import RankedProcess, RankedSolution, Reached, stage_factor, vote_factor
from .vocab import fmt_number, plural

# The pains a "why" lists, biggest contribution first: the summary, the Markdown write-up and
# the HTML report. A fix that reaches 600 pains of a big session made a 50,000-character panel,
# and a write-up of 2,000 pains listed 213,000 rows (23 MB, 6 s); `cjmtui rank --format json
# --why` still lists every one.
WHY_ROWS = 40


def why_rows(reached: Sequence[Reached]) -> tuple[Sequence[Reached], str | None]:
    """The first :data:`WHY_ROWS` rows of a breakdown (biggest first) and, when some are left
    out, the line that says how many and what they add up to."""
    limit = WHY_ROWS
    rest = reached[limit:]
    if not rest:
        return reached, None
    together = fmt_number(sum(r.contribution for r in rest))
    return reached[:limit], f"… and {plural(len(rest), 'smaller contribution')} (together {together})"


@dataclass(frozen=True)
class Factor:
    """One factor of a score: ``op`` is ``"×"`` or ``"÷"`` (the first factor has ``""``)."""

    name: str
    value: float
    op: str = "×"
    note: str = ""  # what the value stands for, in words ("reaches 4 stages", "2 votes")
    shown: str = ""  # the value as people read it ("100%", "×2.5"); fmt_number(value) if empty

    def text(self) -> str:
        shown = self.shown or fmt_number(self.value)
        note = f" ({self.note})" if self.note else ""
        return f"{self.op + ' ' if self.op else ''}{self.name} {shown}{note}"


@dataclass(frozen=True)
class Explanation:
    """Every factor of a score, in order, and the score they multiply to."""

    factors: tuple[Factor, ...]
    score: float

    def product(self) -> float:
        """The factors multiplied out (what :attr:`score` must equal)."""
        value = 1.0
        for f in self.factors:
            value = value / f.value if f.op == "÷" else value * f.value
        return value

    def text(self) -> str:
        """``impact 76.7 × stage bonus ×2.5 (reaches 4 stages) × … = 191.8``"""
        return " ".join(f.text() for f in self.factors) + f" = {fmt_number(self.score)}"


def _impact_and_stages(impact: float, stages: int, scoring: Scoring) -> list[Factor]:
    factor = stage_factor(scoring, stages)
    return [
        Factor("impact", impact, op=""),
        Factor("stage bonus", factor, note=f"reaches {plural(stages, 'stage')}", shown=f"×{fmt_number(factor)}"),
    ]


def explain_solution(row: RankedSolution, scoring: Scoring) -> Explanation:
    """``impact × stage bonus × confidence ÷ effort × vote factor = score`` for a ranked solution.

    The vote factor is listed only when votes count (``vote_weight`` ≠ 0); it is 1 otherwise.
    """
    factors = _impact_and_stages(row.impact, row.stages_reached, scoring)
    factors.append(Factor("confidence", row.confidence, shown=f"{row.confidence:.0%}"))
    factors.append(Factor("effort", float(row.effort), op="÷"))
    if scoring.vote_weight:
        votes = vote_factor(scoring, row.votes)
        factors.append(Factor("votes", votes, note=plural(row.votes, "vote"), shown=f"×{fmt_number(votes)}"))
    return Explanation(tuple(factors), row.score)


def explain_process(row: RankedProcess, scoring: Scoring) -> Explanation:
    """``impact × stage bonus = score`` for a ranked root-cause process."""
    return Explanation(tuple(_impact_and_stages(row.impact, row.stages_reached, scoring)), row.score)


def explain_quadrant(row: RankedSolution, median_impact: float, max_effort: int) -> str:
    """Which side of each line of the impact/effort matrix a solution sits on, with the numbers:
    "fill-in: impact 29 < median 29.05, effort 1 ≤ 2". Where the rounded numbers look equal, more
    digits show why (a solution on the median line counts as high impact)."""
    high = row.impact > 0 and row.impact >= median_impact
    impact, median = fmt_number(row.impact), fmt_number(median_impact)
    if impact == median and row.impact != median_impact:
        impact, median = f"{row.impact:.6g}", f"{median_impact:.6g}"
    if row.impact <= 0:
        side = "impact 0 (reaches no pain)"
    else:
        side = f"impact {impact} {'≥' if high else '<'} median {median}"
    low = row.effort <= max_effort
    return f"{row.quadrant}: {side}, effort {row.effort} {'≤' if low else '>'} {max_effort}"
