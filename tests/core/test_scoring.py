"""Ranking upstream quick wins: a worked example by hand, quadrant rules and properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cjmtui.core import scoring
from cjmtui.core.details import update_scoring
from cjmtui.core.edit import add_item, update_item
from cjmtui.core.links import link_cause, link_feed
from cjmtui.core.model import Pain, Session, Solution, Stage
from cjmtui.core.scoring import FILL_IN, MAJOR_PROJECT, QUICK_WIN, THANKLESS, Graph, quadrant, rank
from factories import CORE, sessions, workshop


def by_id(ranking: scoring.Ranking) -> dict[str, scoring.RankedSolution]:
    return {r.id: r for r in ranking.solutions}


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------------------------------------
# The worked example, by hand
#
#   catalogue ──feeds──▶ order-entry ──feeds──▶ call-handling
#   "can't tell which part fits"  3×4 = 12, stage find,    caused by catalogue
#   "wrong part delivered"        5×3 = 15, stage order,   caused by order-entry
#   "on hold for 40 minutes"      4×5 = 20, stage support, caused by call-handling
#   (a gain "friendly agents" 5×5 caused by call-handling must count for nothing)
#
# Defaults: hop_decay 0.5, stage_bonus 0.5, quick_win_max_effort 2, max_hops 4.
#
# fix the catalogue (targets catalogue, effort 2, confidence 0.8):
#   impact = 12·0.5⁰ + 15·0.5¹ + 20·0.5² = 12 + 7.5 + 5 = 24.5, stages 3 → ×(1 + 0.5·2) = ×2
#   score  = 24.5 · 2 · 0.8 / 2 = 19.6
# hire more CSRs (targets call-handling, effort 4, confidence 0.6):
#   impact = 20, stages 1 → ×1;  score = 20 · 1 · 0.6 / 4 = 3.0
# median impact = (24.5 + 20) / 2 = 22.25:
#   fix the catalogue: 24.5 ≥ 22.25 and effort 2 ≤ 2 → quick win
#   hire more CSRs:    20 < 22.25 and effort 4 > 2    → thankless


def test_worked_example_upstream_fix_outranks_more_staff():
    ranking = rank(workshop())
    first, second = ranking.solutions
    assert (first.rank, first.id, second.rank, second.id) == (1, "fix-catalogue", 2, "hire-csrs")

    assert first.impact == pytest.approx(24.5)
    assert first.stages_reached == 3
    assert first.score == pytest.approx(19.6)
    assert first.quadrant == QUICK_WIN
    assert [(r.pain, r.hops, r.weight, r.contribution) for r in first.reached] == [
        ("cant-tell", 0, 12, 12.0),
        ("wrong-part", 1, 15, 7.5),
        ("on-hold", 2, 20, 5.0),
    ]

    assert second.impact == pytest.approx(20.0)
    assert second.stages_reached == 1
    assert second.score == pytest.approx(3.0)
    assert second.quadrant == THANKLESS
    assert [r.pain for r in second.reached] == ["on-hold"]  # the gain does not count

    assert ranking.median_impact == pytest.approx(22.25)


def test_worked_example_root_causes():
    # catalogue: 24.5 × 2 = 49;  order-entry: (15 + 20·0.5) × 1.5 = 37.5;  call-handling: 20
    procs = rank(workshop()).processes
    assert [(p.rank, p.id) for p in procs] == [(1, "catalogue"), (2, "order-entry"), (3, "call-handling")]
    assert [p.score for p in procs] == pytest.approx([49.0, 37.5, 20.0])
    assert [p.impact for p in procs] == pytest.approx([24.5, 25.0, 20.0])
    assert procs[0].owner == "web" and procs[0].stage == "find"


@pytest.mark.parametrize(
    "max_hops, impact, stages, score",
    [
        (0, 12.0, 1, 12 * 0.8 / 2),  # only the catalogue's own pain
        (1, 19.5, 2, 19.5 * 1.5 * 0.8 / 2),  # + wrong part, one hop down
        (2, 24.5, 3, 19.6),
        (50, 24.5, 3, 19.6),
    ],
)
def test_max_hops_limits_reach(max_hops, impact, stages, score):
    sol = by_id(rank(workshop(max_hops=max_hops)))["fix-catalogue"]
    assert sol.impact == pytest.approx(impact)
    assert sol.stages_reached == stages
    assert sol.score == pytest.approx(score)


def test_hop_decay_zero_credits_only_the_targets_own_pains():
    # fix the catalogue: only "can't tell" (12) counts; the downstream stages earn no bonus.
    sol = by_id(rank(workshop(hop_decay=0.0)))["fix-catalogue"]
    assert sol.impact == pytest.approx(12.0)
    assert sol.stages_reached == 1
    assert [r.pain for r in sol.reached] == ["cant-tell"]
    assert sol.score == pytest.approx(12 * 0.8 / 2)


def test_a_decay_that_underflows_to_zero_reaches_what_the_breakdown_reaches():
    # 1e-200 ** 2 is 0.0: a pain two hops away earns nothing, so it is not reached (nor its stage).
    sol = by_id(rank(workshop(hop_decay=1e-200)))["fix-catalogue"]
    assert sol.pains_reached == len(sol.reached)
    assert sol.stages_reached == len({r.stage for r in sol.reached})
    assert all(r.hops <= 1 for r in sol.reached)


def test_votes_multiply_the_score_only_with_a_vote_weight():
    s = update_item(workshop(), "solutions", "hire-csrs", {"votes": 1}, actor=None)[0]
    s = add_item(s, "participants", {"name": "Ann", "solution_votes": {"hire-csrs": 2}}, actor=None)[0]
    plain = by_id(rank(s))["hire-csrs"]
    assert plain.votes == 3 and plain.score == pytest.approx(3.0)  # vote_weight 0: no effect
    weighted = by_id(rank(update_scoring(s, {"vote_weight": 0.5}, actor=None)))
    # 3.0 × (1 + 0.5 × 3) = 7.5; the catalogue fix has no votes: still 19.6
    assert weighted["hire-csrs"].score == pytest.approx(7.5)
    assert weighted["fix-catalogue"].score == pytest.approx(19.6)


def test_weights_come_from_the_session():
    # hop_decay 1, stage_bonus 0: impact 47, multiplier 1 → 47 × 0.8 / 2 = 18.8
    sol = by_id(rank(workshop(hop_decay=1.0, stage_bonus=0.0)))["fix-catalogue"]
    assert sol.impact == pytest.approx(47.0)
    assert sol.score == pytest.approx(18.8)


def test_persona_filter():
    s = update_item(workshop(), "pains", "on-hold", {"personas": ["tech"]}, actor=None)[0]
    s = update_item(s, "pains", "wrong-part", {"personas": ["buyer"]}, actor=None)[0]
    buyer = rank(s, persona="buyer")
    assert buyer.persona == "buyer"
    fix = by_id(buyer)["fix-catalogue"]
    # cant-tell (everyone's) 12 + wrong-part (buyer's) 7.5; on-hold is the technician's only.
    assert [r.pain for r in fix.reached] == ["cant-tell", "wrong-part"]
    assert fix.score == pytest.approx(19.5 * 1.5 * 0.8 / 2)
    assert by_id(buyer)["hire-csrs"].score == 0.0
    tech = by_id(rank(s, persona="tech"))
    assert [r.pain for r in tech["fix-catalogue"].reached] == ["cant-tell", "on-hold"]
    assert tech["hire-csrs"].score == pytest.approx(3.0)
    # No filter: everything counts again.
    assert by_id(rank(s))["fix-catalogue"].score == pytest.approx(19.6)


def test_cycles_terminate_and_count_each_pain_once():
    s = workshop(max_hops=50, hop_decay=1.0)
    s = link_feed(s, "call-handling", "catalogue", actor=None)  # catalogue → order → calls → catalogue
    for sol_target in ["catalogue", "order-entry", "call-handling"]:
        s2 = update_item(s, "solutions", "hire-csrs", {"targets": [sol_target]}, actor=None)[0]
        sol = by_id(rank(s2))["hire-csrs"]
        assert sorted(r.pain for r in sol.reached) == ["cant-tell", "on-hold", "wrong-part"]
        assert sol.impact == pytest.approx(47.0)
        assert min(r.hops for r in sol.reached) == 0 and max(r.hops for r in sol.reached) == 2


def test_shortest_path_wins_when_two_targets_reach_the_same_pain():
    s = update_item(workshop(), "solutions", "hire-csrs", {"targets": ["catalogue", "call-handling"]}, actor=None)[0]
    sol = by_id(rank(s))["hire-csrs"]
    hops = {r.pain: r.hops for r in sol.reached}
    assert hops == {"cant-tell": 0, "wrong-part": 1, "on-hold": 0}
    assert sol.impact == pytest.approx(12 + 7.5 + 20)
    # A pain with two causes counts once, through the nearer one.
    s = link_cause(workshop(), "on-hold", "catalogue", actor=None)
    sol = by_id(rank(s))["fix-catalogue"]
    assert {r.pain: r.hops for r in sol.reached} == {"cant-tell": 0, "wrong-part": 1, "on-hold": 0}
    assert sol.impact == pytest.approx(12 + 7.5 + 20)


def test_solution_that_reaches_nothing_scores_zero():
    s = add_item(workshop(), "solutions", {"text": "Do nothing", "effort": 1, "confidence": 1.0}, actor=None)[0]
    s = add_item(s, "processes", {"stage": "find", "name": "Painless process"}, actor=None)[0]
    s = add_item(
        s,
        "solutions",
        {"text": "Polish the painless", "targets": ["painless-process"], "effort": 1, "confidence": 1.0},
        actor=None,
    )[0]
    ranked = by_id(rank(s))
    for sid in ("do-nothing", "polish-the-painless"):
        assert ranked[sid].score == 0.0 and ranked[sid].impact == 0.0 and ranked[sid].reached == ()
        assert ranked[sid].stages_reached == 0
        assert ranked[sid].quadrant == FILL_IN  # low effort, but no impact: never a quick win
    assert [r.id for r in rank(s).solutions][-2:] == ["do-nothing", "polish-the-painless"]


def test_ties_break_by_file_order():
    twin = {"text": "Twin", "targets": ["order-entry"], "effort": 3, "confidence": 0.5}
    s = workshop().model_copy(update={"solutions": []})
    s = add_item(s, "solutions", {**twin, "id": "b-first"}, actor=None)[0]
    s = add_item(s, "solutions", {**twin, "id": "a-second"}, actor=None)[0]
    assert [r.id for r in rank(s).solutions] == ["b-first", "a-second"]
    s = s.model_copy(update={"solutions": list(reversed(s.solutions))})
    assert [r.id for r in rank(s).solutions] == ["a-second", "b-first"]


def test_equal_scores_prefer_bigger_impact_then_less_effort():
    s = workshop().model_copy(
        update={
            "solutions": [
                Solution(id="small", text="t", targets=["call-handling"], effort=1, confidence=0.5),  # 20·.5/1=10
                Solution(id="big", text="t", targets=["call-handling"], effort=2, confidence=1.0),  # 20·1/2 =10
            ]
        }
    )
    # same score, same impact: less effort first
    assert [r.id for r in rank(s).solutions] == ["small", "big"]


@pytest.mark.parametrize(
    "impact, effort, median, expected",
    [
        (10.0, 1, 5.0, QUICK_WIN),
        (5.0, 2, 5.0, QUICK_WIN),  # at the median counts as high
        (10.0, 3, 5.0, MAJOR_PROJECT),
        (4.9, 2, 5.0, FILL_IN),
        (4.9, 5, 5.0, THANKLESS),
        (0.0, 1, 0.0, FILL_IN),  # impact 0 is never high, even when the median is 0
        (0.0, 5, 0.0, THANKLESS),
    ],
)
def test_quadrant_rules(impact, effort, median, expected):
    assert quadrant(impact, effort, median, 2) == expected


def test_quadrants_use_the_median_of_the_session():
    sols = [
        Solution(id=f"s{i}", text="t", targets=[t], effort=e, confidence=1.0)
        for i, (t, e) in enumerate([("catalogue", 1), ("order-entry", 5), ("call-handling", 1)])
    ]
    s = workshop().model_copy(update={"solutions": sols})
    # impacts 24.5, 25, 20 → median 24.5
    r = rank(s)
    assert r.median_impact == pytest.approx(24.5)
    q = {x.id: x.quadrant for x in r.solutions}
    assert q == {"s0": QUICK_WIN, "s1": MAJOR_PROJECT, "s2": FILL_IN}


def test_empty_session_ranks_nothing():
    r = rank(Session())
    assert r.solutions == () and r.processes == () and r.median_impact == 0.0


# ---------------------------------------------------------------------------------------------
# Properties over random sessions


def scores(session: Session, persona: str | None = None) -> dict[str, float]:
    return {r.id: r.score for r in rank(session, persona).solutions}


@given(sessions(plain=True))
@CORE
def test_ranks_are_1_to_n_deterministic_and_ordered(session):
    first = rank(session)
    assert first == rank(session)
    assert [r.rank for r in first.solutions] == list(range(1, len(session.solutions) + 1))
    assert sorted(r.id for r in first.solutions) == sorted(s.id for s in session.solutions)
    order = {s.id: i for i, s in enumerate(session.solutions)}
    keys = [(-r.score, -r.impact, r.effort, order[r.id]) for r in first.solutions]
    assert keys == sorted(keys)
    assert [r.rank for r in first.processes] == list(range(1, len(session.processes) + 1))
    for r in first.solutions:
        if not r.reached:
            assert r.score == 0.0 and r.impact == 0.0
        assert r.stages_reached == len({x.stage for x in r.reached})
        assert len({x.pain for x in r.reached}) == len(r.reached)
        assert all(x.hops <= session.scoring.max_hops for x in r.reached)


@given(sessions(plain=True), st.data())
@CORE
def test_more_severity_never_lowers_any_score(session, data):
    candidates = [i for i, p in enumerate(session.pains) if p.severity < 5]
    assume(candidates)
    i = data.draw(st.sampled_from(candidates))
    pains = list(session.pains)
    pains[i] = pains[i].model_copy(update={"severity": pains[i].severity + 1})
    before, after = scores(session), scores(session.model_copy(update={"pains": pains}))
    for sid, old in before.items():
        assert after[sid] >= old or close(after[sid], old), sid


@given(sessions(plain=True), st.data())
@CORE
def test_more_effort_never_raises_the_score(session, data):
    candidates = [i for i, s in enumerate(session.solutions) if s.effort < 5]
    assume(candidates)
    i = data.draw(st.sampled_from(candidates))
    sols = list(session.solutions)
    sols[i] = sols[i].model_copy(update={"effort": sols[i].effort + 1})
    before, after = scores(session), scores(session.model_copy(update={"solutions": sols}))
    sid = sols[i].id
    assert after[sid] <= before[sid]
    if before[sid] > 0:
        assert after[sid] < before[sid]
    assert {k: v for k, v in after.items() if k != sid} == {k: v for k, v in before.items() if k != sid}


@given(sessions(plain=True), st.data(), st.integers(1, 5), st.integers(1, 5))
@CORE
def test_reaching_a_new_stage_raises_the_score(session, data, severity, frequency):
    sols = [s for s in session.solutions if s.confidence > 0 and s.targets]
    assume(sols and session.scoring.stage_bonus > 0)
    sol = data.draw(st.sampled_from(sols))
    reachable = Graph(session).distances(sol.targets)
    proc = data.draw(st.sampled_from(sorted(reachable)))
    old = by_id(rank(session))[sol.id]
    new_stage = Stage(id="zz-new-stage", name="New stage")
    new_pain = Pain(
        id="zz-new-pain", stage=new_stage.id, text="New pain", severity=severity, frequency=frequency, caused_by=[proc]
    )
    assume(all(s.id != new_stage.id for s in session.stages))
    assume(all(p.id != new_pain.id for p in session.pains))
    grown = session.model_copy(update={"stages": [*session.stages, new_stage], "pains": [*session.pains, new_pain]})
    new = by_id(rank(grown))[sol.id]
    if session.scoring.hop_decay == 0 and reachable[proc] > 0:
        # hop_decay 0 credits only the target's own pains: a downstream stage earns nothing.
        assert (new.score, new.stages_reached, new.reached) == (old.score, old.stages_reached, old.reached)
    else:
        assert new.stages_reached == old.stages_reached + 1
        assert new.score > old.score
        assert new.impact > old.impact


@given(sessions(plain=True), st.data())
@CORE
def test_gains_never_count(session, data):
    assume(session.stages)
    gain = Pain(
        id="zz-gain",
        kind="gain",
        stage=session.stages[0].id,
        text="Nice",
        severity=5,
        frequency=5,
        caused_by=[p.id for p in session.processes][:5],
    )
    assume(all(p.id != gain.id for p in session.pains))
    grown = session.model_copy(update={"pains": [*session.pains, gain]})
    assert rank(grown) == rank(session)
    # and turning every gain into a pain can only add
    as_pains = session.model_copy(update={"pains": [p.model_copy(update={"kind": "pain"}) for p in session.pains]})
    before, after = scores(session), scores(as_pains)
    assert all(after[k] >= v or close(after[k], v) for k, v in before.items())


@given(sessions(plain=True), st.data())
@CORE
def test_persona_filter_is_the_same_as_dropping_other_personas_pains(session, data):
    assume(session.personas)
    persona = data.draw(st.sampled_from([p.id for p in session.personas]))
    kept = [p for p in session.pains if not p.personas or persona in p.personas]
    only = session.model_copy(update={"pains": kept})
    assert scores(session, persona) == scores(only)
    # A persona nobody is tagged with sees only the untagged pains.
    untagged = session.model_copy(update={"pains": [p for p in session.pains if not p.personas]})
    assert scores(session, "zz-nobody") == scores(untagged)


@given(sessions(plain=True))
@CORE
def test_fixing_upstream_reaches_everything_its_downstream_reaches_within_max_hops(session):
    assume(session.scoring.hop_decay > 0)  # with 0, only a process's own pains count
    g = Graph(session)
    max_hops = session.scoring.max_hops
    for proc in session.processes:
        mine = {r.pain for r in g.reach([proc.id])[2]}
        for downstream in proc.feeds:
            theirs = {r.pain for r in g.reach([downstream])[2] if r.hops < max_hops}
            assert theirs <= mine


def test_processes_without_pains_rank_last_with_zero():
    s = add_item(workshop(), "processes", {"stage": "order", "name": "Invoicing"}, actor=None)[0]
    procs = rank(s).processes
    assert procs[-1].id == "invoicing" and procs[-1].score == 0.0 and procs[-1].reached == ()


def test_graph_ignores_gains_and_filters_persona():
    s = workshop()
    g = Graph(s)
    assert [p.id for p in g.causes["call-handling"]] == ["on-hold"]
    assert isinstance(g.causes["catalogue"][0], Pain)
    assert g.distances(["catalogue"]) == {"catalogue": 0, "order-entry": 1, "call-handling": 2}
    assert g.distances(["ghost"]) == {}


@CORE
@given(sessions())
def test_fast_summary_agrees_with_the_breakdown(session):
    """Ranking uses set-based summaries; the "why this rank" rows must tell the same story."""
    from cjmtui.core.scoring import Graph

    graph = Graph(session)
    for sol in session.solutions:
        impact, stages, count = graph.summary(sol.targets)
        full_impact, full_stages, reached = graph.reach(sol.targets)
        assert impact == pytest.approx(full_impact, rel=1e-9, abs=1e-9)
        assert stages == full_stages and count == len(reached)
    for row in rank(session).solutions:
        assert row.pains_reached == len(row.reached)
