"""``cjmtui review``: the review meeting's lists from the command line, in every format."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from cjmtui.core import edit
from cjmtui.core.store import load_session, save_session
from factories import run_main

EXAMPLE = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"


def test_the_bundled_session_reviewed_as_of_a_day(capsys) -> None:
    code, out, err = run_main(capsys, "review", str(EXAMPLE), "--as-of", "2025-04-15")
    assert code == 0 and err == ""
    assert "Review as of 2025-04-15 — Online ordering — current state" in out
    overdue = out[out.index("Overdue (1)") : out.index("Due for review")]
    assert "Put the ship date and a tracking link" in overdue and "11 days" in overdue
    to_review = out[out.index("Due for review (2)") : out.index("Done since")]
    assert "Fix the online catalogue" in to_review and "Print the customer's PO number" in to_review
    done = out[out.index("Done since 2025-03-12 (the workshop's date) (1)") :]
    assert "done 2025-03-27" in done and "The invoice doesn't show our PO" in done


def test_json_lists_each_section_with_iso_dates(capsys) -> None:
    code, out, _ = run_main(capsys, "review", str(EXAMPLE), "--as-of", "2025-04-04", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["as_of"] == "2025-04-04" and data["since"] == "2025-03-12"
    assert data["overdue"] == []  # due on the day is not late yet
    assert data["due_for_review"] == []
    (done,) = data["done_since"]
    assert done["id"] == "po-on-invoice" and done["done_on"] == "2025-03-27"
    assert "invoice-no-po" in {p["id"] for p in done["pains"]} and {p["state"] for p in done["pains"]} == {None}


def test_since_the_last_review_leaves_out_what_was_done_before(capsys) -> None:
    code, out, _ = run_main(
        capsys, "review", str(EXAMPLE), "--as-of", "2025-04-15", "--since", "2025-03-27", "--format", "json"
    )
    assert code == 0 and json.loads(out)["done_since"] == []


def test_a_later_session_says_gone_or_still_there(capsys, tmp_path: Path) -> None:
    later = tmp_path / "later.toml"
    session = load_session(EXAMPLE).session
    save_session(later, edit.delete_item(session, "pains", "invoice-no-po", actor=None), overwrite=True)
    args = ("review", str(EXAMPLE), "--as-of", "2025-04-15", "--future", str(later))
    code, out, _ = run_main(capsys, *args, "--format", "json")
    states = {p["id"]: p["state"] for p in json.loads(out)["done_since"][0]["pains"]}
    assert code == 0 and states["invoice-no-po"] == "gone"
    assert set(states.values()) == {"gone", "still there"}
    code, out, _ = run_main(capsys, *args)
    assert code == 0 and "gone" in out and "still there" in out
    code, out, _ = run_main(capsys, *args, "--format", "md")
    assert code == 0 and "(gone)" in out and "(still there)" in out


def test_markdown_has_a_heading_per_section(capsys) -> None:
    code, out, _ = run_main(capsys, "review", str(EXAMPLE), "--as-of", "2025-04-15", "--format", "md")
    assert code == 0
    assert out.startswith("# Review as of 2025-04-15 — Online ordering — current state\n")
    for heading in ("## Overdue (1)", "## Due for review (2)", "## Done since 2025-03-12 (the workshop's date) (1)"):
        assert heading in out
    row = "| Put the ship date and a tracking link in every confirmation email | IT | doing | 2025-04-04 | 11 days |"
    assert row in out


def test_without_as_of_the_review_is_as_of_today(capsys, monkeypatch) -> None:
    monkeypatch.setattr(edit, "today", lambda: dt.date(2025, 4, 5))
    code, out, _ = run_main(capsys, "review", str(EXAMPLE), "--format", "json")
    assert code == 0 and json.loads(out)["as_of"] == "2025-04-05"
    assert [r["id"] for r in json.loads(out)["overdue"]] == ["ship-date-tracking"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--as-of", "2025-02-30"], "--as-of '2025-02-30': not a date"),
        (["--since", "last week"], "--since 'last week': not a date"),
        (["--as-of", "2025-04-01", "--since", "2025-04-02"], "is after the review's day"),
        (["--future", "missing.toml"], "missing.toml"),
    ],
)
def test_bad_dates_and_files_are_one_clear_error(capsys, args, says) -> None:
    code, out, err = run_main(capsys, "review", str(EXAMPLE), *args)
    assert code == 1 and out == ""
    assert err.startswith("error: ") and says in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_broken_session_file_is_one_clear_error(capsys, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[solutions]]\nid = "x"\ntext = "Fix"\ndue = 2025-13-01\n', "utf-8")
    code, _, err = run_main(capsys, "review", str(bad))
    assert code == 1 and "bad.toml" in err and "Traceback" not in err
    bad.write_text('[[solutions]]\nid = "x"\ntext = "Fix"\nreview = "soon"\n', "utf-8")
    code, _, err = run_main(capsys, "review", str(bad))
    assert code == 1 and "review" in err and "date" in err


def test_the_rooms_words_are_printed_never_obeyed(capsys, tmp_path: Path) -> None:
    path = tmp_path / "hostile.toml"
    session = load_session(EXAMPLE).session
    hostile = "\x1b[2J\x1b]52;c;aGk=\x07[bold red]Fix[/] it"
    session = edit.update_item(session, "solutions", "ship-date-tracking", {"text": hostile}, actor=None)[0]
    save_session(path, session, overwrite=True)
    code, out, _ = run_main(capsys, "review", str(path), "--as-of", "2025-04-15")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "␛[2J" in out and "[bold red]Fix[/] it" in out


def test_record_marks_the_solutions_due_for_review_as_reviewed(capsys, tmp_path: Path) -> None:
    """``--record`` writes the meeting's day as ``reviewed``; the next meeting no longer lists
    them as due (issue 24, item 9)."""
    path = tmp_path / "s.toml"
    path.write_bytes(EXAMPLE.read_bytes())
    code, out, err = run_main(capsys, "review", str(path), "--as-of", "2025-04-15", "--record")
    assert code == 0 and "Due for review (2)" in out and "recorded: 2 solutions reviewed on 2025-04-15" in err
    reviewed = {s.id: s.reviewed for s in load_session(path).session.solutions if s.reviewed}
    assert set(reviewed.values()) == {dt.date(2025, 4, 15)} and len(reviewed) == 2
    assert "reviewed = 2025-04-15" in path.read_text("utf-8")
    code, out, _ = run_main(capsys, "review", str(path), "--as-of", "2025-05-01", "--format", "json")
    assert code == 0 and json.loads(out)["due_for_review"] == []
    # The PO-number fix: its own pain apart from the downstream ones the ranking reaches.
    code, out, _ = run_main(capsys, "review", str(EXAMPLE), "--as-of", "2025-04-15", "--format", "json")
    (done,) = json.loads(out)["done_since"]
    direct = [p["id"] for p in done["pains"] if p["direct"]]
    assert direct == ["invoice-no-po"] and len(done["pains"]) > len(direct)
