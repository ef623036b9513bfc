"""The ranking the summary, the export and the copy show: worked out once per session version.

Ranking a big session takes a while (about 70 ms at 2,000 pains, 0.9 s at 20,000), and the
summary used to start it only when it was opened. :class:`Rankings` is a controller the app
owns: it ranks a big session in a thread as soon as its first screen is drawn, and again once
the session has been quiet for :data:`WARM_AFTER` seconds after an edit or a change of lens, so
the summary shows the ranking at once and the export and the copy reuse it. A small session
ranks in a few milliseconds when asked, so it is never ranked ahead. Only the latest ranking is
kept; it is a pure function of the session (immutable) and the lens, so it can never be stale
for the session it is kept for. It sees the app as a :class:`~cjmtui.ui.host.Host`.

The ranking is a Textual worker (group ``warm-ranking``) in the event loop's executor, as it was
before the other background work became workers in daemon threads (:mod:`cjmtui.ui.background`):
pure computation that ends within a second even at 20,000 pains, so the exit's wait for it is short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from ..core.model import Session
from ..core.scoring import Graph, Ranking, rank

if TYPE_CHECKING:
    from .host import Host

WARM_AFTER = 0.5  # seconds without a change (after an edit, a change of lens) before a big session is ranked
WARM_OPENED = 0.1  # seconds after an opened session's first screen is drawn
RANK_IN_BACKGROUND = 3_000  # pains + solutions from which ranking is worth a thread


def is_big(session: Session) -> bool:
    """Whether ranking ``session`` takes long enough to keep off the event loop."""
    return len(session.pains) + len(session.solutions) >= RANK_IN_BACKGROUND


class Rankings:
    def __init__(self, app: Host) -> None:
        self.app = app
        self._last: tuple[Session, str | None, Ranking] | None = None
        self._graphs: dict[str | None, tuple[Session, Graph]] = {}
        self._timer: Timer | None = None
        self._running: tuple[Session, str | None] | None = None  # what the thread is ranking
        self._waiting: list[tuple[Session, str | None, Callable[[Ranking], None]]] = []

    def graph(self, session: Session, lens: str | None) -> Graph:
        """The cause graph of ``session`` through ``lens``, indexed once per version: the lists'
        detail panels show the highlighted solution's or process's reach on every highlight
        (indexing a 20,000-pain session each time took about 100 ms a key)."""
        kept = self._graphs.get(lens)
        if kept is None or kept[0] is not session:
            ranking = self.get(session, lens)  # a big session's ranking, worked out ahead, has one
            ranked = ranking.solutions[0].graph if ranking is not None and ranking.solutions else None
            kept = self._graphs[lens] = (session, ranked if ranked is not None else Graph(session, lens))
        return kept[1]

    def get(self, session: Session, lens: str | None) -> Ranking | None:
        """The ranking of ``session`` through ``lens`` if it has been worked out."""
        last = self._last
        if last is not None and last[0] is session and last[1] == lens:
            return last[2]
        return None

    def remember(self, session: Session, lens: str | None, ranking: Ranking) -> None:
        self._last = (session, lens, ranking)

    def of(self, session: Session, lens: str | None) -> Ranking:
        """The ranking, worked out now if it has not been (for the export and the copy)."""
        ranking = self.get(session, lens)
        if ranking is None:
            ranking = rank(session, lens)
            self.remember(session, lens, ranking)
        return ranking

    def when_ranked(self, session: Session, lens: str | None, then: Callable[[Ranking], None]) -> None:
        """Call ``then`` with the ranking of ``session`` through ``lens``: now if it has been
        worked out, else once the thread ranking it ends (started now if none is). The summary
        waits here, so a big session is ranked once whether the summary or the warm-up asks."""
        ranking = self.get(session, lens)
        if ranking is not None:
            then(ranking)
            return
        self._waiting = [w for w in self._waiting if w[0] is session and w[1] == lens]
        self._waiting.append((session, lens, then))
        if not self._is_running(session, lens):
            self._start(session, lens)

    def opened(self) -> None:
        """A session was opened: rank it (if big) as soon as its first screen is drawn."""
        self.app.call_after_refresh(self.changed, WARM_OPENED)

    def changed(self, delay: float | None = None) -> None:
        """The session or the lens changed: rank a big session once it has been quiet a moment."""
        # The ranking of the version before is of no use now; let it go before the next one is
        # made (the collector walked the two of them, a 26 ms pause at 20,000 pains).
        self._last = None
        self._graphs.clear()
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.app.has_session and is_big(self.app.session):
            self._timer = self.app.set_timer(WARM_AFTER if delay is None else delay, self._warm)

    def _warm(self) -> None:
        self._timer = None
        if not self.app.has_session:
            return
        session, lens = self.app.session, self.app.persona_lens
        if self.get(session, lens) is None and not self._is_running(session, lens):
            self._start(session, lens)

    def _is_running(self, session: Session, lens: str | None) -> bool:
        return self._running is not None and self._running[0] is session and self._running[1] == lens

    def _start(self, session: Session, lens: str | None) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._running = (session, lens)
        self.app.run_worker(
            lambda: self._rank(session, lens),
            thread=True,
            exclusive=True,
            group="warm-ranking",
            exit_on_error=False,
        )

    def _rank(self, session: Session, lens: str | None) -> None:
        ranking = rank(session, lens)
        self.app.call_from_thread(self._ranked, session, lens, ranking)

    def _ranked(self, session: Session, lens: str | None, ranking: Ranking) -> None:
        if self._is_running(session, lens):
            self._running = None
        if not self.app.has_session or session is not self.app.session:
            return  # a version the room has moved past (a thread of an earlier version ending late)
        self.remember(session, lens, ranking)
        waiting, self._waiting = self._waiting, []
        for w_session, w_lens, then in waiting:
            if w_session is session and w_lens == lens:
                then(ranking)
            elif w_session is session:  # the same version through another lens: still wanted
                self._waiting.append((w_session, w_lens, then))
