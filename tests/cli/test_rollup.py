"""``cjmtui rollup``: root causes across workshops on the command line (formats, -o, errors)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from factories import EXAMPLES, run_main

FILES = [
    str(EXAMPLES / "online-ordering.toml"),
    str(EXAMPLES / "professional-services-onboarding.toml"),
    str(EXAMPLES / "trade-account-billing.toml"),
]
TOP = "Qualify the deal & discover requirements"


def test_table_shows_workshops_root_causes_and_matches(capsys) -> None:
    code, out, err = run_main(capsys, "rollup", *FILES)
    assert code == 0 and err == ""
    assert out.startswith("Root causes across 3 workshops")
    for heading in ("Workshops", "Root causes", "Matches"):
        assert f"\n{heading}" in out
    causes = out[out.index("\nRoot causes") : out.index("\nMatches")]
    first = next(line for line in causes.splitlines() if line.strip().startswith("1 "))
    assert "Qualify the" in first and "Sales" in first and "541.3 " in first and "541.312" not in first
    assert "W2 14%;" in causes and "20%" in causes  # its share of each workshop it appears in
    matches = out[out.index("\nMatches") :]
    assert "sales-discovery" in matches and "trade-pricing" in matches and "same id" in matches
    assert "catalogue" not in matches  # found in one workshop only


def test_md_csv_json_html_to_stdout(capsys) -> None:
    code, md, _ = run_main(capsys, "rollup", *FILES, "--format", "md")
    assert code == 0 and md.startswith("# Root causes across 3 workshops")
    assert "| 1 | Qualify the deal & discover requirements | Sales | 2 |" in md
    code, text, _ = run_main(capsys, "rollup", *FILES, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert code == 0 and rows[0]["root_cause"] == TOP and rows[0]["workshops"] == "2"
    code, text, _ = run_main(capsys, "rollup", *FILES, "--format", "json", "--top", "3")
    data = json.loads(text)
    assert code == 0 and [c["rank"] for c in data["root_causes"]] == [1, 2, 3]
    assert data["root_causes"][0]["name"] == TOP
    code, page, _ = run_main(capsys, "rollup", *FILES, "--format", "html")
    assert code == 0 and page.startswith("<!DOCTYPE html>") and "Qualify the deal &amp; discover requirements" in page


def test_output_file_and_its_format(capsys, tmp_path: Path) -> None:
    out = tmp_path / "rollup.html"
    code, said, _ = run_main(capsys, "rollup", *FILES, "-o", str(out))
    assert code == 0 and said.strip() == str(out)
    assert out.read_text("utf-8").startswith("<!DOCTYPE html>")  # the format from the ending
    out = tmp_path / "rollup.txt"
    code, _, err = run_main(capsys, "rollup", *FILES, "--format", "md", "-o", str(out))
    assert code == 0 and out.read_text("utf-8").startswith("# Root causes")
    code, _, err = run_main(capsys, "rollup", *FILES, "-o", str(tmp_path / "x.pdf"))
    assert code == 1 and "say which format" in err and not (tmp_path / "x.pdf").exists()
    code, _, err = run_main(capsys, "rollup", *FILES, "--format", "table", "-o", str(tmp_path / "x.md"))
    assert code == 1 and "-o writes md, csv, json or html" in err


def test_mapping_file(capsys, tmp_path: Path) -> None:
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        "[[same]]\n"
        'processes = ["professional-services-onboarding.toml:deal-desk",'
        ' "trade-account-billing.toml:discount-approval"]\n'
    )
    code, text, _ = run_main(capsys, "rollup", *FILES, "--map", str(mapping), "--format", "json")
    assert code == 0
    data = json.loads(text)
    assert data["mapping"] == str(mapping)
    deal = next(c for c in data["root_causes"] if any(p["id"] == "deal-desk" for p in c["processes"]))
    assert {p["id"]: p["matched_by"] for p in deal["processes"]} == {
        "deal-desk": ["mapping file"],
        "discount-approval": ["mapping file"],
    }


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda d: [FILES[0], str(d / "missing.toml")], "missing.toml: no such file"),
        (lambda d: [FILES[0], str(d / "broken.toml")], "broken.toml: not valid TOML"),
        (lambda d: [FILES[0], FILES[0]], "given twice"),
        (lambda d: [*FILES, "--map", str(d / "bad-map.toml")], "bad-map.toml: [[same]] 1: 'nowhere.toml' is not one"),
        (lambda d: [*FILES, "--map", str(d / "no-map.toml")], "no-map.toml: no such file (the mapping file)"),
        (lambda d: [*FILES, "-o", FILES[1]], "is one of the files read"),
    ],
)
def test_bad_input_is_one_clear_error(capsys, tmp_path: Path, make, expected: str) -> None:
    (tmp_path / "broken.toml").write_text("[session\n")
    (tmp_path / "bad-map.toml").write_text(
        '[[same]]\nprocesses = ["nowhere.toml:x", "online-ordering.toml:catalogue"]\n'
    )
    before = {p: p.read_bytes() for p in EXAMPLES.glob("*.toml")}
    code, out, err = run_main(capsys, "rollup", *make(tmp_path))
    assert code == 1 and out == ""
    assert err.startswith("error: ") and expected in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in EXAMPLES.glob("*.toml")} == before


def test_usage_errors(capsys) -> None:
    assert run_main(capsys, "rollup")[0] == 2
    assert run_main(capsys, "rollup", *FILES, "--format", "xlsx")[0] == 2
    assert run_main(capsys, "rollup", *FILES, "--top", "0")[0] == 2


def test_real_entry_point_never_shows_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "map.toml"
    bad.write_text("[[same]]\nprocesses = 3\n")
    result = subprocess.run(
        [sys.executable, "-m", "cjmtui", "rollup", *FILES, "--map", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {bad}: [[same]] 1: processes must be a list")
    assert "Traceback" not in result.stderr


def test_tab_completes_rollup_and_its_options(capsys, tmp_path: Path) -> None:
    from cli.test_completion import _complete
    from support.needs import need

    need("bash")
    _, script, _ = run_main(capsys, "completion", "bash")
    assert _complete(script, "cjmtui rol", tmp_path) == ["rollup"]
    assert _complete(script, "cjmtui rollup a.toml b.toml --", tmp_path) == sorted(
        ["--format", "--help", "--map", "--output", "--top"]
    )
    assert _complete(script, "cjmtui rollup a.toml --format ", tmp_path) == sorted(
        ["csv", "html", "json", "md", "table"]
    )
