"""Which links the facilitator can tick, from which side: the cause links as data.

A pain is *caused by* processes; a process *causes* pains (the same link, seen from the
process); a process *hands work to* other processes; a solution *changes* processes. The TUI's
link picker and scripts read :data:`LINKS` and call :func:`set_links`, so no screen decides
which field links to which table. :func:`link_cause`, :func:`link_feed` and :func:`link_target`
tick or untick one link (an edit of the item that holds it, :func:`cjmtui.core.edit.update_item`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .edit import update_item
from .errors import EditError
from .model import REFERENCES, Record, Session, find, item_label
from .vocab import SINGULAR


@dataclass(frozen=True)
class LinkKind:
    """Links edited from an item of ``table`` to items of ``other``.

    ``field`` is the list on the ``table`` item that holds them; ``None`` for the process's view
    of ``caused_by``, which is stored on the pains (the other side).
    """

    table: str
    other: str
    field: str | None
    question: str  # with ``{label}``, the item's label
    undo: str  # the undo step's name


LINKS: dict[str, LinkKind] = {
    "causes": LinkKind(
        "pains",
        "processes",
        "caused_by",
        "Why does the customer feel “{label}”? Tick the processes that cause it",
        "link causes",
    ),
    "caused": LinkKind("processes", "pains", None, "Which pains does “{label}” cause? Tick them", "link causes"),
    "feeds": LinkKind(
        "processes", "processes", "feeds", "Which processes does “{label}” hand work to?", "link handoffs"
    ),
    "targets": LinkKind("solutions", "processes", "targets", "Which processes does “{label}” change?", "link targets"),
}


def _toggle(
    session: Session, table: str, item_id: str, field: str, value: str, on: bool | None, actor: str | None
) -> Session:
    item = find(session, table, item_id)
    if item is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id!r}")
    values = list(getattr(item, field))
    present = value in values
    if on is None:
        on = not present
    if on == present:
        return session
    values = [*values, value] if on else [v for v in values if v != value]
    return update_item(session, table, item_id, {field: values}, actor=actor)[0]


def link_cause(
    session: Session, pain_id: str, process_id: str, on: bool | None = None, *, actor: str | None
) -> Session:
    """Say (or unsay) that ``process_id`` causes ``pain_id``. ``on=None`` toggles. A participant
    links causes to their own pains only."""
    return _toggle(session, "pains", pain_id, "caused_by", process_id, on, actor)


def link_feed(
    session: Session, process_id: str, downstream_id: str, on: bool | None = None, *, actor: str | None
) -> Session:
    """Say (or unsay) that ``process_id`` hands work to ``downstream_id`` (a participant: from
    their own processes only)."""
    if process_id == downstream_id:
        raise EditError("a process cannot feed itself", "feeds")
    return _toggle(session, "processes", process_id, "feeds", downstream_id, on, actor)


def link_target(
    session: Session, solution_id: str, process_id: str, on: bool | None = None, *, actor: str | None
) -> Session:
    """Say (or unsay) that ``solution_id`` changes ``process_id`` (a participant: their own solutions)."""
    return _toggle(session, "solutions", solution_id, "targets", process_id, on, actor)


# The link kind edited with ``l`` on each screen's items.
LINK_OF_TABLE = {"pains": "causes", "processes": "caused", "solutions": "targets"}


def _item(session: Session, kind: LinkKind, item_id: str) -> Record:
    item = find(session, kind.table, item_id)
    if item is None:
        raise EditError(f"no {SINGULAR[kind.table]} with id {item_id!r}")
    return item


def candidates(session: Session, kind: str, item_id: str) -> list[Record]:
    """The items that can be ticked (a process never hands work to itself)."""
    link = LINKS[kind]
    return [x for x in getattr(session, link.other) if not (link.table == link.other and x.id == item_id)]


def linked(session: Session, kind: str, item_id: str) -> set[str]:
    """The ids ticked now."""
    link = LINKS[kind]
    item = _item(session, link, item_id)
    if link.field is None:
        return {p.id for p in session.pains if item_id in p.caused_by}
    return set(getattr(item, link.field))


def question(session: Session, kind: str, item_id: str, width: int = 40) -> str:
    """What the picker asks, with the item's label cut to ``width`` characters."""
    label = item_label(_item(session, LINKS[kind], item_id))
    if len(label) > width:
        label = label[: width - 1] + "…"
    return LINKS[kind].question.format(label=label)


def set_links(session: Session, kind: str, item_id: str, ids: set[str], *, actor: str | None) -> Session:
    """Make the ticked links exactly ``ids`` (in the candidates' order): one edit, one undo step.
    A participant (``actor``) changes the links of their own items only."""
    link = LINKS[kind]
    _item(session, link, item_id)
    if link.field is None:
        for pain in session.pains:
            if (pain.id in ids) != (item_id in pain.caused_by):
                session = link_cause(session, pain.id, item_id, pain.id in ids, actor=actor)
        return session
    order = [c.id for c in candidates(session, kind, item_id) if c.id in ids]
    return update_item(session, link.table, item_id, {link.field: order}, actor=actor)[0]


def count_links(session: Session, table: str, item_id: str) -> int:
    """How many links an item has, both ways (what deleting it unlinks): references to it from
    other items, and its own references to others."""
    item = find(session, table, item_id)
    if item is None:
        return 0
    outgoing = sum(len(ref.ids(item)) for ref in REFERENCES if ref.table == table)
    incoming = sum(
        ref.ids(other).count(item_id)
        for ref in REFERENCES
        if ref.target == table
        for other in session.table(ref.table)
        if other.id != item_id
    )
    return outgoing + incoming
