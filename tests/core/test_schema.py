"""The session file's JSON Schema, for editors (issue 14, item 3): generated from the model,
published in docs/, named on a session's first line and kept there by every save."""

from __future__ import annotations

import json
from pathlib import Path

from cjmtui.core import files, store
from cjmtui.core.edit import add_item
from cjmtui.core.schema import SCHEMA_FILE, schema_text, session_schema
from factories import run_main

ROOT = Path(__file__).resolve().parents[2]


def test_the_published_schema_is_the_one_the_model_makes() -> None:
    assert (ROOT / "docs" / SCHEMA_FILE).read_text("utf-8") == schema_text(), (
        "docs/session.schema.json is out of date: cjmtui schema -o docs/session.schema.json"
    )
    schema = session_schema()
    assert schema["additionalProperties"] is False  # an unknown key is reported
    pain = schema["$defs"]["Pain"]["properties"]
    assert pain["severity"]["minimum"] == 1 and pain["severity"]["maximum"] == 5


def test_cjmtui_schema_prints_it_or_writes_it(capsys, tmp_path: Path) -> None:
    code, out, _ = run_main(capsys, "schema")
    assert code == 0 and json.loads(out) == session_schema()
    code, out, _ = run_main(capsys, "schema", "-o", str(tmp_path / "s.json"))
    assert code == 0 and (tmp_path / "s.json").read_text("utf-8") == schema_text()


def test_a_new_session_names_the_schema_which_sits_beside_it(tmp_path: Path) -> None:
    path = files.create_session_file(tmp_path, "Claims", "empty")
    assert path.read_text("utf-8").startswith("#:schema ./session.schema.json\nschema_version = 1\n")
    assert (tmp_path / SCHEMA_FILE).read_text("utf-8") == schema_text()


def test_a_save_keeps_the_directive_and_a_file_without_one_gets_none(tmp_path: Path) -> None:
    path = tmp_path / "w.toml"
    loaded = store.load_session(ROOT / "sessions" / "online-ordering.toml")
    path.write_bytes((ROOT / "sessions" / "online-ordering.toml").read_bytes())
    session, _ = add_item(
        loaded.session, "pains", {"stage": loaded.session.stages[0].id, "text": "one more"}, actor=None
    )
    store.save_session(path, session, loaded.fingerprint)
    text = path.read_text("utf-8")
    assert text.startswith("#:schema ../docs/session.schema.json\nschema_version = 1\n")
    assert store.load_session(path).session == session

    plain = tmp_path / "plain.toml"
    store.save_session(plain, session)
    assert plain.read_text("utf-8").startswith("schema_version = 1\n")
    # Only a real directive is kept: any other first line is the writer's to replace.
    plain.write_text("#: not a directive\n" + plain.read_text("utf-8"))
    store.save_session(plain, session, overwrite=True)
    assert plain.read_text("utf-8").startswith("schema_version = 1\n")


def test_a_workshop_date_before_1900_is_a_clear_error() -> None:
    """Editors' TOML parser (taplo) refuses years before 1000; no workshop is dated before 1900."""
    import pytest

    from cjmtui.core.errors import SessionFileError

    text = (ROOT / "sessions" / "online-ordering.toml").read_text("utf-8")
    with pytest.raises(SessionFileError, match="1900"):
        store.parse_session(text.replace("date = 2025-03-12", "date = 0178-10-29"), "old.toml")
