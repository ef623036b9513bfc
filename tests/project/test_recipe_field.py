"""docs/recipes/field.md is true: followed step by step on a copy of the project, with the code
taken from the recipe's own blocks, it adds a pain's ``channel`` that round-trips through the
store, is written only when set, is in the edit form and the schema, and passes the tests the
recipe says to run."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "docs" / "recipes" / "field.md"


def _steps() -> dict[str, list[tuple[str, str]]]:
    """Each ``## N. Title`` section's fenced blocks, as (language, code)."""
    text = RECIPE.read_text("utf-8")
    steps: dict[str, list[tuple[str, str]]] = {}
    for section in re.split(r"^## ", text, flags=re.M)[1:]:
        title = section.splitlines()[0].split(". ", 1)[-1]
        steps[title] = re.findall(r"^```(\w+)\n(.*?)^```", section, flags=re.M | re.S)
    return steps


def _insert_after(path: Path, anchor: str, code: str) -> None:
    """Put ``code`` after the first line at or below ``anchor``'s line that closes it (its line
    when it is whole, the line that ends a call spread over several)."""
    lines = path.read_text("utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if anchor in line)
    end = start
    depth = lines[start].count("(") - lines[start].count(")")
    while depth > 0:
        end += 1
        depth += lines[end].count("(") - lines[end].count(")")
    lines.insert(end + 1, code if code.endswith("\n") else code + "\n")
    path.write_text("".join(lines), "utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the recipe's steps 1–4 done, as the recipe says."""
    copy = tmp_path_factory.mktemp("recipe") / "project"
    skip = shutil.ignore_patterns("__pycache__", ".hypothesis", "snapshots", "e2e", "*.egg-info")
    for part in ("src", "tests", "docs", "sessions", "themes"):
        shutil.copytree(ROOT / part, copy / part, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", copy / "pyproject.toml")
    steps = _steps()

    text = RECIPE.read_text("utf-8")
    [(lang, model_code)] = steps["The model"]
    assert lang == "python" and "add the field to `class Pain`, after `validation_note`" in text
    model = copy / "src" / "cjmtui" / "core" / "model.py"
    source = model.read_text("utf-8")
    pain = source.index("class Pain(Record):")
    anchor = source[pain:].index("    validation_note:") + pain
    model.write_text(source[: source.index("\n", anchor) + 1] + model_code + source[source.index("\n", anchor) + 1 :])

    [(lang, form_code)] = steps["The edit form"]
    assert lang == "python" and 'add it to `FORMS["pains"]`, after `validation_note`' in text
    _insert_after(copy / "src" / "cjmtui" / "ui" / "screens" / "form.py", 'Field("validation_note"', form_code)

    [(lang, row)] = steps["The file format's documentation"]
    assert lang == "markdown" and "to the `[[pains]]` table, after `validation_note`" in text
    _insert_after(copy / "docs" / "session-format.md", "| `validation_note` | optional text", row)

    [(lang, command)] = steps["The schema"]
    assert lang == "sh"
    args = shlex.split(command.strip())
    assert args[0] == "cjmtui"
    _run(copy, [sys.executable, "-m", "cjmtui", *args[1:]])
    return copy


def _run(copy: Path, args: list[str]) -> str:
    env = {**os.environ, "PYTHONPATH": str(copy / "src")}
    env.pop("PYTEST_ADDOPTS", None)
    done = subprocess.run(args, cwd=copy, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{shlex.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


def _check(copy: Path, code: str) -> None:
    """Run ``code`` against the copy's cjmtui (not the one installed here)."""
    _run(copy, [sys.executable, "-c", textwrap.dedent(code)])


def test_the_copy_runs_its_own_cjmtui(project: Path) -> None:
    _check(
        project,
        f"""
        import cjmtui
        assert cjmtui.__file__.startswith({str(project)!r}), cjmtui.__file__
        """,
    )


def test_the_new_field_round_trips_through_the_store_and_is_written_only_when_set(project: Path) -> None:
    _check(
        project,
        """
        from pathlib import Path
        from cjmtui.core import model, store
        from cjmtui.core.edit import update_item

        assert model.quiet_fields(model.Pain)["channel"] == ""
        for path in sorted(Path("sessions").glob("*.toml")):  # files from before the field: unchanged
            text = path.read_text("utf-8")
            loaded = store.load_session(path).session
            assert all(p.channel == "" for p in loaded.pains)
            assert "\\nchannel = " not in store.dumps_session(loaded)  # (stages have "channels")
            assert text.endswith(store.dumps_session(loaded)), path

        session = store.load_session(Path("sessions/online-ordering.toml")).session
        pain = session.pains[0]
        session = update_item(session, "pains", pain.id, {"channel": "phone"}, actor=None)[0]
        text = store.dumps_session(session)
        assert text.count('channel = "phone"') == 1
        again = store.parse_session(text)
        assert again == session and again.pains[0].channel == "phone"
        assert store.dumps_session(again) == text
        """,
    )


def test_the_new_field_is_in_the_form_and_the_schema_and_the_exports_as_the_recipe_says(project: Path) -> None:
    _check(
        project,
        """
        import json
        from pathlib import Path
        from cjmtui.core import store
        from cjmtui.core.edit import update_item
        from cjmtui.core.export import export_csv_map, export_json
        from cjmtui.core.schema import schema_text
        from cjmtui.core.scoring import rank
        from cjmtui.ui.screens.form import FORMS

        names = [field.name for field in FORMS["pains"]]
        assert names[names.index("validation_note") + 1] == "channel"
        schema = json.loads(Path("docs/session.schema.json").read_text("utf-8"))
        assert schema["$defs"]["Pain"]["properties"]["channel"]["maxLength"] == 2000
        assert Path("docs/session.schema.json").read_text("utf-8") == schema_text()

        session = store.load_session(Path("sessions/online-ordering.toml")).session
        session = update_item(session, "pains", session.pains[0].id, {"channel": "carrier pigeon"}, actor=None)[0]
        data = json.loads(export_json(session, rank(session)))
        assert data["session"]["pains"][0]["channel"] == "carrier pigeon"  # the JSON export: nothing to do
        assert "carrier pigeon" not in export_csv_map(session)  # the CSV map: only once added there
        """,
    )


def test_the_tests_the_recipe_says_to_run_pass(project: Path) -> None:
    [(lang, command)] = _steps()["The tests to run"]
    args = shlex.split(command.strip())
    assert lang == "sh" and args[0] == ".venv/bin/pytest"
    _run(project, [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args[1:]])
