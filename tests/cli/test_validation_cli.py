"""cjmtui export --format validation, and the unverified share in cjmtui rank (issue 15)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from cjmtui.core import store
from cjmtui.core.edit import update_item
from factories import run_main, workshop

pytestmark = pytest.mark.usefixtures("cli_env")


@pytest.fixture
def session_file(tmp_path: Path) -> Path:
    """The workshop with the catalogue's pain backed by data: two bets left to check."""
    s = update_item(workshop(), "pains", "cant-tell", {"evidence": "x-data"}, actor=None)[0]
    path = tmp_path / "w.toml"
    store.save_session(path, s)
    return path


def test_export_validation_is_the_checklist_to_take_to_customers(capsys, session_file: Path) -> None:
    code, out, err = run_main(capsys, "export", str(session_file), "--format", "validation")
    assert code == 0 and err == ""
    heads = [line for line in out.splitlines() if line.startswith("## ")]
    # on-hold first: the catalogue fix loses 7.9 (40%) and the extra staff all 3 (at stake 10.9);
    # wrong-part: the catalogue fix loses 9.4 (at stake 9.4)
    assert heads == ["## 1. «On hold for 40 minutes»", "## 2. «Wrong part delivered»"]
    assert "(score at stake: 10.9)" in out and "(score at stake: 9.4)" in out
    assert "solution #1 «Fix the catalogue» loses 40% of its score" in out
    assert "solution #2 «Hire more CSRs» loses 100% of its score" in out
    assert out.count("☐ validated ☐ refuted") == 2
    assert "can't tell" not in out.lower()


def test_export_validation_to_a_file_and_after_refuting(capsys, session_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "validate.md"
    code, out, _ = run_main(capsys, "export", str(session_file), "--format", "validation", "-o", str(target))
    assert code == 0 and out == f"{target}\n"
    assert target.read_text("utf-8").count("☐ validated") == 2
    s = store.load_session(session_file).session
    s = update_item(s, "pains", "on-hold", {"validation": "refuted"}, actor=None)[0]
    s = update_item(s, "pains", "wrong-part", {"validation": "validated"}, actor=None)[0]
    store.save_session(session_file, s, overwrite=True)
    code, out, _ = run_main(capsys, "export", str(session_file), "--format", "validation")
    assert code == 0 and "Nothing to validate" in out and "☐" not in out


def test_rank_shows_the_unverified_share(capsys, session_file: Path) -> None:
    # fix the catalogue: 12 (x-data) + 7.5 + 5 (anecdotes) = 24.5 → 12.5 / 24.5 = 51% unverified
    code, out, _ = run_main(capsys, "rank", str(session_file), "--format", "json")
    assert code == 0
    shares = {r["id"]: r["unverified"] for r in json.loads(out)["solutions"]}
    assert shares == {"fix-catalogue": round(12.5 / 24.5, 3), "hire-csrs": 1.0}
    code, out, _ = run_main(capsys, "rank", str(session_file), "--format", "md")
    assert "| Unverified |" in out and "| 51% |" in out and "| 100% |" in out
    code, out, _ = run_main(capsys, "rank", str(session_file), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["unverified"] for r in rows] == ["0.51", "1.0"]
    code, out, _ = run_main(capsys, "rank", str(session_file))
    assert code == 0 and "Unverified" in out and "51%" in out
