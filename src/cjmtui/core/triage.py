"""Triage while capturing: a few keys at the end of a note set what the room says next.

A facilitator hears a pain, types it, and asks "how bad, how often, for whom, what causes it?".
Instead of opening the form, the answers go at the end of the note, one sign each, no spaces
needed::

    The form forgot my address !43@tech#cat      pain: severity 4, frequency 3, persona Tech…,
                                                 caused by the process whose name starts "cat"
    Check the PO field on submit #ord!28         solution: changes "ord…", effort 2, confidence 0.8
    Enter web orders in the ERP @ord>pick        process: owner "ord…", hands work to "pick…"
    Find the right part /con@mark                stage: phase consideration, owner "mark…"

Signs: ``!`` numbers (pain: severity then frequency; solution: effort then confidence, a digit
``d`` meaning ``d/10`` and ``0`` meaning 1.0), ``@`` a persona (pains) or the owning department
(processes, stages, solutions), ``#`` a process (a pain's cause, a solution's target), ``>`` a
process this one hands work to, ``/`` a stage's phase. A name is matched by the start of its id
or of any word of its name, case-insensitively, first in file order. Only the run of signs at the
very end of a note counts, and only when every sign resolves: otherwise the note is kept exactly
as typed and :attr:`Triage.problems` says what did not resolve.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import PHASES, Record, Session

SIGNS = "!@#>/"
# The run of signs at the end: each a sign followed by letters, digits, "-" or "_".
_TAIL = re.compile(r"(?:\s*[!@#>/][\w\-]+)+\s*$")
_TOKEN = re.compile(r"([!@#>/])([\w\-]+)")

HINTS = {
    "pains": "!sev·freq @persona #cause",
    "processes": "@owner >hands-to",
    "solutions": "#process !effort·confidence @owner",
    "stages": "/phase @owner",
}


@dataclass(frozen=True)
class Triage:
    text: str  # the note without its signs
    fields: dict[str, Any] = field(default_factory=dict)  # what the signs set
    problems: tuple[str, ...] = ()  # signs that did not resolve (then nothing was taken)


def _match(items: list[Record], prefix: str) -> str | None:
    """The first item whose id, or a word of whose name or text, starts with ``prefix``."""
    want = prefix.casefold()
    for item in items:
        words = [item.id, *re.split(r"[\s\-_/]+", str(getattr(item, "name", "") or getattr(item, "text", "")))]
        if want and any(w.casefold().startswith(want) for w in words if w):
            return item.id
    return None


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


def _apply(session: Session, table: str, sign: str, value: str, fields: dict[str, Any]) -> None:
    if sign == "!":
        _numbers(table, value, fields)
        return
    if sign == "/" and table == "stages":
        phase = next((p for p in PHASES if value and p.startswith(value.casefold())), None)
        if phase is None:
            raise ValueError(f"/{value}: no phase starts so ({', '.join(PHASES)})")
        fields["phase"] = phase
        return
    targets = {
        ("@", "pains"): ("personas", "personas", True),
        ("@", "processes"): ("departments", "owner", False),
        ("@", "solutions"): ("departments", "owner", False),
        ("@", "stages"): ("departments", "owners", True),
        ("#", "pains"): ("processes", "caused_by", True),
        ("#", "solutions"): ("processes", "targets", True),
        (">", "processes"): ("processes", "feeds", True),
    }
    if (sign, table) not in targets:
        raise ValueError(f"{sign}{value}: not a sign for a {table[:-1]}")
    other, name, many = targets[(sign, table)]
    found = _match(session.table(other), value)
    if found is None:
        raise ValueError(f"{sign}{value}: no {other[:-1] if other != 'processes' else 'process'} starts so")
    if many:
        fields.setdefault(name, [])
        if found not in fields[name]:
            fields[name].append(found)
    else:
        fields[name] = found


def parse(session: Session, table: str, note: str) -> Triage:
    """Split ``note`` into its text and the fields its trailing signs set (see the module)."""
    tail = _TAIL.search(note) if table in HINTS else None
    if tail is None or not tail.group().strip():
        return Triage(note.strip())
    text = note[: tail.start()].strip()
    if not text:
        return Triage(note.strip())  # a note is never only signs: take it as typed
    fields: dict[str, Any] = {}
    problems = []
    for sign, value in _TOKEN.findall(tail.group()):
        try:
            _apply(session, table, sign, value, fields)
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        return Triage(note.strip(), {}, tuple(problems))
    return Triage(text, fields)
