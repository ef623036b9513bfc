"""The worked examples in sessions/: they load, the writer reproduces them, and they rank sensibly."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjmtui.core.agenda import DEFAULT_AGENDA, agenda_of
from cjmtui.core.friction import stage_friction
from cjmtui.core.model import STEPS, TABLES, Session, reference_problems
from cjmtui.core.scoring import QUADRANTS, QUICK_WIN, rank
from cjmtui.core.store import dumps_session, load_session, parse_session

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
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
    """Byte for byte after the first line: the editors' schema directive (which saves keep)."""
    text = path.read_bytes().decode("utf-8")
    directive, rest = text.split("\n", 1)
    assert directive == "#:schema ../docs/session.schema.json"
    assert dumps_session(parse_session(text, str(path))) == rest


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
        "marketing",
        "sales",
        "prof-services",
        "customer-success",
        "support",
        "devops",
        "product",
        "engineering",
        "finance",
        "hr",
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
    # Votes: 7 recorded + 2 (Ana) + 3 (Raj); 2 recorded + 1 (Ana). With vote_weight 0 they change nothing.
    assert session.scoring.vote_weight == 0.0
    assert by_id["fix-catalogue"].votes == 12
    assert by_id["hire-csrs"].votes == 3
    weighted = {
        s.id: s
        for s in rank(
            session.model_copy(update={"scoring": session.scoring.model_copy(update={"vote_weight": 0.1})})
        ).solutions
    }
    assert weighted["fix-catalogue"].score == pytest.approx(46.2)
    assert weighted["hire-csrs"].score == pytest.approx(4.55)
    # Friction, as quoted in "Friction per stage".
    friction = {row.stage: row for row in stage_friction(session)}
    find, helpdesk = friction["find-product"], friction["get-help"]
    assert (find.pains, find.pain_weight, find.departments, find.handoffs) == (1, 25, 1, 1)
    assert (find.top_process, find.top_reach) == ("catalogue", 2)
    assert (helpdesk.pains, helpdesk.pain_weight, helpdesk.departments, helpdesk.handoffs) == (1, 20, 1, 0)
    assert (helpdesk.top_process, helpdesk.top_reach) == ("call-handling", 1)
    # The example shows every table, and its agenda is a custom one (the default is not written).
    for table in ("agenda", *TABLES):
        assert f"\n[[{table}]]\n" in text, table
    assert session.agenda and [a.step for a in session.agenda] == list(STEPS)


def test_format_doc_default_agenda_is_the_code_default() -> None:
    doc = (SESSIONS.parent / "docs" / "session-format.md").read_text("utf-8")
    said = ", ".join(f"{step} {minutes}" for step, minutes in DEFAULT_AGENDA) + " minutes"
    assert said == "persona 15, stages 20, pains 30, processes 30, solutions 30, prioritise 20 minutes"
    assert said in doc.replace("\n", " ")
    assert [a.step for a in agenda_of(Session())] == [step for step, _ in DEFAULT_AGENDA]


def test_format_doc_states_the_writer_order() -> None:
    doc = (SESSIONS.parent / "docs" / "session-format.md").read_text("utf-8")
    text = _doc_example()
    headers = [line for line in text.splitlines() if line.startswith("[")]
    order = ["[session]", "[scoring]", "[[agenda]]", *(f"[[{t}]]" for t in TABLES)]
    assert [h for h in order if h in headers] == sorted(set(headers), key=headers.index)
    layout = doc[doc.index("## Layout") : doc.index("## General rules")]
    positions = [layout.index(f"| `{part}` |") for part in ["schema_version", *order]]
    assert positions == sorted(positions)


def test_format_doc_lists_every_field() -> None:
    from cjmtui.core.model import AgendaItem, ParkingItem, Participant, Scoring, SessionInfo

    doc = (SESSIONS.parent / "docs" / "session-format.md").read_text("utf-8")
    models = (SessionInfo, Scoring, AgendaItem, *TABLES.values())
    assert {Participant, ParkingItem} <= set(models)
    for model in models:
        for name in model.model_fields:
            assert f"| `{name}` |" in doc, f"{model.__name__}.{name} is not documented"
    for table in ("agenda", *TABLES):
        assert f"[[{table}]]" in doc
    for step in STEPS:
        assert f'`"{step}"`' in doc, step
