"""Every text that lists the export formats is made from the format registry (issue 24, item 12;
issue 25, item 6): the main help, the export command's help, the palette's export entry and the
summary's export key name each format, and the export help describes each CSV dialect."""

from __future__ import annotations

import pytest

from cjmtui.core.export import FORMATS
from cjmtui.core.export.tabular import CSV_DIALECTS
from factories import run_main


def test_the_helps_list_every_format_and_dialect(capsys: pytest.CaptureFixture[str]) -> None:
    _, main_help, _ = run_main(capsys, "-h")
    line = next(line for line in main_help.splitlines() if line.strip().startswith("export "))
    assert line.split(":", 1)[1].strip() == ", ".join(FORMATS)
    code, export_help, _ = run_main(capsys, "export", "-h")
    assert code == 0
    for name, fmt in FORMATS.items():
        assert f"  {name}" in export_help and fmt.summary in export_help, name
    for name, dialect in CSV_DIALECTS.items():
        assert dialect.summary in export_help, name
    assert "--csv-dialect" in export_help


def test_the_palette_lists_every_format() -> None:
    from cjmtui.ui.commands import PALETTE_ONLY

    title, help_text, _ = next(entry for entry in PALETTE_ONLY if entry[2] == "export")
    assert title.startswith("Export")
    assert help_text == "Write " + ", ".join(FORMATS)


def test_the_summary_export_key_lists_every_format() -> None:
    from cjmtui.ui.screens.summary import SummaryScreen

    (binding,) = [b for b in SummaryScreen.BINDINGS if getattr(b, "action", None) == "export"]
    assert binding.tooltip.endswith(": " + ", ".join(FORMATS))


def test_a_csv_dialect_is_only_for_csv(capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    from pathlib import Path

    session = Path(__file__).resolve().parents[2] / "sessions" / "online-ordering.toml"
    code, _, err = run_main(capsys, "export", str(session), "--format", "md", "--csv-dialect", "excel-de")
    assert code == 1 and "--csv-dialect is for --format csv or csv-map" in err
    code, out, _ = run_main(capsys, "export", str(session), "--format", "csv", "--csv-dialect", "excel-de")
    assert code == 0 and out.startswith('\ufeff"rank";"id"') and ";119,875;" in out
