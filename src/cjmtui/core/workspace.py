"""An open session: the file, its edit history, and what has been saved.

The TUI keeps one :class:`Workspace` and saves it as it goes; a script can do the same. All
the rules about saving live here, headless: never overwrite a file that changed on disk, keep
trying after a failed save without losing the edits, and know whether anything is unsaved.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from pathlib import Path

from .edit import History
from .errors import ConflictError, SaveError
from .files import user_data_dir
from .lock import LockInfo, SessionLock
from .model import Session
from .store import Fingerprint, clean_stale_temp_files, load_session, save_session


@dataclass(frozen=True)
class SaveResult:
    ok: bool
    version: int
    message: str
    conflict: bool = False


class Workspace:
    def __init__(self, path: Path, session: Session, fingerprint: Fingerprint | None) -> None:
        self.path = Path(path)
        self.history = History(session)
        self.fingerprint = fingerprint
        self.saved_version = 0 if fingerprint is not None else -1
        self.lock = SessionLock(self.path)
        self._save_lock = threading.Lock()

    @classmethod
    def open(cls, path: Path) -> Workspace:
        loaded = load_session(path)
        clean_stale_temp_files(loaded.path)
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
        """Save the current session if it changed. Safe to call from a worker thread."""
        with self._save_lock:
            version = self.history.version
            session = self.history.session
            if version == self.saved_version and not force:
                return SaveResult(True, version, "nothing to save")
            try:
                self.fingerprint = save_session(
                    self.path, session, self.fingerprint, overwrite=self.fingerprint is None and force
                )
            except ConflictError as exc:
                return SaveResult(False, version, str(exc), conflict=True)
            except SaveError as exc:
                return SaveResult(False, version, str(exc))
            self.saved_version = version
            return SaveResult(True, version, "saved")

    def reload(self) -> None:
        """Throw away unsaved edits and read the file again (after a conflict)."""
        with self._save_lock:
            loaded = load_session(self.path)
            self.history.reset(loaded.session)
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
            self.saved_version = version
            return SaveResult(True, version, "saved")

    def rescue(self) -> Path | None:
        """Last resort when a save fails on exit: write the notes somewhere else, never over anything.

        Tries beside the session (``NAME.rescue-YYYYmmdd-HHMMSS.toml``), then the user data folder.
        Returns where the notes went, or None if nowhere would take them.
        """
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        name = f"{self.path.stem}.rescue-{stamp}{self.path.suffix or '.toml'}"
        for folder in (self.path.parent, user_data_dir() / "rescue"):
            target = folder / name
            try:
                folder.mkdir(parents=True, exist_ok=True)
                save_session(target, self.history.session, None)
            except (OSError, SaveError):
                continue
            return target
        return None
