"""Never lose a note: autosave, changes on disk, save as, quitting, and signals."""

from __future__ import annotations

import contextlib
import os
import threading

from ..core.errors import CjmError, ExportError
from ..core.safety import safe_filename, safe_output_path
from ..core.store import Fingerprint, current_fingerprint
from ..core.workspace import SaveResult

AUTOSAVE_DELAY = 0.3  # seconds after the last change; well within the one-second promise
HARD_EXIT_AFTER = 4.0  # after SIGHUP/SIGTERM, never linger on a dead terminal longer than this
SIGNAL_GRACE = 0.2  # after SIGHUP/SIGTERM, let keys already typed land before saving


class SavingMixin:
    """Part of :class:`CjmApp`: everything between an edit and the file on disk."""

    def watch_version(self) -> None:
        if self.workspace is None:
            return
        self._update_extra()
        if self._paused_reason:
            self.save_state = f"not saved: {self._paused_reason}"
            self.save_ok = False
            return
        if self.save_ok:
            self.save_state = "unsaved…"
        # After a failed save the warning stays until a save succeeds: typing goes on meanwhile.
        if self._save_timer is None:
            self._save_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)

    def _autosave(self) -> None:
        self._save_timer = None
        if self.workspace is None or self._saving or self._paused_reason:
            return
        if not self.workspace.dirty:
            return
        self._saving = True
        self.save_state = "saving…"
        ws = self.workspace

        def work() -> None:
            result = ws.save()
            if self.is_running:
                with contextlib.suppress(RuntimeError):  # the app ended while this save ran
                    self.call_from_thread(self._after_save, result)

        threading.Thread(target=work, name="cjmtui-save", daemon=True).start()

    def _after_save(self, result: SaveResult) -> None:
        self._saving = False
        self._show_save(result)
        if result.ok:
            self._remember_disk()
            if self.workspace is not None and self.workspace.dirty and self._save_timer is None:
                self._save_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)
        elif result.conflict:
            self._conflict()
        else:
            # Keep every edit in memory and retry: a full disk or a read-only folder may recover.
            if self._save_timer is None:
                self._save_timer = self.set_timer(3.0, self._autosave)

    def _show_save(self, result: SaveResult) -> None:
        if result.ok:
            self.save_state = f"saved {self.now():%H:%M:%S}"
            self.save_ok = True
        else:
            self.save_state = "⚠ NOT SAVED — " + ("file changed on disk" if result.conflict else "see message")
            self.save_ok = False
            if not result.conflict:
                self.notify(result.message, title="Could not save (your notes are kept; retrying)",
                            severity="error", markup=False, timeout=10)

    def action_save(self) -> None:
        if self.workspace is None:
            return
        if self._paused_reason:
            self._conflict()
            return
        result = self.workspace.save(force=False)
        self._show_save(result)
        if result.ok:
            self._remember_disk()
        elif result.conflict:
            self._conflict()

    def _remember_disk(self) -> None:
        if self.workspace is None:
            return
        try:
            st = self.workspace.path.stat()
            self._disk_stat = (st.st_mtime_ns, st.st_size)
        except OSError:
            self._disk_stat = None

    def _check_disk(self) -> None:
        """Notice when someone else changed the file, before we would save over it."""
        ws = self.workspace
        if ws is None or self._saving or self._conflict_open or self._paused_reason:
            return
        try:
            st = ws.path.stat()
        except OSError:
            return
        if (st.st_mtime_ns, st.st_size) == self._disk_stat:
            return
        try:
            now: Fingerprint | None = current_fingerprint(ws.path)
        except OSError:
            return
        if now == ws.fingerprint:
            self._disk_stat = (st.st_mtime_ns, st.st_size)
            return
        self._conflict()

    def _conflict(self) -> None:
        from .screens.dialogs import Choice

        if self._conflict_open or self.workspace is None:
            return
        self._conflict_open = True
        self._paused_reason = "file changed on disk"
        self.save_state = "⚠ NOT SAVED — file changed on disk"
        self.save_ok = False

        def answer(choice: str | None) -> None:
            self._conflict_open = False
            if choice == "reload":
                try:
                    self.workspace.reload()
                except CjmError as exc:
                    self.notify(str(exc), title="Could not reload", severity="error", markup=False)
                    return
                self._paused_reason = None
                self._remember_disk()
                self.ensure_stage()
                self.version = self.workspace.history.version
                self.save_state = "reloaded from disk"
                self.save_ok = True
            elif choice == "saveas":
                self.action_save_as()
            else:
                self.notify("Autosave is paused until you reload or save as (F2 asks again).",
                            severity="warning")

        self.push_screen(
            Choice(
                "The session file changed on disk",
                f"{self.workspace.path} was changed by someone else since cjmtui opened it. "
                "cjmtui will not overwrite it. Reload it (your unsaved edits here are dropped) "
                "or save your version as a new file?",
                [("r", "Reload", "reload"), ("s", "Save as…", "saveas"), ("k", "Keep editing, don't save", "keep")],
            ),
            answer,
        )

    def action_save_as(self) -> None:
        from .screens.dialogs import AskName

        if self.workspace is None:
            return
        ws = self.workspace
        suggestion = f"{ws.path.stem}-copy.toml"

        def chosen(name: str | None) -> None:
            if not name:
                return
            try:
                target = safe_output_path(ws.path.parent, safe_filename(name, suffix=".toml", strict=True))
            except ExportError as exc:
                self.notify(str(exc), title="Not saved", severity="error", markup=False)
                return
            result = ws.save_as(target)
            if result.ok:
                self._paused_reason = None
                self._remember_disk()
                self._show_save(result)
                self.title = f"cjmtui — {ws.path.name}"
                self.notify(f"Saved as {target}; editing continues there.", markup=False)
            else:
                self.notify(result.message, title="Not saved", severity="error", markup=False)

        self.push_screen(AskName("Save as (a new file in the same folder)", suggestion), chosen)


    def save_before_exit(self) -> tuple[bool, str]:
        """Save synchronously; on failure write a rescue copy. Returns (saved, message)."""
        ws = self.workspace
        if ws is None or (not ws.dirty and not self._paused_reason):
            return True, ""
        if not self._paused_reason:
            result = ws.save()
            if result.ok:
                return True, ""
        if self._rescued is not None and self._rescued[0] == ws.history.version:
            return False, f"The session file could not be saved; your notes are in {self._rescued[1]}"
        rescue = ws.rescue()
        if rescue is not None:
            self._rescued = (ws.history.version, rescue)
            return False, f"The session file could not be saved; your notes are in {rescue}"
        return False, "The session file could not be saved and no rescue copy could be written."

    async def action_quit(self) -> None:
        from .screens.dialogs import Choice

        ws = self.workspace
        if ws is not None and ws.dirty and not self._paused_reason:
            result = ws.save()
            if not result.ok:
                self._show_save(result)

                def answer(choice: str | None) -> None:
                    if choice == "quit":
                        saved, message = self.save_before_exit()
                        self._finish(message)
                    elif choice == "saveas":
                        self.action_save_as()

                self.push_screen(
                    Choice(
                        "Your latest notes are not saved",
                        f"{result.message}\nQuit anyway (a rescue copy is written next to the file or in "
                        "your data folder), save as a new file, or stay?",
                        [("q", "Quit, write rescue copy", "quit"), ("s", "Save as…", "saveas"), ("c", "Stay", "stay")],
                    ),
                    answer,
                )
                return
        if self._paused_reason:
            _saved, message = self.save_before_exit()
            self._finish(message)
            return
        self._finish("")

    def _finish(self, message: str) -> None:
        if self.workspace is not None:
            self.workspace.release()
        self._exiting = True
        self.exit(0, message=message or None)

    def _on_signal(self, signum: int) -> None:
        """SIGHUP (the SSH link dropped) or SIGTERM: save, then leave promptly."""
        if self._exiting:
            return
        self._exiting = True
        # Whatever happens next, never linger on a dead terminal: a last save from this thread.
        timer = threading.Timer(HARD_EXIT_AFTER, self._hard_exit)
        timer.daemon = True
        timer.start()
        # Keys already typed (a note and its Enter) are still in the queue: let them land first.
        self.set_timer(SIGNAL_GRACE, lambda: self._exit_after_signal(signum))

    def _exit_after_signal(self, signum: int) -> None:
        for screen in self.screen_stack:
            flush = getattr(screen, "flush_capture", None)
            if flush is not None:
                with contextlib.suppress(Exception):
                    flush()
        saved, _message = self.save_before_exit()
        if self.workspace is not None:
            self.workspace.release()
        self.exit(128 + signum)

    def _hard_exit(self) -> None:
        ok = True
        if self.workspace is not None:
            if self.workspace.dirty:
                ok = self.workspace.save().ok or self.workspace.rescue() is not None
            self.workspace.release()
        os._exit(0 if ok else 1)
