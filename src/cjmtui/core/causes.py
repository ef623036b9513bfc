"""Cause links around one item: what causes it upstream, what it causes downstream.

Used by the map to light up the cascade for the highlighted item, and by exports.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from .model import Session

Ref = tuple[str, str]  # (table, id)


@dataclass
class Related:
    upstream: set[Ref] = field(default_factory=set)
    downstream: set[Ref] = field(default_factory=set)


def _walk(start: set[str], edges: dict[str, list[str]]) -> set[str]:
    seen = set(start)
    queue = deque(start)
    while queue:
        node = queue.popleft()
        for nxt in edges.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def related(session: Session, table: str, item_id: str) -> Related:
    """Items linked to ``(table, item_id)`` through causes, handoffs and solution targets."""
    feeds = {p.id: list(p.feeds) for p in session.processes}
    fed_by: dict[str, list[str]] = {p.id: [] for p in session.processes}
    for p in session.processes:
        for nxt in p.feeds:
            fed_by.setdefault(nxt, []).append(p.id)
    out = Related()

    def pains_caused_by(procs: set[str]) -> set[Ref]:
        return {("pains", p.id) for p in session.pains if any(c in procs for c in p.caused_by)}

    def solutions_for(procs: set[str]) -> set[Ref]:
        return {("solutions", s.id) for s in session.solutions if any(t in procs for t in s.targets)}

    if table == "pains":
        pain = next((p for p in session.pains if p.id == item_id), None)
        if pain is not None:
            causes = _walk(set(pain.caused_by), fed_by)
            out.upstream = {("processes", p) for p in causes} | solutions_for(causes)
    elif table == "processes":
        down = _walk({item_id}, feeds)
        up = _walk({item_id}, fed_by) - {item_id}
        out.downstream = {("processes", p) for p in down - {item_id}} | pains_caused_by(down)
        out.upstream = {("processes", p) for p in up} | solutions_for(up | {item_id})
    elif table == "solutions":
        sol = next((s for s in session.solutions if s.id == item_id), None)
        if sol is not None:
            down = _walk(set(sol.targets), feeds)
            out.downstream = {("processes", p) for p in down} | pains_caused_by(down)
    elif table == "stages":
        procs = {p.id for p in session.processes if p.stage == item_id}
        out.downstream = {("pains", p.id) for p in session.pains if p.stage == item_id}
        out.upstream = {("processes", p) for p in _walk(procs, fed_by) - procs}
    return out
