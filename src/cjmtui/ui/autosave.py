"""Never lose a note: autosave, changes on disk, save as, quitting, and signals.

:class:`Autosave` is a controller the app owns. Every edit bumps ``app.version``; the app tells
this controller (:meth:`changed`), which saves within a second in a worker's thread
(:mod:`cjmtui.ui.background`), shows the result in the top bar (``app.save_state``/``app.save_ok``)
and keeps every edit in memory while a save cannot be made. The rules about files (atomic writes,
refusing to overwrite someone else's changes, rescue copies) live in :mod:`cjmtui.core.workspace`.

It sees the app as a :class:`~cjmtui.ui.host.Host` (it never imports the app). The ways out keep
their own mechanisms, on purpose (docs/reliability.md): F10 and a signal save synchronously on the
event loop (after :func:`~cjmtui.ui.terminal.settle`, and :meth:`~cjmtui.ui.host.Host.collect_typed`),
and the watchdog is a ``threading.Timer``, not a worker: it must fire when the event loop itself is
stuck on a dead terminal, which a worker (run by that loop) would not.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import TYPE_CHECKING, Any

from textual.timer import Timer

from ..core.errors import CjmError, ExportError
from ..core.files import save_as_target
from ..core.store import current_fingerprint, warm
from ..core.vocab import SINGULAR, plural
from ..core.workspace import SaveResult, Workspace
from .background import run_in_thread
from .place import remember_view
from .terminal import restore_terminal, settle

if TYPE_CHECKING:
    from .host import Host
    from .room import Room

WARM_DELAY = 0.1  # seconds after the first screen is drawn
AUTOSAVE_DELAY = 0.3  # seconds after the last change; well within the one-second promise
# A participant's edits are notes and dots, one at a time, and the room waits to see them: saved
# at once (each save is also what every other screen then takes in, so no sooner than needed).
PARTICIPANT_SAVE_DELAY = 0.05
RETRY_DELAY = 3.0  # after a failed save (a full disk, a read-only folder may recover)
HARD_EXIT_AFTER = 4.0  # after SIGHUP/SIGTERM, never linger on a dead terminal longer than this
SIGNAL_GRACE = 0.2  # after SIGHUP/SIGTERM, let keys already typed land before saving
# Someone else's save is taken in at once, but no sooner than this after the last one was: when
# several people press Enter within a second (twenty in a room), each screen takes their notes in
# together instead of redrawing once per note, which queued the room's CPU for seconds. Taking a
# save in costs a participant's app about 15 ms of CPU, so twenty apps stay under one core of a
# 2-core machine however fast the room writes (bench/serve.py; 0.25 s let bursts queue).
TAKE_IN_SPACING = 0.4


def _stat_key(st: os.stat_result) -> tuple[int, ...]:
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


class Autosave:
    """Saving for the app (``app``); ``room`` keeps the agenda's progress in the session first."""

    def __init__(self, app: Host, room: Room) -> None:
        self.app = app
        self.room = room
        self.saving = False  # a save (the autosave worker's thread) is running
        self.paused_reason: str | None = None  # autosave held back until the user decides
        self.exiting = False
        self._timer: Timer | None = None
        # What the file's stat said when last looked at: its inode too, since a save renames a new
        # file in, and two saves of the same size within one tick of the clock have the same
        # mtime (two participants' notes of the same length: the second was not noticed).
        self._disk_stat: tuple[int, ...] | None = None
        self._conflict_open = False
        self._taken_in_at = -TAKE_IN_SPACING  # (monotonic) when someone else's save was last taken in
        self._take_in_timer: Timer | None = None
        self._rescued: tuple[int, str] | None = None  # (version, message) of the last rescue copy
        self._last_error: str | None = None  # the failed save's message already shown
        self.told = ""  # the message handed to the terminal on exit (printed once)
        self.removed: tuple[tuple[str, Any, int], ...] = ()  # what the last merge's other save removed
        self.tty_attrs: list[object] | None = None  # the terminal's modes before the app (ui.main.run)
        self.nowhere = False  # on exit, neither the file nor any rescue place took the notes
        self.kept: list[str] = []  # what the person had typed and the way out kept, in words

    @property
    def workspace(self) -> Workspace | None:
        return self.app.workspace

    # Saving as the room talks -----------------------------------------------------------------

    def started(self) -> None:
        """A session was opened (or reopened): remember how it looks on disk."""
        self.paused_reason = None
        self.remember_disk()
        ws = self.workspace
        self._show("saved" if ws is not None and not ws.dirty else "unsaved", ok=True)
        if ws is not None:  # after the first screen: remember each item's TOML for the first save
            session = ws.history.session
            self.app.call_after_refresh(
                self.app.set_timer,
                WARM_DELAY,
                lambda: run_in_thread(self.app, warm, session, name="cjmtui-warm", group="warm-save"),
            )

    def changed(self) -> None:
        """The session changed: save soon (or say why it is not saved)."""
        if self.workspace is None:
            return
        if self.paused_reason:
            self._show(f"not saved: {self.paused_reason}", ok=False)
            return
        if not self.workspace.dirty:  # someone else's save taken in, an undo back to what is saved
            return
        if self.app.save_ok:
            self._show("unsaved…", ok=True)
        # After a failed save the warning stays until a save succeeds: typing goes on meanwhile.
        self._schedule(self._delay())

    def _delay(self) -> float:
        return PARTICIPANT_SAVE_DELAY if self.app.actor is not None else AUTOSAVE_DELAY

    def _schedule(self, delay: float) -> None:
        if self._timer is None:
            self._timer = self.app.set_timer(delay, self._autosave)

    def _autosave(self, *, pull: bool = False) -> None:
        """Save in the ``autosave`` worker's thread; ``pull``: also when nothing changed here
        (someone else saved). The save, not a timer's callback, is the worker: a test waits for
        it with ``app.workers.wait_for_complete()``."""
        self._timer = None
        ws = self.workspace
        if ws is None or self.saving or self.paused_reason or not (ws.dirty or pull):
            return
        self.saving = True
        if ws.dirty:  # (taking in someone else's save is not saving: the top bar says when it ends)
            self._show("saving…", ok=self.app.save_ok)

        def saved(result: SaveResult) -> None:
            if self.app.is_running:  # (the app ended while this save ran: nothing to show)
                self._after_save(result)

        run_in_thread(self.app, ws.pull if pull else ws.save, name="cjmtui-save", group="autosave", then=saved)

    def _after_save(self, result: SaveResult) -> None:
        self.saving = False
        if result.merged is not None:  # (the spacing counts from the end: a slow machine gets its room)
            self._taken_in_at = time.monotonic()
        if result.merged is not None or result.overwritten:
            self.app.session_replaced()
            self._say_merged(result)
        self.show_result(result)
        if result.ok:
            self.remember_disk()
            if self.workspace is not None and self.workspace.dirty:
                # Edits made while this save or pull ran: a participant's note typed meanwhile
                # waited 0.3 s more than one typed a moment earlier or later.
                self._schedule(self._delay())
            elif self._disk_stat is None:
                self.check_disk()  # saved again meanwhile: take it in now, not at the next look
        elif result.conflict:
            self.conflict(result.message)
        else:
            self._schedule(RETRY_DELAY)  # every edit stays in memory meanwhile

    def _show(self, state: str, *, ok: bool) -> None:
        self.app.save_state = state
        self.app.save_ok = ok

    def _say_merged(self, result: SaveResult) -> None:
        """What a merge with someone else's save changed, when it replaced or removed anything:
        ours kept over theirs (we saved later), ours replaced by theirs (they saved later), or
        items their save removed."""
        if result.overwritten:
            gone = result.overwritten
            lines = [f"“{r.label}” {r.field}: now “{_shown(r.theirs)}”; yours was “{_shown(r.ours)}”" for r in gone[:3]]
            if len(gone) > 3:
                lines.append(f"… and {len(gone) - 3} more")
            self.app.notify(
                "\n".join(lines) + "\nTheirs was saved later, so it is kept: type yours again if it should stay.",
                title="Someone else's later save replaced your words",
                severity="warning",
                timeout=15,
            )
        merged = result.merged
        if merged is None or (not merged.replaced and not merged.renamed and not merged.removed):
            return
        lines = [f"“{r.label}” {r.field}: kept yours; theirs was “{r.theirs}”" for r in merged.replaced[:3]]
        lines += [f"Both added {table} “{old}”: theirs is now “{new}”" for table, old, new in merged.renamed[:3]]
        more = len(merged.replaced) + len(merged.renamed) - len(lines)
        if more > 0:
            lines.append(f"… and {more} more")
        if merged.removed:
            removed = ", ".join(
                plural(n, SINGULAR.get(table, table), "parked items" if table == "parking" else table)
                for table, n in merged.removed
            )
            self.removed = merged.removed_items
            lines.append(f"Their save removed {removed}; ctrl+p “Bring back” puts them back.")
        elif lines:
            lines.append("u (undo) shows their version.")
        self.app.notify(
            "\n".join(lines),
            title="Merged with edits saved by someone else",
            severity="warning",
            timeout=12,
        )

    def show_result(self, result: SaveResult) -> None:
        if result.ok:
            self._last_error = None
            self._show(f"saved {self.app.now():%H:%M:%S}", ok=True)
            return
        self._show("⚠ NOT SAVED — " + ("file changed on disk" if result.conflict else "see message"), ok=False)
        if not result.conflict and result.message != self._last_error:
            # One toast per cause: retries every few seconds keep the top bar's NOT SAVED instead.
            self._last_error = result.message
            self.app.notify(
                result.message, title="Could not save (your notes are kept; retrying)", severity="error", timeout=10
            )

    def save_now(self) -> None:
        """F2: save at once (or ask again what to do about a file changed on disk)."""
        ws = self.workspace
        if ws is None:
            return
        if self.paused_reason:
            self.ask_about_conflict()
            return
        result = ws.save(force=False)
        if result.merged is not None or result.overwritten:
            self.app.session_replaced()
            self._say_merged(result)
        self.show_result(result)
        if result.ok:
            self.remember_disk()
        elif result.conflict:
            self.conflict(result.message)

    # Someone else changed the file ------------------------------------------------------------

    def remember_disk(self) -> None:
        """Remember the file's stat, as the file this instance last read or wrote: when someone
        saved again meanwhile (while this save or pull ran), nothing is remembered, so the next
        look takes their save in (remembering its stat hid their note until the file changed again)."""
        ws = self.workspace
        try:
            st = ws.path.stat() if ws is not None else None
            if ws is not None and st is not None and current_fingerprint(ws.path) != ws.fingerprint:
                st = None
        except OSError:
            st = None
        self._disk_stat = _stat_key(st) if st is not None else None

    def check_disk(self) -> None:
        """Notice when someone else changed the file, before we would save over it."""
        ws = self.workspace
        if ws is None or self.saving or self._conflict_open:
            return
        try:
            st = ws.path.stat()
            if _stat_key(st) == self._disk_stat:
                return
            wait = self._taken_in_at + TAKE_IN_SPACING - time.monotonic()
            if wait > 0:  # taken in a moment ago: this one (and any after it) in a moment, together
                if self._take_in_timer is None:
                    self._take_in_timer = self.app.set_timer(wait, self._take_in_later)
                return
            now = current_fingerprint(ws.path)
        except OSError:
            return
        self._disk_stat = _stat_key(st)
        if now == ws.fingerprint:
            return
        self.paused_reason = None  # the file changed again: it may merge now
        self._taken_in_at = time.monotonic()
        self._autosave(pull=True)  # someone else saved: merge their edits in now

    def _take_in_later(self) -> None:
        self._take_in_timer = None
        self.check_disk()

    def conflict(self, message: str = "") -> None:
        """The file on disk cannot be read or merged: hold autosave, keep every edit, say so.

        No dialog opens by itself (it would take keys typed for a note): F2 asks what to do.
        """
        if self.workspace is None:
            return
        first = self.paused_reason is None
        self.paused_reason = "file on disk cannot be merged"
        self._show("⚠ NOT SAVED — file on disk cannot be merged", ok=False)
        if first:
            self.app.notify(
                f"{message}\nYour notes are kept here. F2: reload it or save yours as a new file.",
                title="Not saved",
                severity="error",
                timeout=15,
            )

    def ask_about_conflict(self) -> None:
        """F2 while autosave is held: try again, and if the file still cannot be merged, ask."""
        from .screens.dialogs import Choice

        ws = self.workspace
        if ws is None or self._conflict_open:
            return
        self.paused_reason = None
        result = ws.save()
        if result.ok or not result.conflict:
            self._after_save(result)
            return
        self.conflict(result.message)
        self._conflict_open = True
        message = (
            f"{result.message}\nReload it (your unsaved edits here are dropped) or save your version as a new file?"
        )
        answers = [("r", "Reload", "reload"), ("s", "Save as…", "saveas"), ("k", "Keep editing, don't save", "keep")]
        if self.app.restricted:  # a participant's app writes no other file
            answers = [a for a in answers if a[2] != "saveas"]
        self.app.push_screen(Choice("The session file cannot be merged", message, answers), self._conflict_answer)

    def _conflict_answer(self, choice: str | None) -> None:
        self._conflict_open = False
        ws = self.workspace
        if choice == "reload" and ws is not None:
            try:
                ws.reload()
            except CjmError as exc:
                self.app.notify(str(exc), title="Could not reload", severity="error")
                return
            self.paused_reason = None
            self.remember_disk()
            self.app.session_replaced()
            self._show("reloaded from disk", ok=True)
        elif choice == "saveas":
            self.save_as()
        else:
            self.app.notify("Autosave is paused until you reload or save as (F2 asks again).", severity="warning")

    def save_as(self) -> None:
        from .screens.dialogs import AskName

        ws = self.workspace
        if ws is None or self.app.restricted:
            return

        def chosen(name: str | None) -> None:
            if not name:
                return
            try:
                target = save_as_target(ws.path.parent, name)
            except ExportError as exc:
                self.app.notify(str(exc), title="Not saved", severity="error")
                return
            result = ws.save_as(target)
            if not result.ok:
                self.app.notify(result.message, title="Not saved", severity="error")
                return
            self.paused_reason = None
            self.remember_disk()
            self.show_result(result)
            self.app.show_session_name()
            self.app.notify(f"Saved as {target}; editing continues there.")

        title = "Save as: a name (same folder) or a path (another folder, e.g. ~/notes/x.toml)"
        self.app.push_screen(AskName(title, f"{ws.path.stem}-copy.toml"), chosen)

    # Leaving ----------------------------------------------------------------------------------

    def save_before_exit(self) -> tuple[bool, str]:
        """Save synchronously; on failure write a rescue copy. Returns (saved, message)."""
        self.room.record_progress(leaving=True)
        ws = self.workspace
        if ws is None or (not ws.dirty and not self.paused_reason):
            return True, ""
        if not self.paused_reason and ws.save().ok:
            return True, ""
        if self._rescued is not None and self._rescued[0] == ws.history.version:
            return False, self._rescued[1]
        rescue = ws.rescue()
        if rescue is None:
            self.nowhere = True  # the notes are printed once the terminal is back (ui/main.py)
            return False, (
                "The session file could not be saved and no rescue copy could be written anywhere: "
                "your notes are printed below; copy them."
            )
        self.nowhere = False
        message = f"The session file could not be saved; your notes are in {rescue}"
        self._rescued = (ws.history.version, message)
        return False, message

    def quit(self) -> None:
        """F10: save and leave; when the save fails, ask (rescue copy, save as, or stay)."""
        from .screens.dialogs import Choice

        self.kept = [*self.kept, *self.app.collect_typed()]  # a half-typed note, an open form
        self.room.record_progress(leaving=True)
        remember_view(self.app)
        ws = self.workspace
        if ws is not None and ws.dirty and not self.paused_reason:
            result = ws.save()
            if not result.ok:
                self.show_result(result)
                question = (
                    f"{result.message}\nQuit anyway (a rescue copy is written next to the file or in "
                    "your data folder), save as a new file, or stay?"
                )
                answers = [("q", "Quit, write rescue copy", "quit"), ("s", "Save as…", "saveas"), ("c", "Stay", "stay")]
                self.app.push_screen(Choice("Your latest notes are not saved", question, answers), self._quit_answer)
                return
        self.finish(self.save_before_exit()[1] if self.paused_reason else "")

    def _quit_answer(self, choice: str | None) -> None:
        if choice == "quit":
            saved, message = self.save_before_exit()
            self.finish(message, 0 if saved else 1)
        elif choice == "saveas":
            self.save_as()

    def finish(self, message: str, code: int = 0) -> None:
        if self.workspace is not None:
            self.workspace.release()
        self.exiting = True
        message = "\n".join(m for m in (*self.kept, message) if m)
        self.told = message
        self.app.exit(code, message=message or None)

    def on_signal(self, signum: int) -> None:
        """SIGHUP (the SSH link dropped) or SIGTERM: save, then leave promptly."""
        if self.exiting:
            return
        self.exiting = True
        # Whatever happens next, never linger on a dead terminal: a last save from this thread.
        timer = threading.Timer(HARD_EXIT_AFTER, self._hard_exit, args=(signum,))
        timer.daemon = True
        timer.start()
        # Keys already typed (a note and its Enter) are still in the queue: let them land first.
        self.app.set_timer(SIGNAL_GRACE, lambda: self._exit_after_signal(signum))

    async def _exit_after_signal(self, signum: int) -> None:
        await settle(self.app, longest=1.0)
        self.kept = [*self.kept, *self.app.collect_typed()]  # a half-typed note, an open form
        remember_view(self.app)
        _saved, message = self.save_before_exit()
        if self.workspace is not None:
            self.workspace.release()
        message = "\n".join(m for m in (*self.kept, message) if m)
        self.told = message
        self.app.exit(128 + signum, message=message or None)

    def _hard_exit(self, signum: int) -> None:
        """The watchdog, in its own thread: the app did not leave in time (a dead terminal, or
        a machine so busy that the exit save is still running). Waits for a save in progress
        (the workspace's lock), saves what is left, puts the terminal back as it found it and
        ends with the signal's status; 1 when the notes could only go to a rescue copy."""
        ok = True
        ws = self.workspace
        if ws is not None:
            if ws.dirty:
                ok = ws.save().ok
                if not ok and ws.rescue() is None:  # nowhere took them: the terminal is the last place
                    with contextlib.suppress(OSError):
                        os.write(2, ("\n" + ws.notes_text()).encode("utf-8", "replace"))
            ws.release()
        restore_terminal(self.tty_attrs)
        os._exit(128 + signum if ok else 1)


def _shown(value: object, limit: int = 60) -> str:
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
