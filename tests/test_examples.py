"""The worked examples in sessions/: they load, the writer reproduces them, and they rank sensibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjmtui.core.model import reference_problems
from cjmtui.core.scoring import QUADRANTS, QUICK_WIN, rank
from cjmtui.core.store import dumps_session, load_session, parse_session

SESSIONS = Path(__file__).resolve().parent.parent / "sessions"
EXAMPLES = sorted(SESSIONS.glob("*.toml"))


def test_the_examples_are_there() -> None:
    names = {p.name for p in EXAMPLES}
    assert {"online-ordering.toml", "professional-services-onboarding.toml"} <= names


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_loads(path: Path) -> None:
    loaded = load_session(path)
    session = loaded.session
    assert reference_problems(session) == []
    assert session.stages and session.personas and session.departments
    assert session.pains and session.processes and session.solutions


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_writer_reproduces_example_byte_for_byte(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")
    assert dumps_session(parse_session(text, str(path))) == text


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_ranks_with_a_quick_win(path: Path) -> None:
    ranking = rank(load_session(path).session)
    assert ranking.solutions
    assert all(s.quadrant in QUADRANTS for s in ranking.solutions)
    assert any(s.quadrant == QUICK_WIN for s in ranking.solutions)
    assert ranking.solutions[0].score > 0
    assert ranking.solutions[0].quadrant == QUICK_WIN


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_example_is_complete_for_the_workshop(path: Path) -> None:
    session = load_session(path).session
    persona_ids = {p.id for p in session.personas}
    for stage in session.stages:
        assert stage.phase is not None, stage.id
        assert set(stage.emotion) == persona_ids, stage.id
        assert stage.owners, stage.id
    caused = {proc for pain in session.pains for proc in pain.caused_by}
    for pain in session.pains:
        if pain.kind == "pain":
            assert pain.caused_by, pain.id
    for proc in session.processes:
        assert proc.owner is not None, proc.id
        assert proc.id in caused, f"{proc.id} causes no pain"
    for solution in session.solutions:
        assert solution.targets and solution.owner, solution.id
    assert {p.kind for p in session.pains} == {"pain", "gain"}


def test_online_ordering_catalogue_fix_outranks_hiring_csrs() -> None:
    session = load_session(SESSIONS / "online-ordering.toml").session
    ranking = rank(session)
    order = [s.id for s in ranking.solutions]
    by_id = {s.id: s for s in ranking.solutions}
    assert order[0] == "fix-catalogue"
    assert order.index("fix-catalogue") < order.index("hire-csrs")
    assert by_id["fix-catalogue"].quadrant == QUICK_WIN
    assert by_id["hire-csrs"].quadrant != QUICK_WIN
    # The method's point: the upstream fix reaches more of the journey than the local one.
    assert by_id["fix-catalogue"].stages_reached > by_id["hire-csrs"].stages_reached
    # The on-hold pain is felt at Customer Service but the catalogue fix reaches it downstream.
    assert "on-hold" in {r.pain for r in by_id["fix-catalogue"].reached}
    # And the catalogue is the top root cause among the processes.
    assert ranking.processes[0].id == "catalogue"


def test_online_ordering_has_varied_quadrants() -> None:
    ranking = rank(load_session(SESSIONS / "online-ordering.toml").session)
    assert {s.quadrant for s in ranking.solutions} == set(QUADRANTS)


def test_professional_services_upstream_sales_fixes_on_top() -> None:
    session = load_session(SESSIONS / "professional-services-onboarding.toml").session
    assert [d.id for d in session.departments] == [
        "marketing", "sales", "prof-services", "customer-success", "support",
        "devops", "product", "engineering", "finance", "hr",
    ]
    ranking = rank(session)
    order = [s.id for s in ranking.solutions]
    assert set(order[:2]) == {"handover-template", "joint-scoping"}
    assert order.index("joint-scoping") < order.index("hire-consultants")
    assert order.index("joint-scoping") < order.index("more-support-agents")
    assert ranking.processes[0].id == "sales-discovery"
    assert {s.quadrant for s in ranking.solutions} == set(QUADRANTS)


def _doc_example() -> str:
    doc = (SESSIONS.parent / "docs" / "session-format.md").read_text("utf-8")
    start = doc.index("```toml\n", doc.index("## A short complete example")) + len("```toml\n")
    return doc[start : doc.index("```", start)]


def test_format_doc_example_is_what_the_writer_writes() -> None:
    text = _doc_example()
    session = parse_session(text, "docs/session-format.md")
    assert dumps_session(session) == text
    ranking = rank(session)
    by_id = {s.id: s for s in ranking.solutions}
    # The worked numbers quoted in the doc.
    assert by_id["fix-catalogue"].score == pytest.approx(21.0)
    assert by_id["fix-catalogue"].quadrant == QUICK_WIN
    assert by_id["hire-csrs"].score == pytest.approx(3.5)
    assert by_id["hire-csrs"].quadrant == "thankless"


def test_format_doc_lists_every_field() -> None:
    from cjmtui.core.model import TABLES, Scoring, SessionInfo

    doc = (SESSIONS.parent / "docs" / "session-format.md").read_text("utf-8")
    for model in (SessionInfo, Scoring, *TABLES.values()):
        for name in model.model_fields:
            assert f"| `{name}` |" in doc, f"{model.__name__}.{name} is not documented"
    for table in TABLES:
        assert f"[[{table}]]" in doc
