"""Root causes across workshops: the processes of several sessions matched and ranked together.

Several workshops (different journeys, teams or dates) each rank their internal processes as
root causes (:func:`cjmtui.core.scoring.rank`). A process that hurts customers in one journey
often hurts them in the next: the rollup finds those by matching the processes across the
files and adding up their ranking.

Matching (every process of every file is in exactly one *root cause*):

- **same id**: processes with the same id in different files;
- **same department and name**: the owner department's *name* (ids differ between files) and
  the process name, both compared case-insensitively with runs of spaces made one;
- **mapping file** (:func:`load_mapping`): ``[[same]]`` joins processes the rules above missed,
  ``[[different]]`` keeps apart processes they joined by mistake.

Matches chain: a process that matches two others joins all three. Within a root cause, each
workshop counts its matched processes together with the session's own process ranking
(:func:`cjmtui.core.scoring.process_reach`: one process's figures are exactly those of
``cjmtui rank``; two processes of one file count each pain once). A root cause's score and
impact are the sums over the workshops it appears in. No second scoring model.

The result does not depend on the order the files are given in: workshops are numbered by
file name. This module computes; :mod:`cjmtui.core.export.rollup` renders the result (the
command line's tables, and Markdown, CSV, JSON or HTML).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import scoring, sidefiles, store, tomlio
from .errors import CjmError
from .model import Session

SAME_ID = "same id"
SAME_NAME = "same department and name"
MAPPING = "mapping file"
KEPT_APART = "kept apart by the mapping file"
REASONS = (SAME_ID, SAME_NAME, MAPPING, KEPT_APART)  # the order reasons are listed in
MAX_MAPPING_BYTES = 1024 * 1024


class RollupError(CjmError):
    """The workshops or the mapping file cannot be rolled up; says what and where."""


# ---------------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True)
class Workshop:
    number: int  # 1, 2, … in file-name order
    file: str  # as given
    title: str
    date: str | None  # ISO date
    processes: int
    pains: int

    @property
    def name(self) -> str:
        """The file's name without its folder: how the rollup names the workshop."""
        return Path(self.file).name or self.file


@dataclass(frozen=True)
class Member:
    """One process of one workshop, and why it is in its root cause."""

    workshop: int  # Workshop.number
    process: str  # its id in that file
    name: str
    department: str  # the owner department's name ("" when it has no owner)
    reasons: tuple[str, ...]  # what matched it (REASONS); empty when nothing did


@dataclass(frozen=True)
class Appearance:
    """A root cause in one workshop: that session's process ranking of its processes there."""

    workshop: int
    processes: tuple[str, ...]  # ids
    score: float
    impact: float
    stages_reached: int
    pains_reached: int
    share: float = 0.0  # of its workshop's total score (the sum over that workshop's root causes), 0-1


@dataclass(frozen=True)
class RootCause:
    rank: int
    name: str  # of its first process (first workshop, then file order)
    department: str
    score: float  # the sums over its appearances
    impact: float
    pains_reached: int
    appearances: tuple[Appearance, ...]  # in workshop order
    members: tuple[Member, ...]
    share: float = 0.0  # its shares of each workshop's total, averaged over all the workshops (0-1)
    share_rank: int = 0  # its rank by share: every workshop weighs the same, whatever its size

    @property
    def workshops(self) -> int:
        return len(self.appearances)


@dataclass(frozen=True)
class Rollup:
    workshops: tuple[Workshop, ...]
    root_causes: tuple[RootCause, ...]
    mapping: str | None = None  # the mapping file, as given

    def workshop(self, number: int) -> Workshop:
        return self.workshops[number - 1]


@dataclass(frozen=True)
class Mapping:
    """A mapping file, resolved: each entry lists (workshop index, process id) pairs."""

    source: str
    same: tuple[tuple[tuple[int, str], ...], ...] = ()
    different: tuple[tuple[tuple[int, str], ...], ...] = ()


# ---------------------------------------------------------------------------------------------
# Matching and ranking


def normalised(text: str) -> str:
    """``text`` casefolded with runs of whitespace made one space (how names are compared)."""
    return " ".join(text.casefold().split())


def _order(names: Sequence[str]) -> list[int]:
    """The indexes of ``names`` in workshop order: by file name, then as given."""
    return sorted(range(len(names)), key=lambda i: (normalised(Path(names[i]).name), Path(names[i]).name, names[i]))


class _Groups:
    """Union-find over the members, remembering why each member was matched."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.reasons: list[set[str]] = [set() for _ in range(n)]

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def rollup(workshops: Sequence[tuple[str, Session]], mapping: Mapping | None = None) -> Rollup:
    """Match the processes of ``workshops`` (``(file name, session)`` pairs, in workshop order:
    see :func:`rollup_sessions`) and rank them as root causes across all of them.

    ``mapping`` (from :func:`parse_mapping` with the same workshops) joins and splits matches.
    Raises :class:`RollupError` when the mapping contradicts itself (two processes it keeps
    apart are still joined through others).
    """
    procs = _Processes(workshops)
    groups = _match(procs, mapping)
    members: dict[int, list[int]] = {}
    for i in range(len(procs.keys)):
        members.setdefault(groups.find(i), []).append(i)
    if mapping is not None:
        _check_apart(mapping, workshops, procs.keys, groups, members)

    graphs = [scoring.Graph(session) for _file, session in workshops]
    # each group's members are in member order already: its first is the cause's first process
    rows = [(_root_cause(group, procs, groups, graphs), group[0]) for group in members.values()]
    rows = _with_shares(rows, len(workshops))
    # Ties: more impact, then more workshops, then workshop and file order of the first process.
    rows.sort(key=lambda r: (-r[0].score, -r[0].impact, -r[0].workshops, r[1]))
    infos = tuple(_workshop(n, file, session) for n, (file, session) in enumerate(workshops, 1))
    return Rollup(
        infos,
        tuple(replace(cause, rank=rank) for rank, (cause, _first) in enumerate(rows, 1)),
        mapping.source if mapping else None,
    )


class _Processes:
    """Every process of every workshop (a *member*), numbered in workshop order then file order:
    its ``(workshop index, id)``, its name and its owner department's name."""

    def __init__(self, workshops: Sequence[tuple[str, Session]]) -> None:
        self.keys: list[tuple[int, str]] = []
        self.names: list[str] = []
        self.departments: list[str] = []
        for w, (_file, session) in enumerate(workshops):
            dept_names = {d.id: d.name for d in session.departments}
            for proc in session.processes:
                self.keys.append((w, proc.id))
                self.names.append(proc.name)
                self.departments.append(dept_names.get(proc.owner or "", proc.owner or ""))


def _match(procs: _Processes, mapping: Mapping | None) -> _Groups:
    """The members joined by the same id, by the same department and name, and by the mapping
    file's ``[[same]]``, never across a ``[[different]]``; each remembers why."""
    keys = procs.keys
    index = {key: i for i, key in enumerate(keys)}
    groups = _Groups(len(keys))

    apart: dict[int, set[int]] = {}  # member -> the members a [[different]] keeps it apart from
    for entry in mapping.different if mapping else ():
        listed = [index[k] for k in entry]
        for i in listed:
            apart.setdefault(i, set()).update(j for j in listed if j != i)
            groups.reasons[i].add(KEPT_APART)

    by_id: dict[str, list[int]] = {}
    by_name: dict[tuple[str, str], list[int]] = {}
    for i, (_w, proc_id) in enumerate(keys):
        by_id.setdefault(proc_id, []).append(i)
        by_name.setdefault((normalised(procs.departments[i]), normalised(procs.names[i])), []).append(i)
    for reason, buckets in ((SAME_ID, by_id.values()), (SAME_NAME, by_name.values())):
        for bucket in buckets:
            if len(bucket) < 2 or len({keys[i][0] for i in bucket}) < 2:
                continue  # matches are between workshops
            if not any(i in apart for i in bucket):
                for i in bucket:
                    groups.union(bucket[0], i)
                    groups.reasons[i].add(reason)
                continue
            for a, i in enumerate(bucket):  # a [[different]] is involved: pair by pair
                for j in bucket[a + 1 :]:
                    if keys[i][0] != keys[j][0] and j not in apart.get(i, ()):
                        groups.union(i, j)
                        groups.reasons[i].add(reason)
                        groups.reasons[j].add(reason)

    for entry in mapping.same if mapping else ():
        listed = [index[k] for k in entry]
        for i in listed:
            groups.union(listed[0], i)
            groups.reasons[i].add(MAPPING)
    return groups


def _root_cause(group: list[int], procs: _Processes, groups: _Groups, graphs: list[scoring.Graph]) -> RootCause:
    """The root cause of ``group`` (members, in member order), unranked: each workshop's process
    ranking of its processes in it (:func:`cjmtui.core.scoring.process_reach`), summed."""
    keys = procs.keys
    appearances = []
    by_workshop: dict[int, list[str]] = {}
    for i in group:
        by_workshop.setdefault(keys[i][0], []).append(keys[i][1])
    for w, proc_ids in by_workshop.items():
        score, impact, stages, count = scoring.process_reach(graphs[w], proc_ids)
        appearances.append(Appearance(w + 1, tuple(proc_ids), score, impact, stages, count))
    first = group[0]
    return RootCause(
        rank=0,
        name=procs.names[first],
        department=procs.departments[first],
        score=sum(a.score for a in appearances),
        impact=sum(a.impact for a in appearances),
        pains_reached=sum(a.pains_reached for a in appearances),
        appearances=tuple(appearances),
        members=tuple(
            Member(
                keys[i][0] + 1,
                keys[i][1],
                procs.names[i],
                procs.departments[i],
                tuple(r for r in REASONS if r in groups.reasons[i]),
            )
            for i in group
        ),
    )


def _with_shares(rows: list[tuple[RootCause, int]], count: int) -> list[tuple[RootCause, int]]:
    """The root causes with their share of each workshop's total score, and their rank by the
    mean share (a workshop where a cause does not appear counts 0 for it)."""
    totals: dict[int, float] = {}
    for cause, _first in rows:
        for a in cause.appearances:
            totals[a.workshop] = totals.get(a.workshop, 0.0) + a.score
    shared = []
    for cause, first in rows:
        appearances = tuple(
            replace(a, share=a.score / totals[a.workshop] if totals.get(a.workshop) else 0.0) for a in cause.appearances
        )
        share = sum(a.share for a in appearances) / count if count else 0.0
        shared.append((replace(cause, appearances=appearances, share=share), first))
    by_share = sorted(shared, key=lambda r: (-r[0].share, -r[0].score, r[1]))
    ranks = {id(cause): rank for rank, (cause, _first) in enumerate(by_share, 1)}
    return [(replace(cause, share_rank=ranks[id(cause)]), first) for cause, first in shared]


def _workshop(number: int, file: str, session: Session) -> Workshop:
    info = session.session
    return Workshop(
        number,
        file,
        info.title,
        info.date.isoformat() if info.date is not None else None,
        len(session.processes),
        sum(p.kind == "pain" for p in session.pains),
    )


def _ref(workshops: Sequence[tuple[str, Session]], key: tuple[int, str]) -> str:
    return f"{Path(workshops[key[0]][0]).name}:{key[1]}"


def _check_apart(
    mapping: Mapping,
    workshops: Sequence[tuple[str, Session]],
    keys: list[tuple[int, str]],
    groups: _Groups,
    members: dict[int, list[int]],
) -> None:
    index = {key: i for i, key in enumerate(keys)}
    for n, entry in enumerate(mapping.different, 1):
        for a, ka in enumerate(entry):
            for kb in entry[a + 1 :]:
                root = groups.find(index[ka])
                if root != groups.find(index[kb]):
                    continue
                joined = [k for k, same in enumerate(mapping.same, 1) if ka in same and kb in same]
                others = [keys[i] for i in members[root] if keys[i] not in (ka, kb)]
                through = ", ".join(_ref(workshops, k) for k in others[:4]) + (" …" if len(others) > 4 else "")
                if joined:
                    how = f"[[same]] {joined[0]} lists them both"
                else:
                    how = f"through {through}; list those in this [[different]] too, or take them out of [[same]]"
                raise RollupError(
                    f"{mapping.source}: [[different]] {n}: {_ref(workshops, ka)} and {_ref(workshops, kb)} "
                    f"are still one root cause, {how}"
                )


# ---------------------------------------------------------------------------------------------
# Files


def load_workshops(files: Sequence[str]) -> list[tuple[str, Session]]:
    """Load ``files`` (each a session file) in workshop order: ``(file as given, session)``.

    Raises :class:`~cjmtui.core.errors.SessionFileError` for a file that cannot be read or is not
    a valid session (naming the file, table, item and field), :class:`RollupError` for a file
    given twice.
    """
    if not files:
        raise RollupError("no session files given")
    ordered = [files[i] for i in _order(files)]
    seen: dict[str, str] = {}
    for file in ordered:
        real = os.path.realpath(file)
        if real in seen:
            raise RollupError(f"{file}: given twice (also as {seen[real]}); give each workshop once")
        seen[real] = file
    return [(file, store.load_session(Path(file)).session) for file in ordered]


def _workshop_index(ref_file: str, workshops: Sequence[tuple[str, Session]]) -> int | str:
    """The workshop a mapping entry's file part names (its path as given, or its file name),
    or what is wrong with it."""
    wanted = Path(ref_file)
    exact = [i for i, (file, _s) in enumerate(workshops) if Path(file) == wanted]
    if len(exact) == 1:
        return exact[0]
    by_name = [i for i, (file, _s) in enumerate(workshops) if Path(file).name == ref_file]
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        return f"{ref_file!r} is the name of several workshops; write the file as given on the command line"
    given = ", ".join(Path(file).name for file, _s in workshops[:10]) + (" …" if len(workshops) > 10 else "")
    return f"{ref_file!r} is not one of the workshops ({given})"


def parse_mapping(text: str, source: str, workshops: Sequence[tuple[str, Session]]) -> Mapping:
    """A mapping file's text, checked against ``workshops`` (as :func:`load_workshops` gives them).

    The file has two kinds of table, each any number of times::

        [[same]]        # these processes are one root cause
        processes = ["online-ordering.toml:trade-pricing", "billing.toml:price-setup"]

        [[different]]   # these processes are never in the same root cause
        processes = ["a.toml:intake", "b.toml:intake"]

    Each process is ``FILE:ID``: the session file's name (or its path as given) and the
    process id in it. Raises :class:`RollupError` naming the file, the table and the entry.
    """
    try:
        return _parse_mapping(text, source, workshops)
    except RecursionError:
        raise RollupError(f"{source}: not valid TOML: nested too deeply") from None
    except ValueError as exc:  # an integer of thousands of digits, shown or converted: one clear error
        if isinstance(exc, tomlio.TOMLDecodeError):
            raise RollupError(f"{source}: not valid TOML: {exc}") from None
        raise RollupError(f"{source}: not a mapping file: a value is too large to read ({exc})") from None


def _parse_mapping(text: str, source: str, workshops: Sequence[tuple[str, Session]]) -> Mapping:
    data = tomlio.loads(text)
    unknown = [k for k in data if k not in ("same", "different")]
    if unknown:
        raise RollupError(
            f"{source}: unknown table {unknown[0]!r}: a mapping file has only [[same]] and [[different]] tables"
        )
    proc_ids = [{p.id for p in session.processes} for _file, session in workshops]
    entries: dict[str, list[tuple[tuple[int, str], ...]]] = {"same": [], "different": []}
    for table in ("same", "different"):
        value = data.get(table, [])
        if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
            raise RollupError(f"{source}: {table}: write each entry as a [[{table}]] table")
        for n, entry in enumerate(value, 1):
            where = f"{source}: [[{table}]] {n}"
            extra = [k for k in entry if k != "processes"]
            if extra:
                raise RollupError(f"{where}: unknown key {extra[0]!r}; an entry has only processes = [...]")
            procs = entry.get("processes")
            if not isinstance(procs, list) or not all(isinstance(p, str) for p in procs):
                raise RollupError(f'{where}: processes must be a list of "FILE:PROCESS-ID" strings')
            if len(procs) < 2:
                raise RollupError(f"{where}: processes lists {len(procs)}; name at least two")
            resolved: list[tuple[int, str]] = []
            for ref in procs:
                file, sep, proc_id = ref.rpartition(":")
                if not sep or not file or not proc_id:
                    raise RollupError(f'{where}: {ref!r} is not "FILE:PROCESS-ID" (the file name, a colon, the id)')
                w = _workshop_index(file, workshops)
                if isinstance(w, str):
                    raise RollupError(f"{where}: {w}")
                if proc_id not in proc_ids[w]:
                    raise RollupError(f"{where}: {workshops[w][0]} has no process {proc_id!r}")
                if (w, proc_id) in resolved:
                    raise RollupError(f"{where}: {ref!r} is listed twice")
                resolved.append((w, proc_id))
            entries[table].append(tuple(resolved))
    return Mapping(source, tuple(entries["same"]), tuple(entries["different"]))


def load_mapping(path: str, workshops: Sequence[tuple[str, Session]]) -> Mapping:
    """Read and check the mapping file ``path`` (:func:`parse_mapping`)."""
    try:  # a regular file only (through a link to one), never waited on, never over the limit
        data = sidefiles.read_regular(path, MAX_MAPPING_BYTES, follow=True)
    except sidefiles.TooLarge:
        raise RollupError(f"{path}: too large for a mapping file (over 1 MiB)") from None
    except sidefiles.NotRegularFile as exc:
        raise RollupError(f"{path}: is {exc.strerror}; not a mapping file") from None
    except FileNotFoundError:
        raise RollupError(f"{path}: no such file (the mapping file)") from None
    except IsADirectoryError:
        raise RollupError(f"{path}: is a folder, not a mapping file") from None
    except OSError as exc:
        raise RollupError(f"{path}: cannot read the mapping file ({exc.strerror or exc})") from None
    if len(data) > MAX_MAPPING_BYTES:
        raise RollupError(f"{path}: too large for a mapping file (over 1 MiB)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RollupError(f"{path}: not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from None
    return parse_mapping(text, path, workshops)


def rollup_files(files: Sequence[str], mapping: str | None = None) -> Rollup:
    """Load the session ``files`` (and the ``mapping`` file) and roll them up (:func:`rollup`)."""
    workshops = load_workshops(files)
    return rollup(workshops, load_mapping(mapping, workshops) if mapping is not None else None)


def rollup_sessions(workshops: Iterable[tuple[str, Session]], mapping_text: str | None = None) -> Rollup:
    """Roll up sessions already in memory (``(file name, session)`` pairs, any order)."""
    given = list(workshops)
    ordered = [given[i] for i in _order([file for file, _s in given])]
    mapping = parse_mapping(mapping_text, "<mapping>", ordered) if mapping_text is not None else None
    return rollup(ordered, mapping)


def top_of(result: Rollup, top: int | None) -> Rollup:
    """The first ``top`` root causes (all of them when ``top`` is None)."""
    return result if top is None else replace(result, root_causes=result.root_causes[:top])
