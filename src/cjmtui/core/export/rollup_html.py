"""The rollup page: root causes across workshops as one self-contained HTML file.

The same environment as the journey map report (:mod:`.html`): Jinja2 with autoescape, every
value cleaned of control characters first, no script, no network (the same
Content-Security-Policy), the report's stylesheet. It shows the tables the command line
prints (:mod:`cjmtui.core.rollup`): the workshops, the ranked root causes and the matches.
"""

from __future__ import annotations

from typing import Any

from ... import __version__
from ..rollup import Rollup, matches_view, note, root_causes_view, title, workshops_view
from ..views import TableView
from .html import CSP, _environment


def _table(view: TableView) -> dict[str, Any]:
    return {
        "columns": [(c.title, "num" if c.numeric else "") for c in view.columns],
        "rows": view.rows,
        "marked": view.marked,
        "empty": view.empty,
    }


def rollup_html(result: Rollup) -> str:
    """The rollup as one HTML5 document. Section ids: ``workshops``, ``root-causes``, ``matches``;
    rows of root causes that appear in two workshops or more have the class ``recurring``."""
    context = {
        "csp": CSP,
        "version": __version__,
        "title": title(result),
        "note": note(result),
        "workshops": _table(workshops_view(result)),
        "root_causes": _table(root_causes_view(result)),
        "matches": _table(matches_view(result)),
    }
    return _environment().get_template("rollup.html.j2").render(context)
