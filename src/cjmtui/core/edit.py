"""Editing a session's items: the one set of functions the TUI, the CLI and scripts all use.

Every function takes a :class:`Session` and returns a new one; nothing is mutated, so the
previous session object *is* the undo step (:class:`cjmtui.core.undo.History`). Unchanged items
are shared between the old and new session, so an edit costs a list copy, not a deep copy.

Every function validates what it changes and checks references, raising :class:`EditError`
(with the offending field where there is one) instead of producing an invalid session.

Beside this module: the links between items (:mod:`cjmtui.core.links`), the session's details
and weights (:mod:`cjmtui.core.details`), undo and redo (:mod:`cjmtui.core.undo`), dots
(:mod:`cjmtui.core.voting`) and the live room (:mod:`cjmtui.core.live`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .errors import EditError
from .model import (
    MAX_HISTORY,
    MAX_ID,
    MAX_ITEMS,
    REFERENCES,
    SILENT_TABLES,
    TABLE_OF_ITEM,
    TABLES,
    ParkingItem,
    Record,
    Session,
    Solution,
    Stage,
    StatusChange,
    find,
    get,
    item_label,
    item_reference_problems,
    reference_problems,
)
from .vocab import SINGULAR, TABLE_OF


def table_name(table: str) -> str:
    """The table called ``table`` (plural or singular), or EditError."""
    table = TABLE_OF.get(table, table)
    if table not in TABLES:
        raise EditError(f"no such kind of item: {table!r}")
    return table


def slugify(text: str, *, words: int = 5, limit: int = 40) -> str:
    """A short readable id from a name or note: ``"I can't find it!"`` → ``"i-cant-find-it"``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    ascii_text = ascii_text.replace("'", "").lower()
    parts = [p for p in re.split(r"[^a-z0-9]+", ascii_text) if p][:words]
    slug = "-".join(parts)[:limit].strip("-")
    return slug


def new_id(session: Session, table: str, label: str) -> str:
    table = table_name(table)
    taken = {item.id for item in getattr(session, table)}
    base = slugify(label) or SINGULAR[table]
    if base not in taken:
        return base
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = base[: MAX_ID - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
        n += 1


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Pydantic errors as ``{field: message}``, the first per field (for forms)."""
    out: dict[str, str] = {}
    for err in exc.errors(include_url=False):
        loc = err["loc"]
        field = str(loc[0]) if loc else "item"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        out.setdefault(field, msg)
    return out


class ItemError(EditError):
    """An item did not validate; ``errors`` maps each bad field to its message."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        field, message = next(iter(errors.items()))
        super().__init__(message, field)


def validate_item(table: str, data: dict[str, Any]) -> Record:
    model = TABLES[table_name(table)]
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ItemError(field_errors(exc)) from None


def checked(session: Session, table: str | None = None, item: Record | None = None) -> Session:
    """Every edit's last step: ``session`` when nothing in it points at a missing item, else
    :class:`EditError`. Given the one ``item`` of ``table`` an edit added or changed (the rest
    being as valid as before), only that item is checked: adding a note to a 20,000-pain
    session is not a full check."""
    problems = (
        item_reference_problems(session, table, item)
        if table is not None and item is not None
        else reference_problems(session)
    )
    if problems:
        # "pains[x].caused_by: unknown process 'y'" → field "caused_by"
        first = problems[0]
        where, _, message = first.partition(": ")
        field = where.rsplit(".", 1)[1] if "." in where else None
        raise EditError(message, field)
    return session


def _replace(session: Session, **tables: list[Record]) -> Session:
    return session.model_copy(update=tables)


def add_item(
    session: Session, table: str, fields: dict[str, Any], *, actor: str | None, index: int | None = None
) -> tuple[Session, Record]:
    """Add an item (a new readable id is made when ``fields`` has none). ``actor``: who adds it
    (a participant's name, recorded in ``created_by``; None: the facilitator). A participant adds
    no participant but themself (their dots are theirs only)."""
    table = table_name(table)
    if (
        actor is not None
        and table == "participants"
        and str(fields.get("name", "")).strip().casefold() != (actor.casefold())
    ):
        raise EditError(f"you joined as {actor}: you add no other participant")
    data = dict(fields)
    if not data.get("id"):
        label = str(data.get("name") or data.get("text") or SINGULAR[table])
        data["id"] = new_id(session, table, label)
    if actor is not None:  # a participant's item says whose it is
        data["created_by"] = actor
    if session.progress.silent and table in SILENT_TABLES:  # hidden from the others until the reveal
        data["silent_round"] = session.progress.silent_round
    else:
        data.pop("silent_round", None)
    item = _with_status_change(session, None, validate_item(table, data), actor)
    items = list(getattr(session, table))
    if any(existing.id == item.id for existing in items):
        raise EditError(f"id {item.id!r} is already used", "id")
    if len(items) >= MAX_ITEMS:  # the loader refuses more, so a save would not load back
        raise EditError(f"a session holds at most {MAX_ITEMS} {table}")
    items.insert(len(items) if index is None else max(0, min(index, len(items))), item)
    return checked(_replace(session, **{table: items}), table, item), item


def check_owner(item: Record, actor: str | None, doing: str) -> None:
    """Participants (``actor`` = their name) change and delete only the items they added; the
    facilitator (``None``) may do anything. Refused with :class:`EditError` saying whose it is."""
    if actor is not None and item.created_by != actor:
        whose = f"{item.created_by}'s" if item.created_by else "the facilitator's"
        raise EditError(f"“{item_label(item)}” is {whose}: participants {doing} only their own notes")


def today() -> dt.date:
    """The date a status change is recorded with (tests replace it)."""
    return dt.date.today()


def _with_status_change(session: Session, old: Record | None, item: Record, actor: str | None) -> Record:
    """A solution whose status changed gets a dated line in its history, saying who changed it
    (the participant ``actor``, else the facilitator's name); so does one added (``old`` None)
    already planned, under way or done, unless it brings its own history."""
    if not isinstance(item, Solution):
        return item
    if old is None:
        if item.status == "idea" or item.history:
            return item
    elif not isinstance(old, Solution) or item.status == old.status:
        return item
    by = actor if actor is not None else session.session.facilitator
    change = StatusChange(status=item.status, on=today(), by=by)
    return item.model_copy(update={"history": [*item.history, change][-MAX_HISTORY:]})


def update_item(
    session: Session, table: str, item_id: str, changes: dict[str, Any], *, actor: str | None
) -> tuple[Session, Record]:
    """Change some fields of one item. Its id stays, with one exception: an item renamed while
    nothing points at it yet, whose id was made from its old words, gets an id made from the new
    ones (a template's "Contact support" renamed "Drying and repairs" is not left as
    ``contact-support`` in the file, the exports and the palette). Once linked, ids never change.

    A solution's status change is recorded in its ``history`` with today's date and who made it."""
    table = table_name(table)
    items = list(getattr(session, table))
    index = next((i for i, x in enumerate(items) if x.id == item_id), None)
    if index is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id!r}")
    old = items[index]
    check_owner(old, actor, "change")
    if "created_by" in changes and changes["created_by"] != old.created_by:
        raise EditError("who added an item cannot be changed", "created_by")
    if "silent_round" in changes and changes["silent_round"] != getattr(old, "silent_round", None):
        raise EditError("a note's silent-writing round is set when it is written", "silent_round")
    if "id" in changes and changes["id"] != item_id:
        raise EditError("an id cannot be changed once other items may point at it", "id")
    data = old.model_dump()
    data.update(changes)
    item = _with_status_change(session, old, validate_item(table, data), actor)
    if (
        item_label(item) != item_label(old)
        and old.id == slugify(item_label(old))
        and not _linked_to(session, table, old.id)
    ):
        others = _replace(session, **{table: [x for x in items if x.id != old.id]})
        item = item.model_copy(update={"id": new_id(others, table, item_label(item))})
    items[index] = item
    return checked(_replace(session, **{table: items}), table, item), item


def _linked_to(session: Session, table: str, item_id: str) -> bool:
    """Whether any item points at ``table[item_id]``."""
    return any(
        item_id in ref.ids(other) for ref in REFERENCES if ref.target == table for other in session.table(ref.table)
    )


def _map_items(items: list[Record], fix: Callable[[Record], dict[str, Any] | None]) -> list[Record]:
    """Apply ``fix`` to each item; an item is copied only when ``fix`` returns changes."""
    out = []
    for item in items:
        changes = fix(item)
        out.append(item.model_copy(update=changes) if changes else item)
    return out


def _without(values: Iterable[str], gone: set[str]) -> list[str]:
    return [v for v in values if v not in gone]


def delete_item(session: Session, table: str, item_id: str, *, actor: str | None) -> Session:
    """Delete an item and every reference to it (undo restores them all, see
    :class:`cjmtui.core.undo.History`). A participant (``actor``) deletes only their own items."""
    table = table_name(table)
    item = find(session, table, item_id)
    if item is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id!r}")
    check_owner(item, actor, "delete")
    return _delete_many(session, {table: {item_id}})


def _unlinked(item: Record, gone: dict[str, set[str]]) -> dict[str, Any] | None:
    """The changes that drop every reference from ``item`` to a deleted item (None: none)."""
    changes: dict[str, Any] = {}
    for ref in REFERENCES:
        lost = gone.get(ref.target)
        if ref.table != TABLE_OF_ITEM[type(item)] or not lost or not any(x in lost for x in ref.ids(item)):
            continue
        value = getattr(item, ref.field)
        if ref.shape == "one":
            changes[ref.field] = None
        elif ref.shape == "keys":
            changes[ref.field] = {k: v for k, v in value.items() if k not in lost}
        else:
            changes[ref.field] = _without(value, lost)
    return changes or None


def restore_item(
    session: Session,
    table: str,
    item: Record,
    index: int | None = None,
    *,
    actor: str | None,
    for_note: bool = False,
) -> tuple[Session, Record]:
    """Bring back an item someone deleted, under its own id (a note captured at a stage that
    was deleted meanwhile keeps its stage). What it pointed at that is gone too is unlinked.
    A participant (``actor``) brings back only their own items, and a stage only so that the
    note they were typing at it keeps its place (``for_note``): the merge's own rule."""
    table = table_name(table)
    if not (for_note and table == "stages"):
        check_owner(item, actor, "bring back")
    items = list(getattr(session, table))
    if any(existing.id == item.id for existing in items):
        raise EditError(f"id {item.id!r} is already used", "id")
    gone: dict[str, set[str]] = {}
    for ref in REFERENCES:
        if ref.table == table:
            missing = {x for x in ref.ids(item) if find(session, ref.target, x) is None}
            if missing:
                gone.setdefault(ref.target, set()).update(missing)
    changes = _unlinked(item, gone)
    if changes:
        item = item.model_copy(update=changes)
    items.insert(len(items) if index is None else max(0, min(index, len(items))), item)
    return checked(_replace(session, **{table: items}), table, item), item


def _delete_many(session: Session, gone: dict[str, set[str]]) -> Session:
    # Deleting a stage deletes its pains and processes too: they cannot float without a stage.
    stages = gone.get("stages", set())
    if stages:
        gone.setdefault("pains", set()).update(p.id for p in session.pains if p.stage in stages)
        gone.setdefault("processes", set()).update(p.id for p in session.processes if p.stage in stages)
    update: dict[str, list[Record]] = {}
    for table in TABLES:
        ids = gone.get(table, set())
        kept = [item for item in session.table(table) if item.id not in ids]
        update[table] = _map_items(kept, lambda item: _unlinked(item, gone))
    return checked(_replace(session, **update))


def move_item(session: Session, table: str, item_id: str, delta: int, *, actor: str | None) -> Session:
    """Move an item ``delta`` places up (negative) or down (positive) in its table. A
    participant (``actor``) moves only their own items (never the facilitator's stages)."""
    table = table_name(table)
    items = list(getattr(session, table))
    index = next((i for i, it in enumerate(items) if it.id == item_id), None)
    if index is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id!r}")
    check_owner(items[index], actor, "move")
    target = max(0, min(len(items) - 1, index + delta))
    if target == index:
        return session
    items.insert(target, items.pop(index))
    return _replace(session, **{table: items})


def set_emotion(session: Session, stage_id: str, persona_id: str, value: int | None, *, actor: str | None) -> Session:
    stage = get(session, Stage, stage_id)
    if stage is None:
        raise EditError(f"no stage with id {stage_id!r}")
    emotion = dict(stage.emotion)
    if value is None:
        emotion.pop(persona_id, None)
    else:
        emotion[persona_id] = value
    return update_item(session, "stages", stage_id, {"emotion": emotion}, actor=actor)[0]


def require_facilitator(actor: str | None, what: str) -> None:
    """The facilitator (``actor`` None) runs the room: the agenda, its timer, the session's
    details and weights. A participant asking gets :class:`EditError` saying so."""
    if actor is not None:
        raise EditError(f"only the facilitator {what} (you joined as {actor})")


@dataclass(frozen=True)
class FieldClash:
    """A field someone else changed while a form was open, which the form changes too."""

    field: str
    theirs: Any  # the item's value now (their save)
    yours: Any  # what the form says


def rebase_edit(
    opened: dict[str, Any], current: dict[str, Any] | None, yours: dict[str, Any]
) -> tuple[dict[str, Any], list[FieldClash]]:
    """A form's edit, made against ``opened`` (the item's fields when the form opened), applied
    to ``current`` (its fields now: someone else may have saved meanwhile; None: deleted).

    Returns the changes to apply and the clashes to ask about. A field the form left as it
    opened is not a change (their value stays); a field only the form changed is applied; a
    field both changed to different values is a :class:`FieldClash` (theirs / yours), not
    silently overwritten. Against a deleted item every field of the form is returned: the
    edit brings it back (the merge's rule: an edit against a deletion keeps the item).
    All values as :meth:`model_dump` gives them."""
    if current is None:
        return dict(yours), []
    changes: dict[str, Any] = {}
    clashes: list[FieldClash] = []
    for name, value in yours.items():
        before = opened.get(name)
        now = current.get(name, before)
        if value in (before, now):
            continue  # not changed here, or already so
        if now == before:
            changes[name] = value
        else:
            clashes.append(FieldClash(name, now, value))
    return changes, clashes


def move_to(session: Session, table: str, item_id: str, other_id: str, *, actor: str | None) -> Session:
    """Move an item to where ``other_id`` stands (used to reorder within a filtered view)."""
    table = table_name(table)
    items = list(getattr(session, table))
    index = next((i for i, it in enumerate(items) if it.id == item_id), None)
    target = next((i for i, it in enumerate(items) if it.id == other_id), None)
    if index is None or target is None:
        raise EditError(f"no {SINGULAR[table]} with id {item_id if index is None else other_id!r}")
    return move_item(session, table, item_id, target - index, actor=actor)


# Parking lot -----------------------------------------------------------------------------------


def convert_parked(
    session: Session, parked_id: str, table: str, stage_id: str | None = None, *, actor: str | None
) -> tuple[Session, Record]:
    """Turn a parked item into a pain, process or solution; the parked item is marked converted.
    The facilitator's only (the parking lot is where participants' proposals wait for them)."""
    require_facilitator(actor, "takes up parked points")
    table = table_name(table)
    parked = get(session, ParkingItem, parked_id)
    if parked is None:
        raise EditError(f"no parked item with id {parked_id!r}")
    if parked.status == "converted":
        raise EditError("this parked item was already converted")
    text = parked.text
    stage = parked.stage or stage_id
    if table == "pains":
        fields = {"stage": stage, "text": text}
    elif table == "processes":
        fields = {"stage": stage, "name": text[:200]}
    elif table == "solutions":
        fields = {"text": text}
    else:
        raise EditError("a parked item becomes a pain, a process or a solution")
    if table != "solutions" and not stage:
        raise EditError("choose a stage first: this parked item has none", "stage")
    session, item = add_item(session, table, fields, actor=None)
    session = update_item(session, "parking", parked_id, {"status": "converted"}, actor=None)[0]
    return session, item
