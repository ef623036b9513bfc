"""Current state and future state: derive one from the other, and compare them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from .errors import EditError
from .model import MAX_NAME, Session, SessionInfo
from .scoring import Graph

_CURRENT_STATE = re.compile(r"\bcurrent state\b", re.IGNORECASE)


def future_title(title: str) -> str:
    """``"Online ordering — current state"`` → ``"Online ordering — future state"``; any other
    title without "future" gets `` (future state)`` (cut to fit ``MAX_NAME``)."""
    if "future" in title.casefold():
        return title
    if _CURRENT_STATE.search(title):
        new = _CURRENT_STATE.sub("future state", title, count=1)
    else:
        suffix = " (future state)"
        new = title[: MAX_NAME - len(suffix)].rstrip() + suffix
    return new[:MAX_NAME].strip() or title


def derive_future(session: Session, origin: str | Path) -> Session:
    """A copy marked ``state = "future"`` that remembers the file it came from (its name).

    Raises :class:`EditError` when that name cannot be stored (``origin`` holds at most 200
    characters), rather than making a session whose file would not load back.
    """
    info = session.session
    data = info.model_dump()
    data.update(state="future", origin=Path(origin).name, title=future_title(info.title))
    try:
        new_info = SessionInfo.model_validate(data)
    except ValidationError as exc:
        field = str(exc.errors()[0]["loc"][0]) if exc.errors() and exc.errors()[0]["loc"] else None
        raise EditError(f"cannot derive a future state: {exc.errors()[0]['msg']}", field) from None
    return session.model_copy(update={"session": new_info})


@dataclass(frozen=True)
class EmotionChange:
    stage: str
    stage_name: str
    persona: str
    persona_name: str
    before: int | None
    after: int | None


@dataclass(frozen=True)
class Comparison:
    removed: tuple[str, ...]  # pain ids in the current state that the future state no longer has
    added: tuple[str, ...]  # pain ids new in the future state
    emotion: tuple[EmotionChange, ...]  # every stage × persona whose emotion changed
    meant_to_remove: tuple[tuple[str, tuple[str, ...]], ...]  # (solution id, removed pains it reaches)


def changed_pains(current: Session, future: Session) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(removed, added): the pain ids of ``current`` that ``future`` no longer has as pains, and
    the pain ids new in ``future`` (gains are not pains), each in its session's order."""
    now = {p.id for p in current.pains if p.kind == "pain"}
    later = {p.id for p in future.pains if p.kind == "pain"}
    removed = tuple(p.id for p in current.pains if p.id in now - later)
    added = tuple(p.id for p in future.pains if p.id in later - now)
    return removed, added


def compare(current: Session, future: Session) -> Comparison:
    """What changed between a current-state session and its future state (matched by ids)."""
    removed, added = changed_pains(current, future)
    personas = {p.id: p.name for p in [*current.personas, *future.personas]}
    order = {p: i for i, p in enumerate(personas)}
    changes = []
    current_stages = {s.id: s for s in current.stages}
    future_stages = {s.id: s for s in future.stages}
    # Current stages in journey order, then the stages that only the future state has.
    stages = [*current.stages, *(s for s in future.stages if s.id not in current_stages)]
    for stage in stages:
        before_stage, after_stage = current_stages.get(stage.id), future_stages.get(stage.id)
        before_map = before_stage.emotion if before_stage else {}
        after_map = after_stage.emotion if after_stage else {}
        stage_id, name = stage.id, stage.name
        for persona in sorted(set(before_map) | set(after_map), key=lambda p: order.get(p, len(order))):
            before, after = before_map.get(persona), after_map.get(persona)
            if before != after:
                changes.append(EmotionChange(stage_id, name, persona, personas.get(persona, persona), before, after))
    graph = Graph(current)
    gone = set(removed)
    meant = []
    for sol in future.solutions:
        if sol.status not in ("done", "doing"):
            continue
        reached = {r.pain for r in graph.reach([t for t in sol.targets if t in graph.feeds])[2]}
        meant.append((sol.id, tuple(p for p in removed if p in reached & gone)))
    return Comparison(removed, added, tuple(changes), tuple(meant))
