"""Every place cjmtui reaches into Textual beyond its public API, one module per workaround.

Textual is pinned to a tested range in pyproject.toml (``textual>=8.2,<8.3``; CI installs the
exact versions of ``.ci/constraints.txt``). Each module here says why it exists, which Textual
behaviour or upstream defect it works around, and what would let us delete it. Each has a hook
test in ``tests/project/test_textual_hooks.py`` that fails loudly when the Textual internal it
leans on is gone or changed shape, so a new Textual release must pass those tests before the pin
moves; ``tests/project/test_textual_privates.py`` fails when code outside this package starts
using a Textual private name.

- :mod:`.paste_parser` — the Linux driver's input parser, replaced so a pasted escape sequence
  (even a pasted end-of-paste marker) never becomes key presses. A safety fix.
- :mod:`.stylesheet` — parsed CSS kept across ``Stylesheet.reparse`` (first visits of screens).
- :mod:`.datatable` — DataTable without measuring every new cell, and appends that keep the
  render caches of the rows above (big lists, capture after capture).
- :mod:`.select` — the options of a ``Select`` (no public getter), for type-ahead.
- :mod:`.toasts` — notifications: the toast container's class (not exported) and the hooks
  where a new notification arrives and the toasts are placed.

- :mod:`.key_order` — quick capture takes keys in the order they were typed, wherever the focus
  is (``App._check_bindings``, ``Widget._forward_event``; used by ``ui/typed.py``).
"""

from __future__ import annotations

FIXES = ("paste_parser", "stylesheet", "datatable", "select", "toasts", "key_order")
"""The modules of this package, one per workaround (each has a hook test)."""


def install() -> None:
    """Install the fixes that work by replacing something in Textual at run time (today only
    the paste-safe input parser); the others are subclasses and helpers used where needed."""
    from .paste_parser import install_paste_parser

    install_paste_parser()
