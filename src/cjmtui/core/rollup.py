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
file name. :func:`rollup_text` renders it as Markdown, CSV, JSON or HTML; the command line
prints :func:`workshops_view`, :func:`root_causes_view` and :func:`matches_view` as tables.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import scoring, sidefiles, store, tomlio
from .errors import CjmError, ExportError
from .export.markdown import view_table
from .export.tabular import _csv, dumps_json
from .model import Session
from .safety import md_cell
from .views import Column, TableView
from .vocab import plural

SAME_ID = "same id"
SAME_NAME = "same department and name"
MAPPING = "mapping file"
KEPT_APART = "kept apart by the mapping file"
REASONS = (SAME_ID, SAME_NAME, MAPPING, KEPT_APART)  # the order reasons are listed in
FORMATS = ("table", "md", "csv", "json", "html")
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
    # Every process of every workshop is a member, numbered in workshop order then file order.
    keys: list[tuple[int, str]] = []
    names: list[str] = []
    departments: list[str] = []
    for w, (_file, session) in enumerate(workshops):
        dept_names = {d.id: d.name for d in session.departments}
        for proc in session.processes:
            keys.append((w, proc.id))
            names.append(proc.name)
            departments.append(dept_names.get(proc.owner or "", proc.owner or ""))
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
        by_name.setdefault((normalised(departments[i]), normalised(names[i])), []).append(i)
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

    members: dict[int, list[int]] = {}
    for i in range(len(keys)):
        members.setdefault(groups.find(i), []).append(i)

    if mapping is not None:
        _check_apart(mapping, workshops, keys, groups, members)

    graphs = [scoring.Graph(session) for _file, session in workshops]
    rows = []
    for group in members.values():  # each group's members are in member order already
        appearances = []
        by_workshop: dict[int, list[str]] = {}
        for i in group:
            by_workshop.setdefault(keys[i][0], []).append(keys[i][1])
        for w, procs in by_workshop.items():
            score, impact, stages, count = scoring.process_reach(graphs[w], procs)
            appearances.append(Appearance(w + 1, tuple(procs), score, impact, stages, count))
        first = group[0]
        cause = RootCause(
            rank=0,
            name=names[first],
            department=departments[first],
            score=sum(a.score for a in appearances),
            impact=sum(a.impact for a in appearances),
            pains_reached=sum(a.pains_reached for a in appearances),
            appearances=tuple(appearances),
            members=tuple(
                Member(
                    keys[i][0] + 1,
                    keys[i][1],
                    names[i],
                    departments[i],
                    tuple(r for r in REASONS if r in groups.reasons[i]),
                )
                for i in group
            ),
        )
        rows.append((cause, first))
    rows = _with_shares(rows, len(workshops))
    # Ties: more impact, then more workshops, then workshop and file order of the first process.
    rows.sort(key=lambda r: (-r[0].score, -r[0].impact, -r[0].workshops, r[1]))
    infos = tuple(_workshop(n, file, session) for n, (file, session) in enumerate(workshops, 1))
    return Rollup(
        infos,
        tuple(replace(cause, rank=rank) for rank, (cause, _first) in enumerate(rows, 1)),
        mapping.source if mapping else None,
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


# ---------------------------------------------------------------------------------------------
# What the outputs say


def title(result: Rollup) -> str:
    return f"Root causes across {plural(len(result.workshops), 'workshop')}"


def note(result: Rollup) -> str:
    how = "by the same id, or by the same department and process name (case and spacing ignored)"
    if result.mapping is not None:
        how += f", and by the mapping file {Path(result.mapping).name}"
    return (
        f"Processes are matched across the workshops {how}. Score: how much fixing the process "
        "would remove, as cjmtui rank ranks root-cause processes (the weight of the pains it "
        "reaches downstream, more for more stages); a root cause's score and impact are the sums "
        "over the workshops it appears in, so a big workshop weighs more than a small one. "
        "Share: the root cause's part of each workshop's total score, averaged over all "
        f"{plural(len(result.workshops), 'workshop')} (0% where it does not appear), so every "
        "workshop weighs the same; By share ranks by it. Figures are rounded to one decimal."
    )


def _label(result: Rollup, number: int, short: bool) -> str:
    return f"W{number}" if short else result.workshop(number).name


def rounded(value: float) -> str:
    """A score or impact for people: one decimal at most (``191.8``, ``12``)."""
    r = round(float(value), 1)
    return str(int(r)) if r.is_integer() else f"{r:.1f}"


def percent(share: float) -> str:
    """A share for people: ``23%``; ``<1%`` for a small one that is not zero."""
    if 0 < share < 0.005:
        return "<1%"
    return f"{share:.0%}"


def in_each(cause: RootCause, result: Rollup, short: bool = False) -> str:
    """Where a root cause appears and its share of that workshop's total score there:
    ``file.toml 23%; other.toml 4%`` (``short``: ``W1 23%; W3 4%``, numbered as in
    :func:`workshops_view`)."""
    return "; ".join(f"{_label(result, a.workshop, short)} {percent(a.share)}" for a in cause.appearances)


def workshops_view(result: Rollup, short: bool = False) -> TableView:
    """The workshops in their order; ``short`` numbers them ``W1``, ``W2``… for the other
    views' ``short`` form (a terminal)."""
    return TableView(
        columns=(
            Column("Workshop" if short else "#", "W" if short else "", numeric=True),
            Column("File"),
            Column("Title"),
            Column("Date"),
            Column("Processes", "Procs", numeric=True),
            Column("Pains", numeric=True),
        ),
        rows=tuple(
            (f"W{w.number}" if short else str(w.number), w.name, w.title, w.date or "–", str(w.processes), str(w.pains))
            for w in result.workshops
        ),
        keys=tuple(w.file for w in result.workshops),
        empty="No workshops.",
    )


def root_causes_view(result: Rollup, short: bool = False) -> TableView:
    """One row per root cause; those that appear in two workshops or more are marked."""
    return TableView(
        columns=(
            Column("#", numeric=True),
            Column("Process"),
            Column("Department", "Dept."),
            Column("Workshops", "Wks", numeric=True),
            Column("Score", numeric=True),
            Column("Impact", numeric=True),
            Column("Share", numeric=True),
            Column("By share", "#share", numeric=True),
            Column("Share of each workshop", "In each"),
        ),
        rows=tuple(
            (
                str(c.rank),
                c.name,
                c.department or "–",
                str(c.workshops),
                rounded(c.score),
                rounded(c.impact),
                percent(c.share),
                str(c.share_rank),
                in_each(c, result, short),
            )
            for c in result.root_causes
        ),
        keys=tuple(str(c.rank) for c in result.root_causes),
        marked=frozenset(i for i, c in enumerate(result.root_causes) if c.workshops > 1),
        empty="No processes in these workshops.",
    )


def matched(result: Rollup) -> list[tuple[RootCause, Member]]:
    """The processes matched to another workshop's (or kept apart by the mapping file), by rank."""
    return [(c, m) for c in result.root_causes for m in c.members if len(c.members) > 1 or KEPT_APART in m.reasons]


def matches_view(result: Rollup, short: bool = False) -> TableView:
    rows = matched(result)
    return TableView(
        columns=(
            Column("Root cause", "#", numeric=True),
            Column("Workshop", "W", numeric=short),  # short: W1, W2… (no need to wrap)
            Column("Process id", "Id"),
            Column("Process"),
            Column("Department", "Dept."),
            Column("Matched by", "Why"),
        ),
        rows=tuple(
            (
                str(c.rank),
                _label(result, m.workshop, short),
                m.process,
                m.name,
                m.department or "–",
                ", ".join(m.reasons) or "–",
            )
            for c, m in rows
        ),
        keys=tuple(f"{m.workshop}:{m.process}" for _c, m in rows),
        empty="No process matched a process of another workshop.",
    )


# ---------------------------------------------------------------------------------------------
# Formats


def rollup_json_data(result: Rollup) -> dict[str, Any]:
    """The rollup as plain data (floats rounded to 3 decimals).

    ``{"workshops": [{"number", "file", "title", "date", "processes", "pains"}], "mapping",
    "root_causes": [{"rank", "name", "department", "score", "impact", "share", "share_rank",
    "pains_reached", "workshops": [{"workshop", "file", "processes", "score", "impact", "share", "stages_reached",
    "pains_reached"}], "processes": [{"workshop", "file", "id", "name", "department",
    "matched_by"}]}]}``.
    """

    def r(x: float) -> float:
        return round(float(x), 3)

    return {
        "workshops": [
            {
                "number": w.number,
                "file": w.file,
                "title": w.title,
                "date": w.date,
                "processes": w.processes,
                "pains": w.pains,
            }
            for w in result.workshops
        ],
        "mapping": result.mapping,
        "root_causes": [
            {
                "rank": c.rank,
                "name": c.name,
                "department": c.department,
                "score": r(c.score),
                "impact": r(c.impact),
                "share": r(c.share),
                "share_rank": c.share_rank,
                "pains_reached": c.pains_reached,
                "workshops": [
                    {
                        "workshop": a.workshop,
                        "file": result.workshop(a.workshop).file,
                        "processes": list(a.processes),
                        "score": r(a.score),
                        "impact": r(a.impact),
                        "share": r(a.share),
                        "stages_reached": a.stages_reached,
                        "pains_reached": a.pains_reached,
                    }
                    for a in c.appearances
                ],
                "processes": [
                    {
                        "workshop": m.workshop,
                        "file": result.workshop(m.workshop).file,
                        "id": m.process,
                        "name": m.name,
                        "department": m.department,
                        "matched_by": list(m.reasons),
                    }
                    for m in c.members
                ],
            }
            for c in result.root_causes
        ],
    }


CSV_COLUMNS = (
    "rank",
    "root_cause",
    "department",
    "workshops",
    "total_score",
    "total_impact",
    "share",
    "share_rank",
    "file",
    "workshop_title",
    "process_ids",
    "process_names",
    "score",
    "impact",
    "workshop_share",
    "stages_reached",
    "pains_reached",
    "matched_by",
)


def rollup_csv_rows(result: Rollup) -> list[tuple[object, ...]]:
    """One row per root cause and workshop it appears in (header first: :data:`CSV_COLUMNS`)."""
    rows: list[tuple[object, ...]] = [CSV_COLUMNS]
    for c in result.root_causes:
        for a in c.appearances:
            here = [m for m in c.members if m.workshop == a.workshop]
            reasons = [r for r in REASONS if any(r in m.reasons for m in here)]
            rows.append(
                (
                    c.rank,
                    c.name,
                    c.department,
                    c.workshops,
                    round(c.score, 3),
                    round(c.impact, 3),
                    round(c.share, 3),
                    c.share_rank,
                    result.workshop(a.workshop).name,
                    result.workshop(a.workshop).title,
                    "; ".join(m.process for m in here),
                    "; ".join(m.name for m in here),
                    round(a.score, 3),
                    round(a.impact, 3),
                    round(a.share, 3),
                    a.stages_reached,
                    a.pains_reached,
                    "; ".join(reasons),
                )
            )
    return rows


def rollup_markdown(result: Rollup) -> str:
    lines = [f"# {title(result)}", "", md_cell(note(result)), ""]
    lines += ["## Workshops", "", *view_table(workshops_view(result)), ""]
    lines += ["## Root causes", "", *view_table(root_causes_view(result)), ""]
    lines += ["## Matches", "", *view_table(matches_view(result)), ""]
    return "\n".join(lines)


def rollup_text(fmt: str, result: Rollup) -> str:
    """The rollup as ``md``, ``csv``, ``json`` or ``html`` text (user text escaped for each)."""
    if fmt == "md":
        return rollup_markdown(result)
    if fmt == "csv":
        return _csv(rollup_csv_rows(result))
    if fmt == "json":
        return dumps_json(rollup_json_data(result))
    if fmt == "html":
        from .export.rollup_html import rollup_html  # Jinja2 only when a page is written

        return rollup_html(result)
    raise ExportError(f"unknown rollup format {fmt!r}; one of: {', '.join(f for f in FORMATS if f != 'table')}")
