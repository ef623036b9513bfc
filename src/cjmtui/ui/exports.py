"""The ranked quick wins, written out (the export dialog, x) or copied as Markdown (c).

:class:`Exports` is a controller the app owns; it sees the app as a :class:`~cjmtui.ui.host.Host`
and takes the ranking worked out ahead from :class:`~cjmtui.ui.rankings.Rankings`. A file is
written by a worker in its own thread (group ``export``, :mod:`cjmtui.ui.background`): a big
session's report takes seconds, and the screen, quitting and the signals stay live meanwhile.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.errors import CjmError
from ..core.model import Persona, Session, get
from .background import run_in_thread

if TYPE_CHECKING:
    from .host import Host
    from .rankings import Rankings
    from .screens.dialogs import ExportChoice

# What the export said when it ended: the message and the notification's options.
Told = tuple[str, dict[str, Any]]


class Exports:
    def __init__(self, app: Host, rankings: Rankings) -> None:
        self.app = app
        self.rankings = rankings

    def export(self) -> None:
        """Ask for a format and a name (the dialog), then write the file in a worker's thread."""
        from ..core.export import export_target
        from .screens.dialogs import ExportDialog

        app = self.app
        ws = app.workspace
        if ws is None:
            return
        persona = get(app.session, Persona, app.persona_lens)

        def chosen(choice: ExportChoice | None) -> None:
            if choice is None:
                return
            session, lens = app.session, app.persona_lens if choice.use_lens else None
            app.notify(f"Writing {choice.path.name}…", title="Exporting", timeout=4)
            run_in_thread(app, self.write, choice, session, lens, name="cjmtui-export", group="export", then=self.tell)

        dialog = ExportDialog(
            ws.path.parent,
            f"{ws.path.stem}-quick-wins",
            persona.name if persona else None,
            lambda fmt, name: export_target(ws.path.parent, name, fmt),
        )
        app.push_screen(dialog, chosen)

    def write(self, choice: ExportChoice, session: Session, lens: str | None) -> Told:
        """In a thread: the export of ``session`` through ``lens`` as ``choice`` says, and what
        to tell. The write is atomic: quitting before it ends leaves no partial file."""
        from ..core.export import export_text, write_export

        try:
            text = export_text(choice.format, session, self.rankings.of(session, lens))
            written = write_export(text, choice.path)
        except (CjmError, OSError) as exc:
            return str(exc), {"title": "Not exported", "severity": "error"}
        except Exception as exc:  # a bug: said once, never a traceback over the screen
            return f"{type(exc).__name__}: {exc}", {"title": "Not exported", "severity": "error"}
        return f"Wrote {written}", {"title": "Exported", "timeout": 10}

    def tell(self, told: Told) -> None:
        message, options = told
        self.app.notify(message, **options)

    def copy_ranking(self) -> None:
        """The ranked list as Markdown, to the clipboard (OSC 52 works over SSH)."""
        from ..core.export import ranking_markdown

        app = self.app
        ranking = self.rankings.of(app.session, app.persona_lens)
        app.copy_to_clipboard(ranking_markdown(ranking, app.session))
        app.notify(f"Copied the ranked list ({len(ranking.solutions)} solutions) as Markdown.")
