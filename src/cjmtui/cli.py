"""The ``cjmtui`` command: open the workshop UI, or create, check, rank and export sessions.

Usage::

    cjmtui [FILE] [--dir DIR]                       open the terminal UI (on FILE, if given)
    cjmtui new NAME [--template T] [--dir DIR] [--facilitator NAME]
    cjmtui validate FILE
    cjmtui rank FILE [--format table|md|csv|json] [--top N] [--persona ID]
    cjmtui export FILE --format md|csv|csv-map|json|html [-o OUT] [--persona ID]

Exit codes: 0 ok, 1 bad input (a clear message on stderr, never a traceback), 2 usage.

A subcommand is recognised only as the first argument, so a session file literally named
``rank`` opens with ``cjmtui ./rank``. The UI (and so textual) is imported only when it is
opened: ``rank``, ``export`` and friends start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from pydantic import ValidationError

from . import __version__
from .core import scoring, store
from .core.errors import CjmError, ExportError, SessionFileError
from .core.model import Session
from .core.safety import printable, safe_filename

COMMANDS = ("new", "validate", "rank", "export")
DEFAULT_TEMPLATES = ("blank", "onboarding", "buying", "service")
RANK_FORMATS = ("table", "md", "csv", "json")
EXPORT_FORMATS = ("md", "csv", "csv-map", "json", "html")

USAGE = """\
%(prog)s [-h] [--version] [--dir DIR] [FILE]
       %(prog)s new NAME [--template {templates}] [--dir DIR] [--facilitator NAME]
       %(prog)s validate FILE
       %(prog)s rank FILE [--format {{table,md,csv,json}}] [--top N] [--persona ID]
       %(prog)s export FILE --format {{md,csv,csv-map,json}} [-o OUT] [--persona ID]"""

EPILOG = """\
commands:
  new        create a session file from a template in the sessions folder
  validate   check a session file; prints a summary, or what is wrong and where
  rank       rank the quick wins (and the root-cause processes) of a session
  export     write the session and its ranking as Markdown, CSV, JSON or an HTML report

Sessions folder: --dir, else $CJMTUI_SESSIONS, else ./sessions if it exists, else the user
data folder. Exit codes: 0 ok, 1 bad input, 2 usage. `cjmtui COMMAND -h` for a command's help."""


# ---------------------------------------------------------------------------------------------
# Parsers


def _template_names() -> tuple[str, ...]:
    try:
        from .core.templates import TEMPLATES
    except ImportError:
        return DEFAULT_TEMPLATES
    names = tuple(t if isinstance(t, str) else str(getattr(t, "name", t)) for t in TEMPLATES)
    return names or DEFAULT_TEMPLATES


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _usage(templates: Sequence[str]) -> str:
    return USAGE.replace("{templates}", "{" + ",".join(templates) + "}").replace("{{", "{").replace("}}", "}")


def _tui_parser(templates: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cjmtui",
        usage=_usage(templates),
        description="Run Level 1 customer journey mapping workshops in the terminal and rank the "
        "upstream quick wins. With no command, opens the workshop UI.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="a session file to open")
    parser.add_argument("--dir", metavar="DIR", help="the sessions folder")
    parser.add_argument("--version", action="version", version=f"cjmtui {__version__}")
    return parser


def _command_parser(templates: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cjmtui", usage=_usage(templates), epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("new", prog="cjmtui new", help="create a session file from a template",
                       description="Create NAME.toml (a file name made from NAME) in the sessions folder "
                       "and print its path. Never overwrites a file.")
    p.add_argument("name", metavar="NAME", help="the session's title")
    p.add_argument("--template", choices=templates, default="blank", help="what to start from (default: blank)")
    p.add_argument("--dir", metavar="DIR", help="the sessions folder")
    p.add_argument("--facilitator", metavar="NAME", default="", help="who runs the workshop")

    p = sub.add_parser("validate", prog="cjmtui validate", help="check a session file",
                       description="Check a session file: prints 'ok: …' and exits 0, or prints what is "
                       "wrong (file, table[item].field: problem) and exits 1.")
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser("rank", prog="cjmtui rank", help="rank the quick wins of a session",
                       description="Rank the solutions (quick wins first) and the root-cause processes.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=RANK_FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--top", type=_positive_int, metavar="N", help="only the first N solutions and processes")
    p.add_argument("--persona", metavar="ID", help="count only the pains of this persona (id or name)")

    p = sub.add_parser("export", prog="cjmtui export", help="export a session and its ranking",
                       description="Export as Markdown (the workshop write-up), CSV (the ranking table), "
                       "csv-map (one row per pain or gain), JSON (ranking plus the whole session) or html "
                       "(the printable journey map report, one self-contained file). "
                       "Writes to stdout unless -o is given.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=EXPORT_FORMATS, required=True, help="export format")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (atomically) instead of stdout")
    p.add_argument("--persona", metavar="ID", help="rank for this persona only (id or name)")
    return parser


# ---------------------------------------------------------------------------------------------
# Output


def _write(stream: TextIO, text: str) -> None:
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


def _emit(text: str) -> None:
    """Export text to stdout; on a terminal, made printable (it is data, not commands)."""
    if _isatty(sys.stdout):
        text = printable(text, single_line=False)
    _write(sys.stdout, text)


def _say(text: str, stream: TextIO | None = None) -> None:
    _write(stream or sys.stdout, printable(text, single_line=False) + "\n")


def _error(message: str) -> None:
    _write(sys.stderr, "error: " + printable(message, single_line=False) + "\n")


def _os_message(exc: OSError) -> str:
    if exc.filename is not None and exc.strerror:
        return f"{exc.filename}: {exc.strerror}"
    return str(exc)


def _validation_message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors(include_url=False):
        where = ".".join(str(x) for x in err["loc"]) or "value"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts) or str(exc)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


# ---------------------------------------------------------------------------------------------
# Commands


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


def cmd_new(args: argparse.Namespace) -> int:
    from .core.templates import new_session

    name = args.name
    if not name.strip():
        raise CjmError("a session needs a name")
    folder = store.sessions_dir(args.dir)
    path = folder / safe_filename(name, suffix=store.SUFFIX)
    session = new_session(name, args.template, facilitator=args.facilitator or "", date=dt.date.today())
    folder.mkdir(parents=True, exist_ok=True)
    store.save_session(path, session)  # refuses to overwrite an existing file
    _say(str(path))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    s = _load(args.file)
    pains = sum(p.kind == "pain" for p in s.pains)
    gains = len(s.pains) - pains
    _say(
        "ok: "
        + ", ".join(
            [
                _plural(len(s.stages), "stage"),
                _plural(pains, "pain"),
                _plural(gains, "gain"),
                _plural(len(s.processes), "process", "processes"),
                _plural(len(s.solutions), "solution"),
                _plural(len(s.personas), "persona"),
                _plural(len(s.departments), "department"),
            ]
        )
    )
    return 0


def _rank_table(session: Session, ranking: scoring.Ranking) -> None:
    """The ranking as Rich tables. User text goes in as Text (never markup), made printable."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .core.export import fmt_number

    def plain(value: object, style: str = "") -> Text:
        return Text(printable(str(value)), style=style)

    stages = {s.id: s.name for s in session.stages}
    depts = {d.id: d.name for d in session.departments}
    personas = {p.id: p.name for p in session.personas}
    console = Console(file=sys.stdout, highlight=False, markup=False, emoji=False)

    title = Text("Quick wins — ", style="bold") + plain(session.session.title, "bold")
    caption = None
    if ranking.persona is not None:
        caption = Text("for persona ") + plain(personas.get(ranking.persona, ranking.persona))
    wide = console.width >= 110  # room for the confidence, status and owner columns

    def new_table(title: Text | None = None, caption: Text | None = None) -> Table:
        return Table(title=title, caption=caption, title_justify="left", caption_justify="left",
                     box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)

    if not ranking.solutions:
        console.print(title)
        console.print(Text("No solutions yet."))
    else:
        table = new_table(title, caption)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Solution", ratio=1, min_width=16, overflow="fold")
        numbers = ["Score", "Impact", "Effort"] + (["Conf."] if wide else []) + ["Stages"]
        for name in numbers:
            table.add_column(name, justify="right", no_wrap=True)
        table.add_column("Quadrant", no_wrap=True)
        if wide:
            table.add_column("Status", no_wrap=True)
        for s in ranking.solutions:
            cells = [Text(str(s.rank)), plain(s.text), Text(fmt_number(s.score)), Text(fmt_number(s.impact)),
                     Text(str(s.effort))]
            if wide:
                cells.append(Text(fmt_number(s.confidence)))
            cells.append(Text(str(s.stages_reached)))
            cells.append(Text(s.quadrant, style="bold green" if s.quadrant == scoring.QUICK_WIN else ""))
            if wide:
                cells.append(Text(s.status))
            table.add_row(*cells)
        console.print(table)

    if ranking.processes:
        table = new_table(Text("Root-cause processes", style="bold"))
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("Process", ratio=2, min_width=16, overflow="fold")
        if wide:
            table.add_column("Owner", ratio=1, overflow="fold")
        table.add_column("Stage", ratio=1, overflow="fold")
        for name in ("Score", "Impact", "Stages"):
            table.add_column(name, justify="right", no_wrap=True)
        for p in ranking.processes:
            cells = [Text(str(p.rank)), plain(p.name)]
            if wide:
                cells.append(plain(depts.get(p.owner, p.owner) if p.owner else ""))
            cells += [plain(stages.get(p.stage, p.stage)), Text(fmt_number(p.score)), Text(fmt_number(p.impact)),
                      Text(str(p.stages_reached))]
            table.add_row(*cells)
        console.print()
        console.print(table)


def cmd_rank(args: argparse.Namespace) -> int:
    from .core import export

    session = _load(args.file)
    persona = _persona(session, args.persona, args.file)
    ranking = export.top_of(scoring.rank(session, persona), args.top)
    if args.format == "table":
        _rank_table(session, ranking)
    elif args.format == "md":
        _emit(export.ranking_markdown(ranking, session))
    elif args.format == "csv":
        _emit(export.export_csv(session, ranking))
    else:
        _emit(export.dumps_json(export.ranking_json_data(ranking, session)))
    return 0


def _same_file(a: Path, b: Path) -> bool:
    with contextlib.suppress(OSError):
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    with contextlib.suppress(OSError, RuntimeError):
        return a.resolve() == b.resolve()
    return False


def cmd_export(args: argparse.Namespace) -> int:
    from .core import export, report

    session = _load(args.file)
    persona = _persona(session, args.persona, args.file)
    ranking = scoring.rank(session, persona)
    makers: dict[str, Callable[[], str]] = {
        "md": lambda: export.export_markdown(session, ranking),
        "csv": lambda: export.export_csv(session, ranking),
        "csv-map": lambda: export.export_csv_map(session),
        "json": lambda: export.export_json(session, ranking),
        "html": lambda: report.export_html(session, ranking),
    }
    text = makers[args.format]()
    if args.output in (None, "-"):
        _emit(text)
        return 0
    out = Path(args.output)
    if _same_file(out, Path(args.file)):
        raise ExportError(f"{out}: is the session file itself; choose another output file")
    path = export.write_export(text, out)
    _say(str(path))
    return 0


def open_tui(args: argparse.Namespace) -> int:
    path: Path | None = None
    if args.file is not None:
        path = Path(args.file)
        try:
            store.load_session(path)  # a clear error now, before the screen is taken over
        except SessionFileError as exc:
            if not os.path.lexists(path):
                raise CjmError(f"{exc} (to start a new session: cjmtui new NAME)") from None
            raise
    folder = store.sessions_dir(args.dir)
    try:
        from .ui.app import run
    except ModuleNotFoundError as exc:
        if exc.name and (exc.name.startswith("cjmtui.ui") or exc.name.startswith("textual")):
            raise CjmError(f"the workshop UI is not available ({exc.name} is missing); "
                           "the rank, export, validate and new commands still work") from None
        raise
    return int(run(path, folder) or 0)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new,
    "validate": cmd_validate,
    "rank": cmd_rank,
    "export": cmd_export,
}


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    _write(sys.stderr, f"{code}\n")
    return 1


def _quiet_stdout() -> None:
    # The reader went away (``cjmtui export … | head``): say nothing more, exit quietly.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    """Run the ``cjmtui`` command with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    templates = _template_names()
    try:
        if args_list and args_list[0] in COMMANDS:
            args = _command_parser(templates).parse_args(args_list)
        else:
            args = _tui_parser(templates).parse_args(args_list)
            args.command = None
    except SystemExit as exc:  # -h, --version (0) and usage errors (2)
        return _exit_code(exc.code)

    try:
        if args.command is None:
            return open_tui(args)
        return HANDLERS[args.command](args)
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    except CjmError as exc:
        _error(str(exc))
        return 1
    except ValidationError as exc:
        _error(_validation_message(exc))
        return 1
    except OSError as exc:
        _error(_os_message(exc))
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
