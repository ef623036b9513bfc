"""The ``cjmtui`` command: open the workshop UI, or create, check, rank and export sessions.

Usage::

    cjmtui [FILE] [--dir DIR]                       open the terminal UI (on FILE, if given)
    cjmtui new NAME [--template T] [--dir DIR] [--facilitator NAME]
    cjmtui validate FILE
    cjmtui rank FILE [--format table|md|csv|json] [--top N] [--persona ID]
    cjmtui export FILE --format md|csv|csv-map|json|html [-o OUT] [--persona ID]
    cjmtui future FILE [-o OUT]
    cjmtui compare CURRENT FUTURE [--format table|md|json]
    cjmtui friction FILE [--persona ID] [--format table|md|csv|json]

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
from .core.workspace import Workspace

COMMANDS = ("new", "validate", "rank", "export", "future", "compare", "friction")
DEFAULT_TEMPLATES = ("blank", "onboarding", "buying", "service")
RANK_FORMATS = ("table", "md", "csv", "json")
EXPORT_FORMATS = ("md", "csv", "csv-map", "json", "html")
COMPARE_FORMATS = ("table", "md", "json")
FRICTION_FORMATS = ("table", "md", "csv", "json")

USAGE = """\
%(prog)s [-h] [--version] [--dir DIR] [FILE]
       %(prog)s new NAME [--template {templates}] [--dir DIR] [--facilitator NAME]
       %(prog)s validate FILE
       %(prog)s rank FILE [--format {{table,md,csv,json}}] [--top N] [--persona ID]
       %(prog)s export FILE --format {{md,csv,csv-map,json,html}} [-o OUT] [--persona ID]
       %(prog)s future FILE [-o OUT]
       %(prog)s compare CURRENT FUTURE [--format {{table,md,json}}]
       %(prog)s friction FILE [--persona ID] [--format {{table,md,csv,json}}]"""

EPILOG = """\
commands:
  new        create a session file from a template in the sessions folder
  validate   check a session file; prints a summary, or what is wrong and where
  rank       rank the quick wins (and the root-cause processes) of a session
  export     write the session and its ranking as Markdown, CSV, JSON or an HTML report
  future     derive a future-state session from a current-state one (a new file)
  compare    compare a current state with its future state: pains removed and added,
             emotion changes, and what the done and under-way solutions were meant to remove
  friction   per stage: pains and their weight, departments involved, handoffs, and the
             process whose fix reaches the most pains downstream

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

    p = sub.add_parser("future", prog="cjmtui future", help="derive a future-state session",
                       description="Copy FILE as a future-state session (state = \"future\", its title marked, "
                       "origin = FILE's name) and print the new file's path. Never overwrites a file. Keep it "
                       "in the same folder as FILE: the workshop UI looks for the current state beside it.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="the new file (default: STEM-future.toml beside FILE)")

    p = sub.add_parser("compare", prog="cjmtui compare", help="compare a current state with its future state",
                       description="Compare two sessions item by item (matched by id): pains removed and added, "
                       "emotion changes per stage and persona, and which done or under-way solutions of the "
                       "future state were meant to remove which of the removed pains.")
    p.add_argument("current", metavar="CURRENT", help="the current-state session")
    p.add_argument("future", metavar="FUTURE", help="the future-state session")
    p.add_argument("--format", choices=COMPARE_FORMATS, default="table", help="output format (default: table)")

    p = sub.add_parser("friction", prog="cjmtui friction", help="friction per stage of a session",
                       description="Per stage, in journey order: the pains and their weight, the departments "
                       "involved, the handoffs to another department, and the process of the stage whose fix "
                       "reaches the most pains.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--persona", metavar="ID", help="count only the pains of this persona (id or name)")
    p.add_argument("--format", choices=FRICTION_FORMATS, default="table", help="output format (default: table)")
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


def cmd_future(args: argparse.Namespace) -> int:
    from .core.future import derive_future

    source = Path(args.file)
    session = _load(args.file)
    if session.session.state == "future":
        raise CjmError(f"{source}: is already a future-state session")
    if args.output in (None, ""):
        out = source.with_name(f"{source.stem}-future{store.SUFFIX}")
    else:
        out = Path(args.output)
    if _same_file(out, source):
        raise CjmError(f"{out}: is the session file itself; choose another output file")
    store.save_session(out, derive_future(session, source))  # refuses to overwrite an existing file
    _say(str(out))
    return 0


def _emotion(value: int | None) -> str:
    return "—" if value is None else f"{value:+d}"


def _compare_table(current: Session, future: Session, data: dict[str, Any]) -> None:
    """The comparison as Rich tables. User text goes in as Text (never markup), made printable."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    def plain(value: object, style: str = "") -> Text:
        return Text(printable(str(value)), style=style)

    console = Console(file=sys.stdout, highlight=False, markup=False, emoji=False)

    def new_table(title: str) -> Table:
        return Table(title=Text(title, style="bold"), title_justify="left", box=box.SIMPLE_HEAD,
                     pad_edge=False, collapse_padding=True)

    console.print(Text("Current vs future state — ", style="bold") + plain(future.session.title, "bold"))
    for key, title in (("removed", "Pains removed"), ("added", "Pains added")):
        console.print()
        pains = data[key]
        if not pains:
            console.print(Text(f"{title}: none"))
            continue
        table = new_table(f"{title} ({len(pains)})")
        table.add_column("Pain", ratio=2, min_width=16, overflow="fold")
        table.add_column("Stage", ratio=1, overflow="fold")
        for p in pains:
            table.add_row(plain(p["text"]), plain(p["stage_name"]))
        console.print(table)
    console.print()
    if not data["emotion"]:
        console.print(Text("Emotion changes: none"))
    else:
        table = new_table(f"Emotion changes ({len(data['emotion'])})")
        table.add_column("Stage", ratio=1, overflow="fold")
        table.add_column("Persona", ratio=1, overflow="fold")
        table.add_column("Before", justify="right", no_wrap=True)
        table.add_column("After", justify="right", no_wrap=True)
        for c in data["emotion"]:
            table.add_row(plain(c["stage_name"]), plain(c["persona_name"]), Text(_emotion(c["before"])),
                          Text(_emotion(c["after"])))
        console.print(table)
    console.print()
    if not data["meant_to_remove"]:
        console.print(Text("No solution is done or under way."))
    else:
        table = new_table("Solutions done or under way, and the removed pains they were meant to remove")
        table.add_column("Solution", ratio=1, min_width=16, overflow="fold")
        table.add_column("Status", no_wrap=True)
        table.add_column("Removed pains it reaches", ratio=1, overflow="fold")
        for item in data["meant_to_remove"]:
            reached = "; ".join(p["text"] for p in item["pains"]) or "none of the removed pains"
            table.add_row(plain(item["text"]), Text(item["status"]), plain(reached))
        console.print(table)


def cmd_compare(args: argparse.Namespace) -> int:
    from .core import export
    from .core.future import compare

    current = _load(args.current)
    future = _load(args.future)
    for session, file, state in ((current, args.current, "current"), (future, args.future, "future")):
        if session.session.state != state:  # swapped arguments read as "pains added": say so
            _say(f"note: {file} is marked as a {session.session.state}-state session; "
                 f"comparing it as the {state} state anyway", sys.stderr)
    result = compare(current, future)
    data = export.comparison_json_data(current, future, result)
    if args.format == "table":
        _compare_table(current, future, data)
    elif args.format == "md":
        _emit(export.comparison_markdown(current, future, result, Path(args.current).name, Path(args.future).name))
    else:
        _emit(export.dumps_json(data))
    return 0


def _friction_table(session: Session, persona: str | None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from .core.friction import stage_friction

    def plain(value: object, style: str = "") -> Text:
        return Text(printable(str(value)), style=style)

    console = Console(file=sys.stdout, highlight=False, markup=False, emoji=False)
    title = Text("Friction by stage — ", style="bold") + plain(session.session.title, "bold")
    rows = stage_friction(session, persona)
    if not rows:
        console.print(title)
        console.print(Text("No stages yet."))
        return
    caption = None
    if persona is not None:
        names = {p.id: p.name for p in session.personas}
        caption = Text("for persona ") + plain(names.get(persona, persona))
    procs = {p.id: p.name for p in session.processes}
    heaviest = max(r.pain_weight for r in rows)
    table = Table(title=title, caption=caption, title_justify="left", caption_justify="left",
                  box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Stage", ratio=1, min_width=12, overflow="fold")
    for name in ("Pains", "Weight", "Depts", "Handoffs"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Most downstream reach", ratio=1, min_width=12, overflow="fold")
    for i, r in enumerate(rows, 1):
        top = plain(f"{procs.get(r.top_process, r.top_process)} ({_plural(r.top_reach, 'pain')})") if r.top_process else Text("—")
        table.add_row(Text(str(i)), plain(r.name), Text(str(r.pains)),
                      Text(str(r.pain_weight), style="bold" if r.pain_weight and r.pain_weight == heaviest else ""),
                      Text(str(r.departments)), Text(str(r.handoffs)), top)
    console.print(table)


def cmd_friction(args: argparse.Namespace) -> int:
    from .core import export

    session = _load(args.file)
    persona = _persona(session, args.persona, args.file)
    if args.format == "table":
        _friction_table(session, persona)
    elif args.format == "md":
        _emit(export.friction_markdown(session, persona))
    elif args.format == "csv":
        _emit(export.export_friction_csv(session, persona))
    else:
        _emit(export.dumps_json({"persona": persona, "stages": export.friction_json_data(session, persona)}))
    return 0


def open_tui(args: argparse.Namespace) -> int:
    workspace: Workspace | None = None
    if args.file is not None:
        path = Path(args.file)
        try:
            workspace = Workspace.open(path)  # a clear error now, before the screen is taken over
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
                           "the rank, export, validate, new, future, compare and friction commands still work") from None
        raise
    return int(run(workspace, folder) or 0)


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": cmd_new,
    "validate": cmd_validate,
    "rank": cmd_rank,
    "export": cmd_export,
    "future": cmd_future,
    "compare": cmd_compare,
    "friction": cmd_friction,
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
