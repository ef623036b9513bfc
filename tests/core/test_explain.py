"""The one explanation of a score: every factor, in order, multiplying to the score ranked."""

from __future__ import annotations

import math
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from cjmtui.core.details import update_scoring
from cjmtui.core.explain import explain_process, explain_quadrant, explain_solution
from cjmtui.core.scoring import MAJOR_PROJECT, QUICK_WIN, rank
from cjmtui.core.store import load_session
from cjmtui.core.vocab import fmt_number
from factories import CORE, sessions

EXAMPLE = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


@CORE
@given(sessions(), st.data())
def test_the_factors_multiply_to_the_score(session, data):
    lens = data.draw(st.sampled_from([None, *(p.id for p in session.personas)]))
    ranking = rank(session, lens)
    for row in ranking.solutions:
        why = explain_solution(row, session.scoring)
        assert _close(why.product(), row.score), (why.text(), row.score)
        names = [f.name for f in why.factors]
        expected = ["impact", "stage bonus", "confidence", "effort"]
        assert names == expected + (["votes"] if session.scoring.vote_weight else [])
        assert why.text().endswith(f"= {fmt_number(row.score)}")
    for proc in ranking.processes:
        why = explain_process(proc, session.scoring)
        assert _close(why.product(), proc.score), (why.text(), proc.score)


def test_votes_and_stage_bonus_are_shown_with_their_factor():
    """The bug this replaced: with vote_weight = 1 the TUI's "why" left out the vote factor,
    so the factors it listed multiplied to 191.8 while it said "= 575.4"."""
    session = load_session(EXAMPLE).session
    session = update_scoring(session, {"vote_weight": 1.0}, actor=None)
    top = rank(session).solutions[0]
    assert top.votes > 0
    text = explain_solution(top, session.scoring).text()
    assert f"votes ×{fmt_number(1 + top.votes)} ({top.votes} votes)" in text, text
    assert (
        f"stage bonus ×{fmt_number(1 + 0.5 * (top.stages_reached - 1))} (reaches {top.stages_reached} stages)" in text
    )
    assert text.endswith(f"= {fmt_number(top.score)}")
    assert _close(explain_solution(top, session.scoring).product(), top.score)


@CORE
@given(sessions())
def test_the_quadrant_says_which_side_of_each_line_it_is_on(session):
    """Issue 10: a solution on the median line was "fill-in" with no explanation."""
    ranking = rank(session)
    max_effort = session.scoring.quick_win_max_effort
    for row in ranking.solutions:
        text = explain_quadrant(row, ranking.median_impact, max_effort)
        assert text.startswith(row.quadrant + ": ")
        high = row.quadrant in (QUICK_WIN, MAJOR_PROJECT)
        assert ("≥ median" in text) == high, text
        assert (f"effort {row.effort} ≤ {max_effort}" in text) == (row.effort <= max_effort), text


def test_on_the_median_line_counts_as_high_and_a_hair_below_shows_the_digits():
    from dataclasses import replace

    ranking = rank(load_session(EXAMPLE).session)
    row = ranking.solutions[2]
    on_line = replace(row, impact=ranking.median_impact, quadrant=QUICK_WIN)
    assert "≥ median" in explain_quadrant(on_line, ranking.median_impact, 2)
    below = replace(row, impact=ranking.median_impact - 1e-4, quadrant="fill-in")
    text = explain_quadrant(below, ranking.median_impact, 2)
    impact, median = text.split("impact ")[1].split(",")[0].split(" < median ")
    assert impact != median, text
