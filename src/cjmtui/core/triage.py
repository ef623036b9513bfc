"""Triage while capturing: a few keys at the end of a note set what the room says next.

A facilitator hears a pain, types it, and asks "how bad, how often, for whom, what causes it?".
Instead of opening the form, the answers go at the end of the note, one sign each, no spaces
needed::

    The form forgot my address !43@tech#cat      pain: severity 4, frequency 3, persona Tech…,
                                                 caused by the process whose name starts "cat"
    +Quick reply from the agent @tech            a gain (a leading "+"), for Tech…
    Check the PO field on submit #ord!28         solution: changes "ord…", effort 2, confidence 0.8
    Enter web orders in the ERP @ord>pick        process: owner "ord…", hands work to "pick…"
    Find the right part /con@mark~t-1b2          stage: phase consideration, owner "mark…",
                                                 emotion: persona "t…" -1, persona "b…" +2

Signs: ``!`` numbers (pain: severity then frequency; solution: effort then confidence, a digit
``d`` meaning ``d/10`` and ``0`` meaning 1.0), ``@`` a persona (pains) or the owning department
(processes, stages, solutions), ``#`` a process (a pain's cause, a solution's target), ``>`` a
process this one hands work to, ``/`` a stage's phase, ``~`` emotions on a stage (each persona's
prefix then -2…2, or only the numbers, for the personas in their order: ``~-10``). A name is
matched by the start of its id or of any word of its name, case-insensitively, skipping filler
words ("and", "the", "of"…), first in file order; when several match, :attr:`Triage.notes` says
which one was taken and what to type to be precise.
A sign whose two letters are swapped (``#ordr`` for "order") still finds the one item it means.

Only the run of signs at the very end of a note counts, and the signs never become part of the
note's words. A sign that does not resolve is not lost: it is kept on the item as *pending*
(``pending = [">book"]``) and taken as soon as an item it names is added
(:func:`resolve_pending`), so a hand-off may point forwards to a process not captured yet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from .model import PHASES, Record, Session

SIGNS = "!@#>/~"  # every sign character: the patterns that find signs are made from it


@cache
def _patterns(signs: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """For the sign characters ``signs``: the run of signs at the end of a note (each a sign
    followed by letters, digits, "-", "+" or "_"), and one sign in that run."""
    chars = "".join(re.escape(c) for c in signs)
    return re.compile(rf"(?:\s*[{chars}][\w\-+]+)+\s*$"), re.compile(rf"([{chars}])([\w\-+]+)")


_EMOTION = re.compile(r"([^\W\d_]+)([+-]?\d)")
_IN_ORDER = re.compile(r"(?:[+-]?[0-2])+")
_GAIN = re.compile(r"^\+\s*(?=[^\W\d_])")
_WORDS = re.compile(r"[\s\-_/]+")

# Words a short prefix never matches: "#a" means "Assess…", not the "a" of "Record a claim".
FILLER = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "from", "in", "into", "is", "it", "its", "of", "on", "or"}
    | {"the", "to", "with", "via", "per", "than", "then"}
)

HINTS = {
    "pains": "!sev·freq @persona #cause; +gain",
    "processes": "@owner >hands-to",
    "solutions": "#process !effort·confidence @owner",
    "stages": "/phase @owner ~persona-2…2",
}

# (sign, table) → (the table named, the field set, whether the field is a list)
TARGETS: dict[tuple[str, str], tuple[str, str, bool]] = {
    ("@", "pains"): ("personas", "personas", True),
    ("@", "processes"): ("departments", "owner", False),
    ("@", "solutions"): ("departments", "owner", False),
    ("@", "stages"): ("departments", "owners", True),
    ("#", "pains"): ("processes", "caused_by", True),
    ("#", "solutions"): ("processes", "targets", True),
    (">", "processes"): ("processes", "feeds", True),
    ("~", "stages"): ("personas", "emotion", True),
}


class Unresolved(ValueError):
    """A sign naming an item that is not there (yet): kept pending on the item."""


@dataclass(frozen=True)
class Triage:
    text: str  # the note without its signs
    fields: dict[str, Any] = field(default_factory=dict)  # what the signs set
    problems: tuple[str, ...] = ()  # signs that did not take, and why
    pending: tuple[str, ...] = ()  # those signs as typed ("#book"), kept on the item
    notes: tuple[str, ...] = ()  # a sign that matched several items: which it took


def _words(item: Record) -> list[str]:
    name = str(getattr(item, "name", "") or getattr(item, "text", ""))
    return [w for w in _WORDS.split(name) if w and w.casefold() not in FILLER]


def _label(item: Record) -> str:
    return str(getattr(item, "name", "") or getattr(item, "text", "") or item.id)


def _starts(item: Record, want: str) -> bool:
    return bool(want) and any(w.casefold().startswith(want) for w in (item.id, *_words(item)))


def matches(items: Sequence[Record], prefix: str) -> list[Record]:
    """The items whose id, or a word of whose name (filler words skipped), starts with ``prefix``."""
    want = prefix.casefold()
    return [item for item in items if _starts(item, want)]


def _swaps(value: str) -> list[str]:
    return [value[:i] + value[i + 1] + value[i] + value[i + 2 :] for i in range(len(value) - 1)]


def precise(items: Sequence[Record], item: Record) -> str:
    """The shortest prefix that names ``item`` alone among ``items`` (its id if none does)."""
    for word in _words(item):
        for n in range(1, len(word) + 1):
            prefix = word[:n].casefold()
            if [x.id for x in matches(items, prefix)] == [item.id]:
                return prefix
    return item.id


def _find(items: Sequence[Record], sign: str, value: str, notes: list[str]) -> str | None:
    found = matches(items, value)
    if not found and len(value) >= 3:  # two letters swapped: only when that names one item
        typo = {x.id: x for swap in _swaps(value) for x in matches(items, swap)}
        if len(typo) == 1:
            (item,) = typo.values()
            notes.append(f"{sign}{value} read as {sign}{precise(items, item)}: “{_label(item)}”")
            return item.id
        return None
    if not found:
        return None
    if len(found) > 1:
        took = found[0]
        notes.append(
            f"{sign}{value} took “{_label(took)}” ({len(found)} match; "
            f"{sign}{precise(items, took)} names it alone, or type more letters)"
        )
    return found[0].id


def _digits(value: str, what: str) -> list[int]:
    if not value.isdigit() or not 1 <= len(value) <= 2:
        raise ValueError(f"!{value}: {what}")
    return [int(c) for c in value]


def _numbers(table: str, value: str, fields: dict[str, Any]) -> None:
    if table == "pains":
        digits = _digits(value, "severity and frequency are two digits from 1 to 5")
        if any(not 1 <= d <= 5 for d in digits):
            raise ValueError(f"!{value}: severity and frequency go from 1 to 5")
        fields["severity"] = digits[0]
        if len(digits) > 1:
            fields["frequency"] = digits[1]
    elif table == "solutions":
        digits = _digits(value, "effort (1–5) then confidence (1–9 tenths, 0 for sure)")
        if not 1 <= digits[0] <= 5:
            raise ValueError(f"!{value}: effort goes from 1 to 5")
        fields["effort"] = digits[0]
        if len(digits) > 1:
            fields["confidence"] = 1.0 if digits[1] == 0 else digits[1] / 10
    else:
        raise ValueError(f"!{value}: no numbers on a {table[:-1]}")


def _emotions(session: Session, value: str, fields: dict[str, Any], notes: list[str]) -> None:
    if _IN_ORDER.fullmatch(value):  # ~-10: the personas in their order, -1 then 0
        ratings = [int(v) for v in re.findall(r"[+-]?\d", value)]
        if len(ratings) > len(session.personas):
            raise ValueError(f"~{value}: {len(ratings)} emotions for {len(session.personas)} personas")
        emotion = fields.setdefault("emotion", {})
        for persona, rating in zip(session.personas, ratings, strict=False):
            emotion[persona.id] = rating
        return
    pairs = _EMOTION.findall(value)
    if not pairs or "".join(a + b for a, b in pairs) != value:
        raise ValueError(f"~{value}: a persona's first letters then -2…2, e.g. ~t-1 or ~t-1b2")
    emotion = fields.setdefault("emotion", {})
    for prefix, number in pairs:
        rating = int(number)
        if not -2 <= rating <= 2:
            raise ValueError(f"~{prefix}{number}: an emotion goes from -2 to +2")
        found = _find(session.personas, "~", prefix, notes)
        if found is None:
            raise Unresolved(f"~{prefix}{number}: no persona starts so (yet)")
        emotion[found] = rating


def _apply(session: Session, table: str, sign: str, value: str, fields: dict[str, Any], notes: list[str]) -> None:
    if sign == "!":
        _numbers(table, value, fields)
        return
    if sign == "/" and table == "stages":
        phase = next((p for p in PHASES if value and p.startswith(value.casefold())), None)
        if phase is None:
            raise ValueError(f"/{value}: no phase starts so ({', '.join(PHASES)})")
        fields["phase"] = phase
        return
    if (sign, table) not in TARGETS:
        raise ValueError(f"{sign}{value}: not a sign for a {table[:-1]}")
    if sign == "~":
        _emotions(session, value, fields, notes)
        return
    other, name, many = TARGETS[(sign, table)]
    found = _find(session.table(other), sign, value, notes)
    if found is None:
        what = other[:-1] if other != "processes" else "process"
        raise Unresolved(f"{sign}{value}: no {what} starts so (yet)")
    if many:
        fields.setdefault(name, [])
        if found not in fields[name]:
            fields[name].append(found)
    else:
        fields[name] = found


def parse(session: Session, table: str, note: str, *, signs_only: bool = False) -> Triage:
    """Split ``note`` into its text and the fields its trailing signs set (see the module).

    A note that is only signs is taken as typed, unless ``signs_only`` (signs for an item that
    is already there, such as the highlighted stage's emotions): then its text is empty."""
    fields: dict[str, Any] = {}
    if table == "pains" and _GAIN.match(note):
        note = _GAIN.sub("", note, count=1)
        fields["kind"] = "gain"
    tail_pattern, token_pattern = _patterns(SIGNS)
    tail = tail_pattern.search(note) if table in HINTS else None
    if tail is None or not tail.group().strip():
        return Triage(note.strip(), fields)
    text = note[: tail.start()].strip()
    if not text and not signs_only:
        return Triage(note.strip(), fields)  # a note is never only signs: take it as typed
    problems: list[str] = []
    pending: list[str] = []
    notes: list[str] = []
    for sign, value in token_pattern.findall(tail.group()):
        try:
            _apply(session, table, sign, value, fields, notes)
        except ValueError as exc:
            problems.append(str(exc))
            pending.append(f"{sign}{value}")
    if pending and "pending" not in fields:
        fields["pending"] = list(pending)
    return Triage(text, fields, tuple(problems), tuple(pending), tuple(notes))


def merge(item: Record, fields: dict[str, Any]) -> dict[str, Any]:
    """The changes that add ``fields`` (from signs) to an ``item`` already there: lists and
    emotions are extended, single values replaced, pending signs added to those waiting."""
    changes: dict[str, Any] = {}
    for name, value in fields.items():
        old = getattr(item, name, None)
        if isinstance(value, list) and isinstance(old, list):
            changes[name] = [*old, *(v for v in value if v not in old)]
        elif isinstance(value, dict) and isinstance(old, dict):
            changes[name] = {**old, **value}
        else:
            changes[name] = value
    return changes


def resolve_pending(session: Session, table: str) -> tuple[list[tuple[str, str, dict[str, Any]]], list[str]]:
    """After an item of ``table`` was added or renamed: the waiting signs that now resolve.

    Returns ``(updates, said)``: each update is ``(table, item id, changes)`` for
    :func:`cjmtui.core.edit.update_item`, and ``said`` one line per sign taken."""
    named = {sign for (sign, _t), (other, _f, _m) in TARGETS.items() if other == table}
    if not named:
        return [], []
    updates: list[tuple[str, str, dict[str, Any]]] = []
    said: list[str] = []
    for kind in HINTS:
        for item in session.table(kind):
            waiting: list[str] = list(getattr(item, "pending", None) or [])
            if not any(p[:1] in named for p in waiting):
                continue
            fields: dict[str, Any] = {}
            left: list[str] = []
            for sign in waiting:
                try:
                    if sign[:1] not in named:
                        raise ValueError(sign)
                    _apply(session, kind, sign[:1], sign[1:], fields, [])
                except ValueError:
                    left.append(sign)
                    continue
                said.append(f"{sign} on “{_label(item)}” now taken")
            if len(left) < len(waiting):
                changes = merge(item, fields)
                changes["pending"] = left
                updates.append((kind, item.id, changes))
    return updates, said


def add_resolving(
    session: Session, table: str, fields: dict[str, Any], *, actor: str | None, said: list[str] | None = None
) -> tuple[Session, Record]:
    """:func:`cjmtui.core.edit.add_item`, then the pending signs the new item resolves taken
    (one edit, one undo step); ``said`` gets a line per sign taken. A sign is taken on behalf of
    whoever typed it (it waited on their item): what it links was already their choice."""
    from .edit import add_item, update_item

    session, item = add_item(session, table, fields, actor=actor)
    updates, taken = resolve_pending(session, table)
    for kind, item_id, changes in updates:
        session, _changed = update_item(session, kind, item_id, changes, actor=None)
    if said is not None:
        said.extend(taken)
    return session, item
