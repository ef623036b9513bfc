"""The ``cjmtui`` command: open the workshop UI, or create, check, rank and export sessions.

Usage::

    cjmtui [FILE] [--dir DIR]                       open the terminal UI (on FILE, if given)
    cjmtui new NAME [--template T] [--journey J] [--dir DIR] [--facilitator NAME]
    cjmtui validate FILE
    cjmtui rank FILE [--format table|md|csv|json] [--top N] [--persona ID] [--why] [--indent N]
    cjmtui export FILE --format FORMAT [-o OUT] [--persona ID] [--indent N]
    cjmtui future FILE [-o OUT]
    cjmtui compare CURRENT FUTURE [--format table|md|json]
    cjmtui friction FILE [--persona ID] [--format table|md|csv|json]
    cjmtui review FILE [--as-of DATE] [--since DATE] [--future LATER] [--format table|md|json]
    cjmtui rollup FILE FILE… [--format table|md|csv|json|html] [--map MAPPING] [--top N] [-o OUT]

The export FORMATs are :data:`cjmtui.core.export.FORMATS` (``cjmtui export -h`` lists them).
Exit codes: 0 ok, 1 bad input (a clear message on stderr, never a traceback), 2 usage.

A subcommand is recognised only as the first argument, so a session file literally named
``rank`` opens with ``cjmtui ./rank``. The UI (and so textual) is imported only when it is
opened: ``rank``, ``export`` and friends start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import ValidationError

from .. import __version__
from ..core.errors import CjmError
from ..core.export import FORMATS
from ..core.export import ROLLUP_FORMATS as ROLLUP_TEXT_FORMATS
from ..core.export.tabular import CSV_DIALECTS
from ..core.model import JOURNEYS
from ..core.safety import printable
from ..core.templates import TEMPLATES
from . import commands
from .commands import write
from .completion import SHELLS, bash_script

COMMANDS = (
    "new",
    "join",
    "serve",
    "validate",
    "rank",
    "export",
    "future",
    "compare",
    "friction",
    "review",
    "rollup",
    "schema",
    "completion",
    "merge-driver",
)
RANK_FORMATS = ("table", "md", "csv", "json")
COMPARE_FORMATS = ("table", "md", "json")
FRICTION_FORMATS = ("table", "md", "csv", "json")
REVIEW_FORMATS = ("table", "md", "json")
ROLLUP_FORMATS = ("table", *ROLLUP_TEXT_FORMATS)  # the terminal's table, then the rollup's text formats

USAGE = """\
%(prog)s [-h] [--version] [--dir DIR] [FILE]
       %(prog)s new NAME [--template {templates}] [--journey J] [--dir DIR] [--facilitator NAME]
       %(prog)s join FILE --as NAME
       %(prog)s serve FILE [--port PORT] [--code WORDS] [--bind ADDR] [--authorized-keys FILE]
       %(prog)s validate FILE
       %(prog)s rank FILE [--format {{table,md,csv,json}}] [--top N] [--persona ID] [--why] [--indent N]
       %(prog)s export FILE --format {formats} [-o OUT] [--persona ID] [--indent N] [--csv-dialect D]
       %(prog)s future FILE [-o OUT]
       %(prog)s compare CURRENT FUTURE [--format {{table,md,json}}]
       %(prog)s friction FILE [--persona ID] [--format {{table,md,csv,json}}]
       %(prog)s review FILE [--as-of DATE] [--since DATE] [--future LATER] [--format {{table,md,json}}] [--record]
       %(prog)s rollup FILE [FILE ...] [--format {{table,md,csv,json,html}}] [--map MAPPING] [--top N] [-o OUT]
       %(prog)s schema [-o OUT]
       %(prog)s completion {{bash,zsh}}
       %(prog)s merge-driver ANCESTOR CURRENT OTHER [PATH]"""

_EPILOG = """\
commands:
  new        create a session file from a template in the sessions folder
  join       open a session as a participant: your notes carry your name, and you change
             and delete only your own (the facilitator opens it with cjmtui FILE)
  serve      open a session as the facilitator and let participants in over SSH: they type
             ssh -p PORT NAME@HOST and the room code, with no account on this machine
  validate   check a session file; prints a summary, or what is wrong and where
  rank       rank the quick wins (and the root-cause processes) of a session
  export     write the session and its ranking: {format_names}
  future     derive a future-state session from a current-state one (a new file)
  compare    compare a current state with its future state: pains removed and added,
             emotion changes, and what the done and under-way solutions were meant to remove
  friction   per stage: pains and their weight, departments involved, handoffs, and the
             process whose fix reaches the most pains downstream
  review     the review meeting: solutions overdue, due for review, and done since the last
             review, with the pains they were meant to remove (gone or still there in a later session)
  rollup     root causes across workshops: the processes of several sessions matched (same
             id, or same department and name; a mapping file fixes matches) and ranked together
  schema     print the JSON Schema of session files (for editors: #:schema on the first line)
  completion print the shell completion: eval "$(cjmtui completion bash)" in ~/.bashrc
  merge-driver  git's merge driver for session files: both sides' notes, no conflict markers
             (README, "Sessions in git")

Sessions folder: --dir, else $CJMTUI_SESSIONS, else ./sessions if it exists, else the user
data folder. Exit codes: 0 ok, 1 bad input, 2 usage. `cjmtui COMMAND -h` for a command's help."""
EPILOG = _EPILOG.replace("{format_names}", ", ".join(FORMATS))

# ---------------------------------------------------------------------------------------------
# Parsers


def _export_description() -> str:
    """The export command's help, one line per format, from the format registry."""
    width = max(len(name) for name in FORMATS)
    lines = [f"  {name:<{width}}  {fmt.summary}" for name, fmt in FORMATS.items()]
    dialects = [f"  {name:<{width}}  {d.summary}" for name, d in CSV_DIALECTS.items()]
    return (
        "Export the session and its ranking in one of these formats:\n\n"
        + "\n".join(lines)
        + "\n\nWrites to stdout unless -o is given. For people, xlsx: CSV is for tools, and\n"
        "--csv-dialect (csv and csv-map) writes one a spreadsheet in a locale opens:\n\n" + "\n".join(dialects)
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def _usage(templates: Sequence[str]) -> str:
    return (
        USAGE.replace("{templates}", "{" + ",".join(templates) + "}")
        .replace("{formats}", "{" + ",".join(FORMATS) + "}")
        .replace("{{", "{")
        .replace("}}", "}")
    )


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
    parser = argparse.ArgumentParser(
        prog="cjmtui", usage=_usage(templates), epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _session_commands(sub, templates)
    _room_commands(sub)
    return parser


def _session_commands(sub: Any, templates: Sequence[str]) -> None:
    """new, join, serve, validate, rank and export."""
    # Long on purpose: declarations only, one add_parser per command in the order --help lists
    # them, each read on its own; splitting it would only scatter the commands' help.
    p = sub.add_parser(
        "new",
        prog="cjmtui new",
        help="create a session file from a template",
        description="Create NAME.toml (a file name made from NAME) in the sessions folder "
        "and print its path. Never overwrites a file.",
    )
    p.add_argument("name", metavar="NAME", help="the session's title")
    p.add_argument("--template", choices=templates, default="blank", help="what to start from (default: blank)")
    p.add_argument(
        "--journey", choices=JOURNEYS, default=None, help="the journey type (default: the template's; empty: other)"
    )
    p.add_argument("--dir", metavar="DIR", help="the sessions folder")
    p.add_argument("--facilitator", metavar="NAME", default="", help="who runs the workshop")

    p = sub.add_parser(
        "join",
        prog="cjmtui join",
        help="open a session as a participant",
        description="Open FILE in the workshop UI as the participant NAME: every item you add "
        "records your name (created_by), and you change and delete only your own items. The "
        "facilitator opens the same file with  cjmtui FILE ; saves merge, so nobody's notes are lost.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as", dest="as_name", metavar="NAME", required=True, help="your name, as the room knows you")
    p.add_argument("--dir", metavar="DIR", help="the sessions folder")
    p.add_argument(
        "--restricted",
        action="store_true",
        help="the app as cjmtui serve starts it: this session only, no other files, no facilitator keys",
    )

    p = sub.add_parser(
        "serve",
        prog="cjmtui serve",
        help="run the workshop and let participants in over SSH",
        description="Open FILE as the facilitator (as cjmtui FILE does) and serve it over SSH: a "
        "participant types  ssh -p PORT NAME@HOST  and the room code, and gets their own app on this "
        "session under NAME, restricted to their notes and dots: no shell, no commands, no files, no "
        "forwarding. The top bar and F1 show the line to type, the code and the host key's "
        "fingerprint. F10 ends the workshop for everyone. Needs asyncssh: pip install 'cjmtui[serve]'.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--port", type=int, default=2222, help="the port to listen on (default: 2222)")
    p.add_argument("--code", metavar="WORDS", help="the room code (default: three random words)")
    p.add_argument("--bind", metavar="ADDR", default="0.0.0.0", help="the address to listen on (default: all)")
    p.add_argument("--authorized-keys", metavar="FILE", help="also let in the keys listed in FILE (OpenSSH's format)")
    p.add_argument("--dir", metavar="DIR", help="the sessions folder")

    p = sub.add_parser(
        "validate",
        prog="cjmtui validate",
        help="check a session file",
        description="Check a session file: prints 'ok: …' and exits 0, or prints what is "
        "wrong (file, table[item].field: problem) and exits 1.",
    )
    p.add_argument("file", metavar="FILE")

    p = sub.add_parser(
        "rank",
        prog="cjmtui rank",
        help="rank the quick wins of a session",
        description="Rank the solutions (quick wins first) and the root-cause processes.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=RANK_FORMATS, default="table", help="output format (default: table)")
    p.add_argument("--top", type=_positive_int, metavar="N", help="only the first N solutions and processes")
    p.add_argument("--persona", metavar="ID", help="count only the pains of this persona (id or name)")
    p.add_argument("--why", action="store_true", help="json: each row's breakdown, the pains its fix reaches")
    p.add_argument("--indent", type=_positive_int, metavar="N", help="json: indent by N spaces (default: compact)")

    p = sub.add_parser(
        "export",
        prog="cjmtui export",
        help="export a session and its ranking",
        description=_export_description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--format", choices=tuple(FORMATS), required=True, help="export format")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (atomically) instead of stdout")
    p.add_argument("--persona", metavar="ID", help="rank for this persona only (id or name)")
    p.add_argument("--indent", type=_positive_int, metavar="N", help="json: indent by N spaces (default: compact)")
    p.add_argument(
        "--csv-dialect",
        choices=tuple(CSV_DIALECTS),
        metavar="D",
        help=f"csv, csv-map: {', '.join(CSV_DIALECTS)} (default: tools; see above)",
    )


def _room_commands(sub: Any) -> None:
    """future, compare, friction, review and rollup (after the workshop); schema, completion and
    merge-driver."""
    # Long on purpose: declarations only, one add_parser per command in the order --help lists
    # them, each read on its own; splitting it would only scatter the commands' help.
    p = sub.add_parser(
        "future",
        prog="cjmtui future",
        help="derive a future-state session",
        description='Copy FILE as a future-state session (state = "future", its title marked, '
        "origin = FILE's name) and print the new file's path. Never overwrites a file. Keep it "
        "in the same folder as FILE: the workshop UI looks for the current state beside it.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "-o", "--output", metavar="OUT", help="the new file (default: STEM-future.toml beside FILE; -2, -3… if taken)"
    )

    p = sub.add_parser(
        "compare",
        prog="cjmtui compare",
        help="compare a current state with its future state",
        description="Compare two sessions item by item (matched by id): pains removed and added, "
        "emotion changes per stage and persona, and which done or under-way solutions of the "
        "future state were meant to remove which of the removed pains.",
    )
    p.add_argument("current", metavar="CURRENT", help="the current-state session")
    p.add_argument("future", metavar="FUTURE", help="the future-state session")
    p.add_argument("--format", choices=COMPARE_FORMATS, default="table", help="output format (default: table)")

    p = sub.add_parser(
        "friction",
        prog="cjmtui friction",
        help="friction per stage of a session",
        description="Per stage, in journey order: the pains and their weight, the departments "
        "involved, the handoffs to another department, and the process of the stage whose fix "
        "reaches the most pains.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--persona", metavar="ID", help="count only the pains of this persona (id or name)")
    p.add_argument("--format", choices=FRICTION_FORMATS, default="table", help="output format (default: table)")

    p = sub.add_parser(
        "review",
        prog="cjmtui review",
        help="what to go through in a review meeting",
        description="For a review meeting after the workshop: the solutions overdue (due before "
        "DATE, neither done nor dropped), due for review (review date DATE or earlier), and done "
        "since the last review (by the dates in their status history), each done one with the pains "
        "it was meant to remove. The last review is --since; without it, the workshop's date "
        "([session] date); without that, every done solution is listed.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--as-of", metavar="DATE", help="the meeting's day, YYYY-MM-DD (default: today)")
    p.add_argument("--since", metavar="DATE", help="the last review meeting's day, YYYY-MM-DD")
    p.add_argument(
        "--future",
        metavar="LATER",
        help="a later session of the same journey: says whether each pain is gone or still there",
    )
    p.add_argument("--format", choices=REVIEW_FORMATS, default="table", help="output format (default: table)")
    p.add_argument(
        "--record",
        action="store_true",
        help="write the meeting's day as 'reviewed' on each solution due for review (they stop being due)",
    )

    p = sub.add_parser(
        "rollup",
        prog="cjmtui rollup",
        help="root causes across workshops",
        description="Rank the internal processes that cause pain across several workshops. Processes "
        "are matched across the files by the same id, or by the same department (by name) and process "
        "name, case and spacing ignored; --map names a mapping file whose [[same]] and [[different]] "
        "tables join or split matches (docs/session-format.md). Each root cause's score and impact are "
        "the sums of its process ranking in each workshop (as cjmtui rank ranks processes). Writes to "
        "stdout unless -o is given.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="session files (two or more, in any order)")
    p.add_argument(
        "--format",
        choices=ROLLUP_FORMATS,
        help="output format (default: table, or with -o the output file's ending: "
        + " ".join("." + name for name in ROLLUP_TEXT_FORMATS)
        + ")",
    )
    p.add_argument("--map", metavar="MAPPING", help="a mapping file (TOML) joining or splitting matches")
    p.add_argument("--top", type=_positive_int, metavar="N", help="only the first N root causes")
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (atomically) instead of stdout")

    p = sub.add_parser(
        "schema",
        prog="cjmtui schema",
        help="print the JSON Schema of session files",
        description="Print the JSON Schema of session files (generated from the model, the same as "
        "docs/session.schema.json). Editors built on taplo validate and complete a session whose first "
        "line is  #:schema PATH-TO-THE-SCHEMA  (new sessions get one; saves keep it).",
    )
    p.add_argument("-o", "--output", metavar="OUT", help="write to this file (atomically) instead of stdout")

    p = sub.add_parser(
        "completion",
        prog="cjmtui completion",
        help="print the shell completion",
        description='Print shell completion for cjmtui. bash: eval "$(cjmtui completion bash)" in ~/.bashrc; '
        "zsh: autoload -U bashcompinit && bashcompinit, then the same with zsh.",
    )
    p.add_argument("shell", choices=SHELLS)

    p = sub.add_parser(
        "merge-driver",
        prog="cjmtui merge-driver",
        help="git's merge driver for session files",
        description="Merge two versions of a session file item by item, as the app merges two "
        "people's saves: every note of both sides is kept and no conflict markers are written. "
        "The same field changed on both sides keeps CURRENT's value; the other is reported on "
        "stderr and kept in the session's parking lot. Writes the merge into CURRENT and exits 0; "
        "exits 1 (and changes nothing) only when a version cannot be read. Install: in "
        ".gitattributes  *.toml merge=cjmtui  and  git config merge.cjmtui.driver "
        "'cjmtui merge-driver %O %A %B %P'.",
    )
    p.add_argument("ancestor", metavar="ANCESTOR", help="the common ancestor (git's %%O; empty: none)")
    p.add_argument("current", metavar="CURRENT", help="this branch's version, overwritten with the merge (%%A)")
    p.add_argument("other", metavar="OTHER", help="the other branch's version (%%B)")
    p.add_argument("path", metavar="PATH", nargs="?", help="the file's name in the repository, for messages (%%P)")


# ---------------------------------------------------------------------------------------------
# Output


def _error(message: str) -> None:
    write(sys.stderr, "error: " + printable(message, single_line=False) + "\n")


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


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "new": commands.cmd_new,
    "join": commands.cmd_join,
    "serve": commands.cmd_serve,
    "validate": commands.cmd_validate,
    "rank": commands.cmd_rank,
    "export": commands.cmd_export,
    "future": commands.cmd_future,
    "compare": commands.cmd_compare,
    "friction": commands.cmd_friction,
    "review": commands.cmd_review,
    "rollup": commands.cmd_rollup,
    "schema": commands.cmd_schema,
    "completion": lambda args: _completion(),
    "merge-driver": commands.cmd_merge_driver,
}


def _completion() -> int:
    write(sys.stdout, bash_script(_command_parser(TEMPLATES), _tui_parser(TEMPLATES)))
    return 0


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    write(sys.stderr, f"{code}\n")
    return 1


def _quiet_stdout() -> None:
    # The reader went away (``cjmtui export … | head``): say nothing more, exit quietly.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def main(argv: list[str] | None = None) -> int:
    """Run the ``cjmtui`` command with ``argv`` (default: ``sys.argv[1:]``); returns the exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    commands.tolerate_narrow_terminals()
    templates = TEMPLATES
    try:
        if args_list and args_list[0] in COMMANDS:
            args = _command_parser(templates).parse_args(args_list)
        else:
            args = _tui_parser(templates).parse_args(args_list)
            args.command = None
    except SystemExit as exc:  # -h, --version (0) and usage errors (2)
        return _exit_code(exc.code)

    if args.command is not None:
        gc.enable()  # off while the program started (cjmtui/__main__.py); the TUI turns it on itself
    try:
        if args.command is None:
            return commands.open_tui(args)
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
