"""The workshop's words: what each kind of item is called, the agenda's steps, emotions,
severities, and how numbers read. One home for every word the TUI, the command line, the
exports and the report show for the same thing."""

from __future__ import annotations

# The words people use for one item of each table.
SINGULAR = {
    "departments": "department",
    "personas": "persona",
    "stages": "stage",
    "pains": "pain",
    "processes": "process",
    "solutions": "solution",
    "participants": "participant",
    "parking": "parked item",
}
TABLE_OF = {v: k for k, v in SINGULAR.items()}

# The agenda's steps (seed 000's five questions, then prioritising), as the room calls them.
STEP_TITLES = {
    "persona": "Persona",
    "stages": "Stages",
    "pains": "Pain points",
    "processes": "Internal processes & causes",
    "solutions": "Solutions",
    "prioritise": "Prioritise",
}

# A stage's emotion for a persona, from -2 to +2: in words, as a face (readable without colour).
EMOTION_WORDS = {-2: "very negative", -1: "negative", 0: "neutral", 1: "positive", 2: "very positive"}
EMOTION_FACES = {-2: "☹☹", -1: "☹", 0: "·", 1: "☺", 2: "☺☺"}

SEVERITY_WORDS = {1: "minor", 2: "low", 3: "moderate", 4: "high", 5: "severe"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 stage``, ``3 stages``, ``2 processes`` (with ``many``)."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def signed(value: int) -> str:
    """``+2``, ``0``, ``-1`` (an ASCII minus: it is pasted into files and spreadsheets)."""
    return f"+{value}" if value > 0 else str(value)


def emotion_value(value: int | None) -> str:
    """An emotion rating as a signed number, ``—`` where there is none."""
    return "—" if value is None else signed(value)


def emotion_label(value: int) -> str:
    """``–2 very negative`` … ``+2 very positive``: what a form offers."""
    return f"{signed(value)} {EMOTION_WORDS[value]}"


def fmt_number(value: float) -> str:
    """A score or impact for people: at most 3 decimals, no trailing zeros (``9``, ``12.5``)."""
    r = round(float(value), 3)
    if r == 0:
        return "0"
    return str(int(r)) if r.is_integer() else f"{r:.3f}".rstrip("0").rstrip(".")


def initials(names: list[str]) -> list[str]:
    """A short tag per name, unique among them, for a column too narrow for the names: the
    first letter ("S", "P", "F"), or as many letters as it takes to tell names apart
    ("Pr", "Pa"); a name without letters is tagged by its position."""
    tags: list[str] = []
    for i, name in enumerate(names):
        word = "".join(ch for ch in name if ch.isalnum()) or str(i + 1)
        others = ["".join(ch for ch in n if ch.isalnum()).casefold() for j, n in enumerate(names) if j != i]
        size = 1
        while size < len(word) and any(o.startswith(word[:size].casefold()) for o in others):
            size += 1
        tags.append(word[:size].capitalize() if size > 1 else word[:1].upper())
    return tags
