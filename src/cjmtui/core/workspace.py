"""An open session: the file, its edit history, and what has been saved.

The TUI keeps one :class:`Workspace` and saves it as it goes; a script can do the same. All
the rules about saving live here, headless: never overwrite a file that changed on disk, keep
trying after a failed save without losing the edits, and know whether anything is unsaved.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .atomic import clean_stale_temp_files
from .errors import CjmError, ConflictError, SaveError, SessionFileError
from .files import user_data_dir
from .lock import LockInfo, SaveLockError, SessionLock, exclusive_save
from .merge import MergeResult, Replaced, merge
from .model import TABLES, Record, Session, item_label
from .store import (
    Fingerprint,
    Loaded,
    current_state,
    decode,
    dumps_session,
    load_session,
    parse_session,
    save_session,
)
from .undo import History, differing

MERGE_ATTEMPTS = 3
REWRITE_WAIT = 1.0  # seconds a save waits for a file another program is rewriting in place
_HEADER = re.compile(rb"^[ \t]*schema_version[ \t]*=", re.MULTILINE)


class NotWhole(CjmError):
    """The file on disk is empty or cut short (an editor rewriting it in place): not a session
    to merge against."""


@dataclass(frozen=True)
class SaveResult:
    ok: bool
    version: int
    message: str
    conflict: bool = False  # the file changed on disk and could not be merged: nothing written
    merged: MergeResult | None = None  # the file had changed: what was merged in
    # Fields this instance had saved that someone else's later save replaced (their value won:
    # theirs was the later save). Said to this person too, not only to the one who saved.
    overwritten: tuple[Replaced, ...] = ()


MAX_WRITTEN = 2000  # fields remembered as ours, to tell when a later save replaced one


class Workspace:
    def __init__(self, path: Path, session: Session, fingerprint: Fingerprint | None) -> None:
        self.path = Path(path)
        self.history = History(session)
        self.base = session  # as last read or written: what a merge with the file starts from
        self.fingerprint = fingerprint
        self.saved_version = 0 if fingerprint is not None else -1
        self.lock = SessionLock(self.path)
        self._save_lock = threading.Lock()
        self._written: dict[tuple[str, str, str], object] = {}  # (table, id, field) → the value we saved

    @classmethod
    def open(cls, path: Path) -> Workspace:
        loaded = load_session(path)
        clean_stale_temp_files(Path(os.path.realpath(loaded.path)))  # temp files sit beside the real file
        return cls(loaded.path, loaded.session, loaded.fingerprint)

    @property
    def session(self) -> Session:
        return self.history.session

    @property
    def dirty(self) -> bool:
        return self.history.version != self.saved_version

    def acquire(self) -> LockInfo | None:
        """Mark the session as open here; returns who else has it open, if anyone."""
        return self.lock.acquire()

    def release(self) -> None:
        self.lock.release()

    def save(self, *, force: bool = False) -> SaveResult:
        """Save the current session if it changed; first merge what someone else saved meanwhile.

        Safe to call from a worker thread. Another instance's save never interleaves with this
        one (:func:`~cjmtui.core.lock.exclusive_save`); when the file changed since this instance
        last read or wrote it, their edits and ours are merged (:func:`~cjmtui.core.merge.merge`),
        the merge is written, and it becomes the current session (``SaveResult.merged`` says what
        happened; their edits are not steps of this person's undo). Only a file that cannot be read or merged stops the
        save (``conflict``), and then nothing is written and every edit stays in memory.
        """
        with self._save_lock:
            return self._save_under_lock(force)

    def pull(self) -> SaveResult:
        """Take in what someone else saved. With nothing unsaved here this reads without the
        save lock: a save replaces the file by a rename, so a read always sees one whole version,
        and twenty people taking in one note never queue one behind another's save (with the lock
        each would wait for all the others: seconds, in a room of twenty typing). With unsaved
        edits here it is a :meth:`save`, which merges under the lock."""
        with self._save_lock:
            if self.dirty:
                return self._save_under_lock()
            version, ours = self.history.snapshot()
            try:
                theirs = self._changed_on_disk_settled()
                if theirs is None:
                    return SaveResult(True, version, "nothing to save")
                overwritten = tuple(self._replaced_by(theirs.session))
                merged = merge(self.base, ours, theirs.session)
            except NotWhole as exc:
                return SaveResult(False, version, str(exc))
            except (CjmError, OSError) as exc:
                return SaveResult(
                    False, version, f"{self.path}: changed on disk and cannot be merged: {exc}", conflict=True
                )
            self._adopt(version, ours, merged)
            self.base, self.fingerprint = theirs.session, theirs.fingerprint
            version, ours = self.history.snapshot()
            if ours == self.base:  # what is on disk now, exactly: nothing of ours to write
                self.saved_version = version
            return SaveResult(True, version, "saved", merged=merged, overwritten=overwritten)

    def _save_under_lock(self, force: bool = False) -> SaveResult:
        try:
            with exclusive_save(self.path):
                return self._save_locked(force)
        except SaveLockError as exc:  # never saved without the lock: every edit is kept
            return SaveResult(False, self.history.version, str(exc))

    def _save_locked(self, force: bool) -> SaveResult:
        version, ours = self.history.snapshot()
        merged: MergeResult | None = None
        overwritten: list[Replaced] = []
        for _attempt in range(MERGE_ATTEMPTS):
            try:
                theirs = self._changed_on_disk_settled()
                if theirs is not None:
                    overwritten += self._replaced_by(theirs.session)
                    merged = merge(self.base, ours, theirs.session)
                    # The merge becomes the current session before anything is written, so what
                    # this instance holds always contains what it last read (a failed write
                    # below can never make their edits look deleted by us next time).
                    self._adopt(version, ours, merged)
                    self.base, self.fingerprint = theirs.session, theirs.fingerprint
                    version, ours = self.history.snapshot()
            except NotWhole as exc:
                return SaveResult(False, version, str(exc), merged=merged, overwritten=tuple(overwritten))
            except (CjmError, OSError) as exc:
                return SaveResult(
                    False, version, f"{self.path}: changed on disk and cannot be merged: {exc}", conflict=True
                )
            if merged is None and version == self.saved_version and not force:
                return SaveResult(True, version, "nothing to save", overwritten=tuple(overwritten))
            try:
                if ours != self.base or merged is None:
                    self.fingerprint = save_session(
                        self.path, ours, self.fingerprint, overwrite=self.fingerprint is None and force
                    )
            except ConflictError:
                continue  # written by someone without the lock between our read and write: again
            except SaveError as exc:
                return SaveResult(False, version, str(exc), merged=merged, overwritten=tuple(overwritten))
            self._remember_written(self.base, ours)
            self.base = ours
            self.saved_version = version
            return SaveResult(True, version, "saved", merged=merged, overwritten=tuple(overwritten))
        return SaveResult(
            False,
            version,
            f"{self.path}: kept changing while saving; trying again",
            merged=merged,
            overwritten=tuple(overwritten),
        )

    def _changed_on_disk_settled(self) -> Loaded | None:
        """:meth:`_changed_on_disk`, waiting a moment for a file being rewritten in place (an
        editor truncates, then writes): an empty, cut-short or unreadable file is never merged
        against (that would delete everything); after :data:`REWRITE_WAIT` it is an error."""
        deadline = time.monotonic() + REWRITE_WAIT
        while True:
            try:
                return self._changed_on_disk()
            except (NotWhole, SessionFileError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def _remember_written(self, base: Session, ours: Session) -> None:
        """The fields this save wrote that differ from what the file held before: ours. (Items
        are shared between versions of a session, so only the items an edit replaced are read.)"""
        if ours is base:
            return
        for table in TABLES:
            old_items, new_items = base.table(table), ours.table(table)
            if old_items is new_items:
                continue
            old_part, new_part = differing(old_items, new_items)
            before = {item.id: item for item in old_part}
            for item in new_part:
                old = before.get(item.id)
                if old is item:
                    continue
                now, was = item.model_dump(), old.model_dump() if old is not None else {}
                for field, value in now.items():
                    if field != "id" and value != was.get(field):
                        self._written.pop((table, item.id, field), None)
                        self._written[(table, item.id, field)] = value
        while len(self._written) > MAX_WRITTEN:
            del self._written[next(iter(self._written))]

    def _replaced_by(self, theirs: Session) -> list[Replaced]:
        """Fields we saved (and the file still held when we last read it) that someone else's
        later save replaced with another value."""
        out: list[Replaced] = []
        by_id: dict[str, dict[str, Record]] = {}
        for (table, item_id, field), ours in list(self._written.items()):
            if table not in by_id:
                by_id[table] = {item.id: item for item in theirs.table(table)}
                by_id[table + "/base"] = {item.id: item for item in self.base.table(table)}
            item, known = by_id[table].get(item_id), by_id[table + "/base"].get(item_id)
            if item is None or known is None or getattr(known, field, None) != ours:
                continue
            value = getattr(item, field, None)
            if value != ours:
                out.append(Replaced(table, item_id, item_label(item), field, ours, value))
                del self._written[(table, item_id, field)]
        return out

    def _changed_on_disk(self) -> Loaded | None:
        """What is on disk, when someone else saved it since we last read or wrote it."""
        found = current_state(self.path)
        if found is None:
            return None
        data = found[0]
        fingerprint = Fingerprint.of(data)
        if fingerprint == self.fingerprint:
            return None
        source = str(self.path)
        if not data.strip():
            raise NotWhole(self._not_whole("empty"))
        session = parse_session(decode(data, source), source)
        if _HEADER.search(data[:4096]) is None:  # every cjmtui save writes it: a file cut short
            raise NotWhole(self._not_whole("cut short or not a cjmtui session (no schema_version line)"))
        return Loaded(self.path, session, fingerprint)

    def _not_whole(self, shown: str) -> str:
        return (
            f"NOT SAVED: {self.path.name} on disk is {shown}; another program may be rewriting it. "
            "Your notes are kept here; retrying"
        )

    def _adopt(self, version: int, ours: Session, merged: MergeResult) -> None:
        """Make the merge the current session. Their edits are taken in, not made steps of this
        person's undo (undo never takes back someone else's note); where both changed a field,
        keeping ours over theirs is our step, so their value is one undo step back."""
        history = self.history
        with history.lock:
            if history.version == version:
                if merged.replaced:
                    history.absorb(merged.theirs_first)
                    history.apply("keep your values over theirs", merged.session)
                else:
                    history.absorb(merged.session)
            else:  # edited while this save ran: keep those edits on top of the merge
                history.absorb(merge(ours, history.session, merged.session).session)

    def reload(self) -> None:
        """Throw away unsaved edits and read the file again (after a conflict)."""
        with self._save_lock:
            loaded = load_session(self.path)
            self.history.reset(loaded.session)
            self.base = loaded.session
            self.fingerprint = loaded.fingerprint
            self.saved_version = self.history.version

    def save_as(self, path: Path) -> SaveResult:
        """Save to a new file (refuses to replace an existing one) and continue there."""
        with self._save_lock:
            version = self.history.version
            try:
                fingerprint = save_session(path, self.history.session, None)
            except SaveError as exc:
                return SaveResult(False, version, str(exc), conflict=isinstance(exc, ConflictError))
            self.lock.release()
            self.path = Path(path)
            self.lock = SessionLock(self.path)
            self.lock.acquire()
            self.fingerprint = fingerprint
            self.base = self.history.session
            self.saved_version = version
            return SaveResult(True, version, "saved")

    def rescue(self) -> Path | None:
        """Last resort when a save fails on exit: write the notes somewhere else, never over anything.

        Tries beside the session (``NAME.rescue-YYYYmmdd-HHMMSS.toml``), the user data folder,
        the temporary folder (``$TMPDIR``, else ``/tmp``) and the current folder, in that order.
        Returns where the notes went, or None if nowhere would take them (no exception escapes:
        not even one from finding a folder, such as no usable temporary folder at all; the
        caller then shows the notes, :meth:`notes_text`, for the person to copy).
        """
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{self.path.stem}.rescue-{stamp}{self.path.suffix or '.toml'}"
        places: tuple[Callable[[], Path], ...] = (
            lambda: self.path.parent,
            lambda: user_data_dir() / "rescue",
            lambda: Path(tempfile.gettempdir()),  # raises when no temporary folder is usable
            Path.cwd,
        )
        for place in places:
            try:
                folder = place()
                target = folder / name
                folder.mkdir(parents=True, exist_ok=True)
                save_session(target, self.history.session, None)
            except Exception:  # a last resort: every place is tried, none may stop it
                continue
            return target
        return None

    def notes_text(self) -> str:
        """The whole session as the TOML a file would hold: shown when nothing could be written."""
        try:
            return dumps_session(self.history.session)
        except Exception as exc:  # the last words on the way out must not fail
            return f"# the session could not be written out as TOML ({exc}); its notes:\n" + "\n".join(
                getattr(item, "text", "") or getattr(item, "name", "")
                for table in ("pains", "processes", "solutions", "parking")
                for item in self.history.session.table(table)
            )
