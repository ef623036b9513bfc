"""Current state and future state: derive one from the other, and compare them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .model import Session
from .scoring import Graph


def derive_future(session: Session, origin: str | Path) -> Session:
    """A copy marked ``state = "future"`` that remembers the file it came from."""
    info = session.session
    title = info.title if "future" in info.title.casefold() else f"{info.title} (future state)"
    new_info = info.model_copy(update={"state": "future", "origin": Path(origin).name, "title": title[:200]})
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


def compare(current: Session, future: Session) -> Comparison:
    """What changed between a current-state session and its future state (matched by ids)."""
    now = {p.id for p in current.pains if p.kind == "pain"}
    later = {p.id for p in future.pains if p.kind == "pain"}
    removed = tuple(p.id for p in current.pains if p.id in now - later)
    added = tuple(p.id for p in future.pains if p.id in later - now)
    personas = {p.id: p.name for p in [*current.personas, *future.personas]}
    changes = []
    future_stages = {s.id: s for s in future.stages}
    for stage in current.stages:
        after_stage = future_stages.get(stage.id)
        after_map = after_stage.emotion if after_stage else {}
        for persona in sorted(set(stage.emotion) | set(after_map), key=lambda p: list(personas).index(p)):
            before, after = stage.emotion.get(persona), after_map.get(persona)
            if before != after:
                changes.append(EmotionChange(stage.id, stage.name, persona, personas.get(persona, persona), before, after))
    graph = Graph(current)
    gone = set(removed)
    meant = []
    for sol in future.solutions:
        if sol.status not in ("done", "doing"):
            continue
        reached = {r.pain for r in graph.reach([t for t in sol.targets if t in graph.feeds])[2]}
        meant.append((sol.id, tuple(p for p in removed if p in reached & gone)))
    return Comparison(removed, added, tuple(changes), tuple(meant))
