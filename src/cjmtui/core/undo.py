"""Undo and redo: this person's own steps, taken back on top of the session as it is now.

Every edit (:mod:`cjmtui.core.edit`) returns a new session and shares the unchanged items, so the
session before a step *is* its undo. :class:`History` keeps the current session and this
person's steps; what someone else saved and merged in (:mod:`cjmtui.core.merge`) is not a step.
Undoing a step made before such a merge replays only that step's own change (:func:`_replay`):
by item and field where it can, else through the three-way merge.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .edit import checked
from .errors import EditError
from .merge import merge
from .model import REFERENCES, TABLES, Record, Session, item_reference_problems_in


@dataclass(frozen=True)
class Step:
    """One of this person's own edits: ``label``, and the session just before and just after it."""

    label: str
    before: Session
    after: Session


def _replay(start: Session, current: Session, end: Session) -> Session:
    """The change from ``start`` to ``end``, made on ``current`` (which may hold changes others
    made since, merged in): by the identity of items and fields, not by restoring a whole old
    session. Where a later change from someone else touched the same field, theirs stays.

    Unchanged items are shared between versions, so only the items the step replaced are read
    (undo stays quick at 20,000 pains); a step that reordered items, changed the agenda or
    would leave a dangling reference goes through the full three-way merge instead."""
    if current is start:
        return end
    if start is end:
        return current
    try:
        replayed = _replay_items(start, current, end)
    except (EditError, ValidationError):
        replayed = None
    if replayed is not None:
        return replayed
    return merge(start, current, end).session


def _fields_replayed(old: dict[str, Any], new: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """``now`` with each field that went from ``old`` to ``new`` set to ``new``, unless someone
    else changed that field meanwhile (theirs stays)."""
    out = dict(now)
    for name, value in new.items():
        if old.get(name) != value and now.get(name) == old.get(name):
            out[name] = value
    return out


def differing(old: list[Record], new: list[Record]) -> tuple[list[Record], list[Record]]:
    """The parts of two versions of a table between their common beginning and end (items are
    shared between versions, so compared by identity): what a step changed, added or removed."""
    size = min(len(old), len(new))
    head = 0
    while head < size and old[head] is new[head]:
        head += 1
    tail = 0
    while tail < size - head and old[len(old) - 1 - tail] is new[len(new) - 1 - tail]:
        tail += 1
    return old[head : len(old) - tail], new[head : len(new) - tail]


def _with_added(items: list[Record], added: list[Record], placed: list[Record]) -> list[Record]:
    """``items`` with each of ``added`` where ``placed`` has it: after the item before it there
    (the first that ``items`` or ``added`` holds), else first."""
    position = {item.id: n for n, item in enumerate(placed)}
    present = {item.id for item in items} | {item.id for item in added}
    after: dict[str | None, list[Record]] = {}
    for item in added:
        anchor = None
        for prev in reversed(placed[: position[item.id]]):
            if prev.id in present:
                anchor = prev.id
                break
        after.setdefault(anchor, []).append(item)
    out: list[Record] = []
    stack = list(reversed([*after.get(None, []), *items]))
    while stack:
        item = stack.pop()
        out.append(item)
        stack.extend(reversed(after.get(item.id, [])))
    return out


def _parts_replayed(start: Session, current: Session, end: Session) -> dict[str, Any]:
    """The session's details, weights and progress as the step from ``start`` to ``end`` left
    them, made on ``current`` field by field (only the parts the step changed)."""
    updates: dict[str, Any] = {}
    for part in ("session", "scoring", "progress"):
        before, after, now = getattr(start, part), getattr(end, part), getattr(current, part)
        if before is after or before == after:
            continue
        data = _fields_replayed(before.model_dump(), after.model_dump(), now.model_dump())
        updates[part] = type(now).model_validate(data)
    return updates


def _replay_items(start: Session, current: Session, end: Session) -> Session | None:
    """:func:`_replay` item by item; None when the full merge is needed."""
    if start.agenda is not end.agenda and start.agenda != end.agenda:
        return None
    updates = _parts_replayed(start, current, end)
    touched: list[tuple[str, Record]] = []  # items replaced or added here, to check
    gone: dict[str, set[str]] = {}  # ids removed here, per table
    for table in TABLES:
        old_items, new_items = start.table(table), end.table(table)
        if old_items is new_items:
            continue
        old_part, new_part = differing(old_items, new_items)
        if not old_part and not new_part:
            continue
        old_by = {item.id: item for item in old_part}
        new_by = {item.id: item for item in new_part}
        if [i.id for i in old_part if i.id in new_by] != [i.id for i in new_part if i.id in old_by]:
            return None  # the step moved items: the full merge places them
        changed = [item for item in new_part if old_by.get(item.id) is not item]
        removed = {item.id: item for item in old_part if item.id not in new_by}
        if not changed and not removed:
            continue
        now_items = current.table(table)
        at = {item.id: n for n, item in enumerate(now_items)}
        if len(at) != len(now_items):
            return None
        items: list[Record] = list(now_items)
        added: list[Record] = []
        for item in changed:
            old = old_by.get(item.id)
            if old is None:
                if item.id in at:
                    return None  # the same id added meanwhile: the full merge renames
                added.append(item)
                continue
            n = at.get(item.id)
            if n is None:
                continue  # deleted by someone else since: it stays deleted
            if items[n] is old:
                items[n] = item
            else:
                data = _fields_replayed(old.model_dump(), item.model_dump(), items[n].model_dump())
                items[n] = TABLES[table].model_validate(data)
            touched.append((table, items[n]))
        if removed:
            drop = {
                x.id for x in (items[at[i]] for i in removed if i in at) if x is removed[x.id] or x == removed[x.id]
            }
            gone[table] = drop
            items = [x for x in items if x.id not in drop]
        updates[table] = _with_added(items, added, new_items) if added else items
        touched += [(table, x) for x in added]
    result = current.model_copy(update=updates)
    if "session" in updates:  # the vote budget may have changed: every vote is checked
        return checked(result)
    return result if _still_linked(result, touched, gone) else None


def _still_linked(session: Session, touched: list[tuple[str, Record]], gone: dict[str, set[str]]) -> bool:
    """Whether the items a replay changed or added point only at items there, and nothing
    points at the items it removed (read without walking every item of a big session)."""
    if not touched and not any(gone.values()):
        return True
    targets = {ref.target for table, _item in touched for ref in REFERENCES if ref.table == table}
    ids = {t: {x.id for x in session.table(t)} for t in targets}
    seen: dict[str, set[str]] = {}
    for table, item in touched:
        if item.id in seen.setdefault(table, set()):
            return False
        seen[table].add(item.id)
        if item_reference_problems_in(session, table, item, ids):
            return False
    for ref in REFERENCES:
        lost = gone.get(ref.target)
        if lost and any(x in lost for other in session.table(ref.table) for x in ref.ids(other)):
            return False
    return True


class History:
    """The current session plus this person's undo and redo steps.

    Undo and redo are about what *this person* did. Edits saved by someone else and merged in
    (:meth:`absorb`) are not steps: undo never takes back another person's note, nor ends the
    silent writing the facilitator started. Undoing a step made before such a merge undoes only
    that step's own change, on top of the session as it is now (:func:`_replay`)."""

    def __init__(self, session: Session, limit: int = 100) -> None:
        self.lock = threading.RLock()  # the UI edits while a save thread merges in others' edits
        self._session = session
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self.limit = limit
        self.version = 0  # goes up on every change, undo and redo (autosave watches it)

    @property
    def session(self) -> Session:
        return self._session

    def snapshot(self) -> tuple[int, Session]:
        """The version and the session, read together."""
        with self.lock:
            return self.version, self._session

    def apply(self, label: str, session: Session) -> Session:
        with self.lock:
            if session is self._session or session == self._session:
                return self._session  # nothing changed: no undo step that would seem to do nothing
            self._undo.append(Step(label, self._session, session))
            del self._undo[: -self.limit]
            self._redo.clear()
            self._session = session
            self.version += 1
            return session

    def absorb(self, session: Session) -> None:
        """Take in what someone else saved (a merge): saved like any change, but not a step of
        this person's undo or redo; their own steps stay, and undo later on top of it."""
        with self.lock:
            if session is not self._session and session != self._session:
                self._session = session
                self.version += 1

    def amend(self, session: Session) -> None:
        """Change the current session without an undo step (where the workshop is, not what it
        found): saved like any change, but undo does not walk through it."""
        with self.lock:
            if session != self._session:
                self._session = session
                self.version += 1

    def reset(self, session: Session) -> None:
        """Replace everything (after a reload from disk): no undo across that."""
        with self.lock:
            self._session = session
            self._undo.clear()
            self._redo.clear()
            self.version += 1

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self) -> str | None:
        """Take back this person's last step; returns what was undone, or None when there is
        nothing. Raises :class:`EditError` (nothing changed) when it cannot be taken back."""
        with self.lock:
            if not self._undo:
                return None
            step = self._undo[-1]
            undone = _replay(step.after, self._session, step.before)
            self._undo.pop()
            self._redo.append(Step(step.label, undone, self._session))  # redo: undone → as it was
            self._session = undone
            self.version += 1
            return step.label

    def redo(self) -> str | None:
        with self.lock:
            if not self._redo:
                return None
            step = self._redo[-1]
            redone = _replay(step.before, self._session, step.after)
            self._redo.pop()
            self._undo.append(Step(step.label, self._session, redone))
            self._session = redone
            self.version += 1
            return step.label
