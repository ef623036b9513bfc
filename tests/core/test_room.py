"""Running the room (issue #4): dot voting with budgets, vote weight, the parking lot, the agenda
and its timer, current vs future state, friction per stage, and the persona lens in the CLI.

Everything here is headless: the core functions, the ``cjmtui`` command (in process, with
``capsys``) and the exports. The timer runs on a fake clock, so no test sleeps.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cjmtui.core import details, edit, export, scoring, store, undo, vocab, voting
from cjmtui.core import model as m
from cjmtui.core.agenda import DEFAULT_AGENDA, Timer, agenda_of, format_clock, set_timebox
from cjmtui.core.errors import EditError, SessionFileError
from cjmtui.core.friction import stage_friction
from cjmtui.core.future import compare, derive_future, future_title
from cjmtui.core.vocab import STEP_TITLES
from factories import CORE, FakeClock, future_of_online, online, sessions, workshop

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
ONLINE = SESSIONS / "online-ordering.toml"


pytestmark = pytest.mark.usefixtures("cli_env")


def voting_session(budget: int = 3) -> tuple[m.Session, str]:
    """The worked workshop with one participant, Ana, and a vote budget."""
    s = details.update_info(workshop(), {"vote_budget": budget}, actor=None)
    s, ana = voting.ensure_participant(s, "Ana", actor=None)
    return s, ana.id


def participant(session: m.Session, pid: str) -> m.Participant:
    found = m.find(session, "participants", pid)
    assert isinstance(found, m.Participant)
    return found


# ---------------------------------------------------------------------------------------------
# Dot voting with budgets


def test_ensure_participant_adds_once() -> None:
    s, ana = voting_session()
    assert ana == "ana"
    same, again = voting.ensure_participant(s, "  ANA ", actor=None)
    assert same is s and again.id == "ana"  # typed again (any case): the same person
    s2, bo = voting.ensure_participant(s, "Bo", actor=None)
    assert [p.id for p in s2.participants] == ["ana", "bo"] and bo.name == "Bo"
    with pytest.raises(EditError):
        voting.ensure_participant(s, "   ", actor=None)


def test_cast_and_take_back_votes() -> None:
    s, ana = voting_session(budget=3)
    assert voting.votes_left(s, ana, "solutions") == 3
    s = voting.cast_vote(s, ana, "solutions", "fix-catalogue", 1, actor=None)
    s = voting.cast_vote(s, ana, "solution", "fix-catalogue", 1, actor=None)  # singular works too
    s = voting.cast_vote(s, ana, "solutions", "hire-csrs", 1, actor=None)
    assert participant(s, ana).solution_votes == {"fix-catalogue": 2, "hire-csrs": 1}
    assert voting.votes_left(s, ana, "solutions") == 0
    assert voting.total_votes(s, "solutions", "fix-catalogue") == 2
    # Pains have their own budget.
    assert voting.votes_left(s, ana, "pains") == 3
    s = voting.cast_vote(s, ana, "pains", "on-hold", 3, actor=None)
    assert participant(s, ana).pain_votes == {"on-hold": 3}
    assert voting.total_votes(s, "pains", "on-hold") == 3
    # Take back: the dot is free again; the last one removes the entry.
    s = voting.cast_vote(s, ana, "solutions", "hire-csrs", -1, actor=None)
    assert participant(s, ana).solution_votes == {"fix-catalogue": 2}
    assert voting.votes_left(s, ana, "solutions") == 1
    # Taking back a dot that is not there changes nothing (and makes no undo step).
    assert voting.cast_vote(s, ana, "solutions", "hire-csrs", -1, actor=None) is s
    assert m.reference_problems(s) == []


def test_total_votes_adds_the_recorded_votes() -> None:
    s, ana = voting_session()
    s = edit.update_item(s, "solutions", "hire-csrs", {"votes": 5}, actor=None)[0]
    s = voting.cast_vote(s, ana, "solutions", "hire-csrs", 2, actor=None)
    assert voting.total_votes(s, "solutions", "hire-csrs") == 7
    by_id = {r.id: r for r in scoring.rank(s).solutions}
    assert by_id["hire-csrs"].votes == 7  # the ranking's votes column is the same total
    assert by_id["fix-catalogue"].votes == 0


def test_over_budget_is_refused_with_a_clear_message() -> None:
    s, ana = voting_session(budget=2)
    s = voting.cast_vote(s, ana, "solutions", "fix-catalogue", 2, actor=None)
    with pytest.raises(EditError, match=r"^Ana has used all 2 votes on solutions; take one back first$"):
        voting.cast_vote(s, ana, "solutions", "hire-csrs", 1, actor=None)
    s = voting.cast_vote(s, ana, "solutions", "fix-catalogue", -1, actor=None)
    with pytest.raises(EditError, match=r"^Ana has only 1 of 2 votes left on solutions$"):
        voting.cast_vote(s, ana, "solutions", "hire-csrs", 2, actor=None)
    assert participant(s, ana).solution_votes == {"fix-catalogue": 1}  # nothing changed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nobody", "solutions", "fix-catalogue", 1), "no participant"),
        (("ana", "solutions", "nothing", 1), "no solution"),
        (("ana", "pains", "nothing", 1), "no pain"),
        (("ana", "processes", "catalogue", 1), "votes go on solutions and pains"),
        (("ana", "tables", "x", 1), "no such kind"),
    ],
)
def test_bad_votes_are_refused(args: tuple, message: str) -> None:
    s, _ = voting_session()
    with pytest.raises(EditError, match=message):
        voting.cast_vote(s, *args, actor=None)


def test_votes_left_and_total_votes_refuse_other_tables() -> None:
    s, ana = voting_session()
    with pytest.raises(EditError, match="votes go on solutions and pains"):
        voting.votes_left(s, ana, "stages")
    with pytest.raises(EditError, match="votes go on solutions and pains"):
        voting.total_votes(s, "processes", "catalogue")
    with pytest.raises(EditError, match="no participant"):
        voting.votes_left(s, "nobody", "pains")


def test_votes_survive_a_save_and_load(tmp_path: Path) -> None:
    s, ana = voting_session(budget=5)
    s, bo = voting.ensure_participant(s, "Bo", actor=None)
    s = voting.cast_vote(s, ana, "solutions", "fix-catalogue", 4, actor=None)
    s = voting.cast_vote(s, bo.id, "pains", "wrong-part", 5, actor=None)
    path = tmp_path / "voted.toml"
    store.save_session(path, s)
    text = path.read_text("utf-8")
    assert "vote_budget = 5\n" in text
    assert "solution_votes = { fix-catalogue = 4 }\n" in text
    assert "pain_votes = { wrong-part = 5 }\n" in text
    loaded = store.load_session(path).session
    assert loaded == s
    assert voting.votes_left(loaded, ana, "solutions") == 1
    assert store.dumps_session(loaded) == text


def test_deleting_a_voted_item_removes_its_votes_and_undo_restores_them() -> None:
    s, ana = voting_session()
    s = voting.cast_vote(s, ana, "solutions", "fix-catalogue", 2, actor=None)
    s = voting.cast_vote(s, ana, "solutions", "hire-csrs", 1, actor=None)
    s = voting.cast_vote(s, ana, "pains", "on-hold", 2, actor=None)
    history = undo.History(s)
    history.apply("delete solution", edit.delete_item(history.session, "solutions", "fix-catalogue", actor=None))
    assert participant(history.session, ana).solution_votes == {"hire-csrs": 1}
    assert voting.votes_left(history.session, ana, "solutions") == 2  # the dots are given back
    # Deleting a stage deletes its pains, and the dots on them.
    history.apply("delete stage", edit.delete_item(history.session, "stages", "support", actor=None))
    assert participant(history.session, ana).pain_votes == {}
    assert m.reference_problems(history.session) == []
    assert history.undo() == "delete stage"
    assert participant(history.session, ana).pain_votes == {"on-hold": 2}
    assert history.undo() == "delete solution"
    assert history.session == s
    assert participant(history.session, ana).solution_votes == {"fix-catalogue": 2, "hire-csrs": 1}
    assert history.redo() == "delete solution"
    assert participant(history.session, ana).solution_votes == {"hire-csrs": 1}


def test_deleting_a_participant_is_clean() -> None:
    s, ana = voting_session()
    s = voting.cast_vote(s, ana, "solutions", "fix-catalogue", 3, actor=None)
    s = edit.delete_item(s, "participants", ana, actor=None)
    assert s.participants == [] and voting.total_votes(s, "solutions", "fix-catalogue") == 0


# ---------------------------------------------------------------------------------------------
# The budget rule when loading a file


def _with_participant(text: str, block: str) -> str:
    return text + "\n" + block


def test_a_hand_edited_file_over_budget_is_refused(tmp_path: Path) -> None:
    text = store.dumps_session(workshop())
    path = tmp_path / "over.toml"
    path.write_text(
        _with_participant(
            text,
            '[[participants]]\nid = "ana"\nname = "Ana"\n'
            "solution_votes = { fix-catalogue = 3, hire-csrs = 1 }\npain_votes = { on-hold = 3 }\n",
        ),
        "utf-8",
    )
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert info.value.problems == ["participants[ana].solution_votes: 4 votes, over the budget of 3"]
    assert "participants[ana].solution_votes" in str(info.value)


def test_the_budget_is_per_kind_and_follows_vote_budget(tmp_path: Path) -> None:
    text = store.dumps_session(details.update_info(workshop(), {"vote_budget": 4}, actor=None))
    ok = _with_participant(
        text,
        '[[participants]]\nid = "ana"\nname = "Ana"\n'
        "solution_votes = { fix-catalogue = 3, hire-csrs = 1 }\npain_votes = { on-hold = 4 }\n",
    )
    session = store.parse_session(ok)  # 4 on solutions and 4 on pains: both within a budget of 4
    assert store.dumps_session(session) == ok
    over = ok.replace("pain_votes = { on-hold = 4 }", "pain_votes = { on-hold = 4, cant-tell = 1 }")
    with pytest.raises(SessionFileError, match=r"participants\[ana\]\.pain_votes: 5 votes, over the budget of 4"):
        store.parse_session(over)


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        (
            '[[participants]]\nid = "ana"\nname = "Ana"\nsolution_votes = { nothing = 1 }\n',
            "participants[ana].solution_votes: unknown solution 'nothing'",
        ),
        (
            '[[participants]]\nid = "ana"\nname = "Ana"\npain_votes = { nothing = 1 }\n',
            "participants[ana].pain_votes: unknown pain 'nothing'",
        ),
        ('[[parking]]\nid = "x"\ntext = "Later"\nstage = "nowhere"\n', "parking[x].stage: unknown stage 'nowhere'"),
        (
            '[[agenda]]\nstep = "pains"\n\n[[agenda]]\nstep = "pains"\n',
            "agenda[pains]: the step 'pains' is listed twice",
        ),
    ],
)
def test_reference_problems_of_the_new_tables(block: str, problem: str) -> None:
    with pytest.raises(SessionFileError) as info:
        store.parse_session(store.dumps_session(workshop()) + "\n" + block)
    assert problem in info.value.problems


@pytest.mark.parametrize(
    "block",
    [
        '[[participants]]\nid = "ana"\nname = "Ana"\nsolution_votes = { fix-catalogue = 0 }\n',
        '[[participants]]\nid = "ana"\nname = "Ana"\nsolution_votes = { fix-catalogue = 100 }\n',
        '[[participants]]\nid = "ana"\nname = ""\n',
        '[[parking]]\nid = "x"\ntext = "Later"\nstatus = "done"\n',
        '[[agenda]]\nstep = "lunch"\n',
        '[[agenda]]\nstep = "pains"\nminutes = 0\n',
        '[[agenda]]\nstep = "pains"\nminutes = 601\n',
    ],
)
def test_bad_values_in_the_new_tables_are_refused(block: str) -> None:
    with pytest.raises(SessionFileError):
        store.parse_session(store.dumps_session(workshop()) + "\n" + block)


@pytest.mark.parametrize("budget", ["0", "100", '"3"', "2.5"])
def test_vote_budget_bounds(budget: str) -> None:
    with pytest.raises(SessionFileError, match="vote_budget"):
        store.parse_session(f"[session]\nvote_budget = {budget}\n")


def test_older_files_without_the_new_tables_still_load() -> None:
    old = (
        'schema_version = 1\n\n[session]\ntitle = "Old"\n\n[scoring]\nhop_decay = 0.5\n\n'
        '[[stages]]\nid = "s"\nname = "S"\n'
    )
    s = store.parse_session(old)
    assert s.participants == [] and s.parking == [] and s.agenda == []
    assert s.session.vote_budget == 3 and s.session.origin == "" and s.scoring.vote_weight == 0.0
    assert [(a.step, a.minutes) for a in agenda_of(s)] == list(DEFAULT_AGENDA)
    written = store.dumps_session(s)
    assert "origin" not in written and "[[agenda]]" not in written and "[[participants]]" not in written


# ---------------------------------------------------------------------------------------------
# vote_weight


def test_vote_weight_zero_leaves_the_ranking_unchanged() -> None:
    plain = workshop()
    s, ana = voting_session(budget=3)
    s = voting.cast_vote(s, ana, "solutions", "hire-csrs", 3, actor=None)
    s = edit.update_item(s, "solutions", "hire-csrs", {"votes": 50}, actor=None)[0]
    before = {r.id: (r.rank, r.score, r.quadrant) for r in scoring.rank(plain).solutions}
    after = {r.id: (r.rank, r.score, r.quadrant) for r in scoring.rank(s).solutions}
    assert after == before
    assert {r.id: r.votes for r in scoring.rank(s).solutions} == {"hire-csrs": 53, "fix-catalogue": 0}


def test_vote_weight_lifts_voted_solutions() -> None:
    s, ana = voting_session(budget=3)
    base = {r.id: r for r in scoring.rank(s).solutions}
    assert [r.id for r in scoring.rank(s).solutions] == ["fix-catalogue", "hire-csrs"]
    s = voting.cast_vote(s, ana, "solutions", "hire-csrs", 3, actor=None)
    s = edit.update_item(s, "solutions", "hire-csrs", {"votes": 17}, actor=None)[0]  # 20 votes in all
    s = details.update_scoring(s, {"vote_weight": 0.5}, actor=None)
    ranking = scoring.rank(s)
    by_id = {r.id: r for r in ranking.solutions}
    assert by_id["hire-csrs"].votes == 20
    assert by_id["hire-csrs"].score == pytest.approx(base["hire-csrs"].score * (1 + 0.5 * 20))
    assert by_id["fix-catalogue"].score == pytest.approx(base["fix-catalogue"].score)  # no votes: unchanged
    assert [r.id for r in ranking.solutions] == ["hire-csrs", "fix-catalogue"]
    # The impact (and so the quadrant) is not what votes change.
    assert by_id["hire-csrs"].impact == base["hire-csrs"].impact
    assert by_id["hire-csrs"].quadrant == base["hire-csrs"].quadrant


def test_vote_weight_does_not_lift_a_solution_that_reaches_nothing() -> None:
    s, _ana = voting_session()
    s, _ = edit.add_item(s, "solutions", {"id": "pizza", "text": "Pizza for the team", "votes": 99}, actor=None)
    s = details.update_scoring(s, {"vote_weight": 10.0}, actor=None)
    assert {r.id: r.score for r in scoring.rank(s).solutions}["pizza"] == 0.0


@pytest.mark.parametrize("weight", [-0.1, 10.5])
def test_vote_weight_bounds(weight: float) -> None:
    with pytest.raises(edit.ItemError):
        details.update_scoring(workshop(), {"vote_weight": weight}, actor=None)


# ---------------------------------------------------------------------------------------------
# The parking lot


def parked_session() -> m.Session:
    s, _ = edit.add_item(
        workshop(), "parking", {"text": "Invoices should show the PO number", "stage": "order"}, actor=None
    )
    s, _ = edit.add_item(s, "parking", {"text": "Loyalty scheme?"}, actor=None)
    return s


def test_park_a_point() -> None:
    s = parked_session()
    first, second = s.parking
    assert (first.id, first.stage, first.status) == ("invoices-should-show-the-po", "order", "open")
    assert (second.id, second.stage, second.status) == ("loyalty-scheme", None, "open")
    with pytest.raises(EditError, match="unknown stage"):
        edit.add_item(s, "parking", {"text": "x", "stage": "nowhere"}, actor=None)
    with pytest.raises(edit.ItemError):
        edit.add_item(s, "parking", {"text": "   "}, actor=None)


@pytest.mark.parametrize(
    ("table", "field", "check"),
    [
        ("pains", "text", lambda item: item.stage == "order" and item.kind == "pain"),
        ("processes", "name", lambda item: item.stage == "order" and item.owner is None),
        ("solutions", "text", lambda item: item.targets == []),
    ],
)
def test_convert_a_parked_point(table: str, field: str, check) -> None:
    s = parked_session()
    pid = s.parking[0].id
    s2, item = edit.convert_parked(s, pid, table, actor=None)
    assert getattr(item, field) == "Invoices should show the PO number"
    assert check(item)
    assert m.find(s2, table, item.id) == item
    assert m.find(s2, "parking", pid).status == "converted"  # type: ignore[union-attr]
    assert m.reference_problems(s2) == []
    with pytest.raises(EditError, match="already converted"):  # never two items from one point
        edit.convert_parked(s2, pid, table, actor=None)


def test_convert_a_parked_point_without_a_stage() -> None:
    s = parked_session()
    pid = s.parking[1].id
    with pytest.raises(EditError, match="choose a stage first") as info:
        edit.convert_parked(s, pid, "pains", actor=None)
    assert info.value.field == "stage"
    _s2, pain = edit.convert_parked(s, pid, "pains", "support", actor=None)  # the stage the room is at
    assert pain.stage == "support"
    _s3, sol = edit.convert_parked(s, pid, "solutions", actor=None)  # a solution needs no stage
    assert sol.text == "Loyalty scheme?"
    with pytest.raises(EditError, match="a pain, a process or a solution"):
        edit.convert_parked(s, pid, "stages", "support", actor=None)
    with pytest.raises(EditError, match="no parked item"):
        edit.convert_parked(s, "nothing", "pains", actor=None)


def test_a_long_parked_point_becomes_a_process_name_that_fits() -> None:
    s, parked = edit.add_item(workshop(), "parking", {"text": "x" * 199 + " y" * 100, "stage": "find"}, actor=None)
    s, proc = edit.convert_parked(s, parked.id, "processes", actor=None)
    assert len(proc.name) <= m.MAX_NAME  # type: ignore[attr-defined]


def test_deleting_a_stage_keeps_its_parked_points() -> None:
    s = parked_session()
    s2 = edit.delete_item(s, "stages", "order", actor=None)
    assert [(p.text, p.stage) for p in s2.parking] == [
        ("Invoices should show the PO number", None),
        ("Loyalty scheme?", None),
    ]
    assert m.reference_problems(s2) == []
    history = undo.History(s)
    history.apply("delete stage", s2)
    history.undo()
    assert history.session.parking[0].stage == "order"


def test_parking_round_trip(tmp_path: Path) -> None:
    s = edit.update_item(parked_session(), "parking", "loyalty-scheme", {"status": "closed"}, actor=None)[0]
    path = tmp_path / "parked.toml"
    store.save_session(path, s)
    text = path.read_text("utf-8")
    assert text.endswith(
        '\n[[parking]]\nid = "invoices-should-show-the-po"\ntext = "Invoices should show the PO number"\n'
        'stage = "order"\nstatus = "open"\n\n[[parking]]\nid = "loyalty-scheme"\ntext = "Loyalty scheme?"\n'
        'status = "closed"\n'
    )
    assert store.load_session(path).session == s


# ---------------------------------------------------------------------------------------------
# The agenda and its timer


def test_timer_counts_down_only_while_running() -> None:
    clock = FakeClock()
    timer = Timer(15 * 60, clock=clock)
    assert not timer.running and timer.remaining() == 900
    clock.advance(60)  # not started: nothing spent
    assert timer.remaining() == 900
    timer.start()
    assert timer.running
    clock.advance(90)
    assert timer.elapsed() == 90 and timer.remaining() == 810
    timer.start()  # starting again changes nothing
    clock.advance(10)
    assert timer.remaining() == 800
    timer.pause()
    assert not timer.running
    clock.advance(500)  # paused: time does not count
    assert timer.remaining() == 800
    timer.pause()  # pausing again changes nothing
    timer.toggle()
    assert timer.running
    clock.advance(100)
    timer.toggle()
    assert not timer.running and timer.remaining() == 700


def test_timer_extend_and_overtime() -> None:
    clock = FakeClock()
    timer = Timer(60, clock=clock)
    timer.start()
    clock.advance(45)
    timer.extend(5)  # five more minutes
    assert timer.seconds == 360 and timer.remaining() == 315
    clock.advance(315)
    assert timer.remaining() == 0 and not timer.overtime
    clock.advance(75.4)  # nothing stops at zero: overtime counts on, negative
    assert timer.remaining() == pytest.approx(-75.4)
    assert timer.overtime and timer.running
    assert format_clock(timer.remaining()) == "-01:15"
    timer.reset(20 * 60)
    assert not timer.running and timer.remaining() == 1200 and not timer.overtime


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (0, "00:00"),
        (59.4, "00:59"),
        (59.6, "01:00"),
        (90, "01:30"),
        (15 * 60, "15:00"),
        (125 * 60 + 5, "125:05"),
        (-1, "-00:01"),
        (-0.4, "00:00"),  # rounds to zero: no "-00:00"
        (-61, "-01:01"),
    ],
)
def test_format_clock(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


def test_agenda_of_default() -> None:
    agenda = agenda_of(m.Session())
    assert [(a.step, a.minutes) for a in agenda] == [
        ("persona", 15),
        ("stages", 20),
        ("pains", 30),
        ("processes", 30),
        ("solutions", 30),
        ("prioritise", 20),
    ]
    assert [a.step for a in agenda] == list(m.STEPS)
    assert set(STEP_TITLES) == set(m.STEPS)
    assert all(a.note == "" for a in agenda)


def test_custom_agenda_round_trip(tmp_path: Path) -> None:
    agenda = [
        m.AgendaItem(step="stages", minutes=10),
        m.AgendaItem(step="pains", minutes=45, note="Customer's words only"),
        m.AgendaItem(step="prioritise", minutes=5),
    ]
    s = workshop().model_copy(update={"agenda": agenda})
    assert m.reference_problems(s) == []
    assert agenda_of(s) == agenda  # a step left out is skipped
    path = tmp_path / "agenda.toml"
    store.save_session(path, s)
    text = path.read_text("utf-8")
    # [[agenda]] comes first among the arrays.
    assert text.index("[[agenda]]") < text.index("[[departments]]")
    assert text.index("[scoring]") < text.index("[[agenda]]")
    assert '[[agenda]]\nstep = "pains"\nminutes = 45\nnote = "Customer\'s words only"\n' in text
    loaded = store.load_session(path).session
    assert loaded == s and agenda_of(loaded) == agenda


def test_duplicate_agenda_step_is_refused() -> None:
    s = workshop().model_copy(update={"agenda": [m.AgendaItem(step="pains"), m.AgendaItem(step="pains", minutes=5)]})
    assert m.reference_problems(s) == ["agenda[pains]: the step 'pains' is listed twice"]
    with pytest.raises(SessionFileError, match="listed twice"):
        store.parse_session(store.dumps_session(s))


def test_set_timebox() -> None:
    s = workshop()
    s2 = set_timebox(s, "pains", 40, actor=None)
    # The default agenda becomes the session's own, with one step changed.
    assert [(a.step, a.minutes) for a in s2.agenda] == [
        (step, 40 if step == "pains" else minutes) for step, minutes in DEFAULT_AGENDA
    ]
    s3 = set_timebox(s2, "pains", 25, note="Keep it short", actor=None)
    assert [a for a in s3.agenda if a.step == "pains"] == [m.AgendaItem(step="pains", minutes=25, note="Keep it short")]
    with pytest.raises(edit.ItemError):
        set_timebox(s2, "pains", 0, actor=None)
    short = s.model_copy(update={"agenda": [m.AgendaItem(step="pains", minutes=20)]})
    grown = set_timebox(short, "solutions", 10, actor=None)
    assert [(a.step, a.minutes) for a in grown.agenda] == [("pains", 20), ("solutions", 10)]
    with pytest.raises(edit.ItemError):  # not a bare pydantic error
        set_timebox(short, "lunch", 10, actor=None)
    with pytest.raises(edit.ItemError):
        set_timebox(short, "solutions", 601, actor=None)


# ---------------------------------------------------------------------------------------------
# Current state and future state


def test_derive_future() -> None:
    current = online()
    future = derive_future(current, ONLINE)
    info = future.session
    assert info.state == "future" and info.origin == "online-ordering.toml"
    assert info.title == "Online ordering — future state"
    assert current.session.state == "current" and current.session.origin == ""  # the original is untouched
    # Everything else is the same map.
    for table in ("departments", "personas", "stages", "pains", "processes", "solutions"):
        assert getattr(future, table) == getattr(current, table)
    text = store.dumps_session(future)
    assert 'origin = "online-ordering.toml"\n' in text
    assert store.parse_session(text) == future


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Online ordering — current state", "Online ordering — future state"),
        ("Onboarding", "Onboarding (future state)"),
        ("Future of onboarding", "Future of onboarding"),
        ("x" * 200, "x" * 185 + " (future state)"),
    ],
)
def test_future_title(title: str, expected: str) -> None:
    assert future_title(title) == expected
    assert len(future_title(title)) <= m.MAX_NAME


def test_derive_future_refuses_an_origin_that_cannot_be_stored() -> None:
    with pytest.raises(EditError, match="cannot derive a future state") as info:
        derive_future(workshop(), "x" * 201 + ".toml")
    assert info.value.field == "origin"


def test_compare_lists_what_changed() -> None:
    current, future = future_of_online()
    result = compare(current, future)
    assert result.removed == ("cant-tell-fit", "on-hold")  # in the current state's order
    assert result.added == ("new-login",)
    assert [(c.stage, c.persona, c.before, c.after) for c in result.emotion] == [("get-help", "technician", -2, 1)]
    assert result.emotion[0].stage_name == "Get help / call customer service"
    assert result.emotion[0].persona_name == "Field technician"
    meant = dict(result.meant_to_remove)
    # The catalogue fix (done now) reaches both removed pains: it was meant to remove them.
    assert meant["fix-catalogue"] == ("cant-tell-fit", "on-hold")
    # The example's solutions already done or under way are listed too: both reach "on hold".
    assert meant == {
        "fix-catalogue": ("cant-tell-fit", "on-hold"),
        "ship-date-tracking": ("on-hold",),
        "po-on-invoice": ("on-hold",),
    }
    assert [sol for sol, _ in result.meant_to_remove] == ["fix-catalogue", "ship-date-tracking", "po-on-invoice"]


def test_compare_a_session_with_itself_changes_nothing() -> None:
    current = online()
    result = compare(current, current)
    assert result.removed == () and result.added == () and result.emotion == ()
    assert all(pains == () for _, pains in result.meant_to_remove)


def test_compare_sees_stages_that_only_one_side_has() -> None:
    current = workshop()
    future = edit.delete_item(current, "stages", "find", actor=None)
    future, _ = edit.add_item(
        future, "stages", {"id": "self-serve", "name": "Self-serve portal", "emotion": {"buyer": 2}}, actor=None
    )
    result = compare(current, future)
    assert result.removed == ("cant-tell",)
    assert [(c.stage, c.persona, c.before, c.after) for c in result.emotion] == [
        ("find", "buyer", -1, None),
        ("self-serve", "buyer", None, 2),
    ]
    assert result.emotion[1].stage_name == "Self-serve portal"


# ---------------------------------------------------------------------------------------------
# Friction per stage


def test_stage_friction_on_the_online_ordering_example() -> None:
    rows = stage_friction(online())
    assert [r.stage for r in rows] == [s.id for s in online().stages]
    by_id = {r.stage: r for r in rows}
    # "Find the right part": pains cant-tell-fit 5×5, photos-dont-match 4×3, phone-filters 3×4 (the
    # diagrams gain does not count). Departments: owners ecommerce and it; its processes are owned
    # by it (web-platform) and ecommerce (catalogue). Handoffs: web-platform (it) feeds order-form
    # (ecommerce) and order-entry (order-mgmt); catalogue (ecommerce) feeds search-feed and
    # order-form (ecommerce: no handoff) and call-handling (customer-service). The catalogue
    # reaches, within 4 hops, every pain but no-contract-price and no-ship-date: 15 of 17.
    find = by_id["find-product"]
    assert find.name == "Find the right part"
    assert (find.pains, find.pain_weight, find.departments, find.handoffs) == (3, 25 + 12 + 12, 2, 1 + 2)
    assert (find.top_process, find.top_reach) == ("catalogue", 15)
    # "Get help": on-hold 5×4, explain-again 4×3, where-is-my-order 3×4. Customer Service owns the
    # stage and call handling, which feeds returns-processing (Customer Service too): no handoff.
    # Call handling reaches on-hold and explain-again (0 hops), returns-by-phone (1), slow-refund (2).
    helpdesk = by_id["get-help"]
    assert (helpdesk.pains, helpdesk.pain_weight, helpdesk.departments, helpdesk.handoffs) == (3, 20 + 12 + 12, 1, 0)
    assert (helpdesk.top_process, helpdesk.top_reach) == ("call-handling", 4)


def test_stage_friction_for_one_persona() -> None:
    rows = {r.stage: r for r in stage_friction(online(), "procurement")}
    # Procurement is not listed on any pain of "Find the right part".
    assert (rows["find-product"].pains, rows["find-product"].pain_weight) == (0, 0)
    # At "Get help" all three pains list procurement; call handling reaches on-hold, explain-again
    # and slow-refund (returns-by-phone does not list procurement).
    assert (rows["get-help"].pains, rows["get-help"].pain_weight) == (3, 44)
    assert (rows["get-help"].top_process, rows["get-help"].top_reach) == ("call-handling", 3)
    # The departments and handoffs are the organisation's, whoever the persona.
    assert rows["find-product"].handoffs == 3 and rows["find-product"].departments == 2


def test_stage_friction_edge_cases() -> None:
    assert stage_friction(m.Session()) == []
    s = m.Session(stages=[m.Stage(id="s", name="S")])
    (row,) = stage_friction(s)
    assert (row.pains, row.pain_weight, row.departments, row.handoffs, row.top_process, row.top_reach) == (
        0,
        0,
        0,
        0,
        None,
        0,
    )


# ---------------------------------------------------------------------------------------------
# Exports: votes, friction, the open parking lot


def room_session() -> m.Session:
    """The example with votes, a vote weight, and three parked points (one closed)."""
    s = online()
    s, ana = voting.ensure_participant(s, "Ana", actor=None)
    s = voting.cast_vote(s, ana.id, "solutions", "hire-csrs", 3, actor=None)
    s = voting.cast_vote(s, ana.id, "pains", "on-hold", 2, actor=None)
    s, _ = edit.add_item(
        s, "parking", {"id": "sms", "text": "=SMS when shipped | [x](y)", "stage": "delivery"}, actor=None
    )
    s, _ = edit.add_item(s, "parking", {"id": "loyalty", "text": "Loyalty scheme?"}, actor=None)
    s, _ = edit.add_item(s, "parking", {"id": "done", "text": "Old idea", "status": "closed"}, actor=None)
    return s


def test_json_export_has_votes_friction_and_parking() -> None:
    s = room_session()
    ranking = scoring.rank(s)
    data = json.loads(export.export_json(s, ranking))
    assert {"solutions", "processes", "persona", "median_impact", "session", "friction", "parking"} <= set(data)
    votes = {sol["id"]: sol["votes"] for sol in data["solutions"]}
    assert votes["hire-csrs"] == 4 + 3 and votes == {r.id: r.votes for r in ranking.solutions}
    assert data["friction"] == export.friction_json_data(s)
    assert len(data["friction"]) == len(s.stages)
    assert data["parking"] == [
        {"id": "sms", "text": "=SMS when shipped | [x](y)", "stage": "delivery", "stage_name": "Delivery"},
        {"id": "loyalty", "text": "Loyalty scheme?", "stage": None, "stage_name": None},
    ]
    assert store.session_from_data(data["session"], "json") == s
    # For one persona, the friction follows the lens.
    lens = json.loads(export.export_json(s, scoring.rank(s, "procurement")))
    assert lens["friction"] == export.friction_json_data(s, "procurement")


def test_markdown_export_has_votes_friction_and_parking() -> None:
    s = details.update_scoring(room_session(), {"vote_weight": 0.1}, actor=None)
    ranking = scoring.rank(s)
    text = export.export_markdown(s, ranking)
    ranked = text[text.index("## Quick wins, ranked") : text.index("### Why this rank")]
    assert "| # | Solution | Score | Impact | Effort | Stages | Quadrant | Votes |" in ranked
    hire = next(r for r in ranking.solutions if r.id == "hire-csrs")
    assert f"| {hire.rank} | Hire more customer service representatives | {vocab.fmt_number(hire.score)} |" in ranked
    assert ranked.count(f"| {hire.votes} |") >= 1
    # The "why" line states the votes factor, so its arithmetic stays true.
    assert f"÷ effort 4 × votes ×{vocab.fmt_number(1 + 0.1 * hire.votes)} ({hire.votes} votes)" in text
    friction = text[text.index("## Friction by stage") : text.index("## The map")]
    assert (
        "| 2 | Find the right part | 3 | 49 | 2 | 3 | Maintain the online catalogue & product data (15 pains) |"
        in friction
    )
    parking = text[text.index("## Parking lot (open)") :]
    assert "- \\=SMS when shipped \\| \\[x\\](y) (stage: Delivery)" in parking
    assert "- Loyalty scheme?" in parking and "Old idea" not in parking
    assert "- **Dot voting:** 1 participant, 3 dots each on solutions and on pains" in text
    # The map's pains show their dots.
    assert "| pain | I was on hold for 25 minutes just to ask whether the part fits. |" in text
    on_hold = next(line for line in text.splitlines() if "I was on hold for 25 minutes" in line and "5 × 4" in line)
    assert on_hold.endswith("| 2 |")


def test_markdown_export_without_parking() -> None:
    s = online()
    text = export.export_markdown(s, scoring.rank(s))
    assert "## Parking lot (open)\n\nNothing open in the parking lot.\n" in text
    assert "Dot voting" not in text


def test_csv_map_has_votes_friction_and_parking() -> None:
    s = room_session()
    rows = list(csv.DictReader(io.StringIO(export.export_csv_map(s), newline="")))
    assert list(rows[0]) == list(export.CSV_MAP_COLUMNS)
    pains = [r for r in rows if r["kind"] in ("pain", "gain")]
    parked = [r for r in rows if r["kind"] == "parked"]
    assert len(pains) == len(s.pains) and rows[len(pains) :] == parked  # parked points last
    on_hold = next(r for r in pains if r["id"] == "on-hold")
    assert on_hold["votes"] == "2"
    assert (
        on_hold["stage_pains"],
        on_hold["stage_pain_weight"],
        on_hold["stage_departments"],
        on_hold["stage_handoffs"],
    ) == ("3", "44", "1", "0")
    assert all(r["votes"] == "0" for r in pains if r["id"] != "on-hold")
    assert [(r["id"], r["stage"], r["text"]) for r in parked] == [
        ("sms", "Delivery", "'=SMS when shipped | [x](y)"),  # never a formula
        ("loyalty", "", "Loyalty scheme?"),
    ]
    assert parked[0]["stage_pains"] == "3" and parked[1]["stage_pains"] == ""


# ---------------------------------------------------------------------------------------------
# Random sessions: the new tables round-trip, and stay within the budget


@CORE
@given(sessions())
def test_random_sessions_with_the_new_tables_round_trip(session: m.Session) -> None:
    assert m.reference_problems(session) == []
    for person in session.participants:
        assert sum(person.solution_votes.values()) <= session.session.vote_budget
        assert sum(person.pain_votes.values()) <= session.session.vote_budget
    text = store.dumps_session(session)
    back = store.parse_session(text)
    assert back == session
    assert store.dumps_session(back) == text


@CORE
@given(sessions(plain=True), st.data())
def test_random_votes_never_break_the_budget(session: m.Session, data: st.DataObject) -> None:
    if not session.participants or not session.solutions:
        return
    person = data.draw(st.sampled_from(session.participants))
    sol = data.draw(st.sampled_from(session.solutions))
    delta = data.draw(st.integers(-5, 5))
    try:
        after = voting.cast_vote(session, person.id, "solutions", sol.id, delta, actor=None)
    except EditError as exc:
        assert delta > voting.votes_left(session, person.id, "solutions")
        assert "vote" in str(exc)
        return
    assert m.reference_problems(after) == []
    assert voting.votes_left(after, person.id, "solutions") >= 0
    expected = max(0, person.solution_votes.get(sol.id, 0) + delta)
    assert participant(after, person.id).solution_votes.get(sol.id, 0) == expected


def test_progress_is_kept_in_the_file_and_a_new_workshop_has_none(tmp_path: Path) -> None:
    from cjmtui.core.agenda import set_progress

    s = workshop()
    assert set_progress(s, agenda_of(s)[0].step, 0, actor=None) is s  # nothing run yet: no [progress]
    assert "[progress]" not in store.dumps_session(s)
    s = set_progress(s, "pains", 312.7, actor=None)  # kept as the clock shows it: 313 s
    text = store.dumps_session(s)
    assert '[progress]\nstep = "pains"\nspent = 313\n' in text
    assert store.parse_session(text).progress == m.Progress(step="pains", spent=313)
    with pytest.raises(EditError):
        set_progress(s, "lunch", 5, actor=None)


def test_where_a_user_was_is_kept_outside_the_session(tmp_path: Path) -> None:
    from cjmtui.core import viewstate

    session = tmp_path / "s.toml"
    assert viewstate.load_view(session) is None
    assert viewstate.save_view(session, viewstate.View("map", "stage-2", "pains", "p1"))
    assert viewstate.load_view(session) == viewstate.View("map", "stage-2", "pains", "p1")
    viewstate.state_file().write_text("{not json", encoding="utf-8")
    assert viewstate.load_view(session) is None  # a broken file is ignored, never an error
    for i in range(viewstate.MAX_SESSIONS + 5):
        viewstate.save_view(tmp_path / f"{i}.toml", viewstate.View("pains"))
    assert viewstate.load_view(tmp_path / "0.toml") is None  # only the most recent are kept
    assert viewstate.load_view(tmp_path / f"{viewstate.MAX_SESSIONS + 4}.toml") == viewstate.View("pains")
