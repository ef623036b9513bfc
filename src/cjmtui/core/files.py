"""Where new session files go: a new session from a template, and a future state beside its
current state. The command line and the TUI both call these, so the same rules hold for both:
a name made from the title, never a path; never over an existing file; never through a link
that leads out of the sessions folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

from .errors import CjmError, ExportError
from .future import derive_future
from .model import Session
from .safety import printable, safe_filename, safe_output_path
from .schema import DIRECTIVE, SCHEMA_FILE, schema_text
from .sidefiles import read_regular, write_side_file
from .store import SUFFIX, load_session, save_session
from .templates import new_session

MAX_FUTURE_FILES = 99  # STEM-future.toml, STEM-future-2.toml … STEM-future-99.toml


def create_session_file(
    folder: Path,
    title: str,
    template: str = "blank",
    *,
    facilitator: str = "",
    date: dt.date | None = None,
    journey: str | None = None,
) -> Path:
    """Write a new session from ``template`` as ``folder/<name from title>.toml``; returns its path.

    Refuses (:class:`CjmError`) an empty title, a name that is a link out of ``folder``, and an
    existing file (it is never overwritten).
    """
    if not title.strip():
        raise CjmError("a session needs a name")
    session = new_session(title, template, facilitator=facilitator, date=date or dt.date.today(), journey=journey)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = safe_output_path(folder, safe_filename(title, suffix=SUFFIX))
    save_session(path, session, directive=f"{DIRECTIVE}./{SCHEMA_FILE}\n")  # exclusive: never overwrites
    _schema_beside(folder)
    _gitignore_beside(folder)
    return path


def _schema_beside(folder: Path) -> None:
    """The session schema in the sessions folder, for editors (kept current; never required)."""
    target = folder / SCHEMA_FILE
    text = schema_text()
    with contextlib.suppress(OSError, CjmError):
        with contextlib.suppress(FileNotFoundError):
            if read_regular(target).decode("utf-8") == text:  # a link or a FIFO: refused, left alone
                return
        write_side_file(target, text.encode("utf-8"))  # never through a link


# What cjmtui keeps beside a session that a repository of sessions should not hold: the previous
# version, who has it open, the save lock, who is here, temp files of a save in progress.
# (Rescue copies, NAME.rescue-….toml, are notes: they are not ignored.)
GITIGNORE = """# Written by cjmtui: the files it keeps beside each session, not the sessions themselves.
*.toml.bak
.*.toml.lock
.*.toml.savelock
.*.toml.here/
.*.tmp
"""


def _gitignore_beside(folder: Path) -> None:
    """A ``.gitignore`` for cjmtui's side files in a sessions folder that has none (so
    ``git add -A`` never commits a ``.bak``, a lock or the presence folder); one that exists is
    never changed, and nothing is written through a link."""
    with contextlib.suppress(OSError):
        if not os.path.lexists(folder / ".gitignore"):
            write_side_file(folder / ".gitignore", GITIGNORE.encode("utf-8"))


def typed_target(folder: Path, typed: str, suffix: str = SUFFIX) -> Path:
    """Where a file the user named goes: a bare name into ``folder`` (never through a link out of
    it); a path (with ``/``, or starting with ``~``) where it says, relative to ``folder`` if it
    is relative, so a session in a read-only place can be saved elsewhere. ``suffix`` is added
    when missing; an empty name, a folder or a name with control characters is refused."""
    typed = typed.strip()
    if not typed:
        raise ExportError("type a file name")
    if "/" not in typed and not typed.startswith("~"):
        return safe_output_path(Path(folder), safe_filename(typed, suffix=suffix, strict=True))
    if printable(typed) != typed:
        raise ExportError(f"{printable(typed)}: a path cannot contain control characters")
    path = Path(folder) / Path(typed).expanduser()
    if path.is_dir():
        raise ExportError(f"{path}: is a folder; type a file name in it")
    target = path.with_name(safe_filename(path.name, suffix=suffix, strict=True))
    if target.is_dir():
        raise ExportError(f"{target}: is a folder; type a file name")
    if not target.parent.is_dir():
        raise ExportError(f"{target.parent}: there is no such folder")
    return target


def save_as_target(folder: Path, typed: str) -> Path:
    """Where "save as" writes: :func:`typed_target` with ``.toml``."""
    return typed_target(folder, typed)


def future_path(source: Path) -> Path:
    """The first free name among ``STEM-future.toml``, ``STEM-future-2.toml``, … beside ``source``."""
    source = Path(source)
    for n in range(1, MAX_FUTURE_FILES + 1):
        target = source.with_name(f"{source.stem}-future{'' if n == 1 else f'-{n}'}{SUFFIX}")
        if not target.exists() and not target.is_symlink():
            return target
    raise CjmError(f"{source}: {MAX_FUTURE_FILES} future states exist already; remove or rename some")


def derive_future_file(source: Path, session: Session | None = None, output: Path | None = None) -> Path:
    """Save a future-state copy of ``source`` (or of ``session``, its unsaved state) as a new file.

    ``output`` defaults to :func:`future_path`; an explicit ``output`` that exists is refused, and
    so is the session file itself. Keep the new file beside ``source``: the comparison looks for
    the current state there (its ``origin``). Returns the new file's path.
    """
    source = Path(source)
    if session is None:
        session = load_session(source).session
    if session.session.state == "future":
        raise CjmError(f"{source}: is already a future-state session")
    out = future_path(source) if output is None else Path(output)
    if out.exists() and source.exists() and out.samefile(source):
        raise CjmError(f"{out}: is the session file itself; choose another output file")
    save_session(out, derive_future(session, source))  # exclusive create: refuses an existing file
    return out


# Where sessions live ------------------------------------------------------------------------------


def user_data_dir() -> Path:
    if sys.platform == "win32":  # pragma: no cover
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":  # pragma: no cover
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "cjmtui"


def user_config_dir() -> Path:
    if sys.platform == "win32":  # pragma: no cover
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":  # pragma: no cover
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "cjmtui"


def sessions_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--dir``, else ``$CJMTUI_SESSIONS``, else ``./sessions`` if it exists, else the user data dir."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("CJMTUI_SESSIONS")
    if env:
        return Path(env)
    local = Path("sessions")
    if local.is_dir():
        return local
    return user_data_dir() / "sessions"


def list_sessions(folder: Path) -> list[Path]:
    """Session files in ``folder``, most recently changed first."""
    try:
        files = [p for p in folder.iterdir() if p.suffix == SUFFIX and p.is_file() and not p.name.startswith(".")]
    except OSError:
        return []

    def mtime(p: Path) -> float:
        try:
            return p.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(files, key=lambda p: (-mtime(p), p.name))
