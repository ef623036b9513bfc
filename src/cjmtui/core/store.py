"""Loading and saving session files so that nothing is ever lost.

- Loading caps the size before parsing and turns every failure (bad UTF-8, TOML syntax, deep
  nesting, huge integers, wrong shape, dangling ids) into one :class:`SessionFileError` that
  names the file and, where it can, the table, item id and field.
- Saving writes a temp file in the same folder, fsyncs it, ``os.replace``s it over the old
  file and fsyncs the folder; the previous version is kept as ``NAME.toml.bak``. A failed save
  leaves the old file byte-identical and no temp file behind (:mod:`cjmtui.core.atomic`).
- Before saving over a file, its content is compared with what was loaded: if someone else
  changed it, the save is refused with :class:`ConflictError`.
- A lock file beside the session tells a second instance that the session is already open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from . import collector, tomlio
from .atomic import real_path, write_atomic
from .errors import ConflictError, SaveError, SessionFileError
from .model import (
    ID_PATTERN,
    SCHEMA_VERSION,
    TABLES,
    Progress,
    Record,
    Session,
    quiet_fields,
    reference_problems,
)
from .schema import directive_line
from .sidefiles import (
    MAX_FILE_BYTES,
    NotRegularFile,
    TooLarge,
    read_regular,
    read_regular_stat,
)

SUFFIX = ".toml"


@dataclass(frozen=True)
class Fingerprint:
    """What a file looked like when we last read or wrote it."""

    size: int
    sha256: str

    @classmethod
    def of(cls, data: bytes) -> Fingerprint:
        return cls(len(data), hashlib.sha256(data).hexdigest())


@dataclass(frozen=True)
class Loaded:
    path: Path
    session: Session
    fingerprint: Fingerprint


# ---------------------------------------------------------------------------------------------
# Reading


def migrate(data: dict[str, Any], source: str) -> dict[str, Any]:
    """Bring an older file's data up to :data:`SCHEMA_VERSION`. The one place migrations go."""
    version = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionFileError(source, f"schema_version: must be a whole number, not {version!r}")
    if version > SCHEMA_VERSION:
        shown = str(version) if version < 10**6 else "(a huge number)"
        raise SessionFileError(
            source,
            f"schema_version {shown} was written by a newer cjmtui; this version reads up to "
            f"{SCHEMA_VERSION}. Upgrade cjmtui to open it.",
        )
    if version < 1:
        raise SessionFileError(source, f"schema_version: {version} is not a valid version")
    # Version 1 is the first; future versions transform ``data`` here, step by step.
    data["schema_version"] = SCHEMA_VERSION
    return data


_PLAIN = re.compile(ID_PATTERN)


def _where(data: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location into ``pains[cant-find-part].severity``."""
    parts: list[str] = []
    node = data
    for i, key in enumerate(loc):
        if isinstance(key, int) and i > 0 and isinstance(node, list):
            item = node[key] if key < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            # Only a well-formed id is shown as is: a hostile one (newlines, terminal escapes)
            # must not reach the user's terminal, so it is named by position instead.
            plain = isinstance(ident, str) and len(ident) <= 64 and _PLAIN.fullmatch(ident)
            label = ident if plain else f"#{key + 1}"
            parts[-1] = f"{parts[-1]}[{label}]"
            node = item
        else:
            text = str(key)
            parts.append(text if text.isprintable() and len(text) <= 64 else _short(text))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts) or "file"


def _short(value: Any) -> str:
    """``value`` as the file writes it (TOML), shortened: ``2025-01-01``, ``3.5``, ``"high"``,
    ``true``; never a Python repr like ``datetime.date(2025, 1, 1)``."""
    try:
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, (dt.date, dt.time)):
            text = value.isoformat()
        elif isinstance(value, str):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = repr(value)
    except ValueError:  # an integer too long to print (a hex literal of thousands of digits)
        return f"a {value.bit_length()}-bit number" if isinstance(value, int) else "a value too long to show"
    return text if len(text) <= 40 else text[:37] + "..."


def _whole_numbers(data: Any) -> Any:
    """``data`` with every float that is a whole number (``severity = 3.0``) made an int: the
    schema (JSON Schema's "integer") and editors accept it, so the app does too; a float field
    takes the int as the same number. Containers without such a float are returned as they are."""
    kind = type(data)
    if kind is float:
        return int(data) if data.is_integer() and abs(data) < 2**53 else data
    if kind is dict:
        changed = None
        for k, v in data.items():
            if type(v) in _WALK and (w := _whole_numbers(v)) is not v:
                changed = changed or {}
                changed[k] = w
        return {**data, **changed} if changed else data
    if kind is list:
        if not any(type(v) in _WALK for v in data):
            return data
        items = [_whole_numbers(v) for v in data]
        return data if all(a is b for a, b in zip(items, data, strict=True)) else items
    return data


_WALK = frozenset({float, dict, list})


def validation_problems(data: Any, error: ValidationError) -> list[str]:
    problems = []
    for err in error.errors(include_url=False):
        where = _where(data, tuple(err["loc"]))
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown field (see docs/session-format.md for the fields)"
        elif err["type"] not in ("missing",) and "input" in err and not isinstance(err["input"], (dict, list)):
            msg = f"{msg} (got {_short(err['input'])})"
        problems.append(f"{where}: {msg}")
    return problems


def session_from_data(data: Any, source: str) -> Session:
    if not isinstance(data, dict):
        raise SessionFileError(source, "not a session (expected a TOML table at the top)")
    data = migrate(_whole_numbers(data), source)
    try:
        session = Session.model_validate(data)
    except ValidationError as exc:
        raise SessionFileError(source, validation_problems(data, exc)) from None
    except (RecursionError, ValueError) as exc:  # pragma: no cover - defensive
        raise SessionFileError(source, f"invalid content ({type(exc).__name__})") from None
    problems = reference_problems(session)
    if problems:
        raise SessionFileError(source, problems)
    return session


@collector.paused()
def parse_session(text: str, source: str = "<text>") -> Session:
    """Parse and validate session TOML. Raises :class:`SessionFileError`, never anything else."""
    known = _from_known_blocks(text)
    if known is not None:
        return known
    try:
        data = tomlio.loads(text)
    except tomlio.TOMLDecodeError as exc:
        raise SessionFileError(source, f"not valid TOML: {exc}") from None
    except RecursionError:
        raise SessionFileError(source, "not valid TOML: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer too long to convert
        raise SessionFileError(source, f"not valid TOML: {exc}") from None
    try:
        return session_from_data(data, source)
    except RecursionError:
        raise SessionFileError(source, "nested too deeply") from None
    except ValueError as exc:  # defensive: whatever the content, one clear error, no traceback
        raise SessionFileError(source, f"invalid content ({type(exc).__name__})") from None


# Reading again what was read or written before. Each item is one ``[[table]]`` block (the
# writer's layout), and a file taken in again after someone's save differs from the last by a
# block or two: twenty participants' apps each took in every note of the room by parsing and
# checking the whole file again. A block met before (the same text, read or written here) gives
# the same item, so only new or changed blocks are parsed, standalone, and checked. A file met for
# the first time, and anything unusual, is parsed whole, which also gives the error, with its
# place, for a file that has one.
_HEADER = re.compile(r"^\[\[(" + "|".join(TABLES) + r")\]\][ \t]*\r?$", re.M)
_KNOWN: dict[str, tuple[str, Record]] = {}  # a block's text -> its table and item
_KNOWN_HEAD: dict[str, dict[str, Any]] = {}  # the text before the first block -> its data
_KNOWN_LOCK = threading.Lock()
COLD_BLOCKS = 32  # this many blocks not met before, most of those looked at: a file met for the first time


def _from_known_blocks(text: str) -> Session | None:
    """The session ``text`` holds, from the blocks met before and the new ones parsed alone; None
    when that cannot be told for sure (a file not in the writer's layout, anything not valid):
    then the whole file is parsed. Never raises."""
    starts = [m.start() for m in _HEADER.finditer(text)]
    if len(starts) < 2:  # (nothing to gain, or not the writer's layout)
        return None
    try:
        head = _KNOWN_HEAD.get(text[: starts[0]])
        if head is None:
            head = tomlio.loads(text[: starts[0]])
            if any(table in head for table in TABLES):  # ``pains = [...]`` and [[pains]]: an error
                return None
        tables: dict[str, list[Record]] = {table: [] for table in TABLES}
        found: list[tuple[str, str, Record]] = []
        for seen, (begin, end) in enumerate(zip(starts, [*starts[1:], len(text)], strict=True), 1):
            chunk = text[begin:end].rstrip()
            known = _KNOWN.get(chunk)
            if known is None:
                if len(found) >= COLD_BLOCKS and 2 * len(found) > seen:
                    return None  # a file met for the first time: one parse of the whole is quicker
                known = _one_item(chunk)
                if known is None:
                    return None
                found.append((chunk, *known))
            tables[known[0]].append(known[1])
        data = migrate(_whole_numbers(dict(head)), "")
        session = Session.model_validate({**data, **{t: items for t, items in tables.items() if items}})
        if reference_problems(session):
            return None
    except Exception:  # the whole file's parse says what is wrong, and where
        return None
    if len(_KNOWN) > 2 * len(starts) + 1_000:  # forget the items this file no longer holds
        _forget_known({id(item) for items in tables.values() for item in items})
    with _KNOWN_LOCK:  # (save and warm-up threads read too)
        if len(_KNOWN_HEAD) > 16:
            _KNOWN_HEAD.clear()
        _KNOWN_HEAD[text[: starts[0]]] = head
        for chunk, table, item in found:
            _KNOWN[chunk] = (table, item)
    return session


def _forget_known(keep: set[int]) -> None:
    """Forget the blocks of every item but those (by ``id``) in ``keep``: the read side of what a
    save forgets in ``_BLOCKS`` (an item edited many times left every old version behind)."""
    with _KNOWN_LOCK:
        for key in [k for k, (_, item) in _KNOWN.items() if id(item) not in keep]:
            del _KNOWN[key]


def _remember_written(table: str, item: Record, block: bytes) -> None:
    """What ``item``'s block, as written here, reads back as: ``item`` itself (the writer and the
    reader agree, tests/core/test_store.py's round trips). Whitespace after a block's last line
    says nothing in TOML: a block is looked up without it."""
    with _KNOWN_LOCK:
        _KNOWN[block.decode("utf-8").lstrip("\n").rstrip()] = (table, item)


def _one_item(chunk: str) -> tuple[str, Record] | None:
    """A block parsed on its own: exactly one item of one table, or None. A block cut inside a
    multi-line string never parses on its own (it ends inside the string), and one holding
    another table's header has two keys: both go to the whole file's parse."""
    data = tomlio.loads(chunk)
    if len(data) != 1:
        return None
    ((table, items),) = data.items()
    if table not in TABLES or not isinstance(items, list) or len(items) != 1:
        return None
    return table, TABLES[table].model_validate(_whole_numbers(items[0]))


def decode(data: bytes, source: str) -> str:
    try:
        # "utf-8-sig": a byte order mark (as some Windows editors write) is not an error.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SessionFileError(source, f"not UTF-8 text (bad byte at offset {exc.start}); save it as UTF-8") from None


def read_bytes(path: Path) -> bytes:
    """A session file's bytes: a regular file only (through a link to one), opened without
    blocking (a FIFO is refused, never waited on), at most :data:`MAX_FILE_BYTES`."""
    source = str(path)
    try:
        data = read_regular(path, follow=True)
    except FileNotFoundError:
        raise SessionFileError(source, "no such file") from None
    except NotRegularFile as exc:
        if "folder" in str(exc.strerror):
            raise SessionFileError(source, "is a folder, not a session file") from None
        raise SessionFileError(source, "not a regular file (a pipe or a device?); not a session file") from None
    except TooLarge:
        too_large = f"too large (over {MAX_FILE_BYTES // (1024 * 1024)} MiB); not a session file?"
        raise SessionFileError(source, too_large) from None
    except IsADirectoryError:
        raise SessionFileError(source, "is a folder, not a session file") from None
    except PermissionError:
        raise SessionFileError(source, "permission denied") from None
    except OSError as exc:
        raise SessionFileError(source, f"cannot read ({exc.strerror or exc})") from None
    return data


_SESSION_MARK = re.compile(rb"^[ \t]*(?:schema_version[ \t]*=|\[session\][ \t]*(?:#.*)?$)", re.M)


def is_session_file(path: Path) -> bool:
    """Whether ``path`` (through a link) is a regular file holding a cjmtui session: TOML with
    a ``schema_version`` or a ``[session]`` table at the top level. What an export must never
    replace (``cjmtui export a.toml -o b.toml``, b a session)."""
    try:
        data = read_regular(path, follow=True)
    except (OSError, SessionFileError, ValueError):
        return False
    if not _SESSION_MARK.search(data):
        return False
    try:
        parsed = tomlio.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, tomlio.TOMLDecodeError, RecursionError, ValueError):
        return False
    return isinstance(parsed, dict) and ("schema_version" in parsed or isinstance(parsed.get("session"), dict))


def load_session(path: str | os.PathLike[str]) -> Loaded:
    path = Path(path)
    data = read_bytes(path)
    session = parse_session(decode(data, str(path)), str(path))
    return Loaded(path, session, Fingerprint.of(data))


# ---------------------------------------------------------------------------------------------
# Writing


def session_document(session: Session) -> dict[str, Any]:
    """The session as plain data in file order (what JSON export and the writer use)."""
    return session.model_dump(mode="python", exclude_none=True)


def dumps_session(session: Session) -> str:
    """The session as TOML, in the stable layout described in docs/session-format.md."""
    return session_bytes(session).decode("utf-8")


def session_bytes(session: Session) -> bytes:
    """:func:`dumps_session`, encoded as the file holds it (UTF-8). What a save writes: each
    item's block is kept encoded, so a save joins bytes (a copy) rather than joining text of mixed
    widths and encoding all of it, which held the interpreter 20 ms at 20,000 pains."""
    info = _set_only(session.session)  # only a future-state session has an origin
    tables = [("session", info), ("scoring", _set_only(session.scoring, exclude_none=False))]
    if session.progress != Progress():  # a workshop not started yet has no [progress]
        tables.append(("progress", _set_only(session.progress)))
    head = tomlio.dumps_document(
        {"schema_version": session.schema_version},
        tables,
        [("agenda", [item.model_dump() for item in session.agenda])],
    )
    blocks = [_item_block(table, item) for table in TABLES for item in getattr(session, table)]
    if len(_BLOCKS) > 2 * len(blocks) + 1_000:  # forget the items no session holds any more
        keep = {id(item) for table in TABLES for item in getattr(session, table)}
        with _BLOCKS_LOCK:
            for key in [k for k in list(_BLOCKS) if k not in keep]:
                del _BLOCKS[key]
        _forget_known(keep)
    return head.encode("utf-8") + b"".join(blocks)


def _set_only(item: BaseModel, *, exclude_none: bool = True) -> dict[str, Any]:
    """``item`` as plain data, without its fields marked quiet (:data:`~cjmtui.core.model.QUIET`:
    fields added after files were in use) while they are at their default: an older file saves
    unchanged."""
    data = item.model_dump(exclude_none=exclude_none)
    quiet = quiet_fields(type(item))
    return {k: v for k, v in data.items() if k not in quiet or v != quiet[k] or type(v) is not type(quiet[k])}


# Each item's TOML block, by the item itself. Items are frozen (an edit makes a new one), so a
# save serialises again only the items that changed: autosaving a 20,000-pain session while the
# room types costs a join, not a 0.4 s hold on the interpreter.
_BLOCKS: dict[int, tuple[Record, bytes]] = {}
_BLOCKS_LOCK = threading.Lock()


def _item_block(table: str, item: Record) -> bytes:
    hit = _BLOCKS.get(id(item))
    if hit is not None and hit[0] is item:
        return hit[1]
    data = tomlio.dumps_item(table, _set_only(item)).encode("utf-8")
    with _BLOCKS_LOCK:  # a save thread and a warm-up may serialise at once
        _BLOCKS[id(item)] = (item, data)
    _remember_written(table, item, data)
    return data


def warm(session: Session) -> None:
    """Serialise ``session``'s items once, to remember each item's text: the first save after
    opening a big session then writes only what changed, and the first read of someone else's
    save parses only their new blocks (called in a thread after the first screen). Last item
    first: a save that starts meanwhile serialises from the first item on, so the two meet in the
    middle instead of doing the same items twice (a signal's save right after opening a
    20,000-pain session waited for both, ``bench/signals.py``)."""
    for table in reversed(TABLES):
        for item in reversed(getattr(session, table)):
            _item_block(table, item)


def current_bytes(path: Path) -> bytes | None:
    """The file as it is now (None when there is none); a regular file only, never waited on."""
    found = current_state(path)
    return None if found is None else found[0]


def current_state(path: Path) -> tuple[bytes, os.stat_result] | None:
    """The file's bytes and status now (None when there is none)."""
    try:
        return read_regular_stat(path, follow=True)
    except FileNotFoundError:
        return None


def current_fingerprint(path: Path) -> Fingerprint | None:
    data = current_bytes(path)
    return None if data is None else Fingerprint.of(data)


def _same_file(path: Path, seen: os.stat_result | None, fingerprint: Fingerprint | None) -> Callable[[], bool]:
    """Whether ``path`` is still the file seen (its status; its content when the status moved)."""

    def check() -> bool:
        try:
            now = os.stat(path)
        except FileNotFoundError:
            return seen is None
        if seen is None:
            return False
        if (now.st_ino, now.st_dev, now.st_size, now.st_mtime_ns) == (
            seen.st_ino,
            seen.st_dev,
            seen.st_size,
            seen.st_mtime_ns,
        ):
            return True
        return current_fingerprint(path) == fingerprint

    return check


def save_session(
    path: str | os.PathLike[str],
    session: Session,
    expected: Fingerprint | None = None,
    *,
    overwrite: bool = False,
    backup: bool = True,
    directive: str = "",
) -> Fingerprint:
    """Save atomically and return the new fingerprint.

    A ``#:schema`` line at the top of the file (see :mod:`cjmtui.core.schema`) is kept;
    ``directive`` is the one a new file starts with.

    ``expected`` is the fingerprint from the last load or save: if the file on disk is no
    longer that, :class:`ConflictError` is raised and nothing is written. With no
    ``expected``, an existing file is only replaced when ``overwrite`` is true.
    """
    path = Path(path)
    try:
        found = current_state(path)
    except OSError as exc:
        raise SaveError(f"{path}: could not check the file ({exc.strerror or exc}); nothing written") from None
    current, seen = found if found is not None else (None, None)
    on_disk = Fingerprint.of(current) if current is not None else None
    # The file's #:schema line (for editors) stays; a new file gets ``directive``.
    keep = directive_line(current[:1024]) if current is not None else directive
    try:
        data = keep.encode("utf-8") + session_bytes(session)
    except (UnicodeEncodeError, ValueError, TypeError) as exc:
        raise SaveError(f"{path}: could not save ({exc}); the file on disk is unchanged") from None
    if on_disk is not None:
        if expected is None and not overwrite:
            raise ConflictError(f"{path}: already exists; choose another name")
        if expected is not None and on_disk != expected and not overwrite:
            if on_disk == Fingerprint.of(data):
                return on_disk  # someone saved exactly this already
            raise ConflictError(f"{path}: changed on disk since it was opened; reload it or save as a new file")
    # Right before the rename, the file must still be the one checked above: a writer that
    # slipped in (an editor, a stalled process) is merged again by the caller, never replaced.
    unchanged = _same_file(real_path(path), seen, on_disk)
    write_atomic(path, data, backup=backup, exclusive=on_disk is None and expected is None, unchanged=unchanged)
    return Fingerprint.of(data)
