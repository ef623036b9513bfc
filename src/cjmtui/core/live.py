"""The live room's state that every screen follows: silent writing, private voting, the reveal.

Everything lives in the session file (``[progress]`` and each note's ``silent_round``), so the
facilitator and every participant who joined (``cjmtui join``) see the same room with nothing
but the shared file: no server.

- **Silent writing.** The facilitator starts a round (:func:`start_silent_writing`); each note
  written during it carries the round's number (:func:`cjmtui.core.edit.add_item`), and until
  the reveal each person sees only their own notes of that round (:func:`view_for`).
- **Private voting.** While it runs (:func:`start_private_voting`) each participant sees only
  their own dots; the facilitator sees the dots they cast for the room (proxy voting).
- **The reveal** (:func:`reveal`) ends both: everyone sees everything. Only the facilitator
  starts and reveals (:func:`cjmtui.core.edit.require_facilitator`).

A note written while the reveal is being saved keeps its round's number, but a round is hidden
only while it is the current silent round, so nothing stays hidden after the reveal.
"""

from __future__ import annotations

from .edit import _delete_many, add_item, require_facilitator, table_name
from .errors import EditError
from .model import MAX_NAME, MAX_TEXT, SILENT_TABLES, Participant, Record, Session, find, item_label
from .safety import printable
from .vocab import SINGULAR


def _progress(session: Session, **changes: object) -> Session:
    progress = session.progress.model_copy(update=changes)
    return session if progress == session.progress else session.model_copy(update={"progress": progress})


def start_silent_writing(session: Session, *, actor: str | None) -> Session:
    """A new silent-writing round: notes written from now on are each writer's own until the reveal."""
    require_facilitator(actor, "starts silent writing")
    if session.progress.silent:
        return session
    return _progress(session, silent=True, silent_round=session.progress.silent_round + 1)


def start_private_voting(session: Session, *, actor: str | None) -> Session:
    """Dots are each voter's own until the reveal (the budget per participant stays)."""
    require_facilitator(actor, "starts private voting")
    return _progress(session, private_votes=True)


def reveal(session: Session, *, actor: str | None) -> Session:
    """End silent writing and private voting: everyone sees every note and every dot."""
    require_facilitator(actor, "reveals the notes and the votes")
    return _progress(session, silent=False, private_votes=False)


def hidden_from(session: Session, viewer: str | None) -> dict[str, set[str]]:
    """The ids of the notes ``viewer`` (a participant's name; None: the facilitator) does not
    see yet, by table: the others' notes of the current silent round."""
    progress = session.progress
    if not progress.silent:
        return {}
    current = progress.silent_round
    hidden: dict[str, set[str]] = {}
    for table in SILENT_TABLES:
        items: list[Record] = session.table(table)
        ids = {x.id for x in items if getattr(x, "silent_round", None) == current and x.created_by != viewer}
        if ids:
            hidden[table] = ids
    return hidden


def own_dots(person: Participant, viewer: str | None) -> bool:
    """Whether ``viewer`` sees ``person``'s dots during private voting: a participant their own,
    the facilitator those of the people they vote for (proxy voting, records they added)."""
    if viewer is None:
        return person.created_by is None
    return person.name.casefold() == viewer.casefold()


def view_for(session: Session, viewer: str | None) -> Session:
    """The session as ``viewer`` sees it now: without the others' notes of the current silent
    round (and the links to them), and during private voting without the others' dots. The
    session itself when nothing is hidden. A view: edits go to the whole session."""
    progress = session.progress
    if not progress.silent and not progress.private_votes:
        return session
    view = session
    hidden = hidden_from(session, viewer)
    if hidden:
        view = _delete_many(view, hidden)
    if progress.private_votes:
        people = [
            p
            if own_dots(p, viewer) or not (p.solution_votes or p.pain_votes)
            else p.model_copy(update={"solution_votes": {}, "pain_votes": {}})
            for p in view.participants
        ]
        view = view.model_copy(update={"participants": people})
    return view


def room_state(session: Session, viewer: str | None) -> list[str]:
    """What the top bar says about the room: "silent writing (3 hidden)", "private voting"."""
    parts = []
    if session.progress.silent:
        hidden = sum(len(ids) for ids in hidden_from(session, viewer).values())
        parts.append(f"silent writing ({hidden} hidden)" if hidden else "silent writing")
    if session.progress.private_votes:
        parts.append("private voting")
    return parts


def participant_name(raw: str) -> str:
    """The name a participant joins as (``cjmtui join --as NAME``, the picker's ``j``): spaces
    tidied, 1–200 printable characters, else :class:`EditError`."""
    name = " ".join(str(raw).split())
    if not name or len(name) > MAX_NAME or printable(name) != name:
        raise EditError(f"{printable(str(raw))!r}: a name of 1 to {MAX_NAME} printable characters, please")
    return name


def propose(session: Session, table: str, item_id: str, text: str, *, actor: str | None) -> tuple[Session, Record]:
    """A participant cannot rewrite another's note, but can propose a change: it goes to the
    parking lot (with the note's stage) for the facilitator to take up, in the proposer's name."""
    table = table_name(table)
    item = find(session, table, item_id)
    if item is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id!r}")
    words = " ".join(text.split())
    if not words:
        raise EditError("a proposal needs some words")
    stage = item.id if table == "stages" else getattr(item, "stage", None)
    label = item_label(item)
    label = label if len(label) <= 80 else label[:79] + "…"
    proposal = f"{actor or 'The facilitator'} proposes for “{label}”: {words}"
    return add_item(session, "parking", {"text": proposal[:MAX_TEXT], "stage": stage}, actor=actor)
