"""Dot voting: who voted for what, what they have left, and the totals every view shows.

The one home of vote counting: the ranking (:func:`cjmtui.core.scoring.rank`), the screens, the
exports and the report all read :func:`solution_votes` and :func:`pain_votes`.
"""

from __future__ import annotations

from typing import Any

from .edit import add_item, table_name, update_item
from .errors import EditError
from .model import Participant, Session, find
from .vocab import SINGULAR

VOTE_FIELDS = {"solutions": "solution_votes", "pains": "pain_votes"}


def participant_named(session: Session, name: str) -> Participant | None:
    wanted = name.strip().casefold()
    return next((p for p in session.participants if p.name.casefold() == wanted or p.id == name), None)


def ensure_participant(session: Session, name: str, *, actor: str | None) -> tuple[Session, Any]:
    """The participant called ``name`` (added when new): the facilitator types a name once; a
    participant who joined (``actor``) votes as themself only."""
    if actor is not None and name.strip().casefold() != actor.casefold():
        raise EditError(f"you joined as {actor}: you vote with your own dots only")
    found = participant_named(session, name)
    if found is not None:
        return session, found
    return add_item(session, "participants", {"name": name}, actor=actor)


def _vote_table(table: str) -> str:
    table = table_name(table)
    if table not in VOTE_FIELDS:
        raise EditError("votes go on solutions and pains")
    return table


def _person(session: Session, participant_id: str) -> Participant:
    person = find(session, "participants", participant_id)
    if not isinstance(person, Participant):
        raise EditError(f"no participant with id {participant_id!r}")
    return person


def votes_left(session: Session, participant_id: str, table: str) -> int:
    """Dots the participant can still put on ``table`` (never below 0)."""
    table = _vote_table(table)
    votes: dict[str, int] = getattr(_person(session, participant_id), VOTE_FIELDS[table])
    used = sum(votes.values())
    return max(0, session.session.vote_budget - used)


def cast_vote(
    session: Session, participant_id: str, table: str, item_id: str, delta: int, *, actor: str | None
) -> Session:
    """Add (``delta`` > 0) or take back (< 0) a participant's dots on a solution or a pain. The
    facilitator may vote for anyone (for the room); a participant who joined (``actor``) casts
    only their own dots."""
    table = _vote_table(table)
    if find(session, table, item_id) is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id!r}")
    person = _person(session, participant_id)
    if actor is not None and person.name.casefold() != actor.casefold():
        raise EditError(f"these are {person.name}'s dots: you joined as {actor} and vote with your own only")
    field = VOTE_FIELDS[table]
    old = getattr(person, field)
    votes = dict(old)
    now = votes.get(item_id, 0) + delta
    if delta > 0:
        left = votes_left(session, participant_id, table)
        if left < delta:
            budget = session.session.vote_budget
            if left == 0:
                raise EditError(f"{person.name} has used all {budget} votes on {table}; take one back first")
            raise EditError(f"{person.name} has only {left} of {budget} votes left on {table}")
    if now <= 0:
        votes.pop(item_id, None)
    else:
        votes[item_id] = now
    if votes == old:
        return session  # nothing to take back: no change, so no undo step
    # Checked above: the facilitator, or the participant's own dots (their record may be one
    # the facilitator added for proxy voting before they joined).
    return update_item(session, "participants", participant_id, {field: votes}, actor=None)[0]


def pain_votes(session: Session) -> dict[str, int]:
    """The participants' dots on each pain (and gain), by id."""
    dots: dict[str, int] = {}
    for person in session.participants:
        for pain_id, n in person.pain_votes.items():
            dots[pain_id] = dots.get(pain_id, 0) + n
    return dots


def solution_votes(session: Session) -> dict[str, int]:
    """Votes on each solution, by id: its own ``votes`` plus the participants' dots."""
    dots = {s.id: s.votes for s in session.solutions}
    for person in session.participants:
        for sol_id, n in person.solution_votes.items():
            dots[sol_id] = dots.get(sol_id, 0) + n
    return dots


def vote_totals(session: Session, table: str) -> dict[str, int]:
    """:func:`solution_votes` or :func:`pain_votes`, by table name."""
    return solution_votes(session) if _vote_table(table) == "solutions" else pain_votes(session)


def total_votes(session: Session, table: str, item_id: str) -> int:
    """Dots on one item (see :func:`vote_totals`)."""
    return vote_totals(session, table).get(item_id, 0)


def voter_dots(session: Session, participant_id: str | None, table: str, item_id: str) -> int:
    """The dots one participant has put on one item (0 when nobody is voting)."""
    person = find(session, "participants", participant_id) if participant_id else None
    if not isinstance(person, Participant):
        return 0
    return int(getattr(person, VOTE_FIELDS[_vote_table(table)]).get(item_id, 0))
