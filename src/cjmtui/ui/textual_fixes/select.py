"""The options of a ``Select``, which Textual keeps but does not give back.

Why: cjmtui's dropdowns take typing while closed, as a browser's do (``widgets/choice.py``:
``2`` picks "+2 very positive"). To match what is typed they need the options' labels, and
``Select`` keeps the options it was given in the private ``Select._options`` (a list of
(label, value) pairs, the blank first when the select allows one) with no public getter.

The upstream behaviour: ``Select.set_options`` sets the options, nothing reads them back. No
upstream issue asks for a getter (searched Textual's issues for "Select options property").

Hooks (tests/project/test_textual_hooks.py and tests/ui/test_choice.py): ``Select._options``
is a list of (label, value) pairs that includes ``Select.NULL`` for the blank.

Delete when: ``Select`` has a public way to read its options (or type-ahead of its own).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Select


def select_options(select: Select[Any]) -> list[tuple[str, Any]]:
    """The options of ``select`` as (label text, value), the blank left out."""
    return [
        (str(getattr(label, "plain", label)), value)
        for label, value in select._options  # the Textual internal: see the module's docstring
        if value is not Select.NULL
    ]
