"""The full form: every field of an item (e, n), the session's details and the ranking's
weights, and the link picker (which processes cause a pain, which solutions change a process).

:class:`Forms` is a controller the app owns; it sees the app as a :class:`~cjmtui.ui.host.Host`
and changes the session only through its edit path (``apply``, ``add``, ``update``). A form
remembers the values it opened with: on submit, an item someone else deleted meanwhile comes
back with the edit (the merge's rule, :mod:`cjmtui.core.merge`), and says so.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ..core.details import settings_values, update_settings
from ..core.edit import add_item, update_item
from ..core.model import Record, find, item_label
from ..core.vocab import SINGULAR

if TYPE_CHECKING:
    from .host import Host


class Forms:
    def __init__(self, app: Host) -> None:
        self.app = app

    def open_form(self, table: str, item_id: str | None, defaults: dict[str, Any] | None = None) -> None:
        """The form of item ``item_id`` of ``table``, or of a new one (``item_id`` None) with ``defaults``."""
        from .screens.form import ItemForm, form_title

        app = self.app
        item = find(app.session, table, item_id) if item_id else None
        if item_id is not None and item is None:
            return
        values = item.model_dump() if item is not None else dict(defaults or {})

        def validate(new: dict[str, Any]) -> None:
            if item_id is None:
                add_item(app.session, table, new, actor=app.actor)
            elif find(app.session, table, item_id) is None:  # deleted meanwhile: it comes back
                add_item(app.session, table, {**values, **new}, actor=app.actor)
            else:
                update_item(app.session, table, item_id, new, actor=app.actor)

        def done(result: dict[str, Any] | None) -> None:
            if result is None:
                return
            if item_id is None:
                app.add(table, result)
            elif find(app.session, table, item_id) is None:
                self.bring_back(table, {**values, **result})
            elif result:
                app.update(table, item_id, result)

        title = form_title(table, item_id, item_label(item) if item else "")

        def current() -> Record | None:
            return find(app.session, table, item_id) if item_id else None

        form = ItemForm(table, values, app.session, title, validate, current=current if item_id else None)
        form.keep = done
        app.push_screen(form, done)

    def bring_back(self, table: str, fields: dict[str, Any]) -> None:
        """An edit against an item someone else deleted meanwhile keeps the item (the merge's
        rule, :mod:`cjmtui.core.merge`), and says so."""
        app = self.app
        item = app.apply(f"bring back {SINGULAR[table]}", partial(add_item, actor=app.actor), table, fields, show=table)
        if isinstance(item, Record):
            app.notify(
                f"“{item_label(item)}” was deleted by someone else while you edited it: your edit brought it "
                "back (u takes it away again).",
                title="Brought back",
                severity="warning",
                timeout=10,
            )

    def settings(self) -> None:
        """The session's details (title, journey, date, vote budget) and the ranking's weights."""
        from .screens.form import ItemForm

        app = self.app

        def done(result: dict[str, Any] | None) -> None:
            if result is not None:
                app.apply("edit session details", partial(update_settings, actor=app.actor), result)

        form = ItemForm(
            "settings",
            settings_values(app.session),
            app.session,
            "Session details and ranking weights",
            lambda new: update_settings(app.session, new, actor=app.actor),
        )
        form.keep = done  # on the way out, what was changed here is applied
        app.push_screen(form, done)

    def open_links(self, kind: str, item_id: str) -> None:
        """The link picker for one of :data:`cjmtui.core.links.LINKS` from item ``item_id``."""
        from ..core import links
        from .screens.links import LinkPicker, link_label, link_search

        app = self.app
        session = app.session
        found = links.candidates(session, kind, item_id)
        candidates = [(c.id, link_label(session, c)) for c in found]
        if not candidates:
            app.notify("Nothing to link yet: add internal processes on screen 4.", severity="warning")
            return
        selected = links.linked(session, kind, item_id)

        def done(result: set[str] | None) -> None:
            if result is not None and result != selected:
                app.apply(links.LINKS[kind].undo, partial(links.set_links, actor=app.actor), kind, item_id, result)

        search = {c.id: link_search(session, c) for c in found}
        app.push_screen(LinkPicker(links.question(session, kind, item_id), candidates, selected, search), done)
