"""The rollup page: root causes across workshops as one self-contained HTML file.

The same environment as the journey map report (:mod:`.html`): Jinja2 with autoescape, every
value cleaned of control characters first, no script, no network (the same
Content-Security-Policy), the report's stylesheet. It shows the tables the command line
prints, as :mod:`.rollup` lays them out: the workshops, the ranked root causes and the matches.
"""

from __future__ import annotations

from typing import Any

from ... import __version__
from ..views import TableView
from .html import CSP, _environment


def _table(view: TableView) -> dict[str, Any]:
    return {
        "columns": [(c.title, "num" if c.numeric else "") for c in view.columns],
        "rows": view.rows,
        "marked": view.marked,
        "empty": view.empty,
    }


def rollup_page(title: str, note: str, workshops: TableView, root_causes: TableView, matches: TableView) -> str:
    """The rollup (its title, note and three tables) as one HTML5 document. Section ids:
    ``workshops``, ``root-causes``, ``matches``; rows of root causes that appear in two workshops
    or more (the view's marked rows) have the class ``recurring``."""
    context = {
        "csp": CSP,
        "version": __version__,
        "title": title,
        "note": note,
        "workshops": _table(workshops),
        "root_causes": _table(root_causes),
        "matches": _table(matches),
    }
    return _environment().get_template("rollup.html.j2").render(context)
