"""Command palette: every screen, every persona lens and every item, found by name.

The actions (every key of the current screen and of the app) come from
:meth:`cjmtui.ui.app.CjmApp.get_system_commands`, Textual's own system commands provider.

Hits are built from plain text (never markup), so an item called ``[bold]x[/]`` shows as typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.screen import Screen

from ..core.export import FORMATS
from ..core.model import TABLES, item_label
from ..core.safety import printable
from ..core.vocab import SINGULAR
from .screens import SCREENS

if TYPE_CHECKING:
    from .workshop import Workshop


def _highlight(text: str, query: str, matcher: Matcher) -> Content:
    content = Content(text)
    _score, offsets = matcher.fuzzy_search.match(query, text)
    for offset in offsets:
        if offset < len(text) and not text[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class CjmCommands(Provider):
    """Screens, actions, persona lenses and items of the open session."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        app = cast("Workshop", self.app)
        out: list[tuple[str, Callable[[], object], str]] = []
        if app.workspace is None:
            return out
        for mode, spec in SCREENS.items():
            out.append((f"Go to screen {spec.title}", partial(app.switch_mode, mode), spec.question))
        out.append(("Persona lens: everyone", partial(app.room.set_lens, None), "Show pains of every persona"))
        session = app.session
        for persona in session.personas:
            out.append(
                (
                    f"Persona lens: {printable(persona.name)}",
                    partial(app.room.set_lens, persona.id),
                    "Map, pains and summary for this persona only",
                )
            )
        for table in TABLES:
            what = SINGULAR[table]
            for item in getattr(session, table):
                label = printable(item_label(item))[:80]
                out.append((f"Go to {what} {label}", partial(app.go_to, table, item.id), f"{what} · {item.id}"))
        return out

    async def discover(self) -> Hits:
        app = cast("Workshop", self.app)
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


# Actions without a key of their own: (title, what it does, the app's action).
PALETTE_ONLY = (
    ("Save as…", "Save to a new file and continue there", "save_as"),
    ("Export ranked quick wins…", "Write " + ", ".join(FORMATS), "export"),
    ("Copy ranked list as Markdown", "To the clipboard (OSC 52 works over SSH)", "copy_ranking"),
    ("Quick capture", "Add notes on this screen, one per Enter", "capture"),
    ("Dot voting", "On the solutions or pains screen: who votes, then + and -", "voting"),
    ("Derive future-state session", "A copy marked future state that remembers this one", "derive_future"),
    ("Open another session", "The session picker", "open_picker"),
    ("New session…", "Create a session from a template (this one is saved first)", "new_session"),
    ("Bring back what another save removed", "The items the last merged save deleted, back in place", "bring_back"),
)


def action_commands(app: Workshop, screen: Screen[Any]) -> Iterable[SystemCommand]:
    """Every key of ``screen`` and of the app as a palette command (its tooltip, else its
    description, as the title), then :data:`PALETTE_ONLY`. Screens come from :class:`CjmCommands`."""
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description or not active.enabled or binding.action.startswith("switch_mode"):
            continue
        title = binding.tooltip or binding.description
        if title not in seen:
            seen.add(title)
            yield SystemCommand(
                title,
                f"{binding.description} · key {app.get_key_display(binding)}",
                partial(app.run_action, binding.action, active.node),
            )
    for title, help_text, action in PALETTE_ONLY:
        if app.check_action(action, ()) is False:
            continue
        yield SystemCommand(title, help_text, partial(app.run_action, action))
