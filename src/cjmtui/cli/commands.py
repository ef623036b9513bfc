"""The command line's commands: each a thin call into the core, then output.

Each ``cmd_*`` takes the parsed arguments and returns the exit code; a :class:`CjmError` (or
``OSError``) raised here becomes one clear line on stderr in :func:`cjmtui.cli.main`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from ..core import export, files, scoring, store
from ..core.errors import CjmError, ExportError
from ..core.export import tabular
from ..core.model import Session
from ..core.safety import printable
from ..core.vocab import plural


def write(stream: TextIO, text: str) -> None:
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal that cannot show everything: never crash on it
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def emit(text: str) -> None:
    """Export text to stdout: on a terminal made printable (it is data, not commands); into a
    pipe or a file always UTF-8, whatever the locale says (data never gets ``\\u2014`` escapes)."""
    if _isatty(sys.stdout):
        write(sys.stdout, printable(text, single_line=False))
        return
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        write(sys.stdout, text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def tolerate_narrow_terminals() -> None:
    """On a terminal that cannot show every character (``PYTHONIOENCODING=ascii``, ``LANG=C``),
    show ``\\u2014`` for what it cannot show instead of ending in a traceback."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8":
            with contextlib.suppress(AttributeError, ValueError, OSError):
                stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]


def say(text: str, stream: TextIO | None = None) -> None:
    write(stream or sys.stdout, printable(text, single_line=False) + "\n")


def _load(file: str) -> Session:
    return store.load_session(Path(file)).session


def _persona(session: Session, wanted: str | None, source: str) -> str | None:
    if wanted is None:
        return None
    for p in session.personas:
        if p.id == wanted:
            return p.id
    folded = wanted.strip().casefold()
    matches = [p.id for p in session.personas if p.name.strip().casefold() == folded]
    if len(matches) == 1:
        return matches[0]
    if not session.personas:
        raise CjmError(f"{source}: no persona {wanted!r}: this session has no personas")
    known = ", ".join(p.id for p in session.personas[:20])
    more = " …" if len(session.personas) > 20 else ""
    raise CjmError(f"{source}: no persona {wanted!r}; known persona ids: {known}{more}")


def _same_file(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    with contextlib.suppress(OSError, RuntimeError):
        return a.resolve() == b.resolve()
    return False


def cmd_new(args: argparse.Namespace) -> int:
    folder = files.sessions_dir(args.dir)
    path = files.create_session_file(
        folder, args.name, args.template, facilitator=args.facilitator or "", journey=args.journey
    )
    say(str(path))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    s = _load(args.file)
    pains = sum(p.kind == "pain" for p in s.pains)
    counts = [
        plural(len(s.stages), "stage"),
        plural(pains, "pain"),
        plural(len(s.pains) - pains, "gain"),
        plural(len(s.processes), "process", "processes"),
        plural(len(s.solutions), "solution"),
        plural(len(s.personas), "persona"),
        plural(len(s.departments), "department"),
    ]
    say("ok: " + ", ".join(counts))
    return 0


def cmd_rank(args: argparse.Namespace) -> int:
    session = _load(args.file)
    persona = _persona(session, args.persona, args.file)
    ranking = export.top_of(scoring.rank(session, persona), args.top)
    if args.format == "table":
        from .tables import print_ranking

        print_ranking(session, ranking)
    elif args.format == "md":
        emit(export.ranking_markdown(ranking, session))
    elif args.format == "csv":
        emit(export.export_csv(session, ranking))
    else:
        emit(export.dumps_json(export.ranking_json_data(ranking, session, why=args.why), indent=args.indent))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    session = _load(args.file)
    persona = _persona(session, args.persona, args.file)
    dialect = getattr(args, "csv_dialect", None)
    if dialect and args.format not in ("csv", "csv-map"):
        raise ExportError(f"--csv-dialect is for --format csv or csv-map, not {args.format}")
    ranking = scoring.rank(session, persona)
    if dialect and args.format == "csv":
        text: str | bytes = tabular.export_csv(session, ranking, tabular.csv_dialect(dialect))
    elif dialect:
        text = tabular.export_csv_map(session, tabular.csv_dialect(dialect))
    else:
        text = export.export_text(args.format, session, ranking)
    if args.format == "json" and args.indent and isinstance(text, str):
        text = export.dumps_json(json.loads(text), indent=args.indent)
    if args.output in (None, "-"):
        if isinstance(text, bytes):  # a workbook: to a pipe or a file, never onto a terminal
            if sys.stdout.isatty():
                raise ExportError(f"{args.format} is a binary file: write it with -o FILE.{args.format}")
            sys.stdout.flush()
            sys.stdout.buffer.write(text)
            sys.stdout.buffer.flush()
        else:
            emit(text)
        return 0
    out = Path(args.output)
    if _same_file(out, Path(args.file)):
        raise ExportError(f"{out}: is the session file itself; choose another output file")
    say(str(export.write_export(text, out)))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from ..core.schema import schema_text

    if args.output in (None, "-"):
        emit(schema_text())
    else:
        say(str(export.write_export(schema_text(), Path(args.output))))
    return 0


def cmd_future(args: argparse.Namespace) -> int:
    source = Path(args.file)
    output = Path(args.output) if args.output else None
    if output is not None and _same_file(output, source):
        raise CjmError(f"{output}: is the session file itself; choose another output file")
    say(str(files.derive_future_file(source, output=output)))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from ..core.future import compare

    current = _load(args.current)
    future = _load(args.future)
    for session, file, state in ((current, args.current, "current"), (future, args.future, "future")):
        if session.session.state != state:  # swapped arguments read as "pains added": say so
            say(
                f"note: {file} is marked as a {session.session.state}-state session; "
                f"comparing it as the {state} state anyway",
                sys.stderr,
            )
    result = compare(current, future)
    data = export.comparison_json_data(current, future, result)
    if args.format == "table":
        from .tables import print_comparison

        print_comparison(future, data)
    elif args.format == "md":
        emit(export.comparison_markdown(current, future, result, Path(args.current).name, Path(args.future).name))
    else:
        emit(export.dumps_json(data))
    return 0


def cmd_friction(args: argparse.Namespace) -> int:
    session = _load(args.file)
    persona = _persona(session, args.persona, args.file)
    if args.format == "table":
        from .tables import print_friction

        print_friction(session, persona)
    elif args.format == "md":
        emit(export.friction_markdown(session, persona))
    elif args.format == "csv":
        emit(export.export_friction_csv(session, persona))
    else:
        emit(export.dumps_json({"persona": persona, "stages": export.friction_json_data(session, persona)}))
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from ..core.edit import today
    from ..core.export.review import review_json_data, review_markdown
    from ..core.review import parse_day, review

    as_of = parse_day(args.as_of, "--as-of") if args.as_of is not None else today()
    since = parse_day(args.since, "--since") if args.since is not None else None
    if since is not None and since > as_of:
        raise CjmError(f"--since {since.isoformat()} is after the review's day ({as_of.isoformat()})")
    loaded = store.load_session(Path(args.file))
    session = loaded.session
    later = _load(args.future) if args.future is not None else None
    result = review(session, as_of, since, later)
    if getattr(args, "record", False):
        from ..core.review import record_review

        if result.due_for_review:
            store.save_session(loaded.path, record_review(session, result), loaded.fingerprint)
        say(f"recorded: {plural(len(result.due_for_review), 'solution')} reviewed on {as_of.isoformat()}", sys.stderr)
    if args.format == "table":
        from .tables import print_review

        print_review(session, result)
    elif args.format == "md":
        emit(review_markdown(session, result))
    else:
        emit(export.dumps_json(review_json_data(result)))
    return 0


def _or(names: tuple[str, ...]) -> str:
    """``("md", "csv", "json")`` → ``"md, csv or json"``."""
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)


def cmd_rollup(args: argparse.Namespace) -> int:
    from ..core import rollup
    from ..core.export.rollup import rollup_text

    to_file = args.output not in (None, "-")
    for given in (*args.files, args.map) if to_file else ():
        if given is not None and _same_file(Path(args.output), Path(given)):
            raise ExportError(f"{args.output}: is one of the files read (the sessions or the mapping); choose another")
    fmt = args.format
    if fmt is None and not to_file:
        fmt = "table"
    elif fmt is None:  # from the output file's ending
        suffix = Path(args.output).suffix.lstrip(".").lower()
        fmt = {"markdown": "md", "htm": "html"}.get(suffix, suffix)
        if fmt not in export.ROLLUP_FORMATS:
            raise ExportError(f"{args.output}: say which format to write: --format {_or(export.ROLLUP_FORMATS)}")
    elif fmt == "table" and to_file:
        first, *others = export.ROLLUP_FORMATS
        raise ExportError(f"-o writes {_or(export.ROLLUP_FORMATS)}: use --format {first} (or {', '.join(others)})")
    result = rollup.top_of(rollup.rollup_files(args.files, args.map), args.top)
    if fmt == "table":
        from .tables import print_rollup

        print_rollup(result)
        return 0
    text = rollup_text(fmt, result)
    if not to_file:
        emit(text)
    else:
        say(str(export.write_export(text, Path(args.output))))
    return 0


def cmd_join(args: argparse.Namespace) -> int:
    from ..core.live import participant_name

    try:
        name = participant_name(args.as_name)
    except CjmError as exc:
        raise CjmError(f"--as {exc}") from None
    restricted = bool(getattr(args, "restricted", False))
    if restricted:
        _take_terminal()
        _name_process(f"cjmtui:{name}")
    return open_tui(args, actor=name, restricted=restricted)


def _take_terminal() -> None:
    """Started by ``cjmtui serve`` in a session of its own on a pseudo-terminal: make it this
    process's controlling terminal, so a hang-up (the connection gone) is a SIGHUP, which saves
    and exits, and a window size change is a SIGWINCH."""
    import fcntl
    import termios

    with contextlib.suppress(OSError):
        if os.isatty(0) and os.getsid(0) == os.getpid():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _name_process(title: str) -> None:
    """What ``ps -o comm`` and ``top`` show for a participant's app under ``cjmtui serve`` (Linux:
    15 bytes): which participant a process is, when they are all the same interpreter."""
    with contextlib.suppress(OSError), open("/proc/self/comm", "wb") as comm:
        comm.write(title.encode("utf-8")[:15])


def cmd_serve(args: argparse.Namespace) -> int:
    """The facilitator's app here, the session served over SSH meanwhile (cjmtui.serve)."""
    from ..serve import INSTALL_LINE

    try:
        from ..serve.codes import new_code, normal
        from ..serve.hostkey import fingerprint, host_key
        from ..serve.server import RoomServer
    except ModuleNotFoundError as exc:
        if exc.name == "asyncssh" or (exc.name or "").startswith("asyncssh."):
            raise CjmError(f"cjmtui serve needs asyncssh: {INSTALL_LINE}") from None
        raise
    from ..core.store import load_session

    if not 0 <= args.port <= 65535:
        raise CjmError(f"--port {args.port}: a port from 1 to 65535, please")
    path = Path(args.file)
    code = normal(args.code) if args.code else new_code()
    if not code:
        raise CjmError("--code: some words, please")
    keys = Path(args.authorized_keys) if args.authorized_keys else None
    if keys is not None and not keys.is_file():
        raise CjmError(f"--authorized-keys {keys}: no such file")
    facilitator = load_session(path).session.session.facilitator if path.exists() else ""
    key, _key_path = host_key(files.user_data_dir())
    server = RoomServer(
        path, code=code, host_key=key, port=args.port, bind=args.bind, facilitator=facilitator, authorized_keys=keys
    )
    server.start()
    serving = Serving(server, code, fingerprint(key), args.bind)
    try:
        return open_tui(args, serving=serving)
    finally:
        server.end_room()


class Serving:
    """What the facilitator's screen says about the room served over SSH (the UI reads only this)."""

    def __init__(self, server: Any, code: str, fingerprint: str, bind: str) -> None:
        import socket

        self.server = server
        self.code = code
        self.fingerprint = fingerprint
        host = bind if bind not in ("", "0.0.0.0", "::") else socket.gethostname()
        port = "" if server.port == 22 else f"-p {server.port} "
        self.join_line = f"ssh {port}NAME@{host}"

    def connected(self) -> list[tuple[str, float, bool]]:
        """(name, connected since (time.time()), stalled) for each participant connected now."""
        return [(c.name, c.since, c.stalled) for c in self.server.connected()]


def open_tui(
    args: argparse.Namespace, *, actor: str | None = None, restricted: bool = False, serving: Any = None
) -> int:
    from ..core.errors import SessionFileError
    from ..core.workspace import Workspace

    workspace: Workspace | None = None
    if args.file is not None:
        path = Path(args.file)
        try:
            workspace = Workspace.open(path)  # a clear error now, before the screen is taken over
        except SessionFileError as exc:
            if not os.path.lexists(path):
                raise CjmError(f"{exc} (to start a new session: cjmtui new NAME)") from None
            raise
    folder = files.sessions_dir(args.dir)
    if os.environ.get("TERM", "") in ("dumb", "unknown"):
        # A terminal that says it has no colours gets none (read by Textual when it is imported).
        os.environ.setdefault("NO_COLOR", "1")
        os.environ.setdefault("TEXTUAL_COLOR_SYSTEM", "standard")
    try:
        from ..ui.main import run
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name.startswith("cjmtui.ui") or exc.name.startswith("textual")):
            raise CjmError(
                f"the workshop UI is not available ({exc.name} is missing); "
                "the rank, export, validate, new, future, compare, friction and rollup commands still work"
            ) from None
        raise
    extra: dict[str, Any] = {}  # only what is asked for (cjmtui serve's participants and facilitator)
    if restricted:
        extra["restricted"] = True
    if serving is not None:
        extra["serving"] = serving
    # The process ends in the UI once all is saved (no teardown of a big session), except for
    # cjmtui serve, whose room is ended after the app (cmd_serve's ``finally``).
    return int(run(workspace, folder, actor=actor, exit_process=serving is None, **extra) or 0)


def cmd_merge_driver(args: argparse.Namespace) -> int:
    """git's merge driver: merge OTHER into CURRENT (written in place) from their ANCESTOR."""
    from ..core.atomic import write_atomic
    from ..core.merge import merge_for_git
    from ..core.schema import directive_line

    name = args.path or args.current

    def read(file: str, what: str) -> tuple[bytes, Session]:
        source = f"{name} ({what})"
        try:  # a regular file only, never waited on (a FIFO), at most the session size limit
            data = store.read_bytes(Path(file))
        except CjmError as exc:
            raise CjmError(f"{source}: cannot read {file}: {exc}") from None
        if what == "common ancestor" and not data.strip():
            return data, Session()  # no common ancestor: the file was added on both sides
        return data, store.parse_session(store.decode(data, source), source)

    _base_bytes, base = read(args.ancestor, "common ancestor")
    ours_bytes, ours = read(args.current, "this branch")
    theirs_bytes, theirs = read(args.other, "the branch being merged")
    merged, conflicts = merge_for_git(base, ours, theirs)
    keep = directive_line(ours_bytes[:1024]) or directive_line(theirs_bytes[:1024])
    try:
        write_atomic(Path(args.current), keep.encode("utf-8") + store.session_bytes(merged), backup=False)
    except OSError as exc:
        raise CjmError(f"{name}: could not write the merge: {exc.strerror or exc}") from None
    for line in conflicts:
        say(f"cjmtui merge-driver: {name}: {line}", sys.stderr)
    return 0
