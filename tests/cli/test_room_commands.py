"""Running the room from the command line: future and compare, friction, the persona lens
(ranks exactly as the app's lens), and hostile text in their outputs."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from cjmtui.core import edit, export, scoring, store
from cjmtui.core import model as m
from cjmtui.core.future import derive_future
from factories import future_of_online, online, run_main

SESSIONS = Path(__file__).resolve().parents[2] / "sessions"
ONLINE = SESSIONS / "online-ordering.toml"


pytestmark = pytest.mark.usefixtures("cli_env")


def test_cli_future_and_compare(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "online-ordering.toml"
    shutil.copyfile(ONLINE, source)
    code, out, err = run_main(capsys, "future", str(source))
    assert (code, err) == (0, "")
    target = tmp_path / "online-ordering-future.toml"
    assert out == f"{target}\n"
    derived = store.load_session(target).session
    assert derived == derive_future(online(), source)
    # Never overwrites: the next one is NAME-future-2 (the TUI names them the same way).
    first = target.read_bytes()
    code, out, err = run_main(capsys, "future", str(source))
    assert (code, out) == (0, f"{tmp_path / 'online-ordering-future-2.toml'}\n") and "Traceback" not in err
    assert target.read_bytes() == first
    # A future state is not derived again.
    code, _, err = run_main(capsys, "future", str(target), "-o", str(tmp_path / "again.toml"))
    assert code == 1 and "already a future-state session" in err
    code, _, err = run_main(capsys, "future", str(source), "-o", str(source))
    assert code == 1 and "session file itself" in err
    assert source.read_bytes() == ONLINE.read_bytes()
    code, out, _ = run_main(capsys, "future", str(source), "-o", str(tmp_path / "plan.toml"))
    assert code == 0 and out == f"{tmp_path / 'plan.toml'}\n"
    code, _, err = run_main(capsys, "future", str(tmp_path / "missing.toml"))
    assert code == 1 and "no such file" in err

    _, future = future_of_online()
    loaded = store.load_session(target)
    store.save_session(target, future, loaded.fingerprint)
    code, out, err = run_main(capsys, "compare", str(source), str(target), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert [p["id"] for p in data["removed"]] == ["cant-tell-fit", "on-hold"]
    assert data["removed"][1]["stage_name"] == "Get help / call customer service"
    assert [p["id"] for p in data["added"]] == ["new-login"]
    assert data["emotion"] == [
        {
            "stage": "get-help",
            "stage_name": "Get help / call customer service",
            "persona": "technician",
            "persona_name": "Field technician",
            "before": -2,
            "after": 1,
        }
    ]
    fix = data["meant_to_remove"][0]
    assert (fix["id"], fix["status"]) == ("fix-catalogue", "done")
    assert [p["id"] for p in fix["pains"]] == ["cant-tell-fit", "on-hold"]

    code, out, _ = run_main(capsys, "compare", str(source), str(target), "--format", "md")
    assert code == 0
    assert "## Pains removed (2)" in out and "## Pains added (1)" in out and "## Emotion changes (1)" in out
    assert "| Get help / call customer service | Field technician | -2 | +1 |" in out
    code, out, _ = run_main(capsys, "compare", str(source), str(target))
    assert code == 0
    for words in (
        "Pains removed (2)",
        "Pains added (1)",
        "Emotion changes (1)",
        "Field technician",
        "done",
        "I can't tell whether this part fits my machine.",
    ):
        assert words in out
    code, out, err = run_main(capsys, "compare", str(target), str(source), "--format", "json")  # swapped
    assert code == 0 and [p["id"] for p in json.loads(out)["added"]] == ["cant-tell-fit", "on-hold"]
    assert f"note: {target} is marked as a future-state session" in err
    assert f"note: {source} is marked as a current-state session" in err
    code, _, err = run_main(capsys, "compare", str(source), str(tmp_path / "missing.toml"))
    assert code == 1 and "no such file" in err
    code, _, err = run_main(capsys, "compare", str(source))
    assert code == 2 and "usage: cjmtui compare" in err


def test_cli_friction(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "friction", str(ONLINE), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["persona"] is None
    assert data["stages"] == export.friction_json_data(online())
    find = next(r for r in data["stages"] if r["stage"] == "find-product")
    assert find == {
        "stage": "find-product",
        "name": "Find the right part",
        "pains": 3,
        "pain_weight": 49,
        "departments": 2,
        "handoffs": 3,
        "top_process": "catalogue",
        "top_process_name": "Maintain the online catalogue & product data",
        "top_reach": 15,
    }
    code, out, _ = run_main(capsys, "friction", str(ONLINE), "--format", "csv", "--persona", "Procurement officer")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert list(rows[0]) == list(export.FRICTION_COLUMNS)
    assert {r["stage"]: (r["pains"], r["pain_weight"]) for r in rows}["get-help"] == ("3", "44")
    code, out, _ = run_main(capsys, "friction", str(ONLINE), "--format", "md")
    assert code == 0 and "| 2 | Find the right part | 3 | 49 | 2 | 3 |" in out
    code, out, _ = run_main(capsys, "friction", str(ONLINE))
    assert code == 0 and "Find the right part" in out and "(15 pains)" in out
    code, _, err = run_main(capsys, "friction", str(ONLINE), "--persona", "nobody")
    assert code == 1 and "no persona 'nobody'" in err
    code, _, err = run_main(capsys, "friction", str(ONLINE), "--format", "xml")
    assert code == 2


# ---------------------------------------------------------------------------------------------
# The persona lens: the CLI ranks exactly as the app's lens does


@pytest.mark.parametrize("persona", [p.id for p in online().personas])
def test_rank_persona_matches_the_lens(capsys: pytest.CaptureFixture[str], persona: str) -> None:
    session = online()
    lens = scoring.rank(session, persona)  # what the app's persona lens shows
    code, out, err = run_main(capsys, "rank", str(ONLINE), "--persona", persona, "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data["persona"] == persona
    assert [s["id"] for s in data["solutions"]] == [s.id for s in lens.solutions]
    assert [s["score"] for s in data["solutions"]] == [round(s.score, 3) for s in lens.solutions]
    assert [s["votes"] for s in data["solutions"]] == [s.votes for s in lens.solutions]
    assert [p["id"] for p in data["processes"]] == [p.id for p in lens.processes]
    # By name too, and the lens really is a different view from the whole room's.
    name = next(p.name for p in session.personas if p.id == persona)
    code, out_by_name, _ = run_main(capsys, "rank", str(ONLINE), "--persona", name, "--format", "json")
    assert code == 0 and out_by_name == out
    whole = scoring.rank(session)
    assert [s.score for s in whole.solutions] != [s.score for s in lens.solutions]


# ---------------------------------------------------------------------------------------------
# Hostile text in the new commands: shown literally, never acting on the terminal


HOSTILE = ["\x1b]0;pwned\x07", "[bold]x[/]", "=cmd|' /C calc'!A0", "two\nlines", "\u202eevil", "<b>|x|</b>"]


def hostile_pair(tmp_path: Path) -> tuple[Path, Path]:
    s = m.Session(session=m.SessionInfo(title="\x1b[2J[red]Evil[/]"))
    s, _ = edit.add_item(s, "personas", {"id": "p", "name": "\x1b[31mPersona|x"}, actor=None)
    for i, text in enumerate(HOSTILE):
        s, _ = edit.add_item(s, "stages", {"id": f"s{i}", "name": text, "emotion": {"p": -1}}, actor=None)
        s, _ = edit.add_item(s, "processes", {"id": f"pr{i}", "stage": f"s{i}", "name": text}, actor=None)
        s, _ = edit.add_item(
            s, "pains", {"id": f"pa{i}", "stage": f"s{i}", "text": text, "caused_by": [f"pr{i}"]}, actor=None
        )
        s, _ = edit.add_item(
            s, "solutions", {"id": f"so{i}", "text": text, "targets": [f"pr{i}"], "status": "done"}, actor=None
        )
        s, _ = edit.add_item(s, "parking", {"id": f"pk{i}", "text": text, "stage": f"s{i}"}, actor=None)
    current = tmp_path / "evil.toml"
    store.save_session(current, s)
    future = derive_future(s, current)
    for i in range(0, len(HOSTILE), 2):
        future = edit.delete_item(future, "pains", f"pa{i}", actor=None)
        future = edit.set_emotion(future, f"s{i + 1}", "p", 2, actor=None)
    future_path = tmp_path / "evil-future.toml"
    store.save_session(future_path, future)
    return current, future_path


@pytest.mark.parametrize(
    "argv",
    [
        ["friction", "{c}"],
        ["friction", "{c}", "--format", "md"],
        ["friction", "{c}", "--format", "csv"],
        ["friction", "{c}", "--format", "json"],
        ["compare", "{c}", "{f}"],
        ["compare", "{c}", "{f}", "--format", "md"],
        ["compare", "{c}", "{f}", "--format", "json"],
        ["export", "{c}", "--format", "md"],
        ["export", "{c}", "--format", "csv-map"],
        ["export", "{c}", "--format", "json"],
    ],
)
def test_new_outputs_are_safe(capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str]) -> None:
    current, future = hostile_pair(tmp_path)
    code, out, err = run_main(capsys, *(a.format(c=current, f=future) for a in argv))
    assert (code, err) == (0, "")
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    if "--format" not in argv or argv[-1] == "md":
        assert "Evil" in out
    if argv[-1] == "json":
        json.loads(out)
    if argv[-1] in ("csv", "csv-map"):
        rows = list(csv.reader(io.StringIO(out, newline="")))
        assert len({len(r) for r in rows}) == 1
        assert not any(cell.startswith(("=", "+", "@")) for r in rows[1:] for cell in r)
    if argv[-1] == "md" and argv[0] == "export":
        parking = out[out.index("## Parking lot (open)") :]
        assert "- \\[bold\\]x\\[/\\]" in parking and "- &lt;b&gt;\\|x\\|&lt;/b&gt;" in parking
