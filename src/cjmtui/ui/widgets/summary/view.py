"""What every summary view shares: what it shows, and being built only while it is shown."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual.reactive import var
from textual.widget import Widget

from ....core.model import Session
from ....core.scoring import Ranking

# The summary lists the top of the ranking; exports (x) and `cjmtui rank` have every row.
RANK_ROWS = 300  # a screen of quick wins; exports and `cjmtui rank` have every row


@dataclass(frozen=True, eq=False)  # compared by identity: each showing reaches every view
class Shown:
    """One showing of the summary: the session, its persona lens and its ranking, and what the
    views read besides (the session file's folder, today's date, whether it is a big session)."""

    session: Session
    lens: str | None
    ranking: Ranking
    folder: Path | None  # where the session file is (a future state's current state is beside it)
    today: dt.date
    big: bool  # big enough to work out the validation checklist in a thread


class SummaryView(Widget):
    """A view of the summary: bound to the screen's :class:`Shown` (``data_bind``), it builds
    itself when a new one comes while it is the view shown (the others wait to be shown).

    A view names its container first and this second (``class V(VerticalScroll, SummaryView)``):
    Textual's CSS follows only the first base, and the container's styles are the view's."""

    FOCUS: ClassVar[str] = ""  # the selector of what gets the focus when shown ("": the view)

    shown: var[Shown | None] = var(None, init=False)

    def watch_shown(self, shown: Shown | None) -> None:
        if shown is not None and self.display:
            self.show(shown)

    def show(self, shown: Shown) -> None:
        """Build the view from ``shown``."""

    def focus_main(self) -> None:
        (self.query_one(self.FOCUS) if self.FOCUS else self).focus()
