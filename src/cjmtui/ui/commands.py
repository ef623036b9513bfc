"""Command palette: every screen, every persona lens and every item, found by name.

The actions (every key of the current screen and of the app) come from
:meth:`CjmApp.get_system_commands`, Textual's own system commands provider.

Hits are built from plain text (never markup), so an item called ``[bold]x[/]`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content

from ..core.model import TABLES, item_label
from ..core.safety import printable
from ..core.vocab import SINGULAR
from .screens import SCREENS

if TYPE_CHECKING:
    from .app import CjmApp


def _highlight(text: str, query: str, matcher) -> Content:  # noqa: ANN001
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(query, text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class CjmCommands(Provider):
    """Screens, actions, persona lenses and items of the open session."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app: CjmApp = self.app  # type: ignore[assignment]
        out: list[tuple[str, Callable[[], object], str]] = []
        if app.workspace is None:
            return out
        for mode, spec in SCREENS.items():
            out.append((f"Go to screen {spec.title}", partial(app.switch_mode, mode), spec.question))
        out.append(("Persona lens: everyone", partial(app.room.set_lens, None), "Show pains of every persona"))
        session = app.session
        for persona in session.personas:
            out.append(
                (f"Persona lens: {printable(persona.name)}", partial(app.room.set_lens, persona.id),
                 "Map, pains and summary for this persona only")
            )
        for table in TABLES:
            what = SINGULAR[table]
            for item in getattr(session, table):
                label = printable(item_label(item))[:80]
                out.append((f"Go to {what} {label}", partial(app.go_to, table, item.id), f"{what} · {item.id}"))
        return out

    async def discover(self) -> Hits:
        app: CjmApp = self.app  # type: ignore[assignment]
        if app.workspace is None:
            return
        for mode, spec in SCREENS.items():
            title = f"Go to screen {spec.title}"
            yield DiscoveryHit(Content(title), partial(app.switch_mode, mode), text=title, help=spec.question)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, _highlight(text, query, matcher), command, text=text, help=help_text)
