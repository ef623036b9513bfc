"""The edit form (``FORMS`` in ``ui/screens/form.py``) covers every field of the model a person
edits, or says here why a field is left out: a field added to the model and not to the form
fails this test, as does a form field the model no longer has (docs/recipes/field.md)."""

from __future__ import annotations

import pytest

from cjmtui.core.model import TABLES, Scoring, SessionInfo
from cjmtui.ui.screens.form import FORMS, PENDING

# The form's "settings" are not a table: the session's details and the ranking's weights.
MODELS = {**{table: (model,) for table, model in TABLES.items()}, "settings": (SessionInfo, Scoring)}

# Tables edited elsewhere than in the form, and why.
NOT_IN_THE_FORM = {
    "participants": "added by name when they join or are added to the room; their dots are cast with the dot keys",
}

# Fields of every table the form never shows, and why.
EVERY_TABLE = {
    "id": "made from the item's words when it is added (edit.new_id), never typed",
    "created_by": "who added the item, set by the edit itself and never changed",
}

# Fields of one table the form leaves out, and why (kept small: each is a decision).
LEFT_OUT = {
    ("pains", "silent_round"): "set when the note is written in a silent-writing round",
    ("processes", "silent_round"): "set when the note is written in a silent-writing round",
    ("solutions", "silent_round"): "set when the note is written in a silent-writing round",
    ("parking", "silent_round"): "set when the point is parked in a silent-writing round",
    ("solutions", "history"): "a status change is recorded with its day and who made it (edit.update_item)",
    ("solutions", "reviewed"): "set by a review meeting (cjmtui review --record)",
    ("settings", "origin"): "set when a future state is derived from its current state",
}

# Shown by the form only while the item has some (``PENDING``): capture signs waiting for it.
SHOWN_WHEN_SET = {PENDING.name}


def model_fields(table: str) -> set[str]:
    return {name for model in MODELS[table] for name in model.model_fields}


def test_every_table_is_in_the_form_or_said_not_to_be() -> None:
    assert set(FORMS) | set(NOT_IN_THE_FORM) == set(MODELS), (
        "a table was added: give it a form in FORMS (ui/screens/form.py) or say why not in NOT_IN_THE_FORM"
    )
    assert not set(FORMS) & set(NOT_IN_THE_FORM)


@pytest.mark.parametrize("table", sorted(FORMS))
def test_the_form_covers_every_field_of_the_model(table: str) -> None:
    fields = model_fields(table)
    shown = {field.name for field in FORMS[table]} | (SHOWN_WHEN_SET & fields)
    left_out = {name for name in fields if name in EVERY_TABLE or (table, name) in LEFT_OUT}
    missing = fields - shown - left_out
    assert not missing, (
        f"{table}: the model has {sorted(missing)} but the edit form does not: add a Field to "
        f"FORMS[{table!r}] in ui/screens/form.py, or say why it is left out in tests/ui/test_form_fields.py"
    )
    assert shown <= fields, f"{table}: the form shows {sorted(shown - fields)}, which the model does not have"
    assert not shown & left_out, f"{table}: {sorted(shown & left_out)} are both in the form and left out"


def test_every_exclusion_names_a_field_that_exists() -> None:
    for table, name in LEFT_OUT:
        assert name in model_fields(table), f"LEFT_OUT names {table}.{name}, which the model does not have"
    for name in EVERY_TABLE:
        assert all(name in model_fields(table) for table in TABLES)
