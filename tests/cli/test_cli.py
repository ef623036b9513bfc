"""The ``cjmtui`` command: every subcommand, exit codes 0/1/2, bad files, hostile text.

Most tests call :func:`cjmtui.cli.main` in process (with ``capsys``); a few run
``python -m cjmtui`` in a subprocess to check the real entry point, that no traceback ever
reaches the user, and that the CLI never imports textual unless the UI is opened.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import types
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cjmtui import __version__, cli
from cjmtui.cli.textgrid import cell_width
from cjmtui.core import edit, files, scoring, store
from cjmtui.core import model as m
from cjmtui.core.export import CSV_COLUMNS, CSV_MAP_COLUMNS
from factories import run_main

HOSTILE = [
    "=cmd|' /C calc'!A0",
    "+1",
    "-2",
    "@x",
    "|pipe|",
    "two\nlines",
    "[bold]x[/]",
    "[@click=app.quit]x[/]",
    "<script>alert(1)</script>",
    "\x1b]0;pwned\x07",
    "\x1b[2J",
]
FORMULA = ("=", "+", "-", "@")

VALID_TOML = """\
schema_version = 1

[session]
title = "Parts supplier"
journey = "service"

[[personas]]
id = "buyer"
name = "Purchasing agent"

[[stages]]
id = "find"
name = "Find the part"

[[stages]]
id = "order"
name = "Order it"

[[pains]]
id = "cant-tell"
stage = "find"
text = "I can't tell which part fits"
severity = 3
frequency = 4
personas = ["buyer"]
caused_by = ["catalogue"]

[[pains]]
id = "wrong-part"
stage = "order"
text = "Wrong part delivered"
severity = 5
frequency = 3
caused_by = ["order-entry"]

[[pains]]
id = "quick"
stage = "order"
kind = "gain"
text = "Fast delivery"

[[processes]]
id = "catalogue"
stage = "find"
name = "Online catalogue"
feeds = ["order-entry"]

[[processes]]
id = "order-entry"
stage = "order"
name = "Order entry"

[[solutions]]
id = "fix-catalogue"
text = "Fix the catalogue"
targets = ["catalogue"]
effort = 2
confidence = 0.8

[[solutions]]
id = "train"
text = "Train order clerks"
targets = ["order-entry"]
effort = 3
"""


pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def valid(tmp_path: Path) -> Path:
    path = tmp_path / "valid.toml"
    path.write_text(VALID_TOML, "utf-8")
    return path


def hostile_session() -> m.Session:
    s = m.Session(session=m.SessionInfo(title="[bold]Evil[/] \x1b]0;pwned\x07 title"))
    s, _ = edit.add_item(s, "departments", {"id": "d1", "name": "[red]Dept[/]"}, actor=None)
    s, _ = edit.add_item(s, "personas", {"id": "p1", "name": "[blink]P[/]"}, actor=None)
    s, _ = edit.add_item(s, "stages", {"id": "s1", "name": "\x1b[2JStage"}, actor=None)
    for i, text in enumerate(HOSTILE):
        s, _ = edit.add_item(s, "processes", {"id": f"pr{i}", "stage": "s1", "name": text, "owner": "d1"}, actor=None)
        s, _ = edit.add_item(
            s,
            "pains",
            {
                "id": f"pa{i}",
                "stage": "s1",
                "text": text,
                "personas": ["p1"],
                "caused_by": [f"pr{i}"],
                "severity": 1 + i % 5,
            },
            actor=None,
        )
        s, _ = edit.add_item(
            s, "solutions", {"id": f"so{i}", "text": text, "targets": [f"pr{i}"], "effort": 1 + i % 3}, actor=None
        )
    return s


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    store.save_session(path, hostile_session())
    return path


# ---------------------------------------------------------------------------------------------
# Usage, help, version


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "--version")
    assert code == 0
    assert out.strip() == f"cjmtui {__version__}"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "-h")
    assert code == 0
    assert "usage: cjmtui [-h] [--version] [--dir DIR] [FILE]" in out
    for line in (
        "cjmtui new NAME [--template {empty,blank,onboarding,buying,service,professional-services}] [--journey J] "
        "[--dir DIR] [--facilitator NAME]",
        "cjmtui validate FILE",
        "cjmtui rank FILE [--format {table,md,csv,json}] [--top N] [--persona ID]",
        "cjmtui export FILE --format {md,html,csv,csv-map,xlsx,json,jira,github,mermaid,validation} [-o OUT] "
        "[--persona ID] "
        "[--indent N]",
    ):
        assert line in out


@pytest.mark.parametrize("command", cli.COMMANDS)
def test_command_help(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _ = run_main(capsys, command, "-h")
    assert code == 0
    assert out.startswith(f"usage: cjmtui {command} ")


@pytest.mark.parametrize(
    "argv",
    [
        ["rank"],
        ["validate"],
        ["new"],
        ["export", "x.toml"],  # --format is required
        ["export", "x.toml", "--format", "pdf"],
        ["rank", "x.toml", "--format", "xml"],
        ["rank", "x.toml", "--top", "0"],
        ["rank", "x.toml", "--top", "lots"],
        ["new", "x", "--template", "nope"],
        ["validate", "a.toml", "b.toml"],
        ["--bogus"],
        ["a.toml", "b.toml"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, _out, err = run_main(capsys, *argv)
    assert code == 2
    assert "usage: cjmtui" in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------------------------
# validate


def test_validate_ok(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, err = run_main(capsys, "validate", str(valid))
    assert code == 0, err
    assert out == "ok: 2 stages, 2 pains, 1 gain, 2 processes, 2 solutions, 1 persona, 0 departments\n"
    assert err == ""


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('title = "unterminated\n', ["not valid TOML"]),
        (VALID_TOML.replace("severity = 5", "severity = 9"), ["pains[wrong-part].severity", "less than or equal to 5"]),
        (VALID_TOML.replace("effort = 3", 'effort = "high"'), ["solutions[train].effort"]),
        (
            VALID_TOML.replace('caused_by = ["order-entry"]', 'caused_by = ["nope"]'),
            ["pains[wrong-part].caused_by", "unknown process 'nope'"],
        ),
        (
            VALID_TOML.replace('name = "Order entry"', 'name = "Order entry"\ncolour = "red"'),
            ["processes[order-entry].colour", "unknown field"],
        ),
        ("schema_version = 99\n", ["newer cjmtui"]),
        (b'title = "\xff"\n', ["not UTF-8"]),
        ("", None),  # an empty file is an empty, valid session
    ],
)
def test_validate_bad_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: Any, expected: list[str] | None
) -> None:
    path = write(tmp_path, "bad.toml", content)
    code, out, err = run_main(capsys, "validate", str(path))
    if expected is None:
        assert code == 0 and out.startswith("ok: 0 stages")
        return
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: {path}")
    for piece in expected:
        assert piece in err
    assert "Traceback" not in err


def test_validate_lists_several_problems(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = VALID_TOML.replace("severity = 5", "severity = 9").replace("effort = 3", "effort = 0")
    path = write(tmp_path, "bad.toml", text)
    code, _, err = run_main(capsys, "validate", str(path))
    assert code == 1
    assert "2 problems" in err
    assert "pains[wrong-part].severity" in err and "solutions[train].effort" in err


@pytest.mark.parametrize("what", ["missing", "folder"])
def test_validate_unreadable(capsys: pytest.CaptureFixture[str], tmp_path: Path, what: str) -> None:
    path = tmp_path / "x.toml"
    if what == "folder":
        path.mkdir()
    code, _, err = run_main(capsys, "validate", str(path))
    assert code == 1
    assert str(path) in err
    assert ("no such file" if what == "missing" else "is a folder") in err


def test_error_messages_are_printable(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b[2J\u202e.toml"
    code, _, err = run_main(capsys, "validate", str(path))
    assert code == 1
    assert "\x1b" not in err and "\u202e" not in err
    assert "evil␛[2J.toml" in err


# ---------------------------------------------------------------------------------------------
# new


def test_new_creates_session(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    folder = tmp_path / "workshops"
    code, out, err = run_main(
        capsys, "new", "Onboarding / Q3", "--template", "onboarding", "--dir", str(folder), "--facilitator", "Ann"
    )
    assert code == 0, err
    path = folder / "Onboarding-Q3.toml"
    assert out == f"{path}\n"
    session = store.load_session(path).session
    assert session.session.title == "Onboarding / Q3"
    assert session.session.facilitator == "Ann"
    assert session.session.date == dt.date.today()
    assert session.session.journey == "onboarding"
    assert len(session.stages) == 5

    # Never overwrites.
    before = path.read_bytes()
    code, out, err = run_main(capsys, "new", "Onboarding / Q3", "--dir", str(folder))
    assert code == 1
    assert "already exists" in err and out == ""
    assert path.read_bytes() == before


def test_new_default_template_and_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CJMTUI_SESSIONS", str(tmp_path / "env-sessions"))
    code, out, _ = run_main(capsys, "new", "Blank one")
    assert code == 0
    path = tmp_path / "env-sessions" / "Blank-one.toml"
    assert out == f"{path}\n"
    session = store.load_session(path).session
    assert session.stages == [] and session.session.journey == "other"


def test_new_empty_with_a_journey_type(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run_main(
        capsys, "new", "Claims", "--template", "empty", "--journey", "service", "--dir", str(tmp_path)
    )
    assert code == 0, err
    assert out == f"{tmp_path / 'Claims.toml'}\n"
    session = store.load_session(tmp_path / "Claims.toml").session
    assert session.session.journey == "service"
    assert session.departments == [] and session.stages == []
    code, _out, err = run_main(capsys, "new", "Other", "--journey", "cruise", "--dir", str(tmp_path))
    assert code == 2 and "cruise" in err and "Traceback" not in err
    assert not (tmp_path / "Other.toml").exists()


@pytest.mark.parametrize(
    ("name", "file"),
    [("../../escape", "escape.toml"), ("/tmp/abs", "tmp-abs.toml"), ("..", "session.toml"), ("a\x00b", "a-b.toml")],
)
def test_new_names_never_leave_the_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, file: str
) -> None:
    """A title that looks like a path makes a file named after its words, in the folder asked for
    (a NUL is a separator like any other: TOML holds it in the title)."""
    folder = tmp_path / "deep" / "er"
    code, out, err = run_main(capsys, "new", name, "--dir", str(folder))
    assert code == 0, err
    assert out == f"{folder / file}\n"
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.toml")) == [f"deep/er/{file}"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 300])
def test_new_bad_title(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    code, out, err = run_main(capsys, "new", name, "--dir", str(tmp_path / "s"))
    assert code == 1
    assert out == "" and err.startswith("error: ")
    assert not (tmp_path / "s").exists() or not list((tmp_path / "s").iterdir())


def test_new_creates_the_session_from_its_template(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run_main(
        capsys, "new", "[bold]Hi[/]", "--template", "buying", "--dir", str(tmp_path), "--facilitator", "Bo"
    )
    assert code == 0
    assert out == f"{tmp_path / 'bold-Hi.toml'}\n"
    info = store.load_session(tmp_path / "bold-Hi.toml").session.session
    assert (info.title, info.journey, info.facilitator, info.date) == ("[bold]Hi[/]", "buying", "Bo", dt.date.today())


def test_new_never_writes_through_a_link_out_of_the_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The picker and the CLI share one way to create a session: a link planted at the name is refused."""
    outside = tmp_path / "outside.toml"
    folder = tmp_path / "sessions"
    folder.mkdir()
    (folder / "Hi.toml").symlink_to(outside)
    code, _, err = run_main(capsys, "new", "Hi", "--dir", str(folder))
    assert code == 1 and "outside" in err
    assert not outside.exists()


# ---------------------------------------------------------------------------------------------
# rank


def test_rank_table(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, err = run_main(capsys, "rank", str(valid))
    assert code == 0, err
    assert "Quick wins — Parts supplier" in out
    lines = out.splitlines()
    fix = next(i for i, line in enumerate(lines) if "Fix the catalogue" in line)
    train = next(i for i, line in enumerate(lines) if "Train order clerks" in line)
    assert fix < train
    assert "quick win" in lines[fix]
    assert "Root-cause processes" in out and "Online catalogue" in out


def test_rank_table_hostile(capsys: pytest.CaptureFixture[str], hostile: Path) -> None:
    code, out, err = run_main(capsys, "rank", str(hostile))
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out
    for text in [
        "=cmd|' /C calc'!A0",
        "+1",
        "-2",
        "@x",
        "|pipe|",
        "two⏎ lines",
        "[bold]x[/]",
        "[@click=app.quit]x[/]",
        "<script>alert(1)</script>",
        "␛]0;pwned␇",
        "␛[2J",
    ]:
        assert text in out, text
    assert "[bold]Evil[/] ␛]0;pwned␇ title" in out
    assert "[red]Dept[/]" in out  # process owners, literal


def test_rank_table_on_a_terminal_has_no_user_escapes(
    capsys: pytest.CaptureFixture[str], hostile: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a real terminal Rich adds its own styles; user text still never adds an escape."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    code, out, _ = run_main(capsys, "rank", str(hostile))
    assert code == 0
    assert "]0;pwned\x07" not in out and "\x1b[2J" not in out
    assert "␛]0;pwned␇" in out


def test_the_rank_table_fits_80_columns(
    capsys: pytest.CaptureFixture[str], valid: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = run_main(capsys, "rank", str(valid))
    assert code == 0, err
    assert "Fix the catalogue" in out
    table_lines = out.split("Why this rank")[0].splitlines() + out.split("Root-cause processes")[1].splitlines()
    assert all(cell_width(line) <= 80 for line in table_lines), [line for line in table_lines if cell_width(line) > 80]


def test_rank_formats(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, _ = run_main(capsys, "rank", str(valid), "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [s["id"] for s in data["solutions"]] == ["fix-catalogue", "train"]
    assert [p["id"] for p in data["processes"]] == ["catalogue", "order-entry"]
    assert "session" not in data

    code, out, _ = run_main(capsys, "rank", str(valid), "--format", "csv", "--top", "1")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == list(CSV_COLUMNS) and len(rows) == 2 and rows[1][1] == "fix-catalogue"

    code, out, _ = run_main(capsys, "rank", str(valid), "--format", "md", "--top", "1")
    assert code == 0
    assert "| 1 | Fix the catalogue |" in out and "Train" not in out


def test_rank_json_is_compact_and_the_breakdown_is_asked_for(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    """Issue 13: every row's breakdown, its texts repeated, ran to 85 MB and 8.6 s for 2,000 pains."""
    code, out, _ = run_main(capsys, "rank", str(valid), "--format", "json")
    assert code == 0 and out.count("\n") == 1, "compact JSON is one line"
    data = json.loads(out)
    assert all("reached" not in row for row in [*data["solutions"], *data["processes"]])
    assert "names" not in data

    code, out, _ = run_main(capsys, "rank", str(valid), "--format", "json", "--why", "--indent", "2")
    assert code == 0 and '\n  "solutions": [' in out
    data = json.loads(out)
    top = data["solutions"][0]
    assert top["reached"] and set(top["reached"][0]) == {"pain", "stage", "hops", "weight", "contribution"}
    named = {r["pain"] for row in [*data["solutions"], *data["processes"]] for r in row["reached"]}
    assert set(data["names"]["pains"]) == named, "each reached pain's words are given once"
    assert all(r["stage"] in data["names"]["stages"] for r in top["reached"])

    code, out, _ = run_main(capsys, "export", str(valid), "--format", "json", "--indent", "4")
    assert code == 0 and '\n    "solutions": [' in out and json.loads(out)["solutions"][0]["reached"]


def test_rank_top(capsys: pytest.CaptureFixture[str], hostile: Path) -> None:
    code, out, _ = run_main(capsys, "rank", str(hostile), "--format", "json", "--top", "3")
    assert code == 0
    data = json.loads(out)
    assert len(data["solutions"]) == 3 and len(data["processes"]) == 3


def test_rank_persona(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, _ = run_main(capsys, "rank", str(valid), "--format", "json", "--persona", "buyer")
    assert code == 0
    data = json.loads(out)
    assert data["persona"] == "buyer"
    session = store.load_session(valid).session
    expected = scoring.rank(session, "buyer")
    assert [s["id"] for s in data["solutions"]] == [s.id for s in expected.solutions]
    # By name too, case-insensitively.
    code, out2, _ = run_main(capsys, "rank", str(valid), "--format", "json", "--persona", "purchasing AGENT")
    assert code == 0 and json.loads(out2) == data
    code, out, _ = run_main(capsys, "rank", str(valid), "--persona", "buyer")
    assert code == 0 and "for persona Purchasing agent" in out


def test_rank_unknown_persona(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, err = run_main(capsys, "rank", str(valid), "--persona", "ghost")
    assert code == 1
    assert out == ""
    assert "no persona 'ghost'" in err and "buyer" in err
    assert err.count("\n") == 1


def test_rank_bad_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "bad.toml", "[[pains]]\nid = 'x'\n")
    code, out, err = run_main(capsys, "rank", str(path))
    assert code == 1 and out == ""
    assert str(path) in err and "pains[x]" in err


def test_rank_empty_session(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, "empty.toml", "")
    code, out, _ = run_main(capsys, "rank", str(path))
    assert code == 0
    assert "No solutions yet." in out


def test_rank_hostile_formats(capsys: pytest.CaptureFixture[str], hostile: Path) -> None:
    code, out, _ = run_main(capsys, "rank", str(hostile), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert all(len(r) == len(CSV_COLUMNS) for r in rows)
    assert all(not r[2].startswith(FORMULA) for r in rows[1:])
    code, out, _ = run_main(capsys, "rank", str(hostile), "--format", "md")
    assert code == 0
    table = [line for line in out.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(HOSTILE)
    assert "\x1b" not in out and "<script>" not in out


# ---------------------------------------------------------------------------------------------
# export


@pytest.mark.parametrize("fmt", ["md", "csv", "csv-map", "json"])
def test_export_to_stdout(capsys: pytest.CaptureFixture[str], hostile: Path, fmt: str) -> None:
    code, out, err = run_main(capsys, "export", str(hostile), "--format", fmt)
    assert code == 0, err
    assert err == ""
    assert "\x1b" not in out and "\x07" not in out
    n = len(HOSTILE)
    if fmt == "json":
        data = json.loads(out)
        assert {s["text"] for s in data["solutions"]} == set(HOSTILE)
        assert data["session"]["session"]["title"] == "[bold]Evil[/] \x1b]0;pwned\x07 title"
    elif fmt in ("csv", "csv-map"):
        columns = CSV_COLUMNS if fmt == "csv" else CSV_MAP_COLUMNS
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert len(rows) == 1 + n
        assert all(len(r) == len(columns) for r in rows)
        texts = [r[2] if fmt == "csv" else r[3] for r in rows[1:]]
        for t in texts:
            assert not t.startswith(FORMULA)
        assert "'=cmd|' /C calc'!A0" in texts and "'-2" in texts and "two\nlines" in texts
    else:
        assert out.startswith("# \\[bold\\]Evil\\[/\\] ␛\\]0;pwned␇ title\n")
        assert "<script>" not in out and "&lt;script&gt;" in out
        rows = [line for line in out.splitlines() if line.startswith("| ") and "Solution" not in line]
        assert rows


def test_export_to_file(capsys: pytest.CaptureFixture[str], valid: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "out" / "report.md"
    out_path.parent.mkdir()
    code, out, err = run_main(capsys, "export", str(valid), "--format", "md", "-o", str(out_path))
    assert code == 0, err
    assert out == f"{out_path}\n"
    text = out_path.read_text("utf-8")
    assert text.startswith("# Parts supplier\n")
    assert "| 1 | Fix the catalogue |" in text
    assert sorted(os.listdir(out_path.parent)) == ["report.md"]

    # Overwrites an earlier export, atomically.
    code, _, _ = run_main(capsys, "export", str(valid), "--format", "json", "--output", str(out_path))
    assert code == 0
    assert json.loads(out_path.read_text("utf-8"))["solutions"][0]["id"] == "fix-catalogue"

    # Relative paths are used as given.
    code, out, _ = run_main(capsys, "export", str(valid), "--format", "csv", "-o", "rel.csv")
    assert code == 0 and out == "rel.csv\n"
    assert (tmp_path / "rel.csv").read_bytes().startswith(b"rank,id,solution,")
    assert b"\r\n" in (tmp_path / "rel.csv").read_bytes()


def test_export_dash_is_stdout(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, _ = run_main(capsys, "export", str(valid), "--format", "json", "-o", "-")
    assert code == 0
    assert json.loads(out)["session"]["session"]["title"] == "Parts supplier"


def test_export_never_overwrites_the_session(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    before = valid.read_bytes()
    code, _out, err = run_main(capsys, "export", str(valid), "--format", "md", "-o", str(valid))
    assert code == 1
    assert "session file itself" in err
    assert valid.read_bytes() == before
    link = valid.with_name("link.toml")
    link.symlink_to(valid)
    code, _, err = run_main(capsys, "export", str(valid), "--format", "md", "-o", str(link))
    assert code == 1 and valid.read_bytes() == before


def test_export_write_failure(capsys: pytest.CaptureFixture[str], valid: Path, tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.md"
    code, out, err = run_main(capsys, "export", str(valid), "--format", "md", "-o", str(target))
    assert code == 1 and out == ""
    assert str(target) in err and "could not save" in err
    assert err.count("\n") == 1
    (tmp_path / "adir").mkdir()
    code, _, err = run_main(capsys, "export", str(valid), "--format", "md", "-o", str(tmp_path / "adir"))
    assert code == 1 and "Traceback" not in err


def test_export_unknown_persona(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, err = run_main(capsys, "export", str(valid), "--format", "md", "--persona", "nobody")
    assert code == 1 and out == "" and "no persona 'nobody'" in err


def test_export_persona(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, out, _ = run_main(capsys, "export", str(valid), "--format", "json", "--persona", "buyer")
    assert code == 0 and json.loads(out)["persona"] == "buyer"


def test_export_on_a_terminal_is_printable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Raw line breaks inside CSV cells (valid data) are shown, not acted on, on a terminal."""
    s = m.Session()
    s, _ = edit.add_item(s, "solutions", {"id": "a", "text": "one\rtwo\u202e"}, actor=None)
    path = tmp_path / "s.toml"
    store.save_session(path, s)

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    tty = Tty()
    monkeypatch.setattr(sys, "stdout", tty)
    assert cli.main(["export", str(path), "--format", "csv"]) == 0
    shown = tty.getvalue()
    assert "\r" not in shown and "\u202e" not in shown
    assert "one\ntwo" in shown and "\\u202e" not in shown


# ---------------------------------------------------------------------------------------------
# Opening the UI


@pytest.fixture
def fake_ui(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Any, Any]]:
    calls: list[tuple[Any, Any]] = []
    fake = types.ModuleType("cjmtui.ui.main")

    def run(workspace: Any, sessions_dir: Path, *, actor: str | None = None, exit_process: bool = False) -> int:
        # The CLI opens the session (a clear error before the screen is taken over) and hands the
        # open workspace to the UI; record which file that is (and who joins, when someone does).
        # The command asks the UI to end the process itself when done (no interpreter teardown).
        assert exit_process
        calls.append((getattr(workspace, "path", workspace), sessions_dir))
        if actor is not None:
            calls.append(("actor", actor))
        return 0

    fake.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cjmtui.ui.main", fake)
    return calls


def test_tui_no_file(capsys: pytest.CaptureFixture[str], fake_ui: list[tuple[Any, Any]], tmp_path: Path) -> None:
    code, _, _ = run_main(capsys)
    assert code == 0
    assert fake_ui == [(None, files.sessions_dir(None))]
    fake_ui.clear()
    code, _, _ = run_main(capsys, "--dir", str(tmp_path / "w"))
    assert fake_ui == [(None, tmp_path / "w")]


def test_tui_with_file(
    capsys: pytest.CaptureFixture[str], fake_ui: list[tuple[Any, Any]], valid: Path, tmp_path: Path
) -> None:
    code, _, _ = run_main(capsys, str(valid), "--dir", str(tmp_path))
    assert code == 0
    assert fake_ui == [(valid, tmp_path)]


def test_tui_bad_file_never_starts_the_ui(
    capsys: pytest.CaptureFixture[str], fake_ui: list[tuple[Any, Any]], tmp_path: Path
) -> None:
    path = write(tmp_path, "bad.toml", VALID_TOML.replace("severity = 5", "severity = 9"))
    code, _out, err = run_main(capsys, str(path))
    assert code == 1
    assert fake_ui == []
    assert "pains[wrong-part].severity" in err
    code, _, err = run_main(capsys, str(tmp_path / "missing.toml"))
    assert code == 1 and "no such file" in err and fake_ui == []


def test_tui_file_named_like_a_command(
    capsys: pytest.CaptureFixture[str], fake_ui: list[tuple[Any, Any]], tmp_path: Path
) -> None:
    (tmp_path / "rank").write_text(VALID_TOML, "utf-8")
    code, _, _ = run_main(capsys, "./rank")
    assert code == 0
    assert fake_ui == [(Path("./rank"), files.sessions_dir(None))]


def test_tui_exit_code_is_passed_on(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    fake = types.ModuleType("cjmtui.ui.main")
    fake.run = lambda path, folder, actor=None, exit_process=False: 3  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "cjmtui.ui.main", fake)
    assert cli.main([]) == 3


# ---------------------------------------------------------------------------------------------
# Subprocesses: the real entry point


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("CJMTUI_SESSIONS", None)
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60, encoding="utf-8"
    )


def test_python_m_cjmtui_validate(tmp_path: Path, valid: Path) -> None:
    proc = _python("-m", "cjmtui", "validate", str(valid), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: 2 stages, 2 pains")
    bad = write(tmp_path, "bad.toml", VALID_TOML.replace("severity = 5", "severity = 9"))
    proc = _python("-m", "cjmtui", "validate", str(bad), cwd=tmp_path)
    assert proc.returncode == 1
    assert "pains[wrong-part].severity" in proc.stderr
    assert "Traceback" not in proc.stderr
    proc = _python("-m", "cjmtui", "rank", str(valid), "--format", "nope", cwd=tmp_path)
    assert proc.returncode == 2 and "usage: cjmtui rank" in proc.stderr


def test_cli_never_imports_textual(tmp_path: Path, valid: Path) -> None:
    code = (
        "import sys\n"
        "import cjmtui.cli\n"
        "assert 'textual' not in sys.modules, 'import'\n"
        "from cjmtui.cli import main\n"
        f"for argv in (['validate', {str(valid)!r}], ['rank', {str(valid)!r}], "
        f"['export', {str(valid)!r}, '--format', 'md'], ['--version']):\n"
        "    main(argv)\n"
        "    assert 'textual' not in sys.modules, argv\n"
    )
    proc = _python("-c", code, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_broken_pipe_is_quiet(capsys: pytest.CaptureFixture[str], valid: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``cjmtui export … | head -1``: no traceback and no message when the reader goes away."""

    class Closed(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", Closed())
    assert cli.main(["export", str(valid), "--format", "csv"]) == 1
    assert capsys.readouterr().err == ""


def test_an_ascii_only_terminal_gets_no_traceback_and_data_stays_utf8() -> None:
    """Issue 11: ``PYTHONIOENCODING=ascii`` ended ``rank --format table`` in a traceback, and md
    and csv on stdout came out with ``\\u2014``-style escapes in the data."""
    import os
    import subprocess
    import sys

    example = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    run = [sys.executable, "-m", "cjmtui", "rank", str(example), "--format"]
    table = subprocess.run([*run, "table"], capture_output=True, env=env, timeout=60)
    assert table.returncode == 0 and b"Traceback" not in table.stderr, table.stderr
    assert b"Quick wins" in table.stdout
    md = subprocess.run([*run, "md"], capture_output=True, env=env, timeout=60)
    assert md.returncode == 0
    assert "Quick wins — Online ordering".encode() in md.stdout and b"\\u2014" not in md.stdout


def test_export_xlsx_writes_a_workbook_and_never_onto_a_terminal(
    capsys: pytest.CaptureFixture[str], valid: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "wins.xlsx"
    code, _, err = run_main(capsys, "export", str(valid), "--format", "xlsx", "-o", str(out))
    assert code == 0, err
    with zipfile.ZipFile(out) as book:
        assert "xl/worksheets/sheet1.xml" in book.namelist()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, printed, err = run_main(capsys, "export", str(valid), "--format", "xlsx")
    assert code == 1 and "binary" in err and "-o FILE.xlsx" in err and printed == ""


def test_join_needs_a_name_and_refuses_a_bad_one(capsys: pytest.CaptureFixture[str], valid: Path) -> None:
    code, _, err = run_main(capsys, "join", str(valid))
    assert code == 2 and "--as" in err
    code, _, err = run_main(capsys, "join", str(valid), "--as", "   ")
    assert code == 1 and "1 to 200 printable characters" in err and "Traceback" not in err
    code, _, err = run_main(capsys, "join", str(valid), "--as", "Ana\x1b[31m")
    assert code == 1 and "\x1b" not in err


def test_join_opens_the_ui_as_that_participant(
    capsys: pytest.CaptureFixture[str], fake_ui: list[tuple[Any, Any]], valid: Path
) -> None:
    code, _, err = run_main(capsys, "join", str(valid), "--as", "  Ana   Lima ")
    assert code == 0, err
    assert fake_ui[-1] == ("actor", "Ana Lima")
    assert fake_ui[0][0] == valid
