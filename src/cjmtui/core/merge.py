"""Two people on one session: a three-way merge by item id, so nobody's notes are lost.

``merge(base, ours, theirs)``: ``base`` is the session as this instance last loaded or saved
it, ``ours`` what it holds now, ``theirs`` what is on disk now (someone else saved meanwhile).

- An item added on either side is kept. Two different items added under the same id on both
  sides are both kept: theirs gets a fresh id (with every reference to it).
- An item changed on one side only takes that change, field by field; lists of ids merge
  additions and removals from both sides; vote tables merge per item; a solution's status
  history keeps the entries both sides added (in date order).
- The same field changed on both sides to different values keeps ours (the newer: it is being
  saved now) and reports theirs in :attr:`MergeResult.replaced`, so the caller can say what was
  replaced and keep it recoverable (:attr:`MergeResult.theirs_first` is the merge with their
  values, one undo step behind).
- An item deleted on one side and changed on the other is kept, changed. A reference to an item
  the other side deleted brings that item back (a pain added at a stage someone deleted keeps
  its stage); references that cannot be kept are dropped.

Pure functions, deterministic: the same three sessions always merge to the same session, and
merging with an unchanged side gives the other side.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from .edit import add_item, require_facilitator, restore_item
from .errors import EditError
from .model import MAX_HISTORY, REFERENCES, TABLES, Item, Record, Session, item_label, reference_problems

MISSING: Any = object()  # a field or key absent on one side


@dataclass(frozen=True)
class Replaced:
    """A field both sides changed: ours was kept, theirs replaced (and recoverable by undo)."""

    table: str  # "" for the session's details and weights
    item_id: str
    label: str  # the item's words, for a message
    field: str
    ours: Any
    theirs: Any


@dataclass(frozen=True)
class MergeResult:
    session: Session  # the merge, ours kept where both changed the same field
    theirs_first: Session  # the same merge with their values where both changed a field
    replaced: tuple[Replaced, ...]
    renamed: tuple[tuple[str, str, str], ...]  # (table, their id, its new id): both added that id
    # (table, how many): items this side held that the other side's save removed, so a change
    # on disk that deletes never does so without a word
    removed: tuple[tuple[str, int], ...] = ()
    # (table, item, its position here): those items themselves, to bring back (bring_back)
    removed_items: tuple[tuple[str, Record, int], ...] = ()

    @property
    def clean(self) -> bool:
        return not self.replaced


def _merge_ids(base: list[str], ours: list[str], theirs: list[str]) -> list[str]:
    """A list of ids changed on both sides: ours in its order, their additions after, both removals."""
    removed = (set(base) - set(ours)) | (set(base) - set(theirs))
    out = [x for x in ours if x not in removed]
    out += [x for x in theirs if x not in removed and x not in out]
    return out


def _merge_log(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """A log (a solution's status history, entries as dicts) both sides added to: every entry
    either side added, ours first, then in date order; an entry one side removed stays removed."""
    removed = [x for x in base if x not in ours or x not in theirs]
    out = [x for x in ours if x not in removed]
    out += [x for x in theirs if x not in removed and x not in out]
    out.sort(key=lambda x: str(x.get("on", "")))  # stable: the same day keeps ours, then theirs
    return out[-MAX_HISTORY:]


def _merge_value(base: Any, ours: Any, theirs: Any, conflict: list[str], field: str) -> Any:
    """The three-way merge of one value; appends ``field`` to ``conflict`` when both changed it."""
    if ours == theirs or theirs == base:
        return ours
    if ours == base:
        return theirs
    if isinstance(ours, list) and isinstance(theirs, list) and all(isinstance(x, str) for x in [*ours, *theirs]):
        return _merge_ids(base if isinstance(base, list) else [], ours, theirs)
    if isinstance(ours, list) and isinstance(theirs, list) and all(isinstance(x, dict) for x in [*ours, *theirs]):
        return _merge_log(base if isinstance(base, list) else [], ours, theirs)
    if isinstance(ours, dict) and isinstance(theirs, dict):
        base_d = base if isinstance(base, dict) else {}
        merged = {}
        for key in [*ours, *(k for k in theirs if k not in ours)]:
            value = _merge_value(
                base_d.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING), conflict, f"{field}.{key}"
            )
            if value is not MISSING:
                merged[key] = value
        return merged
    conflict.append(field)
    return ours


def _merge_fields(
    base: BaseModel | None, ours: BaseModel, theirs: BaseModel, theirs_win: bool
) -> tuple[dict[str, Any], list[tuple[str, Any, Any]]]:
    """The merged fields of one item, and (field, ours, theirs) where both changed it."""
    b = base.model_dump() if base is not None else {}
    o, t = ours.model_dump(), theirs.model_dump()
    data: dict[str, Any] = {}
    clashes: list[tuple[str, Any, Any]] = []
    for name in o:
        conflict: list[str] = []
        value = _merge_value(b.get(name, MISSING), o[name], t[name], conflict, name)
        if conflict:
            clashes.append((name, o[name], t[name]))
            if theirs_win:
                value = t[name]
        data[name] = value
    return data, clashes


def _by_id(items: list[Record]) -> dict[str, Record]:
    return {item.id: item for item in items}


def _insert_after_neighbour(out: list[str], source: list[str], keep: set[str]) -> list[str]:
    """``out`` plus each kept id of ``source`` it lacks, after the id it follows in ``source``."""
    out = list(out)
    for i, x in enumerate(source):
        if x in keep and x not in out:
            before = next((y for y in reversed(source[:i]) if y in out), None)
            out.insert(out.index(before) + 1 if before is not None else 0, x)
    return out


def _order(base: list[str], ours: list[str], theirs: list[str], keep: set[str]) -> list[str]:
    """The order of a table: the side that reordered it wins (ours if both did); the other
    side's new items go after the item they follow there."""
    common = set(base) & set(ours) & set(theirs)
    ours_moved = [x for x in ours if x in common] != [x for x in base if x in common]
    theirs_moved = [x for x in theirs if x in common] != [x for x in base if x in common]
    first, second = (theirs, ours) if theirs_moved and not ours_moved else (ours, theirs)
    return _insert_after_neighbour([x for x in first if x in keep], second, keep)


def _table(
    name: str, base: list[Record], ours: list[Record], theirs: list[Record], theirs_win: bool, replaced: list[Replaced]
) -> list[Record]:
    b, o, t = _by_id(base), _by_id(ours), _by_id(theirs)
    kept: dict[str, Record] = {}
    for item_id in [*o, *(x for x in t if x not in o)]:
        mine, their, old = o.get(item_id), t.get(item_id), b.get(item_id)
        if mine is None or their is None:
            only = mine if mine is not None else their
            assert only is not None
            if old is None or only != old:  # added on one side, or deleted against an edit: keep it
                kept[item_id] = only
            continue
        data, clashes = _merge_fields(old, mine, their, theirs_win)
        replaced += [Replaced(name, item_id, item_label(mine), f, ov, tv) for f, ov, tv in clashes]
        kept[item_id] = type(mine).model_validate(data)
    order = _order(list(b), list(o), list(t), set(kept))
    return [kept[x] for x in order]


def rename_id(session: Session, table: str, old: str, new: str) -> Session:
    """``session`` with item ``old`` of ``table`` called ``new``, and every reference to it."""
    updates: dict[str, list[Record]] = {}
    for name in TABLES:
        items = []
        for item in session.table(name):
            changes: dict[str, Any] = {"id": new} if name == table and item.id == old else {}
            for ref in REFERENCES:
                if ref.table == name and ref.target == table and old in ref.ids(item):
                    value = getattr(item, ref.field)
                    if ref.shape == "one":
                        changes[ref.field] = new
                    elif ref.shape == "keys":
                        changes[ref.field] = {new if k == old else k: v for k, v in value.items()}
                    else:
                        changes[ref.field] = [new if v == old else v for v in value]
            items.append(item.model_copy(update=changes) if changes else item)
        updates[name] = items
    return session.model_copy(update=updates)


def _fresh_id(taken: set[str], old: str) -> str:
    n = 2
    while f"{old[:58]}-{n}" in taken:
        n += 1
    return f"{old[:58]}-{n}"


def _same_people(base: Session, ours: Session, theirs: Session) -> Session:
    """A participant both sides added is one person: matched by name (case-folded), theirs takes
    our id, so the two merge as one (their dots with ours, within the budget) instead of two
    people called Ana with a budget each."""
    known = {x.id for x in base.participants}
    by_name = {p.name.casefold(): p.id for p in ours.participants}
    their_ids = {p.id for p in theirs.participants}
    for person in list(theirs.participants):
        mine = by_name.get(person.name.casefold())
        if person.id in known or mine is None or mine == person.id or mine in their_ids:
            continue
        theirs = rename_id(theirs, "participants", person.id, mine)
        their_ids = (their_ids - {person.id}) | {mine}
    return theirs


def _same_name(one: Record, other: Record) -> bool:
    return str(getattr(one, "name", "")).casefold() == str(getattr(other, "name", "")).casefold()


def _separate(base: Session, ours: Session, theirs: Session) -> tuple[Session, list[tuple[str, str, str]]]:
    """Their items added under an id that ours also added (for another item) get a fresh id;
    a participant both added is one person (:func:`_same_people`)."""
    theirs = _same_people(base, ours, theirs)
    renamed = []
    for table in TABLES:
        b, o = _by_id(base.table(table)), _by_id(ours.table(table))
        taken = set(o) | {x.id for x in theirs.table(table)}
        for item in list(theirs.table(table)):
            mine = o.get(item.id)
            if table == "participants" and mine is not None and _same_name(mine, item):
                continue  # the same person, added on both sides: merged field by field
            if item.id not in b and mine is not None and mine != item:
                new = _fresh_id(taken, item.id)
                taken.add(new)
                theirs = rename_id(theirs, table, item.id, new)
                renamed.append((table, item.id, new))
    return theirs, renamed


def _dangling(session: Session) -> Iterator[tuple[str, str, str, str]]:
    """(table, item id, field, missing id) for every reference to an item that is not there."""
    ids = {name: {x.id for x in session.table(name)} for name in TABLES}
    for ref in REFERENCES:
        for item in session.table(ref.table):
            for value in ref.ids(item):
                if value not in ids[ref.target]:
                    yield ref.table, item.id, ref.field, value


def _repair(session: Session, sources: tuple[Session, ...]) -> Session:
    """Bring back items the merge dropped but something still references; drop what cannot be."""
    for _ in range(len(TABLES) + 1):
        missing = list(_dangling(session))
        if not missing:
            return session
        updates: dict[str, list[Record]] = {}
        for table, _item, field, target_id in missing:
            target = next(r.target for r in REFERENCES if r.table == table and r.field == field)
            source = next((s for s in sources if any(x.id == target_id for x in s.table(target))), None)
            if source is None:
                continue
            items = updates.setdefault(target, list(session.table(target)))
            if all(x.id != target_id for x in items):
                by_id = {x.id: x for x in [*items, *source.table(target)]}
                order = _insert_after_neighbour(
                    [x.id for x in items], [x.id for x in source.table(target)], {*(x.id for x in items), target_id}
                )
                items[:] = [by_id[x] for x in order]
        if not updates:
            break
        session = session.model_copy(update=updates)
    return _drop_dangling(session)


def _drop_dangling(session: Session) -> Session:
    gone = {(t, i, f, v) for t, i, f, v in _dangling(session)}
    updates: dict[str, list[Record]] = {}
    for ref in REFERENCES:
        items = updates.get(ref.table, list(session.table(ref.table)))
        out = []
        for item in items:
            bad = {v for (t, i, f, v) in gone if t == ref.table and i == item.id and f == ref.field}
            if not bad:
                out.append(item)
                continue
            value = getattr(item, ref.field)
            if ref.shape == "one":
                new: Any = None
            elif ref.shape == "keys":
                new = {k: v for k, v in value.items() if k not in bad}
            else:
                new = [v for v in value if v not in bad]
            out.append(item.model_copy(update={ref.field: new}))
        updates[ref.table] = out
    return session.model_copy(update=updates)


def _one(base: Session, ours: Session, theirs: Session, theirs_win: bool) -> tuple[Session, list[Replaced]]:
    replaced: list[Replaced] = []
    updates: dict[str, Any] = {}
    for table in TABLES:
        updates[table] = _table(table, base.table(table), ours.table(table), theirs.table(table), theirs_win, replaced)
    for part in ("session", "scoring", "progress"):
        mine, their, old = getattr(ours, part), getattr(theirs, part), getattr(base, part)
        data, clashes = _merge_fields(old, mine, their, theirs_win)
        replaced += [Replaced("", part, "session details", f, ov, tv) for f, ov, tv in clashes]
        updates[part] = type(mine).model_validate(data)
    updates["agenda"] = _agenda(base, ours, theirs, theirs_win, replaced)
    merged = _repair(ours.model_copy(update=updates), (ours, theirs, base))
    return _within_budget(merged, ours, replaced), replaced


def _within_budget(session: Session, ours: Session, replaced: list[Replaced]) -> Session:
    """Dots merged from both sides can exceed a participant's budget: the saver's dots first,
    then theirs while the budget lasts; what did not fit is reported (``replaced``)."""
    budget = session.session.vote_budget
    mine = _by_id(list(ours.participants))
    people = []
    for person in session.participants:
        changes = {}
        for field in ("solution_votes", "pain_votes"):
            votes: dict[str, int] = getattr(person, field)
            if sum(votes.values()) > budget:
                own = mine.get(person.id)
                kept = {k: v for k, v in getattr(own, field, {}).items() if k in votes} if own else {}
                if sum(kept.values()) > budget:
                    kept = {}
                left = budget - sum(kept.values())
                for key, dots in votes.items():
                    extra = min(dots - kept.get(key, 0), left)
                    if extra > 0:
                        kept[key] = kept.get(key, 0) + extra
                        left -= extra
                changes[field] = kept
                replaced.append(Replaced("participants", person.id, person.name, field, kept, votes))
        people.append(person.model_copy(update=changes) if changes else person)
    return session.model_copy(update={"participants": people})


def _agenda(base: Session, ours: Session, theirs: Session, theirs_win: bool, replaced: list[Replaced]) -> list[Item]:
    if ours.agenda == theirs.agenda or theirs.agenda == base.agenda:
        return list(ours.agenda)
    if ours.agenda == base.agenda:
        return list(theirs.agenda)
    replaced.append(Replaced("", "agenda", "the agenda", "agenda", ours.agenda, theirs.agenda))
    return list(theirs.agenda if theirs_win else ours.agenda)


def merge(base: Session, ours: Session, theirs: Session) -> MergeResult:
    """Merge what this instance holds (``ours``) with what is on disk (``theirs``), both grown
    from ``base``. Raises :class:`EditError` only if no valid session can be made (never seen)."""
    if ours is base:  # nothing changed here since: the merge is theirs as it is (a room's pulls)
        return _theirs(ours, theirs)
    theirs, renamed = _separate(base, ours, theirs)
    try:
        merged, replaced = _one(base, ours, theirs, theirs_win=False)
        theirs_first = _one(base, ours, theirs, theirs_win=True)[0] if replaced else merged
    except ValidationError as exc:  # a merged value out of bounds (a vote over the budget…)
        raise EditError(f"cannot merge the changes on disk: {exc.errors()[0]['msg']}") from None
    for candidate in (merged, theirs_first):
        problems = reference_problems(candidate)
        if problems:
            raise EditError("cannot merge the changes on disk: " + "; ".join(problems[:3]))
    items = _removed(ours, merged)
    counts = tuple((table, n) for table in TABLES if (n := sum(1 for t, _i, _p in items if t == table)))
    return MergeResult(merged, theirs_first, tuple(replaced), tuple(renamed), counts, items)


def _theirs(ours: Session, theirs: Session) -> MergeResult:
    items = _removed(ours, theirs)
    counts = tuple((table, n) for table in TABLES if (n := sum(1 for t, _i, _p in items if t == table)))
    return MergeResult(theirs, theirs, (), (), counts, items)


def _removed(ours: Session, merged: Session) -> tuple[tuple[str, Record, int], ...]:
    """The items ``ours`` held that ``merged`` no longer does, with their places in ``ours``."""
    out = []
    for table in TABLES:
        kept = {item.id for item in getattr(merged, table)}
        out += [(table, item, i) for i, item in enumerate(getattr(ours, table)) if item.id not in kept]
    return tuple(out)


def bring_back(session: Session, removed: tuple[tuple[str, Record, int], ...], *, actor: str | None) -> Session:
    """``session`` with the items another save removed put back where they were (stages before
    the pains and processes at them, as :data:`TABLES` orders them); an item that is there again
    already is left as it is. What they pointed at that is gone for good is unlinked. Only the
    facilitator (``actor`` None) does this: the items are anyone's."""
    require_facilitator(actor, "brings back what another save removed")

    for table, item, index in removed:
        if all(existing.id != item.id for existing in session.table(table)):
            session = restore_item(session, table, item, index, actor=None)[0]
    return session


def _shown(value: Any, limit: int = 300) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def merge_for_git(base: Session, ours: Session, theirs: Session) -> tuple[Session, list[str]]:
    """The three-way merge of git's merge driver (``cjmtui merge-driver``): ``ours`` is the
    branch being merged into, ``theirs`` the other, ``base`` their common ancestor (an empty
    session when there is none: a file added on both sides). Returns the merged session and one
    line per true conflict (the same field changed on both sides): ours is kept, and theirs is
    written into the session's parking lot, so nothing is lost and the file stays valid.
    Raises :class:`EditError` only when no valid session can be made."""
    result = merge(base, ours, theirs)
    session = result.session
    lines = [
        f"both sides added {table} id {old!r}: the other side's is now {new!r}" for table, old, new in result.renamed
    ]
    for r in result.replaced:
        where = f"{r.table}[{r.item_id}].{r.field}" if r.table else r.field
        text = (
            f"Merge conflict in {where} ({_shown(r.label, 120)}): kept {_shown(r.ours)}; "
            f"the other side had {_shown(r.theirs)}"
        )
        session = add_item(session, "parking", {"text": text}, actor=None)[0]
        lines.append(text + " (kept in the parking lot)")
    return session, lines
