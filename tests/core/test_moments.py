"""Moments of truth, the severity floor and validating pains with customers (issue 15)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from cjmtui.core.details import update_scoring
from cjmtui.core.edit import update_item
from cjmtui.core.errors import EditError
from cjmtui.core.export import export_text
from cjmtui.core.model import Pain, Scoring, Session
from cjmtui.core.scoring import Graph, pain_weight, rank, severity_floor
from cjmtui.core.store import dumps_session, parse_session
from cjmtui.core.validation import to_validate
from cjmtui.core.views import validation_view
from factories import CORE, sessions, workshop


def by_id(session: Session) -> dict[str, float]:
    return {r.id: r.score for r in rank(session).solutions}


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


# ---------------------------------------------------------------------------------------------
# The worked example (tests/factories.workshop): fix the catalogue reaches
#   cant-tell 3×4 = 12 (0 hops), wrong-part 5×3 = 15 (1 hop), on-hold 4×5 = 20 (2 hops)
#   impact 12 + 7.5 + 5 = 24.5, 3 stages (×2), confidence 0.8, effort 2 → 19.6


def test_moment_weight_multiplies_the_pains_at_a_moment_of_truth():
    s = update_item(workshop(), "stages", "support", {"moment": True}, actor=None)[0]  # on-hold's stage
    assert by_id(s)["fix-catalogue"] == pytest.approx(19.6)  # weight 1: the mark changes nothing
    s = update_scoring(s, {"moment_weight": 2.0}, actor=None)
    # on-hold weighs 40: impact 12 + 7.5 + 40 × 0.25 = 29.5 → 29.5 × 2 × 0.8 / 2 = 23.6
    assert by_id(s)["fix-catalogue"] == pytest.approx(23.6)
    # hire more CSRs reaches only on-hold: 40 × 0.6 / 4 = 6
    assert by_id(s)["hire-csrs"] == pytest.approx(6.0)
    # a pain marked on its own counts too
    s = update_item(s, "pains", "cant-tell", {"moment": True}, actor=None)[0]
    # 24 + 7.5 + 10 = 41.5 → 33.2
    assert by_id(s)["fix-catalogue"] == pytest.approx(33.2)


def test_severity_floor_lifts_rare_severe_pains():
    s = update_item(workshop(), "pains", "wrong-part", {"severity": 5, "frequency": 1}, actor=None)[0]
    assert by_id(s)["fix-catalogue"] == pytest.approx((12 + 2.5 + 5) * 2 * 0.8 / 2)
    s = update_scoring(s, {"severity_floor": True}, actor=None)
    # wrong part weighs max(5, 11) = 11: impact 12 + 5.5 + 5 = 22.5 → 18
    assert by_id(s)["fix-catalogue"] == pytest.approx(18.0)
    assert [severity_floor(v) for v in range(1, 6)] == [0, 0, 0, 6, 11]


def test_a_refuted_pain_stops_counting_but_stays():
    s = update_item(
        workshop(), "pains", "on-hold", {"validation": "refuted", "validated_on": "2026-11-20"}, actor=None
    )[0]
    assert any(p.id == "on-hold" for p in s.pains)
    assert by_id(s)["hire-csrs"] == 0.0
    # the catalogue fix loses on-hold and its stage: 19.5 × 1.5 × 0.8 / 2 = 11.7
    assert by_id(s)["fix-catalogue"] == pytest.approx(11.7)
    back = update_item(s, "pains", "on-hold", {"validation": "validated"}, actor=None)[0]
    assert by_id(back)["fix-catalogue"] == pytest.approx(19.6)


def test_bad_validation_values_are_refused_with_the_field():
    with pytest.raises(EditError) as err:
        update_item(workshop(), "pains", "on-hold", {"validation": "maybe"}, actor=None)
    assert err.value.field == "validation"
    with pytest.raises(EditError) as err:
        update_item(workshop(), "pains", "on-hold", {"validated_on": "yesterday"}, actor=None)
    assert err.value.field == "validated_on"
    with pytest.raises(EditError):
        update_scoring(workshop(), {"moment_weight": 0.0}, actor=None)


def test_new_fields_are_written_only_when_set_and_read_back():
    plain = dumps_session(workshop())
    assert "moment" not in plain and "validation" not in plain and "severity_floor" not in plain
    s = update_item(workshop(), "stages", "find", {"moment": True}, actor=None)[0]
    s = update_item(
        s,
        "pains",
        "on-hold",
        {"moment": True, "validation": "validated", "validated_on": "2026-11-20", "validation_note": "5 of 6 said so"},
        actor=None,
    )[0]
    s = update_scoring(s, {"moment_weight": 1.5, "severity_floor": True}, actor=None)
    text = dumps_session(s)
    assert "moment = true" in text and 'validation = "validated"' in text and "validated_on = 2026-11-20" in text
    assert "moment_weight = 1.5" in text and "severity_floor = true" in text
    again = parse_session(text, "x.toml")
    assert again == s
    assert again.pains[2].validated_on == dt.date(2026, 11, 20)


def test_unverified_share_of_each_solution():
    # every pain of the workshop is an anecdote: all of each score rests on unverified evidence
    assert [r.unverified for r in rank(workshop()).solutions] == [1.0, 1.0]
    s = update_item(workshop(), "pains", "on-hold", {"evidence": "o-data"}, actor=None)[0]
    s = update_item(s, "pains", "cant-tell", {"validation": "validated"}, actor=None)[0]
    rows = {r.id: r for r in rank(s).solutions}
    # only wrong-part (7.5 of 24.5) is still unverified for the catalogue fix
    assert rows["fix-catalogue"].unverified == pytest.approx(7.5 / 24.5)
    assert rows["hire-csrs"].unverified == 0.0


def test_validation_checklist_says_what_each_solution_loses():
    s = update_item(workshop(), "pains", "cant-tell", {"evidence": "x-data"}, actor=None)[0]
    items = to_validate(s, rank(s))
    # on-hold: hire-csrs loses all of it; the catalogue fix loses 5 of 24.5 and a stage
    assert [t.pain.id for t in items] == ["on-hold", "wrong-part"]
    on_hold = items[0]
    assert [(x.solution, x.rank) for x in on_hold.stakes] == [("fix-catalogue", 1), ("hire-csrs", 2)]
    assert on_hold.stakes[1].share == pytest.approx(1.0)
    assert on_hold.stakes[0].share == pytest.approx(1 - 19.5 * 1.5 / (24.5 * 2))
    text = export_text("validation", s, rank(s))
    assert isinstance(text, str)
    assert "## 1. «On hold for 40 minutes»" in text
    assert "solution #2 «Hire more CSRs» loses 100% of its score" in text
    assert "solution #1 «Fix the catalogue» loses 40% of its score" in text
    assert text.count("☐ validated ☐ refuted") == 2
    assert "can't tell" not in text  # x-data is not a bet
    view = validation_view(s, rank(s))
    assert view.keys == ("on-hold", "wrong-part")
    assert view.rows[0][-1] == "#1 −40%, #2 −100%"


def test_checklist_text_is_escaped():
    s = update_item(workshop(), "pains", "on-hold", {"text": "<b>[x](http://evil)</b> | *hi*"}, actor=None)[0]
    text = export_text("validation", s, rank(s))
    assert isinstance(text, str)
    assert "<b>" not in text and "[x](" not in text
    assert "&lt;b&gt;" in text and r"\| \*hi\*" in text


def test_nothing_to_validate():
    s = workshop()
    for pid in ("cant-tell", "wrong-part", "on-hold"):
        s = update_item(s, "pains", pid, {"evidence": "o-data"}, actor=None)[0]
    assert to_validate(s, rank(s)) == []
    assert "Nothing to validate" in str(export_text("validation", s, rank(s)))


# ---------------------------------------------------------------------------------------------
# Properties


def strip_additions(session: Session) -> Session:
    """The session as it would have been before issue 15: no moment marks, no validation
    outcome other than a refuted pain being gone."""
    pains = [
        p.model_copy(update={"moment": False, "validation": "", "validated_on": None, "validation_note": ""})
        for p in session.pains
        if p.validation != "refuted"
    ]
    refuted = {p.id for p in session.pains if p.validation == "refuted"}
    participants = [
        pa.model_copy(update={"pain_votes": {k: v for k, v in pa.pain_votes.items() if k not in refuted}})
        for pa in session.participants
    ]
    return session.model_copy(
        update={
            "stages": [s.model_copy(update={"moment": False}) for s in session.stages],
            "pains": pains,
            "participants": participants,
            "scoring": session.scoring.model_copy(update={"moment_weight": 1.0, "severity_floor": False}),
        }
    )


@given(sessions(plain=True))
@CORE
def test_with_weight_1_and_no_floor_rankings_are_unchanged(session):
    session = session.model_copy(
        update={"scoring": session.scoring.model_copy(update={"moment_weight": 1.0, "severity_floor": False})}
    )
    before, after = rank(strip_additions(session)), rank(session)
    assert [(r.id, r.score, r.impact, r.stages_reached, r.quadrant) for r in after.solutions] == [
        (r.id, r.score, r.impact, r.stages_reached, r.quadrant) for r in before.solutions
    ]
    assert [(r.id, r.score) for r in after.processes] == [(r.id, r.score) for r in before.processes]
    # and the weights are the old ones, severity × frequency
    graph = Graph(session)
    assert all(graph.weight_of[p.id] == p.severity * p.frequency for p in session.pains if p.id in graph.weight_of)


@given(
    st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.booleans(), st.booleans(), st.data()
)
@CORE
def test_with_the_floor_severity_5_always_outweighs_severity_2_or_less(sa, fa, sb, fb, ma, mb, data):
    assume(sa - sb >= 3)  # 5 over 1–2, 4 over 1
    weight = data.draw(st.sampled_from([1.0, 1.5, 3.0]))
    scoring = Scoring(severity_floor=True, moment_weight=weight)
    high = Pain(id="a", stage="s", text="a", severity=sa, frequency=fa, moment=ma)
    low = Pain(id="b", stage="s", text="b", severity=sb, frequency=fb, moment=mb)
    # whatever the frequencies; with both at a moment of truth or neither, whatever the weight
    if ma == mb:
        assert pain_weight(high, scoring) > pain_weight(low, scoring)
    plain = Scoring(severity_floor=True)
    assert pain_weight(high, plain) > pain_weight(low, plain)


@given(sessions(plain=True))
@CORE
def test_with_the_floor_no_severity_5_pain_weighs_less_than_a_severity_2_pain(session):
    session = session.model_copy(
        update={"scoring": session.scoring.model_copy(update={"severity_floor": True, "moment_weight": 1.0})}
    )
    graph = Graph(session)
    pains = [p for p in session.pains if p.id in graph.weight_of]
    for a in pains:
        for b in pains:
            if a.severity == 5 and b.severity <= 2:
                assert graph.weight_of[a.id] > graph.weight_of[b.id]


@given(sessions(plain=True), st.data())
@CORE
def test_refuting_a_pain_is_the_same_as_deleting_it(session, data):
    pains = [p for p in session.pains if p.validation != "refuted"]
    assume(pains)
    pain = data.draw(st.sampled_from(pains))
    refuted = session.model_copy(
        update={"pains": [p.model_copy(update={"validation": "refuted"}) if p is pain else p for p in session.pains]}
    )
    gone = session.model_copy(update={"pains": [p for p in session.pains if p is not pain]})
    a, b = by_id(refuted), by_id(gone)
    assert a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)


@given(sessions(plain=True))
@CORE
def test_what_a_solution_loses_is_what_ranking_again_without_the_pain_gives(session):
    ranking = rank(session)
    scores = {r.id: r.score for r in ranking.solutions}
    for item in to_validate(session, ranking)[:3]:
        without = session.model_copy(
            update={
                "pains": [
                    p.model_copy(update={"validation": "refuted"}) if p.id == item.pain.id else p for p in session.pains
                ]
            }
        )
        again = by_id(without)
        lost = {s.solution: s.lost for s in item.stakes}
        for sol_id, score in scores.items():
            expected = score - again[sol_id]
            assert abs(lost.get(sol_id, 0.0) - expected) <= 1e-6 * max(1.0, score)
        assert item.pain.unverified


@given(sessions(plain=True))
@CORE
def test_unverified_share_is_the_share_of_reached_weight_on_unverified_pains(session):
    pains = {p.id: p for p in session.pains}
    for row in rank(session).solutions:
        if row.impact <= 0:
            assert row.unverified == 0.0
            continue
        expected = sum(r.contribution for r in row.reached if pains[r.pain].unverified) / row.impact
        assert row.unverified == pytest.approx(expected, abs=1e-9)
        assert 0.0 <= row.unverified <= 1.0 + 1e-9


def marked_workshop() -> Session:
    s = update_item(workshop(), "stages", "support", {"moment": True}, actor=None)[0]
    s = update_item(s, "pains", "cant-tell", {"moment": True}, actor=None)[0]
    return update_item(
        s,
        "pains",
        "wrong-part",
        {"validation": "refuted", "validated_on": "2026-11-20", "validation_note": "no"},
        actor=None,
    )[0]


def test_exports_show_moments_and_outcomes():
    s = marked_workshop()
    ranking = rank(s)
    md = str(export_text("md", s, ranking))
    assert "### Stage 3: Get help ★ moment of truth" in md
    assert "| pain ★ | I can&#x27;t tell" in md or "| pain ★ | I can" in md
    assert "anecdote, refuted 2026-11-20: no" in md
    assert "| Unverified |" in md and "| 100% |" in md
    csv_map = str(export_text("csv-map", s, ranking))
    header, *rows = csv_map.splitlines()
    assert header.endswith("moment_of_truth,validation,validated_on,validation_note")
    by_pain = {r.split(",")[0]: r for r in rows}
    assert by_pain["on-hold"].endswith(",yes,,,")  # at a moment-of-truth stage
    assert by_pain["wrong-part"].endswith(",,refuted,2026-11-20,no")
    assert str(export_text("csv", s, ranking)).splitlines()[0].endswith(",unverified")
    import json

    data = json.loads(str(export_text("json", s, ranking)))
    # wrong-part is refuted, every other pain an anecdote: all of each score is unverified
    assert {r["id"]: r["unverified"] for r in data["solutions"]} == {"fix-catalogue": 1.0, "hire-csrs": 1.0}
    pains = {p["id"]: p for p in data["session"]["pains"]}
    assert pains["wrong-part"]["validation"] == "refuted" and pains["cant-tell"]["moment"] is True
    html = str(export_text("html", s, ranking))
    # the stage, its pain and its gain, and the pain marked on its own
    assert html.count("★ moment of truth") == 4
    assert "refuted 2026-11-20 (not scored)" in html
    mermaid = str(export_text("mermaid", s, ranking))
    assert "section ★ Get help" in mermaid and "★ I can't tell" in mermaid


def readme_example() -> Session:
    """README's worked example: 4×3 = 12, 5×2 = 10 and 4×4 = 16 on the workshop's cascade."""
    s = workshop()
    for pid, sev, freq in (("cant-tell", 4, 3), ("wrong-part", 5, 2), ("on-hold", 4, 4)):
        s = update_item(s, "pains", pid, {"severity": sev, "frequency": freq}, actor=None)[0]
    return s


def test_readme_worked_examples():
    s = readme_example()
    assert by_id(s)["fix-catalogue"] == pytest.approx(16.8)
    assert by_id(s)["hire-csrs"] == pytest.approx(2.4)
    moment = update_scoring(
        update_item(s, "stages", "support", {"moment": True}, actor=None)[0], {"moment_weight": 2.0}, actor=None
    )
    assert by_id(moment)["fix-catalogue"] == pytest.approx(20.0)
    assert by_id(moment)["hire-csrs"] == pytest.approx(4.8)
    rare = update_item(s, "pains", "wrong-part", {"frequency": 1}, actor=None)[0]
    assert Graph(rare).weight_of["wrong-part"] == 5
    assert Graph(update_scoring(rare, {"severity_floor": True}, actor=None)).weight_of["wrong-part"] == 11


def test_friction_and_the_lens_leave_refuted_and_other_personas_pains_out():
    from cjmtui.core.friction import stage_friction

    s = update_item(workshop(), "pains", "on-hold", {"validation": "refuted"}, actor=None)[0]
    support = {r.stage: r for r in stage_friction(s)}["support"]
    assert (support.pains, support.pain_weight) == (0, 0)  # the gain never counted; on-hold is refuted
    s = update_item(workshop(), "pains", "on-hold", {"personas": ["tech"]}, actor=None)[0]
    assert [t.pain.id for t in to_validate(s, rank(s, persona="buyer"))] == ["cant-tell", "wrong-part"]
    assert "on-hold" in [t.pain.id for t in to_validate(s, rank(s))]
